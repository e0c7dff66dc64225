"""The settings wizard, driven offscreen against the sandbox for each way into amoCRM.

The browser is an HTTP client: it opens the consent URL the wizard asked for and follows
«Разрешить» / «Отказать». After Finish, `kaspi-amo poll` with no environment variables but
the app's home must create deals in the chosen pipeline and status.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import requests
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from app.gui.controller import GuiController
from app.gui.wizard import SetupWizard
from app.paths import resolve_paths
from app.sandbox.http import EmulatorServer
from app.sandbox.server import KASPI_TOKEN, Sandbox
from app.sandbox.telegram_emulator import TelegramEmulator
from app.secrets import AmoTokenStore, FileBackend, SecretStore
from tests.gui.conftest import SYNC_TIMEOUT_MS, base_env, harness_of, page_busy, running_sandbox

KASPI_PIPELINE = 7000001  # «Kaspi заказы» in the sandbox account
WAIT_MS = 20_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def loopback_sandbox() -> Iterator[Sandbox]:
    """A sandbox whose integration redirects to 127.0.0.1 on a free port (the app catches it)."""
    with running_sandbox(redirect_uri=f"http://127.0.0.1:{free_port()}/callback") as box:
        yield box


@pytest.fixture
def pasting_sandbox() -> Iterator[Sandbox]:
    """A sandbox whose integration redirects to a web address: the owner pastes it back."""
    with running_sandbox(redirect_uri="https://shop.example.kz/amocrm/callback") as box:
        yield box


# --- driving the wizard ------------------------------------------------------------------


def first_start(make_gui: Any, qtbot: Any, env: dict[str, str] | None = None) -> tuple[GuiController, SetupWizard]:
    controller = make_gui(env, wizard=True)  # nothing configured: the wizard opens by itself
    qtbot.waitUntil(lambda: controller.wizard is not None and controller.wizard.isVisible(), timeout=WAIT_MS)
    wizard = controller.wizard
    assert wizard is not None and wizard.currentPage() is wizard.kaspi_page
    assert wizard.windowTitle().startswith("Настройка")
    return controller, wizard


def press_next(qtbot: Any, wizard: SetupWizard, expected: Any) -> None:
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentPage() is expected, timeout=WAIT_MS)


def fill_kaspi(qtbot: Any, wizard: SetupWizard, box: Sandbox, token: str = KASPI_TOKEN) -> None:
    page = wizard.kaspi_page
    qtbot.keyClicks(page.token, token)
    page.more.setChecked(True)
    page.base_url.setText(box.kaspi_base_url)


def fill_integration(qtbot: Any, wizard: SetupWizard, box: Sandbox) -> None:
    """An admin's way: the integration's ID, secret and redirect (the browser, unless the code was picked)."""
    page = wizard.amo_page
    assert page.way_token.isChecked() or page.way_code.isChecked()  # the owner's way comes first
    if not page.way_code.isChecked():
        page.way_browser.setChecked(True)
    assert page.admin_box.isVisible() and page.integration.isVisible()
    page.account.setText(box.amo_base_url)
    page.client_id.setText(box.amo.client_id)
    page.client_secret.setText(box.amo.client_secret)
    page.redirect_uri.setText(box.amo.redirect_uri)


def consent_links(controller: GuiController, box: Sandbox) -> dict[str, str]:
    """What a browser shows for the consent URL the wizard opened: the two buttons' links."""
    url = harness_of(controller).opened[-1]
    assert url.startswith(f"{box.amo_base_url}/oauth?") and "state=" in url
    page = requests.get(url, timeout=5)
    assert page.status_code == 200 and "Разрешить" in page.text
    links = dict(re.findall(r"id='(allow|deny)' href='([^']+)'", page.text))
    return {name: urljoin(url, link.replace("&amp;", "&")) for name, link in links.items()}


def connect_with_code(qtbot: Any, wizard: SetupWizard, box: Sandbox) -> None:
    """Way b from the amoCRM page: a fresh authorization code; "Далее" exchanges it and moves on."""
    wizard.amo_page.way_code.setChecked(True)
    fill_integration(qtbot, wizard, box)
    wizard.amo_page.code.setText(box.amo.issue_auth_code())
    press_next(qtbot, wizard, wizard.destination_page)


