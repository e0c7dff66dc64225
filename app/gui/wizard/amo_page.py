"""Step 2: the amoCRM account and one of three ways in, each ending in GET /api/v4/account.

a. Browser: the consent page with a random `state`; a loopback redirect URI is caught on
   127.0.0.1 by the app itself, any other is pasted back by the owner.
b. The 20-minute authorization code of a private integration, exchanged at once.
c. A long-lived token.
The tokens obtained stay in the draft until Finish, then go to the secret store only.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.amo import connect
from app.amo.api import Account
from app.amo.tokens import TokenPair
from app.errors import ConfigError
from app.gui.wizard.base import CheckedPage
from app.gui.wizard.messages import Problem, amo_problem

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
        layout = QVBoxLayout(self)

        form = QFormLayout()
        self.account = QLineEdit(objectName="amo_account")
        self.account.setPlaceholderText("shop.amocrm.ru")
        self.account_label = QLabel()
        form.addRow(self.account_label, self.account)
        layout.addLayout(form)

        self.ways = QButtonGroup(self)
        self.way_browser = QRadioButton(objectName="way_browser")
        self.way_code = QRadioButton(objectName="way_code")
        self.way_token = QRadioButton(objectName="way_token")
        for button in (self.way_browser, self.way_code, self.way_token):
            self.ways.addButton(button)
            layout.addWidget(button)
        self.way_browser.setChecked(True)
        self.ways.buttonToggled.connect(lambda _b, on: self._show_way() if on else None)

        self.integration = QGroupBox(objectName="integration")
        iform = QFormLayout(self.integration)
        self.client_id = QLineEdit(objectName="client_id")
        self.client_secret = QLineEdit(objectName="client_secret")
        self.client_secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.redirect_uri = QLineEdit(objectName="redirect_uri")
        self.client_id_label, self.client_secret_label, self.redirect_label = QLabel(), QLabel(), QLabel()
        iform.addRow(self.client_id_label, self.client_id)
        iform.addRow(self.client_secret_label, self.client_secret)
        iform.addRow(self.redirect_label, self.redirect_uri)
        self.integration_hint = QLabel(objectName="integration_hint")
        self.integration_hint.setWordWrap(True)
        iform.addRow(self.integration_hint)
        layout.addWidget(self.integration)

        # a. browser
        self.browser_box = QWidget()
        bl = QVBoxLayout(self.browser_box)
        bl.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.open_button = QPushButton(objectName="open_button")
        self.open_button.clicked.connect(self.open_browser)
        row.addWidget(self.open_button)
        row.addStretch(1)
        bl.addLayout(row)
        self.paste_label = QLabel(objectName="paste_label")
        self.paste_label.setWordWrap(True)
        self.landed_url = QLineEdit(objectName="landed_url")
        self.paste_button = QPushButton(objectName="paste_button")
        self.paste_button.clicked.connect(self.use_pasted_address)
        prow = QHBoxLayout()
        prow.addWidget(self.landed_url, 1)
        prow.addWidget(self.paste_button)
        bl.addWidget(self.paste_label)
        bl.addLayout(prow)
        layout.addWidget(self.browser_box)

        # b. authorization code
        self.code_box = QWidget()
        cform = QFormLayout(self.code_box)
        cform.setContentsMargins(0, 0, 0, 0)
        self.code = QLineEdit(objectName="auth_code")
        self.code_label = QLabel()
        cform.addRow(self.code_label, self.code)
        layout.addWidget(self.code_box)

        # c. long-lived token
        self.token_box = QWidget()
        tform = QFormLayout(self.token_box)
        tform.setContentsMargins(0, 0, 0, 0)
        self.long_token = QLineEdit(objectName="long_token")
        self.long_token.setEchoMode(QLineEdit.EchoMode.Password)
        self.long_token_label = QLabel()
        tform.addRow(self.long_token_label, self.long_token)
        self.token_hint = QLabel(objectName="token_hint")
        self.token_hint.setWordWrap(True)
        tform.addRow(self.token_hint)
        layout.addWidget(self.token_box)

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
        self.way_browser.setText(QCoreApplication.translate("Wizard", "Войти через браузер (рекомендуется)"))
        self.way_code.setText(QCoreApplication.translate("Wizard", "Вставить код авторизации (20 минут)"))
        self.way_token.setText(QCoreApplication.translate("Wizard", "Вставить долгосрочный токен"))
        self.integration.setTitle(QCoreApplication.translate("Wizard", "Интеграция amoCRM"))
        self.client_id_label.setText(QCoreApplication.translate("Wizard", "ID интеграции:"))
        self.client_secret_label.setText(QCoreApplication.translate("Wizard", "Секретный ключ:"))
        self.redirect_label.setText(QCoreApplication.translate("Wizard", "Адрес перенаправления:"))
        self.integration_hint.setText(QCoreApplication.translate("Wizard",
            "amoCRM → Настройки → Интеграции → ваша интеграция → вкладка «Ключи и доступы». "
            "Адрес перенаправления должен совпадать с указанным в интеграции; "
            "http://127.0.0.1:8765/callback позволяет программе принять ответ amoCRM самой."))
        self.open_button.setText(QCoreApplication.translate("Wizard", "Открыть amoCRM в браузере"))
        self.paste_label.setText(QCoreApplication.translate("Wizard",
            "После «Разрешить» браузер откроет адрес перенаправления. Скопируйте адрес из строки браузера "
            "целиком и вставьте сюда:"))
        self.paste_button.setText(QCoreApplication.translate("Wizard", "Подключить"))
        self.code_label.setText(QCoreApplication.translate("Wizard", "Код авторизации:"))
        self.long_token_label.setText(QCoreApplication.translate("Wizard", "Долгосрочный токен:"))
        self.token_hint.setText(QCoreApplication.translate("Wizard",
            "Создаётся в настройках интеграции amoCRM: «Ключи и доступы» → «Долгосрочный токен»."))
        self.connect_button.setText(QCoreApplication.translate("Wizard", "Подключить"))

    def way(self) -> str:
        if self.way_code.isChecked():
            return CODE
        if self.way_token.isChecked():
            return TOKEN
        return BROWSER

    def _show_way(self) -> None:
        way = self.way()
        self.integration.setVisible(way in (BROWSER, CODE))
        self.browser_box.setVisible(way == BROWSER)
        self.code_box.setVisible(way == CODE)
        self.token_box.setVisible(way == TOKEN)
        self.connect_button.setVisible(way != BROWSER)
        pasting = way == BROWSER and not connect.is_loopback_redirect(self.redirect_uri.text().strip())
        for widget in (self.paste_label, self.landed_url, self.paste_button):
            widget.setVisible(pasting)

    def initializePage(self) -> None:  # noqa: N802 - Qt name
        draft = self.setup_wizard().draft
        self.account.setText(draft.amo_base_url or "")
        self.client_id.setText(draft.amo_client_id or "")
        self.redirect_uri.setText(draft.amo_redirect_uri or DEFAULT_REDIRECT)
        if draft.has_secret("AMO_CLIENT_SECRET"):
            self.client_secret.setPlaceholderText(QCoreApplication.translate("Wizard", "Ключ сохранён — оставьте пустым, чтобы не менять"))
        self.checked = draft.amo_connected and bool(draft.amo_base_url)
        if self.checked:
            name = draft.amo_account_name
            self.show_status(QCoreApplication.translate("Wizard", "amoCRM подключён: %1").replace("%1", name) if name
                             else QCoreApplication.translate("Wizard", "amoCRM подключён. Чтобы переподключить, выберите способ и нажмите «Подключить»."),
                             ok=True)
        self._show_way()

    def cleanupPage(self) -> None:  # noqa: N802 - Qt name
        self.stop_waiting()

    def invalidate(self) -> None:
        self.stop_waiting()
        super().invalidate()

    def stop_waiting(self) -> None:
        """Close the 127.0.0.1 listener of an unfinished browser attempt."""
        receiver, self._receiver = self._receiver, None
        if receiver is not None:
            receiver.close()

    # --- the three ways --------------------------------------------------------------

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
        """"Подключить" / "Далее": ways b and c run here; way a needs the browser first."""
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
            self.fail(Problem(QCoreApplication.translate("Wizard", "Вставьте долгосрочный токен из настроек интеграции amoCRM.")))
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
        if self._way_used != TOKEN:
            self.client_secret.setPlaceholderText(
                QCoreApplication.translate("Wizard", "Ключ сохранён — оставьте пустым, чтобы не менять"))
        self.account.setText(result.base_url)
        self._state = None
        self.setup_wizard().pipelines = None  # another account: load its pipelines afresh
        self.passed(QCoreApplication.translate("Wizard", "Подключено: %1 (%2)").replace("%1", result.account.name).replace("%2", result.base_url))

    def commit(self) -> None:
        """The draft took the connection when the check passed (see `_connected`)."""
