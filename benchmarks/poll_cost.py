"""How many amoCRM requests a new order costs, and how many orders a minute a poll syncs.

Runs one real poll (the production engine and HTTP clients) against the built-in
sandbox with amoCRM's 7 requests/second limit switched on, on a fresh store, and
prints the figures (also as JSON with --json). Not a test: numbers for the notes and
docs/performance.md.

    python benchmarks/poll_cost.py --orders 100
    python benchmarks/poll_cost.py --orders 500 --entries 2 --repeat 0.3 --json
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.amo.tokens import MemoryTokenStore, TokenPair  # noqa: E402
from app.bootstrap import build_runtime  # noqa: E402
from app.config import load_settings  # noqa: E402
from app.sandbox.seed import bulk_orders  # noqa: E402
from app.sandbox.server import Sandbox  # noqa: E402


def run(orders: int, entries: int, repeat: float, rps_limit: float, client_rps: float | None) -> dict[str, float]:
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as home, Sandbox(seed=False, amo_options={"rps_limit": rps_limit}) as sandbox:
        batch = bulk_orders(orders, now=now, entries_per_order=entries, repeat_buyer_share=repeat)
        sandbox.kaspi.add_orders(batch)
        env = {**sandbox.env(), "KASPI_AMO_HOME": home}
        if client_rps:
            env["AMO_RPS"] = str(client_rps)
        settings = load_settings(env, cwd=Path(home))
        tokens = MemoryTokenStore(TokenPair(env["AMO_ACCESS_TOKEN"], env["AMO_REFRESH_TOKEN"]))
        runtime = build_runtime(settings, tokens=tokens)
        sandbox.amo.reset_counters()
        started = time.perf_counter()
        report = runtime.engine.poll()
        elapsed = time.perf_counter() - started
        writes_first = sandbox.amo.write_requests
        sandbox.amo.reset_counters()
        second_started = time.perf_counter()
        again = runtime.engine.poll()
        second_elapsed = time.perf_counter() - second_started
        runtime.close()
        created = len(report.created)
        return {
            "orders": orders,
            "entries_per_order": entries,
            "repeat_buyer_share": repeat,
            "created": created,
            "failed": len(report.failed),
            "amo_requests": report.amo_requests,
            "amo_writes": writes_first,
            "amo_requests_per_order": round(report.amo_requests / max(created, 1), 3),
            "kaspi_requests": report.kaspi_requests,
            "seconds": round(elapsed, 2),
            "orders_per_minute": round(created / elapsed * 60, 1) if elapsed else 0.0,
            "http_429": sandbox.amo.too_many_requests,
            "second_poll_amo_requests": again.amo_requests,
            "second_poll_kaspi_requests": again.kaspi_requests,
            "second_poll_seconds": round(second_elapsed, 2),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=100)
    parser.add_argument("--entries", type=int, default=2)
    parser.add_argument("--repeat", type=float, default=0.3, help="share of orders from repeat buyers")
    parser.add_argument("--rps-limit", type=float, default=7.0, help="the emulated amoCRM's limit")
    parser.add_argument("--client-rps", type=float, default=None, help="AMO_RPS for the client (default 6)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(args.orders, args.entries, args.repeat, args.rps_limit, args.client_rps)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:>28}: {value}")
    return 0 if result["failed"] == 0 and result["created"] == args.orders else 1


if __name__ == "__main__":
    sys.exit(main())
