"""Tasks: /api/v4/tasks (list, create, complete) and /api/v4/tasks/{id}.

As amocrm.ru/developers «Задачи» and the official PHP library describe them: a task needs a
text and a deadline (`complete_till`, unix seconds) and always has a responsible user (the
token's user when none is given); it may be attached to a lead, contact, company or customer
(`entity_type` + `entity_id`); types 1 (call / follow-up) and 2 (meeting) exist in every
account. A write answers `_embedded.tasks[{id, request_id}]`; lists are HAL pages of 250 at
most, 204 when empty; `filter[entity_id]` only works together with `filter[entity_type]`.
A lead's `closest_task_at` follows its open tasks.
"""

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
    read_object,
    request_id,
    route,
    self_link,
)
from app.sandbox.amo.state import AmoState
from app.sandbox.http import Request, Response

#: A second user of the account (a manager), so tests can tell "the deal's responsible user".
MANAGER_USER_ID = 9000002
USERS = frozenset({USER_ID, MANAGER_USER_ID})
TASK_TYPES = frozenset({1, 2})
ENTITY_TYPES = ("leads", "contacts", "companies", "customers")


def _entities(state: AmoState, entity_type: str) -> dict[int, JSON]:
    if entity_type == "leads":
        return state.leads
    if entity_type == "contacts":
        return state.contacts
    return {}  # the sandbox has no companies or customers


