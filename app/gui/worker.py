"""The engine bridge: runs the engine's own SyncScheduler and speaks to the GUI in Qt signals.

Threads (the GUI thread never waits on the network or the database):
- the scheduler thread (app.scheduler, the same loop as `kaspi-amo run`) runs every cycle;
  engine hooks and, after each cycle, a fresh store snapshot are emitted from there;
- a private one-thread QThreadPool runs the start-up (settings, keyring, store open) and
  on-demand snapshot reads;
- a short-lived thread stops the scheduler (after the current batch) and closes the store.
Signals emitted from those threads reach GUI-thread slots as queued calls.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable, Mapping
from datetime import datetime

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from app.alerts import DesktopNotifier, read_deliveries
from app.amo.ratelimit import RateLimiter
from app.bootstrap import Runtime, build_runtime, load_configuration
from app.clock import utc_now
from app.config import Settings
from app.errors import ConfigError, SyncError
from app.gui.state import ConfigProblem, Snapshot, WorkerInfo
from app.logs import Redactor, setup_logging
from app.paths import AppPaths, resolve_paths
from app.scheduler import POLL, SyncScheduler, scheduler_for
from app.secrets import AmoTokenStore, SecretStore
from app.sync.amo_health import read_health
from app.sync.deadline_view import read_deadlines
from app.sync.engine import Engine
from app.sync.events import CycleReport, EngineObserver, OrderFailure
from app.sync.mapping import DealPlan
from app.sync.status import read_status, recent_kaspi_actions

log = logging.getLogger(__name__)

RuntimeFactory = Callable[[Settings, SecretStore, EngineObserver, DesktopNotifier | None], Runtime]
SchedulerFactory = Callable[[Engine, Callable[[CycleReport], None], Callable[[], None]], SyncScheduler]

ORDERS_SHOWN = 200


class _SignalObserver(EngineObserver):
    """Engine hooks → the worker's signals (called on the scheduler thread)."""

    def __init__(self, worker: SyncWorker) -> None:
        self._worker = worker

    def cycle_started(self, kind: str) -> None:
        self._worker.cycle_started.emit(kind)

    def order_synced(self, code: str, lead_id: int, plan: DealPlan) -> None:
        self._worker.order_synced.emit(code, lead_id, plan)

    def order_failed(self, failure: OrderFailure) -> None:
        self._worker.order_failed.emit(failure)

    def cycle_finished(self, report: CycleReport) -> None:
        self._worker.cycle_finished.emit(report)


