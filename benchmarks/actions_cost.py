"""What the two-way actions cost in requests: amoCRM per poll cycle when nothing changed, and
amoCRM and Kaspi per action (accept, assemble, cancel, sending the code, completing with it).

Runs the production engine and HTTP clients against the built-in sandbox (amoCRM's 7 rps
limit on) with every action switched on. Each action is made alone in its cycle by a
manager's move in the emulated amoCRM, and the cycle's requests are counted minus those of
a cycle with nothing to do for Kaspi (the poll's own page read); amoCRM figures are the
whole cycle's, the one events read that every cycle makes included. Not a test: figures for
docs/performance.md.

    python benchmarks/actions_cost.py
    python benchmarks/actions_cost.py --json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.amo.tokens import MemoryTokenStore, TokenPair  # noqa: E402
from app.bootstrap import build_runtime  # noqa: E402
from app.config import load_settings  # noqa: E402
from app.sandbox.seed import goods_entry, make_order  # noqa: E402
from app.sandbox.server import ACCEPT_STATUS_ID, ASSEMBLE_STATUS_ID, COMPLETE_STATUS_ID, Sandbox  # noqa: E402


def run() -> dict[str, Any]:
    created = datetime.now(UTC) - timedelta(hours=1)
    with tempfile.TemporaryDirectory() as home, Sandbox(seed=False) as box:
        box.kaspi.add_orders([
            make_order("900000001", created=created),  # accept
            make_order("900000002", created=created),  # cancel
            make_order("900000003", created=created, state="KASPI_DELIVERY", status="ACCEPTED_BY_MERCHANT",
                       is_kaspi_delivery=True, delivery_mode="DELIVERY_REGIONAL_TODOOR", payment_mode="PREPAID",
                       entries=[goods_entry("TEFAL-KO693810")]),  # assemble
            make_order("900000004", created=created, state="PICKUP", status="ACCEPTED_BY_MERCHANT",
                       delivery_mode="DELIVERY_PICKUP"),  # complete
        ])
        manager = box.amo.manager
        env = {
            **box.env(), "KASPI_AMO_HOME": home,
            "AMO_ACCEPT_STATUS_ID": str(ACCEPT_STATUS_ID), "AMO_ASSEMBLE_STATUS_ID": str(ASSEMBLE_STATUS_ID),
            "AMO_COMPLETE_STATUS_ID": str(COMPLETE_STATUS_ID),
            "KASPI_CANCEL_REASONS": f"{manager.loss_reason_id('Нет в наличии')}:MERCHANT_OUT_OF_STOCK",
        }
        settings = load_settings(env, cwd=Path(home))
        runtime = build_runtime(settings, tokens=MemoryTokenStore(TokenPair(env["AMO_ACCESS_TOKEN"],
                                                                            env["AMO_REFRESH_TOKEN"])))
        try:
            runtime.engine.poll()  # the deals, the two lead fields
            lead = {code: box.amo.leads_named(f"Kaspi #{code}")[0]["id"] for code in
                    ("900000001", "900000002", "900000003", "900000004")}
            runtime.engine.poll()  # settle

            def cycle(move: Callable[[], None] | None = None) -> tuple[int, int, int]:
                if move is not None:
                    move()
                writes_before = len(box.kaspi.write_log())
                logged = len(box.amo.request_log)
                report = runtime.engine.poll()
                assert report.ok, [f.message for f in report.failed]
                paths.append([f"{m} {p}" for m, p, _ in box.amo.request_log[logged:]])
                return report.amo_requests, report.kaspi_requests, len(box.kaspi.write_log()) - writes_before

            paths: list[list[str]] = []
            idle = [cycle() for _ in range(3)]
            base_amo, base_kaspi, _ = idle[-1]  # amoCRM: one events read
            results: dict[str, Any] = {"idle_cycle_amo_requests": base_amo, "idle_cycle_kaspi_requests": base_kaspi}

            def action(name: str, move: Callable[[], None]) -> None:
                amo, kaspi, writes = cycle(move)
                # amoCRM: the whole cycle (its one events read included); Kaspi: beyond the poll's page
                results[name] = {"amo_requests": amo, "kaspi_requests": kaspi - base_kaspi, "kaspi_writes": writes}

            action("accept", lambda: manager.move(lead["900000001"], ACCEPT_STATUS_ID))
            action("cancel", lambda: manager.close_lost(lead["900000002"], "Нет в наличии"))
            manager.set_field(lead["900000003"], "Kaspi: мест", 2)
            action("assemble", lambda: manager.move(lead["900000003"], ASSEMBLE_STATUS_ID))
            action("waybill_note_next_cycle", lambda: None)
            action("send_code", lambda: manager.move(lead["900000004"], COMPLETE_STATUS_ID))
            code = box.kaspi.security_code("900000004")
            action("complete", lambda: manager.set_field(lead["900000004"], "Kaspi: код выдачи", code))
            action("idle_after", lambda: None)
            results["amo_paths_per_cycle"] = paths
        finally:
            runtime.close()
        results["kaspi_statuses"] = {c: box.kaspi.order(c).status for c in box.kaspi.codes()}
        return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run()
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        for key, value in result.items():
            print(f"{key:>28}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
