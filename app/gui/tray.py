"""The tray icon: state at a glance, a tooltip, and the menu (the app's primary UI).

The menu is rebuilt on aboutToShow (Vorta) so its status lines are always current and
the texts follow a language switch. It only emits signals; the controller acts.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Signal, SignalInstance
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon

from app.gui.icons import IconSet
from app.gui.state import TrayState
from app.gui.widgets import show_pause


class TrayIcon(QSystemTrayIcon):
    sync_now_requested = Signal()
    open_window_requested = Signal()
    pause_toggled = Signal()
    settings_requested = Signal()
    log_folder_requested = Signal()
    quit_requested = Signal()
    update_requested = Signal()  # «Доступна версия …»: open its download page

    def __init__(self, icons: IconSet, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.icons = icons
        # what the menu shows; the controller plugs its own in
        self.status_lines: Callable[[], list[str]] = list
        self.is_paused: Callable[[], bool] = lambda: False
        self.can_sync: Callable[[], bool] = lambda: False
        self.state = TrayState.OK
        self.menu = QMenu()
        self.menu.setObjectName("tray_menu")
        self.action_sync_now = self._action("action_sync_now", self.sync_now_requested)
        self.action_open_window = self._action("action_open_window", self.open_window_requested)
        self.action_pause = self._action("action_pause", self.pause_toggled)
        self.action_settings = self._action("action_settings", self.settings_requested)
        self.action_log_folder = self._action("action_log_folder", self.log_folder_requested)
        self.action_quit = self._action("action_quit", self.quit_requested)
        self.action_update = self._action("action_update", self.update_requested)
        self.update_version: str | None = None  # a newer version to offer, if any
        self.status_actions: list[QAction] = []
        self.menu.aboutToShow.connect(self.rebuild_menu)
        self.setContextMenu(self.menu)
        self.activated.connect(self._activated)
        self.set_state(TrayState.OK, "")
        self.rebuild_menu()

    def _action(self, name: str, signal: SignalInstance) -> QAction:
        action = QAction(self)
        action.setObjectName(name)
        action.triggered.connect(lambda _checked=False: signal.emit())
        return action

    def menu_actions(self) -> list[QAction]:
        return [self.action_sync_now, self.action_open_window, self.action_pause, self.action_settings, self.action_log_folder,
                self.action_quit]

    def set_state(self, state: TrayState, tooltip: str) -> None:
        self.state = state
        self.setIcon(self.icons.state(state))
        self.setToolTip(tooltip)

    def rebuild_menu(self) -> None:
        self.menu.clear()
        self.status_actions = []
        for line in self.status_lines():
            status = self.menu.addAction(line)
            status.setEnabled(False)
            self.status_actions.append(status)
        if self.status_actions:
            self.menu.addSeparator()
        self.refresh_actions()
        if self.update_version:
            self.menu.addAction(self.action_update)
            self.menu.addSeparator()
        self.menu.addAction(self.action_sync_now)
        self.menu.addAction(self.action_open_window)
        self.menu.addAction(self.action_pause)
        self.menu.addSeparator()
        self.menu.addAction(self.action_settings)
        self.menu.addAction(self.action_log_folder)
        self.menu.addSeparator()
        self.menu.addAction(self.action_quit)

    def refresh_actions(self) -> None:
        """Texts and enabled states (language, pause, configuration) without rebuilding."""
        self.action_sync_now.setText(QCoreApplication.translate("Tray", "Синхронизировать сейчас"))
        self.action_sync_now.setEnabled(self.can_sync())
        self.action_open_window.setText(QCoreApplication.translate("Tray", "Открыть окно"))
        show_pause(self.action_pause, QApplication.style(), self.is_paused(),
                   resume=QCoreApplication.translate("Tray", "Возобновить синхронизацию"),
                   pause=QCoreApplication.translate("Tray", "Приостановить синхронизацию"))
        if self.update_version:
            self.action_update.setText(QCoreApplication.translate("Tray", "Доступна версия %1 — скачать…")
                                       .replace("%1", self.update_version))
        self.action_pause.setEnabled(self.can_sync())
        self.action_settings.setText(QCoreApplication.translate("Tray", "Настройки…"))
        self.action_log_folder.setText(QCoreApplication.translate("Tray", "Открыть папку журналов"))
        self.action_quit.setText(QCoreApplication.translate("Tray", "Выйти"))

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        # macOS opens the menu on a click; elsewhere a click or double-click opens the window
        if reason == QSystemTrayIcon.ActivationReason.DoubleClick or (
            reason == QSystemTrayIcon.ActivationReason.Trigger and sys.platform != "darwin"
        ):
            self.open_window_requested.emit()

    def dispose(self) -> None:
        self.hide()
        self.setContextMenu(None)  # type: ignore[arg-type]
        self.menu.deleteLater()
