"""The run lock on both backends: one holder, waiting, release after an exception, and
exclusion across processes."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest

from app.errors import StoreLockedError
from app.store.base import Store
from tests.store_support import (
    CHILD,
    REPO_ROOT,
    StoreFactory,
    backend,
    database_url,
    store,
    store_factory,
)

__all__ = ["backend", "database_url", "store", "store_factory"]  # fixtures used by name


# --- run lock -------------------------------------------------------------------------------


def test_run_lock_excludes_a_second_holder(store_factory: StoreFactory, store: Store) -> None:
    other = store_factory()
    with store.run_lock("poll@cron"):
        with pytest.raises(StoreLockedError) as info:
            with other.run_lock("tray"):
                pytest.fail("second holder got the lock")
        assert "Другой запуск синхронизации уже работает" in info.value.message
        assert "poll@cron" in info.value.message
        with pytest.raises(StoreLockedError):  # same store instance, same owner label
            with store.run_lock("poll@cron"):
                pass
    with other.run_lock("tray"):
        pass


def test_run_lock_waits_then_fails(store_factory: StoreFactory, store: Store) -> None:
    other = store_factory()
    with store.run_lock("first"):
        started = time.monotonic()
        with pytest.raises(StoreLockedError):
            with other.run_lock("second", wait_seconds=0.3):
                pass
        assert 0.3 <= time.monotonic() - started < 2.0


def test_run_lock_waits_for_release(store_factory: StoreFactory, store: Store) -> None:
    other = store_factory()
    held, release = threading.Event(), threading.Event()

    def holder() -> None:
        with store.run_lock("first"):
            held.set()
            release.wait(5)

    t = threading.Thread(target=holder)
    t.start()
    assert held.wait(5)
    threading.Timer(0.2, release.set).start()
    with other.run_lock("second", wait_seconds=5):
        assert release.is_set()
    t.join(5)


def test_run_lock_released_after_an_exception(store_factory: StoreFactory, store: Store) -> None:
    with pytest.raises(RuntimeError):
        with store.run_lock("boom"):
            raise RuntimeError("engine crashed inside the block")
    with store_factory().run_lock("next"):
        pass


def test_run_lock_works_across_processes(store: Store, database_url: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    with subprocess.Popen(
        [sys.executable, "-c", CHILD, database_url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO_ROOT,
        env=env,
    ) as child:
        try:
            assert child.stdout is not None and child.stdin is not None
            assert child.stdout.readline().strip() == "locked"
            with pytest.raises(StoreLockedError, match="child-poll"):
                with store.run_lock("parent"):
                    pass
            child.stdin.write("\n")
            child.stdin.flush()
            with store.run_lock("parent", wait_seconds=5):  # waits for the child's release
                pass
            assert child.stdout.readline().strip() == "released"
            assert child.wait(5) == 0
        finally:
            if child.poll() is None:
                child.kill()
