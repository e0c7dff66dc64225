"""Every numeric and boolean setting is range-checked; a hostile settings file or `.env` is a
configuration error (exit 2, one line naming the setting or file), never a traceback or a hang.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.config import INT_RANGES, load_settings
from app.errors import ConfigError

BOOLEANS = ("DRY_RUN", "LOG_PRETTY")


def _load(tmp_path: Path, **env: str) -> object:
    return load_settings({"KASPI_AMO_HOME": str(tmp_path / "home"), **env}, cwd=tmp_path)


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "1e-9", "0", "-3", "0.49", "abc", "", "1e999"])
def test_amo_rps_must_be_a_finite_rate_from_half_a_request(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError) as info:
        _load(tmp_path, AMO_RPS=value)
    assert "AMO_RPS" in info.value.message and "0.5" in info.value.message


@pytest.mark.parametrize("value, expected", [("0.5", 0.5), ("6", 6.0), (" 3.5 ", 3.5), ("1e300", 7.0)])
def test_amo_rps_in_range_is_kept_and_above_seven_capped(tmp_path: Path, value: str, expected: float) -> None:
    assert _load(tmp_path, AMO_RPS=value).amo_rps == expected  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(INT_RANGES))
def test_every_integer_setting_is_bounded(tmp_path: Path, name: str) -> None:
    low, high = INT_RANGES[name]
    for value in ("nan", "inf", "1.5", "1e3", str(low - 1), str(high + 1), "9" * 5000, "-" + "9" * 30):
        with pytest.raises(ConfigError) as info:
            _load(tmp_path, **{name: value})
        assert name in info.value.message, value
        assert len(info.value.message) < 300, f"{name}={value[:20]}…: the message echoes the whole value"
    for value in (str(low), str(high)):
        assert getattr(_load(tmp_path, **{name: value}), name.lower()) == int(value)


@pytest.mark.parametrize("name", BOOLEANS)
def test_booleans_take_yes_or_no_only(tmp_path: Path, name: str) -> None:
    for value in ("2", "nan", "maybe", "truee"):
        with pytest.raises(ConfigError) as info:
            _load(tmp_path, **{name: value})
        assert name in info.value.message
    assert getattr(_load(tmp_path, **{name: "да"}), name.lower()) is True


def test_status_map_ids_are_bounded(tmp_path: Path) -> None:
    for value in ("COMPLETED:0", "COMPLETED:nan", f"COMPLETED:{2**63}"):
        with pytest.raises(ConfigError) as info:
            _load(tmp_path, AMO_STATUS_MAP=value)
        assert "AMO_STATUS_MAP" in info.value.message


def test_a_settings_file_nested_50000_deep_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "home" / "config" / "settings.json"
    path.parent.mkdir(parents=True)
    path.write_text('{"AMO_RPS": ' + "[" * 50_000 + "]" * 50_000 + "}", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        _load(tmp_path)
    assert str(path) in info.value.message


def test_nan_in_the_settings_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "home" / "config" / "settings.json"
    path.parent.mkdir(parents=True)
    path.write_text('{"AMO_RPS": NaN, "KASPI_PAGE_SIZE": 1e400}', encoding="utf-8")  # json.loads accepts both
    with pytest.raises(ConfigError) as info:
        _load(tmp_path)
    assert "AMO_RPS" in info.value.message or "KASPI_PAGE_SIZE" in info.value.message


@pytest.mark.parametrize("content, fragment", [
    (b"AMO_RPS=\xff\xfe\n", "UTF-8"),
    (b'KASPI_PAGE_SIZE=50\nAMO_STATUS_ID="20\n', "2"),
])
def test_a_malformed_dotenv_is_a_config_error_naming_it(tmp_path: Path, content: bytes, fragment: str) -> None:
    (tmp_path / ".env").write_bytes(content)
    with pytest.raises(ConfigError) as info:
        _load(tmp_path)
    assert ".env" in info.value.message and fragment in info.value.message


def test_a_dotenv_line_with_a_secret_is_never_echoed(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text('KASPI_API_TOKEN="s3cret-token-value\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        _load(tmp_path)
    assert "s3cret" not in info.value.message


# --- the CLI: exit 2, one line, no traceback, no hang ------------------------------------------


def _cli(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8", "KASPI_AMO_SECRETS": "file",
            "KASPI_AMO_HOME": str(tmp_path / "home"), "KASPI_API_TOKEN": "t", "AMO_BASE_URL": "http://127.0.0.1:9",
            "AMO_ACCESS_TOKEN": "long-lived-token"}
    return subprocess.run([sys.executable, "-m", "app", *args], env={**base, **env}, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize("setup, name", [
    ({"AMO_RPS": "nan"}, "AMO_RPS"),
    ({"AMO_RPS": "1e-9"}, "AMO_RPS"),
    ({"ALERT_HEARTBEAT_MINUTES": "9" * 30}, "ALERT_HEARTBEAT_MINUTES"),
    ({"settings.json": '{"KASPI_PAGE_SIZE": ' + "[" * 50_000 + "]" * 50_000 + "}"}, "settings.json"),
    ({".env": "DRY_RUN='yes\n"}, ".env"),
], ids=["rps-nan", "rps-1e-9", "heartbeat-huge", "settings-nested", "dotenv-quote"])
def test_cli_exits_2_with_one_line_naming_the_setting(tmp_path: Path, setup: dict[str, str], name: str) -> None:
    env = dict(setup)
    if "settings.json" in env:
        path = tmp_path / "home" / "config" / "settings.json"
        path.parent.mkdir(parents=True)
        path.write_text(env.pop("settings.json"), encoding="utf-8")
    if ".env" in env:
        (tmp_path / ".env").write_text(env.pop(".env"), encoding="utf-8")
    started = time.monotonic()
    result = _cli(tmp_path, "poll", **env)
    assert result.returncode == 2, result.stderr[-2000:]
    assert time.monotonic() - started < 30
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and name in lines[0], lines
