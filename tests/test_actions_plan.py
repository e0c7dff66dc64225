"""The pure two-way decisions (app.sync.actions_plan): which deal change becomes which Kaspi
write, never twice, and re-read-then-decide. No HTTP, no store."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from app.kaspi.models import Customer, Order
from app.sync.actions_plan import (
    ActionSettings,
    DealView,
    Kind,
    Past,
    SeenDeal,
    State,
    auto_accept_intent,
    code_hash,
    decide,
    plan_deal,
)

ACCEPT, ASSEMBLE, COMPLETE = 501, 502, 503
SETTINGS = ActionSettings(
    merchant_id="30141222", accept_status_id=ACCEPT, assemble_status_id=ASSEMBLE, complete_status_id=COMPLETE,
    cancel_reasons={11: "MERCHANT_OUT_OF_STOCK", 12: "BUYER_CANCELLATION_BY_MERCHANT"}, completed_target=142,
)
NAMES = {11: "Нет в наличии", 12: "Передумал", 13: "Дорого"}


def order(status: str = "APPROVED_BY_BANK", *, kd: bool = False, assembled: bool | None = None) -> Order:
    extra: dict[str, object] = {} if assembled is None else {"assembled": assembled}
    return Order(id="MTAw", code="100", state="NEW", status=status, total_price=Decimal(1),
                 created_at=datetime(2025, 1, 1, tzinfo=UTC), customer=Customer(None, None, None, None, None),
                 is_kaspi_delivery=kd, extra=extra)


def kinds(plan) -> list[Kind]:
    return [i.kind for i in plan.intents]


def test_entering_each_stage_plans_its_write() -> None:
    before = SeenDeal(status_id=1)
    assert kinds(plan_deal(SETTINGS, "100", before, DealView(7, ACCEPT), known_status=None)) == [Kind.ACCEPT]
    assemble = plan_deal(SETTINGS, "100", before, DealView(7, ASSEMBLE, places=3), known_status=None)
    assert kinds(assemble) == [Kind.ASSEMBLE] and assemble.intents[0].places == 3
    assert plan_deal(SETTINGS, "100", before, DealView(7, ASSEMBLE), known_status=None).intents[0].places == 1
    assert kinds(plan_deal(SETTINGS, "100", before, DealView(7, COMPLETE), known_status=None)) == [Kind.SEND_CODE]


def test_staying_in_a_stage_or_moving_back_plans_nothing() -> None:
    assert not plan_deal(SETTINGS, "100", SeenDeal(ACCEPT), DealView(7, ACCEPT), known_status=None).intents
    # moved into the accept stage and back before the cycle looked: the deal is where it was
    assert not plan_deal(SETTINGS, "100", SeenDeal(1), DealView(7, 1), known_status=None).intents


def test_never_twice() -> None:
    done = [Past(Kind.ACCEPT, State.DONE)]
    assert not plan_deal(SETTINGS, "100", SeenDeal(1), DealView(7, ACCEPT), known_status=None, past=done).intents
    in_flight = [Past(Kind.ACCEPT, State.SENT)]
    assert not plan_deal(SETTINGS, "100", SeenDeal(1), DealView(7, ACCEPT), known_status=None, past=in_flight).intents
    # a refused or skipped attempt does not stop a manager's new move
    again = [Past(Kind.ACCEPT, State.REFUSED)]
    assert kinds(plan_deal(SETTINGS, "100", SeenDeal(1), DealView(7, ACCEPT), known_status=None, past=again)) == [
        Kind.ACCEPT]


def test_cancel_by_mapped_loss_reason_only() -> None:
    plan = plan_deal(SETTINGS, "100", SeenDeal(ACCEPT), DealView(7, 143, loss_reason_id=11), known_status=None)
    assert kinds(plan) == [Kind.CANCEL] and plan.intents[0].reason == "MERCHANT_OUT_OF_STOCK"
    unmapped = plan_deal(SETTINGS, "100", SeenDeal(ACCEPT), DealView(7, 143, loss_reason_id=13), known_status=None,
                         reason_names=NAMES)
    assert not unmapped.intents
    [note] = unmapped.notes
    assert "«Дорого»" in note and "«Нет в наличии»" in note and "«Передумал»" in note
    # the reason set later on a deal already lost
    later = plan_deal(SETTINGS, "100", SeenDeal(143, loss_reason_id=13), DealView(7, 143, loss_reason_id=12),
                      known_status=None)
    assert later.intents[0].reason == "BUYER_CANCELLATION_BY_MERCHANT"


def test_deal_closed_after_kaspi_finished_is_bookkeeping() -> None:
    for status in ("CANCELLED", "COMPLETED", "RETURNED"):
        plan = plan_deal(SETTINGS, "100", SeenDeal(ACCEPT), DealView(7, 143), known_status=status)
        assert not plan.intents and not plan.notes


def test_a_typed_code_completes_and_a_new_code_is_sent_again() -> None:
    seen = SeenDeal(COMPLETE)
    first = plan_deal(SETTINGS, "100", seen, DealView(7, COMPLETE, code=" 1234 "), known_status=None)
    assert kinds(first) == [Kind.COMPLETE] and first.intents[0].code == "1234"
    tried = [Past(Kind.COMPLETE, State.REFUSED, code_hash("100", "1234"))]
    same = plan_deal(SETTINGS, "100", SeenDeal(COMPLETE, code_hash=None), DealView(7, COMPLETE, code="1234"),
                     known_status=None, past=tried)
    assert not same.intents  # the same wrong code is not sent twice
    new = plan_deal(SETTINGS, "100", SeenDeal(COMPLETE, code_hash=code_hash("100", "1234")),
                    DealView(7, COMPLETE, code="5678"), known_status=None, past=tried)
    assert kinds(new) == [Kind.COMPLETE]
    empty = plan_deal(SETTINGS, "100", seen, DealView(7, COMPLETE, code="   "), known_status=None)
    assert not empty.intents
    finished = [Past(Kind.COMPLETE, State.DONE, code_hash("100", "5678"))]
    assert not plan_deal(SETTINGS, "100", seen, DealView(7, COMPLETE, code="9999"), known_status=None,
                         past=finished).intents


def test_code_hash_hides_the_code() -> None:
    digest = code_hash("100", "1234")
    assert digest and "1234" not in digest and digest != code_hash("200", "1234")
    assert code_hash("100", "  ") is None


def test_actions_off_plan_nothing() -> None:
    off = ActionSettings()
    assert not off.any_on and not off.reads_deals
    plan = plan_deal(off, "100", SeenDeal(1), DealView(7, 143, loss_reason_id=11, code="1"), known_status=None)
    assert not plan.intents and not plan.notes
    assert auto_accept_intent(off, "100", 7, "APPROVED_BY_BANK") is None


def test_auto_accept_once() -> None:
    on = ActionSettings(merchant_id="1", auto_accept=True)
    assert on.any_on and not on.reads_deals  # auto-accept alone never reads amoCRM
    assert auto_accept_intent(on, "100", 7, "APPROVED_BY_BANK") is not None
    assert auto_accept_intent(on, "100", 7, "ACCEPTED_BY_MERCHANT") is None
    assert auto_accept_intent(on, "100", 7, "APPROVED_BY_BANK", [Past(Kind.ACCEPT, State.SKIPPED)]) is None


@pytest.mark.parametrize("kind, kaspi, send", [
    (Kind.ACCEPT, order("APPROVED_BY_BANK"), True),
    (Kind.ACCEPT, order("ACCEPTED_BY_MERCHANT"), False),
    (Kind.CANCEL, order("ACCEPTED_BY_MERCHANT"), True),
    (Kind.CANCEL, order("COMPLETED"), False),
    (Kind.ASSEMBLE, order("ACCEPTED_BY_MERCHANT", kd=True, assembled=False), True),
    (Kind.ASSEMBLE, order("ACCEPTED_BY_MERCHANT", kd=True, assembled=True), False),
    (Kind.ASSEMBLE, order("ACCEPTED_BY_MERCHANT", kd=False), False),
    (Kind.ASSEMBLE, order("APPROVED_BY_BANK", kd=True), False),
    (Kind.SEND_CODE, order("ACCEPTED_BY_MERCHANT"), True),
    (Kind.COMPLETE, order("APPROVED_BY_BANK"), False),
])
def test_re_read_then_decide(kind: Kind, kaspi: Order, send: bool) -> None:
    decision = decide(kind, State.PLANNED, kaspi, "100")
    assert decision.send is send and not decision.done
    if not send:
        assert "№100" in decision.note and "ничего не отправлено" in decision.note


def test_someone_accepted_in_the_cabinet_first() -> None:
    decision = decide(Kind.ACCEPT, State.PLANNED, order("ACCEPTED_BY_MERCHANT"), "100")
    assert not decision.send and "«принят»" in decision.note


def test_after_a_lost_reply_kaspi_showing_it_means_done() -> None:
    assert decide(Kind.ACCEPT, State.SENT, order("ACCEPTED_BY_MERCHANT"), "100").done
    assert decide(Kind.CANCEL, State.SENT, order("CANCELLED"), "100").done
    assert decide(Kind.ASSEMBLE, State.SENT, order("ACCEPTED_BY_MERCHANT", kd=True, assembled=True), "100").done
    assert decide(Kind.SEND_CODE, State.SENT, order("ACCEPTED_BY_MERCHANT"), "100").done  # never a second code
    # sent, but Kaspi does not show it: it never took effect, so it may go (once more) now
    assert decide(Kind.ACCEPT, State.SENT, order("APPROVED_BY_BANK"), "100").send
    assert not decide(Kind.ACCEPT, State.PLANNED, None, "100").send
