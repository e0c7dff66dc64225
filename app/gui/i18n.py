"""Which language the UI speaks, and loading its Qt translators.

Russian is the source language of every string and the default: our users are in
Kazakhstan, so a system locale we do not ship (German, Uzbek, "C") gets Russian, not English.
The rule itself is app/lang's `choose_language`, shared with the CLI and the status page.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app import lang
from app.gui.prefs import LANGUAGES

log = logging.getLogger(__name__)

DEFAULT_LANGUAGE = lang.DEFAULT_LANGUAGE
CATALOG = "kaspi_amo"


def translations_dir() -> Path:
    return Path(__file__).resolve().parent / "resources" / "translations"


def choose_language(preferred: str | None, ui_languages: Iterable[str], env: Mapping[str, str] | None = None) -> str:
    """The language the owner picked in this app; when none, app/lang's rule (KASPI_AMO_LANG,
    else the first desktop UI language we ship, else Russian). A choice made in the settings
    must take effect here, so only the default comes from the environment."""
    if preferred in LANGUAGES:
        return preferred
    return lang.choose_language(env, None, ui_languages)


def arg(text: str, *values: object) -> str:
    """Qt-style %1, %2 placeholders (translators may reorder them)."""
    for number in range(len(values), 0, -1):  # %10 before %1
        text = text.replace(f"%{number}", str(values[number - 1]))
    return text


def system_ui_languages() -> Sequence[str]:
    return QLocale.system().uiLanguages()


class Translations:
    """Owns the installed translators so a language switch (or a test) can remove them."""

    def __init__(self, app: QCoreApplication, directory: Path | None = None) -> None:
        self.app = app
        self.directory = directory or translations_dir()
        self.language = DEFAULT_LANGUAGE
        self._installed: list[QTranslator] = []

    def apply(self, language: str) -> bool:
        """Install the app's and Qt's own catalogs for `language`; True if the app's loaded.

        Russian loads a catalog too: it carries the Russian plural forms of %n strings.
        Installing sends LanguageChange to every widget, which retranslate themselves.
        """
        self.remove()
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        app_catalog = QTranslator(self.app)
        loaded = app_catalog.load(f"{CATALOG}_{self.language}", str(self.directory))
        if not loaded:
            log.warning("translation not found", extra={"language": self.language, "dir": str(self.directory)})
        qt_catalog = QTranslator(self.app)
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        for translator, ok in ((qt_catalog, qt_catalog.load(f"qtbase_{self.language}", qt_dir)), (app_catalog, loaded)):
            if ok:
                self.app.installTranslator(translator)
                self._installed.append(translator)
        return loaded

    def remove(self) -> None:
        for translator in self._installed:
            self.app.removeTranslator(translator)
        self._installed.clear()
