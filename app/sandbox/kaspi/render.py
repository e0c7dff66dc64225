"""Kaspi's JSON:API documents for orders, entries, customers, products, points of service
and cities, rendered from the order book as shared/api/kaspi.md §5–§8 shows them (including
the masked phone on archived orders and the faults `corrupt_order` arms)."""

from __future__ import annotations

import copy
from typing import Any

from app.sandbox.kaspi.book import OrderBook, customer_id
from app.sandbox.kaspi.jsonapi import DAY_MS, JSON, b64id
from app.sandbox.seed import SandboxEntry, SandboxOrder

MASKED_PHONE = "+0(000)-000-00-00"
#: In a `corrupt_order` patch dict: remove this attribute from the rendered order/entry.
REMOVE = object()

# Where the merchant's warehouse and the buyers' towns are (for addresses and pointofservices).
TOWNS = {
    "Алматы": ("750000000", 43.238949, 76.889709),
    "Астана": ("710000000", 51.128207, 71.430411),
    "Шымкент": ("511010000", 42.341685, 69.590101),
    "Караганда": ("351010000", 49.806406, 73.085485),
}
_WAREHOUSE = {
    "streetName": "улица Каныша Сатпаева",
    "streetNumber": "22/1",
    "town": "г. Алматы",
    "district": None,
    "building": None,
    "apartment": None,
    "formattedAddress": "г. Алматы, улица Каныша Сатпаева, 22/1",
    "latitude": 43.23662559520485,
    "longitude": 76.93337309399296,
}


def _number(value: float) -> int | float:
    """Kaspi sends whole quantities as ints and everything else as floats."""
    return int(value) if float(value).is_integer() else float(value)


