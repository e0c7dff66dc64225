"""An in-memory emulator of the orders part of the Kaspi Shop API (JSON:API, /shop/api/v2).

It serves `kaspi-amo sandbox`, `kaspi-amo demo` and every test, so it reproduces what
shared/api/kaspi.md documents and observes, including the unpleasant parts: the exact 400
titles, the 14-day window, 0-based paging capped at 100, base64 ids (raw codes give 404),
404 HTML without Accept, hanging on the python-requests User-Agent, and optional quirks
(pages leaking orders from before $ge, masked phones on archived orders). Fault injection
(`fail_next`, `drop_next`) lets tests exercise retries.
"""

from __future__ import annotations

import base64
import binascii
import copy
import math
import threading
import time
from bisect import bisect_left, bisect_right, insort
from http import HTTPStatus
from typing import Any, Callable, Iterable

from app.sandbox.http import DropConnection, Request, Response, Router, html_response, json_response
from app.sandbox.seed import SandboxEntry, SandboxOrder

JSONAPI = "application/vnd.api+json"
DAY_MS = 86_400_000
MAX_WINDOW_DAYS = 14
MAX_PAGE_SIZE = 100
MASKED_PHONE = "+0(000)-000-00-00"
LEAK_WINDOW_MS = 3_600_000  # the leak quirk only picks orders at most this far before $ge
#: In a `corrupt_order` patch dict: remove this attribute from the rendered order/entry.
REMOVE = object()

STATES = ("NEW", "SIGN_REQUIRED", "PICKUP", "DELIVERY", "KASPI_DELIVERY", "ARCHIVE")
STATUSES = (
    "APPROVED_BY_BANK", "ACCEPTED_BY_MERCHANT", "COMPLETED", "CANCELLED", "CANCELLING",
    "KASPI_DELIVERY_RETURN_REQUESTED", "RETURNED",
)
_PICKUP_MODES = ("DELIVERY_PICKUP", "DELIVERY_REGIONAL_PICKUP")
# Library default User-Agents (python-requests/…, python-urllib3/…, Python-urllib/…, python-httpx/…):
# real Kaspi drops them like a missing UA.
_LIBRARY_AGENTS = ("python-",)
_ACCEPTABLE = ("application/vnd.api+json", "application/json", "application/*", "*/*")

_NOT_FOUND_HTML = (
    "<!DOCTYPE html><html lang=\"ru\"><head><meta charset=\"utf-8\"><title>Kaspi.kz</title></head>"
    "<body><h1>404</h1><p>Страница не найдена</p></body></html>"
)

# Where the merchant's warehouse and the buyers' towns are (for addresses and pointofservices).
_TOWNS = {
    "Алматы": ("750000000", 43.238949, 76.889709),
    "Астана": ("710000000", 51.128207, 71.430411),
    "Шымкент": ("511010000", 42.341685, 69.590101),
    "Караганда": ("351010000", 49.806406, 73.085485),
}
_WAREHOUSE = {
    "streetName": "улица Каныша Сатпаева",
    "streetNumber": "22/1",
    "town": "г. Алматы",
    "district": None,
    "building": None,
    "apartment": None,
    "formattedAddress": "г. Алматы, улица Каныша Сатпаева, 22/1",
    "latitude": 43.23662559520485,
    "longitude": 76.93337309399296,
}


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


class _BadRequest(Exception):
    """A 400 with one JSON:API error title."""

    def __init__(self, title: str) -> None:
        super().__init__(title)
        self.title = title


def _errors(status: int, title: str, *, with_status: bool = True) -> Response:
    error: dict[str, str] = {"status": str(status), "title": title} if with_status else {"title": title}
    return json_response(status, {"errors": [error]}, JSONAPI)


def _number(value: float | int) -> int | float:
    """Kaspi sends whole quantities as ints and everything else as floats."""
    return int(value) if float(value).is_integer() else float(value)


