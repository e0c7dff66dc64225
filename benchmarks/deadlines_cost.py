"""What Kaspi's clocks cost: Kaspi requests of `kaspi-amo quality`, amoCRM requests of the
deadline step (zero when nothing is due), and the step's time on a store with many orders.

Runs the production engine, clients and CLI against the built-in sandbox (amoCRM's 7 rps limit
on). Not a test: numbers for docs/performance.md.

    python benchmarks/deadlines_cost.py                # 30 days of 500 orders
    python benchmarks/deadlines_cost.py --orders 2000 --json
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.amo.tokens import MemoryTokenStore, TokenPair  # noqa: E402
from app.bootstrap import build_runtime  # noqa: E402
from app.config import load_settings  # noqa: E402
from app.sandbox.amo.tasks import Tasks  # noqa: E402
from app.sandbox.seed import goods_entry, make_order, to_ms  # noqa: E402
from app.sandbox.server import Sandbox  # noqa: E402


def month_of_orders(count: int, now: datetime, seed: int = 15) -> list[Any]:
    """`count` orders spread evenly over 30 days: most archived, 3 % cancelled by the shop's
    fault, 2 % by buyers; the last day's are open (accepted, Kaspi Delivery with the courier
    a day away, pickup) and none waits for acceptance, so nothing is due."""
    rng = random.Random(seed)
    span = timedelta(days=30) - timedelta(minutes=5)
    orders = []
    for index in range(count):
        created = now - span + span * index / count
        fields: dict[str, Any] = {"state": "ARCHIVE", "status": "COMPLETED"}
        roll = rng.random()
        if roll < 0.03:
            fields = {"state": "ARCHIVE", "status": "CANCELLED", "cancellation_reason":
                      rng.choice(["MERCHANT_OUT_OF_STOCK", "TIMEOUT_KASPI_DELIVERY"])}
        elif roll < 0.05:
            fields = {"state": "ARCHIVE", "status": "CANCELLED", "cancellation_reason": "BUYER_NOT_REACHABLE"}
        if now - created < timedelta(days=1):
            fields = rng.choice([
                {"state": "DELIVERY", "status": "ACCEPTED_BY_MERCHANT"},
                {"state": "KASPI_DELIVERY", "status": "ACCEPTED_BY_MERCHANT", "is_kaspi_delivery": True,
                 "delivery_mode": "DELIVERY_REGIONAL_TODOOR", "handover_planned_ms": to_ms(now + timedelta(days=1))},
                {"state": "PICKUP", "status": "ACCEPTED_BY_MERCHANT", "delivery_mode": "DELIVERY_PICKUP"},
            ])
        orders.append(make_order(str(650_000_000 + index), created=created, phone=f"70{index:08d}",
                                 entries=[goods_entry("CASE-IP15-BLK")], **fields))
    return orders


def quality_cost(orders: int, page_size: int) -> dict[str, Any]:
    """`kaspi-amo quality --json` as a subprocess: its output and both emulators' request logs."""
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as home, Sandbox(seed=False) as sandbox:
        sandbox.kaspi.add_orders(month_of_orders(orders, now))
        env = {"PATH": os.environ.get("PATH", ""), "KASPI_AMO_HOME": home, "KASPI_AMO_SECRETS": "file",
               **sandbox.env(), "KASPI_PAGE_SIZE": str(page_size)}
        kaspi_before, amo_before = len(sandbox.kaspi.request_log), sandbox.amo.api_requests
        started = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "app", "quality", "--json"], env=env, cwd=home, check=False,
                                capture_output=True, text=True, timeout=300)
        elapsed = time.perf_counter() - started
        if result.returncode != 0:
            raise SystemExit(result.stderr)
        return {"orders_in_kaspi": orders, "page_size": page_size, "figures": json.loads(result.stdout),
                "kaspi_requests": len(sandbox.kaspi.request_log) - kaspi_before,
                "amo_requests": sandbox.amo.api_requests - amo_before, "seconds": round(elapsed, 2)}


def open_orders(count: int, now: datetime) -> list[Any]:
    """`count` open orders over the last 13 days, all accepted, none due: the shop's own delivery,
    Kaspi Delivery with the courier a day away, pickup accepted within the last day."""
    orders = []
    for index in range(count):
        created = now - timedelta(days=13) + timedelta(days=13) * index / count
        kind = index % 3
        if kind == 1:
            fields: dict[str, Any] = {"state": "KASPI_DELIVERY", "is_kaspi_delivery": True,
                                      "delivery_mode": "DELIVERY_REGIONAL_TODOOR",
                                      "handover_planned_ms": to_ms(now + timedelta(days=1))}
        elif kind == 2 and now - created < timedelta(days=1):
            fields = {"state": "PICKUP", "delivery_mode": "DELIVERY_PICKUP"}
        else:
            fields = {"state": "DELIVERY"}
        orders.append(make_order(str(660_000_000 + index), created=created, phone=f"71{index:08d}",
                                 status="ACCEPTED_BY_MERCHANT", entries=[goods_entry("CASE-IP15-BLK")], **fields))
    return orders


