"""This computer's clock against Kaspi's and amoCRM's: the Date header of their answers.

Why: every poll reads the orders created in a window ending at *our* "now". With the wall clock
30 days off, that window held no order, so each poll reported success with 0 orders and no alert
ever fired. Every HTTP answer carries the server's time (RFC 9110 §6.6.1, 1-second resolution);
comparing it with ours at receipt tells a wrong clock from a quiet shop.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

from app.errors import ClockSkewError

log = logging.getLogger(__name__)

#: Beyond this the cycle fails: orders would reach amoCRM this much late (clock behind) or the
#: poll window would run ahead of Kaspi (clock ahead), and deadline alerts would be as far off.
#: Computers that never synchronise their clock drift by seconds to a few minutes.
MAX_SKEW = timedelta(minutes=15)
#: Beyond this a warning goes to the log (once per process), the sync goes on.
WARN_SKEW = timedelta(minutes=2)


def _duration(delta: timedelta) -> str:
    seconds = round(abs(delta).total_seconds() / 60) * 60  # the Date header counts whole seconds
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes = rest // 60
    parts = [f"{days} дн." if days else "", f"{hours} ч" if hours else "", f"{minutes} мин" if minutes else ""]
    return " ".join(p for p in parts if p) or "меньше минуты"


class ServerClock:
    """The skew of our clock against the last server answer that carried a usable Date header.

    Thread-safe; the clients call `observe` for every answer, the engine calls `check` before
    it writes anything.
    """

    def __init__(self, now: Callable[[], datetime], *, max_skew: timedelta = MAX_SKEW) -> None:
        self._now = now
        self._max_skew = max_skew
        self._lock = threading.Lock()
        self._warned = False
        self.skew: timedelta | None = None  # our clock minus the server's; positive: ours is ahead
        self.server_time: datetime | None = None
        self.source: str | None = None

    def observe(self, date_header: str | None, source: str) -> None:
        """Record the skew an answer from `source` ("Kaspi", "amoCRM") shows; junk is ignored."""
        if not date_header:
            return
        try:
            server = parsedate_to_datetime(date_header)
        except (TypeError, ValueError, IndexError, OverflowError):
            return
        if server.tzinfo is None:
            return  # "-0000" or an obsolete form without a zone: unusable
        local = self._now()
        with self._lock:
            self.skew, self.server_time, self.source = local - server, server, source

    def check(self) -> None:
        """Raise ClockSkewError when our clock is more than MAX_SKEW off the last server seen."""
        with self._lock:
            skew, server, source = self.skew, self.server_time, self.source
        if skew is None or server is None:
            return
        if abs(skew) <= WARN_SKEW:
            return
        direction = "спешат" if skew > timedelta(0) else "отстают"
        if abs(skew) <= self._max_skew:
            if not self._warned:
                self._warned = True
                log.warning("computer clock is off", extra={"skew_seconds": round(skew.total_seconds()), "source": source})
            return
        raise ClockSkewError(
            f"Часы этого компьютера {direction} на {_duration(skew)}: по часам {source} сейчас "
            f"{server:%Y-%m-%d %H:%M} UTC, а на компьютере {server + skew:%Y-%m-%d %H:%M} UTC. С неверными часами "
            "программа искала бы заказы не за те дни, поэтому синхронизация остановлена, заказы ждут. Включите "
            "автоматическую установку времени (Windows: Параметры → Время и язык → Синхронизировать; Linux: "
            "timedatectl set-ntp true) — следующий опрос пройдёт сам.",
            detail=f"skew {skew.total_seconds():.0f} s against {source} Date {server.isoformat()}",
        )
