"""Alerts by e-mail through the owner's SMTP server (smtplib, stdlib only).

Transport: port 465 means implicit TLS; any other port upgrades with STARTTLS when the
server offers it. A password is never sent in clear text to a host other than this
computer: without TLS the login is refused before it is attempted.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from collections.abc import Iterable
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from app.alerts.channels import BaseChannel, ChannelError
from app.alerts.messages import AlertMessage
from app.net import is_loopback_host

MODES = ("auto", "starttls", "ssl", "plain")
SSL_PORT = 465


#: SMTP and network failures → what the owner reads, most specific first (the first match wins).
_FAILURES: tuple[tuple[type[BaseException], str], ...] = (
    (smtplib.SMTPAuthenticationError, ("Почтовый сервер не принял логин или пароль. Проверьте их; для Gmail, "
     "Яндекса и Mail.ru нужен отдельный «пароль приложения».")),
    (smtplib.SMTPRecipientsRefused, ("Почтовый сервер отказался отправлять письмо на {refused}. Проверьте адрес "
     "получателя.")),
    (smtplib.SMTPSenderRefused, ("Почтовый сервер не принимает отправителя {sender}. Обычно это должен быть адрес "
     "того же ящика, от которого указан логин.")),
    (smtplib.SMTPNotSupportedError, ("Почтовый сервер {where} не поддерживает вход по логину и паролю. Проверьте "
     "адрес и порт.")),
    (smtplib.SMTPServerDisconnected, ("Почтовый сервер {where} разорвал соединение. Проверьте порт: 465 — SSL, "
     "587 — STARTTLS.")),
    (smtplib.SMTPResponseException, "Почтовый сервер {where} отклонил письмо (код {code})."),
    (smtplib.SMTPException, "Почтовый сервер {where} не принял письмо."),
    (ssl.SSLCertVerificationError, ("Не удалось проверить сертификат почтового сервера {host}. Проверьте адрес "
     "сервера.")),
    (ssl.SSLError, ("Не удалось установить защищённое соединение с {where}. Проверьте порт: 465 — SSL, "
     "587 — STARTTLS.")),
    (socket.gaierror, "Не найден почтовый сервер {host}. Проверьте адрес и интернет."),
    (TimeoutError, "Почтовый сервер {where} не ответил за {timeout} с. Проверьте адрес, порт и интернет."),
    (ConnectionRefusedError, "Почтовый сервер {where} не принимает подключения. Проверьте адрес и порт."),
    (OSError, "Не удалось подключиться к почтовому серверу {where}: {reason}."),
)


def _detail(exc: BaseException) -> str:
    """For the log: the error's class and, where it has them, the server's code or TLS's reason."""
    name = type(exc).__name__
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{name} {exc.smtp_code}"
    reason = getattr(exc, "verify_message", None) or getattr(exc, "reason", None)  # ssl's, when it gave one
    return f"{name}: {reason}" if isinstance(exc, ssl.SSLError) and reason else name


def split_addresses(value: str | Iterable[str]) -> list[str]:
    """`a@x.kz, b@y.kz; c@z.kz` or a list → clean addresses."""
    items = value.replace(";", ",").split(",") if isinstance(value, str) else list(value)
    return [item.strip() for item in items if item and item.strip()]


def resolve_mode(mode: str, port: int) -> str:
    """`auto` on port 465 is implicit TLS; elsewhere STARTTLS when offered."""
    if mode not in MODES:
        raise ValueError(f"unknown SMTP mode {mode!r}; expected one of {MODES}")
    if mode == "auto" and port == SSL_PORT:
        return "ssl"
    return mode


class EmailChannel(BaseChannel):
    name = "email"

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        to: str | Iterable[str],
        user: str | None = None,
        password: str | None = None,
        *,
        mode: str = "auto",
        timeout: float = 10,
        ssl_context: ssl.SSLContext | None = None,
        local_hostname: str | None = None,
    ) -> None:
        self.host = host
        self.port = int(port)
        self.sender = sender
        self.recipients = split_addresses(to)
        self.user = user or None
        self._password = password or None
        self.mode = resolve_mode(mode, self.port)
        self.timeout = timeout
        self._ssl_context = ssl_context
        # socket.getfqdn() (smtplib's default) may hang on a reverse DNS lookup
        self.local_hostname = local_hostname or socket.gethostname() or "localhost"

    def __repr__(self) -> str:  # never the password
        return f"EmailChannel(host={self.host!r}, port={self.port}, mode={self.mode!r}, to={self.recipients!r})"

    def secrets(self) -> tuple[str, ...]:
        return (self._password,) if self._password else ()

    def build(self, message: AlertMessage) -> EmailMessage:
        email = EmailMessage()
        email["Subject"] = message.title
        email["From"] = self.sender
        email["To"] = ", ".join(self.recipients)
        email["Date"] = formatdate(localtime=True)
        domain = self.sender.rpartition("@")[2] or "localhost"
        email["Message-ID"] = make_msgid(domain=domain)
        email.set_content(message.body, charset="utf-8")
        return email

    def deliver(self, message: AlertMessage) -> None:
        if not self.recipients:
            raise ChannelError("Не указан адрес получателя оповещений (ALERT_EMAIL_TO).")
        email = self.build(message)
        try:
            self._send(email)
        except ChannelError:
            raise
        except (smtplib.SMTPException, OSError) as exc:
            raise self.explain(exc) from None

    def explain(self, exc: smtplib.SMTPException | OSError) -> ChannelError:
        """What went wrong, in the owner's words: the first row of _FAILURES the error is an instance of."""
        refused = getattr(exc, "recipients", None) or self.recipients
        values = {
            "where": f"{self.host}:{self.port}",
            "host": self.host,
            "sender": self.sender,
            "timeout": f"{self.timeout:g}",
            "code": getattr(exc, "smtp_code", ""),
            "refused": ", ".join(refused),
            "reason": getattr(exc, "strerror", None) or type(exc).__name__,
        }
        text = next(text for kind, text in _FAILURES if isinstance(exc, kind))
        return ChannelError(text.format(**values), detail=_detail(exc))

    def _context(self) -> ssl.SSLContext:
        return self._ssl_context or ssl.create_default_context()

    def _send(self, email: EmailMessage) -> None:
        smtp: smtplib.SMTP
        if self.mode == "ssl":
            smtp = smtplib.SMTP_SSL(
                self.host, self.port, local_hostname=self.local_hostname, timeout=self.timeout, context=self._context()
            )
        else:
            smtp = smtplib.SMTP(self.host, self.port, local_hostname=self.local_hostname, timeout=self.timeout)
        try:
            smtp.ehlo()
            secure = self.mode == "ssl"
            if self.mode in ("auto", "starttls"):
                if smtp.has_extn("starttls"):
                    smtp.starttls(context=self._context())
                    smtp.ehlo()
                    secure = True
                elif self.mode == "starttls":
                    raise ChannelError(
                        f"Почтовый сервер {self.host}:{self.port} не поддерживает шифрование STARTTLS. "
                        "Проверьте порт (обычно 587, или 465 для SSL)."
                    )
            if self.user and self._password:
                if not secure and not is_loopback_host(self.host):
                    raise ChannelError(
                        f"Почтовый сервер {self.host}:{self.port} не предлагает шифрование, а пароль нельзя "
                        "отправлять открытым текстом. Укажите порт 465 (SSL) или 587 (STARTTLS)."
                    )
                smtp.login(self.user, self._password)
            smtp.send_message(email, from_addr=self.sender, to_addrs=self.recipients)
        finally:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()
