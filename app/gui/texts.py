"""Every label built from data (Kaspi states, sync states, times, money, errors), translated.

Strings go through QCoreApplication.translate with literal contexts so pyside6-lupdate
finds them; lookups are built at call time so a language switch applies at once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication

from app import errors
from app.gui.i18n import arg
from app.gui.state import TrayState
from app.lang import Translator
from app.store.base import SyncState

NBSP = "\u00a0"
NOTABLE_STATUSES = frozenset(
    {"COMPLETED", "CANCELLED", "CANCELLING", "KASPI_DELIVERY_RETURN_REQUESTED", "RETURN_ACCEPTED_BY_MERCHANT", "RETURNED"}
)


def money(amount: int | None) -> str:
    if amount is None:
        return "—"
    return f"{amount:,}".replace(",", NBSP) + NBSP + "₸"


def kaspi_state_label(state: str | None) -> str:
    labels = {
        "NEW": QCoreApplication.translate("Kaspi", "Новый"),
        "SIGN_REQUIRED": QCoreApplication.translate("Kaspi", "Ждёт подписи"),
        "PICKUP": QCoreApplication.translate("Kaspi", "Самовывоз"),
        "DELIVERY": QCoreApplication.translate("Kaspi", "Доставка"),
        "KASPI_DELIVERY": QCoreApplication.translate("Kaspi", "Kaspi Доставка"),
        "ARCHIVE": QCoreApplication.translate("Kaspi", "Архив"),
    }
    return labels.get(state or "", state or "—")


def kaspi_status_label(status: str | None) -> str:
    labels = {
        "APPROVED_BY_BANK": QCoreApplication.translate("Kaspi", "Одобрен банком"),
        "ACCEPTED_BY_MERCHANT": QCoreApplication.translate("Kaspi", "Принят"),
        "COMPLETED": QCoreApplication.translate("Kaspi", "Выдан"),
        "CANCELLED": QCoreApplication.translate("Kaspi", "Отменён"),
        "CANCELLING": QCoreApplication.translate("Kaspi", "Отменяется"),
        "KASPI_DELIVERY_RETURN_REQUESTED": QCoreApplication.translate("Kaspi", "Запрошен возврат"),
        "RETURN_ACCEPTED_BY_MERCHANT": QCoreApplication.translate("Kaspi", "Возврат принят"),
        "RETURNED": QCoreApplication.translate("Kaspi", "Возвращён"),
    }
    return labels.get(status or "", status or "—")


def kaspi_label(state: str | None, status: str | None) -> str:
    """One short word for the table: the status when it says more (completed, cancelled…)."""
    if status in NOTABLE_STATUSES:
        return kaspi_status_label(status)
    return kaspi_state_label(state)


def sync_state_label(state: SyncState | str) -> str:
    labels = {
        SyncState.DONE.value: QCoreApplication.translate("Sync", "В amoCRM"),
        SyncState.PENDING.value: QCoreApplication.translate("Sync", "Ожидает"),
        SyncState.FAILED.value: QCoreApplication.translate("Sync", "Ошибка"),
        SyncState.QUARANTINED.value: QCoreApplication.translate("Sync", "Нужна проверка"),
    }
    return labels.get(str(state), str(state))


def headline(state: TrayState, *, configured: bool = True) -> str:
    if not configured:
        return QCoreApplication.translate("Status", "Нужно завершить настройку")
    labels = {
        TrayState.OK: QCoreApplication.translate("Status", "Всё в порядке"),
        TrayState.SYNCING: QCoreApplication.translate("Status", "Идёт синхронизация…"),
        TrayState.WARNING: QCoreApplication.translate("Status", "Нужно внимание"),
        TrayState.ERROR: QCoreApplication.translate("Status", "Синхронизация не удалась"),
        TrayState.PAUSED: QCoreApplication.translate("Status", "Синхронизация на паузе"),
    }
    return labels[state]


def parse_when(value: str | datetime | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def when(value: str | datetime | None, now: datetime) -> str:
    """"только что", "5 мин назад", "сегодня в 14:32", "вчера в 09:10", "25.11.2026 18:00"."""
    moment = parse_when(value)
    if moment is None:
        return QCoreApplication.translate("Time", "ещё не было")
    local, local_now = moment.astimezone(), now.astimezone()
    seconds = (local_now - local).total_seconds()
    if -60 < seconds < 60:
        return QCoreApplication.translate("Time", "только что")
    if 0 < seconds < 3600:
        return QCoreApplication.translate("Time", "%n мин назад", None, int(seconds // 60))
    clock = local.strftime("%H:%M")
    if local.date() == local_now.date():
        return arg(QCoreApplication.translate("Time", "сегодня в %1"), clock)
    if local.date() == (local_now - timedelta(days=1)).date():
        return arg(QCoreApplication.translate("Time", "вчера в %1"), clock)
    return local.strftime("%d.%m.%Y %H:%M")


def clock_time(value: str | datetime | None) -> str:
    moment = parse_when(value)
    return moment.astimezone().strftime("%d.%m.%Y %H:%M") if moment else "—"


def in_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 60:
        return arg(QCoreApplication.translate("Time", "через %1 с"), int(seconds))
    return arg(QCoreApplication.translate("Time", "через %1 мин"), round(seconds / 60))


def missing_item(name: str) -> tuple[str, str]:
    """What a missing setting is, in a shop owner's words, and where to find it."""
    items = {
        "KASPI_API_TOKEN": (
            QCoreApplication.translate("Setup", "Токен API Kaspi"),
            QCoreApplication.translate("Setup", "Кабинет продавца Kaspi → Настройки → Токен API."),
        ),
        "AMO_BASE_URL": (
            QCoreApplication.translate("Setup", "Адрес вашего amoCRM"),
            QCoreApplication.translate("Setup", "Например, https://mojmagazin.amocrm.ru"),
        ),
        "AMO_ACCESS_TOKEN": (
            QCoreApplication.translate("Setup", "Доступ к amoCRM"),
            QCoreApplication.translate("Setup", "Ключ интеграции amoCRM: долгосрочный токен или пара токенов."),
        ),
    }
    return items.get(name, (name, ""))


def explain_error(exc: errors.SyncError, language: str) -> tuple[str, str]:
    """(title, what to do) in `language`, from app/lang's one table of error advice (the CLI
    prints the same words on one line). Russian keeps the engine's own precise message; other
    languages explain the error's kind. Shown as a sentence: capital letter, final period."""
    title, advice = Translator(language).explain(exc)
    advice = advice[:1].upper() + advice[1:]
    return title, advice if advice.endswith((".", "!", "?", "…")) else advice + "."
