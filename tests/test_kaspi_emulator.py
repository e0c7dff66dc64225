"""Black-box tests of the Kaspi emulator through real HTTP, plus the seed data invariants."""

from __future__ import annotations

import base64
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from urllib3.util import SKIP_HEADER

from app.sandbox.http import EmulatorServer
from app.sandbox.kaspi import SANDBOX_MERCHANT_ID, KaspiEmulator, b64id
from app.sandbox.seed import (
    DECOY_CONTACT_PHONE,
    bulk_orders,
    demo_contacts,
    demo_orders,
    demo_products,
    make_order,
    to_ms,
)

NOW = datetime(2025, 10, 14, 12, 0, tzinfo=UTC)
NOW_MS = to_ms(NOW)
DAY_MS = 86_400_000
TOKEN = "sandbox-kaspi-token"
HEADERS = {
    "X-Auth-Token": TOKEN,
    "Accept": "application/vnd.api+json",
    "Content-Type": "application/vnd.api+json",
    "User-Agent": "kaspi-amo-sync/test",
}
WINDOW = {
    "filter[orders][creationDate][$ge]": NOW_MS - 2 * DAY_MS,
    "filter[orders][creationDate][$le]": NOW_MS,
}


class Api:
    """A tiny client like the real one: explicit UA and Accept, base URL with /shop/api/v2."""

    def __init__(self, server: EmulatorServer, emulator: KaspiEmulator) -> None:
        self.base = server.url + "/shop/api/v2"
        self.emulator = emulator

    def get(self, path: str, params: dict[str, Any] | None = None, **headers: Any) -> requests.Response:
        merged = {**HEADERS, **{k.replace("_", "-"): v for k, v in headers.items()}}
        url = path if path.startswith("http") else self.base + path
        # A fresh connection per call (module-level requests.get): keep-alive requests to
        # EmulatorServer pay ~40 ms each (Nagle + delayed ACK, headers and body are two writes).
        return requests.get(url, params=params, headers=merged, timeout=3)

    def orders(self, **params: Any) -> requests.Response:
        query = {"page[number]": 0, "page[size]": 100, **WINDOW}
        query.update({_param(k): v for k, v in params.items()})
        return self.get("/orders", {k: v for k, v in query.items() if v is not None})

    def post(self, body: dict[str, Any], **headers: str) -> requests.Response:
        merged = {**HEADERS, "X-Merchant-Uid": SANDBOX_MERCHANT_ID, **{k.replace("_", "-"): v for k, v in headers.items()}}
        return requests.post(self.base + "/orders", json=body, headers=merged, timeout=3)


def _param(name: str) -> str:
    aliases = {
        "page": "page[number]", "size": "page[size]", "state": "filter[orders][state]",
        "status": "filter[orders][status]", "ge": "filter[orders][creationDate][$ge]",
        "le": "filter[orders][creationDate][$le]", "include": "include[orders]",
        "code": "filter[orders][code]", "delivery": "filter[orders][deliveryType]",
        "signature": "filter[orders][signatureRequired]",
    }
    return aliases.get(name, name)


@contextmanager
def serving(**options: Any) -> Iterator[Api]:
    """A demo-seeded emulator with `options`, served on 127.0.0.1 for one block."""
    emulator = KaspiEmulator(clock=lambda: NOW_MS / 1000, **options)
    emulator.add_orders(demo_orders(NOW))
    server = EmulatorServer(emulator).start()
    try:
        yield Api(server, emulator)
    finally:
        emulator.close()
        # shutdown() waits for the serve loop's 0.5 s poll; let it finish in the background.
        threading.Thread(target=server.stop, daemon=True).start()


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    """Shared read-only emulator; tests that mutate state use `fresh`."""
    with serving() as served:
        yield served


@pytest.fixture
def fresh() -> Iterator[Api]:
    with serving() as served:
        yield served


def codes(response: requests.Response) -> list[str]:
    return [o["attributes"]["code"] for o in response.json()["data"]]


# --- transport --------------------------------------------------------------------------


def test_missing_or_unknown_token_is_401(api: Api) -> None:
    for token in (None, "wrong"):
        response = api.get("/orders", {"page[number]": 0, "page[size]": 10, **WINDOW}, X_Auth_Token=token)
        assert response.status_code == 401
        assert response.json() == {"errors": [{"status": "401", "title": "Unauthorized"}]}


