"""The one clock: every timestamp the app makes is UTC and comes from `utc_now`.

Objects that need the time take a `now: Callable[[], datetime]` defaulting to this, so tests
can pass a fake clock; nothing else calls `datetime.now` directly.
"""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)
