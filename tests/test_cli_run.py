"""`kaspi-amo run` as an admin runs it: syncs at once, stops cleanly on SIGTERM with exit 0."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

from app.sandbox.seed import make_order


def test_daemon_syncs_and_stops_on_sigterm(sandbox, tmp_path, now):
    sandbox.kaspi.add_orders([make_order(str(930000001 + i), created=now - timedelta(hours=1), phone=f"70133300{i:02d}")
                              for i in range(3)])
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "KASPI_AMO_HOME": str(tmp_path / "home"),
        "KASPI_AMO_SECRETS": "file",
        **sandbox.env(),
    }
    proc = subprocess.Popen([sys.executable, "-m", "app", "run"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(sandbox.amo.leads) < 3:
            time.sleep(0.1)
        assert len(sandbox.amo.leads) == 3
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Остановлено" in out
    assert all(len(sandbox.amo.leads_named(f"Kaspi #{930000001 + i}")) == 1 for i in range(3))


def test_two_polls_at_once_on_one_postgres_store_create_each_deal_once(sandbox, tmp_path, now, pg_schema_url):
    """Two machines (here: two processes with separate homes) share one PostgreSQL store."""
    codes = [str(940000001 + i) for i in range(4)]
    sandbox.kaspi.add_orders([make_order(code, created=now - timedelta(hours=1), phone=f"70144400{i:02d}")
                              for i, code in enumerate(codes)])
    procs = []
    for machine in ("a", "b"):
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(tmp_path),
            "KASPI_AMO_HOME": str(tmp_path / machine),
            "KASPI_AMO_SECRETS": "file",
            "DATABASE_URL": pg_schema_url,
            **sandbox.env(),
        }
        procs.append(subprocess.Popen([sys.executable, "-m", "app", "poll"], cwd=tmp_path, env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    results = [(p.wait(60), *p.communicate()) for p in procs]
    for code in codes:
        assert len(sandbox.amo.leads_named(f"Kaspi #{code}")) == 1, results
    assert all(rc in (0, 1) for rc, _, _ in results), results  # never a configuration error
    assert any(rc == 0 for rc, _, _ in results), results
    assert all("Traceback" not in out + err for _, out, err in results), results


def test_two_processes_never_spend_the_same_refresh_token(sandbox, tmp_path, now):
    """The access token expired while two runs start together on one home: one refresh only,
    under the OS file lock; the other run uses the rotated pair (refresh tokens are single-use)."""
    sandbox.kaspi.add_order(make_order("945000001", created=now - timedelta(hours=1), phone="7014550001"))
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "KASPI_AMO_HOME": str(tmp_path / "home"),
        "KASPI_AMO_SECRETS": "file",
        **sandbox.env(),
    }
    first = subprocess.run([sys.executable, "-m", "app", "status"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert first.returncode == 0
    sandbox.amo.expire_access_tokens()
    procs = [subprocess.Popen([sys.executable, "-m", "app", cmd], cwd=tmp_path, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for cmd in ("poll", "reconcile")]
    results = [(p.wait(90), *p.communicate()) for p in procs]
    assert [rc for rc, _, _ in results] == [0, 0], results
    refreshes = [s for m, path, s in sandbox.amo.request_log if path == "/oauth2/access_token"]
    assert refreshes == [200], refreshes  # exactly one refresh, and it succeeded
    assert len(sandbox.amo.leads_named("Kaspi #945000001")) == 1


def test_a_cycle_stopped_by_the_configuration_exits_2(sandbox, tmp_path, now):
    """The store belongs to another amoCRM account: a configuration error found inside the cycle
    is exit 2 like any other (README's table), not 1."""
    from app.store.factory import open_store
    from app.sync.engine import META_ACCOUNT

    sandbox.kaspi.add_order(make_order("946000001", created=now - timedelta(hours=1), phone="7014660001"))
    home = tmp_path / "home"
    store = open_store(str(home / "data" / "kaspi-amo.sqlite3"))
    store.migrate()
    store.set_meta(META_ACCOUNT, "https://othershop.amocrm.ru")
    store.close()
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "KASPI_AMO_HOME": str(home),
           "KASPI_AMO_SECRETS": "file", "LANG": "C.UTF-8", **sandbox.env()}
    result = subprocess.run([sys.executable, "-m", "app", "poll"], cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "othershop.amocrm.ru" in result.stderr and sandbox.amo.leads == {}
