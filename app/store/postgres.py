"""The PostgreSQL store: for admins who keep the state on a server (several machines, backups).

Same behaviour as the SQLite store, with the server doing the locking:

* Threads: one connection per thread (opened on first use, closed by `close()` or once its
  thread has ended), in autocommit mode with an explicit short transaction per write. The
  GUI thread reads while the worker writes without a Python lock serialising them; a pool
  would add a dependency and nothing the per-thread connections do not already give.
* The run lock is a session-level advisory lock held on a dedicated connection for the
  whole block, so it works across processes *and machines*. When the holder's process
  dies, its session ends and the server releases the lock by itself: there is no lease to
  expire, and `ttl_seconds` only tunes how fast the server notices a machine that vanished
  without closing its socket (TCP keepalives ≈ ttl) and how often the holder pings its
  session. A `run_lock` row (owner, pid, host, session) is informational: it names the
  holder in the "already running" message. Advisory locks need session pooling, so point
  DATABASE_URL at the server or at a pooler in session mode, not transaction mode.
* The lock key is derived from a constant and the current schema, so several shops can
  share one database, each in its own schema (`?options=-csearch_path%3Dshop1`), without
  blocking each other.
* Instants are `timestamptz` and every session runs with TimeZone UTC; datetimes go in
  and come out aware UTC, naive ones are refused.
* Errors become StoreError/StoreLockedError naming the host and database, never the
  password; waiting longer than `lock_timeout` for a row or table lock is StoreLockedError.
"""

from __future__ import annotations

import logging
import math
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from app.clock import utc_now
from app.errors import RunLockLost, StoreConfigError, StoreError, StoreLockedError
from app.procs import pid_alive
from app.store.actions import ActionQueueMixin
from app.store.connections import ThreadConnections
from app.store.deadlines import DeadlineStoreMixin
from app.store.pg_target import PostgresTarget, connect_error, normalise_url, redact
from app.store.sql import POSTGRES, SqlStore, Tx, run_lock_held_error, run_lock_lost_error, upsert
from app.store.sql import Connection as SqlConnection

try:  # optional dependency: pip install kaspi-amo-sync[postgres]
    import psycopg
    from psycopg.conninfo import conninfo_to_dict
except ImportError:  # pragma: no cover - exercised only without the extra
    psycopg = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from psycopg import Connection

log = logging.getLogger(__name__)

RUN_LOCK_NAME = "run"
#: Advisory lock keys are (hashtext(constant) << 32) | oid of the current schema.
RUN_LOCK_KEY = "kaspi-amo-run-lock"
MIGRATE_LOCK_KEY = "kaspi-amo-migrate"
#: A run taking over from a holder that may still be running waits this long first: the amoCRM
#: client's connect + read timeout (10 + 30 s) and a margin, so that holder's last write is
#: applied or abandoned before this run looks for what exists.
TAKEOVER_GRACE_SECONDS = 45.0
_TAKE_LOCK = upsert("run_lock", ("name", "owner", "token", "pid", "host", "backend_pid", "backend_start",
                                 "acquired_at", "renewed_at"), ("name",))
#: The fence: our row, and our lock session (pid and start: pids are reused) holding the lock.
_FENCE = (
    "SELECT 1 FROM run_lock r WHERE r.name = ? AND r.token = ? "
    "AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = r.backend_pid AND l.locktype = 'advisory' "
    "AND l.granted AND l.objsubid = 1 AND l.classid = ?::bigint::oid AND l.objid = ?::bigint::oid "
    "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())) "
    "AND EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = r.backend_pid "
    "AND a.backend_start = r.backend_start) FOR SHARE OF r"
)
APPLICATION_NAME = "kaspi-amo-sync"
_LOCK_POLL_SECONDS = 0.1

@dataclass
class _Hold:
    """One held run lock: its own session, which owns the advisory lock."""

    token: str
    owner: str
    ttl: float
    key: int
    conn: Connection[Any]
    lost: bool = False
    stop: threading.Event = field(default_factory=threading.Event)


