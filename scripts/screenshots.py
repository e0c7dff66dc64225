"""Render the docs' screenshots offscreen from the real app against the built-in sandbox.

    python scripts/screenshots.py            # docs/screenshots/*.png, Russian UI
    python scripts/screenshots.py --lang kk  # the same in Kazakh (file names get _kk)

main_window.png  the window after a sync of the seeded Kazakh shop
setup_needed.png what a first start without settings shows
tray_menu.png    the tray menu with its live status lines
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from app.amo.ratelimit import RateLimiter  # noqa: E402
from app.bootstrap import build_runtime  # noqa: E402
from app.gui.app import GuiOptions, build_gui, prepare_application  # noqa: E402
from app.gui.autostart import Autostart  # noqa: E402
from app.gui.controller import GuiController  # noqa: E402
from app.sandbox.server import Sandbox  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
SIZE = (1240, 660)


def wait_until(app: QApplication, predicate: Callable[[], Any], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not reach the expected state")
        app.processEvents()
        time.sleep(0.01)


def make(app: QApplication, env: dict[str, str], language: str, home: Path) -> GuiController:
    options = GuiOptions(
        tray_available=lambda: True,
        open_url=lambda url: True,
        quit_app=lambda: None,
        ui_languages=lambda: [language],
        runtime_factory=lambda s, secrets, observer, desktop: build_runtime(
            s, secrets=secrets, observer=observer, desktop=desktop, limiter=RateLimiter(1000)),
        setup_logs=False,
        autostart=Autostart(["kaspi-amo"], home=home),
    )
    return build_gui(app, env, options)


def shoot(app: QApplication, widget: Any, name: str) -> Path:
    for _ in range(5):
        app.processEvents()
    path = OUT / name
    widget.grab().save(str(path))
    print(path.relative_to(ROOT))
    return path


def close(app: QApplication, controller: GuiController) -> None:
    controller.quit()
    wait_until(app, lambda: controller._finished)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lang", default="ru", choices=("ru", "kk", "en"))
    args = parser.parse_args()
    suffix = "" if args.lang == "ru" else f"_{args.lang}"
    OUT.mkdir(parents=True, exist_ok=True)
    app = prepare_application([])
    with tempfile.TemporaryDirectory() as tmp, Sandbox(amo_options={"rps_limit": None}) as sandbox:
        home = Path(tmp)
        os.chdir(home)  # no stray .env
        base = {"KASPI_AMO_HOME": str(home / "shop"), "KASPI_AMO_SECRETS": "file"}

        controller = make(app, {**base, **sandbox.env()}, args.lang, home)
        wait_until(app, lambda: controller.snapshot is not None and len(controller.snapshot.orders) > 0
                   and not controller.running)
        window = controller.window
        window.resize(*SIZE)
        window.show()
        window.table.clearSelection()
        controller.refresh_view()
        shoot(app, window, f"main_window{suffix}.png")
        controller.tray.rebuild_menu()
        menu = controller.tray.menu
        menu.adjustSize()
        shoot(app, menu, f"tray_menu{suffix}.png")
        close(app, controller)

        empty = make(app, {"KASPI_AMO_HOME": str(home / "new"), "KASPI_AMO_SECRETS": "file"}, args.lang, home)
        wait_until(app, lambda: empty.problem is not None)
        empty.window.resize(SIZE[0], 520)
        shoot(app, empty.window, f"setup_needed{suffix}.png")
        close(app, empty)
    return 0


if __name__ == "__main__":
    sys.exit(main())
