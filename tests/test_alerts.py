"""Alerts end to end: rules over a real SQLite store, a real SMTP server (aiosmtpd, also with
STARTTLS + AUTH and implicit TLS on a self-signed certificate made here) and the Telegram
emulator over loopback HTTP. State is driven through the store the way the engine writes it."""

from __future__ import annotations

import email
import email.policy
import ipaddress
import smtplib
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

import app.alerts.smtp as smtp_module
from app.alerts import (
    AlertManager,
    Channel,
    DesktopChannel,
    EmailChannel,
    SentAlert,
    TelegramChannel,
    Thresholds,
    build_channels,
    send_test,
)
from app.alerts.channels import ChannelError
from app.alerts.manager import META_ALERT_STATE
from app.alerts.messages import format_duration, probe_message, ru_plural
from app.alerts.rules import BACKLOG, FAIL_STREAK, HEARTBEAT
from app.config import load_settings
from app.errors import KaspiUnavailable, StoreLockedError
from app.sandbox.http import EmulatorServer
from app.sandbox.telegram_emulator import TelegramEmulator
from app.store.base import OrderRecord, SyncState
from app.store.sqlite import SqliteStore
from app.sync.events import CycleReport

T0 = datetime(2025, 3, 5, 9, 0, tzinfo=UTC)
BOT_TOKEN = "123456789:AAH-sandbox-secret-bot-token"
SMTP_PASSWORD = "sm7p-Pa55w0rd!"
PHONE = "+7 701 234 56 78"
HOST = "shop-almaty.amocrm.ru"
CHAT_ID = "424242"
KASPI_ERROR = "Kaspi не принимает токен: проверьте токен API в кабинете продавца."


# --- helpers and fixtures -----------------------------------------------------------------------


class Clock:
    def __init__(self, start: datetime = T0) -> None:
        self.value = start

    def __call__(self) -> datetime:
        return self.value

    def advance(self, **kw: float) -> None:
        self.value += timedelta(**kw)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Mailbox:
    """Messages an aiosmtpd server received, parsed."""

    port: int
    envelopes: list[Any] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd API
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        return [email.message_from_bytes(e.content, policy=email.policy.default) for e in self.envelopes]

    def texts(self) -> list[str]:
        return [f"{m['Subject']}\n{m.get_content()}" for m in self.messages]

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        if isinstance(auth_data, LoginPassword):
            user, password = auth_data.login.decode(), auth_data.password.decode()
            self.logins.append((user, password))
            # handled=False: aiosmtpd then answers 535 itself (its default leaves the client hanging)
            return AuthResult(success=user == "shop@mail.kz" and password == SMTP_PASSWORD, handled=False)
        return AuthResult(success=False, handled=False)


