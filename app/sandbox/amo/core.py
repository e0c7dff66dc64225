"""What every amoCRM emulator resource shares: constants, problem+json errors, batch
validation, HAL rendering, query parsing and the `Resource` base class.

amoCRM answers every resource the same way (HAL pages, 204 for nothing, problem+json
with `validation-errors` grouped by `request_id`), so a resource module only says what is
particular to it and takes the rest from here.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlencode

from app.sandbox.http import Request, Response, Router, json_response

if TYPE_CHECKING:
    from app.sandbox.amo.state import AmoState

JSON = dict[str, Any]
Params = dict[str, str]

HAL = "application/hal+json"
PROBLEM = "application/problem+json"
MAX_BATCH = 250
MAX_COMPLEX = 50
DEFAULT_LIMIT = 50
WON, LOST = 142, 143
WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})

USER_ID = 9000001
PHONE_FIELD_ID = 264911
EMAIL_FIELD_ID = 264913
PRODUCTS_CATALOG_ID = 11001
SERVICES_CATALOG_ID = 11003


class ApiError(Exception):
    """Aborts a handler with a ready response (raised before any state is changed)."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status)
        self.response = response


class ValidationErrors:
    """Validation errors of one batch, grouped by item request_id like amoCRM does."""

    def __init__(self) -> None:
        self.items: list[JSON] = []
        self._current: list[dict[str, str]] | None = None

    def item(self, request_id: str) -> None:
        self._current = []
        self.items.append({"request_id": request_id, "errors": self._current})

    def add(self, code: str, path: str, detail: str) -> None:
        assert self._current is not None
        self._current.append({"code": code, "path": path, "detail": detail})

    def type(self, path: str, type_name: str) -> None:
        self.add("InvalidType", path, f"This value should be of type {type_name}.")

    def choice(self, path: str) -> None:
        self.add("NotSupportedChoice", path, "The value you selected is not a valid choice.")

    def blank(self, path: str) -> None:
        self.add("NotBlank", path, "This value should not be blank.")

    def raise_if_any(self) -> None:
        failed = [entry for entry in self.items if entry["errors"]]
        if failed:
            raise ApiError(validation_failed(failed))


def _problem_body(status: int, detail: str, title: str | None) -> JSON:
    return {
        "title": title or HTTPStatus(status).phrase,
        "type": f"https://httpstatus.es/{status}",
        "status": status,
        "detail": detail,
    }


def problem(status: int, detail: str, title: str | None = None, **extra: Any) -> Response:
    """An RFC 7807 body as amoCRM sends it (`type` points at httpstatus.es)."""
    return json_response(status, {**_problem_body(status, detail, title), **extra}, PROBLEM)


def validation_failed(failed: list[JSON]) -> Response:
    """amoCRM's 400 naming every invalid item of a request under `validation-errors`."""
    body = {**_problem_body(400, "Request validation failed", None), "validation-errors": failed}
    return json_response(400, body, PROBLEM)


def invalid_type(path: str, type_name: str) -> Response:
    """The one-item 400 amoCRM sends for a malformed query parameter or body shape."""
    return validation_failed([{"request_id": "0", "errors": [
        {"code": "InvalidType", "path": path, "detail": f"This value should be of type {type_name}."}]}])


def hal(payload: Any, status: int = 200) -> Response:
    return json_response(status, payload, HAL)


def no_content() -> Response:
    """amoCRM's answer to an empty list, an empty search and a missing GET-by-id."""
    return Response(204, b"", HAL)


def one(entity: JSON | None, render: Callable[[JSON], JSON]) -> Response:
    """A GET by id: the entity rendered, or amoCRM's 204 when there is none."""
    return hal(render(entity)) if entity is not None else no_content()


#: Renders an entity with the `with=` parts the request asked for (contacts' leads, leads' contacts…).
RenderWith = Callable[[Request, JSON, set[str]], JSON]


def one_with(request: Request, entity: JSON | None, render: RenderWith) -> Response:
    """`one` for an entity whose answer depends on `with=` (GET /api/v4/leads/{id}?with=contacts)."""
    return one(entity, lambda found: render(request, found, with_params(request)))


def collection_with(request: Request, key: str, items: list[JSON], render: RenderWith) -> Response:
    """`collection` of entities rendered with the request's `with=` parts."""
    with_ = with_params(request)
    return collection(request, key, [render(request, item, with_) for item in items])


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def request_id(item: Any, index: int) -> str:
    """The item's own request_id when it sent one, else its index (what amoCRM echoes)."""
    if isinstance(item, dict):
        given = item.get("request_id")
        if isinstance(given, (str, int)) and not isinstance(given, bool):
            return str(given)
    return str(index)


