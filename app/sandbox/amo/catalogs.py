"""Catalogs (lists) and their elements: /api/v4/catalogs, /catalogs/{id}/custom_fields and
/catalogs/{id}/elements. The seeded account has the "products" catalog (SKU, PRICE,
DESCRIPTION, EXTERNAL_ID fields) unless switched off, and a regular "services" list."""

from __future__ import annotations

import copy
import re
from typing import Any

from app.sandbox.amo.core import (
    JSON,
    PRODUCTS_CATALOG_ID,
    SERVICES_CATALOG_ID,
    USER_ID,
    ApiError,
    Params,
    Resource,
    ValidationErrors,
    collection,
    filter_ints,
    hal,
    ids_of,
    is_int,
    is_number,
    no_content,
    path_id,
    problem,
    read_items,
    read_object,
    request_id,
    self_link,
)
from app.sandbox.amo.links import unlink_all
from app.sandbox.amo.state import AmoState
from app.sandbox.http import Request, Response, Router


def seed_catalogs(state: AmoState, with_products: bool) -> None:
    now = state.created_at

    def catalog(cid: int, name: str, type_: str, sort: int) -> JSON:
        return {"id": cid, "name": name, "created_by": USER_ID, "updated_by": USER_ID, "created_at": now,
                "updated_at": now, "sort": sort, "type": type_, "can_add_elements": True,
                "can_show_in_cards": False, "can_link_multiple": True, "can_be_deleted": type_ == "regular",
                "sdk_widget_code": None, "account_id": state.account_id}

    def cf(fid: int, cid: int, name: str, code: str | None, type_: str, sort: int) -> JSON:
        return {"id": fid, "name": name, "type": type_, "code": code, "sort": sort, "is_api_only": False,
                "enums": None, "catalog_id": cid, "entity_type": "catalogs", "is_deletable": code is None,
                "is_required": False, "account_id": state.account_id}

    if with_products:
        cid = PRODUCTS_CATALOG_ID
        state.catalogs[cid] = catalog(cid, "Товары", "products", 10)
        state.catalog_fields[cid] = [
            cf(700001, cid, "Артикул", "SKU", "text", 1),
            cf(700003, cid, "Цена", "PRICE", "price", 2),
            cf(700005, cid, "Описание", "DESCRIPTION", "textarea", 3),
            cf(700007, cid, "Внешний ID", "EXTERNAL_ID", "text", 4),
        ]
        state.products_catalog_id = cid
    cid = SERVICES_CATALOG_ID
    state.catalogs[cid] = catalog(cid, "Услуги", "regular", 20)
    state.catalog_fields[cid] = [cf(700011, cid, "Описание", None, "textarea", 1)]


def price_str(value: Any) -> str:
    """Catalog PRICE values come back as strings ("999.12"), as real accounts return them."""
    number = float(value)
    if number.is_integer():
        return str(int(number))
    return f"{number:.2f}".rstrip("0").rstrip(".")


def _field_for(fields: list[JSON], entry: JSON, p: str, errs: ValidationErrors, by_code: bool) -> JSON | None:
    if entry.get("field_id") is not None:
        field = next((f for f in fields if f["id"] == entry["field_id"]), None)
        if field is None:
            errs.choice(f"{p}.field_id")
        return field
    if entry.get("field_code") is not None:
        field = next((f for f in fields if by_code and f["code"] and f["code"] == entry["field_code"]), None)
        if field is None:
            errs.choice(f"{p}.field_code")
        return field
    errs.blank(f"{p}.field_id")
    return None


def _values(field: JSON, values: list[Any], p: str, errs: ValidationErrors) -> list[JSON]:
    stored = []
    for j, v in enumerate(values):
        vp = f"{p}.values.{j}"
        raw = v.get("value") if isinstance(v, dict) else None
        if field["type"] == "price":
            if is_number(raw) or (isinstance(raw, str) and re.fullmatch(r"\d+(\.\d+)?", raw.strip())):
                stored.append({"value": price_str(raw)})
            else:
                errs.type(f"{vp}.value", "numeric")
        elif isinstance(raw, str):
            stored.append({"value": raw})
        else:
            errs.type(f"{vp}.value", "string")
    return stored


