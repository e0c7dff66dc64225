"""A computer clock far from Kaspi's fails the cycle clearly instead of reporting empty success.

In-process against the sandbox: the engine's clock (its `now`, what `datetime.now` would say on
that computer) is moved 30 days; the emulators answer with the real time in their Date header.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.amo.ratelimit import RateLimiter
from app.amo.tokens import MemoryTokenStore, TokenPair
from app.bootstrap import Runtime, build_runtime
from app.config import load_settings
from app.errors import ClockSkewError
from app.sandbox.seed import make_order
from app.sandbox.server import Sandbox
from app.server_time import MAX_SKEW, ServerClock
from app.sync.poll import META_WINDOW_END, poll_window

CODES = ("790000001", "790000002", "790000003")


@pytest.fixture
def runtime_at(sandbox: Sandbox, tmp_path: Path) -> Any:
    env = {**sandbox.env(), "KASPI_AMO_HOME": str(tmp_path / "home")}
    tokens = MemoryTokenStore(TokenPair(env["AMO_ACCESS_TOKEN"], env["AMO_REFRESH_TOKEN"]))
    made: list[Runtime] = []

    def make(offset: timedelta) -> Runtime:
        def now() -> datetime:
            return datetime.now(UTC) + offset
        runtime = build_runtime(load_settings(env, cwd=tmp_path), tokens=tokens, limiter=RateLimiter(100), now=now)
        made.append(runtime)
        return runtime

    sandbox.kaspi.add_orders([make_order(code, created=datetime.now(UTC) - timedelta(hours=i + 1),
                                         phone=f"70155508{i:02d}") for i, code in enumerate(CODES)])
    yield make
    for runtime in made:
        runtime.close()


@pytest.mark.parametrize("days, word", [(30, "спешат"), (-30, "отстают")])
def test_a_clock_30_days_off_fails_the_poll_and_writes_nothing(sandbox: Sandbox, runtime_at: Any, days: int,
                                                                word: str) -> None:
    skewed = runtime_at(timedelta(days=days))
    for kind in ("poll", "reconcile"):
        report = getattr(skewed.engine, kind)()
        assert isinstance(report.error, ClockSkewError), report.error
        assert word in report.error.message and "30 дн." in report.error.message
    assert sandbox.amo.write_requests == 0
    assert skewed.store.get_meta("fail_streak") == "2"  # recorded: the alerts see it
    assert skewed.store.get_meta(META_WINDOW_END) is None  # no window mark from the wrong clock

    fixed = runtime_at(timedelta(0))  # the owner fixed the clock
    report = fixed.engine.poll()
    assert report.ok and sorted(code for code, _ in report.created) == sorted(CODES)


def test_a_few_minutes_off_is_only_a_warning(sandbox: Sandbox, runtime_at: Any, caplog: Any) -> None:
    report = runtime_at(timedelta(minutes=10)).engine.poll()
    assert report.ok and len(report.created) == 3
    assert any("clock is off" in r.getMessage() for r in caplog.records)


def test_the_server_clock_ignores_what_is_not_a_date() -> None:
    now = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
    clock = ServerClock(lambda: now)
    for junk in (None, "", "yesterday", "Sun, 99 Foo 2026 99:99:99 GMT", "Sun, 06 Dec 2026 12:00:00 -0000"):
        clock.observe(junk, "Kaspi")
        assert clock.skew is None
        clock.check()
    clock.observe("Sun, 06 Dec 2026 11:00:00 GMT", "Kaspi")
    assert clock.skew == timedelta(hours=1) > MAX_SKEW
    with pytest.raises(ClockSkewError):
        clock.check()


def test_a_window_mark_left_in_the_future_does_not_hide_todays_orders(sandbox: Sandbox, runtime_at: Any) -> None:
    runtime = runtime_at(timedelta(0))
    now = datetime.now(UTC)
    runtime.store.set_meta(META_WINDOW_END, (now + timedelta(days=30)).isoformat())  # an older version's wrong clock
    start, end = poll_window(runtime.store, now, lookback=timedelta(days=14), overlap=timedelta(days=1))
    assert start == now - timedelta(days=1) and end == now
    assert len(runtime.engine.poll().created) == 3


