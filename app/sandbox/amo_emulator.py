"""In-memory emulator of the amoCRM API v4 subset the sync uses.

This is product code, not a mock: `kaspi-amo sandbox` serves it, `kaspi-amo demo` syncs
against it and every test treats it as ground truth. It therefore reproduces the
behaviour documented in shared/api/amocrm.md, including the unpleasant parts clients must
survive: single-use refresh tokens, 7 rps limit with a JSON or HTML 429 and a 403 block,
204 for empty results, the fuzzy "last 7 digits" phone search, 250/50 batch limits and
problem+json validation errors. Faults (5xx, dropped connections, writes whose answer is
lost) can be injected. All state sits behind one lock because ThreadingHTTPServer calls
`handle` from many threads.
"""

from __future__ import annotations

import base64
import copy
import json
import re
import secrets
import threading
import time
import traceback
from collections import deque
from html import escape as html_escape
from http import HTTPStatus
from typing import Any, Callable
from urllib.parse import parse_qs, urlencode

from app.sandbox.http import BadJSON, DropConnection, Request, Response, Router, html_response, json_response

HAL = "application/hal+json"
PROBLEM = "application/problem+json"
MAX_BATCH = 250
MAX_COMPLEX = 50
DEFAULT_LIMIT = 50
AUTH_CODE_TTL = 20 * 60
REFRESH_TTL = 90 * 86400
WON, LOST = 142, 143
WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})

USER_ID = 9000001
PHONE_FIELD_ID = 264911
EMAIL_FIELD_ID = 264913
PRODUCTS_CATALOG_ID = 11001
SERVICES_CATALOG_ID = 11003

OAUTH_PROBLEM_TYPE = "https://developers.amocrm.ru/v3/errors/OAuthProblemJson"
OAUTH_TITLE = "Некорректный запрос"
OAUTH_DETAIL = "В запросе отсутствует ряд параметров или параметры невалидны"

NOTE_TYPES = frozenset({
    "common", "call_in", "call_out", "service_message", "extended_service_message",
    "message_cashier", "geolocation", "sms_in", "sms_out", "attachment", "invoice_paid",
})

NGINX_403 = (
    "<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n"
    "<center><h1>403 Forbidden</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)
NGINX_429 = (
    "<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n"
    "<center><h1>429 Too Many Requests</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)

_CONTACT_FIELDS: dict[int, dict[str, Any]] = {
    PHONE_FIELD_ID: {
        "id": PHONE_FIELD_ID, "name": "Телефон", "code": "PHONE", "type": "multitext", "sort": 4,
        "enums": {"WORK": 100101, "WORKDD": 100103, "MOB": 100105, "FAX": 100107, "HOME": 100109, "OTHER": 100111},
    },
    EMAIL_FIELD_ID: {
        "id": EMAIL_FIELD_ID, "name": "Email", "code": "EMAIL", "type": "multitext", "sort": 6,
        "enums": {"WORK": 100201, "PRIV": 100203, "OTHER": 100205},
    },
}


class ApiError(Exception):
    """Aborts a handler with a ready response (raised before any state is changed)."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status)
        self.response = response


class _Errors:
    """Validation errors of one batch, grouped by item request_id like amoCRM does."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
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
            raise ApiError(_problem(400, "Request validation failed", **{"validation-errors": failed}))


def _problem(status: int, detail: str, title: str | None = None, **extra: Any) -> Response:
    body: dict[str, Any] = {
        "title": title or HTTPStatus(status).phrase,
        "type": f"https://httpstatus.es/{status}",
        "status": status,
        "detail": detail,
    }
    body.update(extra)
    return json_response(status, body, PROBLEM)


def _oauth_problem(status: int, hint: str, detail: str = OAUTH_DETAIL) -> Response:
    body = {"hint": hint, "title": OAUTH_TITLE, "type": OAUTH_PROBLEM_TYPE, "status": status, "detail": detail}
    return json_response(status, body, PROBLEM)


def _hal(payload: Any, status: int = 200) -> Response:
    return json_response(status, payload, HAL)


def _no_content() -> Response:
    return Response(204, b"", HAL)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool))


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _price_str(value: Any) -> str:
    """Catalog PRICE values come back as strings ("999.12"), as real accounts return them."""
    number = float(value)
    if number.is_integer():
        return str(int(number))
    return f"{number:.2f}".rstrip("0").rstrip(".")


def _parse_each(items: list[Any], parse: Callable[[Any, _Errors], Any]) -> list[Any]:
    """Validate a batch the way amoCRM does: every item under its request_id, then one 400
    naming every invalid item (nothing of the batch is created when one is invalid)."""
    errs = _Errors()
    plans = []
    for i, item in enumerate(items):
        errs.item(_request_id(item, i))
        plans.append(parse(item, errs))
    errs.raise_if_any()
    return plans


def _request_id(item: Any, index: int) -> str:
    if isinstance(item, dict) and isinstance(item.get("request_id"), (str, int)) and not isinstance(
        item.get("request_id"), bool
    ):
        return str(item["request_id"])
    return str(index)


