"""KaspiClient over real HTTP against a small fake Kaspi built on app.sandbox.http."""

from __future__ import annotations

import base64
import itertools
import math
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from app.errors import (
    KaspiAuthError,
    KaspiBadRequest,
    KaspiError,
    KaspiParseError,
    KaspiUnavailable,
)
from app.kaspi.client import DEFAULT_BASE_URL, MAX_WINDOW, KaspiClient, split_windows
from app.sandbox.http import (
    DropConnection,
    EmulatorServer,
    Request,
    Response,
    Router,
    html_response,
    json_response,
)

TOKEN = "S3cr3tT0kenForTests+abcdefghijklmnopqrstuvw="
PREFIX = "/shop/api/v2"
DAY_MS = 86_400_000
T0 = datetime(2025, 10, 1, tzinfo=UTC)
T0_MS = int(T0.timestamp() * 1000)
JSONAPI = "application/vnd.api+json"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode().rstrip("=")


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


class FakeKaspi:
    """Just enough of Kaspi's orders API: filters, 14-day rule, paging, include=entries.

    `faults` is a queue of callables tried before routing; one returning a Response
    answers the request instead of the normal handler (None lets it through).
    """

    def __init__(self) -> None:
        self.orders: list[dict] = []
        self.entries: dict[str, list[dict]] = {}  # order id → orderentries resources
        self.products: dict[str, dict] = {}  # entry id → masterproducts resource
        self.merchant_products: dict[str, dict] = {}  # masterproduct id → merchantproducts
        self.leaks: list[dict] = []  # returned on page 0 of every list call, whatever the dates
        self.omit_entries_data: set[str] = set()  # order ids listed without entries linkage
        self.ignore_state = False
        self.meta_mode = "normal"  # or "missing" / "zero-when-empty"
        self.faults: list[Callable[[Request], Response | None]] = []
        self.requests: list[Request] = []
        self.router = Router()
        self.router.add("GET", PREFIX + "/orders", self._orders)
        self.router.add("GET", PREFIX + "/orders/{oid}/entries", self._order_entries)
        self.router.add("GET", PREFIX + "/orderentries/{eid}/product", self._product)
        self.router.add("GET", PREFIX + "/masterproducts/{mid}/merchantProduct", self._merchant)

    # --- data helpers -----------------------------------------------------------------

    def add_order(
        self,
        code: str,
        created_ms: int,
        *,
        state: str = "NEW",
        status: str = "APPROVED_BY_BANK",
        entries: int = 1,
        offer: bool = True,
        **attrs: Any,
    ) -> dict:
        oid = b64(code)
        attributes = {
            "code": code,
            "totalPrice": 1000.0 * max(entries, 1),
            "creationDate": created_ms,
            "state": state,
            "status": status,
            "isKaspiDelivery": False,
            "deliveryMode": "DELIVERY_PICKUP",
            "customer": {"id": b64("7071234567"), "name": None, "cellPhone": "7071234567",
                         "firstName": "Айгерим", "lastName": "Садыкова"},
        }
        attributes.update(attrs)
        resource = {"type": "orders", "id": oid, "attributes": attributes,
                    "relationships": {"entries": {"links": {}}}}
        self.orders.append(resource)
        rows = []
        for n in range(entries):
            eid = b64(f"{code}##{n}")
            entry_attrs: dict[str, Any] = {"entryNumber": n, "quantity": 1, "basePrice": 1000.0,
                                           "totalPrice": 1000.0, "unitType": "PIECES",
                                           "category": {"code": "Master - X", "title": "Категория"}}
            if offer:
                entry_attrs["offer"] = {"code": f"SKU-{code}-{n}", "name": f"Товар {n}"}
            rows.append({"type": "orderentries", "id": eid, "attributes": entry_attrs,
                         "relationships": {"product": {"data": {"type": "masterproducts", "id": b64(f"9{n}")}}}})
        self.entries[oid] = rows
        return resource

    def calls(self, path: str = "/orders") -> list[Request]:
        return [r for r in self.requests if r.path == PREFIX + path]

    # --- HTTP ---------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        self.requests.append(request)
        if self.faults:
            answer = self.faults.pop(0)(request)
            if answer is not None:
                return answer
        if request.header("X-Auth-Token") != TOKEN:
            return json_response(401, {"errors": [{"status": "401", "title": "Unauthorized"}]}, JSONAPI)
        return self.router.dispatch(request) or json_response(404, {"errors": [{"title": "Not found"}]}, JSONAPI)

    def _orders(self, request: Request, _: dict[str, str]) -> Response:
        number = int(request.arg("page[number]", "0") or 0)
        size = int(request.arg("page[size]", "20") or 20)
        code = request.arg("filter[orders][code]")
        include = request.arg("include[orders]") == "entries"
        if code is not None:
            rows = [o for o in self.orders if o["attributes"]["code"] == code]
        else:
            ge, le = request.arg("filter[orders][creationDate][$ge]"), request.arg("filter[orders][creationDate][$le]")
            if ge is None:
                return json_response(400, {"errors": [{"title": "Required filter [orders][creationDate][$ge] is empty."}]}, JSONAPI)
            lo, hi = int(ge), int(le) if le is not None else T0_MS + 365 * DAY_MS
            if hi - lo > 14 * DAY_MS:
                days = math.ceil((hi - lo) / DAY_MS)
                title = f"Exceeded the maximum difference for the filter[orders][creationDate] (in days). Actual [{days}], max [14]."
                return json_response(400, {"errors": [{"title": title}]}, JSONAPI)
            state = request.arg("filter[orders][state]")
            rows = [o for o in self.orders if lo <= o["attributes"]["creationDate"] <= hi
                    and (state is None or self.ignore_state or o["attributes"]["state"] == state)]
        rows.sort(key=lambda o: o["attributes"]["creationDate"])
        page = rows[number * size:(number + 1) * size]
        if number == 0 and code is None:
            page = self.leaks + page
        data, included = [], []
        for order in page:
            order = {**order, "relationships": {"entries": {"links": {}}}}
            if include and order["id"] not in self.omit_entries_data:
                rows_ = self.entries.get(order["id"], [])
                order["relationships"]["entries"]["data"] = [{"type": "orderentries", "id": e["id"]} for e in rows_]
                included.extend(rows_)
            data.append(order)
        payload: dict[str, Any] = {"data": data, "included": included}
        page_count = math.ceil(len(rows) / size)
        if self.meta_mode == "normal":
            payload["meta"] = {"pageCount": page_count, "totalCount": len(rows)}
        return json_response(200, payload, JSONAPI)

    def _order_entries(self, _: Request, params: dict[str, str]) -> Response:
        if params["oid"] not in self.entries:
            return json_response(404, {"errors": [{"title": "Order not found"}]}, JSONAPI)
        return json_response(200, {"data": self.entries[params["oid"]], "included": []}, JSONAPI)

    def _product(self, _: Request, params: dict[str, str]) -> Response:
        product = self.products.get(params["eid"])
        if product is None:
            return json_response(404, {"errors": [{"title": "Not found"}]}, JSONAPI)
        return json_response(200, {"data": product, "included": []}, JSONAPI)

    def _merchant(self, _: Request, params: dict[str, str]) -> Response:
        product = self.merchant_products.get(params["mid"])
        if product is None:
            return json_response(404, {"errors": [{"title": "Not found"}]}, JSONAPI)
        return json_response(200, {"data": product, "included": []}, JSONAPI)