class SyncWorker(QObject):
    config_problem = Signal(object)  # ConfigProblem
    ready = Signal(object)  # WorkerInfo
    cycle_started = Signal(str)
    order_synced = Signal(str, object, object)  # code, lead id, DealPlan
    order_failed = Signal(object)  # OrderFailure
    cycle_finished = Signal(object)  # CycleReport
    snapshot_ready = Signal(object)  # Snapshot
    stopped = Signal()

    def __init__(
        self,
        env: Mapping[str, str],
        *,
        runtime_factory: RuntimeFactory | None = None,
        scheduler_factory: SchedulerFactory | None = None,
        setup_logs: bool = True,
        desktop: DesktopNotifier | None = None,
        paths: AppPaths | None = None,
        orders_shown: int = ORDERS_SHOWN,
        stop_timeout: float = 60.0,
        now: Callable[[], datetime] = utc_now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.env = dict(env)
        self.paths = paths or resolve_paths(self.env)  # the GUI hands in the folders it resolved
        self._runtime_factory = runtime_factory or self._default_runtime
        self._scheduler_factory = scheduler_factory  # None: the configured cadence (scheduler_for)
        self._setup_logs = setup_logs
        self._desktop = desktop
        self._orders_shown = orders_shown
        self._stop_timeout = stop_timeout
        self._now = now
        self._observer = _SignalObserver(self)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # start-up and reads in order, never piling up
        self._lock = threading.Lock()
        self._redactor: Redactor | None = None
        self._starting = False
        self._stopping = False
        self._refresh_queued = False
        self.runtime: Runtime | None = None
        self.scheduler: SyncScheduler | None = None
        self.limiter: RateLimiter | None = None  # amoCRM's per-second budget, shared in this process

    # --- state (GUI thread; plain attribute reads, no I/O) ------------------------------

    @property
    def configured(self) -> bool:
        return self.scheduler is not None

    @property
    def paused(self) -> bool:
        return self.scheduler is not None and self.scheduler.paused

    @property
    def running_kind(self) -> str | None:
        return self.scheduler.running_kind if self.scheduler is not None else None

    def seconds_to_next_poll(self) -> float | None:
        if self.scheduler is None or self.scheduler.paused:
            return None
        return self.scheduler.seconds_to_next_poll()

    # --- control (GUI thread) -----------------------------------------------------------

    def start(self) -> None:
        """Load the configuration and start syncing, off the GUI thread. Calling it again
        after a configuration problem re-reads the configuration."""
        with self._lock:
            if self._starting or self._stopping or self.scheduler is not None:
                return
            self._starting = True
        self._pool.start(self._bootstrap)

    def reload(self) -> None:
        """Apply saved settings without restarting the app: stop after the current batch,
        close the store, read the configuration again and start syncing with it."""
        with self._lock:
            if self._stopping:
                return
            self._starting = True  # start() calls meanwhile are no-ops
        threading.Thread(target=self._reload_blocking, name="gui-reload", daemon=True).start()

    def _reload_blocking(self) -> None:
        try:
            with self._lock:
                scheduler, self.scheduler = self.scheduler, None
                runtime, self.runtime = self.runtime, None
            if scheduler is not None:
                scheduler.stop(timeout=self._stop_timeout)
            if runtime is not None:
                runtime.close()
        except Exception:
            log.exception("stopping the old configuration failed")
        with self._lock:
            stopping = self._stopping
        if stopping:
            with self._lock:
                self._starting = False
            return
        self._bootstrap()

    def sync_now(self, kind: str = POLL) -> bool:
        if self.scheduler is None:
            return False
        self.scheduler.run_now(kind)
        return True

    def retry_failed(self) -> bool:
        """Failed orders are retried by every poll: queue one now."""
        return self.sync_now(POLL)

    def pause(self) -> None:
        if self.scheduler is not None:
            self.scheduler.pause()

    def resume(self) -> None:
        if self.scheduler is not None:
            self.scheduler.resume()

    def refresh(self) -> None:
        """Read a fresh snapshot in the background (coalesced while one is queued)."""
        with self._lock:
            if self.runtime is None or self._stopping or self._refresh_queued:
                return
            self._refresh_queued = True
        self._pool.start(self._refresh_job)

    def stop(self) -> None:
        """Stop after the current batch and close the store; `stopped` fires when done."""
        with self._lock:
            if self._stopping:
                return
            self._stopping = True
        if self.scheduler is None and self.runtime is None and not self._starting:
            QTimer.singleShot(0, self.stopped.emit)
            return
        threading.Thread(target=self._stop_blocking, name="gui-stop", daemon=True).start()

    # --- background work ----------------------------------------------------------------

    def _default_runtime(
        self, settings: Settings, secrets: SecretStore, observer: EngineObserver, desktop: DesktopNotifier | None
    ) -> Runtime:
        # one limiter per process: the wizard's checks and trial take their turns from it too
        self.limiter = RateLimiter(settings.amo_rps)
        return build_runtime(settings, secrets=secrets, observer=observer, lock_wait=5.0, redactor=self._redactor,
                             desktop=desktop, limiter=self.limiter)

    def _problem(self, missing: tuple[str, ...], message: str | None) -> None:
        self.config_problem.emit(ConfigProblem(missing, message, self.paths.settings_file))

    def _bootstrap(self) -> None:
        try:
            self._bootstrap_inner()
        except Exception as exc:  # never leave the window saying "starting…" forever
            log.exception("GUI start-up failed")
            self._problem((), f"{type(exc).__name__}: {exc}")
        finally:
            with self._lock:
                self._starting = False

    def _bootstrap_inner(self) -> None:
        try:
            settings, secrets, warning = load_configuration(self.env)
        except ConfigError as exc:
            self._problem((), exc.message)
            return
        if self._setup_logs:
            self._redactor = setup_logging(level=settings.log_level, log_file=settings.paths.log_file)
        for message in (*settings.warnings, *([warning] if warning else [])):
            log.warning(message)
        missing = tuple(settings.missing_for_sync())
        if missing:
            self._problem(missing, None)
            return
        try:
            runtime = self._runtime_factory(settings, secrets, self._observer, self._desktop)
        except ConfigError as exc:
            if AmoTokenStore(secrets).load() is None:
                self._problem(("AMO_ACCESS_TOKEN",), None)
            else:
                self._problem((), exc.message)
            return
        except SyncError as exc:
            self._problem((), f"{exc.title}: {exc.message}")
            return
        with self._lock:
            if self._stopping:
                runtime.close()
                return
            self.runtime = runtime
            make = self._scheduler_factory or functools.partial(scheduler_for, settings)
            self.scheduler = make(runtime.engine, self._after_cycle, self._each_minute)
        self.ready.emit(
            WorkerInfo(
                amo_base_url=settings.amo_base_url or "",
                backlog_threshold=settings.alert_backlog_threshold,
                dry_run=settings.dry_run,
                warnings=tuple(settings.warnings),
                alert_channels=tuple(c.name for c in runtime.alerts.channels if c.name != "desktop"),
                secrets_in_file=warning is not None,  # the keyring fallback: said in the window's language
                update_feed_url=settings.update_feed_url,
            )
        )
        self._emit_snapshot(runtime, migrate=True)  # the table before the first cycle ends
        runtime.alerts.check_heartbeat()  # a long silence before this start is an incident too
        self.scheduler.start()

    def _after_cycle(self, report: CycleReport) -> None:
        """Scheduler thread, right after a cycle: the store as it is now."""
        if self.runtime is not None:
            self._emit_snapshot(self.runtime)

    def _each_minute(self) -> None:
        """Scheduler thread, once a minute: fresh times for the window, the heartbeat alert."""
        runtime = self.runtime
        if runtime is not None:
            self._emit_snapshot(runtime)
            runtime.alerts.check_heartbeat()

    def _refresh_job(self) -> None:
        with self._lock:
            self._refresh_queued = False
            runtime = None if self._stopping else self.runtime
        if runtime is not None:
            self._emit_snapshot(runtime)

    def _emit_snapshot(self, runtime: Runtime, *, migrate: bool = False) -> None:
        try:
            if migrate:
                runtime.store.migrate()
            now = self._now()
            snapshot = Snapshot(
                status=read_status(runtime.store, now),
                orders=tuple(runtime.store.recent_orders(self._orders_shown)),
                read_at=now,
                kaspi_actions=tuple(recent_kaspi_actions(runtime.store)),
                amo=read_health(runtime.store),
                deliveries=read_deliveries(runtime.store),
                deadlines=read_deadlines(runtime.store, now, runtime.engine.options.deadlines.rules),
            )
        except Exception:  # a locked or vanished database must not kill the worker
            log.warning("could not read the store for the window", exc_info=True)
            return
        self.snapshot_ready.emit(snapshot)

    def _stop_blocking(self) -> None:
        try:
            scheduler = self.scheduler
            if scheduler is not None:
                scheduler.stop(timeout=self._stop_timeout)
            self._pool.waitForDone(int(self._stop_timeout * 1000))
            with self._lock:
                runtime, self.runtime = self.runtime, None
            if runtime is not None:
                runtime.close()
        except Exception:
            log.exception("stopping the sync worker failed")
        finally:
            self.stopped.emit()
