"""`kaspi-amo doctor`: a self-check of this installation, for owners, admins, support and the
frozen build. It must agree with what a poll would meet.

Each check answers ok / warn / fail with one plain line in the user's language. `fail` means a
sync cannot work as things stand (a folder it cannot write, a secret store that loses what it
is given, a damaged settings file, a database that cannot be opened, a configured Kaspi or
amoCRM address that does not answer or refuses the token, migrations or translations missing
from the build); `warn` means it works but something needs a look (not configured yet, no OS
keyring so secrets sit in a file).

The network checks send what the clients send (their User-Agent and Accept headers: Kaspi and
the sandbox hang on python-requests' default), the Kaspi token is tried with the poll's own
request, and a database failure is reported in the store's own words, the same line a poll
prints. Works on a first run (no configuration), without Qt and in the PyInstaller bundle.
Never prints a secret: only names, backends, folders and host names. The report is also
written to the log folder (doctor.txt), since a windowed Windows app may have nowhere to print.
"""

from __future__ import annotations

import json
import os
import platform
import secrets as pysecrets
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from app import APP_DISPLAY_NAME, __version__
from app.lang import Translator
from app.net import never_sent, origin, unreachable_message

if TYPE_CHECKING:  # imported lazily at run time: `doctor` must start even when they break
    import requests

    from app.config import Settings
    from app.paths import AppPaths
    from app.secrets import SecretStore

OK, WARN, FAIL = "ok", "warn", "fail"
MARKS = {OK: "[ OK ]", WARN: "[WARN]", FAIL: "[FAIL]"}
UI_LANGUAGES = ("ru", "en", "kk")
NETWORK_TIMEOUT = 4.0
REPORT_NAME = "doctor.txt"
_PROBE_KEY = "__doctor_probe__"


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    message: str


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def _host_of(url: str | None) -> str:
    """Scheme://host[:port] only: a URL's user, password, path and query never reach the report."""
    return origin(url)


# --- the checks --------------------------------------------------------------------------


def check_version(t: Translator | None = None) -> Check:
    t = t or Translator()
    where = (t.tr("собранное приложение в {folder}", folder=Path(sys.executable).parent) if is_frozen()
             else f"Python {sys.executable}")
    return Check("version", OK, f"{APP_DISPLAY_NAME} {__version__}; Python {platform.python_version()}, "
                                f"{platform.system()} {platform.release()} ({platform.machine()}); {where}")


def check_paths(paths: AppPaths, t: Translator | None = None) -> Check:
    """The three folders exist (created as the app would) and a file can be written in each."""
    t = t or Translator()
    problems = []
    for label, folder in ((t.tr("настройки"), paths.config_dir), (t.tr("данные"), paths.data_dir),
                          (t.tr("логи"), paths.log_dir)):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, probe = tempfile.mkstemp(prefix=".doctor-", dir=folder)
            os.write(fd, b"ok")
            os.close(fd)
            os.unlink(probe)
        except OSError as exc:
            problems.append(f"{label} {folder}: {exc.strerror or exc}")
    if problems:
        return Check("paths", FAIL, t.tr("Нельзя записать в папку: {problems}. Проверьте права доступа.",
                                         problems="; ".join(problems)))
    return Check("paths", OK, t.tr("Папки доступны для записи: настройки {config}, данные {data}, логи {logs}",
                                   config=paths.config_dir, data=paths.data_dir, logs=paths.log_dir))


def check_settings(settings: Settings, error: BaseException | None, t: Translator | None = None) -> Check:
    t = t or Translator()
    if error is not None:
        return Check("settings", FAIL, t.error(error))
    missing = settings.missing_for_sync()
    exists = settings.paths.settings_file.exists()
    where = (t.tr("файл настроек {path}", path=settings.paths.settings_file) if exists
             else t.tr("файл настроек {path} (ещё нет)", path=settings.paths.settings_file))
    if missing:
        return Check("settings", WARN, t.tr(
            "Синхронизация ещё не настроена: не заданы {names}. Задайте их в переменных окружения или в файле "
            ".env в рабочей папке (все настройки — в README, раздел «Настройки»), затем проверьте: "
            "kaspi-amo doctor и kaspi-amo poll --dry-run. На компьютере с экраном то же делает мастер "
            "настройки: kaspi-amo без команды ({where}).", names=", ".join(missing), where=where))
    mode = t.tr("пробный запуск (DRY_RUN)") if settings.dry_run else t.tr("рабочий режим")
    return Check("settings", OK, t.tr("Настройки полные: Kaspi {kaspi}, amoCRM {amo}, {mode}; {where}",
                                      kaspi=_host_of(settings.kaspi_base_url), amo=_host_of(settings.amo_base_url),
                                      mode=mode, where=where))


