"""Hostile Kaspi data never stops the other orders, and a failed cycle is always recorded.

Black box: the CLI runs as a subprocess against the sandbox; the Kaspi emulator's answers are
rewritten on the wire (a lone UTF-16 surrogate or a NUL escaped into a buyer's name, a body
nested 100,000 deep), so the product's own HTTP client and parser receive them. Each case
runs on both stores: a NUL is harmless to SQLite but refused by PostgreSQL text columns.
"""

from __future__ import annotations

import json
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.sandbox.http import Request, Response
from app.sandbox.seed import make_order
from app.sandbox.server import Sandbox
from tests.acceptance.support import (
    Cli,
    assert_clear_failure,
    describe,
    hours_ago,
    stderr_lines,
    the_lead,
)

CODES = ("760000001", "760000002", "760000003")
BAD = CODES[1]
MARK = "ЗАМЕНИТЬ"  # rendered into the bad order's name, then swapped for raw JSON on the wire


@pytest.fixture(params=["sqlite", "postgres"])
def cli(request: pytest.FixtureRequest, sandbox: Sandbox, tmp_path: Path) -> Cli:
    made = Cli.create(sandbox, tmp_path)
    if request.param == "postgres":
        made.env["DATABASE_URL"] = request.getfixturevalue("pg_schema_url")
    return made


def _seed(box: Sandbox) -> None:
    box.kaspi.add_orders([
        make_order(CODES[0], created=hours_ago(3), phone="7015550601"),
        make_order(BAD, created=hours_ago(2), phone="7015550602", first_name=f"Ер{MARK}лан"),
        make_order(CODES[2], created=hours_ago(1), phone="7015550603"),
    ])


def _rewrite(box: Sandbox, change: Callable[[Request, bytes], bytes]) -> None:
    """Every Kaspi answer passes through `change` (the raw JSON bytes) before it is sent."""
    original = box.kaspi.handle

    def handle(request: Request) -> Response:
        response = original(request)
        response.body = change(request, response.body)
        return response

    box.kaspi.handle = handle  # type: ignore[method-assign]


def _contact_names(box: Sandbox, code: str) -> list[str]:
    lead = the_lead(box, code)
    return [str(box.amo.contacts[cid]["name"]) for cid in box.amo.lead_contact_ids(lead["id"])]


@pytest.mark.parametrize("raw, shown", [(r"\ud800", "\ufffd"), (r"\u0000", ""), (r"\u0007\u001b", "")],
                         ids=["lone-surrogate", "nul", "control-chars"])
def test_bad_text_in_a_name_is_cleaned_and_every_order_becomes_a_deal(
        sandbox: Sandbox, cli: Cli, raw: str, shown: str) -> None:
    _seed(sandbox)
    _rewrite(sandbox, lambda _r, body: body.replace(MARK.encode(), raw.encode()))

    result = cli.poll()

    assert result.returncode == 0, describe(result)
    assert "Traceback" not in result.stderr, describe(result)
    for code in CODES:
        the_lead(sandbox, code)  # exactly one deal each
    assert _contact_names(sandbox, BAD) == [f"Ер{shown}лан Садыкова"]
    status = cli.status()
    assert status["processed_total"] == 3 and status["backlog"] == 0 and status["fail_streak"] == 0, status
    again = cli.poll()
    assert again.returncode == 0 and len(sandbox.amo.leads) == 3, describe(again)


def test_a_body_nested_100000_deep_fails_the_cycle_clearly_and_is_recorded(sandbox: Sandbox, cli: Cli) -> None:
    _seed(sandbox)
    deep = {"on": True}

    def nest(request: Request, body: bytes) -> bytes:
        if deep["on"] and request.path.endswith("/orders"):
            return b"[" * 100_000 + b"]" * 100_000
        return body

    _rewrite(sandbox, nest)
    first = cli.poll()
    assert first.returncode == 1, describe(first)
    assert_clear_failure(first)
    assert any("Kaspi" in line for line in stderr_lines(first)), describe(first)
    status = cli.status()
    assert status["fail_streak"] == 1 and status["last_error"] and "Kaspi" in status["last_error"], status

    deep["on"] = False  # Kaspi answers sanely again: everything is synced once
    second = cli.poll()
    assert second.returncode == 0, describe(second)
    assert all(the_lead(sandbox, code) for code in CODES)
    assert cli.status()["fail_streak"] == 0


