"""What the store keeps for deadlines (migration 004): Kaspi's latest view of an order and
the reminders decided for it. Plain dataclasses, shared by the store and the pure rules in
app/sync/deadlines.py (the store never imports app.sync)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

#: OrderWatch.delivery values
KASPI_DELIVERY = "kaspi_delivery"  # isKaspiDelivery: a courier picks it up (or a Postomat)
PICKUP = "pickup"  # the buyer collects it from the shop
OTHER = "other"  # the shop's own delivery

#: DeadlineEvent.kind values
ACCEPT = "accept"  # accept the order before Kaspi cancels it
HANDOVER = "handover"  # pack a Kaspi Delivery order before the courier's planned pick-up
PICKUP_REMINDER = "pickup"  # remind the buyer to collect a pickup order
HANDOVER_MOVED = "handover_moved"  # a note: Kaspi moved the planned handover
HANDOVER_RETIMED = "handover_retimed"  # the open handover task moved to the new time (PATCH)

#: DeadlineEvent.state values
PLANNED = "planned"  # recorded, nothing sent yet (also: waiting for the order's deal)
SENDING = "sending"  # the request is (or was) on its way: look before sending again
DONE = "done"  # amoCRM holds the task (or note); task_id set
DROPPED = "dropped"  # will not be sent (the deal is gone, or the order moved on first)
OPEN_STATES = (PLANNED, SENDING)


@dataclass(frozen=True)
class OrderWatch:
    code: str
    status: str
    state: str
    created_at: datetime  # Kaspi creationDate (UTC)
    delivery: str  # KASPI_DELIVERY | PICKUP | OTHER
    express: bool = False
    assembled: bool = False
    handover_planned_at: datetime | None = None  # kaspiDelivery.courierTransmissionPlanningDate
    handed_over_at: datetime | None = None  # kaspiDelivery.courierTransmissionDate
    status_since: datetime | None = None  # the earliest moment the current status may have begun
    seen_at: datetime | None = None  # when Kaspi last showed the order


@dataclass
class DeadlineEvent:
    order_code: str
    kind: str
    key: str = ""  # tells apart several events of one kind (the new date of a moved handover)
    text: str = ""  # the task's text (or the note's), fixed when decided: recovery looks it up
    due_at: datetime | None = None  # the task's complete_till
    lead_id: int | None = None
    state: str = PLANNED
    task_id: int | None = None  # the amoCRM task (or note) id once done
    attempts: int = 0
    error: str | None = None
    alert: dict[str, str] | None = None  # channel → "trying" | "ok" | "failed:N"; None: no alert
    id: int | None = None
    created_at: datetime | None = None
    extra: dict[str, object] = field(default_factory=dict, compare=False)  # in-memory only

    @property
    def ident(self) -> tuple[str, str, str]:
        return self.order_code, self.kind, self.key
