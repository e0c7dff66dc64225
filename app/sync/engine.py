"""The engine: one object that runs poll (and later reconcile) cycles against one store.

Built once by the bootstrap (CLI or GUI) from ready clients and passed around; holds no
Qt and no HTTP details. Every cycle takes the store's run lock, so a cron poll and the
tray app never work on the same order at once.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from app.clock import utc_now
from app.errors import AmoBlocked, ConfigError, KaspiError, RunLockLost, StoreLockedError, SyncError
from app.kaspi.models import Order
from app.net import is_loopback_url
from app.server_time import ServerClock
from app.store.base import Store, SyncState
from app.sync.actions_plan import ActionSettings
from app.sync.actions_run import ActionRunner
from app.sync.amo_health import (
    IDLE_CHECK_EVERY,
    META_AMO_HEALTH,
    idle_check_due,
    read_health,
    record_health,
    verdict,
)
from app.sync.cycle import Cycle
from app.sync.deadline_run import DeadlineRunner, DeadlineSettings, TaskBoard
from app.sync.events import CycleReport, EngineObserver
from app.sync.poll import META_INITIALIZED, META_WINDOW_END, collect_work, poll_window
from app.sync.ports import AmoDeals, DealFeedPort, KaspiOrders, KaspiWrites
from app.sync.quality import load_quality, read_quality, record_quality
from app.sync.reconcile import Reconciler
from app.sync.writer import CycleAborted, DealWriter, Destination, WorkItem

log = logging.getLogger(__name__)

META_LAST_POLL = "last_poll_at"
META_LAST_SUCCESS = "last_success_at"
META_LAST_RECONCILE = "last_reconcile_at"
META_FAIL_STREAK = "fail_streak"
META_HEARTBEAT = "heartbeat_at"
META_LAST_ERROR = "last_error"
META_ACCOUNT = "amo_account"
META_BLOCKED_UNTIL = "amo_blocked_until"
META_BLOCKS = "amo_blocks"  # consecutive blocks: the cooldown doubles each time

BLOCK_COOLDOWN = timedelta(minutes=15)
BLOCK_COOLDOWN_MAX = timedelta(hours=4)


def _unfinished(items: Sequence[WorkItem]) -> list[str]:
    """Codes a cycle left pending (not failed, not done): the next run resumes them."""
    return [i.order.code for i in items if not i.failed and i.record.sync_state != SyncState.DONE]


def unexpected_error(kind: str, exc: Exception) -> SyncError:
    """An exception no layer turned into a SyncError (a bug, or data nobody foresaw): the cycle
    fails with a readable message and is recorded like any failure, so alerts fire; the
    traceback goes to the log only."""
    log.error("%s crashed", kind, exc_info=exc)
    return SyncError(
        f"Внутренняя ошибка программы ({type(exc).__name__}). Заказы остались в очереди и будут "
        "повторены; подробности — в журнале. Если ошибка повторяется, сообщите разработчикам.",
        detail=f"{type(exc).__name__}: {exc}"[:500],
    )


def default_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class SyncOptions:
    allowed_states: tuple[str, ...]
    destination: Destination
    status_map: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False
    lookback: timedelta = timedelta(days=14)
    overlap: timedelta = timedelta(days=1)
    retry_limit: int = 50
    account: str = ""  # the amoCRM base URL: the store and its caches belong to one account
    actions: ActionSettings = field(default_factory=ActionSettings)  # two-way: all off by default
    cache_secret: bytes = field(default=b"", repr=False)  # keys the phone cache (app.secrets.store_key)
    deadlines: DeadlineSettings = field(default_factory=DeadlineSettings)  # tasks before Kaspi's clocks run out
    quality_every: timedelta | None = timedelta(hours=1)  # seller quality re-read by reconcile (None: never)


def rebind_store(store: Store, account: str) -> int:
    """Start the store afresh for another amoCRM account (the sandbox's leftovers, or the
    owner connected a different account in the wizard): its orders and poll window go, so
    the new account receives the recent orders; returns how many orders were forgotten.
    The first poll after this lists the account's `Kaspi #…` deals, so none is made twice."""
    removed = store.delete_all_orders()
    for key in (META_WINDOW_END, META_INITIALIZED, META_LAST_ERROR, META_FAIL_STREAK, META_BLOCKS,
                META_BLOCKED_UNTIL, META_AMO_HEALTH):
        store.set_meta(key, None)
    store.set_meta(META_ACCOUNT, account)
    return removed


