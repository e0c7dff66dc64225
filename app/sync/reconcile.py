"""Reconcile: catch what polling missed and carry Kaspi state/status changes to the deals.

Kaspi sends no change timestamps and no webhooks, so every ten minutes the last 14 days are
re-read in every state (one ≤14-day window), and orders the store still holds open beyond
that are refreshed one by one by code (no date limit on that filter). A synced order whose
state or status changed gets its state tag swapped (tags_to_delete/tags_to_add, never
clobbering tags people or other integrations set), a note recording the change, and — when
the new status is in AMO_STATUS_MAP — the lead moved to that status. Nothing changed,
nothing written.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, Sequence

from app.amo.api import LeadUpdate
from app.errors import AmoError, AmoValidationError, KaspiParseError, SyncError
from app.kaspi.models import Order
from app.store.base import OrderRecord, Store, SyncState
from app.sync.events import CycleReport, EngineObserver, OrderFailure
from app.sync.poll import plan_or_quarantine, record_for
from app.sync.ports import AmoDeals, KaspiOrders
from app.sync.writer import FATAL, CycleAborted, WorkItem, chunks

log = logging.getLogger(__name__)

RECENT = timedelta(days=14)
#: COMPLETED orders can still be returned for a while after receipt; keep watching them.
RETURNS_WINDOW = timedelta(days=30)
FINAL_STATUSES = frozenset({"CANCELLED", "RETURNED"})
CHANGE_IN_PROGRESS = "Смена статуса в amoCRM не завершена, будет повторена:"

STATE_NAMES = {
    "NEW": "новый",
    "SIGN_REQUIRED": "на подписании",
    "PICKUP": "самовывоз",
    "DELIVERY": "доставка продавцом",
    "KASPI_DELIVERY": "Kaspi Доставка",
    "ARCHIVE": "архив",
}
STATUS_NAMES = {
    "APPROVED_BY_BANK": "одобрен банком",
    "ACCEPTED_BY_MERCHANT": "принят",
    "COMPLETED": "выдан",
    "CANCELLED": "отменён",
    "CANCELLING": "ожидает отмены",
    "KASPI_DELIVERY_RETURN_REQUESTED": "запрошен возврат",
    "RETURNED": "возвращён",
}


def is_open(record: OrderRecord, now: datetime) -> bool:
    """Whether Kaspi may still change this order (so reconcile must keep refreshing it)."""
    if record.kaspi_status in FINAL_STATUSES:
        return False
    if record.kaspi_status == "COMPLETED" and record.order_created_at and now - record.order_created_at > RETURNS_WINDOW:
        return False
    return True


def change_note(code: str, old_state: str | None, old_status: str | None, order: Order, moved_to: int | None) -> str:
    def label(state: str | None, status: str | None) -> str:
        return f"{STATE_NAMES.get(state or '', state or '?')} / {STATUS_NAMES.get(status or '', status or '?')}"

    lines = [
        f"Заказ Kaspi #{code}: статус изменился",
        f"Было: {label(old_state, old_status)} ({old_state}/{old_status})",
        f"Стало: {label(order.state, order.status)} ({order.state}/{order.status})",
    ]
    if order.cancellation_reason:
        lines.append(f"Причина отмены: {order.cancellation_reason}")
    if moved_to is not None:
        lines.append(f"Сделка переведена в этап {moved_to}.")
    return "\n".join(lines)


@dataclass
class Change:
    order: Order
    record: OrderRecord
    old_state: str | None
    old_status: str | None
    status_id: int | None


class Reconciler:
    def __init__(
        self,
        kaspi: KaspiOrders,
        api: AmoDeals,
        store: Store,
        report: CycleReport,
        observer: EngineObserver,
        *,
        allowed_states: Sequence[str],
        status_map: dict[str, int],
        now: Callable[[], datetime],
        dry_run: bool,
        stop: threading.Event,
    ) -> None:
        self.kaspi = kaspi
        self.api = api
        self.store = store
        self.report = report
        self.observer = observer
        self.allowed = set(allowed_states)
        self.status_map = status_map
        self.now = now
        self.dry_run = dry_run
        self.stop = stop

    def read(self) -> tuple[list[WorkItem], list[Change]]:
        """Kaspi's view of recent and still-open orders, split into missed orders and changes."""
        now = self.now()
        bad: list[KaspiParseError] = []
        orders: dict[str, Order] = {}
        for order in self.kaspi.iter_orders(now - RECENT, now, states=None, include_entries=True, on_bad_order=bad.append):
            orders.setdefault(order.code, order)
        records = self.store.get_orders(orders.keys())
        for record in self.store.orders_in_states((SyncState.DONE,)):
            if record.code in orders or not is_open(record, now):
                continue
            try:
                order = self.kaspi.get_order(record.code, include_entries=False)
            except KaspiParseError as exc:
                bad.append(exc)
                continue
            if order is not None:
                orders[order.code] = order
                records[order.code] = record
        self.report.fetched = len(orders)

        missed: list[WorkItem] = []
        changes: list[Change] = []
        for code, order in orders.items():
            record = records.get(code)
            if record is None or record.sync_state in (SyncState.PENDING, SyncState.FAILED):
                if order.state in self.allowed or record is not None:
                    plan = plan_or_quarantine(order, bad)
                    if plan is None:
                        continue
                    work_record = record_for(order, record, plan.phone_masked)
                    missed.append(WorkItem(order, plan, work_record, recovered=record is not None and record.attempts > 0))
                continue
            if record.sync_state != SyncState.DONE or record.lead_id is None:
                continue
            if (order.state, order.status) == (record.kaspi_state, record.kaspi_status):
                continue
            status_id = self.status_map.get(order.status) if order.status != record.kaspi_status else None
            changes.append(Change(order, record, record.kaspi_state, record.kaspi_status, status_id))
        for error in bad:
            log.warning("reconcile skipped an unreadable order", extra={"code": error.order_code, "error": error.message})
        return missed, changes

    def apply(self, changes: list[Change]) -> None:
        """Swap tags, move leads and add a note per change, in batches; deleted leads are reported."""
        if self.dry_run:
            for change in changes:
                log.info("dry run: would update lead", extra={"code": change.order.code, "lead_id": change.record.lead_id,
                                                             "state": change.order.state, "status": change.order.status})
            return
        for chunk in chunks(changes):
            if self.stop.is_set():
                return
            try:
                self._apply_chunk(chunk)
            except FATAL as exc:
                raise CycleAborted(exc) from exc
            except AmoValidationError:
                for single in chunk:
                    try:
                        self._apply_chunk([single])
                    except FATAL as exc:
                        raise CycleAborted(exc) from exc
                    except AmoError as exc:
                        self._single_failed(single, exc)
            except AmoError as exc:
                for change in chunk:
                    self._fail(change, exc)

    def _apply_chunk(self, chunk: Sequence[Change]) -> None:
        # Intent first (like "pending" for new deals): a retry after a lost reply or a killed
        # process then knows the note may already be there and looks before adding it again.
        retried = {id(c) for c in chunk if (c.record.last_error or "").startswith(CHANGE_IN_PROGRESS)}
        for change in chunk:
            change.record.last_error = f"{CHANGE_IN_PROGRESS} {change.order.state}/{change.order.status}"
            self.store.save_order(change.record)
        updates = []
        for change in chunk:
            assert change.record.lead_id is not None
            state_changed = change.order.state != change.old_state
            updates.append(
                LeadUpdate(
                    change.record.lead_id,
                    status_id=change.status_id,
                    tags_to_add=(change.order.state,) if state_changed else (),
                    tags_to_delete=(change.old_state,) if state_changed and change.old_state else (),
                )
            )
        self.api.update_leads(updates)
        # one bulk look at the notes of retried changes (the note may have landed last time)
        existing = self.api.notes_of_leads([c.record.lead_id for c in chunk if id(c) in retried])  # type: ignore[misc]
        notes = []
        for c in chunk:
            text = change_note(c.order.code, c.old_state, c.old_status, c.order, c.status_id)
            if id(c) in retried and text in existing.get(c.record.lead_id, []):  # type: ignore[arg-type]
                continue
            notes.append((c.record.lead_id, text))
        if notes:
            self.api.add_lead_notes(notes)  # type: ignore[arg-type]
        for change in chunk:
            change.record.kaspi_state = change.order.state
            change.record.kaspi_status = change.order.status
            change.record.last_error = None
            self.store.save_order(change.record)
            self.store.bump_daily(self.now().date(), updated=1)
            self.report.updated.append((change.order.code, change.record.lead_id))  # type: ignore[arg-type]
            log.info("deal updated", extra={"code": change.order.code, "lead_id": change.record.lead_id,
                                            "state": change.order.state, "status": change.order.status})

    def _single_failed(self, change: Change, error: AmoError) -> None:
        """A lead amoCRM refuses to update may have been deleted by a person: report, never recreate."""
        try:
            lead = self.api.get_lead(change.record.lead_id)  # type: ignore[arg-type]
        except AmoError as lookup_error:
            self._fail(change, lookup_error)
            return
        if lead is None:
            text = (
                f"Заказ {change.order.code}: сделка №{change.record.lead_id} удалена в amoCRM. "
                "Заказ не будет создан заново; восстановите сделку из корзины amoCRM, если удалили её по ошибке."
            )
            change.record.sync_state = SyncState.QUARANTINED
            change.record.last_error = text
            self.store.save_order(change.record)
            failure = OrderFailure(change.order.code, text, quarantined=True)
            self.report.failed.append(failure)
            self.observer.order_failed(failure)
            log.warning("lead deleted in amoCRM", extra={"code": change.order.code, "lead_id": change.record.lead_id})
            return
        self._fail(change, error)

    def _fail(self, change: Change, error: SyncError) -> None:
        text = f"Заказ {change.order.code}: {error.title}: {error.message}"
        # keep the in-progress mark: the retry must still look for a note that may have landed
        change.record.last_error = f"{CHANGE_IN_PROGRESS} {change.order.state}/{change.order.status}. {text}"
        self.store.save_order(change.record)
        self.store.bump_daily(self.now().date(), failed=1)
        failure = OrderFailure(change.order.code, text)
        self.report.failed.append(failure)
        self.observer.order_failed(failure)