def test_missing_accept_is_404_html(api: Api) -> None:
    response = api.get("/orders", {"page[number]": 0, "page[size]": 10, **WINDOW}, Accept=None)
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/html")
    assert response.text.lstrip().startswith("<")


@pytest.mark.parametrize("accept", ["application/json", "*/*", "application/vnd.api+json;charset=UTF-8",
                                    "application/json, text/plain, */*"])
def test_accept_variants(api: Api, accept: str) -> None:
    response = api.get("/orders", {"page[number]": 0, "page[size]": 5, **WINDOW}, Accept=accept)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/vnd.api+json")


def test_default_python_user_agent_hangs_then_drops() -> None:
    with serving(hang_seconds=0.1) as api:
        params = {"page[number]": 0, "page[size]": 10, **WINDOW}
        for ua in (SKIP_HEADER, "", None, requests.utils.default_user_agent()):  # None: urllib3's default
            started = time.monotonic()
            with pytest.raises(requests.exceptions.ConnectionError):
                api.get("/orders", params, User_Agent=ua)
            assert time.monotonic() - started >= 0.09
        assert api.get("/orders", params).status_code == 200


def test_fault_injection(fresh: Api) -> None:
    fresh.emulator.fail_next(2, status=503)
    assert fresh.orders().status_code == 503
    second = fresh.orders()
    assert second.status_code == 503 and second.json()["errors"][0]["status"] == "503"
    assert fresh.orders().status_code == 200
    fresh.emulator.drop_next(1)
    with pytest.raises(requests.exceptions.ConnectionError):
        fresh.orders()
    assert fresh.orders().status_code == 200
    assert fresh.emulator.request_count == 5
    method, path, query = fresh.emulator.request_log[-1]
    assert (method, path, query["page[size]"]) == ("GET", "/shop/api/v2/orders", "100")


def test_concurrent_reads_while_orders_arrive(fresh: Api) -> None:
    statuses: list[int] = []

    def reader() -> None:
        for _ in range(3):
            statuses.append(fresh.orders(include="entries,user", size=20).status_code)

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for thread in threads:
        thread.start()
    fresh.emulator.add_orders(bulk_orders(300, now=NOW, seed=2))
    for thread in threads:
        thread.join()
    assert statuses == [200] * 12
    assert fresh.orders(size=1).json()["meta"]["totalCount"] == 316
    assert fresh.emulator.request_count == 13


# --- GET /orders: validation ------------------------------------------------------------


def test_missing_ge_exact_title(api: Api) -> None:
    response = api.orders(ge=None)
    assert response.status_code == 400
    assert response.json() == {"errors": [{"title": "Required filter [orders][creationDate][$ge] is empty."}]}


@pytest.mark.parametrize("span_ms, actual", [(30 * DAY_MS, 30), (14 * DAY_MS + 1, 15), (15 * DAY_MS, 15)])
def test_window_over_14_days_exact_title(api: Api, span_ms: int, actual: int) -> None:
    response = api.orders(ge=NOW_MS - span_ms, le=NOW_MS)
    assert response.status_code == 400
    assert response.json() == {"errors": [{"title": (
        "Exceeded the maximum difference for the filter[orders][creationDate] (in days). "
        f"Actual [{actual}], max [14].")}]}


def test_exactly_14_days_and_default_le(api: Api) -> None:
    assert api.orders(ge=NOW_MS - 14 * DAY_MS, le=NOW_MS).status_code == 200
    assert api.orders(ge=NOW_MS - 14 * DAY_MS, le=None).status_code == 200  # $le defaults to now
    assert api.orders(ge=NOW_MS - 15 * DAY_MS, le=None).status_code == 400


@pytest.mark.parametrize("params", [
    {"size": 0}, {"size": None}, {"page": None}, {"page": "one"}, {"page": -1},
    {"ge": "yesterday"}, {"le": "1.5e12"}, {"state": "NEW,PICKUP"}, {"status": "LOST"},
    {"delivery": "DELIVERY_LOCAL"}, {"signature": "maybe"},
])
def test_bad_parameters_are_400_not_500(api: Api, params: dict[str, Any]) -> None:
    response = api.orders(**params)
    assert response.status_code == 400
    assert response.json()["errors"][0]["title"]


