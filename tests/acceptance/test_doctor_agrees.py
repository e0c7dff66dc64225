"""`kaspi-amo doctor` says what a poll would meet: for each way a configuration can be wrong,
doctor fails with the very line the poll prints on stderr, and both pass on a working one.

Black box: the CLI as a subprocess against the built-in sandbox, as an admin runs it.
"""

from __future__ import annotations

import json
import socket
import time
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest

from app.sandbox.seed import make_order
from app.sandbox.server import Sandbox
from tests.acceptance.support import Cli, describe, hours_ago, stderr_lines
from tests.pg import PG_URL


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def doctor_fails(cli: Cli, **extra: str) -> list[dict[str, str]]:
    result = cli.run("doctor", "--json", extra=extra)
    assert result.returncode == 1, describe(result)
    return [c for c in json.loads(result.stdout)["checks"] if c["status"] == "fail"]


def poll_error(cli: Cli, **extra: str) -> tuple[int, list[str]]:
    result = cli.run("poll", extra=extra)
    assert "Traceback" not in result.stderr, describe(result)
    return result.returncode, stderr_lines(result)


def test_a_working_sandbox_passes_doctor_and_poll(sandbox: Sandbox, cli: Cli) -> None:
    """The sandbox hangs on python-requests' User-Agent, as Kaspi does: doctor must use the client's."""
    sandbox.kaspi.add_order(make_order("960000001", created=hours_ago(1), phone="7016600001"))
    started = time.monotonic()
    result = cli.run("doctor", "--json")
    assert result.returncode == 0, describe(result)
    assert time.monotonic() - started < 15  # no check waited for a hang
    found = {c["name"]: c for c in json.loads(result.stdout)["checks"]}
    assert found["network:Kaspi"]["status"] == "ok" and "токен" in found["network:Kaspi"]["message"]
    assert found["network:amoCRM"]["status"] == "ok"
    assert cli.poll().returncode == 0


@pytest.mark.parametrize("case", ["kaspi token", "amo address", "kaspi address"])
def test_doctor_fails_with_the_line_the_poll_prints(sandbox: Sandbox, cli: Cli, case: str) -> None:
    sandbox.kaspi.add_order(make_order("960000002", created=hours_ago(1), phone="7016600002"))
    port = closed_port()
    extra = {
        "kaspi token": {"KASPI_API_TOKEN": "regenerated-in-the-cabinet"},
        "amo address": {"AMO_BASE_URL": f"http://127.0.0.1:{port}"},
        "kaspi address": {"KASPI_BASE_URL": f"http://127.0.0.1:{port}/shop/api/v2"},
    }[case]
    fails = doctor_fails(cli, **extra)
    code, lines = poll_error(cli, **extra)
    assert code == 1 and len(lines) == 1, lines  # one clear line, not one per order
    assert [f["message"] for f in fails] == lines
    if case != "kaspi token":
        setting = next(iter(extra))
        assert setting in lines[0] and f"127.0.0.1:{port}" in lines[0]


def test_a_missing_postgres_database_is_the_same_line_and_exit_2(sandbox: Sandbox, cli: Cli, pg_admin: object) -> None:
    parts = urlsplit(PG_URL)
    missing = urlunsplit(parts._replace(path=f"/no_such_db_{uuid.uuid4().hex[:8]}"))
    fails = doctor_fails(cli, DATABASE_URL=missing)
    code, lines = poll_error(cli, DATABASE_URL=missing)
    assert code == 2 and [f["message"] for f in fails] == lines
    assert "no_such_db_" in lines[0] and "CREATE DATABASE" in lines[0]


def test_a_headless_admin_is_told_which_settings_and_commands(cli: Cli) -> None:
    result = cli.run("doctor", "--no-network", drop=("KASPI_API_TOKEN", "AMO_BASE_URL"))
    assert result.returncode == 0, describe(result)
    line = next(line for line in result.stdout.splitlines() if line.startswith("[WARN]") and "KASPI_API_TOKEN" in line)
    assert "AMO_BASE_URL" in line and ".env" in line and "kaspi-amo poll --dry-run" in line
