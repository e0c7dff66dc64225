"""The SQLite store's file itself: made private, kept private, and rebuilt when damaged.

A damaged file is kept for support as `*.corrupt-<UTC time>` (with its -wal). A damaged header
fails at open and the factory renames the file away. Damaged pages inside (a disk error, a
power cut on a disk that lies about flushing) open fine and fail only the queries that reach
them: the store marks the file (`<db>-damaged`) at the first such error and repairs it at the
start of the next cycle, in this or another process: `PRAGMA quick_check`, a copy aside, every
row that can still be read (a table whole, else row by row around the damaged pages) into a new
database, which SQLite's backup then writes over the damaged one. Same file, so other processes'
connections simply see the new content (renaming a WAL database under open connections can
corrupt the new one). Meta (watermark, fresh-store switch) is not copied: the next poll works as
on a new store, re-reading the lookback window and adopting the `Kaspi #…` deals amoCRM has, so
an order whose row was lost is neither lost nor created twice.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from app.errors import StoreError

log = logging.getLogger(__name__)

DAMAGED_SUFFIX = "-damaged"
#: Not copied into a rebuilt file: the new file migrates its own, a lease belongs to the old
#: file, and run state (meta) would describe orders the new file may not have.
NOT_SALVAGED = frozenset({"schema_migrations", "run_lock", "meta"})
_CHUNK = 200
_MAX_MISSES = 100_000  # rowids tried one by one past damaged pages before a table is given up


def prepare_files(path: Path) -> None:
    """Create missing folders as 0700 and the file as 0600 before SQLite touches it."""
    if path.is_dir():
        raise StoreError(f"Путь к базе данных {path} указывает на папку, а не на файл.")
    missing: list[Path] = []
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        missing.append(parent)
        parent = parent.parent
    try:
        for folder in reversed(missing):
            folder.mkdir(mode=0o700, exist_ok=True)
            if os.name != "nt":
                os.chmod(folder, 0o700)
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
            os.close(fd)
    except OSError as exc:
        raise StoreError(
            f"Не удалось создать базу данных {path}: {exc.strerror or exc}. Проверьте путь и права на папку.",
            detail=repr(exc),
        ) from exc


def tighten_permissions(path: Path) -> None:
    """0600 on the database and its -wal/-shm companions (SQLite copies the main file's mode,
    but a file made by an older build or by hand may be looser)."""
    if os.name == "nt":
        return
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            if candidate.exists() and candidate.stat().st_mode & 0o077:
                os.chmod(candidate, 0o600)
        except OSError as exc:  # e.g. a shared file owned by someone else
            log.warning("cannot restrict permissions of %s: %s", candidate, exc)


def set_aside(path: Path, when: datetime) -> Path:
    """Rename a damaged database (and its WAL/SHM files) out of the way; returns the new name."""
    aside = _aside_name(path, when)
    os.replace(path, aside)
    for suffix in ("-wal", "-shm"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            os.replace(extra, aside.with_name(aside.name + suffix))
    clear_damaged(path)
    return aside


def copy_aside(path: Path, when: datetime) -> Path:
    """Copy a damaged database (and its WAL) for support; the file itself stays in place."""
    aside = _aside_name(path, when)
    shutil.copy2(path, aside)
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        shutil.copy2(wal, aside.with_name(aside.name + "-wal"))
    return aside


def _aside_name(path: Path, when: datetime) -> Path:
    """`<db>.corrupt-<UTC time>`, numbered when that name is taken (two repairs in one second)."""
    base = f"{path.name}.corrupt-{when.strftime('%Y%m%dT%H%M%SZ')}"
    aside, n = path.with_name(base), 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"{base}-{n}")
    return aside


def _marker(path: Path) -> Path:
    return path.with_name(path.name + DAMAGED_SUFFIX)


def mark_damaged(path: Path, detail: str) -> None:
    """Remember, also for the next process, that a query met a damaged page (best effort)."""
    try:
        fd = os.open(_marker(path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(detail)
    except OSError:
        log.warning("cannot mark %s as damaged", path, exc_info=True)


def marked_damaged(path: Path) -> bool:
    return _marker(path).exists()


def clear_damaged(path: Path) -> None:
    try:
        _marker(path).unlink(missing_ok=True)
    except OSError:
        log.warning("cannot clear the damaged mark of %s", path, exc_info=True)


def intact(path: Path) -> bool:
    """Whether `PRAGMA quick_check` finds the file sound (a file it cannot even read is not)."""
    try:
        with _reader(path) as conn:
            return [tuple(r) for r in conn.execute("PRAGMA quick_check").fetchall()] == [("ok",)]
    except sqlite3.DatabaseError:
        return False


@dataclass
class Salvage:
    """What could be read from a damaged file: per table, its columns and readable rows."""

    tables: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)  # tables given up entirely

    def rows(self, table: str) -> int:
        return len(self.tables.get(table, ([], []))[1])


def salvage(path: Path) -> Salvage:
    """Every readable row of every table worth keeping (see NOT_SALVAGED)."""
    found = Salvage()
    try:
        with _reader(path) as conn:
            names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            for name in names:
                if name in NOT_SALVAGED or name.startswith("sqlite_"):
                    continue
                try:
                    columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{name}")')]
                    found.tables[name] = (columns, _readable_rows(conn, name, columns))
                except sqlite3.DatabaseError:
                    found.unreadable.append(name)
    except sqlite3.DatabaseError:
        log.exception("the damaged database's table list is unreadable: nothing could be copied")
    return found


def _readable_rows(conn: sqlite3.Connection, table: str, columns: list[str]) -> list[tuple[Any, ...]]:
    """The whole table when it reads; else forward by rowid in chunks, stepping one rowid at a
    time (a lookup walks from the root on its own) past the stretches that fail."""
    cols = ", ".join(f'"{c}"' for c in columns)
    try:
        return [tuple(r) for r in conn.execute(f'SELECT {cols} FROM "{table}"').fetchall()]
    except sqlite3.DatabaseError:
        log.warning("table %s is damaged: copying what can be read row by row", table)
    rows: list[tuple[Any, ...]] = []
    last, misses = 0, 0
    while misses < _MAX_MISSES:
        try:
            chunk = conn.execute(f'SELECT rowid, {cols} FROM "{table}" WHERE rowid > ? ORDER BY rowid LIMIT ?',
                                 (last, _CHUNK)).fetchall()
        except sqlite3.DatabaseError:
            chunk = []
            while misses < _MAX_MISSES and not chunk:  # past the damaged stretch, one rowid at a time
                last, misses = last + 1, misses + 1
                try:
                    chunk = conn.execute(f'SELECT rowid, {cols} FROM "{table}" WHERE rowid = ?', (last,)).fetchall()
                except sqlite3.DatabaseError:
                    chunk = []
            if chunk:
                rows.append(tuple(chunk[0][1:]))
                misses = 0
            continue
        if not chunk:
            break
        rows += [tuple(r[1:]) for r in chunk]
        last, misses = int(chunk[-1][0]), 0
    return rows


def restore(conn: sqlite3.Connection, found: Salvage) -> None:
    """Copy the salvaged rows into a migrated file, inside the caller's transaction; columns the
    new schema lacks are dropped, rows it refuses (a duplicate key) are skipped."""
    for table, (columns, rows) in found.tables.items():
        present = {r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')}
        keep = [i for i, c in enumerate(columns) if c in present]
        if not present or not keep or not rows:
            continue
        names = ", ".join(f'"{columns[i]}"' for i in keep)
        marks = ", ".join("?" * len(keep))
        conn.executemany(f'INSERT OR IGNORE INTO "{table}" ({names}) VALUES ({marks})',
                         [tuple(row[i] for i in keep) for row in rows])


def rebuild_over(path: Path, target: sqlite3.Connection, found: Salvage,
                 create: Callable[[Path], None]) -> None:
    """Write a new database, made by `create` and filled with the salvaged rows, over the damaged
    file at `path` through `target` (a connection to it) with SQLite's backup: the same file, so
    every open connection, in any process, sees the new content at its next transaction."""
    fresh = path.with_name(f"{path.name}.rebuild")
    for leftover in (fresh, Path(f"{fresh}-wal"), Path(f"{fresh}-shm")):
        leftover.unlink(missing_ok=True)
    create(fresh)
    with closing(sqlite3.connect(str(fresh), isolation_level=None)) as source:
        source.execute("BEGIN IMMEDIATE")
        restore(source, found)
        source.execute("COMMIT")
        source.backup(target)
    for leftover in (fresh, Path(f"{fresh}-wal"), Path(f"{fresh}-shm")):
        leftover.unlink(missing_ok=True)


def _reader(path: Path) -> closing[sqlite3.Connection]:
    """A short-lived connection that closes on exit (sqlite3's own context manager only ends a
    transaction); it only reads."""
    return closing(sqlite3.connect(str(path), timeout=10.0))
