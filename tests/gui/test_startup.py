"""Start-up paths: incomplete configuration, tray fallback, single instance, signals, menus."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.config import write_settings_file
from app.gui.app import GuiOptions, install_signal_handlers, run_gui
from app.gui.single_instance import SingleInstance, instance_key
from app.gui.state import TrayState
from app.paths import resolve_paths
from tests.gui.conftest import SYNC_TIMEOUT_MS, base_env, harness_of, wait_configured


def test_incomplete_configuration_says_what_is_missing(make_gui: Any, qtbot: Any) -> None:
    controller = make_gui()  # no Kaspi token, no amoCRM at all
    qtbot.waitUntil(lambda: controller.problem is not None, timeout=SYNC_TIMEOUT_MS)
    window = controller.window
    assert window.isVisible() and window.showing_setup
    assert controller.problem.missing == ("KASPI_API_TOKEN", "AMO_BASE_URL")
    text = window.setup_list.text()
    assert "Токен API Kaspi" in text and "Кабинет продавца Kaspi" in text and "Адрес вашего amoCRM" in text
    assert str(controller.paths.settings_file) in window.setup_where.text()
    assert controller.state == TrayState.WARNING
    assert controller.tray.toolTip().endswith("Нужно завершить настройку")
    assert not controller.tray.action_sync_now.isEnabled()

    qtbot.mouseClick(window.setup_settings_button, Qt.MouseButton.LeftButton)  # "Настроить…" opens the wizard
    qtbot.waitUntil(lambda: controller.wizard is not None and controller.wizard.isVisible(), timeout=SYNC_TIMEOUT_MS)
    assert controller.wizard.currentPage() is controller.wizard.kaspi_page
    controller.wizard.reject()


def test_missing_amocrm_tokens_and_recheck_after_the_owner_fixes_the_settings(
    make_gui: Any, sandbox: Any, qtbot: Any
) -> None:
    env = sandbox.env()
    amo_url = env.pop("AMO_BASE_URL")
    partial = {**env, "AMO_ACCESS_TOKEN": "", "AMO_REFRESH_TOKEN": ""}
    controller = make_gui(partial)
    qtbot.waitUntil(lambda: controller.problem is not None, timeout=SYNC_TIMEOUT_MS)
    assert controller.problem.missing == ("AMO_BASE_URL",)

    assert controller.worker.paths is controller.paths  # the folders are resolved once, in build_gui
    write_settings_file(controller.paths.settings_file, {"AMO_BASE_URL": amo_url})
    with qtbot.waitSignal(controller.worker.config_problem, timeout=SYNC_TIMEOUT_MS) as problem:
        qtbot.mouseClick(controller.window.setup_recheck_button, Qt.MouseButton.LeftButton)
    assert problem.args[0].missing == ("AMO_ACCESS_TOKEN",)
    assert "Доступ к amoCRM" in controller.window.setup_list.text()


def test_complete_configuration_after_recheck_starts_syncing(make_gui: Any, sandbox: Any, qtbot: Any) -> None:
    env = sandbox.env()
    amo_url = env.pop("AMO_BASE_URL")
    controller = make_gui(env)
    qtbot.waitUntil(lambda: controller.problem is not None, timeout=SYNC_TIMEOUT_MS)
    write_settings_file(controller.paths.settings_file, {"AMO_BASE_URL": amo_url})
    with qtbot.waitSignal(controller.worker.ready, timeout=SYNC_TIMEOUT_MS):
        controller.recheck_configuration()
    assert not controller.window.showing_setup and controller.problem is None


def test_no_tray_retries_then_opens_the_window(make_gui: Any, qtbot: Any, sandbox: Any) -> None:
    calls: list[int] = []

    def never() -> bool:
        calls.append(1)
        return False

    controller = make_gui(sandbox=sandbox, tray=never, tray_retry_count=4)
    with qtbot.waitSignal(controller.ui_shown, timeout=SYNC_TIMEOUT_MS) as shown:
        pass
    assert shown.args == ["window"] and len(calls) == 5  # the first try and four retries
    assert controller.window.isVisible() and not controller.tray_shown
    controller.window.close()  # no tray to return from: minimise, keep syncing
    assert controller.window.isVisible() and controller.window.isMinimized()


def test_a_tray_that_appears_late_is_used(make_gui: Any, qtbot: Any, sandbox: Any) -> None:
    answers = iter([False, False, True])
    controller = make_gui(sandbox=sandbox, tray=lambda: next(answers), tray_retry_count=10)
    with qtbot.waitSignal(controller.ui_shown, timeout=SYNC_TIMEOUT_MS) as shown:
        pass
    assert shown.args == ["tray"] and controller.tray_shown
    wait_configured(qtbot, controller)
    assert not controller.window.isVisible()
    controller.open_window()
    controller.window.close()  # with a tray: closing hides, the app keeps running
    assert not controller.window.isVisible() and not controller.quitting


def test_tray_menu_actions_exist_and_show_live_status(make_gui: Any, sandbox: Any, qtbot: Any,
                                                      home: Path) -> None:
    controller = make_gui(sandbox=sandbox)
    wait_configured(qtbot, controller)
    tray = controller.tray
    tray.menu.aboutToShow.emit()
    names = [a.objectName() for a in tray.menu.actions() if a.objectName()]
    assert names == ["action_sync_now", "action_open_window", "action_pause", "action_settings",
                     "action_log_folder", "action_quit"]
    lines = [a.text() for a in tray.status_actions]
    assert lines[0] == "Всё в порядке"
    assert lines[1] == "Последняя синхронизация: ещё не было"
    assert lines[2].startswith("Следующая: через ")
    assert all(not a.isEnabled() for a in tray.status_actions)

    with qtbot.waitSignal(controller.worker.snapshot_ready, timeout=SYNC_TIMEOUT_MS):
        tray.action_open_window.trigger()  # opening the window re-reads the store in the background
    assert controller.window.isVisible()
    tray.action_log_folder.trigger()
    assert harness_of(controller).opened[-1].endswith(str(resolve_paths(base_env(home)).log_dir))
    tray.action_settings.trigger()
    qtbot.waitUntil(lambda: controller.wizard is not None and controller.wizard.isVisible(), timeout=SYNC_TIMEOUT_MS)
    assert controller.wizard.kaspi_page.checked  # the saved token counts as checked
    controller.wizard.reject()
    qtbot.waitUntil(lambda: controller.wizard is None, timeout=SYNC_TIMEOUT_MS)


def test_second_instance_wakes_the_first(qtbot: Any, tmp_path: Path) -> None:
    key = instance_key(tmp_path / "config")
    first = SingleInstance(key)
    assert first.claim() and first.is_primary
    second = SingleInstance(key)
    with qtbot.waitSignal(first.message_received, timeout=5000) as message:
        assert not second.claim()
    assert message.args == ["show"] and not second.is_primary
    first.release()
    third = SingleInstance(key)
    assert third.claim()  # the first one is gone: the socket is free again
    third.release()


def test_run_gui_exits_0_when_another_instance_runs(qtbot: Any, home: Path) -> None:
    env = base_env(home)
    running = SingleInstance(instance_key(resolve_paths(env).config_dir))
    assert running.claim()
    try:
        with qtbot.waitSignal(running.message_received, timeout=5000):
            assert run_gui([], env=env, options=GuiOptions(setup_logs=False)) == 0
    finally:
        running.release()


def test_sigterm_quits_cleanly(make_gui: Any, sandbox: Any, qtbot: Any) -> None:
    controller = make_gui(sandbox=sandbox)
    wait_configured(qtbot, controller)
    previous = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        timer = install_signal_handlers(controller)
        assert timer.isActive()
        with qtbot.waitSignal(controller.finished, timeout=SYNC_TIMEOUT_MS):
            handler = signal.getsignal(signal.SIGTERM)
            assert callable(handler), handler
            handler(signal.SIGTERM, None)
        assert harness_of(controller).quits == 1
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def test_closing_the_last_window_does_not_quit_the_app(make_gui: Any, sandbox: Any) -> None:
    make_gui(sandbox=sandbox)
    app = QApplication.instance()
    assert isinstance(app, QApplication) and not app.quitOnLastWindowClosed()