def start_smtp(*, auth: bool = False, **kwargs: Any) -> tuple[Controller, Mailbox]:
    box = Mailbox(port=free_port())
    if auth:
        kwargs["authenticator"] = box.authenticate
    controller = Controller(box, hostname="127.0.0.1", port=box.port, ready_timeout=5, **kwargs)
    controller.start()
    return controller, box


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    controller, box = start_smtp()
    yield box
    controller.stop()


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1/localhost (cert, key)."""
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


def server_context(tls_files: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*tls_files)
    return context


def client_context(tls_files: tuple[Path, Path]) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(tls_files[0]))


@pytest.fixture
def telegram() -> Iterator[tuple[TelegramEmulator, str]]:
    emulator = TelegramEmulator(token=BOT_TOKEN, chats=[CHAT_ID])
    with EmulatorServer(emulator) as server:
        yield emulator, server.url


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    opened = SqliteStore(tmp_path / "data" / "store.db")
    opened.migrate()
    yield opened
    opened.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


def tg_channel(url: str, token: str = BOT_TOKEN, **kw: Any) -> TelegramChannel:
    return TelegramChannel(token, CHAT_ID, url, **kw)


def mail_channel(port: int, **kw: Any) -> EmailChannel:
    kw.setdefault("timeout", 3)
    return EmailChannel("127.0.0.1", port, "alerts@shop.kz", "owner@shop.kz, manager@shop.kz", **kw)


def make_manager(store: SqliteStore, clock: Clock, channels: list[Any], **kw: Any) -> AlertManager:
    return AlertManager(store, Thresholds(fail_streak=3, backlog=25, heartbeat_minutes=5), channels, now=clock, host_label=HOST, **kw)


def failed_cycle(store: SqliteStore, clock: Clock, error: str = KASPI_ERROR) -> CycleReport:
    """What the engine records after a failed cycle (app.sync.engine._record_cycle)."""
    clock.advance(minutes=1)
    now = clock().isoformat()
    store.set_meta("last_poll_at", now)
    store.set_meta("heartbeat_at", now)
    store.set_meta("fail_streak", str(int(store.get_meta("fail_streak") or 0) + 1))
    store.set_meta("last_error", error)
    return CycleReport("poll", clock(), clock(), error=KaspiUnavailable(error))


def good_cycle(store: SqliteStore, clock: Clock) -> CycleReport:
    clock.advance(minutes=1)
    now = clock().isoformat()
    for key in ("last_poll_at", "heartbeat_at", "last_success_at"):
        store.set_meta(key, now)
    store.set_meta("fail_streak", "0")
    store.set_meta("last_error", None)
    return CycleReport("poll", clock(), clock())


def set_backlog(store: SqliteStore, failed: int, pending: int = 0) -> None:
    """Exactly `failed` failed and `pending` pending orders; the rest of the first 40 done."""
    for i in range(40):
        state = SyncState.FAILED if i < failed else SyncState.PENDING if i < failed + pending else SyncState.DONE
        store.save_order(OrderRecord(code=f"5{i:08d}", sync_state=state, phone_masked="+7 701 *** ** 78"))


def kinds(sent: list[SentAlert]) -> list[tuple[str, bool]]:
    return [(s.kind, s.resolved) for s in sent]


# --- fail streak --------------------------------------------------------------------------------


def test_fail_streak_alerts_once_on_both_channels_and_resolves_once(
    store: SqliteStore, clock: Clock, mailbox: Mailbox, telegram: tuple[TelegramEmulator, str]
) -> None:
    emulator, url = telegram
    manager = make_manager(store, clock, [tg_channel(url), mail_channel(mailbox.port)])
    good_cycle(store, clock)

    for _ in range(2):
        assert manager.after_cycle(failed_cycle(store, clock)) == []
    sent = manager.after_cycle(failed_cycle(store, clock))  # third failure in a row
    assert kinds(sent) == [(FAIL_STREAK, False)]
    assert sent[0].delivered == ["telegram", "email"] and sent[0].failed == {}

    [tg_text] = emulator.texts()
    [mail] = mailbox.messages
    assert mail["Subject"] == "Синхронизация Kaspi → amoCRM не работает"
    assert mail["To"] == "owner@shop.kz, manager@shop.kz"
    assert set(mailbox.envelopes[0].rcpt_tos) == {"owner@shop.kz", "manager@shop.kz"}
    assert emulator.messages[0]["disable_web_page_preview"] is True
    assert tg_text.startswith("Синхронизация Kaspi → amoCRM не работает\n\n")
    for text in (tg_text, mail.get_content()):
        assert "3 раза подряд" in text  # the cause
        assert KASPI_ERROR in text  # the last error, as the engine phrased it
        assert "интернет" in text and "токен API в кабинете продавца Kaspi" in text  # what to do
        assert "подключите amoCRM" in text
        assert HOST in text

    # still failing: no flood
    for _ in range(5):
        assert manager.after_cycle(failed_cycle(store, clock)) == []
    assert manager.check_heartbeat() == []
    assert len(emulator.messages) == 1 and len(mailbox.envelopes) == 1

    sent = manager.after_cycle(good_cycle(store, clock))
    assert kinds(sent) == [(FAIL_STREAK, True)]
    assert manager.after_cycle(good_cycle(store, clock)) == []
    assert len(emulator.messages) == 2 and len(mailbox.envelopes) == 2
    resolved = emulator.texts()[1]
    assert resolved.startswith("Синхронизация снова работает")
    assert "Перерыв длился 9 минут" in resolved  # last success 09:01, recovered 09:10
    assert mailbox.messages[1]["Subject"] == "Синхронизация снова работает"
    assert store.get_meta(META_ALERT_STATE) is None


def test_reconnect_advice_comes_first_when_the_error_asks_for_it(
    store: SqliteStore, clock: Clock, telegram: tuple[TelegramEmulator, str]
) -> None:
    emulator, url = telegram
    manager = make_manager(store, clock, [tg_channel(url)])
    error = "Нужно заново подключить amoCRM: доступ отозван. Откройте «Настройки» и подключите amoCRM снова."
    for _ in range(3):
        manager.after_cycle(failed_cycle(store, clock, error))
    [text] = emulator.texts()
    advice = text.split("Что сделать:")[1]
    assert advice.strip().startswith("• откройте «Настройки» и заново подключите amoCRM")


def test_state_survives_a_new_process(
    store: SqliteStore, clock: Clock, mailbox: Mailbox, telegram: tuple[TelegramEmulator, str], tmp_path: Path
) -> None:
    """cron: every poll is a new process with a new manager and a new store connection."""
    emulator, url = telegram

    def cron_run(cycle: Any) -> list[SentAlert]:
        fresh_store = SqliteStore(tmp_path / "data" / "store.db")
        try:
            report = cycle(fresh_store, clock)
            return make_manager(fresh_store, clock, [tg_channel(url), mail_channel(mailbox.port)]).after_cycle(report)
        finally:
            fresh_store.close()

    sent = [cron_run(failed_cycle) for _ in range(6)]
    assert [kinds(s) for s in sent] == [[], [], [(FAIL_STREAK, False)], [], [], []]
    assert kinds(cron_run(good_cycle)) == [(FAIL_STREAK, True)]
    assert kinds(cron_run(good_cycle)) == []
    assert len(emulator.messages) == 2 and len(mailbox.envelopes) == 2


def test_a_new_failure_after_recovery_is_a_new_incident(store: SqliteStore, clock: Clock, mailbox: Mailbox) -> None:
    manager = make_manager(store, clock, [mail_channel(mailbox.port)])
    history = []
    for cycle in [failed_cycle] * 3 + [good_cycle] + [failed_cycle] * 3:
        history += kinds(manager.after_cycle(cycle(store, clock)))
    assert history == [(FAIL_STREAK, False), (FAIL_STREAK, True), (FAIL_STREAK, False)]


def test_cycle_skipped_for_the_lock_evaluates_nothing(store: SqliteStore, clock: Clock, mailbox: Mailbox) -> None:
    manager = make_manager(store, clock, [mail_channel(mailbox.port)])
    for _ in range(3):
        failed_cycle(store, clock)
    skipped = CycleReport("poll", clock(), clock(), error=StoreLockedError("занято"), skipped_lock=True)
    assert manager.after_cycle(skipped) == []
    assert mailbox.envelopes == []
    assert kinds(manager.after_cycle(None)) == [(FAIL_STREAK, False)]


# --- backlog and heartbeat ----------------------------------------------------------------------


def test_backlog_over_threshold_alerts_once_and_resolves_below_the_clear_mark(
    store: SqliteStore, clock: Clock, telegram: tuple[TelegramEmulator, str]
) -> None:
    emulator, url = telegram
    manager = make_manager(store, clock, [tg_channel(url)])
    set_backlog(store, failed=20, pending=5)  # 25: at the threshold, not over
    assert manager.after_cycle(good_cycle(store, clock)) == []

    set_backlog(store, failed=21, pending=5)
    assert kinds(manager.after_cycle(good_cycle(store, clock))) == [(BACKLOG, False)]
    assert manager.after_cycle(good_cycle(store, clock)) == []
    [text] = emulator.texts()
    assert text.startswith("Заказы Kaspi копятся в очереди")
    assert "26 заказов ждут отправки в amoCRM (ожидают: 5, с ошибкой: 21)" in text
    assert "повторяет их автоматически" in text and "лимит" in text and "другие интеграции" in text

    set_backlog(store, failed=21)  # 21: under the threshold, but hovering: no resolve/alert ping-pong
    assert manager.after_cycle(good_cycle(store, clock)) == []
    set_backlog(store, failed=26)
    assert manager.after_cycle(good_cycle(store, clock)) == []
    set_backlog(store, failed=3)
    assert kinds(manager.after_cycle(good_cycle(store, clock))) == [(BACKLOG, True)]
    assert manager.after_cycle(good_cycle(store, clock)) == []
    assert len(emulator.messages) == 2
    assert emulator.texts()[1].startswith("Очередь заказов Kaspi разобрана")
    assert "3 заказа ждут" in emulator.texts()[1]


def test_heartbeat_stale_alerts_and_fresh_heartbeat_resolves(
    store: SqliteStore, clock: Clock, mailbox: Mailbox, telegram: tuple[TelegramEmulator, str]
) -> None:
    emulator, url = telegram
    desktop: list[tuple[str, str, str]] = []

    class Tray:
        def notify(self, title: str, body: str, level: str) -> None:
            desktop.append((title, body, level))

    manager = make_manager(store, clock, [DesktopChannel(Tray()), tg_channel(url), mail_channel(mailbox.port)])
    assert manager.check_heartbeat() == []  # never ran: unknown heartbeat, no alert

    good_cycle(store, clock)
    clock.advance(minutes=5)
    assert manager.check_heartbeat() == []  # exactly the limit: not yet
    clock.advance(minutes=12)
    sent = manager.check_heartbeat()
    assert kinds(sent) == [(HEARTBEAT, False)]
    assert sent[0].delivered == ["desktop", "telegram", "email"]
    clock.advance(minutes=3)
    assert manager.check_heartbeat() == []

    title, body, level = desktop[0]
    assert title == "Синхронизация Kaspi → amoCRM остановилась" and level == "warning"
    assert "не запускалась уже 17 минут" in body
    assert "включён ли компьютер" in body and "запущена ли программа" in body and "cron" in body
    assert emulator.texts()[0] == f"{title}\n\n{body}"

    sent = manager.after_cycle(good_cycle(store, clock))
    assert kinds(sent) == [(HEARTBEAT, True)]
    assert desktop[1][0] == "Синхронизация снова работает" and desktop[1][2] == "info"
    assert "Перерыв длился 21 минуту" in desktop[1][1]
    assert manager.check_heartbeat() == []
    assert len(mailbox.envelopes) == 2


# --- dead channels ------------------------------------------------------------------------------


def test_closed_smtp_port_does_not_break_and_telegram_still_delivers(
    store: SqliteStore, clock: Clock, telegram: tuple[TelegramEmulator, str]
) -> None:
    emulator, url = telegram
    manager = make_manager(store, clock, [mail_channel(free_port()), tg_channel(url)])
    for _ in range(3):
        sent = manager.after_cycle(failed_cycle(store, clock))
    assert sent[0].delivered == ["telegram"]
    assert "не принимает подключения" in sent[0].failed["email"]
    assert len(emulator.messages) == 1


def test_telegram_502_then_recovers_gets_the_alert_late_without_repeating_email(
    store: SqliteStore, clock: Clock, mailbox: Mailbox, telegram: tuple[TelegramEmulator, str]
) -> None:
    emulator, url = telegram
    manager = make_manager(store, clock, [tg_channel(url), mail_channel(mailbox.port)])
    emulator.fail_next(1, status=502)
    for _ in range(3):
        sent = manager.after_cycle(failed_cycle(store, clock))
    assert sent[0].delivered == ["email"]
    assert "Telegram временно недоступен (ошибка 502)" in sent[0].failed["telegram"]
    assert emulator.messages == []

    sent = manager.after_cycle(failed_cycle(store, clock))  # Telegram is back
    assert kinds(sent) == [(FAIL_STREAK, False)] and sent[0].delivered == ["telegram"]
    assert "4 раза подряд" in emulator.texts()[0]
    assert manager.after_cycle(failed_cycle(store, clock)) == []
    assert len(mailbox.envelopes) == 1 and len(emulator.messages) == 1

    sent = manager.after_cycle(good_cycle(store, clock))
    assert sent[0].delivered == ["telegram", "email"]


def test_wrong_bot_token_does_not_break_and_email_still_delivers(
    store: SqliteStore, clock: Clock, mailbox: Mailbox, telegram: tuple[TelegramEmulator, str]
) -> None:
    _emulator, url = telegram
    wrong = "987654321:WRONG-token-value"
    manager = make_manager(store, clock, [tg_channel(url, token=wrong), mail_channel(mailbox.port)])
    for _ in range(3):
        sent = manager.after_cycle(failed_cycle(store, clock, f"ошибка с {wrong} и {BOT_TOKEN}"))
    assert sent[0].delivered == ["email"]
    assert "не принимает токен бота" in sent[0].failed["telegram"]
    assert wrong not in mailbox.texts()[0]


def test_alert_nobody_received_gets_no_resolution(
    store: SqliteStore, clock: Clock, telegram: tuple[TelegramEmulator, str]
) -> None:
    emulator, url = telegram
    manager = make_manager(store, clock, [tg_channel(url)])
    emulator.fail_next(1, status=502)
    for _ in range(3):
        sent = manager.after_cycle(failed_cycle(store, clock))
    assert sent[0].delivered == []
    assert manager.after_cycle(good_cycle(store, clock)) == []
    assert emulator.messages == []


def test_a_channel_that_raises_anything_never_reaches_the_sync(store: SqliteStore, clock: Clock, mailbox: Mailbox) -> None:
    class Broken:
        def notify(self, title: str, body: str, level: str) -> None:
            raise RuntimeError("Qt is gone")

    class Buggy(EmailChannel):
        name = "buggy"

        def deliver(self, message: Any) -> None:
            raise ZeroDivisionError

    manager = make_manager(store, clock, [DesktopChannel(Broken()), Buggy("x", 1, "a@b", "c@d"), mail_channel(mailbox.port)])
    for _ in range(3):
        sent = manager.after_cycle(failed_cycle(store, clock))
    assert sent[0].delivered == ["email"] and set(sent[0].failed) == {"desktop", "buggy"}


def test_telegram_429_is_retried_once_when_short(telegram: tuple[TelegramEmulator, str]) -> None:
    emulator, url = telegram
    slept: list[float] = []
    channel = tg_channel(url, sleep=slept.append)
    emulator.rate_limit_next(1, retry_after=2)
    assert send_test(channel) is None
    assert slept == [2.0] and len(emulator.messages) == 1

    emulator.rate_limit_next(1, retry_after=30)
    error = send_test(channel)
    assert error is not None and "подождать 30 с" in error
    assert slept == [2.0]

    emulator.rate_limit_next(2, retry_after=1)
    assert send_test(channel) is not None  # one retry only
    assert slept == [2.0, 1.0]


# --- secrets ------------------------------------------------------------------------------------


def test_no_token_password_or_full_phone_in_any_message(
    store: SqliteStore, clock: Clock, telegram: tuple[TelegramEmulator, str], tls_files: tuple[Path, Path]
) -> None:
    emulator, url = telegram
    controller, box_auth = start_smtp(tls_context=server_context(tls_files), require_starttls=True, auth=True)
    box = box_auth
    try:
        mail = mail_channel(box.port, user="shop@mail.kz", password=SMTP_PASSWORD, ssl_context=client_context(tls_files))
        manager = make_manager(store, clock, [tg_channel(url), mail])
        leaky = (
            f"Заказ 500000001: не удалось создать контакт {PHONE} (тел. 87012345678); "
            f"url https://api.telegram.org/bot{BOT_TOKEN}/sendMessage; пароль {SMTP_PASSWORD}; "
            "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc"
        )
        set_backlog(store, failed=30)
        for _ in range(3):
            manager.after_cycle(failed_cycle(store, clock, leaky))
        manager.after_cycle(good_cycle(store, clock))
        clock.advance(minutes=30)
        manager.check_heartbeat()
        texts = emulator.texts() + box_auth.texts()
    finally:
        controller.stop()
    assert len(emulator.messages) == 4 and len(box_auth.envelopes) == 4  # streak, backlog, resolved, heartbeat
    for text in texts:
        for secret in (BOT_TOKEN, SMTP_PASSWORD, "234 56 78", "2345678", "eyJhbGciOiJIUzI1NiJ9"):
            assert secret not in text
    assert any("+7 *** *** ** 78" in t for t in texts)
    assert any("500000001" in t for t in texts)  # order codes are not phones


# --- e-mail transport ---------------------------------------------------------------------------


def test_starttls_with_login(tls_files: tuple[Path, Path]) -> None:
    controller, box = start_smtp(tls_context=server_context(tls_files), require_starttls=True, auth=True)
    try:
        good = mail_channel(box.port, user="shop@mail.kz", password=SMTP_PASSWORD, ssl_context=client_context(tls_files))
        assert send_test(good) is None
        [message] = box.messages
        assert message["Subject"] == "Проверка оповещений Kaspi → amoCRM"
        assert "настроены правильно" in message.get_content()
        assert box.logins == [("shop@mail.kz", SMTP_PASSWORD)]
        assert box.envelopes[0].mail_from == "alerts@shop.kz"

        bad = mail_channel(box.port, user="shop@mail.kz", password="wrong", ssl_context=client_context(tls_files))
        error = send_test(bad)
        assert error is not None and "логин или пароль" in error and "wrong" not in error

        untrusted = mail_channel(box.port, user="shop@mail.kz", password=SMTP_PASSWORD)  # system CAs only
        error = send_test(untrusted)
        assert error is not None and "сертификат" in error
        assert len(box.envelopes) == 1
    finally:
        controller.stop()


def test_implicit_tls_on_port_465_mode(tls_files: tuple[Path, Path]) -> None:
    controller, box = start_smtp(ssl_context=server_context(tls_files))
    try:
        channel = mail_channel(box.port, mode="ssl", ssl_context=client_context(tls_files))
        assert send_test(channel) is None
        assert len(box.envelopes) == 1
        error = send_test(mail_channel(box.port, timeout=0.3))  # plain SMTP against a TLS port: no greeting
        assert error is not None and "465 — SSL" in error
    finally:
        controller.stop()
    assert EmailChannel("smtp.mail.kz", 465, "a@b.kz", "c@d.kz").mode == "ssl"
    assert EmailChannel("smtp.mail.kz", 587, "a@b.kz", "c@d.kz").mode == "auto"


def test_password_never_goes_in_clear_text_to_a_remote_host(mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server offers no STARTTLS; pretend 127.0.0.1 is a remote host."""
    monkeypatch.setattr(smtp_module, "is_loopback_host", lambda host: False)
    channel = mail_channel(mailbox.port, user="shop@mail.kz", password=SMTP_PASSWORD)
    error = send_test(channel)
    assert error is not None and "открытым текстом" in error
    assert mailbox.envelopes == [] and mailbox.logins == []
    # without a password there is nothing to protect: a plain relay is fine
    assert send_test(mail_channel(mailbox.port)) is None


