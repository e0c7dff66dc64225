"""Fault cases of issue #19 for the matrix in scripts/fault_suite.py (groups 11–15 and 17): a reconcile
killed mid-change, hostile Kaspi data, a log file that cannot be written, bad configuration and a
computer clock 30 days off. Same shape as the suite's own cases: a fresh sandbox, one fault,
recovery runs, then the audit (0 duplicates, 0 lost, 0 incomplete) plus the case's own checks.

Run them through the suite: `.venv/bin/python scripts/fault_suite.py --only 11,12,13,14,15,17`.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import signal
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.sandbox.http import Request, Response
from app.sandbox.server import Sandbox
from scripts.fault_suite import (
    ALLOWED,
    MAX_RECOVERY,
    WRITES,
    Audit,
    Case,
    Check,
    Home,
    Lab,
    Result,
    _tail,
    audit,
    flight,
    poll_killed_when,
    quiet,
)


def _add(total: Audit, part: Audit) -> None:
    for name in ("leads", "notes", "contacts", "products"):
        setattr(total, name, getattr(total, name) + getattr(part, name))
    total.lost += part.lost
    total.incomplete += part.incomplete
    total.details += part.details


def _rewrite(box: Sandbox, change: Callable[[Request, bytes], bytes]) -> None:
    """Every Kaspi answer's raw JSON passes through `change` on the wire."""
    original = box.kaspi.handle

    def handle(request: Request) -> Response:
        response = original(request)
        response.body = change(request, response.body)
        return response

    box.kaspi.handle = handle  # type: ignore[method-assign]


# --- 11. a reconcile killed mid-change, then Kaspi moves the order on ---------------------------

STATE_TAGS = frozenset({"NEW", "SIGN_REQUIRED", "PICKUP", "DELIVERY", "KASPI_DELIVERY", "ARCHIVE"})
RECONCILE_KILLS = {  # (method, path end, applied): where in the status change the process dies
    "before-PATCH": ("PATCH", "/leads", False),
    "after-PATCH": ("PATCH", "/leads", True),
    "after-notes": ("POST", "/leads/notes", True),
}


def _change_line(old: tuple[str, str], new: tuple[str, str]) -> tuple[str, str]:
    """The «Было»/«Стало» codes a status-change note carries for old → new."""
    return f"({old[0]}/{old[1]})", f"({new[0]}/{new[1]})"


def stale_changes(box: Sandbox, history: dict[str, list[tuple[str, str]]]) -> tuple[list[str], list[str], int]:
    """(deals with a state tag other than the current one, transitions with no note, transitions
    noted more than once) for the orders' Kaspi `history` [(state, status), …]."""
    stale, missing, twice = [], [], 0
    for code, steps in history.items():
        (lead,) = box.amo.leads_named(f"Kaspi #{code}") or [None]
        if lead is None:
            continue
        tags = set(box.amo.lead_tags(lead["id"])) & STATE_TAGS
        if tags != {steps[-1][0]}:
            stale.append(f"{code} tags {sorted(tags)} in {steps[-1][0]}")
        notes = [str((n.get("params") or {}).get("text", "")) for n in box.amo.notes_for(lead["id"])
                 if n.get("note_type") == "common"]
        for old, new in itertools.pairwise(steps):
            was, now = _change_line(old, new)
            found = sum(1 for t in notes if "статус изменился" in t and was in t.splitlines()[1] and now in t.splitlines()[2])
            if found == 0:
                missing.append(f"{code} {old[0]}→{new[0]}")
            twice += max(0, found - 1)
    return stale, missing, twice


ROUND_WORKERS = 3  # independent rounds at once: each is CLI processes mostly waiting on the network


@dataclass
class _Round:
    audit: Audit
    stale: list[str]
    missing: list[str]
    runs: int
    killed: bool
    problems: list[str]


