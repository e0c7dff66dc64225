"""Step 4: where alerts go (Telegram, e-mail), each with "send test", and the thresholds.

Optional: an empty page passes. A half-filled channel says what is missing next to it.
Telegram is set up in plain steps: a bot from @BotFather, then «Найти чат» reads the bot's
updates (getUpdates) after the owner wrote to it and fills the chat ID. A channel whose test
failed is not passed over in silence: «Далее» warns once, the summary says so too.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from app.alerts.telegram import TelegramChat
from app.gui.widgets import wrapped_label
from app.gui.wizard.alert_checks import CHANNELS, ChannelTest, configured
from app.gui.wizard.base import ERROR_STYLE, OK_STYLE, WARNING_STYLE, CheckedPage
from app.gui.wizard.fields import fold_toggle, form, password_field, show_folded
from app.gui.wizard.messages import Problem
from app.gui.wizard.tasks import Tasks
from app.onboarding import SetupDraft, find_telegram_chats, send_test_alert


def _spin(name: str, low: int, high: int) -> QSpinBox:
    box = QSpinBox(objectName=name)
    box.setRange(low, high)
    return box


class ChannelBox(QGroupBox):
    """One channel's fields, its "send test" button and the answer next to it."""

    def __init__(self, name: str) -> None:
        super().__init__(objectName=f"{name}_group")
        self.form = form(self)
        self.tasks = Tasks(self)
        self.test_button = QPushButton(objectName=f"{name}_test")
        self.result = wrapped_label(f"{name}_result", selectable=True)
        row = QWidget()
        rl = QHBoxLayout(row)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.test_button, 0, Qt.AlignmentFlag.AlignTop)
        rl.addWidget(self.result, 1)
        self.row = row

    def say(self, text: str, *, ok: bool = False, warning: bool = False) -> None:
        self.result.setStyleSheet(OK_STYLE if ok else WARNING_STYLE if warning else ERROR_STYLE if text else "")
        self.result.setText(text)


