"""A run that lost its run lock must stop writing (issue #19, item 1).

The attacks an adversarial tester used, each reproduced: the holder stopped (SIGSTOP) past its
lease and resumed, the lease row aged by hand, the next poll's clock 15 minutes ahead, the
PostgreSQL lock session killed (pg_terminate_backend, an idle reaper). Store level: who gets
the lock and what a run that lost it may still write (nothing). Engine level: the run stops at
once with a clear error recorded as a failed cycle, sends no further amoCRM write, and the run
that took over finishes every order exactly once. scripts/fault_suite.py (group 16, in
scripts/fault_lost_lock.py) runs the same attacks against CLI polls many times.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.errors import RunLockLost, StoreLockedError
from app.sandbox.seed import SandboxEntry, make_order
from app.store.base import OrderRecord
from app.store.sqlite import SqliteStore
from tests.store_support import StoreFactory, backend, database_url, store_factory

REPO_ROOT = Path(__file__).resolve().parents[1]
UTC = UTC

__all__ = ["backend", "database_url", "store_factory"]  # fixtures used by name


class Monotonic:
    """A taker's monotonic clock moved by hand ("the holder has been silent for this long")."""

    def __init__(self) -> None:
        self.value = 5_000.0

    def __call__(self) -> float:
        return self.value


@pytest.fixture
def open_store(backend: str, store_factory: StoreFactory) -> Callable[..., Any]:
    """store_factory's stores, migrated; PostgreSQL takers wait 0.1 s, not 45 s, for a cut-off holder."""

    def make(**kw: Any) -> Any:
        store = store_factory(**({"takeover_grace": 0.1, **kw} if backend == "postgres" else kw))
        store.migrate()
        return store

    return make


# --- who may hold the lock --------------------------------------------------------------------


def test_fence_is_a_no_op_without_a_run_lock(open_store: Callable[..., Any]) -> None:
    store = open_store()
    store.fence()
    store.save_order(OrderRecord(code="outside-any-run"))
    assert store.get_order("outside-any-run") is not None


def test_a_live_run_keeps_its_lock_against_a_clock_ahead_and_an_aged_lease(
    open_store: Callable[..., Any], backend: str
) -> None:
    """The next poll's clock 15 minutes ahead, and the lease row's times aged by a day by hand:
    neither hands a live run's lock to another run; the holder writes on."""
    holder = open_store()
    ahead = open_store(now=lambda: datetime.now(UTC) + timedelta(minutes=15))
    with holder.run_lock("first-poll"):
        day_ago = holder.dialect.time_in(datetime.now(UTC) - timedelta(days=1))
        with ahead._write(fenced=False) as tx:
            tx.execute("UPDATE run_lock SET acquired_at = ?, renewed_at = ?", (day_ago, day_ago))
            if backend == "sqlite":
                tx.execute("UPDATE run_lock SET expires_at = ?", (day_ago,))
        with (pytest.raises(StoreLockedError, match="first-poll"),
              ahead.run_lock("second-poll", wait_seconds=0.5)):
            pytest.fail("a live run's lock was taken")
        holder.fence()
        holder.save_order(OrderRecord(code="still-mine"))
    assert ahead.get_order("still-mine") is not None


