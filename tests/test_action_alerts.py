"""A Kaspi write Kaspi refused is alerted by the cycle that got the refusal, once, on every
channel, with Kaspi's words; other failures wait for the fail-streak rule as before."""

from __future__ import annotations

from app.alerts.action_alerts import KIND_REFUSED
from app.errors import AmoUnavailable, KaspiRefused, KaspiWrongCode
from app.sandbox.telegram_emulator import TelegramEmulator
from app.store.sqlite import SqliteStore
from app.sync.events import CycleReport, OrderFailure
from tests.alerts_support import HOST, Clock, make_manager, store, telegram, tg_channel

__all__ = ["store", "telegram"]  # fixtures used by name


def _cycle(*failures: OrderFailure) -> CycleReport:
    clock = Clock()
    return CycleReport("poll", clock(), clock(), failed=list(failures))


def test_refusals_of_a_cycle_make_one_alert(store: SqliteStore, telegram: tuple[TelegramEmulator, str]) -> None:
    emulator, url = telegram
    manager = make_manager(store, Clock(), [tg_channel(url)])
    accept = KaspiRefused("Заказ 810000001: Kaspi отказался принять заказ: «Order in status [CANCELLED] can't be accepted.».")
    code = KaspiWrongCode("Заказ 810000002: Kaspi не принял код выдачи: код неверный.")
    sent = manager.after_cycle(_cycle(OrderFailure("810000001", "x", error=accept),
                                      OrderFailure("810000002", "y", error=code)))
    assert [(s.kind, s.delivered) for s in sent] == [(KIND_REFUSED, ["telegram"])]
    [text] = emulator.texts()
    assert "810000001" in text and "810000002" in text and HOST in text and "can't be accepted" in text


def test_other_failures_and_quiet_cycles_alert_nothing_at_once(store: SqliteStore,
                                                               telegram: tuple[TelegramEmulator, str]) -> None:
    emulator, url = telegram
    manager = make_manager(store, Clock(), [tg_channel(url)])
    assert manager.after_cycle(_cycle(OrderFailure("810000003", "amoCRM", error=AmoUnavailable("нет связи")))) == []
    assert manager.after_cycle(_cycle()) == [] and manager.after_cycle(None) == []
    assert emulator.texts() == []
