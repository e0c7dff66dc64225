"""Kaspi's clocks as pure rules over the store's view of each order (no I/O, clocks passed in).

Kaspi's rules (its «Руководство по обработке Заказа и выдаче Товара», §4.2, §4.6, §5.1, §8):
a new order must be accepted within 3 working hours of its arrival (Express: 60 minutes),
else Kaspi cancels it as «нет в наличии» (MERCHANT_OUT_OF_STOCK) and counts it against the
shop; a Kaspi Delivery order must be packed and handed over by the planned date; a pickup
order not collected within 3 working days of acceptance is cancelled. Working hours are the
shop's own (set in the Kaspi cabinet), which this program cannot read, so the fixed times of
docs/contract.md are the rule and the texts name Kaspi's real ones.

All instants are aware UTC. Times shown to people are Kazakhstan time (UTC+5, one zone for
the whole country since 2024-03-01), which is what Kaspi's cabinet shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app.clock import kz_clock
from app.kaspi.models import Order
from app.store.deadline_records import (
    ACCEPT,
    HANDOVER,
    HANDOVER_MOVED,
    HANDOVER_RETIMED,
    KASPI_DELIVERY,
    OTHER,
    PICKUP,
    PICKUP_REMINDER,
    OrderWatch,
)

APPROVED = "APPROVED_BY_BANK"
ACCEPTED = "ACCEPTED_BY_MERCHANT"
#: Orders the rules may still act on; every other status is finished as far as they care.
WATCHED_STATUSES = (APPROVED, ACCEPTED)
PICKUP_MODES = frozenset({"DELIVERY_PICKUP", "DELIVERY_REGIONAL_PICKUP"})

#: Kaspi's acceptance window as the contract fixes it (Kaspi: 3 working hours; Express 60 min).
ACCEPT_WINDOW = timedelta(hours=3)
#: A pickup order is reminded about after 2 days; Kaspi cancels after 3 working days.
PICKUP_REMIND_AFTER = timedelta(days=2)
PICKUP_WINDOW = timedelta(days=3)
#: The window lists an unaccepted order at most this long: even over a long weekend Kaspi has
#: cancelled it by then, so an older one is a view nobody refreshed (a quarantined order).
LIST_ACCEPT_FOR = timedelta(days=3)


@dataclass(frozen=True)
class DeadlineRules:
    """The settings: None switches a rule off (ALERT_ACCEPT_MINUTES=0, ALERT_HANDOVER_HOURS=0)."""

    accept_after: timedelta | None = timedelta(minutes=60)
    handover_before: timedelta | None = timedelta(hours=4)
    pickup_after: timedelta | None = PICKUP_REMIND_AFTER

    @classmethod
    def from_settings(cls, accept_minutes: int, handover_hours: int) -> DeadlineRules:
        return cls(
            accept_after=timedelta(minutes=accept_minutes) if accept_minutes > 0 else None,
            handover_before=timedelta(hours=handover_hours) if handover_hours > 0 else None,
        )


@dataclass(frozen=True)
class Due:
    """A reminder the rules decided: a task on the order's deal (or, for a moved handover, a note)."""

    code: str
    kind: str
    complete_till: datetime | None  # the task's deadline (None for a note)
    text: str
    key: str = ""
    alert: bool = True  # also tell the owner through the alert channels


@dataclass(frozen=True)
class Waiting:
    """An order the owner must act on, for the window's list and the tray icon."""

    code: str
    kind: str  # ACCEPT or HANDOVER
    deadline: datetime  # when Kaspi's clock runs out (as the contract counts it)
    overdue_alert: bool  # past the alert threshold: the tray shows a warning
    express: bool = False

    def left(self, now: datetime) -> timedelta:
        return self.deadline - now


# --- the store's view of an order --------------------------------------------------------------


def delivery_of(order: Order) -> str:
    if order.is_kaspi_delivery:
        return KASPI_DELIVERY
    if order.state == "PICKUP" or (order.delivery_mode or "") in PICKUP_MODES:
        return PICKUP
    return OTHER


