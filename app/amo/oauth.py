"""amoCRM OAuth: code exchange, refresh, and the one place that owns the current token.

amoCRM refresh tokens are single-use (amocrm.md §1.4): a pair returned by a refresh must be
saved before anything uses it, and two refreshes must never race with the same refresh
token, or the owner has to reconnect amoCRM. `TokenManager` enforces both: refreshes are
single-flight (a thread lock plus an optional cross-process lock) and the rotated pair is
written to the `TokenStore` before the new access token is handed out.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from app.amo.tokens import TokenPair, TokenStore
from app.clock import utc_now
from app.errors import (
    AmoAuthError,
    AmoBlocked,
    AmoError,
    AmoRateLimited,
    AmoTokenRevoked,
    AmoUnavailable,
)

log = logging.getLogger(__name__)

REFRESH_MARGIN = timedelta(seconds=60)

_MSG_NOT_CONNECTED = (
    "amoCRM не подключён. Откройте настройки и подключите amoCRM "
    "(код авторизации или долгосрочный токен)."
)
_MSG_REVOKED = (
    "amoCRM больше не принимает сохранённый ключ доступа (его отозвали, он истёк или уже был "
    "использован). Откройте настройки и подключите amoCRM заново."
)
_MSG_LONG_LIVED = (
    "amoCRM отклонил токен доступа. Если вы используете долгосрочный токен, он истёк или был "
    "отозван: создайте новый в настройках интеграции amoCRM и укажите его в программе."
)
_MSG_BAD_CODE = (
    "amoCRM не принял код авторизации. Код действует 20 минут и только один раз: получите "
    "новый код в настройках интеграции и проверьте ID интеграции, секретный ключ и адрес "
    "перенаправления."
)


def jwt_expiry(token: str) -> datetime | None:
    """The `exp` claim of a JWT access token, unverified (we only schedule refreshes with it)."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload.encode("ascii")))
        exp = claims.get("exp") if isinstance(claims, dict) else None
        if isinstance(exp, (int, float)) and not isinstance(exp, bool):
            return datetime.fromtimestamp(exp, UTC)
    except (ValueError, UnicodeError, binascii.Error, OverflowError, OSError):
        return None
    return None


def _unavailable(message: str, **kw: Any) -> AmoUnavailable:
    """AmoUnavailable with `maybe_applied`, like the client's: token requests change no CRM data."""
    err = AmoUnavailable(message, **kw)
    err.maybe_applied = False  # type: ignore[attr-defined]
    return err


def _problem_text(body: Any) -> str:
    """title/detail/hint of an OAuth problem+json body: never the whole body (it may echo secrets)."""
    if not isinstance(body, dict):
        return ""
    parts = [str(body[k]) for k in ("title", "detail", "hint") if isinstance(body.get(k), (str, int))]
    return "; ".join(parts)[:300]


