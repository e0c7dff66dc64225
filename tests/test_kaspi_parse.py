"""Parsing of Kaspi JSON:API orders: the documented examples A/B/C and their mutations."""

from __future__ import annotations

import contextlib
import copy
import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.errors import KaspiParseError
from app.kaspi.models import Order
from app.kaspi.parse import index_included, parse_entry, parse_order, parse_orders_page

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


# --- the examples as documented ----------------------------------------------------------


def test_example_a_list_without_include() -> None:
    page = parse_orders_page(copy.deepcopy(EXAMPLE_A))
    assert page.bad == [] and page.page_count == 1 and page.total_count == 1
    (order,) = page.orders
    assert order.id == "NTEyMzQ1Njc4"
    assert order.code == "512345678"
    assert order.state == "NEW" and order.status == "APPROVED_BY_BANK"
    assert order.total_price == Decimal("15980.0")
    assert order.created_at == datetime(2025, 10, 13, 6, 0, tzinfo=UTC)
    assert order.created_at.tzinfo is not None
    assert order.customer.first_name == "Айгерим" and order.customer.last_name == "Садыкова"
    assert order.customer.name is None
    assert order.customer.cell_phone == "7071234567"
    assert order.customer.id == "NzA3MTIzNDU2Nw"
    assert order.delivery_mode == "DELIVERY_LOCAL" and order.is_kaspi_delivery is False
    assert order.delivery_address == "Алматы, улица Наурызбай батыра, 154А"
    assert order.pickup_point_id == "30141222_PP1"
    assert order.payment_mode == "PAY_WITH_CREDIT"
    assert order.entries is None  # not included: not loaded, not "zero entries"
    assert order.extra["delivery_cost"] == Decimal("500.0")
    assert order.extra["credit_term"] == 3


def test_example_b_kaspi_delivery_with_included_entries() -> None:
    page = parse_orders_page(copy.deepcopy(EXAMPLE_B))
    (order,) = page.orders
    assert order.is_kaspi_delivery is True
    assert order.delivery_mode == "DELIVERY_REGIONAL_TODOOR"
    assert order.delivery_address is None
    assert order.customer.name == "Марат"
    assert order.entries is not None and len(order.entries) == 1
    entry = order.entries[0]
    assert entry.sku == "TEFAL-LID-28"
    assert entry.name == "Крышка Tefal Glass lid 28 см"
    assert entry.quantity == 1 and entry.unit_price == Decimal("5990.0")
    assert entry.category == "Крышки для посуды"
    assert entry.id == "NTEzNTc5MjQ2IyMw"
    assert order.extra["waybill"] == "https://kaspi.kz/shop/api/waybill/..."
    assert order.extra["waybill_number"] == "101110589"
    assert order.extra["express"] is False
    assert order.extra["assembled"] is True
    assert order.extra["is_imei_required"] is False
    assert order.extra["origin_point"] == "PP1"


def test_example_c_entry() -> None:
    entry = parse_entry(entry_c(), order_code="512345678")
    assert entry.entry_number == 0
    assert entry.sku == "SKU-CASE-IP15-BLK"
    assert entry.name == "Чехол для iPhone 15 черный"
    assert entry.quantity == 2
    assert entry.unit_price == Decimal("7990.0") and entry.total_price == Decimal("15980.0")
    assert entry.unit_type == "PIECES"
    assert entry.category == "Чехлы для смартфонов"


# --- tolerated mutations ----------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [(15980, "15980"), (15980.0, "15980.0"), ("15980", "15980"), ("15980.50", "15980.50"), (0.1, "0.1")],
)
def test_money_int_float_string(raw: Any, expected: str) -> None:
    resource = order_a()
    resource["attributes"]["totalPrice"] = raw
    assert parse_order(resource).total_price == Decimal(expected)


@pytest.mark.parametrize("raw", [1760335200000, 1760335200000.0, "1760335200000"])
def test_creation_date_forms(raw: Any) -> None:
    resource = order_a()
    resource["attributes"]["creationDate"] = raw
    assert parse_order(resource).created_at == datetime(2025, 10, 13, 6, 0, tzinfo=UTC)


def test_code_as_number() -> None:
    resource = order_a()
    resource["attributes"]["code"] = 512345678
    assert parse_order(resource).code == "512345678"


def test_null_customer() -> None:
    resource = order_a()
    resource["attributes"]["customer"] = None
    customer = parse_order(resource).customer
    # The id still comes from the `user` relationship linkage.
    assert customer.id == "NzA3MTIzNDU2Nw"
    assert customer.first_name is None and customer.cell_phone is None


def test_missing_customer_and_relationships() -> None:
    resource = order_a()
    del resource["attributes"]["customer"]
    del resource["relationships"]
    order = parse_order(resource)
    assert order.customer.id is None and order.customer.name is None and order.entries is None


