"""What a manager does to deals in the amoCRM UI, for tests and demos: move a deal to a
stage, close it as lost with a reason, type into a lead field. Each change goes through the
same code as an API PATCH, so it is validated alike and recorded as an event (by a person,
not by the integration)."""

from __future__ import annotations

import copy
import threading
from typing import Any

from app.sandbox.amo.core import JSON, LOST, USER_ID, ApiError, ValidationErrors
from app.sandbox.amo.events import Events
from app.sandbox.amo.lead_fields import add_lead_field, current_value, field_named
from app.sandbox.amo.leads import parse_lead, update_lead
from app.sandbox.amo.loss_reasons import LossReasons, add_loss_reason
from app.sandbox.amo.state import AmoState

MANAGER_ID = USER_ID + 1  # a person, not the integration's user


class Manager:
    def __init__(self, state: AmoState, lock: threading.RLock) -> None:
        self._state = state
        self._lock = lock

    def _change(self, lead_id: int, body: JSON) -> None:
        errs = ValidationErrors()
        errs.item("0")
        lead = self._state.leads[lead_id]
        plan = parse_lead(self._state, body, errs, existing=lead)
        try:
            errs.raise_if_any()
        except ApiError as exc:
            raise ValueError(exc.response.body.decode("utf-8")) from None
        update_lead(self._state, lead, plan, by=MANAGER_ID)

    def move(self, lead_id: int, status_id: int, *, pipeline_id: int | None = None) -> None:
        """Drag the deal to another stage."""
        body: JSON = {"status_id": status_id}
        if pipeline_id is not None:
            body["pipeline_id"] = pipeline_id
        with self._lock:
            self._change(lead_id, body)

    def close_lost(self, lead_id: int, reason: str | int | None = None) -> None:
        """Close the deal as lost (143), picking a loss reason by name or id (or none)."""
        with self._lock:
            body: JSON = {"status_id": LOST}
            if reason is not None:
                body["loss_reason_id"] = reason if isinstance(reason, int) else self.loss_reason_id(reason)
            self._change(lead_id, body)

    def set_field(self, lead_id: int, name: str, value: Any) -> None:
        """Type `value` into the lead field named `name` (None or "" empties it)."""
        with self._lock:
            field = field_named(self._state, name)
            if field is None:
                raise KeyError(f"no lead field named {name!r}")
            values = None if value in (None, "") else [{"value": value}]
            self._change(lead_id, {"custom_fields_values": [{"field_id": field["id"], "values": values}]})

    def field(self, lead_id: int, name: str) -> Any:
        with self._lock:
            field = field_named(self._state, name)
            return None if field is None else current_value(self._state.leads[lead_id], field["id"])

    def add_field(self, name: str, type_: str = "text") -> int:
        with self._lock:
            return add_lead_field(self._state, name, type_)

    def field_id(self, name: str) -> int | None:
        with self._lock:
            field = field_named(self._state, name)
            return None if field is None else int(field["id"])

    def add_loss_reason(self, name: str) -> int:
        with self._lock:
            return add_loss_reason(self._state, name)

    def loss_reason_id(self, name: str) -> int:
        with self._lock:
            reasons = self._state.resource(LossReasons).reasons
            return next(r["id"] for r in reasons.values() if r["name"] == name)

    def loss_reasons(self) -> dict[str, int]:
        with self._lock:
            return {r["name"]: r["id"] for r in self._state.resource(LossReasons).reasons.values()}

    def lead(self, lead_id: int) -> JSON:
        with self._lock:
            return copy.deepcopy(self._state.leads[lead_id])

    def events(self, lead_id: int | None = None) -> list[JSON]:
        with self._lock:
            items = self._state.resource(Events).items
            return [copy.deepcopy(e) for e in items if lead_id is None or e["entity_id"] == lead_id]