def test_under_run_a_crashing_cycle_is_recorded_so_alerts_fire(sandbox: Sandbox, cli: Cli) -> None:
    """`kaspi-amo run`: the daemon's cycles meet the 100,000-deep body; each one counts as failed."""
    _seed(sandbox)
    _rewrite(sandbox, lambda r, body: b"[" * 100_000 + b"]" * 100_000 if r.path.endswith("/orders") else body)
    daemon = cli.popen("run", extra={"ALERT_FAIL_STREAK": "2"})
    status: dict[str, Any] = {}
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # the start-up poll and reconcile run at once
            status = cli.status()
            if status.get("fail_streak", 0) >= 2:
                break
            time.sleep(0.5)
    finally:
        daemon.send_signal(signal.SIGTERM)
        _out, err = daemon.communicate(timeout=60)
    assert status.get("fail_streak", 0) >= 2 and "Kaspi" in (status.get("last_error") or ""), status
    assert daemon.returncode == 0, err[-2000:]
    assert "Traceback" not in err, err[-2000:]
    problems = json.loads(cli.run("status", "--json").stdout)
    assert problems["backlog"] == 0 and problems["processed_total"] == 0  # nothing half-written


def test_an_unforeseen_exception_fails_the_cycle_and_is_recorded(sandbox: Sandbox, make_runtime: Any) -> None:
    """Whatever escapes every layer (a bug, data nobody foresaw) is a failed cycle with a readable
    message in the store — the fail streak the alerts read — and the orders stay queued."""
    _seed(sandbox)
    runtime = make_runtime()
    seen: list[Any] = []
    runtime.engine.after_cycle.append(seen.append)
    real = runtime.api.add_lead_notes

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise KeyError("a bug")

    runtime.api.add_lead_notes = broken
    for streak in (1, 2):
        report = runtime.engine.poll()
        assert report.error is not None and "Внутренняя ошибка" in report.error.message, report.error
        assert runtime.store.get_meta("fail_streak") == str(streak)
        assert "KeyError" in (runtime.store.get_meta("last_error") or "")
    assert [r.ok for r in seen] == [False, False]  # the alert hooks saw both failures
    runtime.api.add_lead_notes = real
    assert runtime.engine.poll().ok
    assert all(len(sandbox.amo.leads_named(f"Kaspi #{code}")) == 1 for code in CODES)
    assert all(len(sandbox.amo.notes_for(the_lead(sandbox, code)["id"])) == 1 for code in CODES)


def test_the_parser_cleans_every_text_it_hands_on() -> None:
    """Names, codes, SKUs, addresses: no lone surrogate and no NUL/control character gets past
    the parse boundary; tabs, line breaks, emoji and Kazakh letters do."""
    from app.kaspi.parse import parse_order

    resource = {
        "type": "orders", "id": "T1\x00",
        "attributes": {
            "code": "77\x0012", "state": "NEW\x1b", "status": "APPROVED_BY_BANK", "totalPrice": 100,
            "creationDate": 1_760_000_000_000,
            "customer": {"firstName": "Әсел\ud83d", "lastName": "😀\x00", "cellPhone": "701\x005550101"},
            "deliveryAddress": {"formattedAddress": "Алматы,\tАбая 1\nкв. 2\x7f"},
        },
        "relationships": {"entries": {"data": [{"type": "orderentries", "id": "e1"}]}},
    }
    included = {("orderentries", "e1"): {"type": "orderentries", "id": "e1", "attributes": {
        "entryNumber": 1, "quantity": 1, "basePrice": 100, "offer": {"code": "SKU\udc00", "name": "Чехол\x00"}}}}
    order = parse_order(resource, included)
    assert order.entries is not None
    texts = [order.id, order.code, order.state, order.customer.first_name, order.customer.last_name,
             order.customer.cell_phone, order.delivery_address, order.entries[0].sku, order.entries[0].name]
    for text in texts:
        assert text is not None
        text.encode("utf-8")  # would raise on a lone surrogate
        assert not any((ord(c) < 32 and c not in "\t\n") or 0x7F <= ord(c) <= 0x9F for c in text), repr(text)
    assert (order.code, order.state, order.customer.first_name, order.customer.last_name) == ("7712", "NEW", "Әсел\ufffd", "😀")
    assert order.delivery_address == "Алматы,\tАбая 1\nкв. 2" and order.customer.cell_phone == "7015550101"


