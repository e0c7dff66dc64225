"""amoCRM OAuth token pair and where it is kept.

amoCRM refresh tokens are single-use: the pair a refresh returns must be persisted
before it is used, or the next run spends a dead token and the owner has to reconnect.
`TokenStore` is the seam: the keyring/file implementation lives in `app.secrets`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str | None = None  # None for a long-lived token
    expires_at: datetime | None = None  # aware UTC; None when unknown

    def expires_soon(self, now: datetime, margin: timedelta = timedelta(seconds=60)) -> bool:
        return self.expires_at is not None and now + margin >= self.expires_at


class TokenStore(Protocol):
    def load(self) -> TokenPair | None: ...

    def save(self, pair: TokenPair) -> None: ...


class RevocationAware(Protocol):
    """Optional: a store that remembers a refresh token amoCRM rejected, for every process,
    so no run resends a dead token until the owner reconnects (which saves a new pair)."""

    def mark_revoked(self, refresh_token: str) -> None: ...

    def is_revoked(self, refresh_token: str) -> bool: ...


class MemoryTokenStore:
    """Keeps the pair in memory: tests and one-off checks."""

    def __init__(self, pair: TokenPair | None = None) -> None:
        self.pair = pair
        self.saves = 0
        self.revoked: set[str] = set()

    def mark_revoked(self, refresh_token: str) -> None:
        self.revoked.add(refresh_token)

    def is_revoked(self, refresh_token: str) -> bool:
        return refresh_token in self.revoked

    def load(self) -> TokenPair | None:
        return self.pair

    def save(self, pair: TokenPair) -> None:
        self.pair = pair
        self.saves += 1
