"""`kaspi-amo poll` end to end: what a shop owner sees in amoCRM after the real CLI runs.

Every test starts an empty sandbox, seeds its own Kaspi orders and amoCRM data, runs the CLI as
a subprocess in a fresh KASPI_AMO_HOME and checks the emulated amoCRM against CONTRACT.md.
"""

from __future__ import annotations

import json
import time

import pytest

from app.sandbox.seed import SandboxEntry, goods_entry, make_order
from app.sandbox.server import DEMO_PIPELINE_ID, DEMO_STATUS_ID, Sandbox
from tests.acceptance.support import (
    Cli,
    all_lead_contact_ids,
    assert_clear_failure,
    assert_entry_line,
    base_env,
    common_notes,
    contact_snapshot,
    describe,
    element_field,
    elements_with_sku,
    end_outage,
    has_number,
    hours_ago,
    numbers_in,
    outage_when,
    product_links,
    stderr_lines,
    the_lead,
)

PHONE_FIELD_ENUM_WORK = "WORK"


def _poll_ok(cli: Cli, **kwargs):
    result = cli.poll(**kwargs)
    assert result.returncode == 0, describe(result)
    return result


def _assert_products(sandbox, lead_id: int, entries: list[SandboxEntry]) -> None:
    """Each entry is linked once, to the one catalog element with its SKU, with its quantity."""
    links = product_links(sandbox, lead_id)
    assert len(links) == len(entries), links
    by_element = {link["to_entity_id"]: link for link in links}
    for entry in entries:
        elements = elements_with_sku(sandbox, entry.sku)
        assert len(elements) == 1, f"SKU {entry.sku}: {len(elements)} catalog elements (want exactly one)"
        element = elements[0]
        assert element["id"] in by_element, f"SKU {entry.sku} not linked to lead {lead_id}"
        assert by_element[element["id"]]["metadata"]["quantity"] == entry.quantity, by_element[element["id"]]


# --- 1 ------------------------------------------------------------------------------------------


