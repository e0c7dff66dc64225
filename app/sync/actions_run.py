"""Runs the two-way actions inside a poll cycle: deal changes → queued Kaspi writes → notes.

Order of work, each step safe to stop after:
1. notes and deal moves an earlier cycle could not deliver;
2. deal changes since the last look (one amoCRM request when nothing changed) become
   `planned` actions in the store — before anything is sent;
3. auto-accept plans an accept for every new order in APPROVED_BY_BANK that has its deal;
4. every open action (planned, or sent by a run that crashed or lost Kaspi's reply) is
   settled: the order is re-read, then the write is sent only when Kaspi's status allows
   it, or counted done when Kaspi already shows it (app.sync.actions_plan.decide);
5. waybill notes for Kaspi Delivery orders whose waybill Kaspi has formed;
6. one batch of notes (and stage moves of completed deals) for everything that happened.

Reconcile adds only step 5 (`note_waybills`) over its own 14-day read: the poll sees an
order only in its window, so a waybill formed a day or more after the order reaches its deal
there, while the order still waits for the courier.

With every action off nothing here runs and amoCRM is not asked anything. A missing or
refused merchant ID pauses the writes (one clear error per cycle) while new orders keep
syncing; DRY_RUN reads and prints what it would send, and writes nothing anywhere.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from app.amo.api import LeadUpdate
from app.amo.deals import CODE_FIELD, PLACES_FIELD, DealState, LeadEvent
from app.errors import (
    AmoError,
    KaspiError,
    KaspiMerchantError,
    KaspiRefused,
    KaspiUnavailable,
    KaspiWriteUncertain,
    SyncError,
)
from app.kaspi.actions import WriteResult, merchant_missing
from app.kaspi.models import Order
from app.store.action_records import ActionRecord, DealSeen
from app.sync import action_texts as texts
from app.sync.actions_plan import (
    LOST_STATUS_ID,
    ActionSettings,
    DealView,
    Intent,
    Kind,
    Past,
    SeenDeal,
    State,
    auto_accept_intent,
    code_hash,
    decide,
    plan_deal,
)
from app.sync.cycle import Cycle
from app.sync.events import OrderFailure
from app.sync.ports import AmoDeals, DealFeedPort, KaspiOrders, KaspiWrites

log = logging.getLogger(__name__)

META_EVENTS_SINCE = "actions_events_since"  # unix seconds of amoCRM's newest event seen
META_EVENTS_SEEN = "actions_events_seen"  # JSON ids of the events of that second already handled
META_PAUSED = "actions_paused"  # JSON {merchant, since, message}: Kaspi refused the merchant ID
META_FIELDS = "actions_lead_fields"  # JSON {name: id, "checked": iso}
META_REASONS = "actions_loss_reasons"  # JSON {"names": {id: name}, "checked": iso}
META_AUTO_SINCE = "actions_auto_accept_since"  # iso: auto-accept is for orders first seen after this

PAUSE_PROBE = timedelta(hours=1)  # a paused merchant ID is tried again after this long
CACHE_TTL = timedelta(days=1)  # lead field ids and loss reason names are re-read daily
AUTO_ACCEPT_WINDOW = timedelta(days=1)  # older unaccepted orders Kaspi has cancelled already
WAYBILL_WINDOW = timedelta(days=3)
FIRST_LOOK_BACK = 60  # seconds before "now" the very first look starts (clock skew)


class _Stop(Exception):
    """Kaspi is unreachable or refuses the merchant ID: no further write this cycle."""


def _past(records: Sequence[ActionRecord]) -> list[Past]:
    return [Past(Kind(r.kind), State(r.state), r.params.get("code_hash")) for r in records]


def _record(intent: Intent) -> ActionRecord:
    params: dict[str, Any] = {}
    if intent.places is not None:
        params["places"] = intent.places
    if intent.reason:
        params["reason"] = intent.reason
    if intent.code_hash:
        params["code_hash"] = intent.code_hash
    return ActionRecord(intent.order_code, intent.lead_id, str(intent.kind), intent.trigger, params)


@dataclass
class ActionRunner:
    """One poll cycle's two-way actions; built by the engine per cycle."""

    cycle: Cycle
    kaspi: KaspiOrders
    writes: KaspiWrites | None
    api: AmoDeals
    deals: DealFeedPort | None
    settings: ActionSettings
    # what this cycle has yet to tell amoCRM, delivered in one batch at its end:
    _notes: list[tuple[int, str, Callable[[], None]]] = field(default_factory=list, init=False)  # (lead, text, after)
    _moves: list[ActionRecord] = field(default_factory=list, init=False)  # completed: move the deal before its note
    _retags: dict[int, tuple[str, str]] = field(default_factory=dict, init=False)  # lead → (old, new) state tag
    # (order, code hash) → the code typed this cycle
    _codes: dict[tuple[str, str], str] = field(default_factory=dict, init=False)
    _dry: list[ActionRecord] = field(default_factory=list, init=False)  # DRY_RUN: planned in memory only
    # their waybill is read by the next poll, at no cost
    _assembled_now: set[str] = field(default_factory=set, init=False)

    @property
    def _kaspi_writes(self) -> KaspiWrites:
        assert self.writes is not None  # run() returns before any action without it
        return self.writes

    @property
    def _feed(self) -> DealFeedPort:
        assert self.deals is not None
        return self.deals

    # --- the cycle's entry point -----------------------------------------------------------------

    def run(self, created: Sequence[tuple[str, int]], fetched: Mapping[str, Order]) -> None:
        settings = self.settings
        if not self.cycle.dry_run:
            self._remember_switches()
        if not settings.any_on:
            return
        if not settings.merchant_id:
            self._failure(merchant_missing())
            return
        try:
            self._resume_unnoted()
            if settings.reads_deals:
                self._read_changes()
            if settings.auto_accept:
                self._plan_auto_accept(created, fetched)
            paused = self._paused()
            if paused is not None:
                self._failure(paused)
            else:
                self._settle_open()
            if settings.waybill_notes:
                self._waybills(fetched)
        except _Stop:
            pass
        except (AmoError, KaspiError) as exc:
            self._failure(exc)
        finally:
            self._deliver()

    # --- 2. deal changes → planned actions -----------------------------------------------------------

    def _read_changes(self) -> None:
        since = self._events_since()
        fields = self._fields()
        code_field = fields.get(CODE_FIELD) if self.settings.complete_status_id else None
        got = self._feed.lead_events(since, field_ids=[code_field] if code_field else [])
        if not got:
            return
        # `from` is inclusive and amoCRM stamps whole seconds: the last look's final second comes
        # back; its events were handled then.
        handled = set(self._json_list(META_EVENTS_SEEN)) if got[0].created_at <= since else set()
        events = [e for e in got if not (e.created_at == since and e.id in handled)]
        newest = max(e.created_at for e in got)
        codes = self.cycle.store.codes_of_leads({e.lead_id for e in events}) if events else {}
        ours = [e for e in events if e.lead_id in codes]
        if ours:
            self._plan_changes(ours, codes, code_field, fields.get(PLACES_FIELD))
        if not self.cycle.dry_run:
            self.cycle.store.set_meta(META_EVENTS_SINCE, str(newest))
            self.cycle.store.set_meta(META_EVENTS_SEEN, json.dumps(sorted(e.id for e in got if e.created_at == newest)))

    def _plan_changes(self, events: list[LeadEvent], codes: dict[int, str], code_field: int | None,
                      places_field: int | None) -> None:
        settings = self.settings
        status_event: dict[int, LeadEvent] = {}
        code_event: dict[int, LeadEvent] = {}
        unclear: set[int] = set()
        for event in events:  # oldest first: the last one per deal wins
            if not event.understood:
                unclear.add(event.lead_id)
            elif event.type == "lead_status_changed":
                status_event[event.lead_id] = event
            else:
                code_event[event.lead_id] = event
        leads = {e.lead_id for e in events}
        seen = self.cycle.store.seen_deals(leads)
        need = set(unclear)
        for lead in leads:
            status = status_event[lead].status_id if lead in status_event else (seen[lead].status_id if lead in seen else None)
            if status in (LOST_STATUS_ID, settings.assemble_status_id):
                need.add(lead)  # the loss reason / the number of places are only on the deal
        current = {d.lead_id: d for d in self._feed.deals(need)} if need else {}
        orders = self.cycle.store.get_orders(codes[lead] for lead in leads)
        history = self.cycle.store.actions_of(codes[lead] for lead in leads)
        names: dict[int, str] | None = None
        planned: list[ActionRecord] = []
        snapshots: list[DealSeen] = []
        for lead in sorted(leads):
            if lead in need and lead not in current:
                continue  # deleted in amoCRM meanwhile
            code = codes[lead]
            before = seen.get(lead)
            view, typed = self._view(lead, current.get(lead), status_event.get(lead), code_event.get(lead), before,
                                     code_field, places_field)
            if view.status_id == LOST_STATUS_ID and view.loss_reason_id not in settings.cancel_reasons and names is None:
                names = self._reason_names()
            record = orders.get(code)
            plan = plan_deal(
                settings, code, SeenDeal(before.status_id, before.loss_reason_id, before.code_hash) if before else None,
                view, known_status=record.kaspi_status if record else None,
                past=_past(history.get(code, [])), reason_names=names,
            )
            for intent in plan.intents:
                if intent.code:
                    self._codes[(code, intent.code_hash or "")] = intent.code
                planned.append(_record(intent))
            for text in plan.notes:
                self._note(lead, text)
            snapshots.append(DealSeen(lead, code, view.status_id, view.loss_reason_id,
                                      code_hash(code, view.code) if typed else (before.code_hash if before else None),
                                      before.waybill_noted if before else False))
        if self.cycle.dry_run:
            self._dry.extend(planned)
            return
        self.cycle.store.add_actions(planned)
        self.cycle.store.save_seen_deals(snapshots)

    @staticmethod
    def _view(lead: int, deal: DealState | None, status: LeadEvent | None, typed: LeadEvent | None,
              before: DealSeen | None, code_field: int | None, places_field: int | None) -> tuple[DealView, bool]:
        """The deal now, from its state when read, else from its events; the flag says
        whether the code field's value is known (else the last seen hash stands)."""
        if deal is not None:
            places_text = deal.value(places_field) or ""
            try:
                places = int(float(places_text.replace(",", "."))) if places_text.strip() else None
            except ValueError:
                places = None
            return DealView(lead, deal.status_id, deal.loss_reason_id, deal.value(code_field), places,
                            deal.loss_reason_name), code_field is not None
        status_id = status.status_id if status else (before.status_id if before else None)
        loss = before.loss_reason_id if before else None
        return DealView(lead, status_id, loss, typed.text if typed else None), typed is not None

    # --- 3. auto-accept ----------------------------------------------------------------------------------

    def _remember_switches(self) -> None:
        """When the deal feed and auto-accept were switched on: neither acts on the past."""
        if not self.settings.reads_deals and self.cycle.store.get_meta(META_EVENTS_SINCE) is not None:
            self.cycle.store.set_meta(META_EVENTS_SINCE, None)  # switched on again later: start from then
        since = self.cycle.store.get_meta(META_AUTO_SINCE)
        if self.settings.auto_accept and since is None:
            self.cycle.store.set_meta(META_AUTO_SINCE, self.cycle.now().isoformat())
        elif not self.settings.auto_accept and since is not None:
            self.cycle.store.set_meta(META_AUTO_SINCE, None)

    def _plan_auto_accept(self, created: Sequence[tuple[str, int]], fetched: Mapping[str, Order]) -> None:
        candidates = dict(created)
        try:
            since = datetime.fromisoformat(self.cycle.store.get_meta(META_AUTO_SINCE) or "")
        except ValueError:
            since = self.cycle.now()
        for code, lead in self.cycle.store.orders_awaiting_accept(self.cycle.now() - AUTO_ACCEPT_WINDOW, since):
            candidates.setdefault(code, lead)
        if not candidates:
            return
        history = self.cycle.store.actions_of(candidates)
        records = self.cycle.store.get_orders(candidates)
        planned: list[ActionRecord] = []
        for code, lead in candidates.items():
            status = fetched[code].status if code in fetched else (records[code].kaspi_status if code in records else None)
            intent = auto_accept_intent(self.settings, code, lead, status, _past(history.get(code, [])))
            if intent is not None:
                planned.append(_record(intent))
        if self.cycle.dry_run:
            self._dry.extend(planned)
        elif planned:
            self.cycle.store.add_actions(planned)

    # --- 4. settle open actions ---------------------------------------------------------------------------

    def _paused(self) -> KaspiMerchantError | None:
        raw = self.cycle.store.get_meta(META_PAUSED)
        if not raw:
            return None
        try:
            paused = json.loads(raw)
            since = datetime.fromisoformat(paused["since"])
        except (ValueError, KeyError, TypeError):
            paused, since = {}, self.cycle.now() - PAUSE_PROBE
        if paused.get("merchant") != self.settings.merchant_id or self.cycle.now() - since >= PAUSE_PROBE:
            if not self.cycle.dry_run:
                self.cycle.store.set_meta(META_PAUSED, None)  # another ID, or time to try again
            return None
        return KaspiMerchantError(str(paused.get("message") or merchant_missing().message))

    def _pause(self, error: KaspiMerchantError) -> None:
        if not self.cycle.dry_run:
            self.cycle.store.set_meta(META_PAUSED, json.dumps({
                "merchant": self.settings.merchant_id, "since": self.cycle.now().isoformat(), "message": error.message,
            }, ensure_ascii=False))
        self._failure(error)

    def _settle_open(self) -> None:
        for action in [*self.cycle.store.open_actions(), *self._dry]:
            if self.cycle.stop.is_set():
                return
            self._settle(action)

    def _settle(self, action: ActionRecord) -> None:
        kind, state = Kind(action.kind), State(action.state)
        try:
            order = self.kaspi.get_order(action.order_code, include_entries=False)
        except KaspiUnavailable as exc:
            self._failure(exc)
            raise _Stop() from exc
        decision = decide(kind, state, order, action.order_code)
        if decision.done and order is not None:
            self._finish(action, State.DONE, f"Kaspi показывает {order.status}", order)
            return
        if not decision.send:
            self._finish(action, State.SKIPPED, decision.note, order)
            return
        assert order is not None
        code = self._code_for(action) if kind is Kind.COMPLETE else None
        if kind is Kind.COMPLETE and code is None:
            # the field holds another code now: that one comes as its own action
            self._finish(action, State.SKIPPED, "код в поле изменился", order, note=False)
            return
        if self.cycle.dry_run:
            self.cycle.report.action_lines.append(texts.would_send(kind, action.order_code, action.params))
            return
        action.state, action.attempts = State.SENT, action.attempts + 1
        self.cycle.store.update_action(action)  # recorded before the request leaves
        try:
            result = self._send(kind, action, order, code)
        except KaspiRefused as exc:
            self._finish(action, State.REFUSED, exc.message, order)
            self._failure(exc, code=action.order_code)
        except KaspiMerchantError as exc:
            action.state = State.PLANNED  # not done by Kaspi: it goes once the ID is right
            action.answer = exc.message
            self.cycle.store.update_action(action)
            self._pause(exc)
            raise _Stop() from exc
        except KaspiWriteUncertain as exc:
            log.warning("Kaspi write got no answer; re-reading", extra={"code": action.order_code, "kind": action.kind})
            self._settle_after_silence(action, exc)
        except KaspiUnavailable as exc:  # provably not sent (or 429): try again next cycle
            action.state = State.PLANNED
            self.cycle.store.update_action(action)
            self._failure(exc)
            raise _Stop() from exc
        else:
            self._finish(action, State.DONE, result.answer, order)

    def _settle_after_silence(self, action: ActionRecord, error: KaspiWriteUncertain) -> None:
        """A lost reply: re-read now; Kaspi showing the effect makes it done, otherwise it
        stays `sent` and the next cycle decides (it is never simply sent again)."""
        try:
            order = self.kaspi.get_order(action.order_code, include_entries=False)
        except KaspiError:
            order = None
        if order is not None and decide(Kind(action.kind), State.SENT, order, action.order_code).done:
            self._finish(action, State.DONE, f"Kaspi не ответил, но показывает {order.status}", order)
            return
        action.answer = error.message
        self.cycle.store.update_action(action)
        self._failure(error, code=action.order_code)

    def _send(self, kind: Kind, action: ActionRecord, order: Order, code: str | None) -> WriteResult:
        if kind is Kind.ACCEPT:
            return self._kaspi_writes.accept(order)
        if kind is Kind.ASSEMBLE:
            return self._kaspi_writes.assemble(order, int(action.params.get("places") or 1))
        if kind is Kind.CANCEL:
            return self._kaspi_writes.cancel(order, str(action.params.get("reason")))
        if kind is Kind.SEND_CODE:
            return self._kaspi_writes.send_code(order)
        return self._kaspi_writes.complete(order, code or "")

    def _code_for(self, action: ActionRecord) -> str | None:
        """The typed code of a complete action: kept in memory this cycle, else read back from
        the deal (after a crash) and used only if it is still the code that was planned."""
        wanted = str(action.params.get("code_hash") or "")
        code = self._codes.get((action.order_code, wanted))
        if code is not None or action.lead_id is None:
            return code
        field = self._fields().get(CODE_FIELD)
        for deal in self._feed.deals([action.lead_id]):
            value = deal.value(field)
            if value and code_hash(action.order_code, value) == wanted:
                return value.strip()
        return None

    def _finish(self, action: ActionRecord, state: State, answer: str, order: Order | None, *, note: bool = True) -> None:
        action.state, action.answer = state, answer
        action.noted = not note
        self.cycle.report.actions[state.value] = self.cycle.report.actions.get(state.value, 0) + 1
        if self.cycle.dry_run:
            self.cycle.report.action_lines.append(self._note_text(action))
            return
        self.cycle.store.update_action(action)
        if state is State.DONE and order is not None:
            self._after_done(action)
            if action.kind == Kind.ASSEMBLE:
                self._assembled_now.add(action.order_code)
        if note:
            self._queue_note(action)

    def _after_done(self, action: ActionRecord) -> None:
        """Tell the store what Kaspi now shows, so reconcile does not report our own change.
        Reconcile will then not swap the deal's state tag either, so the swap goes with this
        action's note (kept in its params first: a later cycle resumes an undelivered one)."""
        after = {"accept": ("ACCEPTED_BY_MERCHANT", None), "cancel": ("CANCELLED", "ARCHIVE"),
                 "complete": ("COMPLETED", "ARCHIVE")}.get(action.kind)
        record = self.cycle.store.get_orders([action.order_code]).get(action.order_code) if after else None
        if after and record is not None:
            if after[1] and record.kaspi_state and record.kaspi_state != after[1]:
                action.params["retag"] = [record.kaspi_state, after[1]]
                self.cycle.store.update_action(action)
            record.kaspi_status = after[0]
            record.kaspi_state = after[1] or record.kaspi_state
            self.cycle.store.save_order(record)

    # --- 5. waybills ------------------------------------------------------------------------------------

    def note_waybills(self, orders: Sequence[Order]) -> None:
        """Reconcile: the waybill notes its read shows missing, for orders still waiting for
        the courier (accepted, not handed over: older ones need no waybill any more). No Kaspi
        request, and none to amoCRM when every such note is written."""
        if not self.settings.waybill_notes or not self.settings.merchant_id:
            return
        waiting = {o.code: o for o in orders if o.status == "ACCEPTED_BY_MERCHANT"
                   and o.extra.get("courier_transmission_date") is None}
        try:
            self._waybills(waiting, reread=False)
        except (AmoError, KaspiError) as exc:
            self._failure(exc)
        finally:
            self._deliver()

    def _waybills(self, fetched: Mapping[str, Order], *, reread: bool = True) -> None:
        found = {c: o for c, o in fetched.items() if o.is_kaspi_delivery and o.extra.get("waybill")}
        leads = {c: r.lead_id for c, r in self.cycle.store.get_orders(found).items() if r.lead_id is not None}
        for code, lead in self.cycle.store.assembled_without_waybill(WAYBILL_WINDOW) if reread else []:
            if code in found or code in self._assembled_now or self.cycle.stop.is_set():
                continue
            order = self.kaspi.get_order(code, include_entries=False)
            if order is not None and order.extra.get("waybill"):
                found[code], leads[code] = order, lead
        seen = self.cycle.store.seen_deals(leads.values())
        for code, lead in leads.items():
            before = seen.get(lead)
            if before is not None and before.waybill_noted:
                continue
            order = found[code]
            planned_at = order.extra.get("courier_transmission_planning_date")
            text = texts.waybill(code, str(order.extra["waybill"]), planned_at if isinstance(planned_at, datetime) else None)
            if self.cycle.dry_run:
                self.cycle.report.action_lines.append(text)
                continue
            mark = before or DealSeen(lead, code)
            self._note(lead, text, functools.partial(self._waybill_noted, mark))

    def _waybill_noted(self, deal: DealSeen) -> None:
        deal.waybill_noted = True
        self.cycle.store.save_seen_deals([deal])

    # --- 1 and 6. notes and moves ---------------------------------------------------------------------------

    def _resume_unnoted(self) -> None:
        for action in self.cycle.store.unnoted_actions():
            self._queue_note(action)

    def _queue_note(self, action: ActionRecord) -> None:
        if action.lead_id is None:
            return
        if action.kind == Kind.COMPLETE and action.state == State.DONE and self.settings.completed_target:
            self._moves.append(action)
        retag = action.params.get("retag") if action.state == State.DONE else None
        if isinstance(retag, list) and len(retag) == 2:
            self._retags[action.lead_id] = (str(retag[0]), str(retag[1]))

        def delivered(action: ActionRecord = action) -> None:
            action.noted = True
            self.cycle.store.update_action(action)

        self._note(action.lead_id, self._note_text(action), delivered)

    def _note_text(self, action: ActionRecord) -> str:
        code = action.order_code
        if action.state == State.DONE:
            return texts.done(Kind(action.kind), code, trigger=action.cause, places=action.params.get("places"),
                              reason=action.params.get("reason"),
                              moved_to=self.settings.completed_target if action.kind == Kind.COMPLETE else None)
        if action.state == State.REFUSED:
            return texts.refused(code, action.answer or "")
        return action.answer or texts.order_missing(code)

    def _note(self, lead: int, text: str, delivered: Callable[[], None] = lambda: None) -> None:
        if self.cycle.dry_run:
            self.cycle.report.action_lines.append(text)
            return
        self._notes.append((lead, text, delivered))

    def _deliver(self) -> None:
        """Move completed deals, then add every note in one batch; what fails stays for next time."""
        if self.cycle.dry_run or not (self._notes or self._moves or self._retags):
            return
        try:
            target = self.settings.completed_target
            moved = sorted({a.lead_id for a in self._moves if a.lead_id is not None}) if target else []
            updates = []
            for lead in sorted(set(moved) | set(self._retags)):
                old, new = self._retags.get(lead, ("", ""))
                updates.append(LeadUpdate(lead, target if lead in moved else None, None,
                                          (new,) if new else (), (old,) if old else ()))
            if updates:
                self.api.update_leads(updates)
            if moved:
                seen = self.cycle.store.seen_deals(moved)
                codes = {a.lead_id: a.order_code for a in self._moves if a.lead_id is not None}
                self.cycle.store.save_seen_deals([
                    DealSeen(lead, codes[lead], target, None, seen[lead].code_hash if lead in seen else None,
                             seen[lead].waybill_noted if lead in seen else False) for lead in moved
                ])
            if self._notes:
                self.api.add_lead_notes([(lead, text) for lead, text, _ in self._notes])
        except AmoError as exc:
            self._failure(exc)
            return
        for _lead, _text, delivered in self._notes:
            delivered()

    # --- caches and small helpers -------------------------------------------------------------------------

    def _events_since(self) -> int:
        raw = self.cycle.store.get_meta(META_EVENTS_SINCE)
        if raw and raw.isdigit():
            return int(raw)
        start = int(self.cycle.now().timestamp()) - FIRST_LOOK_BACK
        if not self.cycle.dry_run:
            self.cycle.store.set_meta(META_EVENTS_SINCE, str(start))
        return start

    def _fields(self) -> dict[str, int]:
        """Ids of the two lead fields (found by name or created), re-checked once a day."""
        wanted = []
        if self.settings.complete_status_id:
            wanted.append((CODE_FIELD, "text"))
        if self.settings.assemble_status_id:
            wanted.append((PLACES_FIELD, "numeric"))
        if not wanted:
            return {}
        cached = self._cached(META_FIELDS)
        if cached is not None and all(name in cached for name, _ in wanted):
            return {name: int(cached[name]) for name, _ in wanted}
        if self.cycle.dry_run:
            existing = {f.name: f.id for f in self._feed.lead_fields()}
            return {name: existing[name] for name, _ in wanted if name in existing}
        ids = self._feed.ensure_lead_fields(wanted)
        self._cache(META_FIELDS, dict(ids))
        return ids

    def _reason_names(self) -> dict[int, str]:
        cached = self._cached(META_REASONS)
        if cached is not None and all(str(rid) in cached.get("names", {}) for rid in self.settings.cancel_reasons):
            return {int(k): str(v) for k, v in cached["names"].items()}
        names = {r.id: r.name for r in self._feed.loss_reasons()}
        if not self.cycle.dry_run:
            self._cache(META_REASONS, {"names": {str(k): v for k, v in names.items()}})
        return names

    def _json_list(self, key: str) -> list[str]:
        try:
            value = json.loads(self.cycle.store.get_meta(key) or "[]")
        except ValueError:
            return []
        return [str(v) for v in value] if isinstance(value, list) else []

    def _cached(self, key: str) -> dict[str, Any] | None:
        try:
            value = json.loads(self.cycle.store.get_meta(key) or "null")
            if isinstance(value, dict) and self.cycle.now() - datetime.fromisoformat(value["checked"]) < CACHE_TTL:
                return value
        except (ValueError, KeyError, TypeError):
            pass
        return None

    def _cache(self, key: str, value: dict[str, Any]) -> None:
        self.cycle.store.set_meta(key, json.dumps({**value, "checked": self.cycle.now().isoformat()}, ensure_ascii=False))

    def _failure(self, error: SyncError, *, code: str = "Kaspi") -> None:
        message = f"{error.title}: {error.message}"
        if any(f.message == message for f in self.cycle.report.failed):
            return  # one clear line per problem and cycle
        failure = OrderFailure(code, message, error=error)  # its kind: a refusal is alerted at once
        self.cycle.fail(failure)
        log.error("kaspi action failed", extra={"code": code, "error": message, "detail": error.detail})
