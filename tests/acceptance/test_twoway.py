"""Black-box: the contract's "Acting on Kaspi from amoCRM (two-way)" with `kaspi-amo poll`
against the sandbox. A manager's moves are made in the emulated amoCRM (as in its UI); what
is checked is what a shop owner would see: the order's status in Kaspi, exactly which writes
reached Kaspi with which headers, the notes on the deal, the exit code and stderr."""

from __future__ import annotations

import os
import signal
from typing import Any

import pytest

from app.sandbox.http import DropConnection
from app.sandbox.kaspi import SANDBOX_MERCHANT_ID
from app.sandbox.seed import goods_entry, make_order
from app.sandbox.server import (
    ACCEPT_STATUS_ID,
    ASSEMBLE_STATUS_ID,
    COMPLETE_STATUS_ID,
    DEMO_STATUS_ID,
    Sandbox,
)
from tests.acceptance.support import (
    Cli,
    assert_clear_failure,
    common_notes,
    describe,
    hours_ago,
    stderr_lines,
    the_lead,
)

CODE_FIELD, PLACES_FIELD = "Kaspi: код выдачи", "Kaspi: мест"


def actions_env(sandbox: Sandbox, **extra: str) -> dict[str, str]:
    out_of_stock = sandbox.amo.manager.loss_reason_id("Нет в наличии")
    changed_mind = sandbox.amo.manager.loss_reason_id("Покупатель передумал")
    env = {
        "AMO_ACCEPT_STATUS_ID": str(ACCEPT_STATUS_ID),
        "AMO_ASSEMBLE_STATUS_ID": str(ASSEMBLE_STATUS_ID),
        "AMO_COMPLETE_STATUS_ID": str(COMPLETE_STATUS_ID),
        "KASPI_CANCEL_REASONS": f"{out_of_stock}:MERCHANT_OUT_OF_STOCK,{changed_mind}:BUYER_CANCELLATION_BY_MERCHANT",
    }
    env.update(extra)
    return env


def new_order(sandbox: Sandbox, code: str, **fields: Any) -> None:
    sandbox.kaspi.add_order(make_order(code, created=hours_ago(1), **fields))


def kaspi_delivery(sandbox: Sandbox, code: str) -> None:
    new_order(sandbox, code, state="KASPI_DELIVERY", status="ACCEPTED_BY_MERCHANT", is_kaspi_delivery=True,
              delivery_mode="DELIVERY_REGIONAL_TODOOR", payment_mode="PREPAID", entries=[goods_entry("TEFAL-KO693810")])


def writes(sandbox: Sandbox, code: str, *, ok_only: bool = False) -> list[Any]:
    return [w for w in sandbox.kaspi.write_log() if w.order_code == code and (w.ok or not ok_only)]


def poll_ok(cli: Cli, env: dict[str, str], *args: str) -> Any:
    result = cli.run("poll", *args, extra=env)
    assert result.returncode == 0, describe(result)
    return result


def lead_id(sandbox: Sandbox, code: str) -> int:
    return int(the_lead(sandbox, code)["id"])


def kaspi_notes(sandbox: Sandbox, code: str) -> list[str]:
    return [n for n in common_notes(sandbox, lead_id(sandbox, code)) if n.startswith(f"Kaspi, заказ №{code}")]


# --- accept ------------------------------------------------------------------------------------


def test_accept_when_the_deal_enters_the_stage(cli: Cli, sandbox: Sandbox) -> None:
    new_order(sandbox, "810000001")
    env = actions_env(sandbox)
    poll_ok(cli, env)
    assert sandbox.kaspi.order("810000001").status == "APPROVED_BY_BANK"  # no auto-accept: nothing sent
    assert not writes(sandbox, "810000001")
    sandbox.amo.manager.move(lead_id(sandbox, "810000001"), ACCEPT_STATUS_ID)
    poll_ok(cli, env)
    assert sandbox.kaspi.order("810000001").status == "ACCEPTED_BY_MERCHANT"
    [write] = writes(sandbox, "810000001")
    assert write.ok and write.status == "ACCEPTED_BY_MERCHANT" and write.merchant_uid == SANDBOX_MERCHANT_ID
    assert write.attributes["code"] == "810000001"
    assert any("принят" in n for n in kaspi_notes(sandbox, "810000001"))
    poll_ok(cli, env)  # nothing changed since: nothing sent again
    assert len(writes(sandbox, "810000001")) == 1


