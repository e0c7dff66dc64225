"""The wizard's optional step «Управление заказами Kaspi из amoCRM», offscreen against the
sandbox: stages and loss reasons picked by name, the merchant ID required once anything is
on, the warning shown, the page fits 1366×768, and Finish writes the contract's settings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QWizard

from app.gui.controller import GuiController
from app.gui.wizard import SetupWizard
from app.paths import resolve_paths
from app.sandbox.server import ACCEPT_STATUS_ID, COMPLETE_STATUS_ID, Sandbox
from tests.gui.conftest import SYNC_TIMEOUT_MS, base_env, page_busy

WAIT_MS = 20_000


def to_destination(make_gui: Any, qtbot: Any, sandbox: Sandbox, **env: str) -> tuple[GuiController, SetupWizard]:
    controller = make_gui(sandbox=sandbox, env=env)
    qtbot.waitUntil(lambda: controller.worker.configured, timeout=SYNC_TIMEOUT_MS)
    controller.open_settings()
    qtbot.waitUntil(lambda: controller.wizard is not None and controller.wizard.isVisible(), timeout=WAIT_MS)
    wizard = controller.wizard
    assert wizard is not None
    for page in (wizard.amo_page, wizard.destination_page):
        qtbot.waitUntil(lambda: not page_busy(wizard), timeout=WAIT_MS)
        wizard.button(QWizard.WizardButton.NextButton).click()
        qtbot.waitUntil(lambda p=page: wizard.currentPage() is p, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: wizard.destination_page.checked, timeout=WAIT_MS)
    return controller, wizard


def next_page(qtbot: Any, wizard: SetupWizard, expected: Any) -> None:
    qtbot.waitUntil(lambda: not page_busy(wizard), timeout=WAIT_MS)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentPage() is expected, timeout=WAIT_MS)


def form_label(form: QFormLayout, index: int) -> str:
    """The text of the QLabel at `index` in a form (labels and fields alternate)."""
    item = form.itemAt(index)
    assert item is not None, index
    label = item.widget()
    assert isinstance(label, QLabel), label
    return label.text()


def pick(combo: Any, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, [combo.itemText(i) for i in range(combo.count())]
    combo.setCurrentIndex(index)


def test_actions_step_is_skipped_unless_opted_in(make_gui: Any, qtbot: Any, sandbox: Sandbox) -> None:
    _controller, wizard = to_destination(make_gui, qtbot, sandbox)
    assert not wizard.destination_page.actions_box.isChecked()  # nothing on by default
    next_page(qtbot, wizard, wizard.alerts_page)
    wizard.reject()


def test_actions_picked_by_name_and_saved(make_gui: Any, qtbot: Any, sandbox: Sandbox, home: Path) -> None:
    _controller, wizard = to_destination(make_gui, qtbot, sandbox)
    wizard.destination_page.actions_box.setChecked(True)
    page = wizard.actions_page
    next_page(qtbot, wizard, page)
    qtbot.waitUntil(lambda: page.checked, timeout=WAIT_MS)
    assert "нельзя отменить" in page.warning.text() and page.warning.isVisible()
    assert page.title() == "Управление заказами Kaspi из amoCRM"

    # the page fits a 1366×768 screen at its default size
    assert wizard.width() <= 1366 and wizard.height() <= 768
    assert page.minimumSizeHint().height() <= page.height() + 1

    page.merchant.clear()
    page.auto_accept.setChecked(True)
    page.stage_boxes["accept"].setChecked(True)
    pick(page.stage_combos["accept"], "Принят")
    page.stage_boxes["complete"].setChecked(True)
    pick(page.stage_combos["complete"], "Выдача покупателю")
    reasons = {form_label(page.reasons_form, i * 2): combo
               for i, combo in enumerate(page.reason_combos.values())}
    pick(reasons["Нет в наличии"], "Товара нет в наличии")
    pick(reasons["Покупатель передумал"], "Покупатель отказался")

    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    qtbot.wait(200)
    assert wizard.currentPage() is page and "ID магазина" in page.status.text()  # required when anything is on
    page.merchant.setText("30141222")
    next_page(qtbot, wizard, wizard.alerts_page)
    next_page(qtbot, wizard, wizard.finish_page)
    with qtbot.waitSignal(wizard.saved, timeout=WAIT_MS):
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)

    saved = json.loads(resolve_paths(base_env(home)).settings_file.read_text(encoding="utf-8"))
    lost = sandbox.amo.manager.loss_reasons()
    assert saved["KASPI_MERCHANT_ID"] == "30141222" and saved["KASPI_AUTO_ACCEPT"] is True
    assert saved["AMO_ACCEPT_STATUS_ID"] == ACCEPT_STATUS_ID and saved["AMO_COMPLETE_STATUS_ID"] == COMPLETE_STATUS_ID
    assert saved["AMO_ASSEMBLE_STATUS_ID"] is None
    assert {int(k): v for k, v in saved["KASPI_CANCEL_REASONS"].items()} == {
        lost["Нет в наличии"]: "MERCHANT_OUT_OF_STOCK", lost["Покупатель передумал"]: "BUYER_CANCELLATION_BY_MERCHANT"}


def test_two_actions_cannot_share_a_stage(make_gui: Any, qtbot: Any, sandbox: Sandbox) -> None:
    _controller, wizard = to_destination(make_gui, qtbot, sandbox)
    wizard.destination_page.actions_box.setChecked(True)
    page = wizard.actions_page
    next_page(qtbot, wizard, page)
    qtbot.waitUntil(lambda: page.checked, timeout=WAIT_MS)
    page.merchant.setText("30141222")
    for action in ("accept", "assemble"):
        page.stage_boxes[action].setChecked(True)
        pick(page.stage_combos[action], "Принят")
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    qtbot.wait(200)
    assert wizard.currentPage() is page and "свой этап" in page.status.text()
    wizard.reject()


def test_the_page_speaks_kazakh_and_english(make_gui: Any, qtbot: Any, sandbox: Sandbox) -> None:
    for language, words in (("kk", "Kaspi"), ("en", "cannot be undone")):
        controller = make_gui(sandbox=sandbox, language=language)
        qtbot.waitUntil(lambda c=controller: c.worker.configured, timeout=SYNC_TIMEOUT_MS)
        controller.open_settings()
        qtbot.waitUntil(lambda c=controller: c.wizard is not None, timeout=WAIT_MS)
        page = controller.wizard.actions_page
        assert words in page.warning.text() and page.warning.text() != (
            "Внимание: действия в Kaspi нельзя отменить. Принятый, отменённый или выданный заказ не вернуть назад "
            "ни из amoCRM, ни из этой программы. Включайте только то, чем будете пользоваться.")
        controller.wizard.reject()
        controller.quit()
        qtbot.waitUntil(lambda c=controller: c._finished, timeout=SYNC_TIMEOUT_MS)


def test_the_window_shows_waiting_and_refused_kaspi_actions(make_gui: Any, qtbot: Any, sandbox: Sandbox) -> None:
    env = {"AMO_ACCEPT_STATUS_ID": str(ACCEPT_STATUS_ID)}
    controller = make_gui(sandbox=sandbox, env=env, run_at_start=True)
    qtbot.waitUntil(lambda: controller.snapshot is not None and controller.snapshot.status.processed_total > 0,
                    timeout=SYNC_TIMEOUT_MS)
    panel = controller.window.kaspi_actions
    assert panel.isHidden()  # nothing waiting, nothing refused
    lead = sandbox.amo.leads_named("Kaspi #700000115")[0]["id"]
    sandbox.amo.manager.move(lead, ACCEPT_STATUS_ID)
    sandbox.kaspi.writes.before_next_write(lambda order: setattr(order, "status", "CANCELLED"))  # cancelled meanwhile
    controller.sync_now()
    qtbot.waitUntil(lambda: not panel.isHidden(), timeout=SYNC_TIMEOUT_MS)
    assert "отказано 1" in panel.summary.text()
    assert "700000115" in panel.lines.text() and "Kaspi отказал" in panel.lines.text()
