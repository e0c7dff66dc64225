"""The idle amoCRM check: revoked access shows within a poll even when no order needs amoCRM."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.amo.ratelimit import RateLimiter
from app.amo.tokens import MemoryTokenStore, TokenPair
from app.bootstrap import Runtime, build_runtime
from app.clock import utc_now
from app.config import load_settings
from app.errors import AmoAuthError, AmoPaymentRequired
from app.sandbox.server import Sandbox
from app.sync.amo_health import OK, REFUSED, UNPAID, AmoHealth, idle_check_due, read_health
from tests.test_engine import orders


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += timedelta(minutes=minutes)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def runtime(sandbox: Sandbox, tmp_path: Path, clock: Clock) -> Iterator[Runtime]:
    env = {**sandbox.env(), "KASPI_AMO_HOME": str(tmp_path / "home")}
    tokens = MemoryTokenStore(TokenPair(env["AMO_ACCESS_TOKEN"], env["AMO_REFRESH_TOKEN"]))
    built = build_runtime(load_settings(env, cwd=tmp_path), tokens=tokens, limiter=RateLimiter(6), now=clock,
                          wall_clock=utc_now,  # the servers' Date headers tell the real time
                          retry_sleep=lambda seconds: None)
    yield built
    built.close()


def account_reads(sandbox: Sandbox) -> int:
    return sum(1 for method, path, _status in sandbox.amo.request_log if method == "GET" and path == "/api/v4/account")


def health(runtime: Runtime) -> AmoHealth:
    found = read_health(runtime.store)
    assert found is not None
    return found


def test_idle_shop_asks_amocrm_every_30_minutes_only(sandbox: Sandbox, runtime: Runtime, clock: Clock) -> None:
    sandbox.kaspi.add_orders(orders(clock.now, 2))
    first = runtime.engine.poll()
    assert first.ok and len(first.created) == 2
    assert account_reads(sandbox) == 0  # the deals themselves proved the access
    assert health(runtime).state == OK and health(runtime).answered_at == clock.now

    for _ in range(29):  # half an hour of idle polls: no amoCRM request at all
        clock.advance(1)
        assert runtime.engine.poll().amo_requests == 0
    clock.advance(1)
    checked = runtime.engine.poll()
    assert checked.ok and checked.amo_requests == 1 and account_reads(sandbox) == 1
    assert health(runtime).answered_at == clock.now and health(runtime).account_name == "Sandbox Shop"
    clock.advance(1)
    assert runtime.engine.poll().amo_requests == 0  # answered a minute ago


def test_revoked_access_turns_an_idle_poll_red_until_it_is_fixed(
        sandbox: Sandbox, runtime: Runtime, clock: Clock) -> None:
    assert runtime.engine.poll().ok  # a fresh store with nothing to do still asks once
    assert account_reads(sandbox) == 1 and health(runtime).ok
    sandbox.amo.expire_access_tokens()
    sandbox.amo.revoke_refresh_tokens()  # the owner switched the integration off in amoCRM
    clock.advance(10)
    assert runtime.engine.poll().ok  # not due yet: nothing in amoCRM was asked
    clock.advance(21)
    refused = runtime.engine.poll()
    assert isinstance(refused.error, AmoAuthError) and not refused.ok
    state = health(runtime)
    assert state.state == REFUSED and state.refused and state.message
    assert state.answered_at is not None and state.answered_at < clock.now  # when it last worked
    assert runtime.store.get_meta("fail_streak") == "1"  # the alerts count it like any failure
    clock.advance(1)
    again = runtime.engine.poll()  # a failure is rechecked every poll, so recovery shows at once
    assert isinstance(again.error, AmoAuthError) and runtime.store.get_meta("fail_streak") == "2"

    access, refresh = sandbox.amo.issue_tokens()  # reconnected
    runtime.tokens.save(TokenPair(access, refresh))
    clock.advance(1)
    assert runtime.engine.poll().ok and health(runtime).state == OK


def test_unpaid_account_is_recorded(sandbox: Sandbox, runtime: Runtime, clock: Clock) -> None:
    sandbox.amo.fail_next(3, status=402)
    report = runtime.engine.poll()
    assert isinstance(report.error, AmoPaymentRequired)
    assert health(runtime).state == UNPAID and health(runtime).refused


def test_dry_run_never_asks(sandbox: Sandbox, tmp_path: Path, clock: Clock) -> None:
    env = {**sandbox.env(), "KASPI_AMO_HOME": str(tmp_path / "home"), "DRY_RUN": "true"}
    tokens = MemoryTokenStore(TokenPair(env["AMO_ACCESS_TOKEN"], env["AMO_REFRESH_TOKEN"]))
    built = build_runtime(load_settings(env, cwd=tmp_path), tokens=tokens, now=clock)
    try:
        assert built.engine.poll().amo_requests == 0
        assert read_health(built.store) is None
    finally:
        built.close()


@pytest.mark.parametrize(
    ("recorded", "minutes", "account", "due"),
    [
        (None, 0, "https://a.amocrm.ru", True),
        (OK, 29, "https://a.amocrm.ru", False),
        (OK, 30, "https://a.amocrm.ru", True),
        (OK, 1, "https://b.amocrm.ru", True),  # another account's verdict says nothing
        (REFUSED, 1, "https://a.amocrm.ru", True),
    ],
)
def test_idle_check_due(recorded: str | None, minutes: int, account: str, due: bool) -> None:
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    earlier: Callable[[int], datetime] = lambda m: now - timedelta(minutes=m)  # noqa: E731
    health_ = None if recorded is None else AmoHealth(recorded, earlier(minutes), "https://a.amocrm.ru",
                                                      answered_at=earlier(minutes))
    assert idle_check_due(health_, now, account=account) is due
