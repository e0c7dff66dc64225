"""What the store tests share: the `backend` fixture that runs a test on SQLite and on
PostgreSQL, the database URL, a factory for more stores on the same database, a migrated `store`,
a settable clock, an order builder, migration files written for a test and the child process
that holds the run lock."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.store.base import OrderRecord, Store, SyncState
from app.store.sqlite import SqliteStore

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


def _write_migrations(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, sql in files.items():
        (folder / name).write_text(sql, encoding="utf-8")
    return folder


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
