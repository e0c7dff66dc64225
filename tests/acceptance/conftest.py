from __future__ import annotations

from pathlib import Path

import pytest

from app.sandbox.server import Sandbox
from tests.acceptance.support import Cli


@pytest.fixture
def cli(sandbox: Sandbox, tmp_path: Path) -> Cli:
    return Cli.create(sandbox, tmp_path)
