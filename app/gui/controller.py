"""The glue: worker signals → tray, window and notifications; clicks → worker.

Holds the little state the views share (last snapshot, last report, configuration
problem) and derives the tray state from it. Everything it owns is built in
`app.gui.app.build_gui` and passed in; nothing here touches the store or the network.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QObject, QTimer, QUrl, Signal
from PySide6.QtWidgets import QMessageBox

from app import APP_DISPLAY_NAME
from app.clock import utc_now
from app.errors import AmoAuthError, AmoPaymentRequired
from app.gui import texts
from app.gui.autostart import Autostart
from app.gui.i18n import Translations, choose_language
from app.gui.notifications import Notice, SyncNotifications, TrayNotifier
from app.gui.prefs import GuiPrefs, PrefsStore
from app.gui.state import ConfigProblem, Snapshot, TrayState, WorkerInfo, amo_refused, derive_state
from app.gui.tray import TrayIcon
from app.gui.updates import UpdateNotifier
from app.gui.window import MainWindow
from app.gui.wizard import SetupWizard, WizardServices
from app.gui.wizard.tasks import Tasks
from app.gui.worker import SyncWorker
from app.onboarding import Loaded, load_draft
from app.paths import AppPaths
from app.sync.amo_health import UNPAID, AmoHealth
from app.sync.events import CycleReport
from app.sync.mapping import DealPlan
from app.updates import Release

log = logging.getLogger(__name__)

DEFAULT_BACKLOG_THRESHOLD = 25


@dataclass
class ControllerOptions:
    """Seams for tests and benchmarks; run_gui uses the defaults."""

    tray_available: Callable[[], bool]
    open_url: Callable[[QUrl], object]
    quit_app: Callable[[], None]
    ui_languages: Callable[[], Sequence[str]]
    tray_retry_ms: int = 1000
    tray_retry_count: int = 10  # ~10 s, as aw-qt waits for KDE's tray at login
    stop_deadline_ms: int = 30_000
    clock_ms: int = 1000
    wizard_on_first_start: bool = True
    wizard_services: WizardServices | None = None
    now: Callable[[], datetime] = field(default=utc_now)


class GuiController(QObject):
    ui_shown = Signal(str)  # "tray" or "window"
    state_changed = Signal(str)
    finished = Signal()  # the worker stopped and the UI is gone

    def __init__(
        self,
        *,
        paths: AppPaths,
        prefs_store: PrefsStore,
        prefs: GuiPrefs,
        translations: Translations,
        worker: SyncWorker,
        window: MainWindow,
        tray: TrayIcon,
        notifier: TrayNotifier,
        autostart: Autostart,
        options: ControllerOptions,
        updates: UpdateNotifier | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.paths = paths
        self.prefs_store = prefs_store
        self.prefs = prefs
        self.translations = translations
        self.worker = worker
        self.window = window
        self.tray = tray
        self.autostart = autostart
        self.options = options
        self.notifier = notifier
        self.notices = SyncNotifications(language=lambda: self.translations.language)
        self.updates = updates or UpdateNotifier(prefs=lambda: self.prefs, save_prefs=self.apply_prefs, parent=self)
        self._balloon_link: str | None = None  # a balloon click opens this page (the update notice)
        self._manual_update_check = False

        self.problem: ConfigProblem | None = None
        self.info: WorkerInfo | None = None
        self.snapshot: Snapshot | None = None
        self.last_report: CycleReport | None = None
        self.running = False
        self.tray_shown = False
        self.quitting = False
        self.state = TrayState.OK
        self.wizard: SetupWizard | None = None
        self._wizard_loading = Tasks(self)
        self._wizard_offered = False  # first start opens it once, not after every re-check
        self._finished = False
        self._tray_attempts = 0
        self._tray_timer = QTimer(self)
        self._tray_timer.setInterval(options.tray_retry_ms)
        self._tray_timer.timeout.connect(self._try_tray)
        self._clock = QTimer(self)
        self._clock.setInterval(options.clock_ms)
        self._clock.timeout.connect(self._tick)
        tray.status_lines = self.status_lines
        tray.is_paused = lambda: self.worker.paused
        tray.can_sync = lambda: self.worker.configured
        window.hide_on_close = lambda: self.tray_shown
        self._connect()

    # --- wiring ------------------------------------------------------------------------

    def _connect(self) -> None:
        w = self.worker
        w.config_problem.connect(self._on_config_problem)
        w.ready.connect(self._on_ready)
        w.cycle_started.connect(self._on_cycle_started)
        w.order_synced.connect(self._on_order_synced)
        w.cycle_finished.connect(self._on_cycle_finished)
        w.snapshot_ready.connect(self._on_snapshot)
        w.stopped.connect(self._finish)

        for source in (self.tray, self.window):
            source.sync_now_requested.connect(self.sync_now)
            source.pause_toggled.connect(self.toggle_pause)
            source.settings_requested.connect(self.open_settings)
            source.log_folder_requested.connect(self.open_log_folder)
            source.quit_requested.connect(self.quit)
        self.tray.open_window_requested.connect(self.open_window)
        self.tray.messageClicked.connect(self._balloon_clicked)
        self.tray.update_requested.connect(self._open_release)
        self.notifier.shown.connect(self._balloon_shown)
        self.window.retry_failed_requested.connect(self.retry_failed)
        self.window.language_chosen.connect(lambda code: self.apply_prefs(self.prefs.with_changes(language=code)))
        self.window.auto_updates_toggled.connect(self._auto_updates_toggled)
        self.window.update_check_requested.connect(self.check_updates_now)
        self.updates.available.connect(self._update_available)
        self.updates.announce.connect(self._announce_update)
        self.updates.checked.connect(self._update_checked)
        self.updates.failed.connect(self._update_failed)
        self.window.recheck_requested.connect(self.recheck_configuration)
        self.window.link_activated.connect(self.open_link)
        self.window.hidden_to_tray.connect(self._hint_tray_once)

    def start(self) -> None:
        """Start syncing (if configured) and show the tray, or the window as a fallback."""
        if self.prefs.autostart:
            self._apply_autostart(True)  # refresh the login item (the app may have moved)
        self.window.menus.set_language(self.prefs.language)
        self.window.menus.set_auto_updates(self.prefs.check_updates)
        self.refresh_view()
        self._try_tray()  # the icon first: the owner sees the app at once
        self.worker.start()
        self._clock.start()

    # --- tray availability (QTBUG-61898: the tray may appear seconds after login) ---------

    def _try_tray(self) -> None:
        if self.tray_shown or self.quitting:
            self._tray_timer.stop()
            return
        if self.options.tray_available():
            self._tray_timer.stop()
            self.tray.show()
            self.tray_shown = True
            self.ui_shown.emit("tray")
            return
        self._tray_attempts += 1
        if self._tray_attempts > self.options.tray_retry_count:
            self._tray_timer.stop()
            log.warning("no system tray: showing the window instead")
            self.open_window()
        elif not self._tray_timer.isActive():
            self._tray_timer.start()

    # --- worker events -----------------------------------------------------------------

    def _on_config_problem(self, problem: ConfigProblem) -> None:
        self.problem = problem
        self.window.show_setup(problem)
        self.refresh_view()
        self.open_window()  # the owner must see what is missing
        if problem.missing and self.options.wizard_on_first_start and not self._wizard_offered:
            self._wizard_offered = True
            self.open_settings()

    def _on_ready(self, info: WorkerInfo) -> None:
        self.problem = None
        self.info = info
        self.window.show_main()
        self.window.set_account(info.amo_base_url, self._amo_line())
        lines = list(info.warnings)
        if info.secrets_in_file:
            lines.insert(0, QCoreApplication.translate(
                "Controller", "Системное хранилище паролей недоступно: токены хранятся в файле программы, "
                              "который может читать только ваша учётная запись."))
        if info.dry_run:
            lines.insert(0, QCoreApplication.translate(
                "Controller", "Пробный режим (DRY_RUN): в amoCRM ничего не записывается."))
        self.window.set_info(lines)
        self.updates.start(info.update_feed_url)
        self.refresh_view()

    def _on_cycle_started(self, kind: str) -> None:
        self.running = True
        self.refresh_view()

    def _on_order_synced(self, code: str, lead_id: object, plan: DealPlan) -> None:
        self.notices.order_synced(code, plan)

    def _on_cycle_finished(self, report: CycleReport) -> None:
        self.running = False
        if not report.skipped_lock:
            self.last_report = report
        for notice in self.notices.cycle_finished(report):
            self.notifier.show_notice(notice)
        self.refresh_view()

    def _on_snapshot(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.window.set_snapshot(snapshot, self.backlog_threshold)
        channels = self.info.alert_channels if self.info else ()
        self.window.alert_channels.set_state(channels, snapshot.deliveries, self.options.now())
        if self.info is not None:
            self.window.set_account(self.info.amo_base_url, self._amo_line())
        self.refresh_view()

    def _amo_health(self) -> AmoHealth | None:
        return self.snapshot.amo if self.snapshot is not None else None

    def _amo_line(self) -> str:
        """The status bar's word on amoCRM access: when it last answered, or that it refuses."""
        health = self._amo_health()
        account = self.info.amo_base_url if self.info else None
        if health is None or health.account != account:
            return ""
        now = self.options.now()
        if health.ok and health.answered_at is not None:
            return texts.arg(QCoreApplication.translate("Controller", "доступ проверен %1"),
                             texts.when(health.answered_at, now))
        if health.refused:
            return texts.arg(QCoreApplication.translate("Controller", "доступ отклонён (%1)"), texts.when(health.at, now))
        return texts.arg(QCoreApplication.translate("Controller", "не отвечает (%1)"), texts.when(health.at, now))

    def _tick(self) -> None:
        """Once a second: keep "next sync in…" current and never stay blue by mistake
        (a cycle that crashed outside the engine sends no finished event)."""
        if self.running and self.worker.running_kind is None and self.worker.configured:
            self.running = False
        if self.window.isVisible() or self.running:
            self.refresh_view()

    # --- derived view ------------------------------------------------------------------

    @property
    def backlog_threshold(self) -> int:
        return self.info.backlog_threshold if self.info else DEFAULT_BACKLOG_THRESHOLD

    @property
    def starting(self) -> bool:
        return self.problem is None and not self.worker.configured

    def current_state(self) -> TrayState:
        if self.starting:
            return TrayState.SYNCING
        return derive_state(
            configured=self.problem is None,
            paused=self.worker.paused,
            running=self.running,
            status=self.snapshot.status if self.snapshot else None,
            last_report=self.last_report,
            backlog_threshold=self.backlog_threshold,
            amo=self._amo_health(),
            account=self.info.amo_base_url if self.info else None,
            waiting=self.snapshot.deadlines.alarming if self.snapshot and self.snapshot.deadlines else 0,
        )

    def _headline(self, state: TrayState) -> str:
        if self.starting:
            return QCoreApplication.translate("Controller", "Запуск…")
        return texts.headline(state, configured=self.problem is None)

    def _last_sync_line(self, now: datetime, state: TrayState) -> str:
        status = self.snapshot.status if self.snapshot else None
        if state == TrayState.ERROR or (state == TrayState.WARNING and self.last_report and not self.last_report.ok):
            value = status.last_success_at if status else None
            return texts.arg(QCoreApplication.translate("Controller", "Последняя успешная синхронизация: %1"),
                             texts.when(value, now))
        value = (status.last_success_at or status.last_poll_at) if status else None
        return texts.arg(QCoreApplication.translate("Controller", "Последняя синхронизация: %1"), texts.when(value, now))

    def _next_line(self) -> str:
        if self.running:
            return QCoreApplication.translate("Controller", "Идёт синхронизация…")
        if self.worker.paused:
            return QCoreApplication.translate("Controller", "Синхронизация на паузе")
        return texts.arg(QCoreApplication.translate("Controller", "Следующая: %1"),
                         texts.in_seconds(self.worker.seconds_to_next_poll()))

    def status_lines(self) -> list[str]:
        """The tray menu's live lines (rebuilt each time the menu opens)."""
        state = self.current_state()
        lines = [self._headline(state)]
        if self.problem is not None or self.starting:
            return lines
        lines += [self._last_sync_line(self.options.now(), state), self._next_line()]
        if self.snapshot and self.snapshot.status.backlog:
            lines.append(texts.arg(QCoreApplication.translate("Controller", "В очереди: %1"),
                                   self.snapshot.status.backlog))
        if self.snapshot and self.snapshot.deadlines and self.snapshot.deadlines.alarming:
            lines.append(texts.arg(QCoreApplication.translate("Controller", "Ждут магазина до срока Kaspi: %1"),
                                   self.snapshot.deadlines.alarming))
        return lines

    def tooltip(self, state: TrayState) -> str:
        lines = [f"{APP_DISPLAY_NAME} — {self._headline(state)}"]
        if self.snapshot and self.problem is None:
            status = self.snapshot.status
            lines.append(texts.arg(QCoreApplication.translate("Controller", "Последняя синхронизация: %1"),
                                   texts.clock_time(status.last_success_at or status.last_poll_at)))
            lines.append(texts.arg(QCoreApplication.translate("Controller", "В очереди: %1"), status.backlog))
        return "\n".join(lines)

    def _error_banner(self) -> tuple[str | None, str | None]:
        report = self.last_report
        if report is not None:
            if report.error is not None:
                return texts.explain_error(report.error, self.translations.language)
            if report.failed:
                title = QCoreApplication.translate("Notify", "Не удалось передать %n заказов", None, len(report.failed))
                return title, report.failed[0].message
            return None, None
        health = self._amo_health()
        if amo_refused(health, self.info.amo_base_url if self.info else None):
            assert health is not None  # the refusal recorded before this start: said like the cycle's error
            error = AmoPaymentRequired(health.message or "") if health.state == UNPAID else AmoAuthError(health.message or "")
            return texts.explain_error(error, self.translations.language)
        if self.snapshot and self.snapshot.status.last_error:
            return QCoreApplication.translate("Controller", "Последняя ошибка"), self.snapshot.status.last_error
        return None, None

    def refresh_view(self) -> None:
        state = self.current_state()
        now = self.options.now()
        if self.problem is not None:
            detail = QCoreApplication.translate("Controller", "Синхронизация не запущена: не хватает настроек.")
        elif self.starting:
            detail = QCoreApplication.translate("Controller", "Проверяю настройки и базу данных…")
        else:
            detail = f"{self._last_sync_line(now, state)} · {self._next_line()}"
        self.window.set_header(state, self._headline(state), detail)
        self.window.set_paused(self.worker.paused)
        self.window.set_sync_enabled(self.worker.configured)
        self.window.set_error(*self._error_banner())
        self.tray.set_state(state, self.tooltip(state))
        if not self.quitting:
            self.tray.refresh_actions()
        if state != self.state:
            self.state = state
            self.state_changed.emit(str(state))

    # --- actions -----------------------------------------------------------------------

    def open_window(self) -> None:
        first = not self.window.isVisible()
        self.window.bring_forward()
        if first:
            self.worker.refresh()  # current figures, read off the GUI thread
            self.ui_shown.emit("window")

    def sync_now(self) -> None:
        if not self.worker.sync_now():
            self.open_window()

    def retry_failed(self) -> None:
        self.worker.retry_failed()

    def toggle_pause(self) -> None:
        if self.worker.paused:
            self.worker.resume()
        else:
            self.worker.pause()
        self.refresh_view()

    def recheck_configuration(self) -> None:
        self.problem = None
        self.window.show_main()
        self.refresh_view()
        self.worker.start()

    def open_link(self, url: str) -> None:
        self.options.open_url(QUrl(url))

    # --- updates -----------------------------------------------------------------------

    def _open_release(self) -> None:
        if self.updates.release is not None:
            self.open_link(self.updates.release.url)

    def _update_available(self, release: Release) -> None:
        self.window.update_banner.set_release(release)
        self.tray.update_version = release.version
        self.tray.refresh_actions()

    def _announce_update(self, release: Release) -> None:
        """The balloon, once per version; a click on it opens the download page."""
        self.notifier.show_notice(Notice(
            texts.arg(QCoreApplication.translate("Controller", "Вышла версия %1"), release.version),
            QCoreApplication.translate("Controller", "Нажмите, чтобы открыть страницу загрузки."),
        ))
        self._balloon_link = release.url

    def _balloon_shown(self, title: str, body: str, level: str) -> None:
        release = self.updates.release
        if release is None or release.version not in title:
            self._balloon_link = None  # another balloon replaced the update notice

    def _balloon_clicked(self) -> None:
        link, self._balloon_link = self._balloon_link, None
        if link:
            self.open_link(link)
        else:
            self.open_window()

    def check_updates_now(self) -> None:
        """«Проверить обновления» in the menu: the answer goes to the status bar, never a modal box."""
        if self.updates.check_now():
            self._manual_update_check = True
            self.window.statusBar().showMessage(QCoreApplication.translate("Controller", "Проверяю обновления…"), 10_000)
        elif not self.updates.feed_url:
            self.window.statusBar().showMessage(QCoreApplication.translate(
                "Controller", "Проверка обновлений выключена администратором (UPDATE_FEED_URL)."), 10_000)

    def _update_checked(self, release: object) -> None:
        if release is None:  # nothing newer (any more): nothing to offer
            self.window.update_banner.set_release(None)
            self.tray.update_version = None
        if self._manual_update_check and release is None:
            self.window.statusBar().showMessage(
                texts.arg(QCoreApplication.translate("Controller", "У вас последняя версия (%1)."), self.updates.current),
                10_000)
        self._manual_update_check = False

    def _update_failed(self) -> None:
        if self._manual_update_check:
            self.window.statusBar().showMessage(QCoreApplication.translate(
                "Controller", "Не удалось проверить обновления: нет связи с сайтом программы."), 10_000)
        self._manual_update_check = False

    def _auto_updates_toggled(self, on: bool) -> None:
        self.apply_prefs(self.prefs.with_changes(check_updates=on))
        if on:
            self.updates.maybe_check()

    def open_log_folder(self) -> None:
        folder = self.paths.log_dir
        folder.mkdir(parents=True, exist_ok=True)
        self.options.open_url(QUrl.fromLocalFile(str(folder)))

    def open_settings(self) -> None:
        """Settings…: the setup wizard, prefilled from the saved configuration.

        The configuration (and the keyring) is read off the GUI thread first; the wizard
        appears when it is ready. A second request raises the open wizard instead.
        """
        if self.wizard is not None and self.wizard.isVisible():
            self.wizard.raise_()
            self.wizard.activateWindow()
            return
        if self._wizard_loading.busy:
            return
        env, autostart = self.worker.env, self.autostart

        def load() -> tuple[Loaded, bool]:
            # the installer may have switched autostart on: show the real state, not the last choice
            return load_draft(env), autostart.is_enabled()

        self._wizard_loading.run(load, self._show_wizard,
                                 lambda exc: log.warning("could not open the wizard", exc_info=exc))

    def _show_wizard(self, result: tuple[Loaded, bool]) -> None:
        loaded, autostart_on = result
        assert isinstance(loaded, Loaded)
        if self.quitting:
            return
        if self.prefs.autostart != autostart_on:
            self.prefs = self.prefs.with_changes(autostart=autostart_on)
        services = self.options.wizard_services or WizardServices(open_url=self.options.open_url)
        if services.shared_limiter() is None:
            services.shared_limiter = lambda: self.worker.limiter
        wizard = SetupWizard(loaded, self.paths, self.prefs, language=self.translations.language, services=services)
        wizard.saved.connect(self.apply_setup)
        wizard.finished.connect(lambda _result: self._wizard_closed(wizard))
        self.wizard = wizard
        wizard.show()
        wizard.raise_()
        wizard.activateWindow()

    def _wizard_closed(self, wizard: SetupWizard) -> None:
        if self.wizard is wizard:
            self.wizard = None
        wizard.deleteLater()

    def apply_setup(self, prefs: GuiPrefs) -> None:
        """The wizard saved: apply the app's preferences and restart syncing with the new
        settings, without restarting the app."""
        self.apply_prefs(prefs)
        self.problem = None
        self.info = None
        self.last_report = None
        self.window.show_main()
        self.worker.reload()
        self.refresh_view()

    def apply_prefs(self, prefs: GuiPrefs) -> None:
        old, self.prefs = self.prefs, prefs
        self.notifier.mute = prefs.mute_notifications
        try:
            self.prefs_store.save(prefs)
        except OSError:
            log.warning("could not save GUI preferences", exc_info=True)
        if prefs.language != old.language:
            self.translations.apply(choose_language(prefs.language, self.options.ui_languages(), self.worker.env))
            self.window.retranslate()  # now, not when the posted LanguageChange arrives
            self.tray.rebuild_menu()
        self.window.menus.set_language(prefs.language)
        self.window.menus.set_auto_updates(prefs.check_updates)
        if prefs.autostart != old.autostart:
            self._apply_autostart(prefs.autostart)
        self.refresh_view()

    def _apply_autostart(self, enabled: bool) -> None:
        try:
            self.autostart.apply(enabled)
        except OSError as exc:
            log.warning("autostart change failed", exc_info=True)
            QMessageBox.warning(
                self.window,
                APP_DISPLAY_NAME,
                texts.arg(QCoreApplication.translate("Controller", "Не удалось изменить автозапуск: %1"), exc),
            )

    def _hint_tray_once(self) -> None:
        if self.prefs.tray_hint_shown or not self.tray_shown:
            return
        self.notifier.show_notice(
            Notice(
                APP_DISPLAY_NAME,
                QCoreApplication.translate(
                    "Controller", "Программа продолжает работать в трее. Значок показывает, как идёт синхронизация."
                ),
            )
        )
        self.apply_prefs(self.prefs.with_changes(tray_hint_shown=True))

    def quit(self) -> None:
        """Stop after the current batch, then leave; never hang longer than the deadline."""
        if self.quitting:
            return
        self.quitting = True
        self._clock.stop()
        self._tray_timer.stop()
        self.window.hide()
        self.updates.stop()
        for action in (*self.tray.menu_actions(), self.tray.action_update):
            action.setEnabled(False)
        self.tray.setToolTip(f"{APP_DISPLAY_NAME} — "
                             + QCoreApplication.translate("Controller", "завершаю текущую пачку заказов…"))
        QTimer.singleShot(self.options.stop_deadline_ms, self._finish)
        self.worker.stop()

    def _finish(self) -> None:
        if self._finished:
            return
        if not self.quitting:  # the worker stopped on its own: treat as a quit
            self.quitting = True
        self._finished = True
        self.tray.dispose()
        self.window.allow_close = True
        self.window.close()
        self.translations.remove()
        self.finished.emit()
        self.options.quit_app()
