"""What every step of one cycle shares: its store, report, observer, clock, dry-run flag and
stop signal.

Why one object: the poll's and reconcile's steps (poll.collect_work, DealWriter, Reconciler,
ActionRunner, DeadlineRunner) all write to the same store, add to the same report, tell the same
observer and stop on the same signal. The engine builds one `Cycle` per cycle and hands it to each
step, so a step's constructor names only what is its own (its ports and settings), and the
shared parts cannot drift apart between steps (one step dry, another not).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from app.store.base import Store
from app.sync.events import CycleReport, EngineObserver, OrderFailure


@dataclass(frozen=True)
class Cycle:
    store: Store
    report: CycleReport
    observer: EngineObserver
    now: Callable[[], datetime]
    dry_run: bool
    stop: threading.Event  # set (SIGTERM, Quit): finish the batch at hand, then stop

    def fail(self, failure: OrderFailure) -> None:
        """An order failed this cycle: the report (summary, alerts) and the observer (tray, CLI)
        both hear of it, always together."""
        self.report.failed.append(failure)
        self.observer.order_failed(failure)