def test_sqlite_a_silent_lease_is_taken_over_by_the_takers_monotonic_clock(tmp_path: Path) -> None:
    """A holder that stopped renewing (SIGSTOP, a hang) loses its lease once takers have timed its
    silence for its TTL with their own monotonic clock; cron polls minutes apart time it together
    (the observation is kept in the row). The stopped run then cannot write anything more."""
    path = tmp_path / "store.db"
    clock = Monotonic()
    stopped = SqliteStore(path)
    first_cron, second_cron = (SqliteStore(path, monotonic=clock, clock_id="test-clock") for _ in range(2))
    try:
        stopped.migrate()
        with stopped.run_lock("stopped-run", ttl_seconds=60):  # its renewer would first run after 20 s
            with pytest.raises(StoreLockedError), first_cron.run_lock("cron-1"):
                pass
            clock.value += 59
            with pytest.raises(StoreLockedError), second_cron.run_lock("cron-2"):
                pass
            clock.value += 2
            with second_cron.run_lock("cron-3"):
                with pytest.raises(RunLockLost, match="перехватил") as lost:
                    stopped.fence()
                assert lost.value.title == "Синхронизацию продолжил другой запуск"
                with pytest.raises(RunLockLost):
                    stopped.save_order(OrderRecord(code="written-too-late"))
                with pytest.raises(RunLockLost):
                    stopped.set_meta("fail_streak", "0")
                with pytest.raises(RunLockLost):
                    stopped.renew_lock()
                assert second_cron.get_order("written-too-late") is None
                second_cron.save_order(OrderRecord(code="the-new-holder-writes"))
        # each run released only its own lease: free again
        with first_cron.run_lock("next"):
            pass
    finally:
        for store in (stopped, first_cron, second_cron):
            store.close()


def test_sqlite_a_renewing_holder_is_never_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    clock = Monotonic()
    holder, taker = SqliteStore(path), SqliteStore(path, monotonic=clock, clock_id="test-clock")
    try:
        holder.migrate()
        with holder.run_lock("long-run", ttl_seconds=60):
            with pytest.raises(StoreLockedError), taker.run_lock("cron"):
                pass
            clock.value += 50
            holder.renew_lock()  # its beat moves: the silence timed so far no longer counts
            clock.value += 50
            with pytest.raises(StoreLockedError), taker.run_lock("cron"):
                pass
            clock.value += 59
            with pytest.raises(StoreLockedError), taker.run_lock("cron"):
                pass
            clock.value += 2  # 61 s of silence since the renewal
            with taker.run_lock("cron"):
                pass
    finally:
        holder.close()
        taker.close()


def test_sqlite_background_renewal_keeps_a_busy_run_alive(tmp_path: Path) -> None:
    """Renewal every ttl/3 by a background thread: however far a taker's clock moves between its
    looks, it never finds the beat standing still."""
    path = tmp_path / "store.db"
    clock = Monotonic()
    holder, taker = SqliteStore(path), SqliteStore(path, monotonic=clock, clock_id="test-clock")
    try:
        holder.migrate()
        with holder.run_lock("busy-run", ttl_seconds=0.3):
            beats = []
            for _ in range(5):
                with pytest.raises(StoreLockedError), taker.run_lock("cron"):
                    pass
                beats.append(taker._read("SELECT beat FROM run_lock")[0][0])
                time.sleep(0.25)
                clock.value += 1_000
            assert beats == sorted(beats) and beats[-1] > beats[0]
            holder.fence()
    finally:
        holder.close()
        taker.close()


STOPPABLE_HOLDER = textwrap.dedent(
    """
    import sys
    from app.errors import RunLockLost
    from app.store.base import OrderRecord
    from app.store.sqlite import SqliteStore
    store = SqliteStore(sys.argv[1])
    store.migrate()
    with store.run_lock("child-poll"):
        print("locked", flush=True)
        sys.stdin.readline()
        try:
            store.save_order(OrderRecord(code="after-resume"))
            print("wrote", flush=True)
        except RunLockLost as exc:
            print("lost:", exc.message, flush=True)
    store.close()
    """
)


