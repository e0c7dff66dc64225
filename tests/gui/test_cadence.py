"""The tray runs the same scheduler as `kaspi-amo run`, at POLL_INTERVAL_SECONDS / RECONCILE_INTERVAL_MINUTES."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.gui.worker import SyncWorker
from tests.gui.conftest import SYNC_TIMEOUT_MS, base_env, fast_runtime


def test_the_tray_worker_polls_and_reconciles_at_the_configured_intervals(qtbot: Any, sandbox: Any, home: Path) -> None:
    env = {**base_env(home), **sandbox.env(), "POLL_INTERVAL_SECONDS": "20", "RECONCILE_INTERVAL_MINUTES": "7"}
    worker = SyncWorker(env, runtime_factory=fast_runtime, setup_logs=False)
    try:
        with qtbot.waitSignal(worker.ready, timeout=SYNC_TIMEOUT_MS):
            worker.start()
        assert worker.scheduler is not None
        assert (worker.scheduler.poll_seconds, worker.scheduler.reconcile_seconds) == (20, 420)
        assert 0 < (worker.seconds_to_next_poll() or 0) <= 20
    finally:
        with qtbot.waitSignal(worker.stopped, timeout=SYNC_TIMEOUT_MS * 4):
            worker.stop()
