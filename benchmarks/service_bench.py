"""What `run --http` costs: endpoint latency on a big store, and the daemon's idle memory.

1. /metrics, /readyz and / answered over real HTTP with N orders in the store (SQLite, and
   PostgreSQL with --postgres URL): median, p95 and worst of repeated requests.
2. Idle RSS of `kaspi-amo run` against the sandbox, without and with --http, after the
   start-up poll and reconcile (and, with the endpoint, after 100 scrapes).

Not a test: numbers for docs/performance.md.

    python benchmarks/service_bench.py --orders 10000
    python benchmarks/service_bench.py --orders 10000 --postgres postgresql://127.0.0.1/postgres --json
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.clock import utc_now  # noqa: E402
from app.lang import Translator  # noqa: E402
from app.logs import Redactor  # noqa: E402
from app.net import ListenAddress  # noqa: E402
from app.sandbox.server import Sandbox  # noqa: E402
from app.service.page import StatusPage  # noqa: E402
from app.service.server import ServiceApp, ServiceServer  # noqa: E402
from app.store.base import OrderRecord, Store, SyncState, SyncStep  # noqa: E402
from app.store.factory import open_store  # noqa: E402

STATES = [SyncState.DONE] * 90 + [SyncState.FAILED] * 6 + [SyncState.PENDING] * 3 + [SyncState.QUARANTINED]


def fill(store: Store, orders: int) -> None:
    now = datetime.now(UTC)
    for i in range(orders):
        state = STATES[i % len(STATES)]
        store.save_order(OrderRecord(
            code=str(900_000_000 + i), sync_state=state, step=SyncStep.NOTE if state == SyncState.DONE else SyncStep.NONE,
            kaspi_id=f"id{i}", kaspi_state="PICKUP", kaspi_status="ACCEPTED_BY_MERCHANT",
            order_created_at=now - timedelta(minutes=i), total_price=10_000 + i, buyer_name=f"Покупатель {i}",
            phone_masked=f"+7 701 *** ** {i % 100:02d}", lead_id=20_000_000 + i if state == SyncState.DONE else None,
            attempts=1,
        ))
    for day in range(90):
        store.bump_daily(utc_now().date() - timedelta(days=day), created=orders // 90, failed=2)
    store.set_meta("last_success_at", now.isoformat())


def latency(url: str, times: int) -> dict[str, float]:
    session = requests.Session()
    spent = []
    for _ in range(times):
        started = time.perf_counter()
        response = session.get(url, timeout=30)
        spent.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    spent.sort()
    return {"median_ms": round(statistics.median(spent), 2), "p95_ms": round(spent[int(len(spent) * 0.95) - 1], 2),
            "max_ms": round(spent[-1], 2)}


def endpoint_latency(database: str, orders: int, times: int) -> dict[str, object]:
    store = open_store(database)
    store.migrate()
    started = time.perf_counter()
    fill(store, orders)
    filled = time.perf_counter() - started
    app = ServiceApp(store, requests=lambda: {"kaspi": 0, "amocrm": 0},
                     page=StatusPage(Translator(), Redactor(), amo_base_url="https://shop.amocrm.ru"),
                     t=Translator(), heartbeat_minutes=5, now=lambda: datetime.now(UTC))
    server = ServiceServer(app, ListenAddress("127.0.0.1", 0))
    base = server.start().url("/")
    try:
        result = {"orders": store.counts().processed + store.counts().backlog + store.counts().quarantined,
                  "fill_seconds": round(filled, 1)}
        for path in ("metrics", "readyz", ""):
            latency(base + path, 5)  # warm the reader thread's connection
            result["/" + path] = latency(base + path, times)
        return result
    finally:
        server.stop()
        store.close()


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def idle_rss(with_http: bool, settle: float) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as home, Sandbox() as sandbox:
        sandbox.seed(datetime.now(UTC))
        env = {"PATH": os.environ.get("PATH", ""), "HOME": home, "KASPI_AMO_HOME": home, "KASPI_AMO_SECRETS": "file",
               "POLL_INTERVAL_SECONDS": "86400", "RECONCILE_INTERVAL_MINUTES": "10080", **sandbox.env()}
        args = [sys.executable, "-m", "app", "run", *(["--http", "127.0.0.1:0"] if with_http else [])]
        proc = subprocess.Popen(args, env=env, cwd=home, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        lines: list[str] = []
        threading.Thread(target=lambda: [lines.append(line) for line in proc.stdout], daemon=True).start()  # type: ignore[union-attr]
        try:
            deadline = time.monotonic() + 120
            while not any(line.startswith("Сверка") for line in lines):
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("".join(lines))
                time.sleep(0.1)
            time.sleep(settle)
            result: dict[str, object] = {"http": with_http, "idle_rss_mib": round(rss_kib(proc.pid) / 1024, 1)}
            if with_http:
                url = re.search(r"(http://\S+?)/?\s", next(line for line in lines if "http://" in line)).group(1)  # type: ignore[union-attr]
                latency(url + "/metrics", 100)
                latency(url + "/", 20)
                time.sleep(settle)
                result["rss_after_scrapes_mib"] = round(rss_kib(proc.pid) / 1024, 1)
            return result
        finally:
            proc.terminate()
            proc.wait(60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--times", type=int, default=200)
    parser.add_argument("--postgres", help="a PostgreSQL URL (a throwaway schema is made in it)")
    parser.add_argument("--settle", type=float, default=3.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as folder:
        results["sqlite"] = endpoint_latency(str(Path(folder) / "bench.sqlite3"), args.orders, args.times)
    if args.postgres:
        import psycopg

        schema = f"bench_{os.getpid()}"
        with psycopg.connect(args.postgres, autocommit=True) as admin:
            admin.execute(f"CREATE SCHEMA {schema}")
            try:
                sep = "&" if "?" in args.postgres else "?"
                url = f"{args.postgres}{sep}options=-csearch_path%3D{schema}"
                results["postgres"] = endpoint_latency(url, args.orders, args.times)
            finally:
                admin.execute(f"DROP SCHEMA {schema} CASCADE")
    results["rss"] = [idle_rss(False, args.settle), idle_rss(True, args.settle)]
    print(json.dumps(results, ensure_ascii=False, indent=2) if args.json else results)


if __name__ == "__main__":
    main()