def _extra_time(order: Order, key: str) -> datetime | None:
    value = order.extra.get(key)
    return value if isinstance(value, datetime) else None


def observe(previous: OrderWatch | None, order: Order, now: datetime) -> OrderWatch:
    """The watch after Kaspi showed `order` at `now`. Kaspi sends no status-change dates, so a
    changed status is taken to have begun right after the previous sighting (the earliest it
    can have), and an order first seen in some status to have been in it since creation."""
    if previous is None:
        since = order.created_at
    elif previous.status != order.status:
        since = previous.seen_at or now
    else:
        since = previous.status_since or order.created_at
    return OrderWatch(
        code=order.code,
        status=order.status,
        state=order.state,
        created_at=order.created_at,
        delivery=delivery_of(order),
        express=bool(order.extra.get("express")),
        assembled=bool(order.extra.get("assembled")),
        handover_planned_at=_extra_time(order, "courier_transmission_planning_date"),
        handed_over_at=_extra_time(order, "courier_transmission_date"),
        status_since=since,
        seen_at=now,
    )


def same_facts(a: OrderWatch, b: OrderWatch) -> bool:
    """Equal apart from when they were seen (then only seen_at needs writing)."""
    return (a.status, a.state, a.created_at, a.delivery, a.express, a.assembled, a.handover_planned_at,
            a.handed_over_at, a.status_since) == (b.status, b.state, b.created_at, b.delivery, b.express,
                                                  b.assembled, b.handover_planned_at, b.handed_over_at,
                                                  b.status_since)


def awaiting_handover(watch: OrderWatch) -> bool:
    """A Kaspi Delivery order accepted, not assembled and not yet handed to the courier."""
    return (watch.delivery == KASPI_DELIVERY and watch.status == ACCEPTED and not watch.assembled
            and watch.handed_over_at is None and watch.handover_planned_at is not None)


def handover_moved(previous: OrderWatch | None, current: OrderWatch) -> bool:
    """Kaspi changed the planned handover of an order still to be handed over."""
    return (previous is not None and previous.handover_planned_at is not None
            and current.handover_planned_at is not None
            and previous.handover_planned_at != current.handover_planned_at
            and current.status == ACCEPTED and current.handed_over_at is None)


# --- what is due ------------------------------------------------------------------------------------


def accept_text(watch: OrderWatch, deadline: datetime) -> str:
    express = (" Это заказ Express: для него Kaspi даёт всего 60 минут с поступления — примите его "
               "немедленно." if watch.express else "")
    return (f"Принять заказ Kaspi #{watch.code} до {kz_clock(deadline)} (время Казахстана). Заказ поступил "
            f"в {kz_clock(watch.created_at)} и всё ещё ждёт принятия. Kaspi отменяет непринятый заказ через 3 "
            "рабочих часа магазина (Express — через 60 минут) с причиной «нет в наличии», и эта отмена "
            f"портит показатель отмен магазина.{express} Примите заказ в кабинете Kaspi или отмените "
            "его сами, если товара нет.")


def handover_text(watch: OrderWatch, planned: datetime) -> str:
    return (f"Собрать заказ Kaspi #{watch.code} до {kz_clock(planned)} (время Казахстана): к этому времени "
            "Kaspi Доставка ждёт заказ упакованным, с накладной, в пункте приёма (или курьер заберёт "
            "его). Упакуйте заказ, укажите число мест и распечатайте накладную в кабинете Kaspi. "
            "Опоздание — «Передача задержана»: частые задержки ухудшают показатели магазина.")


def pickup_text(watch: OrderWatch, since: datetime, cancel_at: datetime) -> str:
    return (f"Напомнить покупателю забрать заказ Kaspi #{watch.code}: заказ принят и ждёт самовывоза "
            f"с {kz_clock(since)}. Kaspi отменит его, если покупатель не заберёт заказ в течение 3 рабочих "
            f"дней после принятия (примерно к {kz_clock(cancel_at)}). Позвоните покупателю.")


