"""`kaspi-amo doctor`: every check's ok/warn/fail, the exit code, JSON, the saved report, no secrets."""

from __future__ import annotations

import io
import json
import sqlite3
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from app import __version__, doctor
from app.cli import main as cli_main
from app.secrets import FileBackend, SecretStore
from app.store.migrations import load_migrations


class _Api(BaseHTTPRequestHandler):
    """Answers like an API without a token (401), and records the User-Agent each request had."""

    agents: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Api.agents.append(self.headers.get("User-Agent", ""))
        self.send_response(401)  # what an API answers without a token: reachable all the same
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def api_url() -> Iterator[str]:
    _Api.agents = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Api)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nobody listens once it is closed


def base_env(home: Path, **extra: str) -> dict[str, str]:
    return {"KASPI_AMO_HOME": str(home), "KASPI_AMO_SECRETS": "file", **extra}


def by_name(checks: list[doctor.Check]) -> dict[str, doctor.Check]:
    return {c.name: c for c in checks}


def test_first_run_without_configuration_passes_with_warnings(tmp_path: Path, api_url: str) -> None:
    env = base_env(tmp_path / "home", KASPI_BASE_URL=f"{api_url}/shop/api/v2")
    checks, log_dir = doctor.run_checks(env, timeout=2)
    found = by_name(checks)
    assert found["version"].status == doctor.OK and __version__ in found["version"].message
    assert found["paths"].status == doctor.OK
    assert found["settings"].status == doctor.WARN and "KASPI_API_TOKEN" in found["settings"].message
    assert found["keyring"].status == doctor.OK  # keyring's backends are registered (entry points)
    assert found["secrets"].status == doctor.OK and "secrets.json" in found["secrets"].message
    assert found["store"].status == doctor.OK and "будет создана" in found["store"].message
    assert found["qt"].status == doctor.OK
    assert found["translations"].status == doctor.OK
    assert found["tls"].status == doctor.OK
    assert found["network:Kaspi"].status == doctor.OK and "HTTP 401" in found["network:Kaspi"].message
    assert _Api.agents and all(a.startswith("kaspi-amo-sync/") for a in _Api.agents)  # the client's, never requests'
    assert found["network:amoCRM"].status == doctor.WARN  # not configured yet
    assert log_dir == tmp_path / "home" / "logs"
    assert not (tmp_path / "home" / "data" / "kaspi-amo.sqlite3").exists()  # doctor creates no store
    out = io.StringIO()
    assert doctor.main(env=env, out=out, checks_runner=lambda e, network, t: (checks, log_dir)) == 0
    assert "Итог: ошибок нет" in out.getvalue()
    assert (log_dir / "doctor.txt").read_text(encoding="utf-8").startswith(f"Kaspi amoCRM Sync {__version__}")


def test_configured_hosts_that_do_not_answer_fail_naming_the_setting(tmp_path: Path) -> None:
    """A poll cannot work when AMO_BASE_URL or KASPI_BASE_URL does not answer: a failure (exit 1),
    each line naming the setting and the address; no "only from Kazakhstan" (not true)."""
    port = closed_port()
    env = base_env(tmp_path, KASPI_BASE_URL=f"http://127.0.0.1:{port}/shop/api/v2", KASPI_API_TOKEN="t",
                   AMO_BASE_URL=f"http://127.0.0.1:{port}")
    out = io.StringIO()
    assert doctor.main(env=env, out=out) == 1
    text = out.getvalue()
    kaspi = next(line for line in text.splitlines() if "KASPI_BASE_URL" in line)
    amo = next(line for line in text.splitlines() if "AMO_BASE_URL" in line and "[FAIL]" in line)
    assert kaspi.startswith("[FAIL]") and f"http://127.0.0.1:{port}" in kaspi
    assert amo.startswith("[FAIL] amoCRM") and f"http://127.0.0.1:{port}" in amo
    assert "Казахстан" not in text and "ошибок нет" not in text


def test_no_network_skips_the_hosts(tmp_path: Path) -> None:
    checks, _ = doctor.run_checks(base_env(tmp_path), network=False)
    assert not [c for c in checks if c.name.startswith("network")]


def test_damaged_settings_file_fails(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir(parents=True)
    (tmp_path / "config" / "settings.json").write_text("{not json", encoding="utf-8")
    out = io.StringIO()
    assert doctor.main(env=base_env(tmp_path), network=False, out=out) == 1
    assert "[FAIL] Ошибка настроек: Файл настроек" in out.getvalue() and "ошибок 1" in out.getvalue()


def test_unwritable_folder_fails(tmp_path: Path) -> None:
    (tmp_path / "logs").write_text("a file where the log folder should be", encoding="utf-8")
    checks, _ = doctor.run_checks(base_env(tmp_path), network=False)
    assert by_name(checks)["paths"].status == doctor.FAIL
    assert "логи" in by_name(checks)["paths"].message


def test_existing_store_is_read_without_changing_it(tmp_path: Path) -> None:
    from app.store.factory import open_store

    db = tmp_path / "data" / "kaspi-amo.sqlite3"
    db.parent.mkdir(parents=True)
    store = open_store(str(db))
    store.migrate()
    store.close()
    before = db.stat().st_mtime_ns
    check = doctor.check_store(str(db))
    assert check.status == doctor.OK and "заказов 0" in check.message
    assert f"схема {max(m.version for m in load_migrations('sqlite')):03d}" in check.message
    assert db.stat().st_mtime_ns == before


def test_damaged_store_is_a_warning(tmp_path: Path) -> None:
    db = tmp_path / "broken.sqlite3"
    db.write_bytes(b"this is not a database" * 100)
    assert doctor.check_store(str(db)).status == doctor.WARN


def test_store_from_a_newer_release_fails(tmp_path: Path) -> None:
    db = tmp_path / "newer.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT)")
    conn.execute("INSERT INTO schema_migrations VALUES (999, 'future', 'x')")
    conn.commit()
    conn.close()
    check = doctor.check_store(str(db))
    assert check.status == doctor.FAIL and "обновите программу" in check.message


