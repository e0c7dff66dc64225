"""`kaspi-amo demo`: the built-in sandbox plus a real sync against it.

A newcomer sees orders become deals without any account. The demo keeps to a folder of its
own (`<data dir>/demo`: settings, store, logs), started afresh on every run, and reads nothing
of the user's configuration: no environment settings, no .env, no settings file, no keyring
(its sandbox tokens stay in memory). So the user's real store never counts demo orders, and a
real DATABASE_URL (PostgreSQL included) is never written by a demo. `kaspi-amo status --demo`
reads the last demo's store.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from app.amo.tokens import MemoryTokenStore, TokenPair
from app.cli_quality import percent, quality_state
from app.clock import kz_clock, utc_now
from app.config import Settings, load_settings, with_overrides
from app.lang import Translator
from app.sandbox.amo.tasks import Tasks
from app.sync.events import CycleReport, EngineObserver, OrderFailure
from app.sync.mapping import DealPlan, money
from app.sync.quality import read_quality, record_quality

if TYPE_CHECKING:  # the sandbox is imported only when the demo runs
    from app.sandbox.server import Sandbox

DEMO_FOLDER = "demo"
DEMO_AUTO_ACCEPT_CODE = "700000116"


def demo_home(env: Mapping[str, str]) -> Path:
    """The demo's own home, next to (never inside the files of) the user's data."""
    from app.paths import resolve_paths

    return resolve_paths(env).data_dir / DEMO_FOLDER


def demo_settings(env: Mapping[str, str], sandbox_env: Mapping[str, str] | None = None) -> Settings:
    """Settings of the demo's home and nothing else: the user's environment, .env and settings
    file are not read (only where the user's data lives, to find the demo's folder)."""
    home = demo_home(env)
    return load_settings({"KASPI_AMO_HOME": str(home), **(sandbox_env or {})}, cwd=home)


class DemoPrinter(EngineObserver):
    def __init__(self, out: TextIO, t: Translator) -> None:
        self.out = out
        self.t = t

    def order_synced(self, code: str, lead_id: int, plan: DealPlan) -> None:
        t = self.t
        buyer = (f"{plan.buyer_name} ({plan.phone_masked})" if plan.contact
                 else t.tr("{buyer}, без телефона", buyer=plan.buyer_name))
        items = t.plural(len(plan.products), "товар", "товара", "товаров")
        print("  ✓ " + t.tr("{lead} → сделка №{lead_id}: {buyer}, {items}, {total}, теги: {tags}", lead=plan.lead_name,
                            lead_id=lead_id, buyer=buyer, items=items, total=money(Decimal(plan.price)),
                            tags=", ".join(plan.tags)), file=self.out, flush=True)

    def order_failed(self, failure: OrderFailure) -> None:
        reason = self.t.error(failure.error) if failure.error else failure.message
        print("  ✗ " + self.t.tr("Kaspi #{code}: не передан — {reason}", code=failure.code, reason=reason),
              file=self.out, flush=True)


def _kaspi_word(t: Translator, state: str, status: str | None) -> str:
    """What a shop owner calls an order in this state/status ("в архиве, выдан")."""
    states = {"ARCHIVE": t.tr("в архиве"), "NEW": t.tr("новый"), "SIGN_REQUIRED": t.tr("ждёт подписи"),
              "PICKUP": t.tr("самовывоз"), "DELIVERY": t.tr("доставка"), "KASPI_DELIVERY": t.tr("Kaspi Доставка")}
    statuses = {"COMPLETED": t.tr("выдан"), "CANCELLED": t.tr("отменён"), "RETURNED": t.tr("возвращён")}
    words = [states.get(state, state)] + ([statuses[status]] if status in statuses else [])
    return ", ".join(words)


def explain_skipped(t: Translator, sandbox: Sandbox, settings: Settings, synced: set[str], out: TextIO) -> int:
    """One line per order of the sandbox's Kaspi that became no deal, with the reason (the 30 days
    of archived history behind the cancellation rate in one line)."""
    from app.sandbox.seed import demo_history_codes

    skipped = 0
    allowed = settings.kaspi_allowed_states
    history = demo_history_codes()
    archived_history = 0
    for code in sandbox.kaspi.codes():
        if code in synced:
            continue
        order = sandbox.kaspi.order(code)
        skipped += 1
        if code in history and order.state not in allowed:
            archived_history += 1
            continue
        if order.state not in allowed:
            reason = t.tr("состояние {state} ({word}) не входит в KASPI_ALLOWED_STATES ({allowed}): такие заказы "
                          "не передаются", state=order.state, word=_kaspi_word(t, order.state, order.status),
                          allowed=", ".join(allowed))
        else:
            reason = t.tr("не прочитан опросом (создан раньше, чем 14 дней назад)")
        print("  – " + t.tr("Kaspi #{code}: пропущен — {reason}", code=code, reason=reason), file=out)
    if archived_history:
        print("  – " + t.tr("ещё {orders} за 30 дней в архиве (выданы или отменены): история для показателя отмен "
                            "(kaspi-amo quality), в сделки не переносятся",
                            orders=t.plural(archived_history, "заказ", "заказа", "заказов")), file=out)
    return skipped


def _fresh_home(home: Path) -> None:
    """The demo's folder, emptied: every demo starts from nothing (never touching anything else)."""
    if home.name != DEMO_FOLDER:
        raise ValueError(f"not a demo folder: {home}")
    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)


