"""The store, through the `Store` protocol, for every backend (SQLite and PostgreSQL), plus
backend-specific file, error and locking behaviour, the migration runner and the
DATABASE_URL factory.

PostgreSQL tests run against KASPI_AMO_TEST_POSTGRES_URL (default
postgresql://postgres@127.0.0.1:5432/test), each in a throwaway schema. An unreachable
server FAILS them (CI starts one); set KASPI_AMO_SKIP_POSTGRES=1 to skip them instead."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from app.errors import ConfigError, StoreError, StoreLockedError
from app.store.base import OrderRecord, Store, StoreCounts, SyncState, SyncStep
from app.store.factory import open_store
from app.store.migrations import Migration, apply_migrations, load_migrations
from app.store.sqlite import SqliteStore, split_sql_script
from tests.pg import PG_URL
from tests.pg import with_search_path as _with_search_path

REPO_ROOT = Path(__file__).resolve().parents[1]
T0 = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)

StoreFactory = Callable[..., Store]


class Clock:
    """A settable clock for lease expiry tests."""

    def __init__(self, start: datetime = T0) -> None:
        self.value = start

    def __call__(self) -> datetime:
        return self.value


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def database_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """The DATABASE_URL of this test's database, for child processes and the factory."""
    if backend == "sqlite":
        return str(tmp_path / "data" / "store.db")
    return request.getfixturevalue("pg_schema_url")


@pytest.fixture
def store_factory(backend: str, database_url: str) -> Iterator[StoreFactory]:
    """Opens more stores on the same database (a second run), all closed at the end."""
    opened: list[Store] = []

    def make(**kw: object) -> Store:
        if backend == "sqlite":
            store: Store = SqliteStore(database_url, **kw)  # type: ignore[arg-type]
        else:
            from app.store.postgres import PostgresStore

            store = PostgresStore(database_url, **kw)  # type: ignore[arg-type]
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


def test_run_lock_released_after_an_exception(store_factory: StoreFactory, store: Store) -> None:
    with pytest.raises(RuntimeError):
        with store.run_lock("boom"):
            raise RuntimeError("engine crashed inside the block")
    with store_factory().run_lock("next"):
        pass


CHILD = textwrap.dedent(
    """
    import sys
    from app.store.factory import open_store
    store = open_store(sys.argv[1])
    store.migrate()
    with store.run_lock("child-poll"):
        print("locked", flush=True)
        sys.stdin.readline()
    store.close()
    print("released", flush=True)
    """
)


