"""Is amoCRM still letting us in? The truth about the connection, kept in the store's meta.

A poll with no new order makes no amoCRM request, so revoked access (the owner switched the
integration off, a long-lived token expired, the account went unpaid) would stay invisible
until the next order fails. Every cycle that talks to amoCRM leaves its verdict here; when
amoCRM has not answered for `IDLE_CHECK_EVERY`, the poll asks `GET /api/v4/account` (cheap,
read-only: shared/api/amocrm.md §8) so the tray, the window and the wizard show the truth.
Cost: at most 48 requests a day on a shop with no orders, none while orders flow, one per
poll (each minute) while access is refused (docs/performance.md).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from app.errors import AmoAuthError, AmoBlocked, AmoPaymentRequired, AmoUnavailable, SyncError
from app.store.base import Store

META_AMO_HEALTH = "amo_health"
IDLE_CHECK_EVERY = timedelta(minutes=30)

OK = "ok"
REFUSED = "refused"  # 401 a refresh did not cure: reconnect amoCRM
UNPAID = "unpaid"  # 402
BLOCKED = "blocked"  # 403 HTML: too many requests
UNREACHABLE = "unreachable"  # network, timeouts, 5xx
STATES = (OK, REFUSED, UNPAID, BLOCKED, UNREACHABLE)


@dataclass(frozen=True)
class AmoHealth:
    """The last thing amoCRM told us, and when it last answered normally."""

    state: str
    at: datetime  # when this state was learnt
    account: str  # the amoCRM base URL it is about (another account's verdict does not count)
    answered_at: datetime | None = None  # the last normal answer
    message: str | None = None  # the engine's explanation when not OK (Russian, as errors.py)
    account_name: str | None = None  # from GET /api/v4/account, for the wizard's summary

    @property
    def ok(self) -> bool:
        return self.state == OK

    @property
    def refused(self) -> bool:
        """Access is denied until the owner acts (reconnect, pay): not a passing hiccup."""
        return self.state in (REFUSED, UNPAID)

    def to_json(self) -> str:
        data: dict[str, Any] = asdict(self)
        for key in ("at", "answered_at"):
            data[key] = data[key].isoformat() if data[key] is not None else None
        return json.dumps(data, ensure_ascii=False)


def _when(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def read_health(store: Store) -> AmoHealth | None:
    """The recorded verdict; None when there is none yet or it cannot be read."""
    raw = store.get_meta(META_AMO_HEALTH)
    if not raw:
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    at = _when(data.get("at")) if isinstance(data, dict) else None
    if at is None or data.get("state") not in STATES:
        return None
    return AmoHealth(
        state=str(data["state"]),
        at=at,
        account=str(data.get("account") or ""),
        answered_at=_when(data.get("answered_at")),
        message=data.get("message") if isinstance(data.get("message"), str) else None,
        account_name=data.get("account_name") if isinstance(data.get("account_name"), str) else None,
    )


def record_health(store: Store, health: AmoHealth) -> None:
    store.set_meta(META_AMO_HEALTH, health.to_json())


def remember_account_name(store: Store, account: str, name: str, now: datetime) -> None:
    """The wizard connected `account` and learnt its name: keep it with the verdict (the
    summary shows it on reopen; the idle check learns it too, but only after 30 quiet minutes)."""
    health = read_health(store)
    if health is not None and health.account == account:
        record_health(store, replace(health, account_name=name))
    else:
        record_health(store, AmoHealth(state=OK, at=now, account=account, account_name=name))


def state_of(error: BaseException | None) -> str | None:
    """What an error says about the connection; None when it says nothing about amoCRM."""
    if isinstance(error, AmoAuthError):  # AmoTokenRevoked included
        return REFUSED
    if isinstance(error, AmoPaymentRequired):
        return UNPAID
    if isinstance(error, AmoBlocked):
        return BLOCKED
    if isinstance(error, AmoUnavailable):
        return UNREACHABLE
    return None


def verdict(
    previous: AmoHealth | None,
    *,
    error: BaseException | None,
    amo_requests: int,
    now: datetime,
    account: str,
    account_name: str | None = None,
) -> AmoHealth | None:
    """The health after a cycle: its amoCRM error, or OK when it talked to amoCRM without
    one; None when the cycle says nothing new (no amoCRM request, a Kaspi error)."""
    if previous is not None and previous.account != account:
        previous = None  # another account's verdict
    state = state_of(error)
    if state is not None:
        message = error.message if isinstance(error, SyncError) else str(error)
        base = previous or AmoHealth(state=state, at=now, account=account)
        return replace(base, state=state, at=now, message=message)
    if amo_requests <= 0:
        return None
    name = account_name or (previous.account_name if previous is not None else None)
    return AmoHealth(state=OK, at=now, account=account, answered_at=now, account_name=name)


def idle_check_due(health: AmoHealth | None, now: datetime, *, account: str,
                   every: timedelta = IDLE_CHECK_EVERY) -> bool:
    """Ask amoCRM now? When it has never answered for this account, when the last verdict
    is a failure (so recovery shows within a poll), or when it last answered `every` ago."""
    if health is None or health.account != account or not health.ok or health.answered_at is None:
        return True
    return now - health.answered_at >= every
