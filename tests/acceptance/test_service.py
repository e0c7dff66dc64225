"""`kaspi-amo run --http` as an admin runs it (docs/contract.md, "Running as a service").

The daemon is a subprocess against the sandbox; /metrics is read with prometheus_client's
own parser and compared with what `status --json` and the emulators say.
"""

from __future__ import annotations

import json
import time
from datetime import datetime

import pytest
import requests
from requests.auth import HTTPBasicAuth

from app.sandbox.kaspi import REMOVE
from app.sandbox.seed import make_order
from app.sandbox.server import Sandbox
from tests.acceptance.service_support import (
    PingRecorder,
    families,
    hammer,
    scrape,
    start_daemon,
)
from tests.acceptance.support import Cli, assert_clear_failure, describe, hours_ago

GOOD = ["961000001", "961000002", "961000003"]
BAD = "961000009"
# nothing listens on the discard port: amoCRM never answers and the run fails at once (a 503 is an
# answer: the client waits out its 1+2+4+8+16 s backoff first, which tests/test_service.py times)
AMO_NEVER_ANSWERS = {"AMO_BASE_URL": "http://127.0.0.1:9"}
PASSWORD = "s3cret-Пароль-42"
AUTH_PASSWORD = PASSWORD.encode("utf-8")  # RFC 7617 charset="UTF-8"; requests would send latin-1


def _seed(sandbox: Sandbox) -> None:
    sandbox.kaspi.add_orders([make_order(code, created=hours_ago(3 - i), phone=f"70196100{i:02d}")
                              for i, code in enumerate(GOOD)])
    sandbox.kaspi.add_order(make_order(BAD, created=hours_ago(1), phone="7019610099"))
    sandbox.kaspi.corrupt_order(BAD, {"totalPrice": REMOVE})  # unreadable: quarantined


def _amo_api_requests(sandbox: Sandbox) -> int:
    return sum(1 for _, path, _ in list(sandbox.amo.request_log) if path.startswith("/api/v4"))


def _value(samples: dict, name: str, **labels: str) -> float:
    return samples[(name, tuple(sorted(labels.items())))]


def test_metrics_after_a_sync_match_the_store_and_the_endpoint_adds_no_api_request(sandbox: Sandbox, cli: Cli) -> None:
    _seed(sandbox)
    daemon = start_daemon(cli, "--http", "127.0.0.1:0")
    try:
        daemon.wait_for(lambda: daemon.reports("poll") and daemon.reports("reconcile"), what="the first cycles")
        status = cli.status()
        samples = scrape(daemon.url)
        types = families(daemon.url)

        assert types["kaspi_amo_orders"] == "counter" and types["kaspi_amo_requests"] == "counter"
        assert types["kaspi_amo_backlog_orders"] == "gauge" and types["kaspi_amo_fail_streak"] == "gauge"
        assert types["kaspi_amo_last_success_timestamp_seconds"] == "gauge"
        assert types["kaspi_amo_cycle_duration_seconds"] == "histogram"

        assert len(sandbox.amo.leads) == 3
        assert _value(samples, "kaspi_amo_orders_total", result="created") == status["today"]["created"] == 3
        assert _value(samples, "kaspi_amo_orders_total", result="quarantined") == status["quarantined"] == 1
        assert _value(samples, "kaspi_amo_orders_total", result="failed") == status["today"]["failed"]
        assert _value(samples, "kaspi_amo_backlog_orders") == status["backlog"] == 0
        assert _value(samples, "kaspi_amo_fail_streak") == status["fail_streak"]
        last_success = datetime.fromisoformat(status["last_success_at"]).timestamp() if status["last_success_at"] else 0
        assert _value(samples, "kaspi_amo_last_success_timestamp_seconds") == pytest.approx(last_success, abs=1e-3)
        # this process made every request the emulators saw
        assert _value(samples, "kaspi_amo_requests_total", api="kaspi") == len(sandbox.kaspi.request_log)
        assert _value(samples, "kaspi_amo_requests_total", api="amocrm") == _amo_api_requests(sandbox)
        assert _value(samples, "kaspi_amo_cycle_duration_seconds_count", cycle="poll") == 1
        assert _value(samples, "kaspi_amo_cycle_duration_seconds_count", cycle="reconcile") == 1

        kaspi_before, amo_before = len(sandbox.kaspi.request_log), len(sandbox.amo.request_log)
        codes = hammer(daemon.url, ["/metrics", "/", "/readyz", "/healthz"], 25)
        assert set(codes) == {200}
        assert (len(sandbox.kaspi.request_log), len(sandbox.amo.request_log)) == (kaspi_before, amo_before)
        again = scrape(daemon.url)
        assert _value(again, "kaspi_amo_requests_total", api="kaspi") == kaspi_before
    finally:
        assert daemon.stop() == 0, daemon.text()