def _reconcile_round(root: Path, round_no: int, orders: int, where: tuple[str, str, bool, int]) -> _Round:
    """One round of `reconcile_killed` on a fresh sandbox: kill the reconcile at `where`
    (method, path end, applied, n-th such request), Kaspi moves on, reconcile until exit 0."""
    method, end, applied, nth = where
    check = Check()
    batch = flight(orders, start=880000001 + 1000 * round_no)
    with quiet(Sandbox(seed=False)) as box:
        box.kaspi.add_orders(batch)
        cli = Home(root / f"r{round_no}", box)
        history = {o.code: [("NEW", "APPROVED_BY_BANK")] for o in batch}
        first = cli.run("poll")
        runs = 1
        check(first.returncode == 0, f"the first poll failed: {_tail(first)}")
        for o in batch:
            box.kaspi.set_status(o.code, state="DELIVERY", status="ACCEPTED_BY_MERCHANT")
            history[o.code].append(("DELIVERY", "ACCEPTED_BY_MERCHANT"))
        seen = [0]

        def fires(m: str, p: str, a: bool) -> bool:
            if m == method and p.endswith(end) and not a:
                seen[0] += 1
            return m == method and p.endswith(end) and a == applied and seen[0] == nth

        _proc, killed = poll_killed_when(box, cli, fires, command="reconcile")
        runs += 1
        check(killed is not None, f"round {round_no}: the reconcile was never killed at {method} {end}")
        for i, o in enumerate(batch):  # Kaspi moves on before the next reconcile runs
            status = "COMPLETED" if i % 2 == 0 else "CANCELLED"
            box.kaspi.set_status(o.code, state="ARCHIVE", status=status)
            history[o.code].append(("ARCHIVE", status))
        for _ in range(MAX_RECOVERY):
            runs += 1
            if cli.run("reconcile").returncode == 0:
                break
        else:
            check(False, f"round {round_no}: reconciles never exited 0")
        stale, missing, twice = stale_changes(box, history)
        result_audit = audit(box, [o.code for o in batch], allowed=(*ALLOWED, "ARCHIVE"))
        result_audit.notes += twice
    return _Round(result_audit, stale, missing, runs, killed is not None, check.problems)


