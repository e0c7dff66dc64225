"""GUI-only preferences (language, notifications, autostart) in a small JSON file.

Kept apart from the engine's settings.json on purpose: these are per-desktop choices, the
engine never reads them, and no secret ever goes here.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

PREFS_FILE_NAME = "gui.json"
LANGUAGES = ("ru", "kk", "en")


@dataclass(frozen=True)
class GuiPrefs:
    language: str | None = None  # None: follow the system locale
    mute_notifications: bool = False
    autostart: bool = False  # off by default: the owner opts in
    tray_hint_shown: bool = False  # the one-time "I live in the tray now" balloon was shown
    check_updates: bool = True  # once a day, the releases feed (UPDATE_FEED_URL)
    update_checked_at: str | None = None  # UTC ISO time of the last check (once a day across restarts)
    update_announced: str | None = None  # the newest version the owner was told about (told once)
    update_url: str | None = None  # its download page: offered until that version runs

    def with_changes(self, **changes: Any) -> GuiPrefs:
        return replace(self, **changes)


class PrefsStore:
    """Reads and writes GuiPrefs; a broken or missing file means defaults, never a crash."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def in_config_dir(cls, config_dir: Path) -> PrefsStore:
        return cls(config_dir / PREFS_FILE_NAME)

    def load(self) -> GuiPrefs:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return GuiPrefs()
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            log.warning("GUI preferences unreadable; using defaults", extra={"path": str(self.path)})
            return GuiPrefs()
        if not isinstance(data, dict):
            return GuiPrefs()
        known = {f.name for f in fields(GuiPrefs)}
        values = {k: v for k, v in data.items() if k in known}
        language = values.get("language")
        if language not in LANGUAGES:
            values["language"] = None
        for flag in ("mute_notifications", "autostart", "tray_hint_shown", "check_updates"):
            if flag in values:
                values[flag] = bool(values[flag])
        for text in ("update_checked_at", "update_announced", "update_url"):
            if not isinstance(values.get(text), (str, type(None))):
                values[text] = None
        return GuiPrefs(**values)

    def save(self, prefs: GuiPrefs) -> None:
        """Atomic write (tmp + replace), readable only by the owner."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(prefs), ensure_ascii=False, indent=2), encoding="utf-8")
        with contextlib.suppress(OSError):
            os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)
