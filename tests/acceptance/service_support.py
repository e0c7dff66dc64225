"""Helpers for the `run --http` tests: start the daemon as a subprocess, scrape it, record pings."""

from __future__ import annotations

import re
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests
from prometheus_client.parser import text_string_to_metric_families

from tests.acceptance.support import Cli

START_TIMEOUT = 60.0
#: no scheduled cycle during a test: only the start-up poll and reconcile run
QUIET = {"POLL_INTERVAL_SECONDS": "86400", "RECONCILE_INTERVAL_MINUTES": "10080"}


@dataclass
class Daemon:
    """`kaspi-amo run --http …` with its output collected line by line."""

    proc: subprocess.Popen[str]
    out: list[str] = field(default_factory=list)
    err: list[str] = field(default_factory=list)
    url: str = ""

    def text(self) -> str:
        return "\n".join(self.out + self.err)

    def wait_for(self, predicate: Callable[[], object], timeout: float = START_TIMEOUT, what: str = "") -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            if self.proc.poll() is not None:
                raise AssertionError(f"run exited {self.proc.returncode} while waiting for {what}\n{self.text()}")
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what}\n{self.text()}")

    def reports(self, kind: str) -> list[str]:
        """A cycle's summary lines, in whichever language the CLI speaks (it follows the tray's choice)."""
        prefixes = ("Опрос", "Poll", "Сұрау") if kind == "poll" else ("Сверка", "Reconcile", "Салыстыру")
        return [line for line in self.out if line.startswith(prefixes)]

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        return self.proc.returncode


def _pump(stream: Any, into: list[str]) -> None:
    for line in stream:
        into.append(line.rstrip("\n"))


def start_daemon(cli: Cli, *args: str, extra: dict[str, str] | None = None, wait_url: bool = True) -> Daemon:
    proc = cli.popen("run", *args, extra={**QUIET, **(extra or {})})
    daemon = Daemon(proc)
    for stream, into in ((proc.stdout, daemon.out), (proc.stderr, daemon.err)):
        threading.Thread(target=_pump, args=(stream, into), daemon=True).start()
    if wait_url:
        daemon.wait_for(lambda: any("http://" in line for line in daemon.out), what="the endpoint's address")
        line = next(line for line in daemon.out if "http://" in line)
        daemon.url = re.search(r"(http://\S+?)/?\s", line + " ").group(1)  # type: ignore[union-attr]
    return daemon


def scrape(url: str, **kwargs: Any) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """/metrics parsed by prometheus_client's own parser: {(sample name, labels): value}."""
    response = requests.get(url + "/metrics", timeout=10, **kwargs)
    assert response.status_code == 200, response.text
    samples = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def families(url: str, **kwargs: Any) -> dict[str, str]:
    """{family name: type} as the parser reads them."""
    text = requests.get(url + "/metrics", timeout=10, **kwargs).text
    return {family.name: family.type for family in text_string_to_metric_families(text)}


@dataclass
class PingRecorder:
    """A local monitor in the healthchecks.io style: records every request path."""

    status: int = 200
    hits: list[tuple[str, str]] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> PingRecorder:
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                recorder.hits.append(("GET", self.path))
                self.send_response(recorder.status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"OK")

            def do_POST(self) -> None:
                recorder.hits.append(("POST", self.path))
                self.send_response(405)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()


def hammer(url: str, paths: Iterator[str] | list[str], times: int, **kwargs: Any) -> list[int]:
    session = requests.Session()
    return [session.get(url + path, timeout=10, **kwargs).status_code for _ in range(times) for path in paths]
