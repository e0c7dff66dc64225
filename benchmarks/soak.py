"""Accelerated soak of `kaspi-amo run`: does its memory grow with every cycle?

A 12-minute run once showed RSS 36 → 38.8 MB (~0.25 MB per poll). This runs the real `run`
command (`app.cli.main(["run"])`, the same bootstrap, logging, scheduler, alert hooks) in a
child process against the built-in sandbox, with only the cadence shortened: a poll every second
and a reconcile every 10 s instead of every minute and every 10 minutes, so `--seconds 360`
is six hours' worth of cycles. The parent keeps the sandbox (its memory is not measured) and
adds a new order every few seconds, so polls keep creating deals.

The child samples its RSS (/proc/self/status) once a second; with --tracemalloc it also
compares Python allocations between an early and a final snapshot and prints the lines that
grew most. Local only: nothing but the sandbox on 127.0.0.1 is called.

    python benchmarks/soak.py --seconds 360
    python benchmarks/soak.py --seconds 240 --tracemalloc --json
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def child(seconds: float, trace: bool, out: Path) -> None:
    """Runs in the measured process: `kaspi-amo run` with a 1 s poll and a 10 s reconcile."""
    import tracemalloc

    from app import cli, scheduler

    if trace:
        tracemalloc.start(12)
    made = scheduler.SyncScheduler

    def fast(settings: Any, engine: Any, on_report: Any = None, on_minute: Any = None, **options: Any) -> Any:
        return made(engine, poll_seconds=1, reconcile_seconds=10, on_report=on_report, on_minute=on_minute, **options)

    scheduler.scheduler_for = fast  # the only change to `run`: its cadence
    cycles = {"poll": 0, "reconcile": 0, "failed": 0, "created": 0}
    printed = cli.print_report

    want_late = threading.Event()

    def count(report: Any, **kwargs: Any) -> None:
        cycles[report.kind] += 1
        cycles["failed"] += 0 if report.ok else 1
        cycles["created"] += len(report.created)
        with open(os.devnull, "w") as sink:
            printed(report, out=sink)
        # snapshots between cycles (on the scheduler's thread, right after one ends), so a page
        # being parsed at that moment is not mistaken for growth
        if trace and report.kind == "poll":
            if "early" not in snapshots and cycles["poll"] >= 30:
                snapshots["early"] = (cycles["poll"], tracemalloc.take_snapshot())
            elif want_late.is_set() and "late" not in snapshots:
                snapshots["late"] = (cycles["poll"], tracemalloc.take_snapshot())

    cli.print_report = count
    samples: list[tuple[float, int, float]] = []
    snapshots: dict[str, Any] = {}

    def sample() -> None:
        started = time.monotonic()
        while (elapsed := time.monotonic() - started) < seconds:
            samples.append((round(elapsed, 1), cycles["poll"], round(_rss_mb(), 2)))
            time.sleep(1.0)
        want_late.set()
        stop_at = time.monotonic() + 30
        while trace and "late" not in snapshots and time.monotonic() < stop_at:
            time.sleep(0.2)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=sample, daemon=True).start()
    with open(os.devnull, "w") as sink:
        sys.stdout = sink  # the run's own banner lines
        code = cli.main(["run"])
        sys.stdout = sys.__stdout__
    result: dict[str, Any] = {"exit": code, "cycles": cycles, "samples": samples}
    if trace and "early" in snapshots and "late" in snapshots:
        (p0, early), (p1, late) = snapshots["early"], snapshots["late"]
        keep = [tracemalloc.Filter(False, tracemalloc.__file__), tracemalloc.Filter(False, "<frozen importlib._bootstrap>")]
        diff = late.filter_traces(keep).compare_to(early.filter_traces(keep), "lineno")
        result["tracemalloc"] = {
            "polls": [p0, p1],
            "total_growth_kb": round(sum(d.size_diff for d in diff) / 1024, 1),
            "top": [{"where": str(d.traceback[0]), "growth_kb": round(d.size_diff / 1024, 1), "count_diff": d.count_diff}
                    for d in diff[:12]],
        }
    out.write_text(json.dumps(result), encoding="utf-8")


def _slope(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of y over x (MB per poll)."""
    n = len(points)
    if n < 2:
        return 0.0
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    var = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / var if var else 0.0


