"""What the wizard knows about each alert channel: this session's test send, or the running
app's last real delivery. The alerts page warns with it; the summary never says «да» for a
channel that failed or was never tried without saying so."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QCoreApplication

from app.gui import texts
from app.onboarding import SetupDraft

CHANNELS = ("telegram", "email")
_SECRET = {"telegram": "ALERT_TELEGRAM_BOT_TOKEN", "email": "ALERT_EMAIL_SMTP_PASS"}


@dataclass(frozen=True)
class ChannelTest:
    ok: bool
    error: str | None = None


def configured(draft: SetupDraft, channel: str) -> bool:
    if channel == "telegram":
        return bool(draft.telegram_chat_id) and draft.has_secret(_SECRET[channel])
    return bool(draft.smtp_host and draft.email_to and draft.email_from)


def unchanged(draft: SetupDraft, channel: str) -> bool:
    """The channel is as the running app uses it: its last real delivery speaks for it."""
    base = draft.base
    if base is None or _SECRET[channel] in draft.new_secrets:
        return False
    if channel == "telegram":
        return draft.telegram_chat_id == base.alert_telegram_chat_id
    return (draft.email_to, draft.email_from, draft.smtp_host, draft.smtp_port, draft.smtp_user) == (
        base.alert_email_to, base.alert_email_from, base.alert_email_smtp_host, base.alert_email_smtp_port,
        base.alert_email_smtp_user)


def channel_summary(draft: SetupDraft, tests: dict[str, ChannelTest], channel: str, now: datetime) -> tuple[str, bool]:
    """(the summary's value, is it a warning) for one channel."""
    if not configured(draft, channel):
        return QCoreApplication.translate("Wizard", "нет"), False
    test = tests.get(channel)
    if test is not None:
        if test.ok:
            return QCoreApplication.translate("Wizard", "да — проверочное сообщение отправлено"), False
        return texts.arg(QCoreApplication.translate("Wizard", "да, но проверка не прошла: %1"), test.error or ""), True
    last = draft.deliveries.get(channel) if unchanged(draft, channel) else None
    if last is not None:
        when = texts.when(last.at, now)
        if last.ok:
            return texts.arg(QCoreApplication.translate("Wizard", "да — последнее оповещение доставлено %1"), when), False
        return texts.arg(QCoreApplication.translate("Wizard", "да, но последнее оповещение не доставлено (%1): %2"), when, last.error or ""), True
    return QCoreApplication.translate("Wizard", "да, но не проверено: нажмите «Отправить проверку» на шаге «Оповещения»"), True