def test_auto_accept_in_the_cycle_that_makes_the_deal(cli: Cli, sandbox: Sandbox) -> None:
    new_order(sandbox, "810000002")
    new_order(sandbox, "810000003", state="DELIVERY", status="ACCEPTED_BY_MERCHANT")
    poll_ok(cli, {"KASPI_AUTO_ACCEPT": "true"})
    assert the_lead(sandbox, "810000002")
    assert sandbox.kaspi.order("810000002").status == "ACCEPTED_BY_MERCHANT"
    assert len(writes(sandbox, "810000002", ok_only=True)) == 1
    assert not writes(sandbox, "810000003")  # accepted already: nothing to send
    assert any("автоматически" in n for n in kaspi_notes(sandbox, "810000002"))
    poll_ok(cli, {"KASPI_AUTO_ACCEPT": "true"})
    assert len(writes(sandbox, "810000002")) == 1


def test_someone_accepted_in_the_cabinet_first(cli: Cli, sandbox: Sandbox) -> None:
    new_order(sandbox, "810000004")
    env = actions_env(sandbox)
    poll_ok(cli, env)
    sandbox.kaspi.set_status("810000004", state="DELIVERY", status="ACCEPTED_BY_MERCHANT")
    sandbox.amo.manager.move(lead_id(sandbox, "810000004"), ACCEPT_STATUS_ID)
    poll_ok(cli, env)  # nothing sent, and that is no failure
    assert not writes(sandbox, "810000004")
    assert any("нельзя" in n and "«принят»" in n for n in kaspi_notes(sandbox, "810000004"))


def test_kaspi_refuses_a_transition(cli: Cli, sandbox: Sandbox) -> None:
    new_order(sandbox, "810000005")
    env = actions_env(sandbox)
    poll_ok(cli, env)
    sandbox.amo.manager.move(lead_id(sandbox, "810000005"), ACCEPT_STATUS_ID)
    # accepted in the cabinet between our re-read and our write: Kaspi says no
    sandbox.kaspi.writes.before_next_write(lambda order: setattr(order, "status", "ACCEPTED_BY_MERCHANT"))
    result = cli.poll(extra=env)
    assert result.returncode == 1, describe(result)
    assert_clear_failure(result)
    assert len([line for line in stderr_lines(result) if "810000005" in line]) == 1
    [write] = writes(sandbox, "810000005")
    assert write.http_status == 400
    assert any("Kaspi отказал" in n for n in kaspi_notes(sandbox, "810000005"))
    assert sandbox.amo.leads[lead_id(sandbox, "810000005")]["status_id"] == ACCEPT_STATUS_ID  # stays put
    poll_ok(cli, env)  # refused once: not sent again by itself
    assert len(writes(sandbox, "810000005")) == 1


# --- moves that undo themselves ----------------------------------------------------------------------


def test_moved_in_and_back_before_the_cycle_sends_nothing(cli: Cli, sandbox: Sandbox) -> None:
    new_order(sandbox, "810000006")
    env = actions_env(sandbox)
    poll_ok(cli, env)
    lead = lead_id(sandbox, "810000006")
    sandbox.amo.manager.move(lead, ACCEPT_STATUS_ID)
    sandbox.amo.manager.move(lead, DEMO_STATUS_ID)
    poll_ok(cli, env)
    assert not writes(sandbox, "810000006") and sandbox.kaspi.order("810000006").status == "APPROVED_BY_BANK"