def run_demo(t: Translator, env: Mapping[str, str] | None = None, out: TextIO = sys.stdout,
             err: TextIO = sys.stderr) -> int:
    from app.bootstrap import build_runtime
    from app.logs import setup_logging
    from app.sandbox.server import Sandbox

    env = dict(os.environ if env is None else env)
    home = demo_home(env)
    try:
        _fresh_home(home)
    except OSError as exc:
        print(t.tr("Демо не удалось: папка {path} недоступна для записи ({reason}).", path=home,
                   reason=exc.strerror or exc), file=err)
        return 1
    with Sandbox() as sandbox:
        sandbox_env = sandbox.env()
        settings = demo_settings(env, sandbox_env)
        settings.paths.ensure()
        setup_logging(level=settings.log_level, pretty=False, log_file=settings.paths.log_file)
        tokens = MemoryTokenStore(TokenPair(sandbox_env["AMO_ACCESS_TOKEN"], sandbox_env["AMO_REFRESH_TOKEN"]))
        total = len(sandbox.kaspi.codes())
        print(t.tr("Демо: песочница Kaspi и amoCRM запущена на этом компьютере."), file=out)
        print(f"  Kaspi:  {sandbox.kaspi_base_url}\n  amoCRM: {sandbox.amo_base_url}", file=out)
        print("  " + t.tr("Демо работает в отдельной папке {path}: ваши настройки, база и токены не тронуты.",
                          path=home), file=out)
        print("  " + t.tr("В Kaspi {orders}, в amoCRM уже есть {contacts}.",
                          orders=t.plural(total, "заказ", "заказа", "заказов"),
                          contacts=t.plural(len(sandbox.amo.contacts), "контакт", "контакта", "контактов")), file=out)
        print(t.tr("Опрос Kaspi → amoCRM:"), file=out, flush=True)
        runtime = build_runtime(settings, tokens=tokens, observer=DemoPrinter(out, t))
        try:
            first = runtime.engine.poll()
            synced = {code for code, _lead in first.created} | {f.code for f in first.failed}
            skipped = explain_skipped(t, sandbox, settings, synced, out)
            writes_before = sandbox.amo.write_requests
            second = runtime.engine.poll()
            second_writes = sandbox.amo.write_requests - writes_before
            quality = read_quality(runtime.kaspi, utc_now())
            record_quality(runtime.store, quality)
        finally:
            runtime.close()
        print(t.tr("Итог: из {orders} Kaspi сделками стали {created}, пропущено {skipped}, с ошибкой {failed}.",
                   orders=t.plural(total, "заказа", "заказов", "заказов"), created=len(first.created),
                   skipped=skipped, failed=len(first.failed)), file=out)
        print(t.tr("Запросов: к amoCRM {amo}, к Kaspi {kaspi}.", amo=first.amo_requests, kaspi=first.kaspi_requests),
              file=out)
        print(t.tr("Повторный опрос (проверка на дубли): новых сделок {created}, запросов на запись в amoCRM "
                   "{writes}.", created=len(second.created), writes=second_writes), file=out, flush=True)
        third = _auto_accept_one(t, sandbox, settings, tokens, out)
        amo = sandbox.amo
        print(t.tr("В эмулированной amoCRM теперь {leads}, {contacts}, {notes}, {links}.",
                   leads=t.plural(len(amo.leads), "сделка", "сделки", "сделок"),
                   contacts=t.plural(len(amo.contacts), "контакт", "контакта", "контактов"),
                   notes=t.plural(len(amo.notes), "примечание", "примечания", "примечаний"),
                   links=t.plural(len(amo.links), "привязка товара", "привязки товаров", "привязок товаров")),
              file=out)
        for report in (first, second, third):
            if report.error is not None:
                print(t.error(report.error), file=err)
        _print_deadlines(sandbox, first, out, t)
        print(t.tr("Доля отмен по вине магазина за 30 дней (как считает Kaspi): {rate} — {cancelled} из {orders}, "
                   "{state} (предел 3%).", rate=percent(quality.rate, t), cancelled=quality.cancelled_by_merchant,
                   orders=quality.orders, state=quality_state(quality.status, t)), file=out)
        print(t.tr("Посмотреть итог демо: kaspi-amo status --demo (или kaspi-amo status --demo --json)."), file=out)
        failed = any(report.failed or report.error for report in (first, second, third))
        return 1 if failed else 0


