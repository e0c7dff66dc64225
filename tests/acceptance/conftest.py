from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from app.sandbox.server import Sandbox
from tests.acceptance.support import Cli


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    """Both emulators on 127.0.0.1, empty: each test seeds exactly what it needs."""
    box = Sandbox(seed=False).start()
    try:
        yield box
    finally:
        box.kaspi.close()
        box.stop()


@pytest.fixture
def cli(sandbox: Sandbox, tmp_path: Path) -> Cli:
    return Cli.create(sandbox, tmp_path)
