"""Typed Kaspi orders, as the engine sees them.

Parsing lives in `app.kaspi.parse`; these dataclasses are what the rest of the program
may rely on. Money is Decimal (Kaspi sends floats like 15980.0), dates are aware UTC
datetimes (Kaspi sends epoch milliseconds).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

ORDER_STATES = ("NEW", "SIGN_REQUIRED", "PICKUP", "DELIVERY", "KASPI_DELIVERY", "ARCHIVE")
ORDER_STATUSES = (
    "APPROVED_BY_BANK",
    "ACCEPTED_BY_MERCHANT",
    "COMPLETED",
    "CANCELLED",
    "CANCELLING",
    "KASPI_DELIVERY_RETURN_REQUESTED",
    "RETURNED",
)


@dataclass(frozen=True)
class Customer:
    id: str | None
    first_name: str | None
    last_name: str | None
    name: str | None  # Kaspi's "name in the shop system"; often null
    cell_phone: str | None  # raw value as Kaspi sent it (normally 10 digits, may be masked)


@dataclass(frozen=True)
class OrderEntry:
    entry_number: int
    sku: str  # offer.code (opaque merchant SKU); falls back to the master product code
    name: str  # offer.name
    quantity: Decimal  # int for PIECES, may be fractional for weighed goods
    unit_price: Decimal  # basePrice
    total_price: Decimal  # line total
    unit_type: str | None = None
    category: str | None = None  # category.title
    id: str | None = None  # orderentries id


@dataclass(frozen=True)
class Order:
    id: str  # base64 JSON:API id; opaque
    code: str  # the order number shoppers and merchants see
    state: str
    status: str
    total_price: Decimal
    created_at: datetime  # UTC
    customer: Customer
    delivery_mode: str | None = None
    is_kaspi_delivery: bool = False
    delivery_address: str | None = None  # formattedAddress when present
    pickup_point_id: str | None = None
    entries: tuple[OrderEntry, ...] | None = None  # None: not loaded yet
    payment_mode: str | None = None
    cancellation_reason: str | None = None
    extra: dict[str, object] = field(default_factory=dict, compare=False, hash=False)
