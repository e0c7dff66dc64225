#!/usr/bin/env python
"""The fault matrix: every Kaspi order must reach amoCRM exactly once, whatever breaks.

Each case starts a fresh sandbox (the Kaspi and amoCRM emulators on 127.0.0.1) with a few
orders in flight, injects one fault, runs recovery cycles until the backlog is empty, then
audits amoCRM: duplicates (leads per `Kaspi #code`, order notes per lead, contacts per
buyer phone, catalog products per SKU — each beyond the first), lost orders (in an allowed
Kaspi state without a lead) and incomplete deals (a lead without its note, contact or
product links). Expected everywhere: 0, 0, 0.

    .venv/bin/python scripts/fault_suite.py            # every case (a few minutes)
    .venv/bin/python scripts/fault_suite.py --quick    # sampled kill points, no 30 s timeouts
    .venv/bin/python scripts/fault_suite.py --only 1,6 # some groups; prints, does not write
    .venv/bin/python scripts/fault_suite.py --list     # the case keys

writes docs/reliability.md (unless --only or --no-write) and exits 1 when a case failed.
tests/test_fault_suite.py runs the same case functions, so the document and the tests
cannot disagree.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import logging
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.amo.api import AmoApi  # noqa: E402
from app.amo.client import AmoClient  # noqa: E402
from app.amo.oauth import OAuthClient, TokenManager  # noqa: E402
from app.amo.ratelimit import RateLimiter  # noqa: E402
from app.amo.tokens import MemoryTokenStore, TokenPair  # noqa: E402
from app.bootstrap import Runtime, build_runtime  # noqa: E402
from app.clock import utc_now  # noqa: E402
from app.config import load_settings  # noqa: E402
from app.errors import StoreLockedError  # noqa: E402
from app.sandbox.http import DropConnection  # noqa: E402
from app.sandbox.seed import SandboxEntry, SandboxOrder, make_order  # noqa: E402
from app.sandbox.server import Sandbox  # noqa: E402
from app.store.factory import open_store  # noqa: E402
from app.sync.engine import Engine  # noqa: E402
from app.sync.events import CycleReport  # noqa: E402

ALLOWED = ("NEW", "SIGN_REQUIRED", "PICKUP", "DELIVERY", "KASPI_DELIVERY")
WRITES = frozenset({"POST", "PATCH", "PUT", "DELETE"})
DB_NAME = "kaspi-amo.sqlite3"
CLI_TIMEOUT = 240.0  # a CLI poll may wait 120 s for a run lock
MAX_RECOVERY = 6  # recovery cycles before a case gives up ("not drained")
KILL_K_MAX = 12  # tests cover kill points 1..KILL_K_MAX; the clean poll must need no more requests
QUICK_KILL_POINTS = ((1, "before"), (4, "after"), (5, "after"), (8, "after"), (10, "after"))
OUT = ROOT / "docs" / "reliability.md"


# --- orders -----------------------------------------------------------------------------------

_PRODUCTS = (
    ("FS-CASE-15", "Чехол Spigen для iPhone 15", 4990.0),
    ("FS-ANKER-20W", "Зарядное устройство Anker 20W", 7990.0),
    ("FS-USBC-1M", "Кабель USB-C 1 м", 1990.0),
)
_BUYERS = (
    ("7011112233", "Айгерим", "Садыкова"),
    ("7022223344", "Ерлан", "Жумабаев"),
    ("7053334455", "Динара", "Абенова"),
    ("7074445566", "Нурлан", "Касымов"),
    ("7775556677", "Асель", "Омарова"),
)


def flight(count: int = 3, *, start: int = 870000001, now: datetime | None = None) -> list[SandboxOrder]:
    """`count` new orders: 2 entries each from 3 SKUs; 3 orders → 2 buyers, the first one twice."""
    now = now or datetime.now(UTC)
    orders = []
    for i in range(count):
        phone, first, last = _BUYERS[(0, 1, 0)[i] if count <= 3 else i % len(_BUYERS)]
        entries = [SandboxEntry(sku, name, 1 + (i + j) % 2, price)
                   for j, (sku, name, price) in enumerate((_PRODUCTS[i % 3], _PRODUCTS[(i + 1) % 3]))]
        orders.append(make_order(str(start + i), created=now - timedelta(minutes=40 - i), phone=phone,
                                 first_name=first, last_name=last, entries=entries))
    return orders


# --- the audit --------------------------------------------------------------------------------


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value or "")


def _element_sku(element: dict) -> str | None:
    for f in element.get("custom_fields_values") or []:
        if f.get("field_code") == "SKU" and f.get("values"):
            return str(f["values"][0]["value"])
    return None


@dataclass
class Audit:
    leads: int = 0  # extra leads per `Kaspi #code`
    notes: int = 0  # extra order notes per lead
    contacts: int = 0  # extra contacts per buyer phone
    products: int = 0  # extra catalog elements per SKU
    lost: list[str] = field(default_factory=list)
    incomplete: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)

    @property
    def duplicates(self) -> int:
        return self.leads + self.notes + self.contacts + self.products

    @property
    def clean(self) -> bool:
        return self.duplicates == 0 and not self.lost and not self.incomplete

    def summary(self) -> str:
        parts = [f"{name} +{n}" for name, n in (("leads", self.leads), ("notes", self.notes),
                                                 ("contacts", self.contacts), ("products", self.products)) if n]
        if self.lost:
            parts.append("lost " + ", ".join(self.lost))
        if self.incomplete:
            parts.append("incomplete " + ", ".join(self.incomplete))
        return "; ".join(parts) or "clean"


def audit(box: Sandbox, codes: Iterable[str], *, gone: Iterable[str] = (), allowed: Sequence[str] = ALLOWED) -> Audit:
    """Count duplicates, lost and incomplete orders in the emulated amoCRM (call when no run is active)."""
    amo, result, gone = box.amo, Audit(), set(gone)
    phones: dict[str, str] = {}
    skus: set[str] = set()
    for code in codes:
        order = box.kaspi.order(code)
        leads = sorted(amo.leads_named(f"Kaspi #{code}"), key=lambda lead: lead["id"])
        if len(leads) > 1:
            result.leads += len(leads) - 1
            result.details.append(f"{code}: {len(leads)} leads")
        if not leads:
            if code not in gone and order.state in allowed:
                result.lost.append(code)
            continue
        first_notes = 0
        for index, lead in enumerate(leads):
            texts = [str((n.get("params") or {}).get("text", "")) for n in amo.notes_for(lead["id"])
                     if n.get("note_type") == "common"]
            notes = [t for t in texts if t.startswith(f"Заказ Kaspi #{code}\n")]
            if len(notes) > 1:
                result.notes += len(notes) - 1
                result.details.append(f"{code}: lead {lead['id']} has {len(notes)} order notes")
            changes = [t for t in texts if t.startswith(f"Заказ Kaspi #{code}: статус изменился")]
            if len(changes) > len(set(changes)):  # the same status change noted twice
                result.notes += len(changes) - len(set(changes))
                result.details.append(f"{code}: lead {lead['id']} has the same status-change note "
                                      f"{len(changes) - len(set(changes)) + 1}×")
            if index == 0:
                first_notes = len(notes)
        lead = leads[0]
        missing = []
        if not first_notes:
            missing.append("note")
        if order.phone and not amo.lead_contact_ids(lead["id"]):
            missing.append("contact")
        wanted = {e.sku for e in order.entries if e.sku}
        linked = {link["to_entity_id"] for link in amo.links_for(lead["id"]) if link["to_entity_type"] == "catalog_elements"}
        linked_skus = {_element_sku(amo.catalog_elements[eid]) for eid in linked if eid in amo.catalog_elements}
        if amo.products_catalog_id is not None and wanted - linked_skus:
            missing.append("products")
        if missing:
            result.incomplete.append(f"{code} (no {'/'.join(missing)})")
        if order.phone:
            phones[_digits(order.phone)[-10:]] = code
        skus |= wanted
    contacts: dict[str, set[int]] = {}
    for cid in list(amo.contacts):
        for phone in amo.contact_phones(cid):
            key = _digits(phone)[-10:]
            if key in phones:
                contacts.setdefault(key, set()).add(cid)
    for key, ids in contacts.items():
        if len(ids) > 1:
            result.contacts += len(ids) - 1
            result.details.append(f"buyer …{key[-4:]} (order {phones[key]}): {len(ids)} contacts {sorted(ids)}")
    elements: dict[str, int] = {}
    for element in list(amo.catalog_elements.values()):
        sku = _element_sku(element)
        if sku in skus:
            elements[sku] = elements.get(sku, 0) + 1
    for sku, n in elements.items():
        if n > 1:
            result.products += n - 1
            result.details.append(f"SKU {sku}: {n} catalog elements")
    return result


# --- results ----------------------------------------------------------------------------------


@dataclass
class Result:
    key: str
    fault: str
    in_flight: int
    runs: int
    audit: Audit
    outcome: str
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    summary: str = ""  # the row's outcome when every case of the row says the same

    @property
    def ok(self) -> bool:
        return self.audit.clean and not self.problems

    def explain(self) -> str:
        lines = [f"[{self.key}] {self.fault}: {self.outcome}", f"  audit: {self.audit.summary()}"]
        lines += [f"  {d}" for d in self.audit.details]
        lines += [f"  problem: {p}" for p in self.problems]
        return "\n".join(lines)


class Check:
    """Collects failed expectations of a case (beyond the audit)."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def __call__(self, condition: Any, message: str) -> bool:
        if not condition:
            self.problems.append(message)
        return bool(condition)


