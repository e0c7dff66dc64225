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

import dataclasses
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from app.amo.api import LeadUpdate
from app.errors import AmoError, AmoValidationError, KaspiParseError, SyncError
from app.kaspi.models import Order
from app.store.base import OrderRecord, SyncState
from app.sync.cycle import Cycle
from app.sync.events import OrderFailure
from app.sync.poll import drop_ambiguous, plan_or_quarantine, read_by_code, record_for
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
    returns_closed = (
        record.kaspi_status == "COMPLETED"
        and record.order_created_at is not None
        and now - record.order_created_at > RETURNS_WINDOW
    )
    return not returns_closed


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


Step = tuple[str, str]  # a Kaspi (state, status)
_STEP = re.compile(r"[A-Z_]+/[A-Z_]+")


def pending_steps(record: OrderRecord) -> list[Step]:
    """The Kaspi (state, status) steps an interrupted reconcile was carrying to this deal, oldest
    first (from its in-progress mark), so the next run finishes them instead of forgetting them."""
    text = record.last_error or ""
    if not text.startswith(CHANGE_IN_PROGRESS):
        return []
    head = text[len(CHANGE_IN_PROGRESS):].split(".", 1)[0]
    return [(state, status) for state, status in (t.split("/", 1) for t in head.split() if _STEP.fullmatch(t))]


def change_steps(record: OrderRecord, order: Order) -> list[Step]:
    """Every step from the store's (state, status) to the order's current one: the interrupted
    ones first, then the current one; [] when the deal already shows the current state."""
    old = (record.kaspi_state or "", record.kaspi_status or "")
    steps: list[Step] = []
    for step in [*pending_steps(record), (order.state, order.status)]:
        if step != (steps[-1] if steps else old):
            steps.append(step)
    return steps


def noted(texts: Sequence[str], old: Step, new: Step) -> bool:
    """Whether one of the lead's notes already records old → new (its «Было»/«Стало» lines)."""
    was, now = f"({old[0]}/{old[1]})", f"({new[0]}/{new[1]})"
    for text in texts:
        lines = text.splitlines()
        if len(lines) >= 3 and "статус изменился" in lines[0] and lines[1].endswith(was) and lines[2].endswith(now):
            return True
    return False


@dataclass
class Change:
    order: Order
    record: OrderRecord
    old_state: str | None
    old_status: str | None
    status_id: int | None
    steps: list[Step] = field(default_factory=list)  # every step to carry, the order's current one last

    @property
    def interrupted(self) -> bool:
        """An earlier run recorded this change and may have applied part of it."""
        return bool(pending_steps(self.record))

    def mark(self) -> str:
        """The in-progress mark saved before any write: it names every step still to carry."""
        return f"{CHANGE_IN_PROGRESS} " + " ".join(f"{state}/{status}" for state, status in self.steps)