class KaspiEmulator:
    """The Kaspi orders API over an in-memory order book. Thread-safe: one lock guards state."""

    def __init__(
        self,
        tokens: Iterable[str] = ("sandbox-kaspi-token",),
        *,
        clock: Callable[[], float] = time.time,
        base_path: str = "/shop/api/v2",
        public_url: str | None = None,
        oversize_page: str = "error",
        block_default_user_agent: bool = True,
        hang_seconds: float = 20.0,
        leak_before_ge: int = 0,
        mask_archived_phones: bool = False,
    ) -> None:
        if oversize_page not in ("error", "clamp"):
            raise ValueError("oversize_page must be 'error' or 'clamp'")
        self.tokens = set(tokens)
        self.clock = clock
        self.base_path = "/" + base_path.strip("/") if base_path.strip("/") else ""
        self.public_url = public_url.rstrip("/") if public_url else None
        self.oversize_page = oversize_page
        self.block_default_user_agent = block_default_user_agent
        self.hang_seconds = hang_seconds
        self.leak_before_ge = leak_before_ge
        self.mask_archived_phones = mask_archived_phones
        self.request_log: list[tuple[str, str, dict]] = []
        self._lock = threading.RLock()
        self._orders: dict[str, SandboxOrder] = {}
        self._sorted: list[tuple[int, str]] = []  # (created_ms, code), ascending
        self._products: dict[str, SandboxEntry] = {}  # master product code -> an entry selling it
        self._fail: list[int] = []
        self._drop = 0
        self._corrupt: dict[str, tuple[Any, Any]] = {}  # code -> (order patch, entries patch)
        self._unhang = threading.Event()
        self._router = Router()
        for method, pattern, handler in (
            ("GET", "/orders", self._list_orders),
            ("POST", "/orders", self._change_status),
            ("GET", "/orders/{oid}", self._get_order),
            ("GET", "/orders/{oid}/entries", self._get_order_entries),
            ("GET", "/orders/{oid}/user", self._get_order_user),
            ("GET", "/customers/{cid}", self._get_customer),
            ("GET", "/orderentries/{eid}", self._get_entry),
            ("GET", "/orderentries/{eid}/product", self._get_entry_product),
            ("GET", "/orderentries/{eid}/deliveryPointOfService", self._get_entry_pos),
            ("GET", "/masterproducts/{mid}", self._get_masterproduct),
            ("GET", "/masterproducts/{mid}/merchantProduct", self._get_merchantproduct_of_master),
            ("GET", "/merchantproducts/{pid}", self._get_merchantproduct),
            ("GET", "/pointofservices/{pid}", self._get_pos),
            ("GET", "/pointofservices/{pid}/city", self._get_pos_city),
            ("GET", "/cities", self._list_cities),
        ):
            self._router.add(method, pattern, handler)

    # --- state ---------------------------------------------------------------------------

    def add_order(self, order: SandboxOrder) -> None:
        """Store an order (replacing one with the same code). The emulator owns it afterwards."""
        with self._lock:
            old = self._orders.get(order.code)
            if old is not None:
                self._sorted.remove((old.created_ms, old.code))
            self._orders[order.code] = order
            insort(self._sorted, (order.created_ms, order.code))
            for entry in order.entries:
                self._products.setdefault(entry.product_code, entry)

    def add_orders(self, orders: Iterable[SandboxOrder]) -> None:
        """Store many orders (see add_order)."""
        for order in orders:
            self.add_order(order)

    def set_status(self, code: str, *, state: str, status: str, cancellation_reason: str | None = None) -> None:
        """Move an order as Kaspi would behind the merchant's back (buyer cancels, courier delivers)."""
        with self._lock:
            order = self._orders[code]
            order.state = state
            order.status = status
            if cancellation_reason is not None:
                order.cancellation_reason = cancellation_reason

    def order(self, code: str) -> SandboxOrder:
        """A snapshot copy of a stored order (KeyError when unknown)."""
        with self._lock:
            return copy.deepcopy(self._orders[code])

    def codes(self) -> list[str]:
        """Every stored order code, oldest first."""
        with self._lock:
            return [code for _ms, code in self._sorted]

    def fail_next(self, count: int, status: int = 500) -> None:
        """The next `count` requests answer `status` with a JSON:API errors body."""
        with self._lock:
            self._fail.extend([status] * count)

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
            self._corrupt[code] = (patch, entries)

    def clear_corruption(self, code: str | None = None) -> None:
        """Render `code` (or every order, when None) faithfully again."""
        with self._lock:
            if code is None:
                self._corrupt.clear()
            else:
                self._corrupt.pop(code, None)

    @property
    def request_count(self) -> int:
        with self._lock:
            return len(self.request_log)

    # --- entry point ---------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        """Serve one request: fault injection, anti-bot and header checks, auth, then routes."""
        with self._lock:
            self.request_log.append((request.method, request.path, {k: v[0] for k, v in request.query.items() if v}))
            if self._drop:
                self._drop -= 1
                drop = True
            else:
                drop = False
            fail = self._fail.pop(0) if (not drop and self._fail) else None
        if drop:
            raise DropConnection()
        if fail is not None:
            return _errors(fail, _phrase(fail))

        user_agent = (request.header("user-agent") or "").strip()
        if self.block_default_user_agent and (not user_agent or user_agent.lower().startswith(_LIBRARY_AGENTS)):
            self._unhang.wait(self.hang_seconds)
            raise DropConnection()

        accept = (request.header("accept") or "").lower()
        if not any(kind in accept for kind in _ACCEPTABLE):
            return html_response(404, _NOT_FOUND_HTML)

        path = request.path
        if self.base_path:
            if path != self.base_path and not path.startswith(self.base_path + "/"):
                return html_response(404, _NOT_FOUND_HTML)
            path = path[len(self.base_path):] or "/"

        token = request.header("x-auth-token")
        if not token or token not in self.tokens:
            return _errors(401, "Unauthorized")

        routed = Request(request.method, path, request.query, request.headers, request.body)
        try:
            with self._lock:
                response = self._router.dispatch(routed)
        except _BadRequest as exc:
            return _errors(400, exc.title, with_status=False)
        if response is None:
            return _not_found()
        return response

    def close(self) -> None:
        """Release requests currently hanging on the User-Agent block (for quick shutdowns)."""
        self._unhang.set()

    # --- rendering -----------------------------------------------------------------------

    def _base(self, request: Request) -> str:
        if self.public_url:
            return self.public_url
        host = request.header("host") or "127.0.0.1"
        return f"http://{host}{self.base_path}"

    def _customer_id(self, order: SandboxOrder) -> str:
        return b64id(order.phone if order.phone else f"C{order.code}")

    def _cell_phone(self, order: SandboxOrder) -> str | None:
        if order.phone and self.mask_archived_phones and order.state == "ARCHIVE":
            return MASKED_PHONE
        return order.phone

    def _order_resource(self, order: SandboxOrder, base: str, *, with_entries: bool) -> dict[str, Any]:
        oid = b64id(order.code)
        cid = self._customer_id(order)
        created = order.created_ms
        customer = {
            "id": cid,
            "name": order.customer_name,
            "cellPhone": self._cell_phone(order),
            "firstName": order.first_name,
            "lastName": order.last_name,
        }
        if order.is_kaspi_delivery:
            attrs: dict[str, Any] = {
                "code": order.code,
                "creationDate": created,
                "totalPrice": float(order.total_price),
                "deliveryCostForSeller": 895.0,
                "isKaspiDelivery": True,
                "preOrder": order.pre_order,
                "approvedByBankDate": created + 1_000,
                "signatureRequired": order.signature_required,
                "status": order.status,
                "pickupPointId": order.pickup_point_id,
                "state": order.state,
                "deliveryCost": float(order.delivery_cost),
                "customer": customer,
                "originAddress": {
                    "id": b64id(order.pickup_point_id),
                    "displayName": _pp_name(order.pickup_point_id),
                    "address": dict(_WAREHOUSE),
                    "city": _city("Алматы"),
                },
                "kaspiDelivery": {
                    "waybill": f"{base.rsplit('/v2', 1)[0]}/waybill/{b64id(order.code)}" if order.assembled else None,
                    "courierTransmissionDate": None,
                    "courierTransmissionPlanningDate": _next_day_noon(created),
                    "waybillNumber": str(100_000_000 + int(order.code) % 900_000_000) if order.assembled
                    and order.code.isdigit() else None,
                    "express": order.express,
                    "returnedToWarehouse": False,
                    "firstMileCourier": None,
                },
                "assembled": order.assembled,
                "deliveryMode": order.delivery_mode,
                "paymentMode": order.payment_mode,
            }
            if order.payment_mode == "PAY_WITH_CREDIT":
                attrs["creditTerm"] = order.credit_term
        else:
            attrs = {
                "code": order.code,
                "totalPrice": float(order.total_price),
                "paymentMode": order.payment_mode,
                "plannedDeliveryDate": _next_day_noon(created) + DAY_MS,
                "creationDate": created,
                "deliveryCostForSeller": 0.0,
                "isKaspiDelivery": False,
                "deliveryMode": order.delivery_mode,
            }
            if order.delivery_mode == "DELIVERY_LOCAL":
                attrs["deliveryAddress"] = _delivery_address(order)
            attrs["signatureRequired"] = order.signature_required
            if order.payment_mode == "PAY_WITH_CREDIT":
                attrs["creditTerm"] = order.credit_term
            attrs.update({
                "preOrder": order.pre_order,
                "pickupPointId": order.pickup_point_id,
                "state": order.state,
                "approvedByBankDate": created + 30_000,
                "status": order.status,
                "customer": customer,
                "deliveryCost": float(order.delivery_cost),
            })
        if order.cancellation_reason:
            attrs["cancellationReason"] = order.cancellation_reason

        entries_rel: dict[str, Any] = {
            "links": {
                "self": f"{base}/orders/{oid}/relationships/entries",
                "related": f"{base}/orders/{oid}/entries",
            }
        }
        if with_entries:
            entries_rel["data"] = [
                {"type": "orderentries", "id": b64id(f"{order.code}##{n}")} for n in range(len(order.entries))
            ]
        resource = {
            "type": "orders",
            "id": oid,
            "attributes": attrs,
            "relationships": {
                "user": {
                    "links": {
                        "self": f"{base}/orders/{oid}/relationships/user",
                        "related": f"{base}/orders/{oid}/user",
                    },
                    "data": {"type": "customers", "id": cid},
                },
                "entries": entries_rel,
            },
            "links": {"self": f"{base}/orders/{oid}"},
        }
        return self._mangle(order.code, 0, resource)

    def _entry_resource(self, order: SandboxOrder, number: int, base: str) -> dict[str, Any]:
        return self._mangle(order.code, 1, self._entry_resource_faithful(order, number, base), number)

    def _entry_resource_faithful(self, order: SandboxOrder, number: int, base: str) -> dict[str, Any]:
        entry = order.entries[number]
        eid = b64id(f"{order.code}##{number}")
        return {
            "type": "orderentries",
            "id": eid,
            "attributes": {
                "unitType": entry.unit_type,
                "offer": {"code": entry.sku, "name": entry.name},
                "quantity": _number(entry.quantity),
                "totalPrice": float(entry.line_total),
                "weight": float(entry.weight),
                "entryNumber": number,
                "category": {"code": entry.category_code, "title": entry.category},
                "deliveryCost": float(order.delivery_cost) if number == 0 else 0.0,
                "basePrice": float(entry.unit_price),
                "isImeiRequired": entry.imei_required,
            },
            "relationships": {
                "deliveryPointOfService": {
                    "links": {
                        "self": f"{base}/orderentries/{eid}/relationships/deliveryPointOfService",
                        "related": f"{base}/orderentries/{eid}/deliveryPointOfService",
                    },
                    "data": {"type": "pointofservices", "id": b64id(order.pickup_point_id)},
                },
                "product": {
                    "links": {
                        "self": f"{base}/orderentries/{eid}/relationships/product",
                        "related": f"{base}/orderentries/{eid}/product",
                    },
                    "data": {"type": "masterproducts", "id": b64id(entry.product_code)},
                },
            },
            "links": {"self": f"{base}/orderentries/{eid}"},
        }

    def _mangle(self, code: str, which: int, resource: dict[str, Any], *args: Any) -> dict[str, Any]:
        """Apply a `corrupt_order` patch (which: 0 order, 1 entry) to a rendered resource."""
        patch = self._corrupt.get(code, (None, None))[which]
        if patch is None:
            return resource
        attrs = copy.deepcopy(resource["attributes"])
        if callable(patch):
            result = patch(attrs, *args)
            resource["attributes"] = attrs if result is None else result
        else:
            for key, value in patch.items():
                if value is REMOVE:
                    attrs.pop(key, None)
                else:
                    attrs[key] = copy.deepcopy(value)
            resource["attributes"] = attrs
        return resource

    def _customer_resource(self, order: SandboxOrder, base: str) -> dict[str, Any]:
        cid = self._customer_id(order)
        return {
            "type": "customers",
            "id": cid,
            "attributes": {
                "firstName": order.first_name,
                "lastName": order.last_name,
                "cellPhone": self._cell_phone(order),
            },
            "relationships": {},
            "links": {"self": f"{base}/customers/{cid}"},
        }

    def _included(self, orders: list[SandboxOrder], base: str, include: set[str]) -> list[dict[str, Any]]:
        included: list[dict[str, Any]] = []
        seen_customers: set[str] = set()
        for order in orders:
            if "entries" in include:
                included.extend(self._entry_resource(order, n, base) for n in range(len(order.entries)))
            if "user" in include:
                cid = self._customer_id(order)
                if cid not in seen_customers:
                    seen_customers.add(cid)
                    included.append(self._customer_resource(order, base))
        return included

    # --- lookups -------------------------------------------------------------------------

    def _order_by_id(self, oid: str) -> SandboxOrder | None:
        code = unb64id(oid)
        return self._orders.get(code) if code is not None else None

    def _entry_by_id(self, eid: str) -> tuple[SandboxOrder, int] | None:
        raw = unb64id(eid)
        if raw is None or "##" not in raw:
            return None
        code, _, number = raw.partition("##")
        order = self._orders.get(code)
        if order is None or not number.isdigit() or int(number) >= len(order.entries):
            return None
        return order, int(number)

    def _product_by_id(self, mid: str) -> SandboxEntry | None:
        code = unb64id(mid)
        return self._products.get(code) if code is not None else None

    # --- handlers: orders ----------------------------------------------------------------

    def _list_orders(self, request: Request, _params: dict[str, str]) -> Response:
        q = request.arg
        code = q("filter[orders][code]")
        include = _include(request)

        if code:
            number = _int_arg(request, "page[number]", default=0)
            size = self._page_size(request, default=20)
            selected = [o for o in [self._orders.get(code)] if o is not None]
            leaked: list[SandboxOrder] = []
        else:
            ge = _int_arg(request, "filter[orders][creationDate][$ge]")
            if ge is None:
                raise _BadRequest("Required filter [orders][creationDate][$ge] is empty.")
            le = _int_arg(request, "filter[orders][creationDate][$le]")
            if le is None:
                le = int(self.clock() * 1000)
            if le - ge > MAX_WINDOW_DAYS * DAY_MS:
                days = math.ceil((le - ge) / DAY_MS)
                raise _BadRequest(
                    "Exceeded the maximum difference for the filter[orders][creationDate] (in days). "
                    f"Actual [{days}], max [{MAX_WINDOW_DAYS}]."
                )
            number = _int_arg(request, "page[number]")
            if number is None:
                raise _BadRequest("Required parameter page[number] is empty.")
            size = self._page_size(request, default=None)
            lo, hi = bisect_left(self._sorted, (ge, "")), bisect_right(self._sorted, (le, "\uffff"))
            selected = [self._orders[c] for _, c in self._sorted[lo:hi]]
            leaked = []
            if self.leak_before_ge > 0 and number == 0:
                start = max(bisect_left(self._sorted, (ge - LEAK_WINDOW_MS, "")), lo - self.leak_before_ge)
                leaked = [self._orders[c] for _, c in self._sorted[start:lo]]

        matches = _order_filter(request)
        selected = [o for o in selected if matches(o)]
        leaked = [o for o in leaked if matches(o)]
        if number < 0:
            raise _BadRequest(f"Invalid value [{number}] for parameter page[number].")

        total = len(selected)
        page = leaked + selected[number * size:(number + 1) * size]
        base = self._base(request)
        return json_response(200, {
            "data": [self._order_resource(o, base, with_entries="entries" in include) for o in page],
            "included": self._included(page, base, include),
            "meta": {"pageCount": math.ceil(total / size), "totalCount": total},
        }, JSONAPI)

    def _page_size(self, request: Request, *, default: int | None) -> int:
        size = _int_arg(request, "page[size]", default=default)
        if size is None:
            raise _BadRequest("Required parameter page[size] is empty.")
        if size < 1:
            raise _BadRequest(f"Invalid value [{size}] for parameter page[size].")
        if size > MAX_PAGE_SIZE:
            if self.oversize_page == "clamp":
                return MAX_PAGE_SIZE
            raise _BadRequest(f"Maximum page size is [{MAX_PAGE_SIZE}]. Actual [{size}].")
        return size

    def _get_order(self, request: Request, params: dict[str, str]) -> Response:
        order = self._order_by_id(params["oid"])
        if order is None:
            return _not_found()
        include = _include(request)
        base = self._base(request)
        return json_response(200, {
            "data": self._order_resource(order, base, with_entries="entries" in include),
            "included": self._included([order], base, include),
        }, JSONAPI)

    def _get_order_entries(self, request: Request, params: dict[str, str]) -> Response:
        order = self._order_by_id(params["oid"])
        if order is None:
            return _not_found()
        base = self._base(request)
        return json_response(200, {
            "data": [self._entry_resource(order, n, base) for n in range(len(order.entries))],
            "included": [],
        }, JSONAPI)

    def _get_order_user(self, request: Request, params: dict[str, str]) -> Response:
        order = self._order_by_id(params["oid"])
        if order is None:
            return _not_found()
        return _single(self._customer_resource(order, self._base(request)))

    def _get_customer(self, request: Request, params: dict[str, str]) -> Response:
        for _, code in reversed(self._sorted):
            order = self._orders[code]
            if self._customer_id(order) == params["cid"]:
                return _single(self._customer_resource(order, self._base(request)))
        return _not_found()

    def _change_status(self, request: Request, _params: dict[str, str]) -> Response:
        """POST /orders: the status transitions of §10 (the security-code step is accepted as is)."""
        try:
            body = request.json()
        except ValueError:
            raise _BadRequest("Request body is not valid JSON.") from None
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, dict) or data.get("type") != "orders":
            raise _BadRequest("Request body must be a JSON:API resource of type [orders].")
        attrs = data.get("attributes") if isinstance(data.get("attributes"), dict) else {}
        order = self._order_by_id(str(data.get("id") or "")) if data.get("id") else None
        if order is None and attrs.get("code"):
            order = self._orders.get(str(attrs["code"]))
        if order is None:
            return _not_found()
        new_status = attrs.get("status")
        current = order.status
        if new_status == "ACCEPTED_BY_MERCHANT":
            if current != "APPROVED_BY_BANK":
                raise _BadRequest(f"Order in status [{current}] can't be accepted.")
            order.status = new_status
            if order.state in ("NEW", "SIGN_REQUIRED"):
                order.state = _accepted_state(order)
        elif new_status == "CANCELLED":
            if current not in ("APPROVED_BY_BANK", "ACCEPTED_BY_MERCHANT"):
                raise _BadRequest(f"Order in status [{current}] can't be cancelled.")
            reason = attrs.get("cancellationReason")
            if not reason:
                raise _BadRequest("Required attribute [cancellationReason] is empty.")
            comment = attrs.get("cancellationComment")
            if isinstance(comment, str) and len(comment) > 1000:
                raise _BadRequest("Attribute [cancellationComment] is longer than 1000 characters.")
            order.status, order.state, order.cancellation_reason = "CANCELLED", "ARCHIVE", str(reason)
        elif new_status == "COMPLETED":
            if current == "CANCELLED":
                raise _BadRequest("Order is cancelled, so it can't be completed.")
            if current == "COMPLETED":
                raise _BadRequest("Order already has been completed, so it can't be completed again.")
            if current != "ACCEPTED_BY_MERCHANT" or order.signature_required:
                raise _BadRequest("Order is not may complete allowed")
            order.status, order.state = "COMPLETED", "ARCHIVE"
        elif new_status == "ASSEMBLE":
            if not order.is_kaspi_delivery or current != "ACCEPTED_BY_MERCHANT":
                raise _BadRequest(f"Order in status [{current}] can't be assembled.")
            if not str(attrs.get("numberOfSpace") or "").strip().isdigit():
                raise _BadRequest("Required attribute [numberOfSpace] is empty.")
            order.assembled = True
        else:
            raise _BadRequest(f"Unsupported status [{new_status}].")

        base = self._base(request)
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

    # --- handlers: entries, products, points of service ------------------------------------

    def _get_entry(self, request: Request, params: dict[str, str]) -> Response:
        found = self._entry_by_id(params["eid"])
        if found is None:
            return _not_found()
        return _single(self._entry_resource(*found, self._base(request)))

    def _get_entry_product(self, request: Request, params: dict[str, str]) -> Response:
        found = self._entry_by_id(params["eid"])
        if found is None:
            return _not_found()
        order, number = found
        return _single(_masterproduct(order.entries[number], self._base(request)))

    def _get_entry_pos(self, request: Request, params: dict[str, str]) -> Response:
        found = self._entry_by_id(params["eid"])
        if found is None:
            return _not_found()
        return _single(_point_of_service(found[0].pickup_point_id, self._base(request)))

    def _get_masterproduct(self, request: Request, params: dict[str, str]) -> Response:
        entry = self._product_by_id(params["mid"])
        if entry is None:
            return _not_found()
        return _single(_masterproduct(entry, self._base(request)))

    def _get_merchantproduct_of_master(self, request: Request, params: dict[str, str]) -> Response:
        entry = self._product_by_id(params["mid"])
        if entry is None:
            return _not_found()
        return _single(_merchantproduct(entry, self._base(request)))

    def _get_merchantproduct(self, request: Request, params: dict[str, str]) -> Response:
        sku = unb64id(params["pid"])
        for entry in self._products.values():
            if entry.sku == sku:
                return _single(_merchantproduct(entry, self._base(request)))
        return _not_found()

    def _get_pos(self, request: Request, params: dict[str, str]) -> Response:
        pp = unb64id(params["pid"])
        if pp is None or not any(o.pickup_point_id == pp for o in self._orders.values()):
            return _not_found()
        return _single(_point_of_service(pp, self._base(request)))

    def _get_pos_city(self, request: Request, params: dict[str, str]) -> Response:
        pp = unb64id(params["pid"])
        if pp is None or not any(o.pickup_point_id == pp for o in self._orders.values()):
            return _not_found()
        return _single(_city_resource("Алматы", self._base(request)))

    def _list_cities(self, request: Request, _params: dict[str, str]) -> Response:
        base = self._base(request)
        return json_response(200, {"data": [_city_resource(t, base) for t in _TOWNS], "included": []}, JSONAPI)


