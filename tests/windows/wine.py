"""A throwaway Windows under wine for the installer test: its own prefix and X display, the
stand-in bundle built with mingw-w64, Inno Setup's compiler, and small readers of what
Windows would show (registry values, the uninstall log, the stand-in's log).

Where wine is not Windows (the test and docs/packaging.md say so too):
- a new wine 8 prefix reports Windows 7; the installer needs 10 (MinVersion), so the prefix
  is switched to report Windows 10 (after checking that Windows 7 is refused);
- wine's taskkill rejects /t (the installer no longer uses taskkill at all);
- wine's WMI has no Win32_Process.ExecutablePath (the installer reads program paths with
  QueryFullProcessImageNameW instead, which both have);
- winemenubuilder (Start menu entries on the Linux desktop) is switched off.
"""

from __future__ import annotations

import getpass
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOOLS_SCRIPT = ROOT / "packaging" / "windows" / "wine-tools.sh"
ISS = ROOT / "packaging" / "windows" / "kaspi-amo-sync.iss"
STANDIN_SOURCE = Path(__file__).with_name("standin.c")
APP_EXE = "Kaspi amoCRM Sync.exe"
CLI_EXE = "kaspi-amo.exe"
CALL_TIMEOUT = 180

VERSION_RC = """#include <winver.h>
VS_VERSION_INFO VERSIONINFO
FILEVERSION {numbers}
PRODUCTVERSION {numbers}
FILEOS 0x40004
FILETYPE 0x1
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "041904B0"
    BEGIN
      VALUE "CompanyName", "Kaspi amoCRM Sync"
      VALUE "FileDescription", "stand-in"
      VALUE "FileVersion", "{version}"
      VALUE "ProductName", "Kaspi amoCRM Sync"
      VALUE "ProductVersion", "{version}"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x0419, 1200
  END
END
"""


def windows_path(path: Path) -> str:
    """A Linux path as wine's programs see it (drive Z: is /)."""
    return "Z:" + str(path).replace("/", "\\")


def build_standin(target: Path, version: str, internal: dict[str, str]) -> Path:
    """The bundle's layout as build.spec makes it: both executables with build.spec's version
    resource (text version, and the first three numbers + 0 as FILEVERSION) and _internal/."""
    padded = [*re.findall(r"\d+", version)[:3], "0", "0", "0"]
    numbers = [*padded[:3], "0"]
    work = target.parent / f"{target.name}-obj"
    work.mkdir(parents=True, exist_ok=True)
    (work / "version.rc").write_text(VERSION_RC.format(numbers=",".join(numbers), version=version), encoding="ascii")
    run(["x86_64-w64-mingw32-windres", "version.rc", "-O", "coff", "-o", "version.o"], cwd=work)
    target.mkdir(parents=True, exist_ok=True)
    for name, flags in ((APP_EXE, ["-mwindows"]), (CLI_EXE, [])):
        run(["x86_64-w64-mingw32-gcc", "-municode", *flags, "-O1", "-s", "-Wall", "-Werror",
             f'-DSTANDIN_VERSION="{version}"', "-o", str(target / name), str(STANDIN_SOURCE), "version.o"], cwd=work)
    for relative, text in internal.items():
        path = target / "_internal" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return target


def run(args: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None,
        timeout: float = CALL_TIMEOUT) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, errors="replace",
                            timeout=timeout, check=False)
    if result.returncode != 0:
        output = f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        raise AssertionError(f"{args[0]} failed ({result.returncode}):\n{output}")
    return result


