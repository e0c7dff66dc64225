"""Asking the running tray app to quit: `kaspi-amo quit` over the single-instance channel.

What the Windows installer relies on before an upgrade or uninstall (a WM_CLOSE only hides
the window to the tray): the app answers "quitting <pid>", lets the amoCRM request in flight
finish, closes its store and exits by itself; `kaspi-amo quit` returns once that process
has ended, 0, or 1 when it did not end in time or did not understand.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from PySide6.QtNetwork import QLocalSocket

from app.gui.single_instance import (
    SingleInstance,
    instance_key,
)
from app.paths import resolve_paths
from tests.gui.conftest import base_env

ROOT = Path(__file__).resolve().parents[2]


def app_env(home: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {**base_env(home), "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8", "HOME": str(home.parent)}
    env.update(extra or {})
    return env


def kaspi_amo(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "app", *args], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace")


def finish(process: subprocess.Popen[str], timeout: float) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


def test_quit_with_nothing_running_says_so_and_succeeds(home: Path) -> None:
    code, out, err = finish(kaspi_amo(app_env(home), "quit", "--timeout", "5"), 60)
    assert code == 0, err
    assert "не запущена" in out


def test_the_running_instance_answers_quit_with_its_pid(qtbot: Any, home: Path) -> None:
    env = app_env(home)
    running = SingleInstance(instance_key(resolve_paths(env).config_dir))
    assert running.claim()
    try:
        asker = kaspi_amo(env, "quit", "--timeout", "0")  # only ask, do not wait
        with qtbot.waitSignal(running.message_received, timeout=30_000) as message:
            pass
        assert message.args == ["quit"]
        code, out, err = finish(asker, 60)
        assert code == 0, err
        assert f"процесс {os.getpid()}" in out and "закрывается" in out

        # this test process does not exit: waiting runs out, exit 1, and it says so
        asker = kaspi_amo(env, "quit", "--timeout", "1")
        qtbot.waitUntil(lambda: asker.poll() is not None, timeout=30_000)
        code, out, err = finish(asker, 10)
        assert code == 1 and "не закрылась за 1 с" in err
    finally:
        running.release()


class OlderInstance(SingleInstance):
    """The channel as the app had it before "quit": any line means "show", no answer."""

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        line = bytes(socket.readLine().data()).decode("utf-8", "replace").strip()
        self._clients.remove(socket)
        self._drop(socket)
        self.message_received.emit(line)


def test_an_app_that_does_not_know_quit_is_reported_not_waited_for(qtbot: Any, home: Path) -> None:
    env = app_env(home)
    older = OlderInstance(instance_key(resolve_paths(env).config_dir))
    assert older.claim()
    try:
        asker = kaspi_amo(env, "quit", "--timeout", "60")
        with qtbot.waitSignal(older.message_received, timeout=30_000) as message:
            pass
        assert message.args == ["quit"]
        qtbot.waitUntil(lambda: asker.poll() is not None, timeout=30_000)  # not the 60 s
        code, _out, err = finish(asker, 10)
        assert code == 1 and "не поняла просьбу закрыться" in err
    finally:
        older.release()


def test_quit_lets_the_request_in_flight_finish_and_returns_when_the_app_has_exited(
    sandbox: Any, home: Path
) -> None:
    """The real tray app, mid-batch: its amoCRM lead request is held by the emulator. `quit`
    must not return while the request is in flight; the app then exits 0 by itself, and
    the next run finishes the same orders without a second deal for any of them."""
    env = app_env(home, sandbox.env())
    held, release = threading.Event(), threading.Event()
    answered: list[bool] = []

    def hold_the_first_lead_batch(method: str, path: str, applied: bool) -> None:
        if method != "POST" or not path.startswith("/api/v4/leads"):
            return
        if not applied and not held.is_set():
            held.set()
            release.wait(30)
        elif applied and held.is_set() and not answered:
            answered.append(True)

    remove = sandbox.amo.on_request(hold_the_first_lead_batch)
    tray_app = kaspi_amo(env)
    asker: subprocess.Popen[str] | None = None
    try:
        assert held.wait(60), "the tray app never started a lead batch"
        leads_created_by_the_batch = len(sandbox.amo.leads)  # nothing applied yet: the request is held
        asker = kaspi_amo(env, "quit", "--timeout", "60")
        time.sleep(2.0)
        assert asker.poll() is None, "quit returned while the batch was still in flight"
        assert tray_app.poll() is None, "the app ended in the middle of a batch"

        release.set()
        reaper = threading.Thread(target=tray_app.wait, daemon=True)  # collect it as soon as it ends
        reaper.start()
        code, out, err = finish(asker, 90)
        assert code == 0, err
        assert "закрылась" in out
        assert tray_app.wait(5) == 0  # it ended by itself, not by a signal
        assert answered == [True]  # the held request was answered before the app left
        assert len(sandbox.amo.leads) > leads_created_by_the_batch
    finally:
        release.set()
        remove()
        if tray_app.poll() is None:
            tray_app.kill()
            tray_app.wait(10)
        if asker is not None and asker.poll() is None:
            asker.kill()

    code, _out, err = finish(kaspi_amo(env, "poll"), 150)
    assert code == 0, err
    names = [lead["name"] for lead in sandbox.amo.leads.values()]
    assert len(names) == len(set(names)), "an order got a second deal"  # the in-flight batch was kept
    code, out, err = finish(kaspi_amo(env, "status", "--json"), 60)
    counts = json.loads(out)
    assert counts.get("pending", 0) == 0 and counts.get("failed", 0) == 0, counts
