"""Settings: defaults < settings file (config dir) < `.env` in the working directory < environment.

One immutable `Settings` object is built once (CLI/GUI bootstrap) and passed in.
Secrets (tokens, passwords) are never read from or written to the settings file:
they come from the environment/.env (headless seeding) or the OS keyring (app.secrets).
"""

from __future__ import annotations

import io
import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from dotenv import dotenv_values
from dotenv.parser import parse_stream

from app import PROJECT_REPOSITORY
from app.errors import ConfigError
from app.kaspi.models import ORDER_STATES
from app.net import ListenAddress, is_loopback_host, parse_listen_address
from app.paths import AppPaths, resolve_paths

DEFAULT_KASPI_BASE_URL = "https://kaspi.kz/shop/api/v2"
DEFAULT_ALLOWED_STATES = ("NEW", "SIGN_REQUIRED", "PICKUP", "DELIVERY", "KASPI_DELIVERY")
DEFAULT_STATUS_MAP = {"COMPLETED": 142, "CANCELLED": 143, "RETURNED": 143}
MAX_AMO_RPS = 7.0
#: Below this a poll of a few orders would hold the run lock for minutes (1e-9 held it for ever).
MIN_AMO_RPS = 0.5
#: amoCRM ids (pipelines, statuses) are JSON numbers: keep them exact in any JSON reader.
MAX_AMO_ID = 2**53 - 1
#: Bounds of every integer setting: (minimum, maximum). Maxima sit well above what the wizard
#: offers; beyond them a value is a typo, and unbounded ones overflowed dates and sizes.
INT_RANGES: dict[str, tuple[int, int]] = {
    "KASPI_PAGE_SIZE": (1, 100),
    "AMO_PIPELINE_ID": (1, MAX_AMO_ID),
    "AMO_STATUS_ID": (1, MAX_AMO_ID),
    "AMO_ACCEPT_STATUS_ID": (1, MAX_AMO_ID),
    "AMO_ASSEMBLE_STATUS_ID": (1, MAX_AMO_ID),
    "AMO_COMPLETE_STATUS_ID": (1, MAX_AMO_ID),
    "ALERT_FAIL_STREAK": (1, 1000),
    "ALERT_BACKLOG_THRESHOLD": (1, 100_000),
    "ALERT_HEARTBEAT_MINUTES": (1, 7 * 24 * 60),
    # 0 switches the reminder off; Kaspi's own clocks are 3 working hours and the planned handover
    "ALERT_ACCEPT_MINUTES": (0, 24 * 60),
    "ALERT_HANDOVER_HOURS": (0, 72),
    "ALERT_EMAIL_SMTP_PORT": (1, 65535),
    # Kaspi's order list is the cheapest call we make; polling faster than 15 s buys nothing
    "POLL_INTERVAL_SECONDS": (15, 86_400),
    "RECONCILE_INTERVAL_MINUTES": (1, 7 * 24 * 60),  # a week; reconcile looks 14 days back
}
DEFAULT_UPDATE_FEED_URL = f"https://github.com/{PROJECT_REPOSITORY}/releases.atom"

#: The amoCRM stages that trigger Kaspi actions (two-way); empty means the action is off.
ACTION_STAGES = ("AMO_ACCEPT_STATUS_ID", "AMO_ASSEMBLE_STATUS_ID", "AMO_COMPLETE_STATUS_ID")

#: Names whose values are secrets: never taken from or written to the settings file.
SECRET_NAMES = frozenset(
    {
        "KASPI_API_TOKEN",
        "AMO_CLIENT_SECRET",
        "AMO_ACCESS_TOKEN",
        "AMO_REFRESH_TOKEN",
        "ALERT_TELEGRAM_BOT_TOKEN",
        "ALERT_EMAIL_SMTP_PASS",
        "KASPI_AMO_HTTP_PASSWORD",
        "KASPI_AMO_STORE_KEY",
    }
)

_TRUE = {"1", "true", "yes", "on", "да"}
_FALSE = {"0", "false", "no", "off", "нет", ""}


