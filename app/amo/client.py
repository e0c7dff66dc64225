"""HTTP transport for amoCRM API v4: auth, throttling, retries and error mapping.

Policy, in the order it matters to a shop owner:
- never get the account blocked: every attempt waits for the shared `RateLimiter`; a 429 is
  waited out (its `retry_after`, or backoff for the HTML variant); a 403 HTML page means the
  account is already blocked, so we stop at once instead of prolonging the block;
- never create a deal twice: a POST is retried only when it provably never reached amoCRM
  (connect timeout, connection refused) or got a 429. Anything else that may have been
  applied raises `AmoUnavailable` with `maybe_applied = True`, and the engine looks the deal
  up before creating it again;
- never leak secrets: tokens are not put in messages or logs, and neither are query strings
  (they carry phone numbers).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests

import app
from app.amo.oauth import TokenManager
from app.amo.ratelimit import RateLimiter
from app.errors import (
    AmoAuthError,
    AmoBlocked,
    AmoError,
    AmoNotFound,
    AmoPaymentRequired,
    AmoRateLimited,
    AmoUnavailable,
    AmoUnreachable,
    AmoValidationError,
)
from app.net import never_sent, origin, unreachable_message
from app.server_time import ServerClock

log = logging.getLogger(__name__)

API_PREFIX = "/api/v4"
MAX_RETRIES = 5  # per request, for 429/5xx/network errors
_IDEMPOTENT = frozenset({"GET", "HEAD", "PATCH", "PUT", "DELETE", "OPTIONS"})
_WRITES = frozenset({"POST", "PATCH", "PUT", "DELETE"})

_MSG_UNAVAILABLE = "amoCRM сейчас недоступен или не отвечает. Проверьте интернет; программа повторит попытку."
_MSG_MAYBE_APPLIED = (
    "amoCRM не ответил на запрос записи, и неизвестно, выполнен ли он. Программа проверит это "
    "и не создаст сделку дважды."
)
_MSG_RATE_LIMITED = (
    "amoCRM просит делать запросы реже. Программа повторит попытку позже; если это повторяется, "
    "уменьшите AMO_RPS или проверьте другие интеграции этого аккаунта."
)
_MSG_BLOCKED = (
    "amoCRM заблокировал доступ по API для этого аккаунта из-за слишком частых запросов. "
    "Синхронизация приостановлена: подождите, а если блокировка не снимается, напишите в "
    "поддержку amoCRM (укажите поддомен аккаунта и IP-адрес)."
)
_MSG_FORBIDDEN = (
    "amoCRM запретил это действие. Проверьте права пользователя, создавшего интеграцию, и "
    "белый список IP-адресов в настройках API аккаунта."
)
_MSG_PAYMENT = "Аккаунт amoCRM не оплачен или закончился пробный период. Оплатите аккаунт, и синхронизация продолжится."
_MSG_VALIDATION = "amoCRM отклонил данные запроса. Подробности — в журнале; сообщите разработчикам, если ошибка повторяется."
_MSG_NOT_FOUND = "amoCRM не нашёл запрошенный объект или адрес. Проверьте адрес аккаунта amoCRM (AMO_BASE_URL)."
_MSG_AUTH_AGAIN = (
    "amoCRM отклонил даже обновлённый токен доступа. Откройте настройки и подключите amoCRM "
    "заново; проверьте, что интеграция не отключена."
)
_MSG_TLS = "Сертификат сервера amoCRM не прошёл проверку. Проверьте адрес аккаунта и настройки сети (прокси, антивирус)."


USER_AGENT = f"kaspi-amo-sync/{app.__version__}"


def api_headers(token: str | None = None, user_agent: str = USER_AGENT) -> dict[str, str]:
    """What every /api/v4 request carries (also what `kaspi-amo doctor` sends)."""
    headers = {"Accept": "application/json", "User-Agent": user_agent}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return headers


def _unavailable(message: str, *, maybe_applied: bool, **kw: Any) -> AmoUnavailable:
    err = AmoUnavailable(message, **kw)
    err.maybe_applied = maybe_applied  # type: ignore[attr-defined]
    return err


class AmoClient:
    """Sends one logical request to /api/v4 and turns every outcome into data or an AmoError."""

    def __init__(
        self,
        base_url: str,
        tokens: TokenManager,
        limiter: RateLimiter,
        *,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = (10.0, 30.0),
        max_retries: int = MAX_RETRIES,
        backoff: float = 1.0,
        max_wait: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
        user_agent: str = USER_AGENT,
        clock: ServerClock | None = None,
        before_write: Callable[[], None] | None = None,
    ) -> None:
        parts = urlsplit(base_url.rstrip("/"))
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("amoCRM base URL must look like https://SUBDOMAIN.amocrm.ru")
        self.base_url = f"{parts.scheme}://{parts.netloc}{parts.path}"
        self._tokens = tokens
        self._limiter = limiter
        self._session = session or requests.Session()
        self._timeout = timeout
        self._max_retries = max(0, int(max_retries))
        self._backoff = backoff
        self._max_wait = max_wait
        self._sleep = sleep
        self._user_agent = user_agent
        self.clock = clock  # told the Date of every answer: a wrong computer clock is caught
        # called right before every write is sent, retries too: the store's fence, so a run that
        # lost its run lock (stopped past its lease, lock session killed) never sends another write
        self._before_write = before_write
        self._count_lock = threading.Lock()
        self.requests_made = 0
        self.answered = False  # has amoCRM answered anything in this run (this client's life)?

    def __repr__(self) -> str:
        return f"AmoClient(base_url={self.base_url!r})"

    # --- public -------------------------------------------------------------------------------

    def request(self, method: str, path: str, *, params: Mapping[str, Any] | None = None, json: Any = None) -> Any | None:
        """Decoded JSON of a 2xx answer, None on 204 / empty body; raises an AmoError subclass otherwise.

        `path` is relative to /api/v4 ("leads", "/leads/complex"), absolute ("/api/v4/leads") or a
        `_links.next.href`; a full URL is re-based onto `base_url` so the token never goes elsewhere.
        """
        method = method.upper()
        url, merged_params, where = self._resolve(path, params)
        idempotent = method in _IDEMPOTENT
        retries = 0
        replayed_after_401 = False
        while True:
            token = self._tokens.access_token()
            self._limiter.acquire()
            if self._before_write is not None and method in _WRITES:
                self._before_write()
            with self._count_lock:
                self.requests_made += 1
            try:
                resp = self._session.request(
                    method,
                    url,
                    params=merged_params,
                    json=json,
                    headers=self._headers(token),
                    timeout=self._timeout,
                    verify=True,
                    allow_redirects=False,
                )
            except requests.exceptions.SSLError as exc:
                raise _unavailable(_MSG_TLS, maybe_applied=False, detail=f"{where}: {type(exc).__name__}") from None
            except requests.exceptions.RequestException as exc:
                detail = f"{where}: {type(exc).__name__}"
                if not self.answered and never_sent(exc):
                    # a host that never answered in this run: most likely a wrong AMO_BASE_URL or
                    # no internet; waiting out the retries (31 s) per order tells nobody anything
                    raise AmoUnreachable(unreachable_message(self.base_url, "AMO_BASE_URL", exc),
                                         address=origin(self.base_url), detail=detail) from None
                if not (idempotent or never_sent(exc)):
                    raise _unavailable(_MSG_MAYBE_APPLIED, maybe_applied=True, detail=detail) from None
                if retries >= self._max_retries:
                    raise _unavailable(_MSG_UNAVAILABLE, maybe_applied=False, detail=detail) from None
                self._wait(self._backoff_delay(retries), f"{detail}, retry {retries + 1}")
                retries += 1
                continue

            self.answered = True
            if self.clock is not None:
                self.clock.observe(resp.headers.get("Date"), "amoCRM")
            status = resp.status_code
            if status == 401:
                if replayed_after_401:
                    raise AmoAuthError(_MSG_AUTH_AGAIN, status=401, detail=f"{where}: 401 after token refresh")
                replayed_after_401 = True
                self._tokens.after_unauthorized(token)
                continue
            if status == 429:
                retry_after = self._retry_after(resp)
                delay = retry_after if retry_after is not None else self._backoff_delay(retries)
                if retries >= self._max_retries or delay > self._max_wait:
                    err = AmoRateLimited(_MSG_RATE_LIMITED, status=429, detail=f"{where}: 429 after {retries} retries")
                    err.retry_after = retry_after  # type: ignore[attr-defined]
                    raise err
                self._wait(delay, f"{where}: 429, retry {retries + 1}")
                retries += 1
                continue
            if status >= 500:
                detail = f"{where}: HTTP {status}"
                if not idempotent:
                    raise _unavailable(_MSG_MAYBE_APPLIED, maybe_applied=True, status=status, detail=detail)
                if retries >= self._max_retries:
                    raise _unavailable(_MSG_UNAVAILABLE, maybe_applied=False, status=status, detail=detail)
                self._wait(self._backoff_delay(retries), f"{detail}, retry {retries + 1}")
                retries += 1
                continue
            return self._finish(resp, where)

    # --- internals ----------------------------------------------------------------------------

    def _resolve(self, path: str, params: Mapping[str, Any] | None) -> tuple[str, list[tuple[str, Any]] | None, str]:
        """(url, params, log-safe "METHOD-less path") for a relative path or a `_links` href."""
        query: list[tuple[str, Any]] = []
        if "://" in path or "?" in path:
            parts = urlsplit(path)
            path = parts.path
            query = parse_qsl(parts.query, keep_blank_values=True)
        if not path.startswith("/"):
            path = "/" + path
        base_path = urlsplit(self.base_url).path
        if base_path and path.startswith(base_path + "/"):
            path = path[len(base_path):]
        if not path.startswith(API_PREFIX + "/") and path != API_PREFIX:
            path = API_PREFIX + path
        if params:
            for key, value in params.items():
                if isinstance(value, (list, tuple)):
                    query.extend((key, v) for v in value)
                elif value is not None:
                    query.append((key, value))
        return self.base_url + path, (query or None), path

    def _headers(self, token: str) -> dict[str, str]:
        return api_headers(token, self._user_agent)

    def _backoff_delay(self, retries: int) -> float:
        return min(self._max_wait, self._backoff * 2.0**retries)

    def _wait(self, delay: float, why: str) -> None:
        delay = max(0.0, min(delay, self._max_wait))
        log.warning("amoCRM %s; waiting %.1f s", why, delay)
        self._sleep(delay)

    @staticmethod
    def _retry_after(resp: requests.Response) -> float | None:
        """Seconds from the JSON body's `retry_after` (amoCRM's way) or a Retry-After header."""
        value: Any = None
        body = _json_or_none(resp)
        if isinstance(body, dict):
            value = body.get("retry_after")
        if value is None:
            value = resp.headers.get("Retry-After")
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            return None
        return seconds if seconds >= 0 else None

    def _finish(self, resp: requests.Response, where: str) -> Any | None:
        status = resp.status_code
        body = _json_or_none(resp)
        if 200 <= status < 300:
            if status == 204 or not resp.content.strip():
                return None
            if body is None:
                raise AmoError(
                    "amoCRM вернул ответ не в формате JSON. Проверьте адрес аккаунта amoCRM (AMO_BASE_URL) и настройки сети.",
                    status=status,
                    detail=f"{where}: HTTP {status}, content-type {resp.headers.get('Content-Type', '?')}",
                )
            return body
        detail = f"{where}: HTTP {status}" + (f": {_problem(body)}" if body is not None else "")
        if status == 403:
            if body is None:
                raise AmoBlocked(_MSG_BLOCKED, status=403, detail=detail)
            raise AmoError(_MSG_FORBIDDEN, status=403, detail=detail)
        if status == 402:
            raise AmoPaymentRequired(_MSG_PAYMENT, status=402, detail=detail)
        if status in (400, 422):
            errors = body.get("validation-errors") if isinstance(body, dict) else None
            raise AmoValidationError(
                _MSG_VALIDATION,
                errors=errors if isinstance(errors, list) else [],
                status=status,
                detail=detail,
            )
        if status == 404:
            raise AmoNotFound(_MSG_NOT_FOUND, status=404, detail=detail)
        if 300 <= status < 400:
            raise AmoError(
                "amoCRM перенаправляет запросы на другой адрес. Проверьте адрес аккаунта amoCRM (AMO_BASE_URL).",
                status=status,
                detail=f"{where}: HTTP {status}",
            )
        raise AmoError(f"Неожиданный ответ amoCRM (HTTP {status}).", status=status, detail=detail)


def _json_or_none(resp: requests.Response) -> Any:
    ctype = resp.headers.get("Content-Type", "").lower()
    if "html" in ctype or not resp.content:
        return None
    try:
        return resp.json()
    except (ValueError, RecursionError):  # RecursionError: JSON nested deeper than the parser's stack
        return None


def _problem(body: Any) -> str:
    """title/detail of a problem+json body (never the whole body)."""
    if not isinstance(body, dict):
        return "non-object JSON"
    return "; ".join(str(body[k]) for k in ("title", "detail") if isinstance(body.get(k), (str, int)))[:300]
