"""amoCRM transport under throttling, blocking and errors (429, 403, 400, 5xx, timeouts, lost
answers, refused connections), against scripted fakes over loopback HTTP; nothing really waits."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from app.amo.tokens import MemoryTokenStore, TokenPair
from app.errors import (
    AmoBlocked,
    AmoError,
    AmoNotFound,
    AmoPaymentRequired,
    AmoRateLimited,
    AmoUnavailable,
    AmoUnreachable,
    AmoValidationError,
)
from app.sandbox.http import (
    DropConnection,
    EmulatorServer,
    Request,
    Response,
    html_response,
    json_response,
)
from tests.amo_client_support import (
    A1,
    NOW,
    OK,
    R1,
    FakeAmo,
    Rig,
    assert_no_secret,
    fake,
    free_port,
    rig,
    server,
)

__all__ = ["fake", "server"]  # fixtures used by name


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
