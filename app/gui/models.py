"""The recent-orders table: a model over OrderRecord rows plus a filter/sort proxy.

Rows arrive as a ready list (read off the GUI thread); the model never touches the store.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from app.amo.links import lead_url
from app.gui import texts
from app.store.base import OrderRecord, SyncState

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
LINK_ROLE = Qt.ItemDataRole.UserRole + 2

LINK_COLOUR = QColor("#1A66C9")
STATE_COLOURS = {
    SyncState.DONE.value: QColor("#1E7B34"),
    SyncState.PENDING.value: QColor("#8A5A00"),
    SyncState.FAILED.value: QColor("#C62828"),
    SyncState.QUARANTINED.value: QColor("#8A5A00"),
}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

AnyIndex = QModelIndex | QPersistentModelIndex


_DISPLAY = Qt.ItemDataRole.DisplayRole
_ALIGN = Qt.ItemDataRole.TextAlignmentRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_FONT = Qt.ItemDataRole.FontRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class Column(IntEnum):
    CODE = 0
    DATE = 1
    BUYER = 2
    PHONE = 3
    TOTAL = 4
    KASPI = 5
    SYNC = 6
    LEAD = 7


_COLUMNS = len(Column)


def column_title(section: int) -> str | None:
    titles: dict[int, str] = {
        Column.CODE: QCoreApplication.translate("Orders", "Заказ"),
        Column.DATE: QCoreApplication.translate("Orders", "Дата"),
        Column.BUYER: QCoreApplication.translate("Orders", "Покупатель"),
        Column.PHONE: QCoreApplication.translate("Orders", "Телефон"),
        Column.TOTAL: QCoreApplication.translate("Orders", "Сумма"),
        Column.KASPI: QCoreApplication.translate("Orders", "Kaspi"),
        Column.SYNC: QCoreApplication.translate("Orders", "Передача"),
        Column.LEAD: QCoreApplication.translate("Orders", "Сделка"),
    }
    return titles.get(section)


def lead_number(lead_id: int) -> str:
    return texts.arg(QCoreApplication.translate("Orders", "№ %1"), lead_id)


class OrdersModel(QAbstractTableModel):
    """Texts and sort keys are computed once per update, so painting and sorting are
    lookups (a view asks data() thousands of times; each call crosses into Python)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[OrderRecord] = []
        self._texts: list[list[str]] = []
        self._keys: list[list[Any]] = []
        self._links: list[str | None] = []
        self.amo_base_url: str | None = None
        self._link_font = QFont()
        self._link_font.setUnderline(True)
        self._link_brush = QBrush(LINK_COLOUR)
        self._state_brushes = {state: QBrush(colour) for state, colour in STATE_COLOURS.items()}

    # --- data in -----------------------------------------------------------------------

    def set_orders(self, orders: Sequence[OrderRecord]) -> bool:
        """Show `orders` (newest first). Unchanged rows cost nothing; the usual update -
        a few new orders on top, the oldest falling off, a few states changed - becomes
        row inserts, removals and per-row changes instead of a reset, so the view and the
        sort proxy only redo those rows. False when nothing changed (most polls)."""
        rows = list(orders)
        if rows == self._rows:
            return False
        old_codes = {r.code for r in self._rows}
        fresh = 0
        while fresh < len(rows) and rows[fresh].code not in old_codes:
            fresh += 1
        keep = len(rows) - fresh
        if [r.code for r in rows[fresh:]] != [r.code for r in self._rows[:keep]]:
            self.beginResetModel()
            self._rows = rows
            self._rebuild()
            self.endResetModel()
            return True
        if keep < len(self._rows):
            self.beginRemoveRows(QModelIndex(), keep, len(self._rows) - 1)
            for column in (self._rows, self._texts, self._keys, self._links):
                del column[keep:]
            self.endRemoveRows()
        if fresh:
            self.beginInsertRows(QModelIndex(), 0, fresh - 1)
            self._rows[:0] = rows[:fresh]
            texts_, keys, links = self._cells(rows[:fresh])
            self._texts[:0], self._keys[:0], self._links[:0] = texts_, keys, links
            self.endInsertRows()
        for row in range(fresh, len(rows)):
            if rows[row] != self._rows[row]:
                self._rows[row] = rows[row]
                (self._texts[row],), (self._keys[row],), (self._links[row],) = self._cells([rows[row]])
                self.dataChanged.emit(self.index(row, 0), self.index(row, _COLUMNS - 1))
        return True

    def set_amo_base_url(self, url: str | None) -> None:
        self.amo_base_url = url
        self._refresh_all()

    def record(self, row: int) -> OrderRecord:
        return self._rows[row]

    def row_texts(self, row: int) -> list[str]:
        return self._texts[row]

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)
        self._refresh_all()

    def _refresh_all(self) -> None:
        self._rebuild()
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(Column) - 1))

    def _rebuild(self) -> None:
        self._texts, self._keys, self._links = self._cells(self._rows)

    def _cells(self, rows: Sequence[OrderRecord]) -> tuple[list[list[str]], list[list[Any]], list[str | None]]:
        """Display texts, sort keys and deal links of `rows` (labels translated once per call)."""
        kaspi = {(s, st): texts.kaspi_label(s, st) for s, st in {(r.kaspi_state, r.kaspi_status) for r in rows}}
        sync = {str(state): texts.sync_state_label(state) for state in SyncState}
        no_phone = QCoreApplication.translate("Orders", "нет телефона")
        texts_ = [
            [
                r.code,
                texts.clock_time(r.order_created_at),
                r.buyer_name or "—",
                r.phone_masked or no_phone,
                texts.money(r.total_price),
                kaspi[(r.kaspi_state, r.kaspi_status)],
                sync.get(str(r.sync_state), str(r.sync_state)),
                lead_number(r.lead_id) if r.lead_id else "—",
            ]
            for r in rows
        ]
        keys = [
            [
                r.code.zfill(20),
                (r.order_created_at or _EPOCH).timestamp(),
                *(shown[c].casefold() for c in (Column.BUYER, Column.PHONE)),
                r.total_price or 0,
                *(shown[c].casefold() for c in (Column.KASPI, Column.SYNC)),
                r.lead_id or 0,
            ]
            for r, shown in zip(rows, texts_, strict=True)
        ]
        links = [lead_url(self.amo_base_url, r.lead_id) for r in rows]
        return texts_, keys, links

    # --- Qt model API ------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt signature
        return 0 if parent.isValid() else _COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802 - Qt name
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == _ALIGN:
            return _RIGHT if section == Column.TOTAL else _LEFT
        if role != _DISPLAY:
            return None
        return column_title(section)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row, column = index.row(), index.column()
        if not 0 <= row < len(self._rows):
            return None
        if role == _DISPLAY:
            return self._texts[row][column]
        if role == SORT_ROLE:
            return self._keys[row][column]
        if role == _ALIGN:
            return _RIGHT if column == Column.TOTAL else _LEFT
        if column == Column.LEAD:
            link = self._links[row]
            if role == LINK_ROLE:
                return link
            if link and role == _FOREGROUND:
                return self._link_brush
            if link and role == _FONT:
                return self._link_font
        elif column == Column.SYNC and role == _FOREGROUND:
            return self._state_brushes.get(str(self._rows[row].sync_state))
        if role == _TOOLTIP:
            return self._tooltip(self._rows[row], Column(column))
        return None

    # --- helpers -----------------------------------------------------------------------

    def _tooltip(self, record: OrderRecord, column: Column) -> str | None:
        if column == Column.BUYER:
            return record.buyer_name  # the whole name where the column cuts it
        if column == Column.SYNC and record.last_error and record.sync_state != SyncState.DONE:
            return record.last_error
        if column == Column.KASPI:
            return f"{texts.kaspi_state_label(record.kaspi_state)} · {texts.kaspi_status_label(record.kaspi_status)}"
        if column == Column.LEAD:
            url = lead_url(self.amo_base_url, record.lead_id)
            return texts.arg(QCoreApplication.translate("Orders", "Открыть сделку в amoCRM: %1"), url) if url else None
        return None


