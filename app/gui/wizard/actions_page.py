"""Optional step after the destination: «Управление заказами Kaspi из amoCRM».

Each Kaspi action is switched on separately and tied to a stage picked by name; loss
reasons are mapped to Kaspi's three cancellation reasons by picking; the shop's merchant ID
is asked for whenever anything is on. A plain warning says the actions cannot be undone.
The stages and loss reasons load live (off the GUI thread); nothing is on by default.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.amo.api import Pipeline
from app.amo.deals import LossReason
from app.gui.widgets import wrapped_label
from app.gui.wizard.base import ERROR_STYLE, LOST, UNSORTED_TYPE, WARNING_STYLE, AskAmo, LoadedPage
from app.gui.wizard.fields import form, labelled
from app.gui.wizard.messages import Problem, pipelines_problem
from app.kaspi.actions import CANCEL_REASONS
from app.onboarding import load_loss_reasons, load_pipelines

STAGE_ACTIONS = ("accept", "assemble", "complete")


def reason_label(reason: str) -> str:
    labels = {
        "BUYER_CANCELLATION_BY_MERCHANT": QCoreApplication.translate("Wizard", "Покупатель отказался"),
        "BUYER_NOT_REACHABLE": QCoreApplication.translate("Wizard", "Не удалось связаться с покупателем"),
        "MERCHANT_OUT_OF_STOCK": QCoreApplication.translate("Wizard", "Товара нет в наличии"),
    }
    return labels.get(reason, reason)


class ActionsPage(LoadedPage):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("actions_page")
        self._pipelines: list[Pipeline] = []
        self._reasons: list[LossReason] = []
        layout = self.content  # inside the page's scroll area (CheckedPage): never squashed
        layout.setSpacing(6)

        self.warning = wrapped_label("actions_warning")
        self.warning.setStyleSheet(WARNING_STYLE + " font-weight: 600;")
        layout.addWidget(self.warning)

        merchant = form()
        self.merchant = QLineEdit(objectName="merchant_id")
        self.merchant_label = labelled(merchant, self.merchant)
        self.merchant_hint = wrapped_label("merchant_hint")
        merchant.addRow("", self.merchant_hint)
        layout.addLayout(merchant)

        self.auto_accept = QCheckBox(objectName="auto_accept")
        layout.addWidget(self.auto_accept)
        grid = QGridLayout()
        self.stage_boxes: dict[str, QCheckBox] = {}
        self.stage_combos: dict[str, QComboBox] = {}
        for row, action in enumerate(STAGE_ACTIONS):
            box = QCheckBox(objectName=f"{action}_on")
            combo = QComboBox(objectName=f"{action}_stage")
            combo.setEnabled(False)
            box.toggled.connect(combo.setEnabled)
            self.stage_boxes[action], self.stage_combos[action] = box, combo
            grid.addWidget(box, row, 0)
            grid.addWidget(combo, row, 1)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)

        self.reasons_group = QGroupBox(objectName="reasons_group")
        group_layout = QVBoxLayout(self.reasons_group)
        self.reasons_hint = wrapped_label()
        group_layout.addWidget(self.reasons_hint)
        self.reasons_form = QFormLayout()
        holder = QWidget()
        holder.setLayout(self.reasons_form)
        scroll = QScrollArea()
        scroll.setWidget(holder)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setMaximumHeight(120)
        group_layout.addWidget(scroll)
        self.reason_combos: dict[int, QComboBox] = {}
        layout.addWidget(self.reasons_group)

        self.reload_button = self.add_reload(layout, "actions_reload")
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(QCoreApplication.translate("Wizard", "Управление заказами Kaspi из amoCRM"))
        self.setSubTitle(QCoreApplication.translate("Wizard", "Перенос сделки по этапам меняет заказ в Kaspi. Каждое действие включается отдельно."))
        self.warning.setText(QCoreApplication.translate("Wizard", "Внимание: действия в Kaspi нельзя отменить. Принятый, отменённый или выданный заказ "
                                "не вернуть назад ни из amoCRM, ни из этой программы. Включайте только то, чем "
                                "будете пользоваться."))
        self.merchant_label.setText(QCoreApplication.translate("Wizard", "ID магазина Kaspi:"))
        self.merchant_hint.setText(QCoreApplication.translate("Wizard", "Кабинет продавца Kaspi → Настройки → ID магазина. Нужен для любого действия."))
        self.auto_accept.setText(QCoreApplication.translate("Wizard", "Принимать новые заказы автоматически, как только появилась сделка"))
        labels = {
            "accept": QCoreApplication.translate("Wizard", "Принимать заказ, когда сделка попадает в этап:"),
            "assemble": QCoreApplication.translate("Wizard", "Собирать заказ Kaspi Доставки (накладная), этап:"),
            "complete": QCoreApplication.translate("Wizard", "Выдавать заказ по коду покупателя, этап:"),
        }
        for action, box in self.stage_boxes.items():
            box.setText(labels[action])
        self.reasons_group.setTitle(QCoreApplication.translate("Wizard", "Отменять заказ в Kaspi, когда сделка закрыта с причиной отказа"))
        self.reasons_hint.setText(QCoreApplication.translate("Wizard", "Для каждой причины отказа выберите причину отмены в Kaspi или «Не отменять»."))
        self.reload_button.setText(QCoreApplication.translate("Wizard", "Загрузить этапы и причины"))

    def initializePage(self) -> None:  # noqa: N802 - Qt name
        draft = self.setup_wizard().draft
        self.merchant.setText(draft.merchant_id or "")
        self.auto_accept.setChecked(draft.auto_accept)
        chosen = {"accept": draft.accept_status_id, "assemble": draft.assemble_status_id,
                  "complete": draft.complete_status_id}
        for action, box in self.stage_boxes.items():
            box.setChecked(chosen[action] is not None)
        self.load()

    # --- loading ---------------------------------------------------------------------

    def loading(self, ask: AskAmo) -> tuple[Callable[[], object], str]:
        cached = self.setup_wizard().pipelines

        def job() -> tuple[list[Pipeline], list[LossReason]]:
            pipelines = cached if cached is not None else ask(load_pipelines)
            return pipelines, ask(load_loss_reasons)

        return job, QCoreApplication.translate("Wizard", "Загружаю этапы и причины отказа из amoCRM…")

    def explain(self, exc: BaseException) -> Problem:
        return Problem(pipelines_problem(exc).text)

    def loaded(self, result: object) -> None:
        pipelines, reasons = result if isinstance(result, tuple) else ([], [])
        self._pipelines = [p for p in pipelines if isinstance(p, Pipeline)]
        self._reasons = [r for r in reasons if isinstance(r, LossReason)]
        self.setup_wizard().pipelines = self._pipelines
        self._fill()
        self.passed(QCoreApplication.translate("Wizard", "Этапы и причины отказа загружены из amoCRM."))

    def _stages(self) -> list[tuple[int, str]]:
        draft = self.setup_wizard().draft
        pipeline = next((p for p in self._pipelines if p.id == draft.pipeline_id), None)
        if pipeline is None:
            pipeline = next((p for p in self._pipelines if p.is_main), self._pipelines[0] if self._pipelines else None)
        if pipeline is None:
            return []
        return [(s.id, s.name) for s in pipeline.statuses if s.type != UNSORTED_TYPE and s.id != LOST]

    def _fill(self) -> None:
        draft = self.setup_wizard().draft
        chosen = {"accept": draft.accept_status_id, "assemble": draft.assemble_status_id,
                  "complete": draft.complete_status_id}
        stages = self._stages()
        for action, combo in self.stage_combos.items():
            combo.clear()
            for sid, name in stages:
                combo.addItem(name, sid)
            index = combo.findData(chosen[action]) if chosen[action] else -1
            combo.setCurrentIndex(index if index >= 0 else min(STAGE_ACTIONS.index(action) + 1, combo.count() - 1))
        while self.reasons_form.rowCount():
            self.reasons_form.removeRow(0)
        self.reason_combos = {}
        for reason in self._reasons:
            combo = QComboBox(objectName=f"reason_{reason.id}")
            combo.addItem(QCoreApplication.translate("Wizard", "Не отменять"), None)
            for kaspi_reason in CANCEL_REASONS:
                combo.addItem(reason_label(kaspi_reason), kaspi_reason)
            wanted = draft.cancel_reasons.get(reason.id)
            combo.setCurrentIndex(max(combo.findData(wanted), 0) if wanted else 0)
            label = QLabel(reason.name)
            label.setTextFormat(Qt.TextFormat.PlainText)
            self.reasons_form.addRow(label, combo)
            self.reason_combos[reason.id] = combo

    # --- check and commit ------------------------------------------------------------

    def _wanted(self) -> dict[str, object]:
        stages = {action: self.stage_combos[action].currentData() for action, box in self.stage_boxes.items()
                  if box.isChecked()}
        reasons = {rid: combo.currentData() for rid, combo in self.reason_combos.items() if combo.currentData()}
        return {"stages": stages, "reasons": reasons}

    def validatePage(self) -> bool:  # noqa: N802 - Qt name
        wanted = self._wanted()
        stages: dict[str, object] = wanted["stages"]  # type: ignore[assignment]
        anything = self.auto_accept.isChecked() or bool(stages) or bool(wanted["reasons"])
        if anything and not self.merchant.text().strip():
            self.show_status(QCoreApplication.translate("Wizard", "Укажите ID магазина Kaspi: без него действия с заказами не работают."), error=True)
            self.status.setStyleSheet(ERROR_STYLE)
            return False
        if self.merchant.text().strip() and " " in self.merchant.text().strip():
            self.show_status(QCoreApplication.translate("Wizard", "ID магазина Kaspi пишется без пробелов."), error=True)
            return False
        if self.checked and None in stages.values():
            self.show_status(QCoreApplication.translate("Wizard", "Выберите этап для каждого включённого действия."), error=True)
            return False
        if len(set(stages.values())) < len(stages):
            self.show_status(QCoreApplication.translate("Wizard", "У каждого действия должен быть свой этап."), error=True)
            return False
        if not anything and not self.checked:
            self.commit()  # nothing on: no need to wait for amoCRM
            return True
        return super().validatePage()

    def commit(self) -> None:
        draft = self.setup_wizard().draft
        draft.merchant_id = self.merchant.text().strip() or None
        draft.auto_accept = self.auto_accept.isChecked()
        before = {"accept": draft.accept_status_id, "assemble": draft.assemble_status_id,
                  "complete": draft.complete_status_id}
        # Without the loaded lists (continued without the check) a switched-on action keeps its stage.
        stages: dict[str, int | None] = {
            action: None if not box.isChecked() else
            (self.stage_combos[action].currentData() if self.checked else before[action])
            for action, box in self.stage_boxes.items()
        }
        draft.accept_status_id = stages["accept"]
        draft.assemble_status_id = stages["assemble"]
        draft.complete_status_id = stages["complete"]
        if self.checked:
            draft.cancel_reasons = {rid: str(combo.currentData()) for rid, combo in self.reason_combos.items()
                                    if combo.currentData()}