def walk_to_finish(qtbot: Any, wizard: SetupWizard) -> int:
    """From the loaded destination page to the last page; the chosen stage's id."""
    status_id = choose_destination(qtbot, wizard)
    press_next(qtbot, wizard, wizard.alerts_page)
    press_next(qtbot, wizard, wizard.finish_page)
    return status_id


def connected_text(wizard: SetupWizard) -> str:
    return wizard.amo_page.status.text()


def choose_destination(qtbot: Any, wizard: SetupWizard) -> int:
    """Pick «Kaspi заказы» and its second stage by name; return that stage's id."""
    page = wizard.destination_page
    qtbot.waitUntil(lambda: page.checked and page.pipeline.count() >= 2, timeout=WAIT_MS)
    names = [page.pipeline.itemText(i) for i in range(page.pipeline.count())]
    assert "Kaspi заказы" in names and "Основная воронка" in names
    page.pipeline.setCurrentIndex(names.index("Kaspi заказы"))
    assert page.status_box.count() >= 2
    assert "Неразобранное" not in [page.status_box.itemText(i) for i in range(page.status_box.count())]
    page.status_box.setCurrentIndex(1)
    assert page.state_boxes["NEW"].text() == "Новый" and page.state_boxes["NEW"].isChecked()
    assert not page.state_boxes["ARCHIVE"].isChecked()
    assert page.map_boxes["COMPLETED"].currentText() == "Успешно реализовано"
    return int(page.status_box.currentData())


def finish(qtbot: Any, controller: GuiController, wizard: SetupWizard) -> None:
    press_next(qtbot, wizard, wizard.alerts_page)
    press_next(qtbot, wizard, wizard.finish_page)
    summary = wizard.finish_page.summary.text()
    assert "Sandbox Shop" in summary and "Kaspi заказы" in summary
    with qtbot.waitSignal(wizard.saved, timeout=WAIT_MS):
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    # applied without a restart: the running app syncs with the new settings
    qtbot.waitUntil(lambda: controller.worker.configured and controller.problem is None, timeout=SYNC_TIMEOUT_MS)


def poll_with_no_environment(home: Path) -> subprocess.CompletedProcess[str]:
    env = {"KASPI_AMO_HOME": str(home), "KASPI_AMO_SECRETS": "file", "PATH": os.environ.get("PATH", "")}
    return subprocess.run([sys.executable, "-m", "app", "poll"], env=env, capture_output=True, text=True,
                          timeout=120, cwd=str(home.parent))


def assert_deals_where_chosen(home: Path, box: Sandbox, status_id: int) -> None:
    result = poll_with_no_environment(home)
    assert result.returncode == 0, result.stderr
    leads = list(box.amo.leads.values())
    assert len(leads) == 14  # 16 seeded orders, 2 archived
    assert {lead["pipeline_id"] for lead in leads} == {KASPI_PIPELINE}
    assert {lead["status_id"] for lead in leads} == {status_id}
    assert all(lead["name"].startswith("Kaspi #") for lead in leads)


def saved_secrets(home: Path) -> SecretStore:
    return SecretStore(FileBackend(resolve_paths(base_env(home)).secrets_file))


def assert_nothing_saved(home: Path) -> None:
    paths = resolve_paths(base_env(home))
    assert not paths.settings_file.exists()
    secrets = saved_secrets(home)
    assert secrets.get("KASPI_API_TOKEN") is None and secrets.get("AMO_CLIENT_SECRET") is None
    assert AmoTokenStore(secrets).load() is None


# --- the three ways in -------------------------------------------------------------------


