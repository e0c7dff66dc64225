"""The store, through the `Store` protocol, for every backend (SQLite and PostgreSQL): the
migration runner, orders, meta, daily statistics and caches.

The run lock is in test_store_lock.py, SQLite's files, errors and threads and the DATABASE_URL
factory in test_store_sqlite.py, PostgreSQL's machines, sessions and errors in test_store_pg.py;
the `store` fixture (both backends) is in tests/store_support.py.

PostgreSQL tests run against KASPI_AMO_TEST_POSTGRES_URL (default
postgresql://postgres@127.0.0.1:5432/test), each in a throwaway schema. An unreachable
server FAILS them (CI starts one); set KASPI_AMO_SKIP_POSTGRES=1 to skip them instead."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from app.errors import StoreError
from app.store.base import OrderRecord, Store, StoreCounts, SyncState, SyncStep
from app.store.migrations import Migration, apply_migrations, load_migrations
from app.store.sqlite import SqliteStore, split_sql_script
from tests.store_support import (
    T0,
    Clock,
    StoreFactory,
    _write_migrations,
    backend,
    database_url,
    order,
    store,
    store_factory,
)

__all__ = ["backend", "database_url", "store", "store_factory"]  # fixtures used by name


# --- migrations -----------------------------------------------------------------------------


def test_migrate_is_idempotent(store_factory: StoreFactory, backend: str) -> None:
    first = store_factory()
    applied = first.migrate()
    assert applied == len(load_migrations(backend)) >= 1
    assert first.migrate() == 0
    assert store_factory().migrate() == 0  # another run sees it applied too


@pytest.mark.parametrize("dialect", ["sqlite", "postgres"])
def test_packaged_migrations_are_numbered_and_sorted(dialect: str) -> None:
    migrations = load_migrations(dialect)
    versions = [m.version for m in migrations]
    assert versions == sorted(versions) and versions[0] == 1
    assert migrations[0].name == "initial"


class RecordingTarget:
    def __init__(self, applied: set[int] | None = None) -> None:
        self.applied = set(applied or ())
        self.order: list[int] = []

    def ensure_table(self) -> None:
        pass

    def applied_versions(self) -> set[int]:
        return set(self.applied)

    def apply(self, migration: Migration, applied_at: str) -> bool:
        assert datetime.fromisoformat(applied_at).tzinfo is not None
        self.order.append(migration.version)
        self.applied.add(migration.version)
        return True


def test_runner_applies_in_numeric_order_and_skips_applied(tmp_path: Path) -> None:
    root = _write_migrations(
        tmp_path / "m",
        {"10_ten.sql": "", "002_two.sql": "", "001_one.sql": "", "3_three.sql": "", "notes.txt": "", "x.sql": ""},
    )
    target = RecordingTarget(applied={2})
    assert apply_migrations(target, "sqlite", root=root) == 3
    assert target.order == [1, 3, 10]
    assert apply_migrations(target, "sqlite", root=root) == 0


def test_runner_rejects_duplicates_and_newer_databases(tmp_path: Path) -> None:
    dup = _write_migrations(tmp_path / "dup", {"001_a.sql": "", "1_b.sql": ""})
    with pytest.raises(StoreError, match="номером 1"):
        load_migrations("sqlite", root=dup)
    root = _write_migrations(tmp_path / "ok", {"001_a.sql": ""})
    with pytest.raises(StoreError, match="более новой версией"):
        apply_migrations(RecordingTarget(applied={1, 7}), "sqlite", root=root)


def test_sqlite_migration_is_atomic(tmp_path: Path) -> None:
    root = _write_migrations(
        tmp_path / "m",
        {
            "001_good.sql": "CREATE TABLE a (x TEXT); -- a comment; with a semicolon\nINSERT INTO a VALUES ('1;2');",
            "002_bad.sql": "CREATE TABLE b (x INTEGER);\nINSERT INTO nowhere VALUES (1);",
        },
    )
    s = SqliteStore(tmp_path / "db.sqlite")
    try:
        target = s._migration_target()
        with pytest.raises(StoreError, match="002_bad"):
            apply_migrations(target, "sqlite", root=root)
        assert target.applied_versions() == {1}
        assert s._read("SELECT x FROM a") == [("1;2",)]
        assert s._read("SELECT name FROM sqlite_master WHERE name = 'b'") == []  # rolled back
    finally:
        s.close()


def test_split_sql_script_keeps_triggers_and_strings_whole() -> None:
    script = """
        CREATE TABLE t (x TEXT);
        CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET x = 'a;b'; END;
        INSERT INTO t VALUES (';')
    """
    statements = split_sql_script(script)
    assert len(statements) == 3
    assert statements[1].startswith("CREATE TRIGGER") and statements[1].endswith("END;")


# --- orders ---------------------------------------------------------------------------------


def test_save_and_get_round_trips_every_field(store: Store) -> None:
    almaty = timezone(timedelta(hours=5))
    record = OrderRecord(
        code="KZ-000123",
        sync_state=SyncState.DONE,
        step=SyncStep.NOTE,
        kaspi_id="b3Jk",
        kaspi_state="KASPI_DELIVERY",
        kaspi_status="ACCEPTED_BY_MERCHANT",
        order_created_at=datetime(2024, 5, 1, 15, 30, 12, 345678, tzinfo=almaty),
        total_price=123_456,
        buyer_name="Әлия Құрманғазықызы Өтегенова",
        phone_masked="+7 701 *** ** 67",
        lead_id=2_147_483_648_123,
        contact_id=42,
        attempts=3,
        last_error="amoCRM недоступен: 502 «Bad Gateway»",
        first_seen_at=datetime(2024, 5, 1, 10, 31, tzinfo=UTC),
    )
    store.save_order(record)
    got = store.get_order("KZ-000123")
    assert got is not None
    assert got == record  # the caller's record got updated_at/first_seen_at in place
    assert got.order_created_at == datetime(2024, 5, 1, 10, 30, 12, 345678, tzinfo=UTC)
    assert got.first_seen_at == datetime(2024, 5, 1, 10, 31, tzinfo=UTC)
    for value in (got.order_created_at, got.first_seen_at, got.updated_at):
        assert value is not None and value.tzinfo is not None and value.utcoffset() == timedelta(0)
    assert isinstance(got.sync_state, SyncState) and isinstance(got.step, SyncStep)
    assert store.get_order("missing") is None


def test_save_sets_updated_at_and_keeps_first_seen(store_factory: StoreFactory) -> None:
    clock = Clock()
    store = store_factory(now=clock)
    store.migrate()
    store.save_order(order("1"))
    clock.value = T0 + timedelta(hours=1)
    again = order("1", state=SyncState.FAILED, attempts=1, last_error="x")
    store.save_order(again)
    got = store.get_order("1")
    assert got is not None
    assert got.first_seen_at == T0 and got.updated_at == T0 + timedelta(hours=1)
    assert got.sync_state is SyncState.FAILED and got.attempts == 1 and got.last_error == "x"
    assert again.first_seen_at == T0  # the caller's copy matches the row


def test_naive_datetimes_are_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="aware"):
        store.save_order(order("1", created=datetime(2024, 1, 1)))  # noqa: DTZ001 - what is tested
    assert store.get_order("1") is None


def test_get_orders_bulk(store: Store) -> None:
    for i in range(0, 1200, 10):  # lookups span more than one IN (...) chunk
        store.save_order(order(f"c{i}"))
    found = store.get_orders(f"c{i}" for i in range(1200))
    assert set(found) == {f"c{i}" for i in range(0, 1200, 10)}
    assert found["c10"].code == "c10"
    assert store.get_orders([]) == {}
    assert store.get_orders(["nope", "c0", "c0"]).keys() == {"c0"}


def test_orders_in_states_oldest_first(store: Store) -> None:
    store.save_order(order("late", T0 + timedelta(hours=2), SyncState.FAILED))
    store.save_order(order("undated", None, SyncState.PENDING))
    store.save_order(order("early", T0, SyncState.PENDING))
    store.save_order(order("mid", T0 + timedelta(hours=1), SyncState.PENDING))
    store.save_order(order("done", T0 - timedelta(days=1), SyncState.DONE))
    open_states = [SyncState.PENDING, SyncState.FAILED]
    assert [r.code for r in store.orders_in_states(open_states)] == ["early", "mid", "late", "undated"]
    assert [r.code for r in store.orders_in_states(open_states, limit=2)] == ["early", "mid"]
    assert [r.code for r in store.orders_in_states([SyncState.DONE])] == ["done"]
    assert store.orders_in_states([]) == []


def test_recent_orders_newest_first(store: Store) -> None:
    for i in range(5):
        store.save_order(order(f"o{i}", T0 + timedelta(minutes=i), SyncState.DONE))
    assert [r.code for r in store.recent_orders(limit=3)] == ["o4", "o3", "o2"]
    assert len(store.recent_orders()) == 5


def test_counts_backlog_and_delete_all(store: Store) -> None:
    states = [SyncState.DONE] * 3 + [SyncState.PENDING] * 2 + [SyncState.FAILED] + [SyncState.QUARANTINED] * 4
    for i, state in enumerate(states):
        store.save_order(order(str(i), T0, state))
    counts = store.counts()
    assert counts == StoreCounts(processed=3, pending=2, failed=1, quarantined=4)
    assert counts.backlog == 3
    assert store.delete_all_orders() == 10
    assert store.counts() == StoreCounts(0, 0, 0, 0)


# --- meta, statistics, caches ---------------------------------------------------------------


def test_meta(store: Store) -> None:
    assert store.get_meta("watermark") is None
    store.set_meta("watermark", "2024-05-01T10:00:00+00:00")
    store.set_meta("watermark", "2024-05-02T10:00:00+00:00")
    assert store.get_meta("watermark") == "2024-05-02T10:00:00+00:00"
    store.set_meta("note", "Қазақша мәтін")
    assert store.get_meta("note") == "Қазақша мәтін"
    store.set_meta("watermark", None)
    assert store.get_meta("watermark") is None


def test_bump_daily_accumulates_per_utc_day(store: Store) -> None:
    day = date(2024, 5, 1)
    store.bump_daily(day, created=2)
    store.bump_daily(day, created=1, updated=4, failed=1)
    store.bump_daily(date(2024, 5, 2), failed=7)
    # 02:00 in Almaty on 2 May is still 1 May in UTC
    store.bump_daily(datetime(2024, 5, 2, 2, 0, tzinfo=timezone(timedelta(hours=5))), updated=1)
    one = store.daily(day)
    assert (one.day, one.created, one.updated, one.failed) == (day, 3, 5, 1)
    two = store.daily(date(2024, 5, 2))
    assert (two.created, two.updated, two.failed) == (0, 0, 7)
    empty = store.daily(date(2030, 1, 1))
    assert (empty.day, empty.created, empty.updated, empty.failed) == (date(2030, 1, 1), 0, 0, 0)


def test_caches(store: Store) -> None:
    assert store.cache_get("phone", "7011234567") is None
    store.cache_put("phone", "7011234567", 101)
    store.cache_put("sku", "7011234567", 202)  # kinds are separate
    store.cache_put("phone", "7011234567", 303)
    assert store.cache_get("phone", "7011234567") == 303
    assert store.cache_get("sku", "7011234567") == 202
    store.cache_forget("phone", "7011234567")
    store.cache_forget("phone", "never-there")
    assert store.cache_get("phone", "7011234567") is None
    assert store.cache_get("sku", "7011234567") == 202
