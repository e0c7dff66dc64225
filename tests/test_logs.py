"""Logs never carry a full phone number or a token."""

import json
import logging
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.logs import JsonFormatter, LogFileHandler, Redactor, mask_phone, setup_logging
from app.sandbox.seed import make_order
from tests.acceptance.support import Cli, describe, hours_ago, stderr_lines


def test_mask_phone():
    assert mask_phone("+77011234567") == "+7 *** *** ** 67"
    assert mask_phone("8 (701) 123-45-67") == "+7 *** *** ** 67"
    assert mask_phone(None) == ""


def test_json_lines_mask_phones_tokens_and_secret_fields(tmp_path):
    log_file = tmp_path / "logs" / "app.log"
    redactor = setup_logging(level="debug", log_file=log_file, redactor=Redactor(["kaspi-secret-token-42"]))
    logger = logging.getLogger("test.logs")
    logger.info(
        "buyer 7011234567, +7 (701) 123-45-67, token kaspi-secret-token-42, header Bearer abc.def.ghi",
        extra={"phone": "+77011234567", "access_token": "eyJhbGciOi.eyJleHAiOjE3.sig", "code": "512345678"},
    )
    redactor.add("rotated-later-token")
    logger.warning("refresh with rotated-later-token")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = log_file.read_text(encoding="utf-8")
    for secret in ("7011234567", "123-45-67", "kaspi-secret-token-42", "abc.def.ghi", "eyJhbGciOi", "rotated-later-token"):
        assert secret not in text
    first = json.loads(text.splitlines()[0])
    assert first["level"] == "info" and first["ts"].endswith("+00:00")
    assert first["phone"] == "+7 *** *** ** 67"
    logging.getLogger().handlers.clear()


# --- a log file that cannot be written (#19 item 5) -----------------------------------------------

FULL = Path("/dev/full")  # every write: ENOSPC, as on a full disk
needs_dev_full = pytest.mark.skipif(not FULL.exists(), reason="no /dev/full on this system")


def _handler(path: Path, notices: list[str], **kw) -> LogFileHandler:
    handler = LogFileHandler(path, notice=notices.append, **kw)
    handler.setFormatter(JsonFormatter(Redactor()))
    return handler


def _record(n: int) -> logging.LogRecord:
    return logging.makeLogRecord({"name": "t", "levelno": logging.INFO, "levelname": "INFO", "msg": f"record {n}"})