def test_poll_turns_new_orders_into_deals_as_the_contract_says(sandbox, cli):
    amo = sandbox.amo
    # Contacts as people typed them. Ids ascend in creation order.
    fuzzy_lowest = amo.add_contact("Ложное Совпадение", ["+7 700 999 00 11"], first_name="Ложное", last_name="Совпадение")
    bekzat_first = amo.add_contact("Бекзат (старый)", ["+7 (727) 250-11-22", "+7 775 999 00 11"],
                                   first_name="Бекзат", last_name="Старый")
    bekzat_second = amo.add_contact("Бекзат (дубль)", ["87759990011"], first_name="Бекзат", last_name="Дубль")
    aigerim = amo.add_contact("Айгерим С. (постоянная)", ["8 (701) 123-45-67"], first_name="Айгерим", last_name="С.")
    decoy = amo.add_contact("Канат Омаров", ["+7 705 123 45 67"], first_name="Канат", last_name="Омаров")
    seeded = [fuzzy_lowest, bekzat_first, bekzat_second, aigerim, decoy]
    before = {cid: contact_snapshot(sandbox, cid) for cid in seeded}
    case_element = amo.add_catalog_element("Чехол для iPhone 15 черный", "CASE-IP15-BLK", 7990.0)

    watch = SandboxEntry(sku="CASIO-GA2100-1A1", name="Часы Casio G-Shock GA-2100-1A1 черный",
                         quantity=1, unit_price=15990.5, category="Часы")
    repeat_entries = [goods_entry("CASE-IP15-BLK", 2), watch]
    new_buyer_entries = [goods_entry("TEFAL-KO693810"), goods_entry("CASE-IP15-BLK", 1)]
    several_entries = [goods_entry("NIVEA-SUN-SPF50-200", 3)]
    orders = [
        # Repeat buyer: matches "8 (701) 123-45-67"; Kaspi's name differs from the CRM's.
        make_order("810000001", created=hours_ago(3), phone="7011234567",
                   first_name="Aigerim", last_name="Sadykova", entries=repeat_entries),
        # Shares the last 7 digits with the decoy "+7 705 123 45 67": must get a new contact.
        make_order("810000002", created=hours_ago(2), phone="7771234567", first_name="Ерлан",
                   last_name="Жумабаев", state="DELIVERY", status="ACCEPTED_BY_MERCHANT", town="Астана",
                   address="улица Сыганак, 18/2", entries=new_buyer_entries),
        # Two exact matches (+ one fuzzy decoy with an even lower id): the lowest exact id wins.
        make_order("810000003", created=hours_ago(1), phone="7759990011", first_name="Бекзат",
                   last_name="Новый", state="PICKUP", status="ACCEPTED_BY_MERCHANT",
                   delivery_mode="DELIVERY_PICKUP", entries=several_entries),
    ]
    sandbox.kaspi.add_orders(orders)

    _poll_ok(cli)

    # Leads: name, price in whole tenge, pipeline/status from the env, tags exactly Kaspi + state.
    expected_prices = {"810000001": (31970, 31971), "810000002": (40980,), "810000003": (19470,)}
    leads = {}
    for order in orders:
        lead = the_lead(sandbox, order.code)
        leads[order.code] = lead
        assert isinstance(lead["price"], int) and lead["price"] in expected_prices[order.code], lead["price"]
        assert lead["pipeline_id"] == int(cli.env["AMO_PIPELINE_ID"]) == DEMO_PIPELINE_ID
        assert lead["status_id"] == int(cli.env["AMO_STATUS_ID"]) == DEMO_STATUS_ID
        assert sorted(amo.lead_tags(lead["id"])) == sorted(["Kaspi", order.state])
    assert len(amo.leads) == 3

    # Contacts.
    assert amo.lead_contact_ids(leads["810000001"]["id"]) == [aigerim]
    assert amo.lead_contact_ids(leads["810000003"]["id"]) == [bekzat_first]
    new_ids = amo.lead_contact_ids(leads["810000002"]["id"])
    assert len(new_ids) == 1 and new_ids[0] not in seeded
    created = amo.contacts[new_ids[0]]
    assert created["name"] == "Ерлан Жумабаев"
    assert (created["first_name"], created["last_name"]) == ("Ерлан", "Жумабаев")
    phones = [v for f in created["custom_fields_values"] or [] if f["field_code"] == "PHONE" for v in f["values"]]
    assert [(p["value"], p["enum_code"]) for p in phones] == [("+77771234567", PHONE_FIELD_ENUM_WORK)]
    assert len(amo.contacts) == len(seeded) + 1, "only the new buyer gets a new contact"
    # Found contacts are never renamed or overwritten; decoys are untouched and never linked.
    for cid in seeded:
        assert contact_snapshot(sandbox, cid) == before[cid], f"contact {cid} was modified"
    linked = all_lead_contact_ids(sandbox)
    assert decoy not in linked and fuzzy_lowest not in linked and bekzat_second not in linked

    # Products: found by SKU (the seeded case) or created with name, SKU and price; quantities.
    _assert_products(sandbox, leads["810000001"]["id"], repeat_entries)
    _assert_products(sandbox, leads["810000002"]["id"], new_buyer_entries)
    _assert_products(sandbox, leads["810000003"]["id"], several_entries)
    assert [e["id"] for e in elements_with_sku(sandbox, "CASE-IP15-BLK")] == [case_element]
    for entry in (watch, goods_entry("TEFAL-KO693810"), goods_entry("NIVEA-SUN-SPF50-200")):
        element = elements_with_sku(sandbox, entry.sku)[0]
        assert element["name"] == entry.name
        price = element_field(element, "PRICE")
        assert price is not None and abs(float(price) - entry.unit_price) <= 1, (entry.sku, price)

    # One common note per lead: entries, total, address when present, order code.
    for order in orders:
        notes = common_notes(sandbox, leads[order.code]["id"])
        assert len(notes) == 1, notes
        note = notes[0]
        for entry in order.entries:
            assert_entry_line(note, sku=entry.sku, name=entry.name, quantity=entry.quantity,
                              unit_price=entry.unit_price)
        other_lines = "\n".join(ln for ln in note.splitlines() if not any(e.sku in ln for e in order.entries))
        assert has_number(numbers_in(other_lines), order.total_price, 1.0), f"total {order.total_price}:\n{note}"
        assert order.code in other_lines
    note_1 = common_notes(sandbox, leads["810000001"]["id"])[0]
    assert "улица Наурызбай батыра" in note_1 and "154А" in note_1
    note_2 = common_notes(sandbox, leads["810000002"]["id"])[0]
    assert "Астана" in note_2 and "улица Сыганак" in note_2 and "18/2" in note_2


