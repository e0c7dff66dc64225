"""Kaspi's `POST /orders` status changes for the emulator: the state machine of kaspi.md §10.

What is documented is reproduced as documented: accept only from APPROVED_BY_BANK; cancel
from APPROVED_BY_BANK or ACCEPTED_BY_MERCHANT with one of the merchant's reasons; ASSEMBLE
only for a Kaspi Delivery order in ACCEPTED_BY_MERCHANT, with `numberOfSpace`; COMPLETED only
from ACCEPTED_BY_MERCHANT in two steps (`X-Send-Code: true` with an empty `X-Security-Code`
sends the buyer a code, then `X-Security-Code: <code>` completes), with Kaspi's own error
titles; `X-Merchant-Uid` on every write (kaspi.md §13). What is not documented is marked
ASSUMPTION below and kept simple.

The code the buyer would receive is logged (and handed to `on_code`, which `kaspi-amo
sandbox` prints), so a demo can be completed by hand. Every write is kept in `log` with its
headers and answer, so tests can assert exactly what reached Kaspi.
"""

from __future__ import annotations

import logging
import threading
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from app.sandbox.http import DropConnection, Request, Response, Router, json_response
from app.sandbox.kaspi.jsonapi import JSONAPI, b64id
from app.sandbox.kaspi.reads import PICKUP_MODES
from app.sandbox.kaspi.site import KaspiSite
from app.sandbox.seed import SandboxOrder

log = logging.getLogger("app.sandbox.kaspi")

#: The sandbox shop's ID in the Kaspi cabinet (its pickup points are named `<merchant id>_PP1`).
SANDBOX_MERCHANT_ID = "30141222"
Params = dict[str, str]
MERCHANT_REASONS = ("BUYER_CANCELLATION_BY_MERCHANT", "BUYER_NOT_REACHABLE", "MERCHANT_OUT_OF_STOCK")

WRONG_CODE = "Security code is not valid. And the order cannot be completed without it"
CANCELLED_NO_COMPLETE = "Order is cancelled, so it can't be completed."
ALREADY_COMPLETED = "Order already has been completed, so it can't be completed again."
NOT_ALLOWED = "Order is not may complete allowed"


@dataclass
class KaspiWrite:
    """One POST /orders as the emulator saw it."""

    order_code: str | None
    status: str | None  # the status asked for
    attributes: dict[str, Any]
    merchant_uid: str | None
    security_code: str | None  # the X-Security-Code header as sent (None: absent)
    send_code: str | None  # the X-Send-Code header as sent
    http_status: int = 0
    answer: str = ""  # the error title, or the status shown
    reply_lost: bool = False
    at: float = field(default_factory=time.time)

    @property
    def ok(self) -> bool:
        return self.http_status == 200


class _Refusal(Exception):
    def __init__(self, status: int, title: str) -> None:
        super().__init__(title)
        self.status = status
        self.title = title