def bound_account(store: Store) -> str | None:
    """The amoCRM account (base URL) this store syncs to, if any yet."""
    return store.get_meta(META_ACCOUNT)


class Engine:
    def __init__(
        self,
        kaspi: KaspiOrders,
        api: AmoDeals,
        store: Store,
        options: SyncOptions,
        *,
        observer: EngineObserver | None = None,
        now: Callable[[], datetime] = utc_now,
        owner: str | None = None,
        lock_wait: float = 0.0,
        amo_requests: Callable[[], int] = lambda: 0,
        after_cycle: Sequence[Callable[[CycleReport], object]] = (),
        kaspi_writes: KaspiWrites | None = None,
        deal_feed: DealFeedPort | None = None,
        clock: ServerClock | None = None,
        idle_check_every: timedelta | None = IDLE_CHECK_EVERY,
        tasks: TaskBoard | None = None,
    ) -> None:
        self.kaspi = kaspi
        self.api = api
        self.store = store
        self.options = options
        self.observer = observer or EngineObserver()
        self.now = now
        self.owner = owner or default_owner()
        self.lock_wait = lock_wait
        self.amo_requests = amo_requests
        self.after_cycle = list(after_cycle)  # e.g. alerts; each must never break a sync
        self.clock = clock  # the servers' time as their answers tell it
        self.stop_event = threading.Event()
        self.kaspi_writes = kaspi_writes  # two-way: Kaspi writes and what managers did in amoCRM
        self.deal_feed = deal_feed
        self.idle_check_every = idle_check_every  # None: never ask amoCRM without a reason
        self._account_name: str | None = None  # what the last idle check learnt
        self._asked = False  # this cycle's idle check got its answer
        self.tasks = tasks  # amoCRM tasks for deadlines; None: no deadline reminders

    def request_stop(self) -> None:
        """Finish the current batch, then stop (SIGTERM, Quit)."""
        self.stop_event.set()

    # --- cycles -------------------------------------------------------------------------

    def poll(self) -> CycleReport:
        return self._cycle("poll", self._poll)

    def reconcile(self) -> CycleReport:
        return self._cycle("reconcile", self._reconcile)

    def _cycle(self, kind: str, body: Callable[[Cycle], None]) -> CycleReport:
        report = CycleReport(kind=kind, started_at=self.now(), dry_run=self.options.dry_run)
        cycle = Cycle(self.store, report, self.observer, self.now, self.options.dry_run, self.stop_event)
        kaspi_before, amo_before = self.kaspi.requests_made, self.amo_requests()
        self.observer.cycle_started(kind)
        self._asked = False
        try:
            self.store.migrate()
            with self.store.run_lock(f"{self.owner}:{kind}", wait_seconds=self.lock_wait):
                cooling = self._block_cooldown()
                try:
                    if cooling is not None:
                        raise cooling  # amoCRM blocked us: calling now would only prolong it
                    body(cycle)
                except CycleAborted as exc:
                    report.error = exc.error
                except SyncError as exc:
                    report.error = exc
                except Exception as exc:  # noqa: BLE001 - a bug or data nobody foresaw: fail visibly
                    report.error = unexpected_error(kind, exc)
                try:
                    if not isinstance(report.error, RunLockLost):
                        if cooling is None:
                            self._track_block(report)
                        self._record_health(report, self.amo_requests() - amo_before)
                        self._record_cycle(report)
                except RunLockLost as exc:
                    report.error = exc
            if isinstance(report.error, RunLockLost):
                # another run took over (this one was stopped or lost its lock session): nothing more
                # was written under the lock; the failed cycle is recorded once the lock is let go
                self._record_cycle(report)
        except StoreLockedError as exc:
            report.error = exc
            report.skipped_lock = True
        except SyncError as exc:
            report.error = exc
        except Exception as exc:  # noqa: BLE001 - the store or the lock broke unexpectedly
            report.error = unexpected_error(kind, exc)
        report.finished_at = self.now()
        report.kaspi_requests = self.kaspi.requests_made - kaspi_before
        report.amo_requests = self.amo_requests() - amo_before
        if report.error is not None:
            log.error("%s failed", kind, extra={"error": str(report.error), "detail": report.error.detail})
        log.info(
            "%s finished",
            kind,
            extra={
                "fetched": report.fetched,
                "created_count": len(report.created),
                "failed_count": len(report.failed),
                "kaspi_requests": report.kaspi_requests,
                "amo_requests": report.amo_requests,
                "dry_run": report.dry_run,
            },
        )
        self.observer.cycle_finished(report)
        if not report.dry_run:
            for hook in self.after_cycle:
                try:
                    hook(report)
                except Exception:
                    log.exception("after-cycle hook failed")
        return report

    def _block_cooldown(self) -> AmoBlocked | None:
        """The error to report while an amoCRM API block cools down, else None."""
        until = self.store.get_meta(META_BLOCKED_UNTIL)
        if not until:
            return None
        try:
            resume = datetime.fromisoformat(until)
        except ValueError:
            return None
        if self.now() >= resume:
            return None
        return AmoBlocked(
            "amoCRM временно заблокировал доступ по API за слишком частые запросы (возможно, из-за "
            f"других интеграций). Программа не обращается к amoCRM до {resume:%H:%M} UTC, чтобы не "
            "продлевать блокировку; новые заказы дождутся в очереди. Если блокировка не снимается, "
            "напишите в поддержку amoCRM.",
            detail=f"cooling down until {until}",
        )

    def _track_block(self, report: CycleReport) -> None:
        """Start (or lengthen) the cooldown after a block; forget it after a good cycle."""
        if self.options.dry_run:
            return
        if isinstance(report.error, AmoBlocked):
            blocks = int(self.store.get_meta(META_BLOCKS) or 0) + 1
            cooldown = min(BLOCK_COOLDOWN * 2 ** (blocks - 1), BLOCK_COOLDOWN_MAX)
            self.store.set_meta(META_BLOCKS, str(blocks))
            self.store.set_meta(META_BLOCKED_UNTIL, (self.now() + cooldown).isoformat())
            log.error("amoCRM API blocked: pausing amoCRM calls", extra={"minutes": cooldown.total_seconds() / 60})
        elif report.ok and self.store.get_meta(META_BLOCKS):
            self.store.set_meta(META_BLOCKS, None)
            self.store.set_meta(META_BLOCKED_UNTIL, None)

    def _check_account(self) -> None:
        """A store belongs to one amoCRM account. Leftovers of the sandbox (demo) are cleared
        when a real account takes over; another real account's store is refused, because its
        order codes would hide this account's orders."""
        account = self.options.account
        bound = self.store.get_meta(META_ACCOUNT)
        if not account or bound == account:
            return
        if bound is None:
            self.store.set_meta(META_ACCOUNT, account)
            return
        if is_loopback_url(bound):
            removed = rebind_store(self.store, account)
            log.info("store was used by the sandbox; demo orders cleared", extra={"removed": removed})
            return
        raise ConfigError(
            f"Эта база данных уже используется с другим аккаунтом amoCRM ({bound}). "
            "Укажите другую базу в DATABASE_URL или удалите старую."
        )

    def _poll(self, cycle: Cycle) -> None:
        if not self.options.dry_run:
            self._check_account()
        now = self.now()
        amo_before = self.amo_requests()
        start, end = poll_window(self.store, now, lookback=self.options.lookback, overlap=self.options.overlap)
        fresh = self.store.get_meta(META_INITIALIZED) is None
        fetched: dict[str, Order] = {}
        every: list[Order] = []
        work = collect_work(self.kaspi, cycle, states=self.options.allowed_states, start=start, end=end,
                            retry_limit=self.options.retry_limit, seen=fetched, every=every)
        self._check_clock()  # before anything is written, the window end included
        try:
            self._writer(cycle, check_existing=fresh).write(work)
            self._actions(cycle).run(cycle.report.created, fetched)
            self._deadlines(cycle, every, read_at=now)
        finally:
            if not self.options.dry_run:
                self.store.set_meta(META_WINDOW_END, end.isoformat())
                cycle.report.left_pending = _unfinished(work)
        if not self.options.dry_run and fresh and cycle.report.error is None:
            self.store.set_meta(META_INITIALIZED, now.isoformat())
        if self.amo_requests() == amo_before:
            self._idle_check(now)

    def _idle_check(self, now: datetime) -> None:
        """No order needed amoCRM this poll: ask it anyway when it has been silent too long
        (or refused last time), so revoked access shows now, not when the next order fails.
        An error here fails the cycle like any amoCRM error (red icon, alerts)."""
        if self.options.dry_run or self.idle_check_every is None:
            return
        if idle_check_due(read_health(self.store), now, account=self.options.account, every=self.idle_check_every):
            self._account_name = self.api.account().name
            self._asked = True

    def _record_health(self, report: CycleReport, amo_requests: int) -> None:
        """The connection verdict the tray, the window and the wizard read (not dry runs)."""
        if self.options.dry_run:
            return
        health = verdict(read_health(self.store), error=report.error, amo_requests=max(amo_requests, int(self._asked)),
                         now=self.now(),
                         account=self.options.account, account_name=self._account_name)
        if health is not None:
            record_health(self.store, health)

    def _actions(self, cycle: Cycle) -> ActionRunner:
        """The two-way actions for one poll cycle (a no-op while every action is off)."""
        return ActionRunner(cycle, kaspi=self.kaspi, writes=self.kaspi_writes, api=self.api, deals=self.deal_feed,
                            settings=self.options.actions)

    def _writer(self, cycle: Cycle, *, check_existing: bool) -> DealWriter:
        """The deal writer for one cycle (poll's new orders, reconcile's missed ones)."""
        return DealWriter(cycle, api=self.api, destination=self.options.destination, check_existing=check_existing,
                          cache_scope=self.options.account, cache_secret=self.options.cache_secret)

    def _reconcile(self, cycle: Cycle) -> None:
        if not self.options.dry_run:
            self._check_account()
        reconciler = Reconciler(cycle, kaspi=self.kaspi, api=self.api,
                                allowed_states=frozenset(self.options.allowed_states),
                                status_map=self.options.status_map)
        read_at = self.now()
        missed, changes = reconciler.read()
        self._check_clock()
        try:
            if missed:
                self._writer(cycle, check_existing=self.store.get_meta(META_INITIALIZED) is None).write(missed)
            reconciler.apply(changes)
            if not cycle.stop.is_set():
                self._actions(cycle).note_waybills(reconciler.seen)
            self._deadlines(cycle, reconciler.seen, read_at=read_at)
        finally:
            if not self.options.dry_run:
                cycle.report.left_pending = _unfinished(missed)
        self._quality()

    def _deadlines(self, cycle: Cycle, seen: Sequence[Order], *, read_at: datetime) -> None:
        """Refresh the store's view of the orders read at `read_at`, then put what is due on the
        deals (after the two-way actions: an order they just accepted is re-read, not reminded)."""
        if self.tasks is None or cycle.stop.is_set():
            return
        runner = DeadlineRunner(cycle, kaspi=self.kaspi, board=self.tasks, notes=self.api,
                                settings=self.options.deadlines)
        runner.run(runner.observe(seen, read_at))

    def _quality(self) -> None:
        """Seller quality, re-read from Kaspi at most every `quality_every` (30 days, ≤14-day
        windows); a failed read keeps the last figures and never fails the cycle."""
        every = self.options.quality_every
        if every is None or self.options.dry_run:
            return
        last = load_quality(self.store)
        if last is not None and timedelta(0) <= self.now() - last.until < every:
            return
        try:
            quality = read_quality(self.kaspi, self.now())
        except KaspiError as exc:
            log.warning("seller quality not read", extra={"error": exc.message})
            return
        record_quality(self.store, quality)
        log.info("seller quality read", extra={"orders": quality.orders, "cancelled": quality.cancelled_by_merchant,
                                               "status": quality.status})

    def _check_clock(self) -> None:
        """A computer clock far from Kaspi's read the wrong days: fail before writing anything."""
        if self.clock is not None:
            self.clock.check()

    def _record_cycle(self, report: CycleReport) -> None:
        """Meta the status command, the tray and the alerts read. A dry run records nothing."""
        if self.options.dry_run:
            return
        now = self.now().isoformat()
        self.store.set_meta(META_LAST_POLL if report.kind == "poll" else META_LAST_RECONCILE, now)
        self.store.set_meta(META_HEARTBEAT, now)
        if report.ok:
            self.store.set_meta(META_LAST_SUCCESS, now)
            self.store.set_meta(META_FAIL_STREAK, "0")
            self.store.set_meta(META_LAST_ERROR, None)
        else:
            streak = int(self.store.get_meta(META_FAIL_STREAK) or 0) + 1
            self.store.set_meta(META_FAIL_STREAK, str(streak))
            message = str(report.error) if report.error else report.failed[0].message
            self.store.set_meta(META_LAST_ERROR, message)