# --- in-process runtimes ----------------------------------------------------------------------


def quiet(box: Sandbox) -> Sandbox:
    """Keep the emulators' servers from printing a traceback when they answer a client that
    already gave up (a timeout, a killed process): that is the fault under test, not an error."""
    for wrapper in (getattr(box, "_amo_server", None), getattr(box, "_kaspi_server", None)):
        server = getattr(wrapper, "_server", None)
        if server is None:
            continue
        original = server.handle_error

        def handle_error(request: Any, client_address: Any, original: Any = original) -> None:
            if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
                original(request, client_address)

        server.handle_error = handle_error
    return box


def _sleep_short(seconds: float) -> None:
    time.sleep(min(seconds, 0.02))


class Lab:
    """A fresh sandbox with orders in flight, one home, engines built in-process on them.

    `fast` switches the emulated 7 rps limit off and gives the client a wide limiter: the
    exactly-once logic does not depend on pacing, and the cases that are about pacing (3, 6)
    and every CLI case keep the real limits."""

    def __init__(self, root: Path, orders: Sequence[SandboxOrder], *, fast: bool = True,
                 amo_options: dict[str, Any] | None = None, rps: float | None = None) -> None:
        root.mkdir(parents=True, exist_ok=True)
        options = ({"rps_limit": None} if fast else {}) | (amo_options or {})
        self.root = root
        self.box = quiet(Sandbox(seed=False, amo_options=options)).start()
        self.amo, self.kaspi = self.box.amo, self.box.kaspi
        self.kaspi.add_orders(orders)
        self.codes = [o.code for o in orders]
        self.env = {**self.box.env(), "KASPI_AMO_HOME": str(root / "home")}
        self.tokens = MemoryTokenStore(TokenPair(self.env["AMO_ACCESS_TOKEN"], self.env["AMO_REFRESH_TOKEN"]))
        self.limiter = RateLimiter(rps or (1000 if fast else 6))
        self.cache_secret = os.urandom(32)  # the home's store key, shared by its runtimes
        self.runs = 0
        self._made: list[Runtime] = []

    def runtime(self, *, now: Callable[[], datetime] | None = None, real_sleep: bool = False,
                read_timeout: float | None = None, wall_clock: Callable[[], datetime] | None = None,
                **env: str) -> Runtime:
        settings = load_settings({**self.env, **env}, cwd=self.root)
        sleep = None if real_sleep else _sleep_short
        # a moved `now` lives through hours here; the servers' Date headers keep real time, so the
        # clock check compares them with the real clock (`wall_clock`) unless a case moves that too
        runtime = build_runtime(settings, tokens=self.tokens, limiter=self.limiter, retry_sleep=sleep,
                                cache_secret=self.cache_secret,
                                **({"now": now, "wall_clock": wall_clock or utc_now} if now else {}))
        self._made.append(runtime)
        if read_timeout is not None:
            # a short read timeout through the public constructors (build_runtime keeps the defaults)
            oauth = OAuthClient(settings.amo_base_url, settings.amo_client_id, settings.amo_client_secret,
                                settings.amo_redirect_uri)
            client = AmoClient(settings.amo_base_url, TokenManager(self.tokens, oauth), self.limiter,
                               timeout=(5.0, read_timeout), **({"sleep": sleep} if sleep else {}))
            api = AmoApi(client)
            engine = Engine(runtime.kaspi, api, runtime.store, runtime.engine.options, now=now or utc_now,
                            amo_requests=lambda: client.requests_made)
            runtime = dataclasses.replace(runtime, amo_client=client, api=api, engine=engine)
        return runtime

    def poll(self, runtime: Runtime) -> CycleReport:
        self.runs += 1
        return runtime.engine.poll()

    def reconcile(self, runtime: Runtime) -> CycleReport:
        self.runs += 1
        return runtime.engine.reconcile()

    def drain(self, runtime: Runtime, limit: int = MAX_RECOVERY) -> int:
        """Polls until the store's backlog is empty; returns how many it took."""
        for n in range(1, limit + 1):
            self.poll(runtime)
            if runtime.store.counts().backlog == 0:
                return n
        return limit

    def writes(self) -> list[tuple[str, str, int]]:
        return [e for e in self.amo.request_log if e[0] in WRITES and e[1].startswith("/api/v4")]

    def close(self) -> None:
        for runtime in self._made:
            with contextlib.suppress(Exception):
                runtime.close()
        self.box.stop()


def _at(amo: Any, match: Callable[[str, str, int], bool], action: Callable[[str, str], None]) -> None:
    """Run `action` once, before the first amoCRM request `match(method, path, n)` picks
    (n: 1-based index of that request among the same method+path), so a fault armed there hits it."""
    seen: dict[tuple[str, str], int] = {}
    fired = threading.Event()

    def hook(method: str, path: str, applied: bool) -> None:
        if applied or fired.is_set():
            return
        seen[(method, path)] = n = seen.get((method, path), 0) + 1
        if match(method, path, n):
            fired.set()
            action(method, path)

    amo.on_request(hook)


def _nth(method: str, path_part: str, n: int = 1) -> Callable[[str, str, int], bool]:
    return lambda m, p, i: m == method and p.endswith(path_part) and i == n


def _first_read() -> Callable[[str, str, int], bool]:
    return lambda m, p, i: m == "GET" and p.startswith("/api/v4")


# --- CLI homes --------------------------------------------------------------------------------


class Home:
    """`kaspi-amo` subprocesses in one home against one sandbox, as cron and the tray run them."""

    def __init__(self, root: Path, box: Sandbox, **extra: str) -> None:
        root.mkdir(parents=True, exist_ok=True)
        self.root, self.home, self.box = root, root / "home", box
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(root), "LANG": "C.UTF-8",
            "KASPI_AMO_HOME": str(self.home), "KASPI_AMO_SECRETS": "file", **box.env(), **extra,
        }
        self.runs = 0

    @property
    def db(self) -> Path:
        return self.home / "data" / DB_NAME

    def popen(self, *args: str, **extra: str) -> subprocess.Popen[str]:
        self.runs += 1
        return subprocess.Popen([sys.executable, "-m", "app", *args], env={**self.env, **extra}, cwd=self.root,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
                                errors="replace")

    def run(self, *args: str, timeout: float = CLI_TIMEOUT, **extra: str) -> subprocess.CompletedProcess[str]:
        if args and args[0] in ("poll", "reconcile", "run"):
            self.runs += 1
        return subprocess.run([sys.executable, "-m", "app", *args], env={**self.env, **extra}, cwd=self.root,
                              capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=timeout)

    def status(self) -> dict[str, Any]:
        result = self.run("status", "--json")
        return json.loads(result.stdout) if result.returncode == 0 else {}

    def backlog(self) -> int:
        store = open_store(str(self.db))
        try:
            return store.counts().backlog
        finally:
            store.close()

    def drain(self, limit: int = MAX_RECOVERY) -> list[subprocess.CompletedProcess[str]]:
        """`kaspi-amo poll` until one exits 0 (everything handled)."""
        results = []
        for _ in range(limit):
            results.append(self.run("poll"))
            if results[-1].returncode == 0:
                break
        return results

    def age_lease_of(self, pid: int) -> bool:
        """Expire the run lease a killed process left (as if its 10-minute TTL had passed: BUG-1)."""
        past = (datetime.now(UTC) - timedelta(seconds=1)).isoformat(timespec="microseconds")
        with sqlite3.connect(self.db) as conn:
            changed = conn.execute("UPDATE run_lock SET expires_at = ? WHERE pid = ?", (past, pid)).rowcount
        return changed > 0


def _tail(result: subprocess.CompletedProcess[str]) -> str:
    return (result.stderr.strip().splitlines() or [""])[-1][:300]


# --- 1. SIGKILL of the poll process at every amoCRM request ------------------------------------


def clean_poll_requests(root: Path) -> list[tuple[str, str]]:
    """The amoCRM requests of one clean `kaspi-amo poll` of the in-flight orders (R = their number)."""
    with quiet(Sandbox(seed=False)) as box:
        box.kaspi.add_orders(flight())
        result = Home(root, box).run("poll")
        if result.returncode != 0:
            raise RuntimeError(f"the clean poll failed: {_tail(result)}")
        return [(m, p) for m, p, _s in box.amo.request_log]


def poll_killed_when(box: Sandbox, cli: Home, fires: Callable[[str, str, bool], bool], *,
                     command: str = "poll") -> tuple[Any, str | None]:
    """Run `kaspi-amo poll` (or `command`) and SIGKILL it inside the first amoCRM request for which
    `fires(method, path, applied)` is true (before amoCRM applies it, or after, with the reply
    never sent). Returns the finished process and the request it died in (None: never fired)."""
    state: dict[str, Any] = {}
    ready = threading.Event()

    def hook(method: str, path: str, applied: bool) -> None:
        if "killed" in state or not fires(method, path, applied):
            return
        ready.wait(10)
        proc = state["proc"]
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        state["killed"] = f"{method} {path}"
        raise DropConnection()

    remove = box.amo.on_request(hook)
    try:
        state["proc"] = proc = cli.popen(command)
        ready.set()
        proc.communicate(timeout=CLI_TIMEOUT)
    finally:
        remove()
    return proc, state.get("killed")


