"""The HTTP endpoint of `kaspi-amo run --http`: /metrics, /healthz, /readyz and the status page.

Why the standard library's ThreadingHTTPServer: four read-only GET routes need no web
framework (and no extra dependency in a container or a frozen bundle); a thread per
request means a slow client never holds up Prometheus or a probe. It runs on a daemon
thread of its own, so it never blocks the sync (the scheduler has its own thread) and
never keeps the process alive after `run` stops.

Store reads go through one reader thread: every request shares one database connection
(no connection per request, no pile-up of reads when many clients ask at once), and a
read that hangs is given up after READ_TIMEOUT with a 503 instead of a stuck request.
Nothing here calls Kaspi or amoCRM, and nothing writes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import socket
import socketserver
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from prometheus_client.exposition import choose_encoder

from app import APP_NAME
from app.errors import ConfigError
from app.lang import Translator
from app.net import ListenAddress
from app.service.metrics import ServiceMetrics
from app.service.page import StatusPage
from app.service.snapshot import Readiness, ServiceSnapshot, read_snapshot, readiness
from app.store.base import Store
from app.sync.deadlines import DeadlineRules
from app.sync.events import CycleReport

log = logging.getLogger(__name__)

READ_TIMEOUT = 10.0  # seconds a store read may take before the answer is "unavailable"
REQUEST_TIMEOUT = 15.0  # seconds a client may take to send its request
RECENT_ORDERS = 30
REALM = "kaspi-amo"
PUBLIC_PATHS = frozenset({"/healthz"})  # a liveness probe needs no password, and shows nothing


def require_password_rule(address: ListenAddress, password: str | None) -> None:
    """Only this computer may reach an endpoint without a password."""
    if not address.loopback and not password:
        raise ConfigError(
            f"Адрес {address} открыт не только для этого компьютера, а пароль не задан. Задайте "
            "KASPI_AMO_HTTP_PASSWORD (вход по HTTP basic auth) или слушайте 127.0.0.1."
        )


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class ServiceApp:
    """Routes and rules, apart from the socket code (tests and benchmarks call `handle`)."""

    def __init__(
        self,
        store: Store,
        *,
        metrics: ServiceMetrics | None = None,
        requests: Callable[[], Mapping[str, int]] = dict,
        page: StatusPage,
        t: Translator,
        heartbeat_minutes: int,
        now: Callable[[], datetime],
        password: str | None = None,
        rules: DeadlineRules | None = None,
    ) -> None:
        self.store = store
        self.page = page
        self.t = t
        self.heartbeat_minutes = heartbeat_minutes
        self.now = now
        self.rules = rules or DeadlineRules()  # the shop's ALERT_ACCEPT_MINUTES / ALERT_HANDOVER_HOURS
        self._password = _digest(password) if password else None
        self._reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="http-store-reader")
        self.metrics = metrics or ServiceMetrics(lambda: self.read(), requests)

    def read(self, recent: int = 0) -> ServiceSnapshot:
        """One snapshot, read on the reader thread; raises when the store cannot answer in time."""
        return self._reader.submit(read_snapshot, self.store, self.now(), recent=recent, rules=self.rules).result(READ_TIMEOUT)

    def observe(self, report: CycleReport) -> None:
        self.metrics.observe(report)

    def close(self) -> None:
        self._reader.shutdown(wait=False, cancel_futures=True)

    # --- requests -----------------------------------------------------------------------

    def authorized(self, header: str | None) -> bool:
        """HTTP basic auth: any user name, the password compared in constant time."""
        if self._password is None:
            return True
        scheme, _, token = (header or "").partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return False
        _user, sep, password = decoded.partition(":")
        return bool(sep) and hmac.compare_digest(_digest(password), self._password)

    def handle(self, method: str, target: str, headers: Mapping[str, str]) -> Response:
        path = urlsplit(target).path or "/"
        if method not in ("GET", "HEAD"):
            return Response(HTTPStatus.METHOD_NOT_ALLOWED, b"", {"Allow": "GET, HEAD"})
        if path not in PUBLIC_PATHS and not self.authorized(headers.get("Authorization")):
            return Response(HTTPStatus.UNAUTHORIZED, b"", {"WWW-Authenticate": f'Basic realm="{REALM}", charset="UTF-8"'})
        if path == "/healthz":
            return Response(HTTPStatus.OK, b"ok\n", {"Content-Type": "text/plain; charset=utf-8"})
        if path == "/readyz":
            return self._readyz()
        if path == "/metrics":
            return self._metrics(headers.get("Accept"))
        if path == "/":
            return self._page()
        return Response(HTTPStatus.NOT_FOUND, b"not found\n", {"Content-Type": "text/plain; charset=utf-8"})

    def _readiness(self, snap: ServiceSnapshot | None) -> Readiness | None:
        return None if snap is None else readiness(snap.status, snap.read_at, self.heartbeat_minutes)

    def _try_read(self, recent: int = 0) -> ServiceSnapshot | None:
        try:
            return self.read(recent)
        except Exception as exc:  # noqa: BLE001 - an unreadable store is an answer (503), not a crash
            log.warning("http: store unreadable", extra={"error": str(exc)})
            return None

    def _readyz(self) -> Response:
        snap = self._try_read()
        ready = self._readiness(snap)
        t = self.t
        if ready is None:
            body: dict[str, Any] = {"ready": False, "code": "store_unavailable",
                                    "reason": t.tr("База данных недоступна: состояние не прочитать.")}
        else:
            if ready.ready:
                reason = t.tr("Последняя успешная синхронизация была {seconds} с назад.",
                              seconds=round(ready.age_seconds or 0))
            elif ready.code == "no_success_yet":
                reason = t.tr("Успешной синхронизации ещё не было.")
            else:
                reason = t.tr("Последняя успешная синхронизация была {minutes} мин назад, дольше "
                              "ALERT_HEARTBEAT_MINUTES ({limit} мин).",
                              minutes=int((ready.age_seconds or 0) // 60), limit=ready.heartbeat_minutes)
            body = ready.to_json(reason)
            body["last_error"] = self.page.redact(body["last_error"]) if body["last_error"] else None
        status = HTTPStatus.OK if ready is not None and ready.ready else HTTPStatus.SERVICE_UNAVAILABLE
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        return Response(status, data, {"Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store"})

    def _metrics(self, accept: str | None) -> Response:
        encoder, content_type = choose_encoder(accept or "")
        return Response(HTTPStatus.OK, encoder(self.metrics.registry), {"Content-Type": content_type})

    def _page(self) -> Response:
        snap = self._try_read(RECENT_ORDERS)
        html = self.page.render(snap, self._readiness(snap))
        return Response(HTTPStatus.OK, html.encode("utf-8"), {
            "Content-Type": "text/html; charset=utf-8",
            "Cache-Control": "no-store",
            # nothing to run, nothing to submit, no frame, no referrer to amoCRM
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; "
                                       "frame-ancestors 'none'; base-uri 'none'",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
        })


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = APP_NAME
    sys_version = ""  # no Python version in the Server header
    timeout = REQUEST_TIMEOUT
    protocol_version = "HTTP/1.1"
    # headers and body go out as two writes; with Nagle on, a keep-alive client's delayed ACK
    # held every answer ~40 ms (measured: benchmarks/service_bench.py)
    disable_nagle_algorithm = True

    def _answer(self) -> None:
        try:
            response = self.server.app.handle(self.command, self.path, self.headers)  # type: ignore[arg-type]
        except Exception:
            log.exception("http: request failed", extra={"path": urlsplit(self.path).path})
            response = Response(HTTPStatus.INTERNAL_SERVER_ERROR, b"internal error\n")
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _answer  # noqa: N815 - http.server's names

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - BaseHTTPRequestHandler's signature
        log.debug("http: %s", format % args)  # the request line and status only: never a header


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    app: ServiceApp

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks up the host's FQDN, which can hang on a server with slow DNS
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)


class _Server6(_Server):
    address_family = socket.AF_INET6


class ServiceServer:
    """Owns the listening socket and its thread; `start` binds, `stop` closes."""

    def __init__(self, app: ServiceApp, address: ListenAddress) -> None:
        self.app = app
        self.address = address
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> ListenAddress:
        """Bind and serve; returns the bound address (port 0 picks a free one)."""
        server_class = _Server6 if ":" in self.address.host else _Server
        try:
            server = server_class((self.address.host, self.address.port), _Handler)
        except OSError as exc:
            raise ConfigError(f"Не удалось открыть HTTP-адрес {self.address}: {exc.strerror or exc}. "
                              "Укажите другой адрес или порт в --http / KASPI_AMO_HTTP.") from None
        server.app = self.app
        self._server = server
        self.address = ListenAddress(self.address.host, server.server_address[1])
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.5},
                                        name="http-endpoint", daemon=True)
        self._thread.start()
        log.info("http endpoint listening", extra={"address": str(self.address)})
        return self.address

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        self.app.close()