# --- 2 ------------------------------------------------------------------------------------------


def test_second_poll_writes_nothing_and_status_counts(sandbox, cli):
    sandbox.kaspi.add_orders([
        make_order(f"82000000{i}", created=hours_ago(4 - i), phone=f"70120000{i:02d}",
                   first_name="Асель", last_name=f"Тулегенова{i}")
        for i in range(3)
    ])
    _poll_ok(cli)
    writes = sandbox.amo.write_requests
    assert writes > 0
    second = _poll_ok(cli)
    assert sandbox.amo.write_requests == writes, f"second poll wrote to amoCRM\n{describe(second)}"
    assert len(sandbox.amo.leads) == 3
    status = cli.status()
    assert status["processed_total"] == 3
    assert status["backlog"] == 0
    assert status["today"]["created"] == 3


# --- 3 ------------------------------------------------------------------------------------------


def test_orders_outside_allowed_states_are_not_synced(sandbox, cli):
    orders = [
        make_order("830000001", created=hours_ago(7), phone="7013000001"),
        make_order("830000002", created=hours_ago(6), phone="7013000002", state="SIGN_REQUIRED",
                   signature_required=True),
        make_order("830000003", created=hours_ago(5), phone="7013000003", state="PICKUP",
                   status="ACCEPTED_BY_MERCHANT", delivery_mode="DELIVERY_PICKUP"),
        make_order("830000004", created=hours_ago(4), phone="7013000004", state="DELIVERY",
                   status="ACCEPTED_BY_MERCHANT"),
        make_order("830000005", created=hours_ago(3), phone="7013000005", state="KASPI_DELIVERY",
                   status="ACCEPTED_BY_MERCHANT", delivery_mode="DELIVERY_REGIONAL_TODOOR",
                   is_kaspi_delivery=True, payment_mode="PREPAID"),
        make_order("830000006", created=hours_ago(2), phone="7013000006", state="ARCHIVE", status="COMPLETED"),
        make_order("830000007", created=hours_ago(1), phone="7013000007", state="ARCHIVE", status="CANCELLED",
                   cancellation_reason="BUYER_CANCELLATION_BY_MERCHANT"),
    ]
    sandbox.kaspi.add_orders(orders)
    _poll_ok(cli)
    for order in orders[:5]:
        lead = the_lead(sandbox, order.code)
        assert sorted(sandbox.amo.lead_tags(lead["id"])) == sorted(["Kaspi", order.state])
    for order in orders[5:]:
        assert sandbox.amo.leads_named(f"Kaspi #{order.code}") == [], f"archived {order.code} was synced"
    assert len(sandbox.amo.leads) == 5


def test_allowed_states_setting_limits_the_poll(sandbox, cli):
    orders = [
        make_order("831000001", created=hours_ago(4), phone="7013100001"),
        make_order("831000002", created=hours_ago(3), phone="7013100002", state="DELIVERY",
                   status="ACCEPTED_BY_MERCHANT"),
        make_order("831000003", created=hours_ago(2), phone="7013100003", state="PICKUP",
                   status="ACCEPTED_BY_MERCHANT", delivery_mode="DELIVERY_PICKUP"),
        make_order("831000004", created=hours_ago(1), phone="7013100004", state="ARCHIVE", status="COMPLETED"),
    ]
    sandbox.kaspi.add_orders(orders)
    _poll_ok(cli, extra={"KASPI_ALLOWED_STATES": "NEW"})
    the_lead(sandbox, "831000001")
    assert [lead["name"] for lead in sandbox.amo.leads.values()] == ["Kaspi #831000001"]


# --- 4 ------------------------------------------------------------------------------------------


