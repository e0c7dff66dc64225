"""The Russian texts of alerts: what happened, why, and what to do (pure, no I/O).

The reader is a shop owner, not an engineer: plain words, the cause, the next step.
The texts carry the shop's amoCRM account host so an owner with two shops knows which one, and
never a token or a full phone (the manager also runs them through the log redactor).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from app.alerts.rules import BACKLOG, FAIL_STREAK, HEARTBEAT, Incident, Problem, Thresholds

APP_NAME = "Kaspi → amoCRM"
MAX_ERROR_CHARS = 600

LEVEL_ERROR = "error"
LEVEL_WARNING = "warning"
LEVEL_INFO = "info"


@dataclass(frozen=True)
class AlertMessage:
    kind: str  # fail_streak | backlog | heartbeat | test
    title: str
    body: str
    level: str  # error | warning | info
    resolved: bool = False

    @property
    def text(self) -> str:
        """Title and body as one plain-text message (Telegram, desktop fallback)."""
        return f"{self.title}\n\n{self.body}"


def ru_plural(n: int, one: str, few: str, many: str) -> str:
    """`1 заказ`, `2 заказа`, `5 заказов`: Russian needs three forms."""
    n_abs = abs(n)
    if n_abs % 10 == 1 and n_abs % 100 != 11:
        word = one
    elif 2 <= n_abs % 10 <= 4 and not 12 <= n_abs % 100 <= 14:
        word = few
    else:
        word = many
    return f"{n} {word}"


def format_duration(delta: timedelta) -> str:
    """`3 минуты`, `2 ч 5 мин`, `1 дн 4 ч`: rough, as a person would say it."""
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 1:
        return "меньше минуты"
    if minutes < 60:
        return ru_plural(minutes, "минуту", "минуты", "минут")
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} ч {minutes} мин" if minutes else ru_plural(hours, "час", "часа", "часов")
    days, hours = divmod(hours, 24)
    return f"{days} дн {hours} ч" if hours else ru_plural(days, "день", "дня", "дней")


def format_time(value: datetime) -> str:
    """Local time of this computer with its UTC offset: `05.03.2025 14:07 UTC+05:00`."""
    local = value.astimezone()
    offset = local.strftime("%z")
    offset = f"{offset[:3]}:{offset[3:]}" if len(offset) == 5 else offset
    return f"{local.strftime('%d.%m.%Y %H:%M')} UTC{offset}"


def _shop_line(host_label: str) -> str:
    return f"Аккаунт amoCRM: {host_label}\n" if host_label else ""


def _short(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= MAX_ERROR_CHARS else text[: MAX_ERROR_CHARS - 1] + "…"


def _fail_streak_advice(last_error: str) -> list[str]:
    lowered = last_error.lower()
    reconnect = "подключ" in lowered and "amocrm" in lowered
    steps = ["откройте «Настройки» и заново подключите amoCRM — об этом говорит ошибка;"] if reconnect else []
    steps += [
        "проверьте, что на компьютере работает интернет;",
        ("проверьте токен API в кабинете продавца Kaspi (Настройки → Токен API): если его "
        "перевыпустили, вставьте новый в настройках программы;"),
    ]
    if not reconnect:
        steps.append("если в ошибке говорится о доступе к amoCRM — заново подключите amoCRM в «Настройках»;")
    steps.append("если ничего не помогло, перешлите это сообщение тому, кто настраивал программу.")
    return steps


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"• {line}" for line in lines)


def problem_message(problem: Problem, thresholds: Thresholds, host_label: str = "") -> AlertMessage:
    """The message announcing that `problem` started."""
    shop = _shop_line(host_label)
    if problem.kind == FAIL_STREAK:
        error = _short(problem.last_error) or "текст ошибки не сохранился"
        body = (
            f"{shop}Синхронизация {ru_plural(problem.fail_streak, 'раз', 'раза', 'раз')} подряд "
            f"закончилась ошибкой, новые заказы Kaspi не попадают в amoCRM.\n"
            f"Последняя ошибка: {error}\n"
            "Заказы не потеряются: когда причина будет устранена, программа перенесёт их сама.\n\n"
            f"Что сделать:\n{_bullets(_fail_streak_advice(error))}"
        )
        return AlertMessage(FAIL_STREAK, f"Синхронизация {APP_NAME} не работает", body, LEVEL_ERROR)
    if problem.kind == BACKLOG:
        waiting = ru_plural(problem.backlog, "заказ ждёт", "заказа ждут", "заказов ждут")
        body = (
            f"{shop}{waiting} отправки в amoCRM (ожидают: {problem.pending}, с ошибкой: {problem.failed}); "
            f"порог оповещения — {thresholds.backlog}.\n"
        )
        if problem.last_error:
            body += f"Последняя ошибка: {_short(problem.last_error)}\n"
        body += (
            "Программа повторяет их автоматически при каждом опросе, ничего удалять не нужно.\n\n"
            "Что сделать:\n"
            + _bullets(
                [
                    ("проверьте, оплачен ли аккаунт amoCRM и не заблокирован ли доступ к API "
                    "из-за лимита запросов;"),
                    ("если к amoCRM подключены другие интеграции, проверьте, не расходуют ли они "
                    "весь лимит запросов;"),
                    "посмотрите ошибки заказов в окне программы (раздел «Очередь»).",
                ]
            )
        )
        return AlertMessage(BACKLOG, "Заказы Kaspi копятся в очереди", body, LEVEL_WARNING)
    if problem.kind == HEARTBEAT:
        silent = format_duration(timedelta(minutes=problem.minutes_silent))
        last = f" (последний раз — {format_time(problem.heartbeat_at)})" if problem.heartbeat_at else ""
        body = (
            f"{shop}Синхронизация не запускалась уже {silent}{last}. "
            "Пока она стоит, новые заказы Kaspi не попадают в amoCRM.\n\n"
            "Что сделать:\n"
            + _bullets(
                [
                    "проверьте, включён ли компьютер и не ушёл ли он в сон;",
                    ("проверьте, запущена ли программа (значок в трее) — или, на сервере, задание "
                    "cron/служба `kaspi-amo`;"),
                    "после запуска синхронизация сама догонит пропущенные заказы.",
                ]
            )
        )
        return AlertMessage(HEARTBEAT, f"Синхронизация {APP_NAME} остановилась", body, LEVEL_WARNING)
    raise ValueError(f"unknown problem kind {problem.kind!r}")


def resolved_message(
    kind: str, incident: Incident, now: datetime, *, backlog: int = 0, host_label: str = ""
) -> AlertMessage:
    """The one message that says an announced problem has ended, and how long it lasted."""
    shop = _shop_line(host_label)
    lasted = format_duration(now - incident.since)
    if kind == BACKLOG:
        body = (
            f"{shop}Очередь заказов Kaspi снова в норме: "
            f"{ru_plural(backlog, 'заказ ждёт', 'заказа ждут', 'заказов ждут')} отправки. "
            f"Очередь была большой {lasted}."
        )
        return AlertMessage(BACKLOG, "Очередь заказов Kaspi разобрана", body, LEVEL_INFO, resolved=True)
    what = "снова проходит успешно" if kind == FAIL_STREAK else "снова запускается"
    body = (
        f"{shop}Синхронизация {APP_NAME} {what}. Перерыв длился {lasted}.\n"
        "Заказы, пришедшие за это время, переносятся в amoCRM автоматически."
    )
    return AlertMessage(kind, "Синхронизация снова работает", body, LEVEL_INFO, resolved=True)


def probe_message(host_label: str = "") -> AlertMessage:
    """The wizard's "send test" text."""
    body = (
        f"{_shop_line(host_label)}Это проверочное сообщение. Если вы его видите, оповещения "
        f"{APP_NAME} настроены правильно: сюда придёт сообщение, если синхронизация сломается."
    )
    return AlertMessage("test", f"Проверка оповещений {APP_NAME}", body, LEVEL_INFO)
