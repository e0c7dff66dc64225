"""The CLI speaks the user's language without Qt: every message translated (no unfinished one),
argparse's own English included, and the language picked the one documented way."""

from __future__ import annotations

import argparse
import ast
import io
import re
import string
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from app import errors
from app.cli import main as cli_main
from app.lang import Translator, choose_language, en, en_errors, kk, kk_errors, ru, tray_choice
from app.lang.extract import extract

CATALOGS = {"en": en, "kk": kk}
#: argparse texts only a programmer sees (a broken parser definition), never a user.
ARGPARSE_INTERNAL = {
    ".__call__() not defined", "conflicting subparser: %s", "conflicting subparser alias: %s",
    'argument "-" with mode %r', "cannot merge actions - two groups are named %r",
    "'required' is an invalid argument for positionals",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r",
    "dest= is required for options like %r", "invalid conflict_resolution value: %r",
    "conflicting option string: %s", "conflicting option strings: %s",
    "mutually exclusive arguments must be optional", "cannot have multiple subparser arguments",
    "%r is not callable",
}
ENGLISH_ARGPARSE = ("usage:", "positional arguments", "options:", "show this help message and exit",
                    "show program's version number and exit")


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def percent_fields(text: str) -> list[str]:
    return sorted(re.findall(r"%(?:\([a-z_]+\))?[rsd]", text))


def test_every_cli_message_is_translated_with_the_same_placeholders() -> None:
    found = extract()
    assert not found.dynamic, f"tr()/plural() without literal text cannot be translated: {found.dynamic}"
    assert len(found.messages) > 100  # the extractor really reads the CLI
    for name, catalog in CATALOGS.items():
        missing = {text: where for text, where in found.messages.items() if text not in catalog.MESSAGES}
        assert not missing, f"{name}: unfinished messages: {missing}"
        for source, translation in catalog.MESSAGES.items():
            assert fields(source) == fields(translation), f"{name}: placeholders differ: {source!r} → {translation!r}"
            assert translation.strip(), f"{name}: empty translation of {source!r}"
            if name == "en":
                assert not re.search("[а-яё]", translation, re.I), f"en: Russian left in {translation!r}"
        unused = set(catalog.MESSAGES) - set(found.messages)
        assert not unused, f"{name}: entries no code uses (remove them): {unused}"
        assert set(found.plurals) == set(catalog.PLURALS), f"{name}: plurals differ"


def test_every_engine_error_kind_is_explained_in_each_language() -> None:
    assert not re.search("[а-яё]", " ".join(title + advice for title, advice in en_errors.ERRORS.values()), re.I)
    kinds = {cls.__name__ for cls in vars(errors).values()
             if isinstance(cls, type) and issubclass(cls, errors.SyncError)}
    for name, table in (("en", en_errors.ERRORS), ("kk", kk_errors.ERRORS)):
        assert kinds == set(table), f"{name}: {kinds ^ set(table)}"


def argparse_texts() -> set[str]:
    """Every literal argparse itself passes through gettext (_ or ngettext), in this Python."""
    tree = ast.parse(Path(argparse.__file__).read_text(encoding="utf-8"))
    texts = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext"):
            texts |= {a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)}
    return texts


def test_argparse_own_words_are_translated_to_russian_and_kazakh() -> None:
    user_facing = argparse_texts() - ARGPARSE_INTERNAL
    assert "usage: " in user_facing and "show this help message and exit" in user_facing
    for name, table in (("ru", ru.ARGPARSE), ("kk", kk.ARGPARSE)):
        missing = user_facing - set(table)
        assert not missing, f"{name}: argparse strings without a translation (new Python?): {missing}"
        for source, translation in table.items():
            assert percent_fields(source) == percent_fields(translation), f"{name}: {source!r} → {translation!r}"


