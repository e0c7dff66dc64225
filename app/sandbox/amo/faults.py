"""Injected faults (errors, dropped connections, late answers, lost answers) and the
request log the tests count on. The emulator consults them under its lock; hooks run
outside it (see `AmoEmulator.on_request`)."""

from __future__ import annotations

import secrets
from collections import deque
from collections.abc import Callable
from http import HTTPStatus

from app.sandbox.amo import core
from app.sandbox.amo.ratelimit import RateLimiter, forbidden
from app.sandbox.http import Response

Hook = Callable[[str, str, bool], None]


def server_error(**extra: str) -> Response:
    """amoCRM's 500: problem+json titled ErrInternalServer with a trace id."""
    return core.problem(500, "Our team are probably already working on this problem.",
                   title="ErrInternalServer", trace_id=secrets.token_hex(8), **extra)


class Faults:
    """Queued faults for the next requests; each is used once."""

    def __init__(self) -> None:
        self.fail: deque[int] = deque()
        self.drop = 0
        self.apply_then_drop = 0
        self.delays: deque[float] = deque()
        self.hooks: list[Hook] = []

    def clear(self) -> None:
        self.fail.clear()
        self.drop = 0
        self.apply_then_drop = 0
        self.delays.clear()

    def take_drop(self) -> bool:
        if self.drop > 0:
            self.drop -= 1
            return True
        return False

    def take_apply_then_drop(self, method: str, status: int) -> bool:
        if self.apply_then_drop > 0 and method in core.WRITE_METHODS and 200 <= status < 300:
            self.apply_then_drop -= 1
            return True
        return False

    def take_delay(self) -> float:
        return self.delays.popleft() if self.delays else 0.0


def injected(status: int, limiter: RateLimiter) -> Response:
    """The answer an injected `status` gets, shaped as amoCRM shapes that status."""
    if status == 403:
        return forbidden()
    if status == 429:
        return limiter.too_many()
    if status == 401:
        return core.problem(401, "Invalid user name or password")
    if status == 500:
        return server_error()
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    return core.problem(status, phrase, title=phrase)


class RequestLog:
    """(method, path, status) of every /api/v4 and /oauth2 request; status 0 = dropped unanswered."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, str, int]] = []

    def add(self, method: str, path: str, status: int) -> None:
        self.entries.append((method, path, status))

    @property
    def api_requests(self) -> int:
        return sum(1 for _, path, _ in self.entries if path.startswith("/api/v4"))

    @property
    def write_requests(self) -> int:
        return sum(1 for method, path, status in self.entries
                   if method in core.WRITE_METHODS and path.startswith("/api/v4") and 200 <= status < 300)

    @property
    def too_many_requests(self) -> int:
        return sum(1 for _, _, status in self.entries if status == 429)