def test_starttls_mode_refuses_a_server_without_it(mailbox: Mailbox) -> None:
    error = send_test(mail_channel(mailbox.port, mode="starttls"))
    assert error is not None and "STARTTLS" in error
    assert mailbox.envelopes == []


def test_email_is_utf8_with_subject(mailbox: Mailbox) -> None:
    assert send_test(mail_channel(mailbox.port), host_label=HOST) is None
    raw = mailbox.envelopes[0].content.decode("ascii")  # 7-bit safe on the wire
    assert "utf-8" in raw.lower()
    [message] = mailbox.messages
    assert message.get_content_charset() == "utf-8"
    assert HOST in message.get_content()


def failure_of(channel: Channel) -> str:
    """send_test's reason; None there means the probe was delivered, which fails the test."""
    error = send_test(channel)
    assert error is not None, "the probe was delivered"
    return error


def test_send_test_failures_are_clear_russian(telegram: tuple[TelegramEmulator, str]) -> None:
    emulator, url = telegram
    assert send_test(tg_channel(url)) is None
    assert emulator.texts()[0].startswith("Проверка оповещений Kaspi → amoCRM")

    errors = [
        failure_of(tg_channel(url, token="000:bad")),
        failure_of(TelegramChannel(BOT_TOKEN, "-100999", url)),
        failure_of(tg_channel(f"http://127.0.0.1:{free_port()}", timeout=(1, 1))),
        failure_of(mail_channel(free_port())),
        failure_of(EmailChannel("127.0.0.1", free_port(), "a@b.kz", "")),
    ]
    assert "токен бота" in errors[0]
    assert "chat id" in errors[1] and "не нашёл чат" in errors[1]
    assert "Не удалось связаться с Telegram" in errors[2]
    assert "не принимает подключения" in errors[3]
    assert "ALERT_EMAIL_TO" in errors[4]
    for error in errors:
        assert error and any("а" <= ch <= "я" for ch in error.lower())
        assert BOT_TOKEN not in error