def _native_keyring_module() -> str:
    if sys.platform == "win32":
        return "keyring.backends.Windows"
    if sys.platform == "darwin":
        return "keyring.backends.macOS"
    return "keyring.backends.SecretService"


def check_keyring_backends(t: Translator | None = None, *, forced_file: bool = False) -> Check:
    """keyring finds backends through its entry points: a frozen app loses them without keyring's
    metadata (jaraco/keyring#324) and then silently falls back to the file. A system keyring
    that does not answer is a warning (secrets then go to the file), unless the file is chosen."""
    import importlib
    from importlib.metadata import entry_points

    from keyring.backend import KeyringBackend

    t = t or Translator()
    names = sorted({ep.name for ep in entry_points(group="keyring.backends")})
    module_name = _native_keyring_module()
    label = module_name.rsplit(".", 1)[-1]
    if not names:
        return Check("keyring", WARN, t.tr("Модули системных хранилищ паролей не зарегистрированы (нет данных "
                                           "пакета keyring): секреты будут храниться в файле."))
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:  # noqa: BLE001 - a self-check reports whatever breaks, never crashes
        return Check("keyring", WARN, t.tr("Модуль хранилища паролей этой системы ({label}) не загружается: {error}",
                                           label=label, error=f"{type(exc).__name__}: {exc}"))
    backends = [obj for obj in vars(module).values()
                if isinstance(obj, type) and issubclass(obj, KeyringBackend) and obj.__module__ == module_name]
    try:
        viable = any(cls.viable for cls in backends)
    except Exception:  # noqa: BLE001 - a backend that cannot even say it is viable is not
        viable = False
    listing = ", ".join(names)
    if viable:
        return Check("keyring", OK, t.tr("Хранилища паролей в программе: {names}; для этой системы — {label}, "
                                         "отвечает", names=listing, label=label))
    if forced_file:
        return Check("keyring", OK, t.tr("Хранилище паролей этой системы ({label}) не отвечает, но и не нужно: "
                                         "секреты хранятся в файле (KASPI_AMO_SECRETS=file)", label=label))
    return Check("keyring", WARN, t.tr(
        "Хранилище паролей этой системы ({label}) не отвечает (нет службы или она заблокирована): токены будут "
        "храниться в файле, доступном только владельцу. Запустите службу (на Linux — Secret Service, например "
        "gnome-keyring) или выберите файл явно: KASPI_AMO_SECRETS=file.", label=label))


def check_secret_store(store: SecretStore, warning: str | None, mode: str | None,
                       t: Translator | None = None) -> Check:
    """Write, read back and delete a random dummy secret in the store the app would use."""
    t = t or Translator()
    backend = store.backend_name
    kind = (t.tr("файл {path}", path=backend[len("file:"):]) if backend.startswith("file:")
            else backend.replace("keyring:", "keyring "))
    dummy = pysecrets.token_hex(16)
    try:
        store.set(_PROBE_KEY, dummy)
        read_back = store.get(_PROBE_KEY)
        store.delete(_PROBE_KEY)
        gone = store.get(_PROBE_KEY) is None
    except Exception as exc:  # noqa: BLE001 - any backend error: report its type and text, never a value
        return Check("secrets", FAIL, t.tr("Хранилище секретов ({kind}) не работает: {error}", kind=kind,
                                           error=f"{type(exc).__name__}: {exc}"))
    if read_back != dummy or not gone:
        return Check("secrets", FAIL, t.tr("Хранилище секретов ({kind}) не вернуло записанное: токены не сохранятся.",
                                           kind=kind))
    if warning:
        return Check("secrets", WARN, t.tr("Системное хранилище паролей недоступно: токены хранятся в файле {path}, "
                                           "доступном только владельцу. Проверка записи, чтения и удаления прошла.",
                                           path=backend.removeprefix("file:")))
    forced = " (KASPI_AMO_SECRETS=file)" if (mode or "").strip().lower() == "file" else ""
    return Check("secrets", OK, t.tr("Секреты хранятся: {kind}{forced}; проверка записи, чтения и удаления прошла",
                                     kind=kind, forced=forced))


