"""The engine in-process: exactly-once under interruptions and faults.

Tests of the engine's own logic (steps, resumes, caches, dry runs) run on the in-memory
edges of tests/fakes.py; tests of what crosses the wire (lost answers, outages, blocks,
tokens, request counts) run against the sandbox's HTTP emulators.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from pathlib import Path

import pytest

from app.config import DEFAULT_ALLOWED_STATES
from app.sandbox.seed import SandboxEntry, make_order
from app.sandbox.server import DEMO_PIPELINE_ID, DEMO_STATUS_ID
from app.store.base import Store, SyncState, SyncStep
from app.store.factory import open_store
from app.sync.engine import Engine, SyncOptions
from app.sync.writer import Destination
from tests.fakes import FakeAmo, FakeKaspi


def orders(now, count, *, start=800000001, phone_base=7010000000):
    return [
        make_order(
            str(start + i),
            created=now - timedelta(hours=1, minutes=i),
            phone=str(phone_base + i),
            first_name=f"Покупатель{i}",
            last_name="Тестов",
            entries=[SandboxEntry(f"SKU-{i % 3}", f"Товар {i % 3}", 1 + i % 2, 1000.0 * (1 + i % 3))],
        )
        for i in range(count)
    ]


def one_lead_per_code(sandbox, codes):
    return all(len(sandbox.amo.leads_named(f"Kaspi #{code}")) == 1 for code in codes)


@dataclass
class Fakes:
    """Engines over in-memory Kaspi and amoCRM and a real store (SQLite or PostgreSQL)."""

    database: str
    kaspi: FakeKaspi = field(default_factory=FakeKaspi)
    amo: FakeAmo = field(default_factory=FakeAmo)
    stores: list[Store] = field(default_factory=list)

    def engine(self, *, dry_run: bool = False, database: str | None = None) -> Engine:
        store = open_store(database or self.database)
        self.stores.append(store)
        options = SyncOptions(allowed_states=DEFAULT_ALLOWED_STATES, destination=Destination(DEMO_PIPELINE_ID, DEMO_STATUS_ID),
                              dry_run=dry_run, account="https://shop.amocrm.ru")
        return Engine(self.kaspi, self.amo, store, options)


@pytest.fixture
def fakes(tmp_path: Path, store_backend: str, request: pytest.FixtureRequest) -> Iterator[Fakes]:
    database = request.getfixturevalue("pg_schema_url") if store_backend == "postgres" else str(tmp_path / "store.sqlite3")
    made = Fakes(database)
    yield made
    for store in made.stores:
        store.close()


def lead_of(fakes: Fakes, code: str):
    (lead,) = fakes.amo.leads_named(f"Kaspi #{code}")
    return lead


def test_poll_creates_complete_deals_and_is_idempotent(sandbox, make_runtime, now):
    batch = orders(now, 4)
    sandbox.kaspi.add_orders(batch)
    runtime = make_runtime()
    report = runtime.engine.poll()
    assert report.ok and len(report.created) == 4
    for order in batch:
        (lead,) = sandbox.amo.leads_named(f"Kaspi #{order.code}")
        assert len(sandbox.amo.notes_for(lead["id"])) == 1
        assert len([link for link in sandbox.amo.links_for(lead["id"]) if link["to_entity_type"] == "catalog_elements"]) == 1
        assert sandbox.amo.lead_contact_ids(lead["id"])
    writes = sandbox.amo.write_requests
    again = runtime.engine.poll()
    assert again.ok and again.created == [] and sandbox.amo.write_requests == writes
    assert again.amo_requests == 0
    assert again.kaspi_requests == 1  # nothing new: one Kaspi request (one page), no amoCRM request


def test_products_go_by_field_id_with_whole_quantities_and_the_price_field(sandbox, make_runtime, now):
    """amoCRM's products: elements written by the catalog's field ids (the account here refuses
    field_code), links with an integer quantity and the PRICE field's id as price_id; a
    fractional Kaspi quantity is rounded up in the link and kept exact in the note."""
    sandbox.amo.state.catalog_field_codes = False
    order = make_order("800000777", created=now - timedelta(hours=1), phone="7010000777", first_name="Айгерим",
                       last_name="Тестова", entries=[SandboxEntry("CHEESE-1", "Сыр весовой", 1.5, 4000.0, unit_type="KILOGRAM"),
                                                     SandboxEntry("KETTLE-1", "Чайник", 2, 15000.0)])
    sandbox.kaspi.add_orders([order])
    report = make_runtime().engine.poll()
    assert report.ok and len(report.created) == 1
    (lead,) = sandbox.amo.leads_named(f"Kaspi #{order.code}")
    fields = {f["code"]: f["id"] for f in sandbox.amo.catalog_fields[sandbox.amo.products_catalog_id]}
    skus = {eid: next(v["values"][0]["value"] for v in e["custom_fields_values"] if v["field_id"] == fields["SKU"])
            for eid, e in sandbox.amo.catalog_elements.items()}
    links = {skus[link["to_entity_id"]]: link["metadata"] for link in sandbox.amo.links_for(lead["id"])
             if link["to_entity_type"] == "catalog_elements"}
    assert links == {
        "CHEESE-1": {"quantity": 2, "catalog_id": sandbox.amo.products_catalog_id, "price_id": fields["PRICE"]},
        "KETTLE-1": {"quantity": 2, "catalog_id": sandbox.amo.products_catalog_id, "price_id": fields["PRICE"]},
    }
    assert all(type(m["quantity"]) is int for m in links.values())
    (note,) = sandbox.amo.notes_for(lead["id"])
    assert "Сыр весовой (артикул CHEESE-1) — 1.5 × 4 000 ₸ = 6 000 ₸ (в товарах сделки: 2)" in note["params"]["text"]
    assert "Чайник (артикул KETTLE-1) — 2 × 15 000 ₸ = 30 000 ₸\n" in note["params"]["text"]


def test_same_new_buyer_twice_in_one_poll_gets_one_contact(fakes, now):
    a, b = orders(now, 2)
    b.phone = a.phone
    fakes.kaspi.add_orders([a, b])
    fakes.engine().poll()
    assert lead_of(fakes, a.code).contact_ids == lead_of(fakes, b.code).contact_ids
    assert len(fakes.amo.contacts) == 1


def test_lost_lead_create_response_never_duplicates(sandbox, make_runtime, now):
    batch = orders(now, 3)
    sandbox.kaspi.add_orders(batch)
    runtime = make_runtime()
    original = runtime.api.create_leads_complex

    def lossy(drafts):
        sandbox.amo.apply_then_drop_next(1)
        return original(drafts)

    runtime.api.create_leads_complex = lossy
    first = runtime.engine.poll()
    assert not first.ok and len(first.failed) == 3
    assert all(len(sandbox.amo.leads_named(f"Kaspi #{o.code}")) == 1 for o in batch)  # applied once
    runtime.api.create_leads_complex = original
    second = runtime.engine.poll()
    assert second.ok and sorted(code for code, _ in second.created) == sorted(o.code for o in batch)
    assert one_lead_per_code(sandbox, [o.code for o in batch])
    for order in batch:
        (lead,) = sandbox.amo.leads_named(f"Kaspi #{order.code}")
        assert len(sandbox.amo.notes_for(lead["id"])) == 1
        assert len(sandbox.amo.lead_contact_ids(lead["id"])) == 1
    assert len(sandbox.amo.contacts) == 3  # the contacts created with the lost response are reused
    assert runtime.store.counts().backlog == 0


def test_interrupted_run_resumes_at_the_right_step(fakes, now, monkeypatch):
    batch = orders(now, 3)
    fakes.kaspi.add_orders(batch)
    engine = fakes.engine()
    original = fakes.amo.link_products_bulk

    def stop_after_links(items):
        original(items)
        engine.request_stop()  # SIGTERM arrives while products are being linked

    monkeypatch.setattr(fakes.amo, "link_products_bulk", stop_after_links)
    first = engine.poll()
    assert first.created == []
    records = engine.store.get_orders([o.code for o in batch])
    assert {r.step for r in records.values()} == {SyncStep.PRODUCTS}
    assert {r.sync_state for r in records.values()} == {SyncState.PENDING}
    monkeypatch.setattr(fakes.amo, "link_products_bulk", original)
    engine.stop_event.clear()
    second = engine.poll()
    assert second.ok and len(second.created) == 3
    for order in batch:
        lead = lead_of(fakes, order.code)
        assert len(fakes.amo.links[lead.id]) == 1
        assert len(fakes.amo.notes_for(lead.id)) == 1


def test_lost_store_adopts_existing_deals(fakes, now, tmp_path):
    batch = orders(now, 3)
    fakes.kaspi.add_orders(batch)
    fakes.engine().poll()
    notes_before = len(fakes.amo.notes)
    fresh = fakes.engine(database=str(tmp_path / "replacement.sqlite3"))
    report = fresh.poll()
    assert report.ok and report.created == []
    assert all(len(fakes.amo.leads_named(f"Kaspi #{o.code}")) == 1 for o in batch)
    assert len(fakes.amo.notes) == notes_before
    assert fresh.store.counts().processed == 3


def test_outage_fails_orders_then_next_poll_recovers(sandbox, make_runtime, now):
    batch = orders(now, 2)
    sandbox.kaspi.add_orders(batch)
    runtime = make_runtime()
    sandbox.amo.fail_next(100, 503)
    first = runtime.engine.poll()
    assert not first.ok
    assert runtime.store.get_meta("fail_streak") == "1"
    sandbox.amo.clear_faults()
    sandbox.amo.reset_counters()
    second = runtime.engine.poll()
    assert second.ok and len(second.created) == 2
    assert one_lead_per_code(sandbox, [o.code for o in batch])
    assert runtime.store.get_meta("fail_streak") == "0"


def test_a_second_run_on_the_same_store_is_refused_while_one_holds_the_lock(fakes, now):
    fakes.kaspi.add_orders(orders(now, 1))
    holder, other = fakes.engine(), fakes.engine()
    holder.store.migrate()
    with holder.store.run_lock("someone-else:poll"):
        report = other.poll()
    assert report.skipped_lock and report.error is not None
    assert "уже работает" in report.error.message
    assert fakes.amo.writes == 0


def test_dry_run_reads_but_never_writes_or_marks(fakes, now):
    fakes.kaspi.add_orders(orders(now, 2))
    report = fakes.engine(dry_run=True).poll()
    assert report.ok and len(report.planned) == 2 and report.created == []
    assert fakes.amo.writes == 0
    real = fakes.engine().poll()
    assert len(real.created) == 2


def test_orders_failing_validation_do_not_sink_the_batch(fakes, now, monkeypatch):
    from app.errors import AmoValidationError

    good, bad = orders(now, 2)
    fakes.kaspi.add_orders([good, bad])
    engine = fakes.engine()
    original = fakes.amo.create_leads_complex

    def reject_one(drafts):
        if any(d.name == f"Kaspi #{bad.code}" for d in drafts):
            raise AmoValidationError("Неверные данные сделки", status=400)
        return original(drafts)

    monkeypatch.setattr(fakes.amo, "create_leads_complex", reject_one)
    report = engine.poll()
    assert [code for code, _ in report.created] == [good.code]
    assert [f.code for f in report.failed] == [bad.code]
    assert engine.store.get_order(bad.code).sync_state == SyncState.FAILED


def test_cached_contact_deleted_in_amocrm_is_found_again(fakes, now):
    first, second = orders(now, 2)
    second.phone = first.phone  # a repeat buyer: the second order uses the cached contact id
    fakes.kaspi.add_orders([first])
    engine = fakes.engine()
    engine.poll()
    (old_contact,) = lead_of(fakes, first.code).contact_ids
    fakes.amo.delete_contact(old_contact)  # a manager deleted the contact
    fakes.kaspi.add_orders([second])
    report = engine.poll()
    assert report.ok and [code for code, _ in report.created] == [second.code]
    (new_contact,) = lead_of(fakes, second.code).contact_ids
    assert new_contact != old_contact and new_contact in fakes.amo.contacts


def test_cached_product_deleted_from_the_catalog_is_recreated(fakes, now):
    first, second = orders(now, 2)
    second.entries = list(first.entries)  # same SKU: the second order uses the cached element id
    fakes.kaspi.add_orders([first])
    engine = fakes.engine()
    engine.poll()
    (element_id,) = list(fakes.amo.elements)
    fakes.amo.delete_element(element_id)
    fakes.kaspi.add_orders([second])
    report = engine.poll()
    assert report.ok and [code for code, _ in report.created] == [second.code]
    (linked,) = fakes.amo.links[lead_of(fakes, second.code).id]
    assert linked != element_id and linked in fakes.amo.elements


def test_blocked_account_is_not_hammered_and_sync_resumes_later(sandbox, make_runtime, now):
    from datetime import datetime

    batch = orders(now, 2)
    sandbox.kaspi.add_orders(batch)
    runtime = make_runtime()
    sandbox.amo.fail_next(1, 403)  # the nginx "403 Forbidden" page of a blocked account
    first = runtime.engine.poll()
    assert first.error is not None and first.error.title == "amoCRM временно заблокировал доступ"
    calls_after_block = sandbox.amo.api_requests
    clock = [datetime.now(UTC)]
    runtime.engine.now = lambda: clock[0]
    for _ in range(3):  # cron keeps starting polls every minute
        clock[0] += timedelta(minutes=1)
        report = runtime.engine.poll()
        assert report.error is not None and "не обращается к amoCRM" in report.error.message
    assert sandbox.amo.api_requests == calls_after_block  # never hammered while blocked
    assert runtime.store.counts().backlog == 2  # the orders wait, pending
    clock[0] += timedelta(minutes=15)
    resumed = runtime.engine.poll()
    assert resumed.ok and len(resumed.created) == 2
    assert one_lead_per_code(sandbox, [o.code for o in batch])


def test_revoked_refresh_token_stops_every_process_until_reconnected(sandbox, make_runtime, now):
    from app.errors import AmoTokenRevoked

    sandbox.kaspi.add_orders(orders(now, 1))
    runtime = make_runtime()
    sandbox.amo.revoke_refresh_tokens()
    sandbox.amo.expire_access_tokens()
    first = runtime.engine.poll()
    assert isinstance(first.error, AmoTokenRevoked)
    assert "подключить amoCRM" in first.error.title or "подключ" in first.error.message
    token_calls = sum(1 for _m, path, _s in sandbox.amo.request_log if path.startswith("/oauth2"))
    other = make_runtime()  # e.g. the next cron run: a new process, same token store
    again = other.engine.poll()
    assert isinstance(again.error, AmoTokenRevoked)
    assert sum(1 for _m, path, _s in sandbox.amo.request_log if path.startswith("/oauth2")) == token_calls
    assert other.store.counts().pending == 1  # kept pending for after the reconnect
