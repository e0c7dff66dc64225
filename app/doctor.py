"""`kaspi-amo doctor`: a self-check of this installation, for owners, support and the frozen build.

Each check answers ok / warn / fail with one plain Russian line. `fail` means the app cannot
work as installed (a folder it cannot write, a secret store that loses what it is given, a
damaged settings file, migrations or translations missing from the build); `warn` means it
works but something needs a look (not configured yet, no OS keyring so secrets sit in a file,
Kaspi or amoCRM unreachable from here: network, proxy, VPN or antivirus).

Works on a first run (no configuration), without Qt (the headless checks still run) and in the
PyInstaller bundle. Never prints a secret: only names, backends, folders and host names. The
report is also written to the log folder (doctor.txt), since a windowed Windows app may have
nowhere to print.
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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Mapping, Sequence, TextIO
from urllib.parse import urlsplit

from app import APP_DISPLAY_NAME, __version__

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
    if not url:
        return ""
    parts = urlsplit(url)
    if not parts.hostname:
        return "(адрес не распознан)"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}"


# --- the checks --------------------------------------------------------------------------


def check_version() -> Check:
    where = f"собранное приложение в {Path(sys.executable).parent}" if is_frozen() else f"Python {sys.executable}"
    return Check("version", OK, f"{APP_DISPLAY_NAME} {__version__}; Python {platform.python_version()}, "
                                f"{platform.system()} {platform.release()} ({platform.machine()}); {where}")


def check_paths(paths) -> Check:  # type: ignore[no-untyped-def] - AppPaths
    """The three folders exist (created as the app would) and a file can be written in each."""
    problems = []
    for label, folder in (("настройки", paths.config_dir), ("данные", paths.data_dir), ("логи", paths.log_dir)):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, probe = tempfile.mkstemp(prefix=".doctor-", dir=folder)
            os.write(fd, b"ok")
            os.close(fd)
            os.unlink(probe)
        except OSError as exc:
            problems.append(f"{label} {folder}: {exc.strerror or exc}")
    listing = f"настройки {paths.config_dir}, данные {paths.data_dir}, логи {paths.log_dir}"
    if problems:
        return Check("paths", FAIL, "Нельзя записать в папку: " + "; ".join(problems) + ". Проверьте права доступа.")
    return Check("paths", OK, f"Папки доступны для записи: {listing}")


def check_settings(settings, error: str | None) -> Check:  # type: ignore[no-untyped-def]
    if error:
        return Check("settings", FAIL, error)
    missing = settings.missing_for_sync()
    where = f"файл настроек {settings.paths.settings_file}" + ("" if settings.paths.settings_file.exists() else " (ещё нет)")
    if missing:
        return Check("settings", WARN, f"Синхронизация ещё не настроена: не заданы {', '.join(missing)}. "
                                       f"Откройте мастер настройки в приложении ({where}).")
    mode = "пробный запуск (DRY_RUN)" if settings.dry_run else "рабочий режим"
    return Check("settings", OK, f"Настройки полные: Kaspi {_host_of(settings.kaspi_base_url)}, "
                                 f"amoCRM {_host_of(settings.amo_base_url)}, {mode}; {where}")


def _native_keyring_module() -> str:
    if sys.platform == "win32":
        return "keyring.backends.Windows"
    if sys.platform == "darwin":
        return "keyring.backends.macOS"
    return "keyring.backends.SecretService"


def check_keyring_backends() -> Check:
    """keyring finds backends through its entry points: a frozen app loses them without keyring's
    metadata (jaraco/keyring#324) and then silently falls back to the file."""
    import importlib
    from importlib.metadata import entry_points

    from keyring.backend import KeyringBackend

    names = sorted({ep.name for ep in entry_points(group="keyring.backends")})
    module_name = _native_keyring_module()
    label = module_name.rsplit(".", 1)[-1]
    if not names:
        return Check("keyring", WARN, "Модули системных хранилищ паролей не зарегистрированы (нет данных пакета keyring): "
                                      "секреты будут храниться в файле.")
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:
        return Check("keyring", WARN, f"Модуль хранилища паролей этой системы ({label}) не загружается: "
                                      f"{type(exc).__name__}: {exc}")
    backends = [obj for obj in vars(module).values()
                if isinstance(obj, type) and issubclass(obj, KeyringBackend) and obj.__module__ == module_name]
    try:
        viable = any(cls.viable for cls in backends)
    except Exception:
        viable = False
    state = "отвечает" if viable else "сейчас не отвечает (нет службы или она заблокирована)"
    return Check("keyring", OK, f"Хранилища паролей в программе: {', '.join(names)}; для этой системы — {label}, {state}")


def check_secret_store(store, warning: str | None, mode: str | None) -> Check:  # type: ignore[no-untyped-def]
    """Write, read back and delete a random dummy secret in the store the app would use."""
    backend = store.backend_name
    kind = "файл " + backend[len("file:"):] if backend.startswith("file:") else backend.replace("keyring:", "keyring ")
    dummy = pysecrets.token_hex(16)
    try:
        store.set(_PROBE_KEY, dummy)
        read_back = store.get(_PROBE_KEY)
        store.delete(_PROBE_KEY)
        gone = store.get(_PROBE_KEY) is None
    except Exception as exc:  # any backend error: report its type and text, never a value
        return Check("secrets", FAIL, f"Хранилище секретов ({kind}) не работает: {type(exc).__name__}: {exc}")
    if read_back != dummy or not gone:
        return Check("secrets", FAIL, f"Хранилище секретов ({kind}) не вернуло записанное: токены не сохранятся.")
    if warning:
        return Check("secrets", WARN, f"{warning} Проверка записи, чтения и удаления прошла.")
    forced = " (KASPI_AMO_SECRETS=file)" if (mode or "").strip().lower() == "file" else ""
    return Check("secrets", OK, f"Секреты хранятся: {kind}{forced}; проверка записи, чтения и удаления прошла")


def _sqlite_summary(path: Path, known: set[int]) -> Check:
    uri = path.resolve().as_uri().replace("file://", "file:", 1) + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=5)
        try:
            quick = conn.execute("PRAGMA quick_check").fetchone()
            if not quick or quick[0] != "ok":
                return Check("store", WARN, f"База {path} повреждена ({quick[0] if quick else '?'}): при следующем "
                                            "запуске она будет отложена в сторону, а сделки подхвачены из amoCRM.")
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            applied = ({row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
                       if "schema_migrations" in tables else set())
            orders = conn.execute("SELECT COUNT(*) FROM orders").fetchone()[0] if "orders" in tables else 0
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return Check("store", WARN, f"База {path} не читается ({exc}): при следующем запуске она будет отложена "
                                    "в сторону, а сделки подхвачены из amoCRM.")
    newer = sorted(v for v in applied if v not in known and v > max(known, default=0))
    if newer:
        return Check("store", FAIL, f"База {path} создана более новой версией программы (схема {newer[-1]:03d}): "
                                    "обновите программу.")
    pending = len(known - applied)
    tail = f"; миграций к применению: {pending}" if pending else ""
    return Check("store", OK, f"База SQLite {path}: заказов {orders}, схема {max(applied, default=0):03d}{tail}")


def check_store(database: str) -> Check:
    """Migrations are in the build and apply to a scratch SQLite; the configured store opens read-only."""
    from app.store.factory import open_store, sqlite_path_from_url
    from app.store.migrations import load_migrations

    try:
        sqlite_migrations = load_migrations("sqlite")
        postgres_migrations = load_migrations("postgres")
    except Exception as exc:
        return Check("store", FAIL, f"Миграции базы данных не найдены в программе: {exc}")
    if not sqlite_migrations or not postgres_migrations:
        return Check("store", FAIL, "Миграции базы данных отсутствуют в программе: переустановите её.")
    try:
        with tempfile.TemporaryDirectory(prefix="kaspi-amo-doctor-") as scratch:
            store = open_store(str(Path(scratch) / "probe.sqlite3"))
            try:
                store.migrate()
            finally:
                store.close()
    except Exception as exc:
        return Check("store", FAIL, f"Миграции не применяются к новой базе SQLite: {exc}")
    try:
        path_text = sqlite_path_from_url(database)
    except Exception as exc:
        return Check("store", FAIL, f"DATABASE_URL неверный: {getattr(exc, 'message', exc)}")
    if path_text is None:
        return _check_postgres(database, {m.version for m in postgres_migrations})
    path = Path(path_text).expanduser()
    if not path.exists():
        return Check("store", OK, f"Миграции на месте ({len(sqlite_migrations)}); база SQLite будет создана "
                                  f"при первой синхронизации: {path}")
    return _sqlite_summary(path, {m.version for m in sqlite_migrations})


def _check_postgres(url: str, known: set[int]) -> Check:
    where = _host_of(url) + (urlsplit(url).path or "")
    try:
        import psycopg
    except ImportError:
        return Check("store", FAIL, f"DATABASE_URL указывает на PostgreSQL ({where}), а модуль psycopg не установлен: "
                                    "pip install 'kaspi-amo-sync[postgres]'.")
    try:
        with psycopg.connect(url, connect_timeout=int(NETWORK_TIMEOUT)) as conn:
            row = conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()
            applied = ({r[0] for r in conn.execute("SELECT version FROM schema_migrations")} if row and row[0]
                       else set())
    except Exception as exc:
        return Check("store", FAIL, f"PostgreSQL {where} недоступен: {type(exc).__name__}")
    pending = len(known - applied)
    tail = f"; миграций к применению: {pending}" if pending else ""
    return Check("store", OK, f"PostgreSQL {where} отвечает, схема {max(applied, default=0):03d}{tail}")


def translations_dir() -> Path:
    """Where app/gui/i18n.py looks (next to the package, in a pip install and in the bundle)."""
    import app.gui

    return Path(app.gui.__file__).resolve().parent / "resources" / "translations"


def check_translations() -> Check:
    folder = translations_dir()
    missing = [lang for lang in UI_LANGUAGES if not (folder / f"kaspi_amo_{lang}.qm").is_file()]
    if missing:
        return Check("translations", FAIL, f"Нет файлов перевода ({', '.join(missing)}) в {folder}: переустановите программу.")
    try:
        from PySide6.QtCore import QTranslator
    except ImportError:
        return Check("translations", OK, f"Файлы перевода на месте ({', '.join(UI_LANGUAGES)}); "
                                         "Qt не установлен, загрузка не проверялась")
    unloadable = [lang for lang in UI_LANGUAGES if not QTranslator().load(f"kaspi_amo_{lang}", str(folder))]
    if unloadable:
        return Check("translations", FAIL, f"Переводы не загружаются ({', '.join(unloadable)}): файлы повреждены.")
    return Check("translations", OK, f"Переводы загружаются: {', '.join(UI_LANGUAGES)} ({folder})")


def _native_platform_plugins() -> tuple[str, ...]:
    if sys.platform == "win32":
        return ("qwindows",)
    if sys.platform == "darwin":
        return ("qcocoa",)
    return ("qxcb", "qwayland")


def check_qt() -> Check:
    """PySide6 importable, the desktop's platform plugin and the tray icons present."""
    try:
        import PySide6
        from PySide6.QtCore import QLibraryInfo
    except ImportError:
        return Check("qt", WARN, "Qt (PySide6) не установлен: работает только командная строка, приложения в трее "
                                 "нет (pip install 'kaspi-amo-sync[gui]').")
    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
    names = {p.name for p in plugins.iterdir()} if plugins.is_dir() else set()
    native = [n for n in _native_platform_plugins() if any(n in name for name in names)]
    import app.gui

    icons = Path(app.gui.__file__).resolve().parent / "resources" / "icons"
    tray_icons = sorted(icons.glob("tray-*.png")) if icons.is_dir() else []
    if not native:
        return Check("qt", FAIL, f"Нет модуля платформы Qt для этой системы ({'/'.join(_native_platform_plugins())}) "
                                 f"в {plugins}: окно и значок в трее не запустятся.")
    if not tray_icons:
        return Check("qt", WARN, f"Нет файлов значков в {icons}: значки будут нарисованы программой.")
    return Check("qt", OK, f"Qt {PySide6.__version__}: модуль платформы {', '.join(native)}, значков трея {len(tray_icons)}")


def check_tls() -> Check:
    """The CA bundle requests uses is present and loads (a frozen app must carry it)."""
    try:
        import ssl

        import certifi

        context = ssl.create_default_context(cafile=certifi.where())
        count = context.cert_store_stats().get("x509_ca", 0)
    except Exception as exc:
        return Check("tls", FAIL, f"Сертификаты для HTTPS не загружаются: {exc}")
    if not count:
        return Check("tls", FAIL, "Список сертификатов для HTTPS пуст: защищённые соединения не установятся.")
    return Check("tls", OK, f"Сертификаты для HTTPS загружены: {count}")


def _reach(label: str, url: str, timeout: float, note: str) -> Check:
    import requests

    host = _host_of(url)
    started = time.monotonic()
    try:
        response = requests.head(url, timeout=timeout, allow_redirects=False)
        response.close()
    except requests.exceptions.SSLError as exc:
        return Check(f"network:{label}", WARN, f"{label} ({host}): защищённое соединение не установилось "
                                               f"({type(exc).__name__}); проверьте дату на компьютере и прокси.")
    except requests.exceptions.RequestException as exc:
        return Check(f"network:{label}", WARN, f"{label} ({host}) не отвечает ({type(exc).__name__}){note}")
    seconds = time.monotonic() - started
    return Check(f"network:{label}", OK, f"{label} ({host}) отвечает: HTTP {response.status_code} за {seconds:.1f} с")


def check_network(settings, timeout: float = NETWORK_TIMEOUT) -> list[Check]:  # type: ignore[no-untyped-def]
    """A short HEAD to each configured API host, in parallel. Any HTTP answer counts as reachable."""
    targets: list[tuple[str, str, str]] = [
        ("Kaspi", settings.kaspi_base_url,
         ": проверьте интернет и что прокси, VPN или антивирус пропускают запросы к kaspi.kz."),
    ]
    if settings.amo_base_url:
        targets.append(("amoCRM", settings.amo_base_url, ": проверьте интернет и адрес аккаунта."))
    with ThreadPoolExecutor(max_workers=len(targets)) as pool:
        results = list(pool.map(lambda t: _reach(t[0], t[1], timeout, t[2]), targets))
    if not settings.amo_base_url:
        results.append(Check("network:amoCRM", WARN, "Адрес amoCRM не задан: связь не проверялась."))
    return results


# --- running and reporting ---------------------------------------------------------------


def run_checks(env: Mapping[str, str] | None = None, *, network: bool = True,
               timeout: float = NETWORK_TIMEOUT) -> tuple[list[Check], Path | None]:
    """Every check, in the order a person reads them. Returns the checks and the log folder."""
    from app.bootstrap import KEYRING_SECRETS
    from app.config import Settings, load_settings
    from app.paths import resolve_paths
    from app.secrets import open_secret_store

    env = dict(os.environ if env is None else env)
    checks = [check_version()]
    paths = resolve_paths(env)
    checks.append(check_paths(paths))
    mode = env.get("KASPI_AMO_SECRETS")
    store, warning = open_secret_store(paths.secrets_file, mode=mode)
    settings_error = None
    try:
        stored = {name: store.get(name) for name in KEYRING_SECRETS}
        settings = load_settings(env, secrets=stored)
    except Exception as exc:  # ConfigError carries the plain line; anything else is reported as is
        settings_error = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
        settings = Settings(paths=paths)
    checks.append(check_settings(settings, settings_error))
    checks.append(check_keyring_backends())
    checks.append(check_secret_store(store, warning, mode))
    checks.append(check_store(settings.database))
    checks.append(check_qt())
    checks.append(check_translations())
    checks.append(check_tls())
    if network:
        checks.extend(check_network(settings, timeout))
    return checks, paths.log_dir


def format_report(checks: Sequence[Check]) -> str:
    fails = sum(c.status == FAIL for c in checks)
    warns = sum(c.status == WARN for c in checks)
    lines = [f"{APP_DISPLAY_NAME} {__version__}: проверка установки"]
    lines += [f"{MARKS[c.status]} {c.message}" for c in checks]
    if fails:
        verdict = f"Итог: ошибок {fails}, предупреждений {warns}. Программа не сможет работать, пока ошибки не исправлены."
    elif warns:
        verdict = f"Итог: ошибок нет, предупреждений {warns}."
    else:
        verdict = "Итог: всё в порядке."
    return "\n".join(lines + [verdict])


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


def main(*, as_json: bool = False, network: bool = True, env: Mapping[str, str] | None = None,
         out: TextIO | None = None, checks_runner: Callable[..., tuple[list[Check], Path | None]] = run_checks) -> int:
    """Print the report (text or JSON), keep a copy in the log folder; 0 when nothing failed."""
    out = out or sys.stdout
    checks, log_dir = checks_runner(env, network=network)
    text = format_report(checks)
    report = write_report(text, log_dir)
    failed = any(c.status == FAIL for c in checks)
    if as_json:
        payload = {"version": __version__, "ok": not failed, "frozen": is_frozen(),
                   "checks": [asdict(c) for c in checks], "report_file": str(report) if report else None}
        print(json.dumps(payload, ensure_ascii=False, indent=2), file=out)
    else:
        print(text, file=out)
        if report:
            print(f"Отчёт сохранён: {report}", file=out)
    out.flush()
    return 1 if failed else 0
