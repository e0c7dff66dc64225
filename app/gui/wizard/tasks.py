"""Runs the wizard's checks off the GUI thread and hands results back through a Qt signal.

Each page owns one `Tasks`; a newer request makes older answers stale (the owner changed a
field or left the page), so a slow Kaspi answer can never overwrite a fresher one.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)


class Tasks(QObject):
    _finished = Signal(int, object, object)  # ticket, result, error

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tickets = itertools.count(1)
        self._current = 0
        self._callbacks: dict[int, tuple[Callable[[Any], None], Callable[[BaseException], None]]] = {}
        self._finished.connect(self._deliver)  # queued: emitted on a worker thread

    @property
    def busy(self) -> bool:
        return self._current in self._callbacks

    def run(self, job: Callable[[], Any], on_done: Callable[[Any], None],
            on_error: Callable[[BaseException], None]) -> int:
        """Start `job` on a daemon thread (a check may wait minutes for a browser)."""
        ticket = next(self._tickets)
        self._current = ticket
        self._callbacks[ticket] = (on_done, on_error)

        def work() -> None:
            try:
                result, error = job(), None
            except BaseException as exc:
                result, error = None, exc
                if not isinstance(exc, Exception):
                    raise
            with contextlib.suppress(RuntimeError):  # the page is gone (wizard closed): nobody to tell
                self._finished.emit(ticket, result, error)

        threading.Thread(target=work, name="wizard-check", daemon=True).start()
        return ticket

    def cancel(self) -> None:
        """Forget every running job's answer."""
        self._current = 0
        self._callbacks.clear()

    def _deliver(self, ticket: int, result: Any, error: BaseException | None) -> None:
        callbacks = self._callbacks.pop(ticket, None)
        if callbacks is None or ticket != self._current:
            return
        on_done, on_error = callbacks
        if error is None:
            on_done(result)
        else:
            if not hasattr(error, "message"):
                log.warning("wizard check failed", exc_info=error)
            on_error(error)