class OrderWrites:
    """Applies status changes to the emulator's orders. The caller holds the emulator's lock."""

    def __init__(
        self,
        site: KaspiSite,
        merchant_uids: Iterable[str] = (SANDBOX_MERCHANT_ID,),
        *,
        on_code: Callable[[str, str], None] | None = None,
        strict_reasons: bool = False,
    ) -> None:
        self.site = site
        self.merchant_uids = set(merchant_uids)
        self.on_code = on_code
        # ASSUMPTION off by default: OFF-EN §2.4.2 says BUYER_NOT_REACHABLE is for PICKUP orders only.
        self.strict_reasons = strict_reasons
        self.log: list[KaspiWrite] = []
        self.codes: dict[str, str] = {}  # order code → the code the buyer received last
        self._sent: dict[str, int] = {}
        self._lose_replies = 0
        self._before: list[Callable[[SandboxOrder], None]] = []
        self._after: list[Callable[[KaspiWrite], None]] = []
        self._guard = threading.Lock()

    # --- fault hooks -----------------------------------------------------------------------

    def lose_next_replies(self, count: int) -> None:
        """The next `count` writes are applied, then the socket closes without an answer."""
        with self._guard:
            self._lose_replies += count

    def before_next_write(self, hook: Callable[[SandboxOrder], None]) -> None:
        """Run `hook` on the order just before the next write is judged (someone acting in the
        cabinet at the same moment, e.g. accepting the order first)."""
        with self._guard:
            self._before.append(hook)

    def after_next_write(self, hook: Callable[[KaspiWrite], None]) -> None:
        """Run `hook` with the next write once it was judged (applied or refused), before the
        answer is sent; raising DropConnection there loses the answer (the change stays)."""
        with self._guard:
            self._after.append(hook)

    def successful(self, code: str, status: str | None = None) -> list[KaspiWrite]:
        return [w for w in self.log if w.order_code == code and w.ok and (status is None or w.status == status)]

    # --- the endpoint ------------------------------------------------------------------------

    def routes(self, router: Router) -> None:
        router.add("POST", "/orders", self._change_status)

    def _find(self, oid: str | None, code: str | None) -> SandboxOrder | None:
        order = self.site.book.by_id(oid) if oid else None
        return order if order is not None else (self.site.book.orders.get(code) if code else None)

    def _change_status(self, request: Request, _params: Params) -> Response:
        return self.handle(request, self._find, self.site.base(request))

    def handle(self, request: Request, find: Callable[[str | None, str | None], SandboxOrder | None], base: str) -> Response:
        """POST /orders: find the order by id (or code), check the shop, apply the change."""
        try:
            body = request.json()
        except ValueError:
            return _error(400, "Request body is not valid JSON.")
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, dict) or data.get("type") != "orders":
            return _error(400, "Request body must be a JSON:API resource of type [orders].")
        attrs = data["attributes"] if isinstance(data.get("attributes"), dict) else {}
        order = find(str(data["id"]) if data.get("id") else None, str(attrs["code"]) if attrs.get("code") else None)
        write = KaspiWrite(
            order_code=order.code if order else (str(attrs.get("code")) if attrs.get("code") else None),
            status=attrs.get("status") if isinstance(attrs.get("status"), str) else None,
            attributes=dict(attrs),
            merchant_uid=request.header("x-merchant-uid"),
            security_code=request.header("x-security-code"),
            send_code=request.header("x-send-code"),
        )
        with self._guard:
            hooks, self._before = self._before, []
            after, self._after = self._after, []
        try:
            uid = (write.merchant_uid or "").strip()
            if not uid:
                # kaspi.md §13: a write without the header came back 404 (Sm0der, Kaspi support).
                raise _Refusal(404, "Not Found")
            if self.merchant_uids and uid not in self.merchant_uids:
                raise _Refusal(403, "Access denied")  # ASSUMPTION: body and code undocumented
            if order is None:
                raise _Refusal(404, "Not Found")
            for hook in hooks:
                hook(order)
            shown = self._apply(order, write)
        except _Refusal as refusal:
            write.http_status, write.answer = refusal.status, refusal.title
            response = _error(refusal.status, refusal.title)
        else:
            write.http_status, write.answer = 200, shown
            response = _answer(order, shown, base)
        with self._guard:
            lose = self._lose_replies > 0
            if lose:
                self._lose_replies -= 1
        write.reply_lost = lose
        self.log.append(write)
        if lose:
            raise DropConnection()
        for after_hook in after:
            try:
                after_hook(write)
            except DropConnection:
                write.reply_lost = True
                raise
        return response

    # --- the state machine ---------------------------------------------------------------------

    def _apply(self, order: SandboxOrder, write: KaspiWrite) -> str:
        """Change `order` as Kaspi would; returns the status the answer shows."""
        attrs = write.attributes
        new = write.status
        current = order.status
        if new == "ACCEPTED_BY_MERCHANT":
            if current != "APPROVED_BY_BANK":
                raise _Refusal(400, f"Order in status [{current}] can't be accepted.")
            order.status = new
            if order.state in ("NEW", "SIGN_REQUIRED"):
                order.state = accepted_state(order)
            return new
        if new == "CANCELLED":
            if current not in ("APPROVED_BY_BANK", "ACCEPTED_BY_MERCHANT"):
                raise _Refusal(400, f"Order in status [{current}] can't be cancelled.")
            reason = attrs.get("cancellationReason")
            if not reason:
                raise _Refusal(400, "Required attribute [cancellationReason] is empty.")
            if reason not in MERCHANT_REASONS:
                raise _Refusal(400, f"Invalid value [{reason}] for attribute [cancellationReason].")
            if self.strict_reasons and reason == "BUYER_NOT_REACHABLE" and order.state != "PICKUP":
                raise _Refusal(400, "Cancellation reason [BUYER_NOT_REACHABLE] is available only for PICKUP orders.")
            comment = attrs.get("cancellationComment")
            if isinstance(comment, str) and len(comment) > 1000:
                raise _Refusal(400, "Attribute [cancellationComment] is longer than 1000 characters.")
            order.status, order.state, order.cancellation_reason = "CANCELLED", "ARCHIVE", str(reason)
            return "CANCELLED"
        if new == "COMPLETED":
            return self._complete(order, write)
        if new == "ASSEMBLE":
            if not order.is_kaspi_delivery or current != "ACCEPTED_BY_MERCHANT":
                raise _Refusal(400, f"Order in status [{current}] can't be assembled.")
            if order.assembled:
                raise _Refusal(400, "Order is already assembled.")  # ASSUMPTION: title undocumented
            places = str(attrs.get("numberOfSpace") or "").strip()
            if not places.isdigit() or int(places) < 1:
                raise _Refusal(400, "Required attribute [numberOfSpace] is empty.")
            order.assembled = True  # the waybill is formed at once (the real one may take a while)
            return "ASSEMBLED"  # OFF-EN §2.4.1's example answer
        if new == "ARRIVED":
            if current != "ACCEPTED_BY_MERCHANT" or not order.pre_order:
                raise _Refusal(400, f"Order in status [{current}] can't be arrived.")
            order.pre_order = False
            return "ACCEPTED_BY_MERCHANT"
        if new == "ARRIVED_BACKWARD":
            if current == "CANCELLING":
                order.status, order.state = "CANCELLED", "ARCHIVE"
            elif current == "KASPI_DELIVERY_RETURN_REQUESTED":
                order.status, order.state = "RETURNED", "ARCHIVE"
            else:
                raise _Refusal(400, f"Order in status [{current}] can't be arrived backward.")
            return order.status
        raise _Refusal(400, f"Unsupported status [{new}].")

    def _complete(self, order: SandboxOrder, write: KaspiWrite) -> str:
        if order.status == "CANCELLED":
            raise _Refusal(400, CANCELLED_NO_COMPLETE)
        if order.status == "COMPLETED":
            raise _Refusal(400, ALREADY_COMPLETED)
        if order.status != "ACCEPTED_BY_MERCHANT" or order.signature_required:
            raise _Refusal(400, NOT_ALLOWED)
        given = (write.security_code or "").strip()
        if not given:
            if (write.send_code or "").strip().lower() != "true":
                raise _Refusal(400, WRONG_CODE)
            # ASSUMPTION: the answer to step one is undocumented; the order keeps its status.
            self._send_code(order)
            return order.status
        if given != self.codes.get(order.code):
            raise _Refusal(400, WRONG_CODE)
        order.status, order.state = "COMPLETED", "ARCHIVE"
        self.codes.pop(order.code, None)
        return "COMPLETED"

    def _send_code(self, order: SandboxOrder) -> None:
        """A new 4-digit code for the buyer, deterministic so demos and tests can repeat."""
        count = self._sent.get(order.code, 0) + 1
        self._sent[order.code] = count
        code = f"{zlib.crc32(f'{order.code}:{count}'.encode()) % 10000:04d}"
        self.codes[order.code] = code
        log.warning("Kaspi (песочница): покупатель заказа %s получил код выдачи %s", order.code, code)
        if self.on_code is not None:
            try:
                self.on_code(order.code, code)
            except Exception:  # a printer must never break the emulator
                log.exception("on_code hook failed")


def accepted_state(order: SandboxOrder) -> str:
    """Where an accepted order goes: Kaspi Delivery, pickup, or the shop's own delivery."""
    if order.is_kaspi_delivery:
        return "KASPI_DELIVERY"
    if order.delivery_mode in PICKUP_MODES:
        return "PICKUP"
    return "DELIVERY"


def _error(status: int, title: str) -> Response:
    return json_response(status, {"errors": [{"title": title}]}, JSONAPI)


def _answer(order: SandboxOrder, shown: str, base: str) -> Response:
    oid = b64id(order.code)
    return json_response(200, {
        "data": {
            "type": "orders",
            "id": oid,
            "attributes": {"code": order.code, "status": shown},
            "relationships": {
                "user": {
                    "links": {
                        "self": f"{base}/orders/{oid}/relationships/user",
                        "related": f"{base}/orders/{oid}/user",
                    },
                    "data": None,
                },
                "entries": {
                    "links": {
                        "self": f"{base}/orders/{oid}/relationships/entries",
                        "related": f"{base}/orders/{oid}/entries",
                    }
                },
            },
            "links": {"self": f"{base}/orders/{oid}"},
        },
        "included": [],
    }, JSONAPI)
