"""Seller quality: the share of the last 30 days' orders cancelled by the shop's fault.

Kaspi counts against a shop the orders it cancels «нет в наличии» (MERCHANT_OUT_OF_STOCK —
also the reason Kaspi itself gives an order nobody accepted in time) and Kaspi Delivery
orders never handed over (TIMEOUT_KASPI_DELIVERY), over all orders of the last 30 days;
its partners must stay under 3 % (guide.kaspi.kz, Kaspi Жұма conditions q2184: «доля отмен —
меньше 3%»; over 5 % a shop may be switched off for 7 days, q3022). The figures are read from
Kaspi (≤14-day windows, every state), never from amoCRM. Pure except `read_quality`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any

from app.kaspi.models import Order
from app.store.base import Store
from app.store.deadline_records import DONE, DeadlineEvent
from app.sync.ports import KaspiOrders

WINDOW_DAYS = 30
LIMIT = Fraction(3, 100)
WARNING_SHARE = Fraction(8, 10)  # warning from 80 % of the limit
MERCHANT_REASONS = frozenset({"MERCHANT_OUT_OF_STOCK", "TIMEOUT_KASPI_DELIVERY"})
CANCELLED_STATUSES = frozenset({"CANCELLED", "CANCELLING"})
OK, WARNING, OVER = "ok", "warning", "over"
META_QUALITY = "quality_snapshot"
META_QUALITY_ANNOUNCED = "quality_announced"
QUALITY_EVENT = "quality"  # a deadline_events kind: the status changed (alerted once per change)
SHOP = "-"  # the event's order code: the shop as a whole


def status_of(cancelled: int, orders: int) -> str:
    """`ok`, `warning` (from 80 % of the 3 % limit) or `over` (above it); exact fractions, so
    3 of 100 is `warning`, not a float's guess."""
    if orders <= 0:
        return OK
    rate = Fraction(cancelled, orders)
    if rate > LIMIT:
        return OVER
    if rate >= LIMIT * WARNING_SHARE:
        return WARNING
    return OK


@dataclass(frozen=True)
class Quality:
    orders: int
    cancelled_by_merchant: int
    since: datetime
    until: datetime
    by_reason: dict[str, int] = field(default_factory=dict)
    window_days: int = WINDOW_DAYS

    @property
    def rate(self) -> float:
        return self.cancelled_by_merchant / self.orders if self.orders else 0.0

    @property
    def status(self) -> str:
        return status_of(self.cancelled_by_merchant, self.orders)

    def to_json(self) -> dict[str, Any]:
        """The contract's keys (docs/contract.md, «Deadlines and seller quality»), nothing else."""
        return {
            "window_days": self.window_days,
            "orders": self.orders,
            "cancelled_by_merchant": self.cancelled_by_merchant,
            "cancellation_rate": self.rate,
            "cancellation_limit": float(LIMIT),
            "status": self.status,
        }

    def dump(self) -> str:
        """For the store's meta (the tray's panel and the alert read it)."""
        return json.dumps({**self.to_json(), "since": self.since.isoformat(), "until": self.until.isoformat(),
                           "by_reason": self.by_reason}, sort_keys=True)

    @classmethod
    def load(cls, raw: str | None) -> Quality | None:
        if not raw:
            return None
        try:
            data = json.loads(raw)
            return cls(orders=int(data["orders"]), cancelled_by_merchant=int(data["cancelled_by_merchant"]),
                       since=datetime.fromisoformat(data["since"]), until=datetime.fromisoformat(data["until"]),
                       by_reason={str(k): int(v) for k, v in (data.get("by_reason") or {}).items()},
                       window_days=int(data.get("window_days", WINDOW_DAYS)))
        except (ValueError, KeyError, TypeError):
            return None


def cancelled_by_merchant(order: Order) -> bool:
    return order.status in CANCELLED_STATUSES and (order.cancellation_reason or "") in MERCHANT_REASONS


def measure(orders: Iterable[Order], since: datetime, until: datetime) -> Quality:
    """The figures over the orders created in [since, until] (each code once)."""
    seen: dict[str, Order] = {}
    for order in orders:
        if since <= order.created_at <= until:
            seen.setdefault(order.code, order)
    by_reason: dict[str, int] = {}
    for order in seen.values():
        if cancelled_by_merchant(order):
            reason = order.cancellation_reason or ""
            by_reason[reason] = by_reason.get(reason, 0) + 1
    return Quality(len(seen), sum(by_reason.values()), since, until, dict(sorted(by_reason.items())))


def read_quality(kaspi: KaspiOrders, now: datetime) -> Quality:
    """30 days of orders from Kaspi in every state (the client cuts ≤14-day windows), no entries."""
    since = now - timedelta(days=WINDOW_DAYS)
    return measure(kaspi.iter_orders(since, now, states=None, include_entries=False,
                                     on_bad_order=lambda error: None), since, now)


def load_quality(store: Store) -> Quality | None:
    return Quality.load(store.get_meta(META_QUALITY))


def record_quality(store: Store, quality: Quality) -> bool:
    """Keep the figures for the tray and, when the status changed into warning or over, record
    the change once (its alert goes out through app/alerts); True when a change was recorded."""
    store.set_meta(META_QUALITY, quality.dump())
    previous = store.get_meta(META_QUALITY_ANNOUNCED) or OK
    if quality.status == previous:
        return False
    store.set_meta(META_QUALITY_ANNOUNCED, quality.status)
    if quality.status == OK:
        return False
    key = f"{quality.status}@{quality.until.isoformat()}"
    return bool(store.add_deadline_events([DeadlineEvent(SHOP, QUALITY_EVENT, key=key, text=quality.dump(),
                                                         state=DONE, alert={})]))

