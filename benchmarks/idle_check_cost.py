"""What the idle amoCRM check costs: amoCRM requests a day, per scenario.

A poll that needs amoCRM for no order asks GET /api/v4/account when amoCRM has not answered
for 30 minutes (app/sync/amo_health.py). This runs a simulated day of polls, one a minute
(the production engine and HTTP clients against the built-in sandbox, a fake clock), and
counts every amoCRM request the sandbox saw. Not a test: figures for docs/performance.md.

    python benchmarks/idle_check_cost.py            # all scenarios, one simulated day each
    python benchmarks/idle_check_cost.py --hours 6 --json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.amo.ratelimit import RateLimiter  # noqa: E402
from app.amo.tokens import MemoryTokenStore, TokenPair  # noqa: E402
from app.bootstrap import build_runtime  # noqa: E402
from app.clock import utc_now  # noqa: E402
from app.config import load_settings  # noqa: E402
from app.sandbox.seed import bulk_orders  # noqa: E402
from app.sandbox.server import Sandbox  # noqa: E402


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


def day(hours: float, *, order_every: int | None, revoke: bool, long_lived: bool) -> dict[str, object]:
    """Polls a minute apart for `hours`; a new order every `order_every` minutes (None: none);
    access revoked after the first poll when `revoke`."""
    clock = Clock()
    with tempfile.TemporaryDirectory() as home, Sandbox(seed=False, amo_options={"rps_limit": None}) as sandbox:
        env = {**sandbox.env(), "KASPI_AMO_HOME": home}
        if long_lived:
            env["AMO_ACCESS_TOKEN"], env["AMO_REFRESH_TOKEN"] = sandbox.amo.long_lived_token(), ""
        tokens = MemoryTokenStore(TokenPair(env["AMO_ACCESS_TOKEN"], env["AMO_REFRESH_TOKEN"] or None))
        runtime = build_runtime(load_settings(env, cwd=Path(home)), tokens=tokens, limiter=RateLimiter(1000),
                                now=clock, wall_clock=utc_now, retry_sleep=lambda seconds: None)
        add: Callable[[int], None] = lambda n: sandbox.kaspi.add_orders(  # noqa: E731
            bulk_orders(1, now=clock.now, code_start=800_000_000 + n, seed=n))
        runtime.engine.poll()  # the first poll of the day (a fresh store asks once)
        if revoke:
            sandbox.amo.expire_access_tokens()
            sandbox.amo.revoke_refresh_tokens()
        before = len(sandbox.amo.request_log)
        polls = int(hours * 60)
        failed = 0
        started = time.perf_counter()
        for minute in range(1, polls + 1):
            clock.now += timedelta(minutes=1)
            if order_every and minute % order_every == 0:
                add(minute)
            if not runtime.engine.poll().ok:
                failed += 1
        elapsed = time.perf_counter() - started
        log = sandbox.amo.request_log[before:]
        runtime.close()
    accounts = sum(1 for method, path, _status in log if method == "GET" and path == "/api/v4/account")
    per_day = 24 / hours
    return {
        "polls": polls,
        "amo_requests": len(log),
        "account_reads": accounts,
        "account_reads_per_day": round(accounts * per_day),
        "amo_requests_per_day": round(len(log) * per_day),
        "failed_polls": failed,
        "seconds": round(elapsed, 1),
    }


SCENARIOS = {
    "idle shop, access fine": {"order_every": None, "revoke": False, "long_lived": False},
    "an order every 20 min": {"order_every": 20, "revoke": False, "long_lived": False},
    "an order every 2 hours": {"order_every": 120, "revoke": False, "long_lived": False},
    "idle shop, OAuth access revoked": {"order_every": None, "revoke": True, "long_lived": False},
    "idle shop, long-lived token revoked": {"order_every": None, "revoke": True, "long_lived": True},
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hours", type=float, default=24.0, help="simulated hours per scenario")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = {name: day(args.hours, **options) for name, options in SCENARIOS.items()}  # type: ignore[arg-type]
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return 0
    print(f"{'scenario':38} {'polls':>6} {'GET /account':>13} {'/day':>6} {'all amoCRM /day':>16} {'failed':>7}")
    for name, r in results.items():
        print(f"{name:38} {r['polls']:>6} {r['account_reads']:>13} {r['account_reads_per_day']:>6} "
              f"{r['amo_requests_per_day']:>16} {r['failed_polls']:>7}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
