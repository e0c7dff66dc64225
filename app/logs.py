"""JSON-lines logging with phones and tokens masked.

Why a filter on the handler and not care at call sites: a single forgotten f-string
must not leak a buyer's phone or a token into a log file someone mails to support.
"""

from __future__ import annotations

import collections
import contextlib
import io
import json
import logging
import logging.handlers
import os
import re
import sys
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

# +7 701 123 45 67, 8(701)123-45-67, 7011234567, 77011234567, +7.701.123.45.67 ... (10–12 digits
# with separators), wherever it stands: after a letter, "_", "=", "%2B" or before a full stop
_PHONE_RE = re.compile(r"(?<![0-9])\+?[0-9](?:[\s\-().]*[0-9]){9,11}(?![0-9])")
_BEARER_RE = re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+")
_JWT_RE = re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*")
# extras whose values are secrets whatever they look like ("code" alone is an order code: kept)
_SECRET_KEYS = re.compile(r"(?i)(token|secret|password|passwd|pass$|authorization|auth_code|oauth_code)")

_STANDARD_ATTRS = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


def mask_phone(phone: str | None) -> str:
    """`+7 *** *** ** 67`: the last two digits tell a buyer's orders apart. No more: eight
    unknown digits (10^8 numbers) cannot be tried one by one, whereas the operator code and
    two digits shown before left 10^5 (issue #19: brute-forced in 0.28 s)."""
    if not phone:
        return ""
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 6:
        return "***"
    if len(digits) == 11 and digits[0] == "8":
        digits = "7" + digits[1:]  # 8 (701) … is the domestic form of +7 701 …
    return f"+{digits[:-10] or '7'} *** *** ** {digits[-2:]}"


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
            "ts": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
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
        ts = datetime.fromtimestamp(record.created, tz=UTC).strftime("%H:%M:%SZ")
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


def _to_stderr(line: str) -> None:
    try:
        if sys.stderr is not None:  # a windowed app may have none
            print(line, file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass


class LogFileHandler(logging.handlers.RotatingFileHandler):
    """The JSON log file, which can never break a sync or flood the console.

    The stdlib handler prints a «--- Logging error ---» traceback to stderr for every record it
    cannot write: a full disk or a read-only home turned one poll into 144 lines of tracebacks,
    and a missing folder crashed the start. Here a failed write is reported once (one line via
    `notice`), the lines wait in memory (the newest `backlog` of them) and are written, oldest
    first, once the file takes writes again; retries are spaced `retry_seconds` apart.
    The file is created 0600: it holds buyers' names.
    """

    def __init__(self, path: Path, *, notice: Callable[[str], None] = _to_stderr, backlog: int = 1000,
                 retry_seconds: float = 30.0, max_bytes: int = 5_000_000, backup_count: int = 5) -> None:
        super().__init__(path, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8", delay=True)
        self._notice = notice
        self._pending: collections.deque[str] = collections.deque(maxlen=backlog)
        self._dropped = 0
        self._retry_seconds = retry_seconds
        self._retry_at = 0.0
        self.failing: str | None = None  # why the file takes no writes now (None: it does)

    def _open(self) -> io.TextIOWrapper:
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return open(fd, "a", encoding="utf-8")  # the handler owns and closes it

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
        except Exception:  # noqa: BLE001 - a broken format string: the stdlib's report is right
            self.handleError(record)
            return
        if len(self._pending) == self._pending.maxlen:
            self._dropped += 1
        self._pending.append(line)
        self._drain(force=False)

    def _drain(self, *, force: bool) -> None:
        if self.failing and not force and time.monotonic() < self._retry_at:
            return
        try:
            while self._pending:
                line = self._pending[0]
                stream = self.stream or self._open()
                self.stream = stream
                if self.maxBytes > 0 and stream.tell() + len(line) >= self.maxBytes:
                    self.doRollover()  # closes the file; delay=True leaves the reopening to us
                    stream = self.stream = self._open()
                stream.write(line + self.terminator)
                stream.flush()
                self._pending.popleft()
        except OSError as exc:
            self._give_up_stream()
            self._retry_at = time.monotonic() + self._retry_seconds
            if not self.failing:
                self.failing = exc.strerror or type(exc).__name__
                self._notice(
                    f"Журнал {self.baseFilename} не записывается ({self.failing}): синхронизация продолжается, "
                    f"записи журнала ждут в памяти (до {self._pending.maxlen}). Проверьте место на диске и права на папку."
                )
            return
        if self.failing:
            self.failing = None
            if self._dropped:
                self._notice(f"Журнал {self.baseFilename} снова записывается; пропущено записей: {self._dropped}.")
                self._dropped = 0

    def _give_up_stream(self) -> None:
        stream, self.stream = self.stream, None
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()

    def flush(self) -> None:
        try:
            super().flush()
        except OSError:
            self._give_up_stream()

    def close(self) -> None:
        """One last try for the waiting lines; what still cannot be written is counted, once."""
        with self.lock:  # type: ignore[union-attr]
            if self._pending:
                self._drain(force=True)
            if self._pending:
                self._notice(f"Журнал {self.baseFilename}: так и не записано записей: {len(self._pending) + self._dropped} "
                             f"({self.failing or 'ошибка записи'}).")
                self._pending.clear()
            self._give_up_stream()
            logging.Handler.close(self)


class ConsoleHandler(logging.StreamHandler[TextIO]):
    """stderr logging that stays silent when stderr itself is gone (a closed pipe, a full disk
    behind a redirect): the stdlib would print its «--- Logging error ---» to that very stderr."""

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging.Handler's name
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handleError(record)


def setup_logging(
    *,
    level: str = "info",
    pretty: bool = False,
    log_file: Path | None = None,
    to_stderr: bool = False,
    redactor: Redactor | None = None,
    notice: Callable[[str], None] | None = None,
) -> Redactor:
    """Configure the root logger once per process; returns the redactor so callers can
    register secrets learned later (e.g. a rotated token). `notice` gets the one line saying
    the log file cannot be written (stderr by default)."""
    redactor = redactor or Redactor()
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_kaspi_amo", False):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(getattr(logging, level.upper(), logging.INFO))
    if log_file is not None:
        file_handler = LogFileHandler(log_file, notice=notice or _to_stderr)
        file_handler.setFormatter(JsonFormatter(redactor))
        file_handler._kaspi_amo = True  # type: ignore[attr-defined]
        root.addHandler(file_handler)
        with contextlib.suppress(OSError):
            log_file.chmod(0o600)  # a file an older version created with the umask's mode
    if to_stderr or pretty:
        stream = ConsoleHandler(sys.stderr)
        stream.setFormatter(PrettyFormatter(redactor) if pretty else JsonFormatter(redactor))
        stream._kaspi_amo = True  # type: ignore[attr-defined]
        root.addHandler(stream)
    for noisy in ("urllib3", "requests"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return redactor
