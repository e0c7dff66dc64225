"""Pushes planned deals into amoCRM in phases, each phase batched across orders.

Why phases and not one order at a time: amoCRM allows ~7 requests per second, so a busy
shop must pay per batch, not per order. Each phase (contacts → leads → products →
notes) records its step in the store right after amoCRM accepted it, so a crash or a
lost response resumes at the right phase and never creates a lead twice: a lead whose
creation may have been applied is looked up by its name before it is created again.

One bad order must not sink its batch: a batch amoCRM rejects as invalid is retried
item by item; transport errors fail the batch's orders, which the next poll retries.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from app.amo.api import ContactDraft, Lead, LeadDraft, ProductDraft, ProductLink
from app.errors import (
    AmoAuthError,
    AmoBlocked,
    AmoError,
    AmoPaymentRequired,
    AmoUnavailable,
    AmoUnreachable,
    AmoValidationError,
    SyncError,
)
from app.kaspi.models import Order
from app.store.base import OrderRecord, SyncState, SyncStep
from app.sync.cycle import Cycle
from app.sync.events import OrderFailure
from app.sync.mapping import TAG_KASPI, ContactPlan, DealPlan, link_quantity
from app.sync.phone import same_phone
from app.sync.ports import AmoDeals

log = logging.getLogger(__name__)

BATCH = 50
LIST_CATALOG_AT = 2  # more unknown SKUs than this in a cycle: list the catalog instead of searching each
T = TypeVar("T")

#: Errors after which no further amoCRM call in this cycle can succeed (an address that never
#: answered in this run included: the orders stay pending, the error is said once, not per order).
FATAL = (AmoAuthError, AmoBlocked, AmoPaymentRequired, AmoUnreachable)
#: Buyers in a row whose lookup found amoCRM unreachable before the cycle stops trying.
UNREACHABLE_LIMIT = 2


class CycleAborted(Exception):
    """A fatal amoCRM error: stop writing, keep every unfinished order pending."""

    def __init__(self, error: SyncError) -> None:
        super().__init__(str(error))
        self.error = error


@dataclass
class WorkItem:
    order: Order
    plan: DealPlan
    record: OrderRecord
    failed: bool = False
    recovered: bool = False  # the record existed before: a write may already be applied
    adopted: bool = False  # an earlier run's lead, taken over after the store was lost
    note_may_exist: bool = False  # look at the lead's notes before adding ours
    deferred: bool = False  # left pending for the next run (e.g. its buyer's contact is uncertain)
    note_done_already: bool = False  # the lead has our note though products were missing


@dataclass(frozen=True)
class Destination:
    pipeline_id: int | None
    status_id: int | None


def _mentions(error: AmoValidationError, field: str) -> bool:
    """Whether amoCRM's validation errors point at `field` (e.g. a contact or product id)."""
    return any(
        field in str(e.get("path", ""))
        for item in error.errors
        if isinstance(item, dict)
        for e in item.get("errors", [])
        if isinstance(e, dict)
    ) or field in (error.detail or "")


def chunks(items: Sequence[T], size: int = BATCH) -> list[Sequence[T]]:
    """`items` in slices of at most `size` (amoCRM takes ≤ 50 per write): the writer's and the
    reconciler's one batching rule."""
    return [items[i : i + size] for i in range(0, len(items), size)]


