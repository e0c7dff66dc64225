"""Kaspi writes: the order status changes of shared/api/kaspi.md §10 (`POST /orders`).

Accept (ACCEPTED_BY_MERCHANT), assemble (ASSEMBLE with `numberOfSpace`), cancel (CANCELLED
with `cancellationReason`) and complete (COMPLETED in two steps: `X-Send-Code: true` with an
empty `X-Security-Code` makes Kaspi send the buyer a code; the same request with
`X-Security-Code: <code>` completes the order). Every write carries `X-Merchant-Uid`
(kaspi.md §13: the shop is identified by it on writes).

Each write is one request, sent once. What Kaspi's answer means is decided here and turned
into a typed error with a text a shop owner understands (errors.KaspiRefused and kin): a
refusal is never retried, a missing answer is never resent blindly (KaspiWriteUncertain:
the caller re-reads the order), and 401/403 — or 404 for an order that was just read —
mean Kaspi does not accept writes for this merchant ID (KaspiMerchantError).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

import requests

from app.errors import (
    KaspiError,
    KaspiMerchantError,
    KaspiRefused,
    KaspiUnavailable,
    KaspiWriteUncertain,
    KaspiWrongCode,
)
from app.kaspi.client import KaspiClient
from app.kaspi.models import Order

__all__ = [
    "CANCEL_REASONS",
    "KaspiActions",
    "WriteResult",
    "merchant_missing",
]

log = logging.getLogger(__name__)

#: The reasons a merchant may give when cancelling (kaspi.md §3 [DOC]).
CANCEL_REASONS = ("BUYER_CANCELLATION_BY_MERCHANT", "BUYER_NOT_REACHABLE", "MERCHANT_OUT_OF_STOCK")
MAX_COMMENT = 1000  # characters of cancellationComment (kaspi.md §10)

#: Kaspi's documented refusal titles (kaspi.md §6, OFF-EN §2.3.3) → (kind, owner's text).
_KNOWN_REFUSALS = (
    ("security code is not valid", "wrong_code",
     ("Kaspi не принял код выдачи: код неверный. Попросите у покупателя код из приложения Kaspi.kz "
      "и введите его в поле «Kaspi: код выдачи» ещё раз.")),
    ("order is cancelled", "cancelled", "Заказ отменён в Kaspi, выдать его нельзя."),
    ("already has been completed", "completed", "Заказ уже выдан в Kaspi: повторно выдать его нельзя."),
    ("not may complete allowed", "signature",
     ("Kaspi пока не разрешает выдачу: покупатель ещё не подписал документы (кредит или "
      "рассрочка).")),
)
_VERBS = {
    "ACCEPTED_BY_MERCHANT": "принять заказ",
    "ASSEMBLE": "передать заказ на сборку (накладная)",
    "CANCELLED": "отменить заказ",
    "COMPLETED": "выдать заказ",
}


def merchant_missing() -> KaspiMerchantError:
    """The error every action reports while KASPI_MERCHANT_ID is not set."""
    return KaspiMerchantError(
        "Не задан ID магазина Kaspi (KASPI_MERCHANT_ID). Действия с заказами Kaspi из amoCRM "
        "приостановлены; новые заказы по-прежнему переносятся в amoCRM. ID магазина есть в "
        "кабинете продавца Kaspi: Настройки → ID магазина.",
        detail="KASPI_MERCHANT_ID is empty",
    )


@dataclass(frozen=True)
class WriteResult:
    """Kaspi's answer to a successful write: the status it shows now (e.g. ASSEMBLED)."""

    status: str | None
    http_status: int

    @property
    def answer(self) -> str:
        return f"HTTP {self.http_status}" + (f" {self.status}" if self.status else "")


