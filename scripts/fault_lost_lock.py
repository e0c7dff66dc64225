"""Group 16 of the fault matrix (scripts/fault_suite.py): a run that lost its run lock (#19 item 1).

Each attack hits a `kaspi-amo poll` at its k-th amoCRM request, k = 1, 2, … over the clean poll's
requests: SQLite, the poll stopped (SIGSTOP) while a second poll finds its lease silent past the
TTL (timed with a hand-moved monotonic clock: "600 s later") and takes over, then resumed; SQLite,
the lease row aged by a day by hand, or a second poll with its clock 15 minutes ahead; PostgreSQL,
the poll's lock session killed (pg_terminate_backend, as an idle reaper would) while a second run
waits for the lock. Then the audit: 0 duplicate leads, notes, contacts, products; 0 lost.

    .venv/bin/python scripts/fault_suite.py --only 16
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from app.bootstrap import build_runtime
from app.clock import utc_now
from app.sandbox.server import Sandbox
from app.sync.engine import Engine
from scripts.fault_suite import (
    CLI_TIMEOUT,
    WRITES,
    Audit,
    Case,
    Check,
    Home,
    Result,
    _sleep_short,
    _tail,
    audit,
    flight,
    quiet,
)


def cases() -> list[Case]:
    quick = [Case("16", f"16/{attack}", lambda root, a=attack, n=n: lost_lock(root, a, n))
             for attack, n in (("sigstop", 4), ("aged", 2), ("skew", 2), ("pg-kill", 4))]
    full = [Case("16", f"16/{attack}-all", lambda root, a=attack, n=n: lost_lock(root, a, n), slow=True)
            for attack, n in (("sigstop", 20), ("aged", 5), ("skew", 5), ("pg-kill", 20))]
    return quick + full


class _FakeMonotonic:
    """The taker's monotonic clock, moved on by hand: "the holder has been silent for its TTL"."""

    def __init__(self) -> None:
        self.value = 1_000.0

    def __call__(self) -> float:
        return self.value


def _in_process_engine(cli: Home, *, store: Any = None, now: Callable[[], datetime] | None = None,
                       lock_wait: float = 0.0, grace: float | None = None) -> tuple[Engine, list[Any]]:
    """A second run on `cli`'s home, in this process (its secrets, its DATABASE_URL), optionally on
    a store built here (a SQLite store with a hand-moved lease clock)."""
    from app.bootstrap import load_configuration

    settings, secrets, _warning = load_configuration(cli.env)
    runtime = build_runtime(settings, secrets=secrets, lock_wait=lock_wait, retry_sleep=_sleep_short,
                            **({"now": now} if now else {}))
    if grace is not None:
        runtime.store.takeover_grace = grace  # type: ignore[attr-defined]
    engine = runtime.engine
    if store is not None:
        engine = Engine(runtime.kaspi, runtime.api, store, runtime.engine.options, now=now or utc_now,
                        lock_wait=lock_wait, amo_requests=lambda: runtime.amo_client.requests_made)
    return engine, [runtime.store] + ([store] if store is not None else [])


def _stop_at(box: Sandbox, k: int, action: Callable[[], None]) -> tuple[threading.Event, threading.Event]:
    """Run `action` as the poll's k-th amoCRM request arrives (before amoCRM applies it); the
    events say when it fired and when that request was then handled (applied, answered)."""
    fired, handled = threading.Event(), threading.Event()
    count = [0]

    def hook(method: str, path: str, applied: bool) -> None:
        if fired.is_set():
            if applied and not handled.is_set():
                handled.set()  # the poll makes one request at a time: this is the k-th one
            return
        if not applied and path.startswith("/api/v4"):
            count[0] += 1
            if count[0] == k:
                action()
                fired.set()

    box.amo.on_request(hook)
    return fired, handled


def _writes(box: Sandbox, since: int = 0) -> int:
    return sum(1 for m, p, _s in box.amo.request_log[since:] if m in WRITES and p.startswith("/api/v4"))