def idle_polls(orders: int, polls: int) -> dict[str, Any]:
    """A store holding `orders` open orders, polled again and again with nothing new and nothing
    due; then one order comes in and, once its deal exists, waits past ALERT_ACCEPT_MINUTES."""
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as home, Sandbox(seed=False) as sandbox:
        sandbox.kaspi.add_orders(open_orders(orders, now))
        env = {**sandbox.env(), "KASPI_AMO_HOME": home}
        tokens = MemoryTokenStore(TokenPair(env["AMO_ACCESS_TOKEN"], env["AMO_REFRESH_TOKEN"]))
        runtime = build_runtime(load_settings(env, cwd=Path(home)), tokens=tokens)
        first = runtime.engine.poll()
        runtime.engine.reconcile()  # the 14-day view of every state, and the quality
        idle = []
        for _ in range(polls):
            started = time.perf_counter()
            report = runtime.engine.poll()
            idle.append((report.amo_requests, report.kaspi_requests, time.perf_counter() - started))
        tasks, runtime.engine.tasks = runtime.engine.tasks, None  # the same polls without the deadline step
        bare = []
        for _ in range(polls):
            started = time.perf_counter()
            runtime.engine.poll()
            bare.append(time.perf_counter() - started)
        runtime.engine.tasks = tasks
        sandbox.kaspi.add_order(make_order("669999999", created=now - timedelta(minutes=40), phone="7009999999"))
        deal_poll = runtime.engine.poll()  # 40 minutes: its deal, no task yet
        runtime.close()
        # the same store with ALERT_ACCEPT_MINUTES=30: the order is due now, nothing else changed
        sooner = build_runtime(load_settings({**env, "ALERT_ACCEPT_MINUTES": "30"}, cwd=Path(home)), tokens=tokens)
        sandbox.amo.reset_counters()
        due_report = sooner.engine.poll()
        calls = [(m, p) for m, p, _ in sandbox.amo.request_log]
        lead = sandbox.amo.leads_named("Kaspi #669999999")[0]["id"]
        after = sooner.engine.poll()
        sooner.close()
        return {
            "orders_in_store": len(first.created), "idle_polls": polls,
            "idle_amo_requests": sum(a for a, _, _ in idle),
            "idle_kaspi_requests_per_poll": round(sum(k for _, k, _ in idle) / polls, 2),
            "idle_poll_ms_median": round(sorted(t for _, _, t in idle)[polls // 2] * 1000, 1),
            "idle_poll_ms_median_without_deadlines": round(sorted(bare)[polls // 2] * 1000, 1),
            "deal_poll_tasks": len(deal_poll.tasks),
            "due_poll_amo_requests": due_report.amo_requests, "due_poll_calls": calls,
            "tasks_on_the_deal": len(sandbox.amo.resource(Tasks).for_lead(lead)),
            "next_poll_amo_requests": after.amo_requests,
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=500, help="orders over the last 30 days (quality)")
    parser.add_argument("--open", type=int, default=500, help="open orders in the store (idle polls)")
    parser.add_argument("--polls", type=int, default=20, help="idle polls to measure")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    out = {"quality": [quality_cost(args.orders, size) for size in (100, 50)],
           "deadlines": idle_polls(args.open, args.polls)}
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    for q in out["quality"]:
        f = q["figures"]
        print(f"quality, {q['orders_in_kaspi']} orders in 30 days, page size {q['page_size']}: "
              f"{q['kaspi_requests']} Kaspi requests, {q['amo_requests']} amoCRM, {q['seconds']} s "
              f"({f['cancelled_by_merchant']}/{f['orders']} = {f['cancellation_rate']:.4f}, {f['status']})")
    d = out["deadlines"]
    print(f"idle polls with {d['orders_in_store']} open orders in the store: {d['idle_amo_requests']} amoCRM "
          f"requests in {d['idle_polls']} polls, {d['idle_kaspi_requests_per_poll']} Kaspi per poll, "
          f"median {d['idle_poll_ms_median']} ms (without the deadline step {d['idle_poll_ms_median_without_deadlines']} ms)")
    print(f"a poll where one order becomes due: {d['due_poll_amo_requests']} amoCRM requests "
          f"({', '.join(f'{m} {p}' for m, p in d['due_poll_calls'])}); tasks on the deal {d['tasks_on_the_deal']}; "
          f"the next poll {d['next_poll_amo_requests']} amoCRM requests")
    return 0


if __name__ == "__main__":
    sys.exit(main())
