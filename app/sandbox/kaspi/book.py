"""The Kaspi emulator's state: the merchant's orders, indexed by code and creation time, the
products they sell, and the rendering faults tests arm. Not thread-safe on its own: the
emulator holds its lock around every use."""

from __future__ import annotations

import copy
from bisect import bisect_left, bisect_right, insort
from typing import Any

from app.sandbox.kaspi.jsonapi import b64id, unb64id
from app.sandbox.seed import SandboxEntry, SandboxOrder

LEAK_WINDOW_MS = 3_600_000  # the leak quirk only picks orders at most this far before $ge


class OrderBook:
    def __init__(self) -> None:
        self.orders: dict[str, SandboxOrder] = {}
        self._sorted: list[tuple[int, str]] = []  # (created_ms, code), ascending
        self._products: dict[str, SandboxEntry] = {}  # master product code -> an entry selling it
        #: code -> (order attributes patch, entry attributes patch); see KaspiEmulator.corrupt_order
        self.corrupt: dict[str, tuple[Any, Any]] = {}

    def add(self, order: SandboxOrder) -> None:
        """Store an order (replacing one with the same code)."""
        old = self.orders.get(order.code)
        if old is not None:
            self._sorted.remove((old.created_ms, old.code))
        self.orders[order.code] = order
        insort(self._sorted, (order.created_ms, order.code))
        for entry in order.entries:
            self._products.setdefault(entry.product_code, entry)

    def snapshot(self, code: str) -> SandboxOrder:
        return copy.deepcopy(self.orders[code])

    def codes(self) -> list[str]:
        """Every order code, oldest first."""
        return [code for _ms, code in self._sorted]

    def created_between(self, ge: int, le: int) -> list[SandboxOrder]:
        """Orders with ge <= creationDate <= le, oldest first."""
        lo, hi = bisect_left(self._sorted, (ge, "")), bisect_right(self._sorted, (le, "\uffff"))
        return [self.orders[c] for _, c in self._sorted[lo:hi]]

    def just_before(self, ge: int, count: int) -> list[SandboxOrder]:
        """Up to `count` orders created in the hour before `ge` (the page-leak quirk)."""
        lo = bisect_left(self._sorted, (ge, ""))
        start = max(bisect_left(self._sorted, (ge - LEAK_WINDOW_MS, "")), lo - count)
        return [self.orders[c] for _, c in self._sorted[start:lo]]

    def by_id(self, oid: str) -> SandboxOrder | None:
        code = unb64id(oid)
        return self.orders.get(code) if code is not None else None

    def entry_by_id(self, eid: str) -> tuple[SandboxOrder, int] | None:
        raw = unb64id(eid)
        if raw is None or "##" not in raw:
            return None
        code, _, number = raw.partition("##")
        order = self.orders.get(code)
        if order is None or not number.isdigit() or int(number) >= len(order.entries):
            return None
        return order, int(number)

    def product_by_id(self, mid: str) -> SandboxEntry | None:
        code = unb64id(mid)
        return self._products.get(code) if code is not None else None

    def product_by_sku(self, sku: str | None) -> SandboxEntry | None:
        return next((entry for entry in self._products.values() if entry.sku == sku), None)

    def newest_of_customer(self, cid: str) -> SandboxOrder | None:
        for _, code in reversed(self._sorted):
            if customer_id(self.orders[code]) == cid:
                return self.orders[code]
        return None

    def has_pickup_point(self, pickup_point_id: str | None) -> bool:
        return pickup_point_id is not None and any(o.pickup_point_id == pickup_point_id for o in self.orders.values())


def customer_id(order: SandboxOrder) -> str:
    """Kaspi's customer id: stable per buyer (here: per phone)."""
    return b64id(order.phone if order.phone else f"C{order.code}")