def reconcile_killed(root: Path, kill: str, *, rounds: int = 1, orders: int = 3, seed: int = 0) -> Result:
    """Kaspi moves the orders on (NEW → DELIVERY); `kaspi-amo reconcile` is SIGKILLed at `kill`
    ("random": a random amoCRM write, before or after it is applied); then Kaspi moves them on
    again (→ ARCHIVE) before the next reconcile. Every deal must end with only its current
    state tag, one note per Kaspi transition and nothing duplicated. `rounds` repeats it on
    fresh sandboxes (the kill loop), ROUND_WORKERS at a time; the kill points are drawn from
    `seed` in round order first, so a round kills where it would have killed run alone."""
    started = time.monotonic()
    rng = random.Random(seed)
    where: list[tuple[str, str, bool, int]] = []
    for _ in range(rounds):
        if kill == "random":
            writes = [k for k in RECONCILE_KILLS.values() if k[0] in WRITES]
            method, end, applied = rng.choice(writes)
            nth = rng.randint(1, max(1, orders // 50 + 1))
        else:
            method, end, applied = RECONCILE_KILLS[kill]
            nth = 1
        where.append((method, end, applied, nth))
    with ThreadPoolExecutor(max_workers=ROUND_WORKERS) as pool:
        done = list(pool.map(lambda n: _reconcile_round(root, n, orders, where[n]), range(rounds)))
    check = Check()
    total = Audit()
    for one in done:
        check.problems += one.problems
        _add(total, one.audit)
    stale_all = [s for one in done for s in one.stale]
    missing_all = [m for one in done for m in one.missing]
    runs = sum(one.runs for one in done)
    kills = sum(one.killed for one in done)
    deals = rounds * orders
    check(not stale_all, f"stale state tags: {'; '.join(stale_all[:6])}")
    check(not missing_all, f"status-change notes never written: {'; '.join(missing_all[:6])}")
    label = ("a random amoCRM write" if kill == "random" else
             {"before-PATCH": "just before amoCRM applies `PATCH /leads`", "after-PATCH": "just after amoCRM "
              "applied `PATCH /leads` (NEW→DELIVERY)", "after-notes": "just after amoCRM applied the "
              "status-change note"}[kill])
    key = f"11/{kill}" + (f"×{rounds}" if rounds > 1 else "")
    return Result(key, f"`kaspi-amo reconcile` SIGKILLed {label}, then Kaspi → ARCHIVE", deals, runs, total,
                  f"{kills} kills, {deals} deals: stale state tags {len(stale_all)}, missing transition notes "
                  f"{len(missing_all)}", check.problems, time.monotonic() - started,
                  summary="no stale state tag, every Kaspi transition noted exactly once, nothing duplicated")


# --- 12. hostile Kaspi data ------------------------------------------------------------------------

DEEP = b"[" * 100_000 + b"]" * 100_000


@contextmanager
def pg_schema() -> Iterator[str]:
    """A DATABASE_URL on a throwaway PostgreSQL schema (the test server of tests/pg.py)."""
    import unittest

    import psycopg

    from tests.pg import PG_URL, SKIP_PG, with_search_path

    if SKIP_PG:  # pytest reports it as a skip; the suite script as a crashed case
        raise unittest.SkipTest("PostgreSQL cases skipped: KASPI_AMO_SKIP_POSTGRES=1")

    schema = f"fault_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_URL, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
        try:
            yield with_search_path(PG_URL, schema)
        finally:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


def _the_fault(kind: str, box: Sandbox, code: str) -> Callable[[Request, bytes], bytes]:
    name = "Ерлан".encode()  # the second buyer of flight(): order 2's name

    def change(request: Request, body: bytes) -> bytes:
        if kind == "surrogate":
            return body.replace(name, rb"\ud800Erlan")
        if kind == "nul":
            return body.replace(name, rb"Er\u0000lan")
        if not request.path.endswith("/orders"):
            return body
        if kind == "deep":
            return DEEP
        doc = json.loads(body)  # duplicate-code: a stranger under order 2's code, first in the page
        copies = [dict(r, id=r["id"] + "Zz", attributes=dict(r["attributes"], totalPrice=99_999.0))
                  for r in doc.get("data") or [] if r["attributes"]["code"] == code]
        doc["data"] = copies + doc["data"]
        return json.dumps(doc, ensure_ascii=False).encode()

    return change


def hostile_data(root: Path, kind: str) -> Result:
    """Kaspi sends order 2 of 3 with a lone surrogate or a NUL in the buyer's name (cleaned: all 3
    synced at once, the NUL case on PostgreSQL), a body nested 100,000 deep (every cycle fails
    clearly and is counted, until Kaspi answers sanely) or order 2 twice under one code with
    another id and total (held back, reported once, synced with its own total once Kaspi shows
    one order). Three cron polls with the fault, then it goes and polls run until clean."""
    started = time.monotonic()
    orders = flight()
    check = Check()
    bad = orders[1].code
    with pg_schema() if kind == "nul" else nullcontext() as db_url, quiet(Sandbox(seed=False)) as box:
        box.kaspi.add_orders(orders)
        cli = Home(root, box, **({"DATABASE_URL": db_url} if db_url else {}))
        faulty = {"on": True}
        change = _the_fault(kind, box, bad)
        _rewrite(box, lambda r, b: change(r, b) if faulty["on"] else b)
        codes = [cli.run("poll").returncode for _ in range(3)]
        status = cli.status()
        if kind in ("surrogate", "nul"):
            check(codes == [0, 0, 0], f"poll exit codes {codes}: the bad text stopped the batch")
            check(status.get("processed_total") == 3, f"{status.get('processed_total')} of 3 synced")
            lead = box.amo.leads_named(f"Kaspi #{bad}")
            names = [box.amo.contacts[c]["name"] for c in box.amo.lead_contact_ids(lead[0]["id"])] if lead else []
            check(names and "\x00" not in names[0] and "\ud800" not in names[0], f"contact names {names!r}")
            outcome = f"polls exit {codes}; all 3 synced in the first poll, the name cleaned ({names[0] if names else '?'})"
        elif kind == "deep":
            check(codes == [1, 1, 1], f"poll exit codes {codes}")
            check(status.get("fail_streak") == 3 and "Kaspi" in (status.get("last_error") or ""),
                  f"status after 3 failed polls: fail_streak {status.get('fail_streak')}, "
                  f"last_error {status.get('last_error')!r}")
            outcome = f"polls exit {codes}, fail_streak {status.get('fail_streak')} (alerts fire at 3)"
        else:
            check(codes == [1, 0, 0], f"poll exit codes {codes}: reported once, then quiet")
            check(not box.amo.leads_named(f"Kaspi #{bad}"), "a deal was written for the ambiguous code")
            outcome = f"polls exit {codes}; the ambiguous code held back, reported once"
        faulty["on"] = False  # Kaspi answers sanely again
        results = cli.drain()
        check(results[-1].returncode == 0, f"recovery: {_tail(results[-1])}")
        if kind == "duplicate-code" and box.amo.leads_named(f"Kaspi #{bad}"):
            price = box.amo.leads_named(f"Kaspi #{bad}")[0]["price"]
            check(price == round(orders[1].total_price), f"the deal took price {price}")
        result = audit(box, [o.code for o in orders])
    where = " (PostgreSQL)" if kind == "nul" else ""
    label = {"surrogate": "a lone surrogate `\\ud800` in a buyer's name", "nul": "a NUL in a buyer's name",
             "deep": "an orders body nested 100,000 deep",
             "duplicate-code": "two orders under one code (another id, total 99 999)"}[kind]
    return Result(f"12/{kind}", label + where, len(orders), cli.runs, result, outcome, check.problems,
                  time.monotonic() - started,
                  summary="bad text cleaned (3 of 3 synced in the first poll), a deep body a counted failure "
                          "(fail_streak 3), an ambiguous code held back and reported once")


# --- 13. the log file cannot be written ------------------------------------------------------------


@contextmanager
def read_only(folder: Path) -> Iterator[bool]:
    """`folder` read-only for this process (a read-only bind mount as root, else chmod); yields
    False when this machine allows neither."""
    if os.geteuid() != 0:
        folder.chmod(0o500)
        try:
            yield True
        finally:
            folder.chmod(0o700)
        return
    if subprocess.run(["mount", "--bind", str(folder), str(folder)], capture_output=True, check=False).returncode:
        yield False
        return
    try:
        ok = not subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], capture_output=True,
                                check=False).returncode
        yield ok
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True, check=False)