def test_browser_way_with_loopback_redirect_then_poll_creates_deals(
        make_gui: Any, qtbot: Any, home: Path, loopback_sandbox: Sandbox) -> None:
    box = loopback_sandbox
    controller, wizard = first_start(make_gui, qtbot)
    fill_kaspi(qtbot, wizard, box)
    press_next(qtbot, wizard, wizard.amo_page)  # "Далее" checks the token live, then moves on
    assert "Kaspi принял токен" in wizard.kaspi_page.status.text()

    fill_integration(qtbot, wizard, box)
    assert not wizard.amo_page.landed_url.isVisible()  # loopback: nothing to paste
    qtbot.mouseClick(wizard.amo_page.open_button, Qt.MouseButton.LeftButton)
    links = consent_links(controller, box)
    answer = requests.get(links["allow"], timeout=10)  # amoCRM redirects the browser to 127.0.0.1
    assert answer.status_code == 200 and "Вернитесь в программу" in answer.text
    qtbot.waitUntil(lambda: connected_text(wizard).startswith("Подключено: Sandbox Shop"), timeout=WAIT_MS)
    assert wizard.amo_page.client_secret.text() == ""  # never shown again

    press_next(qtbot, wizard, wizard.destination_page)
    status_id = choose_destination(qtbot, wizard)
    press_next(qtbot, wizard, wizard.alerts_page)
    press_next(qtbot, wizard, wizard.finish_page)

    qtbot.mouseClick(wizard.finish_page.trial_button, Qt.MouseButton.LeftButton)  # DRY_RUN first
    qtbot.waitUntil(lambda: wizard.finish_page.trial_list.count() == 14, timeout=WAIT_MS)
    assert "Будет создано сделок: 14" in wizard.finish_page.status.text()
    first = wizard.finish_page.trial_list.item(0).text()
    assert first.startswith("Kaspi #") and "₸" in first
    assert box.amo.leads == {}  # the trial wrote nothing

    with qtbot.waitSignal(wizard.saved, timeout=WAIT_MS):
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.worker.configured and controller.problem is None, timeout=SYNC_TIMEOUT_MS)

    settings_text = controller.paths.settings_file.read_text(encoding="utf-8")
    for secret in (KASPI_TOKEN, box.amo.client_secret):
        assert secret not in settings_text  # secrets only in the secret store
    assert saved_secrets(home).get("KASPI_API_TOKEN") == KASPI_TOKEN
    assert_deals_where_chosen(home, box, status_id)


def test_browser_way_with_pasted_address(make_gui: Any, qtbot: Any, home: Path, pasting_sandbox: Sandbox) -> None:
    box = pasting_sandbox
    controller, wizard = first_start(make_gui, qtbot)
    fill_kaspi(qtbot, wizard, box)
    press_next(qtbot, wizard, wizard.amo_page)
    fill_integration(qtbot, wizard, box)
    assert wizard.amo_page.landed_url.isVisible()  # not a loopback address: the owner pastes it
    qtbot.mouseClick(wizard.amo_page.open_button, Qt.MouseButton.LeftButton)
    landed = requests.get(consent_links(controller, box)["allow"], allow_redirects=False, timeout=5)
    assert landed.status_code == 302
    wizard.amo_page.landed_url.setText(landed.headers["Location"])
    qtbot.mouseClick(wizard.amo_page.paste_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: connected_text(wizard).startswith("Подключено: Sandbox Shop"), timeout=WAIT_MS)
    press_next(qtbot, wizard, wizard.destination_page)
    status_id = choose_destination(qtbot, wizard)
    finish(qtbot, controller, wizard)
    assert_deals_where_chosen(home, box, status_id)


def test_authorization_code_way(make_gui: Any, qtbot: Any, home: Path, sandbox: Sandbox) -> None:
    controller, wizard = first_start(make_gui, qtbot)
    fill_kaspi(qtbot, wizard, sandbox)
    press_next(qtbot, wizard, wizard.amo_page)
    connect_with_code(qtbot, wizard, sandbox)  # exchanged at once, account checked, moved on
    assert connected_text(wizard).startswith("Подключено: Sandbox Shop")
    status_id = choose_destination(qtbot, wizard)
    finish(qtbot, controller, wizard)
    pair = AmoTokenStore(saved_secrets(home)).load()
    assert pair is not None and pair.refresh_token  # the OAuth pair, ready to be rotated
    assert_deals_where_chosen(home, sandbox, status_id)


