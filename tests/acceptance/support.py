"""Helpers for the acceptance tests: run the CLI as a subprocess, read the emulated amoCRM.

Only the CLI (exit code, stdout, stderr, `status --json`) and the emulators' public state are
observed; the engine (app.sync, app.amo, app.kaspi, app.store) is never imported here.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests

from app.sandbox.server import Sandbox

RUN_TIMEOUT = 150  # seconds; a poll may legitimately wait for a lock held by another one


def now_utc() -> datetime:
    return datetime.now(UTC)


def hours_ago(hours: float) -> datetime:
    return now_utc() - timedelta(hours=hours)


def base_env(home: Path) -> dict[str, str]:
    """A minimal environment: nothing of the developer's shell leaks into the product."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", str(home.parent)),
           "LANG": "C.UTF-8"}  # a locale the app does not ship: the CLI speaks Russian, its default
    env.update({"KASPI_AMO_HOME": str(home), "KASPI_AMO_SECRETS": "file"})
    return env


@dataclass
class Cli:
    """`kaspi-amo` run as a subprocess in its own temporary home against one sandbox."""

    sandbox: Sandbox
    cwd: Path
    home: Path
    env: dict[str, str] = field(default_factory=dict)

    @classmethod
    def create(cls, sandbox: Sandbox, tmp_path: Path) -> Cli:
        home = tmp_path / "home"
        env = {**base_env(home), **sandbox.env()}
        return cls(sandbox=sandbox, cwd=tmp_path, home=home, env=env)

    def make_env(self, extra: dict[str, str] | None = None, drop: Sequence[str] = ()) -> dict[str, str]:
        env = dict(self.env)
        env.update(extra or {})
        for name in drop:
            env.pop(name, None)
        return env

    def run(self, *args: str, extra: dict[str, str] | None = None, drop: Sequence[str] = (),
            env: dict[str, str] | None = None, timeout: float = RUN_TIMEOUT) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "app", *args],
            env=env if env is not None else self.make_env(extra, drop),
            cwd=self.cwd, capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=timeout,
        )

    def popen(self, *args: str, extra: dict[str, str] | None = None) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "app", *args], env=self.make_env(extra), cwd=self.cwd,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace",
        )

    def poll(self, **kwargs: Any) -> subprocess.CompletedProcess[str]:
        return self.run("poll", **kwargs)

    def status(self, **kwargs: Any) -> dict[str, Any]:
        result = self.run("status", "--json", **kwargs)
        assert result.returncode == 0, describe(result)
        return json.loads(result.stdout)


def describe(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\n--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"


def stderr_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


def assert_clear_failure(result: subprocess.CompletedProcess[str]) -> None:
    """A failure a person can read: something on stderr, and no Python traceback."""
    assert stderr_lines(result), describe(result)
    assert "Traceback" not in result.stderr, describe(result)
    assert "Traceback" not in result.stdout, describe(result)


# --- reading the emulated amoCRM --------------------------------------------------------------


def the_lead(sandbox: Sandbox, code: str) -> dict[str, Any]:
    leads = sandbox.amo.leads_named(f"Kaspi #{code}")
    assert len(leads) == 1, f"expected exactly one lead for {code}, found {len(leads)}"
    return leads[0]


def product_links(sandbox: Sandbox, lead_id: int) -> list[dict[str, Any]]:
    return [link for link in sandbox.amo.links_for(lead_id) if link["to_entity_type"] == "catalog_elements"]


def common_notes(sandbox: Sandbox, lead_id: int) -> list[str]:
    return [n["params"].get("text", "") for n in sandbox.amo.notes_for(lead_id) if n["note_type"] == "common"]


def element_field(element: dict[str, Any], code: str) -> str | None:
    for f in element.get("custom_fields_values") or []:
        if f.get("field_code") == code and f["values"]:
            return str(f["values"][0]["value"])
    return None


def elements_with_sku(sandbox: Sandbox, sku: str) -> list[dict[str, Any]]:
    return [dict(e) for e in list(sandbox.amo.catalog_elements.values())
            if not e.get("is_deleted") and element_field(e, "SKU") == sku]


_THOUSANDS = re.compile(r"(?<=\d)[\s\u00a0\u202f\u2009'](?=\d{3}(?!\d))")


def numbers_in(text: str) -> list[float]:
    """Every number a person reads in `text` ("15 990,5 ₸" → 15990.5)."""
    text = _THOUSANDS.sub("", text)
    return [float(t.replace(",", ".")) for t in re.findall(r"\d+(?:[.,]\d+)?", text)]


def has_number(values: list[float], expected: float, tolerance: float = 0.0) -> bool:
    return any(abs(v - expected) <= tolerance + 1e-9 for v in values)


def assert_entry_line(note: str, *, sku: str, name: str, quantity: float, unit_price: float) -> None:
    """One line of the note names the entry and gives quantity, unit price and line total."""
    lines = [line for line in note.splitlines() if sku in line]
    assert len(lines) == 1, f"expected one note line for SKU {sku}, got {lines!r}\n{note}"
    line = lines[0]
    assert name in line, f"entry name {name!r} missing from note line {line!r}"
    values = numbers_in(line.replace(name, " ").replace(sku, " "))
    tolerance = 0.0 if float(unit_price).is_integer() else 1.0  # "whole tenge" rounding is acceptable
    assert has_number(values, quantity), f"quantity {quantity} missing from {line!r}"
    assert has_number(values, unit_price, tolerance), f"unit price {unit_price} missing from {line!r}"
    line_total = round(quantity * unit_price, 2)
    assert has_number(values, line_total, tolerance), f"line total {line_total} missing from {line!r}"


def contact_snapshot(sandbox: Sandbox, contact_id: int) -> dict[str, Any]:
    contact = dict(sandbox.amo.contacts[contact_id])
    contact.pop("updated_at", None)
    return json.loads(json.dumps(contact))


def all_lead_contact_ids(sandbox: Sandbox) -> set[int]:
    return {cid for lid in list(sandbox.amo.leads) for cid in sandbox.amo.lead_contact_ids(lid)}


# --- faults -----------------------------------------------------------------------------------


def outage_when(sandbox: Sandbox, trigger: Callable[[Any], bool], count: int = 200, status: int = 503) -> None:
    """From the first amoCRM request for which `trigger(request)` holds (evaluated before it is
    answered), amoCRM answers `status` to the next `count` API requests (`fail_next`)."""
    amo = sandbox.amo
    original = amo.handle
    armed = threading.Event()
    armed.set()
    lock = threading.Lock()

    def handle(request: Any) -> Any:
        with lock:
            if armed.is_set() and trigger(request):
                armed.clear()
                amo.fail_next(count, status)
        return original(request)

    amo.handle = handle  # type: ignore[method-assign]


def end_outage(sandbox: Sandbox) -> None:
    """Use up whatever injected failures are left (each /api/v4 request consumes one)."""
    session = requests.Session()
    for _ in range(10_000):
        if session.get(sandbox.amo_base_url + "/api/v4/account", timeout=10).status_code not in (500, 502, 503, 504):
            return
    raise AssertionError("the injected amoCRM outage never ended")