def help_of(args: list[str], language: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("KASPI_AMO_LANG", language)
    out = io.StringIO()
    with redirect_stdout(out), pytest.raises(SystemExit) as exited:
        cli_main([*args, "--help"])
    assert exited.value.code == 0
    return out.getvalue()


COMMANDS = ["poll", "reconcile", "run", "status", "migrate", "sandbox", "demo", "doctor", "forget-secrets", "quit"]
EXIT_HEADING = {"ru": "Коды выхода:", "kk": "Шығу кодтары:", "en": "Exit codes:"}


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_every_help_speaks_one_language_with_a_description_and_exit_codes(
        language: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for args in ([], *([c] for c in COMMANDS)):
        text = help_of(args, language, monkeypatch)
        if language != "en":
            for english in ENGLISH_ARGPARSE:
                assert english not in text, f"{args} in {language}: {english!r} left in English:\n{text}"
        else:
            assert not re.search("[а-яёәғқңөұүһі]", text, re.I), f"{args}: Cyrillic in the English help:\n{text}"
        assert EXIT_HEADING[language] in text, f"{args} in {language}: no exit codes:\n{text}"
        assert re.search(r"^  0 — ", text, re.M), text
        body = text.split("\n\n")
        assert len(body) >= 3, f"{args}: no description:\n{text}"


def test_sandbox_help_explains_how_to_use_it(monkeypatch: pytest.MonkeyPatch) -> None:
    text = help_of(["sandbox"], "ru", monkeypatch)
    assert "--env-file .env" in text and ". ./sandbox.sh" in text and "Ctrl+C" in text and "127.0.0.1" in text


def test_a_wrong_command_line_is_explained_in_the_language_and_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    for language, word in (("ru", "ошибка"), ("kk", "қате"), ("en", "error")):
        monkeypatch.setenv("KASPI_AMO_LANG", language)
        err = io.StringIO()
        with redirect_stderr(err), pytest.raises(SystemExit) as exited:
            cli_main(["pol"])
        assert exited.value.code == 2
        assert f"kaspi-amo: {word}: " in err.getvalue() and "'pol'" in err.getvalue()


@pytest.mark.parametrize("env, prefs, expected", [
    ({"KASPI_AMO_LANG": "kk", "LANG": "en_US.UTF-8"}, "en", "kk"),  # explicit wins
    ({"LANG": "en_US.UTF-8"}, "kk", "kk"),  # the owner's choice in the tray app
    ({"LANG": "en_US.UTF-8"}, None, "en"),
    ({"LC_ALL": "kk_KZ.UTF-8", "LANG": "en_US.UTF-8"}, None, "kk"),
    ({"LANG": "ru_RU.UTF-8", "LANGUAGE": "kk:en"}, None, "kk"),  # GNU: LANGUAGE first…
    ({"LANG": "C", "LANGUAGE": "en"}, None, "ru"),  # …unless the locale is C
    ({"LANG": "de_DE.UTF-8"}, None, "ru"),  # not shipped: Russian, never English
    ({}, None, "ru"),
    ({"KASPI_AMO_LANG": "fr"}, None, "ru"),
])
def test_the_language_is_chosen_the_documented_way(tmp_path: Path, env: dict[str, str], prefs: str | None,
                                                   expected: str) -> None:
    if prefs:
        (tmp_path / "gui.json").write_text(f'{{"language": "{prefs}"}}', encoding="utf-8")
    assert choose_language(env, tray_choice(tmp_path)) == expected


@pytest.mark.parametrize("env, chosen, desktop, expected", [
    ({}, None, ["kk-KZ", "ru-RU"], "kk"),
    ({}, None, ["de-DE", "en-US"], "en"),  # the first language we ship
    ({}, None, ["uz-UZ", "C"], "ru"),
    ({"LANG": "en_US.UTF-8"}, None, [], "ru"),  # the desktop's list replaces the locale variables
    ({}, "kk", ["en-US"], "kk"),
    ({}, "fr", ["en-US"], "en"),  # an unknown choice is ignored
    ({"KASPI_AMO_LANG": "en"}, "kk", ["kk-KZ"], "en"),
])
def test_the_desktop_languages_take_the_place_of_the_locale(env: dict[str, str], chosen: str | None,
                                                            desktop: list[str], expected: str) -> None:
    """The tray app asks the same rule, handing in the desktop's UI languages (Qt's list)."""
    assert choose_language(env, chosen, desktop) == expected


def test_plurals_and_errors_in_each_language() -> None:
    assert Translator("ru").plural(3, "заказ", "заказа", "заказов") == "3 заказа"
    assert Translator("en").plural(1, "заказ", "заказа", "заказов") == "1 order"
    assert Translator("en").plural(5, "заказ", "заказа", "заказов") == "5 orders"
    assert Translator("kk").plural(5, "заказ", "заказа", "заказов") == "5 тапсырыс"
    error = errors.AmoUnreachable("нет соединения с http://127.0.0.1:9 (AMO_BASE_URL): отказано.",
                                  address="http://127.0.0.1:9")
    assert Translator("ru").error(error) == "amoCRM недоступен: нет соединения с http://127.0.0.1:9 (AMO_BASE_URL): отказано."
    english = Translator("en").error(error)
    assert english.startswith("amoCRM is unreachable: ") and "AMO_BASE_URL" in english and "http://127.0.0.1:9" in english
    assert not re.search("[а-яё]", english, re.I)