@needs_dev_full
def test_a_full_disk_is_reported_once_and_the_lines_are_written_when_space_returns(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "kaspi-amo.log"
    path.symlink_to(FULL)
    notices: list[str] = []
    handler = _handler(path, notices, retry_seconds=0.0)
    for n in range(300):
        handler.handle(_record(n))
    assert len(notices) == 1 and "No space left" in notices[0] and str(path) in notices[0], notices
    assert handler.failing
    path.unlink()  # space is back
    handler.handle(_record(300))
    handler.close()
    lines = [json.loads(line)["msg"] for line in path.read_text(encoding="utf-8").splitlines()]
    assert lines == [f"record {n}" for n in range(301)]  # nothing lost, in order
    assert len(notices) == 1 and handler.failing is None
    err = capsys.readouterr().err
    assert "Logging error" not in err and "Traceback" not in err


def test_a_log_folder_that_cannot_be_created_degrades_without_a_traceback(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "logs"
    blocker.write_text("a file where the folder should be")
    notices: list[str] = []
    handler = _handler(blocker / "kaspi-amo.log", notices, backlog=10)
    for n in range(25):
        handler.handle(_record(n))
    handler.close()
    assert len(notices) == 2, notices  # the failure, then at exit how many lines were never written
    assert "не записывается" in notices[0] and "25" in notices[1]
    err = capsys.readouterr().err
    assert "Logging error" not in err and "Traceback" not in err


def test_the_log_file_is_created_owner_only(tmp_path):
    path = tmp_path / "logs" / "kaspi-amo.log"
    old = os.umask(0)
    try:
        handler = _handler(path, [])
        handler.handle(_record(1))
        handler.close()
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o600


# --- the same through the CLI ---------------------------------------------------------------------


def _seed(sandbox) -> list[str]:
    codes = ["780000001", "780000002"]
    sandbox.kaspi.add_orders([make_order(code, created=hours_ago(1), phone=f"701555070{i}")
                              for i, code in enumerate(codes)])
    return codes


@needs_dev_full
def test_poll_with_a_full_disk_for_the_log_syncs_and_prints_no_logging_errors(sandbox, tmp_path):
    cli = Cli.create(sandbox, tmp_path)
    codes = _seed(sandbox)
    (cli.home / "logs").mkdir(parents=True)
    (cli.home / "logs" / "kaspi-amo.log").symlink_to(FULL)
    result = cli.poll(extra={"LOG_LEVEL": "debug"})
    assert result.returncode == 0, describe(result)
    assert all(len(sandbox.amo.leads_named(f"Kaspi #{c}")) == 1 for c in codes)
    assert "Logging error" not in result.stderr and "Traceback" not in result.stderr, describe(result)
    assert len(stderr_lines(result)) <= 2, describe(result)  # the failure, and the count at exit


@needs_dev_full
def test_run_with_a_full_disk_for_the_log_reports_it_once(sandbox, tmp_path):
    cli = Cli.create(sandbox, tmp_path)
    _seed(sandbox)
    (cli.home / "logs").mkdir(parents=True)
    (cli.home / "logs" / "kaspi-amo.log").symlink_to(FULL)
    daemon = cli.popen("run")
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not cli.status().get("last_reconcile_at"):
            time.sleep(0.5)  # the start-up poll and reconcile
    finally:
        daemon.send_signal(signal.SIGTERM)
        _out, err = daemon.communicate(timeout=60)
    assert daemon.returncode == 0, err[-2000:]
    assert "Logging error" not in err and "Traceback" not in err, err[-2000:]
    assert err.count("не записывается") == 1, err[-2000:]


@contextmanager
def _read_only(folder: Path) -> Iterator[None]:
    """`folder` read-only for this process: a read-only bind mount as root, else chmod."""
    if os.geteuid() != 0:
        folder.chmod(0o500)
        try:
            yield
        finally:
            folder.chmod(0o700)
        return
    mounted = subprocess.run(["mount", "--bind", str(folder), str(folder)], capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip("root without the right to mount: cannot make a folder read-only")
    try:
        if subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], capture_output=True, check=False).returncode:
            pytest.skip("cannot remount read-only here")
        yield
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True, check=False)


def test_a_read_only_log_folder_still_syncs_with_one_clear_line(sandbox, tmp_path):
    cli = Cli.create(sandbox, tmp_path)
    codes = _seed(sandbox)
    assert cli.run("status").returncode == 0  # creates the home
    with _read_only(cli.home / "logs"):
        result = cli.poll()
    assert result.returncode == 0, describe(result)
    assert all(len(sandbox.amo.leads_named(f"Kaspi #{c}")) == 1 for c in codes)
    assert "Traceback" not in result.stderr and "Logging error" not in result.stderr, describe(result)
    assert 1 <= len(stderr_lines(result)) <= 2 and str(cli.home / "logs") in result.stderr, describe(result)


def test_a_read_only_home_is_one_clear_line(sandbox, tmp_path):
    cli = Cli.create(sandbox, tmp_path)
    _seed(sandbox)
    assert cli.run("status").returncode == 0
    with _read_only(cli.home):
        result = cli.poll()
    # the store (or, before it, a lock or secrets file) cannot be written: one line naming the file;
    # exit 1 "the database is unavailable" or 2 "the home cannot be written", as the README's table says
    assert result.returncode in (1, 2), describe(result)
    assert "Traceback" not in result.stderr and "Logging error" not in result.stderr, describe(result)
    lines = stderr_lines(result)
    assert len(lines) == 1 and str(cli.home) in lines[0], describe(result)
    assert sandbox.amo.leads == {}
