"""`kaspi-amo`: the tray app without a sub-command, the headless engine (and `doctor`) with one.

Exit codes (CONTRACT.md): 0 all handled; 1 a cycle or an order failed (one clear line on
stderr per failure); 2 bad configuration.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
from typing import Sequence

from app import APP_DISPLAY_NAME, __version__
from app.errors import ConfigError, SyncError
from app.logs import Redactor, setup_logging
from app.sync.events import CycleReport

EXIT_OK, EXIT_FAILED, EXIT_CONFIG = 0, 1, 2

log = logging.getLogger("app.cli")


def _err(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _setup_logs(settings, *, to_stderr: bool = False) -> Redactor:  # type: ignore[no-untyped-def]
    return setup_logging(
        level=settings.log_level, pretty=settings.log_pretty, log_file=settings.paths.log_file, to_stderr=to_stderr
    )


def print_report(report: CycleReport, *, out=sys.stdout) -> None:  # type: ignore[no-untyped-def]
    """The cycle as a person reads it: a summary on stdout, one line per failure on stderr."""
    kind = "Опрос" if report.kind == "poll" else "Сверка"
    if report.skipped_lock:
        _err(f"{kind} пропущен: {report.error.message if report.error else ''}")
        return
    if report.dry_run:
        print(f"{kind} (пробный запуск, в amoCRM ничего не записано): получено заказов {report.fetched}, "
              f"было бы создано сделок {len(report.planned)}", file=out)
        for plan in report.planned:
            contact = f"{plan.buyer_name} ({plan.phone_masked})" if plan.contact else "без контакта"
            print(f"  • {plan.lead_name}: {plan.price} ₸, {contact}, товаров {len(plan.products)}, теги {', '.join(plan.tags)}", file=out)
    else:
        print(
            f"{kind}: получено заказов Kaspi {report.fetched}, создано сделок {len(report.created)}, "
            f"обновлено {len(report.updated)}, ошибок {len(report.failed)} "
            f"(запросов: Kaspi {report.kaspi_requests}, amoCRM {report.amo_requests})",
            file=out,
        )
    for line in report.action_lines:  # dry run: what would go to Kaspi and to the deals
        print(f"  • {line}", file=out)
    if report.actions and not report.dry_run:
        a = report.actions
        print(f"Действия Kaspi: выполнено {a.get('done', 0)}, отказано {a.get('refused', 0)}, "
              f"не отправлено {a.get('skipped', 0)}", file=out)
    for failure in report.failed:
        _err(failure.message)
    if report.error is not None:
        _err(f"{report.error.title}: {report.error.message}")
        if report.left_pending:
            shown = ", ".join(report.left_pending[:20]) + (" …" if len(report.left_pending) > 20 else "")
            _err(f"Остались в очереди и будут повторены при следующем запуске ({len(report.left_pending)}): {shown}")


def _build(args: argparse.Namespace, *, lock_wait: float = 120.0):  # type: ignore[no-untyped-def]
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
    runtime = build_runtime(settings, secrets=secrets, lock_wait=lock_wait, redactor=redactor)
    return runtime


def _one_cycle(args: argparse.Namespace, kind: str) -> int:
    """`poll` or `reconcile` once: the report on stdout/stderr, the exit code from it."""
    runtime = _build(args)
    try:
        report: CycleReport = runtime.engine.poll() if kind == "poll" else runtime.engine.reconcile()
    finally:
        runtime.close()
    print_report(report)
    return EXIT_OK if report.ok else EXIT_FAILED


def cmd_poll(args: argparse.Namespace) -> int:
    return _one_cycle(args, "poll")


def cmd_reconcile(args: argparse.Namespace) -> int:
    return _one_cycle(args, "reconcile")


def cmd_run(args: argparse.Namespace) -> int:
    """The headless daemon at the configured cadence until SIGINT/SIGTERM; with --http (or
    KASPI_AMO_HTTP) also the metrics, health and status endpoint."""
    from app.bootstrap import build_http_service
    from app.scheduler import scheduler_for

    address = _http_address(args)
    runtime = _build(args, lock_wait=5.0)
    setup = runtime.settings
    redactor = _setup_logs(setup, to_stderr=True)
    redactor.add(setup.kaspi_amo_http_password, setup.healthcheck_ping_url)
    service = build_http_service(runtime, address, redactor=redactor) if address else None
    stopping = threading.Event()

    def report(cycle: CycleReport) -> None:
        if service is not None:
            service.app.observe(cycle)
        print_report(cycle)
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
    print(f"{APP_DISPLAY_NAME}: синхронизация запущена (опрос каждые {setup.poll_interval_seconds} с, "
          f"сверка каждые {setup.reconcile_interval_minutes} мин). Остановить: Ctrl+C.", flush=True)
    if bound is not None:
        print(f"Метрики и состояние: {bound.url('/')} (/metrics, /healthz, /readyz)", flush=True)
    scheduler.start()
    try:
        while not stopping.wait(0.5):
            pass
    finally:
        print("Остановка: завершаю текущую пачку заказов…", flush=True)
        scheduler.stop()
        if service is not None:
            service.stop()
        runtime.close()
    print("Остановлено.", flush=True)
    return EXIT_OK


def _http_address(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """Where to serve (--http, else KASPI_AMO_HTTP), checked before anything starts: a
    non-loopback address without KASPI_AMO_HTTP_PASSWORD is refused (exit 2)."""
    from app.config import load_settings
    from app.net import parse_listen_address

    settings = load_settings()  # the environment and files only: the password is never in the keyring
    address = parse_listen_address("--http", args.http) if args.http else settings.kaspi_amo_http
    if address is not None:
        from app.service.server import require_password_rule  # prometheus_client only when serving

        require_password_rule(address, settings.kaspi_amo_http_password)
    return address


def cmd_status(args: argparse.Namespace) -> int:
    from app.bootstrap import load_configuration
    from app.store.factory import open_store
    from app.clock import utc_now
    from app.sync.status import format_status, read_status

    settings, _secrets, _warning = load_configuration()
    store = open_store(settings.database)
    try:
        store.migrate()
        status = read_status(store, utc_now())
    finally:
        store.close()
    if args.json:
        print(json.dumps(status.to_json(), ensure_ascii=False, indent=2))
    else:
        print(format_status(status))
    return EXIT_OK


def cmd_migrate(args: argparse.Namespace) -> int:
    from app.bootstrap import load_configuration
    from app.store.factory import open_store

    settings, _secrets, _warning = load_configuration()
    store = open_store(settings.database)
    try:
        applied = store.migrate()
    finally:
        store.close()
    print(f"Миграции применены: {applied}" if applied else "База данных уже в актуальном состоянии")
    return EXIT_OK


def _wait_for_stop() -> None:
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    while not stop.wait(0.5):
        pass


def cmd_sandbox(args: argparse.Namespace) -> int:
    from app.sandbox.server import Sandbox

    def told(order_code: str, code: str) -> None:  # what the buyer would read in the Kaspi.kz app
        print(f"Kaspi (песочница): покупатель заказа {order_code} получил код выдачи {code}", flush=True)

    with Sandbox(kaspi_port=args.kaspi_port, amo_port=args.amo_port,
                 kaspi_options={"on_security_code": told}) as sandbox:
        env = sandbox.env()
        print("Песочница Kaspi и amoCRM запущена (Ctrl+C — остановить).")
        print(f"  Kaspi:  {sandbox.kaspi_base_url}")
        print(f"  amoCRM: {sandbox.amo_base_url}")
        print("Переменные окружения для синхронизации с песочницей:")
        for name, value in env.items():
            print(f"{name}={value}")
        sys.stdout.flush()
        _wait_for_stop()
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from app.demo import run_demo

    return run_demo()


def cmd_doctor(args: argparse.Namespace) -> int:
    from app.doctor import main as doctor_main

    return doctor_main(as_json=args.json, network=not args.no_network)


def cmd_forget_secrets(args: argparse.Namespace) -> int:
    """Delete every token and password this app saved (the keyring and the 0600 file); the
    Windows uninstaller runs it when the owner chooses to remove their data."""
    import os

    from app.bootstrap import KEYRING_SECRETS
    from app.paths import resolve_paths
    from app.secrets import AmoTokenStore, FileBackend, SecretStore, open_secret_store

    paths = resolve_paths()
    names = (*KEYRING_SECRETS, AmoTokenStore.ACCESS, AmoTokenStore.REFRESH, AmoTokenStore.EXPIRES,
             AmoTokenStore.SEED, AmoTokenStore.REVOKED)
    store, _warning = open_secret_store(paths.secrets_file, mode=os.environ.get("KASPI_AMO_SECRETS"))
    stores = [store]
    if paths.secrets_file.exists() and not store.backend_name.startswith("file:"):
        stores.append(SecretStore(FileBackend(paths.secrets_file)))  # left from a time without a keyring
    for each in stores:
        for name in names:
            each.delete(name)
    where = ", ".join(s.backend_name.replace("keyring:", "keyring ").replace("file:", "файл ") for s in stores)
    print(f"Сохранённые токены и пароли удалены ({where}).")
    return EXIT_OK


QUIT_TIMEOUT = 60.0  # the tray app's own stop deadline is 30 s (app.gui.app.GuiOptions.stop_deadline_ms)


def cmd_quit(args: argparse.Namespace) -> int:
    """Ask the running tray app (of this user and settings folder) to finish its current batch
    and exit, and wait until its process has ended. The Windows installer runs it before an
    upgrade or uninstall; 0 also when nothing was running."""
    try:
        from PySide6.QtCore import QCoreApplication
    except ImportError:
        _err(f"{APP_DISPLAY_NAME}: без Qt окна в трее нет, и закрывать нечего; "
             "команда quit работает там, где установлено приложение с окном.")
        return EXIT_FAILED
    from app.gui.single_instance import QuitOutcome, ask_to_quit, instance_key
    from app.paths import resolve_paths

    application = QCoreApplication.instance() or QCoreApplication([])  # the local socket wants one
    answer = ask_to_quit(instance_key(resolve_paths().config_dir), max(0.0, args.timeout))
    del application
    if answer.outcome is QuitOutcome.NOT_RUNNING:
        print("Программа не запущена: закрывать нечего.")
    elif answer.outcome is QuitOutcome.ASKED:
        print(f"Программа (процесс {answer.pid}) закрывается: доделывает текущую пачку заказов.")
    elif answer.outcome is QuitOutcome.EXITED:
        print(f"Программа (процесс {answer.pid}) закрылась за {answer.seconds:.1f} с.")
    elif answer.outcome is QuitOutcome.TIMED_OUT:
        _err(f"Программа (процесс {answer.pid}) не закрылась за {args.timeout:g} с.")
    else:
        _err("Запущенная программа не поняла просьбу закрыться (версия старше этой?): "
             "закройте её через меню значка в трее («Выйти»).")
    return EXIT_OK if answer.ok else EXIT_FAILED


def cmd_gui(args: argparse.Namespace) -> int:
    try:
        from PySide6 import QtWidgets  # noqa: F401 - only to tell a missing Qt from other import errors
    except ImportError:
        _err(
            f"{APP_DISPLAY_NAME} {__version__}: для окна в трее нужен Qt: pip install 'kaspi-amo-sync[gui]' "
            "(или из папки проекта: pip install '.[gui]'). Без окна работают команды poll, run, status, demo "
            "(kaspi-amo --help)."
        )
        return EXIT_FAILED
    from app.gui.app import run_gui

    return int(run_gui())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kaspi-amo",
        description="Заказы Kaspi.kz → сделки amoCRM. Без команды запускается приложение в трее.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_DISPLAY_NAME} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    poll = sub.add_parser("poll", help="один опрос: новые заказы Kaspi → amoCRM")
    poll.add_argument("--dry-run", action="store_true", help="ничего не записывать (как DRY_RUN=true)")
    poll.set_defaults(func=cmd_poll)

    reconcile = sub.add_parser("reconcile", help="сверка: пропущенные заказы и смена статусов за 14 дней")
    reconcile.add_argument("--dry-run", action="store_true", help="ничего не записывать (как DRY_RUN=true)")
    reconcile.set_defaults(func=cmd_reconcile)

    run = sub.add_parser("run", help="фоновая работа: опрос и сверка по расписанию (POLL_INTERVAL_SECONDS, "
                         "RECONCILE_INTERVAL_MINUTES)")
    run.add_argument("--http", metavar="HOST:PORT", default=None,
                     help="ещё и /metrics, /healthz, /readyz и страница состояния на этом адресе "
                          "(как KASPI_AMO_HTTP; не 127.0.0.1 — только с KASPI_AMO_HTTP_PASSWORD)")
    run.set_defaults(func=cmd_run)

    status = sub.add_parser("status", help="счётчики и время из базы")
    status.add_argument("--json", action="store_true", help="вывод в JSON")
    status.set_defaults(func=cmd_status)

    sub.add_parser("migrate", help="применить миграции базы данных").set_defaults(func=cmd_migrate)

    sandbox = sub.add_parser("sandbox", help="запустить эмуляторы Kaspi и amoCRM на 127.0.0.1")
    sandbox.add_argument("--kaspi-port", type=int, default=0)
    sandbox.add_argument("--amo-port", type=int, default=0)
    sandbox.set_defaults(func=cmd_sandbox)

    sub.add_parser("demo", help="песочница + настоящая синхронизация с ней").set_defaults(func=cmd_demo)

    doctor = sub.add_parser("doctor", help="проверка установки: папки, хранилище паролей, база, переводы, связь")
    doctor.add_argument("--json", action="store_true", help="вывод в JSON")
    doctor.add_argument("--no-network", action="store_true", help="не проверять связь с Kaspi и amoCRM")
    doctor.set_defaults(func=cmd_doctor)

    quit_cmd = sub.add_parser("quit", help="закрыть запущенное приложение в трее: оно доделает текущую пачку "
                              "заказов; команда ждёт, пока оно закроется")
    quit_cmd.add_argument("--timeout", type=float, default=QUIT_TIMEOUT, metavar="SECONDS",
                          help=f"сколько ждать, секунд (по умолчанию {QUIT_TIMEOUT:g}; 0 - только попросить)")
    quit_cmd.set_defaults(func=cmd_quit)

    sub.add_parser("forget-secrets", help="удалить сохранённые токены и пароли (системное хранилище и файл)"
                   ).set_defaults(func=cmd_forget_secrets)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    func = getattr(args, "func", cmd_gui)
    try:
        return func(args)
    except ConfigError as exc:
        _err(f"{exc.title}: {exc.message}")
        return EXIT_CONFIG
    except SyncError as exc:
        _err(f"{exc.title}: {exc.message}")
        return EXIT_FAILED
    except OSError as exc:  # the home folder, a lock or the secrets file cannot be written
        where = exc.filename or "папке программы"
        _err(f"{ConfigError.title}: нет доступа к {where} ({exc.strerror or exc}). Проверьте права на папку и "
             "свободное место на диске; другую папку можно задать в KASPI_AMO_HOME.")
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
