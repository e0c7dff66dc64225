"""Loss reasons: GET /api/v4/leads/loss_reasons and /{id} (Kommo changelog 2026-02-25,
developers.kommo.com/reference/loss-reasons; amocrm.md §16).

A lead closed as lost (143) may carry `loss_reason_id`; `with=loss_reason` embeds the reason
under `_embedded.loss_reason` (a one-item list, as the official PHP library reads it).
ASSUMPTION: an unknown id is refused like any unknown id (400 NotSupportedChoice), and a
lead leaving 143 loses its reason.
"""

from __future__ import annotations

import copy
from typing import Any

from app.sandbox.amo.core import (
    JSON,
    Params,
    Resource,
    ValidationErrors,
    is_int,
    linked_copy,
    one,
    path_id,
    route,
    sorted_settings,
)
from app.sandbox.amo.state import AmoState
from app.sandbox.http import Request, Response

SEEDED = ("Нет в наличии", "Покупатель передумал", "Не дозвонились", "Дорого", "Другое")


def add_loss_reason(state: AmoState, name: str) -> int:
    """A new loss reason (as the owner adds one in the pipeline's settings)."""
    return state.resource(LossReasons).add(name)


def parse_loss_reason(state: AmoState, value: Any, errs: ValidationErrors) -> int | None:
    if value is None:
        return None
    if not is_int(value):
        errs.type("loss_reason_id", "int")
        return None
    try:
        known = state.resource(LossReasons).reasons
    except LookupError:
        return value
    if value not in known:
        errs.choice("loss_reason_id")
        return None
    return value


def embedded_reason(state: AmoState, lead: JSON) -> list[JSON]:
    rid = lead.get("loss_reason_id")
    try:
        reason = state.resource(LossReasons).reasons.get(rid) if rid is not None else None
    except LookupError:
        reason = None
    return [copy.deepcopy(reason)] if reason else []


class LossReasons(Resource):
    def __init__(self, state: AmoState) -> None:
        super().__init__(state)
        self.reasons: dict[int, JSON] = {}
        state.next_ids.setdefault("loss_reason", 8800001)
        for name in SEEDED:
            self.add(name)

    def add(self, name: str) -> int:
        rid = self.state.next_id("loss_reason")
        now = self.state.now()
        self.reasons[rid] = {"id": rid, "name": name, "sort": 100 * len(self.reasons) + 100, "created_at": now,
                             "updated_at": now}
        return rid

    @route("GET", "/api/v4/leads/loss_reasons")
    def _list(self, request: Request, params: Params) -> Response:
        return sorted_settings(request, "loss_reasons", "leads/loss_reasons", self.reasons)

    @route("GET", "/api/v4/leads/loss_reasons/{rid}")
    def _get(self, request: Request, params: Params) -> Response:
        reason = self.reasons.get(path_id(request, params["rid"]))
        return one(reason, lambda found: linked_copy(request, "leads/loss_reasons", found))
