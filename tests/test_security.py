"""Secrets and buyers' phones stay private; connections are verified.

Black box where it matters: the CLI runs as a subprocess against the sandbox with the most
verbose logging (LOG_LEVEL=debug, LOG_PRETTY=true to stderr) under umask 000, through a full
sync that includes an amoCRM token rotation, a reconcile, a dry run, status and an auth
failure. Then every byte it left behind (home folder, stdout, stderr) is searched for tokens
and phones. The TLS checks use the real clients against HTTPS servers on 127.0.0.1 with
certificates generated here.
"""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import json
import os
import re
import ssl
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from app.amo.client import AmoClient
from app.amo.oauth import OAuthClient, TokenManager
from app.amo.ratelimit import RateLimiter
from app.amo.tokens import MemoryTokenStore, TokenPair
from app.errors import AmoError, KaspiError
from app.kaspi.client import KaspiClient
from app.sandbox.seed import make_order
from app.sandbox.server import Sandbox
from tests.acceptance.support import Cli, describe, hours_ago

APP_DIR = Path(__file__).resolve().parents[1] / "app"
POSIX = os.name == "posix"


@pytest.fixture
def box(sandbox: Sandbox) -> Sandbox:
    return sandbox  # the empty sandbox of tests/conftest.py


def _run(cli: Cli, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    """The CLI under umask 000: every private file must be made private on purpose."""
    return subprocess.run(
        [sys.executable, "-m", "app", *args], env=cli.make_env(extra), cwd=cli.cwd, capture_output=True, text=True,
        encoding="utf-8", errors="replace", timeout=120, preexec_fn=(lambda: os.umask(0)) if POSIX else None,
    )


def _phone_forms(national: str) -> list[str]:
    spaced = f"{national[:3]} {national[3:6]} {national[6:8]} {national[8:]}"
    return [national, "+7" + national, "7" + national, "8" + national, spaced,
            base64.b64encode(national.encode()).decode().rstrip("=")]  # Kaspi's customer id is base64(phone)


def _token_forms(token: str) -> list[str]:
    forms = [token]
    if len(token) >= 32:
        forms.append(token[-24:])  # a truncated token is still a leak
    return forms


# --- 1. nothing readable left behind ----------------------------------------------------------


def test_full_sync_leaves_no_token_or_phone_anywhere(box: Sandbox, tmp_path: Path) -> None:
    cli = Cli.create(box, tmp_path)
    kaspi_token = "kt-" + os.urandom(16).hex()
    wrong_kaspi_token = "kt-wrong-" + os.urandom(16).hex()
    box.kaspi.tokens.add(kaspi_token)
    cli.env.update({"KASPI_API_TOKEN": kaspi_token, "LOG_LEVEL": "debug"})
    seed_access, seed_refresh = cli.env["AMO_ACCESS_TOKEN"], cli.env["AMO_REFRESH_TOKEN"]
    client_secret = cli.env["AMO_CLIENT_SECRET"]

    settings_file = cli.home / "config" / "settings.json"
    settings_file.parent.mkdir(parents=True)
    settings_file.write_text(json.dumps({"KASPI_PAGE_SIZE": 50, "LOG_LEVEL": "debug"}), encoding="utf-8")

    buyers = ["7017770011", "7478881122", "7051234499", "7085556677"]
    box.amo.add_contact("Айгерим (постоянная)", ["8 (701) 777-00-11"])  # an existing buyer: found by phone
    box.kaspi.add_orders([
        make_order("900000001", created=hours_ago(5), phone=buyers[0]),
        make_order("900000002", created=hours_ago(4), phone=buyers[1], first_name="Ерлан", last_name="Нұрланұлы"),
        make_order("900000003", created=hours_ago(3), phone="+998901234567", first_name="Шерзод", last_name=None),
    ])

    runs = [_run(cli, "poll")]
    assert runs[-1].returncode == 0, describe(runs[-1])

    box.amo.expire_access_tokens()  # the next call gets 401 → refresh → rotated pair persisted
    box.kaspi.add_order(make_order("900000004", created=hours_ago(2), phone=buyers[2]))
    runs.append(_run(cli, "poll", LOG_PRETTY="true"))
    assert runs[-1].returncode == 0, describe(runs[-1])
    assert len(box.amo.leads_named("Kaspi #900000004")) == 1

    box.kaspi.set_status("900000001", state="ARCHIVE", status="COMPLETED")
    runs.append(_run(cli, "reconcile", LOG_PRETTY="true"))
    assert runs[-1].returncode == 0, describe(runs[-1])

    box.kaspi.add_order(make_order("900000005", created=hours_ago(1), phone=buyers[3]))
    runs.append(_run(cli, "poll", "--dry-run", LOG_PRETTY="true"))
    assert runs[-1].returncode == 0 and "900000005" in runs[-1].stdout, describe(runs[-1])
    runs.append(_run(cli, "status"))
    runs.append(_run(cli, "status", "--json"))
    runs.append(_run(cli, "poll", LOG_PRETTY="true", KASPI_API_TOKEN=wrong_kaspi_token))
    assert runs[-1].returncode == 1, describe(runs[-1])

    # the rotated pair lives in the secrets file, and only there
    secrets_file = cli.home / "data" / "secrets.json"
    stored = json.loads(secrets_file.read_text(encoding="utf-8"))
    rotated_access, rotated_refresh = stored["amo_access_token"], stored["amo_refresh_token"]
    assert rotated_access != seed_access and rotated_refresh != seed_refresh, "no token rotation happened"

    # the scenario really was verbose and really carried the phones
    log_text = (cli.home / "logs" / "kaspi-amo.log").read_text(encoding="utf-8")
    assert '"level": "debug"' in log_text and "DEBUG" in runs[1].stderr
    created_phones = {p for cid in box.amo.contacts for p in box.amo.contact_phones(cid)}
    assert "+77478881122" in created_phones and "+998901234567" in created_phones

    needles: dict[str, str] = {}
    for name, token in [("kaspi token", kaspi_token), ("wrong kaspi token", wrong_kaspi_token),
                        ("amo seed access", seed_access), ("amo seed refresh", seed_refresh),
                        ("amo rotated access", rotated_access), ("amo rotated refresh", rotated_refresh),
                        ("amo client secret", client_secret)]:
        for form in _token_forms(token):
            needles[form] = name
    for national in buyers:
        for form in _phone_forms(national):
            needles[form] = f"phone {national}"
    for form in ("998901234567", "+998901234567", "90 123 45 67"):
        needles[form] = "phone +998901234567"

    haystacks: dict[str, bytes] = {}
    for path in sorted(cli.home.rglob("*")):
        if path.is_file() and path != secrets_file:
            haystacks[str(path.relative_to(cli.home))] = path.read_bytes()
    assert "data/kaspi-amo.sqlite3" in haystacks and "logs/kaspi-amo.log" in haystacks, list(haystacks)
    for i, run in enumerate(runs):
        haystacks[f"run {i} {run.args[3:]} stdout"] = run.stdout.encode()
        haystacks[f"run {i} {run.args[3:]} stderr"] = run.stderr.encode()

    leaks = [f"{needles[n]} ({n[:12]}…) in {where}" for where, data in haystacks.items()
             for n in needles if n.encode() in data]
    assert not leaks, "\n".join(leaks)

    if POSIX:
        private = {"data/kaspi-amo.sqlite3", "logs/kaspi-amo.log", "data/secrets.json"}
        for suffix in ("-wal", "-shm", "-journal"):
            if (cli.home / f"data/kaspi-amo.sqlite3{suffix}").exists():
                private.add(f"data/kaspi-amo.sqlite3{suffix}")
        for rel in sorted(private):
            mode = stat.S_IMODE((cli.home / rel).stat().st_mode)
            assert mode == 0o600, f"{rel} is {oct(mode)}"
        for folder in ("config", "data", "logs"):
            mode = stat.S_IMODE((cli.home / folder).stat().st_mode)
            assert mode == 0o700, f"{folder}/ is {oct(mode)}"
        exposed = [f"{p.relative_to(cli.home)} {oct(stat.S_IMODE(p.stat().st_mode))}"
                   for p in cli.home.rglob("*") if p.stat().st_mode & 0o077
                   and p != settings_file]  # the test wrote settings.json itself
        assert not exposed, exposed


# --- 2. TLS is verified -----------------------------------------------------------------------


def _cert_pair(common: str, *, san_ip: str | None, san_dns: str | None, issuer: tuple | None) -> tuple[bytes, bytes, tuple]:
    """(cert PEM, key PEM, (cert, key) for signing others). issuer None: self-signed."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer[0].subject if issuer else name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=2))
    )
    sans: list[Any] = []
    if san_ip:
        sans.append(x509.IPAddress(ipaddress.ip_address(san_ip)))
    if san_dns:
        sans.append(x509.DNSName(san_dns))
    if sans:
        builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
    is_ca = issuer is None and san_ip is None and san_dns is None
    builder = builder.add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True)
    if is_ca:
        builder = builder.add_extension(
            x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                          encipher_only=False, decipher_only=False), critical=True)
    cert = builder.sign(issuer[1] if issuer else key, hashes.SHA256())
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return cert.public_bytes(serialization.Encoding.PEM), key_pem, (cert, key)


class _Api(BaseHTTPRequestHandler):
    """Answers like a healthy Kaspi / amoCRM would, so only TLS can make a client fail."""

    hits: list[str]

    def _reply(self, body: dict[str, Any]) -> None:
        self.server.hits.append(self.path)  # type: ignore[attr-defined]
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._reply({"data": [], "included": [], "meta": {"pageCount": 0, "totalCount": 0}, "id": 1, "name": "ok"})

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._reply({"token_type": "Bearer", "expires_in": 86400, "access_token": "new.access.token",
                     "refresh_token": "new-refresh"})

    def log_message(self, *args: Any) -> None:
        pass


@contextmanager
def _https_server(cert_pem: bytes, key_pem: bytes, tmp: Path) -> Iterator[tuple[str, list[str]]]:
    (tmp / "srv.crt").write_bytes(cert_pem)
    (tmp / "srv.key").write_bytes(key_pem)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp / "srv.crt", tmp / "srv.key")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Api)
    server.hits = []  # type: ignore[attr-defined]
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.handle_error = lambda *a: None  # type: ignore[method-assign]  # failed handshakes are the point
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}", server.hits  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()


def _call_all(url: str) -> dict[str, Exception | str]:
    """Each real client's first call against `url`: "ok" or the exception it raised."""
    outcome: dict[str, Exception | str] = {}
    kaspi = KaspiClient("tls-test-token", url + "/shop/api/v2", max_retries=0, sleep=lambda s: None, timeout=(3, 3))
    manager = TokenManager(MemoryTokenStore(TokenPair("tls-access", "tls-refresh",
                                                      dt.datetime.now(dt.UTC) + dt.timedelta(days=1))), None)
    amo = AmoClient(url, manager, RateLimiter(100), max_retries=0, sleep=lambda s: None, timeout=(3, 3))
    oauth = OAuthClient(url, "client-id", "client-secret", "https://example.kz/cb", timeout=(3, 3))
    for name, call in (("kaspi", kaspi.check_token), ("amo", lambda: amo.request("GET", "account")),
                       ("oauth", lambda: oauth.refresh("old-refresh"))):
        try:
            call()
            outcome[name] = "ok"
        except Exception as exc:  # noqa: BLE001 - the type is asserted by the caller
            outcome[name] = exc
    return outcome


@pytest.fixture(scope="module")
def pki() -> dict[str, Any]:
    ca_pem, _ca_key_pem, ca = _cert_pair("Test Root CA", san_ip=None, san_dns=None, issuer=None)
    good = _cert_pair("127.0.0.1", san_ip="127.0.0.1", san_dns="localhost", issuer=ca)
    wrong_host = _cert_pair("shop.amocrm.ru", san_ip=None, san_dns="shop.amocrm.ru", issuer=ca)
    self_signed = _cert_pair("127.0.0.1", san_ip="127.0.0.1", san_dns="localhost", issuer=None)
    return {"ca": ca_pem, "good": good, "wrong_host": wrong_host, "self_signed": self_signed}


def _assert_all_refused(outcome: dict[str, Exception | str], hits: list[str]) -> None:
    assert isinstance(outcome["kaspi"], KaspiError), outcome  # KaspiUnavailable is one
    assert isinstance(outcome["amo"], AmoError), outcome  # AmoUnavailable is one
    assert isinstance(outcome["oauth"], AmoError), outcome
    assert hits == [], f"requests reached the server over unverified TLS: {hits}"


def test_clients_refuse_a_self_signed_certificate(pki: dict[str, Any], tmp_path: Path, monkeypatch) -> None:
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"):
        monkeypatch.delenv(name, raising=False)
    cert, key, _ = pki["self_signed"]
    with _https_server(cert, key, tmp_path) as (url, hits):
        _assert_all_refused(_call_all(url), hits)


def test_clients_refuse_a_trusted_certificate_for_another_host(pki: dict[str, Any], tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "ca.pem").write_bytes(pki["ca"])
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tmp_path / "ca.pem"))
    cert, key, _ = pki["wrong_host"]
    with _https_server(cert, key, tmp_path) as (url, hits):
        _assert_all_refused(_call_all(url), hits)


