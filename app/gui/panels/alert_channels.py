"""Where alerts went last: one line per configured channel (Telegram, e-mail).

A channel whose last alert was refused used to fail with a log line only; here it turns red
with the reason and the time, until its next delivery succeeds (issue 17). Hidden when no
channel besides the desktop is configured.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import datetime

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout

from app.alerts.delivery import Delivery
from app.gui import texts
from app.gui.widgets import set_style_flag, wrapped_label

STYLE = """
QFrame#alertChannels { background: #F4F7FB; border: 1px solid #DCE3EC; border-radius: 8px; }
QFrame#alertChannels[failing="true"] { background: #FDECEA; border: 1px solid #F3C1BD; }
QLabel#alertChannelsText { color: #33415C; }
QFrame#alertChannels[failing="true"] QLabel#alertChannelsText { color: #7F1D16; }
"""


def channel_name(channel: str) -> str:
    names = {
        "telegram": QCoreApplication.translate("Alerts", "Telegram"),
        "email": QCoreApplication.translate("Alerts", "Почта"),
    }
    return names.get(channel, channel)


def channel_line(channel: str, delivery: Delivery | None, now: datetime) -> str:
    if delivery is None:
        return texts.arg(QCoreApplication.translate("Alerts", "%1: оповещений ещё не было"), channel_name(channel))
    if delivery.ok:
        return texts.arg(QCoreApplication.translate("Alerts", "%1: последнее оповещение доставлено %2"),
                         channel_name(channel), texts.when(delivery.at, now))
    return texts.arg(QCoreApplication.translate("Alerts", "%1: последнее оповещение НЕ доставлено %2 — %3"),
                     channel_name(channel), texts.when(delivery.at, now), delivery.error or "")


class AlertChannelsPanel(QFrame):
    def __init__(self) -> None:
        super().__init__(objectName="alertChannels")
        self.setStyleSheet(STYLE)
        self.setProperty("failing", False)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 6, 12, 6)
        self.text = wrapped_label("alertChannelsText", rich=True, selectable=True)
        row.addWidget(self.text)
        self._channels: tuple[str, ...] = ()
        self._deliveries: dict[str, Delivery] = {}
        self._now: datetime | None = None
        self.hide()

    @property
    def failing(self) -> list[str]:
        """Configured channels whose last delivery failed."""
        return [c for c in self._channels if c in self._deliveries and not self._deliveries[c].ok]

    def set_state(self, channels: Sequence[str], deliveries: Mapping[str, Delivery], now: datetime) -> None:
        self._channels, self._deliveries, self._now = tuple(channels), dict(deliveries), now
        self.retranslate()

    def retranslate(self) -> None:
        if not self._channels or self._now is None:
            self.hide()
            return
        lines = [channel_line(c, self._deliveries.get(c), self._now) for c in self._channels]
        title = QCoreApplication.translate("Alerts", "Оповещения")
        if self.failing:
            hint = QCoreApplication.translate(
                "Alerts", "Проверьте канал в «Настройки…» → «Оповещения» и нажмите «Отправить проверку».")
            lines.append(hint)
        self.text.setText(f"<b>{html.escape(title)}</b><br>" + "<br>".join(html.escape(line) for line in lines))
        set_style_flag(self, "failing", bool(self.failing))
        self.show()