def test_moved_twice_into_the_stage_accepts_once(cli: Cli, sandbox: Sandbox) -> None:
    new_order(sandbox, "810000007")
    env = actions_env(sandbox)
    poll_ok(cli, env)
    lead = lead_id(sandbox, "810000007")
    sandbox.amo.manager.move(lead, ACCEPT_STATUS_ID)
    sandbox.amo.manager.move(lead, DEMO_STATUS_ID)
    sandbox.amo.manager.move(lead, ACCEPT_STATUS_ID)
    poll_ok(cli, env)
    sandbox.amo.manager.move(lead, DEMO_STATUS_ID)  # back, then in again after the write
    sandbox.amo.manager.move(lead, ACCEPT_STATUS_ID)
    poll_ok(cli, env)
    assert len(writes(sandbox, "810000007")) == 1
    assert sandbox.kaspi.order("810000007").status == "ACCEPTED_BY_MERCHANT"


# --- assemble and the waybill ---------------------------------------------------------------------------


def test_assemble_with_places_and_the_waybill_note_once(cli: Cli, sandbox: Sandbox) -> None:
    kaspi_delivery(sandbox, "810000010")
    env = actions_env(sandbox)
    poll_ok(cli, env)  # also finds or creates the two lead fields
    lead = lead_id(sandbox, "810000010")
    sandbox.amo.manager.set_field(lead, PLACES_FIELD, 2)
    sandbox.amo.manager.move(lead, ASSEMBLE_STATUS_ID)
    poll_ok(cli, env)
    [write] = writes(sandbox, "810000010")
    assert write.ok and write.status == "ASSEMBLE" and write.attributes["numberOfSpace"] == "2"
    assert sandbox.kaspi.order("810000010").assembled
    poll_ok(cli, env)
    poll_ok(cli, env)
    waybills = [n for n in kaspi_notes(sandbox, "810000010") if "сформировала накладную" in n]
    assert len(waybills) == 1 and "/waybill/" in waybills[0] and "Передача курьеру" in waybills[0]


def test_a_waybill_formed_days_after_the_order_gets_its_note_from_reconcile(cli: Cli, sandbox: Sandbox) -> None:
    for code in ("810000020", "810000021"):
        sandbox.kaspi.add_order(make_order(code, created=hours_ago(50), state="KASPI_DELIVERY",
                                           status="ACCEPTED_BY_MERCHANT", is_kaspi_delivery=True,
                                           delivery_mode="DELIVERY_REGIONAL_TODOOR", payment_mode="PREPAID",
                                           entries=[goods_entry("TEFAL-KO693810")]))
    env = actions_env(sandbox, ALERT_HANDOVER_HOURS="0")
    poll_ok(cli, env)  # the deals (a first poll reads 14 days back)
    poll_ok(cli, env)
    sandbox.kaspi.assemble_in_cabinet("810000020")  # two days after the order: outside the poll's window
    sandbox.kaspi.assemble_in_cabinet("810000021")
    sandbox.kaspi.set_handover("810000021", handed_over=hours_ago(0.1))  # already with the courier
    poll_ok(cli, env)
    assert [n for n in kaspi_notes(sandbox, "810000020") if "сформировала накладную" in n] == []

    result = cli.run("reconcile", extra=env)
    assert result.returncode == 0, describe(result)
    (waybill,) = [n for n in kaspi_notes(sandbox, "810000020") if "сформировала накладную" in n]
    assert waybill.startswith("Kaspi, заказ №810000020") and "/waybill/" in waybill and "Передача курьеру" in waybill
    assert [n for n in kaspi_notes(sandbox, "810000021") if "сформировала накладную" in n] == []  # needs none now

    notes_posts = sum(1 for m, p, _ in sandbox.amo.request_log if m == "POST" and p == "/api/v4/leads/notes")
    before = len(sandbox.amo.request_log)
    again = cli.run("reconcile", extra=env)
    assert again.returncode == 0, describe(again)
    assert [p for _, p, _ in sandbox.amo.request_log[before:] if p.startswith("/api/v4")] == []  # nothing changed
    poll_ok(cli, env)
    assert sum(1 for m, p, _ in sandbox.amo.request_log if m == "POST" and p == "/api/v4/leads/notes") == notes_posts
    assert len([n for n in kaspi_notes(sandbox, "810000020") if "сформировала накладную" in n]) == 1


