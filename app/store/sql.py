"""Every data method of the store, written once for SQLite and PostgreSQL alike.

The two backends differ in little: how a statement marks its parameters (`?` or `%s`), how an
instant or a day is stored (ISO text or timestamptz/date) and which collation orders text by
bytes. A `Dialect` says just that; `SqlStore` holds the queries and the row mapping and asks
its backend only for a read and a write transaction. A backend (sqlite.py, postgres.py) keeps
connecting, error translation and its run lock, nothing else.

Adding a table and a few methods (e.g. an action queue):

1. a numbered migration for each backend: `migrations/sqlite/NNN_name.sql` and
   `migrations/postgres/NNN_name.sql` (same tables; times are TEXT in SQLite and TIMESTAMPTZ
   in PostgreSQL, days TEXT/DATE, ids INTEGER/BIGINT);
2. the methods on `SqlStore` below (or on a mixin it inherits), written with `?` marks:
   `self._read(sql, params)` returns rows, `with self._write() as tx: tx.execute(sql, params)`
   runs one short transaction; pass instants through `self.dialect.time_in` /
   `self.dialect.time_out` and days through `day_in` / `day_out`; `upsert()` builds the
   INSERT … ON CONFLICT … DO UPDATE both databases understand;
3. the method's signature on the `Store` protocol (base.py) when the engine calls it;
4. a test in tests/test_store.py: its `store` fixture runs every test on both backends.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any, ClassVar, Protocol, Self

from app.errors import RunLockLost, StoreError, StoreLockedError
from app.store.base import (
    DailyStats,
    OrderRecord,
    StatsTotals,
    StoreCounts,
    SyncState,
    SyncStep,
)
from app.store.migrations import SCHEMA_MIGRATIONS_DDL, Migration, apply_migrations

#: Parameters per IN (...) query: far below SQLite's and PostgreSQL's limits.
IN_CHUNK = 500

def padded(values: list[Any]) -> list[Any]:
    """`values` repeated up to the next power of two (at most IN_CHUNK): an IN (...) list of every
    length is a statement of its own, compiled and kept by the driver's statement cache (and
    _convert's), so a poll reading a few more orders each minute grew that cache by one large
    statement per poll; rounded lengths leave about ten."""
    size = 1
    while size < len(values):
        size *= 2
    size = min(size, max(IN_CHUNK, len(values)))
    return values + values[-1:] * (size - len(values)) if values else values


ORDER_COLUMNS = (
    "code",
    "sync_state",
    "step",
    "kaspi_id",
    "kaspi_state",
    "kaspi_status",
    "order_created_at",
    "total_price",
    "buyer_name",
    "phone_masked",
    "lead_id",
    "contact_id",
    "attempts",
    "last_error",
    "first_seen_at",
    "updated_at",
)
_ORDER_SELECT = f"SELECT {', '.join(ORDER_COLUMNS)} FROM orders"


# --- time ------------------------------------------------------------------------------------


def require_aware(value: datetime, what: str = "datetime") -> datetime:
    """The same instant in UTC; naive datetimes are refused (their zone is a guess)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware (UTC), got naive {value!r}")
    return value.astimezone(UTC)


def utc_day(day: date) -> date:
    """A date as is, or an aware datetime reduced to its UTC day (naive ones refused)."""
    if isinstance(day, datetime):
        return require_aware(day, "day").date()
    return day


def iso_text_time(value: datetime) -> str:
    """Aware datetime → fixed-width ISO-8601 UTC text (text order == time order)."""
    return require_aware(value).isoformat(timespec="microseconds")


def iso_text_time_out(value: Any) -> datetime | None:
    """Stored text → aware UTC datetime (text without an offset is taken as UTC)."""
    if value is None:
        return None
    parsed = datetime.fromisoformat(str(value))
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def native_time_out(value: Any) -> datetime | None:
    """A driver's aware datetime → the same instant in UTC."""
    return None if value is None else require_aware(value)


# --- the dialect -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Dialect:
    """What differs between the databases, as far as the shared queries are concerned."""

    name: str  # also the migrations folder
    param: str  # the driver's parameter mark: "?" or "%s"
    bytewise: str  # a collation ordering text by bytes (ties broken alike on both)
    time_in: Callable[[datetime], Any]  # aware datetime → stored value
    time_out: Callable[[Any], datetime | None]  # stored value → aware UTC datetime
    day_in: Callable[[date], Any]
    day_out: Callable[[Any], date]

    def sql(self, text: str) -> str:
        """A statement written with `?` marks in this driver's style (no literal `?` allowed)."""
        return _convert(text, self.param)


