"""A tiny loopback HTTP layer shared by the Kaspi and amoCRM emulators.

Stdlib only (ThreadingHTTPServer): the emulators ship inside the product for
`kaspi-amo demo`, so they must not pull a web framework. An emulator is any object
with `handle(request) -> Response`; `EmulatorServer` serves it on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol, Self, overload
from urllib.parse import parse_qs, urlsplit


class BadJSON(ValueError):
    """The request body is not valid JSON."""


class DropConnection(Exception):
    """Raised by an emulator to close the socket without answering (fault injection)."""


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-cased names
    body: bytes = b""

    # with a str default the answer is a str: callers may test it without a None check
    @overload
    def header(self, name: str, default: str) -> str: ...
    @overload
    def header(self, name: str, default: None = None) -> str | None: ...
    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)

    @overload
    def arg(self, name: str, default: str) -> str: ...
    @overload
    def arg(self, name: str, default: None = None) -> str | None: ...
    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def json(self) -> Any:
        try:
            return json.loads(self.body.decode("utf-8") or "null")
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BadJSON(str(exc)) from exc


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


def json_response(status: int, payload: Any, content_type: str = "application/json") -> Response:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return Response(status, body, f"{content_type}; charset=utf-8")


def html_response(status: int, html: str) -> Response:
    return Response(status, html.encode("utf-8"), "text/html; charset=utf-8")


Handler = Callable[[Request, dict[str, str]], Response]


class Router:
    """Maps `METHOD /path/{param}` patterns to handlers. A pattern with fewer `{params}`
    wins over one with more (`/leads/notes` before `/leads/{id}`), whatever order they were
    added in, so modules can register their routes independently; among equals, first wins."""

    def __init__(self) -> None:
        self._routes: list[tuple[int, str, re.Pattern[str], Handler]] = []

    def add(self, method: str, pattern: str, handler: Handler) -> None:
        params = pattern.count("{")
        regex = "^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern.rstrip("/")) + "/?$"
        self._routes.append((params, method.upper(), re.compile(regex), handler))
        self._routes.sort(key=lambda route: route[0])  # stable: equals keep their order

    def dispatch(self, request: Request) -> Response | None:
        """The handler's response, or None when no route matches (the caller sends 404)."""
        path_matched = False
        for _params, method, regex, handler in self._routes:
            match = regex.match(request.path)
            if not match:
                continue
            path_matched = True
            if method == request.method:
                return handler(request, match.groupdict())
        if path_matched:
            return Response(405, b"", "text/plain")
        return None


class Emulator(Protocol):
    def handle(self, request: Request) -> Response: ...


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # headers and body go out as separate writes: with Nagle on, a keep-alive client
    # waits ~40 ms per request for the delayed ACK, which would dominate every benchmark
    disable_nagle_algorithm = True
    server: _Server

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        request = Request(
            method=self.command,
            path=parts.path,
            query=parse_qs(parts.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
        )
        try:
            response = self.server.emulator.handle(request)
        except DropConnection:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(2)
            return
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        if (request.header("connection") or "").lower() == "close":
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if response.body and self.command != "HEAD":
            self.wfile.write(response.body)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = _serve  # noqa: N815 - http.server's names

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - BaseHTTPRequestHandler's signature
        """Silence the default stderr access log: the emulators keep their own request log."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], emulator: Emulator) -> None:
        self.emulator = emulator
        super().__init__(address, _Handler)


class Started:
    """`with X() as x:` for what has start() and stop() (an emulator server, the sandbox)."""

    def start(self) -> Self:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class EmulatorServer(Started):
    """Serves one emulator on 127.0.0.1 in a background thread."""

    def __init__(self, emulator: Emulator, host: str = "127.0.0.1", port: int = 0) -> None:
        self._server = _Server((host, port), emulator)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="emulator", daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else host
        return f"http://{name}:{port}"

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