# --- one code, two Kaspi orders -----------------------------------------------------------------


def _second_copy(box: Sandbox, code: str, price: float) -> dict[str, bool]:
    """Every orders list Kaspi answers carries a second order under `code`: another id, another total."""
    on = {"on": True}

    def change(request: Request, body: bytes) -> bytes:
        if not (on["on"] and request.path.endswith("/orders")):
            return body
        doc = json.loads(body)
        copies = [dict(r, id=r["id"] + "Zz", attributes=dict(r["attributes"], totalPrice=price))
                  for r in doc.get("data") or [] if r["attributes"]["code"] == code]
        doc["data"] = copies + doc["data"]  # the stranger first: a naive reader keeps its price
        return json.dumps(doc, ensure_ascii=False).encode()

    _rewrite(box, change)
    return on


def test_two_kaspi_orders_under_one_code_are_held_back_with_a_clear_reason(sandbox: Sandbox, cli: Cli) -> None:
    _seed(sandbox)
    copy = _second_copy(sandbox, BAD, 99_999.0)
    first = cli.poll()
    assert first.returncode == 1, describe(first)
    lines = stderr_lines(first)
    assert len(lines) == 1 and BAD in lines[0] and "99 999" in lines[0], lines
    assert sandbox.amo.leads_named(f"Kaspi #{BAD}") == []  # neither copy's price is guessed
    assert [the_lead(sandbox, c)["price"] for c in (CODES[0], CODES[2])]
    again = cli.poll()
    assert again.returncode == 0 and stderr_lines(again) == [], describe(again)  # reported once
    assert sandbox.amo.leads_named(f"Kaspi #{BAD}") == []

    copy["on"] = False  # Kaspi shows one order again: it becomes a deal with its real total
    cli.poll()
    assert the_lead(sandbox, BAD)["price"] == round(sandbox.kaspi.order(BAD).total_price)


def test_a_second_order_under_a_synced_code_leaves_the_deal_alone(sandbox: Sandbox, cli: Cli) -> None:
    _seed(sandbox)
    assert cli.poll().returncode == 0
    price = the_lead(sandbox, BAD)["price"]
    writes = sandbox.amo.write_requests
    _second_copy(sandbox, BAD, 99_999.0)
    first = cli.poll()
    assert first.returncode == 1 and BAD in first.stderr and "99 999" in first.stderr, describe(first)
    for command in ("poll", "reconcile", "poll"):
        later = cli.run(command)
        assert later.returncode == 0, describe(later)
    assert the_lead(sandbox, BAD)["price"] == price and sandbox.amo.write_requests == writes


# --- phones as people write them ------------------------------------------------------------------


def test_a_phone_with_an_extension_gets_its_contact_and_the_extension_in_the_note(sandbox: Sandbox, cli: Cli) -> None:
    sandbox.kaspi.add_orders([
        make_order("760000011", created=hours_ago(2), phone="7015557788 доб. 12"),
        make_order("760000012", created=hours_ago(1), phone="12-34-ab"),
    ])
    result = cli.poll()
    assert result.returncode == 0, describe(result)
    lead = the_lead(sandbox, "760000011")
    (contact_id,) = sandbox.amo.lead_contact_ids(lead["id"])
    assert sandbox.amo.contact_phones(contact_id) == ["+77015557788"]
    assert "без телефона" not in sandbox.amo.lead_tags(lead["id"])
    (note,) = [n["params"]["text"] for n in sandbox.amo.notes_for(lead["id"])]
    assert "Добавочный номер покупателя: 12" in note and "не получен" not in note
    junk = the_lead(sandbox, "760000012")
    (junk_note,) = [n["params"]["text"] for n in sandbox.amo.notes_for(junk["id"])]
    assert "не распознан («12-34-ab»)" in junk_note  # received, but not a number: said so, not "not received"
