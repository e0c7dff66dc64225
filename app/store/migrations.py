"""A tiny runner for numbered plain-SQL migrations, shared by every store dialect.

Migrations are package data (`app/store/migrations/<dialect>/NNN_name.sql`), read with
importlib.resources so they also work from a wheel or a frozen app. Each file is applied in
its own transaction together with its row in `schema_migrations`, so a failed migration
leaves the database as it was and the next run retries it. The runner knows nothing about
the database driver: a dialect supplies a `MigrationTarget` that can create the tracking
table, list applied versions and apply one script atomically.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Protocol

from app.clock import utc_now
from app.errors import StoreError, StoreLockedError

#: `001_initial.sql` → version 1, name "initial".
MIGRATION_FILE_RE = re.compile(r"^(\d+)_([A-Za-z0-9_\-]+)\.sql$")

#: DDL for the tracking table; portable between SQLite and PostgreSQL.
SCHEMA_MIGRATIONS_DDL = (
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
)


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def label(self) -> str:
        return f"{self.version:03d}_{self.name}"


class MigrationTarget(Protocol):
    """What a dialect must offer the runner (a thin adapter over its connection)."""

    def ensure_table(self) -> None:
        """Create `schema_migrations` if it is missing (SCHEMA_MIGRATIONS_DDL)."""

    def applied_versions(self) -> set[int]: ...

    def apply(self, migration: Migration, applied_at: str) -> bool:
        """Run the script and record it in one transaction. Returns False when the version
        turned out to be applied already (another process won the race)."""


def migrations_root(dialect: str) -> Traversable:
    """The packaged folder holding `dialect`'s migrations."""
    return resources.files("app.store").joinpath("migrations").joinpath(dialect)


def load_migrations(dialect: str, *, root: Traversable | Path | None = None) -> list[Migration]:
    """All migrations of `dialect`, sorted by their number (not by file name)."""
    folder = root if root is not None else migrations_root(dialect)
    if not folder.is_dir():
        raise StoreError(f"Не найдены миграции базы данных для «{dialect}»: {folder}. Переустановите программу.")
    found: dict[int, Migration] = {}
    for entry in folder.iterdir():
        match = MIGRATION_FILE_RE.match(entry.name)
        if not match or not entry.is_file():
            continue
        version = int(match.group(1))
        if version in found:
            raise StoreError(
                f"Две миграции с номером {version}: {found[version].label} и {entry.name}.",
                detail=str(folder),
            )
        found[version] = Migration(version, match.group(2), entry.read_text(encoding="utf-8"))
    return [found[v] for v in sorted(found)]


def apply_migrations(
    target: MigrationTarget,
    dialect: str,
    *,
    now: Callable[[], datetime] | None = None,
    root: Traversable | Path | None = None,
) -> int:
    """Apply the pending migrations in number order; returns how many were applied.

    Idempotent: applied versions are skipped. A database that already carries a version
    this program does not know was written by a newer release; it is refused rather than
    silently used with a schema we do not understand.
    """
    clock = now or utc_now
    migrations = load_migrations(dialect, root=root)
    target.ensure_table()
    applied = target.applied_versions()
    known = {m.version for m in migrations}
    unknown = sorted(v for v in applied if v not in known and v > max(known, default=0))
    if unknown:
        raise StoreError(
            "База данных создана более новой версией программы "
            f"(схема {unknown[-1]:03d}, эта версия знает до {max(known, default=0):03d}). "
            "Обновите программу."
        )
    count = 0
    for migration in migrations:
        if migration.version in applied:
            continue
        stamp = clock().astimezone(UTC).isoformat(timespec="microseconds")
        try:
            if target.apply(migration, stamp):
                count += 1
        except StoreLockedError:
            raise
        except StoreError as exc:
            raise StoreError(
                f"Не удалось применить миграцию базы данных {migration.label}: {exc.message}",
                detail=exc.detail,
            ) from exc
    return count
