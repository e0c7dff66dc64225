"""Deadlines in a cycle: keep the store's view of Kaspi's orders, decide what is due, and put
each reminder on its deal exactly once.

Cost: the orders a poll or reconcile read anyway refresh the view (no extra Kaspi request),
and what is due is decided from the store, so a cycle with nothing due asks amoCRM nothing.
Only a due reminder costs requests: a re-read of its order when the view is older than a few
minutes (Kaspi), the deals' responsible users (one GET per 250 deals) and one POST per 50
tasks (amoCRM).

Exactly once: each reminder is recorded (`planned`) before anything is sent, under a unique
(order, kind, key); it is marked `sending` before its request leaves and `done` with the
task id after. A reminder found `sending` (the process died, or the answer was lost) is
looked up among its deal's tasks by its text before it is ever sent again.

A handover Kaspi moved gets a note and, when its «Собрать заказ» task was made earlier, a
task move (HANDOVER_RETIMED, once per new date): the task is read first (one GET per 50
deals) and patched only when it is open and not already at the new time (one PATCH per 50
tasks). A PATCH sets fixed values and creates nothing, so a lost reply or a killed run ends
in the same read-then-patch at the next cycle, never in a second task.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from app.amo.tasks import Task, TaskChange, TaskDraft
from app.errors import (
    AmoError,
    AmoNotFound,
    AmoRateLimited,
    AmoValidationError,
    KaspiError,
    SyncError,
)
from app.kaspi.models import Order
from app.store.deadline_records import (
    ACCEPT,
    DONE,
    DROPPED,
    HANDOVER,
    HANDOVER_MOVED,
    HANDOVER_RETIMED,
    OPEN_STATES,
    PICKUP_REMINDER,
    PLANNED,
    SENDING,
    DeadlineEvent,
    OrderWatch,
)
from app.sync.cycle import Cycle
from app.sync.deadlines import (
    ACCEPTED,
    APPROVED,
    WATCHED_STATUSES,
    DeadlineRules,
    Due,
    awaiting_handover,
    due,
    handover_moved,
    moved_note,
    observe,
    retimed_task,
    same_facts,
    wanted_moves,
)
from app.sync.events import OrderFailure
from app.sync.ports import KaspiOrders
from app.sync.writer import FATAL, CycleAborted

log = logging.getLogger(__name__)

#: A view older than this is re-read from Kaspi (by code) before a task is created from it.
STALE_AFTER = timedelta(minutes=3)
KIND_NAMES = {ACCEPT: "принять заказ", HANDOVER: "собрать заказ", PICKUP_REMINDER: "напомнить о самовывозе",
              HANDOVER_MOVED: "перенос передачи", HANDOVER_RETIMED: "собрать заказ"}


def maybe_applied(error: AmoError) -> bool:
    """Whether a failed write may still have been applied (then it is looked up, never resent
    blindly): only answers that prove the contrary say no."""
    if isinstance(error, (AmoRateLimited, AmoNotFound, AmoValidationError, *FATAL)):
        return False
    return bool(getattr(error, "maybe_applied", True))


class TaskBoard(Protocol):
    """The amoCRM side of deadlines (implemented by app.amo.tasks.AmoTasks)."""

    def create_tasks(self, drafts: Sequence[TaskDraft]) -> list[int]: ...

    def update_tasks(self, changes: Sequence[TaskChange]) -> list[int]: ...

    def tasks_of_leads(self, lead_ids: Sequence[int]) -> dict[int, list[Task]]: ...

    def responsible_users(self, lead_ids: Sequence[int]) -> dict[int, int | None]: ...


class NoteBoard(Protocol):
    """Notes on deals (app.amo.api.AmoApi), for a moved handover."""

    def add_lead_notes(self, notes: Sequence[tuple[int, str]]) -> list[int]: ...

    def notes_of_leads(self, lead_ids: Sequence[int]) -> dict[int, list[str]]: ...


@dataclass(frozen=True)
class DeadlineSettings:
    rules: DeadlineRules = field(default_factory=DeadlineRules)
    stale_after: timedelta = STALE_AFTER


def still_due(event: DeadlineEvent, watch: OrderWatch | None) -> bool:
    """Whether the reminder still makes sense now (the order may have moved on meanwhile)."""
    if event.kind == HANDOVER_MOVED:
        return True
    if watch is None:
        return False
    if event.kind == ACCEPT:
        return watch.status == APPROVED
    if event.kind in (HANDOVER, HANDOVER_RETIMED):
        return awaiting_handover(watch)
    return watch.status == ACCEPTED


@dataclass
class DeadlineRunner:
    """One cycle's deadline work; built by the engine per cycle."""

    cycle: Cycle
    kaspi: KaspiOrders
    board: TaskBoard
    notes: NoteBoard
    settings: DeadlineSettings
    _dry_watches: dict[str, OrderWatch] = field(default_factory=dict, init=False)  # DRY_RUN: the view in memory

    # --- the view ---------------------------------------------------------------------------

    def observe(self, orders: Sequence[Order], read_at: datetime | None = None) -> list[Due]:
        """Refresh the watches of the orders the store holds from what Kaspi showed at
        `read_at` (default: now); returns the notes due for handovers Kaspi moved."""
        if not orders:
            return []
        now = read_at or self.cycle.now()
        latest = {order.code: order for order in orders}
        held = set(self.cycle.store.get_orders(latest))
        previous = self.cycle.store.watches_of(held)
        changed: list[OrderWatch] = []
        unchanged: list[str] = []
        moved: list[Due] = []
        for code in held:
            before = previous.get(code)
            after = observe(before, latest[code], now)
            if handover_moved(before, after):
                assert before is not None
                moved.extend((moved_note(before, after), retimed_task(after)))
            if before is not None and same_facts(before, after):
                unchanged.append(code)
            else:
                changed.append(after)
        if self.cycle.dry_run:
            self._dry_watches.update({w.code: w for w in changed})
            return moved
        self.cycle.store.save_watches(changed)
        if unchanged:
            self.cycle.store.touch_watches(sorted(unchanged), now)
        return moved

    # --- the cycle --------------------------------------------------------------------------

    def run(self, moved: Sequence[Due] = ()) -> None:
        """Recover reminders a previous run left open, decide new ones, send what can go."""
        open_events = [] if self.cycle.dry_run else self.cycle.store.open_deadline_events()
        decided = self._decide(list(moved))
        if self.cycle.dry_run:
            for item in decided:
                log.info("dry run: would create (or move) a deadline task or note",
                         extra={"code": item.code, "kind": item.kind})
            return
        if not open_events and not decided:
            return  # nothing due: no amoCRM request at all
        added = self.cycle.store.add_deadline_events([self._event(item) for item in decided])
        for event in added:
            log.info("deadline reminder recorded", extra={"code": event.order_code, "kind": event.kind})
        retimes = [e for e in [*open_events, *added] if e.kind == HANDOVER_RETIMED]
        open_events = [e for e in open_events if e.kind != HANDOVER_RETIMED]
        events = self._recover([e for e in open_events if e.state == SENDING]) + \
            [e for e in open_events if e.state == PLANNED] + [e for e in added if e.kind != HANDOVER_RETIMED]
        self._send(events)
        if retimes:
            self._retime(retimes)

    def _decide(self, moved: list[Due]) -> list[Due]:
        watches = {w.code: w for w in self.cycle.store.open_watches(WATCHED_STATUSES)}
        watches.update({c: w for c, w in self._dry_watches.items() if w.status in WATCHED_STATUSES})
        codes = set(watches) | {m.code for m in moved}
        done = self.cycle.store.deadline_keys(codes) if codes else set()
        now = self.cycle.now()
        found = due(watches.values(), done, now, self.settings.rules)
        stale = self._doubtful({item.code: watches[item.code] for item in found}, now)
        if stale:
            found = [item for item in found if item.code not in stale] + self._reread(stale, done)
        return found + wanted_moves(moved, done)

    def _doubtful(self, watches: dict[str, OrderWatch], now: datetime) -> set[str]:
        """Views not to make a task from without reading Kaspi again: older than a few minutes,
        contradicted by the order's row (another part of the program saw a newer status), or
        older than a Kaspi write the two-way actions made on the order."""
        if not watches:
            return set()
        records = self.cycle.store.get_orders(watches)
        actions = self.cycle.store.actions_of(watches)
        doubtful = set()
        for code, watch in watches.items():
            seen = watch.seen_at
            record = records.get(code)
            wrote = [a.updated_at for a in actions.get(code, []) if a.state in ("sent", "done") and a.updated_at]
            if (seen is None or now - seen > self.settings.stale_after
                    or (record is not None and record.kaspi_status not in (None, watch.status))
                    or any(when >= seen for when in wrote)):
                doubtful.add(code)
        return doubtful

    def _reread(self, codes: set[str], done: set[tuple[str, str, str]]) -> list[Due]:
        """Orders whose view is old are read again (by code) before a task is made from it."""
        orders: list[Order] = []
        for code in sorted(codes):
            try:
                order = self.kaspi.get_order(code, include_entries=False)
            except KaspiError as exc:
                log.warning("deadline re-read failed; using the stored view",
                            extra={"code": code, "error": exc.message})
                continue
            if order is not None:
                orders.append(order)
        self.observe(orders)
        fresh = self.cycle.store.watches_of(codes) if not self.cycle.dry_run else {}
        fresh.update({c: w for c, w in self._dry_watches.items() if c in codes})
        return due(fresh.values(), done, self.cycle.now(), self.settings.rules)

    def _event(self, item: Due) -> DeadlineEvent:
        return DeadlineEvent(item.code, item.kind, key=item.key, text=item.text, due_at=item.complete_till,
                             alert={} if item.alert else None)

    # --- recovery ---------------------------------------------------------------------------

    def _recover(self, events: list[DeadlineEvent]) -> list[DeadlineEvent]:
        """Reminders whose request may have reached amoCRM: the ones found there are done,
        the rest go back to planned (sent again below)."""
        with_lead = [e for e in events if e.lead_id is not None]
        if not with_lead:
            return events
        tasks_by_lead: dict[int, list[Task]] = {}
        notes_by_lead: dict[int, list[str]] = {}
        task_leads = sorted({e.lead_id for e in with_lead if e.kind != HANDOVER_MOVED and e.lead_id is not None})
        note_leads = sorted({e.lead_id for e in with_lead if e.kind == HANDOVER_MOVED and e.lead_id is not None})
        try:
            if task_leads:
                tasks_by_lead = self.board.tasks_of_leads(task_leads)
            if note_leads:
                notes_by_lead = self.notes.notes_of_leads(note_leads)
        except FATAL as exc:
            raise CycleAborted(exc) from exc
        except AmoError as exc:
            log.warning("could not look up deadline tasks; retrying next cycle", extra={"error": exc.message})
            return [e for e in events if e.lead_id is None]
        for event in with_lead:
            assert event.lead_id is not None
            if event.kind == HANDOVER_MOVED:
                found: int | None = 0 if event.text in notes_by_lead.get(event.lead_id, []) else None
            else:
                found = next((t.id for t in tasks_by_lead.get(event.lead_id, []) if t.text == event.text), None)
            if found is not None:
                event.state, event.task_id, event.error = DONE, found or None, None
                self.cycle.store.update_deadline_event(event)
                log.info("deadline task found after a lost answer", extra={"code": event.order_code})
            else:
                event.state = PLANNED
                self.cycle.store.update_deadline_event(event)
        return [e for e in events if e.state == PLANNED]

    # --- sending ----------------------------------------------------------------------------

    def _send(self, events: list[DeadlineEvent]) -> None:
        codes = sorted({e.order_code for e in events})
        records = self.cycle.store.get_orders(codes)
        watches = self.cycle.store.watches_of(codes)
        ready: list[DeadlineEvent] = []
        for event in events:
            record = records.get(event.order_code)
            if event.lead_id is None and record is not None and record.lead_id is not None:
                event.lead_id = record.lead_id
                self.cycle.store.update_deadline_event(event)
            if not still_due(event, watches.get(event.order_code)):
                self._drop(event, "заказ уже не ждёт этого действия")
            elif event.lead_id is not None:
                ready.append(event)
            # no deal yet (amoCRM was down when the order came): the task waits for it
        tasks = [e for e in ready if e.kind != HANDOVER_MOVED]
        notes = [e for e in ready if e.kind == HANDOVER_MOVED]
        if tasks:
            self._send_tasks(tasks)
        if notes:
            self._send_notes(notes)

    def _drop(self, event: DeadlineEvent, why: str) -> None:
        event.state, event.error = DROPPED, why
        self.cycle.store.update_deadline_event(event)
        log.info("deadline reminder dropped", extra={"code": event.order_code, "kind": event.kind, "why": why})

    def _send_tasks(self, events: list[DeadlineEvent]) -> None:
        try:
            owners = self.board.responsible_users(sorted({e.lead_id for e in events if e.lead_id is not None}))
        except FATAL as exc:
            raise CycleAborted(exc) from exc
        except AmoError as exc:
            for event in events:
                self._failed(event, exc)
            return
        live = []
        for event in events:
            if event.lead_id not in owners:
                self._drop(event, f"сделка №{event.lead_id} удалена в amoCRM")
            else:
                live.append(event)
        for start in range(0, len(live), 50):
            self._send_chunk(live[start : start + 50], owners)

    def _send_chunk(self, chunk: list[DeadlineEvent], owners: dict[int, int | None]) -> None:
        drafts = []
        for event in chunk:
            assert event.lead_id is not None and event.id is not None and event.due_at is not None
            drafts.append(TaskDraft(event.lead_id, event.text, int(event.due_at.timestamp()), f"d{event.id}",
                                    owners.get(event.lead_id)))

        def refused(exc: AmoValidationError) -> None:
            if len(chunk) > 1:  # one bad reminder must not hold up the others
                for event in chunk:
                    self._send_chunk([event], owners)
                return
            self._drop(chunk[0], f"amoCRM не принял задачу: {exc.message}")
            self._fail_line(chunk[0], exc, retried=False)

        ids = self._deliver(chunk, lambda: self.board.create_tasks(drafts), refused=refused)
        if ids is None:
            return
        for event, task_id in zip(chunk, ids, strict=True):
            self.cycle.report.tasks.append((event.order_code, event.kind, task_id))
            log.info("deadline task created", extra={"code": event.order_code, "kind": event.kind, "task_id": task_id})

    def _send_notes(self, events: list[DeadlineEvent]) -> None:
        self._deliver(events, lambda: self.notes.add_lead_notes([(e.lead_id, e.text) for e in events
                                                                 if e.lead_id is not None]))

    def _deliver(self, events: list[DeadlineEvent], send: Callable[[], list[int]], *,
                 refused: Callable[[AmoValidationError], None] | None = None) -> list[int] | None:
        """One request for `events` (tasks or notes), exactly once: each is marked `sending` before
        it leaves and `done` with amoCRM's id after; an answer proving nothing was made puts them
        back to `planned`, any other failure leaves them `sending`, to be looked up before a resend.
        Returns the ids, or None when the request failed (`refused` handles invalid ones, if given)."""
        for event in events:
            event.state = SENDING
            event.attempts += 1
            self.cycle.store.update_deadline_event(event)
        try:
            ids = send()
        except FATAL as exc:
            self._unsent(events, exc)
            raise CycleAborted(exc) from exc
        except AmoError as exc:
            if refused is not None and isinstance(exc, AmoValidationError):
                refused(exc)
                return None
            if not maybe_applied(exc):
                self._unsent(events, exc)
            for event in events:
                self._fail_line(event, exc)
            return None
        for event, made in zip(events, ids, strict=True):
            event.state, event.task_id, event.error = DONE, made, None
            self.cycle.store.update_deadline_event(event)
        return ids

    # --- a moved handover: its task follows -----------------------------------------------------

    def _retime(self, events: list[DeadlineEvent]) -> None:
        """Move each order's handover task to the newest date Kaspi gave (older moves are
        superseded), once its task exists: read it, then patch it only if it needs it."""
        codes = sorted({e.order_code for e in events})
        history = self.cycle.store.deadline_events_of(codes, (HANDOVER, HANDOVER_RETIMED))
        task_of = {e.order_code: e for e in history if e.kind == HANDOVER}
        watches = self.cycle.store.watches_of(codes)
        newest: dict[str, DeadlineEvent] = {}
        for event in sorted(events, key=lambda e: e.id or 0):
            older = newest.get(event.order_code)
            if older is not None:
                self._drop(older, "Kaspi перенёс передачу ещё раз")
            newest[event.order_code] = event
        ready: list[tuple[DeadlineEvent, DeadlineEvent]] = []  # (the move, the task's reminder)
        for code, event in newest.items():
            task = task_of.get(code)
            if not still_due(event, watches.get(code)):
                self._drop(event, "заказ уже не ждёт передачи")
            elif task is None or task.state == DROPPED or (task.state == DONE and task.task_id is None):
                self._drop(event, "задачи «Собрать заказ» нет")
            elif task.state in OPEN_STATES:
                continue  # the task itself is not settled yet: moved once it is
            else:
                ready.append((event, task))
        if not ready:
            return
        try:
            found = self.board.tasks_of_leads(sorted({t.lead_id for _, t in ready if t.lead_id is not None}))
        except FATAL as exc:
            raise CycleAborted(exc) from exc
        except AmoError as exc:
            for event, _task in ready:
                self._failed(event, exc)
            return
        by_id = {t.id: t for tasks in found.values() for t in tasks}
        ours: dict[str, set[str]] = {}  # every text this program gave (or may have given) the task
        for item in history:
            ours.setdefault(item.order_code, set()).add(item.text)
        changes: list[tuple[DeadlineEvent, TaskChange]] = []
        for event, task in ready:
            assert task.task_id is not None
            change = self._task_change(event, by_id.get(task.task_id), ours.get(event.order_code, set()))
            if change is not None:
                changes.append((event, change))
        for start in range(0, len(changes), 50):
            chunk = changes[start : start + 50]
            self._deliver([e for e, _ in chunk], functools.partial(self.board.update_tasks, [c for _, c in chunk]),
                          refused=functools.partial(self._refused_all, [e for e, _ in chunk]))

    def _task_change(self, event: DeadlineEvent, task: Task | None, ours: set[str]) -> TaskChange | None:
        """What the task needs, or None when nothing is to be sent (the event is settled here).
        A text the manager rewrote keeps their words; only the date moves."""
        assert event.due_at is not None
        if task is None:
            self._drop(event, "задача «Собрать заказ» удалена в amoCRM")
            return None
        if task.is_completed:
            self._drop(event, "задача «Собрать заказ» уже закрыта в amoCRM")
            return None
        till = int(event.due_at.timestamp())
        text = event.text if task.text in ours else None
        if task.complete_till == till and (text is None or task.text == text):
            event.state, event.task_id, event.error = DONE, task.id, None  # already there (a lost reply)
            self.cycle.store.update_deadline_event(event)
            return None
        return TaskChange(task.id, till, text)

    def _refused_all(self, events: list[DeadlineEvent], exc: AmoValidationError) -> None:
        for event in events:
            self._drop(event, f"amoCRM не принял изменение задачи: {exc.message}")
            self._fail_line(event, exc, retried=False)

    def _unsent(self, events: list[DeadlineEvent], error: SyncError) -> None:
        """amoCRM answered with a refusal: nothing was created, the reminder goes again later."""
        for event in events:
            event.state, event.error = PLANNED, error.message[:300]
            self.cycle.store.update_deadline_event(event)

    def _failed(self, event: DeadlineEvent, error: SyncError) -> None:
        event.error = error.message[:300]
        self.cycle.store.update_deadline_event(event)
        self._fail_line(event, error)

    def _fail_line(self, event: DeadlineEvent, error: SyncError, *, retried: bool = True) -> None:
        what = KIND_NAMES.get(event.kind, event.kind)
        if event.kind == HANDOVER_RETIMED:
            again = "; программа повторит перенос и не изменит задачу дважды." if retried else "."
            self.cycle.fail(OrderFailure(event.order_code, f"Заказ {event.order_code}: срок задачи «{what}» "
                                         f"не перенесён в amoCRM: {error.title}: {error.message}{again}"))
            return
        if not retried:
            text = f"Заказ {event.order_code}: amoCRM не принял задачу «{what}»: {error.title}: {error.message}"
        elif isinstance(error, AmoError) and maybe_applied(error):
            text = (f"Заказ {event.order_code}: amoCRM не ответил на создание задачи «{what}»; программа "
                    "проверит, появилась ли задача, и не создаст её дважды.")
        else:
            text = (f"Заказ {event.order_code}: задача «{what}» не создана в amoCRM и будет повторена: "
                    f"{error.title}: {error.message}")
        failure = OrderFailure(event.order_code, text)
        self.cycle.fail(failure)
