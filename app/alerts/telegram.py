"""Alerts through a Telegram bot (Bot API `sendMessage`), and finding the owner's chat
(`getUpdates`) so nobody has to look a chat id up by hand.

The bot token is part of the URL, and requests puts the URL into its exception texts, so
this module never logs a URL or a raw exception message: only the exception type and our
own texts, with the token scrubbed as a second guard.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests

from app.alerts.channels import BaseChannel, ChannelError
from app.alerts.messages import AlertMessage

MAX_TEXT = 4096  # Telegram's limit for one message
MAX_RETRY_AFTER = 5.0  # seconds we are willing to wait once on a 429
#: Update kinds that name a chat the bot can write to (Bot API "Update" object).
CHAT_UPDATES = ("message", "edited_message", "channel_post", "edited_channel_post", "my_chat_member")


@dataclass(frozen=True)
class TelegramChat:
    """A chat the bot heard from: where alerts can go."""

    id: str
    kind: str  # private, group, supergroup, channel
    title: str  # a person's name (and @username), or the group's title


class TelegramChannel(BaseChannel):
    name = "telegram"

    def __init__(
        self,
        bot_token: str,
        chat_id: str | int,
        api_url: str = "https://api.telegram.org",
        session: requests.Session | None = None,
        timeout: tuple[float, float] = (5, 10),
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._token = bot_token
        self.chat_id = str(chat_id)
        self.api_url = api_url.rstrip("/")
        self._session = session or requests.Session()
        self.timeout = timeout
        self._sleep = sleep

    def __repr__(self) -> str:  # never the token
        return f"TelegramChannel(chat_id={self.chat_id!r}, api_url={self.api_url!r})"

    def secrets(self) -> tuple[str, ...]:
        return (self._token,)

    def _scrub(self, text: str) -> str:
        return text.replace(self._token, "***") if self._token else text

    def deliver(self, message: AlertMessage) -> None:
        text = message.text
        if len(text) > MAX_TEXT:
            text = text[: MAX_TEXT - 1] + "…"
        payload = {"chat_id": self.chat_id, "text": text, "disable_web_page_preview": True}
        for attempt in (1, 2):
            status, data = self._post("sendMessage", payload)
            if status == 200 and isinstance(data, dict) and data.get("ok") is True:
                return
            retry_after = _retry_after(data) if status == 429 else None
            if attempt == 1 and retry_after is not None and retry_after <= MAX_RETRY_AFTER:
                self._sleep(retry_after)
                continue
            raise self._error(status, data, retry_after)

    def recent_chats(self) -> list[TelegramChat]:
        """Chats that wrote to the bot lately (Telegram keeps updates for 24 hours), newest first.

        getUpdates without `offset` confirms nothing and without `allowed_updates` changes no
        setting of the bot, so this only reads. Raises ChannelError with what to do.
        """
        status, data = self._post("getUpdates", {"limit": 100, "timeout": 0})
        if status == 200 and isinstance(data, dict) and data.get("ok") is True and isinstance(data.get("result"), list):
            return chats_from_updates(data["result"])
        if status == 409:
            raise ChannelError(
                "У этого бота настроен вебхук (его использует другая программа), поэтому найти чат отсюда "
                "нельзя. Создайте для оповещений отдельного бота у @BotFather.",
                detail=f"HTTP {status}",
            )
        raise self._error(status, data, _retry_after(data) if status == 429 else None)

    def _post(self, method: str, payload: dict[str, Any]) -> tuple[int, Any]:
        url = f"{self.api_url}/bot{self._token}/{method}"
        try:
            response = self._session.post(url, json=payload, timeout=self.timeout)
        except requests.Timeout as exc:
            raise ChannelError(
                "Telegram не ответил вовремя. Проверьте интернет и попробуйте ещё раз.", detail=type(exc).__name__
            ) from None
        except requests.RequestException as exc:
            raise ChannelError(
                "Не удалось связаться с Telegram. Проверьте интернет (и не заблокирован ли Telegram в вашей сети).",
                detail=type(exc).__name__,
            ) from None
        try:
            data = response.json()
        except ValueError:
            data = None
        return response.status_code, data

    def _error(self, status: int, data: Any, retry_after: float | None) -> ChannelError:
        description = ""
        if isinstance(data, dict):
            description = self._scrub(str(data.get("description") or ""))[:200]
        detail = f"HTTP {status}: {description}" if description else f"HTTP {status}"
        lowered = description.lower()
        if status == 401 or (status == 404 and "not found" in lowered):
            text = "Telegram не принимает токен бота. Проверьте токен, который выдал @BotFather."
        elif status == 400 and "chat not found" in lowered:
            text = (
                "Telegram не нашёл чат с таким chat id. Напишите боту /start (или добавьте его в группу) "
                "и проверьте chat id."
            )
        elif status == 400:
            text = f"Telegram отклонил сообщение: {description or 'неверный запрос'}. Проверьте chat id."
        elif status == 403:
            text = "Бот не может писать в этот чат: его заблокировали или удалили из группы. Напишите боту /start."
        elif status == 429:
            wait = f" {retry_after:g} с" if retry_after is not None else ""
            text = f"Telegram просит подождать{wait}: слишком много сообщений. Попробуйте позже."
        elif status >= 500:
            text = f"Telegram временно недоступен (ошибка {status}). Попробуйте позже."
        else:
            text = f"Telegram не принял сообщение (ошибка {status}). Проверьте токен бота и chat id."
        return ChannelError(text, detail=detail)


def _chat_title(chat: dict[str, Any]) -> str:
    title = chat.get("title")
    if isinstance(title, str) and title:
        return title
    name = " ".join(str(chat[key]) for key in ("first_name", "last_name") if chat.get(key))
    username = chat.get("username")
    if username:
        name = f"{name} (@{username})" if name else f"@{username}"
    return name or str(chat.get("id"))


def chats_from_updates(updates: list[Any]) -> list[TelegramChat]:
    """Every distinct chat in a getUpdates answer, the most recent first."""
    found: dict[str, TelegramChat] = {}
    for update in reversed(updates):
        if not isinstance(update, dict):
            continue
        for kind in CHAT_UPDATES:
            body = update.get(kind)
            chat = body.get("chat") if isinstance(body, dict) else None
            if not isinstance(chat, dict) or chat.get("id") is None:
                continue
            chat_id = str(chat["id"])
            if chat_id not in found:
                found[chat_id] = TelegramChat(chat_id, str(chat.get("type") or "private"), _chat_title(chat))
    return list(found.values())


def find_chats(
    bot_token: str, api_url: str = "https://api.telegram.org", *, session: requests.Session | None = None
) -> list[TelegramChat]:
    """The wizard's «Найти чат»: chats that wrote to this bot (ChannelError says what went wrong)."""
    return TelegramChannel(bot_token, "", api_url, session=session).recent_chats()


def _retry_after(data: Any) -> float | None:
    if not isinstance(data, dict):
        return None
    parameters = data.get("parameters")
    if not isinstance(parameters, dict):
        return None
    try:
        return float(parameters["retry_after"])
    except (KeyError, TypeError, ValueError):
        return None
