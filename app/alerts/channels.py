"""What every alert channel is, and the desktop hook the GUI plugs in.

Why `deliver` and `send` both exist: the settings wizard's "send test" button needs the
reason a channel failed (`deliver` raises `ChannelError` with a Russian text), while a sync
must never break because Telegram or the mail server is down (`send` logs and returns False).
"""

from __future__ import annotations

import logging
from typing import Protocol, runtime_checkable

from app.alerts.messages import AlertMessage

log = logging.getLogger(__name__)


class ChannelError(Exception):
    """Delivery failed; `message` is user-facing Russian text without secrets."""

    def __init__(self, message: str, *, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail  # technical cause for the log, already free of secrets


@runtime_checkable
class Channel(Protocol):
    name: str

    def deliver(self, message: AlertMessage) -> None:
        """Send or raise ChannelError."""

    def send(self, message: AlertMessage) -> bool:
        """Send; never raises. True when delivered."""

    def secrets(self) -> tuple[str, ...]:
        """Values that must never appear in an alert text (token, password)."""


class BaseChannel:
    """`send` = `deliver` with every failure logged (without secrets) and swallowed."""

    name = "channel"

    def deliver(self, message: AlertMessage) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def secrets(self) -> tuple[str, ...]:
        return ()

    def send(self, message: AlertMessage) -> bool:
        try:
            self.deliver(message)
        except ChannelError as exc:
            log.warning(
                "alert not delivered",
                extra={"channel": self.name, "alert_kind": message.kind, "reason": exc.message, "detail": exc.detail},
            )
            return False
        except Exception as exc:  # noqa: BLE001 - an alert must never break a sync
            log.warning(
                "alert not delivered: unexpected error",
                extra={"channel": self.name, "alert_kind": message.kind, "error_type": type(exc).__name__},
            )
            return False
        log.info("alert delivered", extra={"channel": self.name, "alert_kind": message.kind, "resolved": message.resolved})
        return True


class DesktopNotifier(Protocol):
    """What the GUI provides (a tray balloon); called on the thread that runs alerts."""

    def notify(self, title: str, body: str, level: str) -> None: ...


class NullNotifier:
    """The default when there is no GUI (cron, server): shows nothing."""

    def notify(self, title: str, body: str, level: str) -> None:
        return None


class DesktopChannel(BaseChannel):
    """Forwards alerts to the GUI's notifier (a tray balloon/toast)."""

    name = "desktop"

    def __init__(self, notifier: DesktopNotifier | None = None) -> None:
        self.notifier: DesktopNotifier = notifier or NullNotifier()

    def deliver(self, message: AlertMessage) -> None:
        try:
            self.notifier.notify(message.title, message.body, message.level)
        except Exception as exc:  # noqa: BLE001 - whatever the GUI raises
            raise ChannelError("Не удалось показать уведомление на рабочем столе.", detail=type(exc).__name__) from None