@dataclass(frozen=True)
class Settings:
    """Every knob of CONTRACT.md, typed. Field name = lower-cased environment name."""

    kaspi_api_token: str | None = None
    kaspi_base_url: str = DEFAULT_KASPI_BASE_URL
    kaspi_allowed_states: tuple[str, ...] = DEFAULT_ALLOWED_STATES
    kaspi_page_size: int = 100
    amo_base_url: str | None = None
    amo_client_id: str | None = None
    amo_client_secret: str | None = None
    amo_redirect_uri: str | None = None
    amo_access_token: str | None = None
    amo_refresh_token: str | None = None
    amo_pipeline_id: int | None = None
    amo_status_id: int | None = None
    amo_rps: float = 6.0
    amo_status_map: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_STATUS_MAP))
    dry_run: bool = False
    database_url: str | None = None
    log_level: str = "info"
    log_pretty: bool = False
    alert_fail_streak: int = 3
    alert_backlog_threshold: int = 25
    alert_heartbeat_minutes: int = 5
    alert_accept_minutes: int = 60
    alert_handover_hours: int = 4
    alert_telegram_bot_token: str | None = None
    alert_telegram_chat_id: str | None = None
    alert_email_to: str | None = None
    alert_email_from: str | None = None
    alert_email_smtp_host: str | None = None
    alert_email_smtp_port: int = 587
    alert_email_smtp_user: str | None = None
    alert_email_smtp_pass: str | None = None
    telegram_api_url: str = "https://api.telegram.org"
    poll_interval_seconds: int = 60
    reconcile_interval_minutes: int = 10
    healthcheck_ping_url: str | None = None
    kaspi_amo_http: ListenAddress | None = None
    kaspi_amo_http_password: str | None = None
    kaspi_amo_store_key: str | None = None  # seals the amoCRM pair shared through the store (two machines)
    # Acting on Kaspi from amoCRM (two-way): every action is off until switched on.
    kaspi_merchant_id: str | None = None
    kaspi_auto_accept: bool = False
    amo_accept_status_id: int | None = None
    amo_assemble_status_id: int | None = None
    amo_complete_status_id: int | None = None
    kaspi_cancel_reasons: dict[int, str] = field(default_factory=dict)
    update_feed_url: str | None = DEFAULT_UPDATE_FEED_URL  # releases feed (Atom or JSON); None: no check
    paths: AppPaths = field(default_factory=resolve_paths, compare=False)
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def database(self) -> str:
        """The store location: DATABASE_URL or the default SQLite file in the data dir."""
        return self.database_url or str(self.paths.default_database)

    def missing_for_sync(self) -> list[str]:
        """Names a sync cannot run without (empty when the configuration is complete)."""
        missing = []
        if not self.kaspi_api_token:
            missing.append("KASPI_API_TOKEN")
        if not self.amo_base_url:
            missing.append("AMO_BASE_URL")
        return missing

    def require_sync(self) -> None:
        missing = self.missing_for_sync()
        if missing:
            raise ConfigError(
                "Не заданы обязательные настройки: " + ", ".join(missing) + ". "
                "Откройте мастер настройки или задайте их в окружении / файле .env."
            )


# --- parsing ---------------------------------------------------------------------------


def _parse_bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name}: ожидается true или false, получено {raw!r}.")


def _shown(raw: str) -> str:
    """A raw value quoted for a message, cut short: a 50,000-digit value must not fill the screen."""
    return repr(raw) if len(raw) <= 40 else repr(raw[:37]) + "…"


