"""The notes the two-way actions leave on a deal, in Russian (the language of the deal's
readers: managers in amoCRM). One place for every wording, so the outcome of each Kaspi
write reads the same whichever path produced it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from app.clock import KZ_TIME
from app.kaspi.models import Order

if TYPE_CHECKING:
    from app.sync.actions_plan import DealView, Kind


STATUS_WORDS = {
    "APPROVED_BY_BANK": "одобрен банком, ждёт принятия",
    "ACCEPTED_BY_MERCHANT": "принят",
    "COMPLETED": "выдан",
    "CANCELLED": "отменён",
    "CANCELLING": "отменяется",
    "KASPI_DELIVERY_RETURN_REQUESTED": "запрошен возврат",
    "RETURNED": "возвращён",
}
REASON_WORDS = {
    "BUYER_CANCELLATION_BY_MERCHANT": "покупатель отказался",
    "BUYER_NOT_REACHABLE": "не удалось связаться с покупателем",
    "MERCHANT_OUT_OF_STOCK": "товара нет в наличии",
}
ACTION_WORDS = {
    "accept": "принять заказ",
    "assemble": "передать заказ на сборку (накладная Kaspi Доставки)",
    "cancel": "отменить заказ",
    "send_code": "отправить покупателю код выдачи",
    "complete": "выдать заказ по коду",
}
WON_STATUS_ID = 142


def _status(order: Order) -> str:
    word = STATUS_WORDS.get(order.status, order.status)
    return f"«{word}» ({order.status})"


def head(order_code: str) -> str:
    return f"Kaspi, заказ №{order_code}:"


def not_allowed(kind: Kind, order: Order) -> str:
    what = ACTION_WORDS.get(str(kind), str(kind))
    why = f"в Kaspi заказ сейчас {_status(order)}"
    if str(kind) == "assemble":
        if not order.is_kaspi_delivery:
            why = "это заказ не Kaspi Доставки: накладная для него не нужна"
        elif order.extra.get("assembled") is True:
            why = "заказ уже собран, накладная уже есть"
        elif order.status == "APPROVED_BY_BANK":
            why = f"{why}; сначала заказ нужно принять"
    elif str(kind) in ("send_code", "complete") and order.status == "APPROVED_BY_BANK":
        why = f"{why}; сначала заказ нужно принять"
    return f"{head(order.code)} {what} нельзя — {why}. В Kaspi ничего не отправлено."


def order_missing(order_code: str) -> str:
    return f"{head(order_code)} Kaspi не нашёл этот заказ. В Kaspi ничего не отправлено."


def done(kind: Kind, order_code: str, *, trigger: str, places: int | None = None, reason: str | None = None,
         moved_to: int | None = None) -> str:
    """The note after a write Kaspi carried out."""
    how = " (автоматически: новый заказ)" if trigger == "auto" else ""
    key = str(kind)
    if key == "accept":
        return f"{head(order_code)} заказ принят в Kaspi{how}."
    if key == "assemble":
        return (f"{head(order_code)} заказ собран и передан Kaspi Доставке, мест: {places or 1}. "
                "Ссылка на накладную появится отдельной заметкой, когда Kaspi её сформирует.")
    if key == "cancel":
        word = REASON_WORDS.get(reason or "", reason or "")
        return f"{head(order_code)} заказ отменён в Kaspi. Причина: {word} ({reason})."
    if key == "send_code":
        return (f"{head(order_code)} Kaspi отправил покупателю код выдачи в приложение Kaspi.kz. "
                "Когда покупатель назовёт код, впишите его в поле «Kaspi: код выдачи».")
    text = f"{head(order_code)} заказ выдан покупателю, Kaspi принял код."
    if moved_to is not None:
        text += f" Сделка переведена в этап {stage_label(moved_to)}."
    return text


def refused(order_code: str, message: str) -> str:
    """Kaspi said no: its reason, and that nothing changed."""
    text = message.removeprefix(f"Заказ {order_code}: ")
    return (f"{head(order_code)} Kaspi отказал. {text} Заказ в Kaspi не изменился; сделка осталась "
            "в этапе, куда её перенесли.")


def unmapped_loss_reason(order_code: str, deal: DealView, mapping: Mapping[int, str], names: Mapping[int, str]) -> str:
    """A deal closed as lost with a reason that cancels nothing: say which reasons would."""
    if deal.loss_reason_id is None:
        how = "без причины отказа"
    else:
        name = deal.loss_reason_name or names.get(deal.loss_reason_id) or str(deal.loss_reason_id)
        how = f"с причиной отказа «{name}»"
    listed = ", ".join(f"«{names.get(rid, rid)}»" for rid in mapping) or "—"
    return (f"{head(order_code)} сделка закрыта {how}, заказ в Kaspi не отменён. "
            f"Заказ в Kaspi отменяют только причины отказа: {listed}.")


def waybill(order_code: str, url: str, planned: datetime | None) -> str:
    text = f"{head(order_code)} Kaspi Доставка сформировала накладную: {url}"
    if planned is not None:
        local = planned.astimezone(KZ_TIME)
        text += f"\nПередача курьеру запланирована на {local:%d.%m.%Y %H:%M} (время Алматы)."
    return text


def stage_label(status_id: int) -> str:
    return "«Успешно реализовано»" if status_id == WON_STATUS_ID else f"{status_id}"


def would_send(kind: Kind, order_code: str, params: Mapping[str, object]) -> str:
    """DRY_RUN: the write that would go to Kaspi."""
    what = ACTION_WORDS.get(str(kind), str(kind))
    extra = ""
    if params.get("places"):
        extra = f", мест: {params['places']}"
    elif params.get("reason"):
        extra = f", причина: {params['reason']}"
    return f"Пробный запуск — {head(order_code)} отправил бы в Kaspi «{what}»{extra}; ничего не отправлено."
