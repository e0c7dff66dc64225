"""Which deal change becomes which Kaspi write, and whether Kaspi's current status allows it.

Pure functions over plain values: no HTTP, no store, no clock. The runner
(app.sync.actions_run) feeds them what amoCRM shows now, what the store saw last and what a
fresh re-read of the order shows; they answer with intents and decisions. The rules are
docs/contract.md, "Acting on Kaspi from amoCRM (two-way)":

- only a change counts: a deal *entering* a stage, a loss reason *set*, a code *typed*;
  a deal moved into a stage and back before the cycle looked changes nothing;
- each write at most once per order; the one write sent again on purpose is a new code;
- re-read, then decide: a write goes out only when Kaspi's status allows it, otherwise a
  note says what Kaspi shows; after a crash or a lost reply, Kaspi showing the effect
  means the write is done.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from app.kaspi.models import Order
from app.sync import action_texts as texts

LOST_STATUS_ID = 143  # amoCRM's "Закрыто и не реализовано" in every pipeline
#: Kaspi statuses after which no write of ours can apply: the deal's moves mean nothing to Kaspi.
FINAL_STATUSES = frozenset({"COMPLETED", "CANCELLED", "RETURNED"})


class Kind(StrEnum):
    ACCEPT = "accept"
    ASSEMBLE = "assemble"
    CANCEL = "cancel"
    SEND_CODE = "send_code"  # COMPLETED, step one: Kaspi sends the buyer a code
    COMPLETE = "complete"  # COMPLETED, step two: with the code the manager typed


class State(StrEnum):
    PLANNED = "planned"  # decided and recorded; not sent yet
    SENT = "sent"  # on its way to Kaspi (or the answer was lost)
    DONE = "done"  # Kaspi did it (answered, or a re-read shows it)
    REFUSED = "refused"  # Kaspi answered no (4xx, a wrong code)
    SKIPPED = "skipped"  # not sent: Kaspi's status did not allow it (a note says why)


OPEN_STATES = (State.PLANNED, State.SENT)


@dataclass(frozen=True)
class ActionSettings:
    """The two-way switches (contract names in comments). Everything off by default."""

    merchant_id: str | None = None  # KASPI_MERCHANT_ID
    auto_accept: bool = False  # KASPI_AUTO_ACCEPT
    accept_status_id: int | None = None  # AMO_ACCEPT_STATUS_ID
    assemble_status_id: int | None = None  # AMO_ASSEMBLE_STATUS_ID
    complete_status_id: int | None = None  # AMO_COMPLETE_STATUS_ID
    cancel_reasons: Mapping[int, str] = field(default_factory=dict)  # KASPI_CANCEL_REASONS
    completed_target: int | None = None  # AMO_STATUS_MAP's COMPLETED: where a completed deal goes

    @property
    def reads_deals(self) -> bool:
        """Whether any action listens to deal changes (auto-accept alone needs no amoCRM read)."""
        return bool(self.accept_status_id or self.assemble_status_id or self.complete_status_id or self.cancel_reasons)

    @property
    def any_on(self) -> bool:
        return self.auto_accept or self.reads_deals

    @property
    def waybill_notes(self) -> bool:
        """Waybill notes come with two-way (any action on): the contract ties them to no one
        action, and an order assembled in the Kaspi cabinet gets its waybill note too."""
        return self.any_on

    def stage_kind(self, status_id: int | None) -> Kind | None:
        if status_id is None:
            return None
        if status_id == self.accept_status_id:
            return Kind.ACCEPT
        if status_id == self.assemble_status_id:
            return Kind.ASSEMBLE
        if status_id == self.complete_status_id:
            return Kind.SEND_CODE
        return None


@dataclass(frozen=True)
class DealView:
    """A deal as amoCRM shows it now (only what the actions read)."""

    lead_id: int
    status_id: int | None
    loss_reason_id: int | None = None
    code: str | None = None  # the text field `Kaspi: код выдачи`
    places: int | None = None  # the number field `Kaspi: мест`
    loss_reason_name: str | None = None


@dataclass(frozen=True)
class SeenDeal:
    """What the store saw of the deal last (the code only as a hash: it is the buyer's secret)."""

    status_id: int | None
    loss_reason_id: int | None = None
    code_hash: str | None = None


@dataclass(frozen=True)
class Intent:
    """A Kaspi write a deal change asks for (not yet checked against Kaspi)."""

    kind: Kind
    order_code: str
    lead_id: int
    trigger: str  # "stage:<id>", "loss:<id>", "field", "auto"
    places: int | None = None
    reason: str | None = None
    code: str | None = None  # only in memory; the store keeps code_hash

    @property
    def code_hash(self) -> str | None:
        return code_hash(self.order_code, self.code)


@dataclass(frozen=True)
class Past:
    """One earlier action of the order (from the store), for the never-twice rule."""

    kind: Kind
    state: State
    code_hash: str | None = None


@dataclass(frozen=True)
class DealPlan:
    intents: tuple[Intent, ...] = ()
    notes: tuple[str, ...] = ()  # notes to add without any Kaspi write (unmapped loss reason)


def code_hash(order_code: str, code: str | None) -> str | None:
    """A salted hash of a typed code: enough to notice a new one, useless to anyone reading the store."""
    text = (code or "").strip()
    if not text:
        return None
    return hashlib.sha256(f"kaspi-code|{order_code}|{text}".encode()).hexdigest()[:32]


# --- deal changes → intents ----------------------------------------------------------------------


def plan_deal(
    settings: ActionSettings,
    order_code: str,
    seen: SeenDeal | None,
    now: DealView,
    *,
    known_status: str | None,
    past: Iterable[Past] = (),
    reason_names: Mapping[int, str] | None = None,
) -> DealPlan:
    """The Kaspi writes (and write-less notes) one deal's change since the last look asks for.

    `known_status` is the order's Kaspi status as the store last knew it: a final one means
    the deal's moves are bookkeeping (reconcile closing it) and nothing is planned or noted.
    """
    if known_status in FINAL_STATUSES:
        return DealPlan()
    history = list(past)
    intents: list[Intent] = []
    notes: list[str] = []
    entered = seen is None or now.status_id != seen.status_id
    kind = settings.stage_kind(now.status_id) if entered else None
    if kind is Kind.ACCEPT:
        intents.append(Intent(Kind.ACCEPT, order_code, now.lead_id, f"stage:{now.status_id}"))
    elif kind is Kind.ASSEMBLE:
        places = now.places if now.places and now.places > 0 else 1
        intents.append(Intent(Kind.ASSEMBLE, order_code, now.lead_id, f"stage:{now.status_id}", places=places))
    elif kind is Kind.SEND_CODE:
        intents.append(Intent(Kind.SEND_CODE, order_code, now.lead_id, f"stage:{now.status_id}"))

    if settings.cancel_reasons and now.status_id == LOST_STATUS_ID:
        reason_changed = seen is None or seen.status_id != LOST_STATUS_ID or seen.loss_reason_id != now.loss_reason_id
        if reason_changed:
            reason = settings.cancel_reasons.get(now.loss_reason_id) if now.loss_reason_id is not None else None
            if reason:
                intents.append(Intent(Kind.CANCEL, order_code, now.lead_id, f"loss:{now.loss_reason_id}", reason=reason))
            elif known_status in (None, "APPROVED_BY_BANK", "ACCEPTED_BY_MERCHANT"):
                notes.append(texts.unmapped_loss_reason(order_code, now, settings.cancel_reasons, reason_names or {}))

    new_hash = code_hash(order_code, now.code)
    if settings.complete_status_id and new_hash and new_hash != (seen.code_hash if seen else None):
        intents.append(Intent(Kind.COMPLETE, order_code, now.lead_id, "field", code=(now.code or "").strip()))

    if any(i.kind is Kind.COMPLETE for i in intents):
        # the code is typed already: asking Kaspi for a new one now would make it stale
        intents = [i for i in intents if i.kind is not Kind.SEND_CODE]
    return DealPlan(tuple(i for i in intents if not _already(i, history)), tuple(notes))


def auto_accept_intent(settings: ActionSettings, order_code: str, lead_id: int, kaspi_status: str | None,
                       past: Iterable[Past] = ()) -> Intent | None:
    """KASPI_AUTO_ACCEPT: an order in APPROVED_BY_BANK that has its deal gets accepted, once."""
    if not settings.auto_accept or kaspi_status != "APPROVED_BY_BANK":
        return None
    intent = Intent(Kind.ACCEPT, order_code, lead_id, "auto")
    history = list(past)
    if _already(intent, history) or any(p.kind is Kind.ACCEPT and p.state in (*OPEN_STATES, State.REFUSED,
                                                                            State.SKIPPED) for p in history):
        return None  # auto-accept tries once; a manager can still move the deal into the accept stage
    return intent


def _already(intent: Intent, history: list[Past]) -> bool:
    """Never twice: a write of this kind already done (or in flight) for the order. A code is
    tried once per distinct code, and not at all once the order is completed."""
    if any(p.kind is Kind.COMPLETE and p.state is State.DONE for p in history):
        return True
    if intent.kind is Kind.COMPLETE:
        return any(p.kind is Kind.COMPLETE and (p.state in OPEN_STATES or p.code_hash == intent.code_hash)
                   for p in history)
    return any(p.kind is intent.kind and p.state in (State.DONE, *OPEN_STATES) for p in history)


# --- Kaspi's current status → send or not -------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    send: bool
    done: bool = False  # Kaspi already shows the effect of an action that was sent
    note: str = ""  # why nothing is sent (for the deal), empty when sending


def shows_effect(kind: Kind, order: Order) -> bool:
    """Whether Kaspi's order shows that this write took effect."""
    if kind is Kind.ACCEPT:
        return order.status in ("ACCEPTED_BY_MERCHANT", "COMPLETED")
    if kind is Kind.ASSEMBLE:
        return order.extra.get("assembled") is True
    if kind is Kind.CANCEL:
        return order.status in ("CANCELLED", "CANCELLING")
    if kind is Kind.COMPLETE:
        return order.status == "COMPLETED"
    return False  # a sent code leaves no trace in the order


def allows(kind: Kind, order: Order) -> bool:
    """Whether Kaspi's current status allows the write (contract; kaspi.md §10)."""
    if kind is Kind.ACCEPT:
        return order.status == "APPROVED_BY_BANK"
    if kind is Kind.CANCEL:
        return order.status in ("APPROVED_BY_BANK", "ACCEPTED_BY_MERCHANT")
    if kind is Kind.ASSEMBLE:
        return order.is_kaspi_delivery and order.status == "ACCEPTED_BY_MERCHANT" and order.extra.get("assembled") is not True
    return order.status == "ACCEPTED_BY_MERCHANT"  # SEND_CODE, COMPLETE


def decide(kind: Kind, state: State, order: Order | None, order_code: str) -> Decision:
    """Re-read, then decide. `state` is the action's recorded state: SENT means an earlier
    attempt may have reached Kaspi (a crash or a lost reply), so Kaspi showing the effect
    makes it done; a code step-one left SENT counts as done (the code cannot be seen in the
    order, and sending the buyer a second code is what never-twice forbids)."""
    if order is None:
        return Decision(False, note=texts.order_missing(order_code))
    if state is State.SENT and (shows_effect(kind, order) or kind is Kind.SEND_CODE):
        return Decision(False, done=True)
    if allows(kind, order):
        return Decision(True)
    return Decision(False, note=texts.not_allowed(kind, order))