# --- cancel --------------------------------------------------------------------------------------------------


def test_cancel_by_a_mapped_loss_reason_and_not_by_another(cli: Cli, sandbox: Sandbox) -> None:
    new_order(sandbox, "810000020")
    new_order(sandbox, "810000021")
    env = actions_env(sandbox)
    poll_ok(cli, env)
    sandbox.amo.manager.close_lost(lead_id(sandbox, "810000020"), "Нет в наличии")
    sandbox.amo.manager.close_lost(lead_id(sandbox, "810000021"), "Дорого")
    poll_ok(cli, env)
    cancelled = sandbox.kaspi.order("810000020")
    assert (cancelled.status, cancelled.cancellation_reason) == ("CANCELLED", "MERCHANT_OUT_OF_STOCK")
    [write] = writes(sandbox, "810000020")
    assert write.attributes["cancellationReason"] == "MERCHANT_OUT_OF_STOCK"
    assert sandbox.kaspi.order("810000021").status == "APPROVED_BY_BANK" and not writes(sandbox, "810000021")
    [note] = kaspi_notes(sandbox, "810000021")
    assert "«Дорого»" in note and "«Нет в наличии»" in note and "«Покупатель передумал»" in note


# --- complete with the buyer's code ------------------------------------------------------------------------


def test_complete_with_a_wrong_then_the_right_code(cli: Cli, sandbox: Sandbox) -> None:
    new_order(sandbox, "810000030", state="PICKUP", status="ACCEPTED_BY_MERCHANT", delivery_mode="DELIVERY_PICKUP")
    env = actions_env(sandbox)
    poll_ok(cli, env)
    lead = lead_id(sandbox, "810000030")
    sandbox.amo.manager.move(lead, COMPLETE_STATUS_ID)
    poll_ok(cli, env)
    [send] = writes(sandbox, "810000030")
    assert (send.status, send.send_code, send.security_code) == ("COMPLETED", "true", "")
    code = sandbox.kaspi.security_code("810000030")
    assert code and sandbox.kaspi.order("810000030").status == "ACCEPTED_BY_MERCHANT"
    assert any("код выдачи" in n for n in kaspi_notes(sandbox, "810000030"))

    sandbox.amo.manager.set_field(lead, CODE_FIELD, "0000" if code != "0000" else "1111")
    wrong = cli.poll(extra=env)
    assert wrong.returncode == 1, describe(wrong)
    assert_clear_failure(wrong)
    assert any("код" in line.lower() for line in stderr_lines(wrong))
    assert sandbox.kaspi.order("810000030").status == "ACCEPTED_BY_MERCHANT"
    assert sandbox.amo.leads[lead]["status_id"] == COMPLETE_STATUS_ID

    sandbox.amo.manager.set_field(lead, CODE_FIELD, code)
    poll_ok(cli, env)
    assert sandbox.kaspi.order("810000030").status == "COMPLETED"
    assert writes(sandbox, "810000030")[-1].security_code == code
    assert len(writes(sandbox, "810000030")) == 3
    assert sandbox.amo.leads[lead]["status_id"] == 142  # AMO_STATUS_MAP's COMPLETED target
    assert any("выдан" in n for n in kaspi_notes(sandbox, "810000030"))
    poll_ok(cli, env)
    assert len(writes(sandbox, "810000030")) == 3


