"""One rule for "is this address this computer?": plain http and relaxed checks are allowed
only for loopback (the sandbox, a local SMTP relay), everything else needs TLS."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from urllib3.exceptions import MaxRetryError, NewConnectionError

from app.errors import ConfigError


def is_loopback_host(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_loopback_url(url: str) -> bool:
    return is_loopback_host(urlsplit(url).hostname)


@dataclass(frozen=True)
class ListenAddress:
    """Where `run --http` listens; 127.0.0.1 unless the admin names another host."""

    host: str
    port: int

    @property
    def loopback(self) -> bool:
        return is_loopback_host(self.host)

    def url(self, path: str = "/") -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{path}"

    def __str__(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


DEFAULT_LISTEN_HOST = "127.0.0.1"


def parse_listen_address(name: str, raw: str) -> ListenAddress:
    """`HOST:PORT`, `[v6]:PORT`, `:PORT` or a bare `PORT` (the last two on 127.0.0.1)."""
    text = raw.strip()
    host, sep, port_text = text.rpartition(":")
    if not sep:
        host, port_text = "", text
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    elif ":" in host:
        host = ""  # an IPv6 address without brackets: its last group is not a port
        port_text = ""
    try:
        port = int(port_text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535 or any(c.isspace() for c in host):
        raise ConfigError(f"{name}: ожидается HOST:PORT (например 127.0.0.1:9464), получено {raw!r}.")
    return ListenAddress(host or DEFAULT_LISTEN_HOST, port)
def never_sent(exc: requests.exceptions.RequestException) -> bool:
    """True when the request provably did not reach the server: the connection was never made.

    The one rule both API clients use before sending a write again (a write that may have
    arrived is never repeated blindly)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    if isinstance(exc, requests.exceptions.ConnectionError) and not isinstance(exc, requests.exceptions.SSLError):
        reason = exc.args[0] if exc.args else None
        if isinstance(reason, MaxRetryError):
            reason = reason.reason
        return isinstance(reason, NewConnectionError)  # refused, unreachable, DNS failure
    return False


def origin(url: str | None) -> str:
    """scheme://host[:port] of a URL: what a message may show (no user, password, path or query)."""
    if not url:
        return ""
    parts = urlsplit(url)
    if not parts.hostname:
        return "?"
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        port = ""
    return f"{parts.scheme}://{parts.hostname}{port}"


def connection_failure(exc: BaseException) -> str:
    """Why a connection was not made, in a few Russian words (the engine's language)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return "сервер не ответил на попытку соединения"
    text = str(exc).lower()
    if any(m in text for m in ("name or service not known", "nodename nor servname", "getaddrinfo failed",
                               "name resolution", "no address associated")):
        return "такой адрес не найден (DNS)"
    if "refused" in text or "10061" in text:
        return "в соединении отказано (по этому адресу никто не принимает запросы)"
    if "unreachable" in text:
        return "сеть или адрес недоступны"
    return "соединение не установлено"


def unreachable_message(url: str, setting: str, exc: BaseException) -> str:
    """One line for a host that never answered in this run, naming the setting and the address
    (a request `never_sent` reached it: a wrong address or no internet, not a busy server)."""
    return (f"нет соединения с {origin(url)} ({setting}): {connection_failure(exc)}. "
            f"Проверьте адрес в {setting} и подключение к интернету.")


def with_scheme(address: str) -> str:
    """An address as people type it (`kaspi.kz/shop/api/v2`, `127.0.0.1:8801`) with the scheme
    it needs: https, or plain http for this computer; a typed scheme is kept."""
    text = (address or "").strip().rstrip("/")
    if not text or "://" in text:
        return text
    host = urlsplit(f"//{text}").hostname
    return f"{'http' if is_loopback_host(host) else 'https'}://{text}"
