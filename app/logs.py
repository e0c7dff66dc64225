"""JSON-lines logging with phones and tokens masked.

Why a filter on the handler and not care at call sites: a single forgotten f-string
must not leak a buyer's phone or a token into a log file someone mails to support.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import re
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

# +7 701 123 45 67, 8(701)123-45-67, 7011234567, 77011234567, +7.701.123.45.67 ... (10–12 digits
# with separators), wherever it stands: after a letter, "_", "=", "%2B" or before a full stop
_PHONE_RE = re.compile(r"(?<![0-9])\+?[0-9](?:[\s\-().]*[0-9]){9,11}(?![0-9])")
_BEARER_RE = re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+")
_JWT_RE = re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*")
# extras whose values are secrets whatever they look like ("code" alone is an order code: kept)
_SECRET_KEYS = re.compile(r"(?i)(token|secret|password|passwd|pass$|authorization|auth_code|oauth_code)")

_STANDARD_ATTRS = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


def mask_phone(phone: str | None) -> str:
    """`+7 701 *** ** 67`: enough to recognise a buyer, useless to a spammer."""
    if not phone:
        return ""
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 6:
        return "***"
    if len(digits) == 11 and digits[0] == "8":
        digits = "7" + digits[1:]  # 8 (701) … is the domestic form of +7 701 …
    return f"+{digits[:-10] or '7'} {digits[-10:-7]} *** ** {digits[-2:]}"


class Redactor:
    """Removes known secret values, bearer tokens, JWTs and phone numbers from text."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: set[str] = set()
        self.add(*secrets)

    def add(self, *secrets: str | None) -> None:
        for secret in secrets:
            if secret and len(secret) >= 6:
                self._secrets.add(secret)

    def __call__(self, text: str) -> str:
        for secret in sorted(self._secrets, key=len, reverse=True):
            if secret in text:
                text = text.replace(secret, "***")
        text = _BEARER_RE.sub(r"\1***", text)
        text = _JWT_RE.sub("***", text)
        return _PHONE_RE.sub(lambda m: mask_phone(m.group(0)), text)

    def value(self, key: str, value: object) -> object:
        if isinstance(value, str):
            if _SECRET_KEYS.search(key) and "phone" not in key.lower():
                return "***" if value else value
            return self(value)
        return value


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts (UTC), level, logger, msg and the record's extras."""

    def __init__(self, redact: Redactor) -> None:
        super().__init__()
        self._redact = redact

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, tz=timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": self._redact(record.getMessage()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                entry[key] = self._redact.value(key, value)
        if record.exc_info:
            entry["exc"] = self._redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


class PrettyFormatter(logging.Formatter):
    """Human-readable lines for a terminal (LOG_PRETTY=true)."""

    def __init__(self, redact: Redactor) -> None:
        super().__init__()
        self._redact = redact

    def format(self, record: logging.LogRecord) -> str:
        ts = datetime.fromtimestamp(record.created, tz=timezone.utc).strftime("%H:%M:%SZ")
        extras = " ".join(
            f"{k}={self._redact.value(k, v)}"
            for k, v in vars(record).items()
            if k not in _STANDARD_ATTRS and not k.startswith("_")
        )
        line = f"{ts} {record.levelname:<7} {self._redact(record.getMessage())}"
        if extras:
            line += f"  [{extras}]"
        if record.exc_info:
            line += "\n" + self._redact(self.formatException(record.exc_info))
        return line


def setup_logging(
    *,
    level: str = "info",
    pretty: bool = False,
    log_file: Path | None = None,
    to_stderr: bool = False,
    redactor: Redactor | None = None,
) -> Redactor:
    """Configure the root logger once per process; returns the redactor so callers can
    register secrets learned later (e.g. a rotated token)."""
    redactor = redactor or Redactor()
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_kaspi_amo", False):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(getattr(logging, level.upper(), logging.INFO))
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        file_handler = logging.handlers.RotatingFileHandler(log_file, maxBytes=5_000_000, backupCount=5, encoding="utf-8")
        file_handler.setFormatter(JsonFormatter(redactor))
        file_handler._kaspi_amo = True  # type: ignore[attr-defined]
        root.addHandler(file_handler)
        try:
            log_file.chmod(0o600)
        except OSError:
            pass
    if to_stderr or pretty:
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(PrettyFormatter(redactor) if pretty else JsonFormatter(redactor))
        stream._kaspi_amo = True  # type: ignore[attr-defined]
        root.addHandler(stream)
    for noisy in ("urllib3", "requests"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return redactor