def _sqlite_summary(path: Path, known: set[int], t: Translator) -> Check:
    uri = path.resolve().as_uri().replace("file://", "file:", 1) + "?mode=ro"
    aside = t.tr("при следующем запуске она будет отложена в сторону, а сделки подхвачены из amoCRM.")
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=5)
        try:
            quick = conn.execute("PRAGMA quick_check").fetchone()
            if not quick or quick[0] != "ok":
                return Check("store", WARN, t.tr("База {path} повреждена ({detail}): {aside}", path=path,
                                                 detail=quick[0] if quick else "?", aside=aside))
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            applied = ({row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
                       if "schema_migrations" in tables else set())
            orders = conn.execute("SELECT COUNT(*) FROM orders").fetchone()[0] if "orders" in tables else 0
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return Check("store", WARN, t.tr("База {path} не читается ({detail}): {aside}", path=path, detail=exc,
                                         aside=aside))
    newer = sorted(v for v in applied if v not in known and v > max(known, default=0))
    if newer:
        return Check("store", FAIL, t.tr("База {path} создана более новой версией программы (схема {schema}): "
                                         "обновите программу.", path=path, schema=f"{newer[-1]:03d}"))
    pending = len(known - applied)
    tail = t.tr("; миграций к применению: {count}", count=pending) if pending else ""
    return Check("store", OK, t.tr("База SQLite {path}: заказов {orders}, схема {schema}{tail}", path=path,
                                   orders=orders, schema=f"{max(applied, default=0):03d}", tail=tail))


def check_store(database: str, t: Translator | None = None, timeout: float = NETWORK_TIMEOUT) -> Check:
    """Migrations are in the build and apply to a scratch SQLite; the configured store opens read-only."""
    from app.store.factory import open_store, sqlite_path_from_url
    from app.store.migrations import load_migrations

    t = t or Translator()
    try:
        sqlite_migrations = load_migrations("sqlite")
        postgres_migrations = load_migrations("postgres")
    except Exception as exc:  # noqa: BLE001 - a self-check reports whatever breaks, never crashes
        return Check("store", FAIL, t.tr("Миграции базы данных не найдены в программе: {error}", error=exc))
    if not sqlite_migrations or not postgres_migrations:
        return Check("store", FAIL, t.tr("Миграции базы данных отсутствуют в программе: переустановите её."))
    try:
        with tempfile.TemporaryDirectory(prefix="kaspi-amo-doctor-") as scratch:
            store = open_store(str(Path(scratch) / "probe.sqlite3"))
            try:
                store.migrate()
            finally:
                store.close()
    except Exception as exc:  # noqa: BLE001 - a self-check reports whatever breaks, never crashes
        return Check("store", FAIL, t.tr("Миграции не применяются к новой базе SQLite: {error}", error=exc))
    try:
        path_text = sqlite_path_from_url(database)
    except Exception as exc:  # noqa: BLE001 - a self-check reports whatever breaks, never crashes
        return Check("store", FAIL, t.error(exc))
    if path_text is None:
        return _check_postgres(database, {m.version for m in postgres_migrations}, t, timeout)
    path = Path(path_text).expanduser()
    if not path.exists():
        return Check("store", OK, t.tr("Миграции на месте ({count}); база SQLite будет создана при первой "
                                       "синхронизации: {path}", count=len(sqlite_migrations), path=path))
    return _sqlite_summary(path, {m.version for m in sqlite_migrations}, t)


def _check_postgres(url: str, known: set[int], t: Translator, timeout: float) -> Check:
    """Opened the way a poll opens it, so a failure is the very line a poll would print."""
    from app.errors import SyncError
    from app.store.postgres import PostgresStore

    try:
        store = PostgresStore(url, connect_timeout=timeout)
    except SyncError as exc:
        return Check("store", FAIL, t.error(exc))
    where = str(store.target)
    store.close()
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=max(2, int(timeout))) as conn:
            row = conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()
            applied = ({r[0] for r in conn.execute("SELECT version FROM schema_migrations")} if row and row[0]
                       else set())
    except Exception as exc:  # noqa: BLE001 - a self-check reports whatever breaks, never crashes
        return Check("store", FAIL, t.tr("PostgreSQL {where}: схема не читается ({error})", where=where,
                                         error=type(exc).__name__))
    pending = len(known - applied)
    tail = t.tr("; миграций к применению: {count}", count=pending) if pending else ""
    return Check("store", OK, t.tr("PostgreSQL {where} отвечает, схема {schema}{tail}", where=where,
                                   schema=f"{max(applied, default=0):03d}", tail=tail))


