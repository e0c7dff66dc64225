"""Bad Kaspi data through the real client: one broken order never costs the rest of the batch.

Black box: the CLI runs as a subprocess against the sandbox; the Kaspi emulator's
`corrupt_order` hook mangles what it renders for one order, so the product's own HTTP
client and parser receive the malformed JSON:API document.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from app.sandbox.kaspi import REMOVE
from app.sandbox.seed import SandboxEntry, make_order
from app.sandbox.server import Sandbox
from tests.acceptance.support import (
    Cli,
    assert_clear_failure,
    common_notes,
    describe,
    hours_ago,
    stderr_lines,
    the_lead,
)

GOOD = ("710000001", "710000003")
BAD = "710000002"
NO_PHONE_TAG = "без телефона"


@pytest.fixture
def box(sandbox: Sandbox) -> Sandbox:
    return sandbox  # the empty sandbox of tests/conftest.py


@pytest.fixture
def cli(box: Sandbox, tmp_path: Path) -> Cli:
    return Cli.create(box, tmp_path)


def _log_records(cli: Cli) -> list[dict[str, Any]]:
    lines = (cli.home / "logs" / "kaspi-amo.log").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]  # every line is one JSON object


def _leads(box: Sandbox, code: str) -> list[dict[str, Any]]:
    return box.amo.leads_named(f"Kaspi #{code}")


def _seed_three(box: Sandbox, bad_entries: list[SandboxEntry] | None = None) -> None:
    box.kaspi.add_orders([
        make_order(GOOD[0], created=hours_ago(3), phone="7015550101"),
        make_order(BAD, created=hours_ago(2), phone="7015550102", entries=bad_entries),
        make_order(GOOD[1], created=hours_ago(1), phone="7015550103"),
    ])


def _junk_entry_137(attrs: dict[str, Any], number: int) -> None:
    if number == 137:
        attrs["quantity"] = "много"


BULK = [SandboxEntry(sku=f"BULK-{n:03d}", name=f"Тетрадь {n}", quantity=1 + n % 3, unit_price=150.0 + n) for n in range(200)]

MALFORMED = {
    # id: (order patch, entries patch, entries, fragment the reason must name)
    "missing-totalPrice": ({"totalPrice": REMOVE}, None, None, "totalPrice"),
    "date-as-string": ({"creationDate": "вчера"}, None, None, "creationDate"),
    "huge-junk-date": ({"creationDate": "Ж" * 300_000}, None, None, "creationDate"),
    "state-null": ({"state": None}, None, None, "state"),
    "junk-entry-among-200": (None, _junk_entry_137, BULK, "quantity"),
}


@pytest.mark.parametrize("kind", list(MALFORMED))
def test_a_malformed_order_is_quarantined_once_and_the_rest_become_deals(box: Sandbox, cli: Cli, kind: str) -> None:
    patch, entry_patch, entries, fragment = MALFORMED[kind]
    _seed_three(box, entries)
    box.kaspi.corrupt_order(BAD, patch, entries=entry_patch)

    first = cli.poll()
    assert first.returncode == 1, describe(first)
    assert_clear_failure(first)
    lines = stderr_lines(first)
    assert len(lines) == 1, describe(first)
    assert BAD in lines[0] and fragment in lines[0], lines[0]
    assert len(lines[0]) < 500, f"stderr line is {len(lines[0])} chars long"  # huge junk is not echoed
    for code in GOOD:
        the_lead(box, code)  # exactly one deal each
    assert _leads(box, BAD) == []

    status = cli.status()
    assert status["quarantined"] == 1, status
    assert status["backlog"] == 0 and status["processed_total"] == 2, status

    second = cli.poll()
    assert second.returncode == 0, describe(second)
    assert stderr_lines(second) == [], describe(second)
    assert BAD not in second.stdout
    assert _leads(box, BAD) == [] and all(len(_leads(box, c)) == 1 for c in GOOD)

    records = _log_records(cli)
    about_bad = [r for r in records if r.get("code") == BAD]
    assert about_bad, records
    assert any(fragment in json.dumps(r, ensure_ascii=False) and r["level"] in ("error", "warning") for r in about_bad)
    assert sum(1 for r in about_bad if r["level"] == "error") == 1  # reported once, not on every poll


def test_lenient_oddities_still_become_deals(box: Sandbox, cli: Cli) -> None:
    """Optional blocks broken or enormous: the parser is lenient, the deal is created."""
    huge_name = "Айгерім" * 20_000
    box.kaspi.add_orders([
        make_order("720000001", created=hours_ago(4), phone="7015550201"),
        make_order("720000002", created=hours_ago(3), phone="7015550202"),
        make_order("720000003", created=hours_ago(2), phone="7015550203"),
        make_order("720000004", created=hours_ago(1), phone="7015550204"),
    ])
    box.kaspi.corrupt_order("720000001", {"customer": [1, 2, {"cellPhone": "7015550201"}]})
    box.kaspi.corrupt_order("720000002", {"customer": None, "deliveryAddress": "Алматы", "kaspiDelivery": [],
                                          "unknownBlock": {"deep": [[{"x": None}] * 50]}})
    box.kaspi.corrupt_order(
        "720000003",
        {"customer": {"firstName": huge_name, "lastName": "Ж" * 50_000, "cellPhone": "7015550203", "name": None},
         "deliveryAddress": {"formattedAddress": "улица " * 20_000}},
        entries=lambda attrs, n: attrs["offer"].update(name="Товар " * 20_000),
    )
    box.kaspi.corrupt_order("720000004", {"totalPrice": "15980", "creationDate": str(box.kaspi.order("720000004").created_ms)})

    result = cli.poll()
    assert result.returncode == 0, describe(result)
    for code in ("720000001", "720000002"):
        lead = the_lead(box, code)
        assert box.amo.lead_contact_ids(lead["id"]) == []
        assert NO_PHONE_TAG in box.amo.lead_tags(lead["id"])
    for code in ("720000003", "720000004"):
        lead = the_lead(box, code)
        assert len(box.amo.lead_contact_ids(lead["id"])) == 1
    assert the_lead(box, "720000004")["price"] == 15980
    assert cli.status()["quarantined"] == 0


def test_200_entries_foreign_phone_and_junk_phone_all_become_deals(box: Sandbox, cli: Cli) -> None:
    box.kaspi.add_orders([
        make_order("730000001", created=hours_ago(3), phone="7015550301", entries=BULK),
        make_order("730000002", created=hours_ago(2), phone="+998901234567", first_name="Шерзод", last_name="Каримов"),
        make_order("730000003", created=hours_ago(1), phone="12-34-ab"),
    ])
    result = cli.poll()
    assert result.returncode == 0, describe(result)

    bulk = the_lead(box, "730000001")
    note = "\n".join(common_notes(box, bulk["id"]))
    entry_lines = [line for line in note.splitlines() if re.match(r"\d+\. ", line)]
    assert len(entry_lines) == 200, note[:300]
    assert bulk["price"] == round(sum(e.line_total for e in BULK))

    foreign = the_lead(box, "730000002")
    (contact_id,) = box.amo.lead_contact_ids(foreign["id"])
    assert [re.sub(r"\D", "", p) for p in box.amo.contact_phones(contact_id)] == ["998901234567"]
    assert NO_PHONE_TAG not in box.amo.lead_tags(foreign["id"])

    junk = the_lead(box, "730000003")
    assert box.amo.lead_contact_ids(junk["id"]) == []
    assert NO_PHONE_TAG in box.amo.lead_tags(junk["id"])
    assert cli.status()["quarantined"] == 0


# --- product bugs -----------------------------------------------------------------------------


def test_an_order_without_code_is_reported_once(box: Sandbox, cli: Cli) -> None:
    _seed_three(box)
    box.kaspi.corrupt_order(BAD, {"code": REMOVE})
    first = cli.poll()
    assert first.returncode == 1, describe(first)
    assert len(stderr_lines(first)) == 1, describe(first)
    assert all(len(_leads(box, c)) == 1 for c in GOOD)
    second = cli.poll()
    assert second.returncode == 0, describe(second)


def test_an_order_kaspi_fixes_later_still_becomes_a_deal(box: Sandbox, cli: Cli) -> None:
    _seed_three(box)
    box.kaspi.corrupt_order(BAD, {"totalPrice": REMOVE})
    assert cli.poll().returncode == 1
    box.kaspi.clear_corruption(BAD)
    cli.poll()
    cli.run("reconcile")
    assert len(_leads(box, BAD)) == 1


def test_a_negative_total_is_quarantined_not_written(box: Sandbox, cli: Cli) -> None:
    _seed_three(box)
    box.kaspi.corrupt_order(BAD, {"totalPrice": -15980.0})
    result = cli.poll()
    assert all(lead["price"] >= 0 for lead in box.amo.leads.values()), [ld["price"] for ld in box.amo.leads.values()]
    assert result.returncode == 1 and BAD in result.stderr, describe(result)
