"""The tray app tells the owner about a new version (issue 17 item 6): once a day, from the
releases feed UPDATE_FEED_URL (served here on 127.0.0.1), with a link in the tray, the window
and the balloon; switched off in the settings or the menu; never blocking the window."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QTimer

from app import __version__
from app.sandbox.http import EmulatorServer, Request, Response
from app.sandbox.releases_feed import ReleasesFeed
from app.sandbox.server import Sandbox
from tests.gui.conftest import SYNC_TIMEOUT_MS, harness_of, wait_configured


class SlowFeed(ReleasesFeed):
    """A feed that takes its time, as a slow network would."""

    def __init__(self) -> None:
        super().__init__()
        self.delay = 0.0
        self.answered = threading.Event()

    def handle(self, request: Request) -> Response:
        time.sleep(self.delay)
        try:
            return super().handle(request)
        finally:
            self.answered.set()


@pytest.fixture
def feed() -> Iterator[SlowFeed]:
    releases = SlowFeed()
    with EmulatorServer(releases) as server:
        releases.base_url = server.url
        yield releases


def feed_env(sandbox: Sandbox, feed: ReleasesFeed) -> dict[str, str]:
    return {**sandbox.env(), "UPDATE_FEED_URL": feed.atom_url}


def test_a_new_version_is_announced_once_with_its_link(
        make_gui: Any, qtbot: Any, sandbox: Sandbox, feed: SlowFeed) -> None:
    feed.publish(f"v{__version__}")
    feed.publish("v9.1.0")
    controller = make_gui(env=feed_env(sandbox, feed))
    balloons: list[str] = []
    controller.notifier.suppressed.connect(lambda title, body, level: balloons.append(title))  # offscreen: no balloons
    controller.notifier.shown.connect(lambda title, body, level: balloons.append(title))
    wait_configured(qtbot, controller)
    qtbot.waitUntil(lambda: controller.updates.release is not None, timeout=SYNC_TIMEOUT_MS)
    assert balloons == ["Вышла версия 9.1.0"]
    page = feed.page("v9.1.0")

    controller.tray.rebuild_menu()
    assert controller.tray.action_update in controller.tray.menu.actions()
    assert "9.1.0" in controller.tray.action_update.text()
    controller.tray.action_update.trigger()
    assert harness_of(controller).opened[-1] == page
    banner = controller.window.update_banner
    controller.open_window()
    assert banner.isVisible() and "9.1.0" in banner.text.text() and __version__ in banner.text.text()
    banner.button.click()
    assert harness_of(controller).opened[-1] == page
    controller.tray.messageClicked.emit()  # a click on the balloon opens the page too, once
    assert harness_of(controller).opened[-1] == page and harness_of(controller).opened.count(page) == 3
    prefs = controller.prefs_store.load()
    assert prefs.update_announced == "9.1.0" and prefs.update_checked_at is not None
    assert feed.requests == ["/kaspi-amo-sync/kaspi-amo-sync/releases.atom"]

    controller.quit()
    qtbot.waitUntil(lambda: controller._finished, timeout=SYNC_TIMEOUT_MS)
    again = make_gui(env=feed_env(sandbox, feed))  # restarted the same day
    again_balloons: list[str] = []
    again.notifier.suppressed.connect(lambda title, body, level: again_balloons.append(title))
    wait_configured(qtbot, again)
    qtbot.wait(300)
    assert len(feed.requests) == 1  # once a day, across restarts
    assert again.updates.release is not None and again_balloons == []  # still offered, not announced again
    again.tray.rebuild_menu()
    assert again.tray.action_update in again.tray.menu.actions()

    stale = (datetime.now(UTC) - timedelta(days=1, minutes=1)).isoformat()
    again.apply_prefs(again.prefs.with_changes(update_checked_at=stale))  # a day later
    assert again.updates.maybe_check()
    qtbot.waitUntil(lambda: len(feed.requests) == 2 and not again.updates.busy, timeout=SYNC_TIMEOUT_MS)
    assert again_balloons == []  # the same version is not announced twice


def test_switched_off_never_asks(make_gui: Any, qtbot: Any, sandbox: Sandbox, feed: SlowFeed) -> None:
    feed.publish("v9.1.0")
    controller = make_gui(env=feed_env(sandbox, feed))
    wait_configured(qtbot, controller)
    qtbot.waitUntil(lambda: controller.updates.release is not None, timeout=SYNC_TIMEOUT_MS)
    controller.window.menus.auto_updates.trigger()  # «Проверять обновления раз в день» off
    assert controller.prefs_store.load().check_updates is False
    assert controller.window.menus.auto_updates.isChecked() is False
    controller.apply_prefs(controller.prefs.with_changes(update_checked_at=None))
    assert controller.updates.maybe_check() is False
    qtbot.wait(200)
    assert len(feed.requests) == 1
    controller.quit()
    qtbot.waitUntil(lambda: controller._finished, timeout=SYNC_TIMEOUT_MS)
    again = make_gui(env=feed_env(sandbox, feed))  # switched off survives a restart
    wait_configured(qtbot, again)
    qtbot.wait(300)
    assert len(feed.requests) == 1 and not again.window.menus.auto_updates.isChecked()


def test_nothing_newer_and_manual_check_answer_in_the_status_bar(
        make_gui: Any, qtbot: Any, sandbox: Sandbox, feed: SlowFeed) -> None:
    feed.publish(f"v{__version__}")
    controller = make_gui(env=feed_env(sandbox, feed))
    wait_configured(qtbot, controller)
    qtbot.waitUntil(lambda: len(feed.requests) == 1 and not controller.updates.busy, timeout=SYNC_TIMEOUT_MS)
    assert controller.updates.release is None and not controller.window.update_banner.isVisibleTo(controller.window)
    controller.window.menus.check_updates.trigger()  # «Проверить обновления»: asks even within the day
    qtbot.waitUntil(lambda: "последняя версия" in controller.window.statusBar().currentMessage(),
                    timeout=SYNC_TIMEOUT_MS)
    assert len(feed.requests) == 2


def test_a_slow_feed_never_blocks_the_window(make_gui: Any, qtbot: Any, sandbox: Sandbox, feed: SlowFeed) -> None:
    feed.publish("v9.1.0")
    feed.delay = 2.0
    controller = make_gui(env=feed_env(sandbox, feed))
    wait_configured(qtbot, controller)
    qtbot.waitUntil(lambda: controller.updates.busy, timeout=SYNC_TIMEOUT_MS)
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    qtbot.waitUntil(lambda: controller.updates.release is not None, timeout=SYNC_TIMEOUT_MS)
    timer.stop()
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert len(ticks) > 30 and max(gaps) < 0.5  # the event loop kept running while the feed was slow
