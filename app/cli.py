"""`kaspi-amo`: the tray app without a sub-command, the headless engine (and `doctor`) with one.

Exit codes (docs/contract.md, README): 0 all handled; 1 a cycle or an order failed (one clear
line on stderr per failure), or a service such as the database is down; 2 bad configuration
or command line. Every word printed goes through the user's language (app/lang).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from app import APP_DISPLAY_NAME, __version__
from app.cli_report import format_status, print_report
from app.errors import ConfigError, SyncError
from app.lang import Translator, translator_for
from app.logs import Redactor, setup_logging
from app.sync.events import CycleReport

if TYPE_CHECKING:  # imported lazily at run time, so `--help` and `status` start fast
    from app.bootstrap import Runtime
    from app.config import Settings
    from app.net import ListenAddress

EXIT_OK, EXIT_FAILED, EXIT_CONFIG = 0, 1, 2

log = logging.getLogger("app.cli")


def _err(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _setup_logs(settings: Settings, *, to_stderr: bool = False) -> Redactor:
    return setup_logging(
        level=settings.log_level, pretty=settings.log_pretty, log_file=settings.paths.log_file, to_stderr=to_stderr
    )


def _build(args: argparse.Namespace, *, lock_wait: float = 120.0) -> Runtime:
    from app.bootstrap import build_runtime, load_configuration

    settings, secrets, warning = load_configuration()
    if getattr(args, "dry_run", False):
        from app.config import with_overrides

        settings = with_overrides(settings, dry_run=True)
    redactor = _setup_logs(settings)
    for message in settings.warnings:
        log.warning(message)
        _err(message)
    if warning:
        log.warning(warning)
    return build_runtime(settings, secrets=secrets, lock_wait=lock_wait, redactor=redactor)


def cycle_exit_code(report: CycleReport) -> int:
    """0 when all went through; 2 when the cycle stopped on the configuration (a store bound to
    another account, a schema that is missing); 1 for any other failure."""
    if report.ok:
        return EXIT_OK
    return EXIT_CONFIG if isinstance(report.error, ConfigError) else EXIT_FAILED


def _one_cycle(args: argparse.Namespace, t: Translator, kind: str) -> int:
    """`poll` or `reconcile` once: the report on stdout/stderr, the exit code from it."""
    runtime = _build(args)
    try:
        report: CycleReport = runtime.engine.poll() if kind == "poll" else runtime.engine.reconcile()
    finally:
        runtime.close()
    print_report(report, t)
    return cycle_exit_code(report)


def cmd_poll(args: argparse.Namespace, t: Translator) -> int:
    return _one_cycle(args, t, "poll")


def cmd_reconcile(args: argparse.Namespace, t: Translator) -> int:
    return _one_cycle(args, t, "reconcile")


def cmd_run(args: argparse.Namespace, t: Translator) -> int:
    """The headless daemon at the configured cadence until SIGINT/SIGTERM; with --http (or
    KASPI_AMO_HTTP) also the metrics, health and status endpoint."""
    from app.bootstrap import build_http_service
    from app.scheduler import scheduler_for

    address = _http_address(args)
    runtime = _build(args, lock_wait=5.0)
    setup = runtime.settings
    redactor = _setup_logs(setup, to_stderr=True)
    redactor.add(setup.kaspi_amo_http_password, setup.healthcheck_ping_url)
    service = build_http_service(runtime, address, t, redactor=redactor) if address else None
    stopping = threading.Event()

    def report(cycle: CycleReport) -> None:
        if service is not None:
            service.app.observe(cycle)
        print_report(cycle, t)
        sys.stdout.flush()

    scheduler = scheduler_for(setup, runtime.engine, on_report=report, on_minute=runtime.alerts.check_heartbeat)
    try:
        bound = service.start() if service is not None else None
    except ConfigError:
        runtime.close()
        raise
    runtime.alerts.check_heartbeat()  # a long silence before this start is an incident too
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.set())
    print(t.tr("{app}: синхронизация запущена (опрос каждые {poll} с, сверка каждые {reconcile} мин). "
               "Остановить: Ctrl+C.", app=APP_DISPLAY_NAME, poll=setup.poll_interval_seconds,
               reconcile=setup.reconcile_interval_minutes), flush=True)
    if bound is not None:
        print(t.tr("Метрики и состояние: {url} (/metrics, /healthz, /readyz)", url=bound.url("/")), flush=True)
    scheduler.start()
    try:
        while not stopping.wait(0.5):
            pass
    finally:
        print(t.tr("Остановка: завершаю текущую пачку заказов…"), flush=True)
        scheduler.stop()
        if service is not None:
            service.stop()
        runtime.close()
    print(t.tr("Остановлено."), flush=True)
    return EXIT_OK


def _http_address(args: argparse.Namespace) -> ListenAddress | None:
    """Where to serve (--http, else KASPI_AMO_HTTP), checked before anything starts: a
    non-loopback address without KASPI_AMO_HTTP_PASSWORD is refused (exit 2)."""
    from app.config import load_settings
    from app.net import parse_listen_address

    settings = load_settings()  # the environment and files only: the password is never in the keyring
    address = parse_listen_address("--http", args.http) if args.http else settings.kaspi_amo_http
    if address is not None:
        from app.service.server import (
            require_password_rule,  # prometheus_client only when serving
        )

        require_password_rule(address, settings.kaspi_amo_http_password)
    return address


def _status_settings(args: argparse.Namespace, t: Translator) -> Settings:
    """The configuration whose store `status` reads: the user's, or the last demo's."""
    if not args.demo:
        from app.bootstrap import load_configuration

        return load_configuration()[0]
    from app.demo import demo_settings

    settings = demo_settings(os.environ)
    if not settings.paths.default_database.exists():
        raise ConfigError(t.tr("Демо ещё не запускалось: сначала kaspi-amo demo."))
    return settings


def cmd_status(args: argparse.Namespace, t: Translator) -> int:
    from app.clock import utc_now
    from app.store.factory import open_store
    from app.sync.deadlines import DeadlineRules
    from app.sync.status import read_status

    settings = _status_settings(args, t)
    rules = DeadlineRules.from_settings(settings.alert_accept_minutes, settings.alert_handover_hours)
    store = open_store(settings.database)
    try:
        store.migrate()
        status = read_status(store, utc_now(), rules)
    finally:
        store.close()
    if args.json:
        print(json.dumps(status.to_json(), ensure_ascii=False, indent=2))
    else:
        print(format_status(status, t))
    return EXIT_OK


def cmd_migrate(args: argparse.Namespace, t: Translator) -> int:
    from app.bootstrap import load_configuration
    from app.store.factory import open_store

    settings, _secrets, _warning = load_configuration()
    store = open_store(settings.database)
    try:
        applied = store.migrate()
    finally:
        store.close()
    print(t.tr("Миграции применены: {count}", count=applied) if applied
          else t.tr("База данных уже в актуальном состоянии"))
    return EXIT_OK


def cmd_sandbox(args: argparse.Namespace, t: Translator) -> int:
    from app.cli_sandbox import serve

    return serve(t, form=args.format, env_file=args.env_file, kaspi_port=args.kaspi_port, amo_port=args.amo_port)


def cmd_demo(args: argparse.Namespace, t: Translator) -> int:
    from app.demo import run_demo

    return run_demo(t)


def cmd_doctor(args: argparse.Namespace, t: Translator) -> int:
    from app.doctor import main as doctor_main

    return doctor_main(t, as_json=args.json, network=not args.no_network)


def cmd_forget_secrets(args: argparse.Namespace, t: Translator) -> int:
    """Delete every token and password this app saved (the keyring and the 0600 file); the
    Windows uninstaller runs it when the owner chooses to remove their data."""
    from app.bootstrap import KEYRING_SECRETS
    from app.paths import resolve_paths
    from app.secrets import STORE_KEY, AmoTokenStore, FileBackend, SecretStore, open_secret_store

    paths = resolve_paths()
    names = (*KEYRING_SECRETS, AmoTokenStore.ACCESS, AmoTokenStore.REFRESH, AmoTokenStore.EXPIRES,
             AmoTokenStore.SEED, AmoTokenStore.REVOKED, STORE_KEY)
    store, _warning = open_secret_store(paths.secrets_file, mode=os.environ.get("KASPI_AMO_SECRETS"))
    stores = [store]
    if paths.secrets_file.exists() and not store.backend_name.startswith("file:"):
        stores.append(SecretStore(FileBackend(paths.secrets_file)))  # left from a time without a keyring
    for each in stores:
        for name in names:
            each.delete(name)
    file_word = t.tr("файл")
    where = ", ".join(s.backend_name.replace("keyring:", "keyring ").replace("file:", f"{file_word} ") for s in stores)
    print(t.tr("Сохранённые токены и пароли удалены ({where}).", where=where))
    return EXIT_OK


QUIT_TIMEOUT = 60.0  # the tray app's own stop deadline is 30 s (app.gui.app.GuiOptions.stop_deadline_ms)


def cmd_quit(args: argparse.Namespace, t: Translator) -> int:
    """Ask the running tray app (of this user and settings folder) to finish its current batch
    and exit, and wait until its process has ended. The Windows installer runs it before an
    upgrade or uninstall; 0 also when nothing was running."""
    try:
        from PySide6.QtCore import QCoreApplication
    except ImportError:
        _err(t.tr("{app}: без Qt окна в трее нет, и закрывать нечего; команда quit работает там, где установлено "
                  "приложение с окном.", app=APP_DISPLAY_NAME))
        return EXIT_FAILED
    from app.gui.single_instance import QuitOutcome, ask_to_quit, instance_key
    from app.paths import resolve_paths

    application = QCoreApplication.instance() or QCoreApplication([])  # the local socket wants one
    answer = ask_to_quit(instance_key(resolve_paths().config_dir), max(0.0, args.timeout))
    del application
    if answer.outcome is QuitOutcome.NOT_RUNNING:
        print(t.tr("Программа не запущена: закрывать нечего."))
    elif answer.outcome is QuitOutcome.ASKED:
        print(t.tr("Программа (процесс {pid}) закрывается: доделывает текущую пачку заказов.", pid=answer.pid))
    elif answer.outcome is QuitOutcome.EXITED:
        print(t.tr("Программа (процесс {pid}) закрылась за {seconds} с.", pid=answer.pid,
                   seconds=f"{answer.seconds:.1f}"))
    elif answer.outcome is QuitOutcome.TIMED_OUT:
        _err(t.tr("Программа (процесс {pid}) не закрылась за {seconds} с.", pid=answer.pid,
                  seconds=f"{args.timeout:g}"))
    else:
        _err(t.tr("Запущенная программа не поняла просьбу закрыться (версия старше этой?): закройте её через меню "
                  "значка в трее («Выйти»)."))
    return EXIT_OK if answer.ok else EXIT_FAILED


def cmd_gui(args: argparse.Namespace, t: Translator) -> int:
    try:
        from PySide6 import QtWidgets  # noqa: F401 - only to tell a missing Qt from other import errors
    except ImportError:
        _err(t.tr("{app} {version}: для окна в трее нужен Qt: pip install 'kaspi-amo-sync[gui]' (или из папки "
                  "проекта: pip install '.[gui]'). Без окна работают команды poll, run, status, demo "
                  "(kaspi-amo --help).", app=APP_DISPLAY_NAME, version=__version__))
        return EXIT_FAILED
    from app.gui.app import run_gui

    return int(run_gui())


def cmd_quality(args: argparse.Namespace, t: Translator) -> int:
    from app.cli_quality import cmd_quality as quality

    return quality(args, t)


COMMANDS = {
    "poll": cmd_poll,
    "reconcile": cmd_reconcile,
    "run": cmd_run,
    "status": cmd_status,
    "quality": cmd_quality,
    "migrate": cmd_migrate,
    "sandbox": cmd_sandbox,
    "demo": cmd_demo,
    "doctor": cmd_doctor,
    "forget-secrets": cmd_forget_secrets,
    "quit": cmd_quit,
}


def build_parser(t: Translator | None = None) -> argparse.ArgumentParser:
    """The parser in `t`'s language (build and use it inside `t.argparse_texts()`)."""
    from app.cli_parser import build_parser as build

    return build(t or Translator(), COMMANDS)


def main(argv: Sequence[str] | None = None) -> int:
    t = translator_for()
    with t.argparse_texts():
        args = build_parser(t).parse_args(argv)  # --help exits 0, a wrong command line exits 2
    func = getattr(args, "func", cmd_gui)
    try:
        return int(func(args, t))
    except ConfigError as exc:
        _err(t.error(exc))
        return EXIT_CONFIG
    except SyncError as exc:
        _err(t.error(exc))
        return EXIT_FAILED
    except OSError as exc:  # the home folder, a lock or the secrets file cannot be written
        _err(t.tr("{title}: нет доступа к {where} ({reason}). Проверьте права на папку и свободное место на "
                  "диске; другую папку можно задать в KASPI_AMO_HOME.", title=t.title(ConfigError),
                  where=exc.filename or t.tr("папке программы"), reason=exc.strerror or exc))
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
