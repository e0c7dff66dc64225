"""DATABASE_URL → a `Store`: the one place that knows which backend a URL means.

Accepted: a plain file path (`~` expanded), `sqlite:///relative/path.db`,
`sqlite:////absolute/path.db` (SQLAlchemy's convention: the path is what follows the
third slash, so `f"sqlite:///{absolute_path}"` works too) and, on Windows,
`sqlite:///C:/path.db`. `postgresql://…`, `postgres://…` (and SQLAlchemy's
`postgresql+psycopg://…`) mean PostgreSQL, any libpq URL, e.g. with
`?options=-csearch_path%3Dshop1` to keep one shop per schema. Migrations are not run here:
the engine calls `migrate()`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from app.clock import utc_now
from app.errors import ConfigError, StoreCorruptError
from app.store.base import Store
from app.store.sqlite_file import set_aside

log = logging.getLogger(__name__)

# "scheme://" (2+ chars, so "C://" stays a drive); "sqlite:" alone is a malformed URL
_SCHEME_RE = re.compile(r"^(?:([A-Za-z][A-Za-z0-9+.\-]+)://|(sqlite):)", re.IGNORECASE)


def sqlite_path_from_url(database_url: str) -> str | None:
    """The file path a SQLite DATABASE_URL names, or None when it is not a SQLite URL.

    Raises ConfigError for a malformed `sqlite:` URL.
    """
    url = database_url.strip()
    match = _SCHEME_RE.match(url)
    if match is None:
        path = url
    elif (match.group(1) or match.group(2)).lower() == "sqlite":
        rest = url[len("sqlite:") :]
        if not rest.startswith("///") or not rest[3:].strip():
            raise ConfigError(
                f"Неверный DATABASE_URL «{database_url}»: для SQLite укажите sqlite:///путь/к/файлу.db "
                "(относительный путь) или sqlite:////абсолютный/путь.db, либо просто путь к файлу."
            )
        path = rest[3:]
    else:
        return None
    if path in (":memory:", ""):
        raise ConfigError(f"Неверный DATABASE_URL «{database_url}»: нужен путь к файлу базы данных.")
    return path


def open_store(database_url: str, *, now: Callable[[], datetime] | None = None) -> Store:
    """Open (not migrate) the store a DATABASE_URL names."""
    if not database_url or not database_url.strip():
        raise ConfigError("DATABASE_URL пуст: укажите путь к файлу базы данных или postgresql://…")
    scheme_match = _SCHEME_RE.match(database_url.strip())
    scheme = (scheme_match.group(1) or scheme_match.group(2)).lower() if scheme_match else ""
    if scheme.split("+", 1)[0] in ("postgresql", "postgres"):
        from app.store.postgres import PostgresStore

        if now is None:
            return PostgresStore(database_url.strip())
        return PostgresStore(database_url.strip(), now=now)
    path = sqlite_path_from_url(database_url)
    if path is None:
        raise ConfigError(
            f"Неизвестный тип базы данных в DATABASE_URL ({scheme}://…). "  # never echo the rest: a password
            "Поддерживаются путь к файлу SQLite, sqlite:///путь и postgresql://…"
        )
    from app.store.sqlite import SqliteStore

    if now is None:
        return SqliteStore(path)
    return SqliteStore(path, now=now)


def open_working_store(database_url: str, *, now: Callable[[], datetime] | None = None) -> Store:
    """Open and migrate the store a sync runs on. A corrupted SQLite file is kept aside
    (renamed `*.corrupt-<UTC time>`) and a new store is started: the engine then adopts the
    deals amoCRM already has, so nothing is created twice and nothing is lost."""
    store: Store | None = None
    try:
        store = open_store(database_url, now=now)
        store.migrate()
        return store
    except StoreCorruptError as exc:
        if store is not None:
            store.close()
        path = sqlite_path_from_url(database_url)
        if path is None:
            raise
        aside = set_aside(Path(path).expanduser(), (now or utc_now)())
        log.error("database file is damaged: kept aside, starting a new one",
                  extra={"path": str(path), "aside": str(aside), "detail": exc.detail})
    store = open_store(database_url, now=now)
    store.migrate()
    return store