@pytest.mark.skipif(os.name == "nt", reason="SIGSTOP")
def test_sqlite_holder_stopped_past_its_lease_cannot_write_after_it_resumes(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    clock = Monotonic()
    taker = SqliteStore(path, monotonic=clock, clock_id="test-clock")
    taker.migrate()
    child = subprocess.Popen(
        [sys.executable, "-c", STOPPABLE_HOLDER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True, cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )
    try:
        assert child.stdout is not None and child.stdin is not None
        assert child.stdout.readline().strip() == "locked"
        os.kill(child.pid, signal.SIGSTOP)
        # alive (stopped): only its silence can free the lease
        with pytest.raises(StoreLockedError), taker.run_lock("next-poll"):
            pass
        clock.value += 601  # the default lease: 600 s
        with taker.run_lock("next-poll"):
            os.kill(child.pid, signal.SIGCONT)
            child.stdin.write("\n")
            child.stdin.flush()
            said = child.stdout.readline().strip()
            assert said.startswith("lost:") and "перехватил" in said, said
        assert taker.get_order("after-resume") is None
        assert child.wait(10) == 0
    finally:
        if child.poll() is None:
            os.kill(child.pid, signal.SIGCONT)
            child.kill()
        child.wait(5)
        for stream in (child.stdin, child.stdout):
            if stream is not None:
                stream.close()
        taker.close()


def test_pg_killed_lock_session_fences_every_write_and_the_taker_waits_its_grace(pg_schema_url: str) -> None:
    from app.store.postgres import PostgresStore

    holder = PostgresStore(pg_schema_url)
    taker = PostgresStore(pg_schema_url, takeover_grace=0.6)
    try:
        holder.migrate()
        with holder.run_lock("long-run"):
            holder.fence()
            taker._read("SELECT pg_terminate_backend(backend_pid, 5000) FROM run_lock")  # an idle reaper's kill
            with pytest.raises(RunLockLost, match="перехватил"):
                holder.fence()
            with pytest.raises(RunLockLost):
                holder.save_order(OrderRecord(code="written-too-late"))
            with pytest.raises(RunLockLost):
                holder.renew_lock()
            assert taker.get_order("written-too-late") is None
            started = time.monotonic()
            with taker.run_lock("next-poll", wait_seconds=5):
                # the cut-off holder (this very process: alive) may have a write in flight
                assert time.monotonic() - started >= 0.6
                taker.save_order(OrderRecord(code="the-new-holder-writes"))
        started = time.monotonic()
        with taker.run_lock("again"):  # released cleanly: nothing in flight, no wait
            assert time.monotonic() - started < 0.5
    finally:
        holder.close()
        taker.close()


# --- the engine ----------------------------------------------------------------------------------


def _orders(now: datetime, count: int) -> list[Any]:
    return [
        make_order(str(960000001 + i), created=now - timedelta(hours=1, minutes=i), phone=f"70177700{i % 40:02d}",
                   entries=[SandboxEntry(f"SKU-L{i % 4}", f"Товар {i % 4}", 1, 1200.0)])
        for i in range(count)
    ]


def _take_lock_away(runtime: Any, store_backend: str, request: pytest.FixtureRequest) -> tuple[Any, Callable[[], None]]:
    """Another run takes the lock from `runtime`'s poll as it would after the attack: SQLite, the
    poll's lease silent past its TTL (a stopped process); PostgreSQL, its lock session killed.
    Returns the taker's store and a function that releases the taker's lock."""
    held, release = threading.Event(), threading.Event()
    if store_backend == "sqlite":
        clock = Monotonic()
        taker: Any = SqliteStore(runtime.store.path, monotonic=clock, clock_id="test-clock")
        with pytest.raises(StoreLockedError), taker.run_lock("observer"):
            pass
        clock.value += 601
    else:
        from app.store.postgres import PostgresStore

        taker = PostgresStore(request.getfixturevalue("pg_schema_url"), takeover_grace=0)
        taker._read("SELECT pg_terminate_backend(backend_pid, 5000) FROM run_lock")

    def hold() -> None:
        with taker.run_lock("taker", wait_seconds=10):
            held.set()
            release.wait(30)

    thread = threading.Thread(target=hold)
    thread.start()
    assert held.wait(15), "the taker never got the lock"

    def let_go() -> None:
        release.set()
        thread.join(10)
        taker.close()

    return taker, let_go


def _exactly_once(sandbox: Any, batch: list[Any]) -> None:
    for order in batch:
        leads = sandbox.amo.leads_named(f"Kaspi #{order.code}")
        assert len(leads) == 1, order.code
        notes = [n for n in sandbox.amo.notes_for(leads[0]["id"]) if n.get("note_type") == "common"]
        assert len(notes) == 1, order.code
    assert len(sandbox.amo.contacts) == len({o.phone for o in batch})


def _writes(sandbox: Any, since: int = 0) -> list[tuple[str, str, int]]:
    return [e for e in sandbox.amo.request_log[since:] if e[0] in ("POST", "PATCH", "PUT", "DELETE")
            and e[1].startswith("/api/v4")]


def test_a_poll_that_lost_its_lock_stops_at_once_and_the_next_one_finishes(
    sandbox: Any, make_runtime: Callable[..., Any], now: datetime, store_backend: str, request: pytest.FixtureRequest
) -> None:
    """60 orders (two batches a phase); the lock is taken away while the poll's second lead batch
    is on its way (it is applied: it was sent in full): the poll writes nothing more, says so, and
    the failed cycle is recorded; the next poll finishes every order exactly once."""
    batch = _orders(now, 60)
    sandbox.kaspi.add_orders(batch)
    first = make_runtime()
    first.store.migrate()
    state: dict[str, Any] = {"leads": 0}

    def hook(method: str, path: str, applied: bool) -> None:
        if applied or "let_go" in state or not (method == "POST" and path.endswith("/leads/complex")):
            return
        state["leads"] += 1
        if state["leads"] == 2:
            state["mark"] = len(sandbox.amo.request_log)  # this request is logged next
            state["taker"], state["let_go"] = _take_lock_away(first, store_backend, request)

    remove = sandbox.amo.on_request(hook)
    try:
        report = first.engine.poll()
    finally:
        remove()
    try:
        assert "let_go" in state, "the poll never sent a second lead batch"
        assert isinstance(report.error, RunLockLost) and not report.skipped_lock
        assert "перехватил" in report.error.message
        assert len(_writes(sandbox, state["mark"] + 1)) == 0, "a write was sent after the takeover"
        assert len(report.created) < len(batch)
        # recorded as a failed cycle (alerts read these), after the lock was let go
        assert first.store.get_meta("fail_streak") == "1"
        assert "перехватил" in (first.store.get_meta("last_error") or "")
    finally:
        state["let_go"]()
    second = make_runtime().engine.poll()
    assert second.ok, second.error
    _exactly_once(sandbox, batch)
    assert make_runtime().store.counts().backlog == 0


def test_a_write_retried_after_a_429_is_not_resent_once_the_lock_is_lost(
    sandbox: Any, make_runtime: Callable[..., Any], now: datetime, store_backend: str, request: pytest.FixtureRequest
) -> None:
    """The amoCRM client checks the fence before every write it sends, retries included: the lock
    is lost while the first lead batch waits out a 429, and the retry is never sent."""
    batch = _orders(now, 3)
    sandbox.kaspi.add_orders(batch)
    first = make_runtime()
    first.store.migrate()
    state: dict[str, Any] = {}

    def hook(method: str, path: str, applied: bool) -> None:
        if applied or state or not (method == "POST" and path.endswith("/leads/complex")):
            return
        sandbox.amo.fail_next(1, 429)  # this very request: answered 429, nothing applied
        state["taker"], state["let_go"] = _take_lock_away(first, store_backend, request)

    remove = sandbox.amo.on_request(hook)
    try:
        report = first.engine.poll()
    finally:
        remove()
        if "let_go" in state:
            state["let_go"]()
    assert isinstance(report.error, RunLockLost)
    assert [e[2] for e in _writes(sandbox) if e[1].endswith("/leads/complex")] == [429]
    assert make_runtime().engine.poll().ok
    _exactly_once(sandbox, batch)
