"""HEALTHCHECK_PING_URL: tell an outside monitor (healthchecks.io and its clones) after each cycle.

The healthchecks.io convention: a GET to the check's URL signals success, the same URL
+ `/fail` signals failure; a monitor that hears nothing for its period alerts by itself,
which catches what no alert from inside can (the machine is off, cron stopped). Pings are
sent with a short timeout and one retry, as its "reliability tips" advise, and a ping that
fails is logged and forgotten: it never fails, delays for long or stops a sync.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import requests

from app import APP_NAME, __version__
from app.sync.events import CycleReport

log = logging.getLogger(__name__)

PING_TIMEOUT = (3.05, 5.0)  # connect, read: seconds
PING_ATTEMPTS = 2
RETRY_PAUSE = 1.0


class HealthcheckPinger:
    """An engine `after_cycle` hook. The URL is a capability (anyone holding it can ping),
    so only its host ever reaches the log."""

    def __init__(
        self,
        url: str,
        *,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = PING_TIMEOUT,
        attempts: int = PING_ATTEMPTS,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.url = url.rstrip("/")
        self.session = session or requests.Session()
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.sleep = sleep
        self.host = urlsplit(self.url).hostname or "?"

    def __call__(self, report: CycleReport) -> bool:
        """Ping for a finished cycle; True when the monitor took it. A cycle skipped because
        another run held the store's lock sends nothing: that run pings for itself."""
        if report.skipped_lock:
            return False
        return self.ping(ok=report.ok)

    def ping(self, *, ok: bool) -> bool:
        target = self.url if ok else self.url + "/fail"
        problem = ""
        for attempt in range(self.attempts):
            if attempt:
                self.sleep(RETRY_PAUSE)
            try:
                response = self.session.get(
                    target, timeout=self.timeout, headers={"User-Agent": f"{APP_NAME}/{__version__}"}
                )
            except requests.RequestException as exc:
                problem = type(exc).__name__
                continue
            if response.status_code < 400:
                return True
            problem = f"HTTP {response.status_code}"
            if response.status_code < 500:
                break  # a wrong URL stays wrong: no retry
        log.warning("healthcheck ping failed", extra={"host": self.host, "signal": "success" if ok else "fail",
                                                      "problem": problem})
        return False
