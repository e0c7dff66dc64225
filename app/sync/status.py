"""A snapshot of the store for `kaspi-amo status`, the tray tooltip and alerts.

The CLI's text form is app/cli_report.py (translated); here only the data and its JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from app.clock import stored_utc
from app.store.action_records import ActionRecord
from app.store.base import Store
from app.sync.actions_run import META_PAUSED
from app.sync.deadline_view import DeadlinesView, read_deadlines
from app.sync.deadlines import DeadlineRules
from app.sync.engine import (
    META_FAIL_STREAK,
    META_HEARTBEAT,
    META_LAST_ERROR,
    META_LAST_POLL,
    META_LAST_RECONCILE,
    META_LAST_SUCCESS,
)
from app.sync.quality import load_quality


@dataclass
class StatusSnapshot:
    processed_total: int
    backlog: int
    pending: int
    failed: int
    quarantined: int
    last_poll_at: str | None
    last_reconcile_at: str | None
    last_success_at: str | None
    heartbeat_at: str | None
    fail_streak: int
    last_error: str | None
    today: dict[str, Any]
    kaspi_actions: dict[str, Any] = field(default_factory=dict)  # two-way: pending/refused/done/skipped/paused
    # Kaspi's clocks: the orders waiting for the shop and the last seller-quality read
    deadlines: DeadlinesView = field(default_factory=DeadlinesView)

    def to_json(self) -> dict[str, Any]:
        """The snapshot with every time in UTC as ISO 8601 with a "Z" (what monitoring parses)."""
        data = {key: value for key, value in asdict(self).items() if key != "deadlines"}
        for key in TIME_FIELDS:
            data[key] = utc_iso(data[key])
        return {**data, **deadlines_json(self.deadlines)}


def deadlines_json(view: DeadlinesView) -> dict[str, Any]:
    """`waiting`: the orders the shop must accept or hand over, soonest first, with Kaspi's
    deadline (UTC) and whether the alert threshold has passed; `quality`: the last 30-day
    cancellation figures as `kaspi-amo quality --json` gives them, or null before the first read.
    No buyer names or phones: monitoring needs none."""
    quality = view.quality
    return {
        "waiting": [{"code": row.code, "kind": row.kind, "deadline": utc_iso(row.deadline.isoformat()),
                     "alarming": row.alarming, "express": row.express, "lead_id": row.lead_id}
                    for row in view.waiting],
        "quality": None if quality is None else {**quality.to_json(), "measured_at": utc_iso(quality.until.isoformat())},
    }


TIME_FIELDS = ("last_poll_at", "last_reconcile_at", "last_success_at", "heartbeat_at")


def utc_iso(value: str | None) -> str | None:
    """A stored time as "2026-12-06T22:22:42.493989Z" (its full precision: monitoring compares it
    with the metrics' timestamp); a naive one is UTC (the store writes UTC only);
    text that is not a time is passed through rather than hidden."""
    if not value:
        return None
    moment = stored_utc(value)
    if moment is None:
        return value
    return moment.isoformat().replace("+00:00", "Z")


def action_counts(store: Store) -> dict[str, Any]:
    """The Kaspi action queue in numbers: pending (planned or sent), refused, done, skipped,
    and whether the actions are paused (Kaspi refused the merchant ID)."""
    by_state = store.action_counts()
    paused_raw = store.get_meta(META_PAUSED)
    paused = None
    if paused_raw:
        try:
            paused = json.loads(paused_raw).get("message")
        except (ValueError, AttributeError):
            paused = paused_raw
    return {
        "pending": by_state.get("planned", 0) + by_state.get("sent", 0),
        "refused": by_state.get("refused", 0),
        "done": by_state.get("done", 0),
        "skipped": by_state.get("skipped", 0),
        "paused": paused,
    }


def recent_kaspi_actions(store: Store, limit: int = 20) -> list[ActionRecord]:
    """The newest Kaspi actions still waiting or refused (for the tray window)."""
    return store.recent_actions(("planned", "sent", "refused"), limit)


def read_status(store: Store, now: datetime, rules: DeadlineRules | None = None) -> StatusSnapshot:
    """The store's counters and times; with `rules` (the shop's ALERT_ACCEPT_MINUTES and
    ALERT_HANDOVER_HOURS) also the orders waiting for the shop and the seller quality."""
    counts = store.counts()
    day = store.daily(now.date())
    return StatusSnapshot(
        processed_total=counts.processed,
        backlog=counts.backlog,
        pending=counts.pending,
        failed=counts.failed,
        quarantined=counts.quarantined,
        last_poll_at=store.get_meta(META_LAST_POLL),
        last_reconcile_at=store.get_meta(META_LAST_RECONCILE),
        last_success_at=store.get_meta(META_LAST_SUCCESS),
        heartbeat_at=store.get_meta(META_HEARTBEAT),
        fail_streak=int(store.get_meta(META_FAIL_STREAK) or 0),
        last_error=store.get_meta(META_LAST_ERROR),
        today={"date": day.day.isoformat(), "created": day.created, "updated": day.updated, "failed": day.failed},
        kaspi_actions=action_counts(store),
        deadlines=read_deadlines(store, now, rules) if rules is not None else DeadlinesView(quality=load_quality(store)),
    )

