"""Store faults during a sync: a corrupted file, a full disk at any write. Nothing lost, nothing twice."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import timedelta

import pytest

from app.clock import utc_now as now_utc
from app.errors import StoreCorruptError, StoreError
from app.sandbox.seed import SandboxEntry, make_order
from app.store.base import OrderRecord, SyncState
from app.store.sqlite import SqliteStore


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

    runtime.store.save_order = save_until_full
    failed = runtime.engine.poll()
    assert not failed.ok and failed.error is not None and "Нет места" in failed.error.message
    runtime.store.save_order = real_save  # space freed
    recovered = runtime.engine.poll()
    assert recovered.error is None, recovered.error
    exactly_once(sandbox, batch)
    assert runtime.store.counts().processed == 3 and runtime.store.counts().backlog == 0


# --- a file damaged inside (#19 item 5) --------------------------------------------------------------


def _pages(db, kind, table="orders"):
    """Page numbers of `table`'s b-tree of one kind ("internal" or "leaf"), from SQLite's dbstat."""
    with closing(sqlite3.connect(db)) as conn:
        return [r[0] for r in conn.execute("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = ?", (table, kind))]


def _damage(db, pages):
    """Checkpoint the WAL into the file, then overwrite whole pages with garbage, as a disk error would."""
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    with open(db, "r+b") as f:
        for page in pages:
            f.seek((page - 1) * size)
            f.write(bytes(range(256)) * (size // 256))


@pytest.mark.parametrize("store_backend", ["sqlite"], indirect=True)
def test_damaged_interior_pages_are_set_aside_and_the_deals_adopted(sandbox, make_runtime, now, tmp_path):
    """The orders table's interior page is damaged (the header is fine, so the file opens): the poll
    that meets it fails with a clear message and marks the file; the next one keeps a copy aside,
    rebuilds the store from what can be read and adopts the deals amoCRM has: nothing twice."""
    batch = orders(now, 40)
    sandbox.kaspi.add_orders(batch)
    first = make_runtime()
    assert first.engine.poll().ok
    writes = sandbox.amo.write_requests
    db = first.store.path
    first.close()
    interior = _pages(db, "internal")
    assert interior, "40 orders should need an interior page"
    _damage(db, interior)
    damaged = db.read_bytes()
    sandbox.kaspi.add_orders([make_order("950000999", created=now - timedelta(minutes=5), phone="7015550999",
                                         entries=[SandboxEntry("SKU-F1", "Товар 1", 1, 1500.0)])])
    runtime = make_runtime()
    failed = runtime.engine.poll()
    assert not failed.ok and "повреждён" in failed.error.message and "восстановит" in failed.error.message
    assert db.with_name(db.name + "-damaged").exists()
    repaired = runtime.engine.poll()
    assert repaired.ok, repaired.error
    assert [code for code, _lead in repaired.created] == ["950000999"]  # the rest adopted, not recreated
    exactly_once(sandbox, batch)
    assert sandbox.amo.write_requests - writes < 10  # the new order's writes, no re-creation
    assert runtime.store.counts().processed == 41 and runtime.store.counts().backlog == 0
    (aside,) = [p for p in db.parent.glob(f"{db.name}.corrupt-*") if not p.name.endswith("-wal")]
    assert aside.read_bytes() == damaged  # kept for support as it was (with its WAL beside it)
    assert not db.with_name(db.name + "-damaged").exists()
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]


def test_a_damaged_leaf_or_index_loses_only_what_it_held(tmp_path):
    """Rows are copied around the damage: a damaged index page loses nothing, a damaged leaf page
    only the orders on it; caches and counters come along, meta (run state) starts afresh."""
    db = tmp_path / "store.db"
    store = SqliteStore(db)
    store.migrate()
    for i in range(600):
        store.save_order(OrderRecord(code=f"9{i:08d}", sync_state=SyncState.DONE, buyer_name="Покупатель " * 8,
                                     lead_id=1000 + i))
    store.cache_put("sku", "shop|SKU-1", 42)
    store.bump_daily(now_utc().date(), created=600)
    store.set_meta("poll_window_end", "2024-05-01T00:00:00+00:00")
    store.close()
    _damage(db, _pages(db, "leaf", "orders_sync_state_idx")[:1])
    store = SqliteStore(db)
    with pytest.raises(StoreCorruptError):
        store.orders_in_states([SyncState.DONE])  # reads through the damaged index
    assert store.migrate() == 0  # repaired first
    assert store.counts().processed == 600  # nothing was lost with an index page
    assert store.cache_get("sku", "shop|SKU-1") == 42 and store.daily(now_utc().date()).created == 600
    assert store.get_meta("poll_window_end") is None
    store.close()
    leaf = _pages(db, "leaf")
    _damage(db, leaf[len(leaf) // 2 : len(leaf) // 2 + 1])
    store = SqliteStore(db)
    with pytest.raises(StoreCorruptError):
        store.recent_orders(1000)
    store.migrate()
    kept = store.counts().processed
    assert 550 < kept < 600, kept  # a leaf page's worth of orders lost, the rest kept
    assert len([p for p in tmp_path.glob("store.db.corrupt-*") if not p.name.endswith("-wal")]) == 2
    store.close()
