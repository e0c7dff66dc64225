"""Order → what amoCRM should hold (CONTRACT.md), as pure functions.

Nothing here talks to the network or the store, so the rules users rely on (lead name,
price, tags, contact fields, note text) are tested directly and reused by the poll,
reconcile and the dry run alike.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from app.kaspi.models import Order, OrderEntry
from app.logs import mask_phone
from app.sync.phone import match_key, normalize_phone, split_extension

TAG_KASPI = "Kaspi"
TAG_NO_PHONE = "без телефона"

DELIVERY_MODES = {
    "DELIVERY_LOCAL": "доставка по городу",
    "DELIVERY_PICKUP": "самовывоз",
    "DELIVERY_REGIONAL_TODOOR": "Kaspi Доставка до двери",
    "DELIVERY_REGIONAL_PICKUP": "доставка в пункт выдачи",
}


@dataclass(frozen=True)
class ContactPlan:
    name: str
    first_name: str | None
    last_name: str | None
    phone: str  # E.164
    key: str  # last 10 digits


@dataclass(frozen=True)
class ProductLine:
    sku: str
    name: str
    quantity: Decimal
    unit_price: Decimal
    total: Decimal


@dataclass(frozen=True)
class DealPlan:
    code: str
    lead_name: str
    price: int
    tags: tuple[str, ...]
    contact: ContactPlan | None  # None: no usable phone
    products: tuple[ProductLine, ...]
    note: str
    phone_masked: str
    buyer_name: str


def lead_name(code: str) -> str:
    return f"Kaspi #{code}"


def whole_tenge(amount: Decimal) -> int:
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def money(amount: Decimal) -> str:
    """`15 980 ₸` (thin groups as Kazakh shops write them); kopecks only when present."""
    if amount == amount.to_integral_value():
        text = f"{int(amount):,}".replace(",", " ")
    else:
        text = f"{amount:,.2f}".replace(",", " ")
    return f"{text} ₸"


def quantity_text(quantity: Decimal) -> str:
    return str(int(quantity)) if quantity == quantity.to_integral_value() else f"{quantity.normalize()}"


def link_quantity(quantity: Decimal) -> int:
    """The quantity of the deal's product link: amoCRM types it as an integer, so a fractional
    Kaspi quantity (1.5 kg) is rounded up — the buyer ordered more than one whole unit, and
    0.3 must not become 0. The note keeps the true quantity."""
    return max(1, math.ceil(quantity))


def buyer_name(order: Order) -> str:
    parts = [p.strip() for p in (order.customer.first_name, order.customer.last_name) if p and p.strip()]
    if parts:
        return " ".join(parts)
    if order.customer.name and order.customer.name.strip():
        return order.customer.name.strip()
    return f"Покупатель Kaspi #{order.code}"


def contact_plan(order: Order) -> ContactPlan | None:
    phone = normalize_phone(order.customer.cell_phone)
    if phone is None:
        return None
    first = (order.customer.first_name or "").strip() or None
    last = (order.customer.last_name or "").strip() or None
    return ContactPlan(buyer_name(order), first, last, phone, match_key(phone) or phone)


def state_tags(state: str, *, has_phone: bool) -> tuple[str, ...]:
    tags = [TAG_KASPI, state]
    if not has_phone:
        tags.append(TAG_NO_PHONE)
    return tuple(tags)


def product_lines(entries: tuple[OrderEntry, ...] | None) -> tuple[ProductLine, ...]:
    return tuple(
        ProductLine(e.sku, e.name, e.quantity, e.unit_price, e.total_price) for e in (entries or ())
    )


def note_text(order: Order, products: tuple[ProductLine, ...], *, has_phone: bool) -> str:
    lines = [f"Заказ Kaspi #{order.code}"]
    if products:
        lines.append("Товары:")
        for n, item in enumerate(products, 1):
            rounded = "" if item.quantity == item.quantity.to_integral_value() or not item.sku else (
                f" (в товарах сделки: {link_quantity(item.quantity)})")
            lines.append(
                f"{n}. {item.name} (артикул {item.sku}) — {quantity_text(item.quantity)} × "
                f"{money(item.unit_price)} = {money(item.total)}{rounded}"
            )
    else:
        lines.append("Товары: Kaspi не передал позиции заказа.")
    lines.append(f"Итого: {money(order.total_price)}")
    if order.delivery_mode:
        lines.append(f"Доставка: {DELIVERY_MODES.get(order.delivery_mode, order.delivery_mode)}")
    if order.delivery_address:
        lines.append(f"Адрес: {order.delivery_address}")
    raw_phone, extension = split_extension(order.customer.cell_phone)
    if has_phone and extension:
        lines.append(f"Добавочный номер покупателя: {extension}")
    elif not has_phone and raw_phone.strip():
        shown = raw_phone.strip() if len(raw_phone.strip()) <= 40 else raw_phone.strip()[:39] + "…"
        lines.append(f"Телефон покупателя от Kaspi не распознан («{shown}»): контакт не привязан.")
    elif not has_phone:
        lines.append("Телефон покупателя не получен от Kaspi: контакт не привязан.")
    lines.append(f"Код заказа Kaspi: {order.code}")
    return "\n".join(lines)


def plan_deal(order: Order) -> DealPlan:
    contact = contact_plan(order)
    products = product_lines(order.entries)
    return DealPlan(
        code=order.code,
        lead_name=lead_name(order.code),
        price=whole_tenge(order.total_price),
        tags=state_tags(order.state, has_phone=contact is not None),
        contact=contact,
        products=products,
        note=note_text(order, products, has_phone=contact is not None),
        phone_masked=mask_phone(contact.phone) if contact else "",
        buyer_name=buyer_name(order),
    )
