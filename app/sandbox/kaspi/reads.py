"""Kaspi's read endpoints: GET /orders (window, code, filters, 0-based pages), one order, its
entries and buyer, and the products, points of service and cities entries point at."""

from __future__ import annotations

import math
from collections.abc import Callable

from app.sandbox.http import Request, Response, Router
from app.sandbox.kaspi.jsonapi import (
    DAY_MS,
    MAX_WINDOW_DAYS,
    BadRequest,
    document,
    int_arg,
    not_found,
    page_size,
    single,
    unb64id,
)
from app.sandbox.kaspi.render import (
    TOWNS,
    city_resource,
    masterproduct,
    merchantproduct,
    point_of_service,
)
from app.sandbox.kaspi.site import KaspiSite
from app.sandbox.seed import SandboxOrder

STATES = ("NEW", "SIGN_REQUIRED", "PICKUP", "DELIVERY", "KASPI_DELIVERY", "ARCHIVE")
STATUSES = (
    "APPROVED_BY_BANK", "ACCEPTED_BY_MERCHANT", "COMPLETED", "CANCELLED", "CANCELLING",
    "KASPI_DELIVERY_RETURN_REQUESTED", "RETURNED",
)
PICKUP_MODES = ("DELIVERY_PICKUP", "DELIVERY_REGIONAL_PICKUP")
Params = dict[str, str]


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
        raise BadRequest(f"Invalid value [{state}] for filter [orders][state].")
    if status is not None and status not in STATUSES:
        raise BadRequest(f"Invalid value [{status}] for filter [orders][status].")
    if delivery is not None and delivery not in ("PICKUP", "DELIVERY"):
        raise BadRequest(f"Invalid value [{delivery}] for filter [orders][deliveryType].")
    if signature is not None and signature.lower() not in ("true", "false"):
        raise BadRequest(f"Invalid value [{signature}] for filter [orders][signatureRequired].")
    wanted_signature = None if signature is None else signature.lower() == "true"

    def matches(order: SandboxOrder) -> bool:
        if state is not None and order.state != state:
            return False
        if status is not None and order.status != status:
            return False
        if delivery is not None and (order.delivery_mode in PICKUP_MODES) != (delivery == "PICKUP"):
            return False
        return wanted_signature is None or order.signature_required == wanted_signature

    return matches


