"""amoCRM entities as the sync sees them: frozen dataclasses, no JSON (that is api.py's).

Phones never appear in full in `repr()` of the contact types, so logging them is safe.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.logs import mask_phone


@dataclass(frozen=True)
class Account:
    id: int
    name: str
    subdomain: str


@dataclass(frozen=True)
class Status:
    id: int
    name: str
    type: int = 0  # 1 = the "unsorted/incoming" stage


@dataclass(frozen=True)
class Pipeline:
    id: int
    name: str
    is_main: bool
    statuses: tuple[Status, ...]


@dataclass(frozen=True)
class Contact:
    id: int
    name: str
    phones: tuple[str, ...]

    def __repr__(self) -> str:
        return f"Contact(id={self.id!r}, name={self.name!r}, phones={tuple(mask_phone(p) for p in self.phones)!r})"


@dataclass(frozen=True)
class ContactDraft:
    name: str
    first_name: str | None
    last_name: str | None
    phone: str | None  # E.164 "+77011234567", stored with enum WORK

    def __repr__(self) -> str:
        return (
            f"ContactDraft(name={self.name!r}, first_name={self.first_name!r}, "
            f"last_name={self.last_name!r}, phone={mask_phone(self.phone)!r})"
        )


@dataclass(frozen=True)
class LeadDraft:
    name: str
    price: int
    pipeline_id: int | None
    status_id: int | None
    tags: tuple[str, ...]
    contact_id: int | None = None
    contact: ContactDraft | None = None  # /leads/complex only
    request_id: str | None = None  # defaults to the input index


@dataclass(frozen=True)
class Lead:
    id: int
    name: str
    price: int | None
    pipeline_id: int | None
    status_id: int | None
    tags: tuple[str, ...]
    contact_ids: tuple[int, ...] = ()
    is_deleted: bool = False


@dataclass(frozen=True)
class LeadUpdate:
    lead_id: int
    status_id: int | None = None
    pipeline_id: int | None = None
    tags_to_add: tuple[str, ...] = ()
    tags_to_delete: tuple[str, ...] = ()


@dataclass(frozen=True)
class ComplexResult:
    lead_id: int
    contact_id: int | None
    request_ids: tuple[str, ...]  # several when amoCRM merged duplicates sent in one request
    merged: bool  # duplicate control merged it into an existing lead


@dataclass(frozen=True)
class Catalog:
    id: int
    name: str
    type: str


@dataclass(frozen=True)
class CatalogElement:
    id: int
    name: str
    sku: str | None
    price: float | None


@dataclass(frozen=True)
class ProductDraft:
    name: str
    sku: str
    price: float
    request_id: str | None = None  # defaults to the input index


@dataclass(frozen=True)
class ProductLink:
    element_id: int
    quantity: int  # amoCRM types link quantity as int (Kommo reference "Linking entities")


@dataclass(frozen=True)
class CatalogFields:
    """Ids of a catalog's SKU and PRICE fields (None: not found, write by field_code instead)."""

    sku_id: int | None
    price_id: int | None
