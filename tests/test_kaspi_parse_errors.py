"""Parsing of Kaspi JSON:API orders that are wrong: bad orders name their code, a bad entry makes
its order bad, a page keeps the good ones; and mangled input never escapes as anything but a
KaspiParseError (hypothesis)."""

from __future__ import annotations

import contextlib
import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.errors import KaspiParseError
from app.kaspi.models import Order
from app.kaspi.parse import index_included, parse_entry, parse_order, parse_orders_page
from tests.kaspi_examples import EXAMPLE_A, make_entry, order_a, order_b, with_entries

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