class OrderReads:
    def __init__(self, site: KaspiSite) -> None:
        self.site = site

    def routes(self, router: Router) -> None:
        for pattern, handler in (
            ("/orders", self._list_orders),
            ("/orders/{oid}", self._get_order),
            ("/orders/{oid}/entries", self._get_order_entries),
            ("/orders/{oid}/user", self._get_order_user),
            ("/customers/{cid}", self._get_customer),
            ("/orderentries/{eid}", self._get_entry),
            ("/orderentries/{eid}/product", self._get_entry_product),
            ("/orderentries/{eid}/deliveryPointOfService", self._get_entry_pos),
            ("/masterproducts/{mid}", self._get_masterproduct),
            ("/masterproducts/{mid}/merchantProduct", self._get_merchantproduct_of_master),
            ("/merchantproducts/{pid}", self._get_merchantproduct),
            ("/pointofservices/{pid}", self._get_pos),
            ("/pointofservices/{pid}/city", self._get_pos_city),
            ("/cities", self._list_cities),
        ):
            router.add("GET", pattern, handler)

    # --- orders ---------------------------------------------------------------------------

    def _window(self, request: Request) -> tuple[int, int]:
        ge = int_arg(request, "filter[orders][creationDate][$ge]")
        if ge is None:
            raise BadRequest("Required filter [orders][creationDate][$ge] is empty.")
        le = int_arg(request, "filter[orders][creationDate][$le]")
        if le is None:
            le = int(self.site.clock() * 1000)
        if le - ge > MAX_WINDOW_DAYS * DAY_MS:
            days = math.ceil((le - ge) / DAY_MS)
            raise BadRequest(
                "Exceeded the maximum difference for the filter[orders][creationDate] (in days). "
                f"Actual [{days}], max [{MAX_WINDOW_DAYS}]."
            )
        return ge, le

    def _list_orders(self, request: Request, _params: Params) -> Response:
        book = self.site.book
        code = request.arg("filter[orders][code]")
        include = _include(request)
        leaked: list[SandboxOrder] = []
        if code:
            number = int_arg(request, "page[number]", default=0)
            size = page_size(request, default=20)
            selected = [o for o in [book.orders.get(code)] if o is not None]
        else:
            ge, le = self._window(request)
            number = int_arg(request, "page[number]")
            if number is None:
                raise BadRequest("Required parameter page[number] is empty.")
            size = page_size(request, default=None)
            selected = book.created_between(ge, le)
            if self.site.leak_before_ge > 0 and number == 0:
                leaked = book.just_before(ge, self.site.leak_before_ge)
        assert number is not None
        matches = _order_filter(request)
        selected = [o for o in selected if matches(o)]
        leaked = [o for o in leaked if matches(o)]
        if number < 0:
            raise BadRequest(f"Invalid value [{number}] for parameter page[number].")
        total = len(selected)
        page = leaked + selected[number * size:(number + 1) * size]
        base = self.site.base(request)
        render = self.site.render
        return document(
            [render.order(o, base, with_entries="entries" in include) for o in page],
            render.included(page, base, include),
            meta={"pageCount": math.ceil(total / size), "totalCount": total},
        )

    def _get_order(self, request: Request, params: Params) -> Response:
        order = self.site.book.by_id(params["oid"])
        if order is None:
            return not_found()
        include = _include(request)
        base = self.site.base(request)
        render = self.site.render
        return document(render.order(order, base, with_entries="entries" in include),
                        render.included([order], base, include))

    def _get_order_entries(self, request: Request, params: Params) -> Response:
        order = self.site.book.by_id(params["oid"])
        if order is None:
            return not_found()
        base = self.site.base(request)
        return document([self.site.render.entry(order, n, base) for n in range(len(order.entries))], [])

    def _get_order_user(self, request: Request, params: Params) -> Response:
        order = self.site.book.by_id(params["oid"])
        if order is None:
            return not_found()
        return single(self.site.render.customer(order, self.site.base(request)))

    def _get_customer(self, request: Request, params: Params) -> Response:
        order = self.site.book.newest_of_customer(params["cid"])
        if order is None:
            return not_found()
        return single(self.site.render.customer(order, self.site.base(request)))

    # --- entries, products, points of service ----------------------------------------------

    def _get_entry(self, request: Request, params: Params) -> Response:
        found = self.site.book.entry_by_id(params["eid"])
        if found is None:
            return not_found()
        return single(self.site.render.entry(*found, self.site.base(request)))

    def _get_entry_product(self, request: Request, params: Params) -> Response:
        found = self.site.book.entry_by_id(params["eid"])
        if found is None:
            return not_found()
        order, number = found
        return single(masterproduct(order.entries[number], self.site.base(request)))

    def _get_entry_pos(self, request: Request, params: Params) -> Response:
        found = self.site.book.entry_by_id(params["eid"])
        if found is None:
            return not_found()
        return single(point_of_service(found[0].pickup_point_id, self.site.base(request)))

    def _get_masterproduct(self, request: Request, params: Params) -> Response:
        entry = self.site.book.product_by_id(params["mid"])
        if entry is None:
            return not_found()
        return single(masterproduct(entry, self.site.base(request)))

    def _get_merchantproduct_of_master(self, request: Request, params: Params) -> Response:
        entry = self.site.book.product_by_id(params["mid"])
        if entry is None:
            return not_found()
        return single(merchantproduct(entry, self.site.base(request)))

    def _get_merchantproduct(self, request: Request, params: Params) -> Response:
        entry = self.site.book.product_by_sku(unb64id(params["pid"]))
        if entry is None:
            return not_found()
        return single(merchantproduct(entry, self.site.base(request)))

    def _get_pos(self, request: Request, params: Params) -> Response:
        pp = unb64id(params["pid"])
        if pp is None or not self.site.book.has_pickup_point(pp):
            return not_found()
        return single(point_of_service(pp, self.site.base(request)))

    def _get_pos_city(self, request: Request, params: Params) -> Response:
        pp = unb64id(params["pid"])
        if pp is None or not self.site.book.has_pickup_point(pp):
            return not_found()
        return single(city_resource("Алматы", self.site.base(request)))

    def _list_cities(self, request: Request, _params: Params) -> Response:
        base = self.site.base(request)
        return document([city_resource(t, base) for t in TOWNS], [])