def kill_point(root: Path, k: int, phase: str) -> Result:
    """Start `kaspi-amo poll`, SIGKILL it just before amoCRM applies its request k (the request is
    then dropped, nothing applied) or just after it applied it (the reply is never sent), then
    `kaspi-amo poll` again until everything is handled."""
    started = time.monotonic()
    orders = flight()
    check = Check()
    with quiet(Sandbox(seed=False)) as box:
        box.kaspi.add_orders(orders)
        cli = Home(root, box)
        after = phase == "after"
        count = [0]

        def request_k(method: str, path: str, applied: bool) -> bool:
            if not applied:
                count[0] += 1
            return count[0] == k and applied == after

        proc, killed = poll_killed_when(box, cli, request_k)
        if killed is None:
            return Result(f"1/k={k}/{phase}", f"SIGKILL {phase} request {k}", len(orders), 1,
                          audit(box, [o.code for o in orders]),
                          f"the clean poll needs fewer than {k} amoCRM requests: nothing to kill",
                          seconds=time.monotonic() - started)
        check(proc.returncode == -signal.SIGKILL, f"the poll was not killed (exit {proc.returncode})")
        results = cli.drain()  # no lease aging: a dead holder's lock is taken over at once (BUG-1, fixed)
        check(results[-1].returncode == 0, f"recovery polls never exited 0: {_tail(results[-1])}")
        check(cli.backlog() == 0, "backlog not empty after recovery")
        result_audit = audit(box, [o.code for o in orders])
    recovered = "recovered on the next poll" if len(results) == 1 else f"recovered after {len(results)} polls"
    return Result(
        f"1/k={k}/{phase}", f"SIGKILL {phase} `{killed}` (request {k})", len(orders), 1 + len(results),
        result_audit, recovered, check.problems, time.monotonic() - started,
    )


def next_poll_after_kill(root: Path, *, real_wait: bool = False) -> Result:
    """After a SIGKILLed poll, can the next poll run at once? (Its run lease stays for 10 minutes.)"""
    started = time.monotonic()
    orders = flight()
    check = Check()
    with quiet(Sandbox(seed=False)) as box:
        box.kaspi.add_orders(orders)
        cli = Home(root, box)
        proc, _killed = poll_killed_when(
            box, cli, lambda method, path, applied: not applied and path.endswith("/leads/complex"))
        runs = 1
        if real_wait:
            t0 = time.monotonic()
            result = cli.run("poll")
            runs += 1
            waited = time.monotonic() - t0
            check(result.returncode == 0, f"the next `kaspi-amo poll` waited {waited:.0f} s and exited "
                                          f"{result.returncode}: {re.sub(r' [(]owner [^)]*[)]', '', _tail(result))}")
            outcome = f"next poll: exit {result.returncode} after {waited:.0f} s"
        else:
            # the same lock the next poll takes, probed without its 120 s wait
            store = open_store(str(cli.db))
            try:
                with store.run_lock("probe:poll", wait_seconds=0.5):
                    taken = True
            except StoreLockedError:
                taken = False
            finally:
                store.close()
            check(taken, "the dead poll still holds the run lock (lease TTL 600 s): every poll for 10 minutes "
                         "waits 120 s and exits 1 'another sync is running'")
            outcome = "the lock is free at once" if taken else "run lock held by the dead process for 10 min"
        if check.problems:
            cli.age_lease_of(proc.pid)  # then finish the orders, so the audit below is meaningful
        runs += len(cli.drain())
        result_audit = audit(box, [o.code for o in orders])
    label = "the next poll right after a SIGKILLed one" + (" (real CLI wait)" if real_wait else "")
    return Result("1/next-poll", label, len(orders), runs, result_audit, outcome, check.problems,
                  time.monotonic() - started)


# --- 2. a write applied whose response is lost -------------------------------------------------


WRITE_POSITIONS = ("POST /api/v4/leads/complex#1", "POST /api/v4/leads/complex#2",
                   "POST /api/v4/catalogs/11001/elements#1", "POST /api/v4/leads/link#1", "POST /api/v4/leads/notes#1")


def lost_reply(root: Path, position: str) -> Result:
    """amoCRM applies the write at `position` ("METHOD path#n") and the reply is lost."""
    started = time.monotonic()
    target, n = position.rsplit("#", 1)
    method, path = target.split(" ", 1)
    lab = Lab(root, flight())
    check = Check()
    try:
        runtime = lab.runtime()
        _at(lab.amo, _nth(method, path, int(n)), lambda m, p: lab.amo.apply_then_drop_next(1))
        first = lab.poll(runtime)
        check(first.failed or first.error, "the lost reply went unnoticed")
        polls = lab.drain(runtime)
        check(runtime.store.counts().backlog == 0, "backlog not empty")
        result = audit(lab.box, lab.codes)
    finally:
        lab.close()
    return Result(f"2/{position}", f"reply lost after `{target}` #{n} was applied", len(lab.codes), 1 + polls, result,
                  "recovered on the next poll" if polls == 1 else f"recovered after {polls} polls",
                  check.problems, time.monotonic() - started)


def lost_reply_reconcile(root: Path, position: str) -> Result:
    """Kaspi changed three orders' states; the reconcile's write at `position` is applied by amoCRM
    and its reply lost. Later reconciles must finish the change without noting it twice."""
    started = time.monotonic()
    target, n = position.rsplit("#", 1)
    method, path = target.split(" ", 1)
    lab = Lab(root, flight())
    check = Check()
    try:
        runtime = lab.runtime()
        check(lab.poll(runtime).ok, "the first poll failed")
        moves = {lab.codes[0]: ("KASPI_DELIVERY", "ACCEPTED_BY_MERCHANT", None),
                 lab.codes[1]: ("ARCHIVE", "COMPLETED", 142), lab.codes[2]: ("ARCHIVE", "CANCELLED", 143)}
        for code, (state, status, _sid) in moves.items():
            lab.kaspi.set_status(code, state=state, status=status)
        _at(lab.amo, _nth(method, path, int(n)), lambda m, p: lab.amo.apply_then_drop_next(1))
        runs = 0
        for runs in range(1, MAX_RECOVERY + 1):  # noqa: B007 - the count is reported after the loop
            if lab.reconcile(runtime).ok:
                break
        if method == "POST":  # a PATCH is idempotent: the client itself retries it in the same run
            check(runs > 1, "the lost reply went unnoticed")
        for code, (state, _status, sid) in moves.items():
            (lead,) = lab.amo.leads_named(f"Kaspi #{code}") or [None]
            if lead is None:
                continue
            tags = sorted(lab.amo.lead_tags(lead["id"]))
            check(tags == sorted(["Kaspi", state]), f"{code}: tags {tags} after the change to {state}")
            if sid is not None:
                check(lead["status_id"] == sid, f"{code}: status {lead['status_id']}, expected {sid}")
        result = audit(lab.box, lab.codes)
    finally:
        lab.close()
    return Result(f"2/reconcile {position}", f"reconcile: reply lost after `{target}` was applied", len(lab.codes),
                  1 + runs, result, f"1 poll + {runs} reconcile(s) until clean", check.problems,
                  time.monotonic() - started)


# --- 3. 429 storms ------------------------------------------------------------------------------


def storm_rps(root: Path, *, html: bool = False) -> Result:
    """amoCRM admits 2 rps (another integration eats the rest) while the client runs at AMO_RPS=6: 429s, real waits."""
    started = time.monotonic()
    options = {"rps_limit": 2.0, "retry_after": 1, "html_429": html}
    lab = Lab(root, flight(5), fast=False, amo_options=options, rps=6)
    check = Check()
    try:
        runtime = lab.runtime(real_sleep=True, AMO_RPS="6")
        starts: list[float] = []
        lab.amo.on_request(lambda m, p, applied: None if applied else starts.append(time.monotonic()))
        polls = lab.drain(runtime)
        too_many = lab.amo.too_many_requests
        check(too_many > 0, "no 429 happened: the storm was not reproduced")
        log = lab.amo.request_log
        gaps = [starts[i + 1] - starts[i] for i, (_m, _p, st) in enumerate(log[:-1]) if st == 429]
        check(not gaps or min(gaps) >= 0.95, f"a request came {min(gaps or [0]):.2f} s after a 429 (retry_after 1 s)")
        check(not lab.amo.blocked, "the account got blocked")
        result = audit(lab.box, lab.codes)
    finally:
        lab.close()
    kind = "HTML 429 (no retry_after)" if html else "JSON 429, retry_after=1"
    return Result("3/rps-html" if html else "3/rps", f"429 storm: amoCRM admits 2 rps vs AMO_RPS=6 ({kind})",
                  len(lab.codes),
                  polls, result, f"{too_many} × 429, each waited out (≥ {min(gaps or [0]):.1f} s before the next "
                  f"request); synced in {polls} poll(s), no block", check.problems,
                  time.monotonic() - started)