def test_an_empty_code_sends_nothing(cli: Cli, sandbox: Sandbox) -> None:
    new_order(sandbox, "810000031", state="PICKUP", status="ACCEPTED_BY_MERCHANT", delivery_mode="DELIVERY_PICKUP")
    env = actions_env(sandbox)
    poll_ok(cli, env)
    sandbox.amo.manager.set_field(lead_id(sandbox, "810000031"), CODE_FIELD, "   ")
    poll_ok(cli, env)
    assert not writes(sandbox, "810000031")


# --- off, dry run ---------------------------------------------------------------------------------------------


def test_nothing_sent_and_no_amocrm_read_when_actions_are_off(cli: Cli, sandbox: Sandbox) -> None:
    new_order(sandbox, "810000040")
    poll_ok(cli, {})
    sandbox.amo.manager.move(lead_id(sandbox, "810000040"), ACCEPT_STATUS_ID)
    sandbox.amo.reset_counters()
    poll_ok(cli, {})
    assert not sandbox.kaspi.write_log()
    assert sandbox.amo.api_requests == 0  # not even a look at the deals


def test_dry_run_prints_and_sends_nothing(cli: Cli, sandbox: Sandbox) -> None:
    new_order(sandbox, "810000041")
    env = actions_env(sandbox)
    poll_ok(cli, env)
    sandbox.amo.manager.move(lead_id(sandbox, "810000041"), ACCEPT_STATUS_ID)
    notes_before = len(common_notes(sandbox, lead_id(sandbox, "810000041")))
    dry = poll_ok(cli, env, "--dry-run")
    assert "отправил бы" in dry.stdout and "810000041" in dry.stdout
    assert not sandbox.kaspi.write_log()
    assert len(common_notes(sandbox, lead_id(sandbox, "810000041"))) == notes_before
    poll_ok(cli, env)  # the real run still sees the move
    assert len(writes(sandbox, "810000041", ok_only=True)) == 1


# --- merchant ID ------------------------------------------------------------------------------------------------


def test_wrong_merchant_id_pauses_actions_and_orders_keep_coming(cli: Cli, sandbox: Sandbox) -> None:
    new_order(sandbox, "810000050")
    env = actions_env(sandbox, KASPI_MERCHANT_ID="99999999")
    poll_ok(cli, env)
    sandbox.amo.manager.move(lead_id(sandbox, "810000050"), ACCEPT_STATUS_ID)
    new_order(sandbox, "810000051")
    result = cli.poll(extra=env)
    assert result.returncode == 1, describe(result)
    assert_clear_failure(result)
    assert len([line for line in stderr_lines(result) if "KASPI_MERCHANT_ID" in line]) == 1
    assert the_lead(sandbox, "810000051")  # new orders still reach amoCRM
    assert sandbox.kaspi.order("810000050").status == "APPROVED_BY_BANK"
    tried = len(sandbox.kaspi.write_log())
    again = cli.poll(extra=env)
    assert again.returncode == 1 and len(sandbox.kaspi.write_log()) == tried  # paused: not tried again
    poll_ok(cli, actions_env(sandbox))  # the right ID: the waiting accept goes out
    assert sandbox.kaspi.order("810000050").status == "ACCEPTED_BY_MERCHANT"


def test_missing_merchant_id_is_one_clear_error(cli: Cli, sandbox: Sandbox) -> None:
    new_order(sandbox, "810000052")
    result = cli.run("poll", extra=actions_env(sandbox), drop=["KASPI_MERCHANT_ID"])
    assert result.returncode == 1, describe(result)
    assert_clear_failure(result)
    assert [line for line in stderr_lines(result) if "KASPI_MERCHANT_ID" in line]
    assert the_lead(sandbox, "810000052") and not sandbox.kaspi.write_log()


# --- lost replies, kills, outages --------------------------------------------------------------------------------


