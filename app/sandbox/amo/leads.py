"""Leads: /api/v4/leads (list, filter, create, update) and /api/v4/leads/complex.

A lead's pipeline and status are validated like amoCRM does: a status alone moves the lead
to the pipeline that owns it, WON/LOST (142/143) belong to every pipeline, and the
"unsorted" stage (type 1) cannot be set through the API.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from app.sandbox.amo import core
from app.sandbox.amo.account import (
    find_pipeline,
    first_stage,
    main_pipeline_id,
    statuses_of,
)
from app.sandbox.amo.contacts import create_contact, parse_contact
from app.sandbox.amo.events import record_event, status_value
from app.sandbox.amo.lead_fields import apply_values, parse_values
from app.sandbox.amo.links import link_contact
from app.sandbox.amo.loss_reasons import embedded_reason, parse_loss_reason
from app.sandbox.amo.state import AmoState
from app.sandbox.amo.tags import apply_tag_ops, parse_tag_ops
from app.sandbox.http import Request, Response


def _parse_stage(state: AmoState, item: core.JSON, errs: core.ValidationErrors, existing: core.JSON | None, plan: core.JSON) -> None:
    pid, sid = item.get("pipeline_id"), item.get("status_id")
    ok = True
    if pid is not None and not core.is_int(pid):
        errs.type("pipeline_id", "int")
        ok = False
    elif pid is not None and find_pipeline(state, pid) is None:
        errs.choice("pipeline_id")
        ok = False
    if sid is not None and not core.is_int(sid):
        errs.type("status_id", "int")
        ok = False
    if not ok or (pid is None and sid is None and existing is not None):
        return
    current = existing["pipeline_id"] if existing else main_pipeline_id(state)
    if pid is None and sid is not None and sid not in (core.WON, core.LOST):
        owners = [p["id"] for p in state.pipelines if any(s["id"] == sid for s in p["_embedded"]["statuses"])]
        target = owners[0] if owners else current
    else:
        target = pid if pid is not None else current
    if sid is None:
        if existing is not None and target == existing["pipeline_id"]:
            sid = existing["status_id"]
        else:
            sid = first_stage(state, target)
    status = next((s for s in statuses_of(state, target) if s["id"] == sid), None)
    if status is None or status["type"] == 1:
        errs.choice("status_id")
    else:
        plan["pipeline_id"], plan["status_id"] = target, sid


def _parse_contacts(state: AmoState, contacts: Any, errs: core.ValidationErrors, complex_: bool, plan: core.JSON) -> None:
    if not isinstance(contacts, list):
        errs.type("_embedded.contacts", "array")
    elif complex_:
        if len(contacts) > 1:
            errs.add("Count", "_embedded.contacts", "This collection should contain 1 element or less.")
        elif contacts:
            body = contacts[0]
            if isinstance(body, dict) and body.get("id") is not None:
                if not core.is_int(body["id"]):
                    errs.type("_embedded.contacts.0.id", "int")
                elif body["id"] not in state.contacts:
                    errs.choice("_embedded.contacts.0.id")
                else:
                    plan["link_contact"] = body["id"]
            else:
                plan["new_contact"] = parse_contact(state, body, errs, prefix="_embedded.contacts.0.")
    else:
        refs = []
        for i, ref in enumerate(contacts):
            p = f"_embedded.contacts.{i}"
            if not isinstance(ref, dict):
                errs.type(p, "object")
            elif not core.is_int(ref.get("id")):
                errs.type(f"{p}.id", "int")
            elif ref["id"] not in state.contacts:
                errs.choice(f"{p}.id")
            else:
                refs.append((ref["id"], ref.get("is_main")))
        plan["contacts"] = refs


def parse_lead(state: AmoState, item: Any, errs: core.ValidationErrors, *, existing: core.JSON | None,
               complex_: bool = False) -> core.JSON:
    """Validate one lead body into a plan; nothing is changed until the whole batch is valid."""
    plan: core.JSON = {}
    if not isinstance(item, dict):
        errs.type("", "object")
        return plan
    if "name" in item:
        if not isinstance(item["name"], str):
            errs.type("name", "string")
        else:
            plan["name"] = item["name"]
    if "price" in item:
        if not core.is_int(item["price"]):
            errs.type("price", "int")
        else:
            plan["price"] = item["price"]
    for key in ("responsible_user_id", "created_at", "updated_at", "closed_at"):
        if item.get(key) is not None and not core.is_int(item[key]):
            errs.type(key, "int")
    if "loss_reason_id" in item:
        plan["loss_reason_id"] = parse_loss_reason(state, item["loss_reason_id"], errs)
    if item.get("custom_fields_values") is not None:
        plan["cfv"] = parse_values(state, item["custom_fields_values"], errs)
    if core.is_int(item.get("responsible_user_id")):
        plan["responsible_user_id"] = item["responsible_user_id"]
    _parse_stage(state, item, errs, existing, plan)
    plan.update(parse_tag_ops(state, item, "leads", errs))
    embedded = item.get("_embedded")
    if embedded is not None and not isinstance(embedded, dict):
        errs.type("_embedded", "object")
    elif existing is None and isinstance(embedded, dict) and embedded.get("contacts") is not None:
        _parse_contacts(state, embedded["contacts"], errs, complex_, plan)
    return plan


def create_lead(state: AmoState, plan: core.JSON) -> int:
    now = state.now()
    lid = state.next_id("lead")
    status_id = plan["status_id"]
    state.leads[lid] = {
        "id": lid, "name": plan.get("name", f"Сделка #{lid}"), "price": plan.get("price", 0),
        "responsible_user_id": plan.get("responsible_user_id", core.USER_ID), "group_id": 0, "status_id": status_id,
        "pipeline_id": plan["pipeline_id"], "loss_reason_id": None, "created_by": core.USER_ID,
        "updated_by": core.USER_ID, "created_at": now, "updated_at": now,
        "closed_at": now if status_id in (core.WON, core.LOST) else None, "closest_task_at": None,
        "is_deleted": False, "custom_fields_values": None, "score": None, "account_id": state.account_id,
        "labor_cost": None, "_embedded": {"tags": [], "companies": []},
    }
    lead = state.leads[lid]
    if status_id == core.LOST and plan.get("loss_reason_id") is not None:
        lead["loss_reason_id"] = plan["loss_reason_id"]
    apply_values(state, lead, plan.get("cfv", []), events=False)
    apply_tag_ops(state, "leads", lead, plan)
    for contact_id, is_main in plan.get("contacts", []):
        link_contact(state, lid, contact_id, is_main)
    record_event(state, "lead_added", lid)
    return lid


def update_lead(state: AmoState, lead: core.JSON, plan: core.JSON, *, by: int = core.USER_ID) -> None:
    """Apply a validated plan; a stage move and a field change are recorded as events."""
    before = status_value(lead)
    for key in ("name", "price", "pipeline_id", "responsible_user_id"):
        if key in plan:
            lead[key] = plan[key]
    if "status_id" in plan:
        lead["status_id"] = plan["status_id"]
    moved = status_value(lead) != before
    if moved:
        lead["closed_at"] = state.now() if lead["status_id"] in (core.WON, core.LOST) else None
    if lead["status_id"] != core.LOST:
        lead["loss_reason_id"] = None
    elif "loss_reason_id" in plan:
        lead["loss_reason_id"] = plan["loss_reason_id"]
    if moved:
        record_event(state, "lead_status_changed", lead["id"], before=before, after=status_value(lead), by=by)
    apply_values(state, lead, plan.get("cfv", []), by=by)
    apply_tag_ops(state, "leads", lead, plan)
    lead["updated_at"] = state.now()


def _status_filter(request: Request) -> set[tuple[int, int]]:
    found: dict[str, dict[str, int]] = {}
    for key, values in request.query.items():
        m = re.fullmatch(r"filter\[statuses\]\[(\d+)\]\[(pipeline_id|status_id)\]", key)
        if m and values and values[0].isdigit():
            found.setdefault(m.group(1), {})[m.group(2)] = int(values[0])
    return {(v["pipeline_id"], v["status_id"]) for v in found.values() if len(v) == 2}


class Leads(core.Resource):
    def _render(self, request: Request, lead: core.JSON, with_: set[str]) -> core.JSON:
        out = copy.deepcopy(lead)
        out["_links"] = core.self_link(request, f"leads/{lead['id']}")
        mine = [link for link in self.state.links if link["entity_id"] == lead["id"]]
        if "contacts" in with_:
            out["_embedded"]["contacts"] = [
                {"id": link["to_entity_id"], "is_main": bool(link["metadata"].get("main_contact")),
                 "_links": core.self_link(request, f"contacts/{link['to_entity_id']}")}
                for link in mine if link["to_entity_type"] == "contacts"]
        if "loss_reason" in with_:
            out["_embedded"]["loss_reason"] = embedded_reason(self.state, lead)
        if "catalog_elements" in with_:
            out["_embedded"]["catalog_elements"] = [
                {"id": link["to_entity_id"], "metadata": dict(link["metadata"])}
                for link in mine if link["to_entity_type"] == "catalog_elements"]
        return out

    @core.route("GET", "/api/v4/leads")
    def _get_leads(self, request: Request, params: core.Params) -> Response:
        items = list(self.state.leads.values())
        ids = core.filter_ints(request, "filter[id]")
        if ids is not None:
            items = [lead for lead in items if lead["id"] in ids]
        names = core.filter_values(request, "filter[name]")
        if names:
            items = [lead for lead in items if lead["name"] in names]
        pids = core.filter_ints(request, "filter[pipeline_id]")
        if pids is not None:
            items = [lead for lead in items if lead["pipeline_id"] in pids]
        pairs = _status_filter(request)
        if pairs:
            items = [lead for lead in items if (lead["pipeline_id"], lead["status_id"]) in pairs]
        query = (request.arg("query") or "").strip().casefold()
        if query:
            items = [lead for lead in items if query in lead["name"].casefold()]
        order = next(((k[6:-1], v[0]) for k, v in request.query.items() if k.startswith("order[")), ("id", "asc"))
        key = order[0] if order[0] in ("id", "created_at", "updated_at") else "id"
        items.sort(key=lambda lead: (lead[key], lead["id"]), reverse=order[1].lower() == "desc")
        return core.collection_with(request, "leads", items, self._render)

    @core.route("GET", "/api/v4/leads/{id}")
    def _get_lead(self, request: Request, params: core.Params) -> Response:
        lead = self.state.leads.get(core.path_id(request, params["id"]))
        return core.one_with(request, lead, self._render)

    @core.route("POST", "/api/v4/leads")
    def _post_leads(self, request: Request, params: core.Params) -> Response:
        return core.create_each(request, "leads", lambda item, errs: parse_lead(self.state, item, errs, existing=None),
                                lambda plan: create_lead(self.state, plan))

    def _patch_items(self, request: Request, items: list[Any], ids: list[Any]) -> list[core.JSON]:
        st = self.state
        errs = core.ValidationErrors()
        plans = []
        for i, (item, lid) in enumerate(zip(items, ids, strict=True)):
            errs.item(core.request_id(item, i))
            existing = None
            if not core.is_int(lid):
                errs.type("id", "int")
            elif lid not in st.leads:
                errs.choice("id")
            else:
                existing = st.leads[lid]
            plans.append(parse_lead(st, item, errs, existing=existing) if existing or not isinstance(item, dict)
                         else {})
        errs.raise_if_any()
        out = []
        for i, (item, lid, plan) in enumerate(zip(items, ids, plans, strict=True)):
            lead = st.leads[lid]
            update_lead(st, lead, plan)
            out.append({"id": lid, "updated_at": lead["updated_at"], "request_id": core.request_id(item, i),
                        "_links": core.self_link(request, f"leads/{lid}")})
        return out

    @core.route("PATCH", "/api/v4/leads")
    def _patch_leads(self, request: Request, params: core.Params) -> Response:
        items = core.read_items(request)
        out = self._patch_items(request, items, core.ids_of(items))
        return core.hal({"_links": core.self_link(request, "leads"), "_embedded": {"leads": out}})

    @core.route("PATCH", "/api/v4/leads/{id}")
    def _patch_lead(self, request: Request, params: core.Params) -> Response:
        lid = core.path_id(request, params["id"])
        return core.hal(self._patch_items(request, [core.read_object(request)], [lid])[0])

    @core.route("POST", "/api/v4/leads/complex")
    def _post_complex(self, request: Request, params: core.Params) -> Response:
        items = core.read_items(request)
        if len(items) > core.MAX_COMPLEX:
            return core.problem(400, f"Too many leads in one request: at most {core.MAX_COMPLEX} are allowed")
        plans = core.parse_each(items, lambda item, errs: parse_lead(self.state, item, errs, existing=None, complex_=True))
        out = []
        for i, (item, plan) in enumerate(zip(items, plans, strict=True)):
            lid = create_lead(self.state, plan)
            contact_id = plan.get("link_contact")
            if "new_contact" in plan:
                contact_id = create_contact(self.state, plan["new_contact"])
            if contact_id is not None:
                link_contact(self.state, lid, contact_id, True)
            out.append({"id": lid, "contact_id": contact_id, "company_id": None,
                        "request_id": [core.request_id(item, i)], "merged": False})
        return core.hal(out)
