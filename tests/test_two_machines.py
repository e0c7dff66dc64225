"""Two machines on one PostgreSQL store keep syncing while amoCRM rotates the token pair.

Black box: two `kaspi-amo` "machines" — two homes, each with its own secrets file (its own
keyring) — share one PostgreSQL schema, as the README's two-machine setup says. The sandbox
makes every access token expire between polls, so each poll refreshes the single-use pair and
the other machine must go on with the new one.
"""

from __future__ import annotations

import base64
import os
import re
from pathlib import Path
from typing import Any

import pytest

from app.amo.shared_tokens import SealedTokenStore, pair_fingerprint, sealing_key
from app.amo.tokens import MemoryTokenStore, TokenPair
from app.errors import ConfigError
from app.onboarding import load_draft
from app.sandbox.seed import make_order
from app.sandbox.server import Sandbox
from tests.acceptance.support import Cli, describe, hours_ago

KEY = base64.b64encode(os.urandom(32)).decode()


def _machines(sandbox: Sandbox, tmp_path: Path, db_url: str, **extra: str) -> tuple[Cli, Cli]:
    a, b = (Cli.create(sandbox, tmp_path / name) for name in ("a", "b"))
    for machine in (a, b):
        (tmp_path / machine.home.parent.name).mkdir(exist_ok=True)
        machine.env.update(DATABASE_URL=db_url, **extra)
    b.env.update(AMO_ACCESS_TOKEN=a.env["AMO_ACCESS_TOKEN"], AMO_REFRESH_TOKEN=a.env["AMO_REFRESH_TOKEN"])
    return a, b  # both seeded with the one pair the owner pasted, as the README said to


def _orders(sandbox: Sandbox, start: int, count: int = 2) -> list[str]:
    codes = [str(start + i) for i in range(count)]
    sandbox.kaspi.add_orders([make_order(code, created=hours_ago(1), phone=f"70155509{start % 100 + i:02d}")
                              for i, code in enumerate(codes)])
    return codes


def _alternate(sandbox: Sandbox, a: Cli, b: Cli, rounds: int) -> list[tuple[str, int, str]]:
    """Each round: amoCRM expires every access token, new orders arrive, one machine polls."""
    runs = []
    for n in range(rounds):
        sandbox.amo.expire_access_tokens()
        codes = _orders(sandbox, 793000001 + 10 * n)
        machine, name = (a, "A") if n % 2 == 0 else (b, "B")
        result = machine.poll()
        runs.append((name, result.returncode, result.stderr.strip()[-300:]))
        if result.returncode == 0:
            assert all(len(sandbox.amo.leads_named(f"Kaspi #{c}")) == 1 for c in codes)
    return runs


def test_without_a_shared_key_the_second_machine_is_told_to_reconnect(sandbox: Sandbox, tmp_path: Path,
                                                                       pg_schema_url: str) -> None:
    """What the README used to describe: each machine keeps its own pair, and the first rotation
    by one machine leaves the other with a spent refresh token."""
    a, b = _machines(sandbox, tmp_path, pg_schema_url)
    runs = _alternate(sandbox, a, b, 2)
    assert runs[0][1] == 0, runs
    assert runs[1][1] == 1 and "подключить amoCRM" in runs[1][2], runs


def test_with_one_store_key_both_machines_sync_through_every_rotation(sandbox: Sandbox, tmp_path: Path,
                                                                      pg_schema_url: str) -> None:
    a, b = _machines(sandbox, tmp_path, pg_schema_url, KASPI_AMO_STORE_KEY=KEY)
    runs = _alternate(sandbox, a, b, 6)
    assert [code for _name, code, _err in runs] == [0] * 6, runs
    refreshes = sum(1 for _m, path, status in sandbox.amo.request_log if path.startswith("/oauth2") and status == 200)
    assert refreshes == 6  # one refresh per rotation, never a spent token sent twice
    assert not any(path.startswith("/oauth2") and status != 200 for _m, path, status in sandbox.amo.request_log)
    assert len(sandbox.amo.leads) == 12

    # a third machine with nothing but the key and the database joins without any token
    c = Cli.create(sandbox, tmp_path / "c")
    (tmp_path / "c").mkdir()
    c.env.update(DATABASE_URL=pg_schema_url, KASPI_AMO_STORE_KEY=KEY)
    c.env.pop("AMO_ACCESS_TOKEN")
    c.env.pop("AMO_REFRESH_TOKEN")
    # its settings wizard already says amoCRM is connected (the shared pair), before any poll
    draft = load_draft({**os.environ, **c.env}).draft
    assert draft.amo_connected and draft.complete
    wrong = load_draft({**os.environ, **c.env, "KASPI_AMO_STORE_KEY": base64.b64encode(os.urandom(32)).decode()})
    assert not wrong.draft.amo_connected  # a wrong key: not connected (the poll says why)
    codes = _orders(sandbox, 793000201)
    result = c.poll()
    assert result.returncode == 0, describe(result)
    assert all(len(sandbox.amo.leads_named(f"Kaspi #{code}")) == 1 for code in codes)


