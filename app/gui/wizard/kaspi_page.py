"""Step 1: the Kaspi API token, checked live with a one-item request."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLineEdit, QPushButton, QWidget

from app.config import DEFAULT_KASPI_BASE_URL
from app.gui.widgets import wrapped_label
from app.gui.wizard.base import CheckedPage
from app.gui.wizard.fields import (
    bare_form,
    button_row,
    fold_toggle,
    form,
    labelled,
    password_field,
    show_folded,
)
from app.gui.wizard.messages import kaspi_problem
from app.net import with_scheme
from app.onboarding import check_kaspi

KASPI_CABINET = "https://kaspi.kz/mc/"


class KaspiPage(CheckedPage):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("kaspi_page")
        layout = self.content
        self.where = wrapped_label("where", rich=True, links=True)
        layout.addWidget(self.where)

        token_form = form()
        self.token = password_field("kaspi_token")
        self.token.setClearButtonEnabled(True)
        self.token_label = labelled(token_form, self.token)
        layout.addLayout(token_form)

        self.check_button = QPushButton(objectName="check_button")
        self.check_button.clicked.connect(self.check_clicked)
        row = button_row(self.check_button)
        self.more = fold_toggle("more")
        self.more.toggled.connect(self._toggle_more)
        row.addWidget(self.more)
        layout.addLayout(row)

        self.advanced = QWidget()
        self.base_url = QLineEdit(objectName="kaspi_base_url")
        self.base_url_label = labelled(bare_form(self.advanced), self.base_url)
        self.advanced.hide()
        layout.addWidget(self.advanced)
        self.add_footer(layout)
        self.watch(self.token, self.base_url)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(QCoreApplication.translate("Wizard", "Kaspi"))
        self.setSubTitle(QCoreApplication.translate("Wizard", "Подключите магазин Kaspi: программа будет читать из него новые заказы."))
        self.where.setText(QCoreApplication.translate("Wizard",
            "Токен API находится в <a href=\"%1\">кабинете продавца Kaspi</a>: Настройки → Токен API. "
            "Скопируйте его и вставьте сюда. Программа только читает заказы и ничего не меняет в магазине."
        ).replace("%1", KASPI_CABINET))
        self.token_label.setText(QCoreApplication.translate("Wizard", "Токен API:"))
        self.check_button.setText(QCoreApplication.translate("Wizard", "Проверить"))
        self.more.setText(QCoreApplication.translate("Wizard", "Дополнительно"))
        self.base_url_label.setText(QCoreApplication.translate("Wizard", "Адрес API Kaspi:"))
        self._placeholder()

    def _placeholder(self) -> None:
        """«сохранён» only for a token that is in the secret store; one typed in this session
        waits for «Готово»."""
        draft = self.setup_wizard().draft if self.wizard() else None
        if draft is not None and draft.is_saved("KASPI_API_TOKEN"):
            text = QCoreApplication.translate("Wizard", "Токен сохранён — оставьте пустым, чтобы не менять")
        elif draft is not None and draft.has_secret("KASPI_API_TOKEN"):
            text = QCoreApplication.translate("Wizard", "Токен введён и сохранится после «Готово» — оставьте пустым, "
                                                        "чтобы не менять")
        else:
            text = QCoreApplication.translate("Wizard", "Вставьте токен API")
        self.token.setPlaceholderText(text)

    def _toggle_more(self, on: bool) -> None:
        show_folded(self.more, self.advanced, on)

    def initializePage(self) -> None:  # noqa: N802 - Qt name
        draft = self.setup_wizard().draft
        self.base_url.setText(draft.kaspi_base_url)
        if draft.kaspi_base_url != DEFAULT_KASPI_BASE_URL:
            self.more.setChecked(True)
        self._placeholder()
        # A token saved earlier and left as it is has passed before: no new check needed.
        self.checked = draft.is_saved("KASPI_API_TOKEN")
        if self.checked:
            self.show_status(QCoreApplication.translate("Wizard", "Токен сохранён. Чтобы заменить его, вставьте новый."), ok=True)

    def _token(self) -> str | None:
        typed = self.token.text().strip()
        return typed or self.setup_wizard().draft.secret("KASPI_API_TOKEN")

    def start_check(self) -> bool:
        token = self._token()
        if not token:
            self.show_status(QCoreApplication.translate("Wizard", "Вставьте токен API из кабинета продавца Kaspi."), error=True)
            return False
        base_url = with_scheme(self.base_url.text()) or DEFAULT_KASPI_BASE_URL
        services = self.setup_wizard().services
        self.run(lambda: check_kaspi(token, base_url, session=services.session, timeout=services.kaspi_timeout),
                 lambda _result: self.passed(QCoreApplication.translate("Wizard", "Kaspi принял токен: заказы магазина доступны.")),
                 explain=kaspi_problem, busy_text=QCoreApplication.translate("Wizard", "Проверяю токен в Kaspi…"))
        return True

    def commit(self) -> None:
        draft = self.setup_wizard().draft
        typed = self.token.text().strip()
        if typed:
            draft.new_secrets["KASPI_API_TOKEN"] = typed
            self.token.clear()  # never shown again
        draft.kaspi_base_url = with_scheme(self.base_url.text()) or DEFAULT_KASPI_BASE_URL
        self._placeholder()