def test_long_lived_token_way(make_gui: Any, qtbot: Any, home: Path, sandbox: Sandbox) -> None:
    controller, wizard = first_start(make_gui, qtbot)
    fill_kaspi(qtbot, wizard, sandbox)
    press_next(qtbot, wizard, wizard.amo_page)
    wizard.amo_page.way_token.setChecked(True)
    assert not wizard.amo_page.integration.isVisible()
    wizard.amo_page.account.setText(sandbox.amo_base_url)
    wizard.amo_page.long_token.setText(sandbox.amo.long_lived_token())
    press_next(qtbot, wizard, wizard.destination_page)
    status_id = choose_destination(qtbot, wizard)
    finish(qtbot, controller, wizard)
    pair = AmoTokenStore(saved_secrets(home)).load()
    assert pair is not None and pair.refresh_token is None
    assert_deals_where_chosen(home, sandbox, status_id)


# --- what goes wrong saves nothing -------------------------------------------------------


def test_wrong_kaspi_token_says_so_and_saves_nothing(make_gui: Any, qtbot: Any, home: Path, sandbox: Sandbox) -> None:
    _controller, wizard = first_start(make_gui, qtbot)
    fill_kaspi(qtbot, wizard, sandbox, token="not-the-shop-token")
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    page = wizard.kaspi_page
    qtbot.waitUntil(lambda: "Kaspi не принял токен" in page.status.text(), timeout=WAIT_MS)
    assert wizard.currentPage() is page and not page.insist.isVisible()  # a wrong token cannot be insisted on
    wizard.reject()
    assert_nothing_saved(home)


def test_unreachable_kaspi_explains_kazakhstan_and_lets_the_owner_insist(
        make_gui: Any, qtbot: Any, sandbox: Sandbox) -> None:
    _controller, wizard = first_start(make_gui, qtbot)
    fill_kaspi(qtbot, wizard, sandbox)
    wizard.kaspi_page.base_url.setText(f"http://127.0.0.1:{free_port()}/shop/api/v2")  # nobody listens
    qtbot.mouseClick(wizard.kaspi_page.check_button, Qt.MouseButton.LeftButton)
    page = wizard.kaspi_page
    qtbot.waitUntil(lambda: "Нет связи с Kaspi" in page.status.text(), timeout=WAIT_MS)
    assert "kaspi.kz" in page.status.text() and "Казахстан" not in page.status.text() and page.insist.isVisible()
    page.insist.setChecked(True)
    press_next(qtbot, wizard, wizard.amo_page)
    assert wizard.draft.new_secrets["KASPI_API_TOKEN"] == KASPI_TOKEN


def test_silent_kaspi_times_out_with_what_to_check(make_gui: Any, qtbot: Any, home: Path) -> None:
    with socket.socket() as silent:  # accepts the connection, never answers (a filtered foreign IP)
        silent.bind(("127.0.0.1", 0))
        silent.listen(5)
        _controller, wizard = first_start(make_gui, qtbot)
        page = wizard.kaspi_page
        qtbot.keyClicks(page.token, KASPI_TOKEN)
        page.base_url.setText(f"http://127.0.0.1:{silent.getsockname()[1]}/shop/api/v2")
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "Нет ответа от Kaspi" in page.status.text(), timeout=WAIT_MS)
    # not "Kaspi answers only Kazakh IPs": its API is used from abroad (shared/api/kaspi.md §13)
    assert "интернет" in page.status.text() and "kaspi.kz" in page.status.text()
    assert "Казахстан" not in page.status.text() and page.insist.isVisible()
    assert wizard.currentPage() is page
    wizard.reject()
    assert_nothing_saved(home)


def test_wrong_authorization_code_says_so_and_saves_nothing(
        make_gui: Any, qtbot: Any, home: Path, sandbox: Sandbox) -> None:
    _controller, wizard = first_start(make_gui, qtbot)
    fill_kaspi(qtbot, wizard, sandbox)
    press_next(qtbot, wizard, wizard.amo_page)
    wizard.amo_page.way_code.setChecked(True)
    fill_integration(qtbot, wizard, sandbox)
    wizard.amo_page.code.setText("def50200-expired-or-made-up")
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "amoCRM не принял данные входа" in connected_text(wizard), timeout=WAIT_MS)
    assert wizard.currentPage() is wizard.amo_page and not wizard.draft.amo_connected
    wizard.reject()
    assert_nothing_saved(home)


