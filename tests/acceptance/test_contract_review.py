"""Black-box: contract sentences an independent review found the product did not keep.

Each test is named for the sentence of docs/contract.md it checks and drives the real CLI
against the sandbox, like the other acceptance tests (tests/acceptance/support.py)."""

from __future__ import annotations

from dataclasses import replace

from app.sandbox.seed import goods_entry, make_order
from app.sandbox.server import Sandbox
from tests.acceptance.support import Cli, hours_ago
from tests.acceptance.test_twoway import kaspi_notes, poll_ok, writes


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
