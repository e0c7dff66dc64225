"""amoCRM transport, OAuth and typed API, over real loopback HTTP against small scripted fakes.

Nothing really waits: the limiter and the client get a fake clock/sleep. The fakes are
written here on purpose (not the full amoCRM emulator) so each test states exactly the
server behaviour it depends on.
"""

from __future__ import annotations

import base64
import json
import random
import socket
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.amo.api import (
    AmoApi,
    ContactDraft,
    LeadDraft,
    ProductDraft,
    ProductLink,
)
from app.amo.client import AmoClient
from app.amo.oauth import OAuthClient, TokenManager
from app.amo.ratelimit import RateLimiter
from app.amo.tokens import MemoryTokenStore, TokenPair
from app.errors import (
    AmoAuthError,
    AmoBlocked,
    AmoError,
    AmoNotFound,
    AmoPaymentRequired,
    AmoRateLimited,
    AmoTokenRevoked,
    AmoUnavailable,
    AmoUnreachable,
    AmoValidationError,
)
from app.sandbox.http import (
    DropConnection,
    EmulatorServer,
    Request,
    Response,
    Router,
    _Handler,
    html_response,
    json_response,
)

NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
A1, R1, A2, R2 = "access-one-SECRET", "refresh-one-SECRET", "access-two-SECRET", "refresh-two-SECRET"
SECRETS = (A1, R1, A2, R2, "client-SECRET")


# --- fakes ------------------------------------------------------------------------------------


class FakeClock:
    """Monotonic clock that only moves when something sleeps. Thread-safe."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()
        self.local = threading.local()

    def monotonic(self) -> float:
        with self._lock:
            self.local.last = self.now
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds


class FakeAmo:
    """Router-backed fake that logs every request and serves scripted answers."""

    def __init__(self) -> None:
        self.router = Router()
        self.log: list[Request] = []
        self._lock = threading.Lock()

    def handle(self, request: Request) -> Response:
        with self._lock:
            self.log.append(request)
        response = self.router.dispatch(request)
        return response or json_response(404, {"title": "Not Found", "status": 404, "detail": "no route"})

    def script(self, method: str, pattern: str, *answers: Response | Callable[[Request], Response]) -> None:
        """Answer in order; the last answer repeats."""
        queue = list(answers)

        def handler(request: Request, _params: dict[str, str]) -> Response:
            with self._lock:
                answer = queue.pop(0) if len(queue) > 1 else queue[0]
            return answer(request) if callable(answer) else answer

        self.router.add(method, pattern, handler)

    def calls(self, path_prefix: str = "/api/v4") -> list[Request]:
        return [r for r in self.log if r.path.startswith(path_prefix)]

    def refreshes(self) -> list[dict[str, Any]]:
        return [r.json() for r in self.log if r.path == "/oauth2/access_token"]


def token_reply(access: str = A2, refresh: str = R2, expires_in: int = 86400) -> Response:
    return json_response(200, {"token_type": "Bearer", "expires_in": expires_in, "access_token": access, "refresh_token": refresh})


REVOKED = json_response(
    401,
    {"hint": "Token has been revoked", "title": "Unauthorized", "type": "https://developers.amocrm.ru/v3/errors/OAuthProblemJson", "status": 401, "detail": "..."},
    "application/problem+json",
)
UNAUTHORIZED = json_response(401, {"title": "Unauthorized", "status": 401, "detail": "Invalid user name or password"}, "application/problem+json")
OK = json_response(200, {"ok": True}, "application/hal+json")


def bearer(request: Request) -> str:
    return (request.header("authorization") or "").removeprefix("Bearer ")


class _Current:
    """Delegates to the current test's fake, so one server serves the module (stopping one costs 0.5 s)."""

    fake: FakeAmo | None = None

    def handle(self, request: Request) -> Response:
        assert self.fake is not None
        return self.fake.handle(request)


@pytest.fixture(scope="module")
def server() -> Any:
    # http.server writes headers and body separately; with Nagle on, each answer then waits for
    # a delayed ACK (~40 ms). Turn it off for this module's server to keep the suite fast.
    saved = _Handler.disable_nagle_algorithm
    _Handler.disable_nagle_algorithm = True
    current = _Current()
    srv = EmulatorServer(current).start()
    yield srv, current
    srv.stop()
    _Handler.disable_nagle_algorithm = saved


@pytest.fixture
def fake(server: Any) -> Any:
    srv, current = server
    amo = FakeAmo()
    amo.url = srv.url  # type: ignore[attr-defined]
    current.fake = amo
    yield amo
    current.fake = None


