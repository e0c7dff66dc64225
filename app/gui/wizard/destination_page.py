"""Step 3: where deals go (pipeline and first status, by name), which Kaspi states to
sync, and the Kaspi status → amoCRM status map reconcile uses. Pipelines load live."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
)

from app.amo.api import Pipeline
from app.gui import texts
from app.gui.widgets import wrapped_label
from app.gui.wizard.base import ERROR_STYLE, LOST, UNSORTED_TYPE, WON, AskAmo, LoadedPage
from app.gui.wizard.fields import form, labelled
from app.gui.wizard.messages import Problem, pipelines_problem
from app.kaspi.models import ORDER_STATES
from app.onboarding import default_pipeline, load_pipelines

# Kaspi statuses reconcile can act on, in the order a shop meets them.
MAPPED_STATUSES = ("COMPLETED", "CANCELLED", "CANCELLING", "KASPI_DELIVERY_RETURN_REQUESTED", "RETURNED")


class DestinationPage(LoadedPage):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("destination_page")
        self._pipelines: list[Pipeline] = []
        layout = self.content

        top = form()
        self.pipeline = QComboBox(objectName="pipeline")
        self.status_box = QComboBox(objectName="status")
        self.pipeline_label = labelled(top, self.pipeline)
        self.status_label = labelled(top, self.status_box)
        layout.addLayout(top)
        self.pipeline.currentIndexChanged.connect(lambda _i: self._fill_statuses())

        self.states_group = QGroupBox(objectName="states_group")
        grid = QGridLayout(self.states_group)
        self.state_boxes: dict[str, QCheckBox] = {}
        for i, state in enumerate(ORDER_STATES):
            box = QCheckBox(objectName=f"state_{state}")
            box.toggled.connect(lambda _on: self._states_changed())
            self.state_boxes[state] = box
            grid.addWidget(box, i // 3, i % 3)
        self.states_error = QLabel(objectName="states_error")
        self.states_error.setStyleSheet(ERROR_STYLE)
        self.states_error.hide()
        grid.addWidget(self.states_error, 2, 0, 1, 3)
        layout.addWidget(self.states_group)

        self.map_group = QGroupBox(objectName="map_group")
        mform = form(self.map_group)
        self.map_hint = wrapped_label()
        mform.addRow(self.map_hint)
        self.map_boxes: dict[str, QComboBox] = {}
        self.map_labels: dict[str, QLabel] = {}
        for status in MAPPED_STATUSES:
            combo = QComboBox(objectName=f"map_{status}")
            self.map_boxes[status], self.map_labels[status] = combo, labelled(mform, combo)
        layout.addWidget(self.map_group)

        self.actions_box = QCheckBox(objectName="actions_box")  # opens the optional Kaspi actions step
        layout.addWidget(self.actions_box)

        self.reload_button = self.add_reload(layout, "reload_button")
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(QCoreApplication.translate("Wizard", "Куда попадают сделки"))
        self.setSubTitle(QCoreApplication.translate("Wizard", "Выберите воронку и этап для новых сделок и какие заказы Kaspi передавать."))
        self.pipeline_label.setText(QCoreApplication.translate("Wizard", "Воронка:"))
        self.status_label.setText(QCoreApplication.translate("Wizard", "Этап новой сделки:"))
        self.states_group.setTitle(QCoreApplication.translate("Wizard", "Передавать заказы Kaspi в состояниях"))
        for state, box in self.state_boxes.items():
            box.setText(texts.kaspi_state_label(state))
        self.states_error.setText(QCoreApplication.translate("Wizard", "Отметьте хотя бы одно состояние."))
        self.map_group.setTitle(QCoreApplication.translate("Wizard", "Когда заказ в Kaspi меняет статус"))
        self.map_hint.setText(QCoreApplication.translate("Wizard", "Сверка раз в 10 минут переносит сделку на выбранный этап."))
        for status, label in self.map_labels.items():
            label.setText(texts.kaspi_status_label(status) + ":")
        self.reload_button.setText(QCoreApplication.translate("Wizard", "Повторить"))
        self.actions_box.setText(QCoreApplication.translate(
            "Wizard", "Управлять заказами Kaspi из amoCRM (принимать, собирать, отменять, выдавать)"))

    def initializePage(self) -> None:  # noqa: N802 - Qt name
        draft = self.setup_wizard().draft
        for state, box in self.state_boxes.items():
            box.setChecked(state in draft.allowed_states)
        self.actions_box.setChecked(draft.actions_on)
        cached = self.setup_wizard().pipelines
        if cached is not None:
            self._show_pipelines(cached)
        else:
            self.load()

    # --- loading ---------------------------------------------------------------------

    def loading(self, ask: AskAmo) -> tuple[Callable[[], object], str]:
        return (lambda: ask(load_pipelines)), QCoreApplication.translate("Wizard", "Загружаю воронки из amoCRM…")

    def explain(self, exc: BaseException) -> Problem:
        problem = pipelines_problem(exc)
        draft = self.setup_wizard().draft
        # Going on without the list keeps the pipeline chosen earlier: only when there is one.
        return Problem(problem.text, may_insist=problem.may_insist and bool(draft.pipeline_id and draft.status_id))

    def loaded(self, result: object) -> None:
        pipelines = [p for p in result if isinstance(p, Pipeline)] if isinstance(result, list) else []
        self.setup_wizard().pipelines = pipelines
        self._show_pipelines(pipelines)

    def _show_pipelines(self, pipelines: list[Pipeline]) -> None:
        draft = self.setup_wizard().draft
        self._pipelines = pipelines
        self.pipeline.blockSignals(True)
        self.pipeline.clear()
        for pipeline in pipelines:
            self.pipeline.addItem(pipeline.name, pipeline.id)
        chosen = self.pipeline.findData(draft.pipeline_id) if draft.pipeline_id else -1
        if chosen < 0:  # nothing chosen yet: a pipeline the owner made for Kaspi, else the main one
            preferred = default_pipeline(pipelines)
            chosen = self.pipeline.findData(preferred.id) if preferred is not None else 0
        self.pipeline.setCurrentIndex(chosen)
        self.pipeline.blockSignals(False)
        self._fill_statuses()
        if not pipelines:
            self.fail(Problem(QCoreApplication.translate("Wizard", "В аккаунте amoCRM нет воронок: создайте воронку и нажмите «Повторить».")))
            return
        self.passed(QCoreApplication.translate("Wizard", "Воронки загружены из amoCRM."))

    def _current(self) -> Pipeline | None:
        pid = self.pipeline.currentData()
        return next((p for p in self._pipelines if p.id == pid), None)

    def _fill_statuses(self) -> None:
        draft = self.setup_wizard().draft
        pipeline = self._current()
        stages = [s for s in pipeline.statuses if s.type != UNSORTED_TYPE and s.id not in (WON, LOST)] if pipeline else []
        self.status_box.clear()
        for stage in stages:
            self.status_box.addItem(stage.name, stage.id)
        index = self.status_box.findData(draft.status_id) if draft.status_id else -1
        self.status_box.setCurrentIndex(max(index, 0))
        targets = [s for s in pipeline.statuses if s.type != UNSORTED_TYPE] if pipeline else []
        for status, combo in self.map_boxes.items():
            combo.clear()
            combo.addItem(QCoreApplication.translate("Wizard", "Не менять этап"), None)
            for stage in targets:
                combo.addItem(stage.name, stage.id)
            wanted = draft.status_map.get(status)
            combo.setCurrentIndex(max(combo.findData(wanted), 0) if wanted else 0)

    def _states_changed(self) -> None:
        self.states_error.setVisible(not any(box.isChecked() for box in self.state_boxes.values()))

    # --- check and commit ------------------------------------------------------------

    def validatePage(self) -> bool:  # noqa: N802 - Qt name
        if not any(box.isChecked() for box in self.state_boxes.values()):
            self.states_error.show()
            return False
        if self.checked and self.status_box.currentData() is None:
            self.show_status(QCoreApplication.translate("Wizard", "В этой воронке нет этапа для новых сделок: выберите другую."), error=True)
            return False
        return super().validatePage()

    def commit(self) -> None:
        draft = self.setup_wizard().draft
        draft.allowed_states = tuple(s for s, box in self.state_boxes.items() if box.isChecked())
        if not self.actions_box.isChecked():  # unticked: every Kaspi action off (the ID stays for later)
            draft.auto_accept, draft.cancel_reasons = False, {}
            draft.accept_status_id = draft.assemble_status_id = draft.complete_status_id = None
        if self.checked:  # the pickers show the account's real pipelines
            draft.pipeline_id = self.pipeline.currentData()
            draft.status_id = self.status_box.currentData()
            draft.status_map = {status: combo.currentData() for status, combo in self.map_boxes.items()
                                if combo.currentData() is not None}
