"""The field shapes the wizard's pages repeat, made once so every page lays out alike: a form
whose long labels wrap, a field with its label, a hidden (password) field, a part indented
under the choice that opens it, a button on its own row, and the fold that keeps an
admin's part of a page out of the owner's way.

Texts are not set here: each page's `retranslate` sets them, so a language switch relabels
the page at once."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

INDENT = 22  # a choice's own fields stand under the text of its radio button


def form(parent: QWidget | None = None) -> QFormLayout:
    """A form whose long labels (Kazakh) put their field on the next line instead of
    pushing the page wider than the wizard."""
    layout = QFormLayout(parent) if parent is not None else QFormLayout()
    layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return layout


def bare_form(part: QWidget) -> QFormLayout:
    """The form of a part shown or hidden as a whole: no margins, so its fields line up
    with the page's own."""
    layout = form(part)
    layout.setContentsMargins(0, 0, 0, 0)
    return layout


def labelled(layout: QFormLayout, field: QWidget) -> QLabel:
    """Add `field` to the form with a label of its own; the label is returned for the
    page's `retranslate` to name it."""
    label = QLabel()
    layout.addRow(label, field)
    return label


def password_field(name: str) -> QLineEdit:
    """A field for a token, key or password: typed, never shown."""
    field = QLineEdit(objectName=name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


def part(name: str = "", *, indent: bool = False) -> tuple[QWidget, QVBoxLayout]:
    """A part of a page that is shown or hidden as a whole, and its column; `indent` puts it
    under the choice that opens it."""
    widget = QWidget(objectName=name)
    column = QVBoxLayout(widget)
    column.setContentsMargins(INDENT if indent else 0, 0, 0, 0)
    return widget, column


def button_row(button: QPushButton) -> QHBoxLayout:
    """A button on its own row, at the left, as wide as its text."""
    row = QHBoxLayout()
    row.addWidget(button)
    row.addStretch(1)
    return row


def fold_toggle(name: str, *, auto_raise: bool = False) -> QToolButton:
    """A checkable button with an arrow that folds a part of a page away (▸) or out (▾), so the
    owner's common path stays short; `show_folded` keeps the arrow and the part in step."""
    button = QToolButton(objectName=name)
    button.setCheckable(True)
    button.setAutoRaise(auto_raise)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    button.setArrowType(Qt.ArrowType.RightArrow)
    return button


def show_folded(button: QToolButton, folded_part: QWidget, on: bool) -> None:
    folded_part.setVisible(on)
    button.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
