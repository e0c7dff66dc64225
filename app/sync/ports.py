"""What the engine needs from Kaspi and from amoCRM, as Protocols (the edges of app/sync).

The engine, the poll, the reconciler and the deal writer are typed against these, not
against `KaspiClient` and `AmoApi`, so the production clients (HTTP, retries, rate limit)
and an in-memory stand-in are interchangeable — as `app.store.base.Store` does for storage.
Every method here is one the engine calls; nothing more, so a fake stays small.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Protocol

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
from app.amo.deals import DealState, LeadEvent, LeadField, LossReason
from app.errors import KaspiParseError
from app.kaspi.actions import WriteResult
from app.kaspi.models import Order


class KaspiOrders(Protocol):
    """Reads of the merchant's Kaspi orders (implemented by `app.kaspi.client.KaspiClient`)."""

    @property
    def requests_made(self) -> int:
        """Requests sent so far (a cycle reports its difference)."""
        ...

    def iter_orders(
        self,
        created_from: datetime,
        created_to: datetime,
        *,
        states: Sequence[str] | None = None,
        include_entries: bool = True,
        on_bad_order: Callable[[KaspiParseError], None] | None = None,
    ) -> Iterator[Order]:
        """Every order created in [created_from, created_to], each once; unreadable ones go to
        `on_bad_order` (raised without it) and the rest keep coming."""
        ...

    def get_order(self, code: str, *, include_entries: bool = True) -> Order | None:
        """One order by code, whatever its age; None when Kaspi has no such order."""
        ...


class AmoDeals(Protocol):
    """The amoCRM operations the engine performs (implemented by `app.amo.api.AmoApi`).

    Writes take sequences and return results in input order; a failing batch raises an
    `AmoError` (possibly carrying `partial_results`)."""

    # the account: a cheap read the idle poll asks to see that access still works
    def account(self) -> Account: ...

    # contacts
    def search_contacts(self, query: str, *, limit: int = 50) -> list[Contact]: ...
    def create_contacts(self, drafts: Sequence[ContactDraft]) -> list[int]: ...

    # leads
    def create_leads_complex(self, drafts: Sequence[LeadDraft]) -> list[ComplexResult]: ...
    def find_leads_by_name(self, name: str) -> list[Lead]: ...
    def search_leads(self, query: str, *, max_pages: int = 40) -> tuple[list[Lead], bool]: ...
    def get_lead(self, lead_id: int) -> Lead | None: ...
    def update_leads(self, updates: Sequence[LeadUpdate]) -> None: ...

    # notes and links
    def add_lead_notes(self, notes: Sequence[tuple[int, str]]) -> list[int]: ...
    def notes_of_leads(self, lead_ids: Sequence[int]) -> dict[int, list[str]]: ...
    def product_links_of_leads(self, lead_ids: Sequence[int]) -> dict[int, list[tuple[int, float]]]: ...
    def link_products_bulk(self, items: Sequence[tuple[int, int, ProductLink]]) -> None: ...

    # the products catalog
    def products_catalog(self) -> Catalog | None: ...
    def list_catalog_elements(self, catalog_id: int, *, max_pages: int = 20) -> tuple[list[CatalogElement], bool]: ...
    def find_catalog_elements(self, catalog_id: int, query: str) -> list[CatalogElement]: ...
    def create_catalog_elements(self, catalog_id: int, drafts: Sequence[ProductDraft]) -> list[CatalogElement]: ...


class KaspiWrites(Protocol):
    """The two-way actions' Kaspi writes (implemented by `app.kaspi.actions.KaspiActions`):
    each sends one `POST /orders` once and raises a typed error when Kaspi does not do it."""

    def accept(self, order: Order) -> WriteResult: ...
    def assemble(self, order: Order, places: int) -> WriteResult: ...
    def cancel(self, order: Order, reason: str, comment: str | None = None) -> WriteResult: ...
    def send_code(self, order: Order) -> WriteResult: ...
    def complete(self, order: Order, code: str) -> WriteResult: ...


class DealFeedPort(Protocol):
    """What managers did to deals, as the two-way actions read it (implemented by
    `app.amo.deals.DealFeed`)."""

    def lead_events(self, since: int, *, field_ids: Sequence[int] = (), max_pages: int = 20) -> list[LeadEvent]: ...
    def deals(self, lead_ids: Iterable[int]) -> list[DealState]: ...
    def lead_fields(self) -> list[LeadField]: ...
    def ensure_lead_fields(self, wanted: Sequence[tuple[str, str]]) -> dict[str, int]: ...
    def loss_reasons(self) -> list[LossReason]: ...
