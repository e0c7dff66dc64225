"""The `run --http` endpoint in-process: readiness against a controlled clock, the rules of
auth and binding, the page's escaping and masking, and /metrics on both stores."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from app.amo.tokens import MemoryTokenStore, TokenPair
from app.bootstrap import Runtime, build_http_service, build_runtime
from app.cli_report import format_status
from app.config import load_settings
from app.errors import ConfigError
from app.lang import Translator
from app.logs import Redactor
from app.net import ListenAddress, parse_listen_address
from app.sandbox.seed import goods_entry, make_order, to_ms
from app.sandbox.server import Sandbox
from app.scheduler import scheduler_for
from app.service.page import StatusPage
from app.service.ping import HealthcheckPinger
from app.service.server import ServiceApp, ServiceServer, require_password_rule
from app.service.snapshot import ServiceSnapshot
from app.store.base import OrderRecord, StatsTotals, SyncState
from app.sync.deadlines import DeadlineRules
from app.sync.events import CycleReport
from app.sync.quality import Quality, record_quality
from app.sync.status import StatusSnapshot, read_status

LOCAL = ListenAddress("127.0.0.1", 0)
SERVICE_DIR = Path(__file__).resolve().parents[1] / "app" / "service"


class Clock:
    def __init__(self) -> None:
        self.value = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.value

    def advance(self, **delta: float) -> None:
        self.value += timedelta(**delta)


@pytest.fixture
def served(sandbox: Sandbox, tmp_path: Path) -> Iterator[Callable[..., tuple[Runtime, str, Clock]]]:
    """A runtime on the sandbox with its endpoint started, both on one controllable clock."""
    started: list[tuple[Runtime, ServiceServer]] = []

    def make(**env: str) -> tuple[Runtime, str, Clock]:
        clock = Clock()
        full = {**sandbox.env(), "KASPI_AMO_HOME": str(tmp_path / "home"), **env}
        settings = load_settings(full, cwd=tmp_path)
        tokens = MemoryTokenStore(TokenPair(full["AMO_ACCESS_TOKEN"], full["AMO_REFRESH_TOKEN"]))
        runtime = build_runtime(settings, tokens=tokens, now=clock, retry_sleep=lambda s: None)
        service = build_http_service(runtime, LOCAL, Translator(), now=clock)
        bound = service.start()
        started.append((runtime, service))
        return runtime, bound.url("").rstrip("/"), clock

    yield make
    for runtime, service in started:
        service.stop()
        runtime.close()


def test_readyz_turns_503_when_amocrm_stays_down_past_the_heartbeat(served: Any, sandbox: Sandbox) -> None:
    runtime, url, clock = served(ALERT_HEARTBEAT_MINUTES="5")
    sandbox.kaspi.add_order(make_order("962000001", created=clock() - timedelta(hours=1), phone="7019620001"))
    assert runtime.engine.poll().ok
    assert requests.get(url + "/readyz", timeout=10).status_code == 200

    sandbox.kaspi.add_order(make_order("962000002", created=clock() - timedelta(minutes=30), phone="7019620002"))
    sandbox.amo.fail_next(100_000, 503)
    clock.advance(minutes=4)
    assert not runtime.engine.poll().ok
    early = requests.get(url + "/readyz", timeout=10)
    assert early.status_code == 200, early.text  # one failure inside the heartbeat is not "not ready"

    clock.advance(minutes=2)
    assert not runtime.engine.poll().ok
    late = requests.get(url + "/readyz", timeout=10)
    assert late.status_code == 503 and late.headers["Content-Type"].startswith("application/json")
    body = late.json()
    assert body["ready"] is False and body["code"] == "stale" and body["fail_streak"] == 2
    assert "ALERT_HEARTBEAT_MINUTES" in body["reason"] and "6 мин" in body["reason"]
    assert body["age_seconds"] == pytest.approx(360, abs=1)
    assert requests.get(url + "/healthz", timeout=10).status_code == 200

    sandbox.amo.clear_faults()
    clock.advance(minutes=1)
    assert runtime.engine.poll().ok
    assert requests.get(url + "/readyz", timeout=10).status_code == 200
    assert len(sandbox.amo.leads_named("Kaspi #962000002")) == 1


def _samples(url: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = requests.get(url + "/metrics", timeout=10).text
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def test_metrics_match_the_store_on_both_backends(make_runtime: Any, sandbox: Sandbox) -> None:
    now = datetime.now(UTC)
    sandbox.kaspi.add_orders([make_order(str(962100001 + i), created=now - timedelta(hours=2), phone=f"70196210{i:02d}")
                              for i in range(4)])
    runtime: Runtime = make_runtime()
    service = build_http_service(runtime, LOCAL, Translator())
    url = service.start().url("").rstrip("/")
    try:
        report = runtime.engine.poll()
        service.app.observe(report)
        samples = _samples(url)
        counts, totals = runtime.store.counts(), runtime.store.totals()
        assert samples[("kaspi_amo_orders_total", (("result", "created"),))] == totals.created == len(report.created) == 4
        assert samples[("kaspi_amo_orders_in_state", (("state", "done"),))] == counts.processed == 4
        assert samples[("kaspi_amo_backlog_orders", ())] == counts.backlog == 0
        assert samples[("kaspi_amo_requests_total", (("api", "kaspi"),))] == runtime.kaspi.requests_made > 0
        assert samples[("kaspi_amo_requests_total", (("api", "amocrm"),))] == runtime.amo_client.requests_made > 0
        assert samples[("kaspi_amo_cycle_duration_seconds_count", (("cycle", "poll"),))] == 1
        assert samples[("kaspi_amo_cycle_duration_seconds_count", (("cycle", "reconcile"),))] == 0
    finally:
        service.stop()


def test_an_unreadable_store_is_a_503_and_store_up_0_not_a_crash(served: Any) -> None:
    runtime, url, _clock = served()
    runtime.store.close()
    ready = requests.get(url + "/readyz", timeout=10)
    assert ready.status_code == 503 and ready.json()["code"] == "store_unavailable"
    samples = _samples(url)
    assert samples[("kaspi_amo_store_up", ())] == 0
    assert ("kaspi_amo_orders_total", (("result", "created"),)) not in samples
    page = requests.get(url + "/", timeout=10)
    assert page.status_code == 200 and "База данных недоступна" in page.text


# --- rules ----------------------------------------------------------------------------------


@pytest.mark.parametrize("raw, host, port", [
    ("9464", "127.0.0.1", 9464), (":9464", "127.0.0.1", 9464), ("0.0.0.0:80", "0.0.0.0", 80),
    ("localhost:9464", "localhost", 9464), ("[::1]:9464", "::1", 9464), ("[::]:9464", "::", 9464),
])
def test_listen_addresses(raw: str, host: str, port: int) -> None:
    assert parse_listen_address("--http", raw) == ListenAddress(host, port)


@pytest.mark.parametrize("raw", ["", "host:", "host:http", "1.2.3.4:70000", "::1", "a b:1"])
def test_bad_listen_addresses(raw: str) -> None:
    with pytest.raises(ConfigError, match="HOST:PORT"):
        parse_listen_address("KASPI_AMO_HTTP", raw)


@pytest.mark.parametrize("host, password, refused", [
    ("127.0.0.1", None, False), ("localhost", None, False), ("::1", None, False), ("127.0.0.2", None, False),
    ("0.0.0.0", None, True), ("::", None, True), ("192.168.1.5", "", True), ("0.0.0.0", "pw", False),
])
def test_only_loopback_may_go_without_a_password(host: str, password: str | None, refused: bool) -> None:
    if refused:
        with pytest.raises(ConfigError, match="KASPI_AMO_HTTP_PASSWORD"):
            require_password_rule(ListenAddress(host, 9464), password)
    else:
        require_password_rule(ListenAddress(host, 9464), password)


def _app(password: str | None = None, **page: Any) -> ServiceApp:
    return ServiceApp(
        store=None,  # type: ignore[arg-type] # these requests never read it
        page=StatusPage(Translator(), Redactor(), amo_base_url="https://shop.amocrm.ru"),
        t=Translator(), heartbeat_minutes=5, now=lambda: datetime.now(UTC), password=password,
    )


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@pytest.mark.parametrize("header, ok", [
    (None, False), ("", False), ("Bearer pw-1", False), ("Basic !!!", False), ("Basic " + base64.b64encode(b"nocolon").decode(), False),
    (_basic("admin", "pw-1"), True), (_basic("", "pw-1"), True), ("basic " + _basic("x", "pw-1")[6:], True),
    (_basic("admin", "pw-"), False), (_basic("admin", "pw-11"), False), (_basic("pw-1", ""), False),
    ("Basic " + base64.b64encode("u:пароль".encode()).decode(), False),
])
def test_basic_auth_header_rules(header: str | None, ok: bool) -> None:
    assert _app(password="pw-1").authorized(header) is ok


def test_healthz_is_public_and_nothing_else_is() -> None:
    app = _app(password="pw-1")
    assert app.handle("GET", "/healthz", {}).status == 200
    assert app.handle("GET", "/healthz?x=1", {}).status == 200
    for path in ("/", "/metrics", "/readyz", "/healthz/../metrics", "/favicon.ico"):
        assert app.handle("GET", path, {}).status == 401, path
    assert app.handle("DELETE", "/healthz", {}).status == 405


# --- the page ----------------------------------------------------------------------------------


def _snapshot(records: list[OrderRecord], last_error: str | None = None) -> ServiceSnapshot:
    status = StatusSnapshot(processed_total=1, backlog=1, pending=0, failed=1, quarantined=0, last_poll_at=None,
                            last_reconcile_at=None, last_success_at=None, heartbeat_at=None, fail_streak=1,
                            last_error=last_error, today={"date": "2025-01-01", "created": 1, "updated": 0, "failed": 1})
    return ServiceSnapshot(status, StatsTotals(1, 0, 1), datetime.now(UTC), records)


def test_the_page_escapes_store_text_and_masks_phones_and_secrets() -> None:
    secret = "kaspi-token-0123456789"
    records = [
        OrderRecord("963000001", SyncState.DONE, buyer_name="<script>alert(1)</script>", phone_masked="+7 701 *** ** 67",
                    lead_id=77, total_price=15990, kaspi_state="PICKUP"),
        OrderRecord("963000002", SyncState.FAILED, buyer_name="Айгерім", phone_masked="87011234567",
                    last_error=f"Заказ 963000002: контакт +7 701 765 43 21 не создан ({secret})"),
    ]
    page = StatusPage(Translator(), Redactor([secret]), amo_base_url="https://shop.amocrm.ru/")
    html = page.render(_snapshot(records, f"amoCRM: token {secret} refused for +7 701 123 45 67"), _ready())
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert secret not in html and "1234567" not in html and "123 45 67" not in html and "765 43" not in html
    assert "Заказ 963000002: контакт +7 *** *** ** 21 не создан (***)" in html
    assert "+7 701 *** ** 67" in html
    assert 'href="https://shop.amocrm.ru/leads/detail/77"' in html and 'rel="noopener noreferrer"' in html
    assert "15 990 ₸" in html and "Самовывоз" in html and "Ошибка" in html


def _ready() -> Any:
    from app.service.snapshot import readiness

    return readiness(_snapshot([]).status, datetime.now(UTC), 5)


@pytest.mark.parametrize("language, words", [
    ("en", ("Kaspi → amoCRM sync", "Latest orders", "Pickup", "Failed", "no phone", "Updated ", "never yet")),
    ("kk", ("Kaspi → amoCRM синхрондау", "Соңғы тапсырыстар", "Өзі алып кету", "Қате", "телефон жоқ", "әлі болған жоқ")),
])
def test_the_page_speaks_kazakh_and_english_with_no_russian_left(language: str, words: tuple[str, ...]) -> None:
    """The page's texts come from app/lang's catalogs (tests/test_cli_i18n.py checks each has a
    translation); here: the page really uses them and no Russian label is left over."""
    records = [OrderRecord("963000001", SyncState.FAILED, kaspi_state="PICKUP", total_price=15990,
                           order_created_at=datetime.now(UTC), buyer_name="Aigerim", last_error="amoCRM 400")]
    html = StatusPage(Translator(language), Redactor(), amo_base_url=None).render(_snapshot(records), _ready())
    assert f'lang="{language}"' in html
    for word in words:
        assert word in html, word
    if language == "en":
        assert not re.search("[а-яё]", html, re.I), html
    for russian in ("Синхронизация", "Последние заказы", "Самовывоз", "Ошибка", "без телефона", "Обновлено", "ещё"):
        assert russian not in html, russian


# --- cadence and the ping ---------------------------------------------------------------------


class _Engine:
    def poll(self) -> CycleReport:
        raise AssertionError("not run")

    reconcile = poll

    def request_stop(self) -> None:
        pass


def test_the_scheduler_follows_the_configured_intervals(tmp_path: Path) -> None:
    settings = load_settings({"KASPI_AMO_HOME": str(tmp_path), "POLL_INTERVAL_SECONDS": "15",
                              "RECONCILE_INTERVAL_MINUTES": "3"}, cwd=tmp_path)
    scheduler = scheduler_for(settings, _Engine(), run_at_start=False)
    periods = sorted(job.interval for job in scheduler._jobs.jobs if job.unit == "seconds")
    assert (scheduler.poll_seconds, scheduler.reconcile_seconds) == (15, 180)
    assert periods == [15, 60, 180]  # poll, the minute hook, reconcile
    defaults = scheduler_for(load_settings({"KASPI_AMO_HOME": str(tmp_path)}, cwd=tmp_path), _Engine(), run_at_start=False)
    assert (defaults.poll_seconds, defaults.reconcile_seconds) == (60, 600)


@pytest.mark.parametrize("env", [{"POLL_INTERVAL_SECONDS": "14"}, {"POLL_INTERVAL_SECONDS": "x"},
                                 {"RECONCILE_INTERVAL_MINUTES": "0"}, {"HEALTHCHECK_PING_URL": "ftp://a/b"},
                                 {"KASPI_AMO_HTTP": "nowhere"}])
def test_bad_service_settings_are_config_errors(tmp_path: Path, env: dict[str, str]) -> None:
    with pytest.raises(ConfigError, match=next(iter(env))):
        load_settings({"KASPI_AMO_HOME": str(tmp_path), **env}, cwd=tmp_path)


class _Session:
    def __init__(self) -> None:
        self.urls: list[str] = []

    def get(self, url: str, **kwargs: Any) -> Any:
        self.urls.append(url)
        raise requests.ConnectionError("refused")


def test_a_cycle_skipped_for_the_lock_sends_no_ping_and_a_dead_monitor_is_tried_twice() -> None:
    session = _Session()
    pinger = HealthcheckPinger("https://hc.example/abc/", session=session, sleep=lambda s: None)  # type: ignore[arg-type]
    skipped = CycleReport("poll", datetime.now(UTC), skipped_lock=True)
    assert pinger(skipped) is False and session.urls == []
    assert pinger(CycleReport("poll", datetime.now(UTC))) is False
    assert session.urls == ["https://hc.example/abc"] * 2


def test_orders_waiting_for_the_shop_show_in_metrics_status_and_page(served: Any, sandbox: Sandbox) -> None:
    """An admin sees Kaspi's clocks without the tray: /metrics (for an alert rule), `status`
    (text and JSON) and the status page list the orders to accept or hand over, the ones past
    the alert threshold, the soonest deadline and the last 30-day cancellation rate."""
    runtime, url, clock = served(ALERT_ACCEPT_MINUTES="60", ALERT_HANDOVER_HOURS="4")
    now = clock()
    sandbox.kaspi.add_orders([
        make_order("962300001", created=now - timedelta(minutes=90), phone="7019623001", status="APPROVED_BY_BANK",
                   state="NEW"),  # past ALERT_ACCEPT_MINUTES: Kaspi cancels it in 90 minutes
        make_order("962300002", created=now - timedelta(minutes=10), phone="7019623002", status="APPROVED_BY_BANK",
                   state="NEW"),  # just in: waiting, not yet alarming
        make_order("962300003", created=now - timedelta(hours=20), phone="7019623003", state="KASPI_DELIVERY",
                   status="ACCEPTED_BY_MERCHANT", delivery_mode="DELIVERY_REGIONAL_TODOOR", is_kaspi_delivery=True,
                   payment_mode="PREPAID", handover_planned_ms=to_ms(now + timedelta(hours=3)),
                   entries=[goods_entry("PHILIPS-HD9252-90")]),  # the courier comes in 3 h, not packed
        make_order("962300004", created=now - timedelta(hours=5), phone="7019623004", status="ACCEPTED_BY_MERCHANT",
                   state="PICKUP"),  # accepted, nothing due
    ])
    assert runtime.engine.poll().ok
    record_quality(runtime.store, Quality(orders=200, cancelled_by_merchant=5, since=now - timedelta(days=30),
                                          until=now))

    samples = _samples(url)
    assert samples[("kaspi_amo_orders_waiting", (("kind", "accept"),))] == 2
    assert samples[("kaspi_amo_orders_waiting_alarming", (("kind", "accept"),))] == 1
    assert samples[("kaspi_amo_orders_waiting", (("kind", "handover"),))] == 1
    assert samples[("kaspi_amo_orders_waiting_alarming", (("kind", "handover"),))] == 1
    soonest = now - timedelta(minutes=90) + timedelta(hours=3)
    assert samples[("kaspi_amo_next_deadline_timestamp_seconds", ())] == pytest.approx(soonest.timestamp(), abs=1)
    assert samples[("kaspi_amo_cancellation_rate", ())] == pytest.approx(0.025)

    lead = runtime.store.get_order("962300001")
    page = requests.get(url + "/", timeout=10).text
    assert "Ждут магазина: 3" in page and "Собрать и передать курьеру" in page
    assert f"/leads/detail/{lead.lead_id}" in page if lead and lead.lead_id else False
    assert "7019623001" not in page

    status = read_status(runtime.store, clock(), DeadlineRules.from_settings(60, 4))
    data = status.to_json()
    assert [(w["code"], w["kind"], w["alarming"]) for w in data["waiting"]] == [
        ("962300001", "accept", True), ("962300002", "accept", False), ("962300003", "handover", True)]
    deadline = data["waiting"][0]["deadline"]
    assert deadline.endswith("Z") and abs(datetime.fromisoformat(deadline) - soonest) < timedelta(seconds=1)
    assert data["quality"]["status"] == "warning" and data["quality"]["cancellation_rate"] == 0.025
    text = format_status(status, Translator())
    assert "Ждут магазина:" in text and "принять 2, передать курьеру 1, срочно 2" in text
    assert "заказ 962300001 до" in text and "2,50% (5 из 200), близко к пределу" in text
    english = format_status(status, Translator("en"))
    assert "to accept 2, to hand over 1, urgent 2" in english and "2.50% (5 of 200), close to the limit" in english
