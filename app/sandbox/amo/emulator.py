"""`AmoEmulator`: one amoCRM account served over loopback HTTP, assembled from the resource
modules listed in `RESOURCES` over the shared core (routing, faults, rate limit, counters).

It also carries what tests and the demo do "as a person in the amoCRM UI" (seed a contact,
delete a lead) and the fault-injection switches; those are plain methods taking the lock.
"""

from __future__ import annotations

import copy
import secrets
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from app.sandbox.amo import core
from app.sandbox.amo.account import Account, seed_pipelines
from app.sandbox.amo.catalogs import (
    Catalogs,
    add_product,
    delete_element,
    remove_products_catalog,
    seed_catalogs,
)
from app.sandbox.amo.contacts import Contacts, add_contact, phones
from app.sandbox.amo.events import Events
from app.sandbox.amo.faults import Faults, Hook, RequestLog, injected, server_error
from app.sandbox.amo.lead_fields import LeadFields
from app.sandbox.amo.leads import Leads
from app.sandbox.amo.links import Links, unlink_all
from app.sandbox.amo.loss_reasons import LossReasons
from app.sandbox.amo.manager import Manager
from app.sandbox.amo.notes import Notes
from app.sandbox.amo.oauth import OAuth, live_access, make_jwt, new_auth_code, new_pair
from app.sandbox.amo.ratelimit import RateLimiter, forbidden
from app.sandbox.amo.state import AmoState, R
from app.sandbox.amo.tags import Tags
from app.sandbox.amo.tasks import Tasks
from app.sandbox.http import BadJSON, DropConnection, Request, Response, Router

#: Every resource the emulator serves, in registration order. A new resource is a module with
#: a `Resource` subclass and one entry here (see the package docstring).
RESOURCES: tuple[type[core.Resource], ...] = (OAuth, Account, Tags, Contacts, Leads, Notes, Catalogs, Links,
                                              LeadFields, LossReasons, Events, Tasks)


def _family(path: str) -> str:
    """'api' (/api/v4: faults, auth, rate limit), 'oauth' (/oauth2) or 'other' (consent page, 404s)."""
    if path.startswith("/api/v4"):
        return "api"
    return "oauth" if path.startswith("/oauth2") else "other"


def _bearer(request: Request) -> str | None:
    header = request.header("authorization") or ""
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


