"""Typed amoCRM operations over `AmoClient`: the only module that knows v4 JSON shapes.

Every write takes a sequence and sends it in chunks of at most 50 items (amoCRM's advice,
and the hard limit of /leads/complex). Results come back in input order, matched by
`request_id`, never by position, because amoCRM documents request_id as the correlation key.
When a later chunk fails, the error carries `partial_results` (results of the chunks that
did succeed, in input order) so the caller does not create those entities again.

The entity dataclasses live in app/amo/models.py and are re-exported here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from app.amo.client import AmoClient
from app.amo.models import (
    Account,
    Catalog,
    CatalogElement,
    CatalogFields,
    ComplexResult,
    Contact,
    ContactDraft,
    Lead,
    LeadDraft,
    LeadUpdate,
    Pipeline,
    ProductDraft,
    ProductLink,
    Status,
)
from app.errors import AmoError, AmoNotFound

CHUNK = 50  # items per write request: amoCRM recommends ≤ 50, /leads/complex allows no more
PAGE_LIMIT = 250  # items per page on lists (amoCRM's maximum)
SEARCH_PAGES = 5  # fuzzy searches: more pages than this means the query is too vague to trust
LIST_PAGES = 20  # bounded lists (catalogs, pipelines, links)

__all__ = [
    "Account",
    "AmoApi",
    "Catalog",
    "CatalogElement",
    "CatalogFields",
    "ComplexResult",
    "Contact",
    "ContactDraft",
    "Lead",
    "LeadDraft",
    "LeadUpdate",
    "Pipeline",
    "ProductDraft",
    "ProductLink",
    "Status",
    "read_collection",
]

T = TypeVar("T")
R = TypeVar("R")


# --- the API ----------------------------------------------------------------------------------


class AmoApi:
    """amoCRM entities as dataclasses; HTTP, retries and errors are AmoClient's job."""

    def __init__(self, client: AmoClient) -> None:
        self.client = client
        self._catalog_fields: dict[int, CatalogFields] = {}  # field ids never change: asked once

    # account & pipelines

    def account(self) -> Account:
        """The connected account: a cheap read that doubles as a health check."""
        body = self._get_object("account")
        return Account(id=_int(body.get("id")) or 0, name=str(body.get("name") or ""), subdomain=str(body.get("subdomain") or ""))

    def pipelines(self) -> list[Pipeline]:
        result = []
        for p in self._collect("leads/pipelines", {}, "pipelines", max_pages=LIST_PAGES):
            statuses = tuple(
                Status(id=_int(s.get("id")) or 0, name=str(s.get("name") or ""), type=_int(s.get("type")) or 0)
                for s in _embedded(p, "statuses")
            )
            result.append(
                Pipeline(id=_int(p.get("id")) or 0, name=str(p.get("name") or ""), is_main=bool(p.get("is_main")), statuses=statuses)
            )
        return result

    # contacts

    def search_contacts(self, query: str, *, limit: int = 50) -> list[Contact]:
        """amoCRM's fuzzy full-text search (phones match on the last 7 digits): callers must re-check phones."""
        items = self._collect("contacts", {"query": query, "limit": limit}, "contacts", max_pages=SEARCH_PAGES)
        return [_contact(c) for c in items]

    def create_contacts(self, drafts: Sequence[ContactDraft]) -> list[int]:
        """New contact ids, in input order."""
        rids = [str(i) for i in range(len(drafts))]

        def body(i: int, d: ContactDraft) -> dict[str, Any]:
            return {**_contact_body(d), "request_id": rids[i]}

        return self._create("contacts", drafts, rids, body, "contacts", lambda item, d: _require_id(item))

    # leads

    def create_leads(self, drafts: Sequence[LeadDraft]) -> list[int]:
        """New lead ids, in input order. Contacts are linked by id; use create_leads_complex to create them too."""
        rids = _request_ids(drafts)

        def body(i: int, d: LeadDraft) -> dict[str, Any]:
            if d.contact is not None:
                raise ValueError("create_leads links existing contacts only (contact_id); use create_leads_complex")
            item = _lead_body(d, rids[i])
            if d.contact_id is not None:
                item.setdefault("_embedded", {})["contacts"] = [{"id": d.contact_id}]
            return item

        return self._create("leads", drafts, rids, body, "leads", lambda item, d: _require_id(item))

    def create_leads_complex(self, drafts: Sequence[LeadDraft]) -> list[ComplexResult]:
        """Lead + contact (new body or existing {id}) in one request per ≤ 50 leads; results in input order."""
        rids = _request_ids(drafts)
        bodies = []
        for i, d in enumerate(drafts):
            if d.contact is not None and d.contact_id is not None:
                raise ValueError(f"lead {i}: give contact or contact_id, not both")
            item = _lead_body(d, rids[i])
            if d.contact_id is not None:
                item.setdefault("_embedded", {})["contacts"] = [{"id": d.contact_id}]
            elif d.contact is not None:
                item.setdefault("_embedded", {})["contacts"] = [_contact_body(d.contact)]
            bodies.append(item)

        results: list[ComplexResult] = []
        for start in range(0, len(bodies), CHUNK):
            chunk_rids = rids[start : start + CHUNK]
            with _Partial(results):
                response = self.client.request("POST", "leads/complex", json=bodies[start : start + CHUNK])
                items = response if isinstance(response, list) else _embedded(response, "leads")
                by_rid: dict[str, ComplexResult] = {}
                for item in items:
                    if not isinstance(item, dict):
                        continue
                    raw = item.get("request_id")
                    item_rids = tuple(str(r) for r in (raw if isinstance(raw, list) else [raw]) if r is not None)
                    res = ComplexResult(
                        lead_id=_require_id(item),
                        contact_id=_int(item.get("contact_id")),
                        request_ids=item_rids,
                        merged=bool(item.get("merged")),
                    )
                    for rid in item_rids:
                        by_rid[rid] = res
                results.extend(_in_order(by_rid, chunk_rids, "leads/complex"))
        return results

    def find_leads_by_name(self, name: str) -> list[Lead]:
        """Leads named exactly `name`, lowest id first (amoCRM's query is full-text, so filter here)."""
        items = self._collect(
            "leads", {"query": name, "with": "contacts", "limit": PAGE_LIMIT}, "leads", max_pages=SEARCH_PAGES
        )
        leads = {lead.id: lead for lead in map(_lead, items) if lead.name == name}
        return sorted(leads.values(), key=lambda lead: lead.id)

    def search_leads(self, query: str, *, max_pages: int = 40) -> tuple[list[Lead], bool]:
        """Leads matching a full-text query, 250 per request, with their contacts; the flag is
        False when `max_pages` cut the listing short (the caller must not trust absence then)."""
        path = "leads"
        params: dict[str, Any] | None = {"query": query, "with": "contacts", "limit": PAGE_LIMIT}
        leads: list[Lead] = []
        for _ in range(max_pages):
            body = self.client.request("GET", path, params=params)
            if body is None:
                return leads, True
            if not isinstance(body, dict):
                raise _shape_error("leads")
            leads.extend(_lead(item) for item in _embedded(body, "leads") if isinstance(item, dict))
            href = _next_href(body)
            if not href:
                return leads, True
            path, params = href, None
        return leads, False

    def get_lead(self, lead_id: int) -> Lead | None:
        """The lead with its contact ids, or None when amoCRM has no such lead (204)."""
        try:
            body = self.client.request("GET", f"leads/{int(lead_id)}", params={"with": "contacts"})
        except AmoNotFound:
            return None
        if body is None:
            return None
        if not isinstance(body, dict):
            raise _shape_error(f"leads/{lead_id}")
        return _lead(body)

    def update_lead(
        self,
        lead_id: int,
        *,
        status_id: int | None = None,
        pipeline_id: int | None = None,
        tags_to_add: Sequence[str] = (),
        tags_to_delete: Sequence[str] = (),
    ) -> None:
        """Move the lead and/or change tags incrementally (tags_to_add/delete never clobber others' tags)."""
        body = _update_body(LeadUpdate(int(lead_id), status_id, pipeline_id, tuple(tags_to_add), tuple(tags_to_delete)))
        if body:
            self.client.request("PATCH", f"leads/{int(lead_id)}", json=body)

    def update_leads(self, updates: Sequence[LeadUpdate]) -> None:
        """Batch form of update_lead: PATCH /leads with ≤ 50 leads per request."""
        items = [{"id": u.lead_id, **body} for u in updates if (body := _update_body(u))]
        for start in range(0, len(items), CHUNK):
            self.client.request("PATCH", "leads", json=items[start : start + CHUNK])

    def add_lead_notes(self, notes: Sequence[tuple[int, str]]) -> list[int]:
        """Common (text) notes on leads; note ids in input order."""
        rids = [str(i) for i in range(len(notes))]

        def body(i: int, note: tuple[int, str]) -> dict[str, Any]:
            lead_id, text = note
            return {"entity_id": int(lead_id), "note_type": "common", "params": {"text": text}, "request_id": rids[i]}

        return self._create("leads/notes", notes, rids, body, "notes", lambda item, n: _require_id(item))

    def notes_of_leads(self, lead_ids: Sequence[int]) -> dict[int, list[str]]:
        """Common-note texts per lead for many leads: one request per 50 leads."""
        out: dict[int, list[str]] = {int(i): [] for i in lead_ids}
        ids = list(out)
        for start in range(0, len(ids), CHUNK):
            params = {"filter[entity_id][]": ids[start : start + CHUNK], "limit": PAGE_LIMIT}
            for note in self._collect("leads/notes", params, "notes", max_pages=LIST_PAGES):
                lead_id = _int(note.get("entity_id"))
                text = (note.get("params") or {}).get("text") if isinstance(note.get("params"), dict) else None
                if lead_id in out and isinstance(text, str):
                    out[lead_id].append(text)
        return out

    def product_links_of_leads(self, lead_ids: Sequence[int]) -> dict[int, list[tuple[int, float]]]:
        """(element_id, quantity) catalog links per lead for many leads: one request per 50 leads."""
        out: dict[int, list[tuple[int, float]]] = {int(i): [] for i in lead_ids}
        ids = list(out)
        for start in range(0, len(ids), CHUNK):
            params = {"filter[entity_id][]": ids[start : start + CHUNK]}
            for link in self._collect("leads/links", params, "links", max_pages=LIST_PAGES):
                lead_id = _int(link.get("entity_id"))
                element_id = _int(link.get("to_entity_id"))
                if lead_id in out and element_id is not None and link.get("to_entity_type") == "catalog_elements":
                    quantity = _float(_object(link.get("metadata")).get("quantity"))
                    out[lead_id].append((element_id, quantity if quantity is not None else 1.0))
        return out

    # products

    def products_catalog(self) -> Catalog | None:
        """The account's products list (type "products"), or None when it has none / it is disabled."""
        for c in self._collect("catalogs", {"limit": PAGE_LIMIT}, "catalogs", max_pages=LIST_PAGES):
            if c.get("type") == "products":
                return Catalog(id=_int(c.get("id")) or 0, name=str(c.get("name") or ""), type="products")
        return None

    def catalog_fields(self, catalog_id: int) -> CatalogFields:
        """The ids of a catalog's SKU and PRICE fields, from GET /catalogs/{id}/custom_fields
        (once per catalog for this object's life). Writing by field_id is the documented safe
        path; a field this cannot find is written by its field_code instead."""
        cid = int(catalog_id)
        if cid not in self._catalog_fields:
            fields = self._collect(f"catalogs/{cid}/custom_fields", {"limit": PAGE_LIMIT}, "custom_fields",
                                   max_pages=LIST_PAGES)
            sku = next((f for f in fields if f.get("code") == "SKU"), None)
            price = next((f for f in fields if f.get("code") == "PRICE"), None) or next(
                (f for f in fields if f.get("type") == "price"), None)
            self._catalog_fields[cid] = CatalogFields(
                sku_id=_int(sku.get("id")) if sku else None, price_id=_int(price.get("id")) if price else None)
        return self._catalog_fields[cid]

    def find_catalog_elements(self, catalog_id: int, query: str) -> list[CatalogElement]:
        """Full-text search in a catalog; callers compare `sku` themselves."""
        items = self._collect(
            f"catalogs/{int(catalog_id)}/elements", {"query": query, "limit": PAGE_LIMIT}, "elements", max_pages=SEARCH_PAGES
        )
        return [_element(e, self._catalog_fields.get(int(catalog_id))) for e in items]

    def list_catalog_elements(self, catalog_id: int, *, max_pages: int = 20) -> tuple[list[CatalogElement], bool]:
        """Every element of a catalog, 250 per request; the flag is False when `max_pages` cut it short.

        Why: resolving many SKUs one search at a time costs a request each; one listing of a
        shop-sized catalog costs a request per 250 products.
        """
        elements: list[CatalogElement] = []
        path = f"catalogs/{int(catalog_id)}/elements"
        for page in range(1, max_pages + 1):
            body = self.client.request("GET", path, params={"page": page, "limit": PAGE_LIMIT})
            if body is None:
                return elements, True
            if not isinstance(body, dict):
                raise _shape_error(path)
            known = self._catalog_fields.get(int(catalog_id))
            elements.extend(_element(e, known) for e in _embedded(body, "elements") if isinstance(e, dict))
            if not _next_href(body):
                return elements, True
        return elements, False

    def create_catalog_elements(self, catalog_id: int, drafts: Sequence[ProductDraft]) -> list[CatalogElement]:
        """New elements with SKU and PRICE fields (by the catalog's field ids), in input order."""
        rids = _request_ids(drafts)
        fields = self.catalog_fields(catalog_id) if drafts else CatalogFields(None, None)
        sku_field = _field_ref(fields.sku_id, "SKU")
        price_field = _field_ref(fields.price_id, "PRICE")

        def body(i: int, d: ProductDraft) -> dict[str, Any]:
            return {
                "name": d.name,
                "custom_fields_values": [
                    {**sku_field, "values": [{"value": d.sku}]},
                    {**price_field, "values": [{"value": _number(d.price)}]},
                ],
                "request_id": rids[i],
            }

        def made(item: dict[str, Any], d: ProductDraft) -> CatalogElement:
            return CatalogElement(id=_require_id(item), name=d.name, sku=d.sku, price=float(d.price))

        return self._create(f"catalogs/{int(catalog_id)}/elements", drafts, rids, body, "elements", made)

    def link_products(self, lead_id: int, catalog_id: int, links: Sequence[ProductLink]) -> None:
        """Attach catalog elements with quantities to one lead."""
        price_id = self.catalog_fields(catalog_id).price_id if links else None
        items = [_link_body(int(catalog_id), link, price_id) for link in links]
        for start in range(0, len(items), CHUNK):
            self.client.request("POST", f"leads/{int(lead_id)}/link", json=items[start : start + CHUNK])

    def link_products_bulk(self, items: Sequence[tuple[int, int, ProductLink]]) -> None:
        """Attach products to many leads at once: (lead_id, catalog_id, link) per item."""
        prices = {cid: self.catalog_fields(cid).price_id for cid in {int(c) for _lead, c, _link in items}}
        bodies = [{"entity_id": int(lead_id), **_link_body(int(catalog_id), link, prices[int(catalog_id)])}
                  for lead_id, catalog_id, link in items]
        for start in range(0, len(bodies), CHUNK):
            self.client.request("POST", "leads/link", json=bodies[start : start + CHUNK])

    def lead_product_links(self, lead_id: int) -> list[tuple[int, float]]:
        """(element_id, quantity) of the catalog elements linked to a lead."""
        out = []
        for link in self._collect(f"leads/{int(lead_id)}/links", {}, "links", max_pages=LIST_PAGES):
            if link.get("to_entity_type") != "catalog_elements":
                continue
            element_id = _int(link.get("to_entity_id"))
            if element_id is None:
                continue
            quantity = _float(_object(link.get("metadata")).get("quantity"))
            out.append((element_id, quantity if quantity is not None else 1.0))
        return out

    # --- plumbing -----------------------------------------------------------------------------

    def _get_object(self, path: str) -> dict[str, Any]:
        body = self.client.request("GET", path)
        if not isinstance(body, dict):
            raise _shape_error(path)
        return body

    def _collect(self, path: str, params: dict[str, Any], key: str, *, max_pages: int) -> list[dict[str, Any]]:
        return read_collection(self.client, path, params, key, max_pages=max_pages)

    def _create(
        self,
        path: str,
        inputs: Sequence[T],
        rids: list[str],
        body: Callable[[int, T], dict[str, Any]],
        key: str,
        made: Callable[[dict[str, Any], T], R],
    ) -> list[R]:
        """POST `inputs` in chunks; results in input order, matched by request_id."""
        bodies = [body(i, x) for i, x in enumerate(inputs)]  # validate everything before the first write
        results: list[R] = []
        for start in range(0, len(bodies), CHUNK):
            chunk_rids = rids[start : start + CHUNK]
            with _Partial(results):
                response = self.client.request("POST", path, json=bodies[start : start + CHUNK])
                by_rid: dict[str, R] = {}
                position = {rid: start + n for n, rid in enumerate(chunk_rids)}
                for item in _embedded(response, key):
                    rid = str(item.get("request_id")) if isinstance(item, dict) and item.get("request_id") is not None else None
                    if rid in position:
                        by_rid[rid] = made(item, inputs[position[rid]])
                results.extend(_in_order(by_rid, chunk_rids, path))
        return results