def log_fault(root: Path, kind: str) -> Result:
    """disk-full: the log file is /dev/full (every write ENOSPC); read-only: the log folder (or the
    whole home) is mounted read-only. Cron polls and a reconcile run through it."""
    started = time.monotonic()
    orders = flight()
    check = Check()
    with quiet(Sandbox(seed=False)) as box:
        box.kaspi.add_orders(orders)
        cli = Home(root, box, LOG_LEVEL="debug")
        check(cli.run("status").returncode == 0, "status failed")  # the home exists
        results: list[subprocess.CompletedProcess[str]] = []
        if kind == "disk-full":
            log = cli.home / "logs" / "kaspi-amo.log"
            log.unlink(missing_ok=True)
            log.symlink_to("/dev/full")
            results = [cli.run(c) for c in ("poll", "poll", "reconcile")]
            log.unlink()
        else:
            target = cli.home if kind == "read-only-home" else cli.home / "logs"
            with read_only(target) as possible:
                if not possible:
                    return Result(f"13/{kind}", f"{kind}: cannot be set up here (no mount rights)", 3, 0, Audit(),
                                  "skipped", [], time.monotonic() - started)
                results = [cli.run(c) for c in ("poll", "poll", "reconcile")]
        codes = [r.returncode for r in results]
        lines = [len([x for x in r.stderr.splitlines() if x.strip()]) for r in results]
        floods = sum(r.stderr.count("--- Logging error ---") + r.stderr.count("Traceback") for r in results)
        check(floods == 0, f"{floods} «--- Logging error ---»/traceback blocks on stderr")
        if kind == "read-only-home":  # the store (or a lock/secrets file) cannot be written: one line, exit 1/2
            check(set(codes) <= {1, 2} and lines == [1, 1, 1], f"exit codes {codes}, stderr lines {lines}")
            check(all(str(cli.home) in r.stderr for r in results), "the line does not name the file")
        else:
            check(codes == [0, 0, 0] and max(lines) <= 2, f"exit codes {codes}, stderr lines {lines}")
        drained = cli.drain()
        check(drained[-1].returncode == 0, f"after the fault: {_tail(drained[-1])}")
        result = audit(box, [o.code for o in orders])
    label = {"disk-full": "log file on a full disk (/dev/full)", "read-only-logs": "log folder read-only",
             "read-only-home": "whole home folder read-only"}[kind]
    return Result(f"13/{kind}", label, len(orders), cli.runs, result,
                  f"exit {codes}, stderr lines per run {lines}, 0 «Logging error» blocks", check.problems,
                  time.monotonic() - started,
                  summary="0 «Logging error» blocks, at most 2 stderr lines per run, every order synced; a "
                          "read-only home: one line naming the file it cannot write, no traceback")


# --- 14. bad configuration -----------------------------------------------------------------------------