class Tasks(Resource):
    def __init__(self, state: AmoState) -> None:
        super().__init__(state)
        self.items: dict[int, JSON] = {}

    # --- inspection (tests, demo) -------------------------------------------------------------

    def for_lead(self, lead_id: int) -> list[JSON]:
        """Copies of the tasks attached to a lead, oldest first."""
        return [copy.deepcopy(t) for t in self.items.values()
                if t["entity_type"] == "leads" and t["entity_id"] == lead_id]

    # --- reads ------------------------------------------------------------------------------

    def _render(self, request: Request, task: JSON) -> JSON:
        out = copy.deepcopy(task)
        out["_links"] = self_link(request, f"tasks/{task['id']}")
        return out

    @route("GET", "/api/v4/tasks")
    def _list(self, request: Request, params: Params) -> Response:
        items = list(self.items.values())
        ids = filter_ints(request, "filter[id]")
        if ids is not None:
            items = [t for t in items if t["id"] in ids]
        users = filter_ints(request, "filter[responsible_user_id]")
        if users is not None:
            items = [t for t in items if t["responsible_user_id"] in users]
        types = filter_ints(request, "filter[task_type]")
        if types is not None:
            items = [t for t in items if t["task_type_id"] in types]
        completed = request.arg("filter[is_completed]")
        if completed is not None and completed.strip() in ("0", "1", "true", "false"):
            want = completed.strip() in ("1", "true")
            items = [t for t in items if t["is_completed"] == want]
        entity_types = filter_values(request, "filter[entity_type]")
        if entity_types:
            entity_type = entity_types[0]
            items = [t for t in items if t["entity_type"] == entity_type]
            entity_ids = filter_ints(request, "filter[entity_id]")  # documented to need the type
            if entity_ids is not None:
                items = [t for t in items if t["entity_id"] in entity_ids]
        order = next(((k[6:-1], v[0]) for k, v in request.query.items() if k.startswith("order[")), ("id", "asc"))
        key = order[0] if order[0] in ("id", "created_at", "complete_till") else "id"
        items.sort(key=lambda t: (t[key], t["id"]), reverse=order[1].lower() == "desc")
        return collection(request, "tasks", [self._render(request, t) for t in items])

    @route("GET", "/api/v4/tasks/{id}")
    def _get(self, request: Request, params: Params) -> Response:
        task = self.items.get(path_id(request, params["id"]))
        return hal(self._render(request, task)) if task else no_content()

    # --- writes -----------------------------------------------------------------------------

    def _validate(self, item: Any, errs: ValidationErrors, *, existing: JSON | None) -> None:
        if not isinstance(item, dict):
            errs.type("", "object")
            return
        creating = existing is None
        text = item.get("text")
        if text is not None or creating:
            if not isinstance(text, str):
                errs.type("text", "string")
            elif not text.strip():
                errs.blank("text")
        till = item.get("complete_till")
        if (till is not None or creating) and not is_int(till):
            errs.type("complete_till", "int")
        for key in ("task_type_id", "responsible_user_id", "duration", "created_by", "updated_by"):
            if item.get(key) is not None and not is_int(item[key]):
                errs.type(key, "int")
        if is_int(item.get("task_type_id")) and item["task_type_id"] not in TASK_TYPES:
            errs.choice("task_type_id")
        if is_int(item.get("responsible_user_id")) and item["responsible_user_id"] not in USERS:
            errs.choice("responsible_user_id")
        if item.get("is_completed") is not None and not isinstance(item["is_completed"], bool):
            errs.type("is_completed", "bool")
        if creating:
            entity_type, entity_id = item.get("entity_type"), item.get("entity_id")
            if entity_type is not None or entity_id is not None:
                if entity_type not in ENTITY_TYPES:
                    errs.choice("entity_type")
                elif not is_int(entity_id):
                    errs.type("entity_id", "int")
                elif entity_id not in _entities(self.state, entity_type):
                    errs.choice("entity_id")

    @route("POST", "/api/v4/tasks")
    def _create(self, request: Request, params: Params) -> Response:
        items = read_items(request)
        errs = ValidationErrors()
        for i, item in enumerate(items):
            errs.item(request_id(item, i))
            self._validate(item, errs, existing=None)
        errs.raise_if_any()
        now = self.state.now()
        out = []
        for i, item in enumerate(items):
            tid = self.state.next_id("task")
            task = {
                "id": tid, "created_by": USER_ID, "updated_by": USER_ID, "created_at": now, "updated_at": now,
                "responsible_user_id": item.get("responsible_user_id") or USER_ID, "group_id": 0,
                "entity_id": item.get("entity_id"), "entity_type": item.get("entity_type"),
                "duration": item.get("duration") or 0, "is_completed": bool(item.get("is_completed", False)),
                "task_type_id": item.get("task_type_id") or 1, "text": item["text"],
                "result": {}, "complete_till": item["complete_till"], "account_id": self.state.account_id,
            }
            self.items[tid] = task
            self._touch_entity(task)
            out.append({"id": tid, "request_id": request_id(item, i), "_links": self_link(request, f"tasks/{tid}")})
        return hal({"_links": self_link(request, "tasks"), "_embedded": {"tasks": out}})

    def _patch(self, request: Request, items: list[Any], ids: list[Any]) -> list[JSON]:
        errs = ValidationErrors()
        for i, (item, tid) in enumerate(zip(items, ids, strict=True)):
            errs.item(request_id(item, i))
            if not is_int(tid):
                errs.type("id", "int")
            elif tid not in self.items:
                errs.choice("id")
            else:
                self._validate(item, errs, existing=self.items[tid])
        errs.raise_if_any()
        now = self.state.now()
        out = []
        for i, (item, tid) in enumerate(zip(items, ids, strict=True)):
            task = self.items[tid]
            for key in ("text", "complete_till", "responsible_user_id", "task_type_id", "is_completed", "duration"):
                if item.get(key) is not None:
                    task[key] = item[key]
            result = item.get("result")
            if isinstance(result, dict) and isinstance(result.get("text"), str):
                task["result"] = {"text": result["text"]}
            task["updated_at"] = now
            self._touch_entity(task)
            out.append({"id": tid, "updated_at": now, "request_id": request_id(item, i),
                        "_links": self_link(request, f"tasks/{tid}")})
        return out

    @route("PATCH", "/api/v4/tasks")
    def _patch_many(self, request: Request, params: Params) -> Response:
        items = read_items(request)
        out = self._patch(request, items, [i.get("id") if isinstance(i, dict) else None for i in items])
        return hal({"_links": self_link(request, "tasks"), "_embedded": {"tasks": out}})

    @route("PATCH", "/api/v4/tasks/{id}")
    def _patch_one(self, request: Request, params: Params) -> Response:
        return hal(self._patch(request, [read_object(request)], [path_id(request, params["id"])])[0])

    def _touch_entity(self, task: JSON) -> None:
        """A lead shows the deadline of its nearest open task (`closest_task_at`)."""
        if task["entity_type"] != "leads" or task["entity_id"] not in self.state.leads:
            return
        lead = self.state.leads[task["entity_id"]]
        open_tills = [t["complete_till"] for t in self.items.values() if t["entity_type"] == "leads"
                      and t["entity_id"] == lead["id"] and not t["is_completed"]]
        lead["closest_task_at"] = min(open_tills) if open_tills else None
