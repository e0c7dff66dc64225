"""Text without Qt in the user's language: the CLI and `run --http`'s status page.

The tray app translates its widgets through Qt's .qm catalogs (app/gui/i18n.py); the CLI and
the status page must run where Qt is not installed (servers, cron, containers), so they have
their own small catalogs: one Python dict per language in this package (`en.py`, `kk.py`),
keyed by the Russian source text, which is also the default language. The policy, in one place:

- every user-facing string of those modules (app/lang/extract.py lists them) is written in Russian inside a `t.tr("…", name=value)` call
  (placeholders in `{braces}`), counts inside `t.plural(n, "заказ", "заказа", "заказов")`;
- the language is `choose_language`'s, the one rule of the whole app (the tray app takes its
  default from it too): KASPI_AMO_LANG, else the one the owner chose in the tray app
  (gui.json), else the system locale (LANGUAGE, LC_ALL / LC_MESSAGES / LANG; the tray asks the
  desktop), else Russian — a locale we do not ship gets Russian, not English;
- argparse's own English ("usage:", "options", errors) is translated too, Russian included;
- tests/test_cli_i18n.py fails on any string without a Kazakh or English translation, on a
  translation whose placeholders differ, and on catalog entries no code uses.

Engine errors keep their precise Russian text in Russian; in other languages the error's kind
is explained (`Translator.error`), keeping the setting names and addresses the message named.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from app.lang import en, en_errors, kk, kk_errors, ru
from app.mapping_text import plural_ru

LANGUAGES = ("ru", "kk", "en")
DEFAULT_LANGUAGE = "ru"
LANGUAGE_ENV = "KASPI_AMO_LANG"

_CATALOGS = {"en": en, "kk": kk}
_ERROR_TABLES = {"en": en_errors.ERRORS, "kk": kk_errors.ERRORS}
_SETTING_RE = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")
_ADDRESS_RE = re.compile(r"\bhttps?://[^\s,;«»()]+")


def _language_of(tag: str | None) -> str | None:
    """"kk_KZ.UTF-8", "kk-KZ" → "kk"; also Windows names ("Kazakh_Kazakhstan"); None when not shipped."""
    if not tag:
        return None
    code = re.split(r"[_.@-]", tag.strip(), maxsplit=1)[0].lower()
    code = {"russian": "ru", "kazakh": "kk", "english": "en"}.get(code, code)
    return code if code in LANGUAGES else None


def system_language(env: Mapping[str, str]) -> str | None:
    """The shipped language the system locale asks for, GNU gettext's way: LANGUAGE (a list)
    wins unless the locale is C/POSIX; then LC_ALL, LC_MESSAGES, LANG."""
    locale_name = next((env[n] for n in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(n)), "")
    if locale_name.split(".")[0] not in ("", "C", "POSIX") and env.get("LANGUAGE"):
        for tag in env["LANGUAGE"].split(":"):
            if _language_of(tag):
                return _language_of(tag)
    if locale_name:
        return _language_of(locale_name)
    if sys.platform == "win32":  # pragma: no cover - Windows has no LANG
        import locale

        return _language_of(locale.getlocale()[0])
    return None


def choose_language(env: Mapping[str, str] | None = None, chosen: str | None = None,
                    system: Iterable[str] | None = None) -> str:
    """THE language rule, for the CLI, the status page and the tray app's default: KASPI_AMO_LANG,
    else the owner's choice in the tray (`chosen`, from gui.json), else the first shipped
    system language (`system`: the desktop's UI languages; by default the locale variables),
    else Russian — a locale we do not ship gets Russian, not English."""
    env = os.environ if env is None else env
    explicit = _language_of(env.get(LANGUAGE_ENV))
    if explicit:
        return explicit
    if chosen in LANGUAGES:
        return chosen
    tags = [system_language(env) or ""] if system is None else system
    return next((code for code in map(_language_of, tags) if code), DEFAULT_LANGUAGE)


def tray_choice(config_dir: Path | None) -> str | None:
    """The language the owner picked in the tray app (gui.json), None when none was picked."""
    if config_dir is None:
        return None
    from app.gui.prefs import PrefsStore  # plain JSON, no Qt

    return PrefsStore.in_config_dir(config_dir).load().language


class Translator:
    """One language's CLI text; built once per command by the CLI and passed to what prints."""

    def __init__(self, language: str = DEFAULT_LANGUAGE) -> None:
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        catalog = _CATALOGS.get(self.language)
        self._messages: Mapping[str, str] = catalog.MESSAGES if catalog else {}
        self._plurals: Mapping[tuple[str, str, str], tuple[str, ...]] = catalog.PLURALS if catalog else {}
        self._argparse: Mapping[str, str] = (catalog or ru).ARGPARSE
        self._errors: Mapping[str, tuple[str, str]] = _ERROR_TABLES.get(self.language, {})

    def tr(self, source: str, /, **values: object) -> str:
        """`source` (Russian, with {placeholders}) in this language, values filled in."""
        text = self._messages.get(source, source)
        return text.format(**values) if values else text

    def plural(self, count: int, one: str, few: str, many: str) -> str:
        """"3 заказа" / "3 orders" / "3 тапсырыс": the count with the right word form."""
        if self.language == "ru":
            return plural_ru(count, one, few, many)
        forms = self._plurals.get((one, few, many))
        if not forms:
            return plural_ru(count, one, few, many)
        word = forms[0] if count == 1 or len(forms) == 1 else forms[1]
        return f"{count} {word}"

    def title(self, kind: type[BaseException]) -> str:
        """The title of an engine error kind in this language ("Ошибка настроек", "Configuration error")."""
        for cls in kind.__mro__:
            if self.language != "ru" and cls.__name__ in self._errors:
                return self._errors[cls.__name__][0]
            if self.language == "ru" and isinstance(getattr(cls, "title", None), str):
                return str(cls.title)  # type: ignore[attr-defined]
        return kind.__name__

    def explain(self, exc: BaseException) -> tuple[str, str]:
        """(title, what happened and what to do) for an engine error: THE advice table, shown by
        the CLI on one line and by the tray as a title and a text. Russian keeps the engine's
        own precise message; other languages explain the error's kind in words, keeping the
        settings and addresses the message named."""
        title = getattr(exc, "title", None) or type(exc).__name__
        message = getattr(exc, "message", None) or str(exc)
        kind = next((cls.__name__ for cls in type(exc).__mro__ if cls.__name__ in self._errors), None)
        if self.language == "ru" or kind is None:
            return title, message
        title, advice = self._errors[kind]
        named = list(dict.fromkeys(_SETTING_RE.findall(message) + _ADDRESS_RE.findall(message)))
        tail = f" ({', '.join(n.rstrip('.') for n in named)})" if named else ""
        return title, f"{advice}{tail}"

    def error(self, exc: BaseException) -> str:
        """One line for an engine error: "title: message" in Russian, the kind explained elsewhere."""
        title, text = self.explain(exc)
        return f"{title}: {text}"

    def argparse_text(self, source: str) -> str:
        return self._argparse.get(source, source)

    @contextmanager
    def argparse_texts(self) -> Iterator[None]:
        """argparse builds its own words through the module-level gettext `_` and `ngettext`
        (at parser construction, help formatting and errors); swap them for this language
        while the parser is built and used, and put them back after."""
        saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
        argparse._ = self.argparse_text  # type: ignore[attr-defined]
        argparse.ngettext = lambda one, many, n: self.argparse_text(one if n == 1 else many)  # type: ignore[attr-defined]
        try:
            yield
        finally:
            argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def translator_for(env: Mapping[str, str] | None = None) -> Translator:
    """The translator of a process without Qt (the CLI and its `run --http` status page), in
    the language `choose_language` picks (the config dir found as the app finds it)."""
    from app.paths import resolve_paths

    env = os.environ if env is None else env
    try:
        config_dir: Path | None = resolve_paths(env).config_dir
    except (OSError, ValueError, RuntimeError):  # an unusable home must not stop the CLI from speaking
        config_dir = None
    return Translator(choose_language(env, tray_choice(config_dir)))
