"""The status page in a real browser (Debian's headless Chromium), at a phone's width and a desktop's.

Set KASPI_AMO_SCREENSHOTS=1 to refresh docs/screenshots/status_page_{phone,desktop}.png.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from app.sandbox.kaspi import REMOVE
from app.sandbox.seed import make_order
from app.sandbox.server import Sandbox
from tests.acceptance.service_support import start_daemon
from tests.acceptance.support import Cli, hours_ago

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
NAMES = ["Айгерім Сейтқали", "Данияр Ахметов", "Ольга Ким", "Нұрлан Жақсыбеков", "Мария Иванова"]

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium)")


def _chromium(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None  # the module is skipped without it
    return subprocess.run(
        [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
         "--disable-extensions", f"--user-data-dir={home}", *args],
        capture_output=True, text=True, timeout=120,
    )


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


def test_the_status_page_in_headless_chromium(sandbox: Sandbox, cli: Cli, tmp_path: Path) -> None:
    for i, name in enumerate(NAMES):
        first, last = name.split()
        sandbox.kaspi.add_order(make_order(f"96400000{i}", created=hours_ago(5 - i), phone=f"70196400{i:02d}",
                                           first_name=first, last_name=last))
    sandbox.kaspi.add_order(make_order("964000009", created=hours_ago(0.5), phone="7019640099"))
    sandbox.kaspi.corrupt_order("964000009", {"totalPrice": REMOVE})
    daemon = start_daemon(cli, "--http", "127.0.0.1:0")
    try:
        daemon.wait_for(lambda: daemon.reports("reconcile"), what="the first cycles")
        dom = _chromium("--dump-dom", daemon.url + "/", home=tmp_path / "profile")
        shots = {}
        for kind, size in (("phone", (412, 915)), ("desktop", (1280, 900))):
            shot = tmp_path / f"status_page_{kind}.png"
            result = _chromium(f"--window-size={size[0]},{size[1]}", f"--screenshot={shot}", daemon.url + "/",
                               home=tmp_path / "profile")
            assert shot.exists(), result.stderr[-2000:]
            shots[kind] = (shot, size)
    finally:
        daemon.stop()

    html = dom.stdout
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "Синхронизация Kaspi → amoCRM" in html and "Последние заказы" in html
    for i, name in enumerate(NAMES):
        lead = sandbox.amo.leads_named(f"Kaspi #96400000{i}")[0]
        assert f"/leads/detail/{lead['id']}" in html and name in html
        assert f"+7 *** *** ** {i:02d}" in html and f"70196400{i:02d}" not in html
    assert "Нужна проверка" in html and "964000009" in html and "totalPrice" in html  # and why
    for kind, (shot, size) in shots.items():
        assert _png_size(shot) == size, kind
        assert shot.stat().st_size > 10_000, kind  # a rendered page, not a blank one
        if os.environ.get("KASPI_AMO_SCREENSHOTS") == "1":
            DOCS.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(shot, DOCS / shot.name)
