"""Store faults during a sync: a corrupted file, a full disk at any write. Nothing lost, nothing twice."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.errors import StoreError
from app.sandbox.seed import SandboxEntry, make_order


def orders(now, count):
    return [
        make_order(str(950000001 + i), created=now - timedelta(hours=1, minutes=i), phone=f"70155500{i:02d}",
                   entries=[SandboxEntry(f"SKU-F{i}", f"Товар {i}", 1, 1500.0)])
        for i in range(count)
    ]


def exactly_once(sandbox, batch):
    for order in batch:
        leads = sandbox.amo.leads_named(f"Kaspi #{order.code}")
        assert len(leads) == 1, order.code
        assert len(sandbox.amo.notes_for(leads[0]["id"])) == 1, order.code


@pytest.mark.parametrize("store_backend", ["sqlite"], indirect=True)
def test_corrupted_store_is_kept_aside_and_deals_are_adopted(sandbox, make_runtime, now, tmp_path):
    batch = orders(now, 3)
    sandbox.kaspi.add_orders(batch)
    first = make_runtime()
    assert first.engine.poll().ok
    first.close()
    db = tmp_path / "home" / "data" / "kaspi-amo.sqlite3"
    for extra in ("-wal", "-shm"):
        db.with_name(db.name + extra).unlink(missing_ok=True)
    db.write_bytes(b"this is not a database, a disk error ate it" * 100)
    rebuilt = make_runtime()
    report = rebuilt.engine.poll()
    assert report.ok and report.created == []  # adopted, not recreated
    exactly_once(sandbox, batch)
    assert rebuilt.store.counts().processed == 3
    assert list(db.parent.glob("kaspi-amo.sqlite3.corrupt-*")), "the damaged file is kept for support"


@pytest.mark.parametrize("fail_at", [1, 2, 4, 6, 9, 12, 15])
def test_disk_full_at_any_store_write_loses_nothing_and_duplicates_nothing(sandbox, make_runtime, now, fail_at):
    batch = orders(now, 3)
    sandbox.kaspi.add_orders(batch)
    runtime = make_runtime()
    runtime.store.migrate()
    real_save = runtime.store.save_order
    writes = [0]

    def save_until_full(record):
        writes[0] += 1
        if writes[0] >= fail_at:
            raise StoreError("Нет места на диске для базы данных (тест).")
        real_save(record)

    runtime.store.save_order = save_until_full  # type: ignore[method-assign]
    failed = runtime.engine.poll()
    assert not failed.ok and failed.error is not None and "Нет места" in failed.error.message
    runtime.store.save_order = real_save  # type: ignore[method-assign]  # space freed
    recovered = runtime.engine.poll()
    assert recovered.error is None, recovered.error
    exactly_once(sandbox, batch)
    assert runtime.store.counts().processed == 3 and runtime.store.counts().backlog == 0
