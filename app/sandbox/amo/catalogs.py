"""Catalogs (lists) and their elements: /api/v4/catalogs, /catalogs/{id}/custom_fields and
/catalogs/{id}/elements. The seeded account has the "products" catalog (SKU, PRICE,
DESCRIPTION, EXTERNAL_ID fields) unless switched off, and a regular "services" list."""

from __future__ import annotations

import copy
import re
from typing import Any

from app.sandbox.amo import core
from app.sandbox.amo.links import unlink_all
from app.sandbox.amo.state import AmoState
from app.sandbox.http import Request, Response


def seed_catalogs(state: AmoState, with_products: bool) -> None:
    now = state.created_at

    def catalog(cid: int, name: str, type_: str, sort: int) -> core.JSON:
        return {"id": cid, "name": name, "created_by": core.USER_ID, "updated_by": core.USER_ID, "created_at": now,
                "updated_at": now, "sort": sort, "type": type_, "can_add_elements": True,
                "can_show_in_cards": False, "can_link_multiple": True, "can_be_deleted": type_ == "regular",
                "sdk_widget_code": None, "account_id": state.account_id}

    def cf(fid: int, cid: int, name: str, code: str | None, type_: str, sort: int) -> core.JSON:
        return {"id": fid, "name": name, "type": type_, "code": code, "sort": sort, "is_api_only": False,
                "enums": None, "catalog_id": cid, "entity_type": "catalogs", "is_deletable": code is None,
                "is_required": False, "account_id": state.account_id}

    if with_products:
        cid = core.PRODUCTS_CATALOG_ID
        state.catalogs[cid] = catalog(cid, "Товары", "products", 10)
        state.catalog_fields[cid] = [
            cf(700001, cid, "Артикул", "SKU", "text", 1),
            cf(700003, cid, "Цена", "PRICE", "price", 2),
            cf(700005, cid, "Описание", "DESCRIPTION", "textarea", 3),
            cf(700007, cid, "Внешний ID", "EXTERNAL_ID", "text", 4),
        ]
        state.products_catalog_id = cid
    cid = core.SERVICES_CATALOG_ID
    state.catalogs[cid] = catalog(cid, "Услуги", "regular", 20)
    state.catalog_fields[cid] = [cf(700011, cid, "Описание", None, "textarea", 1)]


def price_str(value: Any) -> str:
    """Catalog PRICE values come back as strings ("999.12"), as real accounts return them."""
    number = float(value)
    if number.is_integer():
        return str(int(number))
    return f"{number:.2f}".rstrip("0").rstrip(".")


def _values(field: core.JSON, values: list[Any], p: str, errs: core.ValidationErrors) -> list[core.JSON]:
    stored = []
    for j, v in enumerate(values):
        vp = f"{p}.values.{j}"
        raw = v.get("value") if isinstance(v, dict) else None
        if field["type"] == "price":
            if core.is_number(raw) or (isinstance(raw, str) and re.fullmatch(r"\d+(\.\d+)?", raw.strip())):
                stored.append({"value": price_str(raw)})
            else:
                errs.type(f"{vp}.value", "numeric")
        elif isinstance(raw, str):
            stored.append({"value": raw})
        else:
            errs.type(f"{vp}.value", "string")
    return stored


def parse_element_fields(state: AmoState, cid: int, value: Any, prefix: str,
                         errs: core.ValidationErrors) -> list[core.JSON] | None:
    """`custom_fields_values` of an element, by the catalog's field_id or field_code → stored shape."""
    return core.parse_field_values(value, prefix, errs, state.catalog_fields[cid], _values,
                                   by_code=state.catalog_field_codes)


def create_element(state: AmoState, cid: int, name: str, cfv: list[core.JSON] | None) -> int:
    now = state.now()
    eid = state.next_id("element")
    state.catalog_elements[eid] = {
        "id": eid, "name": name, "created_by": core.USER_ID, "updated_by": core.USER_ID, "created_at": now,
        "updated_at": now, "is_deleted": False, "custom_fields_values": cfv or None,
        "catalog_id": cid, "account_id": state.account_id,
    }
    return eid


