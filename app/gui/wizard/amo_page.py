"""Step 2: the amoCRM account and a way in, each ending in GET /api/v4/account.

A one-shop owner is led through the simplest way that works, step by step on the page: a
private integration's long-lived token (shared/api/amocrm.md §1.5; Kommo's "Long-lived
token" page: created in the integration's «Ключи и доступы», 1 day to 5 years, shown once).
The ways that need an integration's ID and secret stay for admins, folded away:
a. Browser: the consent page with a random `state`; a loopback redirect URI is caught on
   127.0.0.1 by the app itself, any other is pasted back by the owner.
b. The 20-minute authorization code of a private integration, exchanged at once.
The tokens obtained stay in the draft until Finish, then go to the secret store only.
Opening the page on a configured app asks amoCRM whether the saved access still works.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtWidgets import (
    QButtonGroup,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QWidget,
)

from app import errors
from app.amo import connect
from app.amo.api import Account
from app.amo.tokens import TokenPair
from app.clock import utc_now
from app.errors import ConfigError
from app.gui import texts
from app.gui.widgets import wrapped_label
from app.gui.wizard.base import WARNING_STYLE, CheckedPage
from app.gui.wizard.fields import (
    bare_form,
    button_row,
    fold_toggle,
    form,
    labelled,
    part,
    password_field,
    show_folded,
)
from app.gui.wizard.messages import Problem, amo_problem
from app.gui.wizard.tasks import Tasks
from app.onboarding import check_amo_connection

BROWSER, CODE, TOKEN = "browser", "code", "token"
DEFAULT_REDIRECT = "http://127.0.0.1:8765/callback"


@dataclass(frozen=True)
class Connected:
    base_url: str
    pair: TokenPair
    account: Account



class AmoPage(CheckedPage):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("amo_page")
        self._state: str | None = None  # this attempt's `state`
        self._receiver: connect.LoopbackReceiver | None = None
        self._way_used: str | None = None
        self._live = Tasks(self)  # "is the saved access still good?" when the page opens
        layout = self.content

        account_form = form()
        self.account = QLineEdit(objectName="amo_account")
        self.account.setPlaceholderText("shop.amocrm.ru")
        self.account_label = labelled(account_form, self.account)
        layout.addLayout(account_form)

        self.ways = QButtonGroup(self)
        self.way_token = QRadioButton(objectName="way_token")
        self.way_browser = QRadioButton(objectName="way_browser")
        self.way_code = QRadioButton(objectName="way_code")
        for button in (self.way_token, self.way_browser, self.way_code):
            self.ways.addButton(button)
        self.way_token.setChecked(True)
        self.ways.buttonToggled.connect(lambda button, on: self._way_chosen(button) if on else None)

        # the owner's way: a long-lived token, with the steps to get one
        layout.addWidget(self.way_token)
        self.token_box, tl = part("token_box", indent=True)
        self.token_steps = wrapped_label("token_steps", rich=True, selectable=True)
        tl.addWidget(self.token_steps)
        tform = form()
        self.long_token = password_field("long_token")
        self.long_token_label = labelled(tform, self.long_token)
        tl.addLayout(tform)
        layout.addWidget(self.token_box)

        # admins' ways, folded away
        self.more = fold_toggle("amo_more", auto_raise=True)
        self.more.toggled.connect(self._toggle_more)
        layout.addWidget(self.more)
        self.admin_box, al = part("admin_box", indent=True)
        al.addWidget(self.way_browser)
        al.addWidget(self.way_code)

        self.integration = QGroupBox(objectName="integration")
        iform = form(self.integration)
        self.client_id = QLineEdit(objectName="client_id")
        self.client_secret = password_field("client_secret")
        self.redirect_uri = QLineEdit(objectName="redirect_uri")
        self.client_id_label = labelled(iform, self.client_id)
        self.client_secret_label = labelled(iform, self.client_secret)
        self.redirect_label = labelled(iform, self.redirect_uri)
        self.integration_hint = wrapped_label("integration_hint")
        iform.addRow(self.integration_hint)
        al.addWidget(self.integration)

        # a. browser
        self.browser_box, bl = part()
        self.open_button = QPushButton(objectName="open_button")
        self.open_button.clicked.connect(self.open_browser)
        bl.addLayout(button_row(self.open_button))
        self.paste_label = wrapped_label("paste_label")
        self.landed_url = QLineEdit(objectName="landed_url")
        self.paste_button = QPushButton(objectName="paste_button")
        self.paste_button.clicked.connect(self.use_pasted_address)
        prow = QHBoxLayout()
        prow.addWidget(self.landed_url, 1)
        prow.addWidget(self.paste_button)
        bl.addWidget(self.paste_label)
        bl.addLayout(prow)
        al.addWidget(self.browser_box)

        # b. authorization code
        self.code_box = QWidget()
        self.code = QLineEdit(objectName="auth_code")
        self.code_label = labelled(bare_form(self.code_box), self.code)
        al.addWidget(self.code_box)
        self.admin_box.hide()
        layout.addWidget(self.admin_box)

        self.connect_button = QPushButton(objectName="connect_button")
        self.connect_button.clicked.connect(self.check_clicked)
        self.add_footer(layout, self.connect_button)
        self.watch(self.account, self.client_id, self.client_secret, self.redirect_uri, self.code, self.long_token)
        self.redirect_uri.textChanged.connect(lambda _t: self._show_way())
        self.retranslate()
        self._show_way()

    # --- texts and layout ------------------------------------------------------------

    def retranslate(self) -> None:
        self.setTitle(QCoreApplication.translate("Wizard", "amoCRM"))
        self.setSubTitle(QCoreApplication.translate("Wizard", "Подключите аккаунт amoCRM, в котором появятся сделки из заказов Kaspi."))
        self.account_label.setText(QCoreApplication.translate("Wizard", "Адрес аккаунта:"))
        self.account.setToolTip(QCoreApplication.translate("Wizard", "Как в строке браузера, можно без https://: shop.amocrm.ru"))
        self.way_token.setText(QCoreApplication.translate("Wizard", "Долгосрочный токен — проще всего для своего магазина"))
        self.token_steps.setText(QCoreApplication.translate("Wizard",
            "<ol style='margin-left:-16px'>"
            "<li>Войдите в amoCRM как администратор и откройте раздел <b>«amoМаркет»</b> в меню слева.</li>"
            "<li>Справа вверху нажмите <b>«Создать интеграцию»</b> и выберите <b>«Внешняя интеграция»</b>.</li>"
            "<li>Впишите любое название (например, «Kaspi») и описание, разрешите доступ к данным и "
            "сохраните. Адрес перенаправления можно не менять.</li>"
            "<li>В открывшейся интеграции перейдите на вкладку <b>«Ключи и доступы»</b>, нажмите "
            "<b>«Долгосрочный токен»</b>, выберите срок (до 5 лет) и скопируйте токен: amoCRM "
            "показывает его только один раз.</li>"
            "<li>Вставьте токен сюда и нажмите «Подключить».</li></ol>"))
        self.long_token_label.setText(QCoreApplication.translate("Wizard", "Долгосрочный токен:"))
        self.more.setText(QCoreApplication.translate("Wizard", "Другие способы (для администраторов)"))
        self.way_browser.setText(QCoreApplication.translate("Wizard", "Войти через браузер (нужны ID и секретный ключ интеграции)"))
        self.way_code.setText(QCoreApplication.translate("Wizard", "Вставить код авторизации (20 минут)"))
        self.integration.setTitle(QCoreApplication.translate("Wizard", "Интеграция amoCRM"))
        self.client_id_label.setText(QCoreApplication.translate("Wizard", "ID интеграции:"))
        self.client_secret_label.setText(QCoreApplication.translate("Wizard", "Секретный ключ:"))
        self.redirect_label.setText(QCoreApplication.translate("Wizard", "Адрес перенаправления:"))
        self.integration_hint.setText(QCoreApplication.translate("Wizard",
            "amoCRM → amoМаркет → ваша интеграция → вкладка «Ключи и доступы». "
            "Адрес перенаправления должен совпадать с указанным в интеграции; "
            "http://127.0.0.1:8765/callback позволяет программе принять ответ amoCRM самой."))
        self.open_button.setText(QCoreApplication.translate("Wizard", "Открыть amoCRM в браузере"))
        self.paste_label.setText(QCoreApplication.translate("Wizard",
            "После «Разрешить» браузер откроет адрес перенаправления. Скопируйте адрес из строки браузера "
            "целиком и вставьте сюда:"))
        self.paste_button.setText(QCoreApplication.translate("Wizard", "Подключить"))
        self.code_label.setText(QCoreApplication.translate("Wizard", "Код авторизации:"))
        self.connect_button.setText(QCoreApplication.translate("Wizard", "Подключить"))

    def way(self) -> str:
        if self.way_code.isChecked():
            return CODE
        if self.way_browser.isChecked():
            return BROWSER
        return TOKEN

    def _way_chosen(self, button: object) -> None:
        if button is not self.way_token and not self.more.isChecked():
            self.more.setChecked(True)  # an admin's way chosen (also from code): show its fields
        self._show_way()

    def _toggle_more(self, on: bool) -> None:
        show_folded(self.more, self.admin_box, on)
        if not on and not self.way_token.isChecked():
            self.way_token.setChecked(True)  # folded away: back to the owner's way
        self._show_way()

    def _show_way(self) -> None:
        way = self.way()
        self.token_box.setVisible(way == TOKEN)
        self.integration.setVisible(way in (BROWSER, CODE))
        self.browser_box.setVisible(way == BROWSER)
        self.code_box.setVisible(way == CODE)
        self.connect_button.setVisible(way != BROWSER)
        pasting = way == BROWSER and not connect.is_loopback_redirect(self.redirect_uri.text().strip())
        for widget in (self.paste_label, self.landed_url, self.paste_button):
            widget.setVisible(pasting)

    def initializePage(self) -> None:  # noqa: N802 - Qt name
        draft = self.setup_wizard().draft
        self.account.setText(draft.amo_base_url or "")
        self.client_id.setText(draft.amo_client_id or "")
        self.redirect_uri.setText(draft.amo_redirect_uri or DEFAULT_REDIRECT)
        if draft.is_saved("AMO_CLIENT_SECRET"):
            self.client_secret.setPlaceholderText(QCoreApplication.translate("Wizard", "Ключ сохранён — оставьте пустым, чтобы не менять"))
        if draft.amo_client_id and not draft.forget_oauth_app:  # an admin connected an integration before
            self.way_browser.setChecked(True)
        self.checked = draft.amo_connected and bool(draft.amo_base_url)
        refused = draft.amo_refused
        if refused is not None:
            self.checked = False
            self._say_refused(refused.message, refused.at)
        elif self.checked:
            self.show_status(self._connected_text(draft.amo_account_name), ok=True)
        if draft.amo_connected and draft.amo_base_url and draft.amo_tokens is None:
            self._check_saved_access()
        self._show_way()

    def _connected_text(self, name: str | None, checked_now: bool = False) -> str:
        if checked_now:
            return QCoreApplication.translate("Wizard", "amoCRM подключён: %1 — доступ проверен только что.").replace("%1", name or "")
        if name:
            return QCoreApplication.translate("Wizard", "amoCRM подключён: %1").replace("%1", name)
        return QCoreApplication.translate("Wizard", "amoCRM подключён. Чтобы переподключить, выберите способ и нажмите «Подключить».")

    def _say_refused(self, message: str | None, when: datetime | None) -> None:
        moment = texts.when(when, utc_now())
        text = QCoreApplication.translate("Wizard", "amoCRM не пускает программу (%1): %2 Подключите amoCRM заново одним из способов ниже.")
        self.show_status(text.replace("%1", moment).replace("%2", message or ""), error=True)

    def _check_saved_access(self) -> None:
        """Ask amoCRM now (off the GUI thread) whether the saved tokens still let us in."""
        wizard = self.setup_wizard()
        draft, secrets, services = wizard.draft, wizard.secrets, wizard.services
        session, limiter = services.session, services.limiter()
        self._live.run(lambda: check_amo_connection(draft, secrets, session=session, limiter=limiter),
                       self._saved_access_ok, self._saved_access_failed)

    def _saved_access_ok(self, result: object) -> None:
        if not isinstance(result, Account) or self.tasks.busy or self.setup_wizard().draft.amo_tokens is not None:
            return  # the owner is connecting anew meanwhile: that answer counts
        self.setup_wizard().draft.amo_account_name = result.name
        self.checked = True
        self.show_status(self._connected_text(result.name, checked_now=True), ok=True)
        self.completeChanged.emit()

    def _saved_access_failed(self, exc: BaseException) -> None:
        if self.tasks.busy or self.setup_wizard().draft.amo_tokens is not None:
            return
        if isinstance(exc, (errors.AmoAuthError, errors.AmoPaymentRequired)):
            self.checked = False
            self._say_refused(getattr(exc, "message", None), utc_now())
            self.completeChanged.emit()
            return
        if self.checked:  # only the network failed: the saved connection stands, say so
            self.status.setStyleSheet(WARNING_STYLE)
            self.status.setText(self.status.text() + " " + QCoreApplication.translate("Wizard", "Проверить доступ сейчас не удалось: нет связи с amoCRM."))

    def cleanupPage(self) -> None:  # noqa: N802 - Qt name
        self.stop_waiting()

    def invalidate(self) -> None:
        self.stop_waiting()
        super().invalidate()

    def stop_waiting(self) -> None:
        """Close the 127.0.0.1 listener of an unfinished browser attempt."""
        self._live.cancel()
        receiver, self._receiver = self._receiver, None
        if receiver is not None:
            receiver.close()

    # --- the ways in -----------------------------------------------------------------

    def _base(self) -> str | None:
        try:
            return connect.account_base_url(self.account.text())
        except ConfigError as exc:
            self.fail(Problem(exc.message))
            return None

    def _integration(self) -> tuple[str, str, str] | None:
        client_id = self.client_id.text().strip()
        secret = self.client_secret.text().strip() or self.setup_wizard().draft.secret("AMO_CLIENT_SECRET") or ""
        redirect = self.redirect_uri.text().strip()
        if not (client_id and secret and redirect):
            self.fail(Problem(QCoreApplication.translate("Wizard", "Заполните ID интеграции, секретный ключ и адрес перенаправления.")))
            return None
        return client_id, secret, redirect

    def open_browser(self) -> None:
        """Way a: open the consent page; wait on 127.0.0.1 or for the pasted address."""
        self.invalidate()
        base, integration = self._base(), None
        if base is not None:
            integration = self._integration()
        if base is None or integration is None:
            return
        client_id, secret, redirect = integration
        self._state = connect.new_state()
        services = self.setup_wizard().services
        url = connect.consent_url(base, client_id, self._state)
        if not connect.is_loopback_redirect(redirect):
            services.open_url(QUrl(url))
            self.show_status(QCoreApplication.translate("Wizard", "В браузере нажмите «Разрешить», затем вставьте адрес из браузера ниже."))
            return
        try:
            self._receiver = connect.LoopbackReceiver(redirect, self._state).start()
        except OSError as exc:
            self.fail(amo_problem(exc))
            return
        receiver = self._receiver
        services.open_url(QUrl(url))

        def job() -> Connected:
            landed = receiver.wait(services.browser_timeout)
            return self._exchange(base, client_id, secret, redirect, landed)

        self._way_used = BROWSER
        self.run(job, self._connected, explain=self._explain,
                 busy_text=QCoreApplication.translate("Wizard", "Жду ответа amoCRM: в открывшемся окне браузера нажмите «Разрешить»…"))

    def use_pasted_address(self) -> None:
        """Way a without loopback: the address the browser landed on, pasted."""
        if self._state is None:
            self.fail(Problem(QCoreApplication.translate("Wizard", "Сначала нажмите «Открыть amoCRM в браузере».")))
            return
        base, integration = self._base(), self._integration()
        if base is None or integration is None:
            return
        client_id, secret, redirect = integration
        try:
            landed = connect.parse_redirect(self.landed_url.text(), self._state)
        except Exception as exc:  # noqa: BLE001 - explained to the owner
            self.fail(self._explain(exc))
            return
        self._way_used = BROWSER
        self.run(lambda: self._exchange(base, client_id, secret, redirect, landed), self._connected,
                 explain=self._explain, busy_text=QCoreApplication.translate("Wizard", "Подключаю amoCRM…"))

    def _exchange(self, base: str, client_id: str, secret: str, redirect: str, landed: connect.Redirect) -> Connected:
        if landed.client_id and landed.client_id != client_id:
            raise connect.StateMismatch(connect.STATE_MISMATCH)
        account_base = connect.base_for_exchange(base, landed.referer)
        services = self.setup_wizard().services
        session, limiter = services.session, services.limiter()
        pair = connect.exchange_code(account_base, client_id, secret, redirect, landed.code, session=session)
        return Connected(account_base, pair, connect.check_account(account_base, pair, session=session, limiter=limiter))

    def start_check(self) -> bool:
        """"Подключить" / "Далее": the token and the code run here; the browser needs a click first."""
        self._live.cancel()
        way = self.way()
        if way == BROWSER:
            if self._state is not None and self.landed_url.isVisible() and self.landed_url.text().strip():
                self.use_pasted_address()
                return True
            self.fail(Problem(QCoreApplication.translate("Wizard", "Нажмите «Открыть amoCRM в браузере» и разрешите доступ.")))
            return False
        base = self._base()
        if base is None:
            return False
        services = self.setup_wizard().services
        session, limiter = services.session, services.limiter()
        self._way_used = way
        if way == CODE:
            integration = self._integration()
            code = self.code.text().strip()
            if integration is None:
                return False
            if not code:
                self.fail(Problem(QCoreApplication.translate("Wizard", "Вставьте код авторизации из настроек интеграции.")))
                return False
            client_id, secret, redirect = integration

            def exchange() -> Connected:
                pair = connect.exchange_code(base, client_id, secret, redirect, code, session=session)
                return Connected(base, pair, connect.check_account(base, pair, session=session, limiter=limiter))

            self.run(exchange, self._connected, explain=self._explain, busy_text=QCoreApplication.translate("Wizard", "Подключаю amoCRM…"))
            return True
        token = self.long_token.text().strip()
        if not token:
            self.fail(Problem(QCoreApplication.translate("Wizard", "Вставьте долгосрочный токен: как его получить, написано выше.")))
            self.reveal(self.long_token)
            return False

        def check_token() -> Connected:
            pair = connect.long_lived_pair(token)
            return Connected(base, pair, connect.check_account(base, pair, session=session, limiter=limiter))

        self.run(check_token, self._connected, explain=self._explain, busy_text=QCoreApplication.translate("Wizard", "Проверяю токен в amoCRM…"))
        return True

    def _explain(self, exc: BaseException) -> Problem:
        self._receiver = None
        return amo_problem(exc)

    def _connected(self, result: object) -> None:
        assert isinstance(result, Connected)
        self._receiver = None
        draft = self.setup_wizard().draft
        draft.amo_base_url = result.base_url
        draft.amo_tokens = result.pair
        draft.amo_account_name = result.account.name
        if self._way_used == TOKEN:
            draft.forget_oauth_app = True
        else:
            draft.forget_oauth_app = False
            draft.amo_client_id = self.client_id.text().strip()
            draft.amo_redirect_uri = self.redirect_uri.text().strip()
            if self.client_secret.text().strip():
                draft.new_secrets["AMO_CLIENT_SECRET"] = self.client_secret.text().strip()
        for secret_field in (self.client_secret, self.code, self.long_token, self.landed_url):
            secret_field.clear()  # the wizard never shows a token again
        if self._way_used != TOKEN:  # typed now, kept until «Готово» saves it
            self.client_secret.setPlaceholderText(QCoreApplication.translate("Wizard", "Ключ введён и сохранится после «Готово»"))
        self.account.setText(result.base_url)
        self._state = None
        self.setup_wizard().pipelines = None  # another account: load its pipelines afresh
        self.passed(QCoreApplication.translate("Wizard", "Подключено: %1 (%2)").replace("%1", result.account.name).replace("%2", result.base_url))

    def commit(self) -> None:
        """The draft took the connection when the check passed (see `_connected`)."""