def test_oversize_page_is_clamped_to_100_like_the_real_api() -> None:
    """shared/api/kaspi.md §13: page[size] over 100 silently returns 100 (no 400)."""
    with serving() as api:
        api.emulator.add_orders(bulk_orders(130, now=NOW))
        response = api.orders(size=1000)
        assert response.status_code == 200
        body = response.json()
        assert len(body["data"]) == 100
        assert body["meta"] == {"pageCount": 2, "totalCount": 146}
        assert len(api.orders(size=101, page=1).json()["data"]) == 46


# --- GET /orders: results ---------------------------------------------------------------


def test_paging_is_zero_based_with_meta(api: Api) -> None:
    first = api.orders(state="DELIVERY", size=4).json()
    total = first["meta"]["totalCount"]
    assert total == 9
    assert first["meta"]["pageCount"] == 3
    seen = codes(api.orders(state="DELIVERY", size=4))
    seen += codes(api.orders(state="DELIVERY", size=4, page=1))
    last = api.orders(state="DELIVERY", size=4, page=2)
    assert len(last.json()["data"]) == 1
    seen += codes(last)
    assert len(seen) == len(set(seen)) == total
    assert api.orders(state="DELIVERY", size=4, page=3).json()["data"] == []
    created = [o["attributes"]["creationDate"] for o in api.orders().json()["data"]]
    assert created == sorted(created)


def test_empty_result_has_zero_page_count(api: Api) -> None:
    body = api.orders(ge=NOW_MS - 10 * DAY_MS, le=NOW_MS - 9 * DAY_MS).json()
    assert body == {"data": [], "included": [], "meta": {"pageCount": 0, "totalCount": 0}}


def test_state_status_and_other_filters(api: Api) -> None:
    assert len(codes(api.orders())) == 16  # no state: every state
    assert sorted(codes(api.orders(state="ARCHIVE"))) == ["700000110", "700000111"]
    assert codes(api.orders(status="CANCELLED")) == ["700000111"]
    assert codes(api.orders(state="ARCHIVE", status="COMPLETED")) == ["700000110"]
    assert codes(api.orders(state="KASPI_DELIVERY")) == ["700000107"]
    assert codes(api.orders(delivery="PICKUP")) == ["700000108"]
    assert "700000108" not in codes(api.orders(delivery="DELIVERY"))
    assert codes(api.orders(signature="true")) == ["700000109"]
    assert codes(api.orders(state="NEW", ge=NOW_MS - 3600_000)) == ["700000115"]


def test_order_rendering_like_example_a(api: Api) -> None:
    body = api.orders(code="700000101").json()
    order = body["data"][0]
    attrs = order["attributes"]
    assert order["id"] == "NzAwMDAwMTAx" == b64id("700000101")
    assert order["links"]["self"] == f"{api.base}/orders/NzAwMDAwMTAx"
    assert attrs["customer"] == {"id": b64id("7011234567"), "name": None, "cellPhone": "7011234567",
                                 "firstName": "Айгерим", "lastName": "Садыкова"}
    assert attrs["totalPrice"] == 197980.0 and isinstance(attrs["totalPrice"], float)
    assert attrs["deliveryMode"] == "DELIVERY_LOCAL" and attrs["isKaspiDelivery"] is False
    assert attrs["deliveryAddress"]["formattedAddress"] == "Алматы, улица Наурызбай батыра, 154А"
    assert attrs["deliveryAddress"]["streetNumber"] == "154А"
    assert attrs["state"] == "DELIVERY" and attrs["status"] == "ACCEPTED_BY_MERCHANT"  # accepted long ago
    for key in ("creationDate", "approvedByBankDate", "plannedDeliveryDate", "creditTerm", "preOrder",
                "signatureRequired", "pickupPointId", "deliveryCost", "deliveryCostForSeller", "paymentMode"):
        assert key in attrs
    assert order["relationships"]["user"]["data"] == {"type": "customers", "id": b64id("7011234567")}
    assert set(order["relationships"]["entries"]) == {"links"}
    assert body["included"] == []


