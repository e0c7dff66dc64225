"""Client-side throttle for amoCRM.

amoCRM allows about 7 requests per second per integration and answers excess with 429, then
blocks the whole account's API (403 HTML) when excess repeats. So we never rely on the
server's 429: every request start passes through one `RateLimiter` shared by all threads.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

WINDOW_MARGIN = 0.05


class RateLimiter:
    """At most `rps` request starts in any sliding 1.0 s window, shared by every thread of the process.

    A sliding log (not a token bucket) because amoCRM counts requests per second and a bucket
    with burst capacity can put more than `rps` starts into one window at its edges.
    For `rps` below 1 the window widens so that one start happens per `1 / rps` seconds.
    """

    def __init__(
        self,
        rps: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not rps > 0 or math.isinf(rps):
            raise ValueError(f"rps must be a positive finite number, got {rps!r}")
        self.rps = float(rps)
        if rps >= 1:
            self._capacity = math.floor(rps)
            # a little wider than amoCRM's second: requests travel with jitter, and a start
            # exactly 1.000 s after another can arrive inside the server's window
            self._window = 1.0 + WINDOW_MARGIN
        else:
            self._capacity = 1
            self._window = 1.0 / rps
        self._clock = clock
        self._sleep = sleep
        self._starts: deque[float] = deque()
        # Held while waiting, so waiting threads queue up in order instead of racing for a slot.
        self._lock = threading.Lock()

    def acquire(self) -> None:
        """Block until one more request may start now, and record that start."""
        with self._lock:
            while True:
                now = self._clock()
                horizon = now - self._window
                while self._starts and self._starts[0] <= horizon:
                    self._starts.popleft()
                if len(self._starts) < self._capacity:
                    self._starts.append(now)
                    return
                wait = self._starts[0] - horizon
                self._sleep(max(wait, 1e-6))