def test_telegram_failures_never_log_the_token(telegram: tuple[TelegramEmulator, str], caplog: pytest.LogCaptureFixture) -> None:
    emulator, url = telegram
    caplog.set_level("DEBUG", logger="app")  # urllib3 logs URLs at DEBUG; setup_logging keeps it at WARNING
    closed = tg_channel(f"http://127.0.0.1:{free_port()}", timeout=(1, 1))
    assert closed.send(probe()) is False
    emulator.fail_next(1, 502)
    assert tg_channel(url).send(probe()) is False
    records = " ".join(f"{r.getMessage()} {vars(r)}" for r in caplog.records if r.name.startswith("app."))
    assert "alert not delivered" in records
    assert BOT_TOKEN not in records and BOT_TOKEN not in repr(closed)


def probe() -> Any:
    from app.alerts.messages import probe_message

    return probe_message(HOST)


# --- wiring -------------------------------------------------------------------------------------


def test_build_channels_creates_only_the_configured_ones(tmp_path: Path) -> None:
    base = {"KASPI_AMO_HOME": str(tmp_path / "home"), "AMO_BASE_URL": f"https://{HOST}"}
    assert build_channels(load_settings(base, cwd=tmp_path)) == []
    half = {**base, "ALERT_TELEGRAM_BOT_TOKEN": BOT_TOKEN, "ALERT_EMAIL_SMTP_HOST": "smtp.mail.kz"}
    assert build_channels(load_settings(half, cwd=tmp_path)) == []
    full = {
        **half,
        "ALERT_TELEGRAM_CHAT_ID": CHAT_ID,
        "TELEGRAM_API_URL": "http://127.0.0.1:9",
        "ALERT_EMAIL_FROM": "alerts@shop.kz",
        "ALERT_EMAIL_TO": "a@shop.kz; b@shop.kz",
        "ALERT_EMAIL_SMTP_PORT": "465",
        "ALERT_EMAIL_SMTP_USER": "alerts@shop.kz",
        "ALERT_EMAIL_SMTP_PASS": SMTP_PASSWORD,
    }
    tg, mail = build_channels(load_settings(full, cwd=tmp_path))
    assert isinstance(tg, TelegramChannel) and tg.api_url == "http://127.0.0.1:9" and tg.chat_id == CHAT_ID
    assert isinstance(mail, EmailChannel) and mail.mode == "ssl" and mail.recipients == ["a@shop.kz", "b@shop.kz"]
    assert SMTP_PASSWORD not in repr(mail) and BOT_TOKEN not in repr(tg)
    desktop, *_ = build_channels(load_settings(full, cwd=tmp_path), desktop=DesktopChannel().notifier)
    assert isinstance(desktop, DesktopChannel)