def add_product(state: AmoState, name: str, sku: str, price: float) -> int:
    """Seed a product into the products catalog."""
    if state.products_catalog_id is None:
        raise RuntimeError("the account has no products catalog")
    cid = state.products_catalog_id
    ids = {f["code"]: f["id"] for f in state.catalog_fields[cid]}
    values = parse_element_fields(
        state, cid, [{"field_id": ids["SKU"], "values": [{"value": sku}]},
                     {"field_id": ids["PRICE"], "values": [{"value": price}]}], "", core.ValidationErrors())
    return create_element(state, cid, name, values)


def remove_products_catalog(state: AmoState) -> None:
    """The owner switched the products list off: the catalog, its elements and their links vanish."""
    cid = state.products_catalog_id
    if cid is None:
        return
    state.catalogs.pop(cid, None)
    state.catalog_fields.pop(cid, None)
    for eid in [e for e, el in state.catalog_elements.items() if el["catalog_id"] == cid]:
        del state.catalog_elements[eid]
    state.links[:] = [link for link in state.links if link["metadata"].get("catalog_id") != cid]
    state.products_catalog_id = None


def delete_element(state: AmoState, element_id: int) -> None:
    """As a person removing a product from the catalog: gone from lists, search and links."""
    state.catalog_elements.pop(element_id)
    unlink_all(state, "catalog_elements", element_id)


def _render_element(request: Request, element: core.JSON) -> core.JSON:
    out = copy.deepcopy(element)
    out["_links"] = core.self_link(request, f"catalogs/{element['catalog_id']}/elements/{element['id']}")
    return out


