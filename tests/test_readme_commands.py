"""The README's command tables are a contract: every exit code they document (Russian table and
English table alike) is produced here by the real CLI, in a subprocess, in the situation the
table names; and the tables document exactly the codes these situations produce.

A code added to the README without a situation here, or a situation whose code the README does
not list, fails `test_the_tables_document_what_the_cli_does`.
"""

from __future__ import annotations

import contextlib
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from app.sandbox.seed import make_order
from app.sandbox.server import Sandbox
from tests.acceptance.support import Cli, describe, hours_ago
from tests.pg import PG_URL

ROOT = Path(__file__).resolve().parents[1]
TABLE_HEADERS = {"ru": "| Команда | Что делает | Код выхода |", "en": "| Command | What it does | Exit code |"}


def command_key(cell: str) -> str:
    """`kaspi-amo poll [--dry-run]` → "poll"; `kaspi-amo` → ""; `kaspi-amo [КОМАНДА] --help` → "--help"."""
    words = re.search(r"`([^`]*)`", cell).group(1).split()  # type: ignore[union-attr]
    if "--help" in words:
        return "--help"
    return words[1] if len(words) > 1 else ""


def documented_codes(language: str) -> set[tuple[str, int]]:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    start = lines.index(TABLE_HEADERS[language])
    found: set[tuple[str, int]] = set()
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        codes = re.findall(r"(?<![\w.:/%-])([0-9])(?![\w.:/%])", cells[-1])
        assert codes, f"no exit code in README row: {line}"
        found |= {(command_key(cells[0]), int(code)) for code in codes}
    return found


# --- the situations --------------------------------------------------------------------------


@dataclass
class Rig:
    sandbox: Sandbox
    cli: Cli
    tmp: Path
    request: pytest.FixtureRequest

    def run(self, *args: str, **kw: object) -> int:
        result = self.cli.run(*args, **kw)  # type: ignore[arg-type]
        assert "Traceback" not in result.stderr + result.stdout, describe(result)
        return result.returncode

    def shadow(self, package: str) -> dict[str, str]:
        """An environment in which `import package` fails, as on a machine without it."""
        folder = self.tmp / f"without-{package}" / package
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "__init__.py").write_text(f"raise ImportError('{package} is not installed here')\n")
        return {"PYTHONPATH": str(folder.parent)}

    def missing_database(self) -> str:
        self.request.getfixturevalue("pg_admin")  # PostgreSQL up (or the documented skip)
        return urlunsplit(urlsplit(PG_URL)._replace(path=f"/no_such_db_{uuid.uuid4().hex[:8]}"))

    def popen(self, *args: str, ignore_term: bool = False, **extra: str) -> subprocess.Popen[str]:
        def early_term_ignored() -> None:  # until the app installs its own SIGTERM handler
            signal.signal(signal.SIGTERM, signal.SIG_IGN)

        return subprocess.Popen([sys.executable, "-m", "app", *args], env=self.cli.make_env(extra), cwd=self.tmp,
                                text=True, encoding="utf-8", stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                preexec_fn=early_term_ignored if ignore_term else None)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database_down() -> dict[str, str]:
    return {"DATABASE_URL": f"postgresql://postgres@127.0.0.1:{closed_port()}/kaspi"}


def wrong_amo() -> dict[str, str]:
    return {"AMO_BASE_URL": f"http://127.0.0.1:{closed_port()}"}


def terminate(proc: subprocess.Popen[str], signum: int, deadline: float = 60, again_after: float = 10) -> int:
    """Send `signum`, again only if it went unheard (ignored before the app took it over): a
    second one during a clean shutdown would meet Python's default handler again."""
    end = time.monotonic() + deadline
    while proc.poll() is None and time.monotonic() < end:
        proc.send_signal(signum)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(again_after)
    if proc.poll() is None:
        proc.kill()
    out, err = proc.communicate(timeout=30)
    assert "Traceback" not in out + err, out + err
    return proc.returncode


def gui_quit(rig: Rig) -> int:
    proc = rig.popen(ignore_term=True, QT_QPA_PLATFORM="offscreen")
    deadline = time.monotonic() + 60
    while not rig.sandbox.amo.leads and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)  # the tray app is up and synced its first order
    assert rig.sandbox.amo.leads, "the tray app never synced"
    time.sleep(0.5)
    return terminate(proc, signal.SIGTERM)


def run_stop(rig: Rig) -> int:
    proc = rig.popen("run")
    assert proc.stdout is not None
    proc.stdout.readline()  # "синхронизация запущена": the handlers are installed
    return terminate(proc, signal.SIGTERM)


def sandbox_stop(rig: Rig) -> int:
    proc = rig.popen("sandbox")
    assert proc.stdout is not None
    proc.stdout.readline()  # the first variable: serving
    return terminate(proc, signal.SIGINT)


def sandbox_port_taken(rig: Rig) -> int:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        return rig.run("sandbox", "--kaspi-port", str(busy.getsockname()[1]))


def sandbox_foreign_env_file(rig: Rig) -> int:
    (rig.tmp / "mine.env").write_text("KASPI_API_TOKEN=real\n", encoding="utf-8")
    return rig.run("sandbox", "--env-file", str(rig.tmp / "mine.env"))


def demo_blocked(rig: Rig) -> int:
    (rig.cli.home / "data").mkdir(parents=True, exist_ok=True)
    (rig.cli.home / "data" / "demo").write_text("not a folder", encoding="utf-8")
    return rig.run("demo")


