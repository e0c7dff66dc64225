"""A snapshot of the store for `kaspi-amo status`, the tray tooltip and alerts."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from app.store.action_records import ActionRecord
from app.store.base import Store
from app.sync.actions_run import META_PAUSED
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
    kaspi_actions: dict[str, Any] = field(default_factory=dict)  # two-way: pending/refused/done/skipped/paused

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


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
        kaspi_actions=action_counts(store),
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
    actions = status.kaspi_actions
    if actions and any(actions.get(k) for k in ("pending", "refused", "done", "skipped", "paused")):
        lines.append(f"Действия Kaspi:       ждут {actions['pending']}, отказано {actions['refused']}, "
                     f"выполнено {actions['done']}, не отправлено {actions['skipped']}")
        if actions.get("paused"):
            lines.append(f"Действия Kaspi приостановлены: {actions['paused']}")
    if status.last_error:
        lines.append(f"Последняя ошибка:     {status.last_error}")
    return "\n".join(lines)
