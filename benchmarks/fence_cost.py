"""What the run lock's fence costs a store write, on SQLite and PostgreSQL.

Every write transaction made while a store holds the run lock first checks that the lock is
still its own (app/store/sql.py `_write`, the backends' `_check_fence`). This times
`save_order` inside `run_lock` with the check as shipped and with it switched off (the same
store, `_check_fence` replaced by a no-op), and one `fence()` call on its own (what the writer
and the amoCRM client add per batch and per write request). Not a test: numbers for
docs/performance.md.

    python benchmarks/fence_cost.py --writes 2000
    python benchmarks/fence_cost.py --writes 2000 --postgres postgresql://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.store.base import OrderRecord, SyncState  # noqa: E402
from app.store.sqlite import SqliteStore  # noqa: E402


def per_call_us(call: Callable[[int], None], count: int) -> float:
    started = time.perf_counter()
    for i in range(count):
        call(i)
    return (time.perf_counter() - started) / count * 1e6


def measure(store: Any, writes: int, rounds: int) -> dict[str, float]:
    store.migrate()
    fenced, bare, fence = [], [], []
    with store.run_lock("bench"):
        for r in range(rounds):
            def save(i: int, r: int = r) -> None:
                store.save_order(OrderRecord(code=f"{r}-{i}", sync_state=SyncState.PENDING, buyer_name="Покупатель"))

            fenced.append(per_call_us(save, writes))
            check = store._check_fence
            store._check_fence = lambda tx: None  # the same writes without the fence
            try:
                bare.append(per_call_us(lambda i, r=r: save(i + writes, r), writes))
            finally:
                store._check_fence = check
            fence.append(per_call_us(lambda i: store.fence(), writes))
    return {"save_order_fenced_us": statistics.median(fenced), "save_order_unfenced_us": statistics.median(bare),
            "fence_us": statistics.median(fence)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writes", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", help="a PostgreSQL URL; the benchmark uses a throwaway schema")
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore(Path(tmp) / "bench.db")
        try:
            results["sqlite"] = measure(store, args.writes, args.rounds)
        finally:
            store.close()
    if args.postgres:
        import psycopg

        from app.store.postgres import PostgresStore

        schema = f"bench_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(args.postgres, autocommit=True) as admin:
            admin.execute(f"CREATE SCHEMA {schema}")
            try:
                sep = "&" if "?" in args.postgres else "?"
                pg = PostgresStore(f"{args.postgres}{sep}options={quote(f'-csearch_path={schema}')}")
                try:
                    results["postgres"] = measure(pg, args.writes, args.rounds)
                finally:
                    pg.close()
            finally:
                admin.execute(f"DROP SCHEMA {schema} CASCADE")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
