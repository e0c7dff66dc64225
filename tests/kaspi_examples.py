"""Kaspi's documented JSON:API examples A/B/C (/work/shared/api/kaspi.md §9) and builders over
them (fresh deep copies, entries attached the include=entries way) for the parser tests."""

from __future__ import annotations

import copy
import json
from typing import Any

from app.kaspi.parse import index_included

# --- fixtures from /work/shared/api/kaspi.md §9 -----------------------------------------

EXAMPLE_A = json.loads(
    """
{
  "data": [
    {
      "type": "orders",
      "id": "NTEyMzQ1Njc4",
      "attributes": {
        "code": "512345678",
        "totalPrice": 15980.0,
        "paymentMode": "PAY_WITH_CREDIT",
        "plannedDeliveryDate": 1761026400000,
        "creationDate": 1760335200000,
        "deliveryCostForSeller": 0.0,
        "isKaspiDelivery": false,
        "deliveryMode": "DELIVERY_LOCAL",
        "deliveryAddress": {
          "streetName": "улица Наурызбай батыра",
          "streetNumber": "154А",
          "town": "Алматы",
          "district": null,
          "building": null,
          "apartment": null,
          "formattedAddress": "Алматы, улица Наурызбай батыра, 154А",
          "latitude": 43.240013,
          "longitude": 76.938854
        },
        "signatureRequired": false,
        "creditTerm": 3,
        "preOrder": false,
        "pickupPointId": "30141222_PP1",
        "state": "NEW",
        "approvedByBankDate": 1760335230000,
        "status": "APPROVED_BY_BANK",
        "customer": {
          "id": "NzA3MTIzNDU2Nw",
          "name": null,
          "cellPhone": "7071234567",
          "firstName": "Айгерим",
          "lastName": "Садыкова"
        },
        "deliveryCost": 500.0
      },
      "relationships": {
        "user": {
          "links": {
            "self": "https://kaspi.kz/shop/api/v2/orders/NTEyMzQ1Njc4/relationships/user",
            "related": "https://kaspi.kz/shop/api/v2/orders/NTEyMzQ1Njc4/user"
          },
          "data": { "type": "customers", "id": "NzA3MTIzNDU2Nw" }
        },
        "entries": {
          "links": {
            "self": "https://kaspi.kz/shop/api/v2/orders/NTEyMzQ1Njc4/relationships/entries",
            "related": "https://kaspi.kz/shop/api/v2/orders/NTEyMzQ1Njc4/entries"
          }
        }
      },
      "links": { "self": "https://kaspi.kz/shop/api/v2/orders/NTEyMzQ1Njc4" }
    }
  ],
  "included": [],
  "meta": { "pageCount": 1, "totalCount": 1 }
}
"""
)