def test_metrics_count_what_other_processes_wrote_to_the_store(sandbox: Sandbox, cli: Cli) -> None:
    """A cron `poll` beside the daemon: the daemon's /metrics reads the shared store."""
    daemon = start_daemon(cli, "--http", "127.0.0.1:0")
    try:
        daemon.wait_for(lambda: daemon.reports("reconcile"), what="the first cycles")
        assert _value(scrape(daemon.url), "kaspi_amo_orders_total", result="created") == 0
        sandbox.kaspi.add_order(make_order("961000101", created=hours_ago(1), phone="7019610101"))
        polled = cli.poll()
        assert polled.returncode == 0, describe(polled)
        samples = scrape(daemon.url)
        assert _value(samples, "kaspi_amo_orders_total", result="created") == 1
        assert _value(samples, "kaspi_amo_orders_in_state", state="done") == cli.status()["processed_total"] == 1
    finally:
        daemon.stop()


def test_readyz_is_503_with_a_reason_while_amocrm_never_answered(sandbox: Sandbox, cli: Cli) -> None:
    sandbox.kaspi.add_order(make_order("961000201", created=hours_ago(1), phone="7019610201"))
    daemon = start_daemon(cli, "--http", "127.0.0.1:0", extra=AMO_NEVER_ANSWERS)
    try:
        daemon.wait_for(lambda: daemon.reports("poll"), what="the first poll")
        ready = requests.get(daemon.url + "/readyz", timeout=10)
        assert ready.status_code == 503
        body = ready.json()
        assert body["ready"] is False and body["code"] == "no_success_yet" and body["reason"]
        assert body["fail_streak"] >= 1 and body["last_error"]
        assert requests.get(daemon.url + "/healthz", timeout=10).status_code == 200  # alive, not ready
        assert _value(scrape(daemon.url), "kaspi_amo_fail_streak") >= 1
    finally:
        daemon.stop()


def test_readyz_is_200_after_a_successful_poll(sandbox: Sandbox, cli: Cli) -> None:
    daemon = start_daemon(cli, "--http", "127.0.0.1:0", extra={"ALERT_HEARTBEAT_MINUTES": "2"})
    try:
        daemon.wait_for(lambda: daemon.reports("poll"), what="the first poll")
        ready = requests.get(daemon.url + "/readyz", timeout=10)
        assert ready.status_code == 200, ready.text
        body = ready.json()
        assert body["ready"] is True and body["heartbeat_minutes"] == 2 and body["age_seconds"] < 120
    finally:
        daemon.stop()


def test_basic_auth_on_every_path_but_healthz_and_the_password_never_logged(sandbox: Sandbox, cli: Cli) -> None:
    _seed(sandbox)
    daemon = start_daemon(cli, "--http", "0.0.0.0:0", extra={"KASPI_AMO_HTTP_PASSWORD": PASSWORD})
    url = daemon.url.replace("0.0.0.0", "127.0.0.1")
    try:
        daemon.wait_for(lambda: daemon.reports("reconcile"), what="the first cycles")
        assert requests.get(url + "/healthz", timeout=10).status_code == 200
        for path in ("/", "/metrics", "/readyz", "/nothing-here"):
            bare = requests.get(url + path, timeout=10)
            assert bare.status_code == 401, path
            assert bare.headers["WWW-Authenticate"].startswith("Basic ")
            assert requests.get(url + path, auth=("admin", "wrong"), timeout=10).status_code == 401, path
            assert requests.get(url + path, auth=HTTPBasicAuth("admin", AUTH_PASSWORD[:-1]), timeout=10).status_code == 401, path
        assert requests.get(url + "/", auth=HTTPBasicAuth("admin", AUTH_PASSWORD), timeout=10).status_code == 200
        assert requests.get(url + "/readyz", auth=HTTPBasicAuth("prometheus", AUTH_PASSWORD), timeout=10).status_code == 200
        assert scrape(url, auth=HTTPBasicAuth("any", AUTH_PASSWORD))[("kaspi_amo_orders_total", (("result", "created"),))] == 3
        assert requests.get(url + "/nothing-here", auth=HTTPBasicAuth("a", AUTH_PASSWORD), timeout=10).status_code == 404
        assert requests.post(url + "/metrics", auth=HTTPBasicAuth("a", AUTH_PASSWORD), timeout=10).status_code == 405
    finally:
        assert daemon.stop() == 0, daemon.text()
    logs = "".join(p.read_text(encoding="utf-8") for p in (cli.home / "logs").glob("*.log*"))
    assert PASSWORD not in daemon.text() + logs


