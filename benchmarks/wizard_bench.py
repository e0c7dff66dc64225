"""Settings wizard figures: how long each live check takes and the longest GUI-thread stall.

    QT_QPA_PLATFORM=offscreen python benchmarks/wizard_bench.py [--json]

Not a test: numbers for the notes. A first start against the built-in sandbox (amoCRM's
7 rps limit on, the production 6 rps pacing in the app), driven like an owner: the wizard
opens by itself, the Kaspi token is checked, amoCRM is connected through the browser way
(an HTTP client presses «Разрешить»; the app catches the redirect on 127.0.0.1), the
pipelines load, the trial run lists the deals, Finish saves and the app starts syncing.
Each step is timed from the click to its answer on screen. A 5 ms PreciseTimer on the GUI
thread records every tick; the longest gap minus the interval, over the whole walk, is the
longest stall (the GUI thread never waits on the network, the keyring or the store).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import requests
from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWizard

from app.gui.app import GuiOptions, build_gui, prepare_application
from app.gui.autostart import Autostart
from app.gui.wizard import WizardServices
from app.sandbox.server import KASPI_TOKEN, Sandbox

TICK_MS = 5


class StallMeter:
    """The longest gap between 5 ms ticks of a timer on the GUI thread, minus the interval."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.last = 0
        self.worst = 0

    def start(self) -> None:
        self.clock.start()
        self.last = 0
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.elapsed()
        self.worst = max(self.worst, now - self.last - TICK_MS)
        self.last = now


def wait_until(app: QApplication, predicate: Callable[[], Any], timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the wizard did not get there")
        app.processEvents()
        time.sleep(0.001)


def timed(app: QApplication, action: Callable[[], Any], done: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    wait_until(app, done)
    return round(time.perf_counter() - started, 3)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def walk(app: QApplication, home: Path) -> dict[str, Any]:
    redirect = f"http://127.0.0.1:{free_port()}/callback"
    opened: list[str] = []

    def open_url(url: Any) -> bool:
        opened.append(url.toString())
        return True

    figures: dict[str, Any] = {}
    meter = StallMeter()
    with Sandbox(amo_options={"redirect_uri": redirect}) as box:  # amoCRM's 7 rps limit stays on
        options = GuiOptions(tray_available=lambda: True, open_url=open_url, quit_app=lambda: None,
                             ui_languages=lambda: ["ru"], setup_logs=False,
                             autostart=Autostart(["bench"], home=home),
                             wizard_services=WizardServices(open_url=open_url))
        env = {"KASPI_AMO_HOME": str(home / "shop"), "KASPI_AMO_SECRETS": "file"}
        meter.start()
        started = time.perf_counter()
        controller = build_gui(app, env, options)
        wait_until(app, lambda: controller.wizard is not None and controller.wizard.isVisible())
        figures["first start → wizard shown, s"] = round(time.perf_counter() - started, 3)
        wizard = controller.wizard
        kaspi = wizard.kaspi_page
        kaspi.token.setText(KASPI_TOKEN)
        kaspi.base_url.setText(box.kaspi_base_url)
        figures["Kaspi token check, s"] = timed(app, kaspi.check_button.click, lambda: kaspi.checked)
        wizard.next()
        amo = wizard.amo_page
        amo.account.setText(box.amo_base_url)
        amo.client_id.setText(box.amo.client_id)
        amo.client_secret.setText(box.amo.client_secret)
        amo.redirect_uri.setText(redirect)

        def browser_allows() -> None:
            amo.open_button.click()
            page = requests.get(opened[-1], timeout=10).text
            link = re.search(r"id='allow' href='([^']+)'", page)
            assert link is not None
            requests.get(urljoin(opened[-1], link.group(1).replace("&amp;", "&")), timeout=10)

        figures["browser way: «Разрешить» → connected (exchange + account), s"] = timed(
            app, browser_allows, lambda: amo.checked)
        destination = wizard.destination_page
        figures["pipelines loaded, s"] = timed(app, wizard.next, lambda: destination.checked)
        wizard.next()
        wizard.next()
        finish = wizard.finish_page
        figures["trial run (15 Kaspi orders → 13 deals listed), s"] = timed(
            app, finish.trial_button.click, lambda: finish.trial_list.count() > 0 and not finish.tasks.busy)
        figures["deals listed by the trial"] = finish.trial_list.count()
        figures["Finish → saved and syncing, s"] = timed(
            app, wizard.button(QWizard.WizardButton.FinishButton).click,
            lambda: controller.worker.configured and controller.problem is None)
        meter.timer.stop()
        figures["longest GUI-thread stall over the walk, ms"] = meter.worst
        controller.quit()
        wait_until(app, lambda: controller._finished)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    app = prepare_application([])
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)  # no stray .env
        figures = walk(app, Path(tmp))
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
    else:
        for name, value in figures.items():
            print(f"{name}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
