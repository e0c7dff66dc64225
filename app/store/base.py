"""The store's narrow repository interface, shared by SQLite and PostgreSQL.

The engine talks to a `Store` only. An order is written as PENDING before its first
amoCRM write, so a crash never loses it and recovery never creates it twice; `step`
records how far its sync got so a retry resumes instead of starting over.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Protocol

from app.store.action_records import ActionRecord, DealSeen
from app.store.deadline_records import DeadlineEvent, OrderWatch


class SyncState(StrEnum):
    PENDING = "pending"  # claimed; amoCRM writes may be partly done
    DONE = "done"  # lead, products and note are in amoCRM
    FAILED = "failed"  # last attempt failed; retried by later polls
    QUARANTINED = "quarantined"  # bad input (unparseable order); needs a person


class SyncStep(StrEnum):
    """How far an order's amoCRM writes got (in order)."""

    NONE = "none"
    CONTACT = "contact"  # contact found or created (contact_id set)
    LEAD = "lead"  # lead created (lead_id set)
    PRODUCTS = "products"  # products linked
    NOTE = "note"  # note added; the order is complete


@dataclass
class OrderRecord:
    code: str
    sync_state: SyncState = SyncState.PENDING
    step: SyncStep = SyncStep.NONE
    kaspi_id: str | None = None
    kaspi_state: str | None = None
    kaspi_status: str | None = None
    order_created_at: datetime | None = None  # Kaspi creationDate (UTC)
    total_price: int | None = None  # whole tenge
    buyer_name: str | None = None
    phone_masked: str | None = None  # never the full number
    lead_id: int | None = None
    contact_id: int | None = None
    attempts: int = 0
    last_error: str | None = None
    first_seen_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass
class DailyStats:
    day: date  # UTC day
    created: int = 0
    updated: int = 0
    failed: int = 0


@dataclass
class StatsTotals:
    """Daily statistics summed over every day: they only ever grow (the metrics' counters)."""

    created: int = 0
    updated: int = 0
    failed: int = 0


@dataclass
class StoreCounts:
    processed: int  # DONE
    pending: int
    failed: int
    quarantined: int

    @property
    def backlog(self) -> int:
        return self.pending + self.failed


class Store(Protocol):
    """Everything the engine may ask of persistent state. All datetimes are aware UTC."""

    def migrate(self) -> int:
        """Apply pending numbered migrations; returns how many were applied."""

    def close(self) -> None: ...

    # orders
    def get_order(self, code: str) -> OrderRecord | None: ...

    def get_orders(self, codes: Iterable[str]) -> dict[str, OrderRecord]:
        """Bulk lookup: the records that exist among `codes`, keyed by code."""

    def save_order(self, record: OrderRecord) -> None:
        """Insert or replace the whole record (sets updated_at; first_seen_at on insert)."""

    def orders_in_states(self, states: Iterable[SyncState], limit: int | None = None) -> list[OrderRecord]:
        """Oldest first by order_created_at."""

    def recent_orders(self, limit: int = 100) -> list[OrderRecord]:
        """Newest first by order_created_at."""

    def delete_all_orders(self) -> int: ...

    def counts(self) -> StoreCounts: ...

    # meta (watermark, last poll, last success, fail streak, heartbeat, ...)
    def get_meta(self, key: str) -> str | None: ...

    def set_meta(self, key: str, value: str | None) -> None: ...

    # statistics
    def bump_daily(self, day: date, *, created: int = 0, updated: int = 0, failed: int = 0) -> None: ...

    def daily(self, day: date) -> DailyStats: ...

    def totals(self) -> StatsTotals:
        """Every day's created/updated/failed added up."""

    # caches (phone → contact id, SKU → catalog element id); verified by the engine
    def cache_get(self, kind: str, key: str) -> int | None: ...

    def cache_put(self, kind: str, key: str, value: int) -> None: ...

    def cache_forget(self, kind: str, key: str) -> None: ...

    # the run lock: one poll/reconcile per store at a time
    def run_lock(self, owner: str, *, wait_seconds: float = 0.0, ttl_seconds: float = 600.0) -> AbstractContextManager[None]:
        """Hold the store's run lock for the block; raises StoreLockedError when another
        live run holds it after waiting `wait_seconds`. A holder that stopped renewing for
        `ttl_seconds` (a crashed or hung run) is taken over."""

    def fence(self) -> None:
        """Raise RunLockLost unless the run lock this store holds is still its own (a no-op
        when it holds none); every store write made under the lock checks the same."""

    # the Kaspi action queue and the deals' last-seen state (two-way; app/store/actions.py)
    def add_actions(self, records: Sequence[ActionRecord]) -> list[int]: ...

    def update_action(self, record: ActionRecord) -> None: ...

    def actions_of(self, codes: Iterable[str]) -> dict[str, list[ActionRecord]]: ...

    def open_actions(self, limit: int = 200) -> list[ActionRecord]: ...

    def unnoted_actions(self, limit: int = 200) -> list[ActionRecord]: ...

    def recent_actions(self, states: Sequence[str], limit: int = 50) -> list[ActionRecord]: ...

    def action_counts(self, since: datetime | None = None) -> dict[str, int]: ...

    def seen_deals(self, lead_ids: Iterable[int]) -> dict[int, DealSeen]: ...

    def save_seen_deals(self, deals: Sequence[DealSeen]) -> None: ...

    def codes_of_leads(self, lead_ids: Iterable[int]) -> dict[int, str]: ...

    def orders_awaiting_accept(self, created_after: datetime, seen_after: datetime,
                               limit: int = 200) -> list[tuple[str, int]]: ...

    def assembled_without_waybill(self, since: timedelta, limit: int = 20) -> list[tuple[str, int]]: ...
    # deadlines: Kaspi's latest view of each order and the reminders decided (app/store/deadlines.py)
    def watches_of(self, codes: Iterable[str]) -> dict[str, OrderWatch]: ...

    def open_watches(self, statuses: Sequence[str], limit: int = 5000) -> list[OrderWatch]: ...

    def save_watches(self, watches: Sequence[OrderWatch]) -> None: ...

    def touch_watches(self, codes: Sequence[str], seen_at: datetime) -> None: ...

    def deadline_keys(self, codes: Iterable[str]) -> set[tuple[str, str, str]]: ...

    def deadline_events_of(self, codes: Iterable[str], kinds: Sequence[str]) -> list[DeadlineEvent]:
        """Every event of these kinds recorded for these orders, whatever its state, oldest first."""

    def add_deadline_events(self, events: Sequence[DeadlineEvent]) -> list[DeadlineEvent]:
        """Insert new events (before anything is sent); returns only those this call added."""

    def update_deadline_event(self, event: DeadlineEvent) -> None: ...

    def swap_deadline_alert(self, event_id: int, old: dict[str, str] | None, new: dict[str, str]) -> bool:
        """Compare-and-set of an event's alert deliveries (True when this call set them)."""

    def open_deadline_events(self, limit: int = 500) -> list[DeadlineEvent]: ...

    def unalerted_deadline_events(self, since: datetime, limit: int = 200) -> list[DeadlineEvent]: ...

    def recent_deadline_events(self, limit: int = 50) -> list[DeadlineEvent]: ...