class _LimiterSetting:
    """An emulator attribute that is the rate limiter's setting of the same name (set under the lock)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, emulator: AmoEmulator, owner: type | None = None) -> Any:
        return getattr(emulator.limiter, self.name)

    def __set__(self, emulator: AmoEmulator, value: Any) -> None:
        with emulator._lock:
            setattr(emulator.limiter, self.name, value)


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
        catalog_field_codes: bool = True,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.state = AmoState(subdomain=subdomain, account_name=account_name, client_id=client_id,
                              client_secret=client_secret, redirect_uri=redirect_uri, access_ttl=access_ttl,
                              refresh_mode=refresh_mode, catalog_field_codes=catalog_field_codes, clock=clock)
        self.limiter = RateLimiter(rps_limit, block_after, html_429, retry_after)
        self.faults = Faults()
        self.log = RequestLog()
        self._lock = threading.RLock()
        seed_pipelines(self.state)
        seed_catalogs(self.state, with_products_catalog)
        self._router = Router()
        for kind in RESOURCES:
            resource = kind(self.state)
            resource.routes(self._router)
            self.state.resources.append(resource)
        #: What a manager does in the amoCRM UI (move a deal, close it as lost, type into a field).
        self.manager = Manager(self.state, self._lock)

    def resource(self, kind: type[R]) -> R:
        """The registered resource object of that class (for a test reading its data)."""
        return self.state.resource(kind)

    # ------------------------------------------------------------------ settings and data

    subdomain = property(lambda self: self.state.subdomain)
    account_name = property(lambda self: self.state.account_name)
    account_id = property(lambda self: self.state.account_id)
    client_id = property(lambda self: self.state.client_id)
    client_secret = property(lambda self: self.state.client_secret)
    redirect_uri = property(lambda self: self.state.redirect_uri)
    contacts = property(lambda self: self.state.contacts)
    leads = property(lambda self: self.state.leads)
    deleted_leads = property(lambda self: self.state.deleted_leads)
    notes = property(lambda self: self.state.notes)
    links = property(lambda self: self.state.links)
    pipelines = property(lambda self: self.state.pipelines)
    catalogs = property(lambda self: self.state.catalogs)
    catalog_fields = property(lambda self: self.state.catalog_fields)
    catalog_elements = property(lambda self: self.state.catalog_elements)
    products_catalog_id = property(lambda self: self.state.products_catalog_id)
    request_log = property(lambda self: self.log.entries)

    rps_limit = _LimiterSetting()  # a test may switch the limit on or off while serving
    block_after = _LimiterSetting()

    # ------------------------------------------------------------------ tokens

    def issue_tokens(self) -> tuple[str, str]:
        """A fresh valid (access, refresh) pair, as if the owner had just connected the integration."""
        with self._lock:
            return new_pair(self.state, None)

    def issue_auth_code(self) -> str:
        """A single-use authorization code valid for 20 minutes (what the consent screen hands out)."""
        with self._lock:
            return new_auth_code(self.state)

    def long_lived_token(self, ttl: int = 5 * 365 * 86400) -> str:
        """A private integration's long-lived token: a Bearer JWT with no refresh token."""
        with self._lock:
            return make_jwt(self.state, self.state.now() + ttl, "long_lived")

    def expire_access_tokens(self) -> None:
        """Every access token issued so far (long-lived ones too) now answers 401."""
        with self._lock:
            for record in self.state.access.values():
                record["revoked"] = True

    def revoke_refresh_tokens(self) -> None:
        """Every refresh token is dead, as after the owner disconnects the integration."""
        with self._lock:
            for record in self.state.refresh.values():
                record["revoked"] = True

    def unblock(self) -> None:
        """Lift the 403 block (what amoCRM support does on request) and forget past 429s."""
        with self._lock:
            self.limiter.unblock()

    @property
    def blocked(self) -> bool:
        with self._lock:
            return self.limiter.blocked

    # ------------------------------------------------------------------ fault injection

    def fail_next(self, count: int, status: int = 500) -> None:
        """The next `count` /api/v4 requests answer `status` without touching state."""
        with self._lock:
            self.faults.fail.extend([status] * count)

    def clear_faults(self) -> None:
        """Forget every queued fault: the outage is over."""
        with self._lock:
            self.faults.clear()

    def drop_next(self, count: int) -> None:
        """The next `count` requests (any path) are dropped unanswered and nothing is applied."""
        with self._lock:
            self.faults.drop += count

    def delay_next(self, count: int, seconds: float) -> None:
        """The next `count` requests (/api/v4 and /oauth2) are handled (a write is applied) at once,
        then answered `seconds` late: longer than the client's read timeout, a timed-out write that
        amoCRM did apply. The wait holds no lock, so other requests are served meanwhile."""
        with self._lock:
            self.faults.delays.extend([float(seconds)] * count)

    def apply_then_drop_next(self, count: int) -> None:
        """The next `count` successful writes (incl. the token endpoint) are applied, then the answer is lost."""
        with self._lock:
            self.faults.apply_then_drop += count

    def on_request(self, callback: Hook) -> Callable[[], None]:
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
            self.faults.hooks.append(callback)

        def remove() -> None:
            with self._lock:
                if callback in self.faults.hooks:
                    self.faults.hooks.remove(callback)

        return remove

    # ------------------------------------------------------------------ what a person does in the UI

    def add_contact(self, name: str, phone_values: list[str], *, first_name: str | None = None,
                    last_name: str | None = None) -> int:
        """Seed a contact with PHONE values exactly as given (people type phones in any shape)."""
        with self._lock:
            return add_contact(self.state, name, phone_values, first_name=first_name, last_name=last_name)

    def add_catalog_element(self, name: str, sku: str, price: float) -> int:
        """Seed a product into the products catalog."""
        with self._lock:
            return add_product(self.state, name, sku, price)

    def remove_products_catalog(self) -> None:
        """The owner switched the products list off: the catalog, its elements and their links vanish."""
        with self._lock:
            remove_products_catalog(self.state)

    def delete_lead(self, lead_id: int) -> None:
        """As a person deleting the lead in the UI: gone from GET and search."""
        with self._lock:
            lead = self.state.leads.pop(lead_id)
            lead["is_deleted"] = True
            self.state.deleted_leads[lead_id] = lead

    def delete_contact(self, contact_id: int) -> None:
        """As a person deleting (or merging away) a contact: gone from GET, search and links."""
        with self._lock:
            self.state.contacts.pop(contact_id)
            unlink_all(self.state, "contacts", contact_id)

    def delete_catalog_element(self, element_id: int) -> None:
        """As a person removing a product from the catalog: gone from lists, search and links."""
        with self._lock:
            delete_element(self.state, element_id)

    # ------------------------------------------------------------------ inspection

    def leads_named(self, name: str) -> list[core.JSON]:
        with self._lock:
            return [copy.deepcopy(lead) for lead in self.state.leads.values() if lead["name"] == name]

    def notes_for(self, lead_id: int) -> list[core.JSON]:
        with self._lock:
            return [copy.deepcopy(n) for n in self.state.notes if n["entity_id"] == lead_id]

    def links_for(self, lead_id: int) -> list[core.JSON]:
        with self._lock:
            return [copy.deepcopy(link) for link in self.state.links if link["entity_id"] == lead_id]

    def contact_phones(self, contact_id: int) -> list[str]:
        with self._lock:
            return phones(self.state.contacts[contact_id])

    def lead_tags(self, lead_id: int) -> list[str]:
        with self._lock:
            return [t["name"] for t in self.state.leads[lead_id]["_embedded"]["tags"]]

    def lead_contact_ids(self, lead_id: int) -> list[int]:
        with self._lock:
            return [link["to_entity_id"] for link in self.state.links
                    if link["entity_id"] == lead_id and link["to_entity_type"] == "contacts"]

    # ------------------------------------------------------------------ counters

    @property
    def api_requests(self) -> int:
        """Requests to /api/v4 received since the last reset, whatever their answer."""
        with self._lock:
            return self.log.api_requests

    @property
    def write_requests(self) -> int:
        """POST/PATCH/DELETE to /api/v4 answered 2xx (applied writes, even if the answer was lost)."""
        with self._lock:
            return self.log.write_requests

    @property
    def too_many_requests(self) -> int:
        with self._lock:
            return self.log.too_many_requests

    def reset_counters(self) -> None:
        with self._lock:
            self.log.entries.clear()

    # ------------------------------------------------------------------ serving

    def handle(self, request: Request) -> Response:
        """Answer one HTTP request; raises DropConnection for injected connection losses."""
        path = request.path
        observed = _family(path) != "other"
        with self._lock:
            hooks = list(self.faults.hooks) if observed else []
        for hook in hooks:
            try:
                hook(request.method, path, False)
            except DropConnection:
                with self._lock:
                    self.log.add(request.method, path, 0)
                raise
        with self._lock:
            response, drop = self._handle_locked(request)
            delay = self.faults.take_delay() if observed and response.status else 0.0
        if delay > 0:
            time.sleep(delay)
        if response.status:  # 0: dropped by drop_next before it was handled
            for hook in hooks:
                hook(request.method, path, True)
        if drop:
            raise DropConnection()
        return response

    def _handle_locked(self, request: Request) -> tuple[Response, bool]:
        family = _family(request.path)
        logged = family != "other"
        if self.faults.take_drop():
            if logged:
                self.log.add(request.method, request.path, 0)
            return Response(0), True
        try:
            if self.limiter.blocked:
                response = forbidden()
            elif family == "api":
                response = self._gate_api(request) or self._dispatch(request)
            else:
                response = self._dispatch(request)
        except core.ApiError as exc:
            response = exc.response
        except Exception:  # noqa: BLE001 - a bug must still answer like the real 500, not hang the client
            response = server_error(exception=traceback.format_exc(limit=3))
        response.headers.setdefault("X-Request-Id", secrets.token_hex(16))
        if logged:
            self.log.add(request.method, request.path, response.status)
        drop = logged and self.faults.take_apply_then_drop(request.method, response.status)
        return response, drop

    def _gate_api(self, request: Request) -> Response | None:
        """What stops an /api/v4 request before its resource sees it: a queued fault, a dead
        token (401), the rate limit (429)."""
        if self.faults.fail:
            return injected(self.faults.fail.popleft(), self.limiter)
        record = live_access(self.state, _bearer(request))
        if record is None:
            return core.problem(401, "Invalid user name or password")
        return self.limiter.admit(record["integration"], self.state.clock())

    def _dispatch(self, request: Request) -> Response:
        try:
            response = self._router.dispatch(request)
        except BadJSON:
            return core.problem(400, "Syntax error, malformed JSON")
        if response is None:
            return core.not_found(request)
        if response.status == 405 and response.content_type == "text/plain":
            return core.problem(405, f"Method {request.method} is not allowed for {request.path}")
        return response
