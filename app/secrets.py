"""Secrets in the OS keyring, with an owner-only file where no keyring works.

Why not one JSON blob: Windows Credential Manager caps a secret at 2560 bytes and
amoCRM JWTs are long, so every secret is its own entry and long values are sharded.
Why a file fallback: headless servers and containers have no keyring; the file is
0600 in the data dir and the user is warned once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import tempfile
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext, suppress
from datetime import datetime
from pathlib import Path
from typing import Protocol

from app.amo.oauth import jwt_expiry
from app.amo.tokens import TokenPair
from app.filelock import file_lock

log = logging.getLogger(__name__)

SERVICE = "kaspi-amo-sync"
_SHARD_SIZE = 1000
_SHARD_MARK = "__shards__:"


class SecretBackend(Protocol):
    name: str

    def get(self, key: str) -> str | None: ...

    def set(self, key: str, value: str) -> None: ...

    def delete(self, key: str) -> None: ...


class KeyringBackend:
    """The OS keyring through the `keyring` package (Keychain, Credential Manager, Secret Service)."""

    def __init__(self, service: str = SERVICE) -> None:
        import keyring

        self._keyring = keyring.get_keyring()
        self._service = service
        self.name = f"keyring:{type(self._keyring).__module__}.{type(self._keyring).__name__}"

    def get(self, key: str) -> str | None:
        return self._keyring.get_password(self._service, key)

    def set(self, key: str, value: str) -> None:
        self._keyring.set_password(self._service, key, value)

    def delete(self, key: str) -> None:
        # PasswordDeleteError for a missing key; third-party backends raise their own types
        with suppress(Exception):
            self._keyring.delete_password(self._service, key)


class FileBackend:
    """A JSON file readable only by its owner (0600), written atomically.

    Several processes (the tray app and a cron poll) may write it at once: every
    read-modify-write holds an OS file lock, and each write goes to its own temp file
    before an atomic rename, so nobody ever reads a half-written or missing file.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = f"file:{path}"
        self._lock = threading.Lock()
        self._lock_path = path.with_name(path.name + ".lock")

    def _read(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            log.warning("secrets file unreadable, starting empty", extra={"path": str(self.path)})
            return {}
        return data if isinstance(data, dict) else {}

    def _write(self, data: dict[str, str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=self.path.name + ".", suffix=".tmp", dir=self.path.parent)
        try:
            os.chmod(tmp, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with suppress(OSError):
                os.unlink(tmp)
            raise

    def _update(self, change: Callable[[dict[str, str]], bool]) -> None:
        with self._lock, file_lock(self._lock_path):
            data = self._read()
            if change(data):
                self._write(data)

    def get(self, key: str) -> str | None:
        with self._lock:
            return self._read().get(key)

    def set(self, key: str, value: str) -> None:
        def put(data: dict[str, str]) -> bool:
            data[key] = value
            return True

        self._update(put)

    def delete(self, key: str) -> None:
        self._update(lambda data: data.pop(key, None) is not None)


def keyring_usable() -> bool:
    """True when a real OS keyring answers a write/read/delete round trip."""
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring) or "fail" in type(backend).__module__ or "null" in type(backend).__module__:
            return False
        probe = "__probe__"
        backend.set_password(SERVICE, probe, "ok")
        ok = backend.get_password(SERVICE, probe) == "ok"
        backend.delete_password(SERVICE, probe)
        return ok
    except Exception:  # noqa: BLE001 - whatever the probe hits, this keyring is not usable
        return False


class SecretStore:
    """Named secrets over one backend; long values are split into shards."""

    def __init__(self, backend: SecretBackend) -> None:
        self.backend = backend

    @property
    def backend_name(self) -> str:
        return self.backend.name

    def get(self, key: str) -> str | None:
        value = self.backend.get(key)
        if value is None or not value.startswith(_SHARD_MARK):
            return value
        count = int(value[len(_SHARD_MARK) :])
        parts = [self.backend.get(f"{key}#{i}") for i in range(count)]
        if any(part is None for part in parts):
            return None
        return "".join(parts)  # type: ignore[arg-type]

    def set(self, key: str, value: str) -> None:
        """Overwrite in place (never delete first: a reader in between would find no secret)."""
        old = self.backend.get(key)
        old_shards = int(old[len(_SHARD_MARK) :]) if old and old.startswith(_SHARD_MARK) else 0
        if len(value) <= _SHARD_SIZE:
            self.backend.set(key, value)
            shards = 0
        else:
            parts = [value[i : i + _SHARD_SIZE] for i in range(0, len(value), _SHARD_SIZE)]
            for i, part in enumerate(parts):
                self.backend.set(f"{key}#{i}", part)
            self.backend.set(key, f"{_SHARD_MARK}{len(parts)}")
            shards = len(parts)
        for i in range(shards, old_shards):
            self.backend.delete(f"{key}#{i}")

    def delete(self, key: str) -> None:
        value = self.backend.get(key)
        if value and value.startswith(_SHARD_MARK):
            for i in range(int(value[len(_SHARD_MARK) :])):
                self.backend.delete(f"{key}#{i}")
        self.backend.delete(key)


def open_secret_store(fallback_file: Path, *, mode: str | None = None) -> tuple[SecretStore, str | None]:
    """The keyring when it works, else the owner-only file. Returns (store, warning or None).

    `mode` ("keyring" or "file", from KASPI_AMO_SECRETS) forces a backend.
    """
    mode = (mode or "").strip().lower()
    if mode == "file":
        return SecretStore(FileBackend(fallback_file)), None
    if mode == "keyring" or keyring_usable():
        return SecretStore(KeyringBackend()), None
    warning = (
        "Системное хранилище паролей недоступно: токены сохранены в файле "
        f"{fallback_file}, доступном только владельцу."
    )
    return SecretStore(FileBackend(fallback_file)), warning


STORE_KEY = "store_key"


def store_key(secrets: SecretStore | None, *, shared: bytes | None = None) -> bytes:
    """The secret that keys what the store keeps about buyers (the phone cache), never kept in
    the store, so a copy of the store alone lets nobody test phone numbers against it. The one
    place this key is decided:

    * with KASPI_AMO_STORE_KEY (`shared`: the key every machine on one PostgreSQL store is given)
      it is derived from that key, so the machines share the cache;
    * else generated once and kept with the other secrets (two processes generating it at once
      keep the last one written: their cache rows then miss, which costs an amoCRM search,
      never a duplicate);
    * without a secret store (tests, in-memory tokens), one for this process only.
    """
    if shared:
        return hmac.new(shared, b"kaspi-amo-sync phone cache", hashlib.sha256).digest()
    if secrets is None:
        return bytes.fromhex(_random_hex(32))
    value = secrets.get(STORE_KEY)
    if not value:
        value = _random_hex(32)
        secrets.set(STORE_KEY, value)
    return bytes.fromhex(value)


def _random_hex(size: int) -> str:
    import secrets as random_source

    return random_source.token_hex(size)


def fingerprint(*values: str | None) -> str:
    """A one-way tag of a token seed: lets us tell a new seed from a stale one without storing it twice."""
    digest = hashlib.sha256("\x00".join(v or "" for v in values).encode("utf-8")).hexdigest()
    return digest[:32]


class AmoTokenStore:
    """The amoCRM token pair in the secret store (a TokenStore).

    Environment tokens only *seed* it: once amoCRM rotates the pair, the persisted pair
    wins over the same stale seed; a different seed (the admin pasted new tokens) wins
    over the persisted pair.
    """

    ACCESS, REFRESH, EXPIRES, SEED = "amo_access_token", "amo_refresh_token", "amo_expires_at", "amo_seed"
    REVOKED = "amo_revoked"  # fingerprint of a refresh token amoCRM rejected

    def __init__(
        self,
        secrets: SecretStore,
        *,
        seed_access: str | None = None,
        seed_refresh: str | None = None,
        seed_lock: Callable[[], AbstractContextManager[object]] | None = None,
    ) -> None:
        self._secrets = secrets
        self._lock = threading.Lock()
        if seed_access or seed_refresh:
            with (seed_lock or nullcontext)():  # two processes starting at once seed once
                self._apply_seed(seed_access, seed_refresh)

    def _apply_seed(self, access: str | None, refresh: str | None) -> None:
        tag = fingerprint(access, refresh)
        if self._secrets.get(self.SEED) == tag and self._secrets.get(self.ACCESS):
            return  # the persisted pair descends from this very seed: keep the rotated one
        self.save(TokenPair(access or "", refresh, jwt_expiry(access) if access else None))
        self._secrets.set(self.SEED, tag)

    def load(self) -> TokenPair | None:
        with self._lock:
            access = self._secrets.get(self.ACCESS)
            if not access and not self._secrets.get(self.REFRESH):
                return None
            expires = self._secrets.get(self.EXPIRES)
            return TokenPair(
                access or "",
                self._secrets.get(self.REFRESH),
                datetime.fromisoformat(expires) if expires else None,
            )

    def save(self, pair: TokenPair) -> None:
        with self._lock:
            self._secrets.set(self.ACCESS, pair.access_token)
            if pair.refresh_token:
                self._secrets.set(self.REFRESH, pair.refresh_token)
            else:
                self._secrets.delete(self.REFRESH)
            if pair.expires_at:
                self._secrets.set(self.EXPIRES, pair.expires_at.isoformat())
            else:
                self._secrets.delete(self.EXPIRES)

    def mark_revoked(self, refresh_token: str) -> None:
        self._secrets.set(self.REVOKED, fingerprint(refresh_token))

    def is_revoked(self, refresh_token: str) -> bool:
        return self._secrets.get(self.REVOKED) == fingerprint(refresh_token)

    def clear(self) -> None:
        with self._lock:
            for key in (self.ACCESS, self.REFRESH, self.EXPIRES, self.SEED, self.REVOKED):
                self._secrets.delete(key)