@dataclass
class Xvfb:
    process: subprocess.Popen[bytes]
    display: str

    @classmethod
    def start(cls) -> Xvfb:
        read, write = os.pipe()
        args = ["Xvfb", "-displayfd", str(write), "-nolisten", "tcp", "-screen", "0", "1024x768x24"]
        process = subprocess.Popen(args, pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write)
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        if not number:
            process.kill()
            raise AssertionError("Xvfb did not start")
        return cls(process, f":{number}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@dataclass
class Wine:
    """One prefix: `wine(...)` runs a Windows program in it and waits, `start(...)` does not."""

    prefix: Path
    display: str
    home: Path
    extra_env: dict[str, str] = field(default_factory=dict)
    background: list[subprocess.Popen[str]] = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("WINE", "KASPI_", "AMO_"))}
        env.update({"WINEPREFIX": str(self.prefix), "WINEDEBUG": "-all", "DISPLAY": self.display,
                    "HOME": str(self.home), "WINEDLLOVERRIDES": "mscoree,mshtml=;winemenubuilder.exe=d"})
        env.update(self.extra_env)
        return env

    def create(self, windows_version: str) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        run(["wineboot", "--init"], env=self.env, timeout=300)
        self.set_windows_version(windows_version)

    def set_windows_version(self, version: str) -> None:
        run(["wine", "winecfg", "-v", version], env=self.env)

    def call(self, *args: str, timeout: float = CALL_TIMEOUT, capture: bool = True) -> subprocess.CompletedProcess[str]:
        """Run and wait. capture=False for Setup: a program it starts inherits the output pipes
        and would hold them open after Setup has ended (Setup has its own /LOG)."""
        output = subprocess.PIPE if capture else subprocess.DEVNULL
        return subprocess.run(["wine", *args], env=self.env, stdout=output, stderr=output, text=True,
                              errors="replace", timeout=timeout, check=False)

    def start(self, *args: str) -> subprocess.Popen[str]:
        process = subprocess.Popen(["wine", *args], env=self.env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, text=True)
        self.background.append(process)
        return process

    def shutdown(self) -> None:
        subprocess.run(["wineserver", "-k"], env=self.env, capture_output=True, timeout=60, check=False)
        for process in self.background:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()

    # --- what Windows would show ------------------------------------------------------------

    @property
    def user_dir(self) -> Path:
        return self.prefix / "drive_c" / "users" / getpass.getuser()

    @property
    def install_dir(self) -> Path:
        return self.user_dir / "AppData" / "Local" / "Programs" / "Kaspi amoCRM Sync"

    @property
    def data_dir(self) -> Path:
        return self.user_dir / "AppData" / "Local" / "kaspi-amo"

    @property
    def start_menu_entry(self) -> Path:
        return self.user_dir / "AppData" / "Roaming" / "Microsoft" / "Windows" / "Start Menu" / "Programs" / \
            "Kaspi amoCRM Sync.lnk"

    def reg_value(self, key: str, name: str) -> str | None:
        """HKCU\\<key> value `name` as `reg query` prints it, None when absent."""
        result = self.call("reg", "query", f"HKCU\\{key}", "/v", name)
        for line in result.stdout.splitlines():
            parts = line.strip().split(None, 2)
            if len(parts) >= 2 and parts[0] == name and parts[1].startswith("REG_"):
                return parts[2] if len(parts) == 3 else ""
        return None

    def reg_key_exists(self, key: str) -> bool:
        return self.call("reg", "query", f"HKCU\\{key}").returncode == 0

    def reg_add(self, key: str, name: str, value: str) -> None:
        result = self.call("reg", "add", f"HKCU\\{key}", "/v", name, "/t", "REG_SZ", "/d", value, "/f")
        assert result.returncode == 0, result.stderr

    def wait_for(self, predicate: Callable[[], object], what: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            time.sleep(0.2)


def iscc_compile(wine: Wine, iscc: str, source_dir: Path, output_dir: Path) -> tuple[Path, str]:
    """Compile the real .iss against a bundle folder; the setup file and ISCC's output."""
    output_dir.mkdir(parents=True, exist_ok=True)
    result = wine.call(iscc, f"/DSourceDir={windows_path(source_dir)}", f"/O{windows_path(output_dir)}",
                       windows_path(ISS), timeout=300)
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"ISCC failed ({result.returncode}):\n{output[-4000:]}"
    setups = sorted(output_dir.glob("kaspi-amo-sync-*-windows-setup.exe"))
    assert len(setups) == 1, output
    return setups[0], output


class StandinLog:
    """The stand-in's own account of what happened to it: "<pid> <event>" lines."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def lines(self) -> list[tuple[int, str]]:
        if not self.path.exists():
            return []
        found = []
        for line in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
            pid, _, event = line.strip().partition(" ")
            if pid.isdigit():
                found.append((int(pid), event))
        return found

    def events(self, pid: int) -> list[str]:
        return [event for who, event in self.lines() if who == pid]

    def pids(self, event_start: str) -> list[int]:
        return [who for who, event in self.lines() if event.startswith(event_start)]

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


def read_log(path: Path) -> str:
    """Inno Setup's log (UTF-8 with a BOM)."""
    return path.read_text(encoding="utf-8-sig", errors="replace") if path.exists() else ""


def tools_or_reason() -> tuple[str | None, str]:
    """ISCC's path once the tools are there (installing what is missing), or why they cannot be."""
    if shutil.which("bash") is None:
        return None, "no bash"
    result = subprocess.run(["bash", str(TOOLS_SCRIPT)], capture_output=True, text=True, timeout=1800, check=False)
    if result.returncode == 3:
        return None, result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "tools unavailable"
    if result.returncode != 0:
        raise AssertionError(f"{TOOLS_SCRIPT.name} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return result.stdout.strip().splitlines()[-1], result.stderr.strip()
