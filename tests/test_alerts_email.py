"""Alert e-mail over a real SMTP server (aiosmtpd): STARTTLS with login, implicit TLS, no
password in clear text, UTF-8, and each mail failure in the owner's words."""

from __future__ import annotations

import smtplib
import socket
import ssl
from pathlib import Path

import pytest

import app.alerts.smtp as smtp_module
from app.alerts import (
    EmailChannel,
    send_test,
)
from tests.alerts_support import (
    HOST,
    SMTP_PASSWORD,
    Mailbox,
    client_context,
    mail_channel,
    mailbox,
    server_context,
    start_smtp,
    tls_files,
)

__all__ = ["mailbox", "tls_files"]  # fixtures used by name


# --- e-mail transport ---------------------------------------------------------------------------


def test_starttls_with_login(tls_files: tuple[Path, Path]) -> None:
    controller, box = start_smtp(tls_context=server_context(tls_files), require_starttls=True, auth=True)
    try:
        good = mail_channel(box.port, user="shop@mail.kz", password=SMTP_PASSWORD, ssl_context=client_context(tls_files))
        assert send_test(good) is None
        [message] = box.messages
        assert message["Subject"] == "Проверка оповещений Kaspi → amoCRM"
        assert "настроены правильно" in message.get_content()
        assert box.logins == [("shop@mail.kz", SMTP_PASSWORD)]
        assert box.envelopes[0].mail_from == "alerts@shop.kz"

        bad = mail_channel(box.port, user="shop@mail.kz", password="wrong", ssl_context=client_context(tls_files))
        error = send_test(bad)
        assert error is not None and "логин или пароль" in error and "wrong" not in error

        untrusted = mail_channel(box.port, user="shop@mail.kz", password=SMTP_PASSWORD)  # system CAs only
        error = send_test(untrusted)
        assert error is not None and "сертификат" in error
        assert len(box.envelopes) == 1
    finally:
        controller.stop()


def test_implicit_tls_on_port_465_mode(tls_files: tuple[Path, Path]) -> None:
    controller, box = start_smtp(ssl_context=server_context(tls_files))
    try:
        channel = mail_channel(box.port, mode="ssl", ssl_context=client_context(tls_files))
        assert send_test(channel) is None
        assert len(box.envelopes) == 1
        error = send_test(mail_channel(box.port, timeout=0.3))  # plain SMTP against a TLS port: no greeting
        assert error is not None and "465 — SSL" in error
    finally:
        controller.stop()
    assert EmailChannel("smtp.mail.kz", 465, "a@b.kz", "c@d.kz").mode == "ssl"
    assert EmailChannel("smtp.mail.kz", 587, "a@b.kz", "c@d.kz").mode == "auto"


def test_password_never_goes_in_clear_text_to_a_remote_host(mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server offers no STARTTLS; pretend 127.0.0.1 is a remote host."""
    monkeypatch.setattr(smtp_module, "is_loopback_host", lambda host: False)
    channel = mail_channel(mailbox.port, user="shop@mail.kz", password=SMTP_PASSWORD)
    error = send_test(channel)
    assert error is not None and "открытым текстом" in error
    assert mailbox.envelopes == [] and mailbox.logins == []
    # without a password there is nothing to protect: a plain relay is fine
    assert send_test(mail_channel(mailbox.port)) is None


def test_starttls_mode_refuses_a_server_without_it(mailbox: Mailbox) -> None:
    error = send_test(mail_channel(mailbox.port, mode="starttls"))
    assert error is not None and "STARTTLS" in error
    assert mailbox.envelopes == []


def test_email_is_utf8_with_subject(mailbox: Mailbox) -> None:
    assert send_test(mail_channel(mailbox.port), host_label=HOST) is None
    raw = mailbox.envelopes[0].content.decode("ascii")  # 7-bit safe on the wire
    assert "utf-8" in raw.lower()
    [message] = mailbox.messages
    assert message.get_content_charset() == "utf-8"
    assert HOST in message.get_content()


@pytest.mark.parametrize(
    ("error", "owner_reads", "logged"),
    [
        (smtplib.SMTPAuthenticationError(535, b"bad"), "«пароль приложения»", "SMTPAuthenticationError 535"),
        (smtplib.SMTPRecipientsRefused({"x@y.kz": (550, b"no")}), "на x@y.kz. Проверьте адрес", "SMTPRecipientsRefused"),
        (smtplib.SMTPSenderRefused(553, b"no", "alerts@shop.kz"), "отправителя alerts@shop.kz", "SMTPSenderRefused 553"),
        (smtplib.SMTPServerDisconnected("bye"), "smtp.mail.kz:587 разорвал соединение", "SMTPServerDisconnected"),
        (smtplib.SMTPDataError(554, b"spam"), "smtp.mail.kz:587 отклонил письмо (код 554)", "SMTPDataError 554"),
        (ssl.SSLCertVerificationError(1, "x"), "сертификат почтового сервера smtp.mail.kz.", "SSLCertVerificationError"),
        (socket.gaierror(-2, "Name or service not known"), "Не найден почтовый сервер smtp.mail.kz", "gaierror"),
        (TimeoutError(), "не ответил за 7.5 с", "TimeoutError"),
        (ConnectionRefusedError(111, "Connection refused"), "smtp.mail.kz:587 не принимает подключения", "ConnectionRefusedError"),
        (OSError(101, "Network is unreachable"), "smtp.mail.kz:587: Network is unreachable.", "OSError"),
    ],
)
def test_each_mail_failure_reads_in_the_owners_words(error: OSError, owner_reads: str, logged: str) -> None:
    """The most specific text wins (a sender refusal is not "rejected the letter"), with the server's
    address, the refused recipient or the timeout filled in; the log gets the class and the code."""
    explained = EmailChannel("smtp.mail.kz", 587, "alerts@shop.kz", "owner@shop.kz", timeout=7.5).explain(error)
    assert owner_reads in explained.message
    assert "{" not in explained.message
    assert explained.detail is not None and explained.detail.startswith(logged)
