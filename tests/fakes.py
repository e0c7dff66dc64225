"""In-memory stand-ins for the engine's edges (`app.sync.ports`): Kaspi orders and amoCRM.

For engine tests about the engine's own logic (steps, resumes, caches, dry runs), where the
HTTP emulators add nothing but seconds of rate-limited requests. They keep amoCRM's rules
that the engine relies on — whole batch rejected when one item is invalid, validation
errors naming the path of the bad id, the fuzzy last-7-digits contact search — and nothing
else. Every black-box and fault test stays on the real HTTP path against app/sandbox.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from app.amo.api import (
    Account,
    Catalog,
    CatalogElement,
    ComplexResult,
    Contact,
    ContactDraft,
    Lead,
    LeadDraft,
    LeadUpdate,
    ProductDraft,
    ProductLink,
)
from app.errors import AmoValidationError, KaspiParseError
from app.kaspi.models import Order
from app.kaspi.parse import index_included, parse_order
from app.sandbox.kaspi.book import OrderBook
from app.sandbox.kaspi.render import Renderer
from app.sandbox.seed import SandboxOrder
from app.sync.ports import AmoDeals, KaspiOrders

_BASE = "http://kaspi.fake/shop/api/v2"


def as_order(order: SandboxOrder) -> Order:
    """The `Order` the real client parses from the emulator's JSON:API document of `order`."""
    book = OrderBook()
    book.add(order)
    render = Renderer(book)
    document = render.order(order, _BASE, with_entries=True)
    return parse_order(document, index_included(render.included([order], _BASE, {"entries"})))


class FakeKaspi:
    """Kaspi's orders held in memory; one "request" per call, as one page would cost."""

    def __init__(self) -> None:
        self.orders: dict[str, SandboxOrder] = {}
        self.requests_made = 0

    def add_orders(self, orders: Sequence[SandboxOrder]) -> None:
        for order in orders:
            self.orders[order.code] = order

    def iter_orders(
        self,
        created_from: datetime,
        created_to: datetime,
        *,
        states: Sequence[str] | None = None,
        include_entries: bool = True,
        on_bad_order: Callable[[KaspiParseError], None] | None = None,
    ) -> Iterator[Order]:
        self.requests_made += 1
        for order in sorted(self.orders.values(), key=lambda o: o.created_ms):
            parsed = as_order(order)
            if created_from <= parsed.created_at <= created_to and (not states or parsed.state in states):
                yield parsed

    def get_order(self, code: str, *, include_entries: bool = True) -> Order | None:
        self.requests_made += 1
        order = self.orders.get(code)
        return as_order(order) if order is not None else None


@dataclass
class _Lead:
    id: int
    name: str
    price: int
    pipeline_id: int | None
    status_id: int | None
    tags: list[str]
    contact_ids: list[int] = field(default_factory=list)

    def frozen(self) -> Lead:
        return Lead(self.id, self.name, self.price, self.pipeline_id, self.status_id, tuple(self.tags),
                    tuple(self.contact_ids))


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _invalid(request_id: str, path: str) -> AmoValidationError:
    errors: list[object] = [{"request_id": request_id, "errors": [
        {"code": "NotSupportedChoice", "path": path, "detail": "The value you selected is not a valid choice."}]}]
    return AmoValidationError("Неверные данные", status=400, errors=errors)


