"""The Windows installer, for real: packaging/windows/kaspi-amo-sync.iss compiled with Inno
Setup's own compiler and run under wine against a stand-in bundle (tests/windows/standin.c:
build.spec's layout and version resource; the tray app holds the KaspiAmoSync.Running mutex,
ignores WM_CLOSE like the real window, and answers "quit" on its single-instance channel the
way the real app does).

One throwaway Windows, in order: Windows 7 is refused; a fresh silent per-user install (files,
Start menu entry, the Run value with the installer's mark); a silent upgrade to a pre-release
over a running app with "Start with Windows" unticked (the app is asked to quit and does, after
its batch, with no kill; a headless run from the install folder is ended, a kaspi-amo.exe
elsewhere is left alone; the app starts again; the old _internal is gone; the installer's Run
value goes); an unticked upgrade keeps a Run value the app set itself; uninstalls keeping and
removing the data. Where wine differs from Windows: tests/windows/wine.py.

Slow (a wine prefix, about a minute). The tools are installed when missing
(packaging/windows/wine-tools.sh, also run by .ci/run); skipped, saying why, only when they
cannot be installed at all. The release workflow runs the same checks on a real Windows runner
with the real bundle.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.windows.wine import (
    APP_EXE,
    CLI_EXE,
    StandinLog,
    Wine,
    Xvfb,
    build_standin,
    iscc_compile,
    read_log,
    tools_or_reason,
    windows_path,
)

pytestmark = pytest.mark.slow

RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
INSTALLER_KEY = r"Software\Kaspi amoCRM Sync"
UNINSTALL_KEY = r"Software\Microsoft\Windows\CurrentVersion\Uninstall\{6ADEFEAF-2C8A-4E12-BA82-B7798BCEB658}_is1"
SILENT = ("/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART")


@pytest.fixture(scope="module")
def iscc() -> str:
    if os.environ.get("KASPI_AMO_SKIP_WINE") == "1":
        pytest.skip("Windows installer test skipped: KASPI_AMO_SKIP_WINE=1")
    path, reason = tools_or_reason()
    if path is None:
        pytest.skip(f"Windows installer test skipped: wine, Xvfb, mingw-w64 or ISCC cannot be installed here: {reason}")
    return path


@pytest.fixture(scope="module")
def windows(iscc: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Wine, StandinLog]]:
    work = tmp_path_factory.mktemp("wine")
    display = Xvfb.start()
    wine = Wine(prefix=work / "prefix", display=display.display, home=work / "home",
                extra_env={"STANDIN_LOG": windows_path(work / "standin.log"), "STANDIN_BATCH_MS": "1500"})
    try:
        started = time.monotonic()
        wine.create("win7")
        print(f"wine prefix ready in {time.monotonic() - started:.1f} s")
        yield wine, StandinLog(work / "standin.log")
    finally:
        wine.shutdown()
        display.stop()


def setup_run(wine: Wine, setup: Path, log: Path, *args: str) -> tuple[int, str]:
    started = time.monotonic()
    result = wine.call(str(setup), *SILENT, f"/LOG={windows_path(log)}", *args, capture=False)
    print(f"{setup.name} {' '.join(args)}: exit {result.returncode} in {time.monotonic() - started:.1f} s")
    return result.returncode, read_log(log)


def uninstall(wine: Wine, log: Path, *args: str) -> str:
    """The uninstaller's first phase returns before its copy in %TEMP% has finished (on Windows
    too: the copy ends the first phase so that unins000.exe can be deleted): wait for the log."""
    started = time.monotonic()
    result = wine.call(str(wine.install_dir / "unins000.exe"), *SILENT, f"/LOG={windows_path(log)}", *args,
                       capture=False)
    assert result.returncode == 0
    wine.wait_for(lambda: "Log closed." in read_log(log), "the uninstaller to finish")
    print(f"uninstall {' '.join(args)}: {time.monotonic() - started:.1f} s")
    return read_log(log)


def start_tray_app(wine: Wine, standin: StandinLog) -> tuple[int, subprocess.Popen[str]]:
    before = set(standin.pids("tray app started"))
    process = wine.start(str(wine.install_dir / APP_EXE))
    wine.wait_for(lambda: set(standin.pids("tray app started")) - before, "the tray app to start")
    (pid,) = set(standin.pids("tray app started")) - before
    return pid, process


def started_again(wine: Wine, standin: StandinLog, before: list[int]) -> int:
    """The tray app a silent upgrade started (after Setup itself may have ended)."""
    wine.wait_for(lambda: len(standin.pids("tray app started 0.2.0rc1")) > len(before),
                  "the app to start again after the silent upgrade")
    (pid,) = set(standin.pids("tray app started 0.2.0rc1")) - set(before)
    return pid


def assert_quit_politely(log: str, standin: StandinLog, pid: int) -> None:
    """Asked on the channel, finished the batch, exited 0 by itself; nothing killed it."""
    assert standin.events(pid)[-3:] == ["quit requested: finishing the current batch", "batch finished, store closed",
                                        "exit 0"], standin.events(pid)
    assert "kaspi-amo.exe quit ended with exit code 0" in log and "The tray app quit by itself" in log, log
    assert f"Ending process {pid}" not in log
    assert not any("WM_CLOSE" in event for event in standin.events(pid))


def test_install_upgrade_and_uninstall_under_wine(iscc: str, windows: tuple[Wine, StandinLog], tmp_path: Path) -> None:
    wine, standin = windows
    timings: dict[str, float] = {}

    # --- the bundles and their installers; a pre-release version compiles ------------------------
    first = build_standin(tmp_path / "bundle-0.1.0", "0.1.0", {"old-only.txt": "from 0.1.0", "base_library.zip": "1"})
    second = build_standin(tmp_path / "bundle-0.2.0rc1", "0.2.0rc1", {"base_library.zip": "2"})
    started = time.monotonic()
    setup1, output1 = iscc_compile(wine, iscc, first, tmp_path / "out1")
    timings["compile"] = time.monotonic() - started
    setup2, output2 = iscc_compile(wine, iscc, second, tmp_path / "out2")
    assert setup1.name == "kaspi-amo-sync-0.1.0-windows-setup.exe"
    assert setup2.name == "kaspi-amo-sync-0.2.0rc1-windows-setup.exe"  # the text version names it
    for output in (output1, output2):
        assert "Successful compile" in output and "Warning" not in output, output

    # --- MinVersion=10.0: the Windows 7 a new wine 8 prefix reports is refused ------------------
    code, log = setup_run(wine, setup1, tmp_path / "win7.log")
    assert code != 0 and "does not support the version of Windows" in log, log
    assert not wine.install_dir.exists()
    wine.set_windows_version("win10")

    # --- a fresh silent per-user install with the default tasks ----------------------------------
    started = time.monotonic()
    code, log = setup_run(wine, setup1, tmp_path / "install.log")
    timings["install"] = time.monotonic() - started
    assert code == 0, log
    app = wine.install_dir
    for name in (APP_EXE, CLI_EXE, "unins000.exe", "_internal/old-only.txt", "_internal/base_library.zip"):
        assert (app / name).is_file(), name
    link = wine.start_menu_entry.read_bytes()
    assert APP_EXE.encode("utf-16-le") in link or APP_EXE.encode() in link
    run_value = f'"C:\\users\\{wine.user_dir.name}\\AppData\\Local\\Programs\\Kaspi amoCRM Sync\\{APP_EXE}"'
    assert wine.reg_value(RUN_KEY, "KaspiAmoSync") == run_value
    assert wine.reg_value(INSTALLER_KEY, "AutostartSetBy") == "installer"
    assert wine.reg_value(UNINSTALL_KEY, "DisplayVersion") == "0.1.0"
    assert standin.pids("tray app started") == []  # nothing was running: nothing started

    # --- a silent upgrade to the pre-release over a running app, autostart unticked ---------------
    tray_pid, tray = start_tray_app(wine, standin)
    wine.start(str(app / CLI_EXE), "run")  # a headless sync from the install folder
    wine.wait_for(lambda: len(standin.pids("run: headless")) == 1, "the headless run to start")
    (ours,) = standin.pids("run: headless")
    other = tmp_path / "other"  # a kaspi-amo.exe that is not ours (a pip install for another shop)
    other.mkdir()
    (other / CLI_EXE).write_bytes((app / CLI_EXE).read_bytes())
    foreign = wine.start(str(other / CLI_EXE), "run")
    wine.wait_for(lambda: len(standin.pids("run: headless")) == 2, "the other headless run to start")
    (foreign_pid,) = set(standin.pids("run: headless")) - {ours}
    started = time.monotonic()
    code, log = setup_run(wine, setup2, tmp_path / "upgrade.log", "/TASKS=")
    timings["upgrade over a running app"] = time.monotonic() - started
    assert code == 0, log
    assert_quit_politely(log, standin, tray_pid)
    assert tray.wait(10) == 0  # it ended by itself: TerminateProcess would have made it 1
    ended = [line.split("Ending process ", 1)[1] for line in log.splitlines() if "Ending process" in line]
    assert ended == [str(ours)], ended  # only the headless run from the install folder, found by its path
    assert f"process {foreign_pid}," not in log
    assert foreign.poll() is None, "a kaspi-amo.exe outside the install folder was stopped"
    restarted = started_again(wine, standin, [])
    assert not (app / "_internal" / "old-only.txt").exists()  # the old _internal was replaced
    assert (app / "_internal" / "base_library.zip").read_text(encoding="utf-8") == "2"
    assert wine.reg_value(UNINSTALL_KEY, "DisplayVersion") == "0.2.0rc1"
    assert wine.reg_value(RUN_KEY, "KaspiAmoSync") is None  # the installer's own value went
    assert wine.reg_value(INSTALLER_KEY, "AutostartSetBy") is None

    # --- a Run value the app's own switch wrote (no mark) survives an unticked upgrade -----------
    wine.reg_add(RUN_KEY, "KaspiAmoSync", run_value)
    code, log = setup_run(wine, setup2, tmp_path / "reinstall.log", "/TASKS=")
    assert code == 0, log
    assert_quit_politely(log, standin, restarted)
    assert wine.reg_value(RUN_KEY, "KaspiAmoSync") == run_value
    restarted = started_again(wine, standin, [restarted])

    # --- ticked again: the installer writes and marks it ------------------------------------------
    before = standin.pids("tray app started 0.2.0rc1")
    code, log = setup_run(wine, setup2, tmp_path / "ticked.log", "/TASKS=autostart")
    assert code == 0, log
    assert_quit_politely(log, standin, restarted)
    running = started_again(wine, standin, before)
    assert wine.reg_value(RUN_KEY, "KaspiAmoSync") == run_value
    assert wine.reg_value(INSTALLER_KEY, "AutostartSetBy") == "installer"

    # --- a silent uninstall over the running app keeps the data ----------------------------------
    (wine.data_dir / "logs").mkdir(parents=True)
    (wine.data_dir / "settings.json").write_text("{}", encoding="utf-8")
    (wine.data_dir / "kaspi-amo.sqlite3").write_bytes(b"orders")
    started = time.monotonic()
    log = uninstall(wine, tmp_path / "uninstall.log")
    timings["uninstall"] = time.monotonic() - started
    assert_quit_politely(log, standin, running)
    assert not app.exists() and not wine.start_menu_entry.exists()
    assert (wine.data_dir / "settings.json").is_file() and (wine.data_dir / "kaspi-amo.sqlite3").is_file()
    assert "forget-secrets" not in [event for _pid, event in standin.lines()]
    assert wine.reg_value(RUN_KEY, "KaspiAmoSync") is None
    assert not wine.reg_key_exists(INSTALLER_KEY) and not wine.reg_key_exists(UNINSTALL_KEY)
    assert foreign.poll() is None

    # --- and with /DELETEDATA removes it, tokens first -------------------------------------------
    code, log = setup_run(wine, setup2, tmp_path / "install-again.log")
    assert code == 0, log
    log = uninstall(wine, tmp_path / "uninstall-data.log", "/DELETEDATA")
    assert "forget-secrets" in [event for _pid, event in standin.lines()]
    assert not wine.data_dir.exists() and not app.exists()
    assert foreign.poll() is None
    print("timings: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items()))