class Renderer:
    """Renders stored orders; `mask_archived_phones` reproduces the archived-order quirk."""

    def __init__(self, book: OrderBook, *, mask_archived_phones: bool = False) -> None:
        self.book = book
        self.mask_archived_phones = mask_archived_phones

    def _cell_phone(self, order: SandboxOrder) -> str | None:
        if order.phone and self.mask_archived_phones and order.state == "ARCHIVE":
            return MASKED_PHONE
        return order.phone

    def order(self, order: SandboxOrder, base: str, *, with_entries: bool) -> JSON:
        oid = b64id(order.code)
        cid = customer_id(order)
        created = order.created_ms
        customer = {
            "id": cid,
            "name": order.customer_name,
            "cellPhone": self._cell_phone(order),
            "firstName": order.first_name,
            "lastName": order.last_name,
        }
        if order.is_kaspi_delivery:
            attrs: JSON = {
                "code": order.code,
                "creationDate": created,
                "totalPrice": float(order.total_price),
                "deliveryCostForSeller": 895.0,
                "isKaspiDelivery": True,
                "preOrder": order.pre_order,
                "approvedByBankDate": created + 1_000,
                "signatureRequired": order.signature_required,
                "status": order.status,
                "pickupPointId": order.pickup_point_id,
                "state": order.state,
                "deliveryCost": float(order.delivery_cost),
                "customer": customer,
                "originAddress": {
                    "id": b64id(order.pickup_point_id),
                    "displayName": _pp_name(order.pickup_point_id),
                    "address": dict(_WAREHOUSE),
                    "city": _city("Алматы"),
                },
                "kaspiDelivery": {
                    "waybill": f"{base.rsplit('/v2', 1)[0]}/waybill/{b64id(order.code)}" if order.assembled else None,
                    "courierTransmissionDate": order.handed_over_ms,
                    "courierTransmissionPlanningDate": order.handover_planned_ms if order.handover_planned_ms
                    is not None else _next_day_noon(created),
                    "waybillNumber": str(100_000_000 + int(order.code) % 900_000_000) if order.assembled
                    and order.code.isdigit() else None,
                    "express": order.express,
                    "returnedToWarehouse": False,
                    "firstMileCourier": None,
                },
                "assembled": order.assembled,
                "deliveryMode": order.delivery_mode,
                "paymentMode": order.payment_mode,
            }
            if order.payment_mode == "PAY_WITH_CREDIT":
                attrs["creditTerm"] = order.credit_term
        else:
            attrs = {
                "code": order.code,
                "totalPrice": float(order.total_price),
                "paymentMode": order.payment_mode,
                "plannedDeliveryDate": _next_day_noon(created) + DAY_MS,
                "creationDate": created,
                "deliveryCostForSeller": 0.0,
                "isKaspiDelivery": False,
                "deliveryMode": order.delivery_mode,
            }
            if order.delivery_mode == "DELIVERY_LOCAL":
                attrs["deliveryAddress"] = _delivery_address(order)
            attrs["signatureRequired"] = order.signature_required
            if order.payment_mode == "PAY_WITH_CREDIT":
                attrs["creditTerm"] = order.credit_term
            attrs.update({
                "preOrder": order.pre_order,
                "pickupPointId": order.pickup_point_id,
                "state": order.state,
                "approvedByBankDate": created + 30_000,
                "status": order.status,
                "customer": customer,
                "deliveryCost": float(order.delivery_cost),
            })
        if order.cancellation_reason:
            attrs["cancellationReason"] = order.cancellation_reason

        entries_rel: JSON = {
            "links": {
                "self": f"{base}/orders/{oid}/relationships/entries",
                "related": f"{base}/orders/{oid}/entries",
            }
        }
        if with_entries:
            entries_rel["data"] = [
                {"type": "orderentries", "id": b64id(f"{order.code}##{n}")} for n in range(len(order.entries))
            ]
        resource = {
            "type": "orders",
            "id": oid,
            "attributes": attrs,
            "relationships": {
                "user": {
                    "links": {
                        "self": f"{base}/orders/{oid}/relationships/user",
                        "related": f"{base}/orders/{oid}/user",
                    },
                    "data": {"type": "customers", "id": cid},
                },
                "entries": entries_rel,
            },
            "links": {"self": f"{base}/orders/{oid}"},
        }
        return self._mangle(order.code, 0, resource)

    def entry(self, order: SandboxOrder, number: int, base: str) -> JSON:
        return self._mangle(order.code, 1, self._entry_faithful(order, number, base), number)

    def _entry_faithful(self, order: SandboxOrder, number: int, base: str) -> JSON:
        entry = order.entries[number]
        eid = b64id(f"{order.code}##{number}")
        return {
            "type": "orderentries",
            "id": eid,
            "attributes": {
                "unitType": entry.unit_type,
                "offer": {"code": entry.sku, "name": entry.name},
                "quantity": _number(entry.quantity),
                "totalPrice": float(entry.line_total),
                "weight": float(entry.weight),
                "entryNumber": number,
                "category": {"code": entry.category_code, "title": entry.category},
                "deliveryCost": float(order.delivery_cost) if number == 0 else 0.0,
                "basePrice": float(entry.unit_price),
                "isImeiRequired": entry.imei_required,
            },
            "relationships": {
                "deliveryPointOfService": {
                    "links": {
                        "self": f"{base}/orderentries/{eid}/relationships/deliveryPointOfService",
                        "related": f"{base}/orderentries/{eid}/deliveryPointOfService",
                    },
                    "data": {"type": "pointofservices", "id": b64id(order.pickup_point_id)},
                },
                "product": {
                    "links": {
                        "self": f"{base}/orderentries/{eid}/relationships/product",
                        "related": f"{base}/orderentries/{eid}/product",
                    },
                    "data": {"type": "masterproducts", "id": b64id(entry.product_code)},
                },
            },
            "links": {"self": f"{base}/orderentries/{eid}"},
        }

    def _mangle(self, code: str, which: int, resource: JSON, *args: Any) -> JSON:
        """Apply a `corrupt_order` patch (which: 0 order, 1 entry) to a rendered resource."""
        patch = self.book.corrupt.get(code, (None, None))[which]
        if patch is None:
            return resource
        attrs = copy.deepcopy(resource["attributes"])
        if callable(patch):
            result = patch(attrs, *args)
            resource["attributes"] = attrs if result is None else result
        else:
            for key, value in patch.items():
                if value is REMOVE:
                    attrs.pop(key, None)
                else:
                    attrs[key] = copy.deepcopy(value)
            resource["attributes"] = attrs
        return resource

    def customer(self, order: SandboxOrder, base: str) -> JSON:
        cid = customer_id(order)
        return {
            "type": "customers",
            "id": cid,
            "attributes": {
                "firstName": order.first_name,
                "lastName": order.last_name,
                "cellPhone": self._cell_phone(order),
            },
            "relationships": {},
            "links": {"self": f"{base}/customers/{cid}"},
        }

    def included(self, orders: list[SandboxOrder], base: str, include: set[str]) -> list[JSON]:
        included: list[JSON] = []
        seen_customers: set[str] = set()
        for order in orders:
            if "entries" in include:
                included.extend(self.entry(order, n, base) for n in range(len(order.entries)))
            if "user" in include:
                cid = customer_id(order)
                if cid not in seen_customers:
                    seen_customers.add(cid)
                    included.append(self.customer(order, base))
        return included


