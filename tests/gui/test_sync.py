"""Sync now, start-up sync, pause, quit and failures, against the seeded sandbox."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import Qt

from app.gui.models import LINK_ROLE, Column
from app.gui.state import TrayState
from tests.gui.conftest import SYNC_TIMEOUT_MS, harness_of, wait_configured

SYNCED = 14  # the seed's orders in the default allowed states


def _row_of(model: Any, code: str) -> int:
    return next(r for r in range(model.rowCount()) if model.record(r).code == code)


def test_sync_now_from_the_tray_fills_the_table(make_gui: Any, sandbox: Any, qtbot: Any) -> None:
    controller = make_gui(sandbox=sandbox)
    wait_configured(qtbot, controller)
    assert controller.window.model.rowCount() == 0
    with qtbot.waitSignal(controller.worker.snapshot_ready, timeout=SYNC_TIMEOUT_MS,
                          check_params_cb=lambda snap: len(snap.orders) > 0):
        controller.tray.action_sync_now.trigger()
    model = controller.window.model
    assert model.rowCount() == SYNCED
    codes = {model.record(r).code for r in range(model.rowCount())}
    assert "700000115" in codes and "700000110" not in codes  # archived orders are not polled
    row = _row_of(model, "700000115")
    assert model.index(row, Column.TOTAL).data() == "107\u00a0980\u00a0₸"
    assert "***" in model.index(row, Column.PHONE).data()
    assert model.index(row, Column.SYNC).data() == "В amoCRM"
    # amber, not green: the seed's 700000120 waits past ALERT_ACCEPT_MINUTES (tests/gui/test_deadline_panels.py)
    qtbot.waitUntil(lambda: controller.state == TrayState.WARNING, timeout=SYNC_TIMEOUT_MS)
    assert "Сегодня: создано 14" in controller.window.today.text()
    assert "Последняя синхронизация" in controller.tray.toolTip()


def test_lead_link_opens_the_deal_in_the_browser(make_gui: Any, sandbox: Any, qtbot: Any) -> None:
    controller = make_gui(sandbox=sandbox, run_at_start=True)
    qtbot.waitUntil(lambda: controller.window.model.rowCount() == SYNCED, timeout=SYNC_TIMEOUT_MS)
    window = controller.window
    window.bring_forward()
    qtbot.waitExposed(window)
    proxy_index = window.proxy.index(0, Column.LEAD)
    lead_id = window.model.record(window.proxy.mapToSource(proxy_index).row()).lead_id
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton,
                     pos=window.table.visualRect(proxy_index).center())
    assert harness_of(controller).opened == [f"{sandbox.amo_base_url}/leads/detail/{lead_id}"]
    assert proxy_index.data(LINK_ROLE) == harness_of(controller).opened[0]


def test_configured_app_syncs_at_once_and_announces_the_new_deals_as_one_group(
    make_gui: Any, sandbox: Any, qtbot: Any
) -> None:
    controller = make_gui(sandbox=sandbox, run_at_start=True)
    with qtbot.waitSignal(controller.notifier.shown, timeout=SYNC_TIMEOUT_MS,
                          check_params_cb=lambda title, body, level: title.startswith("Создано")) as shown:
        pass
    title, body, level = shown.args
    assert (title, level) == ("Создано 14 сделок", "info")
    assert body.startswith("Заказы Kaspi #") and body.endswith("и ещё 11")


def test_pause_stops_the_scheduler_and_resume_syncs_again(make_gui: Any, sandbox: Any, qtbot: Any) -> None:
    controller = make_gui(sandbox=sandbox)
    wait_configured(qtbot, controller)
    scheduler = controller.worker.scheduler
    controller.tray.rebuild_menu()
    assert controller.tray.action_pause.text() == "Приостановить синхронизацию"
    controller.tray.action_pause.trigger()
    assert scheduler.paused and controller.state == TrayState.PAUSED
    assert controller.tray.action_pause.text() == "Возобновить синхронизацию"
    assert controller.window.pause_button.text() == "Возобновить"
    scheduler._jobs.run_all()  # every timer fires: nothing may be queued while paused
    assert scheduler._queue.empty()
    with qtbot.waitSignal(controller.worker.cycle_finished, timeout=SYNC_TIMEOUT_MS):
        controller.tray.action_pause.trigger()  # resume queues a poll at once
    assert not scheduler.paused
    qtbot.waitUntil(lambda: controller.state == TrayState.OK, timeout=SYNC_TIMEOUT_MS)


def test_quit_during_a_sync_returns_at_once_and_stops_the_worker_cleanly(
    make_gui: Any, sandbox: Any, qtbot: Any
) -> None:
    controller = make_gui(sandbox=sandbox)
    wait_configured(qtbot, controller)
    worker, scheduler = controller.worker, controller.worker.scheduler
    runtime = worker.runtime
    with qtbot.waitSignal(worker.cycle_started, timeout=SYNC_TIMEOUT_MS):
        controller.tray.action_sync_now.trigger()
    started = time.perf_counter()
    with qtbot.waitSignal(controller.finished, timeout=SYNC_TIMEOUT_MS):
        controller.tray.action_quit.trigger()
        assert time.perf_counter() - started < 0.2  # the GUI thread never waits for the batch
    assert harness_of(controller).quits == 1
    assert scheduler.stopped and not scheduler._thread.is_alive()
    assert worker.runtime is None and runtime.engine.stop_event.is_set()
    assert not controller.tray.isVisible()


def test_amocrm_outage_turns_red_notifies_and_retry_failed_recovers(make_gui: Any, sandbox: Any, qtbot: Any) -> None:
    controller = make_gui({"ALERT_BACKLOG_THRESHOLD": "5"}, sandbox=sandbox)
    wait_configured(qtbot, controller)
    window = controller.window
    assert not window.backlog_alarm and not window.retry_button.isEnabled()
    sandbox.amo.fail_next(1000, 503)
    balloons: list[tuple[str, str, str]] = []
    controller.notifier.shown.connect(lambda *args: balloons.append(args))
    with qtbot.waitSignal(controller.notifier.shown, timeout=SYNC_TIMEOUT_MS,
                          check_params_cb=lambda title, body, level: title.startswith("Не удалось")) as shown:
        controller.sync_now()
    title, body, level = shown.args
    assert (title, level) == ("Не удалось передать 14 заказов", "error")
    assert "amoCRM недоступен" in body
    # the alerts package speaks through the same tray (its desktop channel): backlog 14 > 5
    qtbot.waitUntil(lambda: any(t == "Заказы Kaspi копятся в очереди" for t, _b, _l in balloons),
                    timeout=SYNC_TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.model.rowCount() == SYNCED, timeout=SYNC_TIMEOUT_MS)
    assert controller.state == TrayState.ERROR
    assert window.backlog_alarm  # 14 failed > ALERT_BACKLOG_THRESHOLD=5
    assert "Очередь: 14" in window.backlog.text()
    assert window.error_banner.isVisibleTo(window) and "amoCRM недоступен" in window.error_text.text()
    assert window.model.index(0, Column.SYNC).data() == "Ошибка"

    sandbox.amo.clear_faults()
    assert window.retry_button.isEnabled()
    with qtbot.waitSignal(controller.notifier.shown, timeout=SYNC_TIMEOUT_MS,
                          check_params_cb=lambda t, b, lvl: t == "Синхронизация восстановлена"):
        qtbot.mouseClick(window.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.snapshot.status.backlog == 0, timeout=SYNC_TIMEOUT_MS)
    assert not window.backlog_alarm and window.backlog.text() == "Очередь пуста"
    assert not window.error_banner.isVisibleTo(window)
    # recovered: amber only for the seed's two orders waiting before Kaspi's clocks run out
    assert controller.state == TrayState.WARNING and controller.snapshot.deadlines.alarming == 2


def test_wrong_kaspi_token_shows_the_error_in_plain_words(make_gui: Any, sandbox: Any, qtbot: Any) -> None:
    controller = make_gui({"KASPI_API_TOKEN": "wrong-token"}, sandbox=sandbox, run_at_start=True)
    with qtbot.waitSignal(controller.notifier.shown, timeout=SYNC_TIMEOUT_MS,
                          check_params_cb=lambda title, body, level: "Kaspi" in title) as shown:
        pass
    title, _body, level = shown.args
    assert (title, level) == ("Kaspi не принимает токен", "error")
    qtbot.waitUntil(lambda: controller.state == TrayState.ERROR, timeout=SYNC_TIMEOUT_MS)
    assert "Kaspi не принимает токен" in controller.window.error_text.text()
    assert controller.window.headline.text() == "Синхронизация не удалась"
    assert "Последняя успешная синхронизация: ещё не было" in controller.window.detail.text()


def test_muted_notifications_are_not_shown(make_gui: Any, sandbox: Any, qtbot: Any) -> None:
    controller = make_gui(sandbox=sandbox, run_at_start=True)
    controller.apply_prefs(controller.prefs.with_changes(mute_notifications=True))
    shown: list[Any] = []
    controller.notifier.shown.connect(lambda *args: shown.append(args))
    with qtbot.waitSignal(controller.notifier.suppressed, timeout=SYNC_TIMEOUT_MS,
                          check_params_cb=lambda title, body, level: title.startswith("Создано")):
        pass
    assert shown == []
