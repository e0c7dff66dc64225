"""Runs the alert rules after each cycle and on heartbeat ticks, and sends what changed.

Incident state lives in the store's meta (`alert_state`), not in memory, because cron
starts a new process every minute: the next process must know the owner was already told.
Nothing here raises into a sync: every channel failure is logged and reported back.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import requests

from app.alerts.action_alerts import refusals, refused_message
from app.alerts.channels import BaseChannel, Channel, ChannelError, DesktopChannel, DesktopNotifier
from app.alerts.deadline_alerts import DeadlineAlerter
from app.alerts.delivery import Delivery, record_deliveries
from app.alerts.messages import AlertMessage, probe_message, problem_message, resolved_message
from app.alerts.rules import (
    HEARTBEAT,
    PROBLEM_KINDS,
    Thresholds,
    ThresholdSource,
    dump_state,
    evaluate,
    load_state,
    transition,
)
from app.alerts.smtp import EmailChannel
from app.alerts.telegram import TelegramChannel
from app.clock import utc_now
from app.lang import Translator
from app.logs import Redactor
from app.store.base import Store
from app.sync.events import CycleReport
from app.sync.status import read_status

log = logging.getLogger(__name__)

META_ALERT_STATE = "alert_state"


@dataclass
class SentAlert:
    """One alert or resolution and where it went."""

    kind: str
    resolved: bool
    title: str
    body: str
    delivered: list[str] = field(default_factory=list)  # channel names
    failed: dict[str, str] = field(default_factory=dict)  # channel name → user-facing reason

    @property
    def ok(self) -> bool:
        return bool(self.delivered)


def host_label_from(settings: Any) -> str:
    """The shop's amoCRM host (`shop.amocrm.ru`): identifies the store without secrets."""
    url = getattr(settings, "amo_base_url", None) or ""
    return urlsplit(url).hostname or ""


class AlertManager:
    def __init__(
        self,
        store: Store,
        thresholds: Thresholds | ThresholdSource,
        channels: Sequence[Channel],
        *,
        now: Callable[[], datetime] = utc_now,
        host_label: str = "",
        redactor: Redactor | None = None,
        translator: Translator | None = None,
    ) -> None:
        self.store = store
        self.thresholds = Thresholds.of(thresholds)
        self.channels = list(channels)
        names = [channel.name for channel in self.channels]
        if len(set(names)) != len(names):
            raise ValueError(f"channel names must be unique (incident state is kept per name): {names}")
        self.now = now
        self.host_label = host_label
        # phones, bearer tokens and JWTs are masked by Redactor itself; add the channels' secrets
        self._redact = redactor or Redactor()
        self._lock = threading.Lock()  # the GUI's worker and timer may both call in
        for channel in self.channels:
            self._redact.add(*channel.secrets())
        # deadline and quality alerts, in app/lang's language (Russian by default)
        self.deadlines = DeadlineAlerter(store, translator or Translator(), host_label, now)

    def after_cycle(self, report: CycleReport | None = None) -> list[SentAlert]:
        """Evaluate every rule against the store after a cycle. A cycle skipped because
        another run held the lock changes nothing: that run evaluates after itself."""
        if report is not None and report.skipped_lock:
            return []
        return self._run(PROBLEM_KINDS) + self._refused_writes(report) + self._run_deadlines()

    def _refused_writes(self, report: CycleReport | None) -> list[SentAlert]:
        """One alert for the Kaspi writes this cycle had refused (app/alerts/action_alerts.py)."""
        refused = refusals(report)
        if not refused or not self.channels:
            return []
        try:
            with self._lock:
                return [self._send(refused_message(refused, self.host_label), [c.name for c in self.channels])]
        except Exception:  # alerts must never break a sync
            log.exception("refused-write alert failed")
            return []

    def _run_deadlines(self) -> list[SentAlert]:
        """Alerts of deadline reminders and quality changes the store holds (app/alerts/deadline_alerts.py)."""
        sent: list[SentAlert] = []

        def send(message: AlertMessage, names: Sequence[str]) -> list[str]:
            alert = self._send(message, names)
            sent.append(alert)
            return alert.delivered

        try:
            with self._lock:
                self.deadlines.run([channel.name for channel in self.channels], send)
        except Exception:
            log.exception("deadline alerts failed")
        return sent

    def check_heartbeat(self) -> list[SentAlert]:
        """Only the heartbeat rule: for the daemon's ticks between cycles and for start-up."""
        return self._run((HEARTBEAT,))

    def _run(self, kinds: Iterable[str]) -> list[SentAlert]:
        try:
            with self._lock:
                return self._evaluate(tuple(kinds))
        except Exception:
            log.exception("alert evaluation failed")
            return []

    def _evaluate(self, kinds: tuple[str, ...]) -> list[SentAlert]:
        now = self.now()
        status = read_status(self.store, now)
        raw = self.store.get_meta(META_ALERT_STATE)
        state = load_state(raw)
        problems = evaluate(status, self.thresholds, now, kinds=kinds, active=state.keys())
        names = [channel.name for channel in self.channels]
        change = transition(state, problems, now, kinds=kinds, channels=names)
        sent: list[SentAlert] = []
        for problem, pending in change.fire:
            incident = change.state[problem.kind]
            alert = self._send(problem_message(problem, self.thresholds, self.host_label), pending)
            if alert.delivered:
                incident.notified.extend(alert.delivered)
                incident.notified_at = incident.notified_at or now
            sent.append(alert)
        for kind, incident in change.resolve:
            told = [name for name in names if name in incident.notified]
            if not told:
                continue  # nobody heard of it: no "resolved" for an unannounced problem
            message = resolved_message(kind, incident, now, backlog=status.backlog, host_label=self.host_label)
            sent.append(self._send(message, told))
        new_raw = dump_state(change.state)
        if new_raw != raw:
            self.store.set_meta(META_ALERT_STATE, new_raw)
        return sent

    def _send(self, message: AlertMessage, names: Iterable[str]) -> SentAlert:
        """Deliver on the named channels; every failure is logged and recorded, never raised."""
        wanted = set(names)
        message = AlertMessage(
            message.kind, self._redact(message.title), self._redact(message.body), message.level, message.resolved
        )
        alert = SentAlert(message.kind, message.resolved, message.title, message.body)
        attempts: list[Delivery] = []
        for channel in self.channels:
            if channel.name not in wanted:
                continue
            try:
                channel.deliver(message)
            except ChannelError as exc:
                alert.failed[channel.name] = exc.message
                log.warning(
                    "alert not delivered",
                    extra={"channel": channel.name, "alert_kind": message.kind, "reason": exc.message, "detail": exc.detail},
                )
            except Exception as exc:  # noqa: BLE001 - a channel bug must not break a sync
                alert.failed[channel.name] = "непредвиденная ошибка"
                log.warning(
                    "alert not delivered: unexpected error",
                    extra={"channel": channel.name, "alert_kind": message.kind, "error_type": type(exc).__name__},
                )
            else:
                alert.delivered.append(channel.name)
            attempts.append(Delivery(channel.name, channel.name not in alert.failed, self.now(),
                                     alert.failed.get(channel.name), message.kind))
        try:
            record_deliveries(self.store, attempts)  # the window shows each channel's last attempt
        except Exception:  # a store hiccup must not hide the alert's outcome
            log.warning("could not record alert deliveries", exc_info=True)
        log.info(
            "alert sent" if alert.delivered else "alert not sent",
            extra={"alert_kind": message.kind, "resolved": message.resolved, "delivered": alert.delivered},
        )
        return alert


