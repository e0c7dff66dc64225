"""Step 4: where alerts go (Telegram, e-mail), each with "send test", and the thresholds.

Optional: an empty page passes. A half-filled channel says what is missing next to it.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.gui.wizard.base import ERROR_STYLE, OK_STYLE, CheckedPage
from app.gui.wizard.messages import Problem
from app.gui.wizard.tasks import Tasks
from app.onboarding import SetupDraft, send_test_alert


def _spin(name: str, low: int, high: int) -> QSpinBox:
    box = QSpinBox(objectName=name)
    box.setRange(low, high)
    return box


class ChannelBox(QGroupBox):
    """One channel's fields, its "send test" button and the answer next to it."""

    def __init__(self, name: str) -> None:
        super().__init__(objectName=f"{name}_group")
        self.form = QFormLayout(self)
        self.tasks = Tasks(self)
        self.test_button = QPushButton(objectName=f"{name}_test")
        self.result = QLabel(objectName=f"{name}_result")
        self.result.setWordWrap(True)
        row = QWidget()
        rl = QHBoxLayout(row)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.test_button)
        rl.addWidget(self.result, 1)
        self.row = row

    def say(self, text: str, *, ok: bool = False) -> None:
        self.result.setStyleSheet(OK_STYLE if ok else ERROR_STYLE if text else "")
        self.result.setText(text)