def _lost_lock_once(root: Path, attack: str, k: int, check: Check) -> tuple[Audit, int, str]:
    """One poll attacked at its k-th amoCRM request; returns the audit, the runs and what the
    attacked poll said."""
    orders = flight()
    with quiet(Sandbox(seed=False)) as box, contextlib.ExitStack() as cleanup:
        box.kaspi.add_orders(orders)
        extra: dict[str, str] = {}
        admin = schema = None
        if attack == "pg-kill":
            url, admin, schema = cleanup.enter_context(_pg_schema())
            extra["DATABASE_URL"] = url
        cli = Home(root, box, **extra)
        proc: subprocess.Popen[str] | None = None
        marks: dict[str, int] = {}

        def act() -> None:
            assert proc is not None
            if attack == "sigstop":
                os.kill(proc.pid, signal.SIGSTOP)
            elif attack == "aged":
                day_ago = (datetime.now(UTC) - timedelta(days=1)).isoformat(timespec="microseconds")
                with sqlite3.connect(cli.db) as conn:
                    conn.execute("UPDATE run_lock SET acquired_at = ?, renewed_at = ?, expires_at = ?",
                                 (day_ago, day_ago, day_ago))
            elif attack == "pg-kill":
                marks["kill"] = len(box.amo.request_log)  # the request in flight is logged next
                admin.execute(f"SELECT pg_terminate_backend(backend_pid, 5000) FROM {schema}.run_lock")

        fired, handled = _stop_at(box, k, act)
        proc = cli.popen("poll")
        runs = 1
        if not fired.wait(60):
            proc.communicate(timeout=CLI_TIMEOUT)
            return audit(box, [o.code for o in orders]), runs, "the clean poll has fewer requests"
        if attack == "sigstop":
            # the stopped poll's request is applied (it was sent in full); the next poll times the
            # silent lease with its own monotonic clock, past the TTL, and takes over
            check(handled.wait(10), "the stopped poll's request was never handled")
            from app.store.sqlite import SqliteStore

            clock = _FakeMonotonic()
            taker_store = SqliteStore(cli.db, monotonic=clock, clock_id="fault-suite-taker")
            engine, stores = _in_process_engine(cli, store=taker_store)
            runs += 1
            check(engine.poll().skipped_lock, "a stopped holder's lease was taken at first sight")
            clock.value += 601  # the default lease is 600 s
            runs += 1
            report = engine.poll()
            check(report.ok, f"the run that took over failed: {report.error}")
            mark = len(box.amo.request_log)
            os.kill(proc.pid, signal.SIGCONT)
            _out, err = proc.communicate(timeout=CLI_TIMEOUT)
            check(_writes(box, mark) == 0, f"the resumed poll sent {_writes(box, mark)} amoCRM writes")
        elif attack in ("aged", "skew"):
            # another poll while the first works: a lease aged by hand or a clock 15 min ahead
            skew = timedelta(minutes=15 if attack == "skew" else 0)
            engine, stores = _in_process_engine(cli, now=lambda: utc_now() + skew)
            runs += 1
            check(engine.poll().skipped_lock, "a second poll took a live run's lease")
            _out, err = proc.communicate(timeout=CLI_TIMEOUT)
            check(proc.returncode == 0, f"the first poll was disturbed: {err[-300:]}")
        else:  # pg-kill: the lock session is gone, the poll runs on; a waiting run takes over at once
            engine, stores = _in_process_engine(cli, lock_wait=30.0, grace=2.0)
            taker: dict[str, Any] = {}
            thread = threading.Thread(target=lambda: taker.update(report=engine.poll()))
            thread.start()
            _out, err = proc.communicate(timeout=CLI_TIMEOUT)
            stopped_in_grace = thread.is_alive()
            late = _writes(box, marks["kill"] + 1)  # the taker is still in its grace: these are the cut-off poll's
            check(late == 0, f"the poll whose lock session was killed sent {late} more amoCRM writes")
            thread.join(CLI_TIMEOUT)
            check(stopped_in_grace, "the cut-off poll still ran when the grace ended")
            runs += 1
            check(taker["report"].ok, f"the run that took over failed: {taker['report'].error}")
        for store in stores:
            store.close()
        if attack in ("sigstop", "pg-kill"):
            check(proc.returncode == 1 and "перехватил" in err,
                  f"the poll that lost its lock exited {proc.returncode}: {_tail_text(err)}")
        results = cli.drain()
        runs += len(results)
        check(results[-1].returncode == 0, f"recovery poll: {_tail(results[-1])}")
        return audit(box, [o.code for o in orders]), runs, _tail_text(err)