def storm_burst(root: Path, count: int = 12) -> Result:
    """`fail_next(count, 429)` at the first lead write: retries run out, the next poll finishes."""
    started = time.monotonic()
    lab = Lab(root, flight())
    check = Check()
    try:
        runtime = lab.runtime()
        _at(lab.amo, _nth("POST", "/leads/complex"), lambda m, p: lab.amo.fail_next(count, 429))
        polls = lab.drain(runtime)
        check(lab.amo.too_many_requests == count, f"{lab.amo.too_many_requests} × 429 seen, {count} injected")
        result = audit(lab.box, lab.codes)
    finally:
        lab.close()
    return Result("3/burst", f"`fail_next({count}, 429)` on the lead write", len(lab.codes), polls, result,
                  f"{count} × 429; retries exhausted, order(s) retried; synced in {polls} poll(s)",
                  check.problems, time.monotonic() - started)


# --- 4. 502/504 bursts --------------------------------------------------------------------------


def gateway_burst(root: Path, status: int, count: int, where: str) -> Result:
    """`count` × `status` from the first read / lead write / notes write onward."""
    started = time.monotonic()
    lab = Lab(root, flight())
    check = Check()
    trigger = {"read": _first_read(), "lead write": _nth("POST", "/leads/complex"),
               "notes write": _nth("POST", "/leads/notes")}[where]
    try:
        runtime = lab.runtime()
        _at(lab.amo, trigger, lambda m, p: lab.amo.fail_next(count, status))
        polls = lab.drain(runtime)
        seen = sum(1 for _m, _p, s in lab.amo.request_log if s == status)
        check(seen == count, f"{seen} × {status} answered, {count} injected")
        result = audit(lab.box, lab.codes)
    finally:
        lab.close()
    how = "retried within the same poll" if polls == 1 else f"synced after {polls} polls"
    return Result(f"4/{status}-{where.replace(' ', '-')}-{count}", f"{count} × {status} on the {where}",
                  len(lab.codes), polls, result, how, check.problems, time.monotonic() - started)


# --- 5. timeouts and connection resets ----------------------------------------------------------


def slow_or_reset(root: Path, fault: str, where: str) -> Result:
    """fault: "timeout" (answer 1.0 s late, client read timeout 0.4 s; the write IS applied) or
    "reset" (connection closed unanswered, nothing applied)."""
    started = time.monotonic()
    lab = Lab(root, flight())
    check = Check()
    trigger = {"read": _nth("GET", "/contacts"), "lead write": _nth("POST", "/leads/complex"),
               "link write": _nth("POST", "/leads/link"), "notes write": _nth("POST", "/leads/notes")}[where]
    try:
        runtime = lab.runtime(read_timeout=0.4)
        if fault == "timeout":
            _at(lab.amo, trigger, lambda m, p: lab.amo.delay_next(1, 1.0))
        else:
            _at(lab.amo, trigger, lambda m, p: lab.amo.drop_next(1))
        polls = lab.drain(runtime)
        result = audit(lab.box, lab.codes)
    finally:
        lab.close()
    how = "retried within the same poll" if polls == 1 else f"synced after {polls} polls"
    label = "read timeout (answer late, applied)" if fault == "timeout" else "connection reset (nothing applied)"
    return Result(f"5/{fault}-{where.replace(' ', '-')}", f"{label} on the {where}", len(lab.codes), polls, result,
                  how, check.problems, time.monotonic() - started)


def cli_timeout(root: Path, seconds: float = 32.0) -> Result:
    """`kaspi-amo poll` with the default 30 s read timeout; amoCRM applies the lead write and
    answers `seconds` later. The next poll must adopt, not recreate."""
    started = time.monotonic()
    orders = flight()
    check = Check()
    with quiet(Sandbox(seed=False)) as box:
        box.kaspi.add_orders(orders)
        cli = Home(root, box)
        _at(box.amo, _nth("POST", "/leads/complex"), lambda m, p: box.amo.delay_next(1, seconds))
        first = cli.run("poll")
        check(first.returncode == 1, f"the timed-out poll exited {first.returncode}")
        results = cli.drain()
        check(results[-1].returncode == 0, f"recovery failed: {_tail(results[-1])}")
        result = audit(box, [o.code for o in orders])
    return Result("5/cli-timeout", f"CLI: lead write answered {seconds:.0f} s late (default 30 s read timeout)",
                  len(orders), 1 + len(results), result,
                  "recovered on the next poll" if len(results) == 1 else f"recovered after {len(results)} polls",
                  check.problems, time.monotonic() - started)


# --- 6. the HTML 403 block -----------------------------------------------------------------------


def blocked_account(root: Path) -> Result:
    """429s until amoCRM blocks the account (nginx HTML 403 on everything). The engine must stop,
    persist a cooldown (15 min, doubling), make no amoCRM request during it — cron polls every
    minute, a new process, the CLI — and sync everything once after the block is lifted."""
    started = time.monotonic()
    options = {"rps_limit": 3.0, "block_after": 4, "retry_after": 1}
    lab = Lab(root, flight(), fast=False, amo_options=options, rps=6)
    check = Check()
    clock = [datetime.now(UTC)]
    try:
        runtime = lab.runtime(now=lambda: clock[0], AMO_RPS="6")
        first = lab.poll(runtime)
        check(lab.amo.blocked, "the emulated account never got blocked")
        check(first.error is not None and "заблокировал" in first.error.title,
              f"the block was not reported: {first.error!r}")
        calls = len(lab.amo.request_log)
        # the same store from the CLI (another process, real clock): still cooling down
        cli = Home(lab.root, lab.box)
        cli.env["KASPI_AMO_HOME"] = lab.env["KASPI_AMO_HOME"]
        result = cli.run("poll")
        check(result.returncode == 1 and "не обращается к amoCRM" in result.stderr,
              f"CLI during the cooldown: exit {result.returncode}: {_tail(result)}")
        lab.runs += 1
        for _ in range(14):  # cron every minute, and a fresh process each time
            clock[0] += timedelta(minutes=1)
            lab.poll(lab.runtime(now=lambda: clock[0], AMO_RPS="6"))
        quiet_first = len(lab.amo.request_log) - calls
        check(quiet_first == 0, f"{quiet_first} amoCRM request(s) during the first 15-minute cooldown")
        clock[0] += timedelta(minutes=1, seconds=1)  # cooldown over, amoCRM still blocks
        again = lab.poll(runtime)
        check(again.error is not None and "заблокировал" in again.error.title, "the second block was not reported")
        probe = len(lab.amo.request_log) - calls
        check(probe <= 2, f"{probe} amoCRM requests to find the account still blocked")
        calls = len(lab.amo.request_log)
        for _ in range(29):
            clock[0] += timedelta(minutes=1)
            lab.poll(runtime)
        quiet_second = len(lab.amo.request_log) - calls
        check(quiet_second == 0, f"{quiet_second} amoCRM request(s) during the doubled 30-minute cooldown")
        pending = runtime.store.counts().backlog
        check(pending == len(lab.codes), f"{pending} of {len(lab.codes)} orders kept in the backlog while blocked")
        lab.amo.unblock()  # support lifted the block, and the integration that ate the budget is gone
        lab.amo.rps_limit, lab.amo.block_after = 7.0, None
        clock[0] += timedelta(minutes=1, seconds=1)
        polls = lab.drain(runtime)
        check(runtime.store.get_meta("amo_blocked_until") is None, "the cooldown was not cleared after a good poll")
        result_audit = audit(lab.box, lab.codes)
    finally:
        lab.close()
    return Result("6/blocked", "429s → amoCRM blocks the account (HTML 403), lifted after 45 min", len(lab.codes),
                  lab.runs, result_audit,
                  f"cooldown respected: {quiet_first} calls in 15 min (cron, new process, CLI), {probe} probe, "
                  f"{quiet_second} calls in the doubled 30 min; synced after the unblock in {polls} poll(s)",
                  check.problems, time.monotonic() - started)


# --- 7. a revoked refresh token ------------------------------------------------------------------


def _oauth_calls(box: Sandbox) -> int:
    return sum(1 for _m, p, _s in box.amo.request_log if p.startswith("/oauth2"))


