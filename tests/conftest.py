"""Shared fixtures: a seeded or empty sandbox and a runtime wired to it in-process."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

import pytest

from app.amo.ratelimit import RateLimiter
from app.amo.tokens import MemoryTokenStore, TokenPair
from app.bootstrap import Runtime, build_runtime
from app.config import load_settings
from app.sandbox.server import Sandbox


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    """An empty sandbox (no seeded orders or contacts); amoCRM's 7 rps limit is on."""
    with Sandbox(seed=False) as box:
        yield box


@pytest.fixture
def make_runtime(sandbox: Sandbox, tmp_path: Path) -> Iterator[Callable[..., Runtime]]:
    """Builds engine runtimes against `sandbox` sharing one home (and so one store)."""
    made: list[Runtime] = []
    env = {**sandbox.env(), "KASPI_AMO_HOME": str(tmp_path / "home")}
    tokens = MemoryTokenStore(TokenPair(env["AMO_ACCESS_TOKEN"], env["AMO_REFRESH_TOKEN"]))
    limiter = RateLimiter(6)  # one per process, as in the app: runtimes share the amoCRM budget

    def make(**overrides: str) -> Runtime:
        settings = load_settings({**env, **overrides}, cwd=tmp_path)
        runtime = build_runtime(settings, tokens=tokens, limiter=limiter, retry_sleep=lambda s: time.sleep(min(s, 0.05)))
        made.append(runtime)
        return runtime

    yield make
    for runtime in made:
        runtime.close()


@pytest.fixture
def now() -> datetime:
    return datetime.now(timezone.utc)
