"""`kaspi-amo demo`: the built-in sandbox plus a real sync against it.

A newcomer sees orders become deals without any account. The demo never touches a real
configuration's secrets (tokens stay in memory) and never mixes into a store that belongs
to a real amoCRM account (it then uses a store of its own under the data dir).
"""

from __future__ import annotations

import os
import sys
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Mapping, TextIO

from app.amo.tokens import MemoryTokenStore, TokenPair
from app.bootstrap import build_runtime, load_configuration
from app.config import Settings, load_settings, with_overrides
from app.logs import setup_logging
from app.mapping_text import plural_ru
from app.sandbox.seed import goods_entry, make_order
from app.sandbox.server import Sandbox
from app.store.factory import open_store
from app.net import is_loopback_url
from app.sync.engine import META_ACCOUNT
from app.sync.events import CycleReport, EngineObserver, OrderFailure
from app.sync.mapping import DealPlan, money


DEMO_AUTO_ACCEPT_CODE = "700000116"


class DemoPrinter(EngineObserver):
    def __init__(self, out: TextIO) -> None:
        self.out = out

    def order_synced(self, code: str, lead_id: int, plan: DealPlan) -> None:
        buyer = f"{plan.buyer_name} ({plan.phone_masked})" if plan.contact else f"{plan.buyer_name}, без телефона"
        items = plural_ru(len(plan.products), "товар", "товара", "товаров")
        print(f"  ✓ {plan.lead_name} → сделка №{lead_id}: {buyer}, {items}, {money(Decimal(plan.price))}, "
              f"теги: {', '.join(plan.tags)}", file=self.out, flush=True)

    def order_failed(self, failure: OrderFailure) -> None:
        print(f"  ✗ {failure.message}", file=self.out, flush=True)


def _store_is_real(database: str) -> bool:
    """True when the store already belongs to a real (non-sandbox) amoCRM account."""
    if database.startswith(("postgresql://", "postgres://")):
        return True
    if not Path(database).exists():
        return False
    store = open_store(database)
    try:
        store.migrate()
        bound = store.get_meta(META_ACCOUNT)
    finally:
        store.close()
    return bool(bound) and not is_loopback_url(bound)


def run_demo(env: Mapping[str, str] | None = None, out: TextIO = sys.stdout) -> int:
    env = dict(os.environ if env is None else env)
    base, _secrets, _warning = load_configuration(env)
    with Sandbox() as sandbox:
        sandbox_env = sandbox.env()
        settings = with_overrides(load_settings({**env, **sandbox_env}), dry_run=False)
        if _store_is_real(settings.database):
            demo_db = settings.paths.data_dir / "demo" / "kaspi-amo-demo.sqlite3"
            demo_db.parent.mkdir(parents=True, exist_ok=True)
            settings = with_overrides(settings, database_url=str(demo_db))
            print(f"Ваша база занята настоящим аккаунтом, демо пишет в отдельную: {demo_db}", file=out)
        setup_logging(level=settings.log_level, pretty=settings.log_pretty, log_file=settings.paths.log_file)
        tokens = MemoryTokenStore(TokenPair(sandbox_env["AMO_ACCESS_TOKEN"], sandbox_env["AMO_REFRESH_TOKEN"]))
        print("Демо: песочница Kaspi и amoCRM запущена на этом компьютере.", file=out)
        print(f"  Kaspi:  {sandbox.kaspi_base_url}\n  amoCRM: {sandbox.amo_base_url}", file=out)
        print(f"  В Kaspi {plural_ru(len(sandbox.kaspi.codes()), 'заказ', 'заказа', 'заказов')}, "
              f"в amoCRM уже есть {plural_ru(len(sandbox.amo.contacts), 'контакт', 'контакта', 'контактов')}.", file=out)
        print("Опрос Kaspi → amoCRM:", file=out, flush=True)
        runtime = build_runtime(settings, tokens=tokens, observer=DemoPrinter(out))
        try:
            first = runtime.engine.poll()
            writes_before = sandbox.amo.write_requests
            second = runtime.engine.poll()
            second_writes = sandbox.amo.write_requests - writes_before
        finally:
            runtime.close()
        third = _auto_accept_one(sandbox, settings, tokens, out)
        amo = sandbox.amo
        print(
            f"Готово: создано {plural_ru(len(first.created), 'сделка', 'сделки', 'сделок')} "
            f"за {plural_ru(first.amo_requests, 'запрос', 'запроса', 'запросов')} к amoCRM "
            f"и {plural_ru(first.kaspi_requests, 'запрос', 'запроса', 'запросов')} к Kaspi.",
            file=out,
        )
        print(
            f"В эмулированной amoCRM теперь {plural_ru(len(amo.leads), 'сделка', 'сделки', 'сделок')}, "
            f"{plural_ru(len(amo.contacts), 'контакт', 'контакта', 'контактов')}, "
            f"{plural_ru(len(amo.notes), 'примечание', 'примечания', 'примечаний')}, "
            f"{plural_ru(len(amo.links), 'привязка товара', 'привязки товаров', 'привязок товаров')}.",
            file=out,
        )
        print(
            f"Повторный опрос (проверка на дубли): новых сделок {len(second.created)}, "
            f"запросов на запись в amoCRM {second_writes}.",
            file=out,
        )
        print("Посмотреть итог: kaspi-amo status (или kaspi-amo status --json)", file=out)
        failed = first.failed or second.failed or first.error or second.error or third.failed or third.error
        return 1 if failed else 0


def _auto_accept_one(sandbox: Sandbox, settings: Settings, tokens: MemoryTokenStore, out: TextIO) -> CycleReport:
    """Two-way in one breath: a new order arrives with KASPI_AUTO_ACCEPT on, gets its deal and
    is accepted in (the sandbox's) Kaspi in the same cycle, its deal noting it."""
    code = DEMO_AUTO_ACCEPT_CODE
    sandbox.kaspi.add_order(make_order(code, created=datetime.now(timezone.utc) - timedelta(minutes=2),
                                       phone="7019990011", first_name="Ержан", last_name="Абилов",
                                       entries=[goods_entry("ANKER-PD-20W-WHT")]))
    print(f"Новый заказ №{code} с KASPI_AUTO_ACCEPT=true (принимать новые заказы автоматически):", file=out, flush=True)
    runtime = build_runtime(with_overrides(settings, kaspi_auto_accept=True), tokens=tokens, observer=DemoPrinter(out))
    try:
        report = runtime.engine.poll()
    finally:
        runtime.close()
    status = sandbox.kaspi.order(code).status
    accepted = status == "ACCEPTED_BY_MERCHANT"
    print(f"  {'✓' if accepted else '✗'} заказ №{code} в Kaspi: {status}"
          + (" — принят автоматически, в сделке заметка об этом." if accepted else ""), file=out, flush=True)
    return report
