"""The SQLite store: the default, a single file in the user's data folder.

The cron `kaspi-amo poll` and the tray app may use the same file at the same time, so:
WAL journal (readers never block the writer), a busy timeout for short write contention,
every write in a short `BEGIN IMMEDIATE` transaction, and the run lock kept as a lease row
in the database file itself so it works across processes.

Threads: one connection per thread (created on first use, closed by `close()` or when its
thread has ended). The GUI thread can read while the worker thread writes or waits on the
busy timeout, without a Python lock serialising them; SQLite does the locking.

The file holds buyer names and masked phones, so it and its folder are private to the user
(0600/0700 where the platform has POSIX permissions).
"""

from __future__ import annotations

import logging
import os
import socket
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from app.clock import utc_now
from app.errors import RunLockLost, StoreCorruptError, StoreError, StoreLockedError
from app.procs import pid_alive
from app.store import sqlite_file as files
from app.store.actions import ActionQueueMixin
from app.store.connections import ThreadConnections
from app.store.deadlines import DeadlineStoreMixin
from app.store.sql import (
    SQLITE,
    SqlStore,
    Tx,
    iso_text_time,
    run_lock_held_error,
    run_lock_lost_error,
    upsert,
)

log = logging.getLogger(__name__)

RUN_LOCK_NAME = "run"
_LOCK_POLL_SECONDS = 0.1
_TAKE_LEASE = upsert("run_lock", ("name", "owner", "token", "pid", "host", "acquired_at", "renewed_at", "expires_at",
                                  "beat", "ttl_seconds", "seen_beat", "seen_clock", "seen_at"), ("name",))


def machine_clock_id() -> str:
    """Names this machine's monotonic clock, which starts again at boot: readings carrying the
    same id can be compared, whichever process took them."""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
    except OSError:  # not Linux: the boot time to the minute (a change only restarts the timing)
        boot = str(round((time.time() - time.monotonic()) / 60))
    return f"{socket.gethostname()}/{boot}"


def split_sql_script(script: str) -> list[str]:
    """Split a script into statements (string- and trigger-aware via complete_statement),
    so a migration can run statement by statement inside one explicit transaction."""
    statements: list[str] = []
    buf = ""
    pieces = script.split(";")
    for i, piece in enumerate(pieces):
        buf += piece
        if i < len(pieces) - 1:
            buf += ";"
            if sqlite3.complete_statement(buf):
                statements.append(buf.strip())
                buf = ""
    if buf.strip():
        statements.append(buf.strip())
    return statements


@dataclass(frozen=True)
class _Holder:
    """The lease row as another run sees it."""

    owner: str
    pid: int | None
    host: str | None
    acquired_at: str
    renewed_at: str
    token: str
    beat: int
    ttl_seconds: float
    seen_beat: int | None
    seen_clock: str | None
    seen_at: float | None


@dataclass
class _Lease:
    token: str
    owner: str
    ttl: float
    lost: bool = False
    stop: threading.Event = field(default_factory=threading.Event)


