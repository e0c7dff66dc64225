"""The status page at `/`: what an admin glances at on a phone, read-only.

One self-contained HTML document (inline CSS, no script, no form): it refreshes itself
with a meta tag, links each order to its amoCRM deal, and shows phones masked. Every
text that came from the store passes the process's Redactor first, so a token or a full
phone number that slipped into an error message never reaches the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from app import APP_DISPLAY_NAME, __version__
from app.amo.links import lead_url
from app.clock import kz_stamp
from app.lang import Translator
from app.logs import Redactor
from app.service.snapshot import Readiness, ServiceSnapshot, parse_time
from app.store.base import OrderRecord, SyncState
from app.store.deadline_records import ACCEPT, HANDOVER
from app.sync.deadline_view import DeadlinesView
from app.sync.mapping import money

REFRESH_SECONDS = 30

_STYLE = """
:root{color-scheme:light dark;--ok:#1a7f37;--bad:#c62828;--warn:#9a6700;--muted:#6e7781;--line:#d0d7de}
*{box-sizing:border-box}
body{font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;padding:12px;max-width:960px}
h1{font-size:1.25rem;margin:0 0 8px}h2{font-size:1.05rem;margin:20px 0 8px}
.state{padding:10px 12px;border-radius:8px;border:1px solid var(--line);font-weight:600}
.state.ok{border-color:var(--ok);color:var(--ok)}.state.bad{border-color:var(--bad);color:var(--bad)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:8px;margin-top:10px}
.card{border:1px solid var(--line);border-radius:8px;padding:8px 10px}
.card b{display:block;font-size:1.4rem}.card span{color:var(--muted);font-size:.85rem}
.error{border-left:4px solid var(--bad);padding:6px 10px;margin:10px 0;overflow-wrap:anywhere}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 12px;margin:0}dt{color:var(--muted)}dd{margin:0}
table{width:100%;border-collapse:collapse;font-size:.95rem}
th,td{text-align:left;padding:6px 4px;border-bottom:1px solid var(--line);vertical-align:top}
th{color:var(--muted);font-weight:500}td.num{text-align:right;white-space:nowrap}
.s-failed,.s-quarantined{color:var(--bad)}.s-pending{color:var(--warn)}
.why{color:var(--muted);overflow-wrap:anywhere}
footer{color:var(--muted);font-size:.8rem;margin-top:16px}
@media (max-width:640px){
 thead{display:none}table,tbody,tr,td{display:block;width:100%}
 tr{border:1px solid var(--line);border-radius:8px;margin:0 0 8px;padding:6px 8px}
 td{border:0;padding:2px 0}td.num{text-align:left}
 td[data-label]::before{content:attr(data-label) ": ";color:var(--muted)}
}
"""


class StatusPage:
    """Renders a snapshot in the language app/lang chose (the CLI's, same rule everywhere)."""

    def __init__(self, t: Translator, redactor: Redactor, *, amo_base_url: str | None, dry_run: bool = False) -> None:
        self.t = t
        self.redact = redactor
        self.amo_base_url = amo_base_url
        self.dry_run = dry_run

    def render(self, snap: ServiceSnapshot | None, ready: Readiness | None) -> str:
        t = self.t
        title = t.tr("Синхронизация Kaspi → amoCRM")
        if snap is None or ready is None:
            unavailable = t.tr("База данных недоступна: состояние не прочитать.")
            body = f'<p class="state bad">{escape(unavailable)}</p>'
        else:
            body = self._summary(snap, ready) + self._waiting(snap.status.deadlines) + self._orders(snap.recent)
        when = snap.read_at.strftime("%Y-%m-%d %H:%M:%S UTC") if snap else ""
        footer = t.tr("Обновлено {when}, страница обновляется каждые {seconds} с.", when=when, seconds=REFRESH_SECONDS)
        return (
            f'<!DOCTYPE html><html lang="{self.t.language}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">'
            f'<meta http-equiv="refresh" content="{REFRESH_SECONDS}">'
            f'<meta name="referrer" content="no-referrer">'
            f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
            f"<h1>{escape(title)}</h1>{body}"
            f"<footer>{escape(footer)} {escape(APP_DISPLAY_NAME)} {escape(__version__)}</footer></body></html>"
        )

    # --- parts --------------------------------------------------------------------------

    def _summary(self, snap: ServiceSnapshot, ready: Readiness) -> str:
        t = self.t
        status = snap.status
        since = self._time(status.last_success_at)
        if ready.ready:
            headline = t.tr("Работает: последняя успешная синхронизация {when}.", when=since)
        elif ready.code == "no_success_yet":
            headline = t.tr("Успешной синхронизации ещё не было.")
        else:
            headline = t.tr("Синхронизация не удаётся с {when}.", when=since)
        state = "ok" if ready.ready else "bad"
        parts = [f'<p class="state {state}">{escape(headline)}</p>']
        if self.dry_run:
            dry_run = t.tr("Пробный режим (DRY_RUN): в amoCRM ничего не записывается.")
            parts.append(f"<p>{escape(dry_run)}</p>")
        if status.last_error:
            last_error = t.tr("Последняя ошибка")
            parts.append(f'<div class="error"><b>{escape(last_error)}:</b> '
                         f"{escape(self.redact(status.last_error))}</div>")
        today = status.today
        cards = (
            (status.backlog, t.tr("в очереди (ожидают и ошибки)")),
            (today["created"], t.tr("сделок создано сегодня")),
            (today["updated"], t.tr("обновлено сегодня")),
            (today["failed"], t.tr("ошибок сегодня")),
            (status.quarantined, t.tr("на карантине")),
            (status.processed_total, t.tr("обработано всего")),
        )
        parts.append('<div class="cards">' + "".join(
            f'<div class="card"><b>{value}</b><span>{escape(label)}</span></div>' for value, label in cards) + "</div>")
        rows = (
            (t.tr("Последний опрос"), self._time(status.last_poll_at)),
            (t.tr("Последняя сверка"), self._time(status.last_reconcile_at)),
            (t.tr("Ошибок подряд"), str(status.fail_streak)),
        )
        parts.append("<h2>" + escape(t.tr("Циклы")) + "</h2><dl>" + "".join(
            f"<dt>{escape(name)}</dt><dd>{escape(value)}</dd>" for name, value in rows) + "</dl>")
        return "".join(parts)

    def _orders(self, records: list[OrderRecord]) -> str:
        t = self.t
        heading = "<h2>" + escape(t.tr("Последние заказы")) + "</h2>"
        if not records:
            return heading + "<p>" + escape(t.tr("Заказов пока нет.")) + "</p>"
        labels = (
            t.tr("Заказ"), t.tr("Дата"), t.tr("Покупатель"),
            t.tr("Телефон"), t.tr("Сумма"), t.tr("Kaspi"),
            t.tr("Передача"), t.tr("Сделка"),
        )
        return heading + _table(labels, [self._order_cells(record) for record in records], numeric=(4,))

    def _order_cells(self, record: OrderRecord) -> tuple[str, ...]:
        t = self.t
        created = record.order_created_at.strftime("%Y-%m-%d %H:%M") if record.order_created_at else "—"
        price = money(Decimal(record.total_price)) if record.total_price is not None else "—"
        phone = self.redact(record.phone_masked) if record.phone_masked else t.tr("без телефона")
        state = SyncState(record.sync_state)
        return (
            escape(record.code), escape(created), escape(self.redact(record.buyer_name or "—")), escape(phone),
            escape(price), escape(self._kaspi_state(record.kaspi_state)),
            f'<span class="s-{state.value}">{escape(self._sync_state(state))}</span>{self._why(record)}',
            self._deal(record.lead_id),
        )

    def _waiting(self, view: DeadlinesView) -> str:
        """Kaspi's clocks: the orders the shop must accept or hand over, soonest first."""
        t = self.t
        if not view.waiting:
            return ""
        labels = (t.tr("Заказ"), t.tr("Что сделать"), t.tr("Срок (время Казахстана)"), t.tr("Сделка"))
        todo = {ACCEPT: t.tr("Принять"), HANDOVER: t.tr("Собрать и передать курьеру")}
        rows = [(
            escape(row.code) + (" <small>Express</small>" if row.express else ""),
            escape(todo.get(row.kind, row.kind)),
            f'<span class="{"s-failed" if row.alarming else "s-pending"}">{escape(kz_stamp(row.deadline))}</span>',
            self._deal(row.lead_id),
        ) for row in view.waiting]
        heading = "<h2>" + escape(t.tr("Ждут магазина: {count}", count=len(view.waiting))) + "</h2>"
        return heading + _table(labels, rows)

    def _deal(self, lead_id: int | None) -> str:
        url = lead_url(self.amo_base_url, lead_id)
        return f'<a href="{escape(url)}" target="_blank" rel="noopener noreferrer">№{lead_id}</a>' if url else "—"

    def _why(self, record: OrderRecord) -> str:
        """The reason a failed or quarantined order waits, as the person fixing it needs it."""
        if record.sync_state not in (SyncState.FAILED, SyncState.QUARANTINED) or not record.last_error:
            return ""
        return f'<br><small class="why">{escape(self.redact(record.last_error))}</small>'

    def _time(self, value: str | None) -> str:
        when = parse_time(value)
        if when is None:
            return self.t.tr("ещё не было")
        return when.strftime("%Y-%m-%d %H:%M UTC")

    def _sync_state(self, state: SyncState) -> str:
        t = self.t
        labels = {
            SyncState.DONE: t.tr("В amoCRM"),
            SyncState.PENDING: t.tr("Ожидает"),
            SyncState.FAILED: t.tr("Ошибка"),
            SyncState.QUARANTINED: t.tr("Нужна проверка"),
        }
        return labels[state]

    def _kaspi_state(self, state: str | None) -> str:
        t = self.t
        labels = {
            "NEW": t.tr("Новый"),
            "SIGN_REQUIRED": t.tr("Ждёт подписи"),
            "PICKUP": t.tr("Самовывоз"),
            "DELIVERY": t.tr("Доставка"),
            "KASPI_DELIVERY": t.tr("Kaspi Доставка"),
            "ARCHIVE": t.tr("Архив"),
        }
        return labels.get(state or "", state or "—")


def _table(labels: tuple[str, ...], rows: Sequence[tuple[str, ...]], *, numeric: tuple[int, ...] = ()) -> str:
    """A table of ready HTML cells; on a phone each cell shows its column's label (data-label)."""
    head = "<thead><tr>" + "".join(f"<th>{escape(label)}</th>" for label in labels) + "</tr></thead>"
    num = ' class="num"'
    body = "".join("<tr>" + "".join(
        f'<td{num if i in numeric else ""} data-label="{escape(label)}">{cell}</td>'
        for i, (cell, label) in enumerate(zip(cells, labels, strict=True))) + "</tr>" for cells in rows)
    return f"<table>{head}<tbody>{body}</tbody></table>"