def test_dry_run_writes_nothing_and_marks_nothing_processed(sandbox, cli):
    sandbox.amo.add_contact("Айгерим Садыкова", ["8 (701) 123-45-67"])
    orders = [
        make_order("840000001", created=hours_ago(3), phone="7011234567"),
        make_order("840000002", created=hours_ago(2), phone="7014000002", first_name="Нурлан", last_name="Касымов"),
        make_order("840000003", created=hours_ago(1), phone=None),
    ]
    sandbox.kaspi.add_orders(orders)
    contacts_before = len(sandbox.amo.contacts)
    sandbox.amo.reset_counters()

    dry = _poll_ok(cli, extra={"DRY_RUN": "true"})
    assert sandbox.amo.write_requests == 0
    for order in orders:  # it says what it would write
        assert order.code in dry.stdout + dry.stderr, describe(dry)
    assert sandbox.amo.leads == {}
    assert len(sandbox.amo.contacts) == contacts_before
    assert sandbox.amo.catalog_elements == {}
    assert cli.status()["processed_total"] == 0

    _poll_ok(cli)
    for order in orders:
        the_lead(sandbox, order.code)


# --- 5 ------------------------------------------------------------------------------------------


def test_expired_token_is_refreshed_and_the_rotated_pair_is_reused(sandbox, cli):
    sandbox.kaspi.add_order(make_order("850000001", created=hours_ago(2), phone="7015000001"))
    sandbox.amo.expire_access_tokens()  # the seeded access token now answers 401
    _poll_ok(cli)
    the_lead(sandbox, "850000001")

    # Same stale seed in the environment: its refresh token is spent (single use), its access
    # token revoked. Only the persisted rotated pair can work.
    sandbox.kaspi.add_order(make_order("850000002", created=hours_ago(0.05), phone="7015000002"))
    _poll_ok(cli)
    the_lead(sandbox, "850000002")

    # And once more after the rotated access token expires too: the persisted refresh token is used.
    sandbox.amo.expire_access_tokens()
    sandbox.kaspi.add_order(make_order("850000003", created=hours_ago(0.02), phone="7015000003"))
    _poll_ok(cli)
    the_lead(sandbox, "850000003")
    assert len(sandbox.amo.leads) == 3

    # Persisted tokens (file backend) are readable only by their owner.
    holders = [p for p in cli.home.rglob("*") if p.is_file() and b"def50200" in p.read_bytes()]
    assert holders, "no persisted refresh token found under KASPI_AMO_HOME"
    for path in holders:
        assert path.stat().st_mode & 0o077 == 0, f"{path} holds a refresh token and is group/world readable"


# --- 6 ------------------------------------------------------------------------------------------


def test_without_products_catalog_deals_get_the_note_only(sandbox, cli):
    sandbox.amo.remove_products_catalog()
    orders = [
        make_order("860000001", created=hours_ago(2), phone="7016000001",
                   entries=[goods_entry("LEGO-CLASSIC-11717"), goods_entry("CHICCO-NF-250", 2)]),
        make_order("860000002", created=hours_ago(1), phone="7016000002", entries=[goods_entry("BOSCH-MUMS2EW00")]),
    ]
    sandbox.kaspi.add_orders(orders)
    _poll_ok(cli)
    for order in orders:
        lead = the_lead(sandbox, order.code)
        assert product_links(sandbox, lead["id"]) == []
        assert len(sandbox.amo.lead_contact_ids(lead["id"])) == 1
        notes = common_notes(sandbox, lead["id"])
        assert len(notes) == 1
        for entry in order.entries:
            assert_entry_line(notes[0], sku=entry.sku, name=entry.name, quantity=entry.quantity,
                              unit_price=entry.unit_price)


# --- 7 ------------------------------------------------------------------------------------------