class OrdersFilter(QSortFilterProxyModel):
    """Free-text search over what the row shows, plus a sync-state filter."""

    ALL, PROBLEMS, PENDING = "all", "problems", "pending"

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._needle = ""
        self._scope = self.ALL
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def set_text(self, text: str) -> None:
        self._change_filter(lambda: setattr(self, "_needle", text.strip().casefold()))

    def set_scope(self, scope: str) -> None:
        self._change_filter(lambda: setattr(self, "_scope", scope))

    def _change_filter(self, change: Callable[[], None]) -> None:
        """Qt 6.10+ wants begin/endFilterChange around the change; older Qt invalidates after."""
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - PySide6 < 6.10
            change()
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:  # noqa: N802 - Qt name
        model = self.sourceModel()
        assert isinstance(model, OrdersModel)
        record = model.record(source_row)
        state = str(record.sync_state)
        if self._scope == self.PROBLEMS and state not in (SyncState.FAILED.value, SyncState.QUARANTINED.value):
            return False
        if self._scope == self.PENDING and state != SyncState.PENDING.value:
            return False
        if not self._needle:
            return True
        shown = " | ".join(model.row_texts(source_row)).casefold()
        if self._needle in shown:
            return True
        digits = self._needle.replace(" ", "")
        return digits.isdigit() and digits in shown.replace(" ", "").replace(texts.NBSP, "")  # "12990" → "12 990 ₸"
