"""Alert texts for Kaspi's clocks and the shop's cancellation rate: what happened, what Kaspi
will do and when, what to do now. Russian is the source; Kazakh and English come from
app/lang's catalogs, in the language app/lang chooses (KASPI_AMO_LANG, else the tray's choice,
else the system's, else Russian).

Kaspi's rules quoted here: «Руководство по обработке Заказа и выдаче Товара» §4.2/§4.6 (accept
within 3 working hours, Express 60 minutes, else cancelled «нет в наличии» and counted), §5.1
(a late handover is marked «Передача задержана»); guide.kaspi.kz: cancellations must stay
under 3 % (q2184), above 5 % a shop may be switched off for 7 days (q3022).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.alerts.messages import LEVEL_ERROR, LEVEL_WARNING, AlertMessage
from app.clock import kz_stamp
from app.lang import Translator

KIND_ACCEPT = "deadline_accept"
KIND_HANDOVER = "deadline_handover"
KIND_QUALITY = "quality"


@dataclass(frozen=True)
class OrderDue:
    """One order in an alert: its code, Kaspi's deadline and whether it is Express."""

    code: str
    deadline: datetime
    express: bool = False


def _shop(t: Translator, host_label: str) -> str:
    return t.tr("Аккаунт amoCRM: {host}", host=host_label) + "\n" if host_label else ""


def _orders_list(t: Translator, orders: list[OrderDue]) -> str:
    lines = []
    for order in orders:
        line = t.tr("• заказ №{code} — до {deadline}", code=order.code, deadline=kz_stamp(order.deadline))
        lines.append(line + (" (Express)" if order.express else ""))
    return "\n".join(lines)


def _orders_alert(kind: str, level: str, title: str, t: Translator, host_label: str, orders: list[OrderDue],
                  why: str, *advice: str) -> AlertMessage:
    """A deadline alert's body, one layout for every kind: the shop and why these orders, their list
    with Kazakhstan times, then what Kaspi will do and what to do now."""
    parts = [_shop(t, host_label) + why, _orders_list(t, orders), *advice]
    return AlertMessage(kind, title, "\n\n".join(parts), level)


def accept_message(orders: list[OrderDue], t: Translator, host_label: str = "") -> AlertMessage:
    """Orders still not accepted past ALERT_ACCEPT_MINUTES."""
    first = min(orders, key=lambda o: o.deadline)
    if len(orders) == 1:
        title = t.tr("Заказ Kaspi №{code} ждёт принятия", code=first.code)
    else:
        title = t.tr("Заказы Kaspi ждут принятия: {count}", count=len(orders))
    hurry = any(o.express for o in orders)
    express = [t.tr("Заказы Express не ждут: для них у Kaspi всего 60 минут с поступления.")] if hurry else []
    return _orders_alert(
        KIND_ACCEPT, LEVEL_ERROR, title, t, host_label, orders,
        t.tr("Эти заказы поступили больше часа назад и всё ещё не приняты (время Казахстана):"),
        *express,
        t.tr("Что будет: Kaspi сам отменит заказ, не принятый за 3 рабочих часа магазина (заказ Express — за 60 "
             "минут), с причиной «нет в наличии». Такая отмена засчитывается магазину в долю отмен."),
        t.tr("Что сделать сейчас: примите заказ в кабинете продавца Kaspi или в приложении Kaspi Pay. Если товара "
             "нет, отмените заказ сами и предупредите покупателя (такая отмена тоже засчитывается, но покупатель "
             "узнает сразу) и обновите остатки. Задача уже стоит на сделке в amoCRM."),
    )


def handover_message(orders: list[OrderDue], t: Translator, host_label: str = "") -> AlertMessage:
    """Kaspi Delivery orders not yet packed, ALERT_HANDOVER_HOURS before the planned handover."""
    first = min(orders, key=lambda o: o.deadline)
    if len(orders) == 1:
        title = t.tr("Соберите заказ Kaspi №{code} до {deadline}", code=first.code, deadline=kz_stamp(first.deadline))
    else:
        title = t.tr("Заказы Kaspi Доставки ждут сборки: {count}", count=len(orders))
    return _orders_alert(
        KIND_HANDOVER, LEVEL_WARNING, title, t, host_label, orders,
        t.tr("Kaspi Доставка заберёт эти заказы в назначенное время, а они ещё не собраны (время Казахстана):"),
        t.tr("Что будет: заказ, не переданный к этому времени, Kaspi отметит «Передача задержана». Частые задержки "
             "увеличивают сроки передачи новых заказов и портят показатели магазина."),
        t.tr("Что сделать сейчас: упакуйте заказ, укажите число мест и распечатайте накладную в кабинете Kaspi, "
             "затем сдайте заказ в пункт приёма или курьеру. Задача уже стоит на сделке в amoCRM."),
    )


def quality_message(status: str, orders: int, cancelled: int, rate: float, t: Translator,
                    host_label: str = "") -> AlertMessage:
    """The shop's cancellation rate reached the warning zone or passed Kaspi's 3 % limit."""
    percent = f"{rate * 100:.1f}%"
    if t.language != "en":
        percent = percent.replace(".", ",")  # 3,3% in Russian and Kazakh
    if status == "over":
        title = t.tr("Доля отмен Kaspi {rate} — выше предела 3%", rate=percent)
    else:
        title = t.tr("Доля отмен Kaspi {rate} — близко к пределу 3%", rate=percent)
    parts = [
        _shop(t, host_label) + t.tr(
            "За последние 30 дней: заказов {orders}, отменено по вине магазина {cancelled} (нет в наличии, не "
            "приняты вовремя, не переданы в Kaspi Доставку) — {rate}.", orders=orders, cancelled=cancelled,
            rate=percent),
        t.tr("Что будет: Kaspi требует держать долю отмен ниже 3%. Если она выше 5%, Kaspi может отключить магазин "
             "на 7 дней, а после третьего нарушения за 90 дней — прекратить сотрудничество. Kaspi пересчитывает "
             "показатель каждый день."),
        t.tr("Что сделать сейчас: принимайте новые заказы вовремя (программа ставит задачи в amoCRM), снимите с "
             "продажи товары, которых нет на складе, и обновите остатки в кабинете Kaspi: отмена «нет в наличии» "
             "засчитывается, даже если отменили вы сами."),
    ]
    return AlertMessage(KIND_QUALITY, title, "\n\n".join(parts), LEVEL_ERROR if status == "over" else LEVEL_WARNING)
