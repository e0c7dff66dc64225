"""Connecting an amoCRM account: the pieces the settings wizard drives, no Qt inside.

Three ways in (issue 5): the browser consent flow (we open amoCRM's consent page with a
random `state`; when the redirect URI is a loopback address we catch the redirect ourselves
on 127.0.0.1, otherwise the user pastes the address the browser landed on), pasting the
20-minute authorization code of a private integration, or pasting a long-lived token.
Every way ends with a live GET /api/v4/account.
"""

from __future__ import annotations

import html
import secrets
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import requests

from app.amo.api import Account, AmoApi
from app.amo.client import AmoClient
from app.amo.oauth import OAuthClient, TokenManager, jwt_expiry
from app.amo.ratelimit import RateLimiter
from app.amo.tokens import MemoryTokenStore, TokenPair
from app.errors import AmoAuthError, ConfigError
from app.net import is_loopback_host

ACCESS_DENIED = "Доступ не разрешён: в окне amoCRM нажали «Отказать». Попробуйте ещё раз и нажмите «Разрешить»."
STATE_MISMATCH = (
    "Ответ amoCRM не относится к этому подключению (не совпадает проверочный код state). "
    "Начните подключение заново из этого окна."
)
NO_CODE = "В адресе нет кода авторизации (code). Скопируйте адрес целиком из строки браузера после «Разрешить»."


class ConsentRefused(AmoAuthError):
    """The owner pressed «Отказать» on amoCRM's consent page."""


class StateMismatch(AmoAuthError):
    """A redirect that belongs to another connection attempt (or a forged one)."""


class NoCodeInRedirect(AmoAuthError):
    """The pasted address carries no authorization code."""


@dataclass(frozen=True)
class Redirect:
    code: str
    referer: str | None  # the account host amoCRM names (use it as the base for the exchange)
    client_id: str | None


def new_state() -> str:
    """An unguessable `state` for one connection attempt (CSRF protection)."""
    return secrets.token_urlsafe(24)


def account_base_url(text: str) -> str:
    """`shop`, `shop.amocrm.ru`, `https://shop.kommo.com/leads` → `https://shop.amocrm.ru` / `https://shop.kommo.com`."""
    raw = (text or "").strip()
    if not raw:
        raise ConfigError("Укажите адрес аккаунта amoCRM, например shop.amocrm.ru.")
    typed_scheme = "://" in raw
    parts = urlsplit(raw if typed_scheme else f"https://{raw}")
    host = (parts.hostname or "").lower()
    if not host:
        raise ConfigError(f"Не понимаю адрес аккаунта «{raw}»: нужен вид shop.amocrm.ru или shop.kommo.com.")
    if "." not in host and not is_loopback_host(host):
        host = f"{host}.amocrm.ru"
    if is_loopback_host(host):  # the sandbox: plain http unless https was typed
        return f"{parts.scheme if typed_scheme else 'http'}://{parts.netloc}"
    if not host.endswith((".amocrm.ru", ".kommo.com", ".amocrm.com")):
        raise ConfigError(f"«{host}» не похож на адрес amoCRM: ожидается ПОДДОМЕН.amocrm.ru или ПОДДОМЕН.kommo.com.")
    return f"https://{host}"


def base_for_exchange(entered_base: str, referer: str | None) -> str:
    """The account the owner allowed (amoCRM's `referer`) is where the code is exchanged.

    A referer that is not an amoCRM host raises ConfigError (the client secret never goes
    elsewhere); the loopback sandbox keeps the entered address and its http scheme.
    """
    if not referer:
        return entered_base
    host = (urlsplit(f"//{referer.strip()}").hostname or "").lower()
    if host == (urlsplit(entered_base).hostname or "").lower() or is_loopback_host(host):
        return entered_base
    return account_base_url(host)


def consent_url(account_base: str, client_id: str, state: str, *, mode: str = "post_message") -> str:
    """amoCRM's consent page: www.amocrm.ru or www.kommo.com, or the sandbox's own /oauth."""
    host = urlsplit(account_base).hostname or ""
    if is_loopback_host(host):
        root = account_base
    elif host.endswith(".kommo.com"):
        root = "https://www.kommo.com"
    else:
        root = "https://www.amocrm.ru"
    return f"{root}/oauth?" + urlencode({"client_id": client_id, "state": state, "mode": mode})


def parse_redirect(url: str, expected_state: str, *, strict: bool = False) -> Redirect:
    """The code from the address the browser landed on (pasted, or caught on loopback).

    `state` is checked first: an answer of another attempt, or a forged one, never ends this
    attempt. A refusal without any `state` counts as a refusal only when `strict` is off
    (the owner pasted it himself); on 127.0.0.1 any local page could send one.
    """
    query = parse_qs(urlsplit((url or "").strip()).query)

    def one(name: str) -> str | None:
        values = query.get(name)
        return values[0] if values else None

    state = one("state")
    if one("error") == "access_denied" and (state == expected_state or (state is None and not strict)):
        raise ConsentRefused(ACCESS_DENIED)
    if state != expected_state:
        raise StateMismatch(STATE_MISMATCH)
    code = one("code")
    if not code:
        raise NoCodeInRedirect(NO_CODE)
    return Redirect(code=code, referer=one("referer"), client_id=one("client_id"))


