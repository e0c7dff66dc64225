"""The emulated amoCRM account's data, shared by every resource module.

Entities are kept in the API's read shape (without `_links`, added when rendered), so a
handler renders by copying. The emulator's lock guards all of it: resources touch it only
from handlers (called under the lock) and from the emulator's seeding/inspection methods.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from app.sandbox.amo.core import Resource

JSON = dict[str, Any]
R = TypeVar("R", bound="Resource")


@dataclass
class AmoState:
    """One account: integration settings, tokens and entities.

    A resource whose data nobody else reads keeps it on its own `Resource` object; data two
    resources share (leads and their links, say) lives here."""

    subdomain: str = "sandbox"
    account_name: str = "Sandbox Shop"
    client_id: str = "sandbox-client-id"
    client_secret: str = "sandbox-client-secret"
    redirect_uri: str = "http://127.0.0.1:8765/callback"
    access_ttl: int = 86400
    refresh_mode: str = "strict"
    #: amoCRM documents writing catalog fields by `field_code`, but no captured request shows it
    #: (shared/api/amocrm.md §16); False refuses it, so a test proves a client writes by field_id
    catalog_field_codes: bool = True
    clock: Callable[[], float] = time.time
    account_id: int = 30123456
    created_at: int = 0

    # OAuth: token -> record.
    access: dict[str, JSON] = field(default_factory=dict)
    refresh: dict[str, JSON] = field(default_factory=dict)
    codes: dict[str, JSON] = field(default_factory=dict)

    contacts: dict[int, JSON] = field(default_factory=dict)
    leads: dict[int, JSON] = field(default_factory=dict)
    deleted_leads: dict[int, JSON] = field(default_factory=dict)
    notes: list[JSON] = field(default_factory=list)
    links: list[JSON] = field(default_factory=list)
    pipelines: list[JSON] = field(default_factory=list)
    catalogs: dict[int, JSON] = field(default_factory=dict)
    catalog_fields: dict[int, list[JSON]] = field(default_factory=dict)
    catalog_elements: dict[int, JSON] = field(default_factory=dict)
    products_catalog_id: int | None = None
    tags: dict[str, dict[int, JSON]] = field(default_factory=lambda: {"leads": {}, "contacts": {}})
    next_ids: dict[str, int] = field(default_factory=lambda: {
        "contact": 40400001, "lead": 20200001, "note": 60600001, "element": 170001, "tag": 50001,
        "field": 700101,
    })
    resources: list[Resource] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.refresh_mode not in ("strict", "grace"):
            raise ValueError("refresh_mode must be 'strict' or 'grace'")
        self.created_at = int(self.clock())

    def now(self) -> int:
        """Unix seconds, as amoCRM stamps created_at/updated_at."""
        return int(self.clock())

    def next_id(self, kind: str) -> int:
        """The next id of an entity kind; a new kind starts at 1 unless seeded in `next_ids`."""
        value = self.next_ids.get(kind, 1)
        self.next_ids[kind] = value + 1
        return value

    def resource(self, kind: type[R]) -> R:
        """The registered resource of that class (for a resource that reads another's data)."""
        for candidate in self.resources:
            if isinstance(candidate, kind):
                return candidate
        raise LookupError(f"{kind.__name__} is not registered in the emulator")
