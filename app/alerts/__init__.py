"""Alerts: rules (fail streak, backlog, heartbeat) and channels (desktop, Telegram, e-mail).

No Qt here: the GUI plugs in a `DesktopNotifier`. Typical wiring (CLI/GUI bootstrap):

    manager = build_alert_manager(settings, store, desktop=tray_notifier_or_None)
    report = engine.poll()
    manager.after_cycle(report)      # never raises
    manager.check_heartbeat()        # on daemon ticks / at start-up
"""

from __future__ import annotations

from app.alerts.channels import (
    BaseChannel,
    Channel,
    ChannelError,
    DesktopChannel,
    DesktopNotifier,
    NullNotifier,
)
from app.alerts.delivery import META_ALERT_DELIVERIES, Delivery, read_deliveries
from app.alerts.manager import (
    META_ALERT_STATE,
    AlertManager,
    SentAlert,
    build_alert_manager,
    build_channels,
    host_label_from,
    send_test,
)
from app.alerts.messages import AlertMessage
from app.alerts.rules import BACKLOG, FAIL_STREAK, HEARTBEAT, Thresholds
from app.alerts.smtp import EmailChannel
from app.alerts.telegram import TelegramChannel

__all__ = [
    "BACKLOG",
    "FAIL_STREAK",
    "HEARTBEAT",
    "META_ALERT_DELIVERIES",
    "META_ALERT_STATE",
    "AlertManager",
    "AlertMessage",
    "BaseChannel",
    "Channel",
    "ChannelError",
    "Delivery",
    "DesktopChannel",
    "DesktopNotifier",
    "EmailChannel",
    "NullNotifier",
    "SentAlert",
    "TelegramChannel",
    "Thresholds",
    "build_alert_manager",
    "build_channels",
    "host_label_from",
    "read_deliveries",
    "send_test",
]
