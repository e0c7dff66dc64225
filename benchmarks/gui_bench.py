"""Tray app figures: start-up time, memory after a simulated hour, longest GUI-thread stall.

    QT_QPA_PLATFORM=offscreen python benchmarks/gui_bench.py [--json] [--paced]

Not a test: numbers for the notes. Method:

1. Start-up. The app is started as a fresh process (`python benchmarks/gui_bench.py
   --child …`, which runs the same `prepare_application` + `build_gui` as `kaspi-amo`),
   three times per path; the parent takes the wall-clock time from just before spawning
   to the moment the child reports its first UI shown: the tray icon (tray forced
   "available", complete settings) and, separately, the window (offscreen has no tray;
   a first start without settings opens the window as soon as the worker has read the
   configuration). Includes the interpreter start and all imports. Median reported.

2. Memory after an hour. Waiting an hour is replaced by driving an hour's worth of
   cycles back to back: the emulated Kaspi (in a separate process, so its memory is not
   counted) holds 1,000 orders of the last 12 hours; the app syncs them all (1,000 deals,
   the store now holds 1,000 orders), then runs 60 polls and 6 reconciles - what one hour
   of the real scheduler does - with 2 new orders arriving before each poll (120 more
   deals), every cycle going through the real worker, signals, notifications, table and
   tray updates. Then the app idles 5 s and its RSS is read (/proc/self/status VmRSS).
   The amoCRM rate limit is lifted for this part so it takes seconds, not minutes; the
   work per cycle is the same.

3. GUI-thread stall. With the window shown (offscreen) and settled, 100 new orders
   arrive and "Sync now" runs; a 5 ms PreciseTimer on the GUI thread records every tick,
   and the longest gap minus the interval, from the click until the refreshed table is on
   screen, is the longest stall. The GUI thread does no I/O; what remains is Qt work
   (the 100 new rows into the table, one repaint) and waiting for the GIL. By default amoCRM is unthrottled, so the worker thread runs flat
   out and competes hardest for the GIL (the worst case); --paced keeps the production
   6 requests/s client limit and the emulator's 7 rps limit.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

RUNS = 3


# --- the emulators, in their own process ------------------------------------------------


def serve_sandbox(conn: Any, orders: int, paced: bool) -> None:
    """Child process: the seeded sandbox, answering ("add", n) and ("stop",) over a pipe."""
    from app.sandbox.seed import bulk_orders
    from app.sandbox.server import Sandbox

    amo_options = {"rps_limit": 7.0 if paced else None}
    with Sandbox(seed=False, amo_options=amo_options) as sandbox:
        now = datetime.now(UTC)
        sandbox.kaspi.add_orders(bulk_orders(orders, now=now, seed=7))
        conn.send(sandbox.env())
        next_code = 800_000_000
        while True:
            command = conn.recv()
            if command[0] == "add":
                fresh = bulk_orders(command[1], now=datetime.now(UTC) + timedelta(minutes=1),
                                    seed=next_code, code_start=next_code)
                sandbox.kaspi.add_orders(fresh)
                next_code += command[1]
                conn.send("ok")
            else:
                break


# --- helpers ------------------------------------------------------------------------------


def rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def wait_until(app: Any, predicate: Callable[[], Any], timeout: float = 600.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("timed out")
        app.processEvents()
        time.sleep(0.002)


def build(app: Any, env: dict[str, str], home: Path, *, fast: bool) -> Any:
    from app.amo.ratelimit import RateLimiter
    from app.bootstrap import build_runtime
    from app.gui.app import GuiOptions, build_gui
    from app.gui.autostart import Autostart
    from app.scheduler import SyncScheduler

    def runtime(settings: Any, secrets: Any, observer: Any, desktop: Any) -> Any:
        kw = {"limiter": RateLimiter(10_000)} if fast else {}
        return build_runtime(settings, secrets=secrets, observer=observer, desktop=desktop, **kw)

    options = GuiOptions(
        tray_available=lambda: True,
        open_url=lambda url: True,
        quit_app=lambda: None,
        ui_languages=lambda: ["ru"],
        runtime_factory=runtime,
        scheduler_factory=lambda engine, on_report, on_minute: SyncScheduler(
            engine, on_report=on_report, on_minute=on_minute, run_at_start=False, tick_seconds=0.01),
        setup_logs=False,
        autostart=Autostart(["kaspi-amo"], home=home),
    )
    return build_gui(app, env, options)


def run_cycle(app: Any, controller: Any, kind: str) -> Any:
    """One cycle through the worker; returns its report once the GUI has applied the
    snapshot read after it (counted, not kept: keeping them would be the leak we measure)."""
    done: list[Any] = []
    snapshots = [0]

    def count(_snapshot: Any) -> None:
        snapshots[0] += 1

    controller.worker.cycle_finished.connect(done.append)
    controller.worker.snapshot_ready.connect(count)
    controller.worker.sync_now(kind)
    wait_until(app, lambda: done and snapshots[0] > 0)
    controller.worker.cycle_finished.disconnect(done.append)
    controller.worker.snapshot_ready.disconnect(count)
    return done[0]


# --- 1. start-up ------------------------------------------------------------------------


def child(mode: str, home: str) -> int:
    """The measured process: report the wall-clock moment the first UI appears, then leave."""
    from app.gui.app import GuiOptions, build_gui, prepare_application
    from app.gui.autostart import Autostart

    app = prepare_application([])
    env = {"KASPI_AMO_HOME": home, "KASPI_AMO_SECRETS": "file"}
    if mode == "tray":
        env.update({"KASPI_API_TOKEN": "t", "KASPI_BASE_URL": "http://127.0.0.1:9/shop/api/v2",
                    "AMO_BASE_URL": "http://127.0.0.1:9", "AMO_ACCESS_TOKEN": "a"})
    shown: list[float] = []
    options = GuiOptions(tray_available=lambda: mode == "tray", tray_retry_count=0, quit_app=lambda: None,
                         open_url=lambda url: True, setup_logs=False, autostart=Autostart(["x"], home=Path(home)))
    controller = build_gui(app, env, options)
    if mode == "tray":
        assert controller.tray_shown  # shown synchronously inside build_gui
    else:
        # the tray is not available (tray_retry_count=0): the window is shown; wait for its first paint
        handle = controller.window.windowHandle
        wait_until(app, lambda: handle() is not None and handle().isExposed(), timeout=60)
    shown.append(time.time())
    print(f"SHOWN {shown[0]!r}", flush=True)
    controller.quit()
    wait_until(app, lambda: controller._finished, timeout=60)
    return 0


def measure_startup(mode: str) -> float:
    times = []
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory() as home:
            started = time.time()
            out = subprocess.run([sys.executable, __file__, "--child", mode, home], capture_output=True, text=True,
                                 cwd=home, timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
            line = next(line for line in out.stdout.splitlines() if line.startswith("SHOWN "))
            times.append(float(line.split()[1]) - started)
    return round(statistics.median(times) * 1000)


# --- 2 and 3. memory and stall -------------------------------------------------------------


def measure_runtime(paced: bool, hours: int = 1) -> dict[str, Any]:
    from PySide6.QtCore import Qt, QTimer

    from app.gui.app import prepare_application

    app = prepare_application([])
    ctx = multiprocessing.get_context("spawn")
    parent_conn, child_conn = ctx.Pipe()
    server = ctx.Process(target=serve_sandbox, args=(child_conn, 1000, paced), daemon=True)
    server.start()
    sandbox_env = parent_conn.recv()
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        os.chdir(home)
        env = {**sandbox_env, "KASPI_AMO_HOME": str(home / "shop"), "KASPI_AMO_SECRETS": "file"}
        controller = build(app, env, home, fast=True)
        wait_until(app, lambda: controller.worker.configured and controller.snapshot is not None)
        figures["rss_started_mb"] = rss_mb()

        started = time.perf_counter()
        first = run_cycle(app, controller, "poll")
        figures["first_sync_orders"] = len(first.created)
        figures["first_sync_seconds"] = round(time.perf_counter() - started, 1)
        figures["rss_after_1000_orders_mb"] = rss_mb()

        started = time.perf_counter()
        created = 0
        for hour in range(1, hours + 1):
            for minute in range(60):
                parent_conn.send(("add", 2))
                parent_conn.recv()
                created += len(run_cycle(app, controller, "poll").created)
                if minute % 10 == 9:
                    run_cycle(app, controller, "reconcile")
            if hour < hours:
                gc.collect()
                figures[f"rss_after_hour_{hour}_mb"] = rss_mb()
        figures["simulated_hours"] = hours
        figures["simulated_cycles"] = 66 * hours
        figures["simulated_new_deals"] = created
        figures["simulated_seconds"] = round(time.perf_counter() - started, 1)
        figures["store_orders"] = controller.snapshot.status.processed_total
        idle_until = time.monotonic() + 5
        wait_until(app, lambda: time.monotonic() > idle_until)
        gc.collect()
        figures["rss_idle_after_hour_mb" if hours == 1 else f"rss_idle_after_hour_{hours}_mb"] = rss_mb()

        # 3. the stall while 100 orders sync, window on screen
        if paced:
            controller.quit()
            wait_until(app, lambda: controller._finished)
            controller = build(app, env, home, fast=False)
            wait_until(app, lambda: controller.worker.configured and controller.snapshot is not None)
        controller.window.resize(1180, 660)
        controller.window.show()
        handle = controller.window.windowHandle
        wait_until(app, lambda: handle() is not None and handle().isExposed())
        settle_until = time.monotonic() + 0.5  # the first paint is start-up, not sync
        wait_until(app, lambda: time.monotonic() > settle_until)
        parent_conn.send(("add", 100))
        parent_conn.recv()
        ticks: list[float] = []
        pauses: list[float] = []
        gc_started = [0.0]

        def gc_probe(phase: str, info: dict[str, int]) -> None:  # GC runs with the GIL held: a stall for all threads
            if phase == "start":
                gc_started[0] = time.perf_counter()
            else:
                pauses.append(time.perf_counter() - gc_started[0])

        gc.callbacks.append(gc_probe)
        timer = QTimer()
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.setInterval(5)
        timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
        timer.start()
        started = time.perf_counter()
        report = run_cycle(app, controller, "poll")
        app.processEvents()
        timer.stop()
        gc.callbacks.remove(gc_probe)
        gaps = [b - a for a, b in itertools.pairwise(ticks)]
        figures["stall_sync_orders"] = len(report.created)
        figures["stall_sync_seconds"] = round(time.perf_counter() - started, 2)
        figures["stall_paced"] = paced
        figures["gui_max_stall_ms"] = round(max(0.0, max(gaps) * 1000 - 5), 1)
        figures["gui_p99_tick_gap_ms"] = round(statistics.quantiles(gaps, n=100)[98] * 1000, 1)
        figures["gui_heartbeats"] = len(ticks)
        figures["longest_gc_pause_ms"] = round(max(pauses, default=0.0) * 1000, 1)

        controller.quit()
        wait_until(app, lambda: controller._finished)
    parent_conn.send(("stop",))
    server.join(10)
    return figures


def main() -> int:
    if len(sys.argv) >= 4 and sys.argv[1] == "--child":
        return child(sys.argv[2], sys.argv[3])
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--paced", action="store_true", help="production amoCRM pacing for the stall measurement")
    parser.add_argument("--hours", type=int, default=1, help="simulated hours (RSS is printed after each)")
    parser.add_argument("--skip-startup", action="store_true")
    args = parser.parse_args()
    figures: dict[str, Any] = {}
    if not args.skip_startup:
        figures["startup_to_tray_ms"] = measure_startup("tray")
        figures["startup_to_window_ms"] = measure_startup("window")
    figures.update(measure_runtime(args.paced, args.hours))
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key:28} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
