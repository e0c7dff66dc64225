"""Kaspi writes (app.kaspi.actions) against the emulator's §10 state machine, over real HTTP.

What a shop owner would notice: the order's status in Kaspi, exactly which writes reached
Kaspi with which headers, and the error text when Kaspi refuses.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from app.errors import (
    KaspiMerchantError,
    KaspiRefused,
    KaspiUnavailable,
    KaspiWriteUncertain,
    KaspiWrongCode,
)
from app.kaspi.actions import KaspiActions
from app.kaspi.client import KaspiClient
from app.kaspi.models import Order
from app.sandbox.http import EmulatorServer
from app.sandbox.kaspi import SANDBOX_MERCHANT_ID, KaspiEmulator
from app.sandbox.seed import make_order

TOKEN = "sandbox-kaspi-token"
NOW = datetime(2025, 10, 14, 12, 0, tzinfo=UTC)


@dataclass
class Shop:
    emulator: KaspiEmulator
    client: KaspiClient
    actions: KaspiActions
    codes_told: list[tuple[str, str]]

    def order(self, code: str) -> Order:
        found = self.client.get_order(code, include_entries=False)
        assert found is not None
        return found

    def writes(self, code: str) -> list:
        return [w for w in self.emulator.write_log() if w.order_code == code]


@pytest.fixture
def shop() -> Iterator[Shop]:
    told: list[tuple[str, str]] = []
    emulator = KaspiEmulator(tokens=(TOKEN,), on_security_code=lambda code, value: told.append((code, value)))
    emulator.add_orders([
        make_order("100", created=NOW),  # NEW / APPROVED_BY_BANK, own delivery
        make_order("200", created=NOW, state="KASPI_DELIVERY", status="ACCEPTED_BY_MERCHANT",
                   delivery_mode="DELIVERY_REGIONAL_TODOOR", is_kaspi_delivery=True, payment_mode="PREPAID"),
        make_order("300", created=NOW, state="PICKUP", status="ACCEPTED_BY_MERCHANT", delivery_mode="DELIVERY_PICKUP"),
        make_order("400", created=NOW, state="SIGN_REQUIRED", signature_required=True),
    ])
    server = EmulatorServer(emulator).start()
    client = KaspiClient(TOKEN, server.url + "/shop/api/v2", max_retries=0, timeout=(3.0, 3.0))
    try:
        yield Shop(emulator, client, KaspiActions(client, SANDBOX_MERCHANT_ID), told)
    finally:
        emulator.close()
        threading.Thread(target=server.stop, daemon=True).start()


def test_accept_sends_one_write_with_merchant_header(shop: Shop) -> None:
    result = shop.actions.accept(shop.order("100"))
    assert result.status == "ACCEPTED_BY_MERCHANT"
    order = shop.emulator.order("100")
    assert (order.status, order.state) == ("ACCEPTED_BY_MERCHANT", "DELIVERY")
    [write] = shop.writes("100")
    assert write.merchant_uid == SANDBOX_MERCHANT_ID and write.status == "ACCEPTED_BY_MERCHANT"
    assert write.attributes == {"code": "100", "status": "ACCEPTED_BY_MERCHANT"}


def test_accept_refused_when_already_accepted(shop: Shop) -> None:
    order = shop.order("100")
    shop.emulator.writes.before_next_write(lambda o: setattr(o, "status", "ACCEPTED_BY_MERCHANT"))
    with pytest.raises(KaspiRefused) as caught:
        shop.actions.accept(order)  # someone accepted it in the cabinet a moment earlier
    assert caught.value.kind == "transition" and "100" in caught.value.message
    assert "ACCEPTED_BY_MERCHANT" in caught.value.kaspi_text


def test_assemble_sends_places_as_string_and_forms_the_waybill(shop: Shop) -> None:
    result = shop.actions.assemble(shop.order("200"), 3)
    assert result.status == "ASSEMBLED"
    assert shop.writes("200")[0].attributes["numberOfSpace"] == "3"
    reread = shop.order("200")
    assert reread.extra.get("assembled") is True and str(reread.extra.get("waybill", "")).startswith("http")
    with pytest.raises(KaspiRefused):
        shop.actions.assemble(reread, 1)  # once only
    with pytest.raises(KaspiRefused):
        shop.actions.assemble(shop.order("300"), 1)  # not a Kaspi Delivery order


def test_cancel_with_reason(shop: Shop) -> None:
    shop.actions.cancel(shop.order("100"), "MERCHANT_OUT_OF_STOCK", comment="нет на складе")
    order = shop.emulator.order("100")
    assert (order.status, order.cancellation_reason) == ("CANCELLED", "MERCHANT_OUT_OF_STOCK")
    assert shop.writes("100")[0].attributes["cancellationComment"] == "нет на складе"
    with pytest.raises(ValueError, match="unknown cancellation reason"):
        shop.actions.cancel(shop.order("300"), "SOMETHING_ELSE")
    assert not shop.writes("300")


def test_complete_in_two_steps_wrong_then_right_code(shop: Shop) -> None:
    order = shop.order("300")
    shop.actions.send_code(order)
    assert shop.emulator.order("300").status == "ACCEPTED_BY_MERCHANT"  # step one only sends the code
    [(told_order, code)] = shop.codes_told
    assert told_order == "300" and code == shop.emulator.security_code("300")
    first = shop.writes("300")[0]
    assert (first.send_code, first.security_code) == ("true", "")
    wrong = "0000" if code != "0000" else "1111"
    with pytest.raises(KaspiWrongCode) as caught:
        shop.actions.complete(order, wrong)
    assert "код" in caught.value.message and caught.value.kind == "wrong_code"
    with pytest.raises(KaspiWrongCode):
        shop.actions.complete(order, "  ")  # empty: refused without asking Kaspi
    assert len(shop.writes("300")) == 2
    shop.actions.complete(order, code)
    assert shop.emulator.order("300").status == "COMPLETED"
    assert shop.writes("300")[-1].security_code == code


def test_complete_refusals_in_owner_words(shop: Shop) -> None:
    with pytest.raises(KaspiRefused) as caught:
        shop.actions.complete(shop.order("400"), "1234")
    assert caught.value.kind == "signature" and "подписал" in caught.value.message
    shop.emulator.set_status("300", state="ARCHIVE", status="CANCELLED")
    with pytest.raises(KaspiRefused) as caught:
        shop.actions.complete(shop.order("300"), "1234")
    assert caught.value.kind == "cancelled"


@pytest.mark.parametrize("uid", ["", "99999999"])
def test_missing_or_wrong_merchant_id(shop: Shop, uid: str) -> None:
    actions = KaspiActions(shop.client, uid)
    with pytest.raises(KaspiMerchantError) as caught:
        actions.accept(shop.order("100"))
    assert "KASPI_MERCHANT_ID" in caught.value.message
    assert shop.emulator.order("100").status == "APPROVED_BY_BANK"
    assert not [w for w in shop.writes("100") if w.ok]


def test_header_missing_means_404_from_kaspi(shop: Shop) -> None:
    shop.client.post_orders({"data": {"type": "orders", "id": shop.order("100").id,
                                      "attributes": {"code": "100", "status": "ACCEPTED_BY_MERCHANT"}}}, {})
    assert shop.writes("100")[0].http_status == 404
    assert shop.emulator.order("100").status == "APPROVED_BY_BANK"


def test_lost_reply_is_uncertain_and_applied(shop: Shop) -> None:
    shop.emulator.writes.lose_next_replies(1)
    with pytest.raises(KaspiWriteUncertain):
        shop.actions.accept(shop.order("100"))
    assert shop.emulator.order("100").status == "ACCEPTED_BY_MERCHANT"  # Kaspi did it
    assert len(shop.writes("100")) == 1  # and the client did not send it again


def test_write_never_retried_on_5xx(shop: Shop) -> None:
    order = shop.order("100")
    shop.emulator.fail_next(1, 503)
    with pytest.raises(KaspiWriteUncertain):
        shop.actions.accept(order)
    shop.emulator.fail_next(1, 429)
    with pytest.raises(KaspiUnavailable) as caught:
        shop.actions.accept(order)
    assert not isinstance(caught.value, KaspiWriteUncertain)
    assert shop.emulator.order("100").status == "APPROVED_BY_BANK"
    assert shop.client.requests_made == 3  # one read, two writes: nothing retried behind our back
