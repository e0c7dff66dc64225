"""Render the docs' screenshots offscreen from the real app against the built-in sandbox.

    python scripts/screenshots.py            # docs/screenshots/*.png, Russian UI
    python scripts/screenshots.py --lang kk  # the same in Kazakh (file names get _kk)

main_window.png  the window after a sync of the seeded Kazakh shop
setup_needed.png what a first start without settings shows
tray_menu.png    the tray menu with its live status lines
wizard_1_kaspi.png … wizard_5_finish.png
                 every page of the settings wizard, filled in against the sandbox
                 (amoCRM connected with a long-lived token, the Telegram chat found with
                 «Найти чат», the trial run listed)

Everything is shot at its real default size on a 1366×768 screen: nothing is enlarged.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# the laptop the app must fit (the GUI tests use the same screen)
os.environ.setdefault("QT_QPA_PLATFORM", f"offscreen:configfile={ROOT / 'tests' / 'gui' / 'laptop_screen.json'}")

from PySide6.QtWidgets import QApplication, QWizard  # noqa: E402

from app.amo.ratelimit import RateLimiter  # noqa: E402
from app.bootstrap import build_runtime  # noqa: E402
from app.gui.app import GuiOptions, build_gui, prepare_application  # noqa: E402
from app.gui.autostart import Autostart  # noqa: E402
from app.gui.controller import GuiController  # noqa: E402
from app.gui.wizard import SetupWizard, WizardServices  # noqa: E402
from app.sandbox.http import EmulatorServer  # noqa: E402
from app.sandbox.server import KASPI_TOKEN, Sandbox  # noqa: E402
from app.sandbox.telegram_emulator import TelegramEmulator  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
BOT_TOKEN = "7000000000:AAE-example-bot-token"


def wait_until(app: QApplication, predicate: Callable[[], Any], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not reach the expected state")
        app.processEvents()
        time.sleep(0.01)


def make(app: QApplication, env: dict[str, str], language: str, home: Path,
         opened: list[str] | None = None) -> GuiController:
    def open_url(url: Any) -> bool:
        if opened is not None:
            opened.append(url.toString())
        return True

    options = GuiOptions(
        tray_available=lambda: True,
        open_url=open_url,
        wizard_services=WizardServices(open_url=open_url, trial_limiter=RateLimiter(1000)),
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


def next_page(app: QApplication, wizard: SetupWizard, page: Any) -> None:
    wizard.button(QWizard.WizardButton.NextButton).click()
    wait_until(app, lambda: wizard.currentPage() is page)


def shoot_wizard(app: QApplication, home: Path, language: str, suffix: str) -> None:
    """First start on an empty home: the wizard opens; fill every page as an owner would."""
    telegram = TelegramEmulator(token=BOT_TOKEN)
    with Sandbox(amo_options={"rps_limit": None}) as box, EmulatorServer(telegram) as bot:
        env = {"KASPI_AMO_HOME": str(home / "wizard"), "KASPI_AMO_SECRETS": "file", "TELEGRAM_API_URL": bot.url,
               "UPDATE_FEED_URL": ""}
        controller = make(app, env, language, home)
        wait_until(app, lambda: controller.wizard is not None and controller.wizard.isVisible())
        wizard = controller.wizard
        assert wizard is not None  # at its own default size: the point of these pictures
        kaspi = wizard.kaspi_page
        kaspi.token.setText(KASPI_TOKEN)
        kaspi.more.setChecked(True)
        kaspi.base_url.setText(box.kaspi_base_url)
        kaspi.check_button.click()
        wait_until(app, lambda: kaspi.checked)
        shoot(app, wizard, f"wizard_1_kaspi{suffix}.png")

        next_page(app, wizard, wizard.amo_page)
        amo = wizard.amo_page  # the owner's way: the steps on the page and a long-lived token
        amo.account.setText(box.amo_base_url.removeprefix("http://"))
        amo.long_token.setText(box.amo.long_lived_token())
        amo.connect_button.click()
        wait_until(app, lambda: amo.checked)
        shoot(app, wizard, f"wizard_2_amocrm{suffix}.png")

        next_page(app, wizard, wizard.destination_page)
        destination = wizard.destination_page
        wait_until(app, lambda: destination.checked)
        shoot(app, wizard, f"wizard_3_destination{suffix}.png")

        next_page(app, wizard, wizard.alerts_page)
        alerts = wizard.alerts_page
        alerts.bot_token.setText(BOT_TOKEN)
        telegram.user_writes("/start", first_name="Айгерим", username="aigerim_shop")
        alerts.find_button.click()
        wait_until(app, lambda: alerts.chat_id.text() != "")
        shoot(app, wizard, f"wizard_4_alerts{suffix}.png")
        alerts.bot_token.clear()
        alerts.chat_id.clear()

        next_page(app, wizard, wizard.finish_page)
        finish = wizard.finish_page
        finish.trial_button.click()
        wait_until(app, lambda: finish.trial_list.count() > 0 and not finish.tasks.busy)
        shoot(app, wizard, f"wizard_5_finish{suffix}.png")
        wizard.reject()
        close(app, controller)


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
        base = {"KASPI_AMO_HOME": str(home / "shop"), "KASPI_AMO_SECRETS": "file", "UPDATE_FEED_URL": ""}

        controller = make(app, {**base, **sandbox.env()}, args.lang, home)
        wait_until(app, lambda: controller.snapshot is not None and len(controller.snapshot.orders) > 0
                   and not controller.running)
        window = controller.window  # its own default size
        window.show()
        window.table.clearSelection()
        controller.refresh_view()
        shoot(app, window, f"main_window{suffix}.png")
        controller.tray.rebuild_menu()
        menu = controller.tray.menu
        menu.adjustSize()
        shoot(app, menu, f"tray_menu{suffix}.png")
        close(app, controller)

        empty = make(app, {"KASPI_AMO_HOME": str(home / "new"), "KASPI_AMO_SECRETS": "file", "UPDATE_FEED_URL": ""},
                     args.lang, home)
        wait_until(app, lambda: empty.problem is not None and empty.wizard is not None)
        empty.wizard.reject()  # the window behind the wizard, at its default size
        shoot(app, empty.window, f"setup_needed{suffix}.png")
        close(app, empty)
        shoot_wizard(app, home, args.lang, suffix)
    return 0


if __name__ == "__main__":
    sys.exit(main())
