"""The installer checks of tests/windows/test_installer.py, on a real Windows with the real
bundle: the release workflow runs it on its Windows runner after iscc.

    build\\venv\\Scripts\\python packaging\\windows\\check_installer.py dist\\kaspi-amo-sync-<v>-windows-setup.exe

In order: a fresh silent per-user install (files, Start menu entry, the Run value and the
installer's mark, the version, the installed `kaspi-amo.exe --version` and `doctor`); a silent
upgrade with "Start with Windows" unticked over the running tray app (it is asked to quit and
exits 0 by itself; a `kaspi-amo.exe sandbox` from the install folder is ended by its path, the
same program in dist\\ keeps running; the app starts again; the installer's Run value goes);
an unticked upgrade keeps a Run value the app set; uninstalls keeping and (/DELETEDATA)
removing the data. Exits 1 with the failed check. Windows only; needs the app's packages
(the build's virtualenv) for the single-instance key.
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
import tempfile
import time
import winreg
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.gui.single_instance import instance_key  # noqa: E402
from app.paths import resolve_paths  # noqa: E402

APP_NAME = "Kaspi amoCRM Sync"
APP_EXE = f"{APP_NAME}.exe"
CLI_EXE = "kaspi-amo.exe"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
INSTALLER_KEY = rf"Software\{APP_NAME}"
UNINSTALL_KEY = r"Software\Microsoft\Windows\CurrentVersion\Uninstall\{6ADEFEAF-2C8A-4E12-BA82-B7798BCEB658}_is1"
SILENT = ["/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART"]
SYNCHRONIZE = 0x00100000
LOCAL = Path(os.environ["LOCALAPPDATA"])
INSTALL_DIR = LOCAL / "Programs" / APP_NAME
DATA_DIR = LOCAL / "kaspi-amo"
START_MENU_ENTRY = Path(os.environ["APPDATA"]) / "Microsoft" / "Windows" / "Start Menu" / "Programs" / f"{APP_NAME}.lnk"


class CheckFailed(AssertionError):
    pass


def check(condition: object, what: str) -> None:
    if not condition:
        raise CheckFailed(what)
    print(f"ok: {what}", flush=True)


def wait_for(predicate: Callable[[], object], what: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise CheckFailed(f"timed out waiting for {what}")
        time.sleep(0.25)


def reg_value(key: str, name: str) -> str | None:
    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key) as handle:
            return str(winreg.QueryValueEx(handle, name)[0])
    except FileNotFoundError:
        return None


def reg_key_exists(key: str) -> bool:
    try:
        winreg.OpenKey(winreg.HKEY_CURRENT_USER, key).Close()
        return True
    except FileNotFoundError:
        return False


def mutex_exists(name: str) -> bool:
    handle = ctypes.windll.kernel32.OpenMutexW(SYNCHRONIZE, False, name)
    if handle:
        ctypes.windll.kernel32.CloseHandle(handle)
    return bool(handle)


def pids_of(image: str) -> set[int]:
    listing = subprocess.run(["tasklist", "/FI", f"IMAGENAME eq {image}", "/FO", "CSV", "/NH"],
                             capture_output=True, text=True, check=False).stdout
    return {int(line.split('","')[1]) for line in listing.splitlines() if line.startswith(f'"{image}"')}


def read_log(path: Path) -> str:
    return path.read_text(encoding="utf-8-sig", errors="replace") if path.exists() else ""


class Checks:
    def __init__(self, setup: Path, work: Path) -> None:
        self.setup = setup
        self.work = work
        home = work / "home"
        self.env = {**os.environ, "KASPI_AMO_HOME": str(home), "KASPI_AMO_SECRETS": "file",
                    "QT_QPA_PLATFORM": "offscreen"}
        self.pipe = instance_key(resolve_paths(self.env).config_dir)
        self.background: list[subprocess.Popen[bytes]] = []
        self.logs = 0

    def run_setup(self, *args: str) -> str:
        self.logs += 1
        log = self.work / f"setup-{self.logs}.log"
        started = time.monotonic()
        code = subprocess.run([str(self.setup), *SILENT, f"/LOG={log}", *args], env=self.env, check=False,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600).returncode
        print(f"setup {' '.join(args)}: exit {code} in {time.monotonic() - started:.1f} s", flush=True)
        check(code == 0, f"setup {' '.join(args)} succeeded")
        return read_log(log)

    def uninstall(self, *args: str) -> str:
        self.logs += 1
        log = self.work / f"uninstall-{self.logs}.log"
        subprocess.run([str(INSTALL_DIR / "unins000.exe"), *SILENT, f"/LOG={log}", *args], env=self.env,
                       check=True, timeout=600)
        wait_for(lambda: "Log closed." in read_log(log), "the uninstaller to finish")
        return read_log(log)

    def start(self, *args: str) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(list(args), env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.background.append(process)
        return process

    def tray_ready(self) -> bool:
        return mutex_exists("KaspiAmoSync.Running") and self.pipe in os.listdir("\\\\.\\pipe\\")

    def quit_politely(self, log: str, pid: int) -> None:
        check("kaspi-amo.exe quit ended with exit code 0" in log and "The tray app quit by itself" in log,
              "the installer asked the tray app to quit and it did")
        check(f"Ending process {pid}" not in log, "the tray app was not ended by force")

    def all(self, version: str) -> None:
        run_value = f'"{INSTALL_DIR / APP_EXE}"'

        log = self.run_setup()
        for name in (APP_EXE, CLI_EXE, "unins000.exe", "_internal"):
            check((INSTALL_DIR / name).exists(), f"installed {name}")
        check(START_MENU_ENTRY.is_file(), "a Start menu entry")
        check(reg_value(RUN_KEY, "KaspiAmoSync") == run_value, "the Run value")
        check(reg_value(INSTALLER_KEY, "AutostartSetBy") == "installer", "the installer's mark on it")
        check(reg_value(UNINSTALL_KEY, "DisplayVersion") == version, f"version {version} in Programs and Features")
        cli = str(INSTALL_DIR / CLI_EXE)
        out = subprocess.run([cli, "--version"], env=self.env, capture_output=True, text=True, check=True).stdout
        check(version in out, "kaspi-amo.exe --version")
        check(subprocess.run([cli, "doctor", "--no-network"], env=self.env, check=False).returncode == 0,
              "kaspi-amo.exe doctor")

        tray = self.start(str(INSTALL_DIR / APP_EXE))
        wait_for(self.tray_ready, "the tray app to hold its mutex and listen")
        ours = self.start(cli, "sandbox")  # a long-running program from the install folder
        foreign = self.start(str(ROOT / "dist" / APP_NAME / CLI_EXE), "sandbox")  # the same program elsewhere
        time.sleep(3)
        check(ours.poll() is None and foreign.poll() is None, "both sandboxes run")
        log = self.run_setup("/TASKS=")
        check(tray.wait(30) == 0, "the tray app exited 0 by itself")
        self.quit_politely(log, tray.pid)
        check(f"Ending process {ours.pid}" in log, "the sandbox from the install folder was ended, found by its path")
        ours.wait(30)
        check(f"process {foreign.pid}," not in log and foreign.poll() is None, "the sandbox in dist\\ was left alone")
        wait_for(self.tray_ready, "the app to start again after the silent upgrade")
        check(reg_value(RUN_KEY, "KaspiAmoSync") is None, "autostart unticked: the installer's Run value went")
        check(reg_value(INSTALLER_KEY, "AutostartSetBy") is None, "and its mark")

        with winreg.CreateKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:  # what the app's own switch writes
            winreg.SetValueEx(key, "KaspiAmoSync", 0, winreg.REG_SZ, run_value)
        (restarted,) = pids_of(APP_EXE)
        log = self.run_setup("/TASKS=")
        self.quit_politely(log, restarted)
        check(reg_value(RUN_KEY, "KaspiAmoSync") == run_value, "a Run value the app set survives an unticked upgrade")
        self.run_setup("/TASKS=autostart")
        check(reg_value(INSTALLER_KEY, "AutostartSetBy") == "installer", "ticked again: the installer marks it")

        wait_for(self.tray_ready, "the app to start again")
        (running,) = pids_of(APP_EXE)
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        (DATA_DIR / "settings.json").write_text("{}", encoding="utf-8")
        log = self.uninstall()
        self.quit_politely(log, running)
        check(not INSTALL_DIR.exists() and not START_MENU_ENTRY.exists(), "uninstalled: program and Start menu entry")
        check((DATA_DIR / "settings.json").is_file(), "a silent uninstall keeps the data")
        check(reg_value(RUN_KEY, "KaspiAmoSync") is None, "the Run value went")
        check(not reg_key_exists(INSTALLER_KEY) and not reg_key_exists(UNINSTALL_KEY), "the installer's keys went")

        self.run_setup()
        self.uninstall("/DELETEDATA")
        check(not DATA_DIR.exists() and not INSTALL_DIR.exists(), "/DELETEDATA removes the data")
        check(foreign.poll() is None, "the sandbox in dist\\ is still running")

    def stop(self) -> None:
        for process in self.background:
            if process.poll() is None:
                process.kill()
        for pid in pids_of(APP_EXE):
            subprocess.run(["taskkill", "/f", "/pid", str(pid)], capture_output=True, check=False)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    setup = Path(argv[0]).resolve()
    version = setup.name.removeprefix("kaspi-amo-sync-").removesuffix("-windows-setup.exe")
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as work:
        checks = Checks(setup, Path(work))
        try:
            checks.all(version)
        except CheckFailed as failed:
            print(f"FAILED: {failed}", flush=True)
            for log in sorted(Path(work).glob("*.log")):
                print(f"--- {log.name}\n{read_log(log)[-6000:]}")
            return 1
        finally:
            checks.stop()
    print("all installer checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
