"""What the Kaspi emulator's route modules share: the order book, the renderer, the clock,
the quirks switched on, and the base URL links are built from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.sandbox.http import Request
from app.sandbox.kaspi.book import OrderBook
from app.sandbox.kaspi.render import Renderer


@dataclass
class KaspiSite:
    book: OrderBook
    render: Renderer
    clock: Callable[[], float]
    base_path: str = "/shop/api/v2"
    public_url: str | None = None
    #: the leak quirk: page 0 of a window also returns up to this many orders from just before $ge
    leak_before_ge: int = 0

    def base(self, request: Request) -> str:
        """The URL prefix of links in answers (the public URL when behind a proxy)."""
        if self.public_url:
            return self.public_url
        host = request.header("host") or "127.0.0.1"
        return f"http://{host}{self.base_path}"