# --- documents of the other resource types ---------------------------------------------


def _next_day_noon(created_ms: int) -> int:
    """Noon (Almaty, UTC+5) of the day after `created_ms`: Kaspi's planned dates are whole slots."""
    almaty_ms = 5 * 3_600_000
    day_start = (created_ms + almaty_ms) // DAY_MS * DAY_MS - almaty_ms
    return day_start + DAY_MS + 12 * 3_600_000


def _pp_name(pickup_point_id: str) -> str:
    return pickup_point_id.rsplit("_", 1)[-1]


def _city(town: str) -> JSON:
    code = TOWNS.get(town, TOWNS["Алматы"])[0]
    return {"id": b64id(code), "code": code, "name": town, "active": True}


def city_resource(town: str, base: str) -> JSON:
    city = _city(town)
    return {
        "type": "cities",
        "id": city["id"],
        "attributes": {"code": city["code"], "name": city["name"], "active": True},
        "relationships": {},
        "links": {"self": f"{base}/cities/{city['id']}"},
    }


def _delivery_address(order: SandboxOrder) -> JSON | None:
    if not order.address:
        return None
    street, _, number = order.address.rpartition(",")
    if not street:
        street, number = number, ""
    _, lat, lon = TOWNS.get(order.town, TOWNS["Алматы"])
    return {
        "streetName": street.strip(),
        "streetNumber": number.strip() or None,
        "town": order.town,
        "district": None,
        "building": None,
        "apartment": None,
        "formattedAddress": order.formatted_address,
        "latitude": lat,
        "longitude": lon,
    }


def masterproduct(entry: SandboxEntry, base: str) -> JSON:
    mid = b64id(entry.product_code)
    return {
        "type": "masterproducts",
        "id": mid,
        "attributes": {"code": entry.product_code, "name": entry.name, "category": entry.category},
        "relationships": {
            "merchantProduct": {
                "links": {
                    "self": f"{base}/masterproducts/{mid}/relationships/merchantProduct",
                    "related": f"{base}/masterproducts/{mid}/merchantProduct",
                },
                "data": None,
            }
        },
        "links": {"self": f"{base}/masterproducts/{mid}"},
    }


def merchantproduct(entry: SandboxEntry, base: str) -> JSON:
    pid = b64id(entry.sku)
    return {
        "type": "merchantproducts",
        "id": pid,
        "attributes": {"code": entry.sku, "name": entry.name},
        "relationships": {},
        "links": {"self": f"{base}/merchantproducts/{pid}"},
    }


def point_of_service(pickup_point_id: str, base: str) -> JSON:
    pid = b64id(pickup_point_id)
    city = _city("Алматы")
    return {
        "type": "pointofservices",
        "id": pid,
        "attributes": {"address": dict(_WAREHOUSE), "displayName": _pp_name(pickup_point_id)},
        "relationships": {
            "city": {
                "links": {
                    "self": f"{base}/pointofservices/{pid}/relationships/city",
                    "related": f"{base}/pointofservices/{pid}/city",
                },
                "data": {"type": "cities", "id": city["id"]},
            }
        },
        "links": {"self": f"{base}/pointofservices/{pid}"},
    }