def translations_dir() -> Path:
    """Where app/gui/i18n.py looks (next to the package, in a pip install and in the bundle)."""
    import app.gui

    return Path(app.gui.__file__).resolve().parent / "resources" / "translations"


def check_translations(t: Translator | None = None) -> Check:
    t = t or Translator()
    folder = translations_dir()
    missing = [lang for lang in UI_LANGUAGES if not (folder / f"kaspi_amo_{lang}.qm").is_file()]
    if missing:
        return Check("translations", FAIL, t.tr("Нет файлов перевода ({languages}) в {folder}: переустановите "
                                                "программу.", languages=", ".join(missing), folder=folder))
    try:
        from PySide6.QtCore import QTranslator
    except ImportError:
        return Check("translations", OK, t.tr("Файлы перевода на месте ({languages}); Qt не установлен, загрузка "
                                              "не проверялась", languages=", ".join(UI_LANGUAGES)))
    unloadable = [lang for lang in UI_LANGUAGES if not QTranslator().load(f"kaspi_amo_{lang}", str(folder))]
    if unloadable:
        return Check("translations", FAIL, t.tr("Переводы не загружаются ({languages}): файлы повреждены.",
                                                languages=", ".join(unloadable)))
    return Check("translations", OK, t.tr("Переводы загружаются: {languages} ({folder})",
                                          languages=", ".join(UI_LANGUAGES), folder=folder))


def _native_platform_plugins() -> tuple[str, ...]:
    if sys.platform == "win32":
        return ("qwindows",)
    if sys.platform == "darwin":
        return ("qcocoa",)
    return ("qxcb", "qwayland")


def check_qt(t: Translator | None = None) -> Check:
    """PySide6 importable, the desktop's platform plugin and the tray icons present."""
    t = t or Translator()
    try:
        import PySide6
        from PySide6.QtCore import QLibraryInfo
    except ImportError:
        return Check("qt", WARN, t.tr("Qt (PySide6) не установлен: работает только командная строка, приложения "
                                      "в трее нет (pip install 'kaspi-amo-sync[gui]')."))
    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
    names = {p.name for p in plugins.iterdir()} if plugins.is_dir() else set()
    native = [n for n in _native_platform_plugins() if any(n in name for name in names)]
    import app.gui

    icons = Path(app.gui.__file__).resolve().parent / "resources" / "icons"
    tray_icons = sorted(icons.glob("tray-*.png")) if icons.is_dir() else []
    if not native:
        return Check("qt", FAIL, t.tr("Нет модуля платформы Qt для этой системы ({plugins}) в {folder}: окно и "
                                      "значок в трее не запустятся.", plugins="/".join(_native_platform_plugins()),
                                      folder=plugins))
    if not tray_icons:
        return Check("qt", WARN, t.tr("Нет файлов значков в {folder}: значки будут нарисованы программой.",
                                      folder=icons))
    return Check("qt", OK, t.tr("Qt {version}: модуль платформы {plugins}, значков трея {count}",
                                version=PySide6.__version__, plugins=", ".join(native), count=len(tray_icons)))


def check_tls(t: Translator | None = None) -> Check:
    """The CA bundle requests uses is present and loads (a frozen app must carry it)."""
    t = t or Translator()
    try:
        import ssl

        import certifi

        context = ssl.create_default_context(cafile=certifi.where())
        count = context.cert_store_stats().get("x509_ca", 0)
    except Exception as exc:  # noqa: BLE001 - a self-check reports whatever breaks, never crashes
        return Check("tls", FAIL, t.tr("Сертификаты для HTTPS не загружаются: {error}", error=exc))
    if not count:
        return Check("tls", FAIL, t.tr("Список сертификатов для HTTPS пуст: защищённые соединения не установятся."))
    return Check("tls", OK, t.tr("Сертификаты для HTTPS загружены: {count}", count=count))