@dataclass
class Reconciler:
    """One reconcile cycle's read of Kaspi and the changes it carries to the deals."""

    cycle: Cycle
    kaspi: KaspiOrders
    api: AmoDeals
    allowed_states: frozenset[str]  # a missed order in another state gets no deal
    status_map: dict[str, int]  # Kaspi status → the amoCRM stage its deal moves to
    # every order read (the deadlines refresh their view from it)
    seen: list[Order] = field(default_factory=list, init=False)

    def read(self) -> tuple[list[WorkItem], list[Change]]:
        """Kaspi's view of recent and still-open orders, split into missed orders and changes."""
        now = self.cycle.now()
        bad: list[KaspiParseError] = []
        orders: dict[str, Order] = {}
        for order in self.kaspi.iter_orders(now - RECENT, now, states=None, include_entries=True, on_bad_order=bad.append):
            orders.setdefault(order.code, order)
        drop_ambiguous(orders, bad)
        records = self.cycle.store.get_orders(orders.keys())
        done = self.cycle.store.orders_in_states((SyncState.DONE,))
        still_open = (r for r in done if r.code not in orders and is_open(r, now))
        for found, record in read_by_code(self.kaspi, still_open, bad, include_entries=False,
                                          kept="an open order is not found at Kaspi, left as it is"):
            orders[found.code] = found
            records[found.code] = record
        self.cycle.report.fetched = len(orders)
        self.seen = list(orders.values())

        missed: list[WorkItem] = []
        changes: list[Change] = []
        for code, order in orders.items():
            stored = records.get(code)
            if stored is None or stored.sync_state in (SyncState.PENDING, SyncState.FAILED):
                if order.state in self.allowed_states or stored is not None:
                    plan = plan_or_quarantine(order, bad)
                    if plan is None:
                        continue
                    work_record = record_for(order, stored, plan.phone_masked)
                    missed.append(WorkItem(order, plan, work_record, recovered=stored is not None and stored.attempts > 0))
                continue
            if stored.sync_state != SyncState.DONE or stored.lead_id is None:
                continue
            steps = change_steps(stored, order)
            if not steps:
                continue
            moved = any(status != stored.kaspi_status for _state, status in steps)
            status_id = self.status_map.get(order.status) if moved else None
            changes.append(Change(order, stored, stored.kaspi_state, stored.kaspi_status, status_id, steps))
        for error in bad:
            log.warning("reconcile skipped an unreadable order", extra={"code": error.order_code, "error": error.message})
        return missed, changes

    def apply(self, changes: list[Change]) -> None:
        """Swap tags, move leads and add a note per change, in batches; deleted leads are reported."""
        if self.cycle.dry_run:
            for change in changes:
                log.info("dry run: would update lead", extra={"code": change.order.code, "lead_id": change.record.lead_id,
                                                             "state": change.order.state, "status": change.order.status})
            return
        for chunk in chunks(changes):
            if self.cycle.stop.is_set():
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
        # Intent first (like "pending" for new deals), naming every step still to carry: a retry
        # after a lost reply or a killed process knows what may already be in amoCRM, finishes
        # it, and looks at the notes before adding one.
        for change in chunk:
            change.record.last_error = change.mark()
            self.cycle.store.save_order(change.record)
        retried = [c for c in chunk if len(c.steps) > 1 or c.interrupted]
        self.api.update_leads([self._update(c, self._stale_state_tags(c)) for c in chunk])
        # one bulk look at the notes of retried changes (a note may have landed last time)
        existing = self.api.notes_of_leads([c.record.lead_id for c in retried])  # type: ignore[misc]
        notes = []
        for c in chunk:
            assert c.record.lead_id is not None
            texts = existing.get(c.record.lead_id, [])
            for old, new, text in self._step_notes(c):
                if not (c in retried and noted(texts, old, new)):
                    notes.append((c.record.lead_id, text))
        if notes:
            self.api.add_lead_notes(notes)
        for change in chunk:
            change.record.kaspi_state = change.order.state
            change.record.kaspi_status = change.order.status
            change.record.last_error = None
            self.cycle.store.save_order(change.record)
            self.cycle.store.bump_daily(self.cycle.now().date(), updated=1)
            self.cycle.report.updated.append((change.order.code, change.record.lead_id))  # type: ignore[arg-type]
            log.info("deal updated", extra={"code": change.order.code, "lead_id": change.record.lead_id,
                                            "state": change.order.state, "status": change.order.status})

    def _stale_state_tags(self, change: Change) -> tuple[str, ...]:
        """State tags to take off the deal: the old one, and after an interrupted change every
        Kaspi state tag the deal carries but the current one (read from amoCRM, so only tags
        that are there are named)."""
        current = change.order.state
        if len(change.steps) == 1 and not change.interrupted:
            return (change.old_state,) if change.old_state and change.old_state != current else ()
        lead = self.api.get_lead(change.record.lead_id)  # type: ignore[arg-type]
        if lead is not None:
            return tuple(sorted(t for t in lead.tags if t in STATE_NAMES and t != current))
        candidates = {change.old_state or "", *(state for state, _status in change.steps)}
        return tuple(sorted(t for t in candidates if t and t != current))

    def _update(self, change: Change, stale: tuple[str, ...]) -> LeadUpdate:
        assert change.record.lead_id is not None
        add = (change.order.state,) if stale or change.order.state != change.old_state else ()
        return LeadUpdate(change.record.lead_id, status_id=change.status_id, tags_to_add=add, tags_to_delete=stale)

    def _step_notes(self, change: Change) -> list[tuple[Step, Step, str]]:
        """(old, new, note text) for each step: an interrupted run's intermediate steps get their
        own note, so the deal's history shows every state Kaspi went through."""
        out = []
        previous: Step = (change.old_state or "", change.old_status or "")
        for step in change.steps:
            last = step == change.steps[-1]
            shown = change.order if last else dataclasses.replace(
                change.order, state=step[0], status=step[1], cancellation_reason=None)
            moved_to = change.status_id if last else None
            out.append((previous, step, change_note(change.order.code, previous[0], previous[1], shown, moved_to)))
            previous = step
        return out

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
            self.cycle.store.save_order(change.record)
            failure = OrderFailure(change.order.code, text, quarantined=True)
            self.cycle.fail(failure)
            log.warning("lead deleted in amoCRM", extra={"code": change.order.code, "lead_id": change.record.lead_id})
            return
        self._fail(change, error)

    def _fail(self, change: Change, error: SyncError) -> None:
        text = f"Заказ {change.order.code}: {error.title}: {error.message}"
        # keep the in-progress mark: the retry must still look for a note that may have landed
        change.record.last_error = f"{change.mark()}. {text}"
        self.cycle.store.save_order(change.record)
        self.cycle.store.bump_daily(self.cycle.now().date(), failed=1)
        failure = OrderFailure(change.order.code, text, error=error)
        self.cycle.fail(failure)
