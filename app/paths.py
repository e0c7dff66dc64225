"""Where settings, data and logs live.

platformdirs by default; KASPI_AMO_HOME puts all three under one folder (tests,
portable installs, several shops on one server).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from app import APP_NAME


@dataclass(frozen=True)
class AppPaths:
    config_dir: Path
    data_dir: Path
    log_dir: Path

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def default_database(self) -> Path:
        return self.data_dir / "kaspi-amo.sqlite3"

    @property
    def secrets_file(self) -> Path:
        return self.data_dir / "secrets.json"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "kaspi-amo.log"

    def ensure(self) -> None:
        """Create the folders readable only by their owner (they hold buyers' data)."""
        for folder in (self.config_dir, self.data_dir, self.log_dir):
            folder.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(OSError):
                folder.chmod(0o700)


def resolve_paths(env: Mapping[str, str] | None = None) -> AppPaths:
    env = os.environ if env is None else env
    home = env.get("KASPI_AMO_HOME")
    if home:
        root = Path(home).expanduser().resolve()
        return AppPaths(root / "config", root / "data", root / "logs")
    return AppPaths(
        Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
    )