# --- reaching Kaspi and amoCRM as a poll does --------------------------------------------


def _client_error(service: str, setting: str, url: str, exc: requests.exceptions.RequestException) -> BaseException:
    """The error the service's client would raise for this failed request, so the report says
    exactly what a poll would say (and other languages explain it the same way)."""
    import requests

    from app.errors import (
        AmoUnavailable,
        AmoUnreachable,
        KaspiUnavailable,
        KaspiUnreachable,
    )

    amo = service == "amoCRM"
    host = _host_of(url)
    if never_sent(exc):
        unreachable = AmoUnreachable if amo else KaspiUnreachable
        return unreachable(unreachable_message(url, setting, exc), address=host)
    unavailable = AmoUnavailable if amo else KaspiUnavailable
    if isinstance(exc, requests.exceptions.SSLError):
        return unavailable(f"защищённое соединение с {host} ({setting}) не установилось: проверьте адрес, дату "
                           "на компьютере и прокси.")
    return unavailable(f"{host} ({setting}) не ответил за {NETWORK_TIMEOUT:g} с ({type(exc).__name__}). "
                       "Проверьте подключение к интернету.")


def check_kaspi(settings: Settings, t: Translator, timeout: float = NETWORK_TIMEOUT) -> Check:
    """With a token: the poll's own cheap read (one order of the last 24 hours) — an answer, and
    the token accepted. Without one: any HTTP answer to the client's headers counts."""
    import requests

    from app.errors import KaspiError
    from app.kaspi.client import KaspiClient, api_headers

    url = settings.kaspi_base_url
    host = _host_of(url)
    configured = not settings.missing_for_sync()
    started = time.monotonic()
    if settings.kaspi_api_token:
        try:
            client = KaspiClient(settings.kaspi_api_token, url, max_retries=0, timeout=(timeout, timeout))
            client.check_token()
        except KaspiError as exc:  # the token refused, no connection, an answer that is no API's
            return Check("network:Kaspi", FAIL, t.error(exc))
        except ValueError as exc:  # a base URL the client refuses (plain http to a remote host)
            return Check("network:Kaspi", FAIL, t.tr("KASPI_BASE_URL не подходит: {error}", error=exc))
        seconds = time.monotonic() - started
        return Check("network:Kaspi", OK, t.tr("Kaspi ({host}) отвечает и принимает токен: {seconds} с",
                                               host=host, seconds=f"{seconds:.1f}"))
    try:
        response = requests.get(url.rstrip("/") + "/orders", headers=api_headers(), timeout=timeout,
                                allow_redirects=False)
        response.close()
    except requests.exceptions.RequestException as exc:
        return Check("network:Kaspi", FAIL if configured else WARN,
                     t.error(_client_error("Kaspi", "KASPI_BASE_URL", url, exc)))
    seconds = time.monotonic() - started
    return Check("network:Kaspi", OK, t.tr("Kaspi ({host}) отвечает: HTTP {code} за {seconds} с (токен не задан, "
                                           "не проверялся)", host=host, code=response.status_code,
                                           seconds=f"{seconds:.1f}"))


def check_amo(settings: Settings, t: Translator, timeout: float = NETWORK_TIMEOUT) -> Check:
    """amoCRM's account endpoint with the client's headers: any HTTP answer means the address
    is an answering server; no connection is a failure, since a poll would fail the same way."""
    import requests

    from app.amo.client import api_headers

    url = settings.amo_base_url
    if not url:
        return Check("network:amoCRM", WARN, t.tr("Адрес amoCRM (AMO_BASE_URL) не задан: связь не проверялась."))
    host = _host_of(url)
    started = time.monotonic()
    try:
        response = requests.get(url.rstrip("/") + "/api/v4/account", headers=api_headers(), timeout=timeout,
                                allow_redirects=False)
        response.close()
    except requests.exceptions.RequestException as exc:
        return Check("network:amoCRM", FAIL, t.error(_client_error("amoCRM", "AMO_BASE_URL", url, exc)))
    seconds = time.monotonic() - started
    return Check("network:amoCRM", OK, t.tr("amoCRM ({host}) отвечает: HTTP {code} за {seconds} с", host=host,
                                            code=response.status_code, seconds=f"{seconds:.1f}"))