def test_clients_work_over_verified_tls(pki: dict[str, Any], tmp_path: Path, monkeypatch) -> None:
    """Control: the same server with a certificate the clients trust answers fine, so the
    refusals above come from certificate checks and nothing else."""
    (tmp_path / "ca.pem").write_bytes(pki["ca"])
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tmp_path / "ca.pem"))
    cert, key, _ = pki["good"]
    with _https_server(cert, key, tmp_path) as (url, hits):
        assert _call_all(url) == {"kaspi": "ok", "amo": "ok", "oauth": "ok"}
        assert len(hits) == 3


def test_no_tls_verification_is_switched_off_in_app() -> None:
    pattern = re.compile(r"verify\s*=\s*False|[\"']verify[\"']\s*:\s*False|CERT_NONE|check_hostname\s*=\s*False|"
                         r"_create_unverified_context|disable_warnings|PYTHONHTTPSVERIFY")
    offenders = [f"{path.relative_to(APP_DIR.parent)}:{n}: {line.strip()}"
                 for path in APP_DIR.rglob("*.py")
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert not offenders, offenders


# --- 3. tokens never travel elsewhere --------------------------------------------------------


class _Recorder(BaseHTTPRequestHandler):
    def _handle(self) -> None:
        self.server.seen.append(dict(self.headers))  # type: ignore[attr-defined]
        target = getattr(self.server, "redirect_to", None)
        if target:
            self.send_response(302)
            self.send_header("Location", target + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            data = b'{"data": [], "meta": {"pageCount": 0, "totalCount": 0}, "id": 1}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    do_GET = do_POST = _handle  # noqa: N815

    def log_message(self, *args: Any) -> None:
        pass


@contextmanager
def _http_server(redirect_to: str | None = None) -> Iterator[tuple[str, list[dict[str, str]]]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.seen = []  # type: ignore[attr-defined]
    server.redirect_to = redirect_to  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        # "localhost" vs "127.0.0.1": a different host for requests' redirect rules
        yield f"http://127.0.0.1:{server.server_address[1]}", server.seen  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()


def test_tokens_do_not_follow_redirects_or_foreign_links() -> None:
    with _http_server() as (evil_url, evil_seen):
        evil = evil_url.replace("127.0.0.1", "localhost")
        with _http_server(redirect_to=evil) as (url, seen):
            kaspi = KaspiClient("redirect-kaspi-token", url + "/shop/api/v2", max_retries=0, sleep=lambda s: None)
            with pytest.raises(KaspiError):
                kaspi.check_token()
            manager = TokenManager(MemoryTokenStore(TokenPair("redirect-access", None)), None)
            amo = AmoClient(url, manager, RateLimiter(100), max_retries=0, sleep=lambda s: None)
            with pytest.raises(AmoError):
                amo.request("GET", "account")
            assert len(seen) == 2
        with _http_server() as (url, seen):
            amo = AmoClient(url, TokenManager(MemoryTokenStore(TokenPair("link-access", None)), None), RateLimiter(100))
            amo.request("GET", evil + "/api/v4/leads?page=2")  # a `_links.next` naming another host
            assert len(seen) == 1
        assert evil_seen == [], "a token was sent to another host"


# --- 4. plain http only for loopback ----------------------------------------------------------


@pytest.mark.parametrize("name, value", [
    ("AMO_BASE_URL", "http://shop.amocrm.ru"),
    ("AMO_BASE_URL", "http://127.0.0.1.nip.io:8080"),
    ("AMO_BASE_URL", "http://localhost.shop.kz"),
    ("KASPI_BASE_URL", "http://kaspi.kz/shop/api/v2"),
    ("TELEGRAM_API_URL", "http://api.telegram.org"),
])
def test_plain_http_to_a_real_host_is_bad_configuration(box: Sandbox, tmp_path: Path, name: str, value: str) -> None:
    cli = Cli.create(box, tmp_path)
    result = cli.run("poll", extra={name: value})
    assert result.returncode == 2, describe(result)
    assert name in result.stderr and "Traceback" not in result.stderr, describe(result)
    for secret in (cli.env["KASPI_API_TOKEN"], cli.env["AMO_ACCESS_TOKEN"], cli.env["AMO_REFRESH_TOKEN"],
                   cli.env["AMO_CLIENT_SECRET"]):
        assert secret not in result.stderr + result.stdout
    assert box.amo.api_requests == 0 and box.kaspi.request_count == 0


def test_loopback_http_rules_agree_between_config_and_client(box: Sandbox, tmp_path: Path) -> None:
    cli = Cli.create(box, tmp_path)
    result = cli.run("poll", extra={"KASPI_BASE_URL": "http://127.0.0.2:9/shop/api/v2"}, timeout=60)
    assert "Traceback" not in result.stderr, describe(result)
    assert result.returncode in (1, 2), describe(result)
