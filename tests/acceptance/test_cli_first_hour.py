"""The first hour on the command line (issue 17, items 7, 8, 10, 12): the demo keeps to itself
and accounts for every order, the sandbox's variables load as printed, a wrong address or
token is one clear and fast line, and status times say they are UTC."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.sandbox.seed import make_order
from tests.acceptance.support import Cli, base_env, describe, hours_ago, stderr_lines

UTC_ISO = re.compile(r"\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z\b")


def run_cli(*args: str, env: dict[str, str], cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", *args], env=env, cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", timeout=timeout)


# --- 7: the demo ---------------------------------------------------------------------------


def test_demo_never_touches_the_real_configuration_and_accounts_for_every_order(tmp_path: Path) -> None:
    home = tmp_path / "home"
    real_db = tmp_path / "real.sqlite3"
    env = {**base_env(home), "DATABASE_URL": str(real_db), "KASPI_BASE_URL": "https://kaspi.kz/shop/api/v2",
           "KASPI_API_TOKEN": "the-shops-real-token", "AMO_BASE_URL": "https://shop.amocrm.ru"}
    (tmp_path / ".env").write_text(f"DATABASE_URL={tmp_path / 'dotenv.sqlite3'}\n", encoding="utf-8")
    for _ in range(2):  # two demos: the second starts afresh, nothing adds up anywhere
        demo = run_cli("demo", env=env, cwd=tmp_path)
        assert demo.returncode == 0, describe(demo)
    out = demo.stdout
    assert not real_db.exists() and not (tmp_path / "dotenv.sqlite3").exists()
    assert not (home / "data" / "kaspi-amo.sqlite3").exists()
    assert not (home / "data" / "secrets.json").exists()  # no secret stored, no keyring asked
    total = int(re.search(r"В Kaspi (\d+) заказ", out).group(1))  # type: ignore[union-attr]
    first_poll = out[:out.index("Итог: ")]  # then the two-way part adds one order of its own
    synced = re.findall(r"✓ Kaspi #(\d+)", first_poll)
    skipped = re.findall(r"– Kaspi #(\d+): пропущен — (.+)", first_poll)
    history = int(re.search(r"– ещё (\d+) заказ\w* за 30 дней в архиве", first_poll).group(1))  # type: ignore[union-attr]
    assert len(synced) + len(skipped) + history == total == 76 and len(synced) == 14 and history == 60
    assert all("KASPI_ALLOWED_STATES" in reason and "ARCHIVE" in reason for _code, reason in skipped)
    assert f"Итог: из {total} заказов Kaspi сделками стали 14, пропущено 62, с ошибкой 0." in out
    assert "Принять заказ Kaspi #700000120" in out and "Собрать заказ Kaspi #700000107" in out  # deadlines
    assert "2 из 76, близко к пределу" in out  # the cancellation rate of the seeded 30 days
    assert "status --demo" in out
    demo_status = run_cli("status", "--demo", "--json", env=env, cwd=tmp_path)
    assert demo_status.returncode == 0, describe(demo_status)
    assert "принят автоматически" in out
    assert json.loads(demo_status.stdout)["processed_total"] == 15  # 14 + the auto-accepted one; not 30 after two
    assert json.loads(demo_status.stdout)["today"]["created"] == 15


def test_demo_writes_nothing_to_a_configured_postgres_store(tmp_path: Path, pg_schema_url: str, pg_admin) -> None:
    env = {**base_env(tmp_path / "home"), "DATABASE_URL": pg_schema_url}
    demo = run_cli("demo", env=env, cwd=tmp_path)
    assert demo.returncode == 0, describe(demo)
    schema = re.search(r"search_path%3D(\w+)", pg_schema_url).group(1)  # type: ignore[union-attr]
    tables = pg_admin.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = %s",
                              (schema,)).fetchone()[0]
    assert tables == 0


def test_a_demo_that_cannot_write_its_folder_exits_1_with_one_line(tmp_path: Path) -> None:
    env = base_env(tmp_path / "home")
    (tmp_path / "home" / "data").mkdir(parents=True)
    (tmp_path / "home" / "data" / "demo").write_text("a file where the demo folder goes", encoding="utf-8")
    demo = run_cli("demo", env=env, cwd=tmp_path)
    assert demo.returncode == 1 and "Traceback" not in demo.stderr, describe(demo)
    assert len(stderr_lines(demo)) == 1 and "demo" in demo.stderr


def test_status_of_a_demo_that_never_ran_is_a_clear_exit_2(tmp_path: Path) -> None:
    result = run_cli("status", "--demo", env=base_env(tmp_path / "home"), cwd=tmp_path)
    assert result.returncode == 2 and "kaspi-amo demo" in result.stderr, describe(result)


# --- 8: the sandbox's variables ------------------------------------------------------------


def start_sandbox(env: dict[str, str], cwd: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "app", "sandbox", *args], env=env, cwd=cwd, text=True,
                            encoding="utf-8", stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def stop(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    return proc.returncode, out, err


def test_sandbox_variables_can_be_evaled_by_a_shell(tmp_path: Path) -> None:
    env = base_env(tmp_path / "home")
    sandbox = start_sandbox(env, tmp_path)
    try:
        lines = [sandbox.stdout.readline() for _ in range(10)]  # type: ignore[union-attr]
        assert all(line.startswith("export ") for line in lines), lines
        script = tmp_path / "sandbox.sh"
        script.write_text("".join(lines), encoding="utf-8")
        shell_env = {**env, "APP": sys.executable}
        poll = subprocess.run(["sh", "-c", f'eval "$(cat {script})" && exec "$APP" -m app poll'], env=shell_env,
                              cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert poll.returncode == 0, describe(poll)
        assert re.search(r"создано сделок 14\b", poll.stdout), describe(poll)
    finally:
        code, _out, err = stop(sandbox)
    assert code == 0, err


def test_sandbox_env_file_is_read_by_a_poll_in_that_folder_and_removed_on_stop(tmp_path: Path) -> None:
    env = base_env(tmp_path / "home")
    env_file = tmp_path / ".env"
    sandbox = start_sandbox(env, tmp_path, "--env-file", str(env_file))
    try:
        deadline = time.monotonic() + 30
        while not env_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)
        poll = run_cli("poll", env=env, cwd=tmp_path)
        assert poll.returncode == 0 and re.search(r"создано сделок 14\b", poll.stdout), describe(poll)
        assert oct(env_file.stat().st_mode & 0o777) == "0o600"
    finally:
        code, out, err = stop(sandbox)
    assert code == 0 and out == "", err
    assert not env_file.exists()


def test_sandbox_never_overwrites_a_foreign_env_file(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("KASPI_API_TOKEN=the-real-one\n", encoding="utf-8")
    result = run_cli("sandbox", "--env-file", str(env_file), env=base_env(tmp_path / "home"), cwd=tmp_path)
    assert result.returncode == 2 and str(env_file) in result.stderr, describe(result)
    assert env_file.read_text(encoding="utf-8") == "KASPI_API_TOKEN=the-real-one\n"


@pytest.mark.parametrize("form", ["sh", "dotenv"])
def test_printed_forms_survive_values_a_shell_would_break(tmp_path: Path, form: str) -> None:
    from app.cli_sandbox import shell_lines

    value = "it's a $HOME `x` & \"y\""
    if form == "sh":
        script = "\n".join(shell_lines({"X": value}, form)) + '\nprintf %s "$X"'
        assert subprocess.run(["sh", "-c", script], capture_output=True, text=True).stdout == value
    else:
        from dotenv import dotenv_values

        (tmp_path / ".env").write_text("\n".join(shell_lines({"X": value}, form)) + "\n", encoding="utf-8")
        assert dotenv_values(tmp_path / ".env")["X"] == value


# --- 10: a wrong address or token ----------------------------------------------------------


def test_a_wrong_amo_address_is_one_fast_line_naming_the_setting(sandbox, cli: Cli) -> None:
    sandbox.kaspi.add_orders([make_order(str(970000001 + i), created=hours_ago(1), phone=f"70177000{i:02d}")
                              for i in range(13)])
    wrong = "http://127.0.0.1:9"
    started = time.monotonic()
    result = cli.poll(extra={"AMO_BASE_URL": wrong})
    assert time.monotonic() - started < 10, describe(result)  # was 31 s
    assert result.returncode == 1, describe(result)
    lines = stderr_lines(result)
    assert len(lines) == 1 and "AMO_BASE_URL" in lines[0] and wrong in lines[0], describe(result)
    assert result.stdout.startswith("Опрос не удался:"), describe(result)
    assert cli.status(extra={"AMO_BASE_URL": wrong})["backlog"] == 13  # kept for the next run, none lost
    fixed = cli.poll()
    assert fixed.returncode == 0 and len(sandbox.amo.leads) == 13, describe(fixed)


def test_a_wrong_kaspi_token_is_said_once_and_stdout_does_not_claim_success(sandbox, cli: Cli) -> None:
    sandbox.kaspi.add_order(make_order("970000101", created=hours_ago(1)))
    result = cli.poll(extra={"KASPI_API_TOKEN": "regenerated"})
    assert result.returncode == 1
    (line,) = stderr_lines(result)
    assert "KASPI_API_TOKEN" in line and line.count("не принимает") == 1, line
    assert result.stdout.startswith("Опрос не удался:") and "ошибок 0" not in result.stdout, describe(result)


def test_errors_speak_the_chosen_language(sandbox, cli: Cli) -> None:
    sandbox.kaspi.add_order(make_order("970000301", created=hours_ago(1), phone="7017700301"))
    result = cli.poll(extra={"AMO_BASE_URL": "http://127.0.0.1:9", "KASPI_AMO_LANG": "en"})
    assert result.returncode == 1
    text = result.stdout + result.stderr
    assert not re.search("[а-яё]", text, re.I), text
    assert result.stdout.startswith("Poll failed:") and "AMO_BASE_URL" in result.stderr


# --- 12: times carry their zone ------------------------------------------------------------


def test_status_times_are_utc_iso_8601_in_text_and_json(sandbox, cli: Cli) -> None:
    sandbox.kaspi.add_order(make_order("970000201", created=hours_ago(1), phone="7017700201"))
    assert cli.poll().returncode == 0
    text = cli.run("status")
    assert text.returncode == 0
    poll_line = next(line for line in text.stdout.splitlines() if line.startswith("Последний опрос"))
    assert UTC_ISO.search(poll_line), text.stdout
    assert "Сегодня (UTC, " in text.stdout
    status = cli.status()
    for key in ("last_poll_at", "last_success_at", "heartbeat_at"):
        assert UTC_ISO.fullmatch(status[key]), status[key]
        moment = datetime.fromisoformat(status[key])
        assert moment.utcoffset() == UTC.utcoffset(None)
        assert abs((datetime.now(UTC) - moment).total_seconds()) < 120
