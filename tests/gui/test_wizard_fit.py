"""Every wizard page is usable at the wizard's default size on a 1366×768 laptop, in Russian,
Kazakh and English (issue 17: the alerts page squashed its e-mail fields to a few pixels and
cut «Кому:», «Пароль:» and «Отправить проверку» in half; the reopened finish page cut off
the trial list).

The offscreen screen is 1366×768 (tests/gui/laptop_screen.json). On every page, with its
folded sections opened and its longest answers shown, each field, button and label must be at
least its own minimum usable height and, once its page is scrolled to it, lie wholly inside the
page's visible area, itself inside the wizard.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QWidget,
    QWizard,
)

from app.gui.wizard import SetupWizard
from app.gui.wizard.alert_checks import ChannelTest
from app.gui.wizard.base import CheckedPage
from app.sandbox.server import Sandbox
from tests.gui.conftest import SYNC_TIMEOUT_MS, page_busy, wait_configured

LAPTOP = QRect(0, 0, 1366, 768)
TASKBAR, TITLE_BAR = 40, 48  # what a real desktop takes from those 768 pixels
INPUTS = (QLineEdit, QComboBox, QAbstractSpinBox, QAbstractButton, QListWidget)
LONG_ERROR = ("Telegram не принимает токен бота. Проверьте токен, который выдал @BotFather, и что бота "
              "не удалили; затем отправьте проверку ещё раз.")


def needed_height(widget: QWidget) -> int:
    """The least height at which a widget is still whole: its own hints (a wrapped label:
    the height its text needs at its width; a list: the rows it promises to show)."""
    need = widget.minimumSizeHint().height()
    if isinstance(widget, QLabel) and widget.wordWrap() and widget.text():
        need = max(need, widget.heightForWidth(widget.width()))
    elif isinstance(widget, QListWidget):
        need = max(widget.minimumHeight(), 60)
    elif isinstance(widget, INPUTS):
        need = max(need, widget.sizeHint().height())
    return need


def problems_on(page: CheckedPage, wizard: SetupWizard, qtbot: Any) -> list[str]:
    found: list[str] = []
    viewport = page.page_scroll.viewport()
    in_wizard = QRect(viewport.mapTo(wizard, QPoint(0, 0)), viewport.size())
    if not wizard.rect().contains(in_wizard):
        found.append(f"{page.objectName()}: the page's area leaves the wizard")
    body = page.page_scroll.widget()
    assert body is not None, page.objectName()
    if body.minimumSizeHint().width() > viewport.width():
        found.append(f"{page.objectName()}: needs {body.minimumSizeHint().width()} px width, has {viewport.width()}")
    widgets = [w for w in page.findChildren(QWidget)
               if isinstance(w, (*INPUTS, QLabel)) and w.isVisible() and not w.objectName().startswith("qt_")
               and (not isinstance(w, QLabel) or w.text())]
    assert widgets, page.objectName()
    for widget in widgets:
        name = f"{page.objectName()}/{type(widget).__name__}:{widget.objectName() or widget.property('text')}"
        if widget.height() < needed_height(widget):
            found.append(f"{name} squashed: {widget.height()} px < {needed_height(widget)}")
        if widget.width() < widget.minimumSizeHint().width():
            found.append(f"{name} too narrow: {widget.width()} px < {widget.minimumSizeHint().width()}")
        if body.isAncestorOf(widget):
            page.page_scroll.ensureWidgetVisible(widget, 0, 0)
            qtbot.wait(1)
            shown = QRect(widget.mapTo(viewport, QPoint(0, 0)), widget.size())
            if not viewport.rect().contains(shown):
                found.append(f"{name} cut off: {shown.getRect()} outside {viewport.rect().getRect()}")
        else:  # the check's answer and "insist" below the scroll area
            shown = QRect(widget.mapTo(wizard, QPoint(0, 0)), widget.size())
            if not wizard.rect().contains(shown):
                found.append(f"{name} outside the wizard")
    page.page_scroll.verticalScrollBar().setValue(0)
    return found


def next_page(qtbot: Any, wizard: SetupWizard, page: Any) -> None:
    qtbot.waitUntil(lambda: not page_busy(wizard), timeout=SYNC_TIMEOUT_MS)
    wizard.button(QWizard.WizardButton.NextButton).click()
    qtbot.waitUntil(lambda: wizard.currentPage() is page, timeout=SYNC_TIMEOUT_MS)


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_every_wizard_page_fits_a_laptop_at_its_default_size(
        make_gui: Any, sandbox: Sandbox, qtbot: Any, language: str) -> None:
    controller = make_gui(sandbox=sandbox, language=language)
    wait_configured(qtbot, controller)
    controller.open_settings()  # a configured app: every page has its real content
    qtbot.waitUntil(lambda: controller.wizard is not None and controller.wizard.isVisible(), timeout=SYNC_TIMEOUT_MS)
    wizard = controller.wizard
    assert wizard.width() + 16 <= LAPTOP.width() and wizard.height() + TITLE_BAR + TASKBAR <= LAPTOP.height()
    default = wizard.size()
    problems: list[str] = []

    kaspi = wizard.kaspi_page
    kaspi.more.setChecked(True)
    problems += problems_on(kaspi, wizard, qtbot)

    next_page(qtbot, wizard, wizard.amo_page)
    amo = wizard.amo_page
    qtbot.waitUntil(lambda: not amo._live.busy, timeout=SYNC_TIMEOUT_MS)
    amo.way_token.setChecked(True)
    problems += problems_on(amo, wizard, qtbot)  # the owner's steps and token field
    amo.way_browser.setChecked(True)
    amo.redirect_uri.setText("https://shop.example.kz/amocrm/callback")  # the pasted-address variant
    problems += problems_on(amo, wizard, qtbot)
    amo.way_code.setChecked(True)
    problems += problems_on(amo, wizard, qtbot)
    amo.redirect_uri.setText(sandbox.amo.redirect_uri)
    amo.more.setChecked(False)

    next_page(qtbot, wizard, wizard.destination_page)
    destination = wizard.destination_page
    qtbot.waitUntil(lambda: destination.checked, timeout=SYNC_TIMEOUT_MS)
    destination.actions_box.setChecked(True)  # the optional two-way step too
    problems += problems_on(destination, wizard, qtbot)

    next_page(qtbot, wizard, wizard.actions_page)
    actions = wizard.actions_page
    qtbot.waitUntil(lambda: actions.checked or not actions.tasks.busy, timeout=SYNC_TIMEOUT_MS)
    for box in actions.stage_boxes.values():
        box.setChecked(True)
    problems += problems_on(actions, wizard, qtbot)
    for box in actions.stage_boxes.values():
        box.setChecked(False)
    wizard.back()
    destination.actions_box.setChecked(False)

    next_page(qtbot, wizard, wizard.alerts_page)
    alerts = wizard.alerts_page
    alerts.bot_help_toggle.setChecked(True)
    alerts.find_result.show()
    alerts._say_found(LONG_ERROR, error=True)
    alerts._tested("telegram", ChannelTest(False, LONG_ERROR))
    alerts._tested("email", ChannelTest(False, LONG_ERROR))
    problems += problems_on(alerts, wizard, qtbot)
    alerts._edited("telegram")
    alerts._edited("email")

    next_page(qtbot, wizard, wizard.finish_page)
    finish = wizard.finish_page
    finish.trial_button.click()
    qtbot.waitUntil(lambda: finish.trial_list.count() == 14 and not finish.tasks.busy, timeout=SYNC_TIMEOUT_MS)
    finish.switch_note.setText(LONG_ERROR)  # the reopened page with the other-account note
    finish.switch_note.show()
    problems += problems_on(finish, wizard, qtbot)
    finish.trial_list.scrollToBottom()
    rows_shown = finish.trial_list.viewport().height() // finish.trial_list.sizeHintForRow(0)
    assert rows_shown >= 4, f"the trial list shows {rows_shown} deals"

    assert wizard.size() == default  # nothing above grew the wizard past its default size
    assert problems == []
    wizard.reject()