def parse_each(items: list[Any], parse: Callable[[Any, ValidationErrors], Any]) -> list[Any]:
    """Validate a batch the way amoCRM does: every item under its request_id, then one 400
    naming every invalid item (nothing of the batch is created when one is invalid)."""
    errs = ValidationErrors()
    plans = []
    for i, item in enumerate(items):
        errs.item(request_id(item, i))
        plans.append(parse(item, errs))
    errs.raise_if_any()
    return plans


def create_each(request: Request, collection_path: str, parse: Callable[[Any, ValidationErrors], Any],
                create: Callable[[Any], int]) -> Response:
    """A batch POST as amoCRM answers it: the body validated whole (`parse` per item, nothing
    created when one is invalid), then each item created and echoed with its id, request_id
    and link under `_embedded.<last path segment>`."""
    items = read_items(request)
    plans = parse_each(items, parse)
    out = []
    for i, (item, plan) in enumerate(zip(items, plans, strict=True)):
        new_id = create(plan)
        out.append({"id": new_id, "request_id": request_id(item, i),
                    "_links": self_link(request, f"{collection_path}/{new_id}")})
    key = collection_path.rsplit("/", 1)[-1]
    return hal({"_links": self_link(request, collection_path), "_embedded": {key: out}})


def ids_of(items: list[Any]) -> list[Any]:
    """The `id` of each item of a PATCH batch (None where the item is not an object)."""
    return [item.get("id") if isinstance(item, dict) else None for item in items]


# ---------------------------------------------------------------------- requests


def base_url(request: Request) -> str:
    host = request.header("host")
    return f"http://{host}" if host else "https://sandbox.amocrm.ru"


def not_found(request: Request) -> Response:
    return problem(404, f"Cannot {request.method} {base_url(request)}{request.path}")


def path_id(request: Request, raw: str) -> int:
    """A numeric path parameter; anything else is a 404 like an unknown route."""
    if not raw.isdigit():
        raise ApiError(not_found(request))
    return int(raw)


def self_link(request: Request, path: str) -> JSON:
    return {"self": {"href": f"{base_url(request)}/api/v4/{path}"}}


def filter_values(request: Request, name: str) -> list[str]:
    """Values of `name`, `name[]` and `name[0]`…, comma lists split."""
    out: list[str] = []
    for key, values in request.query.items():
        if key == name or (key.startswith(name + "[") and re.fullmatch(r"\[\d*\]", key[len(name):])):
            for value in values:
                out.extend(part.strip() for part in value.split(",") if part.strip())
    return out


def filter_ints(request: Request, name: str) -> list[int] | None:
    values = filter_values(request, name)
    if not values:
        return None
    return [int(v) for v in values if v.lstrip("-").isdigit()]


def with_params(request: Request) -> set[str]:
    raw = ",".join(request.query.get("with", []))
    return {part.strip() for part in raw.split(",") if part.strip()}


def page_limit(request: Request) -> tuple[int, int]:
    values = {}
    for name, default in (("page", 1), ("limit", DEFAULT_LIMIT)):
        raw = request.arg(name) or str(default)
        if not raw.strip().isdigit():
            raise ApiError(invalid_type(name, "int"))
        values[name] = int(raw)
    page, limit = values["page"], values["limit"]
    if limit > MAX_BATCH:
        raise ApiError(problem(422, "Limit 250 per page"))
    return max(page, 1), max(limit, 1)


def collection(request: Request, key: str, items: list[JSON]) -> Response:
    """A HAL page of `items`, `_links.next` only when another page exists, 204 when empty."""
    page, limit = page_limit(request)
    chunk = items[(page - 1) * limit: page * limit]
    if not chunk:
        return no_content()
    base = base_url(request) + request.path
    kept = [(k, v) for k, vs in request.query.items() if k not in ("page", "limit") for v in vs]

    def href(p: int) -> JSON:
        return {"href": f"{base}?{urlencode([*kept, ('page', str(p)), ('limit', str(limit))])}"}

    links: JSON = {"self": href(page)}
    if len(items) > page * limit:
        links["next"] = href(page + 1)
    if page > 1:
        links["prev"] = href(page - 1)
    return hal({"_page": page, "_links": links, "_embedded": {key: chunk}})


def linked_copy(request: Request, path: str, record: JSON) -> JSON:
    """A copy of a stored account setting with its own `_links.self` at `path/{id}`, so callers
    can never change the stored record through what they were given."""
    out = copy.deepcopy(record)
    out["_links"] = self_link(request, f"{path}/{record['id']}")
    return out


