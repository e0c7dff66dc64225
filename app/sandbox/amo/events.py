"""The account's event log: GET /api/v4/events (amocrm.md §16; Kommo "Events", "Events
filtration").

Events are what amoCRM records when something happens to an entity, whoever did it (a
person, a robot, an integration). The emulator records the ones the product reads —
`lead_added`, `lead_status_changed` and `custom_field_<id>_value_changed` — with
`value_before`/`value_after` as amoCRM shapes them: `[{"lead_status": {"id", "pipeline_id"}}]`
and `[{"custom_field_value": {"field_id", "field_type", "enum_id", "text"}}]`.
ASSUMPTION (not in the docs we hold): newest first, at most 100 per page, ids are opaque
26-character strings, an emptied field has an empty `value_after`.
"""

from __future__ import annotations

import copy
from typing import Any

from app.sandbox.amo.core import (
    JSON,
    USER_ID,
    ApiError,
    Params,
    Resource,
    base_url,
    collection,
    filter_ints,
    filter_values,
    problem,
    route,
    self_link,
)
from app.sandbox.amo.state import AmoState
from app.sandbox.http import Request, Response

MAX_EVENTS_PAGE = 100
ENTITY_PATHS = {"lead": "leads", "contact": "contacts", "company": "companies"}


def record_event(state: AmoState, kind: str, lead_id: int, *, before: list[JSON] | None = None,
                 after: list[JSON] | None = None, by: int = USER_ID) -> None:
    """Append one lead event to the log (no-op when the Events resource is not served)."""
    try:
        events = state.resource(Events)
    except LookupError:
        return
    number = state.next_id("event")
    events.items.append({
        "id": format(number, "026x"), "type": kind, "entity_id": lead_id, "entity_type": "lead",
        "created_by": by, "created_at": state.now(), "value_after": after or [], "value_before": before or [],
        "account_id": state.account_id,
    })


def status_value(lead: JSON) -> list[JSON]:
    return [{"lead_status": {"id": lead["status_id"], "pipeline_id": lead["pipeline_id"]}}]


def field_value(field: JSON, value: Any) -> list[JSON]:
    if value is None:
        return []
    return [{"custom_field_value": {"field_id": field["id"], "field_type": 1, "enum_id": None, "text": str(value)}}]


class Events(Resource):
    def __init__(self, state: AmoState) -> None:
        super().__init__(state)
        self.items: list[JSON] = []

    @route("GET", "/api/v4/events")
    def _list(self, request: Request, params: Params) -> Response:
        limit = request.arg("limit")
        if limit and limit.isdigit() and int(limit) > MAX_EVENTS_PAGE:
            raise ApiError(problem(400, f"Limit {MAX_EVENTS_PAGE} per page"))
        items = list(self.items)
        types = filter_values(request, "filter[type]")
        if types:
            items = [e for e in items if e["type"] in types]
        entities = filter_values(request, "filter[entity]")
        if entities:
            items = [e for e in items if e["entity_type"] in entities]
        ids = filter_ints(request, "filter[entity_id]")
        if ids is not None:
            if len(entities) != 1:
                raise ApiError(problem(400, "filter[entity_id] needs exactly one filter[entity]"))
            items = [e for e in items if e["entity_id"] in ids]
        by = filter_ints(request, "filter[created_by]")
        if by is not None:
            items = [e for e in items if e["created_by"] in by]
        for bound, keep in (("from", lambda e, v: e["created_at"] >= v), ("to", lambda e, v: e["created_at"] <= v)):
            raw = request.arg(f"filter[created_at][{bound}]")
            if raw is not None and raw.strip().lstrip("-").isdigit():
                items = [e for e in items if keep(e, int(raw))]
        items.sort(key=lambda e: (e["created_at"], e["id"]), reverse=True)
        return collection(request, "events", [self._render(request, e) for e in items])

    @staticmethod
    def _render(request: Request, event: JSON) -> JSON:
        out = copy.deepcopy(event)
        out["_links"] = self_link(request, f"events/{event['id']}")
        path = ENTITY_PATHS.get(event["entity_type"], event["entity_type"])
        out["_embedded"] = {"entity": {"id": event["entity_id"],
                                       "_links": {"self": {"href": f"{base_url(request)}/api/v4/{path}/{event['entity_id']}"}}}}
        return out