# --- helpers -------------------------------------------------------------------------------


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _not_found() -> Response:
    return _errors(404, "Not Found")


def _single(resource: dict[str, Any]) -> Response:
    return json_response(200, {"data": resource, "included": []}, JSONAPI)


def _int_arg(request: Request, name: str, default: int | None = None) -> int | None:
    """An integer query value; blank counts as missing; anything else non-integer is a 400."""
    raw = request.arg(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw.strip())
    except ValueError:
        raise _BadRequest(f"Invalid value [{raw}] for parameter {name}.") from None


def _include(request: Request) -> set[str]:
    raw = request.arg("include[orders]") or ""
    return {part.strip() for part in raw.split(",") if part.strip()}


def _order_filter(request: Request) -> Callable[[SandboxOrder], bool]:
    """The state/status/deliveryType/signatureRequired filters as one predicate; bad values → 400."""
    state = request.arg("filter[orders][state]") or None
    status = request.arg("filter[orders][status]") or None
    delivery = request.arg("filter[orders][deliveryType]") or None
    signature = request.arg("filter[orders][signatureRequired]") or None
    if state is not None and state not in STATES:
        raise _BadRequest(f"Invalid value [{state}] for filter [orders][state].")
    if status is not None and status not in STATUSES:
        raise _BadRequest(f"Invalid value [{status}] for filter [orders][status].")
    if delivery is not None and delivery not in ("PICKUP", "DELIVERY"):
        raise _BadRequest(f"Invalid value [{delivery}] for filter [orders][deliveryType].")
    if signature is not None and signature.lower() not in ("true", "false"):
        raise _BadRequest(f"Invalid value [{signature}] for filter [orders][signatureRequired].")
    wanted_signature = None if signature is None else signature.lower() == "true"

    def matches(order: SandboxOrder) -> bool:
        if state is not None and order.state != state:
            return False
        if status is not None and order.status != status:
            return False
        if delivery is not None and (order.delivery_mode in _PICKUP_MODES) != (delivery == "PICKUP"):
            return False
        if wanted_signature is not None and order.signature_required != wanted_signature:
            return False
        return True

    return matches