class AmoEmulator:
    """A faithful loopback amoCRM account: OAuth, limits, contacts, leads, notes, tags, catalogs, links."""

    def __init__(
        self,
        *,
        subdomain: str = "sandbox",
        account_name: str = "Sandbox Shop",
        client_id: str = "sandbox-client-id",
        client_secret: str = "sandbox-client-secret",
        redirect_uri: str = "http://127.0.0.1:8765/callback",
        rps_limit: float | None = 7.0,
        block_after: int | None = None,
        html_429: bool = False,
        retry_after: int = 1,
        refresh_mode: str = "strict",
        access_ttl: int = 86400,
        with_products_catalog: bool = True,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if refresh_mode not in ("strict", "grace"):
            raise ValueError("refresh_mode must be 'strict' or 'grace'")
        self.subdomain = subdomain
        self.account_name = account_name
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uri = redirect_uri
        self.rps_limit = rps_limit
        self.block_after = block_after
        self.html_429 = html_429
        self.retry_after = retry_after
        self.refresh_mode = refresh_mode
        self.access_ttl = access_ttl
        self._clock = clock
        self._lock = threading.RLock()

        self.account_id = 30123456
        self._created_at = int(clock())
        # Token stores: token -> record.
        self._access: dict[str, dict[str, Any]] = {}
        self._refresh: dict[str, dict[str, Any]] = {}
        self._codes: dict[str, dict[str, Any]] = {}
        # Limits and faults.
        self._windows: dict[str, deque[float]] = {}
        self._violations = 0
        self._blocked = False
        self._fail_queue: deque[int] = deque()
        self._drop_pending = 0
        self._apply_drop_pending = 0
        self._delay_pending: deque[float] = deque()
        self._hooks: list[Callable[[str, str, bool], None]] = []
        self.request_log: list[tuple[str, str, int]] = []

        # Entities, stored in API read shape (without `_links`, added when rendered).
        self.contacts: dict[int, dict] = {}
        self.leads: dict[int, dict] = {}
        self.deleted_leads: dict[int, dict] = {}
        self.notes: list[dict] = []
        self.links: list[dict] = []
        self.catalogs: dict[int, dict] = {}
        self.catalog_fields: dict[int, list[dict]] = {}
        self.catalog_elements: dict[int, dict] = {}
        self.tags: dict[str, dict[int, dict]] = {"leads": {}, "contacts": {}}
        self._next_ids = {"contact": 40400001, "lead": 20200001, "note": 60600001, "element": 170001, "tag": 50001}

        self.pipelines: list[dict] = self._seed_pipelines()
        self.products_catalog_id: int | None = None
        self._seed_catalogs(with_products_catalog)

        self._router = Router()
        self._oauth_router = Router()
        self._add_routes()

    # ------------------------------------------------------------------ seeding

    def _seed_pipelines(self) -> list[dict]:
        def status(sid: int, name: str, sort: int, pid: int, color: str, *, type_: int = 0,
                   editable: bool = True) -> dict:
            return {"id": sid, "name": name, "sort": sort, "is_editable": editable, "pipeline_id": pid,
                    "color": color, "type": type_, "account_id": self.account_id}

        def pipeline(pid: int, name: str, sort: int, is_main: bool, stages: list[tuple[int, str, str]]) -> dict:
            statuses = [status(pid * 10, "Неразобранное", 10, pid, "#c1c1c1", type_=1, editable=False)]
            statuses += [status(sid, sname, 20 + 10 * i, pid, color) for i, (sid, sname, color) in enumerate(stages)]
            statuses += [status(WON, "Успешно реализовано", 10000, pid, "#CCFF66", editable=False),
                         status(LOST, "Закрыто и не реализовано", 11000, pid, "#D5D8DB", editable=False)]
            return {"id": pid, "name": name, "sort": sort, "is_main": is_main, "is_unsorted_on": True,
                    "is_archive": False, "account_id": self.account_id, "_embedded": {"statuses": statuses}}

        return [
            pipeline(7000001, "Kaspi заказы", 1, False, [
                (70000011, "Новый заказ", "#99ccff"), (70000012, "Принят", "#ffff99"),
                (70000013, "Доставка", "#ffcc66")]),
            pipeline(7000002, "Основная воронка", 2, True, [
                (70000021, "Первичный контакт", "#98cbff"), (70000022, "Переговоры", "#fffeb2"),
                (70000023, "Принимают решение", "#ffce5a")]),
        ]

    def _seed_catalogs(self, with_products: bool) -> None:
        now = self._created_at

        def catalog(cid: int, name: str, type_: str, sort: int) -> dict:
            return {"id": cid, "name": name, "created_by": USER_ID, "updated_by": USER_ID, "created_at": now,
                    "updated_at": now, "sort": sort, "type": type_, "can_add_elements": True,
                    "can_show_in_cards": False, "can_link_multiple": True, "can_be_deleted": type_ == "regular",
                    "sdk_widget_code": None, "account_id": self.account_id}

        def cf(fid: int, cid: int, name: str, code: str | None, type_: str, sort: int) -> dict:
            return {"id": fid, "name": name, "type": type_, "code": code, "sort": sort, "is_api_only": False,
                    "enums": None, "catalog_id": cid, "entity_type": "catalogs", "is_deletable": code is None,
                    "is_required": False, "account_id": self.account_id}

        if with_products:
            cid = PRODUCTS_CATALOG_ID
            self.catalogs[cid] = catalog(cid, "Товары", "products", 10)
            self.catalog_fields[cid] = [
                cf(700001, cid, "Артикул", "SKU", "text", 1),
                cf(700003, cid, "Цена", "PRICE", "price", 2),
                cf(700005, cid, "Описание", "DESCRIPTION", "textarea", 3),
                cf(700007, cid, "Внешний ID", "EXTERNAL_ID", "text", 4),
            ]
            self.products_catalog_id = cid
        cid = SERVICES_CATALOG_ID
        self.catalogs[cid] = catalog(cid, "Услуги", "regular", 20)
        self.catalog_fields[cid] = [cf(700011, cid, "Описание", None, "textarea", 1)]

    def _next_id(self, kind: str) -> int:
        value = self._next_ids[kind]
        self._next_ids[kind] = value + 1
        return value

    def _now(self) -> int:
        return int(self._clock())

    # ------------------------------------------------------------------ tokens

    def _make_jwt(self, exp: int, kind: str) -> str:
        now = self._now()
        jti = secrets.token_hex(20)
        header = {"typ": "JWT", "alg": "RS256", "jti": jti}
        payload = {
            "aud": self.client_id, "jti": jti, "iat": now, "nbf": now, "exp": exp, "sub": str(USER_ID),
            "grant_type": "" if kind == "oauth" else "long_lived", "account_id": self.account_id,
            "base_domain": "amocrm.ru", "version": 2,
            "scopes": ["crm", "files", "files_delete", "notifications", "push_notifications"],
            "hash_uuid": secrets.token_hex(16), "api_domain": "api-b.amocrm.ru", "client_uuid": self.client_id,
        }
        parts = [_b64url(json.dumps(part, separators=(",", ":")).encode()) for part in (header, payload)]
        token = ".".join(parts + [_b64url(secrets.token_bytes(64))])
        self._access[token] = {"exp": exp, "revoked": False, "kind": kind, "integration": self.client_id}
        return token

    def _new_pair(self, parent: str | None) -> tuple[str, str]:
        access = self._make_jwt(self._now() + self.access_ttl, "oauth")
        refresh = "def50200" + secrets.token_hex(96)
        self._refresh[refresh] = {"exp": self._now() + REFRESH_TTL, "used": False, "revoked": False,
                                  "parent": parent, "children": []}
        if parent is not None:
            self._refresh[parent]["children"].append(refresh)
        return access, refresh

    def issue_tokens(self) -> tuple[str, str]:
        """A fresh valid (access, refresh) pair, as if the owner had just connected the integration."""
        with self._lock:
            return self._new_pair(None)

    def issue_auth_code(self) -> str:
        """A single-use authorization code valid for 20 minutes (what the consent screen hands out)."""
        with self._lock:
            code = "def50200" + secrets.token_hex(120)
            self._codes[code] = {"exp": self._now() + AUTH_CODE_TTL, "used": False}
            return code

    def _consent(self, request: Request) -> Response:
        """The browser consent screen (www.amocrm.ru/oauth): "Разрешить" redirects to the
        integration's redirect URI with code, state, referer and client_id; "Отказать" with
        error=access_denied (K-OAUTH). A test follows it with an HTTP client."""
        client_id = request.arg("client_id") or ""
        state = request.arg("state")
        if client_id != self.client_id:
            return html_response(400, "<!doctype html><meta charset='utf-8'><p>Интеграция не найдена (client_id).</p>")
        if request.path.rstrip("/") == "/oauth":
            query = {"client_id": client_id, **({"state": state} if state is not None else {})}
            allow = "/oauth/decision?" + urlencode({**query, "allow": "1"})
            deny = "/oauth/decision?" + urlencode({**query, "allow": "0"})
            page = (
                "<!doctype html><meta charset='utf-8'><title>Предоставить доступ</title>"
                f"<h1>Предоставить доступ к аккаунту «{html_escape(self.account_name)}»?</h1>"
                "<p>Интеграция Kaspi amoCRM Sync получит доступ к сделкам, контактам и каталогам.</p>"
                f"<p><a id='allow' href='{html_escape(allow)}'>Разрешить</a> "
                f"<a id='deny' href='{html_escape(deny)}'>Отказать</a></p>"
            )
            return html_response(200, page)
        if request.arg("allow") == "1":
            params = {"code": self.issue_auth_code(), "referer": request.header("host") or f"{self.subdomain}.amocrm.ru",
                      "client_id": client_id}
        else:
            params = {"error": "access_denied", "client_id": client_id}
        if state is not None:
            params["state"] = state
        sep = "&" if "?" in self.redirect_uri else "?"
        return Response(302, b"", "text/html; charset=utf-8", {"Location": f"{self.redirect_uri}{sep}{urlencode(params)}"})

    def long_lived_token(self, ttl: int = 5 * 365 * 86400) -> str:
        """A private integration's long-lived token: a Bearer JWT with no refresh token."""
        with self._lock:
            return self._make_jwt(self._now() + ttl, "long_lived")

    def expire_access_tokens(self) -> None:
        """Every access token issued so far (long-lived ones too) now answers 401."""
        with self._lock:
            for record in self._access.values():
                record["revoked"] = True

    def revoke_refresh_tokens(self) -> None:
        """Every refresh token is dead, as after the owner disconnects the integration."""
        with self._lock:
            for record in self._refresh.values():
                record["revoked"] = True

    def unblock(self) -> None:
        """Lift the 403 block (what amoCRM support does on request) and forget past 429s."""
        with self._lock:
            self._blocked = False
            self._violations = 0
            self._windows.clear()

    @property
    def blocked(self) -> bool:
        with self._lock:
            return self._blocked

    # ------------------------------------------------------------------ fault injection

    def fail_next(self, count: int, status: int = 500) -> None:
        """The next `count` /api/v4 requests answer `status` without touching state."""
        with self._lock:
            self._fail_queue.extend([status] * count)

    def clear_faults(self) -> None:
        """Forget every queued fault: the outage is over."""
        with self._lock:
            self._fail_queue.clear()
            self._drop_pending = 0
            self._apply_drop_pending = 0
            self._delay_pending.clear()

    def drop_next(self, count: int) -> None:
        """The next `count` requests (any path) are dropped unanswered and nothing is applied."""
        with self._lock:
            self._drop_pending += count

    def delay_next(self, count: int, seconds: float) -> None:
        """The next `count` requests (/api/v4 and /oauth2) are handled (a write is applied) at once,
        then answered `seconds` late: longer than the client's read timeout, a timed-out write that
        amoCRM did apply. The wait holds no lock, so other requests are served meanwhile."""
        with self._lock:
            self._delay_pending.extend([float(seconds)] * count)

    def on_request(self, callback: Callable[[str, str, bool], None]) -> Callable[[], None]:
        """Call `callback(method, path, applied)` for every /api/v4 and /oauth2 request, twice:
        with applied=False before the emulator looks at it (nothing applied yet) and with
        applied=True after it was handled (a write applied) but before the answer is sent
        (not for a request `drop_next` dropped: it was never handled).

        Called without the emulator's lock, on the server thread serving the request, so a test
        can act at exactly that point (e.g. SIGKILL the client process, or arm `fail_next`,
        `apply_then_drop_next` or `delay_next` for this very request when applied=False).
        Raising `app.sandbox.http.DropConnection` closes the socket unanswered: before, nothing
        is applied; after, the write stays applied and its answer is lost. Returns a function
        that removes the callback. Fault-injection hook for tests; the app never calls it."""
        with self._lock:
            self._hooks.append(callback)

        def remove() -> None:
            with self._lock:
                if callback in self._hooks:
                    self._hooks.remove(callback)

        return remove

    def apply_then_drop_next(self, count: int) -> None:
        """The next `count` successful writes (incl. the token endpoint) are applied, then the answer is lost."""
        with self._lock:
            self._apply_drop_pending += count

    # ------------------------------------------------------------------ seeding & inspection

    def add_contact(self, name: str, phones: list[str], *, first_name: str | None = None,
                    last_name: str | None = None) -> int:
        """Seed a contact with PHONE values exactly as given (people type phones in any shape)."""
        with self._lock:
            cfv = [{"field_id": PHONE_FIELD_ID, "values": [{"value": p, "enum_code": "WORK"} for p in phones]}]
            plan = {"name": name, "first_name": first_name if first_name is not None else "",
                    "last_name": last_name if last_name is not None else "",
                    "cfv": self._parse_contact_fields(cfv, "", _Errors()) if phones else None}
            return self._create_contact(plan)

    def add_catalog_element(self, name: str, sku: str, price: float) -> int:
        """Seed a product into the products catalog."""
        with self._lock:
            if self.products_catalog_id is None:
                raise RuntimeError("the account has no products catalog")
            cid = self.products_catalog_id
            values = self._parse_element_fields(
                cid, [{"field_code": "SKU", "values": [{"value": sku}]},
                      {"field_code": "PRICE", "values": [{"value": price}]}], "", _Errors())
            return self._create_element(cid, name, values)

    def remove_products_catalog(self) -> None:
        """The owner switched the products list off: the catalog, its elements and their links vanish."""
        with self._lock:
            cid = self.products_catalog_id
            if cid is None:
                return
            self.catalogs.pop(cid, None)
            self.catalog_fields.pop(cid, None)
            for eid in [e for e, el in self.catalog_elements.items() if el["catalog_id"] == cid]:
                del self.catalog_elements[eid]
            self.links = [l for l in self.links if l["metadata"].get("catalog_id") != cid]
            self.products_catalog_id = None

    def delete_lead(self, lead_id: int) -> None:
        """As a person deleting the lead in the UI: gone from GET and search."""
        with self._lock:
            lead = self.leads.pop(lead_id)
            lead["is_deleted"] = True
            self.deleted_leads[lead_id] = lead

    def delete_contact(self, contact_id: int) -> None:
        """As a person deleting (or merging away) a contact: gone from GET, search and links."""
        with self._lock:
            self.contacts.pop(contact_id)
            self.links[:] = [
                link for link in self.links
                if not (link.get("to_entity_type") == "contacts" and link.get("to_entity_id") == contact_id)
            ]

    def delete_catalog_element(self, element_id: int) -> None:
        """As a person removing a product from the catalog: gone from lists, search and links."""
        with self._lock:
            self.catalog_elements.pop(element_id)
            self.links[:] = [
                link for link in self.links
                if not (link.get("to_entity_type") == "catalog_elements" and link.get("to_entity_id") == element_id)
            ]

    def leads_named(self, name: str) -> list[dict]:
        with self._lock:
            return [copy.deepcopy(lead) for lead in self.leads.values() if lead["name"] == name]

    def notes_for(self, lead_id: int) -> list[dict]:
        with self._lock:
            return [copy.deepcopy(n) for n in self.notes if n["entity_id"] == lead_id]

    def links_for(self, lead_id: int) -> list[dict]:
        with self._lock:
            return [copy.deepcopy(l) for l in self.links if l["entity_id"] == lead_id]

    def contact_phones(self, contact_id: int) -> list[str]:
        with self._lock:
            return self._phones(self.contacts[contact_id])

    def lead_tags(self, lead_id: int) -> list[str]:
        with self._lock:
            return [t["name"] for t in self.leads[lead_id]["_embedded"]["tags"]]

    def lead_contact_ids(self, lead_id: int) -> list[int]:
        with self._lock:
            return [l["to_entity_id"] for l in self.links
                    if l["entity_id"] == lead_id and l["to_entity_type"] == "contacts"]

    @staticmethod
    def _phones(contact: dict) -> list[str]:
        out: list[str] = []
        for field in contact.get("custom_fields_values") or []:
            if field.get("field_code") == "PHONE":
                out.extend(v["value"] for v in field["values"])
        return out

    # ------------------------------------------------------------------ counters

    @property
    def api_requests(self) -> int:
        """Requests to /api/v4 received since the last reset, whatever their answer."""
        with self._lock:
            return sum(1 for _, path, _ in self.request_log if path.startswith("/api/v4"))

    @property
    def write_requests(self) -> int:
        """POST/PATCH/DELETE to /api/v4 answered 2xx (applied writes, even if the answer was lost)."""
        with self._lock:
            return sum(1 for method, path, status in self.request_log
                       if method in WRITE_METHODS and path.startswith("/api/v4") and 200 <= status < 300)

    @property
    def too_many_requests(self) -> int:
        with self._lock:
            return sum(1 for _, _, status in self.request_log if status == 429)

    def reset_counters(self) -> None:
        with self._lock:
            self.request_log.clear()

    # ------------------------------------------------------------------ dispatch

    def handle(self, request: Request) -> Response:
        """Answer one HTTP request; raises DropConnection for injected connection losses."""
        path = request.path
        observed = path.startswith("/api/v4") or path.startswith("/oauth2")
        with self._lock:
            hooks = list(self._hooks) if observed else []
        for hook in hooks:
            try:
                hook(request.method, path, False)
            except DropConnection:
                with self._lock:
                    self.request_log.append((request.method, path, 0))
                raise
        with self._lock:
            response, drop = self._handle_locked(request)
            delay = self._delay_pending.popleft() if observed and response.status and self._delay_pending else 0.0
        if delay > 0:
            time.sleep(delay)
        if response.status:  # 0: dropped by drop_next before it was handled
            for hook in hooks:
                hook(request.method, path, True)
        if drop:
            raise DropConnection()
        return response

    def _handle_locked(self, request: Request) -> tuple[Response, bool]:
        path = request.path
        family = "api" if path.startswith("/api/v4") else "oauth" if path.startswith("/oauth2") else "other"
        logged = family != "other"
        if self._drop_pending > 0:
            self._drop_pending -= 1
            if logged:
                self.request_log.append((request.method, path, 0))
            return Response(0), True
        try:
            if self._blocked:
                response = html_response(403, NGINX_403)
            elif family == "oauth":
                response = self._dispatch(self._oauth_router, request)
            elif family == "api":
                response = self._handle_api(request)
            elif path.rstrip("/") in ("/oauth", "/oauth/decision"):
                response = self._consent(request)
            else:
                response = self._not_found(request)
        except ApiError as exc:
            response = exc.response
        except Exception:  # noqa: BLE001 - a bug must still answer like the real 500, not hang the client
            response = _problem(500, "Our team are probably already working on this problem.",
                                title="ErrInternalServer", trace_id=secrets.token_hex(8),
                                exception=traceback.format_exc(limit=3))
        response.headers.setdefault("X-Request-Id", secrets.token_hex(16))
        if logged:
            self.request_log.append((request.method, path, response.status))
        drop = False
        if (self._apply_drop_pending > 0 and logged and request.method in WRITE_METHODS
                and 200 <= response.status < 300):
            self._apply_drop_pending -= 1
            drop = True
        return response, drop

    def _dispatch(self, router: Router, request: Request) -> Response:
        response = router.dispatch(request)
        if response is None:
            return self._not_found(request)
        if response.status == 405 and response.content_type == "text/plain":
            return _problem(405, f"Method {request.method} is not allowed for {request.path}")
        return response

    def _not_found(self, request: Request) -> Response:
        return _problem(404, f"Cannot {request.method} {self._base(request)}{request.path}")

    def _handle_api(self, request: Request) -> Response:
        if self._fail_queue:
            return self._injected(self._fail_queue.popleft())
        token = self._bearer(request)
        record = self._access.get(token) if token else None
        if record is None or record["revoked"] or self._clock() >= record["exp"]:
            return _problem(401, "Invalid user name or password")
        limited = self._rate_limit(record["integration"])
        if limited is not None:
            return limited
        try:
            return self._dispatch(self._router, request)
        except BadJSON:
            return _problem(400, "Syntax error, malformed JSON")

    def _injected(self, status: int) -> Response:
        if status == 403:
            return html_response(403, NGINX_403)
        if status == 429:
            return self._too_many()
        if status == 401:
            return _problem(401, "Invalid user name or password")
        if status == 500:
            return _problem(500, "Our team are probably already working on this problem.",
                            title="ErrInternalServer", trace_id=secrets.token_hex(8))
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Error"
        return _problem(status, phrase, title=phrase)

    @staticmethod
    def _bearer(request: Request) -> str | None:
        header = request.header("authorization") or ""
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            return None
        return value.strip()

    def _rate_limit(self, key: str) -> Response | None:
        """Sliding 1 s window of admitted requests per integration; the 8th in a window gets 429."""
        if self.rps_limit is None:
            return None
        now = self._clock()
        window = self._windows.setdefault(key, deque())
        while window and window[0] <= now - 1.0 + 1e-6:
            window.popleft()
        if len(window) + 1 > self.rps_limit:
            self._violations += 1
            if self.block_after is not None and self._violations >= self.block_after:
                self._blocked = True
            return self._too_many()
        window.append(now)
        return None

    def _too_many(self) -> Response:
        if self.html_429:
            return html_response(429, NGINX_429)
        return _problem(429, "You have sent too many requests in a given amount of time. Please try again later.",
                        title="Too Many Requests", retry_after=self.retry_after)

    @staticmethod
    def _base(request: Request) -> str:
        host = request.header("host")
        return f"http://{host}" if host else "https://sandbox.amocrm.ru"

    def _add_routes(self) -> None:
        o = self._oauth_router
        o.add("POST", "/oauth2/access_token", self._oauth_token)
        o.add("GET", "/oauth2/account/current/subdomain", self._oauth_subdomain)

        r = self._router
        v4 = "/api/v4"
        r.add("GET", f"{v4}/account", self._get_account)
        r.add("GET", f"{v4}/leads/pipelines", self._get_pipelines)
        r.add("GET", f"{v4}/leads/pipelines/{{pid}}", self._get_pipeline)
        r.add("GET", f"{v4}/leads/pipelines/{{pid}}/statuses", self._get_statuses)
        r.add("GET", f"{v4}/leads/pipelines/{{pid}}/statuses/{{sid}}", self._get_status)
        r.add("GET", f"{v4}/contacts/custom_fields", self._get_contact_fields)
        r.add("GET", f"{v4}/leads/custom_fields", lambda req, p: _no_content())
        for etype in ("leads", "contacts"):
            r.add("GET", f"{v4}/{etype}/tags", self._tags_get(etype))
            r.add("POST", f"{v4}/{etype}/tags", self._tags_post(etype))
        r.add("GET", f"{v4}/contacts", self._get_contacts)
        r.add("POST", f"{v4}/contacts", self._post_contacts)
        r.add("PATCH", f"{v4}/contacts", self._patch_contacts)
        r.add("GET", f"{v4}/contacts/{{id}}", self._get_contact)
        r.add("PATCH", f"{v4}/contacts/{{id}}", self._patch_contact)
        r.add("POST", f"{v4}/leads/complex", self._post_complex)
        r.add("GET", f"{v4}/leads/notes", self._get_notes)
        r.add("POST", f"{v4}/leads/notes", self._post_notes)
        r.add("GET", f"{v4}/leads/notes/{{nid}}", self._get_note)
        r.add("GET", f"{v4}/leads/links", self._get_links_mass)
        r.add("POST", f"{v4}/leads/link", self._post_link_mass)
        r.add("POST", f"{v4}/leads/unlink", self._post_unlink_mass)
        r.add("GET", f"{v4}/leads", self._get_leads)
        r.add("POST", f"{v4}/leads", self._post_leads)
        r.add("PATCH", f"{v4}/leads", self._patch_leads)
        r.add("GET", f"{v4}/leads/{{id}}", self._get_lead)
        r.add("PATCH", f"{v4}/leads/{{id}}", self._patch_lead)
        r.add("GET", f"{v4}/leads/{{id}}/notes", self._get_lead_notes)
        r.add("POST", f"{v4}/leads/{{id}}/notes", self._post_lead_notes)
        r.add("GET", f"{v4}/leads/{{id}}/links", self._get_lead_links)
        r.add("POST", f"{v4}/leads/{{id}}/link", self._post_lead_link)
        r.add("POST", f"{v4}/leads/{{id}}/unlink", self._post_lead_unlink)
        r.add("GET", f"{v4}/catalogs", self._get_catalogs)
        r.add("GET", f"{v4}/catalogs/{{cid}}", self._get_catalog)
        r.add("GET", f"{v4}/catalogs/{{cid}}/custom_fields", self._get_catalog_fields)
        r.add("GET", f"{v4}/catalogs/{{cid}}/elements", self._get_elements)
        r.add("POST", f"{v4}/catalogs/{{cid}}/elements", self._post_elements)
        r.add("PATCH", f"{v4}/catalogs/{{cid}}/elements", self._patch_elements)
        r.add("GET", f"{v4}/catalogs/{{cid}}/elements/{{eid}}", self._get_element)
        r.add("PATCH", f"{v4}/catalogs/{{cid}}/elements/{{eid}}", self._patch_element)

    # ------------------------------------------------------------------ request helpers

    def _path_id(self, request: Request, raw: str) -> int:
        if not raw.isdigit():
            raise ApiError(self._not_found(request))
        return int(raw)

    @staticmethod
    def _filter_values(request: Request, name: str) -> list[str]:
        """Values of `name`, `name[]` and `name[0]`…, comma lists split."""
        out: list[str] = []
        for key, values in request.query.items():
            if key == name or (key.startswith(name + "[") and re.fullmatch(r"\[\d*\]", key[len(name):])):
                for value in values:
                    out.extend(part.strip() for part in value.split(",") if part.strip())
        return out

    def _filter_ints(self, request: Request, name: str) -> list[int] | None:
        values = self._filter_values(request, name)
        if not values:
            return None
        return [int(v) for v in values if v.lstrip("-").isdigit()]

    @staticmethod
    def _with(request: Request) -> set[str]:
        raw = ",".join(request.query.get("with", []))
        return {part.strip() for part in raw.split(",") if part.strip()}

    @staticmethod
    def _page_limit(request: Request) -> tuple[int, int]:
        values = {}
        for name, default in (("page", 1), ("limit", DEFAULT_LIMIT)):
            raw = request.arg(name) or str(default)
            if not raw.strip().isdigit():
                raise ApiError(_problem(400, "Request validation failed", **{"validation-errors": [
                    {"request_id": "0", "errors": [{"code": "InvalidType", "path": name,
                                                    "detail": "This value should be of type int."}]}]}))
            values[name] = int(raw)
        page, limit = values["page"], values["limit"]
        if limit > MAX_BATCH:
            raise ApiError(_problem(422, "Limit 250 per page"))
        return max(page, 1), max(limit, 1)

    def _collection(self, request: Request, key: str, items: list[dict]) -> Response:
        """A HAL page of `items`, `_links.next` only when another page exists, 204 when empty."""
        page, limit = self._page_limit(request)
        chunk = items[(page - 1) * limit: page * limit]
        if not chunk:
            return _no_content()
        base = self._base(request) + request.path
        kept = [(k, v) for k, vs in request.query.items() if k not in ("page", "limit") for v in vs]

        def href(p: int) -> dict:
            return {"href": f"{base}?{urlencode(kept + [('page', p), ('limit', limit)])}"}

        links: dict[str, Any] = {"self": href(page)}
        if len(items) > page * limit:
            links["next"] = href(page + 1)
        if page > 1:
            links["prev"] = href(page - 1)
        return _hal({"_page": page, "_links": links, "_embedded": {key: chunk}})

    @staticmethod
    def _read_items(request: Request) -> list[Any]:
        """A write body: a non-empty JSON array of at most 250 items."""
        data = request.json()
        if data is None or data == [] or data == {}:
            raise ApiError(_problem(400, "Request data can not be empty"))
        if not isinstance(data, list):
            raise ApiError(_problem(400, "Request validation failed", **{"validation-errors": [
                {"request_id": "0", "errors": [{"code": "InvalidType", "path": "",
                                                "detail": "This value should be of type array."}]}]}))
        if len(data) > MAX_BATCH:
            raise ApiError(_problem(422, "Limit 250 per page"))
        return data

    @staticmethod
    def _read_object(request: Request) -> dict:
        data = request.json()
        if not isinstance(data, dict) or not data:
            if data in (None, {}, []):
                raise ApiError(_problem(400, "Request data can not be empty"))
            raise ApiError(_problem(400, "Request validation failed", **{"validation-errors": [
                {"request_id": "0", "errors": [{"code": "InvalidType", "path": "",
                                                "detail": "This value should be of type object."}]}]}))
        return data

    def _link(self, request: Request, path: str) -> dict:
        return {"self": {"href": f"{self._base(request)}/api/v4/{path}"}}

    # ------------------------------------------------------------------ OAuth

    @staticmethod
    def _oauth_body(request: Request) -> dict[str, Any] | None:
        content_type = (request.header("content-type") or "").lower()
        if "application/x-www-form-urlencoded" not in content_type:
            try:
                data = request.json()
                if isinstance(data, dict):
                    return data
            except BadJSON:
                pass
        try:
            form = parse_qs(request.body.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            return None
        return {k: v[0] for k, v in form.items()} if form else None

    def _oauth_token(self, request: Request, params: dict[str, str]) -> Response:
        data = self._oauth_body(request)
        if not data:
            return _oauth_problem(400, "Check the `grant_type` parameter")
        grant = data.get("grant_type")
        if grant not in ("authorization_code", "refresh_token"):
            return _oauth_problem(400, "Unsupported grant type")
        if data.get("client_id") != self.client_id or data.get("client_secret") != self.client_secret:
            return _oauth_problem(401, "Client authentication failed")
        now = self._clock()
        if grant == "authorization_code":
            if data.get("redirect_uri") != self.redirect_uri:
                return _oauth_problem(400, "Redirect URI mismatch")
            code = self._codes.get(str(data.get("code") or ""))
            if code is None or code["used"] or now >= code["exp"]:
                return _oauth_problem(400, "Cannot decrypt the authorization code")
            code["used"] = True
            access, refresh = self._new_pair(None)
        else:
            token = str(data.get("refresh_token") or "")
            record = self._refresh.get(token)
            if record is None:
                return _oauth_problem(401, "Cannot decrypt the refresh token")
            if record["revoked"] or (record["used"] and self.refresh_mode == "strict"):
                return _oauth_problem(401, "Token has been revoked")
            if now >= record["exp"]:
                return _oauth_problem(401, "Token has expired")
            record["used"] = True
            parent = record["parent"]
            if self.refresh_mode == "grace" and parent is not None:
                # Kommo: the previous token lived on only until this (its successor) was used.
                self._refresh[parent]["revoked"] = True
                for sibling in self._refresh[parent]["children"]:
                    if sibling != token:
                        self._refresh[sibling]["revoked"] = True
            access, refresh = self._new_pair(token)
        return json_response(200, {"token_type": "Bearer", "expires_in": self.access_ttl,
                                   "server_time": int(now), "access_token": access, "refresh_token": refresh})

    def _oauth_subdomain(self, request: Request, params: dict[str, str]) -> Response:
        record = self._refresh.get(request.header("x-refresh-token") or "")
        if record is None or record["revoked"]:
            return _oauth_problem(401, "Token has been revoked")
        return json_response(200, {"id": self.account_id, "subdomain": self.subdomain,
                                   "domain": f"{self.subdomain}.amocrm.ru", "top_level_domain": "ru"})

    # ------------------------------------------------------------------ account & pipelines

    def _get_account(self, request: Request, params: dict[str, str]) -> Response:
        return _hal({
            "id": self.account_id, "name": self.account_name, "subdomain": self.subdomain,
            "created_at": self._created_at, "created_by": USER_ID, "updated_at": self._created_at,
            "updated_by": USER_ID, "current_user_id": USER_ID, "country": "KZ", "currency": "KZT",
            "currency_symbol": "₸", "customers_mode": "disabled", "is_unsorted_on": True,
            "is_loss_reason_enabled": True, "is_helpbot_enabled": False, "is_technical_account": False,
            "contact_name_display_order": 1, "mobile_feature_version": 0,
            "_links": {"self": {"href": f"{self._base(request)}/api/v4/account"}},
        })

    def _render_pipeline(self, request: Request, pipeline: dict) -> dict:
        out = copy.deepcopy(pipeline)
        out["_links"] = self._link(request, f"leads/pipelines/{pipeline['id']}")
        for st in out["_embedded"]["statuses"]:
            st["_links"] = self._link(request, f"leads/pipelines/{pipeline['id']}/statuses/{st['id']}")
        return out

    def _pipeline(self, pid: int) -> dict | None:
        return next((p for p in self.pipelines if p["id"] == pid), None)

    def _get_pipelines(self, request: Request, params: dict[str, str]) -> Response:
        items = [self._render_pipeline(request, p) for p in self.pipelines]
        return _hal({"_total_items": len(items), "_links": self._link(request, "leads/pipelines"),
                     "_embedded": {"pipelines": items}})

    def _get_pipeline(self, request: Request, params: dict[str, str]) -> Response:
        pipeline = self._pipeline(self._path_id(request, params["pid"]))
        return _hal(self._render_pipeline(request, pipeline)) if pipeline else _no_content()

    def _get_statuses(self, request: Request, params: dict[str, str]) -> Response:
        pipeline = self._pipeline(self._path_id(request, params["pid"]))
        if pipeline is None:
            return _no_content()
        rendered = self._render_pipeline(request, pipeline)
        statuses = rendered["_embedded"]["statuses"]
        return _hal({"_total_items": len(statuses),
                     "_links": self._link(request, f"leads/pipelines/{pipeline['id']}/statuses"),
                     "_embedded": {"statuses": statuses}})

    def _get_status(self, request: Request, params: dict[str, str]) -> Response:
        pipeline = self._pipeline(self._path_id(request, params["pid"]))
        sid = self._path_id(request, params["sid"])
        if pipeline is None:
            return _no_content()
        rendered = self._render_pipeline(request, pipeline)
        st = next((s for s in rendered["_embedded"]["statuses"] if s["id"] == sid), None)
        return _hal(st) if st else _no_content()

    def _statuses_of(self, pid: int) -> list[dict]:
        pipeline = self._pipeline(pid)
        return pipeline["_embedded"]["statuses"] if pipeline else []

    def _main_pipeline_id(self) -> int:
        return next(p["id"] for p in self.pipelines if p["is_main"])

    def _first_stage(self, pid: int) -> int:
        return next(s["id"] for s in self._statuses_of(pid) if s["type"] == 0 and s["id"] not in (WON, LOST))

    # ------------------------------------------------------------------ tags

    def _tag_named(self, etype: str, name: str) -> dict | None:
        folded = name.casefold()
        return next((t for t in self.tags[etype].values() if t["name"].casefold() == folded), None)

    def _ensure_tag(self, etype: str, name: str, color: str | None = None) -> dict:
        tag = self._tag_named(etype, name)
        if tag is None:
            tid = self._next_id("tag")
            tag = {"id": tid, "name": name, "color": color if etype == "leads" else None}
            self.tags[etype][tid] = tag
        return tag

    def _parse_tag_refs(self, value: Any, path: str, etype: str, errs: _Errors) -> list[tuple[str, Any]] | None:
        """Validate `[{"id"}|{"name"}]`; returns refs to resolve once the whole batch is valid."""
        if value is None:
            return []
        if not isinstance(value, list):
            errs.type(path, "array")
            return None
        refs: list[tuple[str, Any]] = []
        for i, ref in enumerate(value):
            p = f"{path}.{i}"
            if not isinstance(ref, dict):
                errs.type(p, "object")
            elif ref.get("id") is not None:
                if not _is_int(ref["id"]):
                    errs.type(f"{p}.id", "int")
                elif ref["id"] not in self.tags[etype]:
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

    def _resolve_tags(self, etype: str, refs: list[tuple[str, Any]], create: bool = True) -> list[dict]:
        out: list[dict] = []
        for kind, value in refs:
            tag = self.tags[etype].get(value) if kind == "id" else (
                self._ensure_tag(etype, value) if create else self._tag_named(etype, value))
            if tag is not None and tag["id"] not in {t["id"] for t in out}:
                out.append(tag)
        return out

    def _apply_tag_ops(self, etype: str, entity: dict, plan: dict) -> None:
        tags: list[dict] = entity["_embedded"]["tags"]
        if plan.get("tags_replace") is not None:
            tags = [dict(t) for t in self._resolve_tags(etype, plan["tags_replace"])]
        for tag in self._resolve_tags(etype, plan.get("tags_add") or []):
            if tag["id"] not in {t["id"] for t in tags}:
                tags.append(dict(tag))
        drop = {t["id"] for t in self._resolve_tags(etype, plan.get("tags_delete") or [], create=False)}
        entity["_embedded"]["tags"] = [t for t in tags if t["id"] not in drop]

    def _parse_tag_ops(self, item: dict, etype: str, errs: _Errors, prefix: str = "") -> dict:
        plan: dict[str, Any] = {}
        embedded = item.get("_embedded")
        if isinstance(embedded, dict) and "tags" in embedded:
            plan["tags_replace"] = self._parse_tag_refs(embedded["tags"], f"{prefix}_embedded.tags", etype, errs)
        if "tags_to_add" in item:
            plan["tags_add"] = self._parse_tag_refs(item["tags_to_add"], f"{prefix}tags_to_add", etype, errs)
        if "tags_to_delete" in item:
            plan["tags_delete"] = self._parse_tag_refs(item["tags_to_delete"], f"{prefix}tags_to_delete", etype, errs)
        return plan

    def _tags_get(self, etype: str) -> Callable[[Request, dict[str, str]], Response]:
        def handler(request: Request, params: dict[str, str]) -> Response:
            items = sorted(self.tags[etype].values(), key=lambda t: t["id"])
            ids = self._filter_ints(request, "filter[id]")
            if ids is not None:
                items = [t for t in items if t["id"] in ids]
            names = self._filter_values(request, "filter[name]")
            if names:
                folded = {n.casefold() for n in names}
                items = [t for t in items if t["name"].casefold() in folded]
            query = (request.arg("query") or "").casefold()
            if query:
                items = [t for t in items if query in t["name"].casefold()]
            return self._collection(request, "tags", [dict(t) for t in items])
        return handler

    def _tags_post(self, etype: str) -> Callable[[Request, dict[str, str]], Response]:
        def handler(request: Request, params: dict[str, str]) -> Response:
            items = self._read_items(request)
            errs = _Errors()
            for i, item in enumerate(items):
                errs.item(_request_id(item, i))
                if not isinstance(item, dict):
                    errs.type("", "object")
                elif not isinstance(item.get("name"), str) or not item["name"].strip():
                    errs.type("name", "string") if not isinstance(item.get("name"), str) else errs.blank("name")
            errs.raise_if_any()
            out = []
            for i, item in enumerate(items):
                tag = self._ensure_tag(etype, item["name"].strip(), item.get("color"))
                out.append({**tag, "request_id": _request_id(item, i)})
            return _hal({"_links": self._link(request, f"{etype}/tags"), "_embedded": {"tags": out}})
        return handler

    # ------------------------------------------------------------------ contacts

    def _get_contact_fields(self, request: Request, params: dict[str, str]) -> Response:
        fields = []
        for f in _CONTACT_FIELDS.values():
            fields.append({"id": f["id"], "name": f["name"], "type": f["type"], "code": f["code"], "sort": f["sort"],
                           "is_api_only": False, "entity_type": "contacts", "is_deletable": False,
                           "enums": [{"id": eid, "value": code, "sort": i * 2 + 2}
                                     for i, (code, eid) in enumerate(f["enums"].items())],
                           "account_id": self.account_id})
        return self._collection(request, "custom_fields", fields)

    def _parse_contact_fields(self, value: Any, prefix: str, errs: _Errors) -> list[dict] | None:
        """`custom_fields_values` of a contact → stored read shape (None when nothing given)."""
        path = f"{prefix}custom_fields_values"
        if value is None:
            return None
        if not isinstance(value, list):
            errs.type(path, "array")
            return None
        out: list[dict] = []
        for i, entry in enumerate(value):
            p = f"{path}.{i}"
            if not isinstance(entry, dict):
                errs.type(p, "object")
                continue
            field = None
            if entry.get("field_id") is not None:
                field = _CONTACT_FIELDS.get(entry["field_id"]) if _is_int(entry["field_id"]) else None
                if field is None:
                    errs.choice(f"{p}.field_id")
                    continue
            elif entry.get("field_code") is not None:
                field = next((f for f in _CONTACT_FIELDS.values() if f["code"] == entry["field_code"]), None)
                if field is None:
                    errs.choice(f"{p}.field_code")
                    continue
            else:
                errs.blank(f"{p}.field_id")
                continue
            values = entry.get("values")
            if not isinstance(values, list):
                errs.type(f"{p}.values", "array")
                continue
            stored = []
            for j, v in enumerate(values):
                vp = f"{p}.values.{j}"
                if not isinstance(v, dict):
                    errs.type(vp, "object")
                    continue
                if not isinstance(v.get("value"), str):
                    errs.type(f"{vp}.value", "string")
                    continue
                enums: dict[str, int] = field["enums"]
                code = "WORK"
                if v.get("enum_id") is not None:
                    code = next((c for c, eid in enums.items() if eid == v["enum_id"]), "")
                    if not code:
                        errs.choice(f"{vp}.enum_id")
                        continue
                elif v.get("enum_code") is not None:
                    code = v["enum_code"]
                    if code not in enums:
                        errs.choice(f"{vp}.enum_code")
                        continue
                stored.append({"value": v["value"], "enum_id": enums[code], "enum_code": code})
            out = [f for f in out if f["field_id"] != field["id"]]
            out.append({"field_id": field["id"], "field_name": field["name"], "field_code": field["code"],
                        "field_type": field["type"], "values": stored})
        return out

    def _parse_contact(self, item: Any, errs: _Errors, *, prefix: str = "", creating: bool) -> dict:
        plan: dict[str, Any] = {}
        if not isinstance(item, dict):
            errs.type(prefix.rstrip(".") or "", "object")
            return plan
        for key in ("name", "first_name", "last_name"):
            if key in item and item[key] is not None:
                if not isinstance(item[key], str):
                    errs.type(f"{prefix}{key}", "string")
                else:
                    plan[key] = item[key]
        if item.get("responsible_user_id") is not None and not _is_int(item["responsible_user_id"]):
            errs.type(f"{prefix}responsible_user_id", "int")
        if "custom_fields_values" in item:
            plan["cfv"] = self._parse_contact_fields(item["custom_fields_values"], prefix, errs)
        plan.update(self._parse_tag_ops(item, "contacts", errs, prefix))
        return plan

    def _create_contact(self, plan: dict) -> int:
        now = self._now()
        cid = self._next_id("contact")
        first, last = plan.get("first_name", ""), plan.get("last_name", "")
        name = plan.get("name")
        if name is None:
            name = f"{first} {last}".strip()
        self.contacts[cid] = {
            "id": cid, "name": name, "first_name": first, "last_name": last, "responsible_user_id": USER_ID,
            "group_id": 0, "created_by": USER_ID, "updated_by": USER_ID, "created_at": now, "updated_at": now,
            "closest_task_at": None, "is_deleted": False, "is_unsorted": False,
            "custom_fields_values": plan.get("cfv") or None, "account_id": self.account_id,
            "_embedded": {"tags": [], "companies": []},
        }
        self._apply_tag_ops("contacts", self.contacts[cid], plan)
        return cid

    def _update_contact(self, contact: dict, plan: dict) -> None:
        for key in ("name", "first_name", "last_name"):
            if key in plan:
                contact[key] = plan[key]
        if plan.get("cfv") is not None:
            fields = {f["field_id"]: f for f in contact.get("custom_fields_values") or []}
            for f in plan["cfv"]:
                fields[f["field_id"]] = f
            contact["custom_fields_values"] = [f for f in fields.values() if f["values"]] or None
        self._apply_tag_ops("contacts", contact, plan)
        contact["updated_at"] = self._now()

    def _render_contact(self, request: Request, contact: dict, with_: set[str]) -> dict:
        out = copy.deepcopy(contact)
        out["_links"] = self._link(request, f"contacts/{contact['id']}")
        if "leads" in with_:
            out["_embedded"]["leads"] = [
                {"id": l["entity_id"], "_links": self._link(request, f"leads/{l['entity_id']}")}
                for l in self.links
                if l["to_entity_type"] == "contacts" and l["to_entity_id"] == contact["id"]
                and l["entity_id"] in self.leads
            ]
        return out

    def _contact_matches(self, contact: dict, query: str) -> bool:
        """amoCRM's full-text search: a phone-like query matches on the last 7 digits only."""
        compact = re.sub(r"[\s()+\-.]", "", query)
        if compact.isdigit() and len(compact) >= 7:
            tail = compact[-7:]
            return any(_digits(p).endswith(tail) for p in self._phones(contact))
        folded = query.casefold()
        haystack = [contact["name"], contact.get("first_name") or "", contact.get("last_name") or ""]
        for field in contact.get("custom_fields_values") or []:
            haystack.extend(str(v.get("value", "")) for v in field["values"])
        return any(folded in h.casefold() for h in haystack)

    def _get_contacts(self, request: Request, params: dict[str, str]) -> Response:
        items = sorted(self.contacts.values(), key=lambda c: c["id"])
        ids = self._filter_ints(request, "filter[id]")
        if ids is not None:
            items = [c for c in items if c["id"] in ids]
        query = (request.arg("query") or "").strip()
        if query:
            items = [c for c in items if self._contact_matches(c, query)]
        with_ = self._with(request)
        return self._collection(request, "contacts", [self._render_contact(request, c, with_) for c in items])

    def _get_contact(self, request: Request, params: dict[str, str]) -> Response:
        contact = self.contacts.get(self._path_id(request, params["id"]))
        if contact is None:
            return _no_content()
        return _hal(self._render_contact(request, contact, self._with(request)))

    def _post_contacts(self, request: Request, params: dict[str, str]) -> Response:
        items = self._read_items(request)
        plans = _parse_each(items, lambda item, errs: self._parse_contact(item, errs, creating=True))
        out = []
        for i, (item, plan) in enumerate(zip(items, plans)):
            cid = self._create_contact(plan)
            out.append({"id": cid, "request_id": _request_id(item, i),
                        "_links": self._link(request, f"contacts/{cid}")})
        return _hal({"_links": self._link(request, "contacts"), "_embedded": {"contacts": out}})

    def _patch_contact_items(self, request: Request, items: list[Any], ids: list[Any]) -> Response:
        errs = _Errors()
        plans = []
        for i, (item, cid) in enumerate(zip(items, ids)):
            errs.item(_request_id(item, i))
            if not _is_int(cid):
                errs.type("id", "int")
            elif cid not in self.contacts:
                errs.choice("id")
            plans.append(self._parse_contact(item, errs, creating=False))
        errs.raise_if_any()
        out = []
        for i, (item, cid, plan) in enumerate(zip(items, ids, plans)):
            contact = self.contacts[cid]
            self._update_contact(contact, plan)
            out.append({"id": cid, "name": contact["name"], "updated_at": contact["updated_at"],
                        "request_id": _request_id(item, i), "_links": self._link(request, f"contacts/{cid}")})
        return _hal({"_links": self._link(request, "contacts"), "_embedded": {"contacts": out}})

    def _patch_contacts(self, request: Request, params: dict[str, str]) -> Response:
        items = self._read_items(request)
        return self._patch_contact_items(request, items, [i.get("id") if isinstance(i, dict) else None for i in items])

    def _patch_contact(self, request: Request, params: dict[str, str]) -> Response:
        cid = self._path_id(request, params["id"])
        item = self._read_object(request)
        response = self._patch_contact_items(request, [item], [cid])
        body = json.loads(response.body)["_embedded"]["contacts"][0]
        return _hal(body)

    # ------------------------------------------------------------------ leads

    def _parse_lead(self, item: Any, errs: _Errors, *, existing: dict | None, complex_: bool = False) -> dict:
        """Validate one lead body into a plan; nothing is changed until the whole batch is valid."""
        plan: dict[str, Any] = {}
        if not isinstance(item, dict):
            errs.type("", "object")
            return plan
        if "name" in item:
            if not isinstance(item["name"], str):
                errs.type("name", "string")
            else:
                plan["name"] = item["name"]
        if "price" in item:
            if not _is_int(item["price"]):
                errs.type("price", "int")
            else:
                plan["price"] = item["price"]
        for key in ("responsible_user_id", "loss_reason_id", "created_at", "updated_at", "closed_at"):
            if item.get(key) is not None and not _is_int(item[key]):
                errs.type(key, "int")
        cfv = item.get("custom_fields_values")
        if cfv is not None:
            if not isinstance(cfv, list):
                errs.type("custom_fields_values", "array")
            else:
                for i, _ in enumerate(cfv):
                    errs.choice(f"custom_fields_values.{i}.field_id")  # the sandbox defines no lead fields

        pid, sid = item.get("pipeline_id"), item.get("status_id")
        ok = True
        if pid is not None and not _is_int(pid):
            errs.type("pipeline_id", "int")
            ok = False
        elif pid is not None and self._pipeline(pid) is None:
            errs.choice("pipeline_id")
            ok = False
        if sid is not None and not _is_int(sid):
            errs.type("status_id", "int")
            ok = False
        if ok and (pid is not None or sid is not None or existing is None):
            current = existing["pipeline_id"] if existing else self._main_pipeline_id()
            if pid is None and sid is not None and sid not in (WON, LOST):
                owners = [p["id"] for p in self.pipelines if any(s["id"] == sid for s in p["_embedded"]["statuses"])]
                target = owners[0] if owners else current
            else:
                target = pid if pid is not None else current
            if sid is None:
                if existing is not None and target == existing["pipeline_id"]:
                    sid = existing["status_id"]
                else:
                    sid = self._first_stage(target)
            status = next((s for s in self._statuses_of(target) if s["id"] == sid), None)
            if status is None or status["type"] == 1:
                errs.choice("status_id")
            else:
                plan["pipeline_id"], plan["status_id"] = target, sid

        plan.update(self._parse_tag_ops(item, "leads", errs))
        embedded = item.get("_embedded")
        if embedded is not None and not isinstance(embedded, dict):
            errs.type("_embedded", "object")
        elif existing is None and isinstance(embedded, dict) and embedded.get("contacts") is not None:
            contacts = embedded["contacts"]
            if not isinstance(contacts, list):
                errs.type("_embedded.contacts", "array")
            elif complex_:
                if len(contacts) > 1:
                    errs.add("Count", "_embedded.contacts", "This collection should contain 1 element or less.")
                elif contacts:
                    body = contacts[0]
                    if isinstance(body, dict) and body.get("id") is not None:
                        if not _is_int(body["id"]):
                            errs.type("_embedded.contacts.0.id", "int")
                        elif body["id"] not in self.contacts:
                            errs.choice("_embedded.contacts.0.id")
                        else:
                            plan["link_contact"] = body["id"]
                    else:
                        plan["new_contact"] = self._parse_contact(body, errs, prefix="_embedded.contacts.0.",
                                                                  creating=True)
            else:
                refs = []
                for i, ref in enumerate(contacts):
                    p = f"_embedded.contacts.{i}"
                    if not isinstance(ref, dict):
                        errs.type(p, "object")
                    elif not _is_int(ref.get("id")):
                        errs.type(f"{p}.id", "int")
                    elif ref["id"] not in self.contacts:
                        errs.choice(f"{p}.id")
                    else:
                        refs.append((ref["id"], ref.get("is_main")))
                plan["contacts"] = refs
        return plan

    def _create_lead(self, plan: dict) -> int:
        now = self._now()
        lid = self._next_id("lead")
        status_id = plan["status_id"]
        self.leads[lid] = {
            "id": lid, "name": plan.get("name", f"Сделка #{lid}"), "price": plan.get("price", 0),
            "responsible_user_id": USER_ID, "group_id": 0, "status_id": status_id,
            "pipeline_id": plan["pipeline_id"], "loss_reason_id": None, "created_by": USER_ID,
            "updated_by": USER_ID, "created_at": now, "updated_at": now,
            "closed_at": now if status_id in (WON, LOST) else None, "closest_task_at": None,
            "is_deleted": False, "custom_fields_values": None, "score": None, "account_id": self.account_id,
            "labor_cost": None, "_embedded": {"tags": [], "companies": []},
        }
        self._apply_tag_ops("leads", self.leads[lid], plan)
        for contact_id, is_main in plan.get("contacts", []):
            self._link_contact(lid, contact_id, is_main)
        return lid

    def _update_lead(self, lead: dict, plan: dict) -> None:
        for key in ("name", "price", "pipeline_id"):
            if key in plan:
                lead[key] = plan[key]
        if "status_id" in plan and plan["status_id"] != lead["status_id"]:
            lead["status_id"] = plan["status_id"]
            lead["closed_at"] = self._now() if plan["status_id"] in (WON, LOST) else None
        self._apply_tag_ops("leads", lead, plan)
        lead["updated_at"] = self._now()

    def _link_contact(self, lead_id: int, contact_id: int, is_main: Any) -> dict:
        existing = [l for l in self.links if l["entity_id"] == lead_id and l["to_entity_type"] == "contacts"]
        main = bool(is_main) if is_main is not None else not any(l["metadata"]["main_contact"] for l in existing)
        if main:
            for l in existing:
                l["metadata"]["main_contact"] = False
        for l in existing:
            if l["to_entity_id"] == contact_id:
                l["metadata"]["main_contact"] = main
                return l
        link = {"entity_id": lead_id, "entity_type": "leads", "to_entity_id": contact_id,
                "to_entity_type": "contacts", "metadata": {"main_contact": main}}
        self.links.append(link)
        return link

    def _render_lead(self, request: Request, lead: dict, with_: set[str]) -> dict:
        out = copy.deepcopy(lead)
        out["_links"] = self._link(request, f"leads/{lead['id']}")
        mine = [l for l in self.links if l["entity_id"] == lead["id"]]
        if "contacts" in with_:
            out["_embedded"]["contacts"] = [
                {"id": l["to_entity_id"], "is_main": bool(l["metadata"].get("main_contact")),
                 "_links": self._link(request, f"contacts/{l['to_entity_id']}")}
                for l in mine if l["to_entity_type"] == "contacts"]
        if "catalog_elements" in with_:
            out["_embedded"]["catalog_elements"] = [
                {"id": l["to_entity_id"], "metadata": dict(l["metadata"])}
                for l in mine if l["to_entity_type"] == "catalog_elements"]
        return out

    def _get_leads(self, request: Request, params: dict[str, str]) -> Response:
        items = list(self.leads.values())
        ids = self._filter_ints(request, "filter[id]")
        if ids is not None:
            items = [l for l in items if l["id"] in ids]
        names = self._filter_values(request, "filter[name]")
        if names:
            items = [l for l in items if l["name"] in names]
        pids = self._filter_ints(request, "filter[pipeline_id]")
        if pids is not None:
            items = [l for l in items if l["pipeline_id"] in pids]
        pairs = self._status_filter(request)
        if pairs:
            items = [l for l in items if (l["pipeline_id"], l["status_id"]) in pairs]
        query = (request.arg("query") or "").strip().casefold()
        if query:
            items = [l for l in items if query in l["name"].casefold()]
        order = next(((k[6:-1], v[0]) for k, v in request.query.items() if k.startswith("order[")), ("id", "asc"))
        key = order[0] if order[0] in ("id", "created_at", "updated_at") else "id"
        items.sort(key=lambda l: (l[key], l["id"]), reverse=order[1].lower() == "desc")
        with_ = self._with(request)
        return self._collection(request, "leads", [self._render_lead(request, l, with_) for l in items])

    @staticmethod
    def _status_filter(request: Request) -> set[tuple[int, int]]:
        found: dict[str, dict[str, int]] = {}
        for key, values in request.query.items():
            m = re.fullmatch(r"filter\[statuses\]\[(\d+)\]\[(pipeline_id|status_id)\]", key)
            if m and values and values[0].isdigit():
                found.setdefault(m.group(1), {})[m.group(2)] = int(values[0])
        return {(v["pipeline_id"], v["status_id"]) for v in found.values() if len(v) == 2}

    def _live_lead(self, request: Request, raw: str) -> dict | None:
        return self.leads.get(self._path_id(request, raw))

    def _get_lead(self, request: Request, params: dict[str, str]) -> Response:
        lead = self._live_lead(request, params["id"])
        if lead is None:
            return _no_content()
        return _hal(self._render_lead(request, lead, self._with(request)))

    def _post_leads(self, request: Request, params: dict[str, str]) -> Response:
        items = self._read_items(request)
        plans = _parse_each(items, lambda item, errs: self._parse_lead(item, errs, existing=None))
        out = []
        for i, (item, plan) in enumerate(zip(items, plans)):
            lid = self._create_lead(plan)
            out.append({"id": lid, "request_id": _request_id(item, i), "_links": self._link(request, f"leads/{lid}")})
        return _hal({"_links": self._link(request, "leads"), "_embedded": {"leads": out}})

    def _patch_lead_items(self, request: Request, items: list[Any], ids: list[Any]) -> list[dict]:
        errs = _Errors()
        plans = []
        for i, (item, lid) in enumerate(zip(items, ids)):
            errs.item(_request_id(item, i))
            existing = None
            if not _is_int(lid):
                errs.type("id", "int")
            elif lid not in self.leads:
                errs.choice("id")
            else:
                existing = self.leads[lid]
            plans.append(self._parse_lead(item, errs, existing=existing) if existing or not isinstance(item, dict)
                         else {})
        errs.raise_if_any()
        out = []
        for i, (item, lid, plan) in enumerate(zip(items, ids, plans)):
            lead = self.leads[lid]
            self._update_lead(lead, plan)
            out.append({"id": lid, "updated_at": lead["updated_at"], "request_id": _request_id(item, i),
                        "_links": self._link(request, f"leads/{lid}")})
        return out

    def _patch_leads(self, request: Request, params: dict[str, str]) -> Response:
        items = self._read_items(request)
        out = self._patch_lead_items(request, items, [i.get("id") if isinstance(i, dict) else None for i in items])
        return _hal({"_links": self._link(request, "leads"), "_embedded": {"leads": out}})

    def _patch_lead(self, request: Request, params: dict[str, str]) -> Response:
        lid = self._path_id(request, params["id"])
        item = self._read_object(request)
        return _hal(self._patch_lead_items(request, [item], [lid])[0])

    def _post_complex(self, request: Request, params: dict[str, str]) -> Response:
        items = self._read_items(request)
        if len(items) > MAX_COMPLEX:
            return _problem(400, f"Too many leads in one request: at most {MAX_COMPLEX} are allowed")
        plans = _parse_each(items, lambda item, errs: self._parse_lead(item, errs, existing=None, complex_=True))
        out = []
        for i, (item, plan) in enumerate(zip(items, plans)):
            lid = self._create_lead(plan)
            contact_id = plan.get("link_contact")
            if "new_contact" in plan:
                contact_id = self._create_contact(plan["new_contact"])
            if contact_id is not None:
                self._link_contact(lid, contact_id, True)
            out.append({"id": lid, "contact_id": contact_id, "company_id": None,
                        "request_id": [_request_id(item, i)], "merged": False})
        return _hal(out)

    # ------------------------------------------------------------------ notes

    def _render_note(self, request: Request, note: dict) -> dict:
        out = copy.deepcopy(note)
        out["_links"] = self._link(request, f"leads/{note['entity_id']}/notes/{note['id']}")
        return out

    def _get_notes(self, request: Request, params: dict[str, str]) -> Response:
        return self._notes_collection(request, self._filter_ints(request, "filter[entity_id]"))

    def _get_lead_notes(self, request: Request, params: dict[str, str]) -> Response:
        lid = self._path_id(request, params["id"])
        return self._notes_collection(request, [lid])

    def _notes_collection(self, request: Request, entity_ids: list[int] | None) -> Response:
        items = [n for n in self.notes if n["entity_id"] in self.leads]
        if entity_ids is not None:
            items = [n for n in items if n["entity_id"] in entity_ids]
        types = self._filter_values(request, "filter[note_type]")
        if types:
            items = [n for n in items if n["note_type"] in types]
        return self._collection(request, "notes", [self._render_note(request, n) for n in items])

    def _get_note(self, request: Request, params: dict[str, str]) -> Response:
        nid = self._path_id(request, params["nid"])
        note = next((n for n in self.notes if n["id"] == nid and n["entity_id"] in self.leads), None)
        return _hal(self._render_note(request, note)) if note else _no_content()

    def _post_notes(self, request: Request, params: dict[str, str]) -> Response:
        return self._create_notes(request, self._read_items(request), None)

    def _post_lead_notes(self, request: Request, params: dict[str, str]) -> Response:
        lid = self._path_id(request, params["id"])
        return self._create_notes(request, self._read_items(request), lid)

    def _create_notes(self, request: Request, items: list[Any], lead_id: int | None) -> Response:
        errs = _Errors()
        for i, item in enumerate(items):
            errs.item(_request_id(item, i))
            if not isinstance(item, dict):
                errs.type("", "object")
                continue
            entity_id = lead_id if lead_id is not None else item.get("entity_id")
            if not _is_int(entity_id):
                errs.type("entity_id", "int")
            elif entity_id not in self.leads:
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
        errs.raise_if_any()
        now = self._now()
        out = []
        for i, item in enumerate(items):
            entity_id = lead_id if lead_id is not None else item["entity_id"]
            nid = self._next_id("note")
            note = {"id": nid, "entity_id": entity_id, "created_by": USER_ID, "updated_by": USER_ID,
                    "created_at": now, "updated_at": now, "responsible_user_id": USER_ID, "group_id": 0,
                    "note_type": item["note_type"], "params": copy.deepcopy(item.get("params") or {}),
                    "account_id": self.account_id}
            self.notes.append(note)
            self.leads[entity_id]["updated_at"] = now
            out.append({"id": nid, "entity_id": entity_id, "request_id": _request_id(item, i),
                        "_links": self._link(request, f"leads/{entity_id}/notes/{nid}")})
        return _hal({"_links": self._link(request, "leads/notes"), "_embedded": {"notes": out}})

    # ------------------------------------------------------------------ catalogs

    def _catalog_or_404(self, request: Request, raw: str) -> dict:
        catalog = self.catalogs.get(self._path_id(request, raw))
        if catalog is None:
            raise ApiError(_problem(404, f"Catalog {raw} not found"))
        return catalog

    def _get_catalogs(self, request: Request, params: dict[str, str]) -> Response:
        items = [{**copy.deepcopy(c), "_links": self._link(request, f"catalogs/{c['id']}")}
                 for c in sorted(self.catalogs.values(), key=lambda c: c["sort"])]
        return self._collection(request, "catalogs", items)

    def _get_catalog(self, request: Request, params: dict[str, str]) -> Response:
        catalog = self._catalog_or_404(request, params["cid"])
        return _hal({**copy.deepcopy(catalog), "_links": self._link(request, f"catalogs/{catalog['id']}")})

    def _get_catalog_fields(self, request: Request, params: dict[str, str]) -> Response:
        catalog = self._catalog_or_404(request, params["cid"])
        return self._collection(request, "custom_fields", copy.deepcopy(self.catalog_fields[catalog["id"]]))

    def _parse_element_fields(self, cid: int, value: Any, prefix: str, errs: _Errors) -> list[dict] | None:
        path = f"{prefix}custom_fields_values"
        if value is None:
            return None
        if not isinstance(value, list):
            errs.type(path, "array")
            return None
        fields = self.catalog_fields[cid]
        out: list[dict] = []
        for i, entry in enumerate(value):
            p = f"{path}.{i}"
            if not isinstance(entry, dict):
                errs.type(p, "object")
                continue
            if entry.get("field_id") is not None:
                field = next((f for f in fields if f["id"] == entry["field_id"]), None)
                if field is None:
                    errs.choice(f"{p}.field_id")
                    continue
            elif entry.get("field_code") is not None:
                field = next((f for f in fields if f["code"] and f["code"] == entry["field_code"]), None)
                if field is None:
                    errs.choice(f"{p}.field_code")
                    continue
            else:
                errs.blank(f"{p}.field_id")
                continue
            values = entry.get("values")
            if not isinstance(values, list):
                errs.type(f"{p}.values", "array")
                continue
            stored = []
            for j, v in enumerate(values):
                vp = f"{p}.values.{j}"
                raw = v.get("value") if isinstance(v, dict) else None
                if field["type"] == "price":
                    if _is_number(raw) or (isinstance(raw, str) and re.fullmatch(r"\d+(\.\d+)?", raw.strip())):
                        stored.append({"value": _price_str(raw)})
                    else:
                        errs.type(f"{vp}.value", "numeric")
                elif isinstance(raw, str):
                    stored.append({"value": raw})
                else:
                    errs.type(f"{vp}.value", "string")
            out = [f for f in out if f["field_id"] != field["id"]]
            out.append({"field_id": field["id"], "field_name": field["name"], "field_code": field["code"],
                        "field_type": field["type"], "values": stored})
        return out

    def _create_element(self, cid: int, name: str, cfv: list[dict] | None) -> int:
        now = self._now()
        eid = self._next_id("element")
        self.catalog_elements[eid] = {
            "id": eid, "name": name, "created_by": USER_ID, "updated_by": USER_ID, "created_at": now,
            "updated_at": now, "is_deleted": False, "custom_fields_values": cfv or None,
            "catalog_id": cid, "account_id": self.account_id,
        }
        return eid

    def _render_element(self, request: Request, element: dict) -> dict:
        out = copy.deepcopy(element)
        out["_links"] = self._link(request, f"catalogs/{element['catalog_id']}/elements/{element['id']}")
        return out

    def _get_elements(self, request: Request, params: dict[str, str]) -> Response:
        catalog = self._catalog_or_404(request, params["cid"])
        items = sorted((e for e in self.catalog_elements.values() if e["catalog_id"] == catalog["id"]),
                       key=lambda e: e["id"])
        ids = self._filter_ints(request, "filter[id]")
        if ids is not None:
            items = [e for e in items if e["id"] in ids]
        query = (request.arg("query") or "").strip().casefold()
        if query:
            def hit(e: dict) -> bool:
                hay = [e["name"]] + [str(v["value"]) for f in e.get("custom_fields_values") or [] for v in f["values"]]
                return any(query in h.casefold() for h in hay)
            items = [e for e in items if hit(e)]
        return self._collection(request, "elements", [self._render_element(request, e) for e in items])

    def _get_element(self, request: Request, params: dict[str, str]) -> Response:
        catalog = self._catalog_or_404(request, params["cid"])
        element = self.catalog_elements.get(self._path_id(request, params["eid"]))
        if element is None or element["catalog_id"] != catalog["id"]:
            return _no_content()
        return _hal(self._render_element(request, element))

    def _post_elements(self, request: Request, params: dict[str, str]) -> Response:
        catalog = self._catalog_or_404(request, params["cid"])
        items = self._read_items(request)
        errs = _Errors()
        plans = []
        for i, item in enumerate(items):
            errs.item(_request_id(item, i))
            if not isinstance(item, dict):
                errs.type("", "object")
                plans.append(None)
                continue
            if not isinstance(item.get("name"), str):
                errs.type("name", "string")
            elif not item["name"].strip():
                errs.blank("name")
            plans.append(self._parse_element_fields(catalog["id"], item.get("custom_fields_values"), "", errs))
        errs.raise_if_any()
        out = []
        for i, (item, cfv) in enumerate(zip(items, plans)):
            eid = self._create_element(catalog["id"], item["name"], cfv)
            out.append({**self._render_element(request, self.catalog_elements[eid]),
                        "request_id": _request_id(item, i)})
        return _hal({"_links": self._link(request, f"catalogs/{catalog['id']}/elements"),
                     "_embedded": {"elements": out}})

    def _patch_element_items(self, request: Request, catalog: dict, items: list[Any], ids: list[Any]) -> list[dict]:
        errs = _Errors()
        plans = []
        for i, (item, eid) in enumerate(zip(items, ids)):
            errs.item(_request_id(item, i))
            if not isinstance(item, dict):
                errs.type("", "object")
                plans.append(None)
                continue
            element = self.catalog_elements.get(eid) if _is_int(eid) else None
            if element is None or element["catalog_id"] != catalog["id"]:
                errs.choice("id")
            if "name" in item and not isinstance(item["name"], str):
                errs.type("name", "string")
            plans.append(self._parse_element_fields(catalog["id"], item.get("custom_fields_values"), "", errs))
        errs.raise_if_any()
        out = []
        for i, (item, eid, cfv) in enumerate(zip(items, ids, plans)):
            element = self.catalog_elements[eid]
            if "name" in item:
                element["name"] = item["name"]
            if cfv:
                fields = {f["field_id"]: f for f in element.get("custom_fields_values") or []}
                fields.update({f["field_id"]: f for f in cfv})
                element["custom_fields_values"] = [f for f in fields.values() if f["values"]] or None
            element["updated_at"] = self._now()
            out.append({**self._render_element(request, element), "request_id": _request_id(item, i)})
        return out

    def _patch_elements(self, request: Request, params: dict[str, str]) -> Response:
        catalog = self._catalog_or_404(request, params["cid"])
        items = self._read_items(request)
        out = self._patch_element_items(request, catalog, items,
                                        [i.get("id") if isinstance(i, dict) else None for i in items])
        return _hal({"_links": self._link(request, f"catalogs/{catalog['id']}/elements"),
                     "_embedded": {"elements": out}})

    def _patch_element(self, request: Request, params: dict[str, str]) -> Response:
        catalog = self._catalog_or_404(request, params["cid"])
        eid = self._path_id(request, params["eid"])
        return _hal(self._patch_element_items(request, catalog, [self._read_object(request)], [eid])[0])

    # ------------------------------------------------------------------ links

    def _parse_link(self, item: Any, errs: _Errors, *, unlink: bool) -> dict | None:
        if not isinstance(item, dict):
            errs.type("", "object")
            return None
        to_id, to_type = item.get("to_entity_id"), item.get("to_entity_type")
        metadata = item.get("metadata") or {}
        if not isinstance(metadata, dict):
            errs.type("metadata", "object")
            return None
        if not _is_int(to_id):
            errs.type("to_entity_id", "int")
            return None
        if to_type == "contacts":
            if not unlink and to_id not in self.contacts:
                errs.choice("to_entity_id")
                return None
            return {"to_entity_id": to_id, "to_entity_type": to_type, "is_main": metadata.get("is_main")}
        if to_type != "catalog_elements":
            errs.choice("to_entity_type")
            return None
        cid = metadata.get("catalog_id")
        if not _is_int(cid):
            errs.type("metadata.catalog_id", "int")
            return None
        if cid not in self.catalogs:
            errs.choice("metadata.catalog_id")
            return None
        if unlink:
            return {"to_entity_id": to_id, "to_entity_type": to_type, "catalog_id": cid}
        element = self.catalog_elements.get(to_id)
        if element is None or element["catalog_id"] != cid:
            errs.choice("to_entity_id")
            return None
        quantity = metadata.get("quantity", 1)
        if not _is_number(quantity) or quantity < 0:
            errs.type("metadata.quantity", "numeric")
            return None
        price_id = metadata.get("price_id")
        if price_id is not None and not any(f["id"] == price_id and f["type"] == "price"
                                            for f in self.catalog_fields[cid]):
            errs.choice("metadata.price_id")
            return None
        return {"to_entity_id": to_id, "to_entity_type": to_type, "catalog_id": cid,
                "quantity": quantity, "price_id": price_id}

    def _apply_link(self, lead_id: int, plan: dict) -> dict:
        if plan["to_entity_type"] == "contacts":
            return self._link_contact(lead_id, plan["to_entity_id"], plan["is_main"])
        metadata: dict[str, Any] = {"quantity": plan["quantity"], "catalog_id": plan["catalog_id"]}
        if plan["price_id"] is not None:
            metadata["price_id"] = plan["price_id"]
        for link in self.links:
            if (link["entity_id"] == lead_id and link["to_entity_type"] == "catalog_elements"
                    and link["to_entity_id"] == plan["to_entity_id"]):
                link["metadata"] = metadata
                return link
        link = {"entity_id": lead_id, "entity_type": "leads", "to_entity_id": plan["to_entity_id"],
                "to_entity_type": "catalog_elements", "metadata": metadata}
        self.links.append(link)
        return link

    def _link_items(self, request: Request, items: list[Any], lead_id: int | None, *, unlink: bool) -> Response:
        errs = _Errors()
        plans: list[tuple[int, dict]] = []
        for i, item in enumerate(items):
            errs.item(_request_id(item, i))
            target = lead_id
            if target is None:
                target = item.get("entity_id") if isinstance(item, dict) else None
                if not _is_int(target):
                    errs.type("entity_id", "int")
                    continue
                if target not in self.leads:
                    errs.choice("entity_id")
                    continue
            plan = self._parse_link(item, errs, unlink=unlink)
            if plan is not None:
                plans.append((target, plan))
        errs.raise_if_any()
        if unlink:
            for target, plan in plans:
                self.links = [
                    l for l in self.links
                    if not (l["entity_id"] == target and l["to_entity_type"] == plan["to_entity_type"]
                            and l["to_entity_id"] == plan["to_entity_id"])
                ]
            return _no_content()
        out = [copy.deepcopy(self._apply_link(target, plan)) for target, plan in plans]
        for target in {t for t, _ in plans}:
            self.leads[target]["updated_at"] = self._now()
        path = f"leads/{lead_id}/links" if lead_id is not None else "leads/links"
        return _hal({"_total_items": len(out), "_links": self._link(request, path), "_embedded": {"links": out}})

    def _lead_or_404(self, request: Request, raw: str) -> int:
        lid = self._path_id(request, raw)
        if lid not in self.leads:
            raise ApiError(_problem(404, f"Lead {lid} not found"))
        return lid

    def _post_lead_link(self, request: Request, params: dict[str, str]) -> Response:
        lid = self._lead_or_404(request, params["id"])
        return self._link_items(request, self._read_items(request), lid, unlink=False)

    def _post_lead_unlink(self, request: Request, params: dict[str, str]) -> Response:
        lid = self._lead_or_404(request, params["id"])
        return self._link_items(request, self._read_items(request), lid, unlink=True)

    def _post_link_mass(self, request: Request, params: dict[str, str]) -> Response:
        return self._link_items(request, self._read_items(request), None, unlink=False)

    def _post_unlink_mass(self, request: Request, params: dict[str, str]) -> Response:
        return self._link_items(request, self._read_items(request), None, unlink=True)

    def _links_response(self, request: Request, lead_ids: list[int] | None, path: str) -> Response:
        items = [l for l in self.links if l["entity_id"] in self.leads]
        if lead_ids is not None:
            items = [l for l in items if l["entity_id"] in lead_ids]
        to_type = request.arg("filter[to_entity_type]")
        to_id = request.arg("filter[to_entity_id]")
        if to_type and to_id and to_id.isdigit():
            items = [l for l in items if l["to_entity_type"] == to_type and l["to_entity_id"] == int(to_id)]
        to_catalog = request.arg("filter[to_catalog_id]")
        if to_catalog and to_catalog.isdigit():
            items = [l for l in items if l["metadata"].get("catalog_id") == int(to_catalog)]
        if not items:
            return _no_content()
        return _hal({"_total_items": len(items), "_links": self._link(request, path),
                     "_embedded": {"links": copy.deepcopy(items)}})

    def _get_lead_links(self, request: Request, params: dict[str, str]) -> Response:
        lid = self._path_id(request, params["id"])
        return self._links_response(request, [lid], f"leads/{lid}/links")

    def _get_links_mass(self, request: Request, params: dict[str, str]) -> Response:
        return self._links_response(request, self._filter_ints(request, "filter[entity_id]"), "leads/links")
