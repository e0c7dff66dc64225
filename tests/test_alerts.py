"""Alerts end to end: rules over a real SQLite store, a real SMTP server (aiosmtpd, also with
STARTTLS + AUTH and implicit TLS on a self-signed certificate made here) and the Telegram
emulator over loopback HTTP. State is driven through the store the way the engine writes it.

The incidents (fail streak, backlog, heartbeat), dead channels, secrets, wiring and texts; the
e-mail transport is in test_alerts_email.py, Telegram and the send-test probe in
test_alerts_telegram.py, the shared helpers in tests/alerts_support.py."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from app.alerts import (
    DesktopChannel,
    EmailChannel,
    SentAlert,
    TelegramChannel,
    Thresholds,
    build_channels,
    send_test,
)
from app.alerts.manager import META_ALERT_STATE
from app.alerts.messages import format_duration, ru_plural
from app.alerts.rules import BACKLOG, FAIL_STREAK, HEARTBEAT
from app.config import load_settings
from app.errors import StoreLockedError
from app.sandbox.telegram_emulator import TelegramEmulator
from app.store.sqlite import SqliteStore
from app.sync.events import CycleReport
from tests.alerts_support import (
    BOT_TOKEN,
    CHAT_ID,
    HOST,
    KASPI_ERROR,
    PHONE,
    SMTP_PASSWORD,
    Clock,
    Mailbox,
    client_context,
    clock,
    failed_cycle,
    free_port,
    good_cycle,
    kinds,
    mail_channel,
    mailbox,
    make_manager,
    server_context,
    set_backlog,
    start_smtp,
    store,
    telegram,
    tg_channel,
    tls_files,
)

__all__ = ["clock", "mailbox", "store", "telegram", "tls_files"]  # fixtures used by name


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
