"""Contacts: /api/v4/contacts (list, search, create, update) and their custom fields.

Search reproduces amoCRM's fuzzy phone match: a phone-like query matches any contact whose
phone ends in the query's last 7 digits (shared/api/amocrm.md §14), false positives included.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from app.sandbox.amo import core
from app.sandbox.amo.state import AmoState
from app.sandbox.amo.tags import apply_tag_ops, parse_tag_ops
from app.sandbox.http import Request, Response

CONTACT_FIELDS: dict[int, core.JSON] = {
    core.PHONE_FIELD_ID: {
        "id": core.PHONE_FIELD_ID, "name": "Телефон", "code": "PHONE", "type": "multitext", "sort": 4,
        "enums": {"WORK": 100101, "WORKDD": 100103, "MOB": 100105, "FAX": 100107, "HOME": 100109, "OTHER": 100111},
    },
    core.EMAIL_FIELD_ID: {
        "id": core.EMAIL_FIELD_ID, "name": "Email", "code": "EMAIL", "type": "multitext", "sort": 6,
        "enums": {"WORK": 100201, "PRIV": 100203, "OTHER": 100205},
    },
}


def phones(contact: core.JSON) -> list[str]:
    out: list[str] = []
    for field in contact.get("custom_fields_values") or []:
        if field.get("field_code") == "PHONE":
            out.extend(v["value"] for v in field["values"])
    return out


def _enum_values(field: core.JSON, values: list[Any], p: str, errs: core.ValidationErrors) -> list[core.JSON]:
    stored = []
    enums: dict[str, int] = field["enums"]
    for j, v in enumerate(values):
        vp = f"{p}.values.{j}"
        if not isinstance(v, dict):
            errs.type(vp, "object")
            continue
        if not isinstance(v.get("value"), str):
            errs.type(f"{vp}.value", "string")
            continue
        code = "WORK"
        if v.get("enum_id") is not None:
            code = next((c for c, eid in enums.items() if eid == v["enum_id"]), "")
            if not code:
                errs.choice(f"{vp}.enum_id")
                continue
        elif v.get("enum_code") is not None:
            code = v["enum_code"]
            if code not in enums:
                errs.choice(f"{vp}.enum_code")
                continue
        stored.append({"value": v["value"], "enum_id": enums[code], "enum_code": code})
    return stored


def parse_contact_fields(value: Any, prefix: str, errs: core.ValidationErrors) -> list[core.JSON] | None:
    """`custom_fields_values` of a contact → stored read shape (None when nothing given)."""
    return core.parse_field_values(value, prefix, errs, CONTACT_FIELDS.values(), _enum_values)


def parse_contact(state: AmoState, item: Any, errs: core.ValidationErrors, *, prefix: str = "") -> core.JSON:
    """Validate one contact body (also the one embedded in /leads/complex) into a plan."""
    plan: core.JSON = {}
    if not isinstance(item, dict):
        errs.type(prefix.rstrip(".") or "", "object")
        return plan
    for key in ("name", "first_name", "last_name"):
        if key in item and item[key] is not None:
            if not isinstance(item[key], str):
                errs.type(f"{prefix}{key}", "string")
            else:
                plan[key] = item[key]
    if item.get("responsible_user_id") is not None and not core.is_int(item["responsible_user_id"]):
        errs.type(f"{prefix}responsible_user_id", "int")
    if "custom_fields_values" in item:
        plan["cfv"] = parse_contact_fields(item["custom_fields_values"], prefix, errs)
    plan.update(parse_tag_ops(state, item, "contacts", errs, prefix))
    return plan


def create_contact(state: AmoState, plan: core.JSON) -> int:
    now = state.now()
    cid = state.next_id("contact")
    first, last = plan.get("first_name", ""), plan.get("last_name", "")
    name = plan.get("name")
    if name is None:
        name = f"{first} {last}".strip()
    state.contacts[cid] = {
        "id": cid, "name": name, "first_name": first, "last_name": last, "responsible_user_id": core.USER_ID,
        "group_id": 0, "created_by": core.USER_ID, "updated_by": core.USER_ID, "created_at": now, "updated_at": now,
        "closest_task_at": None, "is_deleted": False, "is_unsorted": False,
        "custom_fields_values": plan.get("cfv") or None, "account_id": state.account_id,
        "_embedded": {"tags": [], "companies": []},
    }
    apply_tag_ops(state, "contacts", state.contacts[cid], plan)
    return cid


def add_contact(state: AmoState, name: str, phone_values: list[str], *, first_name: str | None = None,
                last_name: str | None = None) -> int:
    """Seed a contact with PHONE values exactly as given (people type phones in any shape)."""
    cfv = [{"field_id": core.PHONE_FIELD_ID, "values": [{"value": p, "enum_code": "WORK"} for p in phone_values]}]
    plan = {"name": name, "first_name": first_name if first_name is not None else "",
            "last_name": last_name if last_name is not None else "",
            "cfv": parse_contact_fields(cfv, "", core.ValidationErrors()) if phone_values else None}
    return create_contact(state, plan)


def _update_contact(state: AmoState, contact: core.JSON, plan: core.JSON) -> None:
    for key in ("name", "first_name", "last_name"):
        if key in plan:
            contact[key] = plan[key]
    if plan.get("cfv") is not None:
        core.merge_field_values(contact, plan["cfv"])
    apply_tag_ops(state, "contacts", contact, plan)
    contact["updated_at"] = state.now()


def _matches(contact: core.JSON, query: str) -> bool:
    """amoCRM's full-text search: a phone-like query matches on the last 7 digits only."""
    compact = re.sub(r"[\s()+\-.]", "", query)
    if compact.isdigit() and len(compact) >= 7:
        tail = compact[-7:]
        return any(core.digits(p).endswith(tail) for p in phones(contact))
    folded = query.casefold()
    haystack = [contact["name"], contact.get("first_name") or "", contact.get("last_name") or ""]
    for field in contact.get("custom_fields_values") or []:
        haystack.extend(str(v.get("value", "")) for v in field["values"])
    return any(folded in h.casefold() for h in haystack)


