"""What the CLI prints about a cycle and about the store, in the user's language.

A cycle: one summary on stdout that never says "no errors" when the cycle failed, and one
clear line on stderr per failure (the cycle's own error once, each failed order once).
"""

from __future__ import annotations

import re
import sys
from typing import TextIO

from app.cli_quality import percent, quality_state
from app.clock import kz_stamp
from app.lang import Translator
from app.store.deadline_records import ACCEPT
from app.sync.deadline_view import DeadlinesView
from app.sync.events import CycleReport
from app.sync.status import StatusSnapshot, utc_iso

PENDING_SHOWN = 20


def print_report(report: CycleReport, t: Translator, *, out: TextIO | None = None, err: TextIO | None = None) -> None:
    """The cycle as a person reads it: a summary on stdout, one line per failure on stderr."""
    out = out or sys.stdout
    err = err or sys.stderr
    poll = report.kind == "poll"
    if report.skipped_lock:
        line = t.tr("Опрос пропущен") if poll else t.tr("Сверка пропущена")
        print(f"{line}: {t.error(report.error) if report.error else ''}", file=err, flush=True)
        return
    if report.dry_run:
        head = t.tr("Опрос") if poll else t.tr("Сверка")
        print(t.tr("{kind} (пробный запуск, в amoCRM ничего не записано): получено заказов {fetched}, "
                   "было бы создано сделок {planned}", kind=head, fetched=report.fetched,
                   planned=len(report.planned)), file=out)
        for plan in report.planned:
            contact = f"{plan.buyer_name} ({plan.phone_masked})" if plan.contact else t.tr("без контакта")
            print("  • " + t.tr("{lead}: {price} ₸, {contact}, товаров {items}, теги {tags}", lead=plan.lead_name,
                                price=plan.price, contact=contact, items=len(plan.products),
                                tags=", ".join(plan.tags)), file=out)
    else:
        if report.error is not None:
            head = t.tr("Опрос не удался") if poll else t.tr("Сверка не удалась")
        else:
            head = t.tr("Опрос") if poll else t.tr("Сверка")
        summary = t.tr("{head}: получено заказов Kaspi {fetched}, создано сделок {created}, обновлено {updated}, "
                       "заказов с ошибкой {failed}", head=head, fetched=report.fetched, created=len(report.created),
                       updated=len(report.updated), failed=len(report.failed))
        if report.left_pending:
            summary += ", " + t.tr("в очереди на следующий запуск {count}", count=len(report.left_pending))
        summary += " " + t.tr("(запросов: Kaspi {kaspi}, amoCRM {amo})", kaspi=report.kaspi_requests,
                              amo=report.amo_requests)
        print(summary, file=out)
        if report.left_pending:
            shown = ", ".join(report.left_pending[:PENDING_SHOWN])
            more = " …" if len(report.left_pending) > PENDING_SHOWN else ""
            print("  " + t.tr("В очереди: {codes}", codes=shown + more), file=out)
    for line in report.action_lines:  # dry run: what would go to Kaspi and to the deals
        print(f"  • {line}", file=out)
    if report.actions and not report.dry_run:
        a = report.actions
        print(t.tr("Действия Kaspi: выполнено {done}, отказано {refused}, не отправлено {skipped}",
                   done=a.get("done", 0), refused=a.get("refused", 0), skipped=a.get("skipped", 0)), file=out)
    out.flush()
    for failure in report.failed:
        if t.language == "ru":
            print(failure.message, file=err)
        else:
            reason = t.error(failure.error) if failure.error else t.tr("не передан, подробности — в журнале")
            print(t.tr("Заказ {code}: {reason}", code=failure.code, reason=reason), file=err)
    if report.error is not None:
        print(t.error(report.error), file=err)
    err.flush()


def format_status(status: StatusSnapshot, t: Translator) -> str:
    """`kaspi-amo status`: counts and times, every time in UTC (ISO 8601, "Z")."""
    def when(value: str | None) -> str:  # to the second for people: "2026-12-06T22:22:42Z"
        text = utc_iso(value)
        return re.sub(r"\.\d+Z$", "Z", text) if text else t.tr("ещё не было")

    rows = [
        (t.tr("Обработано заказов"), str(status.processed_total)),
        (t.tr("Очередь (ожидают/с ошибкой)"), f"{status.backlog} ({status.pending}/{status.failed})"),
        (t.tr("На карантине"), str(status.quarantined)),
        (t.tr("Последний опрос"), when(status.last_poll_at)),
        (t.tr("Последняя сверка"), when(status.last_reconcile_at)),
        (t.tr("Последний успех"), when(status.last_success_at)),
        (t.tr("Ошибок подряд"), str(status.fail_streak)),
        (t.tr("Сегодня (UTC, {day})", day=status.today["date"]),
         t.tr("создано {created}, обновлено {updated}, с ошибкой {failed}", created=status.today["created"],
              updated=status.today["updated"], failed=status.today["failed"])),
    ]
    actions = status.kaspi_actions
    if actions and any(actions.get(k) for k in ("pending", "refused", "done", "skipped", "paused")):
        rows.append((t.tr("Действия Kaspi"), t.tr("ждут {pending}, отказано {refused}, выполнено {done}, не отправлено "
                                                  "{skipped}", pending=actions["pending"], refused=actions["refused"],
                                                  done=actions["done"], skipped=actions["skipped"])))
        if actions.get("paused"):
            rows.append((t.tr("Действия Kaspi приостановлены"), str(actions["paused"])))
    rows.extend(_deadline_rows(status.deadlines, t))
    if status.last_error:
        rows.append((t.tr("Последняя ошибка"), status.last_error))
    width = max(len(label) for label, _ in rows) + 1
    return "\n".join(f"{label + ':':<{width}} {value}" for label, value in rows)


def _deadline_rows(view: DeadlinesView, t: Translator) -> list[tuple[str, str]]:
    """Kaspi's clocks in `status`: the orders waiting for the shop (the soonest deadline in
    Kazakhstan time, as the alerts give it) and the last 30-day cancellation rate."""
    rows = []
    if view.waiting:
        accept = sum(1 for row in view.waiting if row.kind == ACCEPT)
        soonest = view.waiting[0]
        rows.append((t.tr("Ждут магазина"), t.tr(
            "принять {accept}, передать курьеру {handover}, срочно {alarming}; ближайший срок — заказ {code} до "
            "{deadline} (время Казахстана)", accept=accept, handover=len(view.waiting) - accept,
            alarming=view.alarming, code=soonest.code, deadline=kz_stamp(soonest.deadline))))
    if view.quality is not None:
        quality = view.quality
        rows.append((t.tr("Доля отмен за 30 дней"), t.tr(
            "{rate} ({cancelled} из {orders}), {state}", rate=percent(quality.rate, t),
            cancelled=quality.cancelled_by_merchant, orders=quality.orders, state=quality_state(quality.status, t))))
    return rows
