"""The tray window's panel of Kaspi actions: how many wait to be sent and were refused, the
last few of them in plain words, and the pause when Kaspi refused the merchant ID. Hidden
while there is nothing to say (every action off, or all done)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from app.gui.widgets import wrapped_label
from app.store.action_records import ActionRecord

SHOWN = 5  # lines of recent actions


def kind_label(kind: str) -> str:
    labels = {
        "accept": QCoreApplication.translate("KaspiActions", "принять"),
        "assemble": QCoreApplication.translate("KaspiActions", "собрать (накладная)"),
        "cancel": QCoreApplication.translate("KaspiActions", "отменить"),
        "send_code": QCoreApplication.translate("KaspiActions", "отправить код выдачи"),
        "complete": QCoreApplication.translate("KaspiActions", "выдать по коду"),
    }
    return labels.get(kind, kind)


def state_label(state: str) -> str:
    labels = {
        "planned": QCoreApplication.translate("KaspiActions", "ждёт отправки"),
        "sent": QCoreApplication.translate("KaspiActions", "ждёт ответа Kaspi"),
        "refused": QCoreApplication.translate("KaspiActions", "Kaspi отказал"),
    }
    return labels.get(state, state)


class KaspiActionsPanel(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="kaspiActions")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(2)
        self.summary = wrapped_label("kaspiActionsSummary")
        self.lines = wrapped_label("kaspiActionsLines", selectable=True)
        layout.addWidget(self.summary)
        layout.addWidget(self.lines)
        self._counts: dict[str, object] = {}
        self._recent: tuple[ActionRecord, ...] = ()
        self.hide()

    def set_actions(self, counts: dict[str, object], recent: Sequence[ActionRecord]) -> None:
        """`counts` as `kaspi-amo status` gives them; `recent` the newest pending/refused ones."""
        self._counts, self._recent = dict(counts), tuple(recent)
        self._render()

    def _render(self) -> None:
        pending = _count(self._counts.get("pending"))
        refused = _count(self._counts.get("refused"))
        paused = self._counts.get("paused")
        if not (pending or refused or paused):
            self.hide()
            return
        text = QCoreApplication.translate("KaspiActions", "Действия Kaspi: ждут %1 · отказано %2")
        text = text.replace("%1", str(pending)).replace("%2", str(refused))
        if paused:
            text += "\n" + QCoreApplication.translate("KaspiActions", "Приостановлены: %1").replace("%1", str(paused))
        self.summary.setText(text)
        lines = [
            QCoreApplication.translate("KaspiActions", "Заказ %1: %2 — %3").replace("%1", a.order_code)
            .replace("%2", kind_label(a.kind)).replace("%3", state_label(a.state))
            + (f" ({a.answer})" if a.state == "refused" and a.answer else "")
            for a in self._recent[:SHOWN]
        ]
        self.lines.setText("\n".join(lines))
        self.lines.setVisible(bool(lines))
        self.show()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt name
        if event.type() == QEvent.Type.LanguageChange:
            self._render()
        super().changeEvent(event)


def _count(value: object) -> int:
    """A count from the status mapping (an int there; anything else counts as none)."""
    return value if isinstance(value, int) else 0
