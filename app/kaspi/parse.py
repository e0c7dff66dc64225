"""Defensive JSON:API → `app.kaspi.models` conversion.

Kaspi's payloads drift from its documentation (see /work/shared/api/kaspi.md §7, §11):
money comes as int, float or string; blocks such as `customer`, `deliveryAddress` and
`kaspiDelivery` may be missing or null; `express` and `isImeiRequired` move around; the
entries' `offer` may be absent. Everything here is therefore lenient about optional data
and strict about what the sync cannot do without (code, id, state, status, total, date).
A broken order becomes a `KaspiParseError` naming the order, never a bare
TypeError/KeyError/ValueError, so one bad order cannot stop a whole sync run.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from app.errors import KaspiParseError
from app.kaspi.models import Customer, Order, OrderEntry

__all__ = [
    "JsonObject",
    "OrdersPage",
    "clean_text",
    "index_included",
    "ms_to_datetime",
    "parse_entry",
    "parse_order",
    "parse_orders_page",
]

# one decoded JSON object (a JSON:API resource or one of its blocks)
JsonObject = dict[str, Any]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Plausible creationDate range. Anything outside is a unit mistake (seconds instead of
# milliseconds land in 1970) or garbage, and must not silently become a real date.
_MIN_MS = 946_684_800_000  # 2000-01-01
_MAX_MS = 7_258_118_400_000  # 2200-01-01
_MAX_MONEY = Decimal(10) ** 13  # far above any tenge amount; guards against 1E+999999
_DEFAULT_NAME = "Товар"
_NO_CODE = "без номера"
_CAUGHT = (TypeError, KeyError, ValueError, AttributeError, ArithmeticError, IndexError)
# C0/C1 control characters except tab, line feed and carriage return, and UTF-16 surrogates
# (json.loads joins valid pairs, so any left is a lone one)
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


@dataclass
class OrdersPage:
    """One page of `GET /orders`: good orders, bad ones (as errors) and the paging meta."""

    orders: list[Order] = field(default_factory=list)
    bad: list[KaspiParseError] = field(default_factory=list)
    page_count: int | None = None
    total_count: int | None = None

    @property
    def size(self) -> int:
        """How many resources the page carried, good or bad (0 means: stop paging)."""
        return len(self.orders) + len(self.bad)


class _Bad(Exception):
    """Internal: a field problem; turned into KaspiParseError with the order prefix."""


# --- scalar helpers ---------------------------------------------------------------------


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _decimal(value: Any) -> Decimal | None:
    """int / float / numeric string → finite Decimal; None for anything else.

    Floats go through str() so 15980.0 stays 15980.0 and 0.1 does not become
    0.1000000000000000055511151231257827. A comma is rejected, not guessed: "15,980"
    could be either 15980 or 15.98.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            return None
        result = Decimal(str(value))
    elif isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace(" ", "")
        if not text or len(text) > 40 or "_" in text:
            return None
        try:
            result = Decimal(text)
        except (InvalidOperation, ValueError):
            return None
    else:
        return None
    if not result.is_finite() or abs(result) >= _MAX_MONEY:
        return None
    return result


def _int(value: Any) -> int | None:
    """Integral numbers (also 3.0 and "3") → int; anything else → None."""
    number = _decimal(value)
    if number is None or number != number.to_integral_value():
        return None
    return int(number)


def clean_text(value: str) -> str:
    """Text every layer after the parser can hold.

    A lone UTF-16 surrogate is valid JSON (`"\\ud800"`) but not Unicode: every UTF-8 encoder
    (SQLite, PostgreSQL, requests) refuses it, so it becomes U+FFFD. PostgreSQL refuses NUL
    in text, and control characters only hide things in a name: they are dropped. Tabs and
    line breaks stay.
    """
    if not _BAD_CHARS.search(value):
        return value
    return _BAD_CHARS.sub(lambda m: "\ufffd" if m.group() >= "\ud800" else "", value)


def _text(value: Any) -> str | None:
    """A non-empty string, cleaned (see clean_text) and otherwise verbatim (Kazakh/Russian
    included); numbers as digits."""
    if isinstance(value, str):
        value = clean_text(value)
        return value if value.strip() else None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    return None


def _ident(value: Any) -> str | None:
    """Codes and ids: strings cleaned and stripped, integral numbers as digits."""
    if isinstance(value, str):
        return clean_text(value).strip() or None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    return None


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    return None


def _dict(value: Any) -> JsonObject:
    return value if isinstance(value, dict) else {}


def ms_to_datetime(value: Any) -> datetime | None:
    """Epoch milliseconds (int, float or digits) → aware UTC datetime; None if implausible."""
    ms = _decimal(value)
    if ms is None or not (_MIN_MS <= ms <= _MAX_MS):
        return None
    return _EPOCH + timedelta(milliseconds=int(ms))


