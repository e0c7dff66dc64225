"""Is a process on this machine still alive? (So a killed run's lock is not waited out.)"""

from __future__ import annotations

import os
from pathlib import Path


def pid_alive(pid: int) -> bool:
    """True when process `pid` exists on this machine (True when unsure: never steal a live lock)."""
    if pid <= 0:
        return False
    if os.name == "nt":  # pragma: no cover - Windows builds
        return _pid_alive_windows(pid)
    try:
        os.kill(pid, 0)  # signal 0: existence check only
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    except OSError:
        return True
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """Linux: a process that has ended but whose parent has not collected it yet is gone for
    every purpose of ours (it holds no lock, runs no sync)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False  # no /proc (macOS) or already reaped
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


def _pid_alive_windows(pid: int) -> bool:  # pragma: no cover - Windows builds
    import ctypes

    process_query_limited_information = 0x1000
    still_active = 259
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(process_query_limited_information, False, pid)
    if not handle:
        return False
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == still_active
    finally:
        kernel32.CloseHandle(handle)
