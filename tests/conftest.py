"""Shared fixtures: a seeded or empty sandbox and a runtime wired to it in-process; the suite's
test order (the long tests first)."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from app.amo.ratelimit import RateLimiter
from app.amo.tokens import MemoryTokenStore, TokenPair
from app.bootstrap import Runtime, build_runtime
from app.config import load_settings
from app.sandbox.server import Sandbox
from tests.pg import PG_URL, SKIP_PG, with_search_path


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The `slow` tests first, otherwise in file order. `pytest -n 2 --dist worksteal` gives each
    worker half the list in this order and lets the one that runs dry take the tail of the
    other's queue: the minute-long tests start first, never last with the other worker idle,
    and a file's tests stay together (test_packaging's frozen build is made once)."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)  # stable: file order kept


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[Any]:
    """An autocommit connection to the test server, or a failure (a skip when opted out)."""
    if SKIP_PG:
        pytest.skip("PostgreSQL tests skipped: KASPI_AMO_SKIP_POSTGRES=1")
    try:
        import psycopg
    except ImportError:  # pragma: no cover
        pytest.fail("psycopg is not installed (pip install -e '.[postgres]'); set KASPI_AMO_SKIP_POSTGRES=1 to skip")
    try:
        conn = psycopg.connect(PG_URL, autocommit=True, connect_timeout=3)
    except psycopg.Error as exc:
        pytest.fail(f"PostgreSQL at {PG_URL} is unreachable ({exc}); start it or set KASPI_AMO_SKIP_POSTGRES=1 to skip")
    yield conn
    conn.close()


@pytest.fixture
def pg_schema_url(pg_admin: Any) -> Iterator[str]:
    """A DATABASE_URL on a fresh, empty schema of its own (dropped afterwards)."""
    schema = f"t_{uuid.uuid4().hex[:16]}"
    pg_admin.execute(f"CREATE SCHEMA {schema}")
    try:
        yield with_search_path(PG_URL, schema)
    finally:
        pg_admin.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgres"])
def store_backend(request: pytest.FixtureRequest) -> str:
    """Engine-level tests run on both stores."""
    return request.param


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    """An empty sandbox (no seeded orders or contacts); amoCRM's 7 rps limit is on."""
    with Sandbox(seed=False) as box:
        yield box


@pytest.fixture
def make_runtime(
    sandbox: Sandbox, tmp_path: Path, store_backend: str, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Runtime]]:
    """Builds engine runtimes against `sandbox` sharing one home and one store (SQLite or PostgreSQL).

    Unpaced, as the fault suite's engines: the engine's exactly-once logic does not depend on
    pacing, and waiting out 6 rps here only costs seconds. The amoCRM client's pacing and its
    answer to a 429 have their own tests, and every CLI test keeps the real limits."""
    made: list[Runtime] = []
    sandbox.amo.rps_limit = None
    env = {**sandbox.env(), "KASPI_AMO_HOME": str(tmp_path / "home")}
    if store_backend == "postgres":
        env["DATABASE_URL"] = request.getfixturevalue("pg_schema_url")
    tokens = MemoryTokenStore(TokenPair(env["AMO_ACCESS_TOKEN"], env["AMO_REFRESH_TOKEN"]))
    limiter = RateLimiter(1000)  # one per process, as in the app: runtimes share the amoCRM budget
    cache_secret = os.urandom(32)  # the home's store key, as the secret store would keep it

    def make(**overrides: str) -> Runtime:
        settings = load_settings({**env, **overrides}, cwd=tmp_path)
        runtime = build_runtime(settings, tokens=tokens, limiter=limiter, retry_sleep=lambda s: time.sleep(min(s, 0.05)),
                                cache_secret=cache_secret)
        made.append(runtime)
        return runtime

    yield make
    for runtime in made:
        runtime.close()


@pytest.fixture
def now() -> datetime:
    return datetime.now(UTC)