def soak(seconds: float, trace: bool, order_every: float, database_url: str | None = None) -> dict[str, Any]:
    from app.clock import utc_now
    from app.sandbox.seed import make_order
    from app.sandbox.server import Sandbox

    with tempfile.TemporaryDirectory(prefix="soak-") as tmp, Sandbox(seed=False) as box:
        out = Path(tmp) / "result.json"
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": tmp, "LANG": "C.UTF-8",
               "KASPI_AMO_HOME": str(Path(tmp) / "home"), "KASPI_AMO_SECRETS": "file", **box.env()}
        if database_url:
            env["DATABASE_URL"] = database_url
        proc = subprocess.Popen([sys.executable, __file__, "--child", "--seconds", str(seconds), "--out", str(out)]
                                + (["--tracemalloc"] if trace else []), env=env, cwd=tmp,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        n = 0
        now = utc_now()
        for i in range(20):  # a page of orders every poll re-reads, even with --order-every 0
            box.kaspi.add_order(make_order(str(950000001 + i), created=now - timedelta(hours=1, minutes=i),
                                           phone=f"70255{i:05d}"))
        deadline = time.monotonic() + seconds + 120
        next_order = time.monotonic()
        while proc.poll() is None and time.monotonic() < deadline:
            if order_every > 0 and time.monotonic() >= next_order:
                now = utc_now()
                box.kaspi.add_order(make_order(str(960000001 + n), created=now - timedelta(seconds=5),
                                               phone=f"70155{n % 100000:05d}"))
                n += 1
                next_order += order_every
            time.sleep(0.2)
        if proc.poll() is None:
            proc.kill()
            raise SystemExit("the soaked run did not stop")
        result = json.loads(out.read_text(encoding="utf-8"))
        result["orders_added"] = 20 + n
        result["deals_in_amocrm"] = len(box.amo.leads)
    samples = result["samples"]
    warm = [(polls, rss) for _t, polls, rss in samples if polls >= 30]  # after imports, caches, first pages
    result["rss_mb"] = {"first": samples[0][2] if samples else None, "after_30_polls": warm[0][1] if warm else None,
                        "last": samples[-1][2] if samples else None, "max": max((s[2] for s in samples), default=None)}
    result["mb_per_poll_after_warmup"] = round(_slope(warm), 5)
    result["samples"] = samples[:: max(1, len(samples) // 40)]  # keep the report short
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=360.0, help="how long `run` soaks (1 poll per second)")
    parser.add_argument("--order-every", type=float, default=4.0,
                        help="a new Kaspi order every N seconds (0: none, the same orders every poll)")
    parser.add_argument("--tracemalloc", action="store_true", help="also attribute Python allocations")
    parser.add_argument("--database-url", help="soak against this store (e.g. a PostgreSQL schema) instead of SQLite")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.seconds, args.tracemalloc, args.out)
        return
    result = soak(args.seconds, args.tracemalloc, args.order_every, args.database_url)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    rss, cycles = result["rss_mb"], result["cycles"]
    print(f"`run` soaked {args.seconds:.0f} s: {cycles['poll']} polls, {cycles['reconcile']} reconciles "
          f"({cycles['failed']} failed), {cycles['created']} deals created of {result['orders_added']} orders added")
    print(f"RSS: {rss['first']} MB at start, {rss['after_30_polls']} MB after 30 polls, {rss['last']} MB at the end "
          f"(max {rss['max']}); slope after warm-up {result['mb_per_poll_after_warmup'] * 1000:.1f} KB per poll")
    for row in (result.get("tracemalloc") or {}).get("top", []):
        print(f"  {row['growth_kb']:>8} KB  {row['count_diff']:>+6}  {row['where']}")


if __name__ == "__main__":
    main()
