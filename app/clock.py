"""The one clock: every timestamp the app makes is UTC and comes from `utc_now`.

Objects that need the time take a `now: Callable[[], datetime]` defaulting to this, so tests
can pass a fake clock; nothing else calls `datetime.now` directly.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def utc_now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def stored_utc(value: Any) -> datetime | None:
    """A time the app wrote (ISO text in the store's meta or settings) as an aware UTC datetime;
    a naive one is UTC (the app writes UTC only); anything that is not such text → None."""
    if not value or not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
