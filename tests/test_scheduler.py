"""The scheduler shared by `kaspi-amo run` and the tray: cadence, no overlap, pause, catch-up, stop."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from app.scheduler import SyncScheduler
from app.sync.events import CycleReport


class FakeEngine:
    def __init__(self, cycle_seconds: float = 0.0, crash_first: bool = False) -> None:
        self.calls: list[str] = []
        self.active = 0
        self.max_active = 0
        self.stop_requested = False
        self.cycle_seconds = cycle_seconds
        self.crash_first = crash_first
        self.done = threading.Condition()

    def _cycle(self, kind: str) -> CycleReport:
        self.active += 1
        self.max_active = max(self.max_active, self.active)
        try:
            if self.crash_first:
                self.crash_first = False
                raise RuntimeError("boom")
            time.sleep(self.cycle_seconds)
            return CycleReport(kind=kind, started_at=datetime.now(UTC))
        finally:
            self.active -= 1
            with self.done:
                self.calls.append(kind)
                self.done.notify_all()

    def poll(self) -> CycleReport:
        return self._cycle("poll")

    def reconcile(self) -> CycleReport:
        return self._cycle("reconcile")

    def request_stop(self) -> None:
        self.stop_requested = True

    def wait_calls(self, count: int, timeout: float = 5.0) -> list[str]:
        with self.done:
            assert self.done.wait_for(lambda: len(self.calls) >= count, timeout), self.calls
            return list(self.calls)


def test_cadence_is_a_minute_and_ten_minutes():
    scheduler = SyncScheduler(FakeEngine(), run_at_start=False)
    periods = sorted(job.interval * {"seconds": 1}[job.unit] for job in scheduler._jobs.jobs)
    assert periods == [60, 60, 600]  # poll, the minute hook (alerts/heartbeat), reconcile


def test_starts_with_poll_then_reconcile_and_stops_cleanly():
    engine = FakeEngine()
    scheduler = SyncScheduler(engine, tick_seconds=0.01)
    thread = scheduler.start()
    assert engine.wait_calls(2) == ["poll", "reconcile"]
    scheduler.stop()
    assert engine.stop_requested and not thread.is_alive()


def test_cycles_never_overlap_even_with_many_sync_now_requests():
    engine = FakeEngine(cycle_seconds=0.02)
    scheduler = SyncScheduler(engine, tick_seconds=0.01, run_at_start=False)
    scheduler.start()
    for _ in range(8):
        scheduler.run_now()
    engine.wait_calls(8)
    scheduler.stop()
    assert engine.max_active == 1


def test_pause_skips_scheduled_cycles_but_sync_now_still_works():
    engine = FakeEngine()
    scheduler = SyncScheduler(engine, tick_seconds=0.01)
    scheduler.pause()  # before the start-up cycles are taken
    scheduler._queue.queue.clear()
    scheduler.start()
    scheduler._enqueue("poll")  # what the timer would do
    time.sleep(0.1)
    assert engine.calls == []
    scheduler.run_now()
    assert engine.wait_calls(1) == ["poll"]
    scheduler.resume()
    assert engine.wait_calls(2) == ["poll", "poll"]
    scheduler.stop()


def test_clock_jump_triggers_catch_up():
    engine = FakeEngine()
    wall = [1000.0]
    scheduler = SyncScheduler(engine, tick_seconds=0.01, run_at_start=False, wall_clock=lambda: wall[0])
    scheduler.start()
    time.sleep(0.05)
    wall[0] += 3600  # the laptop slept for an hour: wall time moved, monotonic did not
    assert engine.wait_calls(2) == ["poll", "reconcile"]
    scheduler.stop()


def test_a_crashing_cycle_does_not_kill_the_loop():
    engine = FakeEngine(crash_first=True)
    scheduler = SyncScheduler(engine, tick_seconds=0.01)
    scheduler.start()
    assert engine.wait_calls(2) == ["poll", "reconcile"]
    scheduler.stop()
