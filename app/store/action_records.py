"""The rows of the Kaspi action queue and of the deals' last-seen state (app.store.actions),
as plain records the engine passes around. No database code here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

OPEN = ("planned", "sent")
FINISHED = ("done", "refused", "skipped")


@dataclass
class ActionRecord:
    """One Kaspi write the actions decided on (kind and state as plain strings)."""

    order_code: str
    lead_id: int | None
    kind: str
    cause: str  # what asked for it: "stage:<id>", "loss:<id>", "field", "auto"
    params: dict[str, Any] = field(default_factory=dict)  # places, reason, code_hash — never a code
    state: str = "planned"
    answer: str | None = None  # Kaspi's answer, or why nothing was sent
    noted: bool = False
    attempts: int = 0
    id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass
class DealSeen:
    lead_id: int
    order_code: str
    status_id: int | None = None
    loss_reason_id: int | None = None
    code_hash: str | None = None
    waybill_noted: bool = False
