"""What the two-way actions read from and write to amoCRM beyond creating deals.

- the deal changes since the last look: `GET /api/v4/events` for stage moves
  (`lead_status_changed`) and for the code field (`custom_field_<id>_value_changed`), one
  request when nothing changed (amoCRM answers 204); amocrm.md §16, Kommo "Events" /
  "Events filtration";
- the deals' current state where an event does not carry it: `GET /api/v4/leads` by ids
  with `with=loss_reason` (the loss reason of a lost deal, the `Kaspi: мест` field);
- the two lead fields, found by name or created (`GET|POST /api/v4/leads/custom_fields`);
- the account's loss reasons by name (`GET /api/v4/leads/loss_reasons`, Kommo changelog
  2026-02-25).
Notes and stage moves go through AmoApi (add_lead_notes, update_lead).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from app.amo.api import _embedded, _int, _shape_error, read_collection
from app.amo.client import AmoClient

__all__ = ["CODE_FIELD", "PLACES_FIELD", "DealFeed", "DealState", "LeadEvent", "LeadField", "LossReason"]

CODE_FIELD = "Kaspi: код выдачи"  # text: the code the buyer read out
PLACES_FIELD = "Kaspi: мест"  # numeric: numberOfSpace for ASSEMBLE
EVENTS_PAGE = 100  # amoCRM's maximum for events (amocrm.md §10)
LEADS_PAGE = 250
FIELDS_PAGE = 50
MAX_PAGES = 20


@dataclass(frozen=True)
class LeadField:
    id: int
    name: str
    type: str


@dataclass(frozen=True)
class LossReason:
    id: int
    name: str


@dataclass(frozen=True)
class LeadEvent:
    """One deal change. `status_id` / `text` are what the event itself says (None when its
    value has a shape we do not know: the caller then reads the deal)."""

    id: str
    type: str
    lead_id: int
    created_at: int
    status_id: int | None = None
    pipeline_id: int | None = None
    field_id: int | None = None
    text: str | None = None
    understood: bool = True


@dataclass(frozen=True)
class DealState:
    """A deal's current state as the actions need it."""

    lead_id: int
    status_id: int | None
    pipeline_id: int | None
    loss_reason_id: int | None
    loss_reason_name: str | None
    field_values: dict[int, str]  # field id → first value as text

    def value(self, field_id: int | None) -> str | None:
        return self.field_values.get(field_id) if field_id is not None else None


