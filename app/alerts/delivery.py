"""Each alert channel's last delivery: delivered or not, when, and why not.

A Telegram token revoked in @BotFather or an expired mail password used to lose a real
alert with only a log line to show for it. The manager records every attempt here (store
meta, so cron runs and the tray app see the same thing) and the window shows it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.store.base import Store

META_ALERT_DELIVERIES = "alert_deliveries"


@dataclass(frozen=True)
class Delivery:
    channel: str  # "telegram", "email", "desktop"
    ok: bool
    at: datetime
    error: str | None = None  # the channel's user-facing reason (Russian, as ChannelError)
    alert_kind: str | None = None  # which alert it carried (fail_streak, backlog, heartbeat)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "at": self.at.isoformat(), "error": self.error, "alert_kind": self.alert_kind}


def read_deliveries(store: Store) -> dict[str, Delivery]:
    """Channel name → its last delivery; an unreadable record counts as none."""
    raw = store.get_meta(META_ALERT_DELIVERIES)
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    found: dict[str, Delivery] = {}
    if not isinstance(data, dict):
        return found
    for channel, item in data.items():
        if not isinstance(item, dict):
            continue
        try:
            at = datetime.fromisoformat(str(item.get("at")))
        except ValueError:
            continue
        error = item.get("error")
        kind = item.get("alert_kind")
        found[str(channel)] = Delivery(str(channel), bool(item.get("ok")), at, error if isinstance(error, str) else None,
                                       kind if isinstance(kind, str) else None)
    return found


def record_deliveries(store: Store, deliveries: list[Delivery]) -> None:
    """Keep the newest delivery per channel (the others' records stay as they were)."""
    if not deliveries:
        return
    current = {name: d.to_dict() for name, d in read_deliveries(store).items()}
    for delivery in deliveries:
        current[delivery.channel] = delivery.to_dict()
    store.set_meta(META_ALERT_DELIVERIES, json.dumps(current, ensure_ascii=False, sort_keys=True))
