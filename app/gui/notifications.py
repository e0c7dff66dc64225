"""Desktop notifications: tray balloons for new deals, failures and recovery.

`TrayNotifier` is also the desktop channel the alerts package calls
(`notify(title, body, level)`), from whatever thread runs the alerts: the call is
marshalled onto the GUI thread by a queued signal. `SyncNotifications` decides what a
finished cycle is worth saying: one balloon per cycle, grouped when many deals were created,
failures once until they change, and one "recovered" when they end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot
from PySide6.QtWidgets import QSystemTrayIcon

from app.gui import texts
from app.gui.state import nothing_got_through
from app.sync.events import CycleReport
from app.sync.mapping import DealPlan

LEVELS = ("info", "warning", "error")
SHOW_MS = 8000
LISTED_CODES = 3


@dataclass(frozen=True)
class Notice:
    title: str
    body: str
    level: str = "info"


class TrayNotifier(QObject):
    """Shows balloons on the tray icon unless muted. Safe to call from any thread."""

    _requested = Signal(str, str, str)
    shown = Signal(str, str, str)  # title, body, level: after a balloon was shown
    suppressed = Signal(str, str, str)  # muted (or no tray): for the log and the tests

    def __init__(self, tray: QSystemTrayIcon, *, mute: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tray = tray
        self.mute = mute  # the owner's "do not show notifications" preference
        self._requested.connect(self._show)

    def notify(self, title: str, body: str, level: str = "info") -> None:
        """The alerts package's desktop channel entry point (any thread)."""
        self._requested.emit(title, body, level if level in LEVELS else "info")

    def show_notice(self, notice: Notice) -> None:
        self.notify(notice.title, notice.body, notice.level)

    @Slot(str, str, str)
    def _show(self, title: str, body: str, level: str) -> None:
        if self.mute or not QSystemTrayIcon.supportsMessages():
            self.suppressed.emit(title, body, level)
            return
        icon = {
            "info": QSystemTrayIcon.MessageIcon.Information,
            "warning": QSystemTrayIcon.MessageIcon.Warning,
            "error": QSystemTrayIcon.MessageIcon.Critical,
        }[level]
        self.tray.showMessage(title, body, icon, SHOW_MS)
        self.shown.emit(title, body, level)


class SyncNotifications:
    """Turns engine events into at most one Notice per cycle (pure policy, no widgets)."""

    def __init__(self, language: Callable[[], str]) -> None:
        self.language = language
        self._plans: dict[str, DealPlan] = {}
        self._failing = False
        self._last_problem: str | None = None

    def order_synced(self, code: str, plan: DealPlan | None) -> None:
        if plan is not None:
            self._plans[code] = plan

    def cycle_finished(self, report: CycleReport) -> list[Notice]:
        plans, self._plans = self._plans, {}
        if report.skipped_lock or report.dry_run:
            return []
        notices: list[Notice] = []
        created = [code for code, _lead in report.created]
        if created:
            notices.append(self._created(created, plans))
        problem = self._problem(report)
        if problem is not None:
            key = f"{problem.title}\n{problem.body}"
            if not self._failing or key != self._last_problem:
                notices.append(problem)
            self._failing, self._last_problem = True, key
        elif self._failing:
            self._failing, self._last_problem = False, None
            notices.append(
                Notice(
                    QCoreApplication.translate("Notify", "Синхронизация восстановлена"),
                    QCoreApplication.translate("Notify", "Заказы Kaspi снова передаются в amoCRM."),
                    "info",
                )
            )
        return notices

    def _created(self, codes: list[str], plans: dict[str, DealPlan]) -> Notice:
        if len(codes) == 1:
            code = codes[0]
            plan = plans.get(code)
            body = f"Kaspi #{code}"
            if plan is not None:
                body += f" — {plan.buyer_name}, {texts.money(plan.price)}"
            return Notice(QCoreApplication.translate("Notify", "Новая сделка в amoCRM"), body, "info")
        title = QCoreApplication.translate("Notify", "Создано %n сделок", None, len(codes))
        listed = ", ".join(f"#{code}" for code in codes[:LISTED_CODES])
        body = texts.arg(QCoreApplication.translate("Notify", "Заказы Kaspi %1"), listed)
        if len(codes) > LISTED_CODES:
            body += " " + QCoreApplication.translate("Notify", "и ещё %n", None, len(codes) - LISTED_CODES)
        return Notice(title, body, "info")

    def _problem(self, report: CycleReport) -> Notice | None:
        if report.error is not None:
            title, body = texts.explain_error(report.error, self.language())
            return Notice(title, body, "error")
        if report.failed:
            title = QCoreApplication.translate("Notify", "Не удалось передать %n заказов", None, len(report.failed))
            level = "error" if nothing_got_through(report) else "warning"
            return Notice(title, report.failed[0].message, level)
        return None
