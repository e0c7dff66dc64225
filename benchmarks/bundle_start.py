"""The built bundle's figures: size on disk and start-up time to the tray icon.

    bash packaging/build_linux.sh
    python benchmarks/bundle_start.py ["dist/Kaspi amoCRM Sync"] [--runs 5] [--drop-caches] [--compare-source] [--json]

Not a test: numbers for docs/packaging.md. Method (the same as benchmarks/gui_bench.py's
start-up figure, so the two compare):

- Start-up: the frozen executable is started as a fresh process with no arguments (the tray
  app) and KASPI_AMO_STARTUP_PROBE=1 (packaging/entry.py): it runs the real start-up - single
  instance, settings, the worker, window, tray - declares the tray available (an offscreen
  machine has none), prints `TRAY_SHOWN <unix time>` when the icon is shown and quits. The
  figure is that moment minus the moment just before spawning: loader, unpacked Python, all
  imports, Qt. Settings are complete and point at a closed loopback port, as in gui_bench.
  The first run after the build is reported as "first" (files possibly still in the page cache
  from the build; --drop-caches, as root, empties the cache first for a true cold start), the
  median of the following runs as "warm".
- Size: bytes of every file (symlinks once) and `du` blocks; the .tar.gz next to it if present.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
APP = "Kaspi amoCRM Sync"


def drop_caches() -> bool:
    try:
        subprocess.run(["sync"], check=True)
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def start_to_tray(bundle: Path) -> float:
    with tempfile.TemporaryDirectory() as home:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("KASPI_", "AMO_", "DATABASE_URL"))}
        env.update({
            "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            "KASPI_AMO_STARTUP_PROBE": "1", "KASPI_AMO_HOME": home, "KASPI_AMO_SECRETS": "file",
            "KASPI_API_TOKEN": "t", "KASPI_BASE_URL": "http://127.0.0.1:9/shop/api/v2",
            "AMO_BASE_URL": "http://127.0.0.1:9", "AMO_ACCESS_TOKEN": "a",
        })
        started = time.time()
        out = subprocess.run([str(bundle / APP)], env=env, cwd=home, capture_output=True, text=True, timeout=120)
        line = next((ln for ln in out.stdout.splitlines() if ln.startswith("TRAY_SHOWN ")), None)
        if out.returncode != 0 or line is None:
            raise RuntimeError(f"the bundle did not show its tray icon ({out.returncode}): {out.stdout}{out.stderr}")
        return float(line.split()[1]) - started


def sizes(bundle: Path) -> dict[str, Any]:
    files = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()]
    figures: dict[str, Any] = {
        "bundle_files": len(files),
        "bundle_mib": round(sum(p.stat().st_size for p in files) / 2**20, 1),
    }
    try:
        du = subprocess.run(["du", "-sk", str(bundle)], capture_output=True, text=True, check=True).stdout
        figures["bundle_du_mib"] = round(int(du.split()[0]) / 1024, 1)
    except (OSError, subprocess.CalledProcessError, ValueError):
        pass
    for archive in sorted(bundle.parent.glob("kaspi-amo-sync-*.tar.gz")):
        figures["archive"] = archive.name
        figures["archive_mib"] = round(archive.stat().st_size / 2**20, 1)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("bundle", nargs="?", default=str(ROOT / "dist" / APP))
    parser.add_argument("--runs", type=int, default=5, help="warm runs after the first")
    parser.add_argument("--drop-caches", action="store_true", help="empty the page cache before the first run (root)")
    parser.add_argument("--compare-source", action="store_true",
                        help="also measure the source app the same way (benchmarks/gui_bench.py)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    bundle = Path(args.bundle)
    if not (bundle / APP).is_file():
        parser.error(f"no bundle at {bundle}: build it with packaging/build_linux.sh")
    figures = sizes(bundle)
    figures["dropped_caches"] = drop_caches() if args.drop_caches else False
    figures["start_to_tray_first_ms"] = round(start_to_tray(bundle) * 1000)
    warm = [start_to_tray(bundle) for _ in range(args.runs)]
    figures["start_to_tray_warm_median_ms"] = round(statistics.median(warm) * 1000)
    figures["start_to_tray_warm_max_ms"] = round(max(warm) * 1000)
    if args.compare_source:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        import gui_bench

        figures["source_start_to_tray_median_ms"] = gui_bench.measure_startup("tray")
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key:34} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