def test_thresholds_from_settings(tmp_path: Path) -> None:
    settings = load_settings(
        {"KASPI_AMO_HOME": str(tmp_path), "ALERT_FAIL_STREAK": "5", "ALERT_BACKLOG_THRESHOLD": "10", "ALERT_HEARTBEAT_MINUTES": "15"},
        cwd=tmp_path,
    )
    assert Thresholds.of(settings) == Thresholds(fail_streak=5, backlog=10, heartbeat_minutes=15)


def test_damaged_state_is_treated_as_no_incidents(store: SqliteStore, clock: Clock, mailbox: Mailbox) -> None:
    store.set_meta(META_ALERT_STATE, "{not json")
    manager = make_manager(store, clock, [mail_channel(mailbox.port)])
    for _ in range(3):
        manager.after_cycle(failed_cycle(store, clock))
    assert len(mailbox.envelopes) == 1


# --- Telegram emulator --------------------------------------------------------------------------


def test_telegram_emulator_speaks_like_telegram(telegram: tuple[TelegramEmulator, str]) -> None:
    emulator, url = telegram
    me = requests.get(f"{url}/bot{BOT_TOKEN}/getMe", timeout=5).json()
    assert me["ok"] is True and me["result"]["is_bot"] is True
    assert requests.get(f"{url}/botnope/getMe", timeout=5).json() == {
        "ok": False,
        "error_code": 401,
        "description": "Unauthorized",
    }
    missing_chat = requests.post(f"{url}/bot{BOT_TOKEN}/sendMessage", json={"text": "x"}, timeout=5)
    assert missing_chat.status_code == 400 and missing_chat.json()["description"] == "Bad Request: chat_id is empty"
    missing_text = requests.post(f"{url}/bot{BOT_TOKEN}/sendMessage", data={"chat_id": CHAT_ID}, timeout=5)
    assert missing_text.status_code == 400 and missing_text.json()["description"] == "Bad Request: message text is empty"
    by_query = requests.get(f"{url}/bot{BOT_TOKEN}/sendMessage", params={"chat_id": CHAT_ID, "text": "привет"}, timeout=5)
    assert by_query.json()["result"]["chat"]["id"] == int(CHAT_ID) and emulator.texts() == ["привет"]
    assert requests.post(f"{url}/bot{BOT_TOKEN}/nope", timeout=5).status_code == 404

    emulator.fail_next(1, status=502)
    down = requests.post(f"{url}/bot{BOT_TOKEN}/sendMessage", json={"chat_id": CHAT_ID, "text": "x"}, timeout=5)
    assert down.status_code == 502 and "Bad Gateway" in down.text
    emulator.rate_limit_next(1, retry_after=3)
    limited = requests.post(f"{url}/bot{BOT_TOKEN}/sendMessage", json={"chat_id": CHAT_ID, "text": "x"}, timeout=5)
    assert limited.status_code == 429 and limited.json()["parameters"] == {"retry_after": 3}
    assert limited.headers["Retry-After"] == "3"
    assert len(emulator.messages) == 1