class Catalogs(core.Resource):
    def _catalog_or_404(self, request: Request, raw: str) -> core.JSON:
        catalog = self.state.catalogs.get(core.path_id(request, raw))
        if catalog is None:
            raise core.ApiError(core.problem(404, f"Catalog {raw} not found"))
        return catalog

    @core.route("GET", "/api/v4/catalogs")
    def _get_catalogs(self, request: Request, params: core.Params) -> Response:
        items = [{**copy.deepcopy(c), "_links": core.self_link(request, f"catalogs/{c['id']}")}
                 for c in sorted(self.state.catalogs.values(), key=lambda c: int(c["sort"]))]
        return core.collection(request, "catalogs", items)

    @core.route("GET", "/api/v4/catalogs/{cid}")
    def _get_catalog(self, request: Request, params: core.Params) -> Response:
        catalog = self._catalog_or_404(request, params["cid"])
        return core.hal({**copy.deepcopy(catalog), "_links": core.self_link(request, f"catalogs/{catalog['id']}")})

    @core.route("GET", "/api/v4/catalogs/{cid}/custom_fields")
    def _get_fields(self, request: Request, params: core.Params) -> Response:
        catalog = self._catalog_or_404(request, params["cid"])
        return core.collection(request, "custom_fields", copy.deepcopy(self.state.catalog_fields[catalog["id"]]))

    @core.route("GET", "/api/v4/catalogs/{cid}/elements")
    def _get_elements(self, request: Request, params: core.Params) -> Response:
        catalog = self._catalog_or_404(request, params["cid"])
        items = sorted((e for e in self.state.catalog_elements.values() if e["catalog_id"] == catalog["id"]),
                       key=lambda e: int(e["id"]))
        ids = core.filter_ints(request, "filter[id]")
        if ids is not None:
            items = [e for e in items if e["id"] in ids]
        query = (request.arg("query") or "").strip().casefold()
        if query:
            def hit(e: core.JSON) -> bool:
                hay = [e["name"]] + [str(v["value"]) for f in e.get("custom_fields_values") or [] for v in f["values"]]
                return any(query in h.casefold() for h in hay)
            items = [e for e in items if hit(e)]
        return core.collection(request, "elements", [_render_element(request, e) for e in items])

    @core.route("GET", "/api/v4/catalogs/{cid}/elements/{eid}")
    def _get_element(self, request: Request, params: core.Params) -> Response:
        catalog = self._catalog_or_404(request, params["cid"])
        element = self.state.catalog_elements.get(core.path_id(request, params["eid"]))
        mine = element if element is not None and element["catalog_id"] == catalog["id"] else None
        return core.one(mine, lambda found: _render_element(request, found))

    @core.route("POST", "/api/v4/catalogs/{cid}/elements")
    def _post_elements(self, request: Request, params: core.Params) -> Response:
        st = self.state
        catalog = self._catalog_or_404(request, params["cid"])
        items = core.read_items(request)
        errs = core.ValidationErrors()
        plans: list[list[core.JSON] | None] = []
        for i, item in enumerate(items):
            errs.item(core.request_id(item, i))
            if not isinstance(item, dict):
                errs.type("", "object")
                plans.append(None)
                continue
            if not isinstance(item.get("name"), str):
                errs.type("name", "string")
            elif not item["name"].strip():
                errs.blank("name")
            plans.append(parse_element_fields(st, catalog["id"], item.get("custom_fields_values"), "", errs))
        errs.raise_if_any()
        out = []
        for i, (item, cfv) in enumerate(zip(items, plans, strict=True)):
            eid = create_element(st, catalog["id"], item["name"], cfv)
            out.append({**_render_element(request, st.catalog_elements[eid]), "request_id": core.request_id(item, i)})
        return core.hal({"_links": core.self_link(request, f"catalogs/{catalog['id']}/elements"),
                    "_embedded": {"elements": out}})

    def _patch_items(self, request: Request, catalog: core.JSON, items: list[Any], ids: list[Any]) -> list[core.JSON]:
        st = self.state
        errs = core.ValidationErrors()
        plans: list[list[core.JSON] | None] = []
        for i, (item, eid) in enumerate(zip(items, ids, strict=True)):
            errs.item(core.request_id(item, i))
            if not isinstance(item, dict):
                errs.type("", "object")
                plans.append(None)
                continue
            element = st.catalog_elements.get(eid) if core.is_int(eid) else None
            if element is None or element["catalog_id"] != catalog["id"]:
                errs.choice("id")
            if "name" in item and not isinstance(item["name"], str):
                errs.type("name", "string")
            plans.append(parse_element_fields(st, catalog["id"], item.get("custom_fields_values"), "", errs))
        errs.raise_if_any()
        out = []
        for i, (item, eid, cfv) in enumerate(zip(items, ids, plans, strict=True)):
            element = st.catalog_elements[eid]
            if "name" in item:
                element["name"] = item["name"]
            if cfv:
                core.merge_field_values(element, cfv)
            element["updated_at"] = st.now()
            out.append({**_render_element(request, element), "request_id": core.request_id(item, i)})
        return out

    @core.route("PATCH", "/api/v4/catalogs/{cid}/elements")
    def _patch_elements(self, request: Request, params: core.Params) -> Response:
        catalog = self._catalog_or_404(request, params["cid"])
        items = core.read_items(request)
        out = self._patch_items(request, catalog, items, core.ids_of(items))
        return core.hal({"_links": core.self_link(request, f"catalogs/{catalog['id']}/elements"),
                    "_embedded": {"elements": out}})

    @core.route("PATCH", "/api/v4/catalogs/{cid}/elements/{eid}")
    def _patch_element(self, request: Request, params: core.Params) -> Response:
        catalog = self._catalog_or_404(request, params["cid"])
        eid = core.path_id(request, params["eid"])
        return core.hal(self._patch_items(request, catalog, [core.read_object(request)], [eid])[0])