def _auto_accept_one(t: Translator, sandbox: Sandbox, settings: Settings, tokens: MemoryTokenStore,
                     out: TextIO) -> CycleReport:
    """Two-way in one breath: a new order arrives with KASPI_AUTO_ACCEPT on, gets its deal and
    is accepted in (the sandbox's) Kaspi in the same cycle, its deal noting it."""
    from app.bootstrap import build_runtime
    from app.sandbox.seed import goods_entry, make_order

    code = DEMO_AUTO_ACCEPT_CODE
    sandbox.kaspi.add_order(make_order(code, created=utc_now() - timedelta(minutes=2), phone="7019990011",
                                       first_name="Ержан", last_name="Абилов",
                                       entries=[goods_entry("ANKER-PD-20W-WHT")]))
    print(t.tr("Новый заказ №{code} с KASPI_AUTO_ACCEPT=true (принимать новые заказы автоматически):", code=code),
          file=out, flush=True)
    runtime = build_runtime(with_overrides(settings, kaspi_auto_accept=True), tokens=tokens,
                            observer=DemoPrinter(out, t))
    try:
        report = runtime.engine.poll()
    finally:
        runtime.close()
    status = sandbox.kaspi.order(code).status
    if status == "ACCEPTED_BY_MERCHANT":
        print("  ✓ " + t.tr("заказ №{code} в Kaspi: {status} — принят автоматически, в сделке заметка об этом.",
                            code=code, status=status), file=out, flush=True)
    else:
        print("  ✗ " + t.tr("заказ №{code} в Kaspi: {status}", code=code, status=status), file=out, flush=True)
    return report


def _print_deadlines(sandbox: Sandbox, report: CycleReport, out: TextIO, t: Translator) -> None:
    """The tasks the deadlines put on the deals (Kaspi's clocks), as a manager sees them."""
    if not report.tasks:
        return
    tasks = sandbox.amo.resource(Tasks)
    print(t.tr("Сроки Kaspi: {tasks} в amoCRM:", tasks=t.plural(len(report.tasks), "задача", "задачи", "задач")),
          file=out)
    for _code, _kind, task_id in report.tasks:
        task = tasks.items.get(task_id)
        if task is None:
            continue
        till = kz_clock(datetime.fromtimestamp(task["complete_till"], UTC))
        label = re.match(r"^(.*?#\d+)", task["text"])
        print(t.tr("  ⏰ {task} — срок {till} (время Казахстана), сделка №{lead}",
                   task=label.group(1) if label else task["text"][:60], till=till, lead=task["entity_id"]), file=out)