class _Switch:
    """Lets one server (stopping one costs ~0.5 s of polling) serve a fresh fake per test."""

    def __init__(self) -> None:
        self.fake = FakeKaspi()

    def handle(self, request: Request) -> Response:
        return self.fake.handle(request)


@pytest.fixture(scope="module")
def switch() -> Iterator[tuple[_Switch, EmulatorServer]]:
    target = _Switch()
    with EmulatorServer(target) as srv:
        yield target, srv


@pytest.fixture
def fake(switch: tuple[_Switch, EmulatorServer]) -> FakeKaspi:
    switch[0].fake = FakeKaspi()
    return switch[0].fake


@pytest.fixture
def server(switch: tuple[_Switch, EmulatorServer], fake: FakeKaspi) -> EmulatorServer:
    return switch[1]


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client(server: EmulatorServer, sleeps: list[float]) -> KaspiClient:
    return make_client(server, sleeps)


def make_client(server: EmulatorServer, sleeps: list[float], token: str = TOKEN, **kw: Any) -> KaspiClient:
    kw.setdefault("timeout", (2.0, 2.0))
    return KaspiClient(token, server.url + PREFIX, sleep=sleeps.append, **kw)


def ranges(fake: FakeKaspi) -> list[tuple[int, int]]:
    return [(int(r.arg("filter[orders][creationDate][$ge]", "")), int(r.arg("filter[orders][creationDate][$le]", "")))
            for r in fake.calls()]