def test_customer_from_included_user() -> None:
    resource = order_a()
    resource["attributes"]["customer"] = {"id": "NzA3MTIzNDU2Nw"}
    included = index_included(
        [{"type": "customers", "id": "NzA3MTIzNDU2Nw", "attributes": {"firstName": "Ерлан", "cellPhone": "7011112233"}}]
    )
    customer = parse_order(resource, included).customer
    assert customer.first_name == "Ерлан" and customer.cell_phone == "7011112233"


def test_null_name_and_no_phone() -> None:
    resource = order_a()
    resource["attributes"]["customer"] = {"id": "x", "name": None, "firstName": "Айгерим", "lastName": None}
    customer = parse_order(resource).customer
    assert customer.name is None and customer.last_name is None and customer.cell_phone is None
    assert customer.first_name == "Айгерим"


def test_kazakh_names_verbatim() -> None:
    resource = order_a()
    resource["attributes"]["customer"] = {
        "id": "x",
        "name": "Тұрағал",
        "firstName": "Әйгерім",
        "lastName": "Құдайбергенқызы",
        "cellPhone": "7751234567",
    }
    customer = parse_order(resource).customer
    assert (customer.name, customer.first_name, customer.last_name) == ("Тұрағал", "Әйгерім", "Құдайбергенқызы")


def test_missing_optional_blocks() -> None:
    resource = order_b()
    for key in ("kaspiDelivery", "originAddress", "deliveryAddress", "paymentMode", "pickupPointId"):
        resource["attributes"].pop(key, None)
    resource["attributes"]["deliveryMode"] = None
    order = parse_order(resource, included_b())
    assert order.delivery_address is None and order.delivery_mode is None and order.payment_mode is None
    assert "waybill" not in order.extra and "express" not in order.extra


def test_null_optional_blocks() -> None:
    resource = order_b()
    for key in ("kaspiDelivery", "originAddress", "deliveryAddress", "customer"):
        resource["attributes"][key] = None
    order = parse_order(resource, included_b())
    assert order.code == "513579246" and order.entries is not None


def test_address_without_formatted_address() -> None:
    resource = order_a()
    del resource["attributes"]["deliveryAddress"]["formattedAddress"]
    assert parse_order(resource).delivery_address == "Алматы, улица Наурызбай батыра, 154А"


def test_express_and_imei_in_other_places() -> None:
    resource = order_b()
    del resource["attributes"]["kaspiDelivery"]["express"]
    resource["attributes"]["express"] = True
    included = included_b()
    offer = next(iter(included.values()))["attributes"]["offer"]
    offer["isImeiRequired"] = True
    order = parse_order(resource, included)
    assert order.extra["express"] is True
    assert order.extra["is_imei_required"] is True

    resource = order_a()
    resource["attributes"]["isImeiRequired"] = True
    assert parse_order(resource).extra["is_imei_required"] is True


def test_zero_entries_is_not_none() -> None:
    resource, included = with_entries(order_a(), [])
    assert parse_order(resource, included).entries == ()


def test_null_entries_data_means_not_loaded() -> None:
    resource = order_a()
    resource["relationships"]["entries"]["data"] = None
    assert parse_order(resource).entries is None


def test_linkage_without_included_resource_means_not_loaded() -> None:
    resource, _ = with_entries(order_a(), [make_entry(0)])
    assert parse_order(resource, {}).entries is None
    assert parse_order(resource, None).entries is None


def test_150_entries_sorted() -> None:
    entries = [make_entry(n) for n in reversed(range(150))]
    resource, included = with_entries(order_a(), entries)
    order = parse_order(resource, included)
    assert order.entries is not None and len(order.entries) == 150
    assert [e.entry_number for e in order.entries] == list(range(150))
    assert order.entries[149].sku == "SKU-149"


def test_weighed_goods_fractional_quantity() -> None:
    entry = make_entry(0, unitType="MEASURABLE", quantity=1.25, basePrice=2400.0, totalPrice=3000.0, weight=1250.0)
    parsed = parse_entry(entry)
    assert parsed.quantity == Decimal("1.25") and parsed.unit_type == "MEASURABLE"
    assert parsed.total_price == Decimal("3000.0")


def test_entry_quantity_as_string_and_missing_total() -> None:
    entry = make_entry(0, quantity="3", basePrice="250")
    del entry["attributes"]["totalPrice"]
    parsed = parse_entry(entry)
    assert parsed.quantity == 3 and parsed.total_price == Decimal("750")


