"""Secrets: owner-only file fallback, sharding, and the seed-vs-rotated token rule."""

import stat
from datetime import UTC, datetime

from app.amo.tokens import TokenPair
from app.secrets import AmoTokenStore, FileBackend, SecretStore, open_secret_store


def test_file_backend_is_owner_only(tmp_path):
    store, _warning = open_secret_store(tmp_path / "data" / "secrets.json", mode="file")
    store.set("KASPI_API_TOKEN", "t0ken-value")
    mode = stat.S_IMODE((tmp_path / "data" / "secrets.json").stat().st_mode)
    assert mode == 0o600
    assert store.get("KASPI_API_TOKEN") == "t0ken-value"
    store.delete("KASPI_API_TOKEN")
    assert store.get("KASPI_API_TOKEN") is None


def test_no_keyring_falls_back_to_file_with_a_warning(tmp_path, monkeypatch):
    monkeypatch.setattr("app.secrets.keyring_usable", lambda: False)
    store, warning = open_secret_store(tmp_path / "secrets.json")
    assert store.backend_name.startswith("file:") and warning and "secrets.json" in warning


def test_long_values_are_sharded_and_reassembled(tmp_path):
    backend = FileBackend(tmp_path / "s.json")
    store = SecretStore(backend)
    jwt = "x" * 3500
    store.set("amo_access_token", jwt)
    assert all(len(v) <= 1000 for v in backend._read().values())
    assert store.get("amo_access_token") == jwt
    store.set("amo_access_token", "short")
    assert store.get("amo_access_token") == "short"
    assert set(backend._read()) == {"amo_access_token"}


def test_rotated_pair_survives_a_stale_seed(tmp_path):
    secrets = SecretStore(FileBackend(tmp_path / "s.json"))
    tokens = AmoTokenStore(secrets, seed_access="seed-access", seed_refresh="seed-refresh")
    assert tokens.load().access_token == "seed-access"
    rotated = TokenPair("new-access", "new-refresh", datetime(2030, 1, 1, tzinfo=UTC))
    tokens.save(rotated)
    # the next run still has the old pair in its environment
    again = AmoTokenStore(secrets, seed_access="seed-access", seed_refresh="seed-refresh")
    assert again.load() == rotated
    # an admin who pastes a brand-new pair wins over the persisted one
    fresh = AmoTokenStore(secrets, seed_access="pasted-access", seed_refresh="pasted-refresh")
    assert fresh.load().access_token == "pasted-access"