def _accepted_state(order: SandboxOrder) -> str:
    if order.is_kaspi_delivery:
        return "KASPI_DELIVERY"
    if order.delivery_mode in _PICKUP_MODES:
        return "PICKUP"
    return "DELIVERY"


def _next_day_noon(created_ms: int) -> int:
    """Noon (Almaty, UTC+5) of the day after `created_ms`: Kaspi's planned dates are whole slots."""
    almaty_ms = 5 * 3_600_000
    day_start = (created_ms + almaty_ms) // DAY_MS * DAY_MS - almaty_ms
    return day_start + DAY_MS + 12 * 3_600_000


def _pp_name(pickup_point_id: str) -> str:
    return pickup_point_id.rsplit("_", 1)[-1]


def _city(town: str) -> dict[str, Any]:
    code = _TOWNS.get(town, _TOWNS["Алматы"])[0]
    return {"id": b64id(code), "code": code, "name": town, "active": True}


def _city_resource(town: str, base: str) -> dict[str, Any]:
    city = _city(town)
    return {
        "type": "cities",
        "id": city["id"],
        "attributes": {"code": city["code"], "name": city["name"], "active": True},
        "relationships": {},
        "links": {"self": f"{base}/cities/{city['id']}"},
    }


def _delivery_address(order: SandboxOrder) -> dict[str, Any] | None:
    if not order.address:
        return None
    street, _, number = order.address.rpartition(",")
    if not street:
        street, number = number, ""
    _, lat, lon = _TOWNS.get(order.town, _TOWNS["Алматы"])
    return {
        "streetName": street.strip(),
        "streetNumber": number.strip() or None,
        "town": order.town,
        "district": None,
        "building": None,
        "apartment": None,
        "formattedAddress": order.formatted_address,
        "latitude": lat,
        "longitude": lon,
    }


