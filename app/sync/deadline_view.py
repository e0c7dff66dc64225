"""What the tray window shows of Kaspi's clocks, read from the store only (no Qt, no network):
the orders waiting for the shop with their deadlines, and the last seller-quality figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.store.base import Store
from app.sync.deadlines import WATCHED_STATUSES, DeadlineRules, waiting
from app.sync.quality import Quality, load_quality


@dataclass(frozen=True)
class WaitingRow:
    code: str
    kind: str  # "accept" or "handover"
    deadline: datetime
    alarming: bool  # past the alert threshold: the tray warns
    express: bool
    buyer_name: str | None
    lead_id: int | None


@dataclass(frozen=True)
class DeadlinesView:
    waiting: tuple[WaitingRow, ...] = ()
    quality: Quality | None = None

    @property
    def alarming(self) -> int:
        """Orders past ALERT_ACCEPT_MINUTES (or within ALERT_HANDOVER_HOURS of the courier)."""
        return sum(1 for row in self.waiting if row.alarming)


def read_deadlines(store: Store, now: datetime, rules: DeadlineRules, *, limit: int = 50) -> DeadlinesView:
    """Two reads: the open watches (orders Kaspi may still change) and their order rows."""
    rows = waiting(store.open_watches(WATCHED_STATUSES), now, rules)[:limit]
    records = store.get_orders(row.code for row in rows) if rows else {}
    shown = []
    for row in rows:
        record = records.get(row.code)
        shown.append(WaitingRow(row.code, row.kind, row.deadline, row.overdue_alert, row.express,
                                record.buyer_name if record else None, record.lead_id if record else None))
    return DeadlinesView(tuple(shown), load_quality(store))
