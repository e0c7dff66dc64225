"""Kaspi's write endpoint: POST /orders moves an order through the status state machine of
shared/api/kaspi.md §10 (accept, cancel, complete, assemble). The sync itself never writes;
the two-way actions do, and only ever against this emulator in tests."""

from __future__ import annotations

from typing import Any

from app.sandbox.http import Request, Response, Router, json_response
from app.sandbox.kaspi.jsonapi import JSONAPI, BadRequest, b64id, not_found
from app.sandbox.kaspi.reads import PICKUP_MODES
from app.sandbox.kaspi.site import KaspiSite
from app.sandbox.seed import SandboxOrder

Params = dict[str, str]


def _accepted_state(order: SandboxOrder) -> str:
    """Where an accepted order goes: Kaspi Delivery, pickup or the merchant's own delivery."""
    if order.is_kaspi_delivery:
        return "KASPI_DELIVERY"
    if order.delivery_mode in PICKUP_MODES:
        return "PICKUP"
    return "DELIVERY"


class OrderWrites:
    def __init__(self, site: KaspiSite) -> None:
        self.site = site

    def routes(self, router: Router) -> None:
        router.add("POST", "/orders", self._change_status)

    def _change_status(self, request: Request, _params: Params) -> Response:
        """POST /orders: the status transitions of §10 (the security-code step is accepted as is)."""
        try:
            body = request.json()
        except ValueError:
            raise BadRequest("Request body is not valid JSON.") from None
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, dict) or data.get("type") != "orders":
            raise BadRequest("Request body must be a JSON:API resource of type [orders].")
        given = data.get("attributes")
        attrs: dict[str, Any] = given if isinstance(given, dict) else {}
        order = self.site.book.by_id(str(data.get("id") or "")) if data.get("id") else None
        if order is None and attrs.get("code"):
            order = self.site.book.orders.get(str(attrs["code"]))
        if order is None:
            return not_found()
        new_status = attrs.get("status")
        current = order.status
        if new_status == "ACCEPTED_BY_MERCHANT":
            if current != "APPROVED_BY_BANK":
                raise BadRequest(f"Order in status [{current}] can't be accepted.")
            order.status = new_status
            if order.state in ("NEW", "SIGN_REQUIRED"):
                order.state = _accepted_state(order)
        elif new_status == "CANCELLED":
            if current not in ("APPROVED_BY_BANK", "ACCEPTED_BY_MERCHANT"):
                raise BadRequest(f"Order in status [{current}] can't be cancelled.")
            reason = attrs.get("cancellationReason")
            if not reason:
                raise BadRequest("Required attribute [cancellationReason] is empty.")
            comment = attrs.get("cancellationComment")
            if isinstance(comment, str) and len(comment) > 1000:
                raise BadRequest("Attribute [cancellationComment] is longer than 1000 characters.")
            order.status, order.state, order.cancellation_reason = "CANCELLED", "ARCHIVE", str(reason)
        elif new_status == "COMPLETED":
            if current == "CANCELLED":
                raise BadRequest("Order is cancelled, so it can't be completed.")
            if current == "COMPLETED":
                raise BadRequest("Order already has been completed, so it can't be completed again.")
            if current != "ACCEPTED_BY_MERCHANT" or order.signature_required:
                raise BadRequest("Order is not may complete allowed")
            order.status, order.state = "COMPLETED", "ARCHIVE"
        elif new_status == "ASSEMBLE":
            if not order.is_kaspi_delivery or current != "ACCEPTED_BY_MERCHANT":
                raise BadRequest(f"Order in status [{current}] can't be assembled.")
            if not str(attrs.get("numberOfSpace") or "").strip().isdigit():
                raise BadRequest("Required attribute [numberOfSpace] is empty.")
            order.assembled = True
        else:
            raise BadRequest(f"Unsupported status [{new_status}].")

        base = self.site.base(request)
        oid = b64id(order.code)
        shown_status = "ASSEMBLED" if new_status == "ASSEMBLE" else order.status
        return json_response(200, {
            "data": {
                "type": "orders",
                "id": oid,
                "attributes": {"code": order.code, "status": shown_status},
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
