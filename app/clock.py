"""The one clock: every timestamp the app makes is UTC and comes from `utc_now`.

Objects that need the time take a `now: Callable[[], datetime]` defaulting to this, so tests
can pass a fake clock; nothing else calls `datetime.now` directly.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

#: Kazakhstan's one time zone since 2024-03-01 (kaspi.md §1): the times owners read in deal texts,
#: alerts, the window and the status page. Everything stored or sent stays UTC.
KZ_TIME = timezone(timedelta(hours=5), "UTC+5")


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


def kz_clock(moment: datetime) -> str:
    """`14:30 07.12` in Kazakhstan time, as Kaspi's cabinet shows it (deal notes and tasks)."""
    return moment.astimezone(KZ_TIME).strftime("%H:%M %d.%m")


def kz_stamp(moment: datetime) -> str:
    """`07.12 14:30` in Kazakhstan time: lists sorted by day (alerts, the window, the status page)."""
    return moment.astimezone(KZ_TIME).strftime("%d.%m %H:%M")
