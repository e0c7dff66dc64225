"""The tray window's row about Kaspi's clocks: the orders waiting for the shop with the time
left before Kaspi acts, and the seller-quality figures (cancellations against the 3 % limit).

A view only: it renders a `DeadlinesView` the worker read off the GUI thread. The time left
counts from the moment the snapshot was read (refreshed every minute and after each cycle).
Clicking an order opens its deal.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.amo.links import lead_url
from app.clock import kz_stamp
from app.gui.widgets import read_only_rows, set_style_flag, wrapped_label
from app.sync.deadline_view import DeadlinesView, WaitingRow
from app.sync.quality import Quality

ROWS_SHOWN = 4  # the list scrolls beyond this
ROW_HEIGHT = 24  # px; the table is exactly as high as the rows it shows
STATUS_COLOURS = {"ok": "#1A7F37", "warning": "#9A6700", "over": "#C62828"}
STYLE = """
QFrame#waitingPanel, QFrame#qualityPanel { background: #FFFFFF; border: 1px solid #DCE3EC; border-radius: 8px; }
QFrame#waitingPanel[alarm="true"] { border: 1px solid #E0A800; background: #FFFBEB; }
QLabel#waitingTitle, QLabel#qualityTitle { font-weight: 600; color: #1F2A37; }
QLabel#qualityRate { font-size: 17pt; font-weight: 700; }
QLabel#qualityDetail, QLabel#waitingHint { color: #5B6675; }
QTableWidget#waitingTable { border: none; background: transparent; }
"""


def left_text(left: timedelta) -> str:
    """`2 ч 05 мин`, `45 мин`, `просрочен на 1 ч 10 мин`."""
    minutes = int(abs(left.total_seconds()) // 60)
    hours, mins = divmod(minutes, 60)
    amount = (QCoreApplication.translate("Deadlines", "%1 ч %2 мин").replace("%1", str(hours)).replace("%2", f"{mins:02d}") if hours
              else QCoreApplication.translate("Deadlines", "%1 мин").replace("%1", str(mins)))
    return amount if left.total_seconds() >= 0 else QCoreApplication.translate("Deadlines", "просрочен на %1").replace("%1", amount)


def action_text(row: WaitingRow) -> str:
    text = QCoreApplication.translate("Deadlines", "Принять") if row.kind == "accept" else QCoreApplication.translate("Deadlines", "Собрать и передать")
    return text + (" · Express" if row.express else "")


def percent_text(rate: float) -> str:
    """`2,6%` (the decimal separator is the translator's: `2.6%` in English)."""
    tenths = round(rate * 1000)
    return (QCoreApplication.translate("Deadlines", "%1,%2%").replace("%1", str(tenths // 10))
            .replace("%2", str(tenths % 10)))


class WaitingOrdersPanel(QFrame):
    """Orders not yet accepted (Kaspi cancels after 3 working hours, the contract counts 3 h)
    and Kaspi Delivery parcels to pack before the courier; soonest first."""

    lead_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="waitingPanel")
        self.setProperty("alarm", False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(2)
        self.title = QLabel(objectName="waitingTitle")
        self.hint = wrapped_label("waitingHint")
        self.table = QTableWidget(0, 5, objectName="waitingTable")
        read_only_rows(self.table, ROW_HEIGHT)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.cellActivated.connect(self._activated)
        self.table.cellClicked.connect(self._activated)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(self.table)
        self._rows: tuple[WaitingRow, ...] = ()
        self._read_at: datetime | None = None
        self.amo_base_url: str | None = None
        self.hide()

    def set_rows(self, rows: tuple[WaitingRow, ...], read_at: datetime) -> None:
        self._rows, self._read_at = rows, read_at
        self._render()

    def _render(self) -> None:
        if not self._rows or self._read_at is None:
            self.hide()
            return
        alarming = sum(1 for r in self._rows if r.alarming)
        self.title.setText(QCoreApplication.translate("Deadlines", "Ждут магазина до срока Kaspi: %1").replace("%1", str(len(self._rows))))
        self.hint.setText(QCoreApplication.translate("Deadlines", "Kaspi отменяет заказ, не принятый за 3 рабочих часа (Express — за 60 минут), "
                             "и ждёт посылки Kaspi Доставки к назначенному времени. Время — Казахстана."))
        self.table.setHorizontalHeaderLabels([QCoreApplication.translate("Deadlines", "Заказ"), QCoreApplication.translate("Deadlines", "Покупатель"), QCoreApplication.translate("Deadlines", "Что сделать"), QCoreApplication.translate("Deadlines", "Срок Kaspi"),
                                              QCoreApplication.translate("Deadlines", "Осталось")])
        self.table.setRowCount(len(self._rows))
        for index, row in enumerate(self._rows):
            left = row.deadline - self._read_at
            cells = [f"№{row.code}", row.buyer_name or "—", action_text(row),
                     kz_stamp(row.deadline), left_text(left)]
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if row.alarming:
                    item.setForeground(QBrush(QColor("#C62828" if left.total_seconds() < 3600 else "#9A6700")))
                if column == 0 and row.lead_id is not None:
                    item.setToolTip(QCoreApplication.translate("Deadlines", "Открыть сделку в amoCRM"))
                self.table.setItem(index, column, item)
        shown = min(len(self._rows), ROWS_SHOWN)
        self.table.setFixedHeight(self.table.horizontalHeader().height() + shown * ROW_HEIGHT + 4)
        set_style_flag(self, "alarm", bool(alarming))
        self.show()

    def _activated(self, row: int, _column: int) -> None:
        url = lead_url(self.amo_base_url, self._rows[row].lead_id) if 0 <= row < len(self._rows) else None
        if url:
            self.lead_requested.emit(url)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt name
        if event.type() == QEvent.Type.LanguageChange:
            self._render()
        super().changeEvent(event)


class QualityPanel(QFrame):
    """The share of the last 30 days' orders cancelled by the shop's fault, coloured against
    Kaspi's 3 % limit (amber from 2.4 %, red above 3 %)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="qualityPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(0)
        self.title = QLabel(objectName="qualityTitle")
        self.rate = QLabel(objectName="qualityRate")
        self.status = QLabel(objectName="qualityStatus")
        self.detail = wrapped_label("qualityDetail")
        for widget in (self.title, self.rate, self.status, self.detail):
            layout.addWidget(widget)
        self.setMinimumWidth(250)
        self.setMaximumWidth(330)
        self._quality: Quality | None = None
        self.hide()

    def set_quality(self, quality: Quality | None) -> None:
        self._quality = quality
        self._render()

    def _render(self) -> None:
        quality = self._quality
        if quality is None:
            self.hide()
            return
        colour = STATUS_COLOURS[quality.status]
        self.title.setText(QCoreApplication.translate("Deadlines", "Доля отмен Kaspi за 30 дней"))
        self.rate.setText(percent_text(quality.rate))
        self.rate.setStyleSheet(f"color: {colour};")
        labels = {"ok": QCoreApplication.translate("Deadlines", "в норме"), "warning": QCoreApplication.translate("Deadlines", "близко к пределу"), "over": QCoreApplication.translate("Deadlines", "выше предела")}
        self.status.setText(f"● {labels[quality.status]}")
        self.status.setStyleSheet(f"color: {colour}; font-weight: 600;")
        self.status.setProperty("status", quality.status)
        self.detail.setText(
            QCoreApplication.translate("Deadlines", "Отменено по вине магазина: %1 из %2 заказов · предел Kaspi 3%")
            .replace("%1", str(quality.cancelled_by_merchant)).replace("%2", str(quality.orders))
            + "\n" + QCoreApplication.translate("Deadlines", "Посчитано %1").replace("%1", kz_stamp(quality.until)))
        self.show()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt name
        if event.type() == QEvent.Type.LanguageChange:
            self._render()
        super().changeEvent(event)


class DeadlinePanels(QWidget):
    """The two panels side by side; what the window adds (one line) and feeds (one line)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="deadlinePanels")
        self.setStyleSheet(STYLE)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.waiting = WaitingOrdersPanel()
        self.quality = QualityPanel()
        row.addWidget(self.waiting, 1)
        row.addWidget(self.quality, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def set_view(self, view: DeadlinesView | None, read_at: datetime, amo_base_url: str | None) -> None:
        self.waiting.amo_base_url = amo_base_url
        self.waiting.set_rows(view.waiting if view else (), read_at)
        self.quality.set_quality(view.quality if view else None)
        self.setVisible(self.waiting.isVisibleTo(self) or self.quality.isVisibleTo(self))
