"""Custom fields of leads: GET|POST /api/v4/leads/custom_fields, and their values on leads
(`custom_fields_values` in lead bodies, by `field_id`; amocrm.md §16).

A value is written as `{"field_id": N, "values": [{"value": …}]}`; `"values": null` (or
`[]`) empties the field. Only fields that exist may be written (400 NotSupportedChoice, as
for any unknown id); a numeric field takes numbers only. Every change of a value is
recorded as a `custom_field_<id>_value_changed` event. Text, textarea, numeric, url,
checkbox and date fields are modelled; lists with enums are not.
"""

from __future__ import annotations

from typing import Any

from app.sandbox.amo.core import (
    JSON,
    USER_ID,
    Params,
    Resource,
    ValidationErrors,
    hal,
    is_int,
    is_number,
    linked_copy,
    one,
    parse_each,
    path_id,
    read_items,
    request_id,
    route,
    sorted_settings,
)
from app.sandbox.amo.events import field_value, record_event
from app.sandbox.amo.state import AmoState
from app.sandbox.http import Request, Response

FIELD_TYPES = frozenset({"text", "textarea", "numeric", "url", "checkbox", "date"})


def _field(state: AmoState, field_id: Any) -> JSON | None:
    try:
        fields = state.resource(LeadFields).fields
    except LookupError:
        return None
    return fields.get(field_id) if is_int(field_id) else None


def parse_values(state: AmoState, cfv: Any, errs: ValidationErrors) -> list[tuple[int, Any]]:
    """`custom_fields_values` of a lead body → [(field id, value or None to empty)]."""
    if not isinstance(cfv, list):
        errs.type("custom_fields_values", "array")
        return []
    out: list[tuple[int, Any]] = []
    for i, entry in enumerate(cfv):
        p = f"custom_fields_values.{i}"
        if not isinstance(entry, dict):
            errs.type(p, "object")
            continue
        field = _field(state, entry.get("field_id"))
        if field is None:
            errs.choice(f"{p}.field_id")
            continue
        values = entry.get("values")
        if values is None or values == []:
            out.append((field["id"], None))
            continue
        if not isinstance(values, list) or not isinstance(values[0], dict) or "value" not in values[0]:
            errs.type(f"{p}.values", "array")
            continue
        value = values[0]["value"]
        if field["type"] == "numeric":
            if isinstance(value, str) and value.strip().replace(".", "", 1).isdigit():
                value = float(value) if "." in value else int(value)
            if not is_number(value):
                errs.type(f"{p}.values.0.value", "numeric")
                continue
        elif field["type"] == "checkbox":
            if not isinstance(value, bool):
                errs.type(f"{p}.values.0.value", "bool")
                continue
        elif not isinstance(value, (str, int, float)) or isinstance(value, bool):
            errs.type(f"{p}.values.0.value", "string")
            continue
        out.append((field["id"], value))
    return out


def current_value(lead: JSON, field_id: int) -> Any:
    for entry in lead.get("custom_fields_values") or []:
        if entry["field_id"] == field_id and entry["values"]:
            return entry["values"][0]["value"]
    return None


def apply_values(state: AmoState, lead: JSON, values: list[tuple[int, Any]], *, by: int = USER_ID,
                 events: bool = True) -> None:
    """Write the values onto the lead; a change of value becomes an event."""
    for field_id, value in values:
        field = _field(state, field_id)
        if field is None:
            continue
        before = current_value(lead, field_id)
        if before == value:
            continue
        kept = [e for e in lead.get("custom_fields_values") or [] if e["field_id"] != field_id]
        if value is not None:
            kept.append({"field_id": field_id, "field_name": field["name"], "field_code": None,
                         "field_type": field["type"], "values": [{"value": value}]})
        lead["custom_fields_values"] = kept or None
        if events:
            record_event(state, f"custom_field_{field_id}_value_changed", lead["id"],
                         before=field_value(field, before), after=field_value(field, value), by=by)


def add_lead_field(state: AmoState, name: str, type_: str) -> int:
    """Create a lead field (as the owner would in Settings, or the API)."""
    fields = state.resource(LeadFields).fields
    fid = state.next_id("field")
    fields[fid] = {
        "id": fid, "name": name, "type": type_, "account_id": state.account_id, "code": None,
        "sort": 500 + len(fields), "is_api_only": False, "enums": None, "group_id": None,
        "required_statuses": [], "is_deletable": True, "is_predefined": False, "entity_type": "leads",
        "remind": None,
    }
    return fid


def field_named(state: AmoState, name: str) -> JSON | None:
    return next((f for f in state.resource(LeadFields).fields.values() if f["name"] == name), None)


class LeadFields(Resource):
    def __init__(self, state: AmoState) -> None:
        super().__init__(state)
        self.fields: dict[int, JSON] = {}

    def _render(self, request: Request, field: JSON) -> JSON:
        return linked_copy(request, "leads/custom_fields", field)

    @route("GET", "/api/v4/leads/custom_fields")
    def _list(self, request: Request, params: Params) -> Response:
        return sorted_settings(request, "custom_fields", "leads/custom_fields", self.fields)

    @route("GET", "/api/v4/leads/custom_fields/{fid}")
    def _get(self, request: Request, params: Params) -> Response:
        return one(self.fields.get(path_id(request, params["fid"])), lambda found: self._render(request, found))

    @route("POST", "/api/v4/leads/custom_fields")
    def _create(self, request: Request, params: Params) -> Response:
        items = read_items(request)

        def parse(item: Any, errs: ValidationErrors) -> JSON:
            if not isinstance(item, dict):
                errs.type("", "object")
                return {}
            if not isinstance(item.get("name"), str) or not item["name"].strip():
                errs.blank("name")
            if item.get("type") not in FIELD_TYPES:
                errs.choice("type")
            return item

        plans = parse_each(items, parse)
        out = []
        for i, (item, plan) in enumerate(zip(items, plans, strict=True)):
            fid = add_lead_field(self.state, plan["name"].strip(), plan["type"])
            out.append({**self._render(request, self.fields[fid]), "request_id": request_id(item, i)})
        return hal({"_total_items": len(out), "_embedded": {"custom_fields": out}})
