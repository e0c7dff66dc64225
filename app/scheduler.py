"""Poll and reconcile on a cadence (POLL_INTERVAL_SECONDS, RECONCILE_INTERVAL_MINUTES), on one
background thread.

Shared by `kaspi-amo run` and the tray app's worker, so both behave the same. Cycles run
one at a time on this thread, so a run never overlaps itself; "Sync now" requests are
queued onto it. The `schedule` library keeps the cadence (a private Scheduler instance,
not the module-level default). A wall-clock jump past what the monotonic clock saw
(sleep/resume, a suspended VM) triggers an immediate catch-up, as Vorta does.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

import schedule

from app.config import Settings
from app.sync.events import CycleReport

log = logging.getLogger(__name__)

POLL = "poll"
RECONCILE = "reconcile"


class CycleRunner(Protocol):
    def poll(self) -> CycleReport: ...

    def reconcile(self) -> CycleReport: ...

    def request_stop(self) -> None: ...


class SyncScheduler:
    def __init__(
        self,
        engine: CycleRunner,
        *,
        poll_seconds: int = 60,
        reconcile_seconds: int = 600,
        jump_seconds: float = 120.0,
        tick_seconds: float = 0.5,
        wall_clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        on_report: Callable[[CycleReport], None] | None = None,
        on_minute: Callable[[], object] | None = None,  # its result is ignored
        run_at_start: bool = True,
    ) -> None:
        self.engine = engine
        self.poll_seconds = poll_seconds
        self.reconcile_seconds = reconcile_seconds
        self.jump_seconds = jump_seconds
        self.tick_seconds = tick_seconds
        self.wall_clock = wall_clock
        self.monotonic = monotonic
        self.on_report = on_report or (lambda report: None)
        self.on_minute = on_minute or (lambda: None)
        self._jobs = schedule.Scheduler()
        self._jobs.every(poll_seconds).seconds.do(self._enqueue, POLL)
        self._jobs.every(reconcile_seconds).seconds.do(self._enqueue, RECONCILE)
        self._jobs.every(60).seconds.do(self._minute)
        self._queue: queue.Queue[str] = queue.Queue()
        self._stop = threading.Event()
        self._paused = threading.Event()
        self._thread: threading.Thread | None = None
        self.running_kind: str | None = None
        self.last_report: CycleReport | None = None
        if run_at_start:
            self._enqueue(POLL)
            self._enqueue(RECONCILE)

    # --- control (any thread) -----------------------------------------------------------

    def run_now(self, kind: str = POLL) -> None:
        """Queue a cycle (Sync now); it runs after the current one, also while paused."""
        self._queue.put(kind)

    def pause(self) -> None:
        self._paused.set()

    def resume(self) -> None:
        if self._paused.is_set():
            self._paused.clear()
            self._enqueue(POLL)

    @property
    def paused(self) -> bool:
        return self._paused.is_set()

    def seconds_to_next_poll(self) -> float | None:
        idle = self._jobs.idle_seconds
        return None if idle is None else max(0.0, idle)

    def start(self) -> threading.Thread:
        self._thread = threading.Thread(target=self.run_forever, name="sync-scheduler", daemon=True)
        self._thread.start()
        return self._thread

    def stop(self, *, timeout: float | None = 60.0) -> None:
        """Finish the current batch, then end the loop (SIGINT/SIGTERM, Quit)."""
        self._stop.set()
        self.engine.request_stop()
        self._queue.put("")  # wake the loop
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    # --- the loop (scheduler thread) ----------------------------------------------------

    def _enqueue(self, kind: str) -> None:
        if not self._paused.is_set():
            self._queue.put(kind)

    def _minute(self) -> None:
        try:
            self.on_minute()
        except Exception:  # a hook (alerts) must never stop syncing
            log.exception("minute hook failed")

    def run_forever(self) -> None:
        last_wall, last_mono = self.wall_clock(), self.monotonic()
        while not self._stop.is_set():
            wall, mono = self.wall_clock(), self.monotonic()
            if (wall - last_wall) - (mono - last_mono) > self.jump_seconds:
                log.info("clock jumped (sleep/resume?): catching up now", extra={"gap_seconds": round(wall - last_wall)})
                self._enqueue(POLL)
                self._enqueue(RECONCILE)
            last_wall, last_mono = wall, mono
            if not self._paused.is_set():
                self._jobs.run_pending()
            try:
                kind = self._queue.get(timeout=self.tick_seconds)
            except queue.Empty:
                continue
            if kind and not self._stop.is_set():
                self._run(kind)

    def _run(self, kind: str) -> None:
        self.running_kind = kind
        try:
            report = self.engine.poll() if kind == POLL else self.engine.reconcile()
        except Exception:  # never let one broken cycle kill the daemon
            log.exception("cycle crashed", extra={"kind": kind})
            return
        finally:
            self.running_kind = None
        self.last_report = report
        try:
            self.on_report(report)
        except Exception:
            log.exception("report hook failed")


def scheduler_for(
    settings: Settings,
    engine: CycleRunner,
    on_report: Callable[[CycleReport], None] | None = None,
    on_minute: Callable[[], object] | None = None,
    **options: Any,
) -> SyncScheduler:
    """The scheduler at the configured cadence: `kaspi-amo run` and the tray app both use it."""
    return SyncScheduler(
        engine,
        poll_seconds=settings.poll_interval_seconds,
        reconcile_seconds=settings.reconcile_interval_minutes * 60,
        on_report=on_report,
        on_minute=on_minute,
        **options,
    )
