"""Small widget shapes the window, its panels, the tray and the wizard all repeat, made in one
place so they look and behave alike: a label that wraps, a read-only table, the pause/resume
look of a button or menu item, a frame whose style follows one of its properties.

Texts stay with the callers (their QCoreApplication.translate contexts are theirs)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QLabel,
    QStyle,
    QTableView,
    QWidget,
)


def wrapped_label(name: str = "", *, rich: bool = False, selectable: bool = False, links: bool = False) -> QLabel:
    """A label that wraps its text instead of widening the window (long Kazakh words).
    `rich`: always HTML (numbered steps, tables); `selectable`: an error or an address the
    owner may copy; `links`: <a href> opens in the browser."""
    label = QLabel(objectName=name)
    label.setWordWrap(True)
    if rich:
        label.setTextFormat(Qt.TextFormat.RichText)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if links:
        label.setOpenExternalLinks(True)
    return label


def read_only_rows(table: QTableView, row_height: int) -> None:
    """A table the owner reads and clicks but never edits (the orders, the waiting orders):
    whole rows selected, no grid, no row numbers, rows `row_height` px high."""
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setShowGrid(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(row_height)


def show_pause(target: QAction | QAbstractButton, style: QStyle, paused: bool, *, resume: str, pause: str) -> None:
    """The pause control says and shows what a click does: `resume` with ▶ while paused,
    else `pause` with ❚❚ (the window's button, its menu item and the tray's item alike)."""
    target.setText(resume if paused else pause)
    icon = QStyle.StandardPixmap.SP_MediaPlay if paused else QStyle.StandardPixmap.SP_MediaPause
    target.setIcon(style.standardIcon(icon))


def set_style_flag(widget: QWidget, name: str, on: bool) -> None:
    """Set a boolean property a style sheet selects on (`[failing="true"]`) and re-polish the
    widget when it changed, since Qt does not restyle on a property change by itself."""
    if widget.property(name) != on:
        widget.setProperty(name, on)
        widget.style().unpolish(widget)
        widget.style().polish(widget)