class FakeAmo:
    """An amoCRM account in memory with a products catalog; `writes` counts write calls."""

    def __init__(self, *, with_catalog: bool = True) -> None:
        self.contacts: dict[int, Contact] = {}
        self.leads: dict[int, _Lead] = {}
        self.notes: list[tuple[int, str]] = []
        self.links: dict[int, dict[int, float]] = {}  # lead id → element id → quantity
        self.catalog = Catalog(11001, "Товары", "products") if with_catalog else None
        self.elements: dict[int, CatalogElement] = {}
        self.writes = 0
        self.reads = 0  # account() calls: the engine's idle check
        self._ids = iter(range(1000, 10**9))

    # --- what a person does in amoCRM, and what tests read -------------------------------

    def leads_named(self, name: str) -> list[Lead]:
        return [lead.frozen() for lead in self.leads.values() if lead.name == name]

    def notes_for(self, lead_id: int) -> list[str]:
        return [text for lid, text in self.notes if lid == lead_id]

    def delete_contact(self, contact_id: int) -> None:
        del self.contacts[contact_id]
        for lead in self.leads.values():
            if contact_id in lead.contact_ids:
                lead.contact_ids.remove(contact_id)

    def delete_element(self, element_id: int) -> None:
        del self.elements[element_id]
        for links in self.links.values():
            links.pop(element_id, None)

    # --- contacts --------------------------------------------------------------------------

    def search_contacts(self, query: str, *, limit: int = 50) -> list[Contact]:
        compact = re.sub(r"[\s()+\-.]", "", query)
        if compact.isdigit() and len(compact) >= 7:
            return [c for c in self.contacts.values() if any(_digits(p).endswith(compact[-7:]) for p in c.phones)]
        return [c for c in self.contacts.values() if query.casefold() in c.name.casefold()]

    def create_contacts(self, drafts: Sequence[ContactDraft]) -> list[int]:
        self.writes += 1
        return [self._contact(d) for d in drafts]

    def _contact(self, draft: ContactDraft) -> int:
        cid = next(self._ids)
        self.contacts[cid] = Contact(cid, draft.name, (draft.phone,) if draft.phone else ())
        return cid

    # --- leads -----------------------------------------------------------------------------

    def create_leads_complex(self, drafts: Sequence[LeadDraft]) -> list[ComplexResult]:
        for i, d in enumerate(drafts):
            if d.contact_id is not None and d.contact_id not in self.contacts:
                raise _invalid(d.request_id or str(i), "_embedded.contacts.0.id")
        self.writes += 1
        results = []
        for i, d in enumerate(drafts):
            lead = _Lead(next(self._ids), d.name, d.price, d.pipeline_id, d.status_id, list(d.tags))
            self.leads[lead.id] = lead
            contact_id = d.contact_id if d.contact is None else self._contact(d.contact)
            if contact_id is not None:
                lead.contact_ids.append(contact_id)
            results.append(ComplexResult(lead.id, contact_id, (d.request_id or str(i),), False))
        return results

    def find_leads_by_name(self, name: str) -> list[Lead]:
        return sorted(self.leads_named(name), key=lambda lead: lead.id)

    def search_leads(self, query: str, *, max_pages: int = 40) -> tuple[list[Lead], bool]:
        return [lead.frozen() for lead in self.leads.values() if query.casefold() in lead.name.casefold()], True

    def get_lead(self, lead_id: int) -> Lead | None:
        lead = self.leads.get(lead_id)
        return lead.frozen() if lead else None

    def update_leads(self, updates: Sequence[LeadUpdate]) -> None:
        self.writes += 1
        for u in updates:
            lead = self.leads[u.lead_id]
            lead.status_id = u.status_id if u.status_id is not None else lead.status_id
            lead.pipeline_id = u.pipeline_id if u.pipeline_id is not None else lead.pipeline_id
            lead.tags = [t for t in lead.tags if t not in u.tags_to_delete]
            lead.tags += [t for t in u.tags_to_add if t not in lead.tags]

    # --- notes and links -------------------------------------------------------------------

    def add_lead_notes(self, notes: Sequence[tuple[int, str]]) -> list[int]:
        for i, (lead_id, _text) in enumerate(notes):
            if lead_id not in self.leads:
                raise _invalid(str(i), "entity_id")
        self.writes += 1
        self.notes.extend(notes)
        return [next(self._ids) for _ in notes]

    def notes_of_leads(self, lead_ids: Sequence[int]) -> dict[int, list[str]]:
        return {int(lid): self.notes_for(int(lid)) for lid in lead_ids}

    def product_links_of_leads(self, lead_ids: Sequence[int]) -> dict[int, list[tuple[int, float]]]:
        return {int(lid): list(self.links.get(int(lid), {}).items()) for lid in lead_ids}

    def link_products_bulk(self, items: Sequence[tuple[int, int, ProductLink]]) -> None:
        for i, (lead_id, _catalog_id, link) in enumerate(items):
            if lead_id not in self.leads:
                raise _invalid(str(i), "entity_id")
            if link.element_id not in self.elements:
                raise _invalid(str(i), "to_entity_id")
        self.writes += 1
        for lead_id, _catalog_id, link in items:
            self.links.setdefault(lead_id, {})[link.element_id] = link.quantity

    # --- the account -----------------------------------------------------------------------

    def account(self) -> Account:
        self.reads += 1
        return Account(id=28805383, name="Fake Shop", subdomain="shop")

    # --- the products catalog --------------------------------------------------------------

    def products_catalog(self) -> Catalog | None:
        return self.catalog

    def list_catalog_elements(self, catalog_id: int, *, max_pages: int = 20) -> tuple[list[CatalogElement], bool]:
        return list(self.elements.values()), True

    def find_catalog_elements(self, catalog_id: int, query: str) -> list[CatalogElement]:
        return [e for e in self.elements.values() if query.casefold() in f"{e.name} {e.sku}".casefold()]

    def create_catalog_elements(self, catalog_id: int, drafts: Sequence[ProductDraft]) -> list[CatalogElement]:
        self.writes += 1
        made = [CatalogElement(next(self._ids), d.name, d.sku, d.price) for d in drafts]
        self.elements.update((e.id, e) for e in made)
        return made


def _conforms(kaspi: FakeKaspi, amo: FakeAmo) -> tuple[KaspiOrders, AmoDeals]:
    """mypy checks here that the fakes satisfy the engine's Protocols."""
    return kaspi, amo


__all__ = ["FakeAmo", "FakeKaspi", "as_order"]