# --- included index ---------------------------------------------------------------------


def index_included(included: list[Any] | None) -> dict[tuple[str, str], JsonObject]:
    """`included` array → {(type, id): resource}; junk items are skipped, not fatal."""
    index: dict[tuple[str, str], JsonObject] = {}
    if not isinstance(included, list):
        return index
    for item in included:
        if not isinstance(item, dict):
            continue
        kind, ident = item.get("type"), _ident(item.get("id"))
        if isinstance(kind, str) and ident:
            index.setdefault((kind, ident), item)
    return index


def _linkage(relationship: Any) -> tuple[str, str] | None:
    data = _dict(relationship).get("data")
    if isinstance(data, dict) and isinstance(data.get("type"), str):
        ident = _ident(data.get("id"))
        if ident:
            return data["type"], ident
    return None


# --- entries ----------------------------------------------------------------------------


def parse_entry(
    resource: JsonObject,
    *,
    order_code: str | None = None,
    products: Iterable[JsonObject | None] = (),
    index: int | None = None,
) -> OrderEntry:
    """One `orderentries` resource → OrderEntry.

    `products` are optional `merchantproducts`/`masterproducts` resources (best first) used
    when the entry carries no `offer`: SKU from their `code`, name from their `name`, else
    the category title or "Товар". Without any of them the SKU is "" (unknown), which
    tells the client to resolve it via /orderentries/{id}/product. `index` stands in for
    a missing `entryNumber`.
    """
    try:
        return _parse_entry(resource, products, index)
    except _Bad as exc:
        raise _error(order_code, f"строка заказа: {exc}") from None
    except _CAUGHT as exc:  # pragma: no cover - belt and braces
        raise _error(order_code, "непонятная строка заказа", detail=repr(exc)) from None


def _parse_entry(resource: Any, products: Iterable[JsonObject | None], index: int | None) -> OrderEntry:
    if not isinstance(resource, dict):
        raise _Bad(f"ожидался объект, пришло {_short(resource)}")
    attrs = resource.get("attributes")
    if not isinstance(attrs, dict):
        raise _Bad("нет атрибутов (attributes)")
    entry_id = _ident(resource.get("id"))

    number = _int(attrs.get("entryNumber"))
    if number is None:
        if index is None:
            raise _Bad(f"нет номера строки (entryNumber={_short(attrs.get('entryNumber'))})")
        number = index
    where = f"строка {number}"

    quantity = _decimal(attrs.get("quantity"))
    if quantity is None or quantity < 0:
        raise _Bad(f"{where}: непонятное количество (quantity={_short(attrs.get('quantity'))})")
    sent_unit = _decimal(attrs.get("basePrice"))
    sent_total = _decimal(attrs.get("totalPrice"))
    if (sent_unit is not None and sent_unit < 0) or (sent_total is not None and sent_total < 0):
        raise _Bad(f"{where}: отрицательная цена")
    try:
        prices = _both_prices(sent_unit, sent_total, quantity)
    except ArithmeticError:
        raise _Bad(f"{where}: непонятная цена") from None
    if prices is None:
        raise _Bad(f"{where}: нет цены (basePrice/totalPrice)")
    unit, total = prices

    offer = _dict(attrs.get("offer"))
    product_attrs = [_dict(_dict(p).get("attributes")) for p in products if isinstance(p, dict)]
    sku = _ident(offer.get("code"))
    for candidate in product_attrs:
        sku = sku or _ident(candidate.get("code"))
    raw_category = attrs.get("category")
    category = _text(_dict(raw_category).get("title")) or _text(raw_category)
    name = _text(offer.get("name"))
    for candidate in product_attrs:
        name = name or _text(candidate.get("name"))
    name = name or category or _DEFAULT_NAME

    return OrderEntry(
        entry_number=number,
        sku=sku or "",
        name=name,
        quantity=quantity,
        unit_price=unit,
        total_price=total,
        unit_type=_text(attrs.get("unitType")),
        category=category,
        id=entry_id,
    )


def _both_prices(unit: Decimal | None, total: Decimal | None, quantity: Decimal) -> tuple[Decimal, Decimal] | None:
    """(unit, total) from whichever of the two Kaspi sent; None when it sent neither."""
    if unit is not None and total is not None:
        return unit, total
    if unit is not None:
        return unit, unit * quantity
    if total is not None:
        return (total / quantity if quantity else total), total
    return None


def _entry_imei(resource: Any) -> list[bool | None]:
    attrs = _dict(_dict(resource).get("attributes"))
    return [_bool(attrs.get("isImeiRequired")), _bool(_dict(attrs.get("offer")).get("isImeiRequired"))]


