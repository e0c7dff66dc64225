"""A small Telegram Bot API emulator: `sendMessage` and `getMe`, with Telegram's errors.

Serves the alert tests and the demo (TELEGRAM_API_URL pointed at it). Behaves like
api.telegram.org where the alert channel cares: parameters as JSON, form or query string;
401 for a wrong token; 400 "Bad Request: …" for a missing chat_id/text or an unknown chat;
429 with `parameters.retry_after`; 5xx as nginx's HTML page.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qs

from app.sandbox.http import BadJSON, Request, Response, Router, html_response, json_response

DEFAULT_TOKEN = "sandbox-bot-token"
BOT_ID = 7000000001
MAX_TEXT = 4096


def _error(status: int, description: str, **extra: Any) -> Response:
    payload: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    payload.update(extra)
    return json_response(status, payload)


class TelegramEmulator:
    def __init__(self, token: str = DEFAULT_TOKEN, *, chats: Iterable[str | int] | None = None) -> None:
        """`chats`: when given, only these chat ids exist (others → "chat not found")."""
        self.token = token
        self.chats = {str(c) for c in chats} if chats is not None else None
        self.messages: list[dict[str, Any]] = []
        self.requests: list[tuple[str, str]] = []  # (method, API method) of every call
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._fail: list[int] = []  # statuses to answer the next requests with
        self._rate_limited = 0
        self._retry_after = 1
        self._router = Router()
        for method in ("GET", "POST"):
            self._router.add(method, "/bot{token}/sendMessage", self._send_message)
            self._router.add(method, "/bot{token}/getMe", self._get_me)

    # --- fault injection -------------------------------------------------------------------

    def fail_next(self, n: int = 1, status: int = 502) -> None:
        """The next `n` API calls fail with `status` (5xx as nginx HTML, else Telegram JSON)."""
        with self._lock:
            self._fail.extend([status] * n)

    def rate_limit_next(self, n: int = 1, retry_after: int = 1) -> None:
        """The next `n` API calls get 429 "Too Many Requests: retry after N"."""
        with self._lock:
            self._rate_limited += n
            self._retry_after = retry_after

    def texts(self) -> list[str]:
        with self._lock:
            return [m["text"] for m in self.messages]

    # --- HTTP ------------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        response = self._router.dispatch(request)
        if response is None or response.status == 405:
            return _error(404, "Not Found")
        return response

    def _params(self, request: Request) -> dict[str, Any] | Response:
        params: dict[str, Any] = {k: v[0] for k, v in request.query.items() if v}
        content_type = (request.header("content-type") or "").lower()
        if request.body:
            if "json" in content_type:
                try:
                    body = request.json()
                except BadJSON:
                    return _error(400, "Bad Request: can't parse JSON object")
                if not isinstance(body, dict):
                    return _error(400, "Bad Request: parameters must be a JSON object")
                params.update(body)
            elif "x-www-form-urlencoded" in content_type:
                form = parse_qs(request.body.decode("utf-8", "replace"), keep_blank_values=True)
                params.update({k: v[0] for k, v in form.items() if v})
        return params

    def _gate(self, request: Request, token: str, method: str) -> Response | None:
        """Token check and injected faults, in Telegram's order (faults come from the front)."""
        with self._lock:
            self.requests.append((request.method, method))
            if self._fail:
                status = self._fail.pop(0)
                if status >= 500:
                    return html_response(
                        status,
                        f"<html><head><title>{status} Bad Gateway</title></head><body><center><h1>{status} "
                        "Bad Gateway</h1></center><hr><center>nginx</center></body></html>",
                    )
                return _error(status, f"Error {status}")
            if self._rate_limited:
                self._rate_limited -= 1
                wait = self._retry_after
                response = _error(429, f"Too Many Requests: retry after {wait}", parameters={"retry_after": wait})
                response.headers["Retry-After"] = str(wait)
                return response
        if token != self.token:
            return _error(401, "Unauthorized")
        return None

    def _get_me(self, request: Request, route: dict[str, str]) -> Response:
        denied = self._gate(request, route["token"], "getMe")
        if denied is not None:
            return denied
        return json_response(
            200,
            {
                "ok": True,
                "result": {
                    "id": BOT_ID,
                    "is_bot": True,
                    "first_name": "Kaspi amoCRM sandbox",
                    "username": "kaspi_amo_sandbox_bot",
                    "can_join_groups": True,
                    "can_read_all_group_messages": False,
                    "supports_inline_queries": False,
                },
            },
        )

    def _send_message(self, request: Request, route: dict[str, str]) -> Response:
        denied = self._gate(request, route["token"], "sendMessage")
        if denied is not None:
            return denied
        params = self._params(request)
        if isinstance(params, Response):
            return params
        chat_id = params.get("chat_id")
        if chat_id is None or str(chat_id).strip() == "":
            return _error(400, "Bad Request: chat_id is empty")
        text = params.get("text")
        if text is None or str(text).strip() == "":
            return _error(400, "Bad Request: message text is empty")
        text = str(text)
        if len(text) > MAX_TEXT:
            return _error(400, "Bad Request: message is too long")
        if self.chats is not None and str(chat_id) not in self.chats:
            return _error(400, "Bad Request: chat not found")
        preview = params.get("disable_web_page_preview")
        if isinstance(preview, str):
            preview = preview.lower() in ("1", "true")
        with self._lock:
            message = {
                "message_id": next(self._ids),
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "Kaspi amoCRM sandbox", "username": "kaspi_amo_sandbox_bot"},
                "chat": {"id": _chat_id(chat_id), "type": "private"},
                "date": int(time.time()),
                "text": text,
            }
            self.messages.append({**message, "disable_web_page_preview": bool(preview)})
        return json_response(200, {"ok": True, "result": message})


def _chat_id(value: Any) -> int | str:
    """Numeric ids come back as numbers, `@channel` names as they are."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return str(value)


__all__ = ["DEFAULT_TOKEN", "TelegramEmulator"]
