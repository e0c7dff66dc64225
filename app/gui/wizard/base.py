"""A wizard page whose values count only after a live check (or when the owner insists).

"Далее" on an unchecked page starts the check and moves on by itself when it passes; a
failed check says why under the fields and, when only the network is to blame, offers
"continue without the check". Editing any field makes the old result void.

A page's fields live in `self.content`, inside a scroll area: on a 1366×768 laptop (and in
Kazakh, whose words are long) a page never squashes its fields to fit the wizard; it
scrolls instead. The check's answer and "insist" stay below the scroll area, always in sight.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from app.gui.widgets import wrapped_label
from app.gui.wizard.fields import button_row
from app.gui.wizard.messages import Problem
from app.gui.wizard.tasks import Tasks

if TYPE_CHECKING:
    from app.gui.wizard.wizard import SetupWizard

# `ask(load_pipelines)`: one of onboarding's amoCRM loaders, called with the wizard's draft,
# secrets, session and limiter (the pages that load lists say only what to load)
AskAmo = Callable[[Callable[..., Any]], Any]

ERROR_STYLE = "color: #b3261e;"
OK_STYLE = "color: #1e7b34;"
WARNING_STYLE = "color: #8a5300;"

# amoCRM's fixed stages, which the pages that load pipelines leave out of their pickers:
UNSORTED_TYPE = 1  # the "incoming" stage: leads cannot be put there through /leads
WON, LOST = 142, 143  # closed won / closed lost, in every pipeline


class CheckedPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.tasks = Tasks(self)
        self.checked = False
        self._advance = False
        self.status = wrapped_label("status", selectable=True)
        self.insist = QCheckBox(objectName="insist")
        self.insist.setText(QCoreApplication.translate("Wizard", "Продолжить без проверки"))
        self.insist.hide()
        self.insist.toggled.connect(lambda _on: self.completeChanged.emit())
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.page_scroll = QScrollArea(objectName="page_scroll")
        self.page_scroll.setWidgetResizable(True)
        self.page_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.page_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # labels wrap instead
        body = QWidget(objectName="page_body")
        self.content = QVBoxLayout(body)
        self.content.setContentsMargins(0, 0, 6, 0)  # room beside the vertical scroll bar
        self.page_scroll.setWidget(body)
        outer.addWidget(self.page_scroll, 1)
        outer.addWidget(self.status)
        outer.addWidget(self.insist)

    # --- what a page provides ------------------------------------------------------------

    def start_check(self) -> bool:
        """Begin the page's live check; False when the input is incomplete (said already)."""
        raise NotImplementedError

    def commit(self) -> None:
        """Move the page's values into the wizard's draft (only after a pass or insist)."""
        raise NotImplementedError

    # --- shared behaviour ----------------------------------------------------------------

    def setup_wizard(self) -> SetupWizard:
        return self.wizard()  # type: ignore[return-value]

    def add_footer(self, layout: QVBoxLayout, button: QPushButton | None = None) -> None:
        """The page's action button on its own row, then the rest of the page left empty."""
        if button is not None:
            layout.addLayout(button_row(button))
        layout.addStretch(1)

    def reveal(self, widget: QWidget) -> None:
        """Scroll the page so `widget` is in sight (an error next to a field below the fold)."""
        self.page_scroll.ensureWidgetVisible(widget)

    def watch(self, *fields: QLineEdit) -> None:
        for field in fields:
            field.textEdited.connect(lambda _text: self.invalidate())

    def invalidate(self) -> None:
        """A field changed: the last check no longer speaks for these values."""
        self.tasks.cancel()
        self.checked = False
        self._advance = False
        self.insist.hide()
        self.insist.setChecked(False)
        self.show_status("")

    def run(self, job: Callable[[], object], on_done: Callable[[object], None], *,
            explain: Callable[[BaseException], Problem], busy_text: str | None = None, block: bool = True) -> None:
        """Run a check off the GUI thread; `block` keeps Next/Finish disabled meanwhile."""
        self.insist.hide()
        self.show_status(busy_text or QCoreApplication.translate("Wizard", "Проверяю…"))
        wizard = self.setup_wizard()
        if block:
            wizard.set_busy(True)

        def done(result: object) -> None:
            if block:
                wizard.set_busy(False)
            on_done(result)

        def failed(exc: BaseException) -> None:
            if block:
                wizard.set_busy(False)
            self.fail(explain(exc))

        self.tasks.run(job, done, failed)

    def passed(self, text: str) -> None:
        self.checked = True
        self.show_status(text, ok=True)
        self.completeChanged.emit()
        if self._advance:
            self._advance = False
            self.setup_wizard().go_on()

    def fail(self, problem: Problem) -> None:
        self.checked = False
        self._advance = False
        self.show_status(problem.text, error=True)
        self.insist.setVisible(problem.may_insist)
        self.completeChanged.emit()

    def amo_is_connected(self) -> bool:
        """True once the amoCRM step has connected; else says "go back" under the fields. The
        pages that read the account (stages, loss reasons) cannot load anything before that."""
        draft = self.setup_wizard().draft
        if draft.amo_connected and draft.amo_base_url:
            return True
        self.fail(Problem(QCoreApplication.translate("Wizard", "amoCRM не подключён: вернитесь на шаг amoCRM.")))
        return False

    def show_status(self, text: str, *, ok: bool = False, error: bool = False) -> None:
        self.status.setStyleSheet(ERROR_STYLE if error else OK_STYLE if ok else "")
        self.status.setText(text)

    def validatePage(self) -> bool:  # noqa: N802 - Qt name
        if self.tasks.busy:
            return False
        if self.checked or (self.insist.isVisible() and self.insist.isChecked()):
            self.commit()
            return True
        self.start_check_and_advance()
        return False

    def check_clicked(self) -> None:
        """The page's own "Проверить" button: check, stay on the page."""
        self._advance = False
        self.start_check()

    def start_check_and_advance(self) -> None:
        self._advance = True
        if not self.start_check():
            self._advance = False


class LoadedPage(CheckedPage):
    """A page whose check is loading the account's lists from amoCRM (pipelines, stages, loss
    reasons): «Далее» and the page's own reload button both load them again."""

    def loading(self, ask: AskAmo) -> tuple[Callable[[], object], str]:
        """The job that loads the page's lists (each through `ask`) and what to say meanwhile."""
        raise NotImplementedError

    def loaded(self, result: object) -> None:
        """Show what `loading`'s job returned, then `passed` (or `fail`)."""
        raise NotImplementedError

    def explain(self, exc: BaseException) -> Problem:
        raise NotImplementedError

    def load(self) -> None:
        """Run `loading`'s job off the GUI thread: it reads the keyring and may refresh the
        token. Without a connected amoCRM it only says "go back"."""
        if not self.amo_is_connected():
            return
        wizard = self.setup_wizard()
        draft, secrets = wizard.draft, wizard.secrets
        session, limiter = wizard.services.session, wizard.services.limiter()
        self.checked = False
        job, busy_text = self.loading(lambda load: load(draft, secrets, session=session, limiter=limiter))
        self.run(job, self.loaded, explain=self.explain, busy_text=busy_text)

    def add_reload(self, layout: QVBoxLayout, name: str) -> QPushButton:
        """The reload button, as the page's footer; its text is the page's to set."""
        button = QPushButton(objectName=name)
        button.clicked.connect(self.load)
        self.add_footer(layout, button)
        return button

    def start_check(self) -> bool:
        if self.tasks.busy:
            return False
        self.load()
        return True