def assert_clean(exc: BaseException) -> None:
    """The token must not leak into anything an error carries."""
    texts = [str(exc), repr(exc), getattr(exc, "message", ""), getattr(exc, "detail", "") or ""]
    assert all(TOKEN not in t for t in texts), texts


# --- transport ----------------------------------------------------------------------------


def test_headers_on_every_request(client: KaspiClient, fake: FakeKaspi) -> None:
    fake.add_order("100000001", T0_MS + 1000, entries=1)
    list(client.iter_orders(T0, T0 + timedelta(days=1)))
    client.get_entries(b64("100000001"))
    assert len(fake.requests) == 2
    for request in fake.requests:
        assert request.header("X-Auth-Token") == TOKEN
        assert request.header("Content-Type") == JSONAPI
        assert request.header("Accept") == JSONAPI
        ua = request.header("User-Agent") or ""
        assert ua.startswith("kaspi-amo-sync/") and "python-requests" not in ua


def test_constructor_guards(server: EmulatorServer) -> None:
    with pytest.raises(KaspiAuthError):
        KaspiClient("   ")
    with pytest.raises(KaspiAuthError) as info:
        KaspiClient("tok\nen")
    assert "tok" not in info.value.message
    with pytest.raises(ValueError, match="base_url must be https://"):
        KaspiClient(TOKEN, "http://kaspi.kz/shop/api/v2")
    with pytest.raises(ValueError, match="page_size must be"):
        KaspiClient(TOKEN, page_size=1000)
    with pytest.raises(ValueError, match="explicit User-Agent"):
        KaspiClient(TOKEN, user_agent="python-requests/2.32")
    assert TOKEN not in repr(KaspiClient(TOKEN))
    assert KaspiClient(TOKEN).base_url == DEFAULT_BASE_URL


# --- windows and paging -------------------------------------------------------------------


def test_split_windows_exact() -> None:
    window = MAX_WINDOW // timedelta(milliseconds=1)
    assert window == 14 * DAY_MS
    assert split_windows(0, window) == [(0, window)]
    assert split_windows(0, window + 1) == [(0, window), (window + 1, window + 1)]
    assert split_windows(5, 4) == []


def test_thirty_days_make_three_windows(client: KaspiClient, fake: FakeKaspi) -> None:
    start, end = T0, T0 + timedelta(days=30)
    assert list(client.iter_orders(start, end, include_entries=False)) == []
    got = ranges(fake)
    assert len(got) == 3
    assert got[0][0] == ms(start) and got[-1][1] == ms(end)
    for lo, hi in got:
        assert 0 <= hi - lo <= 14 * DAY_MS
    assert got[0][1] - got[0][0] == 14 * DAY_MS  # a full window is exactly 14 days
    for (_, hi), (lo, _) in itertools.pairwise(got):
        assert lo == hi + 1  # consecutive, no gap, no overlap
    assert all(len(str(v)) == 13 for pair in got for v in pair)  # epoch milliseconds


