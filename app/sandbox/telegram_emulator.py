"""A small Telegram Bot API emulator: `sendMessage`, `getMe`, `getUpdates` and the webhook
switch, with Telegram's errors.

Serves the alert tests, the wizard's «Найти чат» and the demo (TELEGRAM_API_URL pointed at
it). Behaves like api.telegram.org where the app cares: parameters as JSON, form or query
string; 401 for a wrong token; 400 "Bad Request: …" for a missing chat_id/text or an unknown
chat; 429 with `parameters.retry_after`; 5xx as nginx's HTML page. getUpdates follows the
Bot API page (core.telegram.org/bots/api#getupdates): updates wait until confirmed by an
`offset` above their `update_id` (a negative offset keeps only the last ones), `limit`
1–100, `timeout` long polling, `allowed_updates` remembered between calls, updates older
than 24 hours dropped, and 409 "Conflict" while a webhook is set.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from app.sandbox.http import BadJSON, Request, Response, Router, html_response, json_response

DEFAULT_TOKEN = "sandbox-bot-token"
BOT_ID = 7000000001
MAX_TEXT = 4096
FIRST_UPDATE_ID = 815000001  # Telegram starts a bot's updates at some large number
UPDATE_TTL = 24 * 3600  # "incoming updates are stored on the server … not longer than 24 hours"
MAX_POLL = 50  # seconds a long poll may hold (Telegram's own cap)
WEBHOOK_CONFLICT = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
UPDATE_KINDS = ("message", "edited_message", "channel_post", "edited_channel_post", "my_chat_member", "callback_query")


def _error(status: int, description: str, **extra: Any) -> Response:
    payload: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    payload.update(extra)
    return json_response(status, payload)


class TelegramEmulator:
    def __init__(self, token: str = DEFAULT_TOKEN, *, chats: Iterable[str | int] | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        """`chats`: when given, only these chat ids exist (others → "chat not found");
        a person who writes to the bot (`user_writes`) opens a chat with it."""
        self.token = token
        self.chats = {str(c) for c in chats} if chats is not None else None
        self.messages: list[dict[str, Any]] = []
        self.requests: list[tuple[str, str]] = []  # (method, API method) of every call
        self.updates: list[dict[str, Any]] = []  # not yet confirmed, oldest first
        self.webhook_url: str | None = None
        self.allowed_updates: list[str] | None = None  # getUpdates' remembered setting
        self._clock = clock
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._ids = itertools.count(1)
        self._update_ids = itertools.count(FIRST_UPDATE_ID)
        self._user_ids = itertools.count(5100000001)
        self._fail: list[int] = []  # statuses to answer the next requests with
        self._rate_limited = 0
        self._retry_after = 1
        self._router = Router()
        for method in ("GET", "POST"):
            self._router.add(method, "/bot{token}/sendMessage", self._send_message)
            self._router.add(method, "/bot{token}/getMe", self._get_me)
            self._router.add(method, "/bot{token}/getUpdates", self._get_updates)
            self._router.add(method, "/bot{token}/setWebhook", self._set_webhook)
            self._router.add(method, "/bot{token}/deleteWebhook", self._delete_webhook)

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

    # --- people writing to the bot -----------------------------------------------------------

    def user_writes(self, text: str = "/start", *, chat_id: int | None = None, first_name: str = "Айгерим",
                    last_name: str | None = None, username: str | None = None, chat_type: str = "private",
                    title: str | None = None) -> dict[str, Any]:
        """Someone sends the bot `text` (a private chat by default, or a group/channel post):
        the update getUpdates will hand out. Returns the update."""
        with self._lock:
            user_id = next(self._user_ids)
            sender: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "ru"}
            if last_name:
                sender["last_name"] = last_name
            if username:
                sender["username"] = username
            if chat_type == "private":
                chat: dict[str, Any] = {"id": chat_id or user_id, "type": "private", "first_name": first_name}
                chat.update({k: v for k, v in (("last_name", last_name), ("username", username)) if v})
            else:
                chat = {"id": chat_id or -1001000000000 - user_id % 100000, "type": chat_type, "title": title or "Группа"}
            message = {"message_id": next(self._ids), "date": int(self._clock()), "chat": chat, "text": text}
            kind = "channel_post" if chat_type == "channel" else "message"
            if kind == "message":
                message["from"] = sender
            update = {"update_id": next(self._update_ids), kind: message}
            self.updates.append(update)
            if self.chats is not None:
                self.chats.add(str(chat["id"]))
            self._arrived.notify_all()
            return update

    def set_webhook(self, url: str | None) -> None:
        """Another program took the bot over with a webhook (None: it let go)."""
        with self._lock:
            self.webhook_url = url

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

    def _admitted_params(self, request: Request, token: str, method: str) -> dict[str, Any] | Response:
        """A method's parameters once the token and faults let it through; else the refusal."""
        denied = self._gate(request, token, method)
        return denied if denied is not None else self._params(request)

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

    def _get_updates(self, request: Request, route: dict[str, str]) -> Response:
        params = self._admitted_params(request, route["token"], "getUpdates")
        if isinstance(params, Response):
            return params
        try:
            offset = int(params.get("offset") or 0)
            limit = min(max(int(params.get("limit") or 100), 1), 100)
            timeout = min(max(float(params.get("timeout") or 0), 0.0), MAX_POLL)
        except (TypeError, ValueError):
            return _error(400, "Bad Request: wrong parameter value")
        allowed = params.get("allowed_updates")
        if isinstance(allowed, str):
            try:
                allowed = json.loads(allowed)
            except ValueError:
                return _error(400, "Bad Request: can't parse allowed updates")
        deadline = time.monotonic() + timeout
        with self._lock:
            if self.webhook_url:
                return _error(409, WEBHOOK_CONFLICT)
            if isinstance(allowed, list):
                self.allowed_updates = [str(kind) for kind in allowed] or None  # [] = every kind
            self._forget(offset)
            while not self._wanted() and time.monotonic() < deadline:
                self._arrived.wait(max(0.0, deadline - time.monotonic()))
                self._forget(0)
            result = self._wanted()[:limit]
        return json_response(200, {"ok": True, "result": result})

    def _forget(self, offset: int) -> None:
        """Confirmed (below a positive offset), trimmed (a negative one) and expired updates go."""
        if offset > 0:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        elif offset < 0:
            self.updates = self.updates[offset:]
        oldest = self._clock() - UPDATE_TTL
        self.updates = [u for u in self.updates if _update_date(u) >= oldest]

    def _wanted(self) -> list[dict[str, Any]]:
        kinds = self.allowed_updates or [k for k in UPDATE_KINDS if k != "chat_member"]
        return [u for u in self.updates if any(kind in u for kind in kinds)]

    def _set_webhook(self, request: Request, route: dict[str, str]) -> Response:
        params = self._admitted_params(request, route["token"], "setWebhook")
        if isinstance(params, Response):
            return params
        with self._lock:
            self.webhook_url = str(params.get("url") or "") or None
        return json_response(200, {"ok": True, "result": True, "description": "Webhook was set"})

    def _delete_webhook(self, request: Request, route: dict[str, str]) -> Response:
        denied = self._gate(request, route["token"], "deleteWebhook")
        if denied is not None:
            return denied
        with self._lock:
            self.webhook_url = None
        return json_response(200, {"ok": True, "result": True, "description": "Webhook was deleted"})

    def _send_message(self, request: Request, route: dict[str, str]) -> Response:
        params = self._admitted_params(request, route["token"], "sendMessage")
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


def _update_date(update: dict[str, Any]) -> float:
    for kind in UPDATE_KINDS:
        body = update.get(kind)
        if isinstance(body, dict) and "date" in body:
            return float(body["date"])
    return float("inf")


def _chat_id(value: Any) -> int | str:
    """Numeric ids come back as numbers, `@channel` names as they are."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return str(value)


__all__ = ["DEFAULT_TOKEN", "TelegramEmulator"]