def parse_element_fields(state: AmoState, cid: int, value: Any, prefix: str,
                         errs: ValidationErrors) -> list[JSON] | None:
    """`custom_fields_values` of an element, by the catalog's field_id or field_code → stored shape."""
    path = f"{prefix}custom_fields_values"
    if value is None:
        return None
    if not isinstance(value, list):
        errs.type(path, "array")
        return None
    fields = state.catalog_fields[cid]
    out: list[JSON] = []
    for i, entry in enumerate(value):
        p = f"{path}.{i}"
        if not isinstance(entry, dict):
            errs.type(p, "object")
            continue
        field = _field_for(fields, entry, p, errs, state.catalog_field_codes)
        if field is None:
            continue
        values = entry.get("values")
        if not isinstance(values, list):
            errs.type(f"{p}.values", "array")
            continue
        stored = _values(field, values, p, errs)
        out = [f for f in out if f["field_id"] != field["id"]]
        out.append({"field_id": field["id"], "field_name": field["name"], "field_code": field["code"],
                    "field_type": field["type"], "values": stored})
    return out


def create_element(state: AmoState, cid: int, name: str, cfv: list[JSON] | None) -> int:
    now = state.now()
    eid = state.next_id("element")
    state.catalog_elements[eid] = {
        "id": eid, "name": name, "created_by": USER_ID, "updated_by": USER_ID, "created_at": now,
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
                     {"field_id": ids["PRICE"], "values": [{"value": price}]}], "", ValidationErrors())
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


def _render_element(request: Request, element: JSON) -> JSON:
    out = copy.deepcopy(element)
    out["_links"] = self_link(request, f"catalogs/{element['catalog_id']}/elements/{element['id']}")
    return out


