"""Column widths of the orders table: measured once per language, and at narrow sizes the
columns an owner needs least step aside so the amount, the transfer state and the deal never
scroll out of sight (issue 17: at the window's minimum size they did)."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QHeaderView, QTableView

from app.gui import texts
from app.gui.models import Column, column_title, lead_number
from app.kaspi.models import ORDER_STATES
from app.store.base import SyncState

CELL_PADDING = 22  # item padding (stylesheet) plus the view's own margins
HEADER_PADDING = 34  # section padding plus room for the sort arrow
BUYER_MIN = 120  # the stretching name column never goes below this
# Hidden first when the table is too narrow (the search still finds by phone and date).
STEP_ASIDE = (Column.PHONE, Column.KASPI, Column.DATE)
# What must stay in sight at any window size.
ALWAYS_SHOWN = (Column.CODE, Column.TOTAL, Column.SYNC, Column.LEAD)


def column_widths(table: QTableView) -> dict[Column, int]:
    """Widths from the fonts and the longest texts a column can hold (measuring every row on
    each update, ResizeToContents, stalls the GUI)."""
    cell = table.fontMetrics()
    bold = QFont(table.horizontalHeader().font())
    bold.setWeight(QFont.Weight.DemiBold)
    head = QFontMetrics(bold)
    samples = {
        Column.CODE: ["7000001150"],
        Column.DATE: [texts.clock_time(datetime(2026, 12, 28, 23, 58, tzinfo=UTC))],
        Column.PHONE: ["+7 *** *** ** 77", QCoreApplication.translate("Orders", "нет телефона")],
        Column.TOTAL: [texts.money(12_345_678)],
        Column.KASPI: [texts.kaspi_state_label(s) for s in ORDER_STATES]
        + [texts.kaspi_status_label(s) for s in texts.NOTABLE_STATUSES],
        Column.SYNC: [texts.sync_state_label(s) for s in SyncState],
        Column.LEAD: [lead_number(999_999_999)],
    }
    widths = {}
    for column, values in samples.items():
        content = max(cell.horizontalAdvance(v) for v in values) + CELL_PADDING
        title = head.horizontalAdvance(column_title(column) or "") + HEADER_PADDING
        widths[column] = max(content, title)
    return widths


class ColumnFitter(QObject):
    """Keeps the orders table's key columns visible: `measure()` after a language change;
    `fit()` runs by itself whenever the table's width changes."""

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self.table = table
        self.widths: dict[Column, int] = {}
        table.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def measure(self) -> None:
        self.widths = column_widths(self.table)
        header = self.table.horizontalHeader()
        for column, width in self.widths.items():
            header.resizeSection(column, width)
        self.fit()

    def fit(self) -> None:
        if not self.widths:
            return
        room = self.table.viewport().width()
        hidden: set[Column] = set()
        for column in (None, *STEP_ASIDE):
            if column is not None:
                hidden.add(column)
            needed = sum(w for c, w in self.widths.items() if c not in hidden) + BUYER_MIN
            if needed <= room:
                break
        for column in STEP_ASIDE:
            self.table.setColumnHidden(column, column in hidden)
        self.table.horizontalHeader().setSectionResizeMode(Column.BUYER, QHeaderView.ResizeMode.Stretch)