def test_a_secret_store_that_loses_values_fails(tmp_path: Path) -> None:
    class Forgetful(FileBackend):
        def get(self, key: str) -> str | None:
            return None

    store = SecretStore(Forgetful(tmp_path / "s.json"))
    assert doctor.check_secret_store(store, None, "file").status == doctor.FAIL


def test_missing_translations_fail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doctor, "translations_dir", lambda: tmp_path)
    check = doctor.check_translations()
    assert check.status == doctor.FAIL and "ru, en, kk" in check.message


def test_secrets_never_reach_the_report(tmp_path: Path, api_url: str, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    store = SecretStore(FileBackend(tmp_path / "data" / "secrets.json"))
    store.set("AMO_CLIENT_SECRET", "client-secret-in-keyring-5511")
    env = base_env(
        tmp_path,
        KASPI_API_TOKEN="kaspi-token-7f3a9c",
        KASPI_BASE_URL=f"{api_url}/shop/api/v2?token=query-secret-99",
        AMO_BASE_URL=f"{api_url}",
        AMO_ACCESS_TOKEN="amo-access-token-1b2c",
        AMO_REFRESH_TOKEN="amo-refresh-token-3d4e",
        ALERT_TELEGRAM_BOT_TOKEN="123:telegram-bot-secret",
        DATABASE_URL=f"postgresql://shop:db-password-42@127.0.0.1:{closed_port()}/kaspi",
    )
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    code = cli_main(["doctor", "--json"])
    out = capsys.readouterr()
    report = (tmp_path / "logs" / "doctor.txt").read_text(encoding="utf-8")
    for secret in ("kaspi-token-7f3a9c", "client-secret-in-keyring-5511", "amo-access-token-1b2c",
                   "amo-refresh-token-3d4e", "telegram-bot-secret", "db-password-42", "query-secret-99"):
        assert secret not in out.out + out.err + report
    payload = json.loads(out.out)
    found = {c["name"]: c for c in payload["checks"]}
    assert found["settings"]["status"] == "ok"  # the keyring's client secret filled in, not printed
    assert found["store"]["status"] == "fail" and "127.0.0.1" in found["store"]["message"]
    assert code == 1 and payload["ok"] is False
    assert payload["report_file"].endswith("doctor.txt")


def test_cli_text_report_and_exit_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("KASPI_AMO_HOME", str(tmp_path))
    monkeypatch.setenv("KASPI_AMO_SECRETS", "file")
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("KASPI_AMO_LANG", raising=False)
    assert cli_main(["doctor", "--no-network"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Kaspi amoCRM Sync {__version__}: проверка установки")
    assert "[ OK ] Переводы загружаются: ru, en, kk" in out
    assert f"Отчёт сохранён: {tmp_path / 'logs' / 'doctor.txt'}" in out


def test_forget_secrets_removes_every_saved_secret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """What the Windows uninstaller runs when the owner asks to delete their data."""
    from app.secrets import AmoTokenStore, store_key

    monkeypatch.setenv("KASPI_AMO_HOME", str(tmp_path))
    monkeypatch.setenv("KASPI_AMO_SECRETS", "file")
    store = SecretStore(FileBackend(tmp_path / "data" / "secrets.json"))
    store.set("KASPI_API_TOKEN", "k")
    store.set(AmoTokenStore.ACCESS, "a" * 2500)  # sharded
    store.set(AmoTokenStore.REFRESH, "r")
    store_key(store)  # the key of the store's phone cache
    store.set("unrelated", "kept")
    assert cli_main(["forget-secrets"]) == 0
    data = json.loads((tmp_path / "data" / "secrets.json").read_text(encoding="utf-8"))
    assert data == {"unrelated": "kept"}
    assert "удалены" in capsys.readouterr().out


def test_a_keyring_that_does_not_answer_is_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    """It used to say OK next to "не отвечает": secrets would silently land in the file."""
    import sys
    import types

    from keyring.backend import KeyringBackend
    from keyring.compat import properties

    module = types.ModuleType("silent_keyring")

    class Silent(KeyringBackend):
        @properties.classproperty
        def priority(cls) -> float:  # noqa: N805 - a keyring classproperty; keyring's "not viable": asking for the priority raises
            raise RuntimeError("no D-Bus session")

        def get_password(self, service: str, username: str) -> str | None:
            return None

        def set_password(self, service: str, username: str, password: str) -> None:
            raise RuntimeError

        def delete_password(self, service: str, username: str) -> None:
            raise RuntimeError

    Silent.__module__ = "silent_keyring"
    module.Silent = Silent  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "silent_keyring", module)
    monkeypatch.setattr(doctor, "_native_keyring_module", lambda: "silent_keyring")
    check = doctor.check_keyring_backends()
    assert check.status == doctor.WARN and "не отвечает" in check.message and "KASPI_AMO_SECRETS=file" in check.message
    chosen = doctor.check_keyring_backends(forced_file=True)  # the file was chosen on purpose: nothing to fix
    assert chosen.status == doctor.OK
