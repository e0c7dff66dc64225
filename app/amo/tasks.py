"""amoCRM tasks on deals (the deadline reminders), over `AmoClient`.

`POST /api/v4/tasks` takes an array of `{text, complete_till (unix s), entity_id,
entity_type: "leads", task_type_id, responsible_user_id, request_id}` and echoes each
`request_id` beside the new task's id; `GET /api/v4/tasks` lists them, filtered by
`filter[entity_type]` and `filter[entity_id][]` (the entity filter only works together with
the type). Sources: shared/api/amocrm.md §16; amocrm.ru/developers «Задачи» (tasks-api);
the official PHP library's TaskModel/TasksFilter, which also notes that the API refuses a
request_id of 0 — ours are never "0". `PATCH /api/v4/tasks` takes an array of `{id, …fields to
change}` (`PATCH /api/v4/tasks/{id}` one object) and answers `_embedded.tasks[{id, updated_at}]`
(developers.kommo.com «Edit tasks» / «Edit task»; amocrm.ru «Редактирование задач»); a field left
out keeps its value, and `is_completed` is never sent here, so a closed task stays closed.

A POST whose answer is lost may have been applied: the caller looks the task up by its text
before sending it again (app/sync/deadline_run.py). A PATCH sets fixed values, so sending it
again changes nothing more; the caller still reads the task first (it may have been closed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from app.amo.client import AmoClient
from app.errors import AmoError

_Item = TypeVar("_Item")

CHUNK = 50  # tasks per POST (amoCRM accepts 250, recommends ≤ 50)
PAGE_LIMIT = 250
MAX_PAGES = 20
TASK_TYPE_CALL = 1  # amoCRM's predefined «Звонок» / Follow-up


@dataclass(frozen=True)
class TaskDraft:
    lead_id: int
    text: str
    complete_till: int  # unix seconds
    request_id: str  # unique within one call, never "0"
    responsible_user_id: int | None = None  # None: amoCRM gives it to the token's user
    task_type_id: int = TASK_TYPE_CALL


@dataclass(frozen=True)
class TaskChange:
    """New values for an existing task; None leaves a field as it is."""

    task_id: int
    complete_till: int | None = None  # unix seconds
    text: str | None = None


@dataclass(frozen=True)
class Task:
    id: int
    lead_id: int
    text: str
    complete_till: int | None
    responsible_user_id: int | None
    is_completed: bool


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def _embedded(body: Any, key: str) -> list[dict[str, Any]]:
    emb = body.get("_embedded") if isinstance(body, dict) else None
    items = emb.get(key) if isinstance(emb, dict) else None
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _next(body: Any) -> str | None:
    links = body.get("_links") if isinstance(body, dict) else None
    nxt = links.get("next") if isinstance(links, dict) else None
    href = nxt.get("href") if isinstance(nxt, dict) else None
    return href if isinstance(href, str) and href else None


class AmoTasks:
    """Creates and finds tasks on leads, and reads who is responsible for a lead."""

    def __init__(self, client: AmoClient) -> None:
        self.client = client

    def create_tasks(self, drafts: Sequence[TaskDraft]) -> list[int]:
        """Task ids in input order (matched by request_id). One POST per 50 drafts; a failing
        chunk raises, with the ids of the chunks before it as `partial_results`."""
        rids = [d.request_id for d in drafts]
        if len(set(rids)) != len(rids) or "0" in rids:
            raise ValueError("task request_ids must be unique and never '0'")
        ids: list[int] = []
        for chunk, body in self._in_chunks("POST", drafts, _task_body, ids):
            by_rid = {str(item.get("request_id")): _int(item.get("id")) for item in _embedded(body, "tasks")}
            for draft in chunk:
                task_id = by_rid.get(draft.request_id)
                if task_id is None:
                    raise AmoError("amoCRM не подтвердил создание задачи. Программа проверит это при следующей "
                                   "синхронизации и не создаст задачу дважды.",
                                   detail=f"tasks: no id for request_id {draft.request_id}")
                ids.append(task_id)
        return ids

    def update_tasks(self, changes: Sequence[TaskChange]) -> list[int]:
        """Change existing tasks: one PATCH per 50; returns the ids amoCRM confirmed, in input
        order. A failing chunk raises, with the ids of the chunks before it as `partial_results`."""
        ids: list[int] = []
        for chunk, body in self._in_chunks("PATCH", changes, _change_body, ids):
            confirmed = {_int(item.get("id")) for item in _embedded(body, "tasks")}
            for change in chunk:
                if change.task_id not in confirmed:
                    raise AmoError("amoCRM не подтвердил изменение задачи. Программа проверит задачу при "
                                   "следующей синхронизации.", detail=f"tasks: no id {change.task_id} in the answer")
                ids.append(change.task_id)
        return ids

    def _in_chunks(self, method: str, items: Sequence[_Item], body: Callable[[_Item], dict[str, Any]],
                   done: list[int]) -> Iterator[tuple[Sequence[_Item], Any]]:
        """One request per CHUNK items, each chunk with amoCRM's answer; a failing chunk raises
        with `done` (the ids confirmed by the chunks before it) as `partial_results`."""
        for start in range(0, len(items), CHUNK):
            chunk = items[start : start + CHUNK]
            try:
                answer = self.client.request(method, "tasks", json=[body(item) for item in chunk])
            except AmoError as exc:
                exc.partial_results = list(done)
                raise
            yield chunk, answer

    def tasks_of_leads(self, lead_ids: Sequence[int]) -> dict[int, list[Task]]:
        """Every task (open or completed) on these leads: one GET per 50 leads (and per page)."""
        out: dict[int, list[Task]] = {int(i): [] for i in lead_ids}
        ids = list(out)
        for start in range(0, len(ids), CHUNK):
            params = {"filter[entity_type]": "leads", "filter[entity_id][]": ids[start : start + CHUNK],
                      "limit": PAGE_LIMIT}
            for item in self._collect("tasks", params, "tasks"):
                task = _task(item)
                if task is not None and task.lead_id in out:
                    out[task.lead_id].append(task)
        return out

    def responsible_users(self, lead_ids: Sequence[int]) -> dict[int, int | None]:
        """lead id → its responsible user (None when amoCRM does not say); a lead missing from
        the answer was deleted. One GET per 250 leads."""
        ids = list(dict.fromkeys(int(i) for i in lead_ids))
        out: dict[int, int | None] = {}
        for start in range(0, len(ids), PAGE_LIMIT):
            params = {"filter[id][]": ids[start : start + PAGE_LIMIT], "limit": PAGE_LIMIT}
            for item in self._collect("leads", params, "leads"):
                lead_id = _int(item.get("id"))
                if lead_id is not None and not item.get("is_deleted"):
                    out[lead_id] = _int(item.get("responsible_user_id"))
        return out

    def _collect(self, path: str, params: dict[str, Any], key: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        ref: str = path
        query: dict[str, Any] | None = params
        for _ in range(MAX_PAGES):
            body = self.client.request("GET", ref, params=query)
            if body is None:  # 204: nothing
                break
            items.extend(_embedded(body, key))
            href = _next(body)
            if not href:
                break
            ref, query = href, None
        return items


def _task_body(d: TaskDraft) -> dict[str, Any]:
    body: dict[str, Any] = {
        "text": d.text,
        "complete_till": int(d.complete_till),
        "entity_id": int(d.lead_id),
        "entity_type": "leads",
        "task_type_id": int(d.task_type_id),
        "request_id": d.request_id,
    }
    if d.responsible_user_id is not None:
        body["responsible_user_id"] = int(d.responsible_user_id)
    return body


def _change_body(change: TaskChange) -> dict[str, Any]:
    body: dict[str, Any] = {"id": int(change.task_id)}
    if change.complete_till is not None:
        body["complete_till"] = int(change.complete_till)
    if change.text is not None:
        body["text"] = change.text
    return body


def _task(item: dict[str, Any]) -> Task | None:
    task_id, lead_id = _int(item.get("id")), _int(item.get("entity_id"))
    if task_id is None or lead_id is None or item.get("entity_type") != "leads":
        return None
    return Task(task_id, lead_id, str(item.get("text") or ""), _int(item.get("complete_till")),
                _int(item.get("responsible_user_id")), bool(item.get("is_completed")))
