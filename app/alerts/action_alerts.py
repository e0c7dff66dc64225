"""The alert of a Kaspi write Kaspi refused (contract: "A refused write (Kaspi 4xx, a wrong
code) is one line on stderr, exit 1 for that cycle, an alert, and the deal stays").

Unlike the incidents of rules.py, a refusal is an event, not a state: the action is never
sent again by itself, so the cycle that got the refusal alerts once, at once, with Kaspi's
words, instead of waiting for ALERT_FAIL_STREAK failed cycles. Russian, like messages.py.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.alerts.messages import LEVEL_ERROR, AlertMessage
from app.errors import KaspiRefused
from app.sync.events import CycleReport

KIND_REFUSED = "kaspi_refused"


def refusals(report: CycleReport | None) -> list[KaspiRefused]:
    """The writes Kaspi refused in this cycle (a dry run sends none, so has none)."""
    if report is None:
        return []
    return [f.error for f in report.failed if isinstance(f.error, KaspiRefused)]


def refused_message(refused: Sequence[KaspiRefused], host_label: str = "") -> AlertMessage:
    """One message for every refusal of a cycle: what Kaspi said, and what to do."""
    shop = f"Аккаунт amoCRM: {host_label}\n" if host_label else ""
    lines = "\n".join(f"• {error.message}" for error in refused)
    if len(refused) == 1:
        title = "Kaspi отказал в действии с заказом"
    else:
        title = f"Kaspi отказал в действиях с заказами: {len(refused)}"
    body = (
        f"{shop}{lines}\n\n"
        "Сделка осталась в том этапе, куда её поставил менеджер; ответ Kaspi записан в заметке "
        "сделки. Само по себе действие повторно не отправляется: проверьте заказ в кабинете "
        "продавца Kaspi. Неверный код выдачи можно вписать в поле «Kaspi: код выдачи» ещё раз."
    )
    return AlertMessage(KIND_REFUSED, title, body, LEVEL_ERROR)