# --- orders -----------------------------------------------------------------------------


def _error(code: str | None, problem: str, *, detail: str | None = None, order_id: str | None = None) -> KaspiParseError:
    who = code or (f"{_NO_CODE} (id {order_id})" if order_id else _NO_CODE)
    return KaspiParseError(f"Заказ {who}: {problem}", order_code=code, order_id=order_id, detail=detail)


def parse_order(resource: JsonObject, included: Mapping[tuple[str, str], JsonObject] | None = None) -> Order:
    """One `orders` resource (plus the indexed `included`) → Order, or KaspiParseError.

    `entries` is None unless `relationships.entries.data` is a list whose items are all
    in `included` (an explicit empty list means an order with 0 entries).
    """
    code: str | None = None
    order_id: str | None = None
    try:
        if isinstance(resource, dict):
            code = _ident(_dict(resource.get("attributes")).get("code"))
            order_id = _ident(resource.get("id"))
        if isinstance(included, list):  # tolerate the raw array too
            included = index_included(included)
        return _parse_order(resource, included if isinstance(included, Mapping) else {}, code)
    except KaspiParseError:
        raise
    except _Bad as exc:
        raise _error(code, str(exc), order_id=order_id) from None
    except _CAUGHT as exc:
        raise _error(code, "непонятные данные заказа", detail=repr(exc), order_id=order_id) from None


def _parse_order(resource: Any, included: Mapping[tuple[str, str], JsonObject], code: str | None) -> Order:
    if not isinstance(resource, dict):
        raise _Bad(f"ожидался объект заказа, пришло {_short(resource)}")
    attrs = resource.get("attributes")
    if not isinstance(attrs, dict):
        raise _Bad("нет атрибутов заказа (attributes)")
    if code is None:
        raw = attrs.get("code")
        raise _Bad("нет номера заказа (code)" if raw is None else f"непонятный номер заказа (code={_short(raw)})")
    order_id = _ident(resource.get("id"))
    if not order_id:
        raise _Bad("нет идентификатора заказа (id)")
    state = _text(attrs.get("state"))
    if not state:
        raise _Bad("нет состояния заказа (state)")
    status = _text(attrs.get("status"))
    if not status:
        raise _Bad("нет статуса заказа (status)")
    if attrs.get("totalPrice") is None:
        raise _Bad("нет суммы заказа (totalPrice)")
    total = _decimal(attrs["totalPrice"])
    if total is None:
        raise _Bad(f"непонятная сумма заказа (totalPrice={_short(attrs['totalPrice'])})")
    if total < 0:
        raise _Bad(f"отрицательная сумма заказа (totalPrice={_short(attrs['totalPrice'])})")
    if "creationDate" not in attrs or attrs["creationDate"] is None:
        raise _Bad("нет даты создания (creationDate)")
    created = ms_to_datetime(attrs["creationDate"])
    if created is None:
        raise _Bad(f"непонятная дата создания (creationDate={_short(attrs['creationDate'])})")

    relationships = _dict(resource.get("relationships"))
    customer = _parse_customer(attrs.get("customer"), relationships.get("user"), included)

    kaspi_delivery = _dict(attrs.get("kaspiDelivery"))
    address = _dict(attrs.get("deliveryAddress"))
    formatted = _text(address.get("formattedAddress"))
    if formatted is None and address:
        parts = [_text(address.get(k)) for k in ("town", "streetName", "streetNumber", "building", "apartment")]
        formatted = ", ".join(p.strip() for p in parts if p) or None

    entries, entry_resources = _order_entries(relationships.get("entries"), included, code)

    return Order(
        id=order_id,
        code=code,
        state=state.strip(),
        status=status.strip(),
        total_price=total,
        created_at=created,
        customer=customer,
        delivery_mode=_text(attrs.get("deliveryMode")),
        is_kaspi_delivery=bool(_bool(attrs.get("isKaspiDelivery"))),
        delivery_address=formatted,
        pickup_point_id=_ident(attrs.get("pickupPointId")),
        entries=entries,
        payment_mode=_text(attrs.get("paymentMode")),
        cancellation_reason=_text(attrs.get("cancellationReason")),
        extra=_extra(attrs, kaspi_delivery, entry_resources),
    )


def _parse_customer(raw: Any, user_rel: Any, included: Mapping[tuple[str, str], JsonObject]) -> Customer:
    data = _dict(raw)
    linkage = _linkage(user_rel)
    # include[orders]=user puts a `customers` resource into `included`: use it to fill gaps.
    extra = _dict(_dict(included.get(linkage)).get("attributes")) if linkage else {}

    def pick(key: str) -> str | None:
        return _text(data.get(key)) or _text(extra.get(key))

    return Customer(
        id=_ident(data.get("id")) or (linkage[1] if linkage and linkage[0] == "customers" else None),
        first_name=pick("firstName"),
        last_name=pick("lastName"),
        name=_text(data.get("name")),
        cell_phone=_ident(data.get("cellPhone")) or _ident(extra.get("cellPhone")),
    )