# --- texts --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "n, expected", [(1, "1 заказ"), (2, "2 заказа"), (5, "5 заказов"), (11, "11 заказов"), (22, "22 заказа"), (111, "111 заказов")]
)
def test_russian_plurals(n: int, expected: str) -> None:
    assert ru_plural(n, "заказ", "заказа", "заказов") == expected


def test_durations() -> None:
    assert format_duration(timedelta(seconds=20)) == "меньше минуты"
    assert format_duration(timedelta(minutes=21)) == "21 минуту"
    assert format_duration(timedelta(minutes=125)) == "2 ч 5 мин"
    assert format_duration(timedelta(hours=3)) == "3 часа"
    assert format_duration(timedelta(days=1, hours=4)) == "1 дн 4 ч"


# --- each channel's last delivery (the window shows it) ------------------------------------------


def test_each_channels_last_delivery_is_recorded_with_its_reason(
    store: SqliteStore, clock: Clock, mailbox: Mailbox, telegram: tuple[TelegramEmulator, str]
) -> None:
    from app.alerts import read_deliveries

    _emulator, url = telegram
    manager = make_manager(store, clock, [tg_channel(url, token="987654321:revoked"), mail_channel(mailbox.port)])
    assert read_deliveries(store) == {}  # nothing sent yet: nothing to show
    for _ in range(3):
        manager.after_cycle(failed_cycle(store, clock))
    recorded = read_deliveries(store)
    assert recorded["email"].ok and recorded["email"].at == clock() and recorded["email"].error is None
    telegram_state = recorded["telegram"]
    assert not telegram_state.ok and telegram_state.at == clock() and telegram_state.alert_kind == FAIL_STREAK
    assert "не принимает токен бота" in (telegram_state.error or "")
    deliveries = store.get_meta("alert_deliveries")
    assert deliveries is not None and "987654321:revoked" not in deliveries  # the token never reaches the store

    fixed = make_manager(store, clock, [tg_channel(url), mail_channel(mailbox.port)])  # the owner fixed the token
    fixed.after_cycle(good_cycle(store, clock))  # only e-mail heard of the incident: only it gets "resolved"
    assert not read_deliveries(store)["telegram"].ok  # Telegram's last attempt is still the failed one
    for _ in range(3):
        fixed.after_cycle(failed_cycle(store, clock))
    assert read_deliveries(store)["telegram"].ok and read_deliveries(store)["telegram"].error is None