def bad_config(root: Path, kind: str) -> Result:
    """The CLI with a hostile setting: exit 2 within seconds, one line naming it, no amoCRM request
    and no run lock held; fixed, the next poll syncs everything once."""
    started = time.monotonic()
    orders = flight()
    check = Check()
    with quiet(Sandbox(seed=False)) as box:
        box.kaspi.add_orders(orders)
        cli = Home(root, box)
        extra: dict[str, str] = {}
        settings = cli.home / "config" / "settings.json"
        if kind == "settings-nested":
            settings.parent.mkdir(parents=True, exist_ok=True)
            settings.write_text('{"AMO_RPS": ' + "[" * 50_000 + "]" * 50_000 + "}", encoding="utf-8")
        else:
            extra["AMO_RPS"] = {"rps-nan": "nan", "rps-1e-9": "1e-9"}[kind]
        t0 = time.monotonic()
        bad = [cli.run("poll", timeout=120, **extra) for _ in range(2)]
        seconds = time.monotonic() - t0
        codes = [r.returncode for r in bad]
        lines = [[x for x in r.stderr.splitlines() if x.strip()] for r in bad]
        check(codes == [2, 2], f"exit codes {codes}")
        check(all(len(ls) == 1 and ("AMO_RPS" in ls[0] or "settings.json" in ls[0]) for ls in lines),
              f"stderr {lines[0][:3]}")
        check(len(box.amo.request_log) == 0, f"{len(box.amo.request_log)} amoCRM requests")
        settings.unlink(missing_ok=True)
        drained = cli.drain()
        check(drained[-1].returncode == 0, f"fixed: {_tail(drained[-1])}")
        result = audit(box, [o.code for o in orders])
    label = {"rps-nan": "AMO_RPS=nan", "rps-1e-9": "AMO_RPS=1e-9 (would hold the run lock for ages)",
             "settings-nested": "settings.json nested 50,000 deep"}[kind]
    return Result(f"14/{kind}", label, len(orders), cli.runs, result,
                  f"exit {codes} in {seconds:.1f} s for both, one line naming it, 0 amoCRM requests",
                  check.problems, time.monotonic() - started,
                  summary="exit 2 within seconds, one line naming the setting, 0 amoCRM requests; fixed, synced once")


# --- 15. the computer's clock 30 days off ----------------------------------------------------------------


def clock_off(root: Path, days: int) -> Result:
    """The engine's wall clock `days` off Kaspi's (the emulators keep real time in their Date
    header): 3 cron polls and a reconcile must fail clearly, write nothing and count as failures;
    with the clock fixed everything syncs once."""
    started = time.monotonic()
    lab = Lab(root, flight())
    check = Check()
    try:
        def wrong() -> datetime:
            return datetime.now(UTC) + timedelta(days=days)

        skewed = lab.runtime(now=wrong, wall_clock=wrong)
        reports = [lab.poll(skewed) for _ in range(3)] + [lab.reconcile(skewed)]
        errors = [type(r.error).__name__ if r.error else "ok" for r in reports]
        check(all(e == "ClockSkewError" for e in errors), f"cycles ended {errors}")
        check(lab.amo.write_requests == 0, f"{lab.amo.write_requests} amoCRM writes with the wrong clock")
        streak = skewed.store.get_meta("fail_streak")
        check(streak == "4", f"fail_streak {streak} after 4 failed cycles")
        polls = lab.drain(lab.runtime())
        result = audit(lab.box, lab.codes)
    finally:
        lab.close()
    direction = "ahead" if days > 0 else "behind"
    return Result(f"15/{direction}", f"wall clock {abs(days)} days {direction} of Kaspi's", len(lab.codes), lab.runs,
                  result, f"4 cycles failed with «Часы компьютера идут неверно», fail_streak {streak}, 0 writes; "
                  f"clock fixed: synced in {polls} poll(s)", check.problems, time.monotonic() - started)


# --- 17. two machines on one PostgreSQL store ---------------------------------------------------------


def _machine(root: Path, box: Sandbox, name: str, db_url: str, key: str, seed: dict[str, str]) -> Home:
    machine = Home(root / name, box, DATABASE_URL=db_url, KASPI_AMO_STORE_KEY=key)
    machine.env.update(seed)  # every machine seeded with the pair the owner pasted once
    return machine