def test_kaspi_delivery_and_special_orders(api: Api) -> None:
    kd = api.orders(code="700000107").json()["data"][0]["attributes"]
    assert kd["isKaspiDelivery"] is True and kd["deliveryMode"] == "DELIVERY_REGIONAL_TODOOR"
    assert set(kd["kaspiDelivery"]) >= {"waybill", "courierTransmissionPlanningDate", "express"}
    assert kd["originAddress"]["city"]["code"] == "750000000"
    no_phone = api.orders(code="700000103").json()["data"][0]["attributes"]["customer"]
    assert no_phone["cellPhone"] is None
    cancelled = api.orders(code="700000111").json()["data"][0]["attributes"]
    assert cancelled["cancellationReason"] == "BUYER_CANCELLATION_BY_MERCHANT"
    assert cancelled["customer"]["cellPhone"] == "7769876501"  # masking is off by default


def test_mask_archived_phones() -> None:
    with serving(mask_archived_phones=True) as api:
        archived = api.orders(state="ARCHIVE").json()["data"]
        assert {o["attributes"]["customer"]["cellPhone"] for o in archived} == {"+0(000)-000-00-00"}
        assert api.orders(code="700000101").json()["data"][0]["attributes"]["customer"]["cellPhone"] == "7011234567"


def test_include_entries_and_user(api: Api) -> None:
    body = api.orders(include="entries,user", state="DELIVERY", ge=NOW_MS - 7 * 3600_000).json()
    assert codes_of(body) == ["700000113", "700000114"]
    first = body["data"][0]
    linkage = first["relationships"]["entries"]["data"]
    assert linkage == [{"type": "orderentries", "id": b64id("700000113##0")},
                       {"type": "orderentries", "id": b64id("700000113##1")}]
    kinds = [item["type"] for item in body["included"]]
    assert kinds.count("orderentries") == 3 and kinds.count("customers") == 2
    entry = next(i for i in body["included"] if i["id"] == linkage[0]["id"])
    assert entry["attributes"]["offer"] == {"code": "HUGGIES-ELITE-3-72",
                                            "name": "Подгузники Huggies Elite Soft 3 (5-9 кг) 72 шт"}
    assert entry["attributes"]["quantity"] == 2 and entry["attributes"]["totalPrice"] == 21980.0
    only_user = api.orders(include="user", state="DELIVERY").json()
    assert {i["type"] for i in only_user["included"]} == {"customers"}
    assert "data" not in only_user["data"][0]["relationships"]["entries"]


def codes_of(body: dict[str, Any]) -> list[str]:
    return [o["attributes"]["code"] for o in body["data"]]


def test_filter_by_code_ignores_dates(api: Api) -> None:
    response = api.get("/orders", {"filter[orders][code]": "700000110"})
    body = response.json()
    assert response.status_code == 200
    assert codes_of(body) == ["700000110"] and body["meta"] == {"pageCount": 1, "totalCount": 1}
    old = api.get("/orders", {"filter[orders][code]": "700000101", "page[number]": 0, "page[size]": 1,
                              "include[orders]": "entries"}).json()
    assert len(old["data"][0]["relationships"]["entries"]["data"]) == 2
    missing = api.get("/orders", {"filter[orders][code]": "123"}).json()
    assert missing == {"data": [], "included": [], "meta": {"pageCount": 0, "totalCount": 0}}


def test_leak_quirk_adds_orders_before_ge() -> None:
    with serving(leak_before_ge=2) as api:
        ge = to_ms(NOW - timedelta(hours=21))  # 700000107 was created 22 h ago, 700000106 24 h ago
        page0 = codes(api.orders(ge=ge))
        assert page0[0] == "700000107" and "700000106" not in page0
        assert api.orders(ge=ge).json()["meta"]["totalCount"] == len(page0) - 1
        assert "700000107" not in codes(api.orders(ge=ge, page=1, size=5))


# --- single resources -------------------------------------------------------------------


def test_order_by_id_and_raw_code_404(api: Api) -> None:
    ok = api.get(f"/orders/{b64id('700000102')}")
    assert ok.status_code == 200
    body = ok.json()
    assert body["included"] == [] and "meta" not in body
    assert body["data"]["attributes"]["customer"]["cellPhone"] == "7771234567"
    for bad in ("700000102", b64id("999999999"), "!!"):
        response = api.get(f"/orders/{bad}")
        assert response.status_code == 404
        assert response.json()["errors"][0]["status"] == "404"
    assert api.get("/nothing-here").status_code == 404