def test_the_store_alone_reveals_no_token(sandbox: Sandbox, tmp_path: Path, pg_schema_url: str, pg_admin: Any) -> None:
    a, b = _machines(sandbox, tmp_path, pg_schema_url, KASPI_AMO_STORE_KEY=KEY)
    _alternate(sandbox, a, b, 2)
    schema = re.search(r"search_path%3D(\w+)", pg_schema_url) or re.search(r"search_path=(\w+)", pg_schema_url)
    assert schema
    dump = []
    for (table,) in pg_admin.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                                     (schema.group(1),)).fetchall():
        dump += [repr(row) for row in pg_admin.execute(f'SELECT * FROM {schema.group(1)}."{table}"').fetchall()]
    text = "\n".join(dump)
    assert "amo_tokens_sealed" in text  # the pair is there, sealed
    for access in sandbox.amo.state.access:
        assert access not in text
    for refresh in sandbox.amo.state.refresh:
        assert refresh not in text
    assert KEY not in text


def test_a_machine_with_another_key_is_refused_clearly(sandbox: Sandbox, tmp_path: Path, pg_schema_url: str) -> None:
    a, b = _machines(sandbox, tmp_path, pg_schema_url, KASPI_AMO_STORE_KEY=KEY)
    assert a.poll().returncode == 0
    other = base64.b64encode(os.urandom(32)).decode()
    result = b.poll(extra={"KASPI_AMO_STORE_KEY": other})
    assert result.returncode == 2 and "KASPI_AMO_STORE_KEY" in result.stderr, describe(result)
    assert "Traceback" not in result.stderr and other not in result.stderr
    bad = b.poll(extra={"KASPI_AMO_STORE_KEY": "not-a-key"})
    assert bad.returncode == 2 and "KASPI_AMO_STORE_KEY" in bad.stderr and "not-a-key" not in bad.stderr


# --- the sealed store's rules, in memory -------------------------------------------------------------


class _Meta:
    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def get_meta(self, key: str) -> str | None:
        return self.values.get(key)

    def set_meta(self, key: str, value: str | None) -> None:
        if value is None:
            self.values.pop(key, None)
        else:
            self.values[key] = value


def test_a_stale_local_copy_never_replaces_the_shared_pair_but_a_new_one_does() -> None:
    meta, key = _Meta(), sealing_key(KEY)
    p1, p2, p3 = (TokenPair(f"access-{n}", f"refresh-{n}") for n in (1, 2, 3))
    first = SealedTokenStore(meta, key, MemoryTokenStore(p1))  # publishes p1
    first.save(p2)  # machine 1 rotates
    stale = MemoryTokenStore(p1)  # machine 2 was off: its copy is p1
    assert SealedTokenStore(meta, key, stale).load() == p2 and stale.pair == p2
    fresh = MemoryTokenStore(p3)  # the owner reconnected on machine 3 (wizard / new env tokens)
    assert SealedTokenStore(meta, key, fresh).load() == p3
    assert SealedTokenStore(meta, key, MemoryTokenStore(p2)).load() == p3  # p2 is known: stale now
    sealed = meta.values["amo_tokens_sealed"]
    assert "access-3" not in sealed and "refresh-3" not in sealed and pair_fingerprint(p3) not in sealed


def test_a_revoked_refresh_token_is_known_to_every_machine() -> None:
    meta, key = _Meta(), sealing_key(KEY)
    one = SealedTokenStore(meta, key, MemoryTokenStore(TokenPair("a", "dead")))
    one.mark_revoked("dead")
    assert SealedTokenStore(meta, key, MemoryTokenStore()).is_revoked("dead")


@pytest.mark.parametrize("raw", ["", "short", "x" * 44, base64.b64encode(b"sixteen bytes!!!").decode()],
                         ids=["empty", "short", "not-base64", "16-bytes"])
def test_a_malformed_key_is_a_config_error(raw: str) -> None:
    with pytest.raises(ConfigError):
        sealing_key(raw)