def moved_text(code: str, old: datetime, new: datetime) -> str:
    return (f"Kaspi перенёс передачу заказа Kaspi #{code} курьеру: было {kz_clock(old)}, стало {kz_clock(new)} "
            "(время Казахстана). Соберите заказ к новому времени.")


def due(
    watches: Iterable[OrderWatch],
    done: set[tuple[str, str, str]],
    now: datetime,
    rules: DeadlineRules,
) -> list[Due]:
    """The reminders due now that were never decided before (`done` holds (code, kind, key) of
    every recorded one). Each order gets each reminder once."""
    out: list[Due] = []
    for w in watches:
        if (rules.accept_after is not None and w.status == APPROVED and now >= w.created_at + rules.accept_after
                and (w.code, ACCEPT, "") not in done):
            deadline = w.created_at + ACCEPT_WINDOW
            out.append(Due(w.code, ACCEPT, deadline, accept_text(w, deadline)))
        if rules.handover_before is not None and awaiting_handover(w):
            planned = w.handover_planned_at
            assert planned is not None
            if now >= planned - rules.handover_before and (w.code, HANDOVER, "") not in done:
                out.append(Due(w.code, HANDOVER, planned, handover_text(w, planned)))
        if rules.pickup_after is not None and w.delivery == PICKUP and w.status == ACCEPTED:
            since = w.status_since or w.created_at
            if now >= since + rules.pickup_after and (w.code, PICKUP_REMINDER, "") not in done:
                cancel_at = since + PICKUP_WINDOW
                out.append(Due(w.code, PICKUP_REMINDER, cancel_at, pickup_text(w, since, cancel_at), alert=False))
    return out


def moved_note(previous: OrderWatch, current: OrderWatch) -> Due:
    """The note a moved handover gets (once per new date)."""
    assert previous.handover_planned_at is not None and current.handover_planned_at is not None
    new = current.handover_planned_at
    return Due(current.code, HANDOVER_MOVED, None, moved_text(current.code, previous.handover_planned_at, new),
               key=new.astimezone(UTC).isoformat(), alert=False)


def retimed_task(current: OrderWatch) -> Due:
    """The handover task moved to a new planned date (once per new date): its deadline and
    text as `due` would make them now. It applies only to a task made earlier (see `wanted_moves`)."""
    new = current.handover_planned_at
    assert new is not None
    return Due(current.code, HANDOVER_RETIMED, new, handover_text(current, new),
               key=new.astimezone(UTC).isoformat(), alert=False)


def wanted_moves(moved: Iterable[Due], done: set[tuple[str, str, str]]) -> list[Due]:
    """The moved-handover items still to record: each once per new date, and a task move only
    for an order whose handover task was decided before (a task not yet due is made later with
    the new date anyway)."""
    return [m for m in moved if (m.code, m.kind, m.key) not in done
            and (m.kind != HANDOVER_RETIMED or (m.code, HANDOVER, "") in done)]


def waiting(watches: Iterable[OrderWatch], now: datetime, rules: DeadlineRules) -> list[Waiting]:
    """Orders waiting for the shop: every order not yet accepted (with Kaspi's 3 h), and every
    Kaspi Delivery order to pack whose handover is within the alert window; soonest first."""
    out: list[Waiting] = []
    for w in watches:
        if w.status == APPROVED and now - w.created_at <= LIST_ACCEPT_FOR:
            overdue = rules.accept_after is not None and now >= w.created_at + rules.accept_after
            out.append(Waiting(w.code, ACCEPT, w.created_at + ACCEPT_WINDOW, overdue, w.express))
        elif rules.handover_before is not None and awaiting_handover(w):
            planned = w.handover_planned_at
            assert planned is not None
            if now >= planned - rules.handover_before:
                out.append(Waiting(w.code, HANDOVER, planned, True, w.express))
    return sorted(out, key=lambda item: (item.deadline, item.code))


def lead_ids(records: Mapping[str, object]) -> dict[str, int]:
    """code → lead id of the records that have their deal (records: code → OrderRecord)."""
    out: dict[str, int] = {}
    for code, record in records.items():
        lead = getattr(record, "lead_id", None)
        if isinstance(lead, int):
            out[code] = lead
    return out
