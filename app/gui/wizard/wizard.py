"""The settings wizard: five pages over one `SetupDraft`, saved only at Finish.

It opens on first start and from the tray's Settings…; after Finish the controller applies
the saved settings without a restart. Checks and the final save run off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import requests
from PySide6.QtCore import QCoreApplication, QSize, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWidget, QWizard

from app import APP_DISPLAY_NAME
from app.amo.api import Pipeline
from app.amo.ratelimit import RateLimiter
from app.gui.prefs import GuiPrefs
from app.gui.wizard.actions_page import ActionsPage
from app.gui.wizard.alerts_page import AlertsPage
from app.gui.wizard.amo_page import AmoPage
from app.gui.wizard.base import CheckedPage
from app.gui.wizard.destination_page import DestinationPage
from app.gui.wizard.finish_page import FinishPage
from app.gui.wizard.kaspi_page import KaspiPage
from app.gui.wizard.tasks import Tasks
from app.onboarding import AMO_CHECK_RPS, CHECK_TIMEOUT, Loaded, save_draft
from app.paths import AppPaths

# The wizard's size on a usual screen: fits a 1366×768 laptop with its taskbar and the
# window's title bar, and shows every page of the longest language (Kazakh) without squashing;
# what does not fit scrolls inside the page (CheckedPage).
PREFERRED_SIZE = QSize(780, 660)
MINIMUM_SIZE = QSize(560, 440)
# Room a window frame and title bar take around the client area (the screen's available
# geometry already leaves out the taskbar).
SCREEN_ALLOWANCE = QSize(16, 48)


def default_size(available: QSize) -> QSize:
    """PREFERRED_SIZE, shrunk to what the screen leaves (never under MINIMUM_SIZE)."""
    return QSize(
        max(MINIMUM_SIZE.width(), min(PREFERRED_SIZE.width(), available.width() - SCREEN_ALLOWANCE.width())),
        max(MINIMUM_SIZE.height(), min(PREFERRED_SIZE.height(), available.height() - SCREEN_ALLOWANCE.height())),
    )


@dataclass
class WizardServices:
    """What the wizard reaches outside itself; tests swap the browser."""

    open_url: Callable[[QUrl], object] = QDesktopServices.openUrl
    session: requests.Session | None = None
    browser_timeout: float = 300.0  # how long to wait for "Разрешить" in the browser
    trial_limiter: RateLimiter | None = field(default=None)  # tests: no pacing for the trial
    # the running sync's limiter, so checks and the trial stay within amoCRM's 7 rps with it
    shared_limiter: Callable[[], RateLimiter | None] = lambda: None

    own_limiter: RateLimiter | None = None  # when no sync runs: one for all the wizard's requests

    def limiter(self) -> RateLimiter:
        shared = self.shared_limiter()
        if shared is not None:
            return shared
        if self.own_limiter is None:
            self.own_limiter = RateLimiter(AMO_CHECK_RPS)
        return self.own_limiter
    kaspi_timeout: tuple[float, float] = CHECK_TIMEOUT  # (connect, read) seconds


class SetupWizard(QWizard):
    saved = Signal(object)  # GuiPrefs, after the settings are on disk

    def __init__(self, loaded: Loaded, paths: AppPaths, prefs: GuiPrefs, *, language: str,
                 services: WizardServices | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("setup_wizard")
        self.draft = loaded.draft
        self.secrets = loaded.secrets
        self.paths = paths
        self.prefs = prefs
        self.language = language
        self.services = services or WizardServices()
        self.pipelines: list[Pipeline] | None = None  # loaded once per connected account
        self._saving = Tasks(self)
        self._saved = False
        self.setWindowTitle(QCoreApplication.translate("Wizard", "Настройка") + f" — {APP_DISPLAY_NAME}")
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.HaveFinishButtonOnEarlyPages, self.draft.complete)
        self.setMinimumSize(MINIMUM_SIZE)
        self.kaspi_page, self.amo_page = KaspiPage(), AmoPage()
        self.destination_page, self.alerts_page, self.finish_page = DestinationPage(), AlertsPage(), FinishPage()
        self.actions_page = ActionsPage()
        for page in self.all_pages():
            self.addPage(page)
            # A configured app: "Готово" on any page saves what changed, no walk to the end.
            page.setFinalPage(page is self.finish_page or self.draft.complete)
        self._finish_requested = False  # Finish started a check: save when it passes
        self.button(QWizard.WizardButton.NextButton).clicked.connect(self._next_clicked)
        self.setButtonText(QWizard.WizardButton.NextButton, QCoreApplication.translate("Wizard", "Далее"))
        self.setButtonText(QWizard.WizardButton.BackButton, QCoreApplication.translate("Wizard", "Назад"))
        self.setButtonText(QWizard.WizardButton.FinishButton, QCoreApplication.translate("Wizard", "Готово"))
        self.setButtonText(QWizard.WizardButton.CancelButton, QCoreApplication.translate("Wizard", "Отмена"))
        if loaded.problem:
            self.kaspi_page.show_status(loaded.problem, error=True)
        screen = self.screen()
        self.resize(default_size(screen.availableGeometry().size()) if screen is not None else PREFERRED_SIZE)

    def pages(self) -> list:
        """The default walk (the Kaspi actions step is optional, see all_pages)."""
        return [self.kaspi_page, self.amo_page, self.destination_page, self.alerts_page, self.finish_page]

    def all_pages(self) -> list:
        """Every page in page-id order: the optional Kaspi actions step after the destination."""
        walk = self.pages()
        return [*walk[:3], self.actions_page, *walk[3:]]

    def nextId(self) -> int:  # noqa: N802 - Qt name
        """The Kaspi actions step only when the owner opted in on the destination page."""
        if self.currentPage() is self.destination_page and not self.destination_page.actions_box.isChecked():
            return self.all_pages().index(self.alerts_page)
        return super().nextId()

    def set_busy(self, busy: bool) -> None:
        for which in (QWizard.WizardButton.NextButton, QWizard.WizardButton.FinishButton):
            button = self.button(which)
            if button is not None:
                button.setEnabled(not busy)

    def _next_clicked(self) -> None:
        self._finish_requested = False

    def go_on(self) -> None:
        """A check that "Далее" or "Готово" started has passed: move on, or finish."""
        if self._finish_requested or self.currentPage() is self.finish_page or self.nextId() == -1:
            self.accept()
        else:
            self.next()

    def accept(self) -> None:
        """Finish: save off the GUI thread, then close; a failed save keeps the wizard open."""
        if self._saved:
            super().accept()
            return
        if self._saving.busy:
            return
        self._finish_requested = True
        if not self.validateCurrentPage():  # QWizard.accept would validate too; a check may be on its way
            return
        self.set_busy(True)  # Finish on an early page: the later pages keep the values loaded
        draft, secrets, settings_file = self.draft, self.secrets, self.paths.settings_file
        # What the wizard does not own (.env, the environment) is read back by the worker's
        # reload after this, and a remaining problem shows in the main window.
        self._saving.run(lambda: save_draft(draft, secrets, settings_file), self._on_saved, self._on_save_failed)

    def _on_saved(self, _result: object) -> None:
        self._saved = True
        self.set_busy(False)
        self.saved.emit(self.prefs)
        super().accept()

    def _on_save_failed(self, exc: BaseException) -> None:
        """Shown on the page, not in a modal box: the owner can retry "Готово" or cancel."""
        self.set_busy(False)
        self._finish_requested = False
        reason = str(getattr(exc, "message", None) or exc)
        page = self.currentPage()
        if isinstance(page, CheckedPage):
            page.show_status(QCoreApplication.translate("Wizard", "Не удалось сохранить настройки: %1")
                             .replace("%1", reason), error=True)

    def reject(self) -> None:
        self.amo_page.stop_waiting()
        for page in self.all_pages():
            page.tasks.cancel()
        super().reject()
