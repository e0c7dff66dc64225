"""Step 5: a summary, the app's own preferences (autostart, language, notifications, update
check) and an optional trial run (DRY_RUN) that lists the deals a first sync would create.

The summary tells the truth: nothing is «сохранён» before «Готово», and an alert channel
that failed its test or was never tried says so (see alert_checks)."""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QListWidget,
    QPushButton,
    QVBoxLayout,
)

from app.clock import utc_now
from app.gui import texts
from app.gui.widgets import wrapped_label
from app.gui.wizard.alert_checks import channel_summary
from app.gui.wizard.base import WARNING_STYLE, CheckedPage
from app.gui.wizard.fields import button_row, form, labelled
from app.gui.wizard.messages import Problem
from app.gui.wizard.tasks import Tasks
from app.onboarding import previous_account, trial_run
from app.sync.events import CycleReport
from app.sync.mapping import DealPlan

LANGUAGE_NAMES = (("ru", "Русский"), ("kk", "Қазақша"), ("en", "English"))
TRIAL_ROWS_SHOWN = 4  # the trial list never shrinks below this many lines


class FinishPage(CheckedPage):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("finish_page")
        self.setFinalPage(True)
        layout = self.content
        self.summary = wrapped_label("summary", rich=True)
        layout.addWidget(self.summary)
        self.switch_note = wrapped_label("switch_note")  # another amoCRM account than before
        self.switch_note.setStyleSheet(WARNING_STYLE)
        self.switch_note.hide()
        self._switch_check = Tasks(self)
        layout.addWidget(self.switch_note)

        self.program = QGroupBox(objectName="program_group")
        pform = form(self.program)
        self.autostart = QCheckBox(objectName="autostart")
        self.mute = QCheckBox(objectName="mute")
        self.updates = QCheckBox(objectName="check_updates")
        self.language = QComboBox(objectName="language")
        pform.addRow(self.autostart)
        pform.addRow(self.mute)
        pform.addRow(self.updates)
        self.language_label = labelled(pform, self.language)
        layout.addWidget(self.program)

        self.trial = QGroupBox(objectName="trial_group")
        tl = QVBoxLayout(self.trial)
        self.trial_hint = wrapped_label()
        self.trial_button = QPushButton(objectName="trial_button")
        self.trial_button.clicked.connect(self.run_trial)
        self.trial_list = QListWidget(objectName="trial_list")
        rows = self.trial_list.fontMetrics().height() + 6
        self.trial_list.setMinimumHeight(TRIAL_ROWS_SHOWN * rows + 2 * self.trial_list.frameWidth())
        tl.addWidget(self.trial_hint)
        tl.addLayout(button_row(self.trial_button))
        tl.addWidget(self.trial_list, 1)
        layout.addWidget(self.trial, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(QCoreApplication.translate("Wizard", "Готово"))
        self.setSubTitle(QCoreApplication.translate("Wizard", "Проверьте настройки и нажмите «Готово»: синхронизация начнётся сразу."))
        self.program.setTitle(QCoreApplication.translate("Wizard", "Программа"))
        self.autostart.setText(QCoreApplication.translate("Wizard", "Запускать вместе с компьютером"))
        self.mute.setText(QCoreApplication.translate("Wizard", "Не показывать уведомления о новых заказах"))
        self.updates.setText(QCoreApplication.translate("Wizard", "Раз в день проверять, не вышла ли новая версия"))
        self.language_label.setText(QCoreApplication.translate("Wizard", "Язык:"))
        current = self.language.currentData() if self.language.count() else None
        self.language.clear()
        self.language.addItem(QCoreApplication.translate("Wizard", "Как в системе"), None)
        for code, name in LANGUAGE_NAMES:
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(self.language.findData(current), 0))
        self.trial.setTitle(QCoreApplication.translate("Wizard", "Пробный запуск"))
        self.trial_hint.setText(QCoreApplication.translate("Wizard", "Покажет, какие сделки появятся в amoCRM при первой синхронизации. "
                                   "В amoCRM при этом ничего не записывается."))
        self.trial_button.setText(QCoreApplication.translate("Wizard", "Показать, что будет создано"))

    def initializePage(self) -> None:  # noqa: N802 - Qt name
        wizard = self.setup_wizard()
        prefs = wizard.prefs
        self.autostart.setChecked(prefs.autostart)
        self.mute.setChecked(prefs.mute_notifications)
        self.updates.setChecked(prefs.check_updates)
        self.language.setCurrentIndex(max(self.language.findData(prefs.language), 0))
        self.summary.setText(self.summary_html())
        self.trial_list.clear()
        self.switch_note.hide()
        draft = wizard.draft
        self._switch_check.run(lambda: previous_account(draft), self._show_switch,
                               lambda _exc: None)  # a store that cannot be read says so on Finish
        self.checked = True  # the pages before checked everything; Finish only saves

    def _show_switch(self, previous: object) -> None:
        if not previous:
            return
        draft = self.setup_wizard().draft
        self.switch_note.setText(QCoreApplication.translate(
            "Wizard", "Раньше заказы передавались в аккаунт %1. После «Готово» программа начнёт заново с "
                      "аккаунтом %2: заказы Kaspi за последние 14 дней появятся в нём как новые сделки.")
            .replace("%1", str(previous)).replace("%2", draft.amo_base_url or ""))
        self.switch_note.show()

    def summary_html(self) -> str:
        wizard = self.setup_wizard()
        draft = wizard.draft
        account = draft.amo_account_name
        amo = f"{account} ({draft.amo_base_url or '—'})" if account else (draft.amo_base_url or "—")
        if draft.amo_refused is not None:
            amo += " — " + QCoreApplication.translate("Wizard", "amoCRM сейчас не пускает программу: подключите заново")
        pipeline_name = status_name = "—"
        for pipeline in wizard.pipelines or ():
            if pipeline.id == draft.pipeline_id:
                pipeline_name = pipeline.name
                status_name = next((s.name for s in pipeline.statuses if s.id == draft.status_id), "—")
        if pipeline_name == "—" and draft.pipeline_id:
            pipeline_name, status_name = f"#{draft.pipeline_id}", f"#{draft.status_id}"
        states = ", ".join(texts.kaspi_state_label(s) for s in draft.allowed_states)
        if draft.is_saved("KASPI_API_TOKEN"):
            kaspi = QCoreApplication.translate("Wizard", "токен сохранён")
        elif draft.has_secret("KASPI_API_TOKEN"):
            kaspi = QCoreApplication.translate("Wizard", "токен введён, сохранится после «Готово»")
        else:
            kaspi = QCoreApplication.translate("Wizard", "нет токена")
        now = utc_now()
        tests = wizard.alerts_page.tests
        telegram, telegram_warn = channel_summary(draft, tests, "telegram", now)
        email, email_warn = channel_summary(draft, tests, "email", now)
        rows = (
            (QCoreApplication.translate("Wizard", "Kaspi"), kaspi, False),
            (QCoreApplication.translate("Wizard", "amoCRM"), amo, draft.amo_refused is not None),
            (QCoreApplication.translate("Wizard", "Воронка и этап"), f"{pipeline_name} → {status_name}", False),
            (QCoreApplication.translate("Wizard", "Заказы в состояниях"), states, False),
            (QCoreApplication.translate("Wizard", "Оповещения в Telegram"), telegram, telegram_warn),
            (QCoreApplication.translate("Wizard", "Оповещения на почту"), email, email_warn),
        )
        cells = []
        for key, value, warn in rows:
            shown = html.escape(value)
            if warn:
                shown = f"<span style='color:#8a5300'>{shown}</span>"
            cells.append(f"<tr><td valign='top'><b>{html.escape(key)}:</b>&nbsp;</td><td>{shown}</td></tr>")
        return f"<table>{''.join(cells)}</table>"

    # --- trial run ---------------------------------------------------------------------

    def run_trial(self) -> None:
        wizard = self.setup_wizard()
        draft, secrets, services = wizard.draft, wizard.secrets, wizard.services
        self.trial_list.clear()
        limiter = services.trial_limiter or services.limiter()
        self.run(lambda: trial_run(draft, secrets, session=services.session, limiter=limiter),
                 self._trial_done, explain=self._trial_problem, block=False,
                 busy_text=QCoreApplication.translate("Wizard", "Читаю заказы Kaspi и ищу покупателей в amoCRM…"))

    def _trial_problem(self, exc: BaseException) -> Problem:
        if hasattr(exc, "message"):
            title, text = texts.explain_error(exc, self.setup_wizard().language)  # type: ignore[arg-type]
            return Problem(f"{title}: {text}")
        return Problem(QCoreApplication.translate("Wizard", "Пробный запуск не удался. Подробности в журнале."))

    def _trial_done(self, result: object) -> None:
        assert isinstance(result, CycleReport)
        if result.error is not None:
            self.fail(self._trial_problem(result.error))
            return
        for plan in result.planned:
            self.trial_list.addItem(self.plan_line(plan))
        count = len(result.planned)
        if result.failed:  # say why, not "nothing new": the first reason stands for the rest
            text = QCoreApplication.translate("Wizard", "Не удастся передать заказов: %n", None, len(result.failed))
            if count:
                text = QCoreApplication.translate("Wizard", "Будет создано сделок: %n", None, count) + ". " + text
            self.show_status(f"{text}. {result.failed[0].message}", error=True)
            return
        self.show_status(QCoreApplication.translate("Wizard", "Будет создано сделок: %n", None, count) if count
                         else QCoreApplication.translate(
                             "Wizard", "Новых заказов для передачи нет: сделки появятся, когда придут заказы."),
                         ok=True)

    @staticmethod
    def plan_line(plan: DealPlan) -> str:
        buyer = plan.buyer_name or QCoreApplication.translate("Wizard", "без имени")
        phone = plan.phone_masked or QCoreApplication.translate("Wizard", "без телефона")
        items = QCoreApplication.translate("Wizard", "%n товаров", None, len(plan.products))  # lines, as the demo counts
        return f"{plan.lead_name} · {texts.money(plan.price)} · {buyer}, {phone} · {items}"

    # --- finish --------------------------------------------------------------------------

    def start_check(self) -> bool:
        return False

    def validatePage(self) -> bool:  # noqa: N802 - Qt name
        """Finish never waits for the optional trial run: its answer is simply dropped."""
        self.tasks.cancel()
        self.commit()
        return True

    def commit(self) -> None:
        wizard = self.setup_wizard()
        wizard.prefs = wizard.prefs.with_changes(
            autostart=self.autostart.isChecked(),
            mute_notifications=self.mute.isChecked(),
            check_updates=self.updates.isChecked(),
            language=self.language.currentData(),
        )