def test_entry_missing_offer_falls_back() -> None:
    entry = entry_c()
    del entry["attributes"]["offer"]
    parsed = parse_entry(entry)
    assert parsed.sku == ""  # unknown: the client resolves it via the product chain
    assert parsed.name == "Чехлы для смартфонов"

    master = {"type": "masterproducts", "id": "OTg3NjU0MzIx", "attributes": {"code": "987654321", "name": "Чехол"}}
    parsed = parse_entry(entry, products=[master])
    assert parsed.sku == "987654321" and parsed.name == "Чехол"

    merchant = {"type": "merchantproducts", "id": "m", "attributes": {"code": "SKU-CASE-IP15-BLK"}}
    parsed = parse_entry(entry, products=[merchant, master])
    assert parsed.sku == "SKU-CASE-IP15-BLK" and parsed.name == "Чехол"

    del entry["attributes"]["category"]
    assert parse_entry(entry).name == "Товар"


def test_included_master_product_used_for_missing_offer() -> None:
    entry = entry_c()
    del entry["attributes"]["offer"]
    master = {"type": "masterproducts", "id": "OTg3NjU0MzIx", "attributes": {"code": "987654321", "name": "Чехол"}}
    resource, included = with_entries(order_a(), [entry])
    included[("masterproducts", "OTg3NjU0MzIx")] = master
    order = parse_order(resource, included)
    assert order.entries is not None and order.entries[0].sku == "987654321"


def test_entry_missing_entry_number_uses_position() -> None:
    first, second = make_entry(0), make_entry(1)
    del first["attributes"]["entryNumber"], second["attributes"]["entryNumber"]
    resource, included = with_entries(order_a(), [first, second])
    order = parse_order(resource, included)
    assert order.entries is not None and [e.entry_number for e in order.entries] == [0, 1]


def test_index_included_skips_junk() -> None:
    index = index_included([None, 3, {"type": "x"}, {"type": "orderentries", "id": "A"}, "str"])
    assert list(index) == [("orderentries", "A")]
    assert index_included(None) == {} and index_included({"not": "a list"}) == {}  # type: ignore[arg-type]


# --- bad orders -------------------------------------------------------------------------


def _mutated(path: list[str], value: Any = ...) -> dict:
    resource = order_a()
    target = resource
    for key in path[:-1]:
        target = target[key]
    if value is ...:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return resource


@pytest.mark.parametrize(
    "resource, fragment",
    [
        (_mutated(["attributes", "totalPrice"]), "нет суммы заказа (totalPrice)"),
        (_mutated(["attributes", "totalPrice"], "пятнадцать"), "непонятная сумма заказа"),
        (_mutated(["attributes", "totalPrice"], float("nan")), "непонятная сумма заказа"),
        (_mutated(["attributes", "totalPrice"], True), "непонятная сумма заказа"),
        (_mutated(["attributes", "creationDate"]), "нет даты создания"),
        (_mutated(["attributes", "creationDate"], "вчера"), "непонятная дата создания"),
        (_mutated(["attributes", "creationDate"], 1760335200), "непонятная дата создания"),  # seconds
        (_mutated(["attributes", "state"]), "нет состояния заказа"),
        (_mutated(["attributes", "status"], None), "нет статуса заказа"),
        (_mutated(["id"]), "нет идентификатора заказа"),
    ],
)
def test_bad_order_names_code(resource: dict, fragment: str) -> None:
    with pytest.raises(KaspiParseError) as info:
        parse_order(resource)
    assert info.value.order_code == "512345678"
    assert info.value.message.startswith("Заказ 512345678: ")
    assert fragment in info.value.message


def test_missing_total_exact_message() -> None:
    with pytest.raises(KaspiParseError) as info:
        parse_order(_mutated(["attributes", "totalPrice"]))
    assert info.value.message == "Заказ 512345678: нет суммы заказа (totalPrice)"


@pytest.mark.parametrize("code", [None, "", "   ", [], {"a": 1}, True, 1.5])
def test_bad_code(code: Any) -> None:
    resource = order_a()
    if code is None:
        del resource["attributes"]["code"]
    else:
        resource["attributes"]["code"] = code
    with pytest.raises(KaspiParseError) as info:
        parse_order(resource)
    assert info.value.order_code is None
    assert "номер" in info.value.message


@pytest.mark.parametrize("resource", [None, [], "order", {"id": "x"}, {"id": "x", "attributes": [1, 2]}])
def test_not_an_order(resource: Any) -> None:
    with pytest.raises(KaspiParseError):
        parse_order(resource)


def test_bad_entry_makes_order_bad() -> None:
    resource, included = with_entries(order_a(), [make_entry(0), make_entry(1, quantity="много")])
    with pytest.raises(KaspiParseError) as info:
        parse_order(resource, included)
    assert info.value.order_code == "512345678"
    assert "строка 1" in info.value.message and "количество" in info.value.message