def _parse_int(name: str, raw: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    try:
        value = int(raw.strip())  # also refuses 4,300+ digits (Python's int limit)
    except ValueError:
        raise ConfigError(f"{name}: ожидается целое число, получено {_shown(raw)}.") from None
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        shown = str(value) if len(str(value)) <= 20 else _shown(raw.strip())
        raise ConfigError(f"{name}: значение {shown} вне диапазона {minimum}…{maximum}.")
    return value


def _parse_rps(name: str, raw: str) -> float:
    """Requests per second: a finite number from MIN_AMO_RPS up (values above 7 are capped later)."""
    try:
        value = float(raw.strip())
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < MIN_AMO_RPS:
        raise ConfigError(
            f"{name}: ожидается число запросов в секунду от {MIN_AMO_RPS:g} до {MAX_AMO_RPS:g}, получено {_shown(raw)}."
        )
    return value


def _parse_states(name: str, raw: str) -> tuple[str, ...]:
    states = tuple(s.strip().upper() for s in raw.replace(";", ",").split(",") if s.strip())
    unknown = [s for s in states if s not in ORDER_STATES]
    if unknown:
        raise ConfigError(f"{name}: неизвестные состояния Kaspi {', '.join(unknown)}. Допустимы: {', '.join(ORDER_STATES)}.")
    if not states:
        raise ConfigError(f"{name}: укажите хотя бы одно состояние Kaspi.")
    return states


def _parse_status_map(name: str, raw: str) -> dict[str, int]:
    mapping: dict[str, int] = {}
    for item in raw.replace(";", ",").split(","):
        if not item.strip():
            continue
        status, sep, status_id = item.partition(":")
        if not sep:
            raise ConfigError(f"{name}: ожидается вид STATUS:ID через запятую, получено {item!r}.")
        mapping[status.strip().upper()] = _parse_int(name, status_id, minimum=1, maximum=MAX_AMO_ID)
    return mapping


def _parse_cancel_reasons(name: str, raw: str) -> dict[int, str]:
    """`<loss reason id>:<Kaspi reason>,…` → {loss reason id: Kaspi reason}."""
    from app.kaspi.actions import CANCEL_REASONS

    mapping: dict[int, str] = {}
    for item in raw.replace(";", ",").split(","):
        if not item.strip():
            continue
        reason_id, sep, reason = item.partition(":")
        reason = reason.strip().upper()
        if not sep or reason not in CANCEL_REASONS:
            raise ConfigError(
                f"{name}: ожидается вид ID_ПРИЧИНЫ_ОТКАЗА:ПРИЧИНА_KASPI через запятую, где причина Kaspi — "
                f"{', '.join(CANCEL_REASONS)}; получено {item.strip()!r}."
            )
        mapping[_parse_int(name, reason_id, minimum=1, maximum=MAX_AMO_ID)] = reason
    return mapping


def _parse_url(name: str, raw: str) -> str:
    url = raw.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{name}: ожидается адрес вида https://…, получено {raw!r}.")
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise ConfigError(f"{name}: для {parts.hostname} нужен https:// (без шифрования токены утекут).")
    return url


def _convert(name: str, raw: str) -> Any:
    """Turn one raw string value into the typed field value."""
    if name in ("KASPI_BASE_URL", "AMO_BASE_URL", "TELEGRAM_API_URL"):
        return _parse_url(name, raw)
    if name == "HEALTHCHECK_PING_URL":
        return _parse_url(name, raw) if raw.strip() else None
    if name == "KASPI_AMO_HTTP":
        return parse_listen_address(name, raw) if raw.strip() else None
    if name == "UPDATE_FEED_URL":  # empty: the owner or the admin switched the update check off
        return _parse_url(name, raw) if raw.strip() else None
    if name == "KASPI_ALLOWED_STATES":
        return _parse_states(name, raw)
    if name == "AMO_STATUS_MAP":
        return _parse_status_map(name, raw)
    if name == "KASPI_CANCEL_REASONS":
        return _parse_cancel_reasons(name, raw)
    if name in ("AMO_PIPELINE_ID", "AMO_STATUS_ID", *ACTION_STAGES) and not raw.strip():
        return None
    if name in INT_RANGES:
        low, high = INT_RANGES[name]
        return _parse_int(name, raw, minimum=low, maximum=high)
    if name == "AMO_RPS":
        return _parse_rps(name, raw)
    if name == "KASPI_AMO_STORE_KEY" and raw.strip():
        # imported here: cryptography is loaded only when the key is set
        from app.amo.shared_tokens import sealing_key

        sealing_key(raw)  # a bad key is a ConfigError that never echoes it
        return raw.strip()
    if name in ("DRY_RUN", "LOG_PRETTY", "KASPI_AUTO_ACCEPT"):
        return _parse_bool(name, raw)
    if name == "LOG_LEVEL":
        level = raw.strip().lower()
        if level not in ("debug", "info", "warning", "error"):
            raise ConfigError(f"LOG_LEVEL: ожидается debug, info, warning или error, получено {raw!r}.")
        return level
    value = raw.strip()
    return value or None


ENV_NAMES = tuple(f.name.upper() for f in fields(Settings) if f.name not in ("paths", "warnings"))


def read_settings_file(path: Path) -> dict[str, str]:
    """The wizard's JSON settings file as raw strings; secrets in it are ignored."""
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"Файл настроек {path} повреждён: {exc}. Исправьте или удалите его.") from None
    except RecursionError:
        raise ConfigError(
            f"Файл настроек {path} повреждён: данные вложены слишком глубоко. Исправьте или удалите его."
        ) from None
    if not isinstance(data, dict):
        raise ConfigError(f"Файл настроек {path} повреждён: ожидается JSON-объект.")
    out: dict[str, str] = {}
    for key, value in data.items():
        name = str(key).upper()
        if name in SECRET_NAMES or name not in ENV_NAMES or value is None:
            continue
        out[name] = _raw_text(value)
    return out


