"""GUI test fixtures: offscreen Qt, a seeded sandbox, and the tray app built against it.

The app is built with `build_gui` (what run_gui uses) and only its seams swapped: a fast
amoCRM limiter and no backoff sleeps, a scheduler that waits for "Sync now" (or starts at
once), no real browser, no real tray, no real login items, no process exit.
"""

from __future__ import annotations

import os

# Offscreen Qt on the screen the app must fit: a 1366×768 laptop (issue 17), not Qt's 800×800.
_SCREEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "laptop_screen.json")
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_SCREEN}"

from collections.abc import Callable, Iterator  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QUrl  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.alerts import DesktopNotifier  # noqa: E402
from app.amo.ratelimit import RateLimiter  # noqa: E402
from app.bootstrap import Runtime, build_runtime  # noqa: E402
from app.config import Settings  # noqa: E402
from app.gui.app import GuiOptions, build_gui  # noqa: E402
from app.gui.autostart import Autostart  # noqa: E402
from app.gui.controller import GuiController  # noqa: E402
from app.gui.qt_compat import guard_singleton_refcounts  # noqa: E402
from app.gui.wizard import SetupWizard, WizardServices  # noqa: E402
from app.gui.wizard.base import CheckedPage  # noqa: E402
from app.sandbox.server import Sandbox  # noqa: E402
from app.scheduler import SyncScheduler  # noqa: E402
from app.secrets import SecretStore  # noqa: E402
from app.sync.events import EngineObserver  # noqa: E402

SYNC_TIMEOUT_MS = 15_000

guard_singleton_refcounts()  # before any Qt call of the tests, pytest-qt's included (see app.gui.qt_compat)


def fast_runtime(settings: Settings, secrets: SecretStore, observer: EngineObserver,
                 desktop: DesktopNotifier | None) -> Runtime:
    """The real bootstrap, minus the 6 rps pacing and the retry backoff waits."""
    return build_runtime(settings, secrets=secrets, observer=observer, desktop=desktop, limiter=RateLimiter(1000),
                         retry_sleep=lambda seconds: None, lock_wait=1.0)


@contextmanager
def running_sandbox(**amo_options: Any) -> Iterator[Sandbox]:
    """The seeded Kazakh shop (16 orders, 14 in synced states, and 30 days of archived history), amoCRM's rps limit off."""
    with Sandbox(amo_options={"rps_limit": None, **amo_options}) as box:
        yield box


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with running_sandbox() as box:
        yield box


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # no stray .env from the developer's folder
    return tmp_path / "home"


def base_env(home: Path) -> dict[str, str]:
    # UPDATE_FEED_URL empty: no test asks the real releases feed (test_updates_gui serves its own)
    return {"KASPI_AMO_HOME": str(home), "KASPI_AMO_SECRETS": "file", "PATH": os.environ.get("PATH", ""),
            "UPDATE_FEED_URL": ""}


class Harness:
    """What a test needs to see besides the controller: opened URLs and quit calls."""

    def __init__(self) -> None:
        self.opened: list[str] = []
        self.quits = 0

    def open_url(self, url: QUrl) -> bool:
        self.opened.append(url.toString())
        return True

    def quit_app(self) -> None:
        self.quits += 1


def harness_of(controller: GuiController) -> Harness:
    """The Harness `make_gui` built this controller with (kept in the controller's __dict__)."""
    harness = vars(controller)["test_harness"]
    assert isinstance(harness, Harness)
    return harness


def page_busy(wizard: SetupWizard) -> bool:
    """Whether the wizard's current page still runs a check (every page is a CheckedPage)."""
    page = wizard.currentPage()
    assert isinstance(page, CheckedPage), page
    return page.tasks.busy


@pytest.fixture
def make_gui(qtbot: Any, home: Path) -> Iterator[Callable[..., GuiController]]:
    made: list[GuiController] = []

    def make(
        env: dict[str, str] | None = None,
        *,
        sandbox: Sandbox | None = None,
        run_at_start: bool = False,
        tray: bool | Callable[[], bool] = True,
        tray_retry_count: int = 10,
        language: str = "ru",
        platform: str = "linux",
        wizard: bool = False,
    ) -> GuiController:
        full_env = base_env(home)
        if sandbox is not None:
            full_env.update(sandbox.env())
        full_env.update(env or {})
        harness = Harness()

        def scheduler(engine: Any, on_report: Any, on_minute: Any) -> SyncScheduler:
            return SyncScheduler(engine, on_report=on_report, on_minute=on_minute, run_at_start=run_at_start,
                                 tick_seconds=0.02)

        options = GuiOptions(
            tray_available=tray if callable(tray) else (lambda: tray),
            tray_retry_ms=10,
            tray_retry_count=tray_retry_count,
            open_url=harness.open_url,
            quit_app=harness.quit_app,
            ui_languages=lambda: [language],
            runtime_factory=fast_runtime,
            scheduler_factory=scheduler,
            setup_logs=False,
            autostart=Autostart(["kaspi-amo"], platform=platform, home=home / "user", env={}),
            clock_ms=50,
            stop_deadline_ms=10_000,
            wizard_on_first_start=wizard,
            wizard_services=WizardServices(open_url=harness.open_url, browser_timeout=20.0,
                                           trial_limiter=RateLimiter(1000), kaspi_timeout=(2.0, 1.0)),
        )
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        controller = build_gui(app, full_env, options)
        vars(controller)["test_harness"] = harness
        made.append(controller)
        return controller

    yield make
    for controller in made:
        if not controller._finished:
            controller.quit()
            qtbot.waitUntil(lambda c=controller: c._finished, timeout=SYNC_TIMEOUT_MS)


def wait_configured(qtbot: Any, controller: GuiController) -> None:
    qtbot.waitUntil(lambda: controller.worker.configured and controller.snapshot is not None, timeout=SYNC_TIMEOUT_MS)


def reopen(controller: GuiController, qtbot: Any, timeout: int = SYNC_TIMEOUT_MS) -> SetupWizard:
    """Settings… on a running app: the wizard, once it is loaded and shown."""
    controller.open_settings()
    qtbot.waitUntil(lambda: controller.wizard is not None and controller.wizard.isVisible(), timeout=timeout)
    wizard = controller.wizard
    assert wizard is not None
    return wizard


def open_wizard_at_finish(controller: GuiController, qtbot: Any) -> Any:
    """Settings… on a configured app, then "Далее" through every page to the last."""
    from PySide6.QtWidgets import QWizard

    wizard = reopen(controller, qtbot)
    for page in (wizard.amo_page, wizard.destination_page, wizard.alerts_page, wizard.finish_page):
        qtbot.waitUntil(lambda: not page_busy(wizard), timeout=SYNC_TIMEOUT_MS)
        wizard.button(QWizard.WizardButton.NextButton).click()
        qtbot.waitUntil(lambda p=page: wizard.currentPage() is p, timeout=SYNC_TIMEOUT_MS)
    return wizard
