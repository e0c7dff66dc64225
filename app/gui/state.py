"""What the tray icon shows, derived from facts (pure Python, no Qt: easy to test)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from app.alerts.delivery import Delivery
from app.store.action_records import ActionRecord
from app.store.base import OrderRecord
from app.sync.amo_health import AmoHealth
from app.sync.deadline_view import DeadlinesView
from app.sync.events import CycleReport
from app.sync.status import StatusSnapshot


class TrayState(StrEnum):
    OK = "ok"
    SYNCING = "syncing"
    WARNING = "warning"
    ERROR = "error"
    PAUSED = "paused"


@dataclass(frozen=True)
class Snapshot:
    """The store as the window shows it, read off the GUI thread."""

    status: StatusSnapshot
    orders: tuple[OrderRecord, ...]
    read_at: datetime
    kaspi_actions: tuple[ActionRecord, ...] = ()  # newest pending and refused Kaspi actions
    amo: AmoHealth | None = None  # amoCRM's last verdict on our access (the idle check's too)
    deliveries: dict[str, Delivery] = field(default_factory=dict)  # each alert channel's last attempt
    deadlines: DeadlinesView | None = None  # orders waiting for the shop, seller quality


@dataclass(frozen=True)
class ConfigProblem:
    """Why syncing cannot start: setting names that are missing, or the engine's message."""

    missing: tuple[str, ...]
    message: str | None
    settings_file: Path


@dataclass(frozen=True)
class WorkerInfo:
    """What the window needs to know about a configured runtime."""

    amo_base_url: str
    backlog_threshold: int
    dry_run: bool
    warnings: tuple[str, ...]
    alert_channels: tuple[str, ...] = ()  # the configured channels besides the desktop
    secrets_in_file: bool = False  # no OS keyring: the tokens sit in an owner-only file
    update_feed_url: str | None = None  # UPDATE_FEED_URL (None: never look for updates)


def over_threshold(backlog: int, threshold: int) -> bool:
    """Red above ALERT_BACKLOG_THRESHOLD (the alerts use the same `>`)."""
    return backlog > threshold


def nothing_got_through(report: CycleReport) -> bool:
    """Every order the cycle touched failed (amoCRM down for all of them): an outage, not a hiccup."""
    return bool(report.failed) and not report.created and not report.updated


def amo_refused(amo: AmoHealth | None, account: str | None) -> bool:
    """amoCRM's last word on this account was «no access» (revoked, expired, unpaid)."""
    return amo is not None and amo.refused and (account is None or amo.account == account)


def derive_state(
    *,
    configured: bool,
    paused: bool,
    running: bool,
    status: StatusSnapshot | None,
    last_report: CycleReport | None,
    backlog_threshold: int,
    amo: AmoHealth | None = None,
    account: str | None = None,
    waiting: int = 0,
) -> TrayState:
    """One glance: grey when paused, blue while a cycle runs, red when the last cycle
    failed as a whole (Kaspi/amoCRM unreachable, tokens) or amoCRM refuses our access,
    amber when some orders wait or fail or the setup is incomplete, green otherwise."""
    if not configured:
        return TrayState.WARNING
    if paused:
        return TrayState.PAUSED
    if running:
        return TrayState.SYNCING
    if amo_refused(amo, account):
        return TrayState.ERROR
    if last_report is not None and not last_report.skipped_lock:
        if last_report.error is not None or nothing_got_through(last_report):
            return TrayState.ERROR
        if last_report.failed:
            return TrayState.WARNING
    elif last_report is None and status is not None and status.fail_streak > 0:
        return TrayState.WARNING  # failed before this session; the next cycle will tell
    if status is not None and (status.failed > 0 or over_threshold(status.backlog, backlog_threshold)):
        return TrayState.WARNING
    if waiting > 0:
        return TrayState.WARNING  # an order waits past ALERT_ACCEPT_MINUTES (or a parcel for its courier)
    return TrayState.OK
