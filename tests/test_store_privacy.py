"""Buyers' phones cannot be recovered from a copy of the store (issue #19, item 7).

The attack: the old mask kept the operator code and the last two digits (5 of 10), and the
phone cache was keyed by an unkeyed sha256 of «account|phone|last 10 digits», so trying the
10^5 completions of each mask gave every phone away (5 of 5 in 0.28 s). Now the cache key is an
HMAC under the store key, kept with the secrets and never in the store, and the mask keeps only
the last two digits. Migration 002 converts an existing store.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import shutil
from collections.abc import Callable, Iterable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from app.logs import mask_phone
from app.sandbox.seed import SandboxEntry, make_order
from app.secrets import FileBackend, SecretStore, store_key
from app.store.base import OrderRecord
from app.store.migrations import apply_migrations, migrations_root

PHONES = ("7013579246", "7026481357", "7051234987", "7079988123", "7475551290")


def _old_cache_key(scope: str, digits10: str) -> str:
    """The cache key before the fix: an unkeyed hash anyone can recompute."""
    return f"{scope}|" + hashlib.sha256(f"{scope}|phone|{digits10}".encode()).hexdigest()[:32]


def brute_force(scope: str, cache_keys: Iterable[str], operator: str, last2: str) -> list[str]:
    """The issue's attack on one buyer: every number with this operator code and these last two
    digits (10^5) against the cache keys, as the old unkeyed hash and as an HMAC without a key."""
    wanted = set(cache_keys)
    found = []
    for middle in range(100_000):
        candidate = f"{operator}{middle:05d}{last2}"
        text = f"{scope}|phone|{candidate}".encode()
        if (f"{scope}|" + hashlib.sha256(text).hexdigest()[:32] in wanted
                or f"{scope}|" + hmac.new(b"", text, hashlib.sha256).hexdigest()[:32] in wanted):
            found.append(candidate)
    return found


def dump(store: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, as someone holding a copy of the database sees it."""
    if store.dialect.name == "sqlite":
        tables = [r[0] for r in store._read("SELECT name FROM sqlite_master WHERE type = 'table'")]
    else:
        tables = [r[0] for r in store._read(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")]
    return {table: store._read(f"SELECT * FROM {table}") for table in tables}


def test_the_mask_keeps_only_the_last_two_digits() -> None:
    assert mask_phone("+77013579246") == "+7 *** *** ** 46"
    assert mask_phone("8 (701) 357-92-46") == "+7 *** *** ** 46"
    assert mask_phone("+996 555 123 456") == "+99 *** *** ** 56"
    assert mask_phone("12") == "***" and mask_phone(None) == ""


def test_the_store_key_is_made_once_and_kept_with_the_secrets(tmp_path: Path) -> None:
    secrets = SecretStore(FileBackend(tmp_path / "secrets.json"))
    key = store_key(secrets)
    assert len(key) == 32
    assert store_key(secrets) == key
    assert store_key(SecretStore(FileBackend(tmp_path / "secrets.json"))) == key  # the next run, headless
    assert store_key(SecretStore(FileBackend(tmp_path / "other.json"))) != key


def test_a_store_dump_gives_no_phone_away(sandbox: Any, make_runtime: Callable[..., Any], now: Any) -> None:
    orders = [
        make_order(str(970000001 + i), created=now - timedelta(hours=1, minutes=i), phone=f"+7{phone}",
                   entries=[SandboxEntry("SKU-P", "Товар", 1, 1000.0)])
        for i, phone in enumerate(PHONES)
    ]
    sandbox.kaspi.add_orders(orders)
    runtime = make_runtime()
    assert runtime.engine.poll().ok
    scope = runtime.engine.options.account
    rows = dump(runtime.store)
    text = repr(rows)
    phone_keys = [key for kind, key, *_ in rows["caches"] if kind == "phone"]
    assert len(phone_keys) == len(PHONES)  # the cache works: one keyed entry per buyer
    assert runtime.engine.options.cache_secret.hex() not in text  # the key is not in the store
    masks = sorted(r.phone_masked for r in runtime.store.recent_orders())
    assert masks == sorted(f"+7 *** *** ** {p[-2:]}" for p in PHONES)
    for phone in PHONES:
        assert phone not in text and phone[-7:] not in text and phone[:5] not in text
        # even an attacker who knows each buyer's operator code finds nothing among the 10^5
        assert brute_force(scope, phone_keys, phone[:3], phone[-2:]) == []
    # the same attack on a key made the old way finds the phone: the test can fail
    assert brute_force(scope, [_old_cache_key(scope, PHONES[0])], PHONES[0][:3], PHONES[0][-2:]) == [PHONES[0]]


def test_migration_002_drops_the_phone_cache_and_masks_again(
    store_backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """A store written before the fix: its unkeyed phone cache goes (it refills keyed), and its
    masks lose the operator code; other caches and empty or short masks stay as they were."""
    if store_backend == "sqlite":
        from app.store.sqlite import SqliteStore

        store: Any = SqliteStore(tmp_path / "old.db")
    else:
        from app.store.postgres import PostgresStore

        store = PostgresStore(request.getfixturevalue("pg_schema_url"))
    try:
        only_001 = tmp_path / "only-001"
        only_001.mkdir()
        shutil.copy(str(migrations_root(store.dialect.name).joinpath("001_initial.sql")), only_001)
        assert apply_migrations(store._migration_target(), store.dialect.name, root=only_001) == 1
        scope = "https://shop.amocrm.ru"
        for i, phone in enumerate(PHONES[:3]):
            store.save_order(OrderRecord(code=f"old-{i}", phone_masked=f"+7 {phone[:3]} *** ** {phone[-2:]}"))
            store.cache_put("phone", _old_cache_key(scope, phone), 9000 + i)
        store.save_order(OrderRecord(code="no-phone", phone_masked=""))
        store.save_order(OrderRecord(code="short", phone_masked="***"))
        store.cache_put("sku", f"{scope}|11001:SKU-P", 42)
        assert brute_force(scope, [_old_cache_key(scope, PHONES[0])], PHONES[0][:3], PHONES[0][-2:])
        assert store.migrate() >= 1
        assert [store.get_order(f"old-{i}").phone_masked for i in range(3)] == [
            f"+7 *** *** ** {p[-2:]}" for p in PHONES[:3]]
        assert store.get_order("no-phone").phone_masked == ""
        assert store.get_order("short").phone_masked == "***"
        assert [r for r in dump(store)["caches"] if r[0] == "phone"] == []
        assert store.cache_get("sku", f"{scope}|11001:SKU-P") == 42
        assert not re.search(r"\+7 \d{3} ", repr(dump(store)["orders"]))
    finally:
        store.close()


def test_machines_given_one_store_key_share_the_phone_cache(sandbox: Any, tmp_path: Path) -> None:
    """Two machines on one PostgreSQL store with the same KASPI_AMO_STORE_KEY key their phone cache
    alike (derived from it, not the sealing key itself); without it each keeps its own."""
    from app.bootstrap import build_runtime, load_configuration

    shared = base64.b64encode(os.urandom(32)).decode()

    def cache_secret(home: str, **extra: str) -> bytes:
        env = {**sandbox.env(), "KASPI_AMO_HOME": str(tmp_path / home), "KASPI_AMO_SECRETS": "file",
               "DATABASE_URL": str(tmp_path / "shared.db"), **extra}
        settings, secrets, _warning = load_configuration(env)
        runtime = build_runtime(settings, secrets=secrets)
        try:
            return runtime.engine.options.cache_secret
        finally:
            runtime.close()

    one, two = cache_secret("a", KASPI_AMO_STORE_KEY=shared), cache_secret("b", KASPI_AMO_STORE_KEY=shared)
    assert one == two and len(one) == 32 and one != base64.b64decode(shared)
    alone_a, alone_b = cache_secret("a"), cache_secret("b")
    assert alone_a != alone_b and one not in (alone_a, alone_b)
    assert cache_secret("a") == alone_a  # kept with the home's secrets