def test_paging_zero_based_until_page_count(server: EmulatorServer, fake: FakeKaspi, sleeps: list[float]) -> None:
    for n in range(25):
        fake.add_order(f"2000000{n:02d}", T0_MS + n * 60_000, entries=0)
    client = make_client(server, sleeps, page_size=10)
    orders = list(client.iter_orders(T0, T0 + timedelta(days=1), include_entries=False))
    assert len(orders) == 25 and len({o.code for o in orders}) == 25
    assert [r.arg("page[number]") for r in fake.calls()] == ["0", "1", "2"]
    assert {r.arg("page[size]") for r in fake.calls()} == {"10"}
    assert client.requests_made == 3


def test_paging_is_lazy(server: EmulatorServer, fake: FakeKaspi, sleeps: list[float]) -> None:
    for n in range(25):
        fake.add_order(f"3000000{n:02d}", T0_MS + n * 60_000, entries=0)
    client = make_client(server, sleeps, page_size=10)
    iterator = client.iter_orders(T0, T0 + timedelta(days=1), include_entries=False)
    next(iterator)
    assert client.requests_made == 1


@pytest.mark.parametrize("meta_mode", ["normal", "missing"])
def test_paging_empty_and_missing_meta(server: EmulatorServer, fake: FakeKaspi, sleeps: list[float], meta_mode: str) -> None:
    fake.meta_mode = meta_mode
    client = make_client(server, sleeps, page_size=10)
    assert list(client.iter_orders(T0, T0 + timedelta(days=1))) == []
    assert len(fake.calls()) == 1  # pageCount 0 or no meta: one request, no loop
    for n in range(15):
        fake.add_order(f"4000000{n:02d}", T0_MS + n, entries=0)
    fake.requests.clear()
    assert len(list(client.iter_orders(T0, T0 + timedelta(days=1), include_entries=False))) == 15
    assert len(fake.calls()) == 2


def test_state_filter_one_series_per_state(client: KaspiClient, fake: FakeKaspi) -> None:
    fake.add_order("500000001", T0_MS + 10, state="NEW")
    fake.add_order("500000002", T0_MS + 20, state="ARCHIVE", status="COMPLETED")
    fake.add_order("500000003", T0_MS + 30, state="PICKUP", status="ACCEPTED_BY_MERCHANT")
    orders = list(client.iter_orders(T0, T0 + timedelta(days=1), states=["NEW", "ARCHIVE"], include_entries=False))
    assert sorted(o.code for o in orders) == ["500000001", "500000002"]
    assert [r.query.get("filter[orders][state]") for r in fake.calls()] == [["NEW"], ["ARCHIVE"]]


def test_no_state_filter_when_states_none(client: KaspiClient, fake: FakeKaspi) -> None:
    list(client.iter_orders(T0, T0 + timedelta(hours=1), include_entries=False))
    assert "filter[orders][state]" not in fake.calls()[0].query


def test_leaked_orders_dropped(client: KaspiClient, fake: FakeKaspi) -> None:
    start = T0 + timedelta(days=2)
    fake.add_order("600000001", ms(start) + 5, entries=0)
    fake.add_order("600000002", ms(start) - 1, entries=0)  # 1 ms too early
    fake.leaks = [fake.orders[-1]]
    orders = list(client.iter_orders(start, start + timedelta(days=1), include_entries=False))
    assert [o.code for o in orders] == ["600000001"]


def test_dedupe_across_states_and_windows(client: KaspiClient, fake: FakeKaspi) -> None:
    fake.ignore_state = True  # every state series returns everything
    fake.add_order("700000001", T0_MS + DAY_MS, entries=0)
    fake.add_order("700000002", T0_MS + 20 * DAY_MS, entries=0)
    fake.leaks = [fake.orders[0]]  # also leaks into the second window's first page
    orders = list(client.iter_orders(T0, T0 + timedelta(days=25), states=["NEW", "PICKUP"], include_entries=False))
    assert sorted(o.code for o in orders) == ["700000001", "700000002"]
    assert len(fake.calls()) == 4  # 2 windows × 2 states