def build_channels(
    settings: Any,
    *,
    desktop: DesktopNotifier | None = None,
    session: requests.Session | None = None,
) -> list[BaseChannel]:
    """The channels the settings configure: Telegram when token and chat id are set,
    e-mail when host, from and to are set, the desktop when the GUI gives a notifier."""
    channels: list[BaseChannel] = []
    if desktop is not None:
        channels.append(DesktopChannel(desktop))
    token = getattr(settings, "alert_telegram_bot_token", None)
    chat_id = getattr(settings, "alert_telegram_chat_id", None)
    if token and chat_id:
        api_url = getattr(settings, "telegram_api_url", None) or "https://api.telegram.org"
        channels.append(TelegramChannel(token, chat_id, api_url, session=session))
    host = getattr(settings, "alert_email_smtp_host", None)
    sender = getattr(settings, "alert_email_from", None)
    to = getattr(settings, "alert_email_to", None)
    if host and sender and to:
        channels.append(
            EmailChannel(
                host,
                int(getattr(settings, "alert_email_smtp_port", None) or 587),
                sender,
                to,
                getattr(settings, "alert_email_smtp_user", None),
                getattr(settings, "alert_email_smtp_pass", None),
            )
        )
    return channels


def build_alert_manager(
    settings: Any,
    store: Store,
    *,
    desktop: DesktopNotifier | None = None,
    now: Callable[[], datetime] = utc_now,
    redactor: Redactor | None = None,
    session: requests.Session | None = None,
    translator: Translator | None = None,
) -> AlertManager:
    """The usual wiring for the CLI and the GUI bootstrap."""
    return AlertManager(
        store,
        settings,
        build_channels(settings, desktop=desktop, session=session),
        now=now,
        host_label=host_label_from(settings),
        redactor=redactor,
        translator=translator,
    )


def send_test(channel: Channel, host_label: str = "") -> str | None:
    """For the wizard's "send test" button: None when delivered, else why not (Russian)."""
    try:
        channel.deliver(probe_message(host_label))
    except ChannelError as exc:
        return exc.message
    except Exception as exc:  # noqa: BLE001 - the wizard shows text, never a traceback
        log.warning("test alert failed", extra={"channel": getattr(channel, "name", "?"), "error_type": type(exc).__name__})
        return "Не удалось отправить проверочное сообщение из-за непредвиденной ошибки. Подробности в журнале."
    return None

