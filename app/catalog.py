"""Translations without Qt: the tray's own .ts catalogs, read with the standard library.

Headless pages (`run --http`'s status page) speak the language the owner chose in the
tray, from the same catalogs translators already keep, so a string is translated once.
Qt's compiled .qm files are hashed lookups that need Qt to read; the .ts source files
are plain XML and ship beside them. Russian is the source language: a missing catalog,
context or translation gives the Russian text, never an error.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from app.gui.prefs import LANGUAGES, PrefsStore
from app.paths import AppPaths

log = logging.getLogger(__name__)

DEFAULT_LANGUAGE = "ru"
CATALOG = "kaspi_amo"


def catalogs_dir() -> Path:
    return Path(__file__).resolve().parent / "gui" / "resources" / "translations"


@dataclass(frozen=True)
class Catalog:
    """`translate(context, source)` as QCoreApplication.translate would answer it."""

    language: str = DEFAULT_LANGUAGE
    messages: dict[tuple[str, str], str] = field(default_factory=dict)

    def translate(self, context: str, source: str) -> str:
        return self.messages.get((context, source)) or source


def load_catalog(language: str | None, directory: Path | None = None) -> Catalog:
    """The finished translations of `language` (Russian, the source, needs none)."""
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    if language == DEFAULT_LANGUAGE:
        return Catalog()
    path = (directory or catalogs_dir()) / f"{CATALOG}_{language}.ts"
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        log.warning("translation catalog unreadable; using Russian", extra={"path": str(path), "error": str(exc)})
        return Catalog()
    messages: dict[tuple[str, str], str] = {}
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") in ("unfinished", "obsolete", "vanished"):
                continue
            if message.get("numerus") == "yes":
                continue  # plural forms are not used outside Qt
            if translation.text:
                messages[(name, message.findtext("source") or "")] = translation.text
    return Catalog(language, messages)


def chosen_language(paths: AppPaths) -> str:
    """The language picked in the tray (gui.json), else Russian: a server has no desktop locale."""
    return PrefsStore.in_config_dir(paths.config_dir).load().language or DEFAULT_LANGUAGE


def arg(text: str, *values: object) -> str:
    """Qt-style %1, %2 placeholders (translators may reorder them)."""
    for number in range(len(values), 0, -1):  # %10 before %1
        text = text.replace(f"%{number}", str(values[number - 1]))
    return text