class AlertsPage(CheckedPage):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("alerts_page")
        self.tests: dict[str, ChannelTest] = {}  # this session's "send test" results
        self._warned: set[str] = set()  # channels whose failed test «Далее» already pointed out
        layout = self.content
        self.intro = wrapped_label()
        layout.addWidget(self.intro)

        self.telegram = ChannelBox("telegram")
        self.bot_help_toggle = fold_toggle("bot_help_toggle", auto_raise=True)
        self.bot_help = wrapped_label("bot_help", rich=True, selectable=True)
        self.bot_help.hide()
        self.bot_help_toggle.toggled.connect(self._toggle_help)
        self.telegram.form.addRow(self.bot_help_toggle)
        self.telegram.form.addRow(self.bot_help)
        self.bot_token = password_field("telegram_token")
        self.chat_id = QLineEdit(objectName="telegram_chat")
        self.find_button = QPushButton(objectName="find_chat")
        self.find_button.clicked.connect(self.find_chat)
        self.find_tasks = Tasks(self)
        chat_row = QWidget()
        cl = QHBoxLayout(chat_row)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.addWidget(self.chat_id, 1)
        cl.addWidget(self.find_button)
        self.find_result = wrapped_label("find_result", selectable=True)
        self.find_result.hide()
        self.bot_token_label, self.chat_label = QLabel(), QLabel()
        self.telegram.form.addRow(self.bot_token_label, self.bot_token)
        self.telegram.form.addRow(self.chat_label, chat_row)
        self.telegram.form.addRow(self.find_result)
        self.telegram.form.addRow(self.telegram.row)
        self.telegram.test_button.clicked.connect(lambda: self.send_test("telegram"))
        layout.addWidget(self.telegram)

        self.email = ChannelBox("email")
        self.email_to = QLineEdit(objectName="email_to")
        self.email_from = QLineEdit(objectName="email_from")
        self.smtp_host = QLineEdit(objectName="smtp_host")
        self.smtp_port = _spin("smtp_port", 1, 65535)
        self.smtp_user = QLineEdit(objectName="smtp_user")
        self.smtp_pass = password_field("smtp_pass")
        self.email_labels = [QLabel() for _ in range(6)]
        for label, field in zip(self.email_labels, (self.email_to, self.email_from, self.smtp_host, self.smtp_port,
                                                   self.smtp_user, self.smtp_pass), strict=True):
            self.email.form.addRow(label, field)
        self.email.form.addRow(self.email.row)
        self.email.test_button.clicked.connect(lambda: self.send_test("email"))
        layout.addWidget(self.email)

        self.limits = QGroupBox(objectName="limits_group")
        lform = form(self.limits)
        self.fail_streak = _spin("fail_streak", 1, 100)
        self.backlog = _spin("backlog_threshold", 1, 10000)
        self.heartbeat = _spin("heartbeat_minutes", 1, 1440)
        self.limit_labels = [QLabel() for _ in range(3)]
        for label, field in zip(self.limit_labels, (self.fail_streak, self.backlog, self.heartbeat), strict=True):
            lform.addRow(label, field)
        layout.addWidget(self.limits)
        layout.addStretch(1)
        for channel, fields in (("telegram", (self.bot_token, self.chat_id)),
                                ("email", (self.email_to, self.email_from, self.smtp_host, self.smtp_user,
                                           self.smtp_pass))):
            for field in fields:
                field.textEdited.connect(lambda _t, c=channel: self._edited(c))
        self.smtp_port.valueChanged.connect(lambda _v: self._edited("email"))
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(QCoreApplication.translate("Wizard", "Оповещения"))
        self.setSubTitle(QCoreApplication.translate("Wizard", "Куда написать, если заказы перестанут доходить до amoCRM. Можно пропустить."))
        self.intro.setText(QCoreApplication.translate("Wizard", "Программа сообщит, когда синхронизация несколько раз подряд не удалась, когда "
                              "скопилась очередь или когда программа долго молчит, и ещё раз — когда всё наладится."))
        self.telegram.setTitle(QCoreApplication.translate("Wizard", "Telegram"))
        self.bot_help_toggle.setText(QCoreApplication.translate("Wizard", "Как получить токен бота и ID чата"))
        self.bot_help.setText(QCoreApplication.translate("Wizard",
            "<ol style='margin-left:-16px'>"
            "<li>В Telegram найдите <b>@BotFather</b>, нажмите «Запустить» и отправьте ему <b>/newbot</b>.</li>"
            "<li>Придумайте боту имя, затем адрес, который оканчивается на <b>bot</b> (например, "
            "shop_alerts_bot). BotFather пришлёт токен вида 123456789:AAH…</li>"
            "<li>Скопируйте токен в поле «Токен бота».</li>"
            "<li>Откройте своего бота (ссылка t.me/… в ответе BotFather) и нажмите «Запустить» или напишите "
            "ему что угодно. Для группы: добавьте бота в группу и напишите в ней.</li>"
            "<li>Нажмите «Найти чат»: ID чата заполнится сам. Затем «Отправить проверку».</li></ol>"))
        self.bot_token_label.setText(QCoreApplication.translate("Wizard", "Токен бота:"))
        self.chat_label.setText(QCoreApplication.translate("Wizard", "ID чата:"))
        self.find_button.setText(QCoreApplication.translate("Wizard", "Найти чат"))
        self.find_button.setToolTip(QCoreApplication.translate("Wizard", "Читает, кто недавно написал боту, и подставляет ID этого чата."))
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

    def _toggle_help(self, on: bool) -> None:
        show_folded(self.bot_help_toggle, self.bot_help, on)

    def initializePage(self) -> None:  # noqa: N802 - Qt name
        draft = self.setup_wizard().draft
        self.chat_id.setText(draft.telegram_chat_id or "")
        self.email_to.setText(draft.email_to or "")
        self.email_from.setText(draft.email_from or "")
        self.smtp_host.setText(draft.smtp_host or "")
        self.smtp_port.blockSignals(True)
        self.smtp_port.setValue(draft.smtp_port)
        self.smtp_port.blockSignals(False)
        self.smtp_user.setText(draft.smtp_user or "")
        self.fail_streak.setValue(draft.fail_streak)
        self.backlog.setValue(draft.backlog_threshold)
        self.heartbeat.setValue(draft.heartbeat_minutes)
        for field, name in ((self.bot_token, "ALERT_TELEGRAM_BOT_TOKEN"), (self.smtp_pass, "ALERT_EMAIL_SMTP_PASS")):
            if draft.is_saved(name):
                field.setPlaceholderText(QCoreApplication.translate("Wizard", "Сохранён — оставьте пустым, чтобы не менять"))
            elif draft.has_secret(name):
                field.setPlaceholderText(QCoreApplication.translate("Wizard", "Введён и сохранится после «Готово» — оставьте пустым, чтобы не менять"))
        self._toggle_help(not draft.has_secret("ALERT_TELEGRAM_BOT_TOKEN"))  # a first setup sees the steps
        self.bot_help_toggle.setChecked(self.bot_help.isVisible())

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
            problems["telegram"] = (QCoreApplication.translate("Wizard", "Укажите и токен бота, и ID чата.") if not has_token else
                                    QCoreApplication.translate("Wizard", "Укажите ID чата: напишите боту и нажмите «Найти чат»."))
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

    def _edited(self, channel: str) -> None:
        """A channel's fields changed: its last test no longer speaks for it."""
        self.tests.pop(channel, None)
        self._warned.discard(channel)
        (self.telegram if channel == "telegram" else self.email).say("")
        self.show_status("")

    # --- Telegram: find the chat ---------------------------------------------------------------

    def find_chat(self) -> None:
        draft = self._draft_copy()
        self.find_result.show()
        if not draft.secret("ALERT_TELEGRAM_BOT_TOKEN"):
            self._say_found(QCoreApplication.translate("Wizard", "Сначала вставьте токен бота (шаги — по ссылке «Как получить токен бота»)."), error=True)
            return
        self._say_found(QCoreApplication.translate("Wizard", "Ищу, кто писал боту…"))
        self.find_button.setEnabled(False)
        session = self.setup_wizard().services.session
        self.find_tasks.run(lambda: find_telegram_chats(draft, session=session), self._found, self._find_failed)

    def _say_found(self, text: str, *, ok: bool = False, error: bool = False) -> None:
        self.find_result.setStyleSheet(OK_STYLE if ok else ERROR_STYLE if error else "")
        self.find_result.setText(text)

    def _found(self, result: object) -> None:
        self.find_button.setEnabled(True)
        chats = [c for c in result if isinstance(c, TelegramChat)] if isinstance(result, list) else []
        if not chats:
            self._say_found(QCoreApplication.translate("Wizard", "Бот пока не получал сообщений. Откройте бота в Telegram, нажмите «Запустить» "
                               "(или напишите ему), затем снова «Найти чат»."), error=True)
            return
        chosen = chats[0]
        self.chat_id.setText(chosen.id)
        self._edited("telegram")
        text = QCoreApplication.translate("Wizard", "Найден чат: %1 (ID %2). Теперь нажмите «Отправить проверку».").replace("%1", chosen.title) \
            .replace("%2", chosen.id)
        if len(chats) > 1:
            others = ", ".join(f"{c.title} ({c.id})" for c in chats[1:4])
            text += " " + QCoreApplication.translate("Wizard", "Боту писали и другие: %1. Выбран самый недавний.").replace("%1", others)
        self._say_found(text, ok=True)

    def _find_failed(self, exc: BaseException) -> None:
        self.find_button.setEnabled(True)
        self._say_found(getattr(exc, "message", None) or QCoreApplication.translate("Wizard", "Не удалось связаться с Telegram."), error=True)

    # --- send test -------------------------------------------------------------------------

    def send_test(self, channel: str) -> None:
        box = self.telegram if channel == "telegram" else self.email
        draft = self._draft_copy()
        problem = self._problems(draft)[channel]
        if problem or not configured(draft, channel):
            box.say(problem or QCoreApplication.translate("Wizard", "Заполните поля этого канала."))
            return
        box.say(QCoreApplication.translate("Wizard", "Отправляю…"), ok=True)
        session = self.setup_wizard().services.session
        self.tests.pop(channel, None)

        def done(result: object) -> None:
            if result:
                self._tested(channel, ChannelTest(False, str(result)))
            else:
                self._tested(channel, ChannelTest(True))

        def failed(exc: BaseException) -> None:
            self._tested(channel, ChannelTest(False, getattr(exc, "message", None) or QCoreApplication.translate("Wizard", "Не удалось отправить.")))

        box.tasks.run(lambda: send_test_alert(draft, channel, session=session), done, failed)

    def _tested(self, channel: str, result: ChannelTest) -> None:
        box = self.telegram if channel == "telegram" else self.email
        self.tests[channel] = result
        self._warned.discard(channel)
        if result.ok:
            box.say(QCoreApplication.translate("Wizard", "Отправлено. Проверьте, что сообщение пришло."), ok=True)
        else:
            box.say(result.error or QCoreApplication.translate("Wizard", "Не удалось отправить."))

    # --- check and commit ----------------------------------------------------------------

    def start_check(self) -> bool:
        return False  # nothing to check live: validatePage checks the form

    def validatePage(self) -> bool:  # noqa: N802 - Qt name
        draft = self._draft_copy()
        problems = self._problems(draft)
        for channel in CHANNELS:
            if problems[channel]:
                (self.telegram if channel == "telegram" else self.email).say(problems[channel])
        if any(problems.values()):
            self.fail(Problem(QCoreApplication.translate("Wizard", "Исправьте отмеченные поля или очистите их, чтобы не получать оповещения.")))
            return False
        failing = [c for c in CHANNELS if configured(draft, c) and c in self.tests and not self.tests[c].ok
                   and c not in self._warned]
        if failing:  # say it once; a second «Далее» keeps the channel as it is
            self._warned.update(failing)
            names = ", ".join(QCoreApplication.translate("Wizard", "Telegram") if c == "telegram" else QCoreApplication.translate("Wizard", "почта") for c in failing)
            self.show_status(QCoreApplication.translate("Wizard", "Проверка не прошла (%1): оповещения туда не дойдут. Исправьте поля или нажмите "
                                "«Далее» ещё раз, чтобы сохранить как есть.").replace("%1", names), error=True)
            self.reveal(self.telegram if "telegram" in failing else self.email)
            return False
        self.commit()
        return True

    def commit(self) -> None:
        self._apply(self.setup_wizard().draft)
        self.bot_token.clear()
        self.smtp_pass.clear()
