"""The main window's menu bar: Файл, Синхронизация, Вид (language), Справка.

Sync and pause live in «Синхронизация», not in «Файл» (issue 17). The language is chosen
here too and applies at once (the controller installs the catalog; every widget relabels
itself on LanguageChange). The menus only emit the window's signals; the controller acts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QMenuBar

from app.gui.prefs import LANGUAGES
from app.gui.widgets import show_pause

if TYPE_CHECKING:
    from app.gui.window import MainWindow

# Each language names itself, so an owner who cannot read the current one still finds theirs.
LANGUAGE_NAMES = {"ru": "Русский", "kk": "Қазақша", "en": "English"}



class WindowMenus:
    def __init__(self, window: MainWindow, bar: QMenuBar) -> None:
        self.window = window
        self.file_menu = QMenu(window)
        self.sync_menu = QMenu(window)
        self.view_menu = QMenu(window)
        self.help_menu = QMenu(window)
        for menu in (self.file_menu, self.sync_menu, self.view_menu, self.help_menu):
            bar.addMenu(menu)

        self.settings = QAction(window, triggered=lambda: window.settings_requested.emit())
        self.logs = QAction(window, triggered=lambda: window.log_folder_requested.emit())
        self.quit = QAction(window, triggered=lambda: window.quit_requested.emit())
        self.file_menu.addAction(self.settings)
        self.file_menu.addAction(self.logs)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit)

        self.sync = QAction(window, triggered=lambda: window.sync_now_requested.emit())
        self.pause = QAction(window, triggered=lambda: window.pause_toggled.emit())
        self.retry = QAction(window, triggered=lambda: window.retry_failed_requested.emit())
        for action in (self.sync, self.pause, self.retry):
            self.sync_menu.addAction(action)

        self.language_menu = self.view_menu.addMenu("")
        self.languages = QActionGroup(window)
        self.language_actions: dict[str | None, QAction] = {}
        for code in (None, *LANGUAGES):
            action = QAction(window, checkable=True)
            action.triggered.connect(lambda _on=False, c=code: window.language_chosen.emit(c))
            self.languages.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[code] = action
        self.language_menu.insertSeparator(self.language_actions["ru"])

        self.check_updates = QAction(window, triggered=lambda: window.update_check_requested.emit())
        self.auto_updates = QAction(window, checkable=True)
        self.auto_updates.toggled.connect(lambda on: window.auto_updates_toggled.emit(on))
        self.about = QAction(window, triggered=window.show_about)
        self.help_menu.addAction(self.check_updates)
        self.help_menu.addAction(self.auto_updates)
        self.help_menu.addSeparator()
        self.help_menu.addAction(self.about)
        self.set_paused(False)

    def retranslate(self) -> None:
        self.file_menu.setTitle(QCoreApplication.translate("Window", "&Файл"))
        self.settings.setText(QCoreApplication.translate("Window", "Настройки…"))
        self.logs.setText(QCoreApplication.translate("Window", "Открыть папку журналов"))
        self.quit.setText(QCoreApplication.translate("Window", "Выйти"))
        self.sync_menu.setTitle(QCoreApplication.translate("Window", "&Синхронизация"))
        self.sync.setText(QCoreApplication.translate("Window", "Синхронизировать сейчас"))
        self.retry.setText(QCoreApplication.translate("Window", "Повторить неудачные"))
        self.view_menu.setTitle(QCoreApplication.translate("Window", "&Вид"))
        self.language_menu.setTitle(QCoreApplication.translate("Window", "Язык"))
        self.language_actions[None].setText(QCoreApplication.translate("Window", "Как в системе"))
        for code in LANGUAGES:
            self.language_actions[code].setText(LANGUAGE_NAMES[code])
        self.help_menu.setTitle(QCoreApplication.translate("Window", "&Справка"))
        self.check_updates.setText(QCoreApplication.translate("Window", "Проверить обновления"))
        self.auto_updates.setText(QCoreApplication.translate("Window", "Проверять обновления раз в день"))
        self.about.setText(QCoreApplication.translate("Window", "О программе"))
        self.set_paused(self.window.paused)

    def set_paused(self, paused: bool) -> None:
        """The pause item says and shows what it will do: resume (play) or pause."""
        show_pause(self.pause, self.window.style(), paused,
                   resume=QCoreApplication.translate("Window", "Возобновить синхронизацию"),
                   pause=QCoreApplication.translate("Window", "Приостановить синхронизацию"))

    def set_language(self, preferred: str | None) -> None:
        self.language_actions.get(preferred, self.language_actions[None]).setChecked(True)

    def set_auto_updates(self, on: bool) -> None:
        self.auto_updates.blockSignals(True)
        self.auto_updates.setChecked(on)
        self.auto_updates.blockSignals(False)