class OAuthClient:
    """Talks to `{base}/oauth2/access_token`. One attempt per call: retrying is the caller's choice,
    because a refresh that reached the server may already have spent the refresh token."""

    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: str,
        redirect_uri: str,
        *,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = (10.0, 30.0),
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._client_id = client_id
        self._client_secret = client_secret
        self._redirect_uri = redirect_uri
        self._session = session or requests.Session()
        self._timeout = timeout
        self._now = now

    def __repr__(self) -> str:
        return f"OAuthClient(base_url={self.base_url!r}, client_id={self._client_id!r})"

    def exchange_code(self, code: str) -> TokenPair:
        """Trade a 20-minute authorization code for the first token pair."""
        return self._token_request({"grant_type": "authorization_code", "code": code}, refreshing=False)

    def refresh(self, refresh_token: str) -> TokenPair:
        """Trade a refresh token for a new pair. The old refresh token is dead afterwards."""
        return self._token_request({"grant_type": "refresh_token", "refresh_token": refresh_token}, refreshing=True)

    def _token_request(self, grant: dict[str, str], *, refreshing: bool) -> TokenPair:
        body = {
            "client_id": self._client_id,
            "client_secret": self._client_secret,
            "redirect_uri": self._redirect_uri,
            **grant,
        }
        what = "обновить доступ к amoCRM" if refreshing else "подключить amoCRM"
        try:
            resp = self._session.post(
                f"{self.base_url}/oauth2/access_token",
                json=body,
                headers={"Accept": "application/json"},
                timeout=self._timeout,
                verify=True,
                allow_redirects=False,
            )
        except requests.exceptions.SSLError as exc:
            raise _unavailable(
                f"Не удалось {what}: сертификат сервера amoCRM не прошёл проверку. "
                "Проверьте адрес аккаунта и настройки сети.",
                detail=type(exc).__name__,
            ) from None
        except requests.exceptions.RequestException as exc:
            raise _unavailable(
                f"Не удалось {what}: нет связи с amoCRM. Проверьте интернет; программа повторит попытку.",
                detail=f"oauth2/access_token: {type(exc).__name__}",
            ) from None

        try:
            payload: Any = resp.json()
        except (ValueError, RecursionError):
            payload = None
        status = resp.status_code
        problem = _problem_text(payload)
        detail = f"oauth2/access_token HTTP {status}" + (f": {problem}" if problem else "")

        if 200 <= status < 300:
            return self._pair_from(payload, detail)
        if status == 429:
            raise AmoRateLimited(
                f"amoCRM просит подождать перед тем, как {what}. Программа повторит попытку позже.",
                status=status,
                detail=detail,
            )
        if status == 403 and payload is None:
            raise AmoBlocked(
                "amoCRM заблокировал доступ по API за слишком частые запросы. Подождите и "
                "обратитесь в поддержку amoCRM, если блокировка не снимается.",
                status=status,
                detail=detail,
            )
        if status >= 500:
            raise _unavailable(
                f"Не удалось {what}: amoCRM временно не отвечает. Программа повторит попытку.",
                status=status,
                detail=detail,
            )
        if refreshing and status in (400, 401, 403):
            # A rejected refresh token (revoked, expired, already used) or rejected credentials:
            # either way only reconnecting helps, and retrying could never succeed.
            raise AmoTokenRevoked(_MSG_REVOKED, status=status, detail=detail)
        if status in (400, 401, 403):
            raise AmoAuthError(_MSG_BAD_CODE, status=status, detail=detail)
        raise AmoError(f"Не удалось {what}: неожиданный ответ amoCRM (HTTP {status}).", status=status, detail=detail)

    def _pair_from(self, payload: Any, detail: str) -> TokenPair:
        if not isinstance(payload, dict) or not isinstance(payload.get("access_token"), str) or not payload["access_token"]:
            raise AmoError(
                "amoCRM вернул непонятный ответ при выдаче токена. Попробуйте подключить amoCRM заново.",
                detail=detail + " (no access_token)",
            )
        access = payload["access_token"]
        refresh = payload.get("refresh_token")
        if not isinstance(refresh, str) or not refresh:
            refresh = None
        expires_at: datetime | None = None
        expires_in = payload.get("expires_in")
        if isinstance(expires_in, (int, float)) and not isinstance(expires_in, bool) and expires_in > 0:
            expires_at = self._now() + timedelta(seconds=float(expires_in))
        else:
            expires_at = jwt_expiry(access)
        return TokenPair(access_token=access, refresh_token=refresh, expires_at=expires_at)


def _store_says_revoked(store: TokenStore, refresh_token: str) -> bool:
    check = getattr(store, "is_revoked", None)
    return bool(check and check(refresh_token))