@dataclass
class DealWriter:
    """One cycle's deal writes (poll's new orders, reconcile's missed ones); built per cycle."""

    cycle: Cycle
    api: AmoDeals
    destination: Destination
    check_existing: bool = False  # fresh store: adopt leads amoCRM already has
    cache_scope: str = ""  # cache keys carry the account: ids mean nothing elsewhere
    cache_secret: bytes = field(default=b"", repr=False)
    _catalog_id: int | None = field(default=None, init=False)
    _catalog_looked_up: bool = field(default=False, init=False)
    _catalog_listed: bool = field(default=False, init=False)

    def _key(self, key: str) -> str:
        return f"{self.cache_scope}|{key}"

    def _phone_key(self, contact: ContactPlan) -> str:
        """The cache key of a buyer: an HMAC under the store key (kept with the secrets, not in the
        store), so nobody holding only the store can test phone numbers against it."""
        digest = hmac.new(self.cache_secret, f"{self.cache_scope}|phone|{contact.key}".encode(), hashlib.sha256).hexdigest()
        return f"{self.cache_scope}|{digest[:32]}"

    # --- bookkeeping --------------------------------------------------------------------

    def _save(self, item: WorkItem) -> None:
        if not self.cycle.dry_run:
            self.cycle.store.save_order(item.record)

    def _fail(self, item: WorkItem, error: SyncError | Exception) -> None:
        item.failed = True
        message = error.message if isinstance(error, SyncError) else str(error)
        title = error.title if isinstance(error, SyncError) else "Ошибка"
        text = f"Заказ {item.order.code}: {title}: {message}"
        item.record.sync_state = SyncState.FAILED
        item.record.last_error = text
        self._save(item)
        if not self.cycle.dry_run:
            self.cycle.store.bump_daily(self.cycle.now().date(), failed=1)
        failure = OrderFailure(item.order.code, text, error=error if isinstance(error, SyncError) else None)
        self.cycle.fail(failure)
        log.warning("order failed", extra={"code": item.order.code, "error": text})

    def _batched(
        self,
        items: Sequence[WorkItem],
        call: Callable[[Sequence[WorkItem]], None],
        repair: Callable[[WorkItem, AmoValidationError], bool] | None = None,
    ) -> None:
        """Run `call` per chunk; isolate invalid items; abort the cycle on fatal errors.

        `repair` gets one chance per invalid item: when amoCRM says an id we sent is gone
        (a cached contact or product deleted by a person), it re-resolves and returns True
        to have the item retried once."""
        for chunk in chunks(list(items)):
            if self.cycle.stop.is_set():
                return
            self.cycle.store.fence()  # still this run's lock? one that lost it (stopped, hung) stops here: RunLockLost
            try:
                call(chunk)
            except FATAL as exc:
                raise CycleAborted(exc) from exc
            except AmoValidationError:
                for single in chunk:
                    self._single(single, call, repair)
            except AmoError as exc:
                for item in chunk:
                    self._fail(item, exc)

    def _single(
        self,
        item: WorkItem,
        call: Callable[[Sequence[WorkItem]], None],
        repair: Callable[[WorkItem, AmoValidationError], bool] | None,
    ) -> None:
        for attempt in range(2):
            try:
                call([item])
                return
            except FATAL as exc:
                raise CycleAborted(exc) from exc
            except AmoValidationError as exc:
                try:
                    repaired = attempt == 0 and repair is not None and repair(item, exc)
                except FATAL as inner:
                    raise CycleAborted(inner) from inner
                except AmoError as inner:
                    self._fail(item, inner)
                    return
                if not repaired:
                    self._fail(item, exc)
                    return
            except AmoError as exc:
                self._fail(item, exc)
                return

    # --- the phases ---------------------------------------------------------------------

    def write(self, items: list[WorkItem]) -> None:
        """Bring every item to DONE (or FAILED); raises CycleAborted on fatal amoCRM errors."""
        for item in items:
            item.note_may_exist = item.recovered and item.record.step == SyncStep.PRODUCTS
        if not self.cycle.dry_run:
            for item in items:
                item.record.sync_state = SyncState.PENDING
                item.record.attempts += 1
                self._save(item)  # pending before the first amoCRM write
        phases = (
            self._recover_leads,
            self._check_adopted,
            self._resolve_contacts,
            self._create_leads,
            self._link_products,
            self._add_notes,
        )
        for phase in phases:
            live = [i for i in items if not i.failed and not i.deferred]
            if not live or self.cycle.stop.is_set():
                break
            phase(live)
        for item in items:
            if item.failed:
                continue
            if self.cycle.dry_run:
                self.cycle.report.planned.append(item.plan)
                continue
            if item.record.step != SyncStep.NOTE:
                continue  # stopped between phases: stays pending, the next run resumes it
            item.record.sync_state = SyncState.DONE
            item.record.last_error = None
            self._save(item)
            if item.adopted:
                continue  # nothing new in amoCRM: not counted as created
            self.cycle.store.bump_daily(self.cycle.now().date(), created=1)
            assert item.record.lead_id is not None
            self.cycle.report.created.append((item.order.code, item.record.lead_id))
            self.cycle.observer.order_synced(item.order.code, item.record.lead_id, item.plan)
            log.info(
                "deal created",
                extra={"code": item.order.code, "lead_id": item.record.lead_id, "phone": item.plan.phone_masked},
            )

    def _recover_leads(self, items: list[WorkItem]) -> None:
        """A lead that may exist already is adopted, not recreated.

        Suspects: orders tried before (the create may have been applied while its response
        was lost) and, on a fresh store (deleted, replaced, first run), every order. For the
        latter one listing of the account's `Kaspi #…` leads replaces a search per order.
        """
        retried = [i for i in items if i.record.lead_id is None and i.recovered]
        fresh = [i for i in items if i.record.lead_id is None and not i.recovered and self.check_existing]
        if fresh:
            try:
                known, complete = self._existing_kaspi_leads()
            except FATAL as exc:
                raise CycleAborted(exc) from exc
            except AmoError as exc:
                for item in fresh:
                    self._fail(item, exc)
                fresh = []
            else:
                for item in fresh:
                    lead = known.get(item.plan.lead_name)
                    if lead is not None:
                        # written by an earlier run whose store was lost; that run may have died
                        # before products and note: finish it (links are idempotent, the note is checked)
                        self._adopt(item, lead, earlier_run=True)
                if not complete:
                    retried += [i for i in fresh if i.record.lead_id is None]

        def recover(chunk: Sequence[WorkItem]) -> None:
            for item in chunk:
                found = self.api.find_leads_by_name(item.plan.lead_name)
                if found:
                    self._adopt(item, min(found, key=lambda lead: lead.id))

        self._batched(retried, recover)

    def _check_adopted(self, items: list[WorkItem]) -> None:
        """Adopted leads (earlier run, lost store): see in bulk what they already have, so only
        missing products or a missing note get written (a complete lead costs no write)."""
        adopted = [i for i in items if i.adopted and i.record.step == SyncStep.LEAD]
        if not adopted or self.cycle.dry_run:
            return
        try:
            ids = [i.record.lead_id for i in adopted]
            links = self.api.product_links_of_leads(ids)  # type: ignore[arg-type]
            notes = self.api.notes_of_leads(ids)  # type: ignore[arg-type]
        except FATAL as exc:
            raise CycleAborted(exc) from exc
        except AmoError as exc:
            for item in adopted:
                self._fail(item, exc)
            return
        for item in adopted:
            has_note = any(t.startswith(f"Заказ Kaspi #{item.order.code}\n") for t in notes.get(item.record.lead_id, []))  # type: ignore[arg-type]
            has_products = bool(links.get(item.record.lead_id)) or not any(line.sku for line in item.plan.products)  # type: ignore[arg-type]
            if has_products:
                item.record.step = SyncStep.NOTE if has_note else SyncStep.PRODUCTS
            item.note_may_exist = False  # known now
            if has_note and not has_products:
                item.note_done_already = True
            self._save(item)

    def _existing_kaspi_leads(self) -> tuple[dict[str, Lead], bool]:
        leads, complete = self.api.search_leads(f"{TAG_KASPI} #")
        known: dict[str, Lead] = {}
        for lead in sorted(leads, key=lambda lead: lead.id, reverse=True):
            if lead.name.startswith(f"{TAG_KASPI} #"):
                known[lead.name] = lead  # the lowest id wins
        return known, complete

    def _adopt(self, item: WorkItem, lead: Lead, *, earlier_run: bool = False) -> None:
        """Take over an existing lead and finish it: products are linked again (idempotent) and
        the note is added only if the lead does not have it yet."""
        item.record.lead_id = lead.id
        if lead.contact_ids and item.record.contact_id is None:
            item.record.contact_id = min(lead.contact_ids)
        item.record.step = SyncStep.LEAD
        item.adopted = earlier_run
        item.note_may_exist = True
        self._save(item)
        log.info("adopted existing lead", extra={"code": item.order.code, "lead_id": lead.id})

    def _resolve_contacts(self, items: list[WorkItem]) -> None:
        """Existing buyers: store cache, then amoCRM search with the exact phone check.
        New buyers get their contact created together with the lead (/leads/complex)."""
        needing = [i for i in items if i.plan.contact and i.record.contact_id is None and i.record.lead_id is None]
        by_key: dict[str, list[WorkItem]] = {}
        for item in needing:
            assert item.plan.contact is not None
            by_key.setdefault(item.plan.contact.key, []).append(item)

        # only reads here (one search per buyer), so failures are per buyer, not per batch;
        # but amoCRM unreachable twice in a row (each after its retries) is an outage: stop the
        # cycle instead of waiting out the retries of every buyer, and leave them all pending
        unreachable = 0
        for group in by_key.values():
            if self.cycle.stop.is_set():
                return
            contact = group[0].plan.contact
            assert contact is not None
            try:
                contact_id = self.cycle.store.cache_get("phone", self._phone_key(contact))
                if contact_id is None:
                    contact_id = self._search_contact(contact)
            except FATAL as exc:
                raise CycleAborted(exc) from exc
            except AmoUnavailable as exc:
                unreachable += 1
                if unreachable >= UNREACHABLE_LIMIT:
                    raise CycleAborted(exc) from exc
                for item in group:
                    self._fail(item, exc)
                continue
            except AmoError as exc:
                for item in group:
                    self._fail(item, exc)
                continue
            unreachable = 0
            if contact_id is None:
                continue  # a new buyer
            for item in group:
                item.record.contact_id = contact_id
                item.record.step = SyncStep.CONTACT
                self._save(item)

    def _search_contact(self, contact: ContactPlan) -> int | None:
        """amoCRM's fuzzy search, then the exact last-10-digit check; the lowest id wins."""
        matches = [c for c in self.api.search_contacts(contact.key) if any(same_phone(p, contact.phone) for p in c.phones)]
        if not matches:
            return None
        contact_id = min(c.id for c in matches)
        if not self.cycle.dry_run:
            self.cycle.store.cache_put("phone", self._phone_key(contact), contact_id)
        return contact_id

    def _repair_contact(self, item: WorkItem, error: AmoValidationError) -> bool:
        """The contact id we linked is gone (merged or deleted): forget it and find the buyer again."""
        contact = item.plan.contact
        if contact is None or not _mentions(error, "contacts"):
            return False
        log.info("cached contact is gone in amoCRM, resolving again", extra={"code": item.order.code})
        self.cycle.store.cache_forget("phone", self._phone_key(contact))
        contact_id = self._search_contact(contact)
        if contact_id is None:
            (contact_id,) = self.api.create_contacts([ContactDraft(contact.name, contact.first_name, contact.last_name, contact.phone)])
            self.cycle.store.cache_put("phone", self._phone_key(contact), contact_id)
        item.record.contact_id = contact_id
        self._save(item)
        return True

    def _create_leads(self, items: list[WorkItem]) -> None:
        """Leads through /leads/complex (≤50 a request): an existing contact linked by id, a new
        buyer's contact created in the same request. /leads/complex does not de-duplicate within a
        request, so a new buyer with several orders creates the contact with the first one and the
        rest follow in the next wave with its id."""
        needing = [i for i in items if i.record.lead_id is None]
        if self.cycle.dry_run:
            for item in needing:
                log.info(
                    "dry run: would create lead",
                    extra={"code": item.order.code, "lead": item.plan.lead_name, "price": item.plan.price,
                           "contact_id": item.record.contact_id, "tags": list(item.plan.tags)},
                )
            return
        created: dict[str, int] = {}  # phone key → contact id created in an earlier wave

        def create(chunk: Sequence[WorkItem]) -> None:
            drafts = []
            for i in chunk:
                new_contact = i.plan.contact if i.record.contact_id is None else None
                drafts.append(
                    LeadDraft(
                        name=i.plan.lead_name,
                        price=i.plan.price,
                        pipeline_id=self.destination.pipeline_id,
                        status_id=self.destination.status_id,
                        tags=i.plan.tags,
                        contact_id=i.record.contact_id,
                        contact=ContactDraft(new_contact.name, new_contact.first_name, new_contact.last_name,
                                             new_contact.phone) if new_contact else None,
                        request_id=i.order.code,
                    )
                )
            for item, result in zip(chunk, self.api.create_leads_complex(drafts), strict=True):
                item.record.lead_id = result.lead_id
                contact = item.plan.contact
                if item.record.contact_id is None and result.contact_id is not None and contact is not None:
                    item.record.contact_id = result.contact_id
                    created[contact.key] = result.contact_id
                    self.cycle.store.cache_put("phone", self._phone_key(contact), result.contact_id)
                item.record.step = SyncStep.LEAD
                self._save(item)

        remaining = needing
        while remaining and not self.cycle.stop.is_set():
            wave: list[WorkItem] = []
            later: list[WorkItem] = []
            creating: dict[str, WorkItem] = {}
            for item in remaining:
                contact = item.plan.contact
                if contact is not None and item.record.contact_id is None:
                    if contact.key in created:
                        item.record.contact_id = created[contact.key]
                    elif contact.key in creating:
                        later.append(item)
                        continue
                    else:
                        creating[contact.key] = item
                wave.append(item)
            self._batched(wave, create, repair=self._repair_contact)
            # A buyer whose contact-creating order failed may have the contact in amoCRM all the
            # same (a lost reply): their other orders wait for the next poll, which finds it.
            failed_keys = {key for key, creator in creating.items() if creator.failed}
            remaining = []
            for item in later:
                if item.plan.contact and item.plan.contact.key in failed_keys:
                    item.deferred = True
                elif not item.failed:
                    remaining.append(item)

    def _catalog(self) -> int | None:
        if not self._catalog_looked_up:
            catalog = self.api.products_catalog()
            self._catalog_id = catalog.id if catalog else None
            self._catalog_looked_up = True
            if catalog is None:
                log.info("no products catalog in amoCRM: items go to the note only")
        return self._catalog_id

    def _element_ids(self, catalog_id: int, items: Sequence[WorkItem]) -> dict[str, int]:
        """SKU → catalog element id: store cache, then amoCRM search, then batch create."""
        wanted: dict[str, tuple[str, Decimal]] = {}
        for item in items:
            for line in item.plan.products:
                if line.sku:
                    wanted.setdefault(line.sku, (line.name, line.unit_price))
        resolved: dict[str, int] = {}
        for sku in wanted:
            cached = self.cycle.store.cache_get("sku", self._key(f"{catalog_id}:{sku}"))
            if cached is not None:
                resolved[sku] = cached
        unknown = [sku for sku in wanted if sku not in resolved]
        listed_all = False
        if len(unknown) > LIST_CATALOG_AT and not self._catalog_listed:
            # one listing (a request per 250 products) beats a search per unknown SKU
            self._catalog_listed = True
            elements, listed_all = self.api.list_catalog_elements(catalog_id)
            for element in sorted(elements, key=lambda e: e.id, reverse=True):
                if element.sku:
                    if not self.cycle.dry_run:
                        self.cycle.store.cache_put("sku", self._key(f"{catalog_id}:{element.sku}"), element.id)
                    if element.sku in wanted:
                        resolved[element.sku] = element.id  # lowest id wins
        missing: list[str] = []
        for sku in unknown:
            if sku in resolved:
                continue
            exact = [] if listed_all else [e for e in self.api.find_catalog_elements(catalog_id, sku) if e.sku == sku]
            if exact:
                resolved[sku] = min(e.id for e in exact)
                if not self.cycle.dry_run:
                    self.cycle.store.cache_put("sku", self._key(f"{catalog_id}:{sku}"), resolved[sku])
            else:
                missing.append(sku)
        if self.cycle.dry_run:
            return resolved
        for chunk in chunks(missing):
            drafts = [ProductDraft(wanted[s][0], s, float(wanted[s][1]), request_id=s) for s in chunk]
            for sku, element in zip(chunk, self.api.create_catalog_elements(catalog_id, drafts), strict=True):
                resolved[sku] = element.id
                self.cycle.store.cache_put("sku", self._key(f"{catalog_id}:{sku}"), element.id)
        return resolved

    def _link_products(self, items: list[WorkItem]) -> None:
        needing = [i for i in items if i.record.step in (SyncStep.NONE, SyncStep.CONTACT, SyncStep.LEAD)]
        catalog_id = self._catalog()
        if catalog_id is None:
            for item in needing:
                item.record.step = SyncStep.PRODUCTS
                self._save(item)
            return

        def link(chunk: Sequence[WorkItem]) -> None:
            elements = self._element_ids(catalog_id, chunk)
            if self.cycle.dry_run:
                return
            links = [
                (item.record.lead_id, catalog_id, ProductLink(elements[line.sku], link_quantity(line.quantity)))
                for item in chunk
                for line in item.plan.products
                if line.sku  # no SKU from Kaspi: the note alone carries the line
            ]
            for part in chunks(links):
                self.api.link_products_bulk(part)  # type: ignore[arg-type]
            for item in chunk:
                item.record.step = SyncStep.PRODUCTS
                self._save(item)

        def repair(item: WorkItem, error: AmoValidationError) -> bool:
            """A cached product id is gone (deleted from the catalog): forget the order's SKUs."""
            if not _mentions(error, "to_entity_id"):
                return False
            for line in item.plan.products:
                self.cycle.store.cache_forget("sku", self._key(f"{catalog_id}:{line.sku}"))
            self._catalog_listed = True  # search per SKU now; the listing may be what went stale
            return True

        self._batched(needing, link, repair=repair)

    def _add_notes(self, items: list[WorkItem]) -> None:
        needing = [i for i in items if i.record.step != SyncStep.NOTE]
        if self.cycle.dry_run:
            return
        # An order that reached this phase before, or an adopted lead, may have its note already
        # (a lost reply or store write, a lost store): look before adding, never double it.
        unsure = [i for i in needing if i.note_may_exist]
        if unsure:
            try:
                notes = self.api.notes_of_leads([i.record.lead_id for i in unsure])  # type: ignore[misc]
            except FATAL as exc:
                raise CycleAborted(exc) from exc
            except AmoError as exc:
                for item in unsure:
                    self._fail(item, exc)
                notes = {}
            for item in unsure:
                texts = notes.get(item.record.lead_id, [])  # type: ignore[arg-type]
                if not item.failed and any(t.startswith(f"Заказ Kaspi #{item.order.code}\n") for t in texts):
                    item.record.step = SyncStep.NOTE
                    self._save(item)
        for item in needing:
            if item.note_done_already:
                item.record.step = SyncStep.NOTE
                self._save(item)
        needing = [i for i in needing if i.record.step != SyncStep.NOTE and not i.failed]

        def add(chunk: Sequence[WorkItem]) -> None:
            self.api.add_lead_notes([(i.record.lead_id, i.plan.note) for i in chunk])  # type: ignore[misc]
            for item in chunk:
                item.record.step = SyncStep.NOTE
                self._save(item)

        self._batched(needing, add)
