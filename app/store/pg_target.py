"""Where a PostgreSQL DATABASE_URL points and how to say so without its password.

libpq accepts URLs and key=value strings with the password in either; every text the store
shows or logs about the server goes through `redact` and names the server by
`PostgresTarget` (host, port, database, user, schema), never by the URL itself.
"""

from __future__ import annotations

import getpass
import os
import re
from dataclasses import dataclass
from typing import Any

from app.errors import StoreConfigError, StoreError

_SCHEME_RE = re.compile(r"^\s*(postgres(?:ql)?)(\+[A-Za-z0-9_.\-]+)?://", re.IGNORECASE)
_URL_PASSWORD_RE = re.compile(r"(://[^:/@\s]*:)[^@\s]*@")
_KV_PASSWORD_RE = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE)
_SEARCH_PATH_RE = re.compile(r"search_path\s*=\s*([^\s]+)")


def normalise_url(url: str) -> str:
    """`postgres://`, `POSTGRESQL://` and SQLAlchemy's `postgresql+psycopg://` → the
    `postgresql://` libpq understands; anything else (key=value conninfo) as is."""
    match = _SCHEME_RE.match(url)
    if match is None:
        return url.strip()
    return "postgresql://" + url.strip()[len(match.group(0).strip()) :]


def redact(text: str, password: str | None = None) -> str:
    """`text` without the password, whether it appears in a URL, as password=… or bare."""
    text = _URL_PASSWORD_RE.sub(r"\1***@", text)
    text = _KV_PASSWORD_RE.sub(r"\1***", text)
    if password:
        text = text.replace(password, "***")
    return text


@dataclass(frozen=True)
class PostgresTarget:
    """What the user may be told about the server: everything but the password."""

    host: str
    port: str
    dbname: str
    user: str
    schema: str | None = None

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def __str__(self) -> str:
        where = f"PostgreSQL {self.address}/{self.dbname}"
        return f"{where} (схема {self.schema})" if self.schema else where

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> PostgresTarget:
        """Host, port, database and user as libpq will resolve them (URL, then PG* env)."""
        user = params.get("user") or os.environ.get("PGUSER") or _login_name()
        schema_match = _SEARCH_PATH_RE.search(params.get("options") or "")
        return cls(
            host=params.get("host") or params.get("hostaddr") or os.environ.get("PGHOST") or "localhost",
            port=str(params.get("port") or os.environ.get("PGPORT") or 5432),
            dbname=params.get("dbname") or os.environ.get("PGDATABASE") or user,
            user=user,
            schema=schema_match.group(1).strip("'\"") if schema_match else None,
        )


def connect_error(exc: Exception, t: PostgresTarget, detail: str) -> StoreError:
    """Unreachable / refused login / missing database, in words, without the password."""
    text = str(exc)
    low = text.lower()
    if (
        "authentication failed" in low
        or "no password supplied" in low
        or "pg_hba.conf" in low
        or ("role" in low and "does not exist" in low)
        or "проверку подлинности" in low
        or ("роль" in low and "не существует" in low)
    ):
        return StoreConfigError(  # configuration (exit 2), unlike a server that is down (exit 1)
            f"Сервер PostgreSQL {t.address} не пустил пользователя «{t.user}» в базу «{t.dbname}»: "
            "неверное имя пользователя или пароль, либо вход с этого компьютера не разрешён (pg_hba.conf). "
            "Проверьте DATABASE_URL.",
            detail=detail,
        )
    if ("database" in low and "does not exist" in low) or ("база данных" in low and "не существует" in low):
        return StoreConfigError(
            f"На сервере PostgreSQL {t.address} нет базы данных «{t.dbname}». "
            f"Создайте её (CREATE DATABASE {t.dbname}) или исправьте DATABASE_URL.",
            detail=detail,
        )
    if "too many" in low and ("clients" in low or "connections" in low):
        return StoreError(
            f"Сервер PostgreSQL {t.address} (база «{t.dbname}») не принимает новые подключения: "
            "их слишком много. Повторите позже или увеличьте max_connections.",
            detail=detail,
        )
    return StoreError(
        f"Не удалось подключиться к серверу PostgreSQL {t.address} (база «{t.dbname}»): "
        "сервер недоступен или не отвечает. Проверьте, что он запущен и что адрес и порт "
        "в DATABASE_URL верны.",
        detail=detail,
    )


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # pragma: no cover - no login name in the environment
        return "postgres"