EXAMPLE_B = json.loads(
    """
{
  "data": [
    {
      "type": "orders",
      "id": "NTEzNTc5MjQ2",
      "attributes": {
        "code": "513579246",
        "creationDate": 1760338800000,
        "totalPrice": 5990.0,
        "deliveryCostForSeller": 895.0,
        "isKaspiDelivery": true,
        "preOrder": false,
        "approvedByBankDate": 1760338801000,
        "signatureRequired": false,
        "status": "ACCEPTED_BY_MERCHANT",
        "pickupPointId": "30141222_PP1",
        "state": "KASPI_DELIVERY",
        "deliveryCost": 0.0,
        "customer": {
          "id": "NzQ3OTg3NjU0Mw",
          "name": "Марат",
          "cellPhone": "7479876543",
          "firstName": "Марат",
          "lastName": "Маратов"
        },
        "originAddress": {
          "id": "MzAxNDEyMjJfUFAx",
          "displayName": "PP1",
          "address": {
            "streetName": "улица Каныша Сатпаева",
            "streetNumber": "22/1",
            "town": "г. Алматы",
            "district": null,
            "building": null,
            "apartment": null,
            "formattedAddress": "г. Алматы, улица Каныша Сатпаева, 22/1",
            "latitude": 43.23662559520485,
            "longitude": 76.93337309399296
          },
          "city": { "id": "NzUwMDAwMDAw", "code": "750000000", "name": "Алматы", "active": true }
        },
        "kaspiDelivery": {
          "waybill": "https://kaspi.kz/shop/api/waybill/...",
          "courierTransmissionDate": null,
          "courierTransmissionPlanningDate": 1760940000000,
          "waybillNumber": "101110589",
          "express": false,
          "returnedToWarehouse": false,
          "firstMileCourier": null
        },
        "assembled": true,
        "deliveryMode": "DELIVERY_REGIONAL_TODOOR",
        "paymentMode": "PREPAID"
      },
      "relationships": {
        "entries": {
          "data": [ { "id": "NTEzNTc5MjQ2IyMw", "type": "orderentries" } ],
          "links": {
            "self": "https://kaspi.kz/shop/api/v2/orders/NTEzNTc5MjQ2/relationships/entries",
            "related": "https://kaspi.kz/shop/api/v2/orders/NTEzNTc5MjQ2/entries"
          }
        },
        "user": {
          "data": { "id": "NzQ3OTg3NjU0Mw", "type": "customers" },
          "links": {
            "self": "https://kaspi.kz/shop/api/v2/orders/NTEzNTc5MjQ2/relationships/user",
            "related": "https://kaspi.kz/shop/api/v2/orders/NTEzNTc5MjQ2/user"
          }
        }
      },
      "links": { "self": "https://kaspi.kz/shop/api/v2/orders/NTEzNTc5MjQ2" }
    }
  ],
  "included": [
    {
      "id": "NTEzNTc5MjQ2IyMw",
      "type": "orderentries",
      "attributes": {
        "entryNumber": 0,
        "deliveryCost": 0.0,
        "quantity": 1,
        "weight": 0.0,
        "basePrice": 5990.0,
        "totalPrice": 5990.0,
        "unitType": "PIECES",
        "category": { "code": "Master - Lids", "title": "Крышки для посуды" },
        "offer": { "code": "TEFAL-LID-28", "isImeiRequired": false, "name": "Крышка Tefal Glass lid 28 см" }
      },
      "relationships": {
        "product": {
          "data": { "id": "MTIzNDU2Nzg5", "type": "masterproducts" },
          "links": {
            "self": "https://kaspi.kz/shop/api/v2/orderentries/NTEzNTc5MjQ2IyMw/relationships/product",
            "related": "https://kaspi.kz/shop/api/v2/orderentries/NTEzNTc5MjQ2IyMw/product"
          }
        },
        "deliveryPointOfService": {
          "data": { "id": "MzAxNDEyMjJfUFAx", "type": "pointofservices" },
          "links": {
            "self": "https://kaspi.kz/shop/api/v2/orderentries/NTEzNTc5MjQ2IyMw/relationships/deliveryPointOfService",
            "related": "https://kaspi.kz/shop/api/v2/orderentries/NTEzNTc5MjQ2IyMw/deliveryPointOfService"
          }
        }
      },
      "links": { "self": "https://kaspi.kz/shop/api/v2/orderentries/NTEzNTc5MjQ2IyMw" }
    }
  ],
  "meta": { "pageCount": 1, "totalCount": 1 }
}
"""
)

EXAMPLE_C = json.loads(
    """
{
  "data": [
    {
      "type": "orderentries",
      "id": "NTEyMzQ1Njc4IyMw",
      "attributes": {
        "unitType": "PIECES",
        "offer": { "code": "SKU-CASE-IP15-BLK", "name": "Чехол для iPhone 15 черный" },
        "quantity": 2,
        "totalPrice": 15980.0,
        "weight": 0.0,
        "entryNumber": 0,
        "category": { "code": "Master - Mobile cases", "title": "Чехлы для смартфонов" },
        "deliveryCost": 500.0,
        "basePrice": 7990.0,
        "isImeiRequired": false
      },
      "relationships": {
        "deliveryPointOfService": {
          "links": {},
          "data": { "type": "pointofservices", "id": "MzAxNDEyMjJfUFAx" }
        },
        "product": {
          "links": {},
          "data": { "type": "masterproducts", "id": "OTg3NjU0MzIx" }
        }
      },
      "links": { "self": "https://kaspi.kz/shop/api/v2/orderentries/NTEyMzQ1Njc4IyMw" }
    }
  ],
  "included": []
}
"""
)


def order_a() -> dict:
    return copy.deepcopy(EXAMPLE_A["data"][0])


def order_b() -> dict:
    return copy.deepcopy(EXAMPLE_B["data"][0])


def included_b() -> dict:
    return index_included(copy.deepcopy(EXAMPLE_B["included"]))


def entry_c() -> dict:
    return copy.deepcopy(EXAMPLE_C["data"][0])


def with_entries(order: dict, entries: list[dict]) -> tuple[dict, dict]:
    """Attach `entries` to an order the include=entries way."""
    order.setdefault("relationships", {})["entries"] = {
        "data": [{"type": "orderentries", "id": e["id"]} for e in entries]
    }
    return order, index_included(entries)


def make_entry(number: int, **attrs: Any) -> dict:
    base = {
        "entryNumber": number,
        "quantity": 1,
        "basePrice": 100.0,
        "totalPrice": 100.0,
        "unitType": "PIECES",
        "offer": {"code": f"SKU-{number}", "name": f"Товар {number}"},
    }
    base.update(attrs)
    return {"type": "orderentries", "id": f"E{number}", "attributes": base}