@pytest.mark.parametrize("how", ["flag", "env"])
def test_a_non_loopback_address_without_a_password_refuses_to_start(sandbox: Sandbox, cli: Cli, how: str) -> None:
    sandbox.kaspi.add_order(make_order("961000301", created=hours_ago(1), phone="7019610301"))
    if how == "flag":
        result = cli.run("run", "--http", "0.0.0.0:9464", timeout=60)
    else:
        result = cli.run("run", extra={"KASPI_AMO_HTTP": "0.0.0.0:9464"}, timeout=60)
    assert result.returncode == 2, describe(result)
    assert_clear_failure(result)
    assert "KASPI_AMO_HTTP_PASSWORD" in result.stderr and "0.0.0.0:9464" in result.stderr
    assert sandbox.kaspi.request_log == [] and sandbox.amo.request_log == []  # refused before any work


def test_kaspi_amo_http_serves_like_the_flag_and_a_bad_address_is_a_config_error(sandbox: Sandbox, cli: Cli) -> None:
    daemon = start_daemon(cli, extra={"KASPI_AMO_HTTP": "127.0.0.1:0"})
    try:
        assert requests.get(daemon.url + "/healthz", timeout=10).text == "ok\n"
    finally:
        daemon.stop()
    bad = cli.run("run", "--http", "127.0.0.1:port", timeout=60)
    assert bad.returncode == 2, describe(bad)
    assert_clear_failure(bad)
    assert "--http" in bad.stderr


@pytest.mark.parametrize("name, value", [
    ("POLL_INTERVAL_SECONDS", "14"), ("POLL_INTERVAL_SECONDS", "минута"), ("POLL_INTERVAL_SECONDS", "0"),
    ("RECONCILE_INTERVAL_MINUTES", "0"), ("RECONCILE_INTERVAL_MINUTES", "1.5"),
])
def test_bad_intervals_are_configuration_errors(sandbox: Sandbox, cli: Cli, name: str, value: str) -> None:
    result = cli.run("run", extra={name: value}, timeout=60)
    assert result.returncode == 2, describe(result)
    assert_clear_failure(result)
    assert name in result.stderr
    assert sandbox.kaspi.request_log == []


def test_run_polls_at_poll_interval_seconds(sandbox: Sandbox, cli: Cli) -> None:
    daemon = start_daemon(cli, "--http", "127.0.0.1:0", extra={"POLL_INTERVAL_SECONDS": "15"})
    try:
        daemon.wait_for(lambda: daemon.reports("poll"), what="the first poll")
        first = time.monotonic()
        assert "каждые 15 с" in daemon.out[0]
        daemon.wait_for(lambda: len(daemon.reports("poll")) >= 2, timeout=30, what="the second poll")
        gap = time.monotonic() - first
        assert 12 <= gap <= 25, gap
        count = _value(scrape(daemon.url), "kaspi_amo_cycle_duration_seconds_count", cycle="poll")
        assert count >= 2
    finally:
        daemon.stop()