def _raw_text(value: Any) -> str:
    """A JSON value of the settings file as the string an environment variable would hold."""
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    if isinstance(value, dict):
        return ",".join(f"{k}:{v}" for k, v in value.items())
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _keeps(key: str, value: Any) -> bool:
    """Does an entry of an existing settings file deserve to survive a clean save?"""
    name = key.upper()
    if name in SECRET_NAMES or name not in ENV_NAMES:
        return False  # a secret typed in by hand, or a name no version knows
    if value is None:
        return True
    try:
        _convert(name, _raw_text(value))
    except ConfigError:
        return False
    return True


def write_settings_file(path: Path, values: Mapping[str, Any], *, clean: bool = False) -> None:
    """Merge `values` into the settings file atomically; refuses secrets by design.

    `clean` (the wizard's save) also drops what would break or leak: secrets typed into
    the file by hand, unknown names and values that do not parse.
    """
    current: dict[str, Any] = {}
    if path.exists():
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
            current = loaded if isinstance(loaded, dict) else {}
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            current = {}
    if clean:
        current = {key: value for key, value in current.items() if _keeps(str(key), value)}
    for key, value in values.items():
        name = key.upper()
        if name in SECRET_NAMES:
            raise ValueError(f"{name} is a secret and never goes to the settings file")
        current[name] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(current, ensure_ascii=False, indent=2), encoding="utf-8")
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def load_settings(
    env: Mapping[str, str] | None = None,
    *,
    cwd: Path | None = None,
    secrets: Mapping[str, str | None] | None = None,
) -> Settings:
    """Build Settings from every layer. `secrets` (keyring values) fill secret names that
    neither the environment nor `.env` set."""
    env = dict(os.environ if env is None else env)
    paths = resolve_paths(env)
    raw: dict[str, str] = {}
    raw.update(read_settings_file(paths.settings_file))
    dotenv_path = (cwd or Path.cwd()) / ".env"
    if dotenv_path.is_file():
        raw.update({k.upper(): v for k, v in _read_dotenv(dotenv_path).items() if k.upper() in ENV_NAMES})
    raw.update({k: v for k, v in env.items() if k in ENV_NAMES})
    for name, value in (secrets or {}).items():
        if value and not raw.get(name):
            raw[name] = value

    values: dict[str, Any] = {}
    warnings: list[str] = []
    for name, text in raw.items():
        values[name.lower()] = _convert(name, text)
    rps = values.get("amo_rps", 6.0)
    if rps > MAX_AMO_RPS:
        warnings.append(f"AMO_RPS={rps:g} выше лимита amoCRM; используется {MAX_AMO_RPS:g}.")
        values["amo_rps"] = MAX_AMO_RPS
    if values.get("database_url"):
        values["database_url"] = _normalise_database_url(values["database_url"], cwd or Path.cwd())
    return Settings(paths=paths, warnings=tuple(warnings), **values)


def _read_dotenv(path: Path) -> dict[str, str]:
    """`.env` in the working directory; an unreadable or non-UTF-8 one is a configuration error."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = "не в кодировке UTF-8" if isinstance(exc, UnicodeDecodeError) else (exc.strerror or str(exc))
        raise ConfigError(f"Файл {path} не читается ({reason}). Исправьте или удалите его.") from None
    # python-dotenv skips a line it cannot parse with a warning, and the setting silently falls
    # back to another layer; name the line instead (never its text: it may hold a token)
    broken = [b.original.line for b in parse_stream(io.StringIO(text)) if b.error]
    if broken:
        raise ConfigError(
            f"Файл {path}: не разобраны строки {', '.join(map(str, broken[:10]))} (незакрытая кавычка?). "
            "Нужен вид ИМЯ=значение, по одному на строку."
        )
    values = dotenv_values(stream=io.StringIO(text))
    return {name: value for name, value in values.items() if value is not None}


def _normalise_database_url(url: str, cwd: Path) -> str:
    """Relative SQLite paths are taken from the working directory, as a shell user expects."""
    if url.lower().startswith(("postgresql://", "postgres://", "postgresql+")):
        return url
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///") :]
    elif "://" in url:
        scheme = url.split("://", 1)[0]  # never echo the rest: it may hold a password
        raise ConfigError(f"DATABASE_URL: неизвестный вид адреса ({scheme}://…); ожидается путь к файлу, sqlite:///… или postgresql://….")
    else:
        path = url
    resolved = Path(path).expanduser()
    if not resolved.is_absolute():
        resolved = cwd / resolved
    return str(resolved)


def with_overrides(settings: Settings, **changes: Any) -> Settings:
    return replace(settings, **changes)