def test_a_lost_reply_is_never_followed_by_a_second_write(cli: Cli, sandbox: Sandbox) -> None:
    new_order(sandbox, "810000060")
    env = actions_env(sandbox)
    poll_ok(cli, env)
    sandbox.amo.manager.move(lead_id(sandbox, "810000060"), ACCEPT_STATUS_ID)
    sandbox.kaspi.writes.lose_next_replies(1)
    poll_ok(cli, env)
    poll_ok(cli, env)
    [write] = writes(sandbox, "810000060")
    assert write.reply_lost and sandbox.kaspi.order("810000060").status == "ACCEPTED_BY_MERCHANT"
    assert any("принят" in n for n in kaspi_notes(sandbox, "810000060"))


@pytest.mark.parametrize("applied", [False, True], ids=["before-the-request-arrives", "after-kaspi-applied-it"])
def test_killed_around_the_write_never_writes_twice(cli: Cli, sandbox: Sandbox, applied: bool) -> None:
    new_order(sandbox, "810000061")
    env = actions_env(sandbox)
    poll_ok(cli, env)
    sandbox.amo.manager.move(lead_id(sandbox, "810000061"), ACCEPT_STATUS_ID)
    proc = cli.popen("poll", extra=env)

    def kill(*_: Any) -> None:
        os.kill(proc.pid, signal.SIGKILL)
        raise DropConnection()

    if applied:
        sandbox.kaspi.writes.after_next_write(kill)
    else:
        sandbox.kaspi.writes.before_next_write(kill)
    proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL
    assert sandbox.kaspi.order("810000061").status == ("ACCEPTED_BY_MERCHANT" if applied else "APPROVED_BY_BANK")
    poll_ok(cli, env)
    assert sandbox.kaspi.order("810000061").status == "ACCEPTED_BY_MERCHANT"
    assert len(writes(sandbox, "810000061", ok_only=True)) == 1
    assert any("принят" in n for n in kaspi_notes(sandbox, "810000061"))


def test_amocrm_down_then_back(cli: Cli, sandbox: Sandbox) -> None:
    new_order(sandbox, "810000070")
    env = actions_env(sandbox)
    poll_ok(cli, env)
    sandbox.amo.manager.move(lead_id(sandbox, "810000070"), ACCEPT_STATUS_ID)
    sandbox.amo.fail_next(10_000, 503)
    down = cli.poll(extra=env)
    assert down.returncode == 1 and not sandbox.kaspi.write_log()
    assert_clear_failure(down)
    sandbox.amo.clear_faults()
    poll_ok(cli, env)
    assert sandbox.kaspi.order("810000070").status == "ACCEPTED_BY_MERCHANT"
    assert any("принят" in n for n in kaspi_notes(sandbox, "810000070"))


def test_kaspi_down_then_back(cli: Cli, sandbox: Sandbox) -> None:
    new_order(sandbox, "810000071")
    env = actions_env(sandbox)
    poll_ok(cli, env)
    sandbox.amo.manager.move(lead_id(sandbox, "810000071"), ACCEPT_STATUS_ID)
    sandbox.kaspi.fail_next(10_000, 503)
    down = cli.poll(extra=env)
    assert down.returncode == 1
    assert_clear_failure(down)
    sandbox.kaspi.clear_faults()  # the outage ends
    poll_ok(cli, env)
    assert sandbox.kaspi.order("810000071").status == "ACCEPTED_BY_MERCHANT"
    assert len(writes(sandbox, "810000071", ok_only=True)) == 1


def test_status_counts_the_actions(cli: Cli, sandbox: Sandbox) -> None:
    new_order(sandbox, "810000080")
    env = actions_env(sandbox)
    poll_ok(cli, env)
    sandbox.amo.manager.move(lead_id(sandbox, "810000080"), ACCEPT_STATUS_ID)
    sandbox.kaspi.writes.before_next_write(lambda order: setattr(order, "status", "CANCELLED"))
    cli.poll(extra=env)
    actions = cli.status()["kaspi_actions"]
    assert actions["refused"] == 1 and actions["pending"] == 0
    text = cli.run("status")
    assert "Действия Kaspi" in text.stdout and "отказано 1" in text.stdout
