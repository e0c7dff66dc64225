"""Alert Telegram and the wizard's send-test probe: failures in clear Russian without the bot
token, the Telegram emulator's Bot API, and «Найти чат» (getUpdates)."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
import requests

from app.alerts import (
    Channel,
    EmailChannel,
    TelegramChannel,
    send_test,
)
from app.alerts.channels import ChannelError
from app.alerts.messages import probe_message
from app.sandbox.http import EmulatorServer
from app.sandbox.telegram_emulator import TelegramEmulator
from tests.alerts_support import (
    BOT_TOKEN,
    CHAT_ID,
    HOST,
    free_port,
    mail_channel,
    telegram,
    tg_channel,
)

__all__ = ["telegram"]  # fixtures used by name


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
