"""Reconcile against the sandbox: status changes reach the deals, missed orders are created."""

from __future__ import annotations

from datetime import timedelta

from app.sandbox.seed import SandboxEntry, make_order
from app.store.base import SyncState


def new_order(code, now, *, hours=2, phone="7011110000", **fields):
    return make_order(
        code,
        created=now - timedelta(hours=hours),
        phone=phone,
        entries=[SandboxEntry("PHONE-CASE", "Чехол", 1, 2990.0)],
        **fields,
    )


def lead_of(sandbox, code):
    (lead,) = sandbox.amo.leads_named(f"Kaspi #{code}")
    return lead


def test_three_status_changes_land_in_amocrm(sandbox, make_runtime, now):
    sandbox.kaspi.add_orders([new_order(str(900000001 + i), now, phone=f"70111100{i:02d}") for i in range(3)])
    runtime = make_runtime()
    assert runtime.engine.poll().ok
    sandbox.kaspi.set_status("900000001", state="KASPI_DELIVERY", status="ACCEPTED_BY_MERCHANT")
    sandbox.kaspi.set_status("900000002", state="ARCHIVE", status="COMPLETED")
    sandbox.kaspi.set_status("900000003", state="ARCHIVE", status="CANCELLED", cancellation_reason="BUYER_CANCELLATION_BY_MERCHANT")
    report = runtime.engine.reconcile()
    assert report.ok and sorted(code for code, _ in report.updated) == ["900000001", "900000002", "900000003"]

    accepted, completed, cancelled = (lead_of(sandbox, c) for c in ("900000001", "900000002", "900000003"))
    assert sorted(sandbox.amo.lead_tags(accepted["id"])) == ["KASPI_DELIVERY", "Kaspi"]
    assert accepted["status_id"] == 70000011  # ACCEPTED_BY_MERCHANT is not in AMO_STATUS_MAP: stays
    assert sorted(sandbox.amo.lead_tags(completed["id"])) == ["ARCHIVE", "Kaspi"]
    assert completed["status_id"] == 142
    assert cancelled["status_id"] == 143
    for lead in (accepted, completed, cancelled):
        texts = [n["params"]["text"] for n in sandbox.amo.notes_for(lead["id"])]
        assert len(texts) == 2 and "статус изменился" in texts[1]
    assert "BUYER_CANCELLATION_BY_MERCHANT" in sandbox.amo.notes_for(cancelled["id"])[1]["params"]["text"]

    writes = sandbox.amo.write_requests
    again = runtime.engine.reconcile()
    assert again.ok and again.updated == [] and again.created == []
    assert sandbox.amo.write_requests == writes  # nothing changed, nothing written
    assert again.amo_requests == 0


def test_other_tags_on_the_lead_survive_a_state_change(sandbox, make_runtime, now):
    sandbox.kaspi.add_order(new_order("900000010", now))
    runtime = make_runtime()
    runtime.engine.poll()
    lead = lead_of(sandbox, "900000010")
    runtime.api.update_lead(lead["id"], tags_to_add=["VIP"])  # a manager tagged the deal
    sandbox.kaspi.set_status("900000010", state="DELIVERY", status="ACCEPTED_BY_MERCHANT")
    runtime.engine.reconcile()
    assert sorted(sandbox.amo.lead_tags(lead["id"])) == ["DELIVERY", "Kaspi", "VIP"]


def test_missed_orders_are_created_and_archived_ones_are_not(sandbox, make_runtime, now):
    runtime = make_runtime()
    runtime.engine.poll()  # nothing yet
    sandbox.kaspi.add_order(new_order("900000020", now, hours=30))  # appeared behind poll's window
    sandbox.kaspi.add_order(new_order("900000021", now, hours=30, state="ARCHIVE", status="COMPLETED"))
    report = runtime.engine.reconcile()
    assert [code for code, _ in report.created] == ["900000020"]
    assert sandbox.amo.leads_named("Kaspi #900000021") == []


def test_thirty_days_of_orders_never_trip_the_14_day_rule(sandbox, make_runtime, now):
    for day in range(30):
        sandbox.kaspi.add_order(new_order(str(910000000 + day), now, hours=24 * day + 1, phone=f"70122200{day:02d}"))
    runtime = make_runtime()
    first = runtime.engine.poll()  # poll reaches 14 days back
    assert first.ok and first.error is None
    report = runtime.engine.reconcile()
    assert report.ok and report.error is None
    for _method, _path, query in sandbox.kaspi.request_log:
        ge, le = query.get("filter[orders][creationDate][$ge]"), query.get("filter[orders][creationDate][$le]")
        if ge and le:
            assert int(le) - int(ge) <= 14 * 86_400_000


def test_older_open_orders_are_refreshed_by_code(sandbox, make_runtime, now, tmp_path):
    sandbox.kaspi.add_order(new_order("900000030", now, hours=2))
    runtime = make_runtime()
    runtime.engine.poll()
    # 20 days later the order is out of every date window but still open in the store
    later = now + timedelta(days=20)
    sandbox.kaspi.set_status("900000030", state="ARCHIVE", status="COMPLETED")
    runtime.engine.now = lambda: later
    report = runtime.engine.reconcile()
    assert [code for code, _ in report.updated] == ["900000030"]
    assert any("filter[orders][code]" in query for _m, _p, query in sandbox.kaspi.request_log)
    assert lead_of(sandbox, "900000030")["status_id"] == 142


def test_a_deal_deleted_in_amocrm_is_reported_not_recreated(sandbox, make_runtime, now):
    sandbox.kaspi.add_order(new_order("900000040", now))
    runtime = make_runtime()
    runtime.engine.poll()
    sandbox.amo.delete_lead(lead_of(sandbox, "900000040")["id"])
    sandbox.kaspi.set_status("900000040", state="ARCHIVE", status="CANCELLED")
    report = runtime.engine.reconcile()
    assert [f.code for f in report.failed] == ["900000040"]
    assert "удалена в amoCRM" in report.failed[0].message
    assert sandbox.amo.leads_named("Kaspi #900000040") == []
    assert runtime.store.get_order("900000040").sync_state == SyncState.QUARANTINED
    # reported once: the next reconcile and poll leave it alone
    assert runtime.engine.reconcile().failed == []
    assert runtime.engine.poll().created == []
    assert sandbox.amo.leads_named("Kaspi #900000040") == []
