"""The two-way action cycle inside the engine, on SQLite and PostgreSQL: a manager's move
accepts the order once; a write left `sent` by a crash is settled by a re-read, not resent;
DRY_RUN writes nothing anywhere."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from app.bootstrap import Runtime
from app.sandbox.seed import make_order
from app.sandbox.server import ACCEPT_STATUS_ID, Sandbox
from app.store.action_records import ActionRecord

ENV = {"AMO_ACCEPT_STATUS_ID": str(ACCEPT_STATUS_ID)}


def deal(sandbox: Sandbox, code: str) -> int:
    return int(sandbox.amo.leads_named(f"Kaspi #{code}")[0]["id"])


def test_a_move_accepts_once_on_both_stores(sandbox: Sandbox, make_runtime: Callable[..., Runtime],
                                            now: datetime) -> None:
    sandbox.kaspi.add_order(make_order("820000001", created=now - timedelta(hours=1)))
    runtime = make_runtime(**ENV)
    assert runtime.engine.poll().ok
    sandbox.amo.manager.move(deal(sandbox, "820000001"), ACCEPT_STATUS_ID)
    report = runtime.engine.poll()
    assert report.ok and report.actions == {"done": 1}
    assert sandbox.kaspi.order("820000001").status == "ACCEPTED_BY_MERCHANT"
    assert runtime.engine.poll().ok
    assert len([w for w in sandbox.kaspi.write_log() if w.ok]) == 1
    assert runtime.store.action_counts() == {"done": 1}
    record = runtime.store.get_order("820000001")
    assert record is not None and record.kaspi_status == "ACCEPTED_BY_MERCHANT"  # reconcile stays quiet


def test_a_sent_write_is_settled_by_a_re_read(sandbox: Sandbox, make_runtime: Callable[..., Runtime],
                                              now: datetime) -> None:
    sandbox.kaspi.add_order(make_order("820000002", created=now - timedelta(hours=1)))
    runtime = make_runtime(**ENV)
    assert runtime.engine.poll().ok
    lead = deal(sandbox, "820000002")
    # what a crash right after the request reached Kaspi leaves behind: Kaspi did it, the row says `sent`
    runtime.store.add_actions([ActionRecord("820000002", lead, "accept", f"stage:{ACCEPT_STATUS_ID}", state="sent")])
    sandbox.kaspi.set_status("820000002", state="DELIVERY", status="ACCEPTED_BY_MERCHANT")
    report = runtime.engine.poll()
    assert report.ok and report.actions == {"done": 1}
    assert sandbox.kaspi.write_log() == []  # never sent again
    [action] = runtime.store.recent_actions(("done",))
    assert action.noted and "ACCEPTED_BY_MERCHANT" in (action.answer or "")


def test_dry_run_writes_nothing_anywhere(sandbox: Sandbox, make_runtime: Callable[..., Runtime], now: datetime) -> None:
    sandbox.kaspi.add_order(make_order("820000003", created=now - timedelta(hours=1)))
    assert make_runtime(**ENV).engine.poll().ok
    sandbox.amo.manager.move(deal(sandbox, "820000003"), ACCEPT_STATUS_ID)
    dry = make_runtime(DRY_RUN="true", **ENV)
    writes_before = sandbox.amo.write_requests
    report = dry.engine.poll()
    assert report.ok and any("отправил бы" in line for line in report.action_lines)
    assert sandbox.kaspi.write_log() == [] and sandbox.amo.write_requests == writes_before
    assert dry.store.action_counts() == {}
    real: Any = make_runtime(**ENV).engine.poll()  # the move is still there for the real run
    assert real.actions == {"done": 1}
