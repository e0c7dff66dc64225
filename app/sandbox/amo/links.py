"""Links of leads to contacts and catalog elements: /api/v4/leads/{id}/link|unlink|links
and the mass forms /api/v4/leads/link|unlink|links.

A product link carries `metadata.quantity` (typed int in the Kommo reference), `catalog_id`
and `price_id` (the id of the catalog's price field; shared/api/amocrm.md §13 D, §16).
"""

from __future__ import annotations

import copy
from typing import Any

from app.sandbox.amo import core
from app.sandbox.amo.state import AmoState
from app.sandbox.http import Request, Response


def link_contact(state: AmoState, lead_id: int, contact_id: int, is_main: Any) -> core.JSON:
    """Link a contact to a lead; the first one (or one sent with is_main) becomes the main contact."""
    existing = [link for link in state.links if link["entity_id"] == lead_id and link["to_entity_type"] == "contacts"]
    main = bool(is_main) if is_main is not None else not any(link["metadata"]["main_contact"] for link in existing)
    if main:
        for link in existing:
            link["metadata"]["main_contact"] = False
    for link in existing:
        if link["to_entity_id"] == contact_id:
            link["metadata"]["main_contact"] = main
            return link
    created: core.JSON = {"entity_id": lead_id, "entity_type": "leads", "to_entity_id": contact_id,
                     "to_entity_type": "contacts", "metadata": {"main_contact": main}}
    state.links.append(created)
    return created


def unlink_all(state: AmoState, to_entity_type: str, to_entity_id: int) -> None:
    """Forget every link to an entity a person deleted."""
    state.links[:] = [
        link for link in state.links
        if not (link.get("to_entity_type") == to_entity_type and link.get("to_entity_id") == to_entity_id)
    ]


def _parse_product(state: AmoState, to_id: int, metadata: core.JSON, errs: core.ValidationErrors, unlink: bool) -> core.JSON | None:
    cid = metadata.get("catalog_id")
    if not core.is_int(cid):
        errs.type("metadata.catalog_id", "int")
        return None
    if cid not in state.catalogs:
        errs.choice("metadata.catalog_id")
        return None
    if unlink:
        return {"to_entity_id": to_id, "to_entity_type": "catalog_elements", "catalog_id": cid}
    element = state.catalog_elements.get(to_id)
    if element is None or element["catalog_id"] != cid:
        errs.choice("to_entity_id")
        return None
    quantity = metadata.get("quantity", 1)
    if not core.is_number(quantity) or quantity < 0:
        errs.type("metadata.quantity", "numeric")
        return None
    price_id = metadata.get("price_id")
    if price_id is not None and not any(f["id"] == price_id and f["type"] == "price"
                                        for f in state.catalog_fields[cid]):
        errs.choice("metadata.price_id")
        return None
    return {"to_entity_id": to_id, "to_entity_type": "catalog_elements", "catalog_id": cid,
            "quantity": quantity, "price_id": price_id}


def _parse_link(state: AmoState, item: Any, errs: core.ValidationErrors, *, unlink: bool) -> core.JSON | None:
    if not isinstance(item, dict):
        errs.type("", "object")
        return None
    to_id, to_type = item.get("to_entity_id"), item.get("to_entity_type")
    metadata = item.get("metadata") or {}
    if not isinstance(metadata, dict):
        errs.type("metadata", "object")
        return None
    if not isinstance(to_id, int) or isinstance(to_id, bool):
        errs.type("to_entity_id", "int")
        return None
    if to_type == "contacts":
        if not unlink and to_id not in state.contacts:
            errs.choice("to_entity_id")
            return None
        return {"to_entity_id": to_id, "to_entity_type": to_type, "is_main": metadata.get("is_main")}
    if to_type != "catalog_elements":
        errs.choice("to_entity_type")
        return None
    return _parse_product(state, to_id, metadata, errs, unlink)


def _apply_link(state: AmoState, lead_id: int, plan: core.JSON) -> core.JSON:
    if plan["to_entity_type"] == "contacts":
        return link_contact(state, lead_id, plan["to_entity_id"], plan["is_main"])
    metadata: core.JSON = {"quantity": plan["quantity"], "catalog_id": plan["catalog_id"]}
    if plan["price_id"] is not None:
        metadata["price_id"] = plan["price_id"]
    for link in state.links:
        if (link["entity_id"] == lead_id and link["to_entity_type"] == "catalog_elements"
                and link["to_entity_id"] == plan["to_entity_id"]):
            link["metadata"] = metadata
            return link
    created: core.JSON = {"entity_id": lead_id, "entity_type": "leads", "to_entity_id": plan["to_entity_id"],
                     "to_entity_type": "catalog_elements", "metadata": metadata}
    state.links.append(created)
    return created


