"""Delivers the alerts of deadline reminders and quality changes, each once per channel.

The reminders are recorded in the store (deadline_events) before anything is sent; their
`alert` column says, per channel, whether the alert went out. A channel is claimed
("trying") with a compare-and-set before delivery, so two processes (the tray and a cron
poll) never both send it; a channel that failed is tried again at later cycles, at most
MAX_TRIES times and for a day; a claim left by a process that died mid-send is not
repeated (at most once beats twice for a message a person reads).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta

from app.alerts.deadline_messages import (
    OrderDue,
    accept_message,
    handover_message,
    quality_message,
)
from app.alerts.messages import AlertMessage
from app.lang import Translator
from app.store.base import Store
from app.store.deadline_records import ACCEPT, DROPPED, HANDOVER, DeadlineEvent, OrderWatch
from app.sync.deadlines import APPROVED, awaiting_handover
from app.sync.quality import Quality

log = logging.getLogger(__name__)

MAX_TRIES = 3
ALERT_FOR = timedelta(days=1)
QUALITY = "quality"
TRYING, OK, MOOT = "trying", "ok", "moot"

#: send(message, channel names) → the names that delivered
Send = Callable[[AlertMessage, Sequence[str]], list[str]]


def pending_channels(alert: dict[str, str], channels: Iterable[str]) -> list[str]:
    """Channels that have not delivered and may still try (never-tried or failed < MAX_TRIES)."""
    out = []
    for name in channels:
        state = alert.get(name)
        if state is None or (state.startswith("failed:") and state[7:].isdigit() and int(state[7:]) < MAX_TRIES):
            out.append(name)
    return out


class DeadlineAlerter:
    def __init__(self, store: Store, translator: Translator, host_label: str, now: Callable[[], datetime]) -> None:
        self.store = store
        self.translator = translator
        self.host_label = host_label
        self.now = now

    def run(self, channels: Sequence[str], send: Send) -> list[AlertMessage]:
        """Send what is due on `channels`; returns the messages sent (for the caller's log)."""
        if not channels:
            return []
        events = [e for e in self.store.unalerted_deadline_events(self.now() - ALERT_FOR)
                  if e.alert is not None and e.state != DROPPED and e.id is not None]
        groups: dict[tuple[str, tuple[str, ...]], list[DeadlineEvent]] = {}
        watches = self.store.watches_of(e.order_code for e in events if e.kind in (ACCEPT, HANDOVER))
        for event in events:
            assert event.alert is not None and event.id is not None
            todo = pending_channels(event.alert, channels)
            if todo and not self._still_news(event, watches):
                # the order moved on before this channel could tell (say, the tray started later):
                # an alert now would be stale news; settle the channels without sending
                self.store.swap_deadline_alert(event.id, event.alert, {**event.alert, **dict.fromkeys(todo, MOOT)})
                continue
            if todo:
                groups.setdefault((event.kind, tuple(todo)), []).append(event)
        sent: list[AlertMessage] = []
        for (kind, names), group in groups.items():
            claimed = [e for e in group if self._claim(e, names)]
            if not claimed:
                continue
            message = self._message(kind, claimed)
            if message is None:
                continue
            delivered = send(message, names)
            for event in claimed:
                self._settle(event, names, delivered)
            sent.append(message)
        return sent

    @staticmethod
    def _still_news(event: DeadlineEvent, watches: dict[str, OrderWatch]) -> bool:
        watch = watches.get(event.order_code)
        if event.kind == ACCEPT:
            return watch is None or watch.status == APPROVED
        if event.kind == HANDOVER:
            return watch is None or awaiting_handover(watch)
        return True

    def _claim(self, event: DeadlineEvent, names: Sequence[str]) -> bool:
        assert event.id is not None and event.alert is not None
        new = {**event.alert, **dict.fromkeys(names, TRYING)}
        if self.store.swap_deadline_alert(event.id, event.alert, new):
            event.extra["claimed"] = new
            return True
        return False

    def _settle(self, event: DeadlineEvent, names: Sequence[str], delivered: Sequence[str]) -> None:
        assert event.id is not None and event.alert is not None
        claimed = event.extra["claimed"]
        assert isinstance(claimed, dict)
        final = dict(claimed)
        for name in names:
            if name in delivered:
                final[name] = OK
            else:
                before = event.alert.get(name, "")
                tries = int(before[7:]) if before.startswith("failed:") and before[7:].isdigit() else 0
                final[name] = f"failed:{tries + 1}"
        if not self.store.swap_deadline_alert(event.id, claimed, final):
            log.warning("deadline alert state changed meanwhile", extra={"code": event.order_code})

    def _message(self, kind: str, events: list[DeadlineEvent]) -> AlertMessage | None:
        if kind == QUALITY:
            quality = Quality.load(events[-1].text)
            if quality is None or quality.status == "ok":
                return None
            return quality_message(quality.status, quality.orders, quality.cancelled_by_merchant, quality.rate,
                                   self.translator, self.host_label)
        watches = self.store.watches_of(e.order_code for e in events)
        orders = []
        for event in events:
            if event.due_at is None:
                continue
            watch = watches.get(event.order_code)
            orders.append(OrderDue(event.order_code, event.due_at, bool(watch and watch.express)))
        if not orders:
            return None
        if kind == ACCEPT:
            return accept_message(orders, self.translator, self.host_label)
        if kind == HANDOVER:
            return handover_message(orders, self.translator, self.host_label)
        return None
