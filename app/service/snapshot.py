"""What the HTTP endpoints show, read from the store in one go, and the readiness rule.

The store is the truth shared by every process on it (a cron poll, the daemon, the tray),
so the endpoints read it at request time instead of counting in memory: /metrics says the
same whichever process wrote the orders. Reads only; never a migration or a write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from app.store.base import OrderRecord, StatsTotals, Store
from app.sync.deadlines import DeadlineRules
from app.sync.status import StatusSnapshot, read_status


@dataclass(frozen=True)
class ServiceSnapshot:
    status: StatusSnapshot
    totals: StatsTotals
    read_at: datetime
    recent: list[OrderRecord] = field(default_factory=list)


def read_snapshot(store: Store, now: datetime, *, recent: int = 0, rules: DeadlineRules | None = None) -> ServiceSnapshot:
    """The status (as `kaspi-amo status`, with the orders waiting for the shop under `rules`),
    the all-time totals and, for the page, the newest `recent` orders."""
    return ServiceSnapshot(
        status=read_status(store, now, rules),
        totals=store.totals(),
        read_at=now,
        recent=store.recent_orders(recent) if recent else [],
    )


def parse_time(value: str | None) -> datetime | None:
    """An ISO timestamp from the store's meta, or None when absent or unreadable."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


@dataclass(frozen=True)
class Readiness:
    ready: bool
    code: str  # "ok", "no_success_yet", "stale", "store_unavailable"
    last_success_at: str | None
    age_seconds: float | None
    heartbeat_minutes: int
    fail_streak: int = 0
    last_error: str | None = None

    def to_json(self, reason: str) -> dict[str, Any]:
        return {
            "ready": self.ready,
            "code": self.code,
            "reason": reason,
            "last_success_at": self.last_success_at,
            "age_seconds": None if self.age_seconds is None else round(self.age_seconds, 1),
            "heartbeat_minutes": self.heartbeat_minutes,
            "fail_streak": self.fail_streak,
            "last_error": self.last_error,
        }


def readiness(status: StatusSnapshot, now: datetime, heartbeat_minutes: int) -> Readiness:
    """Ready while the last successful cycle is younger than ALERT_HEARTBEAT_MINUTES: the
    same clock the heartbeat alert watches, so the probe and the alert agree."""
    last = parse_time(status.last_success_at)
    age = None if last is None else (now - last).total_seconds()
    if age is None:
        ready, code = False, "no_success_yet"
    elif age >= timedelta(minutes=heartbeat_minutes).total_seconds():
        ready, code = False, "stale"
    else:
        ready, code = True, "ok"
    return Readiness(ready, code, status.last_success_at, age, heartbeat_minutes, status.fail_streak, status.last_error)