class AlertsPage(CheckedPage):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("alerts_page")
        layout = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)

        self.telegram = ChannelBox("telegram")
        self.bot_token = QLineEdit(objectName="telegram_token")
        self.bot_token.setEchoMode(QLineEdit.EchoMode.Password)
        self.chat_id = QLineEdit(objectName="telegram_chat")
        self.bot_token_label, self.chat_label = QLabel(), QLabel()
        self.telegram.form.addRow(self.bot_token_label, self.bot_token)
        self.telegram.form.addRow(self.chat_label, self.chat_id)
        self.telegram.form.addRow(self.telegram.row)
        self.telegram.test_button.clicked.connect(lambda: self.send_test("telegram"))
        layout.addWidget(self.telegram)

        self.email = ChannelBox("email")
        self.email_to = QLineEdit(objectName="email_to")
        self.email_from = QLineEdit(objectName="email_from")
        self.smtp_host = QLineEdit(objectName="smtp_host")
        self.smtp_port = _spin("smtp_port", 1, 65535)
        self.smtp_user = QLineEdit(objectName="smtp_user")
        self.smtp_pass = QLineEdit(objectName="smtp_pass")
        self.smtp_pass.setEchoMode(QLineEdit.EchoMode.Password)
        self.email_labels = [QLabel() for _ in range(6)]
        for label, field in zip(self.email_labels, (self.email_to, self.email_from, self.smtp_host, self.smtp_port,
                                                   self.smtp_user, self.smtp_pass), strict=True):
            self.email.form.addRow(label, field)
        self.email.form.addRow(self.email.row)
        self.email.test_button.clicked.connect(lambda: self.send_test("email"))
        layout.addWidget(self.email)

        self.limits = QGroupBox(objectName="limits_group")
        lform = QFormLayout(self.limits)
        self.fail_streak = _spin("fail_streak", 1, 100)
        self.backlog = _spin("backlog_threshold", 1, 10000)
        self.heartbeat = _spin("heartbeat_minutes", 1, 1440)
        self.limit_labels = [QLabel() for _ in range(3)]
        for label, field in zip(self.limit_labels, (self.fail_streak, self.backlog, self.heartbeat), strict=True):
            lform.addRow(label, field)
        layout.addWidget(self.limits)
        layout.addWidget(self.status)
        layout.addStretch(1)
        for field in (self.bot_token, self.chat_id, self.email_to, self.email_from, self.smtp_host, self.smtp_user,
                      self.smtp_pass):
            field.textEdited.connect(lambda _t: self.show_status(""))
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(QCoreApplication.translate("Wizard", "Оповещения"))
        self.setSubTitle(QCoreApplication.translate("Wizard", "Куда написать, если заказы перестанут доходить до amoCRM. Можно пропустить."))
        self.intro.setText(QCoreApplication.translate("Wizard", "Программа сообщит, когда синхронизация несколько раз подряд не удалась, когда "
                              "скопилась очередь или когда программа долго молчит, и ещё раз — когда всё наладится."))
        self.telegram.setTitle(QCoreApplication.translate("Wizard", "Telegram"))
        self.bot_token_label.setText(QCoreApplication.translate("Wizard", "Токен бота:"))
        self.chat_label.setText(QCoreApplication.translate("Wizard", "ID чата:"))
        self.email.setTitle(QCoreApplication.translate("Wizard", "Электронная почта"))
        for label, text in zip(self.email_labels, (QCoreApplication.translate("Wizard", "Кому:"), QCoreApplication.translate("Wizard", "От кого:"), QCoreApplication.translate("Wizard", "SMTP-сервер:"), QCoreApplication.translate("Wizard", "Порт:"),
                                                   QCoreApplication.translate("Wizard", "Логин:"), QCoreApplication.translate("Wizard", "Пароль:")), strict=True):
            label.setText(text)
        for box in (self.telegram, self.email):
            box.test_button.setText(QCoreApplication.translate("Wizard", "Отправить проверку"))
        self.limits.setTitle(QCoreApplication.translate("Wizard", "Когда оповещать"))
        for label, text in zip(self.limit_labels, (QCoreApplication.translate("Wizard", "Неудачных синхронизаций подряд:"),
                                                   QCoreApplication.translate("Wizard", "Заказов в очереди больше чем:"),
                                                   QCoreApplication.translate("Wizard", "Программа молчит дольше, минут:")), strict=True):
            label.setText(text)

    def initializePage(self) -> None:  # noqa: N802 - Qt name
        draft = self.setup_wizard().draft
        self.chat_id.setText(draft.telegram_chat_id or "")
        self.email_to.setText(draft.email_to or "")
        self.email_from.setText(draft.email_from or "")
        self.smtp_host.setText(draft.smtp_host or "")
        self.smtp_port.setValue(draft.smtp_port)
        self.smtp_user.setText(draft.smtp_user or "")
        self.fail_streak.setValue(draft.fail_streak)
        self.backlog.setValue(draft.backlog_threshold)
        self.heartbeat.setValue(draft.heartbeat_minutes)
        saved = QCoreApplication.translate("Wizard", "Сохранён — оставьте пустым, чтобы не менять")
        if draft.has_secret("ALERT_TELEGRAM_BOT_TOKEN"):
            self.bot_token.setPlaceholderText(saved)
        if draft.has_secret("ALERT_EMAIL_SMTP_PASS"):
            self.smtp_pass.setPlaceholderText(saved)

    # --- values --------------------------------------------------------------------------

    def _apply(self, draft: SetupDraft) -> None:
        """The fields into a draft (the wizard's own at commit, a copy for a test send).

        An empty secret field keeps the saved secret, unless the whole channel was cleared:
        then the channel is switched off and its secret removed.
        """
        telegram_cleared = not self.chat_id.text().strip()
        email_cleared = not any(f.text().strip() for f in (self.email_to, self.email_from, self.smtp_host))
        for name, field, cleared in (("ALERT_TELEGRAM_BOT_TOKEN", self.bot_token, telegram_cleared),
                                     ("ALERT_EMAIL_SMTP_PASS", self.smtp_pass, email_cleared)):
            if field.text().strip():
                draft.new_secrets[name] = field.text().strip()
            elif cleared and draft.has_secret(name):
                draft.new_secrets[name] = ""  # removed at Finish
        draft.telegram_chat_id = self.chat_id.text().strip() or None
        draft.email_to = self.email_to.text().strip() or None
        draft.email_from = self.email_from.text().strip() or None
        draft.smtp_host = self.smtp_host.text().strip() or None
        draft.smtp_port = self.smtp_port.value()
        draft.smtp_user = self.smtp_user.text().strip() or None
        draft.fail_streak = self.fail_streak.value()
        draft.backlog_threshold = self.backlog.value()
        draft.heartbeat_minutes = self.heartbeat.value()

    def _problems(self, draft: SetupDraft) -> dict[str, str]:
        """Per channel, what is missing or wrong ("" = complete or unused)."""
        problems = {"telegram": "", "email": ""}
        has_token = draft.has_secret("ALERT_TELEGRAM_BOT_TOKEN")
        if has_token != bool(draft.telegram_chat_id):
            problems["telegram"] = QCoreApplication.translate("Wizard", "Укажите и токен бота, и ID чата.") if not has_token else QCoreApplication.translate("Wizard",
                "Укажите ID чата: его можно узнать у бота @userinfobot.")
        email_used = any((draft.email_to, draft.email_from, draft.smtp_host))
        if email_used:
            if not (draft.email_to and draft.email_from and draft.smtp_host):
                problems["email"] = QCoreApplication.translate("Wizard", "Для почты нужны адрес получателя, адрес отправителя и SMTP-сервер.")
            elif "@" not in draft.email_to or "@" not in draft.email_from:
                problems["email"] = QCoreApplication.translate("Wizard", "Адрес почты должен содержать @.")
        return problems

    def _draft_copy(self) -> SetupDraft:
        draft = self.setup_wizard().draft
        copy = replace(draft, new_secrets=dict(draft.new_secrets))
        self._apply(copy)
        return copy

    def send_test(self, channel: str) -> None:
        box = self.telegram if channel == "telegram" else self.email
        draft = self._draft_copy()
        problem = self._problems(draft)[channel]
        if problem or (channel == "telegram" and not draft.telegram_chat_id) or (
                channel == "email" and not draft.smtp_host):
            box.say(problem or QCoreApplication.translate("Wizard", "Заполните поля этого канала."))
            return
        box.say(QCoreApplication.translate("Wizard", "Отправляю…"), ok=True)
        session = self.setup_wizard().services.session

        def done(result: object) -> None:
            box.say(str(result)) if result else box.say(QCoreApplication.translate("Wizard", "Отправлено. Проверьте, что сообщение пришло."), ok=True)

        box.tasks.run(lambda: send_test_alert(draft, channel, session=session), done,
                      lambda exc: box.say(getattr(exc, "message", None) or QCoreApplication.translate("Wizard", "Не удалось отправить.")))

    # --- check and commit ----------------------------------------------------------------

    def start_check(self) -> bool:
        return False  # nothing to check live: validatePage checks the form

    def validatePage(self) -> bool:  # noqa: N802 - Qt name
        problems = self._problems(self._draft_copy())
        self.telegram.say(problems["telegram"])
        self.email.say(problems["email"])
        if any(problems.values()):
            self.fail(Problem(QCoreApplication.translate("Wizard", "Исправьте отмеченные поля или очистите их, чтобы не получать оповещения.")))
            return False
        self.commit()
        return True

    def commit(self) -> None:
        self._apply(self.setup_wizard().draft)
        self.bot_token.clear()
        self.smtp_pass.clear()
