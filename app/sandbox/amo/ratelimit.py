"""amoCRM's request limit: 7 requests/second per integration, a 429 (JSON with
`retry_after`, or nginx's HTML page) above it, and — after enough violations — a 403 HTML
block on every request until support lifts it (shared/api/amocrm.md §2, §14)."""

from __future__ import annotations

from collections import deque

from app.sandbox.amo import core
from app.sandbox.http import Response, html_response

NGINX_403 = (
    "<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n"
    "<center><h1>403 Forbidden</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)
NGINX_429 = (
    "<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n"
    "<center><h1>429 Too Many Requests</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)


def forbidden() -> Response:
    return html_response(403, NGINX_403)


class RateLimiter:
    """Sliding one-second windows of admitted requests, per integration. Not thread-safe:
    the emulator calls it under its lock."""

    def __init__(self, rps_limit: float | None, block_after: int | None, html_429: bool, retry_after: int) -> None:
        self.rps_limit = rps_limit
        self.block_after = block_after
        self.html_429 = html_429
        self.retry_after = retry_after
        self.blocked = False
        self._violations = 0
        self._windows: dict[str, deque[float]] = {}

    def admit(self, key: str, now: float) -> Response | None:
        """None when the request may pass; else the 429 it gets (the 8th in a window)."""
        if self.rps_limit is None:
            return None
        window = self._windows.setdefault(key, deque())
        while window and window[0] <= now - 1.0 + 1e-6:
            window.popleft()
        if len(window) + 1 > self.rps_limit:
            self._violations += 1
            if self.block_after is not None and self._violations >= self.block_after:
                self.blocked = True
            return self.too_many()
        window.append(now)
        return None

    def too_many(self) -> Response:
        if self.html_429:
            return html_response(429, NGINX_429)
        return core.problem(429, "You have sent too many requests in a given amount of time. Please try again later.",
                       title="Too Many Requests", retry_after=self.retry_after)

    def unblock(self) -> None:
        """Lift the 403 block (what amoCRM support does on request) and forget past 429s."""
        self.blocked = False
        self._violations = 0
        self._windows.clear()
