"""The store, through the `Store` protocol, for every backend (SQLite now; PostgreSQL
joins the `backend` parametrisation later), plus SQLite-specific file and error handling,
the migration runner and the DATABASE_URL factory."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Iterator

import pytest

from app.errors import ConfigError, StoreError, StoreLockedError
from app.store.base import OrderRecord, Store, StoreCounts, SyncState, SyncStep
from app.store.factory import open_store
from app.store.migrations import Migration, apply_migrations, load_migrations
from app.store.sqlite import SqliteStore, split_sql_script

REPO_ROOT = Path(__file__).resolve().parents[1]
UTC = timezone.utc
T0 = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)

StoreFactory = Callable[..., Store]


class Clock:
    """A settable clock for lease expiry tests."""

    def __init__(self, start: datetime = T0) -> None:
        self.value = start

    def __call__(self) -> datetime:
        return self.value


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture(params=["sqlite"])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def store_factory(backend: str, tmp_path: Path) -> Iterator[StoreFactory]:
    """Opens more stores on the same database (a second run), all closed at the end."""
    opened: list[Store] = []

    def make(**kw: object) -> Store:
        if backend == "sqlite":
            store: Store = SqliteStore(tmp_path / "data" / "store.db", **kw)  # type: ignore[arg-type]
        else:  # pragma: no cover - PostgreSQL arrives later
            raise NotImplementedError(backend)
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


@pytest.fixture
def store(store_factory: StoreFactory) -> Store:
    s = store_factory()
    s.migrate()
    return s


def order(code: str, created: datetime | None = None, state: SyncState = SyncState.PENDING, **kw: object) -> OrderRecord:
    return OrderRecord(code=code, sync_state=state, order_created_at=created, **kw)  # type: ignore[arg-type]


# --- migrations -----------------------------------------------------------------------------


def test_migrate_is_idempotent(store_factory: StoreFactory) -> None:
    first = store_factory()
    applied = first.migrate()
    assert applied == len(load_migrations("sqlite")) >= 1
    assert first.migrate() == 0
    assert store_factory().migrate() == 0  # another run sees it applied too


def test_packaged_migrations_are_numbered_and_sorted() -> None:
    migrations = load_migrations("sqlite")
    versions = [m.version for m in migrations]
    assert versions == sorted(versions) and versions[0] == 1
    assert migrations[0].name == "initial"


def _write_migrations(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, sql in files.items():
        (folder / name).write_text(sql, encoding="utf-8")
    return folder


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
        store.save_order(order("1", created=datetime(2024, 1, 1)))
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


# --- run lock -------------------------------------------------------------------------------


def test_run_lock_excludes_a_second_holder(store_factory: StoreFactory, store: Store) -> None:
    other = store_factory()
    with store.run_lock("poll@cron"):
        with pytest.raises(StoreLockedError) as info:
            with other.run_lock("tray"):
                pytest.fail("second holder got the lock")
        assert "Другой запуск синхронизации уже работает" in info.value.message
        assert "poll@cron" in info.value.message
        with pytest.raises(StoreLockedError):  # same store instance, same owner label
            with store.run_lock("poll@cron"):
                pass
    with other.run_lock("tray"):
        pass


def test_run_lock_waits_then_fails(store_factory: StoreFactory, store: Store) -> None:
    other = store_factory()
    with store.run_lock("first"):
        started = time.monotonic()
        with pytest.raises(StoreLockedError):
            with other.run_lock("second", wait_seconds=0.3):
                pass
        assert 0.3 <= time.monotonic() - started < 2.0


def test_run_lock_waits_for_release(store_factory: StoreFactory, store: Store) -> None:
    other = store_factory()
    held, release = threading.Event(), threading.Event()

    def holder() -> None:
        with store.run_lock("first"):
            held.set()
            release.wait(5)

    t = threading.Thread(target=holder)
    t.start()
    assert held.wait(5)
    threading.Timer(0.2, release.set).start()
    with other.run_lock("second", wait_seconds=5):
        assert release.is_set()
    t.join(5)


def test_run_lock_takes_over_an_expired_lease(store_factory: StoreFactory) -> None:
    crashed, fresh = store_factory(now=Clock(T0)), store_factory(now=Clock(T0 + timedelta(seconds=61)))
    crashed.migrate()
    with crashed.run_lock("crashed-run", ttl_seconds=60):
        with fresh.run_lock("new-run", ttl_seconds=60):
            with pytest.raises(StoreLockedError, match="потеряна"):
                crashed.renew_lock()  # type: ignore[attr-defined]
    # each run released only its own lease: the lock is free again
    with fresh.run_lock("again"):
        pass


def test_renew_lock_keeps_a_long_run_alive(store_factory: StoreFactory) -> None:
    clock = Clock()
    holder, other = store_factory(now=clock), store_factory(now=clock)
    holder.migrate()
    with holder.run_lock("long-run", ttl_seconds=60):
        clock.value = T0 + timedelta(seconds=50)
        holder.renew_lock()  # type: ignore[attr-defined]
        clock.value = T0 + timedelta(seconds=100)  # past the first expiry, within the renewed one
        with pytest.raises(StoreLockedError):
            with other.run_lock("other"):
                pass
        clock.value = T0 + timedelta(seconds=111)  # renewed lease expired too: taken over
        with other.run_lock("other"):
            pass


def test_run_lock_renews_in_the_background(store_factory: StoreFactory, backend: str) -> None:
    if backend != "sqlite":  # pragma: no cover
        pytest.skip("peeks at the SQLite lease row")
    clock = Clock()
    holder, other = store_factory(now=clock), store_factory(now=clock)
    holder.migrate()
    with holder.run_lock("long-run", ttl_seconds=0.3):
        clock.value = T0 + timedelta(seconds=10)  # far past the first expiry
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:  # the renewer (every ttl/3) extends from the new "now"
            (expires,) = holder._read("SELECT expires_at FROM run_lock")[0]  # type: ignore[attr-defined]
            if datetime.fromisoformat(expires) > clock.value:
                break
            time.sleep(0.02)
        with pytest.raises(StoreLockedError):
            with other.run_lock("other"):
                pass


def test_run_lock_released_after_an_exception(store_factory: StoreFactory, store: Store) -> None:
    with pytest.raises(RuntimeError):
        with store.run_lock("boom"):
            raise RuntimeError("engine crashed inside the block")
    with store_factory().run_lock("next"):
        pass


CHILD = textwrap.dedent(
    """
    import sys
    from app.store.sqlite import SqliteStore
    store = SqliteStore(sys.argv[1])
    store.migrate()
    with store.run_lock("child-poll"):
        print("locked", flush=True)
        sys.stdin.readline()
    store.close()
    print("released", flush=True)
    """
)


def test_run_lock_works_across_processes(store: Store, backend: str) -> None:
    if backend != "sqlite":  # pragma: no cover
        pytest.skip("the child script opens SQLite")
    path = str(store.path)  # type: ignore[attr-defined]
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    with subprocess.Popen(
        [sys.executable, "-c", CHILD, path],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO_ROOT,
        env=env,
    ) as child:
        try:
            assert child.stdout is not None and child.stdin is not None
            assert child.stdout.readline().strip() == "locked"
            with pytest.raises(StoreLockedError, match="child-poll"):
                with store.run_lock("parent"):
                    pass
            child.stdin.write("\n")
            child.stdin.flush()
            with store.run_lock("parent", wait_seconds=5):  # waits for the child's release
                pass
            assert child.stdout.readline().strip() == "released"
            assert child.wait(5) == 0
        finally:
            if child.poll() is None:
                child.kill()


# --- SQLite files, errors, threads ----------------------------------------------------------


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_file_permissions(tmp_path: Path) -> None:
    path = tmp_path / "new" / "deeper" / "store.db"
    s = SqliteStore(path)
    try:
        s.migrate()
        s.save_order(order("1"))
        assert (path.stat().st_mode & 0o777) == 0o600
        assert (path.parent.stat().st_mode & 0o777) == 0o700
        assert ((tmp_path / "new").stat().st_mode & 0o777) == 0o700
        for suffix in ("-wal", "-shm"):
            companion = Path(f"{path}{suffix}")
            if companion.exists():
                assert (companion.stat().st_mode & 0o777) == 0o600
    finally:
        s.close()


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_loose_existing_file_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    path.touch()
    os.chmod(path, 0o644)
    SqliteStore(path).close()
    assert (path.stat().st_mode & 0o777) == 0o600


def test_not_a_database_gives_store_error_naming_the_path(tmp_path: Path) -> None:
    path = tmp_path / "orders.db"
    path.write_bytes(b"this is definitely not a database file\n" * 200)
    with pytest.raises(StoreError) as info:
        SqliteStore(path).migrate()
    assert not isinstance(info.value, StoreLockedError)
    assert str(path) in info.value.message and "не является базой данных" in info.value.message


def test_directory_path_gives_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="папку"):
        SqliteStore(tmp_path)


def test_busy_database_gives_store_locked_error(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    s = SqliteStore(path, busy_timeout=0.1)
    s.migrate()
    blocker = sqlite3.connect(path, isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")
        with pytest.raises(StoreLockedError) as info:
            s.save_order(order("1"))
        assert str(path) in info.value.message and "занята" in info.value.message
        assert s.get_order("1") is None  # WAL: reads still work while another writes
        blocker.execute("ROLLBACK")
        s.save_order(order("1"))
        assert s.get_order("1") is not None
    finally:
        blocker.close()
        s.close()


def test_closed_store_raises_store_error(tmp_path: Path) -> None:
    s = SqliteStore(tmp_path / "store.db")
    s.migrate()
    s.close()
    with pytest.raises(StoreError, match="закрыта"):
        s.get_order("1")


def test_write_in_one_thread_read_in_another(store: Store) -> None:
    errors: list[BaseException] = []
    done = threading.Event()

    def writer() -> None:
        try:
            for i in range(100):
                store.save_order(order(f"t{i}", T0 + timedelta(seconds=i), SyncState.DONE))
                store.bump_daily(date(2024, 5, 1), created=1)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            done.set()

    t = threading.Thread(target=writer)
    t.start()
    seen = 0
    while not done.is_set():  # the "GUI thread" reads while the worker writes
        seen = max(seen, store.counts().processed)
        store.recent_orders(10)
    t.join(5)
    assert not errors
    assert store.counts().processed == 100 >= seen
    assert store.daily(date(2024, 5, 1)).created == 100
    got = store.get_order("t99")
    assert got is not None and got.order_created_at == T0 + timedelta(seconds=99)


# --- factory --------------------------------------------------------------------------------


def test_open_store_sqlite_urls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    cases = {
        str(tmp_path / "plain.db"): tmp_path / "plain.db",
        f"sqlite:///{tmp_path / 'abs.db'}": tmp_path / "abs.db",
        "sqlite:///rel/dir/x.db": tmp_path / "rel" / "dir" / "x.db",
        "relative.db": tmp_path / "relative.db",
        "SQLITE:///upper.db": tmp_path / "upper.db",
    }
    for url, expected in cases.items():
        s = open_store(url, now=lambda: T0)
        try:
            assert isinstance(s, SqliteStore)
            assert s.path.resolve() == expected.resolve()
            assert s.migrate() >= 1
        finally:
            s.close()


@pytest.mark.parametrize("url", ["postgresql://u:p@localhost/db", "postgres://localhost/db", "postgresql+psycopg://x/db"])
def test_open_store_postgres_not_yet(url: str) -> None:
    with pytest.raises(ConfigError, match="PostgreSQL ещё не поддерживается"):
        open_store(url)


@pytest.mark.parametrize(
    "url", ["", "   ", "mysql://localhost/db", "sqlite://host/x.db", "sqlite:x.db", "sqlite:///", ":memory:"]
)
def test_open_store_rejects_unknown_urls(url: str) -> None:
    with pytest.raises(ConfigError):
        open_store(url)