def check_network(settings: Settings, timeout: float = NETWORK_TIMEOUT, t: Translator | None = None) -> list[Check]:
    """Kaspi and amoCRM in parallel, each as a poll would reach it."""
    t = t or Translator()
    with ThreadPoolExecutor(max_workers=2) as pool:
        kaspi = pool.submit(check_kaspi, settings, t, timeout)
        amo = pool.submit(check_amo, settings, t, timeout)
        return [kaspi.result(), amo.result()]


# --- running and reporting ---------------------------------------------------------------


def run_checks(env: Mapping[str, str] | None = None, *, network: bool = True, timeout: float = NETWORK_TIMEOUT,
               t: Translator | None = None) -> tuple[list[Check], Path | None]:
    """Every check, in the order a person reads them. Returns the checks and the log folder."""
    from app.bootstrap import KEYRING_SECRETS
    from app.config import Settings, load_settings
    from app.paths import resolve_paths
    from app.secrets import open_secret_store

    t = t or Translator()
    env = dict(os.environ if env is None else env)
    checks = [check_version(t)]
    paths = resolve_paths(env)
    checks.append(check_paths(paths, t))
    mode = env.get("KASPI_AMO_SECRETS")
    store, warning = open_secret_store(paths.secrets_file, mode=mode)
    settings_error: BaseException | None = None
    try:
        stored = {name: store.get(name) for name in KEYRING_SECRETS}
        settings = load_settings(env, secrets=stored)
    except Exception as exc:  # noqa: BLE001 - ConfigError carries the plain line; anything else is reported as is
        settings_error = exc
        settings = Settings(paths=paths)
    checks.append(check_settings(settings, settings_error, t))
    checks.append(check_keyring_backends(t, forced_file=(mode or "").strip().lower() == "file"))
    checks.append(check_secret_store(store, warning, mode, t))
    checks.append(check_store(settings.database, t, timeout))
    checks.append(check_qt(t))
    checks.append(check_translations(t))
    checks.append(check_tls(t))
    if network:
        checks.extend(check_network(settings, timeout, t))
    return checks, paths.log_dir


def format_report(checks: Sequence[Check], t: Translator | None = None) -> str:
    t = t or Translator()
    fails = sum(c.status == FAIL for c in checks)
    warns = sum(c.status == WARN for c in checks)
    lines = [t.tr("{app} {version}: проверка установки", app=APP_DISPLAY_NAME, version=__version__)]
    lines += [f"{MARKS[c.status]} {c.message}" for c in checks]
    if fails:
        verdict = t.tr("Итог: ошибок {fails}, предупреждений {warns}. Синхронизация не заработает, пока ошибки не "
                       "исправлены.", fails=fails, warns=warns)
    elif warns:
        verdict = t.tr("Итог: ошибок нет, предупреждений {warns}.", warns=warns)
    else:
        verdict = t.tr("Итог: всё в порядке.")
    return "\n".join([*lines, verdict])


def write_report(text: str, log_dir: Path | None) -> Path | None:
    if log_dir is None:
        return None
    target = log_dir / REPORT_NAME
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        target.write_text(text + "\n", encoding="utf-8")
    except OSError:
        return None
    return target


def main(t: Translator | None = None, *, as_json: bool = False, network: bool = True,
         env: Mapping[str, str] | None = None, out: TextIO | None = None,
         checks_runner: Callable[..., tuple[list[Check], Path | None]] = run_checks) -> int:
    """Print the report (text or JSON), keep a copy in the log folder; 0 when nothing failed."""
    t = t or Translator()
    out = out or sys.stdout
    checks, log_dir = checks_runner(env, network=network, t=t)
    text = format_report(checks, t)
    report = write_report(text, log_dir)
    failed = any(c.status == FAIL for c in checks)
    if as_json:
        payload = {"version": __version__, "ok": not failed, "frozen": is_frozen(), "language": t.language,
                   "checks": [asdict(c) for c in checks], "report_file": str(report) if report else None}
        print(json.dumps(payload, ensure_ascii=False, indent=2), file=out)
    else:
        print(text, file=out)
        if report:
            print(t.tr("Отчёт сохранён: {path}", path=report), file=out)
    out.flush()
    return 1 if failed else 0
