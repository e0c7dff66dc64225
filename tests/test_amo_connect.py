"""Connecting amoCRM: consent URL, the loopback redirect catcher, pasted URLs, code exchange."""

from __future__ import annotations

import socket
import threading

import pytest
import requests

from app.amo.connect import (
    ACCESS_DENIED,
    STATE_MISMATCH,
    LoopbackReceiver,
    account_base_url,
    check_account,
    consent_url,
    exchange_code,
    long_lived_pair,
    new_state,
    parse_redirect,
)
from app.errors import AmoAuthError, ConfigError
from app.sandbox.server import Sandbox


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(
    "text, base",
    [
        ("shop", "https://shop.amocrm.ru"),
        ("shop.amocrm.ru", "https://shop.amocrm.ru"),
        (" https://Shop.kommo.com/leads/pipeline ", "https://shop.kommo.com"),
        ("http://127.0.0.1:8802", "http://127.0.0.1:8802"),
        ("127.0.0.1:8802", "http://127.0.0.1:8802"),  # the sandbox typed without a scheme
        ("localhost:8802/", "http://localhost:8802"),
        ("http://shop.amocrm.ru", "https://shop.amocrm.ru"),  # never plain http to amoCRM
        ("shop.amocrm.ru/leads/detail/123", "https://shop.amocrm.ru"),
        ("SHOP.AMOCRM.RU", "https://shop.amocrm.ru"),
    ],
)
def test_account_base_url(text, base):
    assert account_base_url(text) == base


@pytest.mark.parametrize("text", ["", "evil.example.com", "https://"])
def test_account_base_url_rejects_what_is_not_amocrm(text):
    with pytest.raises(ConfigError):
        account_base_url(text)


def test_consent_url_per_domain():
    assert consent_url("https://shop.amocrm.ru", "cid", "s1").startswith("https://www.amocrm.ru/oauth?client_id=cid&state=s1")
    assert consent_url("https://shop.kommo.com", "cid", "s1").startswith("https://www.kommo.com/oauth?")
    assert consent_url("http://127.0.0.1:9", "cid", "s1").startswith("http://127.0.0.1:9/oauth?")
    assert new_state() != new_state() and len(new_state()) >= 24


def test_parse_pasted_redirect():
    got = parse_redirect("https://example.com/cb?code=abc&state=s1&referer=shop.amocrm.ru&client_id=cid", "s1")
    assert (got.code, got.referer, got.client_id) == ("abc", "shop.amocrm.ru", "cid")
    with pytest.raises(AmoAuthError) as refused:
        parse_redirect("https://example.com/cb?error=access_denied&state=s1&client_id=cid", "s1")
    assert refused.value.message == ACCESS_DENIED
    with pytest.raises(AmoAuthError) as wrong:
        parse_redirect("https://example.com/cb?code=abc&state=other", "s1")
    assert wrong.value.message == STATE_MISMATCH


def test_loopback_receiver_accepts_only_the_matching_state_then_closes() -> None:
    port = free_port()
    receiver = LoopbackReceiver(f"http://127.0.0.1:{port}/callback", "good-state").start()
    base = f"http://127.0.0.1:{port}/callback"
    assert requests.get(f"{base}?code=stolen&state=bad", timeout=5).status_code == 400  # not ours: keep waiting
    result: list = []
    waiter = threading.Thread(target=lambda: result.append(receiver.wait(10)))
    waiter.start()
    assert requests.get(f"{base}?code=the-code&state=good-state&referer=shop.amocrm.ru", timeout=5).status_code == 200
    waiter.join(10)
    assert result[0].code == "the-code" and result[0].referer == "shop.amocrm.ru"
    with pytest.raises(requests.ConnectionError):  # closed after use
        requests.get(f"{base}?code=again&state=good-state", timeout=2)


def test_loopback_receiver_binds_loopback_only_and_reports_refusal():
    with pytest.raises(ConfigError):
        LoopbackReceiver("http://0.0.0.0:8765/callback", "s")
    with pytest.raises(ConfigError):
        LoopbackReceiver("https://example.com/callback", "s")
    port = free_port()
    receiver = LoopbackReceiver(f"http://127.0.0.1:{port}/cb", "s").start()
    assert receiver._server.server_address[0] == "127.0.0.1"
    threading.Timer(0.2, lambda: requests.get(f"http://127.0.0.1:{port}/cb?error=access_denied&state=s", timeout=5)).start()
    with pytest.raises(AmoAuthError) as refused:
        receiver.wait(10)
    assert refused.value.message == ACCESS_DENIED


def test_loopback_receiver_times_out_and_frees_the_port():
    port = free_port()
    receiver = LoopbackReceiver(f"http://127.0.0.1:{port}/cb", "s").start()
    with pytest.raises(TimeoutError):
        receiver.wait(0.2)
    LoopbackReceiver(f"http://127.0.0.1:{port}/cb", "s").close()  # the port is free again


def test_code_exchange_and_account_check_against_the_sandbox():
    with Sandbox(seed=False) as sandbox:
        amo = sandbox.amo
        pair = exchange_code(sandbox.amo_base_url, amo.client_id, amo.client_secret, amo.redirect_uri, amo.issue_auth_code())
        assert pair.refresh_token and pair.expires_at
        assert check_account(sandbox.amo_base_url, pair).name == "Sandbox Shop"
        with pytest.raises(AmoAuthError):
            exchange_code(sandbox.amo_base_url, amo.client_id, amo.client_secret, amo.redirect_uri, "wrong-code")
        long_lived = long_lived_pair(amo.long_lived_token())
        assert long_lived.refresh_token is None and long_lived.expires_at is not None
        assert check_account(sandbox.amo_base_url, long_lived).subdomain == "sandbox"


def _follow_consent(sandbox, state, decision):
    """What the browser does: open the consent page, click a button, land on the redirect URI."""
    page = requests.get(consent_url(sandbox.amo_base_url, sandbox.amo.client_id, state), timeout=5)
    assert page.status_code == 200 and "Разрешить" in page.text
    link = page.text.split(f"id='{decision}' href='")[1].split("'")[0].replace("&amp;", "&")
    hop = requests.get(sandbox.amo_base_url + link, allow_redirects=False, timeout=5)
    assert hop.status_code == 302
    return hop.headers["Location"]


def test_browser_flow_through_the_sandbox_consent_page_and_the_loopback_receiver():
    port = free_port()
    redirect = f"http://127.0.0.1:{port}/callback"
    with Sandbox(seed=False, amo_options={"redirect_uri": redirect}) as sandbox:
        state = new_state()
        receiver = LoopbackReceiver(redirect, state).start()
        landing = _follow_consent(sandbox, state, "allow")
        assert landing.startswith(redirect + "?")
        assert requests.get(landing, timeout=5).status_code == 200  # the browser lands on our listener
        caught = receiver.wait(10)
        pair = exchange_code(sandbox.amo_base_url, sandbox.amo.client_id, sandbox.amo.client_secret, redirect, caught.code)
        assert check_account(sandbox.amo_base_url, pair).name == "Sandbox Shop"


def test_refused_consent_and_foreign_state():
    with Sandbox(seed=False) as sandbox:
        state = new_state()
        with pytest.raises(AmoAuthError) as refused:
            parse_redirect(_follow_consent(sandbox, state, "deny"), state)
        assert refused.value.message == ACCESS_DENIED
        with pytest.raises(AmoAuthError) as mismatch:
            parse_redirect(_follow_consent(sandbox, "someone-elses-state", "allow"), state)
        assert mismatch.value.message == STATE_MISMATCH