def test_entries_chain_to_merchant_product(api: Api) -> None:
    body = api.get(f"/orders/{b64id('700000106')}/entries").json()
    assert set(body) == {"data", "included"} and body["included"] == []
    assert [e["attributes"]["entryNumber"] for e in body["data"]] == [0, 1, 2]
    entry = body["data"][1]
    assert entry["id"] == b64id("700000106##1")
    single = api.get(entry["links"]["self"]).json()["data"]
    assert single == entry
    product = api.get(entry["relationships"]["product"]["links"]["related"]).json()["data"]
    assert product["type"] == "masterproducts"
    assert base64.b64decode(product["id"] + "==").decode() == product["attributes"]["code"]
    assert re.fullmatch(r"\d{9}", product["attributes"]["code"])
    assert api.get(product["links"]["self"]).json()["data"] == product
    merchant = api.get(product["relationships"]["merchantProduct"]["links"]["related"]).json()["data"]
    assert merchant["type"] == "merchantproducts"
    assert merchant["attributes"]["code"] == entry["attributes"]["offer"]["code"] == "CHICCO-NF-250"
    assert api.get(merchant["links"]["self"]).status_code == 200
    pos = api.get(entry["relationships"]["deliveryPointOfService"]["links"]["related"]).json()["data"]
    assert pos["attributes"]["displayName"] == "PP1"
    assert api.get(f"/orderentries/{b64id('700000106##9')}").status_code == 404
    assert len(api.get(f"/orders/{b64id('700000105')}/entries").json()["data"]) == 150
    assert api.get(f"/orders/{b64id('700000104')}/entries").json()["data"] == []


def test_public_url_in_links() -> None:
    with serving(public_url="https://kaspi.kz/shop/api/v2") as api:
        order = api.orders(code="700000101").json()["data"][0]
        assert order["links"]["self"] == "https://kaspi.kz/shop/api/v2/orders/NzAwMDAwMTAx"


# --- POST /orders -----------------------------------------------------------------------


def _status_body(code: str, status: str, **attrs: Any) -> dict[str, Any]:
    return {"data": {"type": "orders", "id": b64id(code), "attributes": {"code": code, "status": status, **attrs}}}


def test_status_transitions(fresh: Api) -> None:
    accepted = fresh.post(_status_body("700000120", "ACCEPTED_BY_MERCHANT"))
    assert accepted.status_code == 200
    data = accepted.json()["data"]
    assert data["attributes"] == {"code": "700000120", "status": "ACCEPTED_BY_MERCHANT"}
    assert data["relationships"]["user"]["data"] is None
    assert fresh.emulator.order("700000120").state == "DELIVERY"
    assert fresh.post(_status_body("700000120", "ACCEPTED_BY_MERCHANT")).status_code == 400
    assert fresh.post(_status_body("700000120", "COMPLETED"), X_Send_Code="true").status_code == 200
    code = fresh.emulator.security_code("700000120")
    assert code is not None
    assert fresh.post(_status_body("700000120", "COMPLETED"), X_Security_Code=code).status_code == 200
    again = fresh.post(_status_body("700000120", "COMPLETED"))
    assert again.json() == {"errors": [{"title": "Order already has been completed, so it can't be completed again."}]}
    assert fresh.post(_status_body("700000115", "COMPLETED")).status_code == 400  # not accepted yet
    assert fresh.post(_status_body("700000115", "CANCELLED")).status_code == 400  # no reason
    ok = fresh.post(_status_body("700000115", "CANCELLED", cancellationReason="MERCHANT_OUT_OF_STOCK"))
    assert ok.status_code == 200
    cancelled = fresh.emulator.order("700000115")
    assert (cancelled.state, cancelled.status, cancelled.cancellation_reason) == (
        "ARCHIVE", "CANCELLED", "MERCHANT_OUT_OF_STOCK")
    assert fresh.post(_status_body("999999999", "CANCELLED")).status_code == 404
    fresh.emulator.set_status("700000114", state="ARCHIVE", status="CANCELLED", cancellation_reason="RFO_REJECTED")
    assert fresh.orders(code="700000114").json()["data"][0]["attributes"]["cancellationReason"] == "RFO_REJECTED"