# --- helpers ----------------------------------------------------------------------------------


class _Partial:
    """Attach the results gathered so far to an AmoError escaping a chunk."""

    def __init__(self, results: list[Any]) -> None:
        self.results = results

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> None:
        if isinstance(exc, AmoError):
            exc.partial_results = list(self.results)


def _request_ids(drafts: Sequence[Any]) -> list[str]:
    rids = [d.request_id if d.request_id is not None else str(i) for i, d in enumerate(drafts)]
    if len(set(rids)) != len(rids):
        raise ValueError("request_id values must be unique within one call")
    return rids


def _in_order(by_rid: dict[str, R], rids: list[str], path: str) -> list[R]:
    missing = [rid for rid in rids if rid not in by_rid]
    if missing:
        raise AmoError(
            "amoCRM не подтвердил часть записей. Программа проверит их при следующей синхронизации.",
            detail=f"{path}: no result for {len(missing)} of {len(rids)} request_ids",
        )
    return [by_rid[rid] for rid in rids]


def read_collection(
    client: AmoClient, path: str, params: dict[str, Any], key: str, *, max_pages: int
) -> list[dict[str, Any]]:
    """All items of a HAL collection, following `_links.next` up to `max_pages` (a loop of
    `next` links ends it too); 204 → []. Shared by every amoCRM reader, so paging is one policy."""
    items: list[dict[str, Any]] = []
    ref: str = path
    query: dict[str, Any] | None = params or None
    seen: set[str] = set()
    for _ in range(max_pages):
        body = client.request("GET", ref, params=query)
        if body is None:
            break
        if not isinstance(body, dict):
            raise _shape_error(path)
        items.extend(i for i in _embedded(body, key) if isinstance(i, dict))
        href = _next_href(body)
        if not href or href in seen:
            break
        seen.add(href)
        ref, query = href, None
    return items


