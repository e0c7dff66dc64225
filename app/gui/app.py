"""QApplication bootstrap: `run_gui` is what `kaspi-amo` (no sub-command) calls.

Builds every GUI object once and passes it in (no module-level singletons), claims the
single-instance socket (whose "quit" message quits like the tray menu: `kaspi-amo quit`, the
Windows installer), and lets Python see SIGINT/SIGTERM while Qt's loop runs.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from app import APP_DISPLAY_NAME, APP_NAME, __version__
from app.gui.autostart import Autostart
from app.gui.controller import ControllerOptions, GuiController
from app.gui.i18n import Translations, choose_language, system_ui_languages
from app.gui.icons import IconSet
from app.gui.notifications import TrayNotifier
from app.gui.prefs import PrefsStore
from app.gui.qt_compat import guard_singleton_refcounts
from app.gui.single_instance import QUIT, SingleInstance, instance_key
from app.gui.tray import TrayIcon
from app.gui.window import MainWindow
from app.gui.wizard import WizardServices
from app.gui.worker import RuntimeFactory, SchedulerFactory, SyncWorker
from app.paths import AppPaths, resolve_paths

SIGNAL_POLL_MS = 200


@dataclass
class GuiOptions:
    """Everything a test or benchmark may swap; the defaults are the real desktop."""

    tray_available: Callable[[], bool] = QSystemTrayIcon.isSystemTrayAvailable
    tray_retry_ms: int = 1000
    tray_retry_count: int = 10
    open_url: Callable[[QUrl], object] = QDesktopServices.openUrl
    quit_app: Callable[[], None] = QApplication.quit
    ui_languages: Callable[[], Sequence[str]] = system_ui_languages
    runtime_factory: RuntimeFactory | None = None
    scheduler_factory: SchedulerFactory | None = None
    setup_logs: bool = True
    autostart: Autostart | None = None
    stop_deadline_ms: int = 30_000
    clock_ms: int = 1000
    wizard_on_first_start: bool = True
    wizard_services: WizardServices | None = None


def prepare_application(argv: Sequence[str] | None = None) -> QApplication:
    guard_singleton_refcounts()  # before the first signal is emitted (PySide6 6.12.0 bug)
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(list(argv if argv is not None else sys.argv))
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_DISPLAY_NAME)
    app.setApplicationVersion(__version__)
    return app


def build_gui(app: QApplication, env: Mapping[str, str], options: GuiOptions | None = None, *,
              paths: AppPaths | None = None) -> GuiController:
    """Build and start the tray app's objects (no event loop: tests drive it with qtbot).
    `paths`: the folders run_gui already resolved (computed once, handed to everything)."""
    options = options or GuiOptions()
    guard_singleton_refcounts()
    app.setQuitOnLastWindowClosed(False)  # closing the window keeps the app in the tray
    paths = paths or resolve_paths(env)
    prefs_store = PrefsStore.in_config_dir(paths.config_dir)
    prefs = prefs_store.load()
    translations = Translations(app)
    translations.apply(choose_language(prefs.language, options.ui_languages(), env))
    icons = IconSet()
    app.setWindowIcon(icons.app)
    window = MainWindow(icons)
    tray = TrayIcon(icons)
    notifier = TrayNotifier(tray, mute=prefs.mute_notifications)  # also the alerts' desktop channel
    worker = SyncWorker(
        env,
        runtime_factory=options.runtime_factory,
        scheduler_factory=options.scheduler_factory,
        setup_logs=options.setup_logs,
        desktop=notifier,
        paths=paths,
    )
    controller = GuiController(
        paths=paths,
        prefs_store=prefs_store,
        prefs=prefs,
        translations=translations,
        worker=worker,
        window=window,
        tray=tray,
        notifier=notifier,
        autostart=options.autostart or Autostart(env=env),
        options=ControllerOptions(
            tray_available=options.tray_available,
            open_url=options.open_url,
            quit_app=options.quit_app,
            ui_languages=options.ui_languages,
            tray_retry_ms=options.tray_retry_ms,
            tray_retry_count=options.tray_retry_count,
            stop_deadline_ms=options.stop_deadline_ms,
            clock_ms=options.clock_ms,
            wizard_on_first_start=options.wizard_on_first_start,
            wizard_services=options.wizard_services,
        ),
    )
    worker.setParent(controller)
    notifier.setParent(controller)
    controller.start()
    return controller


def install_signal_handlers(controller: GuiController) -> QTimer:
    """Ctrl+C / SIGTERM quit cleanly. Python only runs handlers between bytecodes, so a
    no-op timer wakes the interpreter while Qt's C++ loop sleeps (aw-qt)."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: controller.quit())
    timer = QTimer(controller)
    timer.timeout.connect(lambda: None)
    timer.start(SIGNAL_POLL_MS)
    return timer


def answer_instance_message(controller: GuiController, message: str) -> None:
    """Another start says "show" (bring the window forward) or "quit" (finish the batch, exit)."""
    if message == QUIT:
        controller.quit()
    else:
        controller.open_window()


def run_gui(argv: Sequence[str] | None = None, *, env: Mapping[str, str] | None = None,
            options: GuiOptions | None = None) -> int:
    """The tray app's main: 0 on quit, and 0 when another instance was woken instead."""
    env = dict(os.environ if env is None else env)
    app = prepare_application(argv)
    paths = resolve_paths(env)
    instance = SingleInstance(instance_key(paths.config_dir))
    if not instance.claim():
        return 0  # the running instance brings its window forward
    controller = build_gui(app, env, options, paths=paths)
    instance.message_received.connect(lambda message: answer_instance_message(controller, message))
    install_signal_handlers(controller)
    try:
        return int(app.exec())
    finally:
        instance.release()