class Catalogs(Resource):
    def routes(self, router: Router) -> None:
        v4 = "/api/v4"
        router.add("GET", f"{v4}/catalogs", self._get_catalogs)
        router.add("GET", f"{v4}/catalogs/{{cid}}", self._get_catalog)
        router.add("GET", f"{v4}/catalogs/{{cid}}/custom_fields", self._get_fields)
        router.add("GET", f"{v4}/catalogs/{{cid}}/elements", self._get_elements)
        router.add("POST", f"{v4}/catalogs/{{cid}}/elements", self._post_elements)
        router.add("PATCH", f"{v4}/catalogs/{{cid}}/elements", self._patch_elements)
        router.add("GET", f"{v4}/catalogs/{{cid}}/elements/{{eid}}", self._get_element)
        router.add("PATCH", f"{v4}/catalogs/{{cid}}/elements/{{eid}}", self._patch_element)

    def _catalog_or_404(self, request: Request, raw: str) -> JSON:
        catalog = self.state.catalogs.get(path_id(request, raw))
        if catalog is None:
            raise ApiError(problem(404, f"Catalog {raw} not found"))
        return catalog

    def _get_catalogs(self, request: Request, params: Params) -> Response:
        items = [{**copy.deepcopy(c), "_links": self_link(request, f"catalogs/{c['id']}")}
                 for c in sorted(self.state.catalogs.values(), key=lambda c: int(c["sort"]))]
        return collection(request, "catalogs", items)

    def _get_catalog(self, request: Request, params: Params) -> Response:
        catalog = self._catalog_or_404(request, params["cid"])
        return hal({**copy.deepcopy(catalog), "_links": self_link(request, f"catalogs/{catalog['id']}")})

    def _get_fields(self, request: Request, params: Params) -> Response:
        catalog = self._catalog_or_404(request, params["cid"])
        return collection(request, "custom_fields", copy.deepcopy(self.state.catalog_fields[catalog["id"]]))

    def _get_elements(self, request: Request, params: Params) -> Response:
        catalog = self._catalog_or_404(request, params["cid"])
        items = sorted((e for e in self.state.catalog_elements.values() if e["catalog_id"] == catalog["id"]),
                       key=lambda e: int(e["id"]))
        ids = filter_ints(request, "filter[id]")
        if ids is not None:
            items = [e for e in items if e["id"] in ids]
        query = (request.arg("query") or "").strip().casefold()
        if query:
            def hit(e: JSON) -> bool:
                hay = [e["name"]] + [str(v["value"]) for f in e.get("custom_fields_values") or [] for v in f["values"]]
                return any(query in h.casefold() for h in hay)
            items = [e for e in items if hit(e)]
        return collection(request, "elements", [_render_element(request, e) for e in items])

    def _get_element(self, request: Request, params: Params) -> Response:
        catalog = self._catalog_or_404(request, params["cid"])
        element = self.state.catalog_elements.get(path_id(request, params["eid"]))
        if element is None or element["catalog_id"] != catalog["id"]:
            return no_content()
        return hal(_render_element(request, element))

    def _post_elements(self, request: Request, params: Params) -> Response:
        st = self.state
        catalog = self._catalog_or_404(request, params["cid"])
        items = read_items(request)
        errs = ValidationErrors()
        plans: list[list[JSON] | None] = []
        for i, item in enumerate(items):
            errs.item(request_id(item, i))
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
        for i, (item, cfv) in enumerate(zip(items, plans)):
            eid = create_element(st, catalog["id"], item["name"], cfv)
            out.append({**_render_element(request, st.catalog_elements[eid]), "request_id": request_id(item, i)})
        return hal({"_links": self_link(request, f"catalogs/{catalog['id']}/elements"),
                    "_embedded": {"elements": out}})

    def _patch_items(self, request: Request, catalog: JSON, items: list[Any], ids: list[Any]) -> list[JSON]:
        st = self.state
        errs = ValidationErrors()
        plans: list[list[JSON] | None] = []
        for i, (item, eid) in enumerate(zip(items, ids)):
            errs.item(request_id(item, i))
            if not isinstance(item, dict):
                errs.type("", "object")
                plans.append(None)
                continue
            element = st.catalog_elements.get(eid) if is_int(eid) else None
            if element is None or element["catalog_id"] != catalog["id"]:
                errs.choice("id")
            if "name" in item and not isinstance(item["name"], str):
                errs.type("name", "string")
            plans.append(parse_element_fields(st, catalog["id"], item.get("custom_fields_values"), "", errs))
        errs.raise_if_any()
        out = []
        for i, (item, eid, cfv) in enumerate(zip(items, ids, plans)):
            element = st.catalog_elements[eid]
            if "name" in item:
                element["name"] = item["name"]
            if cfv:
                fields = {f["field_id"]: f for f in element.get("custom_fields_values") or []}
                fields.update({f["field_id"]: f for f in cfv})
                element["custom_fields_values"] = [f for f in fields.values() if f["values"]] or None
            element["updated_at"] = st.now()
            out.append({**_render_element(request, element), "request_id": request_id(item, i)})
        return out

    def _patch_elements(self, request: Request, params: Params) -> Response:
        catalog = self._catalog_or_404(request, params["cid"])
        items = read_items(request)
        out = self._patch_items(request, catalog, items, ids_of(items))
        return hal({"_links": self_link(request, f"catalogs/{catalog['id']}/elements"),
                    "_embedded": {"elements": out}})

    def _patch_element(self, request: Request, params: Params) -> Response:
        catalog = self._catalog_or_404(request, params["cid"])
        eid = path_id(request, params["eid"])
        return hal(self._patch_items(request, catalog, [read_object(request)], [eid])[0])
