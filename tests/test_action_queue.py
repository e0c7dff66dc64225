"""The Kaspi action queue and the deals' last-seen state (migration 003) on SQLite and
PostgreSQL alike: written before anything is sent, found again after a crash, counted."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.store.action_records import ActionRecord, DealSeen
from app.store.base import OrderRecord, SyncState
from app.store.factory import open_store

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.value = T0

    def __call__(self) -> datetime:
        return self.value


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    url = str(tmp_path / "store.db") if request.param == "sqlite" else request.getfixturevalue("pg_schema_url")
    clock = Clock()
    opened = open_store(url, now=clock)
    opened.migrate()
    opened.clock = clock  # type: ignore[attr-defined]
    yield opened
    opened.close()


def test_an_action_survives_a_restart_and_moves_through_its_states(store: Any, tmp_path: Path) -> None:
    [first, second] = store.add_actions([
        ActionRecord("100", 7, "accept", "stage:5"),
        ActionRecord("200", 8, "complete", "field", {"code_hash": "ab12"}),
    ])
    assert second == first + 1
    opened = store.open_actions()
    assert [(a.order_code, a.kind, a.state, a.params) for a in opened] == [
        ("100", "accept", "planned", {}), ("200", "complete", "planned", {"code_hash": "ab12"})]
    action = opened[0]
    action.state, action.attempts = "sent", 1
    store.update_action(action)
    assert [a.state for a in store.open_actions()] == ["sent", "planned"]  # still open after a "crash"
    action.state, action.answer = "done", "HTTP 200 ACCEPTED_BY_MERCHANT"
    store.update_action(action)
    assert [a.order_code for a in store.open_actions()] == ["200"]
    assert [a.order_code for a in store.unnoted_actions()] == ["100"]
    action.noted = True
    store.update_action(action)
    assert store.unnoted_actions() == []
    assert store.action_counts() == {"done": 1, "planned": 1}
    assert [a.order_code for a in store.recent_actions(("planned", "refused"))] == ["200"]
    assert [a.kind for a in store.actions_of(["100", "300"])["100"]] == ["accept"]


def test_seen_deals_and_the_orders_they_belong_to(store: Any) -> None:
    store.save_order(OrderRecord("100", SyncState.DONE, lead_id=7, kaspi_status="APPROVED_BY_BANK",
                                 order_created_at=T0 - timedelta(hours=2)))
    store.save_order(OrderRecord("101", SyncState.DONE, lead_id=9, kaspi_status="APPROVED_BY_BANK",
                                 order_created_at=T0 - timedelta(days=3)))
    assert store.codes_of_leads([7, 8, 9]) == {7: "100", 9: "101"}
    store.save_seen_deals([DealSeen(7, "100", status_id=5, code_hash="x")])
    store.save_seen_deals([DealSeen(7, "100", status_id=143, loss_reason_id=11, code_hash="x", waybill_noted=True)])
    assert store.seen_deals([7, 8]) == {7: DealSeen(7, "100", 143, 11, "x", True)}
    assert store.orders_awaiting_accept(T0 - timedelta(days=1), T0 - timedelta(days=10)) == [("100", 7)]
    assert store.orders_awaiting_accept(T0 - timedelta(days=1), T0 + timedelta(minutes=1)) == []  # seen before


def test_assembled_orders_still_waiting_for_their_waybill_note(store: Any) -> None:
    [aid] = store.add_actions([ActionRecord("300", 12, "assemble", "stage:6", {"places": 2})])
    [action] = store.open_actions()
    action.state = "done"
    store.update_action(action)
    assert store.assembled_without_waybill(timedelta(days=3)) == [("300", 12)]
    store.save_seen_deals([DealSeen(12, "300", waybill_noted=True)])
    assert store.assembled_without_waybill(timedelta(days=3)) == []
    assert aid == action.id