def _tail_text(text: str) -> str:
    return (text.strip().splitlines() or [""])[-1][:300]


PG_URL = os.environ.get("KASPI_AMO_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


@contextlib.contextmanager
def _pg_schema() -> Iterator[tuple[str, Any, str]]:
    """A throwaway schema on the test PostgreSQL server: (DATABASE_URL, admin connection, schema)."""
    import psycopg

    admin = psycopg.connect(PG_URL, autocommit=True, connect_timeout=3)
    name = f"fs_{uuid.uuid4().hex[:12]}"
    admin.execute(f"CREATE SCHEMA {name}")
    try:
        sep = "&" if "?" in PG_URL else "?"
        yield f"{PG_URL}{sep}options={quote(f'-csearch_path={name}')}", admin, name
    finally:
        admin.execute(f"DROP SCHEMA {name} CASCADE")
        admin.close()


LOST_LOCK_ATTACKS = {
    "sigstop": "SQLite: the poll is stopped (SIGSTOP) at its k-th amoCRM request, a second poll finds its "
               "lease silent past the TTL and takes over, then the first is resumed",
    "aged": "SQLite: the running poll's lease row is aged by a day by hand, a second poll starts",
    "skew": "SQLite: a second poll starts with its clock 15 minutes ahead while the first runs",
    "pg-kill": "PostgreSQL: the poll's lock session is killed (pg_terminate_backend, as an idle reaper "
               "would) at its k-th amoCRM request while a second poll waits for the lock",
}


#: Iterations at once (each its own sandbox, home and store) for the attacks whose checks do not
#: race the clock: a stopped poll waits for SIGCONT and its taker's lease clock is moved by hand.
#: "aged" and "skew" need the first poll still running when the second starts, and "pg-kill" its
#: cut-off poll gone within the taker's grace: those keep running one at a time.
ITERATION_WORKERS = {"sigstop": 3}


def lost_lock(root: Path, attack: str, iterations: int) -> Result:
    """`iterations` attacked polls, k = 1, 2, … over the clean poll's amoCRM requests (R = 10)."""
    started = time.monotonic()

    def iteration(i: int) -> tuple[int, Audit, int, list[str]]:
        k = i % 10 + 1
        own = Check()
        one, n, _said = _lost_lock_once(root / f"i{i}", attack, k, own)
        return k, one, n, own.problems

    with ThreadPoolExecutor(max_workers=ITERATION_WORKERS.get(attack, 1)) as pool:
        done = list(pool.map(iteration, range(iterations)))
    check = Check()
    total = Audit()
    runs = as_expected = 0
    for k, one, n, problems in done:
        check.problems += problems
        as_expected += not problems
        runs += n
        for name in ("leads", "notes", "contacts", "products"):
            setattr(total, name, getattr(total, name) + getattr(one, name))
        total.lost += one.lost
        total.incomplete += one.incomplete
        total.details += [f"k={k}: {d}" for d in one.details]
    if attack in ("sigstop", "pg-kill"):
        outcome = (f"{iterations} iterations; in {as_expected} the poll that lost its lock sent no write after the "
                   "takeover and stopped at its next one («другой запуск … перехватил», exit 1, a failed cycle) "
                   "while the run that took over finished every order")
    else:
        outcome = (f"{iterations} iterations; in {as_expected} the second poll was refused (the lock is held) and "
                   "the first finished undisturbed")
    return Result(f"16/{attack}", LOST_LOCK_ATTACKS[attack], 3, runs, total, outcome, check.problems,
                  time.monotonic() - started,
                  summary=f"iterations {iterations}, duplicates {total.duplicates}, lost {len(total.lost)}")