def test_run_lock_works_across_processes(store: Store, database_url: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    with subprocess.Popen(
        [sys.executable, "-c", CHILD, database_url],
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
        except BaseException as exc:  # noqa: BLE001 # pragma: no cover - a thread's failure is reported below
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


@pytest.mark.parametrize("scheme", ["postgresql", "postgres", "POSTGRESQL", "postgresql+psycopg"])
def test_open_store_postgres_urls(scheme: str, pg_schema_url: str) -> None:
    from app.store.postgres import PostgresStore

    url = scheme + pg_schema_url[len("postgresql") :]
    s = open_store(url, now=lambda: T0)
    try:
        assert isinstance(s, PostgresStore)
        assert s.migrate() >= 1
        s.save_order(order("1"))
        got = s.get_order("1")
        assert got is not None and got.first_seen_at == T0
    finally:
        s.close()


@pytest.mark.parametrize(
    "url", ["", "   ", "mysql://localhost/db", "sqlite://host/x.db", "sqlite:x.db", "sqlite:///", ":memory:"]
)
def test_open_store_rejects_unknown_urls(url: str) -> None:
    with pytest.raises(ConfigError):
        open_store(url)


# --- PostgreSQL: machines, sessions, errors -------------------------------------------------


COMPETITOR = textwrap.dedent(
    """
    import sys
    from app.errors import StoreLockedError
    from app.store.factory import open_store
    store = open_store(sys.argv[1])
    store.migrate()
    print("ready", flush=True)
    sys.stdin.readline()
    try:
        with store.run_lock(sys.argv[2]):
            print("locked", flush=True)
            sys.stdin.readline()
    except StoreLockedError as exc:
        print("busy", exc.message, flush=True)
    store.close()
    """
)


def _spawn(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )


def _pg_store(url: str, **kw: Any) -> Any:
    """A PostgreSQL store; a run taking over from a holder of this very process (alive) waits
    0.1 s instead of the real grace (tests/test_lock_fencing.py times the grace itself)."""
    from app.store.postgres import PostgresStore

    return PostgresStore(url, **{"takeover_grace": 0.1, **kw})


def test_pg_two_processes_compete_for_the_run_lock(pg_schema_url: str) -> None:
    # both also migrate the fresh schema at the same time: the migration lock serialises them
    children = [_spawn(COMPETITOR, pg_schema_url, f"machine-{i}") for i in (1, 2)]
    try:
        for child in children:
            assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        for child in children:
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        outcomes = {}
        for i, child in enumerate(children, 1):
            assert child.stdout is not None
            outcomes[f"machine-{i}"] = child.stdout.readline().strip()
        winners = [name for name, line in outcomes.items() if line == "locked"]
        losers = [name for name, line in outcomes.items() if line.startswith("busy")]
        assert len(winners) == 1 and len(losers) == 1, outcomes
        assert winners[0] in outcomes[losers[0]]  # the loser is told who holds it
        assert "Другой запуск синхронизации уже работает" in outcomes[losers[0]]
        for child in children:
            if child.poll() is None:
                assert child.stdin is not None
                child.stdin.write("\n")
                child.stdin.flush()
            assert child.wait(10) == 0
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
            child.wait(5)
            for stream in (child.stdin, child.stdout):
                if stream is not None:
                    stream.close()


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL")
def test_pg_killed_holder_releases_the_lock(pg_schema_url: str) -> None:
    store = _pg_store(pg_schema_url)
    store.migrate()
    with _spawn(CHILD, pg_schema_url) as child:
        try:
            assert child.stdout is not None and child.stdout.readline().strip() == "locked"
            with pytest.raises(StoreLockedError, match="child-poll"):
                with store.run_lock("parent"):
                    pass
            os.kill(child.pid, signal.SIGKILL)  # no release, no row cleanup: the session just ends
            assert child.wait(5) == -signal.SIGKILL
            with store.run_lock("parent", wait_seconds=5):  # the server freed it
                pass
        finally:
            if child.poll() is None:
                child.kill()
            store.close()


def test_pg_holder_row_left_by_a_dead_run_is_not_the_holder(pg_schema_url: str) -> None:
    dead, live, other = _pg_store(pg_schema_url), _pg_store(pg_schema_url), _pg_store(pg_schema_url)
    try:
        dead.migrate()
        with dead.run_lock("dead-run"):
            dead.close()  # the session ends with the row still written
        with live.run_lock("live-run"):
            with pytest.raises(StoreLockedError) as info:
                with other.run_lock("other"):
                    pass
            assert "live-run" in info.value.message and "dead-run" not in info.value.message
    finally:
        for s in (dead, live, other):
            s.close()


def test_pg_schemas_are_separate_shops(pg_schema_url: str, pg_admin: Any) -> None:
    schema = f"t_{uuid.uuid4().hex[:16]}"
    pg_admin.execute(f"CREATE SCHEMA {schema}")
    one, two = _pg_store(pg_schema_url), _pg_store(_with_search_path(PG_URL, schema))
    try:
        one.migrate(), two.migrate()
        one.save_order(order("only-in-one"))
        assert two.get_order("only-in-one") is None and two.counts().processed == two.counts().pending == 0
        with one.run_lock("shop-1"), two.run_lock("shop-2"):  # one database, two run locks
            pass
        assert schema in str(two.target) and schema in repr(two)
    finally:
        one.close()
        two.close()
        pg_admin.execute(f"DROP SCHEMA {schema} CASCADE")


def test_pg_concurrent_bump_daily_sums_correctly(pg_schema_url: str) -> None:
    stores = [_pg_store(pg_schema_url) for _ in range(2)]
    stores[0].migrate()
    day = date(2024, 5, 1)
    threads, per_thread = 8, 25
    start = threading.Barrier(threads)
    errors: list[BaseException] = []

    def bump(store: Any) -> None:
        try:
            start.wait(5)
            for _ in range(per_thread):
                store.bump_daily(day, created=1, updated=2, failed=3)
        except BaseException as exc:  # noqa: BLE001 # pragma: no cover - a thread's failure is reported below
            errors.append(exc)

    workers = [threading.Thread(target=bump, args=(stores[i % 2],)) for i in range(threads)]
    try:
        for w in workers:
            w.start()
        for w in workers:
            w.join(20)
        assert not errors
        got = stores[1].daily(day)
        n = threads * per_thread
        assert (got.created, got.updated, got.failed) == (n, 2 * n, 3 * n)
    finally:
        for s in stores:
            s.close()


def test_pg_migration_is_atomic(pg_schema_url: str, tmp_path: Path) -> None:
    root = _write_migrations(
        tmp_path / "m",
        {
            "001_good.sql": "CREATE TABLE a (x TEXT); -- a comment; with a semicolon\nINSERT INTO a VALUES ('1;2');",
            "002_bad.sql": "CREATE TABLE b (x INTEGER);\nINSERT INTO nowhere VALUES (1);",
        },
    )
    s = _pg_store(pg_schema_url)
    try:
        target = s._migration_target()
        with pytest.raises(StoreError, match="002_bad"):
            apply_migrations(target, "postgres", root=root)
        assert target.applied_versions() == {1}
        assert s._read("SELECT x FROM a") == [("1;2",)]
        assert s._read("SELECT to_regclass('b')") == [(None,)]  # rolled back
    finally:
        s.close()


def test_pg_lock_timeout_gives_store_locked_error(pg_schema_url: str, pg_admin: Any) -> None:
    s = _pg_store(pg_schema_url, lock_timeout=0.1)
    s.migrate()
    schema = pg_schema_url.rsplit("%3D", 1)[1]
    try:
        with pg_admin.transaction():
            pg_admin.execute(f"LOCK TABLE {schema}.orders IN EXCLUSIVE MODE")  # blocks writers only
            with pytest.raises(StoreLockedError) as info:
                s.save_order(order("1"))
            assert "127.0.0.1" in info.value.message or str(s.target.host) in info.value.message
            assert "занята" in info.value.message
            assert s.get_order("1") is None  # reads still work
        s.save_order(order("1"))
        assert s.get_order("1") is not None
    finally:
        s.close()


def _pg_server() -> tuple[str, str, str, str]:
    from psycopg.conninfo import conninfo_to_dict

    params = conninfo_to_dict(PG_URL)
    user = params.get("user") or "postgres"
    return str(params.get("host") or "127.0.0.1"), str(params.get("port") or 5432), str(user), str(params.get("dbname") or user)


@pytest.mark.parametrize(
    "case",
    ["unreachable", "missing-database", "missing-schema", "malformed"],
)
def test_pg_connection_errors_name_host_and_database_never_the_password(case: str, pg_admin: Any) -> None:
    host, port, user, dbname = _pg_server()
    url, expected = {
        "unreachable": ("postgresql://postgres:s3cret@127.0.0.1:1/x", ("127.0.0.1:1", "«x»", "недоступен")),
        "missing-database": (
            f"postgresql://{user}:s3cret@{host}:{port}/kaspi_amo_no_such_db",
            (f"{host}:{port}", "нет базы данных «kaspi_amo_no_such_db»"),
        ),
        "missing-schema": (
            _with_search_path(f"postgresql://{user}:s3cret@{host}:{port}/{dbname}", "t_nowhere"),
            (f"{host}:{port}", "нет схемы «t_nowhere»"),
        ),
        "malformed": ("postgres://postgres:s3cret@[::1/x", ("DATABASE_URL",)),
    }[case]
    with pytest.raises(StoreError) as info:
        open_store(url)
    exc = info.value
    assert not isinstance(exc, StoreLockedError)
    for part in expected:
        assert part in exc.message
    for text in (exc.message, exc.detail or "", str(exc), repr(exc)):
        assert "s3cret" not in text


def test_pg_lost_connection_recovers_and_closed_store_says_so(pg_schema_url: str, pg_admin: Any) -> None:
    s = _pg_store(pg_schema_url)
    s.migrate()
    s.save_order(order("1"))
    (pid,) = s._read("SELECT pg_backend_pid()")[0]
    pg_admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    assert s.get_order("1") is not None  # a read retries once on a new connection
    pg_admin.execute("SELECT pg_terminate_backend(%s)", (s._read("SELECT pg_backend_pid()")[0][0],))
    with pytest.raises(StoreError, match="потеряно") as info:
        s.save_order(order("2"))  # a write is reported, not silently retried
    assert not isinstance(info.value, StoreLockedError)
    s.save_order(order("2"))  # and the next call reconnects
    assert s.get_order("2") is not None
    s.close()
    with pytest.raises(StoreError, match="закрыта"):
        s.get_order("1")
