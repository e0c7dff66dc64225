"""«A new version is out»: the version, and a button to its download page (issue 17)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton

from app import __version__
from app.gui import texts
from app.gui.widgets import wrapped_label
from app.updates import Release

STYLE = """
QFrame#updateBanner { background: #EAF4EC; border: 1px solid #B7DABF; border-radius: 8px; }
QLabel#updateText { color: #1E5B2C; }
"""


class UpdateBanner(QFrame):
    open_requested = Signal(str)  # the release page

    def __init__(self) -> None:
        super().__init__(objectName="updateBanner")
        self.setStyleSheet(STYLE)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 6, 12, 6)
        self.text = wrapped_label("updateText")
        self.button = QPushButton(objectName="update_button")
        self.button.clicked.connect(self._open)
        row.addWidget(self.text, 1)
        row.addWidget(self.button)
        self.release: Release | None = None
        self.hide()

    def _open(self) -> None:
        if self.release is not None:
            self.open_requested.emit(self.release.url)

    def set_release(self, release: Release | None) -> None:
        self.release = release
        self.retranslate()

    def retranslate(self) -> None:
        if self.release is None:
            self.hide()
            return
        self.text.setText(texts.arg(QCoreApplication.translate(
            "Window", "Вышла новая версия %1 (у вас %2)."),
            self.release.version, __version__))
        self.button.setText(QCoreApplication.translate("Window", "Скачать…"))
        self.show()
