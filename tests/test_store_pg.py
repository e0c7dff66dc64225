"""PostgreSQL: two machines competing for the run lock, killed holders, separate shops per
schema, concurrent statistics, atomic migrations, lock timeouts, connection errors that never
show the password, and a lost connection.

Run against KASPI_AMO_TEST_POSTGRES_URL in a throwaway schema (see test_store.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from app.errors import StoreError, StoreLockedError
from app.store.factory import open_store
from app.store.migrations import apply_migrations
from tests.pg import PG_URL
from tests.pg import with_search_path as _with_search_path
from tests.store_support import CHILD, REPO_ROOT, _write_migrations, order

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
