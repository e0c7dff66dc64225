"""Notes of leads: /api/v4/leads/notes and /api/v4/leads/{id}/notes (the sync writes the
order's details as a `common` note)."""

from __future__ import annotations

import copy
from typing import Any

from app.sandbox.amo import core
from app.sandbox.http import Request, Response

NOTE_TYPES = frozenset({
    "common", "call_in", "call_out", "service_message", "extended_service_message",
    "message_cashier", "geolocation", "sms_in", "sms_out", "attachment", "invoice_paid",
})


def _render(request: Request, note: core.JSON) -> core.JSON:
    out = copy.deepcopy(note)
    out["_links"] = core.self_link(request, f"leads/{note['entity_id']}/notes/{note['id']}")
    return out


class Notes(core.Resource):
    @core.route("GET", "/api/v4/leads/notes")
    def _get_notes(self, request: Request, params: core.Params) -> Response:
        return self._listing(request, core.filter_ints(request, "filter[entity_id]"))

    @core.route("GET", "/api/v4/leads/{id}/notes")
    def _get_lead_notes(self, request: Request, params: core.Params) -> Response:
        return self._listing(request, [core.path_id(request, params["id"])])

    def _listing(self, request: Request, entity_ids: list[int] | None) -> Response:
        items = [n for n in self.state.notes if n["entity_id"] in self.state.leads]
        if entity_ids is not None:
            items = [n for n in items if n["entity_id"] in entity_ids]
        types = core.filter_values(request, "filter[note_type]")
        if types:
            items = [n for n in items if n["note_type"] in types]
        return core.collection(request, "notes", [_render(request, n) for n in items])

    @core.route("GET", "/api/v4/leads/notes/{nid}")
    def _get_note(self, request: Request, params: core.Params) -> Response:
        nid = core.path_id(request, params["nid"])
        note = next((n for n in self.state.notes if n["id"] == nid and n["entity_id"] in self.state.leads), None)
        return core.one(note, lambda found: _render(request, found))

    @core.route("POST", "/api/v4/leads/notes")
    def _post_notes(self, request: Request, params: core.Params) -> Response:
        return self._create(request, core.read_items(request), None)

    @core.route("POST", "/api/v4/leads/{id}/notes")
    def _post_lead_notes(self, request: Request, params: core.Params) -> Response:
        return self._create(request, core.read_items(request), core.path_id(request, params["id"]))

    def _validate(self, item: Any, lead_id: int | None, errs: core.ValidationErrors) -> None:
        if not isinstance(item, dict):
            errs.type("", "object")
            return
        entity_id = lead_id if lead_id is not None else item.get("entity_id")
        if not core.is_int(entity_id):
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
        errs = core.ValidationErrors()
        for i, item in enumerate(items):
            errs.item(core.request_id(item, i))
            self._validate(item, lead_id, errs)
        errs.raise_if_any()
        now = st.now()
        out = []
        for i, item in enumerate(items):
            entity_id = lead_id if lead_id is not None else item["entity_id"]
            nid = st.next_id("note")
            st.notes.append({"id": nid, "entity_id": entity_id, "created_by": core.USER_ID, "updated_by": core.USER_ID,
                             "created_at": now, "updated_at": now, "responsible_user_id": core.USER_ID, "group_id": 0,
                             "note_type": item["note_type"], "params": copy.deepcopy(item.get("params") or {}),
                             "account_id": st.account_id})
            st.leads[entity_id]["updated_at"] = now
            out.append({"id": nid, "entity_id": entity_id, "request_id": core.request_id(item, i),
                        "_links": core.self_link(request, f"leads/{entity_id}/notes/{nid}")})
        return core.hal({"_links": core.self_link(request, "leads/notes"), "_embedded": {"notes": out}})
