"""A snapshot of the store for `kaspi-amo status`, the tray tooltip and alerts."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from app.store.base import Store
from app.sync.engine import (
    META_FAIL_STREAK,
    META_HEARTBEAT,
    META_LAST_ERROR,
    META_LAST_POLL,
    META_LAST_RECONCILE,
    META_LAST_SUCCESS,
)


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

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def read_status(store: Store, now: datetime) -> StatusSnapshot:
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
    )


def format_status(status: StatusSnapshot) -> str:
    """Human-readable lines (Russian, like the rest of the user-facing text)."""
    def when(value: str | None) -> str:
        return value.replace("T", " ").split(".")[0].replace("+00:00", " UTC") if value else "ещё не было"

    lines = [
        f"Обработано заказов:   {status.processed_total}",
        f"Очередь (ожидают/ошибки): {status.backlog} ({status.pending}/{status.failed})",
        f"На карантине:         {status.quarantined}",
        f"Последний опрос:      {when(status.last_poll_at)}",
        f"Последняя сверка:     {when(status.last_reconcile_at)}",
        f"Последний успех:      {when(status.last_success_at)}",
        f"Ошибок подряд:        {status.fail_streak}",
        f"Сегодня ({status.today['date']}): создано {status.today['created']}, "
        f"обновлено {status.today['updated']}, ошибок {status.today['failed']}",
    ]
    if status.last_error:
        lines.append(f"Последняя ошибка:     {status.last_error}")
    return "\n".join(lines)
