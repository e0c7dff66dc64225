"""What the two-way actions read from amoCRM (app.amo.deals) against the emulator's lead
fields, loss reasons and event log, over real HTTP: a manager's moves show up as events, one
request when nothing happened, deals read back with their loss reason and field values."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from app.amo.api import AmoApi, LeadDraft
from app.amo.client import AmoClient
from app.amo.deals import CODE_FIELD, PLACES_FIELD, DealFeed
from app.amo.oauth import TokenManager
from app.amo.ratelimit import RateLimiter
from app.amo.tokens import MemoryTokenStore, TokenPair
from app.sandbox.amo import AmoEmulator
from app.sandbox.http import EmulatorServer
from app.sandbox.server import ACCEPT_STATUS_ID, DEMO_PIPELINE_ID, DEMO_STATUS_ID


class Clock:
    def __init__(self) -> None:
        self.now = 1_760_000_000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Rig:
    amo: AmoEmulator
    client: AmoClient
    api: AmoApi
    deals: DealFeed
    clock: Clock

    def lead(self, name: str = "Kaspi #1") -> int:
        [lead_id] = self.api.create_leads([LeadDraft(name=name, price=100, pipeline_id=DEMO_PIPELINE_ID,
                                                     status_id=DEMO_STATUS_ID, tags=("Kaspi",))])
        return lead_id


@pytest.fixture
def rig() -> Iterator[Rig]:
    clock = Clock()
    amo = AmoEmulator(rps_limit=None, clock=clock)
    with EmulatorServer(amo) as server:
        access, refresh = amo.issue_tokens()
        client = AmoClient(server.url, TokenManager(MemoryTokenStore(TokenPair(access, refresh)), None),
                           RateLimiter(1000), max_retries=0)
        yield Rig(amo, client, AmoApi(client), DealFeed(client), clock)


def test_fields_found_or_created_by_name(rig: Rig) -> None:
    wanted = [(CODE_FIELD, "text"), (PLACES_FIELD, "numeric")]
    before = rig.client.requests_made
    ids = rig.deals.ensure_lead_fields(wanted)
    assert rig.client.requests_made - before == 2  # list (empty) + one create for both
    assert {f.name: (f.id, f.type) for f in rig.deals.lead_fields()} == {
        CODE_FIELD: (ids[CODE_FIELD], "text"), PLACES_FIELD: (ids[PLACES_FIELD], "numeric")}
    before = rig.client.requests_made
    assert rig.deals.ensure_lead_fields(wanted) == ids  # found by name, nothing created twice
    assert rig.client.requests_made - before == 1
    rig.amo.manager.add_field("Комментарий склада")
    assert rig.deals.ensure_lead_fields(wanted) == ids


def test_loss_reasons_by_name(rig: Rig) -> None:
    reasons = {r.name: r.id for r in rig.deals.loss_reasons()}
    assert reasons == rig.amo.manager.loss_reasons() and "Нет в наличии" in reasons


def test_no_change_is_one_request(rig: Rig) -> None:
    rig.lead()
    since = int(rig.clock.now) + 1
    rig.clock.now += 10
    before = rig.client.requests_made
    assert rig.deals.lead_events(since, field_ids=[]) == []
    assert rig.client.requests_made - before == 1


def test_manager_moves_and_typed_code_are_events(rig: Rig) -> None:
    ids = rig.deals.ensure_lead_fields([(CODE_FIELD, "text"), (PLACES_FIELD, "numeric")])
    lead = rig.lead()
    since = int(rig.clock.now)
    rig.clock.now += 5
    rig.amo.manager.move(lead, ACCEPT_STATUS_ID)
    rig.clock.now += 5
    rig.amo.manager.set_field(lead, CODE_FIELD, "4321")
    rig.amo.manager.set_field(lead, PLACES_FIELD, 3)  # not asked for: not returned
    events = rig.deals.lead_events(since, field_ids=[ids[CODE_FIELD]])
    assert [(e.type, e.lead_id) for e in events] == [
        ("lead_status_changed", lead), (f"custom_field_{ids[CODE_FIELD]}_value_changed", lead)]
    move, code = events
    assert (move.status_id, move.pipeline_id, move.understood) == (ACCEPT_STATUS_ID, DEMO_PIPELINE_ID, True)
    assert (code.field_id, code.text) == (ids[CODE_FIELD], "4321")
    rig.clock.now += 5
    rig.amo.manager.set_field(lead, CODE_FIELD, "")
    emptied = rig.deals.lead_events(int(rig.clock.now), field_ids=[ids[CODE_FIELD]])
    assert [(e.text, e.understood) for e in emptied] == [(None, True)]
    [state] = rig.deals.deals([lead])
    assert state.value(ids[PLACES_FIELD]) == "3" and state.value(ids[CODE_FIELD]) is None


def test_lost_deal_read_with_its_reason(rig: Rig) -> None:
    lead = rig.lead()
    rig.amo.manager.close_lost(lead, "Нет в наличии")
    [state] = rig.deals.deals([lead])
    assert state.status_id == 143
    assert (state.loss_reason_id, state.loss_reason_name) == (rig.amo.manager.loss_reason_id("Нет в наличии"),
                                                              "Нет в наличии")
    rig.amo.manager.move(lead, ACCEPT_STATUS_ID)  # reopened: the reason goes
    [state] = rig.deals.deals([lead])
    assert state.loss_reason_id is None and state.loss_reason_name is None


def test_events_page_through_and_come_oldest_first(rig: Rig) -> None:
    leads = [rig.lead(f"Kaspi #{n}") for n in range(3)]
    since = int(rig.clock.now)
    for round_ in range(40):  # 120 moves: more than one page of 100
        rig.clock.now += 1
        for lead in leads:
            rig.amo.manager.move(lead, ACCEPT_STATUS_ID if round_ % 2 == 0 else DEMO_STATUS_ID)
    events = rig.deals.lead_events(since)
    assert len(events) == 120
    assert [e.created_at for e in events] == sorted(e.created_at for e in events)


def test_unknown_field_value_refused(rig: Rig) -> None:
    lead = rig.lead()
    response = rig.client.request  # a write of a field that does not exist is a 400, nothing changes
    from app.errors import AmoValidationError

    with pytest.raises(AmoValidationError):
        response("PATCH", f"leads/{lead}", json={"custom_fields_values": [{"field_id": 1, "values": [{"value": "x"}]}]})
    rig.deals.ensure_lead_fields([(PLACES_FIELD, "numeric")])
    field = rig.amo.manager.field_id(PLACES_FIELD)
    with pytest.raises(AmoValidationError):
        response("PATCH", f"leads/{lead}", json={"custom_fields_values": [{"field_id": field, "values": [{"value": "много"}]}]})
    assert rig.amo.manager.field(lead, PLACES_FIELD) is None