def revoked_token(root: Path, *, mid_sync: bool = False) -> Result:
    """The owner disconnected the integration (refresh tokens revoked, access tokens dead):
    stop, keep orders pending, say "reconnect", never resend the dead refresh token; after
    new tokens are pasted into the environment everything syncs once."""
    started = time.monotonic()
    orders = flight()
    check = Check()
    with quiet(Sandbox(seed=False)) as box:
        box.kaspi.add_orders(orders)
        cli = Home(root, box)

        def revoke(*_: Any) -> None:
            box.amo.revoke_refresh_tokens()
            box.amo.expire_access_tokens()

        if mid_sync:  # right after amoCRM applied the first lead write
            fired = threading.Event()

            def hook(method: str, path: str, applied: bool) -> None:
                if applied and method == "POST" and not fired.is_set():
                    fired.set()
                    revoke()

            box.amo.on_request(hook)
        else:
            revoke()
        first = cli.run("poll")
        check(first.returncode == 1, f"first poll exited {first.returncode}")
        check("подключ" in first.stderr.lower(), f"no 'reconnect amoCRM' message: {_tail(first)}")
        refreshes = _oauth_calls(box)
        check(refreshes == 1, f"{refreshes} refresh attempts by the first run")
        later_api = []
        for _ in range(2):  # cron keeps running
            before_api = len(box.amo.request_log)
            later = cli.run("poll")
            check(later.returncode == 1 and "подключ" in later.stderr.lower(), f"later poll: {_tail(later)}")
            later_api.append(len(box.amo.request_log) - before_api)
        repeated = _oauth_calls(box) - refreshes
        check(repeated == 0, f"{repeated} refresh attempt(s) with the dead token by later runs")
        backlog = cli.backlog()
        check(backlog > 0 if mid_sync else backlog == len(orders), f"backlog {backlog} while disconnected")
        access, refresh = box.amo.issue_tokens()  # the owner reconnects: new tokens in the environment
        cli.env.update(AMO_ACCESS_TOKEN=access, AMO_REFRESH_TOKEN=refresh)
        results = cli.drain()
        check(results[-1].returncode == 0, f"after reconnecting: {_tail(results[-1])}")
        result_audit = audit(box, [o.code for o in orders])
    when = "after the first lead write" if mid_sync else "before the poll"
    return Result("7/revoked-mid" if mid_sync else "7/revoked", f"refresh token revoked {when}", len(orders), cli.runs,
                  result_audit,
                  f"stopped with 'reconnect'; {repeated} refresh retries by 2 later runs "
                  f"(amoCRM calls each: {', '.join(map(str, later_api))}); synced once after reconnecting",
                  check.problems, time.monotonic() - started)


# --- 8. the daemon and cron polls on one store ---------------------------------------------------