# --- seed ---------------------------------------------------------------------------------


def _digits(phone: str) -> str:
    return re.sub(r"\D", "", phone)


def test_demo_orders_cover_the_cases() -> None:
    orders = demo_orders(NOW)
    assert orders == demo_orders(NOW)  # deterministic
    assert 13 <= len(orders) <= 17 and len({o.code for o in orders}) == len(orders)
    assert all(NOW_MS - 36 * 3600_000 <= o.created_ms < NOW_MS for o in orders)
    by_phone: dict[str | None, list] = {}
    for order in orders:
        by_phone.setdefault(order.phone, []).append(order)
    contact_phones = [_digits(p)[-10:] for c in demo_contacts() for p in c["phones"]]
    assert "7011234567" in by_phone and "7011234567" in contact_phones
    assert "8 (701) 123-45-67" in [p for c in demo_contacts() for p in c["phones"]]
    assert "7771234567" in by_phone and _digits(DECOY_CONTACT_PHONE)[-10:] == "7051234567"
    assert "7051234567" not in by_phone and "7771234567" not in contact_phones
    assert None in by_phone
    assert any(len(o.entries) == 0 for o in orders)
    assert any(len(o.entries) == 150 for o in orders)
    assert any(o.first_name == "Гүлнұрсұлтан" and o.last_name == "Әбдіқадырқызы-Жұмабекова" for o in orders)
    assert any(o.is_kaspi_delivery and o.delivery_mode == "DELIVERY_REGIONAL_TODOOR" for o in orders)
    assert any(o.state == "PICKUP" and o.delivery_mode == "DELIVERY_PICKUP" for o in orders)
    assert any(o.state == "SIGN_REQUIRED" for o in orders)
    assert sorted(o.status for o in orders if o.state == "ARCHIVE") == ["CANCELLED", "COMPLETED"]
    twice = [p for p, group in by_phone.items() if p and len(group) == 2 and p not in contact_phones]
    assert twice, "a buyer without an amo contact must order twice"
    skus = {e.sku for o in orders for e in o.entries}
    seeded = {p["sku"] for p in demo_products()}
    assert seeded & skus and skus - seeded
    assert all(p["price"] > 0 and p["name"] for p in demo_products())
    unrelated = [c for c in demo_contacts() if not {_digits(p)[-10:] for p in c["phones"]} & set(by_phone)]
    assert len(unrelated) >= 3  # the decoy plus at least two unrelated contacts


def test_make_order_defaults() -> None:
    order = make_order("1", created=datetime(2025, 1, 1))  # noqa: DTZ001 - a naive date is read as UTC
    assert order.created_ms == to_ms(datetime(2025, 1, 1, tzinfo=UTC))
    assert order.phone == "7011234567" and order.entries and order.address
    assert order.total_price == sum(e.quantity * e.unit_price for e in order.entries)
    assert make_order("2", created=NOW, entries=[]).total_price == 0
    assert make_order("3", created=NOW, delivery_mode="DELIVERY_PICKUP").address is None


def test_bulk_orders_deterministic_with_repeat_buyers() -> None:
    first = bulk_orders(1000, now=NOW, seed=7)
    assert first == bulk_orders(1000, now=NOW, seed=7)
    assert first != bulk_orders(1000, now=NOW, seed=8)
    assert [o.code for o in first[:2]] == ["600000000", "600000001"]
    assert all(len(o.entries) == 2 for o in first)
    assert all(o.state != "ARCHIVE" and o.phone and len(o.phone) == 10 for o in first)
    assert all(NOW_MS - 13 * 3600_000 < o.created_ms < NOW_MS for o in first)
    seen: set[str] = set()
    repeats = 0
    for order in first:
        repeats += order.phone in seen
        seen.add(order.phone or "")
    assert 0.25 <= repeats / len(first) <= 0.35
    none_repeat = bulk_orders(200, now=NOW, repeat_buyer_share=0.0)
    assert len({o.phone for o in none_repeat}) == 200
