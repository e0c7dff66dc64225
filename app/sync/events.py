"""What a sync cycle reports, and the observer the CLI and the GUI listen through.

The engine calls an `EngineObserver`; the CLI prints, the GUI re-emits Qt signals
(Dangerzone's hook pattern). No Qt here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.errors import SyncError
from app.sync.mapping import DealPlan


@dataclass
class OrderFailure:
    code: str
    message: str  # one clear line for stderr, the tray and alerts
    quarantined: bool = False
    error: SyncError | None = None  # its kind, for screens that explain it in another language


@dataclass
class CycleReport:
    kind: str  # "poll" or "reconcile"
    started_at: datetime
    finished_at: datetime | None = None
    dry_run: bool = False
    fetched: int = 0  # orders read from Kaspi
    created: list[tuple[str, int]] = field(default_factory=list)  # (code, lead id)
    updated: list[tuple[str, int]] = field(default_factory=list)
    failed: list[OrderFailure] = field(default_factory=list)
    planned: list[DealPlan] = field(default_factory=list)  # dry run: what would be written
    error: SyncError | None = None  # the cycle itself failed (Kaspi down, amoCRM auth…)
    left_pending: list[str] = field(default_factory=list)  # codes a failed cycle left for the next run
    kaspi_requests: int = 0
    amo_requests: int = 0
    skipped_lock: bool = False
    actions: dict[str, int] = field(default_factory=dict)  # Kaspi actions by outcome (done, refused, …)
    action_lines: list[str] = field(default_factory=list)  # dry run: what would go to Kaspi and amoCRM
    tasks: list[tuple[str, str, int]] = field(default_factory=list)  # deadline tasks made: (code, kind, task id)

    @property
    def ok(self) -> bool:
        return self.error is None and not self.failed


class EngineObserver:
    """No-op hooks; override what you need. Called on the engine's thread."""

    def cycle_started(self, kind: str) -> None: ...

    def order_synced(self, code: str, lead_id: int, plan: DealPlan) -> None: ...

    def order_failed(self, failure: OrderFailure) -> None: ...

    def cycle_finished(self, report: CycleReport) -> None: ...