class TokenManager:
    """Single source of the current access token; refreshes single-flight and persists the rotated pair BEFORE it is used.

    Thread-safe. `refresh_lock` is an optional factory of a cross-process lock (an OS file
    lock, say) taken around every refresh, so two processes sharing one store never spend
    the same refresh token twice. Inside the locks the pair is always re-read from the store:
    another thread or process may have rotated it while we waited.
    """

    def __init__(
        self,
        store: TokenStore,
        oauth: OAuthClient | None,
        *,
        now: Callable[[], datetime] = utc_now,
        refresh_lock: Callable[[], contextlib.AbstractContextManager[Any]] | None = None,
    ) -> None:
        self._store = store
        self._oauth = oauth
        self._now = now
        self._refresh_lock = refresh_lock or contextlib.nullcontext
        self._lock = threading.Lock()
        self._pair: TokenPair | None = None  # last pair seen in / written to the store
        self._unsaved: TokenPair | None = None  # rotated pair whose save failed: retried first
        self._dead_refresh: str | None = None  # refresh token amoCRM already rejected

    def __repr__(self) -> str:
        return f"TokenManager(store={type(self._store).__name__}, oauth={self._oauth!r})"

    def access_token(self) -> str:
        """The token to send now; refreshes first when it expires within 60 s and a refresh is possible."""
        pair = self._pair
        if pair is None or self._unsaved is not None:
            with self._lock:
                pair = self._load()
        if not self._should_refresh(pair):
            return pair.access_token
        with self._lock, self._refresh_lock():
            pair = self._load()
            if not self._should_refresh(pair):
                return pair.access_token
            try:
                return self._refresh(pair).access_token
            except AmoUnavailable:
                # The network failed but the current token is still valid for a moment: use it,
                # the next call tries the refresh again.
                if pair.expires_at is not None and self._now() < pair.expires_at:
                    log.warning("amoCRM token refresh failed (network); using the current token until it expires")
                    return pair.access_token
                raise

    def after_unauthorized(self, rejected_access_token: str) -> str:
        """A fresh token after amoCRM answered 401 to `rejected_access_token`, or an auth error.

        Never loops: a refresh that amoCRM rejects raises AmoTokenRevoked, and the client
        treats a 401 on the replay as final.
        """
        with self._lock, self._refresh_lock():
            pair = self._load()
            if pair.access_token != rejected_access_token:
                return pair.access_token  # someone else already rotated it
            if not pair.refresh_token or self._oauth is None:
                raise AmoAuthError(_MSG_LONG_LIVED, status=401, detail="401 and no refresh token")
            return self._refresh(pair).access_token

    # --- internals (call with self._lock held) ------------------------------------------------

    def _should_refresh(self, pair: TokenPair) -> bool:
        return bool(pair.refresh_token) and self._oauth is not None and pair.expires_soon(self._now(), REFRESH_MARGIN)

    def _load(self) -> TokenPair:
        if self._unsaved is not None:
            # Retry the save of a pair we could not persist: the store still holds a spent refresh token.
            self._store.save(self._unsaved)
            self._unsaved = None
        pair = self._store.load()
        if pair is None or not pair.access_token:
            self._pair = None
            raise AmoAuthError(_MSG_NOT_CONNECTED, detail="no token pair in the store")
        self._pair = pair
        return pair

    def _refresh(self, pair: TokenPair) -> TokenPair:
        assert self._oauth is not None and pair.refresh_token
        if pair.refresh_token == self._dead_refresh or _store_says_revoked(self._store, pair.refresh_token):
            # known dead (here or in another process, e.g. yesterday's cron run): never resend it
            raise AmoTokenRevoked(_MSG_REVOKED, status=401, detail="refresh token already rejected")
        try:
            new = self._oauth.refresh(pair.refresh_token)
        except AmoTokenRevoked:
            current = self._store.load()
            if current is not None and current.access_token and current.refresh_token != pair.refresh_token:
                # another process or machine sharing the store rotated the pair first: take theirs
                log.warning("amoCRM refused a refresh token another process had just used; using the new pair")
                self._pair = current
                return current
            self._dead_refresh = pair.refresh_token
            mark = getattr(self._store, "mark_revoked", None)
            if mark is not None:
                mark(pair.refresh_token)
            raise
        if new.refresh_token is None:
            # amoCRM always rotates; keep the old one rather than forget it if a reply omits it.
            new = TokenPair(new.access_token, pair.refresh_token, new.expires_at)
        try:
            self._store.save(new)
        except Exception:
            # The old refresh token is spent: keep the new pair in memory and save it on the next call.
            self._unsaved = new
            self._pair = new
            log.error("amoCRM token pair rotated but could not be saved; will retry saving")
            raise
        self._pair = new
        log.info("amoCRM token pair refreshed and saved")
        return new