class Links(core.Resource):
    def _items(self, request: Request, items: list[Any], lead_id: int | None, *, unlink: bool) -> Response:
        st = self.state
        errs = core.ValidationErrors()
        plans: list[tuple[int, core.JSON]] = []
        for i, item in enumerate(items):
            errs.item(core.request_id(item, i))
            target = lead_id
            if target is None:
                target = item.get("entity_id") if isinstance(item, dict) else None
                if not core.is_int(target):
                    errs.type("entity_id", "int")
                    continue
                if target not in st.leads:
                    errs.choice("entity_id")
                    continue
            plan = _parse_link(st, item, errs, unlink=unlink)
            if plan is not None and target is not None:
                plans.append((target, plan))
        errs.raise_if_any()
        if unlink:
            for target, plan in plans:
                st.links[:] = [
                    link for link in st.links
                    if not (link["entity_id"] == target and link["to_entity_type"] == plan["to_entity_type"]
                            and link["to_entity_id"] == plan["to_entity_id"])
                ]
            return core.no_content()
        out = [copy.deepcopy(_apply_link(st, target, plan)) for target, plan in plans]
        for target in {t for t, _ in plans}:
            st.leads[target]["updated_at"] = st.now()
        path = f"leads/{lead_id}/links" if lead_id is not None else "leads/links"
        return core.hal({"_total_items": len(out), "_links": core.self_link(request, path), "_embedded": {"links": out}})

    def _lead_or_404(self, request: Request, raw: str) -> int:
        lid = core.path_id(request, raw)
        if lid not in self.state.leads:
            raise core.ApiError(core.problem(404, f"Lead {lid} not found"))
        return lid

    @core.route("POST", "/api/v4/leads/{id}/link")
    def _post_lead_link(self, request: Request, params: core.Params) -> Response:
        lid = self._lead_or_404(request, params["id"])
        return self._items(request, core.read_items(request), lid, unlink=False)

    @core.route("POST", "/api/v4/leads/{id}/unlink")
    def _post_lead_unlink(self, request: Request, params: core.Params) -> Response:
        lid = self._lead_or_404(request, params["id"])
        return self._items(request, core.read_items(request), lid, unlink=True)

    @core.route("POST", "/api/v4/leads/link")
    def _post_link_mass(self, request: Request, params: core.Params) -> Response:
        return self._items(request, core.read_items(request), None, unlink=False)

    @core.route("POST", "/api/v4/leads/unlink")
    def _post_unlink_mass(self, request: Request, params: core.Params) -> Response:
        return self._items(request, core.read_items(request), None, unlink=True)

    def _listing(self, request: Request, lead_ids: list[int] | None, path: str) -> Response:
        items = [link for link in self.state.links if link["entity_id"] in self.state.leads]
        if lead_ids is not None:
            items = [link for link in items if link["entity_id"] in lead_ids]
        to_type = request.arg("filter[to_entity_type]")
        to_id = request.arg("filter[to_entity_id]")
        if to_type and to_id and to_id.isdigit():
            items = [link for link in items if link["to_entity_type"] == to_type and link["to_entity_id"] == int(to_id)]
        to_catalog = request.arg("filter[to_catalog_id]")
        if to_catalog and to_catalog.isdigit():
            items = [link for link in items if link["metadata"].get("catalog_id") == int(to_catalog)]
        if not items:
            return core.no_content()
        return core.hal({"_total_items": len(items), "_links": core.self_link(request, path),
                    "_embedded": {"links": copy.deepcopy(items)}})

    @core.route("GET", "/api/v4/leads/{id}/links")
    def _get_lead_links(self, request: Request, params: core.Params) -> Response:
        lid = core.path_id(request, params["id"])
        return self._listing(request, [lid], f"leads/{lid}/links")

    @core.route("GET", "/api/v4/leads/links")
    def _get_mass(self, request: Request, params: core.Params) -> Response:
        return self._listing(request, core.filter_ints(request, "filter[entity_id]"), "leads/links")