@lru_cache(maxsize=512)
def _convert(text: str, param: str) -> str:
    if param == "?":
        return text
    return text.replace("%", "%%").replace("?", param)


SQLITE = Dialect(
    name="sqlite",
    param="?",
    bytewise="BINARY",
    time_in=iso_text_time,
    time_out=iso_text_time_out,
    day_in=lambda day: utc_day(day).isoformat(),
    day_out=lambda value: date.fromisoformat(str(value)),
)

POSTGRES = Dialect(
    name="postgres",
    param="%s",
    bytewise='"C"',
    time_in=require_aware,
    time_out=native_time_out,
    day_in=utc_day,
    day_out=lambda value: value if isinstance(value, date) else date.fromisoformat(str(value)),
)


def upsert(
    table: str,
    columns: Sequence[str],
    key: Sequence[str],
    *,
    keep: Sequence[str] = (),
    add: Sequence[str] = (),
    returning: str | None = None,
) -> str:
    """`INSERT … ON CONFLICT (key) DO UPDATE`, as SQLite (3.35+) and PostgreSQL both read it:
    on a conflict the `keep` columns keep their stored value, the `add` columns are summed,
    the rest take the new value."""
    sets = [
        f"{c} = {table}.{c} + excluded.{c}" if c in add else f"{c} = excluded.{c}"
        for c in columns
        if c not in key and c not in keep
    ]
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
        f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {', '.join(sets)}"
    )
    return f"{sql} RETURNING {returning}" if returning else sql


_SAVE_ORDER = upsert("orders", ORDER_COLUMNS, ("code",), keep=("first_seen_at",), returning="first_seen_at")
_SET_META = upsert("meta", ("key", "value", "updated_at"), ("key",))
_PUT_CACHE = upsert("caches", ("kind", "key", "value", "updated_at"), ("kind", "key"))
_BUMP_DAILY = upsert("daily_stats", ("day", "created", "updated", "failed"), ("day",),
                     add=("created", "updated", "failed"))


# --- rows ------------------------------------------------------------------------------------


def record_from_row(row: Iterable[Any], *, where: str, to_time: Callable[[Any], datetime | None]) -> OrderRecord:
    """A row in ORDER_COLUMNS order → OrderRecord; an unknown state names the database."""
    data = dict(zip(ORDER_COLUMNS, row, strict=True))
    try:
        data["sync_state"] = SyncState(data["sync_state"])
        data["step"] = SyncStep(data["step"])
    except ValueError as exc:
        raise StoreError(
            f"В базе {where} заказ {data['code']} в неизвестном состоянии; "
            "возможно, база от более новой версии программы.",
            detail=str(exc),
        ) from exc
    for key in ("order_created_at", "first_seen_at", "updated_at"):
        data[key] = to_time(data[key])
    return OrderRecord(**data)


def run_lock_held_error(owner: str, detail: str) -> StoreLockedError:
    return StoreLockedError(
        f"Другой запуск синхронизации уже работает с этой базой (owner {owner}); дождитесь его окончания.",
        detail=detail,
    )


def run_lock_lost_error(owner: str, why: str, detail: str) -> RunLockLost:
    return RunLockLost(
        f"Другой запуск синхронизации перехватил работу с базой ({why}). Этот запуск остановлен "
        "и больше ничего не записывает в amoCRM; незаконченные заказы доделает тот, кто работает сейчас.",
        detail=f"owner {owner}, {detail}",
    )


# --- connections as the shared code sees them -------------------------------------------------