# --- «Найти чат»: getUpdates ---------------------------------------------------------------------


def test_get_updates_follows_the_bot_api(telegram: tuple[TelegramEmulator, str]) -> None:
    emulator, url = telegram
    api = f"{url}/bot{BOT_TOKEN}"
    assert requests.get(f"{api}/getUpdates", timeout=5).json() == {"ok": True, "result": []}
    first = emulator.user_writes("/start", first_name="Айгерим", username="aigerim_shop")
    second = emulator.user_writes("привет", chat_type="group", title="Магазин: уведомления")
    body = requests.post(f"{api}/getUpdates", json={}, timeout=5).json()
    assert [u["update_id"] for u in body["result"]] == [first["update_id"], second["update_id"]]
    message = body["result"][0]["message"]
    assert message["chat"] == {"id": message["from"]["id"], "type": "private", "first_name": "Айгерим",
                               "username": "aigerim_shop"}
    assert body["result"][1]["message"]["chat"]["type"] == "group"
    # reading without an offset confirms nothing; an offset above an update_id forgets it
    assert len(requests.get(f"{api}/getUpdates", timeout=5).json()["result"]) == 2
    rest = requests.get(f"{api}/getUpdates", params={"offset": first["update_id"] + 1}, timeout=5).json()["result"]
    assert [u["update_id"] for u in rest] == [second["update_id"]]
    assert len(requests.get(f"{api}/getUpdates", timeout=5).json()["result"]) == 1
    # limit, a negative offset, and a long poll that returns as soon as someone writes
    for n in range(3):
        emulator.user_writes(f"m{n}")
    assert len(requests.get(f"{api}/getUpdates", params={"limit": 2}, timeout=5).json()["result"]) == 2
    last = requests.get(f"{api}/getUpdates", params={"offset": -1}, timeout=5).json()["result"]
    assert [u["message"]["text"] for u in last] == ["m2"]
    threading.Timer(0.3, lambda: emulator.user_writes("late")).start()
    started = time.monotonic()
    polled = requests.get(f"{api}/getUpdates", params={"offset": last[0]["update_id"] + 1, "timeout": 5},
                          timeout=10).json()["result"]
    assert [u["message"]["text"] for u in polled] == ["late"] and time.monotonic() - started < 3
    # allowed_updates is remembered; a webhook makes getUpdates a 409 until it is deleted
    requests.post(f"{api}/getUpdates", json={"allowed_updates": ["channel_post"]}, timeout=5)
    assert requests.get(f"{api}/getUpdates", timeout=5).json()["result"] == []
    requests.post(f"{api}/getUpdates", json={"allowed_updates": []}, timeout=5)
    emulator.set_webhook("https://other-program.example/hook")
    conflict = requests.get(f"{api}/getUpdates", timeout=5)
    assert conflict.status_code == 409 and conflict.json()["description"].startswith("Conflict: can't use getUpdates")
    assert requests.post(f"{api}/deleteWebhook", timeout=5).json()["ok"] is True
    assert requests.get(f"{api}/getUpdates", timeout=5).status_code == 200
    assert requests.get(f"{url}/botWRONG/getUpdates", timeout=5).status_code == 401