def _shape_error(path: str) -> AmoError:
    return AmoError("amoCRM вернул ответ неожиданной формы.", detail=f"{path}: unexpected JSON shape")


def _embedded(body: Any, key: str) -> list[Any]:
    if not isinstance(body, dict):
        return []
    emb = body.get("_embedded")
    items = emb.get(key) if isinstance(emb, dict) else None
    return items if isinstance(items, list) else []


def _next_href(body: dict[str, Any]) -> str | None:
    links = body.get("_links")
    nxt = links.get("next") if isinstance(links, dict) else None
    href = nxt.get("href") if isinstance(nxt, dict) else None
    return href if isinstance(href, str) and href else None


def _object(value: Any) -> dict[str, Any]:
    """A JSON object, or {} for a missing/null/odd block (amoCRM omits empty ones)."""
    return value if isinstance(value, dict) else {}


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, (float, str)):
        try:
            return int(float(value))
        except ValueError:
            return None
    return None


def _float(value: Any) -> float | None:
    """amoCRM returns PRICE values as strings ("999.12"); tolerate "1 000,5" too."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(str(value).replace(",", ".").replace(" ", "").replace("\u00a0", ""))
    except ValueError:
        return None


def _number(value: float) -> int | float:
    """2.0 → 2: amoCRM shows integers without a fraction."""
    return int(value) if float(value).is_integer() else float(value)


def _require_id(item: Any) -> int:
    value = _int(item.get("id")) if isinstance(item, dict) else None
    if value is None:
        raise AmoError("amoCRM вернул ответ без идентификатора записи.", detail="write response item without id")
    return value


def _field_values(entity: dict[str, Any], code: str, field_id: int | None = None) -> list[Any]:
    """Values of the field with this code (or, when known, this id)."""
    out: list[Any] = []
    for field in entity.get("custom_fields_values") or []:
        if isinstance(field, dict) and (field.get("field_code") == code
                                        or (field_id is not None and _int(field.get("field_id")) == field_id)):
            out.extend(v.get("value") for v in field.get("values") or [] if isinstance(v, dict) and v.get("value") is not None)
    return out


def _contact(c: dict[str, Any]) -> Contact:
    return Contact(
        id=_int(c.get("id")) or 0,
        name=str(c.get("name") or ""),
        phones=tuple(str(v) for v in _field_values(c, "PHONE")),
    )


def _contact_body(d: ContactDraft) -> dict[str, Any]:
    body: dict[str, Any] = {"name": d.name}
    if d.first_name:
        body["first_name"] = d.first_name
    if d.last_name:
        body["last_name"] = d.last_name
    if d.phone:
        body["custom_fields_values"] = [{"field_code": "PHONE", "values": [{"value": d.phone, "enum_code": "WORK"}]}]
    return body


def _lead_body(d: LeadDraft, rid: str) -> dict[str, Any]:
    body: dict[str, Any] = {"name": d.name, "price": int(d.price), "request_id": rid}
    if d.pipeline_id is not None:
        body["pipeline_id"] = int(d.pipeline_id)
    if d.status_id is not None:
        body["status_id"] = int(d.status_id)
    if d.tags:
        body["_embedded"] = {"tags": [{"name": t} for t in d.tags]}
    return body


def _lead(body: dict[str, Any]) -> Lead:
    emb = _object(body.get("_embedded"))
    tags = tuple(str(t.get("name")) for t in emb.get("tags") or [] if isinstance(t, dict) and t.get("name"))
    contacts = tuple(cid for c in emb.get("contacts") or [] if isinstance(c, dict) and (cid := _int(c.get("id"))) is not None)
    return Lead(
        id=_int(body.get("id")) or 0,
        name=str(body.get("name") or ""),
        price=_int(body.get("price")),
        pipeline_id=_int(body.get("pipeline_id")),
        status_id=_int(body.get("status_id")),
        tags=tags,
        contact_ids=contacts,
        is_deleted=bool(body.get("is_deleted")),
    )


def _update_body(u: LeadUpdate) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if u.status_id is not None:
        body["status_id"] = int(u.status_id)
    if u.pipeline_id is not None:
        body["pipeline_id"] = int(u.pipeline_id)
    if u.tags_to_add:
        body["tags_to_add"] = [{"name": t} for t in u.tags_to_add]
    if u.tags_to_delete:
        body["tags_to_delete"] = [{"name": t} for t in u.tags_to_delete]
    return body


def _element(e: dict[str, Any], fields: CatalogFields | None = None) -> CatalogElement:
    skus = _field_values(e, "SKU", fields.sku_id if fields else None)
    prices = _field_values(e, "PRICE", fields.price_id if fields else None)
    return CatalogElement(
        id=_int(e.get("id")) or 0,
        name=str(e.get("name") or ""),
        sku=str(skus[0]) if skus else None,
        price=_float(prices[0]) if prices else None,
    )


def _field_ref(field_id: int | None, code: str) -> dict[str, Any]:
    """A custom field by id when known, else by its code (the documented fallback)."""
    return {"field_id": field_id} if field_id is not None else {"field_code": code}


def _link_body(catalog_id: int, link: ProductLink, price_id: int | None) -> dict[str, Any]:
    """Link metadata as the Kommo reference types it: quantity int, the catalog's id and the id
    of its price field (the official PHP library always sends price_id)."""
    metadata: dict[str, Any] = {"quantity": int(link.quantity), "catalog_id": catalog_id}
    if price_id is not None:
        metadata["price_id"] = price_id
    return {"to_entity_id": int(link.element_id), "to_entity_type": "catalog_elements", "metadata": metadata}

