"""Contacts: /api/v4/contacts (list, search, create, update) and their custom fields.

Search reproduces amoCRM's fuzzy phone match: a phone-like query matches any contact whose
phone ends in the query's last 7 digits (shared/api/amocrm.md §14), false positives included.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from app.sandbox.amo.core import (
    EMAIL_FIELD_ID,
    JSON,
    PHONE_FIELD_ID,
    USER_ID,
    Params,
    Resource,
    ValidationErrors,
    collection,
    digits,
    filter_ints,
    hal,
    ids_of,
    is_int,
    no_content,
    parse_each,
    path_id,
    read_items,
    read_object,
    request_id,
    self_link,
    with_params,
)
from app.sandbox.amo.state import AmoState
from app.sandbox.amo.tags import apply_tag_ops, parse_tag_ops
from app.sandbox.http import Request, Response, Router

CONTACT_FIELDS: dict[int, JSON] = {
    PHONE_FIELD_ID: {
        "id": PHONE_FIELD_ID, "name": "Телефон", "code": "PHONE", "type": "multitext", "sort": 4,
        "enums": {"WORK": 100101, "WORKDD": 100103, "MOB": 100105, "FAX": 100107, "HOME": 100109, "OTHER": 100111},
    },
    EMAIL_FIELD_ID: {
        "id": EMAIL_FIELD_ID, "name": "Email", "code": "EMAIL", "type": "multitext", "sort": 6,
        "enums": {"WORK": 100201, "PRIV": 100203, "OTHER": 100205},
    },
}


def phones(contact: JSON) -> list[str]:
    out: list[str] = []
    for field in contact.get("custom_fields_values") or []:
        if field.get("field_code") == "PHONE":
            out.extend(v["value"] for v in field["values"])
    return out


def _field_for(entry: JSON, p: str, errs: ValidationErrors) -> JSON | None:
    if entry.get("field_id") is not None:
        field = CONTACT_FIELDS.get(entry["field_id"]) if is_int(entry["field_id"]) else None
        if field is None:
            errs.choice(f"{p}.field_id")
        return field
    if entry.get("field_code") is not None:
        field = next((f for f in CONTACT_FIELDS.values() if f["code"] == entry["field_code"]), None)
        if field is None:
            errs.choice(f"{p}.field_code")
        return field
    errs.blank(f"{p}.field_id")
    return None


def _enum_values(field: JSON, values: list[Any], p: str, errs: ValidationErrors) -> list[JSON]:
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


def parse_contact_fields(value: Any, prefix: str, errs: ValidationErrors) -> list[JSON] | None:
    """`custom_fields_values` of a contact → stored read shape (None when nothing given)."""
    path = f"{prefix}custom_fields_values"
    if value is None:
        return None
    if not isinstance(value, list):
        errs.type(path, "array")
        return None
    out: list[JSON] = []
    for i, entry in enumerate(value):
        p = f"{path}.{i}"
        if not isinstance(entry, dict):
            errs.type(p, "object")
            continue
        field = _field_for(entry, p, errs)
        if field is None:
            continue
        values = entry.get("values")
        if not isinstance(values, list):
            errs.type(f"{p}.values", "array")
            continue
        stored = _enum_values(field, values, p, errs)
        out = [f for f in out if f["field_id"] != field["id"]]
        out.append({"field_id": field["id"], "field_name": field["name"], "field_code": field["code"],
                    "field_type": field["type"], "values": stored})
    return out


def parse_contact(state: AmoState, item: Any, errs: ValidationErrors, *, prefix: str = "") -> JSON:
    """Validate one contact body (also the one embedded in /leads/complex) into a plan."""
    plan: JSON = {}
    if not isinstance(item, dict):
        errs.type(prefix.rstrip(".") or "", "object")
        return plan
    for key in ("name", "first_name", "last_name"):
        if key in item and item[key] is not None:
            if not isinstance(item[key], str):
                errs.type(f"{prefix}{key}", "string")
            else:
                plan[key] = item[key]
    if item.get("responsible_user_id") is not None and not is_int(item["responsible_user_id"]):
        errs.type(f"{prefix}responsible_user_id", "int")
    if "custom_fields_values" in item:
        plan["cfv"] = parse_contact_fields(item["custom_fields_values"], prefix, errs)
    plan.update(parse_tag_ops(state, item, "contacts", errs, prefix))
    return plan


def create_contact(state: AmoState, plan: JSON) -> int:
    now = state.now()
    cid = state.next_id("contact")
    first, last = plan.get("first_name", ""), plan.get("last_name", "")
    name = plan.get("name")
    if name is None:
        name = f"{first} {last}".strip()
    state.contacts[cid] = {
        "id": cid, "name": name, "first_name": first, "last_name": last, "responsible_user_id": USER_ID,
        "group_id": 0, "created_by": USER_ID, "updated_by": USER_ID, "created_at": now, "updated_at": now,
        "closest_task_at": None, "is_deleted": False, "is_unsorted": False,
        "custom_fields_values": plan.get("cfv") or None, "account_id": state.account_id,
        "_embedded": {"tags": [], "companies": []},
    }
    apply_tag_ops(state, "contacts", state.contacts[cid], plan)
    return cid


def add_contact(state: AmoState, name: str, phone_values: list[str], *, first_name: str | None = None,
                last_name: str | None = None) -> int:
    """Seed a contact with PHONE values exactly as given (people type phones in any shape)."""
    cfv = [{"field_id": PHONE_FIELD_ID, "values": [{"value": p, "enum_code": "WORK"} for p in phone_values]}]
    plan = {"name": name, "first_name": first_name if first_name is not None else "",
            "last_name": last_name if last_name is not None else "",
            "cfv": parse_contact_fields(cfv, "", ValidationErrors()) if phone_values else None}
    return create_contact(state, plan)


def _update_contact(state: AmoState, contact: JSON, plan: JSON) -> None:
    for key in ("name", "first_name", "last_name"):
        if key in plan:
            contact[key] = plan[key]
    if plan.get("cfv") is not None:
        fields = {f["field_id"]: f for f in contact.get("custom_fields_values") or []}
        for f in plan["cfv"]:
            fields[f["field_id"]] = f
        contact["custom_fields_values"] = [f for f in fields.values() if f["values"]] or None
    apply_tag_ops(state, "contacts", contact, plan)
    contact["updated_at"] = state.now()


def _matches(contact: JSON, query: str) -> bool:
    """amoCRM's full-text search: a phone-like query matches on the last 7 digits only."""
    compact = re.sub(r"[\s()+\-.]", "", query)
    if compact.isdigit() and len(compact) >= 7:
        tail = compact[-7:]
        return any(digits(p).endswith(tail) for p in phones(contact))
    folded = query.casefold()
    haystack = [contact["name"], contact.get("first_name") or "", contact.get("last_name") or ""]
    for field in contact.get("custom_fields_values") or []:
        haystack.extend(str(v.get("value", "")) for v in field["values"])
    return any(folded in h.casefold() for h in haystack)