class Rig:
    def __init__(self, url: str, store: MemoryTokenStore, *, oauth: bool = True, **client_kw: Any) -> None:
        self.clock = FakeClock()
        self.store = store
        self.oauth = OAuthClient(url, "client-id", "client-SECRET", "https://example.org/cb", now=lambda: NOW) if oauth else None
        self.tokens = TokenManager(store, self.oauth, now=lambda: NOW)
        self.limiter = RateLimiter(1000, clock=self.clock.monotonic, sleep=self.clock.sleep)
        client_kw.setdefault("sleep", self.clock.sleep)
        self.client = AmoClient(url, self.tokens, self.limiter, **client_kw)
        self.api = AmoApi(self.client)


FRESH_PAIR = TokenPair(A1, R1, NOW + timedelta(hours=20))


def rig(fake: FakeAmo, pair: TokenPair | None = FRESH_PAIR, **kw: Any) -> Rig:
    return Rig(fake.url, MemoryTokenStore(pair), **kw)  # type: ignore[attr-defined]


def assert_no_secret(err: BaseException) -> None:
    text = " ".join([str(err), repr(err.args), str(getattr(err, "detail", "")), str(getattr(err, "message", ""))])
    for secret in SECRETS:
        assert secret not in text


# --- rate limiter -----------------------------------------------------------------------------


def max_in_any_window(starts: list[float], window: float = 1.0) -> int:
    starts = sorted(starts)
    best = 0
    for i, t in enumerate(starts):
        best = max(best, sum(1 for s in starts[i:] if s < t + window))
    return best


def test_limiter_never_exceeds_rps_in_any_sliding_window() -> None:
    clock = FakeClock()
    limiter = RateLimiter(5, clock=clock.monotonic, sleep=clock.sleep)
    rnd = random.Random(7)
    starts = []
    for _ in range(60):
        limiter.acquire()
        starts.append(clock.now)
        clock.now += rnd.choice([0.0, 0.0, 0.05, 0.3, 0.9])  # callers do work between requests
    assert max_in_any_window(starts) == 5
    # The first five start at once: no needless waiting.
    clock2 = FakeClock()
    fast = RateLimiter(5, clock=clock2.monotonic, sleep=clock2.sleep)
    for _ in range(5):
        fast.acquire()
    assert clock2.sleeps == []


def test_limiter_is_thread_safe() -> None:
    clock = FakeClock()
    limiter = RateLimiter(4, clock=clock.monotonic, sleep=clock.sleep)
    starts: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(15):
            limiter.acquire()
            with lock:
                starts.append(clock.local.last)  # the clock reading this thread's start was granted at

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(starts) == 90
    assert max_in_any_window(starts) == 4
    assert clock.now - 1000.0 >= (90 / 4) - 1


def test_limiter_below_one_rps_spaces_starts() -> None:
    clock = FakeClock()
    limiter = RateLimiter(0.5, clock=clock.monotonic, sleep=clock.sleep)
    limiter.acquire()
    limiter.acquire()
    assert clock.now - 1000.0 == pytest.approx(2.0)
    with pytest.raises(ValueError, match="positive finite"):
        RateLimiter(0)


# --- auth -------------------------------------------------------------------------------------


def test_bearer_header_json_body_and_counter(fake: FakeAmo) -> None:
    fake.script("POST", "/api/v4/leads", OK)
    r = rig(fake)
    assert r.client.request("POST", "leads", json=[{"name": "Kaspi #1"}]) == {"ok": True}
    (req,) = fake.calls()
    assert req.header("authorization") == f"Bearer {A1}"
    assert req.header("user-agent", "").startswith("kaspi-amo-sync/")
    assert req.header("content-type", "").startswith("application/json")
    assert req.json() == [{"name": "Kaspi #1"}]
    assert r.client.requests_made == 1


def test_401_refreshes_saves_before_replay_and_replays(fake: FakeAmo) -> None:
    r = rig(fake)
    seen_in_store: list[TokenPair | None] = []

    def api(request: Request) -> Response:
        if bearer(request) != A2:
            return UNAUTHORIZED
        seen_in_store.append(r.store.pair)
        return OK

    fake.script("GET", "/api/v4/account", api)
    fake.script("POST", "/oauth2/access_token", token_reply())
    assert r.client.request("GET", "account") == {"ok": True}
    assert [bearer(c) for c in fake.calls()] == [A1, A2]
    (refresh,) = fake.refreshes()
    assert refresh["grant_type"] == "refresh_token" and refresh["refresh_token"] == R1
    assert refresh["client_id"] == "client-id" and refresh["redirect_uri"] == "https://example.org/cb"
    # The rotated pair was already in the store when the replay arrived.
    assert seen_in_store[0] == TokenPair(A2, R2, NOW + timedelta(seconds=86400))
    assert r.store.pair == seen_in_store[0] and r.store.saves == 1
    assert r.client.requests_made == 2