def _order_entries(
    rel: Any, included: Mapping[tuple[str, str], JsonObject], code: str
) -> tuple[tuple[OrderEntry, ...] | None, list[JsonObject]]:
    data = _dict(rel).get("data")
    if not isinstance(data, list):
        return None, []  # not included: the caller fetches /orders/{id}/entries
    resources: list[JsonObject] = []
    for link in data:
        key = _linkage({"data": link})
        resource = included.get(key) if key else None
        if not isinstance(resource, dict):
            return None, []  # linkage without the resource: treat as not loaded
        resources.append(resource)
    entries = []
    for position, resource in enumerate(resources):
        product_key = _linkage(_dict(resource.get("relationships")).get("product"))
        product = included.get(product_key) if product_key else None
        entries.append(parse_entry(resource, order_code=code, products=[product], index=position))
    entries.sort(key=lambda e: e.entry_number)
    return tuple(entries), resources


def _extra(attrs: JsonObject, kaspi_delivery: JsonObject, entry_resources: list[JsonObject]) -> dict[str, object]:
    """A few raw facts the CRM side may show; absent ones are left out, bad ones ignored."""
    extra: dict[str, object] = {}

    def put(key: str, value: object) -> None:
        if value is not None:
            extra[key] = value

    put("waybill", _text(kaspi_delivery.get("waybill")) or _text(attrs.get("waybill")))
    put("waybill_number", _ident(kaspi_delivery.get("waybillNumber")) or _ident(attrs.get("waybillNumber")))
    express = _bool(kaspi_delivery.get("express"))
    put("express", express if express is not None else _bool(attrs.get("express")))
    returned = _bool(kaspi_delivery.get("returnedToWarehouse"))
    put("returned_to_warehouse", returned if returned is not None else _bool(attrs.get("returnedToWarehouse")))
    put(
        "courier_transmission_planning_date",
        ms_to_datetime(kaspi_delivery.get("courierTransmissionPlanningDate")),
    )
    put("courier_transmission_date", ms_to_datetime(kaspi_delivery.get("courierTransmissionDate")))
    put("assembled", _bool(attrs.get("assembled")))
    put("pre_order", _bool(attrs.get("preOrder")))
    put("signature_required", _bool(attrs.get("signatureRequired")))
    put("credit_term", _int(attrs.get("creditTerm")))
    put("delivery_cost", _decimal(attrs.get("deliveryCost")))
    put("delivery_cost_for_seller", _decimal(attrs.get("deliveryCostForSeller")))
    put("approved_by_bank_date", ms_to_datetime(attrs.get("approvedByBankDate")))
    put("planned_delivery_date", ms_to_datetime(attrs.get("plannedDeliveryDate")))
    put("reservation_date", ms_to_datetime(attrs.get("reservationDate")))
    put("origin_point", _text(_dict(attrs.get("originAddress")).get("displayName")))
    # isImeiRequired lives on the order, the entry or the entry's offer, depending on the doc.
    flags = [_bool(attrs.get("isImeiRequired"))] + [f for r in entry_resources for f in _entry_imei(r)]
    known = [f for f in flags if f is not None]
    put("is_imei_required", any(known) if known else None)
    return extra


# --- pages ------------------------------------------------------------------------------


def parse_orders_page(payload: Any) -> OrdersPage:
    """A whole `GET /orders` body → OrdersPage.

    Bad orders are collected in `bad` so the caller can report them and go on; only a
    body that is not a JSON:API document at all raises KaspiParseError (order_code None).
    A single-resource document (`data` is an object) is accepted as a page of one.
    """
    if not isinstance(payload, dict) or "data" not in payload:
        raise KaspiParseError(
            "Kaspi прислал ответ непонятного вида (нет списка заказов data).",
            detail=f"payload={_short(payload)}",
        )
    data = payload["data"]
    if data is None:
        data = []
    elif isinstance(data, dict):
        data = [data]
    elif not isinstance(data, list):
        raise KaspiParseError(
            "Kaspi прислал ответ непонятного вида (data не список).", detail=f"data={_short(data)}"
        )
    meta = _dict(payload.get("meta"))
    page = OrdersPage(page_count=_int(meta.get("pageCount")), total_count=_int(meta.get("totalCount")))
    included = index_included(payload.get("included"))
    for resource in data:
        try:
            page.orders.append(parse_order(resource, included))
        except KaspiParseError as exc:
            page.bad.append(exc)
    return page