# --- entries ----------------------------------------------------------------------------


def test_include_entries_and_fallback_fetch(client: KaspiClient, fake: FakeKaspi) -> None:
    fake.add_order("800000001", T0_MS + 1, entries=2)
    fake.add_order("800000002", T0_MS + 2, entries=3)
    fake.add_order("800000003", T0_MS + 3, entries=0)
    fake.omit_entries_data = {b64("800000002")}
    orders = {o.code: o for o in client.iter_orders(T0, T0 + timedelta(days=1))}
    assert fake.calls()[0].arg("include[orders]") == "entries"
    assert [e.sku for e in orders["800000001"].entries or ()] == ["SKU-800000001-0", "SKU-800000001-1"]
    assert len(orders["800000002"].entries or ()) == 3
    assert orders["800000003"].entries == ()
    fetched = [r.path for r in fake.requests if r.path.endswith("/entries")]
    assert fetched == [f"{PREFIX}/orders/{b64('800000002')}/entries"]


def test_without_include_entries_not_loaded(client: KaspiClient, fake: FakeKaspi) -> None:
    fake.add_order("810000001", T0_MS + 1, entries=2)
    (order,) = client.iter_orders(T0, T0 + timedelta(days=1), include_entries=False)
    assert order.entries is None
    assert "include[orders]" not in fake.calls()[0].query
    assert len(fake.requests) == 1


def test_entries_without_offer_use_product_chain(client: KaspiClient, fake: FakeKaspi) -> None:
    fake.add_order("820000001", T0_MS + 1, entries=2, offer=False)
    first, second = fake.entries[b64("820000001")]
    fake.products[first["id"]] = {"type": "masterproducts", "id": "MP1",
                                  "attributes": {"code": "137957097", "name": "Мастер-товар"}}
    fake.merchant_products["MP1"] = {"type": "merchantproducts", "id": "M1",
                                     "attributes": {"code": "MY-SKU-1", "name": "Мой товар"}}
    fake.products[second["id"]] = {"type": "masterproducts", "id": "MP2",
                                   "attributes": {"code": "109349026", "name": "Второй"}}
    entries = client.get_entries(b64("820000001"), order_code="820000001")
    assert [(e.sku, e.name) for e in entries] == [("MY-SKU-1", "Мой товар"), ("109349026", "Второй")]
    # In iter_orders the included entries lack SKUs, so the client resolves them the same way.
    (order,) = client.iter_orders(T0, T0 + timedelta(days=1))
    assert [e.sku for e in order.entries or ()] == ["MY-SKU-1", "109349026"]


# --- get_order / check_token --------------------------------------------------------------


def test_get_order_by_code(client: KaspiClient, fake: FakeKaspi) -> None:
    fake.add_order("900000001", T0_MS - 400 * DAY_MS, entries=1, status="COMPLETED", state="ARCHIVE")
    order = client.get_order("900000001")
    assert order is not None and order.code == "900000001" and order.status == "COMPLETED"
    assert order.entries is not None and order.entries[0].sku == "SKU-900000001-0"
    request = fake.calls()[0]
    assert request.arg("filter[orders][code]") == "900000001"
    assert "filter[orders][creationDate][$ge]" not in request.query
    assert client.get_order("999999999") is None


def test_check_token(client: KaspiClient, fake: FakeKaspi) -> None:
    client.check_token()
    (request,) = fake.calls()
    assert request.arg("page[size]") == "1" and request.arg("page[number]") == "0"
    lo, hi = ranges(fake)[0]
    assert DAY_MS - 1 <= hi - lo <= DAY_MS


# --- errors --------------------------------------------------------------------------------


def test_401_is_auth_error_not_retried(server: EmulatorServer, fake: FakeKaspi, sleeps: list[float]) -> None:
    client = make_client(server, sleeps, token="WrongToken+0123456789abcdefghijklmnopqrstu=")
    with pytest.raises(KaspiAuthError) as info:
        client.check_token()
    assert "Настройки → Токен API" in info.value.message
    assert info.value.status == 401
    assert client.requests_made == 1 and sleeps == []