def concurrent_runs(root: Path, *, polls: int = 3, count: int = 10) -> Result:
    """`kaspi-amo run` (what the tray does) and `polls` × `kaspi-amo poll` started together on one
    home, then a second wave of orders and polls while the daemon still runs."""
    started = time.monotonic()
    first_wave = flight(count)
    second_wave = flight(count // 2, start=871000001)
    check = Check()
    with quiet(Sandbox(seed=False)) as box:
        box.kaspi.add_orders(first_wave)
        cli = Home(root, box)  # a fresh home: every process also races to create and migrate the store
        daemon = cli.popen("run")
        procs = [cli.popen("poll") for _ in range(polls)]
        outs = [p.communicate(timeout=CLI_TIMEOUT) for p in procs]
        box.kaspi.add_orders(second_wave)
        procs2 = [cli.popen("poll") for _ in range(polls - 1)]
        outs += [p.communicate(timeout=CLI_TIMEOUT) for p in procs2]
        codes = [p.returncode for p in procs + procs2]
        check(all(c == 0 for c in codes), f"poll exit codes {codes}: {[e[-200:] for _o, e in outs if e]}")
        check(all("Traceback" not in e for _o, e in outs), "a poll crashed")
        time.sleep(1.0)
        daemon.send_signal(signal.SIGTERM)
        d_out, d_err = daemon.communicate(timeout=120)
        check(daemon.returncode == 0, f"the daemon exited {daemon.returncode}: {d_err[-300:]}")
        check("Traceback" not in d_err, "the daemon crashed")
        results = cli.drain()
        check(results[-1].returncode == 0, f"final poll: {_tail(results[-1])}")
        created = [sum(map(int, re.findall(r"создано сделок (\d+)", o))) for o, _e in outs]
        by_daemon = sum(map(int, re.findall(r"создано сделок (\d+)", d_out)))
        all_codes = [o.code for o in first_wave + second_wave]
        result_audit = audit(box, all_codes)
    return Result("8/concurrent", f"`kaspi-amo run` + {2 * polls - 1} × `kaspi-amo poll` on one home",
                  len(all_codes), cli.runs, result_audit,
                  f"run lock serialised them: deals created by the daemon {by_daemon}, by the polls {created}; "
                  f"polls exit {sorted(set(codes))}, the daemon stopped cleanly on SIGTERM",
                  check.problems, time.monotonic() - started,
                  summary="the run lock serialised the daemon and the polls (each deal created by one process); "
                          "every poll exit 0, the daemon stopped cleanly on SIGTERM")


# --- 9. the store lost ---------------------------------------------------------------------------


def lost_store(root: Path, how: str) -> Result:
    """how: "deleted" (the SQLite file and its WAL removed), "replaced" (DATABASE_URL → a new
    empty file), "killed+deleted" (a poll SIGKILLed right after the leads were created, then
    the file deleted) or "damaged-inside" (the orders table's page overwritten, as a disk error
    would: the header is sound, the file opens, the queries that reach the page fail)."""
    started = time.monotonic()
    orders = flight()
    check = Check()
    with quiet(Sandbox(seed=False)) as box:
        box.kaspi.add_orders(orders)
        cli = Home(root, box)
        if how == "killed+deleted":
            complex_calls = [0]

            def second_complex_applied(method: str, path: str, applied: bool) -> bool:
                if applied and path.endswith("/leads/complex"):
                    complex_calls[0] += 1
                return complex_calls[0] == 2

            _proc, killed = poll_killed_when(box, cli, second_complex_applied)
            check(killed, "the poll was not killed")
        else:
            first = cli.run("poll")
            check(first.returncode == 0, f"first poll: {_tail(first)}")
        writes = box.amo.write_requests
        if how == "replaced":
            cli.env["DATABASE_URL"] = str(cli.root / "replacement.sqlite3")
        elif how == "damaged-inside":
            _damage_table(cli.db, "orders")
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(str(cli.db) + suffix).unlink(missing_ok=True)
        results = cli.drain()
        check(results[-1].returncode == 0, f"after the store was lost: {_tail(results[-1])}")
        new_writes = box.amo.write_requests - writes
        if how != "killed+deleted":
            check(new_writes == 0, f"{new_writes} amoCRM writes after the store was lost (expected 0: adopt)")
            status = cli.status()
            check(status.get("processed_total") == len(orders) and status.get("backlog") == 0,
                  f"`status --json` after adopting: processed {status.get('processed_total')}, "
                  f"backlog {status.get('backlog')}")
        result_audit = audit(box, [o.code for o in orders])
    label = {"deleted": "store file deleted after a sync", "replaced": "DATABASE_URL → a new empty store",
             "killed+deleted": "poll SIGKILLed after the lead writes, then the store file deleted",
             "damaged-inside": "the store's orders page damaged inside (the header sound)"}[how]
    return Result(f"9/{how}", label, len(orders), cli.runs, result_audit,
                  f"deals adopted, {new_writes} new amoCRM writes", check.problems, time.monotonic() - started)


def _damage_table(db: Path, table: str) -> None:
    """Overwrite `table`'s root page with garbage, after moving the WAL into the file."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    with open(db, "r+b") as f:
        f.seek((root - 1) * size)
        f.write(bytes(range(256)) * (size // 256))


# --- 10. a deal deleted by a person ----------------------------------------------------------------


def deleted_deal(root: Path, *, new_state: str = "ARCHIVE", new_status: str = "CANCELLED") -> Result:
    """A manager deletes an order's deal in amoCRM; then Kaspi changes the order's status.
    Reported once, quarantined, never recreated — over 3 reconciles and 3 polls."""
    started = time.monotonic()
    lab = Lab(root, flight())
    check = Check()
    gone = lab.codes[0]
    try:
        runtime = lab.runtime()
        check(lab.poll(runtime).ok, "the first poll failed")
        (lead,) = lab.amo.leads_named(f"Kaspi #{gone}")
        lab.amo.delete_lead(lead["id"])
        lab.kaspi.set_status(gone, state=new_state, status=new_status)
        reported = 0
        for _ in range(3):
            for report in (lab.reconcile(runtime), lab.poll(runtime)):
                reported += sum(1 for f in report.failed if f.code == gone and "удалена" in f.message)
                check(all(code != gone for code, _ in report.created), "the deleted deal was recreated")
        check(reported == 1, f"the deleted deal was reported {reported} times")
        check(lab.amo.leads_named(f"Kaspi #{gone}") == [], "a lead for the deleted deal exists again")
        result = audit(lab.box, lab.codes, gone=[gone])
    finally:
        lab.close()
    return Result(f"10/{new_state}", f"deal deleted in amoCRM, then Kaspi → {new_state}/{new_status}", len(lab.codes),
                  lab.runs, result, f"reported {reported}×, quarantined, not recreated by 3 reconciles + 3 polls",
                  check.problems, time.monotonic() - started)


# --- the registry ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    group: str
    key: str
    run: Callable[[Path], Result]
    slow: bool = False  # only in the full run (tests: @pytest.mark.slow)


def kill_cases(points: Iterable[tuple[int, str]], *, slow: bool) -> list[Case]:
    return [Case("1", f"1/k={k}/{phase}", lambda root, k=k, phase=phase: kill_point(root, k, phase), slow=slow)
            for k, phase in points]


def all_kill_points(r: int = KILL_K_MAX) -> list[tuple[int, str]]:
    return [(k, phase) for k in range(1, r + 1) for phase in ("before", "after")]


GROUPS = {
    "1": "`kaspi-amo poll` killed (SIGKILL) before / after amoCRM applies each of its requests",
    "2": "A write applied by amoCRM, its reply lost (`apply_then_drop_next`), at each write",
    "3": "429 storms",
    "4": "502 / 504 bursts on reads and writes",
    "5": "Timeouts and connection resets",
    "6": "HTML 403 \"account blocked\"",
    "7": "Revoked refresh token",
    "8": "GUI/daemon and cron polls on one store at once",
    "9": "Local store deleted, replaced or damaged inside",
    "10": "Deal deleted in amoCRM, then a Kaspi status change",
    "11": "`kaspi-amo reconcile` killed mid-change, then Kaspi moves the order on",
    "12": "Hostile Kaspi data: a lone surrogate, a NUL, a body nested 100,000 deep, one code twice",
    "13": "The log file cannot be written: disk full, read-only folder",
    "14": "Bad configuration: AMO_RPS=nan / 1e-9, settings.json nested 50,000 deep",
    "15": "The computer's clock 30 days off",
    "16": "A run that lost its run lock: stopped past its lease, lease aged, clock ahead, lock session killed",
    "17": "Two machines on one PostgreSQL store while amoCRM rotates the token pair",
}


def cases(quick: bool) -> list[Case]:
    """Every case of the matrix; `quick` keeps the sampled ones (what the default test run does)."""
    from scripts import (  # groups 11+, in their own modules (they import this one)
        fault_hostile,
        fault_lost_lock,
    )

    listed = [
        Case("1", "1/next-poll", lambda root: next_poll_after_kill(root)),
        Case("1", "1/next-poll-cli", lambda root: next_poll_after_kill(root, real_wait=True), slow=True),
        *kill_cases(QUICK_KILL_POINTS, slow=False),
        *kill_cases([p for p in all_kill_points() if p not in QUICK_KILL_POINTS], slow=True),
        *[Case("2", f"2/{pos}", lambda root, pos=pos: lost_reply(root, pos)) for pos in WRITE_POSITIONS],
        *[Case("2", f"2/reconcile {pos}", lambda root, pos=pos: lost_reply_reconcile(root, pos))
          for pos in ("PATCH /api/v4/leads#1", "POST /api/v4/leads/notes#1")],
        Case("3", "3/rps", lambda root: storm_rps(root)),
        Case("3", "3/rps-html", lambda root: storm_rps(root, html=True), slow=True),
        Case("3", "3/burst", lambda root: storm_burst(root)),
        Case("4", "4/502-read", lambda root: gateway_burst(root, 502, 4, "read")),
        Case("4", "4/504-read", lambda root: gateway_burst(root, 504, 8, "read")),
        Case("4", "4/502-lead-write", lambda root: gateway_burst(root, 502, 3, "lead write")),
        Case("4", "4/504-notes-write", lambda root: gateway_burst(root, 504, 2, "notes write")),
        *[Case("5", f"5/{fault}-{where.replace(' ', '-')}", lambda root, f=fault, w=where: slow_or_reset(root, f, w))
          for fault in ("timeout", "reset") for where in ("read", "lead write", "link write", "notes write")],
        Case("5", "5/cli-timeout", lambda root: cli_timeout(root), slow=True),
        Case("6", "6/blocked", lambda root: blocked_account(root)),
        Case("7", "7/revoked", lambda root: revoked_token(root), slow=True),
        Case("7", "7/revoked-mid", lambda root: revoked_token(root, mid_sync=True)),
        Case("8", "8/concurrent", lambda root: concurrent_runs(root, polls=2)),
        Case("8", "8/concurrent-5", lambda root: concurrent_runs(root, polls=4, count=15), slow=True),
        Case("9", "9/deleted", lambda root: lost_store(root, "deleted")),
        Case("9", "9/replaced", lambda root: lost_store(root, "replaced"), slow=True),
        Case("9", "9/killed+deleted", lambda root: lost_store(root, "killed+deleted")),
        Case("9", "9/damaged-inside", lambda root: lost_store(root, "damaged-inside")),
        Case("10", "10/ARCHIVE", lambda root: deleted_deal(root)),
        Case("10", "10/KASPI_DELIVERY", lambda root: deleted_deal(root, new_state="KASPI_DELIVERY",
                                                                  new_status="ACCEPTED_BY_MERCHANT")),
        *fault_hostile.cases(),
        *fault_lost_lock.cases(),
    ]
    return [c for c in listed if not (quick and c.slow)]


def run_case(case: Case, root: Path | None = None) -> Result:
    if root is not None:
        result = case.run(root)
    else:
        with tempfile.TemporaryDirectory(prefix="fault-") as tmp:
            result = case.run(Path(tmp))
    result.key = case.key
    return result


def run_cases(selected: Sequence[Case], *, workers: int = 3, echo: Callable[[str], None] = print) -> list[Result]:
    """Kill-point cases (CLI processes mostly waiting on the network) run `workers` at a time."""
    results: dict[str, Result] = {}

    def one(case: Case) -> None:
        try:
            result = run_case(case)
        except Exception as exc:  # noqa: BLE001 - a crashed case is a failed case, not a crashed suite
            result = Result(case.key, case.key, 0, 0, Audit(), "case crashed", [f"{type(exc).__name__}: {exc}"])
        results[case.key] = result
        echo(f"{'ok  ' if result.ok else 'FAIL'} {result.key:<42} {result.seconds:5.1f} s  {result.outcome}")
        if not result.ok:
            echo(result.explain())

    parallel = [c for c in selected if c.group == "1"]
    serial = [c for c in selected if c.group != "1"]
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        list(pool.map(one, parallel))
    for case in serial:
        one(case)
    return [results[c.key] for c in selected]


# --- known product bugs (tests keep them strict: xfail(strict=True)) ----------------------------


@dataclass(frozen=True)
class Finding:
    id: str
    title: str
    reproduce: str
    cases: tuple[str, ...]

    @property
    def reason(self) -> str:
        return f"BUG ({self.id}): {self.title}"


#: Bugs this suite found, kept as history in docs/reliability.md. Open bugs go to FINDINGS
#: (their cases are strict xfails in tests/test_fault_suite.py until fixed).
FINDINGS: tuple[Finding, ...] = ()

FIX_NOTES = {
    "BUG-1": "the SQLite lease is taken over at once when its holder's process on this machine is gone",
    "BUG-2": "a buyer's later orders wait for the next poll when the order creating their contact failed",
    "BUG-3": "adopted leads are finished, not assumed complete: products relinked (idempotent), note added "
             "only if the lead lacks it",
    "BUG-4": "reconcile records its intent before writing; a retry looks for the note before adding it",
    "BUG-5": "the run lock is fenced: every store write under the lock checks in its transaction that the "
             "lock is still this run's, the writer checks before each amoCRM batch and the amoCRM client "
             "before every write request, so a run that lost its lock stops at its next write (RunLockLost, "
             "a failed cycle); SQLite takers time a silent lease with their own monotonic clock instead of "
             "comparing wall clocks, and a PostgreSQL taker whose predecessor may be alive waits for its "
             "last write",
    "BUG-6": "text is cleaned at the parse boundary (a lone surrogate becomes U+FFFD, NUL and control characters "
             "go); an order the mapping cannot plan is quarantined, the rest go on",
    "BUG-7": "a body nested too deep is a clear Kaspi/amoCRM error; an exception no layer foresaw fails the cycle "
             "with a readable message and is recorded like any failure (fail_streak, last_error → alerts)",
    "BUG-8": "the in-progress mark names every step still to carry; after an interruption the next run reads the "
             "deal's tags, drops every stale Kaspi state tag and notes each step the lead lacks",
    "BUG-9": "app/logs.LogFileHandler reports a failed write once, keeps the newest 1000 lines for when the file "
             "takes writes again and counts the rest at exit; a read-only home is one line naming the file, no "
             "traceback",
    "BUG-10": "every numeric setting has a finite range (AMO_RPS 0.5-7); a deep settings file or a bad .env is a "
             "configuration error: exit 2, one line naming it",
    "BUG-11": "a code Kaspi gives to two orders is held back with both ids and totals, reported once, and synced "
              "with its own total once Kaspi shows one order",
    "BUG-12": "the Date header of Kaspi's and amoCRM's answers is compared with the computer's clock; more than "
              "15 minutes off fails the cycle before any write (the window mark included), with the fix in the "
              "message",
    "BUG-13": "with one KASPI_AMO_STORE_KEY on every machine the pair lives in the store, Fernet-sealed; a "
              "machine's stale copy never replaces it, a reconnect does; a refresh that lost the race takes the "
              "winner's pair",
    "BUG-14": "the first query that meets a damaged page marks the file; the next cycle keeps a copy "
             "aside, rebuilds the store from every row it can still read and writes it over the file "
             "with SQLite's backup; meta starts afresh, so the next poll adopts the deals",
}

FIXED = (
    Finding(
        "BUG-1",
        "a SIGKILLed (crashed, power-cut) poll keeps the SQLite run lock for its whole lease TTL (600 s): "
        "for 10 minutes every `kaspi-amo poll` waits 120 s and exits 1 \"another sync is running\" (the "
        "daemon skips its cycles), although the holder's pid on this very host is dead",
        "`kill -9` a `kaspi-amo poll` while it talks to amoCRM, then run `kaspi-amo poll`: exit 1 after 121 s, "
        "\"Опрос пропущен: Другой запуск синхронизации уже работает с этой базой (owner host:PID:poll)\" with "
        "PID dead. `SQLiteStore._try_acquire` only compares `expires_at`; `run_lock(ttl_seconds=600)`. Case "
        "1's recovery polls age the dead lease by hand to get past it.",
        ("1/next-poll", "1/next-poll-cli"),
    ),
    Finding(
        "BUG-2",
        "the first `/leads/complex` wave is applied but its reply is lost (dropped, read timeout, a proxy's 504): "
        "the repeat buyer's later order, held back for the second wave, creates the buyer's contact a second time",
        "3 orders, buyer A in orders 1 and 3 (new contact), buyer B in order 2; amoCRM applies wave 1 (orders "
        "1+2 with inline contacts) and the reply is lost. `DealWriter._create_leads` fails orders 1 and 2 "
        "(maybe applied) but still sends wave 2: order 3's contact key is not in `created`, so /leads/complex "
        "creates A's contact again. The next poll adopts orders 1 and 2 by name: A has 2 contacts, orders 1 "
        "and 3 point at different ones.",
        ("2/POST /api/v4/leads/complex#1", "5/timeout-lead-write", "5/cli-timeout"),
    ),
    Finding(
        "BUG-3",
        "a poll killed after its lead writes and then the store lost (deleted, or a power cut corrupts it and it "
        "is set aside): the fresh store adopts those leads as complete, so their note and product links are "
        "never added",
        "SIGKILL `kaspi-amo poll` right after amoCRM applied the second `/leads/complex`, delete "
        "data/kaspi-amo.sqlite3, run `kaspi-amo poll`: exit 0, 0 writes, all 3 orders DONE, the leads have no "
        "note and no products. `DealWriter._recover_leads` → `_adopt(complete=True)` for every listed "
        "`Kaspi #…` lead on a fresh store.",
        ("9/killed+deleted",),
    ),
    Finding(
        "BUG-4",
        "reconcile's status-change note is applied but its reply lost (or the process dies before the store "
        "write): the next reconcile detects the same change again and adds the same note a second time",
        "Sync 3 orders, change their Kaspi state/status, run reconcile with the reply of `POST /leads/notes` "
        "lost (`apply_then_drop_next`): the orders fail and keep the old state in the store; the next "
        "reconcile PATCHes again (harmless) and posts the identical \"статус изменился\" note again. "
        "`Reconciler._apply_chunk` saves the new state only after both writes.",
        ("2/reconcile POST /api/v4/leads/notes#1",),
    ),
    Finding(
        "BUG-5",
        "a run that lost its run lock kept writing to amoCRM (issue #19 item 1): a poll stopped past its "
        "lease and resumed, a lease aged in the database, a second poll with its clock 15 minutes ahead, a "
        "PostgreSQL lock session killed — each let two runs write the same orders",
        "the group 16 cases on the code before the fix: `16/aged` 2 iterations → +2 notes; `16/skew` 2 → "
        "+1 lead; `16/pg-kill` 4 → +12 notes (the cut-off poll exited 0); `16/sigstop` with the fence "
        "switched off, 4 → +10 leads, +2 notes, +3 contacts. The renew and ping threads only logged the loss.",
        ("16/sigstop", "16/aged", "16/skew", "16/pg-kill"),
    ),
    # found by the adversarial run of issue #19 and reproduced here before the fixes
    Finding(
        "BUG-6",
        "one buyer name with a lone surrogate (`\\ud800`) or, on PostgreSQL, a NUL stops every order of the poll "
        "(#19.2)",
        "Kaspi sends order 2 of 3 with `\\ud800` in the name: every poll exits 1 with a UnicodeEncodeError "
        "traceback from the store, 0 of 3 synced, and `status` shows fail_streak 0 (no alert); with `\\u0000` "
        "on PostgreSQL every poll fails with 'text fields cannot contain NUL', 0 of 3 synced.",
        ("12/surrogate", "12/nul"),
    ),
    Finding(
        "BUG-7",
        "an orders body nested 100,000 deep crashes the poll with a RecursionError; under `run` the failed cycle "
        "is not even recorded (#19.2)",
        "Three polls: exit 1 with a traceback, fail_streak 0, last_error empty, so no alert ever fires; the daemon "
        "only logs 'cycle crashed'.",
        ("12/deep",),
    ),
    Finding(
        "BUG-8",
        "a reconcile killed mid-change leaves a stale state tag and skips the intermediate note (#19.4)",
        "Kill loop, 20 kills over 60 deals (NEW→DELIVERY killed at a random write, then Kaspi → ARCHIVE): 42 deals "
        "ended with DELIVERY and ARCHIVE, 96 transition notes missing (the NEW→DELIVERY note never written, the "
        "next one written as NEW→ARCHIVE).",
        ("11/after-PATCH", "11/after-notes", "11/before-PATCH", "11/random×20"),
    ),
    Finding(
        "BUG-9",
        "a full disk behind the log floods stderr with «--- Logging error ---» tracebacks; a read-only log folder "
        "or home crashes the start with a raw OSError traceback (#19.5)",
        "Log file → /dev/full: one 3-order poll printed 144 stderr lines, 5 tracebacks. Log folder mounted "
        "read-only: the poll died in RotatingFileHandler with OSError [Errno 30], 0 of 3 synced.",
        ("13/disk-full", "13/read-only-logs", "13/read-only-home"),
    ),
    Finding(
        "BUG-10",
        "bad configuration gives tracebacks or a hang instead of exit 2 (#19.6)",
        "settings.json nested 50,000 deep: RecursionError traceback, exit 1; AMO_RPS=nan: ValueError traceback from "
        "the rate limiter; AMO_RPS=1e-9: accepted, the poll waits 1e9 s per amoCRM request holding the run lock.",
        ("14/rps-nan", "14/rps-1e-9", "14/settings-nested"),
    ),
    Finding(
        "BUG-11",
        "two Kaspi orders with one code and different ids: the deal silently takes whichever copy comes first (#19.8)",
        "Order 2 (17 970 ₸) and a stranger under its code (99 999 ₸) first in the page: exit 0, the deal says 99 999.",
        ("12/duplicate-code",),
    ),
    Finding(
        "BUG-12",
        "a wall clock 30 days off: every poll reports success with 0 orders and no alert (#19.8)",
        "The engine's clock 30 days ahead (or behind): polls ok, fetched 0, fail_streak 0; the window mark it "
        "stored then hid the next 30 days of orders from the poll once the clock was fixed.",
        ("15/ahead", "15/behind"),
    ),
    Finding(
        "BUG-13",
        "two machines on one PostgreSQL store (the README's setup) stop each other at the first token rotation (#19.3)",
        "Each machine keeps the pair in its own keyring: after machine A refreshed, machine B's next poll exited 1 "
        "with «Нужно заново подключить amoCRM» (tests/test_two_machines.py keeps this reproduction).",
        ("17/alternate", "17/daemons"),
    ),
    Finding(
        "BUG-14",
        "a SQLite file damaged inside (its header sound) was never set aside: it opened, and every poll "
        "failed on the damaged pages until a person renamed the file (issue #19 item 5)",
        "overwrite the orders table's page of data/kaspi-amo.sqlite3, run `kaspi-amo poll` as often as "
        "you like: «database disk image is malformed», exit 1 each time; only a damaged header was set aside.",
        ("9/damaged-inside",),
    ),
)


def finding_for(key: str) -> Finding | None:
    return next((f for f in FINDINGS if key in f.cases), None)


# --- the document --------------------------------------------------------------------------------


def _group_outcome(group: str, results: list[Result]) -> str:
    good = [r for r in results if r.ok]
    bad = [r for r in results if not r.ok]
    if group == "1":
        points = [r for r in results if r.key.startswith("1/k=")]
        worst = max((r.runs - 1 for r in points), default=0)
        text = (f"{sum(r.ok for r in points)}/{len(points)} kill points clean, each recovered by "
                f"{'the next poll' if worst == 1 else f'≤ {worst} polls'}")
    elif group == "16":
        text = f"{len(good)}/{len(results)} clean; " + "; ".join(
            f"{r.key.split('/', 1)[1]}: {r.summary}" for r in results)
    elif group == "3":
        text = f"{len(good)}/{len(results)} clean; every 429 waited out or its orders retried by the next poll"
    elif len(results) == 1:
        text = results[0].outcome
    else:
        prefix = f"{len(good)}/{len(results)} clean; "
        summaries = {r.summary for r in results}
        outcomes = {r.outcome for r in good}
        worst = max(r.runs for r in results)
        reads = ", faults on reads retried within the same poll" if group in ("4", "5") else ""
        if len(summaries) == 1 and "" not in summaries:
            text = prefix + summaries.pop()
        elif len(outcomes) == 1:
            text = prefix + outcomes.pop()
        else:
            text = f"{prefix}every case drained within {worst} runs{reads}"
    if bad:
        named: dict[str, list[str]] = {}
        for r in bad:
            finding = finding_for(r.key)
            named.setdefault(finding.id if finding else "NEW", []).append(f"`{r.key}`")
        text += "; ❌ " + "; ".join(f"{bug}: {', '.join(keys)}" for bug, keys in named.items())
    return text


def _row(group: str, results: list[Result]) -> str:
    dup = sum(r.audit.duplicates for r in results)
    lost = sum(len(r.audit.lost) for r in results)
    incomplete = sum(len(r.audit.incomplete) for r in results)
    flight_n = max((r.in_flight for r in results), default=0)
    runs = sum(r.runs for r in results)
    mark = "✅ " if all(r.ok for r in results) else ""
    extra = f" (+{incomplete} incomplete)" if incomplete else ""
    plural = "s" if len(results) > 1 else ""
    return (f"| {group} | {GROUPS[group]} | {flight_n} | {runs} in {len(results)} case{plural} | {dup} | {lost}{extra} "
            f"| {mark}{_group_outcome(group, results)} |")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(results: list[Result], *, quick: bool, seconds: float, r_clean: list[tuple[str, str]] | None) -> str:
    by_group: dict[str, list[Result]] = {}
    for r in results:
        by_group.setdefault(r.key.split("/", 1)[0], []).append(r)
    lines = [
        "# Reliability: the fault matrix",
        "",
        "*Exactly once* means: every Kaspi order in an allowed state (KASPI_ALLOWED_STATES) ends up in amoCRM as",
        "**one** lead `Kaspi #<code>` with **one** order note, linked to **one** contact per buyer phone and to",
        "**one** catalog product per SKU — whatever happens to the network, the computer or the store.",
        "",
        "Each case starts a fresh sandbox (the Kaspi and amoCRM emulators) with orders in flight, injects one",
        "fault, runs recovery cycles until the store's backlog is empty, then audits the emulated amoCRM:",
        "*duplicates* = extra leads per code + extra order notes per lead (and the same status-change note",
        "twice) + extra contacts per buyer phone + extra products per SKU; *lost* = orders in an allowed",
        "state without a lead; deals missing their note, contact or products are counted as *incomplete*.",
        "Expected everywhere: 0, 0, 0.",
        "",
        "Re-run (rewrites this file; exit 1 when a case fails):",
        "",
        "```",
        ".venv/bin/python scripts/fault_suite.py           # full: every kill point, real 30 s and 120 s waits",
        ".venv/bin/python scripts/fault_suite.py --quick   # sampled kill points, no long waits (about a minute)",
        ".venv/bin/pytest tests/test_fault_suite.py        # the same case functions as tests; -m 'not slow' = quick",
        "```",
        "",
        (f"Generated {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `scripts/fault_suite.py"
         f"{' --quick' if quick else ''}` in {seconds:.0f} s, {len(results)} cases."),
        "",
        "In flight: 3 new orders, 2 entries each over 3 SKUs, 2 buyers — one orders twice, so its contact is",
        "created once and reused (3 and 8 use more orders and buyers). CLI cases (1, 5/cli, 6's cross-check, 7,",
        "8, 9) run real `kaspi-amo` subprocesses with the emulated 7 rps limit, AMO_RPS 6 and default timeouts;",
        "in-process cases (2, 4, 5, 10) switch pacing off and shorten retry waits, since exactly-once does not",
        "depend on them; 3 and 6, which are about pacing, keep real limits and real waits (6 shifts the",
        "engine's clock to live through its cooldowns). Groups 11-14 and 16 (issue #19) run real `kaspi-amo`",
        "processes too (12/nul and 16 on PostgreSQL); 15 moves the engine's clock against the emulators' Date header.",
        "",
        "| # | Fault | Orders in flight | Runs | Duplicates | Lost | Outcome |",
        "|---|---|---|---|---|---|---|",
    ]
    for group in GROUPS:
        if group in by_group:
            lines.append(_row(group, by_group[group]))
    lines += ["", "Runs: sync cycles (polls, reconciles, daemon processes), the faulty ones included, summed over the",
              "row's cases.", ""]
    if r_clean:
        lines += [f"## Case 1 in detail: a clean poll makes R = {len(r_clean)} amoCRM requests", "",
                  "`kaspi-amo poll` is SIGKILLed from the emulator's `on_request` hook, then `kaspi-amo poll` runs",
                  "again until it exits 0. Cell: runs (killed + recovery), duplicates, lost.", "",
                  "| k | Request | Killed just before amoCRM applies it | Killed just after, reply unsent |",
                  "|---|---|---|---|"]
        points = {r.key: r for r in by_group.get("1", [])}
        for k, (method, path) in enumerate(r_clean, start=1):
            cells = []
            for phase in ("before", "after"):
                r = points.get(f"1/k={k}/{phase}")
                if r is None:
                    cells.append("not sampled (--quick)")
                else:
                    cells.append(("✅ " if r.ok else "❌ ") + f"{r.runs} runs, {r.audit.duplicates} dup, "
                                 f"{len(r.audit.lost)} lost" + ("" if r.ok else f" — {_cell(r.audit.summary())}"))
            lines.append(f"| {k} | `{method} {path}` | {cells[0]} | {cells[1]} |")
        lines.append("")
    lines += ["## Every case", "", "| Case | Fault | Orders | Runs | Dup | Lost | Incomplete | Outcome |",
              "|---|---|---|---|---|---|---|---|"]
    for r in results:
        note = r.outcome
        if not r.ok:
            finding = finding_for(r.key)
            note += f" — ❌ {finding.id if finding else 'NEW'}: " + "; ".join(r.audit.details + r.problems
                                                                             or [r.audit.summary()])
        lines.append(f"| `{r.key}` | {_cell(r.fault)} | {r.in_flight} | {r.runs} | {r.audit.duplicates} "
                     f"| {len(r.audit.lost)} | {len(r.audit.incomplete)} | {_cell(note)} |")
    failing = {r.key for r in results if not r.ok}
    ran = {r.key for r in results}
    lines += ["", "## Open findings", ""]
    open_findings = [f for f in FINDINGS if failing & set(f.cases)]
    if not failing:
        lines.append("None: every case ended with 0 duplicates, 0 lost and 0 incomplete orders.")
    for f in open_findings:
        cases_ = ", ".join(f"`{c}`" for c in f.cases if c in failing)
        lines += [f"**{f.id}** — {f.title}.", "", f"Reproduce: {f.reproduce} Cases: {cases_}.", ""]
    unexplained = sorted(k for k in failing if finding_for(k) is None)
    if unexplained:
        lines += ["**Not yet triaged**: " + ", ".join(f"`{k}`" for k in unexplained), ""]
    fixed = [f for f in FINDINGS if set(f.cases) & ran and not (set(f.cases) & failing)]
    for f in fixed:
        lines += [f"{f.id} no longer reproduces: drop it from `FINDINGS` (its xfail tests now pass strictly).", ""]
    if open_findings:
        lines += ["Tests keep these cases strict: `xfail(strict=True, reason=\"BUG …\")` in tests/test_fault_suite.py,",
                  "so a fix turns them into failures until the mark is removed."]
    lines += ["", "## Found by this suite (or by the adversarial run of issue #19) and fixed", ""]
    for f in FIXED:
        lines += [f"**{f.id}** — {f.title}.", "", f"Before: {f.reproduce}", "", f"Fix: {FIX_NOTES.get(f.id, '')}. "
                  "Cases: " + ", ".join(f"`{c}`" for c in f.cases) + ".", ""]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="sampled kill points, no 30-second timeouts")
    parser.add_argument("--only", help="comma-separated groups (1..10) or case keys; prints, does not write")
    parser.add_argument("--list", action="store_true", help="list the case keys and exit")
    parser.add_argument("--no-write", action="store_true", help="do not write docs/reliability.md")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--workers", type=int, default=3, help="kill points run in parallel (default 3)")
    args = parser.parse_args(argv)
    logging.getLogger().addHandler(logging.NullHandler())  # the engine's own logs are not the report

    started = time.monotonic()
    r_clean: list[tuple[str, str]] | None = None
    with tempfile.TemporaryDirectory(prefix="fault-clean-") as tmp:
        r_clean = clean_poll_requests(Path(tmp))
    selected = cases(args.quick)
    if not args.quick:
        # every k of this build's clean poll, whatever R is
        extra = [p for p in all_kill_points(len(r_clean)) if f"1/k={p[0]}/{p[1]}" not in {c.key for c in selected}]
        selected += kill_cases(extra, slow=True)
        selected = [c for c in selected
                    if not (c.key.startswith("1/k=") and int(c.key.split("=")[1].split("/")[0]) > len(r_clean))]
    if args.only:
        wanted = {w.strip() for w in args.only.split(",")}
        selected = [c for c in selected if c.group in wanted or c.key in wanted]
    if args.list:
        print("\n".join(f"{c.key}{'  (slow)' if c.slow else ''}" for c in selected))
        return 0
    print(f"clean poll: R = {len(r_clean)} amoCRM requests; {len(selected)} cases")
    results = run_cases(selected, workers=args.workers)
    seconds = time.monotonic() - started
    failed = [r for r in results if not r.ok]
    print(f"{len(results) - len(failed)}/{len(results)} cases clean in {seconds:.0f} s")
    if not args.only and not args.no_write:
        args.out.write_text(render(results, quick=args.quick, seconds=seconds, r_clean=r_clean), encoding="utf-8")
        print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.modules.setdefault("scripts.fault_suite", sys.modules["__main__"])  # one copy for fault_hostile
    sys.exit(main())
