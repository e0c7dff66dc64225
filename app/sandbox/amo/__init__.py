"""The amoCRM emulator: one module per API resource over a shared core.

Product code, not a mock: `kaspi-amo sandbox` serves it, `kaspi-amo demo` syncs against it
and every test treats it as ground truth. It reproduces shared/api/amocrm.md, including the
unpleasant parts clients must survive: single-use refresh tokens, the 7 rps limit with a
JSON or HTML 429 and a 403 block, 204 for empty results, the fuzzy "last 7 digits" phone
search, 250/50 batch limits and problem+json validation errors. Faults (5xx, dropped
connections, writes whose answer is lost) can be injected.

Layout:
  core.py       constants, problem+json, batch validation, HAL pages, query parsing, custom
                field values, `Resource` and the `@route` decorator
  state.py      `AmoState`: the account's data shared by resources (one lock guards it)
  ratelimit.py  7 rps windows, 429 (JSON or nginx HTML), 403 block
  faults.py     injected faults, the request log and its counters
  emulator.py   `AmoEmulator`: serving (gate → router), seeding/inspection, `RESOURCES`
  oauth.py account.py tags.py contacts.py leads.py notes.py catalogs.py links.py — the resources

Adding a resource (say tasks):
  1. Write `app/sandbox/amo/tasks.py` with a `core.Resource` subclass whose handlers carry
     `@core.route`::

         class Tasks(core.Resource):
             def __init__(self, state: AmoState) -> None:
                 super().__init__(state)
                 self.items: dict[int, core.JSON] = {}   # data only this resource owns

             @core.route("GET", "/api/v4/tasks")
             def _list(self, request: Request, params: core.Params) -> Response:
                 return core.collection(request, "tasks", list(self.items.values()))

             @core.route("POST", "/api/v4/tasks")
             def _create(self, request: Request, params: core.Params) -> Response:
                 return core.create_each(request, "tasks", self._parse, self._add)

     Handlers take `(request, params)` and return a `Response`; build it with `core`
     (`read_items`, `parse_each`/`ValidationErrors`, `create_each`, `collection`, `one`,
     `hal`, `no_content`, `self_link`, `problem`, `parse_field_values`) and `state.next_id`.
     They run under the emulator's lock, after the gate (faults, token, rate limit) for
     /api/v4 paths; raising `core.ApiError` answers with its response, state unchanged.
  2. Register it: add `Tasks` to `RESOURCES` in `emulator.py`. That is the one line.

  Route order does not matter (a literal path segment beats `{param}`). Data other resources
  must read goes on `AmoState`; otherwise a resource keeps it itself and others reach it via
  `state.resource(Tasks)` (tests via `AmoEmulator.resource(Tasks)`). Helpers other modules
  call are public module functions (e.g. `tags.apply_tag_ops`, `links.link_contact`).
"""

from app.sandbox.amo.core import (
    PHONE_FIELD_ID,
    PRODUCTS_CATALOG_ID,
    SERVICES_CATALOG_ID,
)
from app.sandbox.amo.emulator import RESOURCES, AmoEmulator

__all__ = ["PHONE_FIELD_ID", "PRODUCTS_CATALOG_ID", "RESOURCES", "SERVICES_CATALOG_ID", "AmoEmulator"]
