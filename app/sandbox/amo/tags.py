"""Tags of leads and contacts: /api/v4/{leads,contacts}/tags, and the tag operations
(`_embedded.tags` replaces, `tags_to_add`/`tags_to_delete` mutate) other resources apply."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.sandbox.amo import core
from app.sandbox.amo.state import AmoState
from app.sandbox.http import Request, Response, Router

TAGGED = ("leads", "contacts")
TagRefs = list[tuple[str, Any]]


def tag_named(state: AmoState, etype: str, name: str) -> core.JSON | None:
    folded = name.casefold()
    return next((t for t in state.tags[etype].values() if t["name"].casefold() == folded), None)


def ensure_tag(state: AmoState, etype: str, name: str, color: str | None = None) -> core.JSON:
    """The tag of that name (amoCRM compares case-insensitively), created when missing."""
    tag = tag_named(state, etype, name)
    if tag is None:
        tid = state.next_id("tag")
        tag = {"id": tid, "name": name, "color": color if etype == "leads" else None}
        state.tags[etype][tid] = tag
    return tag


def _parse_refs(state: AmoState, value: Any, path: str, etype: str, errs: core.ValidationErrors) -> TagRefs | None:
    """Validate `[{"id"}|{"name"}]`; returns refs to resolve once the whole batch is valid."""
    if value is None:
        return []
    if not isinstance(value, list):
        errs.type(path, "array")
        return None
    refs: TagRefs = []
    for i, ref in enumerate(value):
        p = f"{path}.{i}"
        if not isinstance(ref, dict):
            errs.type(p, "object")
        elif ref.get("id") is not None:
            if not core.is_int(ref["id"]):
                errs.type(f"{p}.id", "int")
            elif ref["id"] not in state.tags[etype]:
                errs.choice(f"{p}.id")
            else:
                refs.append(("id", ref["id"]))
        elif ref.get("name") is not None:
            if not isinstance(ref["name"], str):
                errs.type(f"{p}.name", "string")
            elif not ref["name"].strip():
                errs.blank(f"{p}.name")
            else:
                refs.append(("name", ref["name"].strip()))
        else:
            errs.blank(f"{p}.name")
    return refs


def _resolve(state: AmoState, etype: str, refs: TagRefs, create: bool = True) -> list[core.JSON]:
    out: list[core.JSON] = []
    for kind, value in refs:
        tag = state.tags[etype].get(value) if kind == "id" else (
            ensure_tag(state, etype, value) if create else tag_named(state, etype, value))
        if tag is not None and tag["id"] not in {t["id"] for t in out}:
            out.append(tag)
    return out


def parse_tag_ops(state: AmoState, item: core.JSON, etype: str, errs: core.ValidationErrors, prefix: str = "") -> core.JSON:
    """The tag part of an entity body, validated into a plan for `apply_tag_ops`."""
    plan: core.JSON = {}
    embedded = item.get("_embedded")
    if isinstance(embedded, dict) and "tags" in embedded:
        plan["tags_replace"] = _parse_refs(state, embedded["tags"], f"{prefix}_embedded.tags", etype, errs)
    if "tags_to_add" in item:
        plan["tags_add"] = _parse_refs(state, item["tags_to_add"], f"{prefix}tags_to_add", etype, errs)
    if "tags_to_delete" in item:
        plan["tags_delete"] = _parse_refs(state, item["tags_to_delete"], f"{prefix}tags_to_delete", etype, errs)
    return plan


def apply_tag_ops(state: AmoState, etype: str, entity: core.JSON, plan: core.JSON) -> None:
    tags: list[core.JSON] = entity["_embedded"]["tags"]
    if plan.get("tags_replace") is not None:
        tags = [dict(t) for t in _resolve(state, etype, plan["tags_replace"])]
    for tag in _resolve(state, etype, plan.get("tags_add") or []):
        if tag["id"] not in {t["id"] for t in tags}:
            tags.append(dict(tag))
    drop = {t["id"] for t in _resolve(state, etype, plan.get("tags_delete") or [], create=False)}
    entity["_embedded"]["tags"] = [t for t in tags if t["id"] not in drop]


Handler = Callable[[Request, core.Params], Response]


class Tags(core.Resource):
    def routes(self, router: Router) -> None:
        for etype in TAGGED:
            router.add("GET", f"/api/v4/{etype}/tags", self._getter(etype))
            router.add("POST", f"/api/v4/{etype}/tags", self._poster(etype))

    def _getter(self, etype: str) -> Handler:
        def handler(request: Request, params: core.Params) -> Response:
            items = sorted(self.state.tags[etype].values(), key=lambda t: int(t["id"]))
            ids = core.filter_ints(request, "filter[id]")
            if ids is not None:
                items = [t for t in items if t["id"] in ids]
            names = core.filter_values(request, "filter[name]")
            if names:
                folded = {n.casefold() for n in names}
                items = [t for t in items if t["name"].casefold() in folded]
            query = (request.arg("query") or "").casefold()
            if query:
                items = [t for t in items if query in t["name"].casefold()]
            return core.collection(request, "tags", [dict(t) for t in items])
        return handler

    def _poster(self, etype: str) -> Handler:
        def handler(request: Request, params: core.Params) -> Response:
            items = core.read_items(request)
            errs = core.ValidationErrors()
            for i, item in enumerate(items):
                errs.item(core.request_id(item, i))
                if not isinstance(item, dict):
                    errs.type("", "object")
                elif not isinstance(item.get("name"), str):
                    errs.type("name", "string")
                elif not item["name"].strip():
                    errs.blank("name")
            errs.raise_if_any()
            out = []
            for i, item in enumerate(items):
                tag = ensure_tag(self.state, etype, item["name"].strip(), item.get("color"))
                out.append({**tag, "request_id": core.request_id(item, i)})
            return core.hal({"_links": core.self_link(request, f"{etype}/tags"), "_embedded": {"tags": out}})
        return handler
