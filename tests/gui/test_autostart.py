"""Autostart at login on all three systems, with injected home, platform and registry."""

from __future__ import annotations

import plistlib
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QWizard

from app.gui.autostart import (
    INSTALLER_MARKER,
    RUN_VALUE_NAME,
    Autostart,
    default_command,
    desktop_exec,
)
from tests.gui.conftest import SYNC_TIMEOUT_MS, open_wizard_at_finish

COMMAND = ["/opt/Kaspi amoCRM Sync/kaspi-amo", "--flag"]


class FakeRunKey:
    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def get(self, name: str) -> str | None:
        return self.values.get(name)

    def set(self, name: str, value: str) -> None:
        self.values[name] = value

    def delete(self, name: str) -> None:
        self.values.pop(name, None)


def test_linux_writes_and_removes_an_xdg_desktop_entry(tmp_path: Path) -> None:
    auto = Autostart(COMMAND, platform="linux", home=tmp_path, env={})
    assert auto.path == tmp_path / ".config" / "autostart" / "kaspi-amo.desktop"
    assert not auto.is_enabled()
    auto.enable()
    text = auto.path.read_text(encoding="utf-8")
    assert "[Desktop Entry]" in text and "Type=Application" in text
    assert 'Exec="/opt/Kaspi amoCRM Sync/kaspi-amo" --flag' in text
    assert auto.is_enabled()
    auto.disable()
    assert not auto.is_enabled() and not auto.path.exists()


def test_linux_honours_xdg_config_home(tmp_path: Path) -> None:
    auto = Autostart(COMMAND, platform="linux", home=tmp_path, env={"XDG_CONFIG_HOME": str(tmp_path / "xdg")})
    assert auto.path == tmp_path / "xdg" / "autostart" / "kaspi-amo.desktop"


def test_macos_writes_and_removes_a_launch_agent(tmp_path: Path) -> None:
    auto = Autostart(COMMAND, platform="darwin", home=tmp_path)
    auto.enable()
    assert auto.path is not None and auto.path.parent == tmp_path / "Library" / "LaunchAgents"
    plist = plistlib.loads(auto.path.read_bytes())
    assert plist["ProgramArguments"] == COMMAND and plist["RunAtLoad"] is True and plist["Label"]
    auto.disable()
    assert not auto.is_enabled()


def test_windows_uses_the_hkcu_run_key(tmp_path: Path) -> None:
    key = FakeRunKey()
    auto = Autostart(COMMAND, platform="win32", home=tmp_path, run_key=key, installer_key=FakeRunKey())
    assert auto.path is None and not auto.is_enabled()
    auto.enable()
    assert key.values == {RUN_VALUE_NAME: '"/opt/Kaspi amoCRM Sync/kaspi-amo" --flag'}
    assert auto.is_enabled()
    auto.apply(False)
    assert key.values == {} and not auto.is_enabled()
    assert list(tmp_path.iterdir()) == []  # nothing written to disk on Windows


@pytest.mark.parametrize("switch_on", [True, False])
def test_switching_autostart_in_the_app_takes_the_value_over_from_the_installer(
    tmp_path: Path, switch_on: bool
) -> None:
    """The installer marks a Run value it wrote, so that an upgrade with its task unticked
    removes only its own; once the owner switches autostart in the app, the mark goes."""
    run, installer = FakeRunKey(), FakeRunKey()
    run.values[RUN_VALUE_NAME] = '"C:\\Users\\u\\AppData\\Local\\Programs\\Kaspi amoCRM Sync\\Kaspi amoCRM Sync.exe"'
    installer.values[INSTALLER_MARKER] = "installer"
    auto = Autostart(COMMAND, platform="win32", home=tmp_path, run_key=run, installer_key=installer)
    assert auto.is_enabled()  # the installer's value counts as on
    auto.apply(switch_on)
    assert installer.values == {}
    assert (RUN_VALUE_NAME in run.values) is switch_on


def test_reading_the_state_leaves_the_installers_mark(tmp_path: Path) -> None:
    run, installer = FakeRunKey(), FakeRunKey()
    run.values[RUN_VALUE_NAME] = "x"
    installer.values[INSTALLER_MARKER] = "installer"
    auto = Autostart(COMMAND, platform="win32", home=tmp_path, run_key=run, installer_key=installer)
    assert auto.is_enabled()
    assert installer.values == {INSTALLER_MARKER: "installer"}


def test_default_command_runs_this_python_or_the_frozen_app() -> None:
    assert default_command("/venv/bin/python", frozen=False) == ["/venv/bin/python", "-m", "app"]
    assert default_command("C:/App/kaspi-amo.exe", frozen=True) == ["C:/App/kaspi-amo.exe"]


@pytest.mark.parametrize("args, line", [
    (["kaspi-amo"], "kaspi-amo"),
    (["/a b/c", "-m", "app"], '"/a b/c" -m app'),
    (['say "hi" $HOME'], '"say \\"hi\\" \\$HOME"'),
    (["50%"], "50%%"),
])
def test_desktop_exec_quoting(args: list[str], line: str) -> None:
    assert desktop_exec(args) == line


def test_the_wizard_turns_autostart_on_and_off(make_gui: Any, sandbox: Any, qtbot: Any) -> None:
    controller = make_gui(sandbox=sandbox)
    qtbot.waitUntil(lambda: controller.worker.configured, timeout=SYNC_TIMEOUT_MS)
    assert not controller.autostart.is_enabled()  # off by default
    for autostart, mute in ((True, False), (False, True)):
        wizard = open_wizard_at_finish(controller, qtbot)
        assert wizard.finish_page.autostart.isChecked() is not autostart  # shows the current choice
        wizard.finish_page.autostart.setChecked(autostart)
        wizard.finish_page.mute.setChecked(mute)
        with qtbot.waitSignal(wizard.saved, timeout=SYNC_TIMEOUT_MS):
            wizard.button(QWizard.WizardButton.FinishButton).click()
        assert controller.autostart.is_enabled() is autostart and controller.prefs_store.load().autostart is autostart
        assert controller.prefs.mute_notifications is mute and controller.prefs_store.load().mute_notifications is mute
        qtbot.waitUntil(lambda: controller.wizard is None and controller.worker.configured, timeout=SYNC_TIMEOUT_MS)

def test_the_wizard_shows_autostart_the_installer_switched_on(make_gui: Any, sandbox: Any, qtbot: Any) -> None:
    controller = make_gui(sandbox=sandbox)
    qtbot.waitUntil(lambda: controller.worker.configured, timeout=SYNC_TIMEOUT_MS)
    controller.autostart.enable()  # what the Windows installer's "start with Windows" task does
    assert not controller.prefs.autostart
    wizard = open_wizard_at_finish(controller, qtbot)
    assert wizard.finish_page.autostart.isChecked()  # the real state, not the last choice in the app
    wizard.finish_page.autostart.setChecked(False)
    with qtbot.waitSignal(wizard.saved, timeout=SYNC_TIMEOUT_MS):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert not controller.autostart.is_enabled()
