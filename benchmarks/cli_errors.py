"""How fast the command line tells an admin what is wrong (issue 17, items 9 and 10).

1. `kaspi-amo poll` with AMO_BASE_URL pointing at a port where nobody listens, N new orders in
   the sandbox's Kaspi: wall time, stderr lines, exit code (before: 31 s and one line per order).
2. `kaspi-amo doctor --json` against a working sandbox: wall time and the network checks
   (before: the Kaspi check hung on the sandbox's User-Agent block until its 4 s timeout).

Each is a real subprocess (interpreter start included). Not a test: numbers for
docs/performance.md.

    python benchmarks/cli_errors.py --orders 13 --runs 3 [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.clock import utc_now  # noqa: E402
from app.sandbox.seed import make_order  # noqa: E402
from app.sandbox.server import Sandbox  # noqa: E402


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run(args: list[str], env: dict[str, str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "app", *args], env=env, cwd=cwd, capture_output=True,
                            text=True, encoding="utf-8", timeout=300)
    return time.monotonic() - started, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=13)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results: dict[str, object] = {"orders": args.orders}
    with tempfile.TemporaryDirectory() as tmp, Sandbox(seed=False) as sandbox:
        sandbox.kaspi.add_orders([make_order(str(980000001 + i), created=utc_now() - timedelta(hours=1),
                                             phone=f"70198000{i:02d}") for i in range(args.orders)])
        base = {"PATH": os.environ.get("PATH", ""), "HOME": tmp, "KASPI_AMO_SECRETS": "file", "LANG": "C.UTF-8",
                **sandbox.env()}
        times, lines, codes = [], [], []
        for n in range(args.runs):
            env = {**base, "KASPI_AMO_HOME": f"{tmp}/poll{n}", "AMO_BASE_URL": f"http://127.0.0.1:{closed_port()}"}
            seconds, result = run(["poll"], env, Path(tmp))
            times.append(seconds)
            lines.append(len([line for line in result.stderr.splitlines() if line.strip()]))
            codes.append(result.returncode)
        results["wrong_amo_base_url"] = {"median_s": round(statistics.median(times), 2), "stderr_lines": lines,
                                         "exit_codes": codes}
        times, network = [], {}
        for n in range(args.runs):
            seconds, result = run(["doctor", "--json"], {**base, "KASPI_AMO_HOME": f"{tmp}/doctor{n}"}, Path(tmp))
            times.append(seconds)
            network = {c["name"]: c["status"] for c in json.loads(result.stdout)["checks"]
                       if c["name"].startswith("network")}
        results["doctor_on_sandbox"] = {"median_s": round(statistics.median(times), 2), "network": network}
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        wrong = results["wrong_amo_base_url"]
        doctor = results["doctor_on_sandbox"]
        print(f"poll, wrong AMO_BASE_URL, {args.orders} orders: {wrong['median_s']} s median, "  # type: ignore[index]
              f"stderr lines {wrong['stderr_lines']}, exit {wrong['exit_codes']}")  # type: ignore[index]
        print(f"doctor on a working sandbox: {doctor['median_s']} s median, {doctor['network']}")  # type: ignore[index]
    return 0


if __name__ == "__main__":
    sys.exit(main())
