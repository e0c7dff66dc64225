"""`kaspi-amo quality [--json]`: the shop's cancellation rate over the last 30 days, read
from Kaspi only (≤14-day windows, no amoCRM request), in the CLI's language.

The JSON keys are the contract's (docs/contract.md, «Deadlines and seller quality»); the
figures also go to the store (the tray's panel, the alert when the status changes), when a
store can be opened — a command that only reads must not fail for want of one.
"""

from __future__ import annotations

import argparse
import json
import logging

from app.errors import ConfigError, SyncError
from app.lang import Translator
from app.sync.quality import Quality, read_quality, record_quality

log = logging.getLogger("app.cli")


def percent(rate: float, t: Translator) -> str:
    text = f"{rate * 100:.2f}%"
    return text if t.language == "en" else text.replace(".", ",")


def quality_state(status: str, t: Translator) -> str:
    """`ok` / `warning` / `over` in the owner's words (quality, status, the demo)."""
    words = {"ok": t.tr("в норме"), "warning": t.tr("близко к пределу"), "over": t.tr("выше предела")}
    return words.get(status, status)


def format_quality(quality: Quality, t: Translator) -> str:
    reasons = {"MERCHANT_OUT_OF_STOCK": t.tr("нет в наличии / не принят вовремя"),
               "TIMEOUT_KASPI_DELIVERY": t.tr("не передан в Kaspi Доставку")}
    shown = ", ".join(f"{reasons.get(r, r)} — {n}" for r, n in quality.by_reason.items())
    lines = [
        t.tr("Показатели Kaspi за {days} дней ({since} — {until}, UTC):", days=quality.window_days,
             since=f"{quality.since:%d.%m.%Y}", until=f"{quality.until:%d.%m.%Y}"),
        "  " + t.tr("заказов: {count}", count=quality.orders),
        "  " + t.tr("отменено по вине магазина: {count}", count=quality.cancelled_by_merchant)
        + (f" ({shown})" if shown else ""),
        "  " + t.tr("доля отмен: {rate} (предел Kaspi — 3%, предупреждение с 2,4%)", rate=percent(quality.rate, t)),
        "  " + t.tr("состояние: {state} ({status})", state=quality_state(quality.status, t), status=quality.status),
    ]
    return "\n".join(lines)


def cmd_quality(args: argparse.Namespace, t: Translator) -> int:
    from app.bootstrap import load_configuration
    from app.clock import utc_now
    from app.kaspi.client import KaspiClient
    from app.logs import setup_logging

    settings, _secrets, _warning = load_configuration()
    setup_logging(level=settings.log_level, pretty=settings.log_pretty, log_file=settings.paths.log_file)
    if not settings.kaspi_api_token:
        raise ConfigError(t.tr("Не задан KASPI_API_TOKEN: без него показатели Kaspi не прочитать. Откройте мастер "
                               "настройки или задайте его в окружении / файле .env."))
    kaspi = KaspiClient(settings.kaspi_api_token, settings.kaspi_base_url, page_size=settings.kaspi_page_size)
    quality = read_quality(kaspi, utc_now())
    keep(settings.database, quality)
    if args.json:
        print(json.dumps(quality.to_json(), ensure_ascii=False, indent=2))
    else:
        print(format_quality(quality, t))
        print(t.tr("(запросов к Kaspi: {kaspi}, к amoCRM: 0)", kaspi=kaspi.requests_made))
    return 0


def keep(database: str, quality: Quality) -> None:
    from app.store.factory import open_store

    try:
        store = open_store(database)
        try:
            store.migrate()
            record_quality(store, quality)
        finally:
            store.close()
    except SyncError as exc:
        log.warning("quality not kept in the store", extra={"error": exc.message})
