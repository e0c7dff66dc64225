"""The frozen app's entry point (build.spec): no arguments → the tray app, arguments → the CLI.

    "Kaspi amoCRM Sync"                 the tray app (what the Start menu / Dock / autostart run)
    "Kaspi amoCRM Sync" --version       the same `kaspi-amo` command line as a pip install
    "Kaspi amoCRM Sync" doctor | demo | poll | run | status …

Windows: the app is a windowed executable (no console window flashes up at login), so it has
no standard output of its own. With arguments it writes to the console it was started from
(AttachConsole) or to wherever its output was redirected; the bundle also carries
`kaspi-amo.exe`, a console twin for admins and scripts, and `doctor` always leaves its report
in the log folder (doctor.txt). Run-time options (UTF-8 mode) are set in build.spec. The tray
app holds the named mutex KaspiAmoSync.Running so the installer can close it before an upgrade.

KASPI_AMO_STARTUP_PROBE=1 is for benchmarks/bundle_start.py only: the tray app starts as usual
(tray declared available, since an offscreen test machine has none), prints
`TRAY_SHOWN <unix time>` the moment the icon is shown, and quits.
"""

from __future__ import annotations

import os
import sys
import time


def _attach_windows_console() -> None:
    """Give a windowed Windows executable somewhere to print (only streams that are missing)."""
    if sys.stdout is not None and sys.stderr is not None:
        return  # redirected to a file or a pipe: keep that
    import ctypes

    attach_parent_process = -1
    attached = bool(ctypes.windll.kernel32.AttachConsole(attach_parent_process))  # type: ignore[attr-defined]
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is not None:
            continue
        try:
            # "CONOUT$" opens as a console stream: Unicode goes through WriteConsoleW whatever the code page
            # the stream lives as long as the process (it becomes sys.stdout/stderr): no `with`
            stream = open("CONOUT$", "w", encoding="utf-8", errors="replace") if attached else open(os.devnull, "w")  # noqa: SIM115
        except OSError:
            stream = open(os.devnull, "w")  # noqa: SIM115
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)


#: Named mutex the Windows installer waits on before an upgrade (packaging/windows/kaspi-amo-sync.iss).
RUNNING_MUTEX = "KaspiAmoSync.Running"
_mutex_handle = None


def _hold_running_mutex() -> None:
    """Windows: announce the running tray app to the installer; the handle closes with the process."""
    global _mutex_handle
    import ctypes

    _mutex_handle = ctypes.windll.kernel32.CreateMutexW(None, False, RUNNING_MUTEX)  # type: ignore[attr-defined]


def _startup_probe() -> int:
    """The tray app's start-up (single instance, settings, worker, window, tray) timed to the icon."""
    from pathlib import Path

    from app.gui.app import GuiOptions, build_gui, prepare_application
    from app.gui.autostart import Autostart
    from app.gui.single_instance import SingleInstance, instance_key
    from app.paths import resolve_paths

    env = dict(os.environ)
    app = prepare_application(sys.argv[:1])
    instance = SingleInstance(instance_key(resolve_paths(env).config_dir))
    if not instance.claim():
        print("probe: another instance is running", file=sys.stderr)
        return 1
    home = Path(env.get("KASPI_AMO_HOME") or Path.home())
    options = GuiOptions(tray_available=lambda: True, quit_app=lambda: None, setup_logs=False,
                         autostart=Autostart(["probe"], home=home))
    controller = build_gui(app, env, options)
    if not controller.tray_shown:
        print("probe: the tray icon was not shown", file=sys.stderr)
        return 1
    print(f"TRAY_SHOWN {time.time()!r}", flush=True)
    controller.quit()
    deadline = time.monotonic() + 60
    while not controller._finished and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.005)
    instance.release()
    return 0


def main() -> int:
    args = [arg for arg in sys.argv[1:] if not arg.startswith("-psn_")]  # old macOS Finder launches add -psn_…
    if sys.platform == "win32":
        if args:
            _attach_windows_console()
        else:
            _hold_running_mutex()
    if os.environ.get("KASPI_AMO_STARTUP_PROBE") == "1":
        return _startup_probe()
    from app.cli import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
