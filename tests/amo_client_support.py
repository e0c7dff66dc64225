"""What the amoCRM client tests share: tokens, a fake clock, a scripted amoCRM fake served over
loopback HTTP (module-scoped server, per-test script) and the rig that wires a client to it.

The fakes are written here on purpose (not the full amoCRM emulator) so each test states exactly
the server behaviour it depends on."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.amo.api import AmoApi
from app.amo.client import AmoClient
from app.amo.oauth import OAuthClient, TokenManager
from app.amo.ratelimit import RateLimiter
from app.amo.tokens import MemoryTokenStore, TokenPair
from app.sandbox.http import EmulatorServer, Request, Response, Router, _Handler, json_response

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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
