"""Kaspi's clocks as pure rules (no HTTP, the clock passed in), the store's deadline tables on
both backends, and the alerts' once-per-channel delivery."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.alerts.deadline_alerts import DeadlineAlerter
from app.alerts.messages import AlertMessage
from app.kaspi.models import Customer, Order
from app.lang import Translator
from app.store.base import OrderRecord, Store
from app.store.deadline_records import (
    ACCEPT,
    DONE,
    HANDOVER,
    HANDOVER_MOVED,
    HANDOVER_RETIMED,
    KASPI_DELIVERY,
    PICKUP,
    PICKUP_REMINDER,
    DeadlineEvent,
    OrderWatch,
)
from app.store.factory import open_store
from app.sync.deadlines import (
    DeadlineRules,
    due,
    handover_moved,
    moved_note,
    observe,
    retimed_task,
    waiting,
    wanted_moves,
)
from app.sync.quality import QUALITY_EVENT, Quality, measure, record_quality, status_of

T0 = datetime(2026, 12, 7, 4, 0, tzinfo=UTC)  # 09:00 in Kazakhstan
RULES = DeadlineRules()


def order(code: str = "1", *, created: datetime = T0, status: str = "APPROVED_BY_BANK", state: str = "NEW",
          kd: bool = False, planned: datetime | None = None, handed: datetime | None = None, assembled: bool = False,
          express: bool = False, mode: str = "DELIVERY_LOCAL", reason: str | None = None) -> Order:
    extra: dict[str, object] = {"assembled": assembled, "express": express}
    if planned is not None:
        extra["courier_transmission_planning_date"] = planned
    if handed is not None:
        extra["courier_transmission_date"] = handed
    return Order(id=code, code=code, state=state, status=status, total_price=Decimal(1), created_at=created,
                 customer=Customer(None, "А", "Б", None, "7011112233"), delivery_mode=mode, is_kaspi_delivery=kd,
                 cancellation_reason=reason, extra=extra)


# --- the view of an order -----------------------------------------------------------------------


def test_a_status_change_counts_from_the_previous_sighting() -> None:
    first = observe(None, order(), T0 + timedelta(minutes=5))
    assert first.status_since == T0  # first seen: in this status since creation at the latest
    same = observe(first, order(), T0 + timedelta(minutes=6))
    assert same.status_since == T0 and same.seen_at == T0 + timedelta(minutes=6)
    accepted = observe(same, order(status="ACCEPTED_BY_MERCHANT", state="PICKUP", mode="DELIVERY_PICKUP"),
                       T0 + timedelta(hours=5))  # the app was off for hours: accepted right after 09:06
    assert accepted.status_since == T0 + timedelta(minutes=6) and accepted.delivery == PICKUP


def test_kaspi_delivery_facts_are_kept() -> None:
    planned = T0 + timedelta(days=1)
    watch = observe(None, order(kd=True, status="ACCEPTED_BY_MERCHANT", state="KASPI_DELIVERY", planned=planned,
                                express=True), T0)
    assert (watch.delivery, watch.handover_planned_at, watch.express, watch.assembled) == (KASPI_DELIVERY, planned,
                                                                                             True, False)


# --- what is due --------------------------------------------------------------------------------


def test_acceptance_is_due_from_the_accept_minutes_with_creation_plus_three_hours() -> None:
    watch = observe(None, order(), T0)
    assert due([watch], set(), T0 + timedelta(minutes=59), RULES) == []
    (item,) = due([watch], set(), T0 + timedelta(minutes=60), RULES)
    assert item.kind == ACCEPT and item.complete_till == T0 + timedelta(hours=3)
    assert item.text.startswith("Принять заказ Kaspi #1") and "12:00 07.12" in item.text  # Kazakhstan time
    assert due([watch], {("1", ACCEPT, "")}, T0 + timedelta(hours=2), RULES) == []  # once
    assert due([watch], set(), T0 + timedelta(hours=2), DeadlineRules.from_settings(0, 4)) == []  # switched off
    assert due([watch], set(), T0 + timedelta(minutes=20), DeadlineRules.from_settings(15, 4))


def test_express_orders_say_so() -> None:
    watch = observe(None, order(express=True), T0)
    (item,) = due([watch], set(), T0 + timedelta(hours=1), RULES)
    assert "Express" in item.text and "60 минут" in item.text


def test_handover_is_due_four_hours_before_the_planned_date_unless_packed_or_gone() -> None:
    planned = T0 + timedelta(hours=10)
    kd = order(kd=True, status="ACCEPTED_BY_MERCHANT", state="KASPI_DELIVERY", planned=planned)
    watch = observe(None, kd, T0)
    assert due([watch], set(), planned - timedelta(hours=4, minutes=1), RULES) == []
    (item,) = due([watch], set(), planned - timedelta(hours=4), RULES)
    assert item.kind == HANDOVER and item.complete_till == planned and item.text.startswith("Собрать заказ Kaspi #1")
    for other in (replace(kd, extra={**kd.extra, "assembled": True}),
                  replace(kd, extra={**kd.extra, "courier_transmission_date": T0}),
                  replace(kd, status="CANCELLED", state="ARCHIVE")):
        assert due([observe(None, other, T0)], set(), planned, RULES) == []


def test_a_moved_handover_is_noted_once_per_new_date() -> None:
    planned = T0 + timedelta(hours=10)
    before = observe(None, order(kd=True, status="ACCEPTED_BY_MERCHANT", planned=planned), T0)
    after = observe(before, order(kd=True, status="ACCEPTED_BY_MERCHANT", planned=planned + timedelta(days=1)), T0)
    assert handover_moved(before, after) and not handover_moved(None, after) and not handover_moved(after, after)
    note = moved_note(before, after)
    assert note.kind == HANDOVER_MOVED and note.key == (planned + timedelta(days=1)).isoformat() and not note.alert
    assert "19:00 07.12" in note.text and "19:00 08.12" in note.text
    move = retimed_task(after)
    assert (move.kind, move.key, move.complete_till, move.alert) == (HANDOVER_RETIMED, note.key,
                                                                      planned + timedelta(days=1), False)
    assert move.text.startswith("Собрать заказ Kaspi #") and "19:00 08.12" in move.text
    # the task moves only if it was made; each once per new date
    assert wanted_moves([note, move], set()) == [note]
    made = {(after.code, HANDOVER, "")}
    assert wanted_moves([note, move], made) == [note, move]
    assert wanted_moves([note, move], made | {(after.code, HANDOVER_RETIMED, move.key)}) == [note]


def test_pickup_reminder_after_two_days_with_kaspis_three() -> None:
    pickup = observe(None, order(status="ACCEPTED_BY_MERCHANT", state="PICKUP", mode="DELIVERY_PICKUP"), T0)
    assert due([pickup], set(), T0 + timedelta(hours=47), RULES) == []
    (item,) = due([pickup], set(), T0 + timedelta(hours=48), RULES)
    assert item.kind == PICKUP_REMINDER and item.complete_till == T0 + timedelta(days=3) and not item.alert
    assert item.text.startswith("Напомнить покупателю забрать заказ Kaspi #1")


def test_the_window_lists_waiting_orders_soonest_first() -> None:
    now = T0 + timedelta(minutes=70)
    fresh = observe(None, order("2", created=T0 + timedelta(minutes=40)), now)
    late = observe(None, order("1"), now)
    gone = observe(None, order("3", created=T0 - timedelta(days=4)), now)  # nobody refreshed it: not listed
    kd = observe(None, order("4", kd=True, status="ACCEPTED_BY_MERCHANT", planned=T0 + timedelta(hours=3)), now)
    rows = waiting([fresh, late, gone, kd], now, RULES)
    assert [(r.code, r.kind, r.overdue_alert) for r in rows] == [("1", ACCEPT, True), ("4", HANDOVER, True),
                                                                  ("2", ACCEPT, False)]


# --- quality ------------------------------------------------------------------------------------


def test_quality_bands_are_exact_fractions() -> None:
    assert status_of(3, 100) == "warning"  # exactly 3 %: not above the limit
    assert status_of(31, 1000) == "over"
    assert status_of(24, 1000) == "warning"  # exactly 80 % of the limit
    assert status_of(239, 10000) == "ok"
    assert status_of(0, 0) == "ok"


def test_quality_counts_only_the_shops_fault_once_per_order_inside_the_window() -> None:
    since, until = T0 - timedelta(days=30), T0
    orders = [
        order("1", status="CANCELLED", reason="MERCHANT_OUT_OF_STOCK"),
        order("1", status="CANCELLED", reason="MERCHANT_OUT_OF_STOCK"),  # the same order twice: once
        order("2", status="CANCELLING", reason="TIMEOUT_KASPI_DELIVERY"),
        order("3", status="CANCELLED", reason="BUYER_CANCELLATION_BY_MERCHANT"),
        order("4", status="CANCELLED", reason="MERCHANT_OUT_OF_STOCK", created=since - timedelta(seconds=1)),
        order("5", status="COMPLETED"),
    ]
    quality = measure(orders, since, until)
    assert (quality.orders, quality.cancelled_by_merchant) == (4, 2)
    assert quality.by_reason == {"MERCHANT_OUT_OF_STOCK": 1, "TIMEOUT_KASPI_DELIVERY": 1}
    assert quality.to_json() == {"window_days": 30, "orders": 4, "cancelled_by_merchant": 2,
                                 "cancellation_rate": 0.5, "cancellation_limit": 0.03, "status": "over"}
    assert Quality.load(quality.dump()) == quality


# --- the store (both backends) ------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path, store_backend: str, request: pytest.FixtureRequest) -> Iterator[Store]:
    url = request.getfixturevalue("pg_schema_url") if store_backend == "postgres" else str(tmp_path / "s.sqlite3")
    opened = open_store(url)
    opened.migrate()
    yield opened
    opened.close()


def test_events_are_unique_per_order_kind_and_key(store: Store) -> None:
    first = store.add_deadline_events([DeadlineEvent("1", ACCEPT, text="t", due_at=T0, alert={})])
    assert len(first) == 1 and first[0].id is not None
    assert store.add_deadline_events([DeadlineEvent("1", ACCEPT, text="again")]) == []  # decided already
    moved = store.add_deadline_events([DeadlineEvent("1", HANDOVER_MOVED, key="a", text="n"),
                                       DeadlineEvent("1", HANDOVER_MOVED, key="b", text="n")])
    assert len(moved) == 2
    assert store.deadline_keys(["1", "2"]) == {("1", ACCEPT, ""), ("1", HANDOVER_MOVED, "a"),
                                               ("1", HANDOVER_MOVED, "b")}
    event = first[0]
    event.state, event.task_id, event.lead_id = DONE, 77, 20200001
    store.update_deadline_event(event)
    assert [e.order_code for e in store.open_deadline_events()] == ["1", "1"]  # the two notes
    (stored,) = [e for e in store.recent_deadline_events() if e.kind == ACCEPT]
    assert (stored.state, stored.task_id, stored.lead_id, stored.due_at, stored.alert) == (DONE, 77, 20200001, T0, {})


def test_events_of_orders_by_kind_whatever_their_state(store: Store) -> None:
    store.add_deadline_events([DeadlineEvent("1", HANDOVER, text="task", due_at=T0),
                               DeadlineEvent("1", HANDOVER_MOVED, key="a", text="note"),
                               DeadlineEvent("1", HANDOVER_RETIMED, key="a", text="moved", due_at=T0),
                               DeadlineEvent("2", HANDOVER, text="other")])
    (task, moved) = store.deadline_events_of(["1"], (HANDOVER, HANDOVER_RETIMED))
    assert (task.kind, moved.kind, moved.key, moved.due_at) == (HANDOVER, HANDOVER_RETIMED, "a", T0)
    task.state, task.task_id = DONE, 5
    store.update_deadline_event(task)
    assert [(e.order_code, e.state, e.task_id) for e in store.deadline_events_of(["1", "2", "3"], (HANDOVER,))] == [
        ("1", DONE, 5), ("2", "planned", None)]
    assert store.deadline_events_of(["1"], ()) == []


def test_alert_deliveries_change_only_by_compare_and_set(store: Store) -> None:
    (event,) = store.add_deadline_events([DeadlineEvent("1", ACCEPT, text="t", due_at=T0, alert={})])
    assert event.id is not None
    assert store.swap_deadline_alert(event.id, {}, {"telegram": "trying"})
    assert not store.swap_deadline_alert(event.id, {}, {"telegram": "trying"})  # the other process loses
    event.state = DONE
    store.update_deadline_event(event)  # the runner's update never touches the deliveries
    (stored,) = store.unalerted_deadline_events(T0 - timedelta(days=3650))
    assert stored.alert == {"telegram": "trying"} and stored.state == DONE


def test_watches_round_trip_touch_and_go_with_the_orders(store: Store) -> None:
    watch = OrderWatch("1", "APPROVED_BY_BANK", "NEW", T0, "other", express=True, status_since=T0, seen_at=T0)
    kd = OrderWatch("2", "ACCEPTED_BY_MERCHANT", "KASPI_DELIVERY", T0, KASPI_DELIVERY,
                    handover_planned_at=T0 + timedelta(hours=9), status_since=T0, seen_at=T0)
    store.save_watches([watch, kd])
    assert store.watches_of(["1", "2", "3"]) == {"1": watch, "2": kd}
    store.touch_watches(["1"], T0 + timedelta(minutes=1))
    assert store.watches_of(["1"])["1"].seen_at == T0 + timedelta(minutes=1)
    assert [w.code for w in store.open_watches(["APPROVED_BY_BANK"])] == ["1"]
    store.save_order(OrderRecord("1"))
    store.add_deadline_events([DeadlineEvent("1", ACCEPT, text="t")])
    store.delete_all_orders()  # another amoCRM account takes the store over
    assert store.watches_of(["1", "2"]) == {} and store.recent_deadline_events() == []


def test_a_quality_change_is_recorded_once_and_ok_is_silent(store: Store) -> None:
    def q(cancelled: int, until: datetime) -> Quality:
        return Quality(100, cancelled, until - timedelta(days=30), until)

    assert not record_quality(store, q(1, T0))  # ok, as before
    assert record_quality(store, q(3, T0 + timedelta(hours=1)))  # → warning
    assert not record_quality(store, q(3, T0 + timedelta(hours=2)))  # still warning: no second alert
    assert record_quality(store, q(4, T0 + timedelta(hours=3)))  # → over
    assert not record_quality(store, q(0, T0 + timedelta(hours=4)))  # back to ok: silent
    assert record_quality(store, q(3, T0 + timedelta(hours=5)))  # warning again: a new change
    kinds = [e.kind for e in store.recent_deadline_events()]
    assert kinds == [QUALITY_EVENT] * 3


# --- alerts once per channel ----------------------------------------------------------------------


class Channel:
    def __init__(self, name: str, fail: int = 0) -> None:
        self.name, self.fail = name, fail
        self.got: list[AlertMessage] = []

    def send(self, message: AlertMessage) -> bool:
        if self.fail:
            self.fail -= 1
            return False
        self.got.append(message)
        return True


def alerter(store: Store, language: str = "ru") -> DeadlineAlerter:
    return DeadlineAlerter(store, Translator(language), "shop.amocrm.ru", lambda: T0 + timedelta(hours=1))


def run(alerter_: DeadlineAlerter, channels: list[Channel]) -> None:
    by_name = {c.name: c for c in channels}

    def send(message: AlertMessage, names: Any) -> list[str]:
        return [n for n in names if by_name[n].send(message)]

    alerter_.run([c.name for c in channels], send)


def test_deadline_alerts_go_once_per_channel_and_retry_a_failed_one(store: Store) -> None:
    store.save_watches([OrderWatch("700", "APPROVED_BY_BANK", "NEW", T0, "other", express=True, status_since=T0,
                                   seen_at=T0)])
    store.add_deadline_events([DeadlineEvent("700", ACCEPT, text="t", due_at=T0 + timedelta(hours=3), alert={}),
                               DeadlineEvent("700", PICKUP_REMINDER, text="t", due_at=T0, alert=None)])
    telegram, mail = Channel("telegram", fail=1), Channel("email")
    run(alerter(store), [telegram, mail])
    assert telegram.got == [] and len(mail.got) == 1
    assert "700" in mail.got[0].title and "Express" in mail.got[0].body and "shop.amocrm.ru" in mail.got[0].body
    run(alerter(store), [telegram, mail])
    run(alerter(store), [telegram, mail])
    assert len(telegram.got) == 1 and len(mail.got) == 1


def test_deadline_alerts_speak_the_trays_language(store: Store) -> None:
    store.add_deadline_events([DeadlineEvent("701", HANDOVER, text="t", due_at=T0 + timedelta(hours=4), alert={})])
    english = Channel("telegram")
    run(alerter(store, "en"), [english])
    (message,) = english.got
    assert "701" in message.title and "Kaspi" in message.body
    assert "Передача" not in message.body and "Собери" not in message.title  # translated, not Russian


def test_the_translator_defaults_to_russian() -> None:
    assert Translator().tr("Заказ Kaspi №{code} ждёт принятия", code="1") == "Заказ Kaspi №1 ждёт принятия"
    assert Translator("kk").tr("Заказ Kaspi №{code} ждёт принятия", code="1") == "№1 Kaspi тапсырысы қабылдауды күтуде"


def test_an_alert_a_channel_could_not_give_in_time_is_not_given_late(store: Store) -> None:
    store.save_watches([OrderWatch("702", "APPROVED_BY_BANK", "NEW", T0, "other", status_since=T0, seen_at=T0)])
    store.add_deadline_events([DeadlineEvent("702", ACCEPT, text="t", due_at=T0 + timedelta(hours=3), alert={})])
    telegram = Channel("telegram")
    run(alerter(store), [telegram])
    assert len(telegram.got) == 1
    store.save_watches([OrderWatch("702", "ACCEPTED_BY_MERCHANT", "DELIVERY", T0, "other", status_since=T0,
                                   seen_at=T0 + timedelta(minutes=30))])
    desktop = Channel("desktop")  # the tray starts after the order was accepted
    run(alerter(store), [telegram, desktop])
    assert desktop.got == [] and len(telegram.got) == 1
    (event,) = store.recent_deadline_events()
    assert event.alert == {"telegram": "ok", "desktop": "moot"}
