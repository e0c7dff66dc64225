"""The amoCRM token pair shared by every machine on one store, sealed with a key the store never holds.

Why: amoCRM refresh tokens are single-use. Two machines on one PostgreSQL store, each keeping
the pair in its own keyring, stop each other: the first to refresh spends the token the second
still holds, and the second is told to reconnect amoCRM. With KASPI_AMO_STORE_KEY given to every
machine, the current pair lives in the store's meta table, encrypted and authenticated with
Fernet (AES-128-CBC + HMAC-SHA256, `cryptography`): a dump of the store alone reveals nothing,
and a machine holding another key is refused, not fed garbage. Each machine keeps its latest
copy in its own keyring too.

Which pair wins: the store's, unless this machine's own pair is new to it — one pasted into the
environment or saved by the settings wizard (a reconnect). The store remembers short
fingerprints of every pair it has held, so a machine that was off while the others rotated
the pair recognises its copy as stale instead of publishing a dead token. Refreshes inside
sync cycles are serialised by the store's run lock; a refresh racing outside one (the GUI's
checks) loses at amoCRM and `TokenManager` then takes the winner's pair from here.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import threading
from datetime import datetime
from typing import Any, Protocol

from cryptography.fernet import Fernet, InvalidToken

from app.amo.tokens import TokenPair
from app.errors import ConfigError
from app.secrets import fingerprint

log = logging.getLogger(__name__)

META_KEY = "amo_tokens_sealed"
HISTORY = 200  # fingerprints of pairs the store has held: ~200 days of daily rotations
KEY_NAME = "KASPI_AMO_STORE_KEY"
_MSG_BAD_KEY = (
    f"{KEY_NAME}: ожидается ключ из 32 случайных байт в base64 (44 символа), например из "
    "«openssl rand -base64 32». Один и тот же ключ задаётся на всех машинах с этой базой."
)
_MSG_WRONG_KEY = (
    f"Токены amoCRM в базе зашифрованы другим ключом: {KEY_NAME} на этой машине не совпадает с ключом "
    "машины, которая их сохранила. Задайте на всех машинах один и тот же ключ."
)


class MetaStore(Protocol):
    """The part of `app.store.base.Store` this needs."""

    def get_meta(self, key: str) -> str | None: ...

    def set_meta(self, key: str, value: str | None) -> None: ...


class LocalTokenStore(Protocol):
    """This machine's own copy (`app.secrets.AmoTokenStore`)."""

    def load(self) -> TokenPair | None: ...

    def save(self, pair: TokenPair) -> None: ...

    def mark_revoked(self, refresh_token: str) -> None: ...

    def is_revoked(self, refresh_token: str) -> bool: ...


def key_bytes(raw: str) -> bytes:
    """The 32 bytes of a KASPI_AMO_STORE_KEY (base64 standard or URL-safe); ConfigError naming
    the setting, never echoing the value, otherwise."""
    text = raw.strip()
    try:
        key = base64.b64decode(text.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        raise ConfigError(_MSG_BAD_KEY) from None
    if len(key) != 32:
        raise ConfigError(_MSG_BAD_KEY)
    return key


def sealing_key(raw: str) -> Fernet:
    """The Fernet of a KASPI_AMO_STORE_KEY (see `key_bytes`)."""
    return Fernet(base64.urlsafe_b64encode(key_bytes(raw)))


def pair_fingerprint(pair: TokenPair) -> str:
    """A short one-way tag of a pair: the store can recognise a pair without holding it twice."""
    return fingerprint(pair.access_token, pair.refresh_token)[:16]


class SealedTokenStore:
    """A TokenStore (and RevocationAware) over the store's meta table and this machine's copy."""

    def __init__(self, store: MetaStore, key: Fernet, local: LocalTokenStore) -> None:
        self._store = store
        self._fernet = key
        self._local = local
        self._lock = threading.Lock()
        self._adopt_local()

    # --- TokenStore --------------------------------------------------------------------------

    def load(self) -> TokenPair | None:
        with self._lock:
            sealed = self._read()
            pair = _pair(sealed)
            if pair is None:
                return self._local.load()
            if self._local.load() != pair:
                self._local.save(pair)  # this machine's copy follows, so it never looks new later
            return pair

    def save(self, pair: TokenPair) -> None:
        with self._lock:
            self._write(self._read(), pair)
            self._local.save(pair)

    # --- RevocationAware ---------------------------------------------------------------------

    def mark_revoked(self, refresh_token: str) -> None:
        with self._lock:
            sealed = self._read()
            sealed["revoked"] = fingerprint(refresh_token)
            self._seal(sealed)
        self._local.mark_revoked(refresh_token)

    def is_revoked(self, refresh_token: str) -> bool:
        with self._lock:
            revoked = self._read().get("revoked")
        return revoked == fingerprint(refresh_token) or self._local.is_revoked(refresh_token)

    # --- internals ---------------------------------------------------------------------------

    def _adopt_local(self) -> None:
        """Publish this machine's pair when the store has none, or when the pair is new to the
        store (pasted into the environment, saved by the wizard); a copy the store has held
        before is stale and is left alone."""
        with self._lock:
            sealed = self._read()
            local = self._local.load()
            if local is None or not local.access_token:
                return
            known = set(sealed.get("history") or [])
            if _pair(sealed) is None or pair_fingerprint(local) not in known:
                if _pair(sealed) is not None:
                    log.info("a new amoCRM token pair from this machine replaces the shared one")
                self._write(sealed, local)

    def _read(self) -> dict[str, Any]:
        return read_sealed(self._store, self._fernet)

    def _write(self, sealed: dict[str, Any], pair: TokenPair) -> None:
        history = [h for h in (sealed.get("history") or []) if isinstance(h, str)]
        tag = pair_fingerprint(pair)
        if tag not in history:
            history = [*history, tag][-HISTORY:]
        sealed.update(
            access=pair.access_token,
            refresh=pair.refresh_token,
            expires_at=pair.expires_at.isoformat() if pair.expires_at else None,
            history=history,
        )
        self._seal(sealed)

    def _seal(self, sealed: dict[str, Any]) -> None:
        token = self._fernet.encrypt(json.dumps(sealed, separators=(",", ":")).encode("utf-8"))
        self._store.set_meta(META_KEY, token.decode("ascii"))


def read_sealed(store: MetaStore, key: Fernet) -> dict[str, Any]:
    """The shared record as stored (no write): {} when there is none; a wrong key is a ConfigError."""
    text = store.get_meta(META_KEY)
    if not text:
        return {}
    try:
        data = json.loads(key.decrypt(text.encode("ascii")))
    except (InvalidToken, UnicodeError, ValueError):
        raise ConfigError(_MSG_WRONG_KEY, detail="Fernet token did not verify") from None
    return data if isinstance(data, dict) else {}


def shared_pair(store: MetaStore, raw_key: str) -> TokenPair | None:
    """The pair the machines on `store` share, read only (the wizard asks "is amoCRM connected?"
    on a machine that has the key but has not synced yet)."""
    return _pair(read_sealed(store, sealing_key(raw_key)))


def _pair(sealed: dict[str, Any]) -> TokenPair | None:
    access = sealed.get("access")
    if not isinstance(access, str) or not access:
        return None
    refresh = sealed.get("refresh")
    expires = sealed.get("expires_at")
    try:
        expires_at = datetime.fromisoformat(expires) if isinstance(expires, str) else None
    except ValueError:
        expires_at = None
    return TokenPair(access, refresh if isinstance(refresh, str) and refresh else None, expires_at)