class Cursor(Protocol):
    """What sqlite3's and psycopg's cursors both offer."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Connection(Protocol):
    def execute(self, query: Any, params: Any = ..., /) -> Any: ...


class Tx:
    """One open write transaction; statements are written with `?` marks."""

    def __init__(self, conn: Connection, dialect: Dialect) -> None:
        self.conn = conn
        self.dialect = dialect

    def execute(self, sql: str, params: Iterable[Any] = ()) -> Cursor:
        cursor: Cursor = self.conn.execute(self.dialect.sql(sql), tuple(params))
        return cursor

    def script(self, sql: str) -> None:
        """Run SQL as written (no parameters, marks untouched): migrations."""
        self.conn.execute(sql)


class SqlStore(ABC):
    """The `Store` data methods over a backend's transactions; see the module docstring."""

    dialect: ClassVar[Dialect]
    _now_fn: Callable[[], datetime]

    # --- what a backend supplies ---------------------------------------------------------------

    @abstractmethod
    def _where(self) -> str:
        """The database as a user would name it in a message (never a password)."""

    @abstractmethod
    def _fetch(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        """Run one read in the driver's style; raise StoreError for a database error."""

    @abstractmethod
    def _transaction(self) -> AbstractContextManager[Connection]:
        """One short write transaction, committed on exit; StoreError for a database error."""

    def _prepare_migration(self, tx: Tx) -> None:  # noqa: B027 - optional hook, a no-op for SQLite
        """Called first in each migration transaction (PostgreSQL serialises migrators)."""

    @abstractmethod
    def _run_migration(self, tx: Tx, sql: str) -> None:
        """Run one migration script inside `tx`."""

    @abstractmethod
    def _check_fence(self, tx: Tx) -> None:
        """Raise RunLockLost when a run lock this store holds is no longer its own (checked
        inside `tx`, so nothing the transaction writes lands after a takeover); no-op when this
        store holds no run lock."""

    # --- shared plumbing -----------------------------------------------------------------------

    def _now(self) -> datetime:
        return require_aware(self._now_fn(), "the store clock")

    def _read(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        return self._fetch(self.dialect.sql(sql), tuple(params))

    @contextmanager
    def _write(self, *, fenced: bool = True) -> Iterator[Tx]:
        """One short write transaction. While this store holds the run lock, the transaction
        first checks that the lock is still its own (the fence): a run that lost its lock
        stops at its next write instead of writing over the run that took over."""
        with self._transaction() as conn:
            tx = Tx(conn, self.dialect)
            if fenced:
                self._check_fence(tx)
            yield tx

    def fence(self) -> None:
        """Raise RunLockLost unless the run lock this store holds is still its own (a no-op
        without one). The engine calls it before every amoCRM write batch and the amoCRM
        client before every write request, so a run that lost its lock stops at once."""
        with self._write():
            pass

    def _time(self, value: datetime | None, what: str) -> Any:
        return None if value is None else self.dialect.time_in(require_aware(value, what))

    def migrate(self) -> int:
        """Apply pending migrations; safe to call on every start and from two processes."""
        return apply_migrations(self._migration_target(), self.dialect.name, now=self._now)

    def _migration_target(self) -> _MigrationTarget:
        return _MigrationTarget(self)

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- orders --------------------------------------------------------------------------------

    def _record(self, row: tuple[Any, ...]) -> OrderRecord:
        return record_from_row(row, where=self._where(), to_time=self.dialect.time_out)

    def get_order(self, code: str) -> OrderRecord | None:
        rows = self._read(f"{_ORDER_SELECT} WHERE code = ?", (code,))
        return self._record(rows[0]) if rows else None

    def get_orders(self, codes: Iterable[str]) -> dict[str, OrderRecord]:
        wanted = list(dict.fromkeys(codes))
        found: dict[str, OrderRecord] = {}
        for start in range(0, len(wanted), IN_CHUNK):
            chunk = padded(wanted[start : start + IN_CHUNK])
            for row in self._read(f"{_ORDER_SELECT} WHERE code IN ({', '.join('?' * len(chunk))})", chunk):
                record = self._record(row)
                found[record.code] = record
        return found

    def save_order(self, record: OrderRecord) -> None:
        """Insert or replace the whole record in one upsert. The stored first_seen_at survives
        replaces; `record.first_seen_at`/`updated_at` are updated in place to match the row."""
        if not record.code:
            raise ValueError("an order record needs a code")
        now = self._now()
        values = (
            record.code,
            SyncState(record.sync_state).value,
            SyncStep(record.step).value,
            record.kaspi_id,
            record.kaspi_state,
            record.kaspi_status,
            self._time(record.order_created_at, "order_created_at"),
            record.total_price,
            record.buyer_name,
            record.phone_masked,
            record.lead_id,
            record.contact_id,
            int(record.attempts),
            record.last_error,
            self._time(record.first_seen_at or now, "first_seen_at"),
            self.dialect.time_in(now),
        )
        with self._write() as tx:
            ((first_seen,),) = tx.execute(_SAVE_ORDER, values).fetchall()
        record.first_seen_at = self.dialect.time_out(first_seen)
        record.updated_at = now

    def _order_by(self, direction: str = "") -> str:
        """Orders without a date last; ties broken by code in byte order on both databases."""
        return (
            f"ORDER BY order_created_at IS NULL, order_created_at {direction}, "
            f"code COLLATE {self.dialect.bytewise} {direction}"
        )

    def orders_in_states(self, states: Iterable[SyncState], limit: int | None = None) -> list[OrderRecord]:
        """Oldest first by order_created_at (orders without a date last, then by code)."""
        wanted = [SyncState(s).value for s in states]
        if not wanted:
            return []
        sql = f"{_ORDER_SELECT} WHERE sync_state IN ({', '.join('?' * len(wanted))}) {self._order_by()}"
        params: list[Any] = list(wanted)
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return [self._record(r) for r in self._read(sql, params)]

    def recent_orders(self, limit: int = 100) -> list[OrderRecord]:
        """Newest first by order_created_at (orders without a date last)."""
        rows = self._read(f"{_ORDER_SELECT} {self._order_by('DESC')} LIMIT ?", (int(limit),))
        return [self._record(r) for r in rows]

    def delete_all_orders(self) -> int:
        with self._write() as tx:
            return tx.execute("DELETE FROM orders").rowcount

    def counts(self) -> StoreCounts:
        by_state = {s: int(n) for s, n in self._read("SELECT sync_state, COUNT(*) FROM orders GROUP BY sync_state")}
        return StoreCounts(
            processed=by_state.get(SyncState.DONE.value, 0),
            pending=by_state.get(SyncState.PENDING.value, 0),
            failed=by_state.get(SyncState.FAILED.value, 0),
            quarantined=by_state.get(SyncState.QUARANTINED.value, 0),
        )

    # --- meta ----------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        rows = self._read("SELECT value FROM meta WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    def set_meta(self, key: str, value: str | None) -> None:
        """Set a value; None deletes the key."""
        with self._write() as tx:
            if value is None:
                tx.execute("DELETE FROM meta WHERE key = ?", (key,))
            else:
                tx.execute(_SET_META, (key, str(value), self.dialect.time_in(self._now())))

    # --- statistics ----------------------------------------------------------------------------

    def bump_daily(self, day: date, *, created: int = 0, updated: int = 0, failed: int = 0) -> None:
        """Add to a day's counters in one atomic upsert (an aware datetime counts on its UTC day)."""
        with self._write() as tx:
            tx.execute(_BUMP_DAILY, (self.dialect.day_in(utc_day(day)), int(created), int(updated), int(failed)))

    def daily(self, day: date) -> DailyStats:
        key = utc_day(day)
        rows = self._read("SELECT created, updated, failed FROM daily_stats WHERE day = ?", (self.dialect.day_in(key),))
        created, updated, failed = rows[0] if rows else (0, 0, 0)
        return DailyStats(day=key, created=int(created), updated=int(updated), failed=int(failed))

    def totals(self) -> StatsTotals:
        rows = self._read("SELECT COALESCE(SUM(created), 0), COALESCE(SUM(updated), 0), COALESCE(SUM(failed), 0) "
                          "FROM daily_stats")
        created, updated, failed = rows[0] if rows else (0, 0, 0)
        return StatsTotals(created=int(created), updated=int(updated), failed=int(failed))

    # --- caches --------------------------------------------------------------------------------

    def cache_get(self, kind: str, key: str) -> int | None:
        rows = self._read("SELECT value FROM caches WHERE kind = ? AND key = ?", (kind, key))
        return int(rows[0][0]) if rows else None

    def cache_put(self, kind: str, key: str, value: int) -> None:
        with self._write() as tx:
            tx.execute(_PUT_CACHE, (kind, key, int(value), self.dialect.time_in(self._now())))

    def cache_forget(self, kind: str, key: str) -> None:
        with self._write() as tx:
            tx.execute("DELETE FROM caches WHERE kind = ? AND key = ?", (kind, key))


class _MigrationTarget:
    """Lets the dialect-agnostic runner (migrations.py) drive a store's transactions."""

    def __init__(self, store: SqlStore) -> None:
        self._store = store

    def ensure_table(self) -> None:
        with self._store._write() as tx:
            self._store._prepare_migration(tx)
            tx.script(SCHEMA_MIGRATIONS_DDL)

    def applied_versions(self) -> set[int]:
        return {int(r[0]) for r in self._store._read("SELECT version FROM schema_migrations")}

    def apply(self, migration: Migration, applied_at: str) -> bool:
        with self._store._write() as tx:
            self._store._prepare_migration(tx)
            if tx.execute("SELECT 1 FROM schema_migrations WHERE version = ?", (migration.version,)).fetchone():
                return False
            if migration.sql.strip():
                self._store._run_migration(tx, migration.sql)
            tx.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, applied_at),
            )
        return True
