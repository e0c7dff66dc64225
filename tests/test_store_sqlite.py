"""SQLite's file permissions, damaged or busy files, closed stores and threads; and the
DATABASE_URL factory for both backends."""

from __future__ import annotations

import os
import sqlite3
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest

from app.errors import ConfigError, StoreError, StoreLockedError
from app.store.base import Store, SyncState
from app.store.factory import open_store
from app.store.sqlite import SqliteStore
from tests.store_support import T0, backend, database_url, order, store, store_factory

__all__ = ["backend", "database_url", "store", "store_factory"]  # fixtures used by name


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