def test_entry_without_prices() -> None:
    entry = make_entry(0)
    del entry["attributes"]["basePrice"], entry["attributes"]["totalPrice"]
    with pytest.raises(KaspiParseError, match="Заказ 777: строка заказа: строка 0: нет цены"):
        parse_entry(entry, order_code="777")


def test_page_collects_bad_and_keeps_good() -> None:
    payload = copy.deepcopy(EXAMPLE_A)
    broken = order_a()
    broken["attributes"]["code"] = "600000001"
    del broken["attributes"]["totalPrice"]
    payload["data"] = [broken, "junk", order_a()]
    page = parse_orders_page(payload)
    assert [o.code for o in page.orders] == ["512345678"]
    assert [e.order_code for e in page.bad] == ["600000001", None]
    assert page.size == 3


@pytest.mark.parametrize("payload", [None, [], "<html>", {"errors": []}, {"data": "x"}])
def test_page_wrong_shape(payload: Any) -> None:
    with pytest.raises(KaspiParseError):
        parse_orders_page(payload)


def test_page_meta_variants() -> None:
    assert parse_orders_page({"data": []}).page_count is None
    assert parse_orders_page({"data": [], "meta": {"pageCount": 0}}).page_count == 0
    assert parse_orders_page({"data": None, "meta": {"pageCount": "2"}}).page_count == 2
    assert parse_orders_page({"data": [], "meta": None, "included": "x"}).size == 0
    single = parse_orders_page({"data": order_a(), "included": []})
    assert [o.code for o in single.orders] == ["512345678"]


# --- property: mangled input never escapes as a non-Kaspi error --------------------------

_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(["1760335200000", "15980.0", "1e999999", "NaN", "-0", "7 000", "1,5", "Infinity"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
_KEYS = sorted(
    set(order_a()["attributes"]) | set(order_b()["attributes"]) | {"isImeiRequired", "express", "cancellationReason"}
)


@st.composite
def _mangled_attributes(draw: st.DrawFn) -> Any:
    if draw(st.integers(0, 9)) == 0:
        return draw(_json)  # not even a dict sometimes
    attrs = copy.deepcopy(order_b()["attributes"] if draw(st.booleans()) else order_a()["attributes"])
    for key in draw(st.lists(st.sampled_from(_KEYS), max_size=8)):
        if draw(st.booleans()):
            attrs.pop(key, None)
        else:
            attrs[key] = draw(_json)
    for key, value in draw(st.dictionaries(st.text(max_size=8), _json, max_size=3)).items():
        attrs[key] = value
    return attrs


@st.composite
def _mangled_entries(draw: st.DrawFn) -> tuple[list[Any], list[Any]]:
    entries: list[Any] = []
    for n in range(draw(st.integers(0, 3))):
        entry = make_entry(n)
        for key in draw(st.lists(st.sampled_from([*entry["attributes"], "category"]), max_size=4)):
            entry["attributes"][key] = draw(_json)
        entries.append(entry if draw(st.integers(0, 5)) else draw(_json))
    links = [{"type": "orderentries", "id": e["id"]} if isinstance(e, dict) and "id" in e else draw(_json) for e in entries]
    return links, entries


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(attrs=_mangled_attributes(), entries=_mangled_entries(), relationships=st.none() | _json)
def test_parse_order_never_raises_anything_else(attrs: Any, entries: tuple[list, list], relationships: Any) -> None:
    links, included = entries
    resource: dict[str, Any] = {"type": "orders", "id": "NTEyMzQ1Njc4", "attributes": attrs}
    resource["relationships"] = relationships if relationships is not None else {"entries": {"data": links}}
    try:
        order = parse_order(resource, index_included(included))
    except KaspiParseError as exc:  # either outcome is allowed; each is checked for what it must hold
        assert exc.message.startswith("Заказ ")  # noqa: PT017
        if isinstance(attrs, dict) and isinstance(attrs.get("code"), str) and attrs["code"].strip():
            assert exc.order_code == attrs["code"].strip()  # noqa: PT017
    else:
        assert isinstance(order, Order)
        assert order.created_at.tzinfo is not None
        assert order.total_price.is_finite()
        if order.entries is not None:
            assert all(e.quantity >= 0 and e.total_price.is_finite() for e in order.entries)


@settings(max_examples=40, deadline=None)
@given(payload=_json | st.dictionaries(st.sampled_from(["data", "meta", "included"]), _json))
def test_parse_orders_page_never_raises_anything_else(payload: Any) -> None:
    with contextlib.suppress(KaspiParseError):
        parse_orders_page(payload)


def test_ambiguous_comma_amount_rejected() -> None:
    resource = order_a()
    resource["attributes"]["totalPrice"] = "15,980"
    with pytest.raises(KaspiParseError, match="непонятная сумма заказа"):
        parse_order(resource)
