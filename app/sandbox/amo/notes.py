"""Notes of leads: /api/v4/leads/notes and /api/v4/leads/{id}/notes (the sync writes the
order's details as a `common` note)."""

from __future__ import annotations

import copy
from typing import Any

from app.sandbox.amo.core import (
    JSON,
    USER_ID,
    Params,
    Resource,
    ValidationErrors,
    collection,
    filter_ints,
    filter_values,
    hal,
    is_int,
    no_content,
    path_id,
    read_items,
    request_id,
    self_link,
)
from app.sandbox.http import Request, Response, Router

NOTE_TYPES = frozenset({
    "common", "call_in", "call_out", "service_message", "extended_service_message",
    "message_cashier", "geolocation", "sms_in", "sms_out", "attachment", "invoice_paid",
})


def _render(request: Request, note: JSON) -> JSON:
    out = copy.deepcopy(note)
    out["_links"] = self_link(request, f"leads/{note['entity_id']}/notes/{note['id']}")
    return out


class Notes(Resource):
    def routes(self, router: Router) -> None:
        v4 = "/api/v4"
        router.add("GET", f"{v4}/leads/notes", self._get_notes)
        router.add("POST", f"{v4}/leads/notes", self._post_notes)
        router.add("GET", f"{v4}/leads/notes/{{nid}}", self._get_note)
        router.add("GET", f"{v4}/leads/{{id}}/notes", self._get_lead_notes)
        router.add("POST", f"{v4}/leads/{{id}}/notes", self._post_lead_notes)

    def _get_notes(self, request: Request, params: Params) -> Response:
        return self._listing(request, filter_ints(request, "filter[entity_id]"))

    def _get_lead_notes(self, request: Request, params: Params) -> Response:
        return self._listing(request, [path_id(request, params["id"])])

    def _listing(self, request: Request, entity_ids: list[int] | None) -> Response:
        items = [n for n in self.state.notes if n["entity_id"] in self.state.leads]
        if entity_ids is not None:
            items = [n for n in items if n["entity_id"] in entity_ids]
        types = filter_values(request, "filter[note_type]")
        if types:
            items = [n for n in items if n["note_type"] in types]
        return collection(request, "notes", [_render(request, n) for n in items])

    def _get_note(self, request: Request, params: Params) -> Response:
        nid = path_id(request, params["nid"])
        note = next((n for n in self.state.notes if n["id"] == nid and n["entity_id"] in self.state.leads), None)
        return hal(_render(request, note)) if note else no_content()

    def _post_notes(self, request: Request, params: Params) -> Response:
        return self._create(request, read_items(request), None)

    def _post_lead_notes(self, request: Request, params: Params) -> Response:
        return self._create(request, read_items(request), path_id(request, params["id"]))

    def _validate(self, item: Any, lead_id: int | None, errs: ValidationErrors) -> None:
        if not isinstance(item, dict):
            errs.type("", "object")
            return
        entity_id = lead_id if lead_id is not None else item.get("entity_id")
        if not is_int(entity_id):
            errs.type("entity_id", "int")
        elif entity_id not in self.state.leads:
            errs.choice("entity_id")
        note_type = item.get("note_type")
        if not isinstance(note_type, str):
            errs.type("note_type", "string")
        elif note_type not in NOTE_TYPES:
            errs.choice("note_type")
        params_ = item.get("params", {})
        if not isinstance(params_, dict):
            errs.type("params", "object")
        elif note_type == "common":
            text = params_.get("text")
            if not isinstance(text, str):
                errs.type("params.text", "string")
            elif not text.strip():
                errs.blank("params.text")

    def _create(self, request: Request, items: list[Any], lead_id: int | None) -> Response:
        st = self.state
        errs = ValidationErrors()
        for i, item in enumerate(items):
            errs.item(request_id(item, i))
            self._validate(item, lead_id, errs)
        errs.raise_if_any()
        now = st.now()
        out = []
        for i, item in enumerate(items):
            entity_id = lead_id if lead_id is not None else item["entity_id"]
            nid = st.next_id("note")
            st.notes.append({"id": nid, "entity_id": entity_id, "created_by": USER_ID, "updated_by": USER_ID,
                             "created_at": now, "updated_at": now, "responsible_user_id": USER_ID, "group_id": 0,
                             "note_type": item["note_type"], "params": copy.deepcopy(item.get("params") or {}),
                             "account_id": st.account_id})
            st.leads[entity_id]["updated_at"] = now
            out.append({"id": nid, "entity_id": entity_id, "request_id": request_id(item, i),
                        "_links": self_link(request, f"leads/{entity_id}/notes/{nid}")})
        return hal({"_links": self_link(request, "leads/notes"), "_embedded": {"notes": out}})
