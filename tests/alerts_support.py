"""What the alert tests share: a clock, a real SMTP server (aiosmtpd, with a self-signed
certificate for STARTTLS and implicit TLS), the Telegram emulator, a store, channels and the
cycle reports the engine would hand the alert manager."""

from __future__ import annotations

import email
import email.policy
import ipaddress
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from app.alerts import (
    AlertManager,
    EmailChannel,
    SentAlert,
    TelegramChannel,
    Thresholds,
)
from app.errors import KaspiUnavailable
from app.sandbox.http import EmulatorServer
from app.sandbox.telegram_emulator import TelegramEmulator
from app.store.base import OrderRecord, SyncState
from app.store.sqlite import SqliteStore
from app.sync.events import CycleReport

T0 = datetime(2025, 3, 5, 9, 0, tzinfo=UTC)
BOT_TOKEN = "123456789:AAH-sandbox-secret-bot-token"
SMTP_PASSWORD = "sm7p-Pa55w0rd!"
PHONE = "+7 701 234 56 78"
HOST = "shop-almaty.amocrm.ru"
CHAT_ID = "424242"
KASPI_ERROR = "Kaspi не принимает токен: проверьте токен API в кабинете продавца."


# --- helpers and fixtures -----------------------------------------------------------------------


class Clock:
    def __init__(self, start: datetime = T0) -> None:
        self.value = start

    def __call__(self) -> datetime:
        return self.value

    def advance(self, **kw: float) -> None:
        self.value += timedelta(**kw)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Mailbox:
    """Messages an aiosmtpd server received, parsed."""

    port: int
    envelopes: list[Any] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd API
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        return [email.message_from_bytes(e.content, policy=email.policy.default) for e in self.envelopes]

    def texts(self) -> list[str]:
        return [f"{m['Subject']}\n{m.get_content()}" for m in self.messages]

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        if isinstance(auth_data, LoginPassword):
            user, password = auth_data.login.decode(), auth_data.password.decode()
            self.logins.append((user, password))
            # handled=False: aiosmtpd then answers 535 itself (its default leaves the client hanging)
            return AuthResult(success=user == "shop@mail.kz" and password == SMTP_PASSWORD, handled=False)
        return AuthResult(success=False, handled=False)


def start_smtp(*, auth: bool = False, **kwargs: Any) -> tuple[Controller, Mailbox]:
    box = Mailbox(port=free_port())
    if auth:
        kwargs["authenticator"] = box.authenticate
    controller = Controller(box, hostname="127.0.0.1", port=box.port, ready_timeout=5, **kwargs)
    controller.start()
    return controller, box


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    controller, box = start_smtp()
    yield box
    controller.stop()


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1/localhost (cert, key)."""
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


def server_context(tls_files: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*tls_files)
    return context


def client_context(tls_files: tuple[Path, Path]) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(tls_files[0]))


@pytest.fixture
def telegram() -> Iterator[tuple[TelegramEmulator, str]]:
    emulator = TelegramEmulator(token=BOT_TOKEN, chats=[CHAT_ID])
    with EmulatorServer(emulator) as server:
        yield emulator, server.url


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    opened = SqliteStore(tmp_path / "data" / "store.db")
    opened.migrate()
    yield opened
    opened.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


def tg_channel(url: str, token: str = BOT_TOKEN, **kw: Any) -> TelegramChannel:
    return TelegramChannel(token, CHAT_ID, url, **kw)


def mail_channel(port: int, **kw: Any) -> EmailChannel:
    kw.setdefault("timeout", 3)
    return EmailChannel("127.0.0.1", port, "alerts@shop.kz", "owner@shop.kz, manager@shop.kz", **kw)


def make_manager(store: SqliteStore, clock: Clock, channels: list[Any], **kw: Any) -> AlertManager:
    return AlertManager(store, Thresholds(fail_streak=3, backlog=25, heartbeat_minutes=5), channels, now=clock, host_label=HOST, **kw)


def failed_cycle(store: SqliteStore, clock: Clock, error: str = KASPI_ERROR) -> CycleReport:
    """What the engine records after a failed cycle (app.sync.engine._record_cycle)."""
    clock.advance(minutes=1)
    now = clock().isoformat()
    store.set_meta("last_poll_at", now)
    store.set_meta("heartbeat_at", now)
    store.set_meta("fail_streak", str(int(store.get_meta("fail_streak") or 0) + 1))
    store.set_meta("last_error", error)
    return CycleReport("poll", clock(), clock(), error=KaspiUnavailable(error))


def good_cycle(store: SqliteStore, clock: Clock) -> CycleReport:
    clock.advance(minutes=1)
    now = clock().isoformat()
    for key in ("last_poll_at", "heartbeat_at", "last_success_at"):
        store.set_meta(key, now)
    store.set_meta("fail_streak", "0")
    store.set_meta("last_error", None)
    return CycleReport("poll", clock(), clock())


def set_backlog(store: SqliteStore, failed: int, pending: int = 0) -> None:
    """Exactly `failed` failed and `pending` pending orders; the rest of the first 40 done."""
    for i in range(40):
        state = SyncState.FAILED if i < failed else SyncState.PENDING if i < failed + pending else SyncState.DONE
        store.save_order(OrderRecord(code=f"5{i:08d}", sync_state=state, phone_masked="+7 701 *** ** 78"))


def kinds(sent: list[SentAlert]) -> list[tuple[str, bool]]:
    return [(s.kind, s.resolved) for s in sent]