def _masterproduct(entry: SandboxEntry, base: str) -> dict[str, Any]:
    mid = b64id(entry.product_code)
    return {
        "type": "masterproducts",
        "id": mid,
        "attributes": {"code": entry.product_code, "name": entry.name, "category": entry.category},
        "relationships": {
            "merchantProduct": {
                "links": {
                    "self": f"{base}/masterproducts/{mid}/relationships/merchantProduct",
                    "related": f"{base}/masterproducts/{mid}/merchantProduct",
                },
                "data": None,
            }
        },
        "links": {"self": f"{base}/masterproducts/{mid}"},
    }


def _merchantproduct(entry: SandboxEntry, base: str) -> dict[str, Any]:
    pid = b64id(entry.sku)
    return {
        "type": "merchantproducts",
        "id": pid,
        "attributes": {"code": entry.sku, "name": entry.name},
        "relationships": {},
        "links": {"self": f"{base}/merchantproducts/{pid}"},
    }


def _point_of_service(pickup_point_id: str, base: str) -> dict[str, Any]:
    pid = b64id(pickup_point_id)
    city = _city("Алматы")
    return {
        "type": "pointofservices",
        "id": pid,
        "attributes": {"address": dict(_WAREHOUSE), "displayName": _pp_name(pickup_point_id)},
        "relationships": {
            "city": {
                "links": {
                    "self": f"{base}/pointofservices/{pid}/relationships/city",
                    "related": f"{base}/pointofservices/{pid}/city",
                },
                "data": {"type": "cities", "id": city["id"]},
            }
        },
        "links": {"self": f"{base}/pointofservices/{pid}"},
    }