def sorted_settings(request: Request, key: str, path: str, records: dict[int, JSON]) -> Response:
    """The GET list of an account setting (custom fields, loss reasons): in the owner's order
    (`sort`, then id), each linked, paged like every collection."""
    items = sorted(records.values(), key=lambda r: (r["sort"], r["id"]))
    return collection(request, key, [linked_copy(request, path, r) for r in items])


def read_items(request: Request) -> list[Any]:
    """A write body: a non-empty JSON array of at most 250 items."""
    data = request.json()
    if data is None or data == [] or data == {}:
        raise ApiError(problem(400, "Request data can not be empty"))
    if not isinstance(data, list):
        raise ApiError(invalid_type("", "array"))
    if len(data) > MAX_BATCH:
        raise ApiError(problem(422, "Limit 250 per page"))
    return data


def read_object(request: Request) -> JSON:
    """A single-entity write body (PATCH /leads/{id}): a non-empty JSON object."""
    data = request.json()
    if not isinstance(data, dict) or not data:
        if data in (None, {}, []):
            raise ApiError(problem(400, "Request data can not be empty"))
        raise ApiError(invalid_type("", "object"))
    return data


# ---------------------------------------------------------------------- custom fields

ValuesParser = Callable[[JSON, list[Any], str, ValidationErrors], list[JSON]]


def find_field(fields: Iterable[JSON], entry: JSON, path: str, errs: ValidationErrors, *,
               by_code: bool = True) -> JSON | None:
    """The field a `custom_fields_values` entry names by `field_id` or (when allowed) `field_code`."""
    if entry.get("field_id") is not None:
        wanted = entry["field_id"]
        field = next((f for f in fields if is_int(wanted) and f["id"] == wanted), None)
        if field is None:
            errs.choice(f"{path}.field_id")
        return field
    if entry.get("field_code") is not None:
        field = next((f for f in fields if by_code and f["code"] and f["code"] == entry["field_code"]), None)
        if field is None:
            errs.choice(f"{path}.field_code")
        return field
    errs.blank(f"{path}.field_id")
    return None


def parse_field_values(value: Any, prefix: str, errs: ValidationErrors, fields: Iterable[JSON],
                       parse_values: ValuesParser, *, by_code: bool = True) -> list[JSON] | None:
    """An entity's `custom_fields_values` → the stored read shape (field id, name, code, type and
    values), one entry per field, the last one sent winning; None when nothing was given.
    `parse_values` checks one field's values the way that field's type wants."""
    path = f"{prefix}custom_fields_values"
    if value is None:
        return None
    if not isinstance(value, list):
        errs.type(path, "array")
        return None
    known = list(fields)
    out: list[JSON] = []
    for i, entry in enumerate(value):
        p = f"{path}.{i}"
        if not isinstance(entry, dict):
            errs.type(p, "object")
            continue
        field = find_field(known, entry, p, errs, by_code=by_code)
        if field is None:
            continue
        values = entry.get("values")
        if not isinstance(values, list):
            errs.type(f"{p}.values", "array")
            continue
        stored = parse_values(field, values, p, errs)
        out = [f for f in out if f["field_id"] != field["id"]]
        out.append({"field_id": field["id"], "field_name": field["name"], "field_code": field["code"],
                    "field_type": field["type"], "values": stored})
    return out


def merge_field_values(entity: JSON, update: list[JSON]) -> None:
    """PATCH semantics of `custom_fields_values`: given fields replace, others stay, empty ones go."""
    merged = {f["field_id"]: f for f in entity.get("custom_fields_values") or []}
    merged.update({f["field_id"]: f for f in update})
    entity["custom_fields_values"] = [f for f in merged.values() if f["values"]] or None


# ---------------------------------------------------------------------- resources

Handler = TypeVar("Handler", bound=Callable[..., Response])


def route(method: str, path: str) -> Callable[[Handler], Handler]:
    """Declares a `Resource` method the handler of `METHOD path` (`{name}` = a path parameter);
    `Resource.routes` registers every method so marked. Stack it for several routes."""

    def mark(handler: Handler) -> Handler:
        marks: list[tuple[str, str]] = getattr(handler, "_routes", [])
        vars(handler)["_routes"] = [*marks, (method, path)]
        return handler

    return mark


class Resource:
    """One amoCRM resource (an API family such as /api/v4/leads): handlers over the account's
    shared state, each marked with `@route`. The emulator builds one of each class listed in
    `app.sandbox.amo.emulator.RESOURCES` and calls `routes` once."""

    def __init__(self, state: AmoState) -> None:
        self.state = state

    def routes(self, router: Router) -> None:
        """Register the `@route` methods, in the order the classes define them."""
        for cls in reversed(type(self).__mro__):
            for name, member in vars(cls).items():
                for method, path in getattr(member, "_routes", ()):
                    router.add(method, path, getattr(self, name))