class Contacts(core.Resource):
    @core.route("GET", "/api/v4/contacts/custom_fields")
    def _get_fields(self, request: Request, params: core.Params) -> Response:
        fields = []
        for f in CONTACT_FIELDS.values():
            fields.append({"id": f["id"], "name": f["name"], "type": f["type"], "code": f["code"], "sort": f["sort"],
                           "is_api_only": False, "entity_type": "contacts", "is_deletable": False,
                           "enums": [{"id": eid, "value": code, "sort": i * 2 + 2}
                                     for i, (code, eid) in enumerate(f["enums"].items())],
                           "account_id": self.state.account_id})
        return core.collection(request, "custom_fields", fields)

    def _render(self, request: Request, contact: core.JSON, with_: set[str]) -> core.JSON:
        out = copy.deepcopy(contact)
        out["_links"] = core.self_link(request, f"contacts/{contact['id']}")
        if "leads" in with_:
            out["_embedded"]["leads"] = [
                {"id": link["entity_id"], "_links": core.self_link(request, f"leads/{link['entity_id']}")}
                for link in self.state.links
                if link["to_entity_type"] == "contacts" and link["to_entity_id"] == contact["id"]
                and link["entity_id"] in self.state.leads
            ]
        return out

    @core.route("GET", "/api/v4/contacts")
    def _get_contacts(self, request: Request, params: core.Params) -> Response:
        items = sorted(self.state.contacts.values(), key=lambda c: int(c["id"]))
        ids = core.filter_ints(request, "filter[id]")
        if ids is not None:
            items = [c for c in items if c["id"] in ids]
        query = (request.arg("query") or "").strip()
        if query:
            items = [c for c in items if _matches(c, query)]
        return core.collection_with(request, "contacts", items, self._render)

    @core.route("GET", "/api/v4/contacts/{id}")
    def _get_contact(self, request: Request, params: core.Params) -> Response:
        contact = self.state.contacts.get(core.path_id(request, params["id"]))
        return core.one_with(request, contact, self._render)

    @core.route("POST", "/api/v4/contacts")
    def _post_contacts(self, request: Request, params: core.Params) -> Response:
        return core.create_each(request, "contacts", lambda item, errs: parse_contact(self.state, item, errs),
                                lambda plan: create_contact(self.state, plan))

    def _patch_items(self, request: Request, items: list[Any], ids: list[Any]) -> Response:
        errs = core.ValidationErrors()
        plans = []
        for i, (item, cid) in enumerate(zip(items, ids, strict=True)):
            errs.item(core.request_id(item, i))
            if not core.is_int(cid):
                errs.type("id", "int")
            elif cid not in self.state.contacts:
                errs.choice("id")
            plans.append(parse_contact(self.state, item, errs))
        errs.raise_if_any()
        out = []
        for i, (item, cid, plan) in enumerate(zip(items, ids, plans, strict=True)):
            contact = self.state.contacts[cid]
            _update_contact(self.state, contact, plan)
            out.append({"id": cid, "name": contact["name"], "updated_at": contact["updated_at"],
                        "request_id": core.request_id(item, i), "_links": core.self_link(request, f"contacts/{cid}")})
        return core.hal({"_links": core.self_link(request, "contacts"), "_embedded": {"contacts": out}})

    @core.route("PATCH", "/api/v4/contacts")
    def _patch_contacts(self, request: Request, params: core.Params) -> Response:
        items = core.read_items(request)
        return self._patch_items(request, items, core.ids_of(items))

    @core.route("PATCH", "/api/v4/contacts/{id}")
    def _patch_contact(self, request: Request, params: core.Params) -> Response:
        cid = core.path_id(request, params["id"])
        response = self._patch_items(request, [core.read_object(request)], [cid])
        return core.hal(json.loads(response.body)["_embedded"]["contacts"][0])