class SqliteStore(ActionQueueMixin, DeadlineStoreMixin, SqlStore):
    """`Store` over one SQLite file; safe for several threads and several processes."""

    dialect = SQLITE

    def __init__(
        self,
        path: str | Path,
        *,
        now: Callable[[], datetime] = utc_now,
        busy_timeout: float = 10.0,
        monotonic: Callable[[], float] = time.monotonic,
        clock_id: str | None = None,
    ) -> None:
        raw = str(path)
        if not raw or raw == ":memory:" or raw.startswith("file:"):
            raise StoreError(f"Для базы SQLite нужен путь к файлу, а не «{raw}».")
        self.path = Path(raw).expanduser()
        self.busy_timeout = float(busy_timeout)
        self._now_fn = now
        self._monotonic = monotonic  # times a silent lease; `clock_id` names it (tests inject both)
        self._clock_id = clock_id or machine_clock_id()
        self._connections: ThreadConnections[sqlite3.Connection] = ThreadConnections(
            self._connect,
            closed_error=lambda: StoreError(f"База данных {self.path} уже закрыта."),
            close_errors=(sqlite3.Error,),
            where=str(self.path),
        )
        self._leases: dict[str, _Lease] = {}
        self._leases_lock = threading.Lock()
        self._damaged = False  # a query met a damaged page: the next migrate() repairs the file
        files.prepare_files(self.path)
        self._conn()  # open now: a bad file fails here with a clear message
        files.tighten_permissions(self.path)

    # --- plumbing ------------------------------------------------------------------------

    def _translate_error(self, exc: sqlite3.Error) -> StoreError:
        name = getattr(exc, "sqlite_errorname", None) or ""
        detail = f"{type(exc).__name__}: {exc} ({name or 'no code'})"
        if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in str(exc):
            return StoreLockedError(
                f"База данных {self.path} занята другим процессом дольше {self.busy_timeout:g} с. "
                "Повторите позже; если это повторяется, проверьте, не запущена ли программа дважды.",
                detail=detail,
            )
        if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
            self._damaged = True
            files.mark_damaged(self.path, detail)
            return StoreCorruptError(
                f"Файл {self.path} не является базой данных программы или повреждён. Следующий запуск "
                "сохранит его копию рядом (*.corrupt-…) и восстановит базу из того, что удастся "
                "прочитать; сделки, уже созданные в amoCRM, будут подхвачены, а не созданы заново.",
                detail=detail,
            )
        if name.startswith(("SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_READONLY", "SQLITE_AUTH")):
            return StoreError(
                f"Нет доступа к базе данных {self.path}: файл или папка недоступны для записи.",
                detail=detail,
            )
        if name.startswith("SQLITE_FULL"):
            return StoreError(f"Нет места на диске для базы данных {self.path}.", detail=detail)
        if name.startswith("SQLITE_IOERR"):
            return StoreError(f"Ошибка чтения или записи файла базы данных {self.path}.", detail=detail)
        if isinstance(exc, sqlite3.ProgrammingError) and "closed" in str(exc).lower():
            return StoreError(f"База данных {self.path} уже закрыта.", detail=detail)
        return StoreError(f"Ошибка базы данных {self.path}: {exc}", detail=detail)

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Turn raw sqlite3 errors into StoreError/StoreLockedError naming the file."""
        try:
            yield
        except sqlite3.Error as exc:
            raise self._translate_error(exc) from exc

    def _connect(self) -> sqlite3.Connection:
        with self._errors():
            # isolation_level=None: we issue BEGIN/COMMIT ourselves; check_same_thread=False
            # only so close() can close other threads' connections (each is used by one).
            conn = sqlite3.connect(
                str(self.path), timeout=self.busy_timeout, isolation_level=None, check_same_thread=False
            )
            try:
                conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if str(mode).lower() != "wal":
                    log.warning("SQLite at %s stays in %s journal mode (WAL unavailable)", self.path, mode)
                conn.execute("PRAGMA foreign_keys = ON")
            except BaseException:
                conn.close()
                raise
        return conn

    def _conn(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use."""
        return self._connections.get()

    def _where(self) -> str:
        return str(self.path)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One short write transaction; BEGIN IMMEDIATE takes the write lock up front so
        two processes never deadlock upgrading read locks."""
        conn = self._conn()
        with self._errors():
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    try:
                        conn.execute("ROLLBACK")
                    except sqlite3.Error:  # pragma: no cover - nothing better to do
                        log.exception("rollback failed on %s", self.path)
                raise

    def _fetch(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        conn = self._conn()
        with self._errors():
            return conn.execute(sql, params).fetchall()

    def _run_migration(self, tx: Tx, sql: str) -> None:
        for statement in split_sql_script(sql):
            tx.script(statement)

    # --- lifecycle -----------------------------------------------------------------------

    def migrate(self) -> int:
        """Apply pending migrations; safe to call on every start and from two processes. A file
        a query found damaged (in this process or, by its mark, another) is repaired first."""
        if self._damaged or files.marked_damaged(self.path):
            self._repair()
        count = super().migrate()
        files.tighten_permissions(self.path)
        return count

    def _repair(self) -> None:
        """Keep a copy of the damaged file, rebuild it from every row that can still be read and
        write the result over it with SQLite's backup (see app.store.sqlite_file). Not while a
        live run holds the lease: that run meets the damage too and repairs after itself."""
        if files.intact(self.path):
            self._damaged = False
            files.clear_damaged(self.path)
            return
        try:
            holder = self._try_acquire(_Lease(token=uuid.uuid4().hex, owner="repair", ttl=600.0))
        except StoreError:
            holder = None  # the lock's own pages may be the damaged ones: nothing can run on it anyway
        if holder is not None:
            log.warning("damaged database %s: repaired once %s has finished", self.path, holder.owner)
            return
        aside, found = files.copy_aside(self.path, self._now()), files.salvage(self.path)
        with self._errors():
            files.rebuild_over(self.path, self._conn(), found, create=_new_database)
        self._damaged = False
        files.clear_damaged(self.path)
        log.error("database file was damaged: a copy kept aside, rebuilt from what could be read",
                  extra={"path": str(self.path), "aside": str(aside), "orders_kept": found.rows("orders"),
                         "unreadable_tables": found.unreadable})

    def close(self) -> None:
        """Stop lease renewers and close every thread's connection."""
        with self._leases_lock:
            for lease in self._leases.values():
                lease.stop.set()
        self._connections.close_all()

    def __repr__(self) -> str:
        return f"SqliteStore({str(self.path)!r})"

    # --- run lock ------------------------------------------------------------------------

    @contextmanager
    def run_lock(self, owner: str, *, wait_seconds: float = 0.0, ttl_seconds: float = 600.0) -> Iterator[None]:
        """Hold the run lease for the block (across processes: it is a row in the file).

        Waits up to `wait_seconds` for a live holder, then raises StoreLockedError. While held,
        a background thread renews the lease every ttl/3 by counting up its `beat`. A lease is
        taken over when its holder's process on this machine is gone, or when its beat has not
        moved for its ttl as timed by the takers' monotonic clock (observations are kept in the
        row, so cron polls minutes apart time it together): no wall clock decides, so a clock
        set wrong, or a lease row aged by hand, never hands a live run's lease to another. A run
        whose lease was taken over (it was stopped or hung) finds out at its next write or
        fence (RunLockLost). Released on exit, also when the block raises.
        """
        if ttl_seconds <= 0:
            raise ValueError("ttl_seconds must be positive")
        lease = _Lease(token=uuid.uuid4().hex, owner=owner, ttl=float(ttl_seconds))
        deadline = time.monotonic() + max(0.0, wait_seconds)
        while True:
            try:
                holder = self._try_acquire(lease)
            except StoreLockedError:  # the file itself is busy; keep waiting like for a lease
                if time.monotonic() >= deadline:
                    raise
                holder = None
            else:
                if holder is None:
                    break
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                assert holder is not None
                raise run_lock_held_error(
                    holder.owner, f"pid {holder.pid} on {holder.host}, since {holder.acquired_at}, "
                    f"renewed {holder.renewed_at}, database {self.path}")
            time.sleep(min(_LOCK_POLL_SECONDS, remaining))

        with self._leases_lock:
            self._leases[lease.token] = lease
        renewer = threading.Thread(
            target=self._renew_loop, args=(lease,), name=f"run-lock-renew[{owner}]", daemon=True
        )
        renewer.start()
        try:
            yield
        finally:
            lease.stop.set()
            renewer.join()
            with self._leases_lock:
                self._leases.pop(lease.token, None)
            self._release(lease)

    def _try_acquire(self, lease: _Lease) -> _Holder | None:
        """Take the lease atomically; returns the live holder when it is not ours to take."""
        with self._write(fenced=False) as tx:
            row = tx.execute(f"SELECT {', '.join(f.name for f in fields(_Holder))} FROM run_lock WHERE name = ?",
                             (RUN_LOCK_NAME,)).fetchone()
            if row is not None:
                holder = _Holder(*row)
                why = self._takeover_reason(holder)
                if why is None:
                    if holder.seen_clock != self._clock_id or holder.seen_beat != holder.beat:
                        tx.execute("UPDATE run_lock SET seen_beat = ?, seen_clock = ?, seen_at = ? "
                                   "WHERE name = ? AND token = ?",
                                   (holder.beat, self._clock_id, self._monotonic(), RUN_LOCK_NAME, holder.token))
                    return holder
                log.warning("taking over the run lock of %s (pid %s on %s): %s",
                            holder.owner, holder.pid, holder.host, why)
            now = self._now()
            tx.execute(_TAKE_LEASE, (RUN_LOCK_NAME, lease.owner, lease.token, os.getpid(), socket.gethostname(),
                                     iso_text_time(now), iso_text_time(now),
                                     iso_text_time(now + timedelta(seconds=lease.ttl)), 0, lease.ttl, None, None, None))
        return None

    def _takeover_reason(self, holder: _Holder) -> str | None:
        """Why `holder` has no claim any more (None: it is, or may be, alive)."""
        if holder.host == socket.gethostname() and isinstance(holder.pid, int) and not pid_alive(holder.pid):
            return "its process is gone"  # killed or crashed: don't make the next poll wait out the lease
        if (holder.seen_clock == self._clock_id and holder.seen_beat == holder.beat
                and holder.seen_at is not None and self._monotonic() - float(holder.seen_at) >= float(holder.ttl_seconds)):
            return f"no renewal for {float(holder.ttl_seconds):g} s"
        return None

    def _renew_one(self, lease: _Lease) -> None:
        now = self._now()
        with self._write(fenced=False) as tx:
            cur = tx.execute(
                "UPDATE run_lock SET beat = beat + 1, renewed_at = ?, expires_at = ? WHERE name = ? AND token = ?",
                (iso_text_time(now), iso_text_time(now + timedelta(seconds=lease.ttl)), RUN_LOCK_NAME, lease.token),
            )
            if cur.rowcount == 0:
                lease.lost = True
        if lease.lost:
            raise self._lost(lease)

    def _check_fence(self, tx: Tx) -> None:
        with self._leases_lock:
            leases = list(self._leases.values())
        for lease in leases:
            if not lease.lost:
                row = tx.execute("SELECT token FROM run_lock WHERE name = ?", (RUN_LOCK_NAME,)).fetchone()
                lease.lost = row is None or row[0] != lease.token
            if lease.lost:
                raise self._lost(lease)

    def _lost(self, lease: _Lease) -> RunLockLost:
        return run_lock_lost_error(
            lease.owner, f"этот запуск не продлевал блокировку дольше {lease.ttl:g} с: был приостановлен или завис",
            f"database {self.path}")

    def renew_lock(self) -> None:
        """Renew every lease this store holds now; raises RunLockLost when one was taken over
        meanwhile (this run must stop)."""
        with self._leases_lock:
            leases = list(self._leases.values())
        for lease in leases:
            self._renew_one(lease)

    def _renew_loop(self, lease: _Lease) -> None:
        interval = max(lease.ttl / 3.0, 0.05)
        try:
            while not lease.stop.wait(interval):
                try:
                    self._renew_one(lease)
                except RunLockLost:
                    log.error("run lock of %s on %s was taken over by another run", lease.owner, self.path)
                    return
                except StoreLockedError:
                    log.warning("could not renew the run lock on %s (database busy); will retry", self.path)
                except StoreError:
                    log.warning("could not renew the run lock on %s", self.path, exc_info=True)
        finally:
            self._connections.drop_current()

    def _release(self, lease: _Lease) -> None:
        """Best effort: an unreleased lease only delays the next run until it is taken over."""
        try:
            with self._write(fenced=False) as tx:
                tx.execute("DELETE FROM run_lock WHERE name = ? AND token = ?", (RUN_LOCK_NAME, lease.token))
        except StoreError:
            log.warning("could not release the run lock on %s", self.path, exc_info=True)
        if lease.lost:
            log.warning("run lock of %s on %s had been taken over before release", lease.owner, self.path)


def _new_database(path: Path) -> None:
    """A new, migrated store file at `path` (what a repair copies the readable rows into)."""
    with SqliteStore(path) as store:
        store.migrate()