def test_refresh_is_single_flight_across_threads(fake: FakeAmo) -> None:
    r = rig(fake)
    barrier = threading.Barrier(2, timeout=5)

    def api(request: Request) -> Response:
        if bearer(request) == A1:
            barrier.wait()  # both threads hold a rejected token before either refreshes
            return UNAUTHORIZED
        return OK

    fake.script("GET", "/api/v4/account", api)
    fake.script("POST", "/oauth2/access_token", token_reply())
    results: list[Any] = []
    threads = [threading.Thread(target=lambda: results.append(r.client.request("GET", "account"))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [{"ok": True}, {"ok": True}]
    assert len(fake.refreshes()) == 1
    assert r.store.saves == 1


def test_pair_rotated_by_another_process_is_used_without_refresh(fake: FakeAmo) -> None:
    r = rig(fake)
    fake.script("GET", "/api/v4/account", lambda req: OK if bearer(req) == A2 else UNAUTHORIZED)
    fake.script("POST", "/oauth2/access_token", REVOKED)
    assert r.tokens.access_token() == A1  # this process has loaded A1
    r.store.pair = TokenPair(A2, R2, NOW + timedelta(hours=24))  # another process refreshed meanwhile
    assert r.client.request("GET", "account") == {"ok": True}
    assert [bearer(c) for c in fake.calls()] == [A1, A2]
    assert fake.refreshes() == []


def test_revoked_refresh_raises_and_never_loops(fake: FakeAmo) -> None:
    r = rig(fake)
    fake.script("GET", "/api/v4/account", UNAUTHORIZED)
    fake.script("POST", "/oauth2/access_token", REVOKED)
    with pytest.raises(AmoTokenRevoked) as info:
        r.client.request("GET", "account")
    assert len(fake.calls()) == 1 and len(fake.refreshes()) == 1
    assert "заново" in info.value.message
    assert_no_secret(info.value)
    # A later call does not spend the dead refresh token again.
    with pytest.raises(AmoTokenRevoked):
        r.client.request("GET", "account")
    assert len(fake.refreshes()) == 1
    assert r.store.pair == TokenPair(A1, R1, NOW + timedelta(hours=20))


def test_long_lived_token_401_is_an_auth_error(fake: FakeAmo) -> None:
    r = rig(fake, TokenPair(A1), oauth=False)
    fake.script("GET", "/api/v4/account", UNAUTHORIZED)
    with pytest.raises(AmoAuthError) as info:
        r.client.request("GET", "account")
    assert type(info.value) is AmoAuthError
    assert len(fake.calls()) == 1 and fake.refreshes() == []
    assert_no_secret(info.value)


def test_second_401_after_refresh_is_final(fake: FakeAmo) -> None:
    r = rig(fake)
    fake.script("GET", "/api/v4/account", UNAUTHORIZED)
    fake.script("POST", "/oauth2/access_token", token_reply())
    with pytest.raises(AmoAuthError) as info:
        r.client.request("GET", "account")
    assert len(fake.calls()) == 2 and len(fake.refreshes()) == 1
    assert_no_secret(info.value)


def test_no_pair_means_not_connected(fake: FakeAmo) -> None:
    r = rig(fake, None)
    with pytest.raises(AmoAuthError, match="не подключён"):
        r.client.request("GET", "account")
    assert fake.log == []


def test_proactive_refresh_when_expiring(fake: FakeAmo) -> None:
    r = rig(fake, TokenPair(A1, R1, NOW + timedelta(seconds=30)))
    fake.script("GET", "/api/v4/account", OK)
    fake.script("POST", "/oauth2/access_token", token_reply())
    r.client.request("GET", "account")
    assert [bearer(c) for c in fake.calls()] == [A2]
    assert r.store.pair is not None and r.store.pair.refresh_token == R2


def test_oauth_exchange_code_and_errors(fake: FakeAmo) -> None:
    exp = int((NOW + timedelta(hours=5)).timestamp())
    claims = base64.urlsafe_b64encode(json.dumps({"exp": exp}).encode()).decode().rstrip("=")
    jwt = f"eyJhbGciOiJIUzI1NiJ9.{claims}.sig"
    fake.script(
        "POST",
        "/oauth2/access_token",
        token_reply(expires_in=3600),
        json_response(200, {"access_token": jwt, "refresh_token": R2}),
        json_response(400, {"hint": "Cannot decrypt the authorization code", "title": "Некорректный запрос", "status": 400}),
    )
    oauth = OAuthClient(fake.url, "client-id", "client-SECRET", "https://example.org/cb", now=lambda: NOW)  # type: ignore[attr-defined]
    assert oauth.exchange_code("code-1") == TokenPair(A2, R2, NOW + timedelta(hours=1))
    assert fake.refreshes()[0]["grant_type"] == "authorization_code" and fake.refreshes()[0]["code"] == "code-1"
    assert oauth.exchange_code("code-2").expires_at == datetime.fromtimestamp(exp, UTC)
    with pytest.raises(AmoAuthError) as info:
        oauth.exchange_code("code-3")
    assert type(info.value) is AmoAuthError and "20 минут" in info.value.message
    assert_no_secret(info.value)
    dead = OAuthClient(f"http://127.0.0.1:{free_port()}", "c", "client-SECRET", "r")
    with pytest.raises(AmoUnavailable):
        dead.refresh(R1)


# --- throttling, blocking, errors ------------------------------------------------------------


def test_429_json_retry_after_is_honoured(fake: FakeAmo) -> None:
    r = rig(fake)
    fake.script("GET", "/api/v4/account", json_response(429, {"title": "Too Many Requests", "status": 429, "retry_after": 7}), OK)
    assert r.client.request("GET", "account") == {"ok": True}
    assert r.clock.sleeps == [7.0]
    assert len(fake.calls()) == 2


def test_429_html_backs_off_then_gives_up(fake: FakeAmo) -> None:
    r = rig(fake, max_retries=3, backoff=0.5)
    fake.script("GET", "/api/v4/account", html_response(429, "<html>429 Too Many Requests</html>"))
    with pytest.raises(AmoRateLimited) as info:
        r.client.request("GET", "account")
    assert r.clock.sleeps == [0.5, 1.0, 2.0]
    assert len(fake.calls()) == 4
    assert_no_secret(info.value)


def test_429_on_post_is_retried(fake: FakeAmo) -> None:
    r = rig(fake)
    fake.script("POST", "/api/v4/leads", html_response(429, "<html>slow down</html>"), OK)
    assert r.client.request("POST", "leads", json=[{}]) == {"ok": True}
    assert len(fake.calls()) == 2


def test_429_retry_after_beyond_max_wait_stops_at_once(fake: FakeAmo) -> None:
    r = rig(fake, max_wait=60)
    fake.script("GET", "/api/v4/account", json_response(429, {"status": 429, "retry_after": 300}))
    with pytest.raises(AmoRateLimited) as info:
        r.client.request("GET", "account")
    assert info.value.retry_after == 300  # type: ignore[attr-defined]
    assert len(fake.calls()) == 1 and r.clock.sleeps == []


def test_403_html_is_a_block_and_never_retried(fake: FakeAmo) -> None:
    r = rig(fake)
    fake.script("GET", "/api/v4/account", html_response(403, "<html><center><h1>403 Forbidden</h1></center><hr>nginx</html>"))
    with pytest.raises(AmoBlocked) as info:
        r.client.request("GET", "account")
    assert len(fake.calls()) == 1 and r.clock.sleeps == []
    assert_no_secret(info.value)


def test_400_validation_errors_are_kept_and_not_retried(fake: FakeAmo) -> None:
    r = rig(fake)
    errors = [{"request_id": "0", "errors": [{"code": "InvalidType", "path": "status_id", "detail": "This value should be of type int."}]}]
    fake.script(
        "POST",
        "/api/v4/leads",
        json_response(400, {"title": "Bad Request", "status": 400, "detail": "Request validation failed", "validation-errors": errors}, "application/problem+json"),
    )
    with pytest.raises(AmoValidationError) as info:
        r.client.request("POST", "leads", json=[{"status_id": "x"}])
    assert info.value.errors == errors and info.value.status == 400
    assert len(fake.calls()) == 1


@pytest.mark.parametrize(
    "answer, error",
    [
        (json_response(402, {"title": "Payment Required", "status": 402}), AmoPaymentRequired),
        (json_response(404, {"title": "Not Found", "status": 404}), AmoNotFound),
        (json_response(403, {"title": "Forbidden", "status": 403, "detail": "IP not allowed"}), AmoError),
        (html_response(200, "<html>captive portal</html>"), AmoError),
    ],
)
def test_status_mapping(fake: FakeAmo, answer: Response, error: type[AmoError]) -> None:
    r = rig(fake)
    fake.script("GET", "/api/v4/account", answer)
    with pytest.raises(error) as info:
        r.client.request("GET", "account")
    assert not isinstance(info.value, AmoBlocked)
    assert len(fake.calls()) == 1
    assert_no_secret(info.value)


def test_5xx_get_is_retried_with_backoff(fake: FakeAmo) -> None:
    r = rig(fake)
    fake.script("GET", "/api/v4/account", json_response(500, {"title": "ErrInternalServer"}), html_response(502, "bad gateway"), OK)
    assert r.client.request("GET", "account") == {"ok": True}
    assert r.clock.sleeps == [1.0, 2.0]


def test_5xx_get_gives_up_after_max_retries(fake: FakeAmo) -> None:
    r = rig(fake, max_retries=2)
    fake.script("GET", "/api/v4/account", html_response(503, "down"))
    with pytest.raises(AmoUnavailable) as info:
        r.client.request("GET", "account")
    assert info.value.maybe_applied is False  # type: ignore[attr-defined]
    assert len(fake.calls()) == 3


def test_5xx_post_is_not_retried(fake: FakeAmo) -> None:
    r = rig(fake)
    fake.script("POST", "/api/v4/leads", html_response(504, "gateway timeout"))
    with pytest.raises(AmoUnavailable) as info:
        r.client.request("POST", "leads", json=[{}])
    assert info.value.maybe_applied is True  # type: ignore[attr-defined]
    assert len(fake.calls()) == 1


def test_post_read_timeout_maybe_applied_and_not_retried(fake: FakeAmo) -> None:
    r = rig(fake, timeout=(2.0, 0.2))
    gate = threading.Event()

    def slow(request: Request) -> Response:
        gate.wait(1.0)
        raise DropConnection()  # the client is gone; answering would only print a BrokenPipe

    fake.script("POST", "/api/v4/leads", slow)
    with pytest.raises(AmoUnavailable) as info:
        r.client.request("POST", "leads", json=[{"name": "Kaspi #1"}])
    gate.set()
    assert info.value.maybe_applied is True  # type: ignore[attr-defined]
    assert len(fake.calls()) == 1 and r.clock.sleeps == []
    assert_no_secret(info.value)


def test_post_lost_response_maybe_applied(fake: FakeAmo) -> None:
    r = rig(fake)

    def drop(request: Request) -> Response:
        raise DropConnection()

    fake.script("POST", "/api/v4/leads", drop)
    with pytest.raises(AmoUnavailable) as info:
        r.client.request("POST", "leads", json=[{}])
    assert info.value.maybe_applied is True  # type: ignore[attr-defined]
    assert len(fake.calls()) == 1


def test_get_lost_response_is_retried(fake: FakeAmo) -> None:
    r = rig(fake)

    def drop(request: Request) -> Response:
        raise DropConnection()

    fake.script("GET", "/api/v4/account", drop, OK)
    assert r.client.request("GET", "account") == {"ok": True}
    assert len(fake.calls()) == 2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_post_connect_failure_is_retried() -> None:
    """amoCRM answered earlier in this run, then refused a connection for a moment: a POST that
    provably never reached it is retried (and lands once)."""
    port = free_port()
    amo = FakeAmo()
    amo.script("GET", "/api/v4/account", OK)
    amo.script("POST", "/api/v4/leads", OK)
    servers: list[EmulatorServer] = [EmulatorServer(amo, port=port).start()]
    store = MemoryTokenStore(TokenPair(A1, R1, NOW + timedelta(hours=20)))
    r = Rig(f"http://127.0.0.1:{port}", store)
    assert r.client.request("GET", "account") == {"ok": True}
    servers.pop().stop()
    r.client._session.close()  # a pooled keep-alive connection outlives the server

    def sleep_then_start(seconds: float) -> None:
        r.clock.sleep(seconds)
        if not servers:  # the server comes up while we back off
            servers.append(EmulatorServer(amo, port=port).start())

    r.client._sleep = sleep_then_start
    try:
        assert r.client.request("POST", "leads", json=[{}]) == {"ok": True}
    finally:
        for s in servers:  # stopping waits for the serve loop's 0.5 s poll: do it in the background
            threading.Thread(target=s.stop, daemon=True).start()
    assert r.clock.sleeps == [1.0]
    assert len([c for c in amo.calls() if c.method == "POST"]) == 1 and r.client.requests_made == 3


def test_an_address_that_never_answered_fails_at_once_naming_the_setting() -> None:
    """A wrong AMO_BASE_URL used to wait out 5 retries (31 s) per request: now the first refused
    connection of a run is one clear error naming AMO_BASE_URL and the address, with no wait."""
    port = free_port()
    store = MemoryTokenStore(TokenPair(A1, R1, NOW + timedelta(hours=20)))
    r = Rig(f"http://127.0.0.1:{port}", store)
    with pytest.raises(AmoUnreachable) as info:
        r.client.request("GET", "contacts", params={"query": "7011234567"})
    assert r.clock.sleeps == [] and r.client.requests_made == 1
    assert f"http://127.0.0.1:{port}" in info.value.message and "AMO_BASE_URL" in info.value.message
    assert "7011234567" not in info.value.message + str(info.value.detail)
    assert isinstance(info.value, AmoUnavailable)  # still "amoCRM is unavailable" to every screen


def test_204_is_none(fake: FakeAmo) -> None:
    r = rig(fake)
    fake.script("GET", "/api/v4/contacts", Response(204, b"", "application/hal+json"))
    assert r.client.request("GET", "contacts", params={"query": "1234567"}) is None


# --- typed API --------------------------------------------------------------------------------


def echo_ids(key: str, first_id: int, *, reverse: bool = True) -> Callable[[Request], Response]:
    """A write endpoint that answers request_ids in reverse order (amoCRM gives no order guarantee)."""
    counter = [first_id]

    def handler(request: Request) -> Response:
        items = []
        for item in request.json():
            counter[0] += 1
            items.append({"id": counter[0], "request_id": item["request_id"]})
        if reverse:
            items.reverse()
        return json_response(200, {"_embedded": {key: items}})

    return handler


def test_create_contacts_maps_request_ids_and_chunks(fake: FakeAmo) -> None:
    r = rig(fake)
    fake.script("POST", "/api/v4/contacts", echo_ids("contacts", 100))
    drafts = [ContactDraft(f"Buyer {i}", f"B{i}", None, f"+7701000{i:04d}") for i in range(120)]
    ids = r.api.create_contacts(drafts)
    assert ids == list(range(101, 221))
    sizes = [len(c.json()) for c in fake.calls()]
    assert sizes == [50, 50, 20]
    first = fake.calls()[0].json()[0]
    assert first == {
        "name": "Buyer 0",
        "first_name": "B0",
        "custom_fields_values": [{"field_code": "PHONE", "values": [{"value": "+77010000000", "enum_code": "WORK"}]}],
        "request_id": "0",
    }
    assert "+77010000000" not in repr(drafts[0]) and "+7 *** *** ** 00" in repr(drafts[0])  # app.logs.mask_phone


def test_create_leads_body_and_order(fake: FakeAmo) -> None:
    r = rig(fake)
    fake.script("POST", "/api/v4/leads", echo_ids("leads", 500))
    drafts = [
        LeadDraft("Kaspi #1", 1000, 11, 22, ("Kaspi", "NEW"), contact_id=7, request_id="order-1"),
        LeadDraft("Kaspi #2", 2000, None, None, (), request_id="order-2"),
    ]
    assert r.api.create_leads(drafts) == [501, 502]
    sent = fake.calls()[0].json()
    assert sent[0] == {
        "name": "Kaspi #1",
        "price": 1000,
        "request_id": "order-1",
        "pipeline_id": 11,
        "status_id": 22,
        "_embedded": {"tags": [{"name": "Kaspi"}, {"name": "NEW"}], "contacts": [{"id": 7}]},
    }
    assert sent[1] == {"name": "Kaspi #2", "price": 2000, "request_id": "order-2"}
    with pytest.raises(ValueError, match="request_id values must be unique"):
        r.api.create_leads([LeadDraft("x", 1, None, None, (), request_id="a"), LeadDraft("y", 1, None, None, (), request_id="a")])


def test_create_leads_complex_results_in_input_order(fake: FakeAmo) -> None:
    r = rig(fake)

    def complex_(request: Request) -> Response:
        items = request.json()
        # amoCRM merged the last two (duplicates) into one lead and answers in its own order.
        return json_response(
            200,
            [
                {"id": 9002, "contact_id": 77, "company_id": None, "request_id": [items[1]["request_id"], items[2]["request_id"]], "merged": True},
                {"id": 9001, "contact_id": 55, "company_id": None, "request_id": [items[0]["request_id"]], "merged": False},
            ],
        )

    fake.script("POST", "/api/v4/leads/complex", complex_)
    buyer = ContactDraft("Aru Bek", "Aru", "Bek", "+77011234567")
    drafts = [
        LeadDraft("Kaspi #1", 100, 1, 2, ("Kaspi",), contact=buyer, request_id="k1"),
        LeadDraft("Kaspi #2", 200, 1, 2, (), contact_id=77, request_id="k2"),
        LeadDraft("Kaspi #2", 200, 1, 2, (), contact_id=77, request_id="k3"),
    ]
    results = r.api.create_leads_complex(drafts)
    assert [(x.lead_id, x.contact_id, x.merged) for x in results] == [(9001, 55, False), (9002, 77, True), (9002, 77, True)]
    assert results[1].request_ids == ("k2", "k3")
    sent = fake.calls()[0].json()
    assert sent[0]["_embedded"]["contacts"][0]["custom_fields_values"][0]["values"][0]["value"] == "+77011234567"
    assert sent[1]["_embedded"]["contacts"] == [{"id": 77}]


def test_failed_chunk_keeps_partial_results(fake: FakeAmo) -> None:
    r = rig(fake)
    ok = echo_ids("notes", 0, reverse=False)
    fake.script("POST", "/api/v4/leads/notes", ok, json_response(400, {"status": 400, "detail": "Request validation failed", "validation-errors": []}))
    notes = [(i, f"note {i}") for i in range(60)]
    with pytest.raises(AmoValidationError) as info:
        r.api.add_lead_notes(notes)
    assert info.value.partial_results == list(range(1, 51))
    assert fake.calls()[0].json()[0] == {"entity_id": 0, "note_type": "common", "params": {"text": "note 0"}, "request_id": "0"}


def contact_json(cid: int, phone: str) -> dict[str, Any]:
    return {"id": cid, "name": f"C{cid}", "custom_fields_values": [{"field_code": "PHONE", "values": [{"value": phone, "enum_code": "WORK"}]}]}


def test_search_contacts_follows_next_links(fake: FakeAmo) -> None:
    r = rig(fake)
    pages: dict[str, Any] = {
        "1": {
            "_page": 1,
            # amoCRM writes absolute links with the account host: the client re-bases them on base_url.
            "_links": {"next": {"href": "https://shop.amocrm.ru/api/v4/contacts?query=1234567&limit=50&page=2"}},
            "_embedded": {"contacts": [contact_json(1, "+7 701 123 45 67")]},
        },
        "2": {"_page": 2, "_links": {}, "_embedded": {"contacts": [contact_json(2, "87771234567")]}},
    }
    fake.script("GET", "/api/v4/contacts", lambda req: json_response(200, pages[req.arg("page", "1")]))
    found = r.api.search_contacts("1234567")
    assert [(c.id, c.phones) for c in found] == [(1, ("+7 701 123 45 67",)), (2, ("87771234567",))]
    first, second = fake.calls()
    assert first.arg("query") == "1234567" and first.arg("limit") == "50"
    assert second.arg("page") == "2" and second.arg("query") == "1234567" and bearer(second) == A1
    assert "1234567" not in repr(found)


def test_search_contacts_204_is_empty(fake: FakeAmo) -> None:
    r = rig(fake)
    fake.script("GET", "/api/v4/contacts", Response(204))
    assert r.api.search_contacts("0000000") == []


def test_find_leads_by_name_exact_lowest_first(fake: FakeAmo) -> None:
    r = rig(fake)
    leads = [
        {"id": 30, "name": "Kaspi #12", "price": 5, "_embedded": {"tags": [{"id": 1, "name": "Kaspi"}], "contacts": [{"id": 4, "is_main": True}]}},
        {"id": 20, "name": "Kaspi #123", "price": 5},
        {"id": 10, "name": "Kaspi #12", "price": 7, "pipeline_id": 1, "status_id": 2},
    ]
    fake.script("GET", "/api/v4/leads", json_response(200, {"_embedded": {"leads": leads}}))
    found = r.api.find_leads_by_name("Kaspi #12")
    assert [lead.id for lead in found] == [10, 30]
    assert found[1].tags == ("Kaspi",) and found[1].contact_ids == (4,)
    assert fake.calls()[0].arg("query") == "Kaspi #12"


def test_get_and_update_lead(fake: FakeAmo) -> None:
    r = rig(fake)
    fake.script("GET", "/api/v4/leads/5", json_response(200, {"id": 5, "name": "Kaspi #5", "price": 10, "status_id": 142, "_embedded": {"contacts": [{"id": 9}]}}))
    fake.script("GET", "/api/v4/leads/6", Response(204))
    fake.script("PATCH", "/api/v4/leads/5", json_response(200, {"id": 5}))
    lead = r.api.get_lead(5)
    assert lead is not None and lead.status_id == 142 and lead.contact_ids == (9,)
    assert fake.calls()[0].arg("with") == "contacts"
    assert r.api.get_lead(6) is None
    r.api.update_lead(5, status_id=143, tags_to_add=["CANCELLED"], tags_to_delete=["NEW"])
    r.api.update_lead(5)  # nothing to change: no request
    patches = [c for c in fake.calls() if c.method == "PATCH"]
    assert len(patches) == 1
    assert patches[0].json() == {"status_id": 143, "tags_to_add": [{"name": "CANCELLED"}], "tags_to_delete": [{"name": "NEW"}]}


CATALOG_FIELDS = json_response(200, {"_embedded": {"custom_fields": [
    {"id": 911, "name": "Артикул", "code": "SKU", "type": "text", "catalog_id": 2},
    {"id": 913, "name": "Оптовая цена", "code": None, "type": "price", "catalog_id": 2},
    {"id": 915, "name": "Цена", "code": "PRICE", "type": "price", "catalog_id": 2},
]}})


def test_products(fake: FakeAmo) -> None:
    r = rig(fake)
    fake.script(
        "GET",
        "/api/v4/catalogs",
        json_response(200, {"_embedded": {"catalogs": [{"id": 1, "name": "Счета", "type": "invoices"}, {"id": 2, "name": "Товары", "type": "products"}]}}),
    )
    element = {
        "id": 70,
        "name": "Чайник",
        "custom_fields_values": [
            {"field_code": "SKU", "values": [{"value": "SKU-1"}]},
            {"field_code": "PRICE", "values": [{"value": "999.50"}]},
        ],
    }
    fake.script("GET", "/api/v4/catalogs/2/custom_fields", CATALOG_FIELDS)
    fake.script("GET", "/api/v4/catalogs/2/elements", json_response(200, {"_embedded": {"elements": [element]}}))
    fake.script("POST", "/api/v4/catalogs/2/elements", echo_ids("elements", 80))
    fake.script("POST", "/api/v4/leads/5/link", json_response(200, {"_embedded": {"links": []}}))
    fake.script("POST", "/api/v4/leads/link", json_response(200, {"_embedded": {"links": []}}))
    links = [
        {"to_entity_id": 70, "to_entity_type": "catalog_elements", "metadata": {"quantity": 2, "catalog_id": 2}},
        {"to_entity_id": 4, "to_entity_type": "contacts", "metadata": {"main_contact": True}},
    ]
    fake.script("GET", "/api/v4/leads/5/links", json_response(200, {"_embedded": {"links": links}}))

    catalog = r.api.products_catalog()
    assert catalog is not None and catalog.id == 2
    (found,) = r.api.find_catalog_elements(2, "SKU-1")
    assert (found.id, found.sku, found.price) == (70, "SKU-1", 999.5)
    made = r.api.create_catalog_elements(2, [ProductDraft("Чайник", "SKU-1", 1000.0), ProductDraft("Кружка", "SKU-2", 12.5)])
    assert [(e.id, e.sku) for e in made] == [(81, "SKU-1"), (82, "SKU-2")]
    r.api.link_products(5, 2, [ProductLink(70, 2)])
    r.api.link_products_bulk([(5, 2, ProductLink(70, 2)), (6, 2, ProductLink(71, 1))])
    assert r.api.lead_product_links(5) == [(70, 2.0)]

    posts = {c.path: c.json() for c in fake.calls() if c.method == "POST"}
    # by the catalog's field ids (the PRICE-coded one, not the other price field), not by code
    assert posts["/api/v4/catalogs/2/elements"][0]["custom_fields_values"] == [
        {"field_id": 911, "values": [{"value": "SKU-1"}]},
        {"field_id": 915, "values": [{"value": 1000}]},
    ]
    assert posts["/api/v4/leads/5/link"] == [{"to_entity_id": 70, "to_entity_type": "catalog_elements",
                                               "metadata": {"quantity": 2, "catalog_id": 2, "price_id": 915}}]
    assert posts["/api/v4/leads/link"][0] == {"entity_id": 5, "to_entity_id": 70, "to_entity_type": "catalog_elements",
                                              "metadata": {"quantity": 2, "catalog_id": 2, "price_id": 915}}
    assert all(isinstance(b["metadata"]["quantity"], int) for b in posts["/api/v4/leads/link"])
    # the fields were asked once for the whole run
    assert sum(1 for c in fake.calls() if c.path == "/api/v4/catalogs/2/custom_fields") == 1


def test_catalog_fields_unknown_fall_back_to_field_codes(fake: FakeAmo) -> None:
    r = rig(fake)
    fake.script("GET", "/api/v4/catalogs/2/custom_fields", Response(204, b"", "application/hal+json"))
    fake.script("POST", "/api/v4/catalogs/2/elements", echo_ids("elements", 80))
    fake.script("POST", "/api/v4/leads/link", json_response(200, {"_embedded": {"links": []}}))
    r.api.create_catalog_elements(2, [ProductDraft("Чайник", "SKU-1", 1000.0)])
    r.api.link_products_bulk([(5, 2, ProductLink(81, 3))])
    posts = {c.path: c.json() for c in fake.calls() if c.method == "POST"}
    assert posts["/api/v4/catalogs/2/elements"][0]["custom_fields_values"] == [
        {"field_code": "SKU", "values": [{"value": "SKU-1"}]},
        {"field_code": "PRICE", "values": [{"value": 1000}]},
    ]
    assert posts["/api/v4/leads/link"][0]["metadata"] == {"quantity": 3, "catalog_id": 2}


def test_account_and_pipelines(fake: FakeAmo) -> None:
    r = rig(fake)
    fake.script("GET", "/api/v4/account", json_response(200, {"id": 1, "name": "Shop", "subdomain": "shop"}))
    statuses = [{"id": 10, "name": "Неразобранное", "type": 1}, {"id": 142, "name": "Успешно", "type": 0}]
    fake.script(
        "GET",
        "/api/v4/leads/pipelines",
        json_response(200, {"_embedded": {"pipelines": [{"id": 3, "name": "Воронка", "is_main": True, "_embedded": {"statuses": statuses}}]}}),
    )
    assert r.api.account().subdomain == "shop"
    (pipeline,) = r.api.pipelines()
    assert pipeline.is_main and [s.id for s in pipeline.statuses] == [10, 142] and pipeline.statuses[0].type == 1