def _bulk_entries(count: int) -> list[SandboxEntry]:
    kinds = [("Фломастеры Faber-Castell", 1890.0), ("Карандаши цветные Koh-i-Noor", 1490.0),
             ("Пластилин Play-Doh", 2290.0), ("Альбом для рисования Hatber", 690.0), ("Гуашь Гамма", 1990.0)]
    entries = []
    for i in range(count):
        name, price = kinds[i % len(kinds)]
        entries.append(SandboxEntry(sku=f"KG-{i + 1:03d}", name=f"{name}, набор {chr(0x410 + i % 32)}{i // 32}",
                                    quantity=1 + i % 4, unit_price=price + 10.0 * (i // len(kinds))))
    return entries


def test_edge_orders_all_become_deals(sandbox, cli):
    bulk = _bulk_entries(150)
    orders = [
        make_order("870000001", created=hours_ago(4), phone=None, first_name="Дана", last_name="Ахметова",
                   entries=[goods_entry("CERAVE-HYDR-CLNS-236", 2), goods_entry("LOREAL-REVITALIFT-50")]),
        make_order("870000002", created=hours_ago(3), phone="7012345678", first_name="Сергей",
                   last_name="Иванов", entries=[]),
        make_order("870000003", created=hours_ago(2), phone="7015557788", first_name="Жанар",
                   last_name="Оспанова", customer_name="Детский сад «Балапан»", entries=bulk,
                   payment_mode="PREPAID"),
        make_order("870000004", created=hours_ago(1), phone="7027654321", first_name="Гүлнұрсұлтан",
                   last_name="Әбдіқадырқызы-Жұмабекова",
                   entries=[goods_entry("PAMPERS-PANTS-4-52", 3), goods_entry("CHICCO-NF-250", 2)]),
    ]
    sandbox.kaspi.add_orders(orders)
    _poll_ok(cli)
    amo = sandbox.amo

    # No phone: no contact, tag `без телефона`, and the note says so.
    lead = the_lead(sandbox, "870000001")
    assert amo.lead_contact_ids(lead["id"]) == []
    assert sorted(amo.lead_tags(lead["id"])) == sorted(["Kaspi", "NEW", "без телефона"])
    notes = common_notes(sandbox, lead["id"])
    assert len(notes) == 1 and "телефон" in notes[0].casefold(), notes
    assert not any(c["name"] == "Дана Ахметова" for c in amo.contacts.values())

    # No entries: a deal at 0 with the buyer and a note, no product links.
    lead = the_lead(sandbox, "870000002")
    assert lead["price"] == 0
    assert product_links(sandbox, lead["id"]) == []
    assert len(amo.lead_contact_ids(lead["id"])) == 1
    notes = common_notes(sandbox, lead["id"])
    assert len(notes) == 1 and "870000002" in notes[0]

    # 150 entries: every one linked with its quantity and listed in the note.
    lead = the_lead(sandbox, "870000003")
    assert lead["price"] == round(orders[2].total_price)
    _assert_products(sandbox, lead["id"], bulk)
    notes = common_notes(sandbox, lead["id"])
    assert len(notes) == 1, f"{len(notes)} notes"
    for entry in bulk:
        assert_entry_line(notes[0], sku=entry.sku, name=entry.name, quantity=entry.quantity,
                          unit_price=entry.unit_price)

    # Long Kazakh names survive intact.
    lead = the_lead(sandbox, "870000004")
    (cid,) = amo.lead_contact_ids(lead["id"])
    contact = amo.contacts[cid]
    assert contact["name"] == "Гүлнұрсұлтан Әбдіқадырқызы-Жұмабекова"
    assert (contact["first_name"], contact["last_name"]) == ("Гүлнұрсұлтан", "Әбдіқадырқызы-Жұмабекова")
    assert amo.contact_phones(cid) == ["+77027654321"]
    assert len(amo.leads) == 4


# --- 8 ------------------------------------------------------------------------------------------


def test_missing_kaspi_token_is_a_configuration_error(sandbox, cli):
    sandbox.kaspi.add_order(make_order("880000001", created=hours_ago(1)))
    result = cli.poll(drop=["KASPI_API_TOKEN"])
    assert result.returncode == 2, describe(result)
    assert_clear_failure(result)
    assert "KASPI_API_TOKEN" in result.stderr, describe(result)
    assert sandbox.amo.leads == {} and sandbox.amo.write_requests == 0


def test_non_numeric_pipeline_id_is_a_configuration_error(sandbox, cli):
    sandbox.kaspi.add_order(make_order("880000002", created=hours_ago(1)))
    result = cli.poll(extra={"AMO_PIPELINE_ID": "abc"})
    assert result.returncode == 2, describe(result)
    assert_clear_failure(result)
    assert "AMO_PIPELINE_ID" in result.stderr, describe(result)
    assert sandbox.amo.leads == {} and sandbox.amo.write_requests == 0


def test_kaspi_rejecting_the_token_fails_the_cycle_with_one_clear_line(sandbox, cli):
    sandbox.kaspi.add_order(make_order("880000003", created=hours_ago(1)))
    result = cli.poll(extra={"KASPI_API_TOKEN": "wrong-token-123"})
    assert result.returncode == 1, describe(result)
    assert_clear_failure(result)
    assert len(stderr_lines(result)) == 1, describe(result)
    assert sandbox.amo.leads == {} and sandbox.amo.write_requests == 0


# --- 9 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("expired_tokens", [False, True], ids=["valid-token", "both-must-refresh"])
def test_two_polls_at_once_create_each_deal_once(sandbox, cli, expired_tokens):
    # An installation that has run before (store and tokens exist); the fresh-home race is below.
    _poll_ok(cli)
    codes = [f"89000000{i}" for i in range(10)]
    sandbox.kaspi.add_orders([
        make_order(code, created=hours_ago(5 - i * 0.4), phone=f"70190000{i:02d}", first_name="Марат",
                   last_name=f"Маратов{i}", entries=[goods_entry("LEGO-CLASSIC-11717"), goods_entry("CASE-IP15-BLK")])
        for i, code in enumerate(codes)
    ])
    if expired_tokens:  # both must refresh, and there is one single-use refresh token
        sandbox.amo.expire_access_tokens()
    outcomes = _run_at_once(cli, 2)
    report = _outcomes_report(outcomes)
    for code in codes:
        assert len(sandbox.amo.leads_named(f"Kaspi #{code}")) == 1, f"{code}\n{report}"
    assert len(sandbox.amo.leads) == len(codes)
    _assert_concurrent_outcomes(outcomes)
    phones = [p for cid in sandbox.amo.contacts for p in sandbox.amo.contact_phones(cid)]
    assert len(phones) == len(set(phones)) == len(codes), "a buyer got two contacts"
    for lead in sandbox.amo.leads.values():
        assert len(common_notes(sandbox, lead["id"])) == 1
        assert len(product_links(sandbox, lead["id"])) == 2
    writes = sandbox.amo.write_requests
    _poll_ok(cli)  # and the store they shared is consistent: nothing left to do
    assert sandbox.amo.write_requests == writes


def _run_at_once(cli: Cli, count: int) -> list[tuple[int, str, str]]:
    procs = [cli.popen("poll") for _ in range(count)]
    outcomes = []
    for proc in procs:
        out, err = proc.communicate(timeout=240)
        outcomes.append((proc.returncode, out, err))
    return outcomes


def _outcomes_report(outcomes: list[tuple[int, str, str]]) -> str:
    return "\n".join(f"--- exit {rc}\n{out}\n{err}" for rc, out, err in outcomes)


def _assert_concurrent_outcomes(outcomes: list[tuple[int, str, str]]) -> None:
    """Each run either did the work (0) or waited/stepped aside with a clear message; never 2."""
    report = _outcomes_report(outcomes)
    assert all(rc != 2 for rc, _, _ in outcomes), report
    assert any(rc == 0 for rc, _, _ in outcomes), report
    for rc, out, err in outcomes:
        assert "Traceback" not in err + out, report
        if rc != 0:
            assert err.strip(), report


def test_polls_started_at_once_on_a_fresh_home_all_survive(sandbox, tmp_path):
    codes = ["899000001", "899000002"]
    sandbox.kaspi.add_orders([make_order(code, created=hours_ago(2 - i), phone=f"701990000{i}")
                              for i, code in enumerate(codes)])
    # The old race (shared temp file, unlocked seeding) showed in about half the rounds of 6.
    for attempt in range(3):
        cli = Cli.create(sandbox, tmp_path / f"round{attempt}")
        cli.cwd.mkdir()
        outcomes = _run_at_once(cli, 6)
        _assert_concurrent_outcomes(outcomes)
        for code in codes:
            assert len(sandbox.amo.leads_named(f"Kaspi #{code}")) == 1, code


# --- 10 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("configured", [True, False], ids=["configured", "no-settings-at-all"])
def test_status_on_an_empty_home(cli, configured):
    env = cli.make_env() if configured else base_env(cli.home)
    human = cli.run("status", env=env)
    assert human.returncode == 0, describe(human)
    assert human.stdout.strip()
    result = cli.run("status", "--json", env=env)
    assert result.returncode == 0, describe(result)
    status = json.loads(result.stdout)
    assert status["processed_total"] == 0
    assert status["backlog"] == 0


# --- 11 -----------------------------------------------------------------------------------------


def _outage_orders(prefix: str) -> list:
    return [
        make_order(f"{prefix}{i}", created=hours_ago(5 - i), phone=f"70110000{i:02d}", first_name="Алия",
                   last_name=f"Нурпеисова{i}", entries=[goods_entry("MAYBELLINE-SKYHIGH-BLK", 2),
                                                       goods_entry("NIVEA-SUN-SPF50-200")])
        for i in range(5)
    ]


def _assert_recovered(sandbox, cli, orders, failed_run) -> None:
    assert failed_run.returncode == 1, describe(failed_run)
    assert_clear_failure(failed_run)
    unfinished = [o.code for o in orders
                  if len(sandbox.amo.leads_named(f"Kaspi #{o.code}")) != 1
                  or not common_notes(sandbox, sandbox.amo.leads_named(f"Kaspi #{o.code}")[0]["id"])]
    assert unfinished, "the outage should have left orders unfinished"
    # a failed order is named on stderr; orders a failed cycle left queued are listed in the summary
    output = failed_run.stdout + failed_run.stderr
    assert any(code in output for code in unfinished), f"the output names no order\n{describe(failed_run)}"
    assert cli.status()["backlog"] >= 1

    end_outage(sandbox)
    _poll_ok(cli)
    for order in orders:
        lead = the_lead(sandbox, order.code)  # exactly one
        assert len(common_notes(sandbox, lead["id"])) == 1, order.code
        _assert_products(sandbox, lead["id"], order.entries)
        assert len(sandbox.amo.lead_contact_ids(lead["id"])) == 1
    phones = [p for cid in sandbox.amo.contacts for p in sandbox.amo.contact_phones(cid)]
    assert len(phones) == len(set(phones)) == len(orders), "a buyer got two contacts"
    status = cli.status()
    assert status["backlog"] == 0
    assert status["processed_total"] == len(orders)


def test_amo_outage_on_the_first_write_then_recovery_without_duplicates(sandbox, cli):
    orders = _outage_orders("8910000")
    sandbox.kaspi.add_orders(orders)
    # amoCRM goes down right after the first write it applied (answers 503 to everything).
    outage_when(sandbox, lambda request: sandbox.amo.write_requests >= 1)
    failed = cli.poll()
    _assert_recovered(sandbox, cli, orders, failed)


def test_amo_outage_after_leads_exist_then_recovery_completes_them_once(sandbox, cli):
    orders = _outage_orders("8920000")
    sandbox.kaspi.add_orders(orders)
    # amoCRM goes down at the first write after any lead exists (products/notes still to come).
    outage_when(sandbox, lambda request: request.method == "POST" and bool(sandbox.amo.leads))
    started = time.monotonic()
    failed = cli.poll()
    assert time.monotonic() - started < 120
    _assert_recovered(sandbox, cli, orders, failed)


# --- never twice: lost store, lost answers -------------------------------------------------------


def test_lost_local_store_does_not_duplicate_deals(sandbox, cli, tmp_path):
    orders = [make_order(f"89300000{i}", created=hours_ago(3 - i), phone=f"70193000{i:02d}") for i in range(3)]
    sandbox.kaspi.add_orders(orders)
    _poll_ok(cli)
    # The owner reinstalls: a brand-new home (no store, no persisted tokens), freshly connected.
    fresh = Cli.create(sandbox, tmp_path / "reinstalled")
    fresh.cwd.mkdir()
    _poll_ok(fresh)
    for order in orders:
        the_lead(sandbox, order.code)
    assert len(sandbox.amo.leads) == len(orders)
    assert len(sandbox.amo.contacts) == len(orders)


def test_lead_write_whose_answer_is_lost_is_not_repeated(sandbox, cli):
    orders = [make_order(f"89400000{i}", created=hours_ago(3 - i), phone=f"70194000{i:02d}") for i in range(3)]
    sandbox.kaspi.add_orders(orders)
    amo = sandbox.amo
    original = amo.handle
    armed = [True]

    def handle(request):
        # amoCRM applies the first lead-creating POST, then the connection dies before the answer.
        if armed[0] and request.method == "POST" and request.path.startswith("/api/v4/leads"):
            armed[0] = False
            amo.apply_then_drop_next(1)
        return original(request)

    amo.handle = handle
    first = cli.poll()
    assert first.returncode in (0, 1), describe(first)
    assert not armed[0], "no lead was ever written"
    assert amo.leads, "the dropped write should have been applied"
    for attempt in range(2):  # a failed order is retried by the next poll(s)
        result = cli.poll()
        assert result.returncode == 0 or attempt == 0, describe(result)
    for order in orders:
        lead = the_lead(sandbox, order.code)
        assert len(common_notes(sandbox, lead["id"])) == 1, order.code
        assert len(amo.lead_contact_ids(lead["id"])) == 1
    assert len(amo.leads) == len(orders)
    assert cli.status()["backlog"] == 0


# --- more of the contract: fuzzy search pages, limits, paging, configuration precedence ---------


def test_exact_phone_match_is_found_beyond_the_first_page_of_fuzzy_hits(sandbox, cli):
    amo = sandbox.amo
    # 60 older contacts share the last 7 digits: amoCRM's search returns them all, page after page.
    decoys = [amo.add_contact(f"Покупатель {p}", [f"+7 {p} 555 66 77"]) for p in range(700, 761)]
    real = amo.add_contact("Самат Ерланов", ["+7 (777) 555-66-77"], first_name="Самат", last_name="Ерланов")
    sandbox.kaspi.add_order(make_order("895000001", created=hours_ago(1), phone="7775556677",
                                       first_name="Самат", last_name="Ерланов"))
    _poll_ok(cli)
    lead = the_lead(sandbox, "895000001")
    assert amo.lead_contact_ids(lead["id"]) == [real]
    assert len(amo.contacts) == len(decoys) + 1, "a duplicate contact was created"


def test_amo_rps_is_never_above_seven(sandbox: Sandbox, cli: Cli) -> None:
    sandbox.kaspi.add_orders([
        make_order(f"89600000{i}", created=hours_ago(5 - i * 0.4), phone=f"70196000{i:02d}",
                   first_name="Данияр", last_name=f"Касымов{i}")
        for i in range(12)
    ])
    arrivals: list[float] = []
    original = sandbox.amo.handle

    def handle(request):
        if request.path.startswith("/api/v4"):
            arrivals.append(time.monotonic())
        return original(request)

    sandbox.amo.handle = handle  # type: ignore[method-assign]  # count each request as it arrives
    result = cli.poll(extra={"AMO_RPS": "50"})
    if result.returncode == 2:  # refusing the setting is as good as capping it
        assert_clear_failure(result)
        assert "AMO_RPS" in result.stderr, describe(result)
        return
    assert result.returncode == 0, describe(result)
    assert len(sandbox.amo.leads) == 12
    assert len(arrivals) >= 10
    # At most 7 request starts per second (0.1 s of slack for loopback scheduling jitter).
    busiest = max(sum(1 for t in arrivals if start <= t < start + 0.9) for start in arrivals)
    assert busiest <= 7, f"{busiest} amoCRM requests within 0.9 s"


def test_kaspi_page_size_pages_through_every_order(sandbox, cli):
    orders = [make_order(f"89700000{i}", created=hours_ago(5 - i * 0.5), phone=f"70197000{i:02d}")
              for i in range(7)]
    sandbox.kaspi.add_orders(orders)
    _poll_ok(cli, extra={"KASPI_PAGE_SIZE": "2"})
    for order in orders:
        the_lead(sandbox, order.code)


def test_dotenv_in_working_directory_is_read_and_the_environment_wins(sandbox, cli):
    sandbox.kaspi.add_orders([
        make_order("898000001", created=hours_ago(2), phone="7019800001"),
        make_order("898000002", created=hours_ago(1), phone="7019800002", state="DELIVERY",
                   status="ACCEPTED_BY_MERCHANT"),
    ])
    (cli.cwd / ".env").write_text(
        f"AMO_STATUS_ID=70000012\nAMO_PIPELINE_ID={DEMO_PIPELINE_ID}\nKASPI_ALLOWED_STATES=NEW\n", encoding="utf-8")
    # The environment overrides .env's allowed states; .env alone supplies the status.
    _poll_ok(cli, extra={"KASPI_ALLOWED_STATES": "NEW,DELIVERY"}, drop=["AMO_STATUS_ID", "AMO_PIPELINE_ID"])
    for code in ("898000001", "898000002"):
        lead = the_lead(sandbox, code)
        assert (lead["pipeline_id"], lead["status_id"]) == (DEMO_PIPELINE_ID, 70000012)