def test_refused_consent_says_so_and_saves_nothing(
        make_gui: Any, qtbot: Any, home: Path, loopback_sandbox: Sandbox) -> None:
    controller, wizard = first_start(make_gui, qtbot)
    fill_kaspi(qtbot, wizard, loopback_sandbox)
    press_next(qtbot, wizard, wizard.amo_page)
    fill_integration(qtbot, wizard, loopback_sandbox)
    qtbot.mouseClick(wizard.amo_page.open_button, Qt.MouseButton.LeftButton)
    requests.get(consent_links(controller, loopback_sandbox)["deny"], timeout=10)
    qtbot.waitUntil(lambda: "Доступ не разрешён" in connected_text(wizard), timeout=WAIT_MS)
    assert not wizard.draft.amo_connected
    wizard.reject()
    assert_nothing_saved(home)


def test_mismatched_state_is_refused_and_saves_nothing(
        make_gui: Any, qtbot: Any, home: Path, loopback_sandbox: Sandbox, pasting_sandbox: Sandbox) -> None:
    # caught on 127.0.0.1: a redirect with another state is turned away, the real one still awaited
    _controller, wizard = first_start(make_gui, qtbot)
    fill_kaspi(qtbot, wizard, loopback_sandbox)
    press_next(qtbot, wizard, wizard.amo_page)
    fill_integration(qtbot, wizard, loopback_sandbox)
    qtbot.mouseClick(wizard.amo_page.open_button, Qt.MouseButton.LeftButton)
    code = loopback_sandbox.amo.issue_auth_code()
    forged = requests.get(f"{loopback_sandbox.amo.redirect_uri}?code={code}&state=forged", timeout=5)
    assert forged.status_code == 400 and "не совпадает проверочный код" in forged.text
    assert not wizard.draft.amo_connected and "Жду ответа amoCRM" in connected_text(wizard)
    wizard.reject()  # closing the wizard stops listening on 127.0.0.1
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{loopback_sandbox.amo.redirect_uri}?code={code}&state=forged", timeout=5)
    assert_nothing_saved(home)

    # pasted: an address from another attempt is refused with the reason
    controller2 = make_gui(wizard=False)
    controller2.open_settings()
    qtbot.waitUntil(lambda: controller2.wizard is not None and controller2.wizard.isVisible(), timeout=WAIT_MS)
    wizard2 = controller2.wizard
    fill_kaspi(qtbot, wizard2, pasting_sandbox)
    press_next(qtbot, wizard2, wizard2.amo_page)
    fill_integration(qtbot, wizard2, pasting_sandbox)
    qtbot.mouseClick(wizard2.amo_page.open_button, Qt.MouseButton.LeftButton)
    wizard2.amo_page.landed_url.setText(
        f"{pasting_sandbox.amo.redirect_uri}?code={pasting_sandbox.amo.issue_auth_code()}&state=another-attempt")
    qtbot.mouseClick(wizard2.amo_page.paste_button, Qt.MouseButton.LeftButton)
    assert "относится к другому подключению" in connected_text(wizard2)
    assert not wizard2.draft.amo_connected
    wizard2.reject()
    assert_nothing_saved(home)


# --- alerts -------------------------------------------------------------------------------


def test_send_test_reaches_telegram_and_a_wrong_token_says_why(make_gui: Any, qtbot: Any, sandbox: Sandbox) -> None:
    emulator = TelegramEmulator(token="123:right", chats=["-1001"])
    with EmulatorServer(emulator) as server:
        controller = make_gui(env={**sandbox.env(), "TELEGRAM_API_URL": server.url})
        qtbot.waitUntil(lambda: controller.worker.configured, timeout=SYNC_TIMEOUT_MS)
        controller.open_settings()
        qtbot.waitUntil(lambda: controller.wizard is not None and controller.wizard.isVisible(), timeout=WAIT_MS)
        wizard = controller.wizard
        for page in (wizard.amo_page, wizard.destination_page, wizard.alerts_page):
            qtbot.waitUntil(lambda: not page_busy(wizard), timeout=WAIT_MS)
            press_next(qtbot, wizard, page)
        alerts = wizard.alerts_page
        alerts.bot_token.setText("123:wrong")
        alerts.chat_id.setText("-1001")
        qtbot.mouseClick(alerts.telegram.test_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "Отправляю" not in alerts.telegram.result.text(), timeout=WAIT_MS)
        assert "токен" in alerts.telegram.result.text().lower() and emulator.texts() == []
        alerts.bot_token.setText("123:right")
        qtbot.mouseClick(alerts.telegram.test_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: alerts.telegram.result.text().startswith("Отправлено"), timeout=WAIT_MS)
        assert len(emulator.texts()) == 1
        wizard.reject()  # a test message saves nothing either
    assert wizard.draft.new_secrets.get("ALERT_TELEGRAM_BOT_TOKEN") is None