def test_healthcheck_ping_after_each_cycle(sandbox: Sandbox, cli: Cli) -> None:
    sandbox.kaspi.add_order(make_order("961000401", created=hours_ago(1), phone="7019610401"))
    with PingRecorder() as monitor:
        ping_url = monitor.url + "/ping/0f1e2d3c-uuid"
        ok = cli.poll(extra={"HEALTHCHECK_PING_URL": ping_url})
        assert ok.returncode == 0, describe(ok)
        assert monitor.hits == [("GET", "/ping/0f1e2d3c-uuid")]

        sandbox.kaspi.add_order(make_order("961000402", created=hours_ago(1), phone="7019610402"))
        failed = cli.poll(extra={"HEALTHCHECK_PING_URL": ping_url + "/", **AMO_NEVER_ANSWERS})
        assert failed.returncode == 1, describe(failed)
        assert monitor.hits[1:] == [("GET", "/ping/0f1e2d3c-uuid/fail")]

        reconciled = cli.run("reconcile", extra={"HEALTHCHECK_PING_URL": ping_url, **AMO_NEVER_ANSWERS})
        assert reconciled.returncode == 1
        assert monitor.hits[2:] == [("GET", "/ping/0f1e2d3c-uuid/fail")]
    logs = "".join(p.read_text(encoding="utf-8") for p in (cli.home / "logs").glob("*.log*"))
    assert "0f1e2d3c-uuid" not in logs  # the check's URL is a capability: never logged


@pytest.mark.parametrize("monitor_state", ["answers 500", "is down"])
def test_a_failing_ping_never_fails_a_sync(sandbox: Sandbox, cli: Cli, monitor_state: str) -> None:
    sandbox.kaspi.add_order(make_order("961000501", created=hours_ago(1), phone="7019610501"))
    monitor = PingRecorder(status=500).__enter__()
    url = monitor.url + "/ping/x"
    if monitor_state == "is down":
        monitor.__exit__()
    try:
        started = time.monotonic()
        result = cli.poll(extra={"HEALTHCHECK_PING_URL": url})
    finally:
        if monitor_state != "is down":
            monitor.__exit__()
    assert result.returncode == 0, describe(result)
    assert time.monotonic() - started < 30
    assert len(sandbox.amo.leads_named("Kaspi #961000501")) == 1
    if monitor_state == "answers 500":
        assert monitor.hits == [("GET", "/ping/x")] * 2  # one retry, then given up


def test_the_ping_url_must_be_https_unless_local(cli: Cli) -> None:
    result = cli.poll(extra={"HEALTHCHECK_PING_URL": "http://hc-ping.example/abc"})
    assert result.returncode == 2, describe(result)
    assert "HEALTHCHECK_PING_URL" in result.stderr


def test_the_status_page_shows_orders_with_masked_phones_links_and_no_secret(sandbox: Sandbox, cli: Cli) -> None:
    _seed(sandbox)
    daemon = start_daemon(cli, "--http", "127.0.0.1:0")
    try:
        daemon.wait_for(lambda: daemon.reports("reconcile"), what="the first cycles")
        page = requests.get(daemon.url + "/", timeout=10)
    finally:
        daemon.stop()
    html = page.text
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert '<meta http-equiv="refresh"' in html and 'name="viewport"' in html and 'lang="ru"' in html
    assert "<form" not in html and "<script" not in html and "method=" not in html.lower()
    for i, code in enumerate(GOOD):
        lead = sandbox.amo.leads_named(f"Kaspi #{code}")[0]
        assert code in html
        assert f'href="{sandbox.amo_base_url}/leads/detail/{lead["id"]}"' in html
        assert f"+7 *** *** ** {i:02d}" in html and f"70196100{i:02d}" not in html
    assert "Нужна проверка" in html and BAD in html  # the quarantined order is shown as such
    for name, secret in sandbox.env().items():
        if "TOKEN" in name or "SECRET" in name:
            assert secret not in html, name


def test_the_status_page_speaks_the_language_chosen_in_the_tray(sandbox: Sandbox, cli: Cli) -> None:
    config = cli.home / "config"
    config.mkdir(parents=True)
    (config / "gui.json").write_text(json.dumps({"language": "en"}), encoding="utf-8")
    daemon = start_daemon(cli, "--http", "127.0.0.1:0")
    try:
        daemon.wait_for(lambda: daemon.reports("poll"), what="the first poll")
        html = requests.get(daemon.url + "/", timeout=10).text
        ready = requests.get(daemon.url + "/readyz", timeout=10).json()
    finally:
        daemon.stop()
    assert 'lang="en"' in html and "Kaspi → amoCRM sync" in html and "Синхронизация" not in html
    assert ready["reason"].startswith("The last successful sync")
