"""Configuration layers and validation (CONTRACT.md: defaults < file < .env < environment)."""

import json
import os

import pytest

from app.config import DEFAULT_ALLOWED_STATES, load_settings, write_settings_file
from app.errors import ConfigError


def test_defaults(tmp_path):
    s = load_settings({"KASPI_AMO_HOME": str(tmp_path)}, cwd=tmp_path)
    assert s.kaspi_base_url == "https://kaspi.kz/shop/api/v2"
    assert s.kaspi_allowed_states == DEFAULT_ALLOWED_STATES
    assert s.kaspi_page_size == 100 and s.amo_rps == 6.0
    assert s.amo_status_map == {"COMPLETED": 142, "CANCELLED": 143, "RETURNED": 143}
    assert s.dry_run is False and s.log_level == "info"
    assert s.database == str(tmp_path / "data" / "kaspi-amo.sqlite3")


def test_precedence_file_then_dotenv_then_environment(tmp_path):
    home = tmp_path / "home"
    write_settings_file(home / "config" / "settings.json", {"AMO_PIPELINE_ID": 1, "AMO_STATUS_ID": 10, "KASPI_PAGE_SIZE": 50})
    (tmp_path / ".env").write_text("AMO_STATUS_ID=20\nKASPI_PAGE_SIZE=60\n")
    s = load_settings({"KASPI_AMO_HOME": str(home), "KASPI_PAGE_SIZE": "70"}, cwd=tmp_path)
    assert (s.amo_pipeline_id, s.amo_status_id, s.kaspi_page_size) == (1, 20, 70)


def test_settings_file_never_holds_secrets(tmp_path):
    path = tmp_path / "settings.json"
    with pytest.raises(ValueError, match="KASPI_API_TOKEN is a secret"):
        write_settings_file(path, {"KASPI_API_TOKEN": "x"})
    path.write_text(json.dumps({"KASPI_API_TOKEN": "from-file", "AMO_STATUS_ID": 5}))
    os.makedirs(tmp_path / "home" / "config")
    (tmp_path / "home" / "config" / "settings.json").write_text(path.read_text())
    s = load_settings({"KASPI_AMO_HOME": str(tmp_path / "home")}, cwd=tmp_path)
    assert s.kaspi_api_token is None and s.amo_status_id == 5


def test_keyring_secrets_fill_only_what_env_leaves_empty(tmp_path):
    env = {"KASPI_AMO_HOME": str(tmp_path), "KASPI_API_TOKEN": "env-token"}
    s = load_settings(env, cwd=tmp_path, secrets={"KASPI_API_TOKEN": "kr", "AMO_CLIENT_SECRET": "kr-secret"})
    assert s.kaspi_api_token == "env-token" and s.amo_client_secret == "kr-secret"


@pytest.mark.parametrize(
    "name, value",
    [
        ("AMO_PIPELINE_ID", "abc"),
        ("KASPI_PAGE_SIZE", "500"),
        ("KASPI_ALLOWED_STATES", "NEW,SHIPPED"),
        ("AMO_STATUS_MAP", "COMPLETED=142"),
        ("DRY_RUN", "maybe"),
        ("AMO_BASE_URL", "http://shop.amocrm.ru"),  # tokens over plain http
        ("AMO_BASE_URL", "shop.amocrm.ru"),
        ("DATABASE_URL", "mysql://x"),
        ("LOG_LEVEL", "loud"),
    ],
)
def test_bad_values_are_config_errors_naming_the_variable(tmp_path, name, value):
    with pytest.raises(ConfigError) as info:
        load_settings({"KASPI_AMO_HOME": str(tmp_path), name: value}, cwd=tmp_path)
    assert name in info.value.message


def test_rps_is_capped_at_seven_with_a_warning(tmp_path):
    s = load_settings({"KASPI_AMO_HOME": str(tmp_path), "AMO_RPS": "20"}, cwd=tmp_path)
    assert s.amo_rps == 7.0 and s.warnings


def test_database_url_forms(tmp_path):
    env = {"KASPI_AMO_HOME": str(tmp_path)}
    assert load_settings({**env, "DATABASE_URL": "shop.db"}, cwd=tmp_path).database == str(tmp_path / "shop.db")
    assert load_settings({**env, "DATABASE_URL": "sqlite:///shop.db"}, cwd=tmp_path).database == str(tmp_path / "shop.db")
    assert load_settings({**env, "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}, cwd=tmp_path).database == f"{tmp_path}/x.db"
    pg = "postgresql://postgres@127.0.0.1:5432/test"
    assert load_settings({**env, "DATABASE_URL": pg}, cwd=tmp_path).database == pg
    driver = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    assert load_settings({**env, "DATABASE_URL": driver}, cwd=tmp_path).database == driver


def test_bad_database_url_never_echoes_its_password(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_settings({"KASPI_AMO_HOME": str(tmp_path), "DATABASE_URL": "mysql://u:s3cret@db/x"}, cwd=tmp_path)
    assert "s3cret" not in info.value.message


def test_missing_for_sync(tmp_path):
    s = load_settings({"KASPI_AMO_HOME": str(tmp_path)}, cwd=tmp_path)
    assert s.missing_for_sync() == ["KASPI_API_TOKEN", "AMO_BASE_URL"]
    with pytest.raises(ConfigError):
        s.require_sync()
