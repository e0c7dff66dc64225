"""Telling the owner a new version is out: once a day, off the GUI thread, never in the way.

The engine side (app/updates.py) reads the feed; this asks it on a worker thread when a day
has passed since the last check (kept in gui.json, so restarts do not ask again) and the owner
has not switched it off, and emits `available` with the release. A version is announced in a
balloon once; the window and the tray menu keep offering its link until it is installed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal

from app import __version__
from app.clock import utc_now
from app.gui.prefs import GuiPrefs
from app.gui.wizard.tasks import Tasks
from app.updates import Release, UpdateCheckError, check_due, check_for_update, is_newer

log = logging.getLogger(__name__)

LOOK_EVERY_MS = 60 * 60 * 1000  # wake hourly; check_due lets one check a day through


class UpdateNotifier(QObject):
    available = Signal(object)  # Release: a newer version (each check that finds one)
    announce = Signal(object)  # Release: the first time this version is found (the balloon)
    checked = Signal(object)  # Release | None after a check that reached the feed
    failed = Signal()  # the feed could not be read (offline): no news

    def __init__(
        self,
        *,
        prefs: Callable[[], GuiPrefs],
        save_prefs: Callable[[GuiPrefs], None],
        current: str = __version__,
        now: Callable[[], datetime] = utc_now,
        look_every_ms: int = LOOK_EVERY_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._prefs = prefs
        self._save_prefs = save_prefs
        self.current = current
        self.now = now
        self.feed_url: str | None = None  # set when the configuration is known (UPDATE_FEED_URL)
        self.release: Release | None = None  # the newer version found, if any
        self._tasks = Tasks(self)
        self._timer = QTimer(self)
        self._timer.setInterval(look_every_ms)
        self._timer.timeout.connect(self.maybe_check)

    @property
    def busy(self) -> bool:
        return self._tasks.busy

    def start(self, feed_url: str | None) -> None:
        """Begin (or change the feed of) the daily check; None: never check. A version found
        on an earlier day is offered again at once (until it is the one running)."""
        self.feed_url = feed_url
        prefs = self._prefs()
        if self.release is None and prefs.update_announced and prefs.update_url \
                and is_newer(prefs.update_announced, self.current):
            self.release = Release(prefs.update_announced, prefs.update_url)
            self.available.emit(self.release)
        if not self._timer.isActive():
            self._timer.start()
        self.maybe_check()

    def stop(self) -> None:
        self._timer.stop()
        self._tasks.cancel()

    def maybe_check(self) -> bool:
        """Check when switched on and a day has passed; True when a check started."""
        prefs = self._prefs()
        if not prefs.check_updates or not self.feed_url or not check_due(prefs.update_checked_at, self.now()):
            return False
        return self.check_now()

    def check_now(self) -> bool:
        """Ask the feed now (the menu's «Проверить обновления»), on a worker thread."""
        if not self.feed_url or self._tasks.busy:
            return False
        feed_url, current = self.feed_url, self.current
        self._tasks.run(lambda: check_for_update(feed_url, current=current), self._found, self._failed)
        return True

    def _found(self, result: object) -> None:
        release = result if isinstance(result, Release) else None
        self.release = release
        prefs = self._prefs().with_changes(update_checked_at=self.now().isoformat())
        if release is not None and prefs.update_announced != release.version:
            prefs = prefs.with_changes(update_announced=release.version, update_url=release.url)
            self.announce.emit(release)
        self._save_prefs(prefs)
        if release is not None:
            self.available.emit(release)
        self.checked.emit(release)

    def _failed(self, exc: BaseException) -> None:
        # offline, feed moved: no news; the hourly wake-up tries again
        level = logging.INFO if isinstance(exc, UpdateCheckError) else logging.WARNING
        log.log(level, "update check failed", extra={"reason": str(exc)[:200]})
        self.failed.emit()