def test_403_is_auth_error(client: KaspiClient, fake: FakeKaspi) -> None:
    fake.faults.append(lambda r: json_response(403, {"errors": [{"title": "Forbidden"}]}))
    with pytest.raises(KaspiAuthError):
        client.get_order("1")


def test_400_title_surfaced(client: KaspiClient, fake: FakeKaspi, sleeps: list[float]) -> None:
    title = "Exceeded the maximum difference for the filter[orders][creationDate] (in days). Actual [30], max [14]."
    fake.faults.append(lambda r: json_response(400, {"errors": [{"title": title}]}, JSONAPI))
    with pytest.raises(KaspiBadRequest) as info:
        list(client.iter_orders(T0, T0 + timedelta(days=1)))
    assert title in info.value.message
    assert client.requests_made == 1 and sleeps == []


def test_400_detail_preferred(client: KaspiClient, fake: FakeKaspi) -> None:
    fake.faults.append(lambda r: json_response(400, {"errors": [{"title": "Bad", "detail": "Подробно"}]}))
    with pytest.raises(KaspiBadRequest, match="Подробно"):
        client.check_token()


def test_404_html_is_kaspi_error(client: KaspiClient, fake: FakeKaspi, sleeps: list[float]) -> None:
    fake.faults.append(lambda r: html_response(404, "<html><body>Not Found</body></html>"))
    with pytest.raises(KaspiError) as info:
        client.check_token()
    assert type(info.value) is KaspiError and info.value.status == 404
    assert client.requests_made == 1


def test_5xx_then_success_retried(client: KaspiClient, fake: FakeKaspi, sleeps: list[float]) -> None:
    fake.add_order("110000001", T0_MS + 1, entries=0)
    fake.faults += [lambda r: json_response(503, {}), lambda r: Response(502, b"bad gateway", "text/plain")]
    orders = list(client.iter_orders(T0, T0 + timedelta(days=1), include_entries=False))
    assert [o.code for o in orders] == ["110000001"]
    assert client.requests_made == 3
    assert sleeps == [1.0, 2.0]  # exponential backoff, injected sleep


def test_429_retry_after_respected(client: KaspiClient, fake: FakeKaspi, sleeps: list[float]) -> None:
    fake.faults.append(lambda r: Response(429, b"{}", "application/json", {"Retry-After": "7"}))
    client.check_token()
    assert sleeps == [7.0]


def test_5xx_forever_is_unavailable(server: EmulatorServer, fake: FakeKaspi, sleeps: list[float]) -> None:
    client = make_client(server, sleeps, max_retries=2, backoff=0.5)
    fake.faults += [lambda r: Response(500, f"oops {TOKEN}".encode(), "text/plain")] * 3
    with pytest.raises(KaspiUnavailable) as info:
        client.check_token()
    assert client.requests_made == 3 and sleeps == [0.5, 1.0]
    assert_clean(info.value)


def test_timeout_becomes_unavailable(server: EmulatorServer, fake: FakeKaspi, sleeps: list[float]) -> None:
    def stall(_: Request) -> Response:
        time.sleep(0.25)
        raise DropConnection

    fake.faults += [stall] * 3
    client = make_client(server, sleeps, timeout=(2.0, 0.05), max_retries=2)
    started = time.monotonic()
    with pytest.raises(KaspiUnavailable) as info:
        client.check_token()
    assert time.monotonic() - started < 2.0
    assert client.requests_made == 3 and len(sleeps) == 2
    assert info.value.message.startswith("Нет ответа от Kaspi (время ожидания ответа истекло)")
    assert "интернет" in info.value.message and "kaspi.kz" in info.value.message
    assert "Казахстан" not in info.value.message and "IP" not in info.value.message  # shared/api/kaspi.md §13
    assert_clean(info.value)