def quit_running_tray(rig: Rig) -> int:
    proc = rig.popen(ignore_term=True, QT_QPA_PLATFORM="offscreen")
    try:
        deadline = time.monotonic() + 60
        while not rig.sandbox.amo.leads and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        code = rig.run("quit", extra={"QT_QPA_PLATFORM": "offscreen"})
        assert proc.wait(60) == 0  # the tray app itself ended cleanly
        return code
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=30)


Situation = Callable[[Rig], int]
SITUATIONS: dict[tuple[str, int], dict[str, Situation]] = {
    ("", 0): {"quit": gui_quit},
    ("", 1): {"no Qt": lambda r: r.run(env={**r.cli.make_env(r.shadow("PySide6"))})},
    ("--version", 0): {"version": lambda r: r.run("--version")},
    ("--help", 0): {"help": lambda r: r.run("--help"), "command help": lambda r: r.run("status", "--help")},
    ("--help", 2): {"unknown command": lambda r: r.run("pol"), "unknown option": lambda r: r.run("poll", "--dryrun")},
    ("forget-secrets", 0): {"forget": lambda r: r.run("forget-secrets")},
    ("quit", 0): {"nothing running": lambda r: r.run("quit", extra={"QT_QPA_PLATFORM": "offscreen"}),
                  "tray running": quit_running_tray},
    ("quit", 1): {"no Qt": lambda r: r.run("quit", extra=r.shadow("PySide6"))},
    ("demo", 0): {"demo": lambda r: r.run("demo")},
    ("demo", 1): {"folder blocked": demo_blocked},
    ("doctor", 0): {"sandbox": lambda r: r.run("doctor")},
    ("doctor", 1): {"wrong AMO_BASE_URL": lambda r: r.run("doctor", extra=wrong_amo())},
    ("sandbox", 0): {"stopped": sandbox_stop},
    ("sandbox", 2): {"port taken": sandbox_port_taken, "foreign env file": sandbox_foreign_env_file},
    ("run", 0): {"SIGTERM": run_stop},
    ("run", 1): {"database down": lambda r: r.run("run", extra=database_down())},
    ("run", 2): {"no token": lambda r: r.run("run", drop=("KASPI_API_TOKEN",)),
                 "--http off loopback, no password": lambda r: r.run("run", "--http", "0.0.0.0:0")},
}


def _sync_situations(c: str) -> None:
    """poll and reconcile fail alike; a function so each lambda closes over its own command."""
    SITUATIONS[(c, 0)] = {"sandbox": lambda r: r.run(c)}
    SITUATIONS[(c, 1)] = {
        "wrong AMO_BASE_URL": lambda r: r.run(c, extra=wrong_amo()),
        "Kaspi refuses the token": lambda r: r.run(c, extra={"KASPI_API_TOKEN": "regenerated"}),
        "database down": lambda r: r.run(c, extra=database_down()),
    }
    SITUATIONS[(c, 2)] = {
        "no token": lambda r: r.run(c, drop=("KASPI_API_TOKEN",)),
        "no such database": lambda r: r.run(c, extra={"DATABASE_URL": r.missing_database()}),
        "no psycopg": lambda r: r.run(c, extra={"DATABASE_URL": PG_URL, **r.shadow("psycopg")}),
        "invalid setting": lambda r: r.run(c, extra={"AMO_PIPELINE_ID": "main"}),
    }


def _store_situations(c: str) -> None:
    """status and migrate only need the store."""
    SITUATIONS[(c, 0)] = {"fresh home": lambda r: r.run(c)}
    SITUATIONS[(c, 1)] = {"database down": lambda r: r.run(c, extra=database_down())}
    SITUATIONS[(c, 2)] = {
        "no such database": lambda r: r.run(c, extra={"DATABASE_URL": r.missing_database()}),
        "no psycopg": lambda r: r.run(c, extra={"DATABASE_URL": PG_URL, **r.shadow("psycopg")}),
        "bad DATABASE_URL": lambda r: r.run(c, extra={"DATABASE_URL": "mysql://shop@db/kaspi"}),
    }


for _command in ("poll", "reconcile"):
    _sync_situations(_command)
for _command in ("status", "migrate"):
    _store_situations(_command)
SITUATIONS[("quality", 0)] = {"sandbox": lambda r: r.run("quality"), "json": lambda r: r.run("quality", "--json")}
SITUATIONS[("quality", 1)] = {"Kaspi refuses the token": lambda r: r.run("quality", extra={"KASPI_API_TOKEN": "regenerated"})}
SITUATIONS[("quality", 2)] = {"no token": lambda r: r.run("quality", drop=("KASPI_API_TOKEN",))}
SITUATIONS[("status", 0)]["json"] = lambda r: r.run("status", "--json")
SITUATIONS[("status", 2)]["no demo yet"] = lambda r: r.run("status", "--demo")

CASES = [(command, code, name) for (command, code), named in SITUATIONS.items() for name in named]


def test_the_tables_document_what_the_cli_does() -> None:
    ru, en = documented_codes("ru"), documented_codes("en")
    assert ru == en, f"the Russian and English tables differ: {sorted(ru ^ en)}"
    tested = set(SITUATIONS)
    assert ru == tested, (f"documented but not run here: {sorted(ru - tested)}; "
                          f"run here but not documented: {sorted(tested - ru)}")


@pytest.mark.parametrize("command, code, name", CASES, ids=[f"{c or 'tray'}-{n}-{s}" for c, n, s in CASES])
def test_documented_exit_code(command: str, code: int, name: str, sandbox: Sandbox, tmp_path: Path,
                              request: pytest.FixtureRequest) -> None:
    sandbox.kaspi.add_order(make_order("990000001", created=hours_ago(1), phone="7019900001"))
    rig = Rig(sandbox, Cli.create(sandbox, tmp_path), tmp_path, request)
    assert SITUATIONS[(command, code)][name](rig) == code
