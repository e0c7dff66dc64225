"""What every Kaspi emulator route shares: ids, limits, JSON:API answers and query parsing.

Kaspi's errors are JSON:API `{"errors": [{"status", "title"}]}`; a 400 carries only a
`title` (shared/api/kaspi.md §9), which handlers raise as `BadRequest(title)`.
"""

from __future__ import annotations

import base64
import binascii
from http import HTTPStatus
from typing import Any

from app.sandbox.http import Request, Response, json_response

JSON = dict[str, Any]
JSONAPI = "application/vnd.api+json"
DAY_MS = 86_400_000
MAX_WINDOW_DAYS = 14
MAX_PAGE_SIZE = 100


def b64id(value: str) -> str:
    """Kaspi-style id: base64 of a simple string, without padding."""
    return base64.b64encode(value.encode("utf-8")).decode("ascii").rstrip("=")


def unb64id(value: str) -> str | None:
    """The string behind an id, or None when it is not base64 (e.g. a raw order code)."""
    raw = value.rstrip("=")
    try:
        return base64.b64decode(raw + "=" * (-len(raw) % 4), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


class BadRequest(Exception):
    """A 400 with one JSON:API error title."""

    def __init__(self, title: str) -> None:
        super().__init__(title)
        self.title = title


def errors(status: int, title: str, *, with_status: bool = True) -> Response:
    error: dict[str, str] = {"status": str(status), "title": title} if with_status else {"title": title}
    return json_response(status, {"errors": [error]}, JSONAPI)


def phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def not_found() -> Response:
    return errors(404, "Not Found")


def single(resource: JSON) -> Response:
    return json_response(200, {"data": resource, "included": []}, JSONAPI)


def document(data: Any, included: list[JSON], **extra: Any) -> Response:
    """A 200 JSON:API document: `data`, `included` and any top-level members (e.g. `meta`)."""
    return json_response(200, {"data": data, "included": included, **extra}, JSONAPI)


def int_arg(request: Request, name: str, default: int | None = None) -> int | None:
    """An integer query value; blank counts as missing; anything else non-integer is a 400."""
    raw = request.arg(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw.strip())
    except ValueError:
        raise BadRequest(f"Invalid value [{raw}] for parameter {name}.") from None


def page_size(request: Request, *, default: int | None) -> int:
    """`page[size]`: required for lists (a default for lookups by code); over 100 is clamped to
    100 silently, as the real API does (shared/api/kaspi.md §13)."""
    size = int_arg(request, "page[size]", default=default)
    if size is None:
        raise BadRequest("Required parameter page[size] is empty.")
    if size < 1:
        raise BadRequest(f"Invalid value [{size}] for parameter page[size].")
    return min(size, MAX_PAGE_SIZE)