# --- later changes -----------------------------------------------------------------------


def test_settings_reopen_prefilled_and_autostart_applies_without_restart(
        make_gui: Any, qtbot: Any, home: Path, sandbox: Sandbox) -> None:
    controller = make_gui(sandbox=sandbox)  # configured through the environment
    qtbot.waitUntil(lambda: controller.worker.configured, timeout=SYNC_TIMEOUT_MS)
    assert not controller.autostart.is_enabled()
    controller.tray.action_settings.trigger()
    qtbot.waitUntil(lambda: controller.wizard is not None and controller.wizard.isVisible(), timeout=WAIT_MS)
    wizard = controller.wizard
    assert wizard.kaspi_page.token.text() == "" and "сохранён" in wizard.kaspi_page.token.placeholderText()
    press_next(qtbot, wizard, wizard.amo_page)  # nothing changed: no new check needed
    assert wizard.amo_page.account.text() == sandbox.amo_base_url
    assert wizard.amo_page.status.text().startswith("amoCRM подключён")
    press_next(qtbot, wizard, wizard.destination_page)
    qtbot.waitUntil(lambda: wizard.destination_page.checked, timeout=WAIT_MS)
    assert wizard.destination_page.pipeline.currentText() == "Kaspi заказы"  # the configured one
    wizard.destination_page.state_boxes["PICKUP"].setChecked(False)
    press_next(qtbot, wizard, wizard.alerts_page)
    wizard.alerts_page.bot_token.setText("123:abc")  # a token without a chat id is half a channel
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    assert "ID чата" in wizard.alerts_page.telegram.result.text() and wizard.currentPage() is wizard.alerts_page
    wizard.alerts_page.bot_token.clear()
    press_next(qtbot, wizard, wizard.finish_page)
    wizard.finish_page.autostart.setChecked(True)
    with qtbot.waitSignal(wizard.saved, timeout=WAIT_MS):
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert controller.autostart.is_enabled() and controller.prefs_store.load().autostart
    qtbot.waitUntil(lambda: controller.worker.configured, timeout=SYNC_TIMEOUT_MS)
    assert "PICKUP" not in controller.worker.runtime.settings.kaspi_allowed_states  # applied, no restart


def test_connecting_another_account_starts_the_store_afresh(
        make_gui: Any, qtbot: Any, home: Path, sandbox: Sandbox) -> None:
    # the app synced to another real account before (the owner connected the wrong one first)
    from app.store.factory import open_working_store
    from app.sync.engine import bound_account

    database = resolve_paths(base_env(home)).default_database
    old = open_working_store(str(database))
    old.set_meta("amo_account", "https://old-shop.amocrm.ru")
    old.close()
    _controller, wizard = first_start(make_gui, qtbot)
    fill_kaspi(qtbot, wizard, sandbox)
    press_next(qtbot, wizard, wizard.amo_page)
    wizard.amo_page.way_token.setChecked(True)
    wizard.amo_page.account.setText(sandbox.amo_base_url)
    wizard.amo_page.long_token.setText(sandbox.amo.long_lived_token())
    press_next(qtbot, wizard, wizard.destination_page)
    status_id = choose_destination(qtbot, wizard)
    press_next(qtbot, wizard, wizard.alerts_page)
    press_next(qtbot, wizard, wizard.finish_page)
    note = wizard.finish_page.switch_note
    qtbot.waitUntil(note.isVisible, timeout=WAIT_MS)
    assert "old-shop.amocrm.ru" in note.text() and "14 дней" in note.text()
    with qtbot.waitSignal(wizard.saved, timeout=WAIT_MS):
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    store = open_working_store(str(database))
    try:
        assert bound_account(store) == sandbox.amo_base_url
    finally:
        store.close()
    assert_deals_where_chosen(home, sandbox, status_id)  # not "this database belongs to another account"