def test_dropped_connection_retried(client: KaspiClient, fake: FakeKaspi, sleeps: list[float]) -> None:
    def drop(_: Request) -> Response:
        raise DropConnection

    fake.faults.append(drop)
    client.check_token()
    assert client.requests_made == 2


@pytest.mark.parametrize(
    "response",
    [
        Response(200, b"<html>captcha</html>", "text/html"),
        Response(200, b'{"errors": []}', JSONAPI),
        Response(200, b'{"data": 5}', JSONAPI),
        Response(302, b"", "text/plain", {"Location": "https://evil.example/steal"}),
        Response(418, b"teapot", "text/plain"),
    ],
)
def test_unusable_answers_are_kaspi_errors(client: KaspiClient, fake: FakeKaspi, response: Response) -> None:
    fake.faults.append(lambda r: response)
    with pytest.raises(KaspiError) as info:
        list(client.iter_orders(T0, T0 + timedelta(days=1)))
    assert not isinstance(info.value, (KaspiUnavailable, KaspiAuthError))
    assert client.requests_made == 1  # never retried, redirect never followed


def test_token_never_in_error_messages(client: KaspiClient, fake: FakeKaspi) -> None:
    echoes = [
        lambda r: json_response(401, {"errors": [{"title": f"bad token {TOKEN}"}]}),
        lambda r: json_response(400, {"errors": [{"title": f"bad token {TOKEN}"}]}),
        lambda r: html_response(404, f"<p>{TOKEN}</p>"),
        lambda r: Response(200, f"not json {TOKEN}".encode(), "text/plain"),
        lambda r: Response(409, f"conflict {TOKEN}".encode(), "text/plain"),
    ]
    for echo in echoes:
        fake.faults.append(echo)
        with pytest.raises(KaspiError) as info:
            client.check_token()
        assert_clean(info.value)


# --- bad orders ---------------------------------------------------------------------------


def test_bad_order_reported_and_rest_yielded(client: KaspiClient, fake: FakeKaspi) -> None:
    fake.add_order("120000001", T0_MS + 1, entries=1)
    broken = fake.add_order("120000002", T0_MS + 2, entries=1)
    del broken["attributes"]["totalPrice"]
    fake.add_order("120000003", T0_MS + 3, entries=1)
    bad: list[KaspiParseError] = []
    orders = list(client.iter_orders(T0, T0 + timedelta(days=1), on_bad_order=bad.append))
    assert [o.code for o in orders] == ["120000001", "120000003"]
    assert [e.order_code for e in bad] == ["120000002"]
    assert "120000002" in bad[0].message and "totalPrice" in bad[0].message
    assert orders[0].total_price == Decimal("1000.0")


def test_bad_order_without_callback_raises(client: KaspiClient, fake: FakeKaspi) -> None:
    broken = fake.add_order("130000001", T0_MS + 1)
    fake.orders.remove(broken)
    broken["attributes"]["creationDate"] = "вчера"
    fake.leaks = [broken]
    with pytest.raises(KaspiParseError) as info:
        list(client.iter_orders(T0, T0 + timedelta(days=1)))
    assert info.value.order_code == "130000001"


def test_bad_entry_in_fallback_fetch_is_bad_order(client: KaspiClient, fake: FakeKaspi) -> None:
    fake.add_order("140000001", T0_MS + 1, entries=1)
    fake.add_order("140000002", T0_MS + 2, entries=1)
    fake.entries[b64("140000001")][0]["attributes"]["quantity"] = "много"
    fake.omit_entries_data = {b64("140000001")}
    bad: list[KaspiParseError] = []
    orders = list(client.iter_orders(T0, T0 + timedelta(days=1), on_bad_order=bad.append))
    assert [o.code for o in orders] == ["140000002"]
    assert [e.order_code for e in bad] == ["140000001"]


def test_naive_datetime_rejected(client: KaspiClient) -> None:
    naive_start, naive_end = datetime(2025, 10, 1), datetime(2025, 10, 2)  # noqa: DTZ001 - what is tested
    with pytest.raises(ValueError, match="naive"):
        list(client.iter_orders(naive_start, naive_end))
