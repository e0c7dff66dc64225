"""One poll cycle: new Kaspi orders (and unfinished ones) → amoCRM deals.

The window starts a day before the end of the last successful window (Kaspi pages leak
and orders surface late), never more than 14 days back. Orders the store already holds
as done are skipped without any amoCRM request; pending/failed ones resume where they
stopped; orders that cannot be parsed are quarantined once with a clear reason.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta

from app.errors import KaspiDuplicateCode, KaspiParseError, SyncError
from app.kaspi.models import Order
from app.store.base import OrderRecord, Store, SyncState
from app.sync.cycle import Cycle
from app.sync.events import OrderFailure
from app.sync.mapping import DealPlan, buyer_name, plan_deal, whole_tenge
from app.sync.ports import KaspiOrders
from app.sync.writer import WorkItem

log = logging.getLogger(__name__)

META_WINDOW_END = "poll_window_end"
META_INITIALIZED = "initialized_at"
META_QUARANTINED_IDS = "quarantined_kaspi_ids"


def record_for(order: Order, existing: OrderRecord | None, phone_masked: str) -> OrderRecord:
    """The store row for `order`, keeping progress of an earlier attempt."""
    record = existing or OrderRecord(code=order.code)
    record.kaspi_id = order.id
    record.kaspi_state = order.state
    record.kaspi_status = order.status
    record.order_created_at = order.created_at
    record.total_price = whole_tenge(order.total_price)
    record.buyer_name = buyer_name(order)
    record.phone_masked = phone_masked
    return record


def drop_ambiguous(orders: dict[str, Order], bad: list[KaspiParseError]) -> None:
    """Codes Kaspi gave to two different orders are not written at all (the error says why)."""
    for error in bad:
        if isinstance(error, KaspiDuplicateCode):
            orders.pop(error.order_code or "", None)


def plan_or_quarantine(order: Order, bad: list[KaspiParseError]) -> DealPlan | None:
    """The order's deal plan; an order the mapping cannot handle joins `bad` (quarantined with
    a reason) instead of failing the whole batch."""
    try:
        return plan_deal(order)
    except Exception as exc:  # noqa: BLE001 - whatever it is, it concerns this order only
        bad.append(KaspiParseError(f"Заказ {order.code}: непонятные данные заказа", order_code=order.code,
                                   order_id=order.id, detail=repr(exc)[:300]))
        return None


def poll_window(store: Store, now: datetime, *, lookback: timedelta, overlap: timedelta) -> tuple[datetime, datetime]:
    last_end = store.get_meta(META_WINDOW_END)
    start = now - lookback
    if last_end:
        try:
            # a mark in the future (left by a clock that ran ahead) must not hide today's orders
            start = max(start, min(datetime.fromisoformat(last_end), now) - overlap)
        except (ValueError, TypeError):
            log.warning("bad poll window mark in store, using full lookback")
    return start, now


def read_by_code(
    kaspi: KaspiOrders, stored: Iterable[OrderRecord], bad: list[KaspiParseError], *, include_entries: bool, kept: str
) -> Iterator[tuple[Order, OrderRecord]]:
    """Stored orders read again one by one by code (that filter has no date limit), with the
    record each belongs to. An unreadable one joins `bad`; one Kaspi does not find is not proof
    it is gone: it is logged as `kept` (what happens to its record) and asked for again next time."""
    for record in stored:
        try:
            found = kaspi.get_order(record.code, include_entries=include_entries)
        except KaspiParseError as exc:
            bad.append(exc)
            continue
        if found is None:
            log.info(kept, extra={"code": record.code})
            continue
        yield found, record


def collect_work(
    kaspi: KaspiOrders,
    cycle: Cycle,
    *,
    states: tuple[str, ...],
    start: datetime,
    end: datetime,
    retry_limit: int,
    seen: dict[str, Order] | None = None,
    every: list[Order] | None = None,
) -> list[WorkItem]:
    """Read the window and the store's unfinished orders; return what needs writing.
    `seen` (when given) receives every order read in an allowed state, done ones included:
    the two-way actions look at their status and waybill without asking Kaspi again.
    `every` (when given) receives every order read, whatever its state: the deadlines see
    from it which orders left APPROVED_BY_BANK without another Kaspi request."""
    bad: list[KaspiParseError] = []
    orders: dict[str, Order] = {}
    # One request series without a state filter (every state), filtered here: a poll with
    # nothing new then costs one Kaspi request per page instead of one per allowed state.
    allowed = set(states)
    for order in kaspi.iter_orders(start, end, states=None, include_entries=True, on_bad_order=bad.append):
        if every is not None:
            every.append(order)
        if order.state in allowed:
            orders.setdefault(order.code, order)
    drop_ambiguous(orders, bad)
    cycle.report.fetched = len(orders)
    if seen is not None:
        seen.update(orders)
    records = cycle.store.get_orders(orders.keys())

    unfinished = cycle.store.orders_in_states((SyncState.PENDING, SyncState.FAILED), limit=retry_limit)
    for found, record in read_by_code(kaspi, (r for r in unfinished if r.code not in orders), bad, include_entries=True,
                                      kept="an unfinished order is not found at Kaspi, it stays queued"):
        orders[found.code] = found
        records[found.code] = record
        if every is not None:
            every.append(found)

    work: list[WorkItem] = []
    for code, order in orders.items():
        existing = records.get(code)
        if existing and existing.sync_state == SyncState.DONE:
            continue
        if existing and existing.sync_state == SyncState.QUARANTINED and existing.lead_id is not None:
            continue  # its deal was deleted in amoCRM by a person: reported, never recreated
        # (quarantined without a lead: Kaspi sent it unreadable before and readable now: sync it)
        plan = plan_or_quarantine(order, bad)
        if plan is None:
            continue
        record = record_for(order, existing, plan.phone_masked)
        work.append(WorkItem(order, plan, record, recovered=existing is not None and existing.attempts > 0))

    for error in bad:
        _quarantine(cycle, error)
    return work


def _quarantine(cycle: Cycle, error: KaspiParseError) -> None:
    """Store (or remember) a bad order once with its reason; the rest of the batch goes on."""
    store, dry_run = cycle.store, cycle.dry_run
    code = error.order_code
    text = f"{error.title}: {error.message}"  # the message already names the order
    if code:
        existing = store.get_order(code)
        if isinstance(error, KaspiDuplicateCode) and existing and existing.sync_state == SyncState.DONE:
            # the deal exists: leave it, and report each stranger under its code once
            strangers = [i for i in error.order_ids if i != existing.kaspi_id]
            if not strangers or not _remember_id(store, strangers[0], dry_run=dry_run):
                return
        elif existing and existing.sync_state in (SyncState.QUARANTINED, SyncState.DONE):
            return  # reported once already
        elif not dry_run:
            record = existing or OrderRecord(code=code)
            record.sync_state = SyncState.QUARANTINED
            record.last_error = text
            store.save_order(record)
    elif error.order_id and not _remember_id(store, error.order_id, dry_run=dry_run):
        # no code to key a store row by: Kaspi's id is remembered so it is reported once, not every minute
        return
    failure = OrderFailure(code or f"id:{error.order_id or '?'}", text, quarantined=True, error=error)
    cycle.fail(failure)
    log.error("order quarantined", extra={"code": code, "kaspi_id": error.order_id, "error": text})


def _remember_id(store: Store, order_id: str, *, dry_run: bool) -> bool:
    """Note a Kaspi id reported as bad; False when it was reported before."""
    seen = _quarantined_ids(store)
    if order_id in seen:
        return False
    if not dry_run:
        store.set_meta(META_QUARANTINED_IDS, json.dumps(([*seen, order_id])[-200:]))
    return True


def _quarantined_ids(store: Store) -> list[str]:
    try:
        value = json.loads(store.get_meta(META_QUARANTINED_IDS) or "[]")
    except ValueError:
        return []
    return [str(v) for v in value] if isinstance(value, list) else []


def describe(error: SyncError) -> str:
    return f"{error.title}: {error.message}"
