"""amoCRM transport and OAuth over real loopback HTTP against small scripted fakes: the rate
limiter, the bearer header, refresh and its single flight, revoked and long-lived tokens.

Nothing really waits: the limiter and the client get a fake clock/sleep. Throttling and errors
are in test_amo_client_errors.py, the typed API in test_amo_api.py, the fakes in
tests/amo_client_support.py.
"""

from __future__ import annotations

import base64
import json
import random
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.amo.oauth import OAuthClient
from app.amo.ratelimit import RateLimiter
from app.amo.tokens import TokenPair
from app.errors import AmoAuthError, AmoTokenRevoked, AmoUnavailable
from app.sandbox.http import Request, Response, json_response
from tests.amo_client_support import (
    A1,
    A2,
    NOW,
    OK,
    R1,
    R2,
    REVOKED,
    UNAUTHORIZED,
    FakeAmo,
    FakeClock,
    assert_no_secret,
    bearer,
    fake,
    free_port,
    rig,
    server,
    token_reply,
)

__all__ = ["fake", "server"]  # fixtures used by name


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
