"""Start the app at login: HKCU Run key (Windows), a LaunchAgent (macOS), XDG autostart (Linux).

Off by default. Each OS path is plain file/registry work with the home folder, the
platform name and the registry injectable, so all three are tested on any machine.
No Qt here.

Windows: the installer's "Start with Windows" task writes the same Run value, and marks it
as its own (INSTALLER_KEY_PATH\\AutostartSetBy = "installer", packaging/windows/
kaspi-amo-sync.iss), so that an upgrade with the task unticked removes only a value the
installer set. Switching autostart in the app takes the value over: the marker goes.
"""

from __future__ import annotations

import os
import plistlib
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

from app import APP_DISPLAY_NAME

RUN_KEY_PATH = r"Software\Microsoft\Windows\CurrentVersion\Run"
RUN_VALUE_NAME = "KaspiAmoSync"
INSTALLER_KEY_PATH = r"Software\Kaspi amoCRM Sync"  # the installer's own key (its AppName)
INSTALLER_MARKER = "AutostartSetBy"
LAUNCH_AGENT_LABEL = "kz.kaspi-amo.sync"
DESKTOP_FILE_NAME = "kaspi-amo.desktop"


def default_command(executable: str | None = None, *, frozen: bool | None = None) -> list[str]:
    """What autostart runs: the frozen app itself, or this Python with `-m app` (no console on Windows)."""
    exe = executable or sys.executable
    if frozen if frozen is not None else getattr(sys, "frozen", False):
        return [exe]
    path = Path(exe)
    if path.name.lower() == "python.exe" and (path.with_name("pythonw.exe")).exists():
        exe = str(path.with_name("pythonw.exe"))
    return [exe, "-m", "app"]


class RunKey(Protocol):
    """The three operations on one registry key's values the Windows path needs (a dict in tests)."""

    def get(self, name: str) -> str | None: ...

    def set(self, name: str, value: str) -> None: ...

    def delete(self, name: str) -> None: ...


class WinRegistryRunKey:
    """Values of an HKEY_CURRENT_USER key (the Run key by default) through winreg (imported
    lazily: Windows only)."""

    def __init__(self, path: str = RUN_KEY_PATH) -> None:
        self.path = path

    def get(self, name: str) -> str | None:
        if sys.platform != "win32":  # the guard also tells mypy which stubs apply below
            raise OSError("the Windows registry exists only on Windows")
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, self.path, 0, winreg.KEY_READ) as key:
                value, _kind = winreg.QueryValueEx(key, name)
                return str(value)
        except FileNotFoundError:
            return None

    def set(self, name: str, value: str) -> None:
        if sys.platform != "win32":  # the guard also tells mypy which stubs apply below
            raise OSError("the Windows registry exists only on Windows")
        import winreg

        with winreg.CreateKeyEx(winreg.HKEY_CURRENT_USER, self.path, 0, winreg.KEY_SET_VALUE) as key:
            winreg.SetValueEx(key, name, 0, winreg.REG_SZ, value)

    def delete(self, name: str) -> None:
        if sys.platform != "win32":  # the guard also tells mypy which stubs apply below
            raise OSError("the Windows registry exists only on Windows")
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, self.path, 0, winreg.KEY_SET_VALUE) as key:
                winreg.DeleteValue(key, name)
        except FileNotFoundError:
            pass


def desktop_exec(command: Sequence[str]) -> str:
    """An Exec= line per the Desktop Entry spec: quote arguments with reserved characters."""
    reserved = set(" \t\n\"'\\><~|&;$*?#()`")
    parts = []
    for arg in command:
        if arg and not (set(arg) & reserved):
            parts.append(arg.replace("%", "%%"))
            continue
        escaped = "".join("\\" + ch if ch in '"`$\\' else ch for ch in arg)
        parts.append('"' + escaped.replace("%", "%%") + '"')
    return " ".join(parts)


class Autostart:
    def __init__(
        self,
        command: Sequence[str] | None = None,
        *,
        platform: str | None = None,
        home: Path | None = None,
        env: Mapping[str, str] | None = None,
        run_key: RunKey | None = None,
        installer_key: RunKey | None = None,
    ) -> None:
        self.command = list(command or default_command())
        self.platform = platform or sys.platform
        self.home = home or Path.home()
        self.env = os.environ if env is None else env
        self._run_key = run_key
        self._installer_key = installer_key

    # --- where -----------------------------------------------------------------------

    @property
    def kind(self) -> str:
        if self.platform.startswith("win"):
            return "windows"
        if self.platform == "darwin":
            return "macos"
        return "xdg"

    @property
    def run_key(self) -> RunKey:
        if self._run_key is None:
            self._run_key = WinRegistryRunKey()
        return self._run_key

    @property
    def installer_key(self) -> RunKey:
        if self._installer_key is None:
            self._installer_key = WinRegistryRunKey(INSTALLER_KEY_PATH)
        return self._installer_key

    @property
    def path(self) -> Path | None:
        """The file autostart writes (None on Windows: it is a registry value)."""
        if self.kind == "macos":
            return self.home / "Library" / "LaunchAgents" / f"{LAUNCH_AGENT_LABEL}.plist"
        if self.kind == "xdg":
            base = self.env.get("XDG_CONFIG_HOME")
            root = Path(base) if base and Path(base).is_absolute() else self.home / ".config"
            return root / "autostart" / DESKTOP_FILE_NAME
        return None

    # --- what ------------------------------------------------------------------------

    def _desktop_entry(self) -> str:
        return "\n".join(
            [
                "[Desktop Entry]",
                "Type=Application",
                f"Name={APP_DISPLAY_NAME}",
                "Comment=Kaspi.kz → amoCRM",
                f"Exec={desktop_exec(self.command)}",
                "Terminal=false",
                "X-GNOME-Autostart-enabled=true",
                "",
            ]
        )

    def _launch_agent(self) -> bytes:
        return plistlib.dumps(
            {
                "Label": LAUNCH_AGENT_LABEL,
                "ProgramArguments": self.command,
                "RunAtLoad": True,
                "ProcessType": "Interactive",
            }
        )

    # --- operations ------------------------------------------------------------------

    def is_enabled(self) -> bool:
        if self.kind == "windows":
            return self.run_key.get(RUN_VALUE_NAME) is not None
        path = self.path
        return path is not None and path.exists()

    def enable(self) -> None:
        """Write (or refresh, e.g. after the app moved) the login item."""
        if self.kind == "windows":
            self.run_key.set(RUN_VALUE_NAME, subprocess.list2cmdline(self.command))
            self.installer_key.delete(INSTALLER_MARKER)  # chosen in the app: the value is the app's now
            return
        path = self.path
        assert path is not None
        path.parent.mkdir(parents=True, exist_ok=True)
        if self.kind == "macos":
            path.write_bytes(self._launch_agent())
        else:
            path.write_text(self._desktop_entry(), encoding="utf-8")

    def disable(self) -> None:
        if self.kind == "windows":
            self.run_key.delete(RUN_VALUE_NAME)
            self.installer_key.delete(INSTALLER_MARKER)
            return
        path = self.path
        if path is not None:
            path.unlink(missing_ok=True)

    def apply(self, enabled: bool) -> None:
        """Make the OS match the preference (called at start and when the setting changes)."""
        if enabled:
            self.enable()
        elif self.is_enabled():
            self.disable()