class PostgresStore(ActionQueueMixin, DeadlineStoreMixin, SqlStore):
    """`Store` over one PostgreSQL database (and schema); safe for threads, processes and machines."""

    dialect = POSTGRES

    def __init__(
        self,
        url: str,
        *,
        now: Callable[[], datetime] = utc_now,
        connect_timeout: float = 10.0,
        lock_timeout: float = 10.0,
        takeover_grace: float = TAKEOVER_GRACE_SECONDS,
    ) -> None:
        if psycopg is None:  # only without the extra
            raise StoreConfigError(
                "Для работы с PostgreSQL нужен драйвер psycopg: установите программу с дополнением "
                "[postgres] (pip install \"kaspi-amo-sync[postgres]\") или используйте файл SQLite."
            )
        self._conninfo = normalise_url(url)
        try:
            params = conninfo_to_dict(self._conninfo)
        except psycopg.Error as exc:
            raise StoreConfigError(
                "Неверный DATABASE_URL для PostgreSQL: ожидается postgresql://пользователь:пароль@сервер:порт/база.",
                detail=redact(str(exc)),
            ) from None
        self._password = str(params.get("password") or "") or None
        self.target = PostgresTarget.from_params(params)
        self.connect_timeout = float(connect_timeout)
        self.lock_timeout = float(lock_timeout)
        self.takeover_grace = float(takeover_grace)
        self._connect_kwargs: dict[str, Any] = {"autocommit": True}
        if "connect_timeout" not in params:
            # libpq takes whole seconds and treats 1 as 2
            self._connect_kwargs["connect_timeout"] = max(2, math.ceil(self.connect_timeout))
        if "application_name" not in params:
            self._connect_kwargs["application_name"] = APPLICATION_NAME
        self._now_fn = now
        self._connections: ThreadConnections[Connection[Any]] = ThreadConnections(
            self._connect,
            closed_error=self._closed_error,
            is_open=lambda conn: not conn.closed,
            close_errors=(psycopg.Error,),
            where=str(self.target),
        )
        self._holds: dict[str, _Hold] = {}
        self._holds_lock = threading.Lock()
        self._conn()  # connect now: a wrong address, password or database fails here, clearly

    # --- plumbing ------------------------------------------------------------------------

    @property
    def _closed(self) -> bool:
        return self._connections.closed

    def _redact(self, text: str) -> str:
        return redact(text, self._password)

    def _connect_error(self, exc: Exception) -> StoreError:
        return connect_error(exc, self.target, self._redact(f"{type(exc).__name__}: {exc}"))

    def _closed_error(self) -> StoreError:
        return StoreError(f"База данных {self.target} уже закрыта.")

    def _translate_error(self, exc: Exception, conn: Connection[Any] | None = None) -> StoreError:
        state = getattr(exc, "sqlstate", None) or ""
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        detail = self._redact(f"{type(exc).__name__}: {exc} ({state or 'no code'})")
        where = self.target
        if state in ("55P03", "40P01"):  # lock_not_available (lock_timeout), deadlock_detected
            return StoreLockedError(
                f"База данных {where} занята другим процессом дольше {self.lock_timeout:g} с. "
                "Повторите позже; если это повторяется, проверьте, не запущена ли программа дважды.",
                detail=detail,
            )
        if state == "3F000":  # invalid_schema_name / no schema has been selected
            return self._no_schema_error(detail)
        if state == "42501":  # insufficient_privilege
            return StoreError(
                f"Нет прав на базу данных {where}: выдайте пользователю «{where.user}» права на её схему и таблицы.",
                detail=detail,
            )
        if state in ("53100", "53200"):  # disk_full, out_of_memory
            return StoreError(f"На сервере базы данных {where} не хватает места или памяти.", detail=detail)
        if state.startswith(("08", "57P")) or (conn is not None and conn.closed) or (
            psycopg is not None and isinstance(exc, psycopg.OperationalError) and not state
        ):
            if self._closed:
                return self._closed_error()
            return StoreError(
                f"Соединение с сервером {where} потеряно: {self._redact(first_line)}. "
                "Проверьте, что сервер работает; следующая попытка подключится заново.",
                detail=detail,
            )
        if psycopg is not None and isinstance(exc, psycopg.InterfaceError) and "closed" in str(exc).lower():
            return self._closed_error()
        return StoreError(f"Ошибка базы данных {where}: {self._redact(first_line)}", detail=detail)

    def _no_schema_error(self, detail: str | None = None) -> StoreError:
        where = self.target
        named = f"«{where.schema}» " if where.schema else ""
        return StoreConfigError(
            f"В базе данных {where} нет схемы {named}из search_path. "
            f"Создайте её (CREATE SCHEMA {where.schema or 'имя'}) или исправьте DATABASE_URL.",
            detail=detail,
        )

    @contextmanager
    def _errors(self, conn: Connection[Any] | None = None) -> Iterator[None]:
        """Turn raw psycopg errors into StoreError/StoreLockedError naming the server."""
        try:
            yield
        except Exception as exc:
            if psycopg is not None and isinstance(exc, psycopg.Error):
                raise self._translate_error(exc, conn) from None
            raise

    def _connect(self) -> Connection[Any]:
        """A new configured session (UTC, lock_timeout) in autocommit mode."""
        if self._closed:
            raise self._closed_error()
        try:
            conn = psycopg.connect(self._conninfo, **self._connect_kwargs)
        except psycopg.Error as exc:
            raise self._connect_error(exc) from None
        try:
            with self._errors(conn):
                row = conn.execute(
                    "SELECT current_schema(), set_config('TimeZone', 'UTC', false), "
                    "set_config('lock_timeout', %s, false)",
                    (f"{max(1, int(self.lock_timeout * 1000))}ms",),
                ).fetchone()
            if row is None or row[0] is None:
                raise self._no_schema_error()
        except BaseException:
            conn.close()
            raise
        return conn

    def _conn(self) -> Connection[Any]:
        """This thread's connection, opened on first use (and again after it broke)."""
        return self._connections.get()

    def _where(self) -> str:
        return str(self.target)

    @contextmanager
    def _transaction(self) -> Iterator[Connection[Any]]:
        """One short transaction on this thread's connection (committed on exit)."""
        conn = self._conn()
        with self._errors(conn), conn.transaction():
            yield conn

    def _prepare_migration(self, tx: Tx) -> None:
        """Concurrent migrators take turns: a transaction-scoped advisory lock."""
        tx.execute("SELECT pg_advisory_xact_lock(?)", (self._lock_key(tx.conn, MIGRATE_LOCK_KEY),))

    def _run_migration(self, tx: Tx, sql: str) -> None:
        tx.script(sql)  # no parameters: the whole script in one simple query

    def _fetch(self, sql: str, args: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        """Run a query; one retry on a fresh connection when the old one turns out dead
        (server restart, dropped idle connection). Reads only: a write whose connection
        broke may or may not have committed, so it is reported instead."""
        conn = self._conn()
        try:
            return conn.execute(sql, args).fetchall()
        except psycopg.Error as exc:
            if not conn.closed or self._closed:
                raise self._translate_error(exc, conn) from None
            log.info("connection to %s was lost; reconnecting", self.target)
        conn = self._conn()
        with self._errors(conn):
            return conn.execute(sql, args).fetchall()

    def _lock_key(self, conn: SqlConnection, name: str) -> int:
        """An advisory lock key for `name` in the current schema (shops sharing a database
        in separate schemas never block each other; the schema oid never collides)."""
        row = conn.execute(
            "SELECT (hashtext(%s)::bigint << 32) | n.oid::bigint FROM pg_namespace n "
            "WHERE n.nspname = current_schema()",
            (name,),
        ).fetchone()
        if row is None:
            raise self._no_schema_error()
        return int(row[0])

    # --- lifecycle -----------------------------------------------------------------------

    def close(self) -> None:
        """Close every thread's connection and every run-lock session (which frees the locks)."""
        self._connections.shut()
        with self._holds_lock:
            holds = list(self._holds.values())
        for hold in holds:
            hold.stop.set()
            hold.conn.close()
        self._connections.close_all()

    def __repr__(self) -> str:
        return f"PostgresStore({str(self.target)!r})"

    # --- run lock ------------------------------------------------------------------------

    @contextmanager
    def run_lock(self, owner: str, *, wait_seconds: float = 0.0, ttl_seconds: float = 600.0) -> Iterator[None]:
        """Hold the store's run lock for the block, across processes and machines.

        A session advisory lock on a dedicated connection: polls up to `wait_seconds` for a
        live holder, then raises StoreLockedError naming it. A crashed holder's session ends
        and the server frees the lock, so nothing expires by the clock: `ttl_seconds` sets the
        server's TCP keepalive on the lock session (a vanished machine is noticed after about
        ttl) and the holder pings its session every ttl/3. Every write under the lock checks
        in its transaction that the lock session still holds the lock (the fence), so a run
        whose session was killed stops at its next write (RunLockLost). A run that takes over
        from a holder that may still be alive waits `takeover_grace` first, so the write that
        holder had in flight is answered before this run looks at amoCRM.
        """
        if ttl_seconds <= 0:
            raise ValueError("ttl_seconds must be positive")
        session = self._connect()
        try:
            with self._errors(session):
                self._tune_lock_session(session, ttl_seconds)
                key = self._lock_key(session, RUN_LOCK_KEY)
                deadline = time.monotonic() + max(0.0, wait_seconds)
                while not _scalar(session.execute("SELECT pg_try_advisory_lock(%s)", (key,))):
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise self._held_error(session, key)
                    time.sleep(min(_LOCK_POLL_SECONDS, remaining))
                hold = _Hold(token=uuid.uuid4().hex, owner=owner, ttl=float(ttl_seconds), key=key, conn=session)
                previous = session.execute("SELECT owner, pid, host FROM run_lock WHERE name = %s",
                                           (RUN_LOCK_NAME,)).fetchone()
                backend = session.execute("SELECT pid, backend_start FROM pg_stat_activity "
                                          "WHERE pid = pg_backend_pid()").fetchone() or (None, None)
                now = self._now()
                session.execute(POSTGRES.sql(_TAKE_LOCK), (RUN_LOCK_NAME, owner, hold.token, os.getpid(),
                                                           socket.gethostname(), *backend, now, now))
        except BaseException:
            session.close()  # frees the advisory lock if we got it
            raise

        with self._holds_lock:
            self._holds[hold.token] = hold
        keeper = threading.Thread(target=self._keep_loop, args=(hold,), name=f"run-lock-ping[{owner}]", daemon=True)
        keeper.start()
        try:
            if previous is not None and not (previous[2] == socket.gethostname() and isinstance(previous[1], int)
                                             and not pid_alive(previous[1])):
                # the holder ended without releasing (its session was cut) and may still be running
                log.warning("run lock of %s (pid %s on %s) ended without release; waiting %g s for its last "
                            "write", previous[0], previous[1], previous[2], self.takeover_grace)
                hold.stop.wait(self.takeover_grace)
            yield
        finally:
            hold.stop.set()
            keeper.join()
            with self._holds_lock:
                self._holds.pop(hold.token, None)
            self._release(hold)

    def _check_fence(self, tx: Tx) -> None:
        with self._holds_lock:
            holds = list(self._holds.values())
        for hold in holds:
            if not hold.lost:
                row = tx.execute(_FENCE, (RUN_LOCK_NAME, hold.token, (hold.key >> 32) & 0xFFFFFFFF,
                                          hold.key & 0xFFFFFFFF)).fetchone()
                hold.lost = row is None
            if hold.lost:
                raise self._lost(hold)

    def _lost(self, hold: _Hold) -> RunLockLost:
        return run_lock_lost_error(
            hold.owner, "соединение этого запуска с сервером, державшее блокировку, было закрыто",
            f"database {self.target}")

    @staticmethod
    def _tune_lock_session(session: Connection[Any], ttl: float) -> None:
        """Server-side TCP keepalives so a vanished machine's lock is freed after ≈ ttl, and
        no idle_session_timeout (PostgreSQL 14+) cutting a long, quiet run's session."""
        probe = str(min(3600, max(1, int(ttl / 4))))
        session.execute(
            "SELECT set_config('tcp_keepalives_idle', %s, false), "
            "set_config('tcp_keepalives_interval', %s, false), set_config('tcp_keepalives_count', '3', false)",
            (probe, probe),
        )
        if session.info.server_version >= 140000:
            session.execute("SELECT set_config('idle_session_timeout', '0', false)")

    def _held_error(self, session: Connection[Any], key: int) -> StoreLockedError:
        """Name the live holder: the run_lock row written by the session holding the lock.

        The holder writes its row just after taking the lock, so a loser that looks in
        that instant finds no row yet: look again for a moment before saying "unknown"."""
        for _ in range(10):
            error, named = self._held_error_once(session, key)
            if named:
                return error
            time.sleep(0.05)
        return error

    def _held_error_once(self, session: Connection[Any], key: int) -> tuple[StoreLockedError, bool]:
        row = session.execute(
            "SELECT r.owner, r.pid, r.host, r.acquired_at, l.pid FROM pg_locks l "
            "LEFT JOIN run_lock r ON r.name = %s AND r.backend_pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
            "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND l.classid = %s::bigint::oid AND l.objid = %s::bigint::oid",
            (RUN_LOCK_NAME, (key >> 32) & 0xFFFFFFFF, key & 0xFFFFFFFF),
        ).fetchone()
        owner, pid, host, acquired_at, backend_pid = row if row else (None, None, None, None, None)
        error = run_lock_held_error(
            owner or "неизвестен",
            f"pid {pid} on {host}, since {acquired_at}, server session {backend_pid}, database {self.target}",
        )
        return error, owner is not None

    def _ping(self, hold: _Hold) -> None:
        """Touch the holder row on the lock session; a dead session means the lock is gone."""
        try:
            hold.conn.execute(
                "UPDATE run_lock SET renewed_at = %s WHERE name = %s AND token = %s",
                (self._now(), RUN_LOCK_NAME, hold.token),
            )
        except psycopg.Error as exc:
            if not hold.conn.closed:
                raise self._translate_error(exc, hold.conn) from None
            hold.lost = True
        if hold.lost or hold.conn.closed:
            hold.lost = True
            raise self._lost(hold)

    def renew_lock(self) -> None:
        """Check every run lock this store holds is still held (its session alive); raises
        RunLockLost when one was lost meanwhile (this run must stop)."""
        with self._holds_lock:
            holds = list(self._holds.values())
        for hold in holds:
            self._ping(hold)

    def _keep_loop(self, hold: _Hold) -> None:
        interval = max(hold.ttl / 3.0, 0.05)
        while not hold.stop.wait(interval):
            try:
                self._ping(hold)
            except RunLockLost:
                log.error("run lock of %s on %s was lost with its session", hold.owner, self.target)
                return
            except StoreError:
                log.warning("could not ping the run lock session on %s", self.target, exc_info=True)

    def _release(self, hold: _Hold) -> None:
        """Best effort: closing the session frees the advisory lock whatever happens here."""
        try:
            if not hold.lost and not hold.conn.closed:
                hold.conn.execute("DELETE FROM run_lock WHERE name = %s AND token = %s", (RUN_LOCK_NAME, hold.token))
                hold.conn.execute("SELECT pg_advisory_unlock(%s)", (hold.key,))
        except psycopg.Error:
            log.warning("could not clear the run lock row on %s; the lock is freed anyway", self.target, exc_info=True)
        finally:
            hold.conn.close()
        if hold.lost:
            log.warning("run lock of %s on %s had been lost before release", hold.owner, self.target)


def _scalar(cursor: Any) -> Any:
    """The first column of a one-row result (None when there is no row)."""
    row = cursor.fetchone()
    return None if row is None else row[0]