def test_updates_older_than_a_day_are_gone() -> None:
    now = [1_800_000_000.0]
    emulator = TelegramEmulator(token=BOT_TOKEN, clock=lambda: now[0])
    with EmulatorServer(emulator) as server:
        emulator.user_writes("/start")
        now[0] += 24 * 3600 + 1
        assert requests.get(f"{server.url}/bot{BOT_TOKEN}/getUpdates", timeout=5).json()["result"] == []


def test_find_chats_names_who_wrote_newest_first_and_says_what_is_wrong(telegram: tuple[TelegramEmulator, str]) -> None:
    from app.alerts.telegram import find_chats

    emulator, url = telegram
    assert find_chats(BOT_TOKEN, url) == []  # nobody wrote yet
    emulator.user_writes("/start", first_name="Айгерим", last_name="Садыкова", username="aigerim")
    group = emulator.user_writes("/start", chat_type="supergroup", title="Магазин: склад")
    chats = find_chats(BOT_TOKEN, url)
    assert [(c.id, c.kind, c.title) for c in chats] == [
        (str(group["message"]["chat"]["id"]), "supergroup", "Магазин: склад"),
        (str(chats[1].id), "private", "Айгерим Садыкова (@aigerim)"),
    ]
    assert len(find_chats(BOT_TOKEN, url)) == 2  # reading confirmed nothing
    assert TelegramChannel(BOT_TOKEN, chats[1].id, url).send(probe_message())  # the found chat takes alerts
    with pytest.raises(ChannelError, match="не принимает токен бота"):
        find_chats("123:wrong", url)
    emulator.set_webhook("https://other.example/hook")
    with pytest.raises(ChannelError, match="вебхук"):
        find_chats(BOT_TOKEN, url)
    emulator.set_webhook(None)
    with pytest.raises(ChannelError, match="Не удалось связаться с Telegram"):
        find_chats(BOT_TOKEN, f"http://127.0.0.1:{free_port()}")


@pytest.mark.parametrize(
    ("error", "owner_reads", "logged"),
    [
        (smtplib.SMTPAuthenticationError(535, b"bad"), "«пароль приложения»", "SMTPAuthenticationError 535"),
        (smtplib.SMTPRecipientsRefused({"x@y.kz": (550, b"no")}), "на x@y.kz. Проверьте адрес", "SMTPRecipientsRefused"),
        (smtplib.SMTPSenderRefused(553, b"no", "alerts@shop.kz"), "отправителя alerts@shop.kz", "SMTPSenderRefused 553"),
        (smtplib.SMTPServerDisconnected("bye"), "smtp.mail.kz:587 разорвал соединение", "SMTPServerDisconnected"),
        (smtplib.SMTPDataError(554, b"spam"), "smtp.mail.kz:587 отклонил письмо (код 554)", "SMTPDataError 554"),
        (ssl.SSLCertVerificationError(1, "x"), "сертификат почтового сервера smtp.mail.kz.", "SSLCertVerificationError"),
        (socket.gaierror(-2, "Name or service not known"), "Не найден почтовый сервер smtp.mail.kz", "gaierror"),
        (TimeoutError(), "не ответил за 7.5 с", "TimeoutError"),
        (ConnectionRefusedError(111, "Connection refused"), "smtp.mail.kz:587 не принимает подключения", "ConnectionRefusedError"),
        (OSError(101, "Network is unreachable"), "smtp.mail.kz:587: Network is unreachable.", "OSError"),
    ],
)
def test_each_mail_failure_reads_in_the_owners_words(error: OSError, owner_reads: str, logged: str) -> None:
    """The most specific text wins (a sender refusal is not "rejected the letter"), with the server's
    address, the refused recipient or the timeout filled in; the log gets the class and the code."""
    explained = EmailChannel("smtp.mail.kz", 587, "alerts@shop.kz", "owner@shop.kz", timeout=7.5).explain(error)
    assert owner_reads in explained.message
    assert "{" not in explained.message
    assert explained.detail is not None and explained.detail.startswith(logged)
