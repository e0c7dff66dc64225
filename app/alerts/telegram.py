"""Alerts through a Telegram bot (Bot API `sendMessage`).

The bot token is part of the URL, and requests puts the URL into its exception texts, so
this module never logs a URL or a raw exception message: only the exception type and our
own texts, with the token scrubbed as a second guard.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import requests

from app.alerts.channels import BaseChannel, ChannelError
from app.alerts.messages import AlertMessage

MAX_TEXT = 4096  # Telegram's limit for one message
MAX_RETRY_AFTER = 5.0  # seconds we are willing to wait once on a 429


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
