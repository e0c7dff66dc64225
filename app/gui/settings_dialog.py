"""Settings… for now: what the connection lacks (plain words) and the app's own preferences.

The connection wizard (Kaspi token, amoCRM OAuth) comes in a later issue and will take
over the "Connection" part; the controller's `open_settings()` is the hook it plugs into.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.gui import texts
from app.gui.prefs import GuiPrefs
from app.gui.state import ConfigProblem, WorkerInfo

LANGUAGE_NAMES = (("ru", "Русский"), ("kk", "Қазақша"), ("en", "English"))


class SettingsDialog(QDialog):
    def __init__(
        self,
        prefs: GuiPrefs,
        *,
        problem: ConfigProblem | None,
        info: WorkerInfo | None,
        settings_file: Path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settings_dialog")
        self.setWindowTitle(QCoreApplication.translate("Settings", "Настройки"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)

        connection = QGroupBox(QCoreApplication.translate("Settings", "Подключение"))
        box = QVBoxLayout(connection)
        self.connection_text = QLabel(objectName="connection_text")
        self.connection_text.setWordWrap(True)
        self.connection_text.setTextFormat(Qt.TextFormat.RichText)
        self.connection_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.connection_text.setText(self._connection_html(problem, info, settings_file))
        box.addWidget(self.connection_text)
        layout.addWidget(connection)

        app_box = QGroupBox(QCoreApplication.translate("Settings", "Программа"))
        form = QFormLayout(app_box)
        self.language = QComboBox(objectName="language")
        self.language.addItem(QCoreApplication.translate("Settings", "Как в системе"), None)
        for code, name in LANGUAGE_NAMES:
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(self.language.findData(prefs.language), 0))
        form.addRow(QCoreApplication.translate("Settings", "Язык:"), self.language)
        self.mute = QCheckBox(QCoreApplication.translate("Settings", "Не показывать уведомления"), objectName="mute")
        self.mute.setChecked(prefs.mute_notifications)
        form.addRow(self.mute)
        self.autostart = QCheckBox(
            QCoreApplication.translate("Settings", "Запускать при входе в систему"), objectName="autostart"
        )
        self.autostart.setChecked(prefs.autostart)
        form.addRow(self.autostart)
        layout.addWidget(app_box)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.ok_button = QPushButton(QCoreApplication.translate("Settings", "Сохранить"), objectName="ok_button")
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.accept)
        cancel = QPushButton(QCoreApplication.translate("Settings", "Отмена"), objectName="cancel_button")
        cancel.clicked.connect(self.reject)
        buttons.addWidget(self.ok_button)
        buttons.addWidget(cancel)
        layout.addLayout(buttons)
        self._prefs = prefs

    @staticmethod
    def _connection_html(problem: ConfigProblem | None, info: WorkerInfo | None, settings_file: Path) -> str:
        where = texts.arg(
            QCoreApplication.translate(
                "Settings",
                "Мастер подключения появится в следующем обновлении. Пока подключение задаётся в файле %1 "
                "или в файле .env рядом с программой.",
            ),
            html.escape(str(settings_file)),
        )
        if problem is None and info is not None:
            state = texts.arg(
                QCoreApplication.translate("Settings", "Kaspi и amoCRM подключены. amoCRM: %1"),
                html.escape(info.amo_base_url),
            )
            return f"<p>{state}</p><p>{where}</p>"
        if problem is None:
            checking = QCoreApplication.translate("Settings", "Проверяю настройки…")
            return f"<p>{checking}</p><p>{where}</p>"
        if problem.missing:
            items = "".join(
                f"<li><b>{html.escape(t)}</b>" + (f" — {html.escape(h)}" if h else "") + "</li>"
                for t, h in (texts.missing_item(name) for name in problem.missing)
            )
            intro = QCoreApplication.translate("Settings", "Не хватает:")
            return f"<p>{intro}</p><ul>{items}</ul><p>{where}</p>"
        return f"<p>{html.escape(problem.message or '')}</p><p>{where}</p>"

    def prefs(self) -> GuiPrefs:
        """The preferences as the dialog shows them (read after accept)."""
        return self._prefs.with_changes(
            language=self.language.currentData(),
            mute_notifications=self.mute.isChecked(),
            autostart=self.autostart.isChecked(),
        )