def is_loopback_redirect(redirect_uri: str) -> bool:
    parts = urlsplit(redirect_uri or "")
    return parts.scheme == "http" and is_loopback_host(parts.hostname or "")


class LoopbackReceiver:
    """Catches amoCRM's redirect on 127.0.0.1: one request with the matching `state`, then closes.

    Bound to 127.0.0.1 only (never all interfaces): nobody else on the network can hand us a
    code. A request with a wrong state gets an error page and does not end the wait.
    """

    def __init__(self, redirect_uri: str, state: str) -> None:
        if not is_loopback_redirect(redirect_uri):
            raise ConfigError("Ловить ответ amoCRM можно только на адресе http://127.0.0.1:ПОРТ/…")
        parts = urlsplit(redirect_uri)
        self.state = state
        self.path = parts.path or "/"
        self._result: Redirect | None = None
        self._error: AmoAuthError | None = None
        self._done = threading.Event()
        self._decision = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                receiver._handle(self)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

            timeout = 10  # an idle connection (a browser's pre-connect) is dropped, never waited on

        # One thread per connection: an idle connection cannot hold up the real redirect.
        self._server = ThreadingHTTPServer(("127.0.0.1", parts.port or 80), Handler)
        self._server.daemon_threads = True
        self._server.block_on_close = False  # close() never waits for a stuck connection
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> LoopbackReceiver:
        self._thread.start()
        return self

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        status, text = self._decide(request.path)
        self._reply(request, status, text)

    def _decide(self, path: str) -> tuple[int, str]:
        """One answer ends the wait; connections are served in parallel, decided one at a time."""
        with self._decision:
            if urlsplit(path).path.rstrip("/") != self.path.rstrip("/") or self._done.is_set():
                return 404, "Не найдено."
            try:
                self._result = parse_redirect(path, self.state, strict=True)
            except StateMismatch as exc:
                return 400, exc.message  # not ours: keep waiting for the real one
            except AmoAuthError as exc:
                self._error = exc
                self._done.set()
                return 200, exc.message
            self._done.set()
            return 200, "Готово: amoCRM подключается. Вернитесь в программу Kaspi amoCRM Sync."

    @staticmethod
    def _reply(request: BaseHTTPRequestHandler, status: int, text: str) -> None:
        body = (
            "<!doctype html><meta charset='utf-8'><title>Kaspi amoCRM Sync</title>"
            f"<p style='font:16px sans-serif;margin:3em'>{html.escape(text)}</p>"
        ).encode()
        request.send_response(status)
        request.send_header("Content-Type", "text/html; charset=utf-8")
        request.send_header("Content-Length", str(len(body)))
        request.send_header("Connection", "close")
        request.end_headers()
        request.wfile.write(body)

    def wait(self, timeout: float) -> Redirect:
        """The redirect's code; AmoAuthError on refusal, TimeoutError when nothing came."""
        try:
            if not self._done.wait(timeout):
                raise TimeoutError("amoCRM не вернул ответ: окно браузера закрыто или подключение не завершено.")
            if self._error is not None:
                raise self._error
            assert self._result is not None
            return self._result
        finally:
            self.close()

    def close(self) -> None:
        """Stop listening (after use, on cancel, on timeout)."""
        self._done.set()
        if self._thread.is_alive():
            self._server.shutdown()  # blocks until serve_forever returns: only when it runs
        self._server.server_close()


def exchange_code(account_base: str, client_id: str, client_secret: str, redirect_uri: str, code: str,
                  *, session: requests.Session | None = None) -> TokenPair:
    """Trade an authorization code (20 minutes, single use) for a token pair."""
    return OAuthClient(account_base, client_id, client_secret, redirect_uri, session=session).exchange_code(code.strip())


def long_lived_pair(token: str) -> TokenPair:
    """A pasted long-lived token: no refresh token, expiry from its JWT claim."""
    token = (token or "").strip()
    if not token:
        raise AmoAuthError("Вставьте долгосрочный токен из настроек интеграции amoCRM.")
    return TokenPair(token, None, jwt_expiry(token))


def check_account(account_base: str, pair: TokenPair, *, session: requests.Session | None = None,
                  limiter: RateLimiter | None = None) -> Account:
    """The live check every way ends with: GET /api/v4/account with these tokens."""
    client = AmoClient(account_base, TokenManager(MemoryTokenStore(pair), None), limiter or RateLimiter(6), session=session,
                       max_retries=1)
    return AmoApi(client).account()