class DealFeed:
    def __init__(self, client: AmoClient) -> None:
        self.client = client

    # --- change feed ----------------------------------------------------------------------

    def lead_events(self, since: int, *, field_ids: Sequence[int] = (), max_pages: int = MAX_PAGES) -> list[LeadEvent]:
        """Stage moves and changes of `field_ids` on deals since `since` (unix seconds,
        inclusive), oldest first. One request when nothing happened."""
        types = ["lead_status_changed", *(f"custom_field_{fid}_value_changed" for fid in field_ids)]
        params: dict[str, Any] = {
            "filter[entity][]": "lead",
            "filter[type][]": types,
            "filter[created_at][from]": int(since),
            "limit": EVENTS_PAGE,
        }
        events = [_event(item) for item in self._collect("events", params, "events", max_pages=max_pages)]
        found = [e for e in events if e is not None]
        return sorted(found, key=lambda e: (e.created_at, e.id))

    def deals(self, lead_ids: Iterable[int]) -> list[DealState]:
        """The current state of these deals (deleted ones are simply absent)."""
        ids = sorted({int(i) for i in lead_ids})
        out: list[DealState] = []
        for start in range(0, len(ids), LEADS_PAGE):
            params = {"filter[id][]": ids[start : start + LEADS_PAGE], "with": "loss_reason", "limit": LEADS_PAGE}
            out.extend(_deal(item) for item in self._collect("leads", params, "leads", max_pages=MAX_PAGES))
        return out

    # --- fields and loss reasons ----------------------------------------------------------------

    def lead_fields(self) -> list[LeadField]:
        items = self._collect("leads/custom_fields", {"limit": FIELDS_PAGE}, "custom_fields", max_pages=MAX_PAGES)
        return [LeadField(fid, str(i.get("name") or ""), str(i.get("type") or ""))
                for i in items if (fid := _int(i.get("id"))) is not None]

    def ensure_lead_fields(self, wanted: Sequence[tuple[str, str]]) -> dict[str, int]:
        """{name: field id} for each (name, type), found by exact name or created (one
        request to list, one more only when something is missing)."""
        existing = {f.name: f.id for f in self.lead_fields()}
        missing = [(name, kind) for name, kind in wanted if name not in existing]
        if missing:
            body = [{"name": name, "type": kind, "request_id": str(n)} for n, (name, kind) in enumerate(missing)]
            response = self.client.request("POST", "leads/custom_fields", json=body)
            for item in _embedded(response, "custom_fields"):
                fid = _int(item.get("id")) if isinstance(item, dict) else None
                if fid is not None and isinstance(item, dict):
                    existing[str(item.get("name") or "")] = fid
        absent = [name for name, _ in wanted if name not in existing]
        if absent:
            raise _shape_error("leads/custom_fields")
        return {name: existing[name] for name, _ in wanted}

    def loss_reasons(self) -> list[LossReason]:
        items = self._collect("leads/loss_reasons", {"limit": LEADS_PAGE}, "loss_reasons", max_pages=MAX_PAGES)
        return [LossReason(rid, str(i.get("name") or "")) for i in items if (rid := _int(i.get("id"))) is not None]

    # --- plumbing ---------------------------------------------------------------------------------

    def _collect(self, path: str, params: dict[str, Any], key: str, *, max_pages: int) -> list[dict[str, Any]]:
        return read_collection(self.client, path, params, key, max_pages=max_pages)


def _event(item: dict[str, Any]) -> LeadEvent | None:
    lead_id = _int(item.get("entity_id"))
    kind = item.get("type")
    if lead_id is None or not isinstance(kind, str) or item.get("entity_type") not in ("lead", "leads"):
        return None
    event_id, created = str(item.get("id") or ""), _int(item.get("created_at")) or 0
    after = item.get("value_after")
    first: dict[str, Any] = after[0] if isinstance(after, list) and after and isinstance(after[0], dict) else {}
    if kind == "lead_status_changed":
        status = first.get("lead_status")
        status = status if isinstance(status, dict) else {}
        status_id = _int(status.get("id"))
        return LeadEvent(event_id, kind, lead_id, created, status_id=status_id,
                         pipeline_id=_int(status.get("pipeline_id")), understood=status_id is not None)
    value = first.get("custom_field_value")
    if not isinstance(value, dict):
        # an emptied field has no value_after (or an empty one): the text is gone
        return LeadEvent(event_id, kind, lead_id, created, understood=isinstance(after, list) and not after)
    text = value.get("text")
    return LeadEvent(event_id, kind, lead_id, created, field_id=_int(value.get("field_id")),
                     text=str(text) if text is not None else None, understood=text is not None)


def _deal(item: dict[str, Any]) -> DealState:
    values: dict[int, str] = {}
    for field in item.get("custom_fields_values") or []:
        if not isinstance(field, dict):
            continue
        fid = _int(field.get("field_id"))
        entries = field.get("values")
        if fid is not None and isinstance(entries, list) and entries and isinstance(entries[0], dict):
            value = entries[0].get("value")
            if value is not None:
                values[fid] = str(value)
    embedded = item.get("_embedded") if isinstance(item.get("_embedded"), dict) else {}
    reason = embedded.get("loss_reason") if isinstance(embedded, dict) else None
    if isinstance(reason, list):
        reason = reason[0] if reason else None
    reason_name = str(reason.get("name")) if isinstance(reason, dict) and reason.get("name") else None
    return DealState(
        lead_id=_int(item.get("id")) or 0,
        status_id=_int(item.get("status_id")),
        pipeline_id=_int(item.get("pipeline_id")),
        loss_reason_id=_int(item.get("loss_reason_id")),
        loss_reason_name=reason_name,
        field_values=values,
    )
