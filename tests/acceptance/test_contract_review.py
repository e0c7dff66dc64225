"""Black-box: contract sentences an independent review found the product did not keep.

Each test is named for the sentence of docs/contract.md it checks and drives the real CLI
against the sandbox, like the other acceptance tests (tests/acceptance/support.py)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from app.sandbox.http import EmulatorServer
from app.sandbox.seed import goods_entry, make_order
from app.sandbox.server import ACCEPT_STATUS_ID, COMPLETE_STATUS_ID, Sandbox
from app.sandbox.telegram_emulator import TelegramEmulator
from tests.acceptance.support import Cli, assert_clear_failure, describe, hours_ago, stderr_lines
from tests.acceptance.test_twoway import (
    CODE_FIELD,
    actions_env,
    kaspi_notes,
    lead_id,
    new_order,
    poll_ok,
    writes,
)

BOT_TOKEN, CHAT_ID = "7000000001:sandbox-alert-bot", "424242"


@pytest.fixture
def telegram() -> Iterator[tuple[TelegramEmulator, dict[str, str]]]:
    """A Telegram Bot API emulator and the ALERT_* settings that point the alerts at it."""
    emulator = TelegramEmulator(token=BOT_TOKEN, chats=[CHAT_ID])
    with EmulatorServer(emulator) as server:
        yield emulator, {"ALERT_TELEGRAM_BOT_TOKEN": BOT_TOKEN, "ALERT_TELEGRAM_CHAT_ID": CHAT_ID,
                         "TELEGRAM_API_URL": server.url}


def test_when_kaspi_delivery_forms_the_waybill_a_note_carries_it_once_whoever_assembled(
        cli: Cli, sandbox: Sandbox) -> None:
    """"When Kaspi Delivery forms the waybill (`kaspiDelivery.waybill`), a note on the deal
    carries its link and the planned handover time, once" — tied to no one action: a shop
    with only auto-accept on that assembles in the Kaspi cabinet gets the note too."""
    order = make_order("812000001", created=hours_ago(1), state="KASPI_DELIVERY", status="ACCEPTED_BY_MERCHANT",
                       is_kaspi_delivery=True, delivery_mode="DELIVERY_REGIONAL_TODOOR", payment_mode="PREPAID",
                       entries=[goods_entry("TEFAL-KO693810")])
    sandbox.kaspi.add_order(order)
    env = {"KASPI_AUTO_ACCEPT": "true"}
    poll_ok(cli, env)
    assert not kaspi_notes(sandbox, "812000001")
    sandbox.kaspi.add_order(replace(order, assembled=True))  # packed in the Kaspi cabinet: the waybill is formed
    poll_ok(cli, env)
    poll_ok(cli, env)
    waybills = [n for n in kaspi_notes(sandbox, "812000001") if "/waybill/" in n]
    assert len(waybills) == 1, kaspi_notes(sandbox, "812000001")
    assert "Передача курьеру" in waybills[0]
    assert not writes(sandbox, "812000001")  # a note only: nothing was sent to Kaspi


def test_a_refused_write_is_one_stderr_line_exit_1_an_alert_and_the_deal_stays(
        cli: Cli, sandbox: Sandbox, telegram: tuple[TelegramEmulator, dict[str, str]]) -> None:
    """"A refused write (Kaspi 4xx, a wrong code) is one line on stderr, exit 1 for that
    cycle, an alert, and the deal stays where the manager put it" — the alert comes with the
    refusal (not only after ALERT_FAIL_STREAK failed cycles), once."""
    bot, alert_env = telegram
    new_order(sandbox, "812000010")
    new_order(sandbox, "812000011", state="PICKUP", status="ACCEPTED_BY_MERCHANT", delivery_mode="DELIVERY_PICKUP")
    # the order is an hour old: without ALERT_ACCEPT_MINUTES=0 its deadline alert would come too
    env = actions_env(sandbox, **alert_env, ALERT_ACCEPT_MINUTES="0")
    poll_ok(cli, env)
    accept_lead, complete_lead = lead_id(sandbox, "812000010"), lead_id(sandbox, "812000011")
    sandbox.amo.manager.move(accept_lead, ACCEPT_STATUS_ID)
    # accepted in the cabinet between our re-read and our write: Kaspi says no
    sandbox.kaspi.writes.before_next_write(lambda order: setattr(order, "status", "ACCEPTED_BY_MERCHANT"))
    refused = cli.poll(extra=env)
    assert refused.returncode == 1, describe(refused)
    assert_clear_failure(refused)
    assert len([line for line in stderr_lines(refused) if "812000010" in line]) == 1
    assert sandbox.amo.leads[accept_lead]["status_id"] == ACCEPT_STATUS_ID
    [alert] = bot.texts()
    assert "812000010" in alert and "Kaspi" in alert

    poll_ok(cli, env)  # nothing new: no second alert
    assert len(bot.texts()) == 1

    sandbox.amo.manager.move(complete_lead, COMPLETE_STATUS_ID)
    poll_ok(cli, env)  # the buyer gets a code: no alert
    code = sandbox.kaspi.security_code("812000011")
    sandbox.amo.manager.set_field(complete_lead, CODE_FIELD, "0000" if code != "0000" else "1111")
    wrong = cli.poll(extra=env)
    assert wrong.returncode == 1, describe(wrong)
    assert len(stderr_lines(wrong)) == 1, describe(wrong)
    assert sandbox.amo.leads[complete_lead]["status_id"] == COMPLETE_STATUS_ID
    assert len(bot.texts()) == 2 and "812000011" in bot.texts()[1]


def test_a_state_change_replaces_the_old_state_tag_also_when_the_deal_made_it(cli: Cli, sandbox: Sandbox) -> None:
    """"For a synced order whose state or status changed: the old state tag is replaced by the
    new one" — also when the change was our own write from the deal (completed with the
    buyer's code, cancelled by a loss reason): the deal must not keep `PICKUP`/`NEW`."""
    new_order(sandbox, "812000020", state="PICKUP", status="ACCEPTED_BY_MERCHANT", delivery_mode="DELIVERY_PICKUP")
    new_order(sandbox, "812000021")
    env = actions_env(sandbox)
    poll_ok(cli, env)
    completed, cancelled = lead_id(sandbox, "812000020"), lead_id(sandbox, "812000021")
    sandbox.amo.manager.move(completed, COMPLETE_STATUS_ID)
    sandbox.amo.manager.close_lost(cancelled, "Нет в наличии")
    poll_ok(cli, env)
    sandbox.amo.manager.set_field(completed, CODE_FIELD, sandbox.kaspi.security_code("812000020"))
    poll_ok(cli, env)
    assert sandbox.kaspi.order("812000020").status == "COMPLETED"
    assert sandbox.kaspi.order("812000021").status == "CANCELLED"
    reconciled = cli.run("reconcile", extra=env)
    assert reconciled.returncode == 0, describe(reconciled)
    for lead, status in ((completed, 142), (cancelled, 143)):
        assert sorted(sandbox.amo.lead_tags(lead)) == ["ARCHIVE", "Kaspi"]
        assert sandbox.amo.leads[lead]["status_id"] == status
