"""Parsing of Kaspi JSON:API orders: the documented examples A/B/C and the mutations the parser
tolerates. Bad orders and the never-escapes property are in test_kaspi_parse_errors.py, the
examples themselves in tests/kaspi_examples.py."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from app.kaspi.parse import index_included, parse_entry, parse_order, parse_orders_page
from tests.kaspi_examples import (
    EXAMPLE_A,
    EXAMPLE_B,
    entry_c,
    included_b,
    make_entry,
    order_a,
    order_b,
    with_entries,
)

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
