"""`KaspiEmulator`: the orders part of the Kaspi Shop API over an in-memory order book.

A request passes the gate (injected faults, the User-Agent block, Accept, base path,
X-Auth-Token), then the router: reads.py serves GETs, writes.py POST /orders. One lock
guards the book; the User-Agent hang waits outside it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from app.sandbox.http import DropConnection, Request, Response, Router, html_response
from app.sandbox.kaspi.book import OrderBook
from app.sandbox.kaspi.jsonapi import BadRequest, errors, not_found, phrase
from app.sandbox.kaspi.reads import OrderReads
from app.sandbox.kaspi.render import Renderer
from app.sandbox.kaspi.site import KaspiSite
from app.sandbox.kaspi.writes import SANDBOX_MERCHANT_ID, KaspiWrite, OrderWrites
from app.sandbox.seed import SandboxOrder, to_ms

# Library default User-Agents (python-requests/…, python-urllib3/…, Python-urllib/…, python-httpx/…):
# real Kaspi drops them like a missing UA.
_LIBRARY_AGENTS = ("python-",)
_ACCEPTABLE = ("application/vnd.api+json", "application/json", "application/*", "*/*")
_NOT_FOUND_HTML = (
    "<!DOCTYPE html><html lang=\"ru\"><head><meta charset=\"utf-8\"><title>Kaspi.kz</title></head>"
    "<body><h1>404</h1><p>Страница не найдена</p></body></html>"
)


class KaspiEmulator:
    """The Kaspi orders API over an in-memory order book. Thread-safe: one lock guards state."""

    def __init__(
        self,
        tokens: Iterable[str] = ("sandbox-kaspi-token",),
        *,
        clock: Callable[[], float] = time.time,
        base_path: str = "/shop/api/v2",
        public_url: str | None = None,
        block_default_user_agent: bool = True,
        hang_seconds: float = 20.0,
        leak_before_ge: int = 0,
        mask_archived_phones: bool = False,
        merchant_uids: Iterable[str] = (SANDBOX_MERCHANT_ID,),
        on_security_code: Callable[[str, str], None] | None = None,
        strict_cancel_reasons: bool = False,
    ) -> None:
        self.tokens = set(tokens)
        self.block_default_user_agent = block_default_user_agent
        self.hang_seconds = hang_seconds
        self.request_log: list[tuple[str, str, dict[str, str]]] = []
        self.book = OrderBook()
        self.site = KaspiSite(
            book=self.book,
            render=Renderer(self.book, mask_archived_phones=mask_archived_phones),
            clock=clock,
            base_path="/" + base_path.strip("/") if base_path.strip("/") else "",
            public_url=public_url.rstrip("/") if public_url else None,
            leak_before_ge=leak_before_ge,
        )
        self._lock = threading.RLock()
        self._fail: list[int] = []
        self._drop = 0
        self._unhang = threading.Event()
        self._router = Router()
        OrderReads(self.site).routes(self._router)
        #: POST /orders (status changes): the §10 state machine, every write kept with its headers.
        self.writes = OrderWrites(self.site, merchant_uids, on_code=on_security_code,
                                  strict_reasons=strict_cancel_reasons)
        self.writes.routes(self._router)

    # --- state ---------------------------------------------------------------------------

    def add_order(self, order: SandboxOrder) -> None:
        """Store an order (replacing one with the same code). The emulator owns it afterwards."""
        with self._lock:
            self.book.add(order)

    def add_orders(self, orders: Iterable[SandboxOrder]) -> None:
        """Store many orders (see add_order)."""
        for order in orders:
            self.add_order(order)

    def set_status(self, code: str, *, state: str, status: str, cancellation_reason: str | None = None) -> None:
        """Move an order as Kaspi would behind the merchant's back (buyer cancels, courier delivers)."""
        with self._lock:
            order = self.book.orders[code]
            order.state = state
            order.status = status
            if cancellation_reason is not None:
                order.cancellation_reason = cancellation_reason

    def set_handover(self, code: str, *, planned: datetime | None = None, handed_over: datetime | None = None) -> None:
        """Kaspi Delivery behind the merchant's back: Kaspi (re)plans the courier's pick-up, or
        the courier took the parcel (`courierTransmissionPlanningDate` / `courierTransmissionDate`)."""
        with self._lock:
            order = self.book.orders[code]
            if planned is not None:
                order.handover_planned_ms = to_ms(planned)
            if handed_over is not None:
                order.handed_over_ms = to_ms(handed_over)

    def assemble_in_cabinet(self, code: str) -> None:
        """The merchant packs a Kaspi Delivery order in the Kaspi cabinet (not through the API):
        the order is assembled and its waybill formed, no write is logged."""
        with self._lock:
            self.book.orders[code].assembled = True

    def order(self, code: str) -> SandboxOrder:
        """A snapshot copy of a stored order (KeyError when unknown)."""
        with self._lock:
            return self.book.snapshot(code)

    def codes(self) -> list[str]:
        """Every stored order code, oldest first."""
        with self._lock:
            return self.book.codes()

    def fail_next(self, count: int, status: int = 500) -> None:
        """The next `count` requests answer `status` with a JSON:API errors body."""
        with self._lock:
            self._fail.extend([status] * count)

    def clear_faults(self) -> None:
        """Forget queued failures and drops: the outage is over."""
        with self._lock:
            self._fail.clear()
            self._drop = 0

    def write_log(self) -> list[KaspiWrite]:
        """A copy of every status change Kaspi received, oldest first."""
        with self._lock:
            return list(self.writes.log)

    def security_code(self, code: str) -> str | None:
        """The code the buyer of order `code` received last (None before X-Send-Code)."""
        with self._lock:
            return self.writes.codes.get(code)

    def drop_next(self, count: int) -> None:
        """The next `count` requests get the socket closed without an answer."""
        with self._lock:
            self._drop += count

    def corrupt_order(self, code: str, patch: Any = None, *, entries: Any = None) -> None:
        """Fault hook: every rendering of order `code` (lists, by id, by code) is mangled so the
        client receives malformed data; the stored order itself is untouched.

        `patch` acts on the order's JSON:API `attributes`, `entries` on each entry's
        `attributes`. A dict is merged in (a value of `REMOVE` deletes the key); a callable
        gets a copy of the attributes (and, for entries, the entry number) and may mutate
        it or return a replacement (anything, even a non-object). `clear_corruption` undoes it.
        """
        with self._lock:
            self.book.corrupt[code] = (patch, entries)

    def clear_corruption(self, code: str | None = None) -> None:
        """Render `code` (or every order, when None) faithfully again."""
        with self._lock:
            if code is None:
                self.book.corrupt.clear()
            else:
                self.book.corrupt.pop(code, None)

    @property
    def request_count(self) -> int:
        with self._lock:
            return len(self.request_log)

    # --- entry point ---------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        """Serve one request: fault injection, anti-bot and header checks, auth, then routes."""
        with self._lock:
            self.request_log.append((request.method, request.path, {k: v[0] for k, v in request.query.items() if v}))
            drop = self._drop > 0
            if drop:
                self._drop -= 1
            fail = self._fail.pop(0) if (not drop and self._fail) else None
        if drop:
            raise DropConnection()
        if fail is not None:
            return errors(fail, phrase(fail))

        user_agent = (request.header("user-agent") or "").strip()
        if self.block_default_user_agent and (not user_agent or user_agent.lower().startswith(_LIBRARY_AGENTS)):
            self._unhang.wait(self.hang_seconds)
            raise DropConnection()

        accept = (request.header("accept") or "").lower()
        if not any(kind in accept for kind in _ACCEPTABLE):
            return html_response(404, _NOT_FOUND_HTML)

        path = request.path
        base_path = self.site.base_path
        if base_path:
            if path != base_path and not path.startswith(base_path + "/"):
                return html_response(404, _NOT_FOUND_HTML)
            path = path[len(base_path):] or "/"

        token = request.header("x-auth-token")
        if not token or token not in self.tokens:
            return errors(401, "Unauthorized")

        routed = Request(request.method, path, request.query, request.headers, request.body)
        try:
            with self._lock:
                response = self._router.dispatch(routed)
        except BadRequest as exc:
            return errors(400, exc.title, with_status=False)
        if response is None:
            return not_found()
        return response

    def close(self) -> None:
        """Release requests currently hanging on the User-Agent block (for quick shutdowns)."""
        self._unhang.set()