def two_machines(root: Path, mode: str, *, rounds: int = 10) -> Result:
    """Two machines (two homes, two secret files) on one PostgreSQL schema with one
    KASPI_AMO_STORE_KEY. "alternate": before each poll amoCRM expires every access token, so each
    poll refreshes the single-use pair, and the machines take turns. "daemons": both run
    `kaspi-amo run` (poll every 15 s) for a minute while tokens expire every 7 s and orders keep
    coming."""
    import base64

    started = time.monotonic()
    check = Check()
    key = base64.b64encode(os.urandom(32)).decode()
    codes: list[str] = []
    with pg_schema() as db_url, quiet(Sandbox(seed=False)) as box:
        access, refresh = box.amo.issue_tokens()
        seed = {"AMO_ACCESS_TOKEN": access, "AMO_REFRESH_TOKEN": refresh}
        a, b = (_machine(root, box, name, db_url, key, seed) for name in ("a", "b"))
        if mode == "alternate":
            exits = []
            for n in range(rounds):
                box.amo.expire_access_tokens()
                batch = flight(2, start=894000001 + 10 * n)
                box.kaspi.add_orders(batch)
                codes += [o.code for o in batch]
                result = (a if n % 2 == 0 else b).run("poll")
                exits.append(result.returncode)
                check(result.returncode == 0, f"round {n}: {_tail(result)}")
            detail = f"polls exit {sorted(set(exits))} over {rounds} rotations, A and B in turn"
        else:
            daemons = [m.popen("run", POLL_INTERVAL_SECONDS="15") for m in (a, b)]
            deadline = time.monotonic() + 60
            n = 0
            while time.monotonic() < deadline:
                batch = flight(2, start=895000001 + 10 * n)
                box.kaspi.add_orders(batch)
                codes += [o.code for o in batch]
                n += 1
                time.sleep(3.5)
                box.amo.expire_access_tokens()
                time.sleep(3.5)
            errs = []
            for proc in daemons:
                proc.send_signal(signal.SIGTERM)
                _out, err = proc.communicate(timeout=120)
                errs.append(err)
                check(proc.returncode == 0, f"a daemon exited {proc.returncode}")
            reconnect = sum(e.count("подключить amoCRM") for e in errs)
            check(reconnect == 0, f"{reconnect} «reconnect amoCRM» failures")
            drained = a.drain()
            check(drained[-1].returncode == 0, f"final poll: {_tail(drained[-1])}")
            detail = f"2 daemons for 60 s, tokens expired {n}×, {reconnect} «reconnect» failures"
        refused = sum(1 for _m, path, status in box.amo.request_log if path.startswith("/oauth2") and status != 200)
        refreshed = sum(1 for _m, path, status in box.amo.request_log if path.startswith("/oauth2") and status == 200)
        check(refused == 0, f"{refused} refresh(es) refused by amoCRM (a spent refresh token sent again)")
        result_audit = audit(box, codes)
        runs = a.runs + b.runs
    return Result(f"17/{mode}", "two machines on one PostgreSQL store, one KASPI_AMO_STORE_KEY, tokens rotating "
                  + ("before every poll" if mode == "alternate" else "under two `run` daemons"), len(codes), runs,
                  result_audit, f"{detail}; {refreshed} refreshes, {refused} refused", check.problems,
                  time.monotonic() - started,
                  summary="every poll of both machines succeeded through every rotation; 0 refreshes refused")


# --- the registry --------------------------------------------------------------------------------------


def cases() -> list[Case]:
    return [
        *[Case("11", f"11/{kill}", lambda root, k=kill: reconcile_killed(root, k)) for kill in ("after-PATCH", "after-notes")],
        Case("11", "11/before-PATCH", lambda root: reconcile_killed(root, "before-PATCH"), slow=True),
        Case("11", "11/random×20", lambda root: reconcile_killed(root, "random", rounds=20, seed=19), slow=True),
        *[Case("12", f"12/{kind}", lambda root, k=kind: hostile_data(root, k))
          for kind in ("surrogate", "nul", "deep", "duplicate-code")],
        Case("13", "13/disk-full", lambda root: log_fault(root, "disk-full")),
        Case("13", "13/read-only-logs", lambda root: log_fault(root, "read-only-logs")),
        Case("13", "13/read-only-home", lambda root: log_fault(root, "read-only-home"), slow=True),
        *[Case("14", f"14/{kind}", lambda root, k=kind: bad_config(root, k))
          for kind in ("rps-nan", "rps-1e-9", "settings-nested")],
        Case("15", "15/ahead", lambda root: clock_off(root, 30)),
        Case("15", "15/behind", lambda root: clock_off(root, -30)),
        Case("17", "17/alternate", lambda root: two_machines(root, "alternate")),
        Case("17", "17/daemons", lambda root: two_machines(root, "daemons"), slow=True),
    ]