class KaspiActions:
    """Sends Kaspi writes for one shop (one API token and one merchant ID)."""

    def __init__(self, client: KaspiClient, merchant_uid: str | None) -> None:
        self.client = client
        self.merchant_uid = (merchant_uid or "").strip()

    def __repr__(self) -> str:
        return f"KaspiActions(merchant_uid={self.merchant_uid!r})"

    # --- the writes -------------------------------------------------------------------

    def accept(self, order: Order) -> WriteResult:
        return self._write(order, "ACCEPTED_BY_MERCHANT")

    def assemble(self, order: Order, places: int) -> WriteResult:
        """Kaspi Delivery: packed, form the waybill. `numberOfSpace` goes as a string ("2")."""
        if places < 1:
            raise ValueError("numberOfSpace must be at least 1")
        return self._write(order, "ASSEMBLE", numberOfSpace=str(int(places)))

    def cancel(self, order: Order, reason: str, comment: str | None = None) -> WriteResult:
        if reason not in CANCEL_REASONS:
            raise ValueError(f"unknown cancellation reason {reason!r}")
        extra: dict[str, Any] = {"cancellationReason": reason}
        if comment:
            extra["cancellationComment"] = comment[:MAX_COMMENT]
        return self._write(order, "CANCELLED", **extra)

    def send_code(self, order: Order) -> WriteResult:
        """Step one of COMPLETED: Kaspi sends the buyer a code in the Kaspi.kz app."""
        return self._write(order, "COMPLETED", headers={"X-Security-Code": "", "X-Send-Code": "true"})

    def complete(self, order: Order, code: str) -> WriteResult:
        """Step two of COMPLETED: the code the buyer read out. An empty code is refused here,
        without a request: Kaspi would only answer that the code is not valid."""
        code = (code or "").strip()
        if not code:
            raise KaspiWrongCode(
                "Код выдачи пустой: введите в поле «Kaspi: код выдачи» код, который покупатель "
                "получил в приложении Kaspi.kz.",
                kind="wrong_code",
            )
        return self._write(order, "COMPLETED", headers={"X-Security-Code": code, "X-Send-Code": "true"})

    # --- transport and answers ------------------------------------------------------------

    def _write(self, order: Order, status: str, *, headers: dict[str, str] | None = None, **attrs: Any) -> WriteResult:
        if not self.merchant_uid:
            raise merchant_missing()
        body = {"data": {"type": "orders", "id": order.id, "attributes": {"code": order.code, "status": status, **attrs}}}
        response = self.client.post_orders(body, {"X-Merchant-Uid": self.merchant_uid, **(headers or {})})
        return self._answer(response, order, status)

    def _answer(self, response: requests.Response, order: Order, status: str) -> WriteResult:
        code = response.status_code
        body = response.content or b""
        verb = _VERBS.get(status, status)
        if code == 200:
            return WriteResult(_shown_status(body), code)
        kaspi_text = self.client.error_text(body)
        where = f"Заказ {order.code}"
        if code in (401, 403) or code == 404:
            # The order was read a moment ago, so a 404 on the write is about the shop, not the order.
            raise KaspiMerchantError(
                f"Kaspi не разрешает действия с заказами для ID магазина {self.merchant_uid} (HTTP {code}). "
                "Проверьте KASPI_MERCHANT_ID (кабинет продавца Kaspi: Настройки → ID магазина) и права "
                "токена API. Действия с заказами приостановлены; новые заказы по-прежнему переносятся в amoCRM.",
                status=code,
                detail=f"{where}: {status}: {kaspi_text}",
            )
        if code in (400, 409, 422):
            kind, text = _refusal(kaspi_text)
            if kind == "wrong_code":
                raise KaspiWrongCode(f"{where}: {text}", kind=kind, kaspi_text=kaspi_text, status=code)
            message = text or f"Kaspi отказался {verb}: «{kaspi_text}»."
            raise KaspiRefused(f"{where}: {message}", kind=kind, kaspi_text=kaspi_text, status=code)
        if code == 429:
            raise KaspiUnavailable(
                f"Kaspi просит подождать (HTTP 429): {where}, действие «{verb}» не выполнено и будет повторено.",
                cause="server",
                status=code,
            )
        if code >= 500:
            raise KaspiWriteUncertain(
                f"Kaspi ответил ошибкой HTTP {code} на действие «{verb}» ({where}). Программа перечитает "
                "заказ и не отправит действие повторно, если Kaspi его уже выполнил.",
                cause="server",
                status=code,
                detail=kaspi_text,
            )
        raise KaspiError(f"Kaspi ответил HTTP {code} на действие «{verb}» ({where}): {kaspi_text}", status=code)


def _refusal(kaspi_text: str) -> tuple[str, str]:
    """(kind, owner's text) for a Kaspi refusal; the text is empty when Kaspi's words are
    unknown, so the caller quotes them."""
    lowered = kaspi_text.lower()
    for needle, kind, text in _KNOWN_REFUSALS:
        if needle in lowered:
            return kind, text
    if "can't be" in lowered or "status" in lowered:
        return "transition", ""
    return "other", ""


def _shown_status(body: bytes) -> str | None:
    """`data.attributes.status` of a write's answer (ASSEMBLED after ASSEMBLE), if any."""
    try:
        status = json.loads(body)["data"]["attributes"]["status"]
    except (ValueError, UnicodeDecodeError, KeyError, TypeError):
        return None
    return status if isinstance(status, str) else None