class Contacts(Resource):
    def routes(self, router: Router) -> None:
        v4 = "/api/v4"
        router.add("GET", f"{v4}/contacts/custom_fields", self._get_fields)
        router.add("GET", f"{v4}/contacts", self._get_contacts)
        router.add("POST", f"{v4}/contacts", self._post_contacts)
        router.add("PATCH", f"{v4}/contacts", self._patch_contacts)
        router.add("GET", f"{v4}/contacts/{{id}}", self._get_contact)
        router.add("PATCH", f"{v4}/contacts/{{id}}", self._patch_contact)

    def _get_fields(self, request: Request, params: Params) -> Response:
        fields = []
        for f in CONTACT_FIELDS.values():
            fields.append({"id": f["id"], "name": f["name"], "type": f["type"], "code": f["code"], "sort": f["sort"],
                           "is_api_only": False, "entity_type": "contacts", "is_deletable": False,
                           "enums": [{"id": eid, "value": code, "sort": i * 2 + 2}
                                     for i, (code, eid) in enumerate(f["enums"].items())],
                           "account_id": self.state.account_id})
        return collection(request, "custom_fields", fields)

    def _render(self, request: Request, contact: JSON, with_: set[str]) -> JSON:
        out = copy.deepcopy(contact)
        out["_links"] = self_link(request, f"contacts/{contact['id']}")
        if "leads" in with_:
            out["_embedded"]["leads"] = [
                {"id": link["entity_id"], "_links": self_link(request, f"leads/{link['entity_id']}")}
                for link in self.state.links
                if link["to_entity_type"] == "contacts" and link["to_entity_id"] == contact["id"]
                and link["entity_id"] in self.state.leads
            ]
        return out

    def _get_contacts(self, request: Request, params: Params) -> Response:
        items = sorted(self.state.contacts.values(), key=lambda c: int(c["id"]))
        ids = filter_ints(request, "filter[id]")
        if ids is not None:
            items = [c for c in items if c["id"] in ids]
        query = (request.arg("query") or "").strip()
        if query:
            items = [c for c in items if _matches(c, query)]
        with_ = with_params(request)
        return collection(request, "contacts", [self._render(request, c, with_) for c in items])

    def _get_contact(self, request: Request, params: Params) -> Response:
        contact = self.state.contacts.get(path_id(request, params["id"]))
        if contact is None:
            return no_content()
        return hal(self._render(request, contact, with_params(request)))

    def _post_contacts(self, request: Request, params: Params) -> Response:
        items = read_items(request)
        plans = parse_each(items, lambda item, errs: parse_contact(self.state, item, errs))
        out = []
        for i, (item, plan) in enumerate(zip(items, plans)):
            cid = create_contact(self.state, plan)
            out.append({"id": cid, "request_id": request_id(item, i), "_links": self_link(request, f"contacts/{cid}")})
        return hal({"_links": self_link(request, "contacts"), "_embedded": {"contacts": out}})

    def _patch_items(self, request: Request, items: list[Any], ids: list[Any]) -> Response:
        errs = ValidationErrors()
        plans = []
        for i, (item, cid) in enumerate(zip(items, ids)):
            errs.item(request_id(item, i))
            if not is_int(cid):
                errs.type("id", "int")
            elif cid not in self.state.contacts:
                errs.choice("id")
            plans.append(parse_contact(self.state, item, errs))
        errs.raise_if_any()
        out = []
        for i, (item, cid, plan) in enumerate(zip(items, ids, plans)):
            contact = self.state.contacts[cid]
            _update_contact(self.state, contact, plan)
            out.append({"id": cid, "name": contact["name"], "updated_at": contact["updated_at"],
                        "request_id": request_id(item, i), "_links": self_link(request, f"contacts/{cid}")})
        return hal({"_links": self_link(request, "contacts"), "_embedded": {"contacts": out}})

    def _patch_contacts(self, request: Request, params: Params) -> Response:
        items = read_items(request)
        return self._patch_items(request, items, ids_of(items))

    def _patch_contact(self, request: Request, params: Params) -> Response:
        cid = path_id(request, params["id"])
        response = self._patch_items(request, [read_object(request)], [cid])
        return hal(json.loads(response.body)["_embedded"]["contacts"][0])
