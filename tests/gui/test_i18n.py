"""Translations: Russian source with its plural forms, English and Kazakh shipped and complete."""

from __future__ import annotations

import ast
import importlib.util
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, Qt

from app import errors
from app.gui import texts
from app.gui.i18n import Translations, choose_language, translations_dir
from app.gui.models import Column
from app.gui.state import TrayState
from app.lang import Translator
from tests.gui.conftest import SYNC_TIMEOUT_MS

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("ru", "en", "kk")
#: Qt's plural rules: Russian has one/few/many; English and Kazakh both use one/other.
PLURAL_FORMS = {"ru": 3, "en": 2, "kk": 2}


def _release_script() -> ModuleType:
    """scripts/update_translations.py, whose `unfinished()` is the rule --check applies."""
    spec = importlib.util.spec_from_file_location("update_translations", ROOT / "scripts" / "update_translations.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _catalog(language: str) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(translations_dir() / f"kaspi_amo_{language}.ts").getroot()
    return {(context.findtext("name") or "", message.findtext("source") or ""): message
            for context in root.iter("context") for message in context.iter("message")}


def _translate_calls() -> dict[tuple[str, str], bool]:
    """Every QCoreApplication.translate("Context", "literal", …) in app/gui → is it a %n plural."""
    calls: dict[tuple[str, str], bool] = {}
    for path in sorted((ROOT / "app" / "gui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "translate" and len(node.args) >= 2):
                continue
            context, source = node.args[0], node.args[1]
            if isinstance(context, ast.Constant) and isinstance(source, ast.Constant):
                plural = len(node.args) >= 4 or any(k.arg == "n" for k in node.keywords)
                calls[(str(context.value), str(source.value))] = plural
    return calls


@pytest.mark.parametrize(
    "preferred, system, expected",
    [
        (None, ["ru-RU"], "ru"),
        (None, ["kk-KZ", "ru-RU"], "kk"),
        (None, ["en-US"], "en"),
        (None, ["de-DE", "en-US"], "en"),  # the first language we ship
        (None, ["uz-UZ"], "ru"),  # anything else: Russian, not English
        (None, ["C"], "ru"),
        (None, [], "ru"),
        ("kk", ["en-US"], "kk"),  # the preference wins
        ("fr", ["en-US"], "en"),  # an unknown preference is ignored
    ],
)
def test_language_choice(preferred: str | None, system: list[str], expected: str) -> None:
    assert choose_language(preferred, system, {}) == expected


def test_the_default_follows_kaspi_amo_lang_but_the_owners_choice_wins() -> None:
    """The tray's default is the CLI's rule (KASPI_AMO_LANG first); a language picked in the
    settings is the answer in the tray itself, or switching it there would do nothing."""
    assert choose_language(None, ["ru-RU"], {"KASPI_AMO_LANG": "kk"}) == "kk"
    assert choose_language("en", ["ru-RU"], {"KASPI_AMO_LANG": "kk"}) == "en"


@pytest.fixture
def translations(qapp: Any) -> Iterator[Translations]:
    catalogs = Translations(qapp)
    yield catalogs
    catalogs.remove()


def _deals(count: int) -> str:
    return QCoreApplication.translate("Notify", "Создано %n сделок", None, count)


def test_russian_plural_forms(translations: Translations) -> None:
    assert translations.apply("ru")
    assert [_deals(n) for n in (1, 2, 5, 21)] == [
        "Создана 1 сделка", "Создано 2 сделки", "Создано 5 сделок", "Создана 21 сделка"]


def test_english_and_kazakh_catalogs_load(translations: Translations) -> None:
    assert translations.apply("en")
    assert QCoreApplication.translate("Tray", "Синхронизировать сейчас") == "Sync now"
    assert [_deals(n) for n in (1, 12)] == ["1 deal created", "12 deals created"]
    assert translations.apply("kk")
    assert QCoreApplication.translate("Tray", "Синхронизировать сейчас") == "Қазір синхрондау"
    assert _deals(12) == "12 мәміле құрылды"


@pytest.mark.parametrize("language", ["ru", "en", "kk"])
def test_every_string_is_translated(language: str) -> None:
    root = ET.parse(translations_dir() / f"kaspi_amo_{language}.ts").getroot()
    unfinished = [m.findtext("source") for m in root.iter("message")
                  if m.find("translation").get("type") == "unfinished"  # type: ignore[union-attr]
                  and (language != "ru" or m.get("numerus") == "yes")]
    assert unfinished == []
    assert (translations_dir() / f"kaspi_amo_{language}.qm").stat().st_size > 0


@pytest.mark.parametrize("language", LANGUAGES)
def test_release_check_finds_nothing_unfinished(language: str) -> None:
    """The same rule as `update_translations.py --release --check`: a new string needs a translator."""
    assert _release_script().unfinished(language) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_translate_call_has_its_message(language: str) -> None:
    """pyside6-lupdate skips a plural whose count is not a plain name or number (len(x), a.b)
    and files `n=count` as a non-plural, so a lupdate run can silently drop plural forms."""
    catalog = _catalog(language)
    calls = _translate_calls()
    assert len(calls) > 200  # the scan sees the GUI's strings
    assert sorted(key for key in calls if key not in catalog) == []
    for key, plural in calls.items():
        message = catalog[key]
        assert (message.get("numerus") == "yes") == plural, key
        if plural:
            forms = message.findall("translation/numerusform")
            assert len(forms) == PLURAL_FORMS[language], key
            assert all("%n" in (form.text or "") for form in forms), key


def test_the_tray_explains_errors_with_the_clis_table() -> None:
    """One table of advice (app/lang's, which test_cli_i18n checks covers every error kind in
    English and Kazakh): the tray shows it as a title and a sentence, in its own language."""
    unavailable = errors.KaspiUnavailable("Kaspi не отвечает.")
    assert texts.explain_error(unavailable, "en") == (
        "Kaspi is unavailable", "Kaspi does not answer; check the internet connection, the sync will retry by itself.")
    assert Translator("en").error(unavailable) == ("Kaspi is unavailable: Kaspi does not answer; check the internet "
                                                   "connection, the sync will retry by itself")
    unreachable = errors.AmoUnreachable("нет соединения с http://127.0.0.1:9 (AMO_BASE_URL): отказано.",
                                        address="http://127.0.0.1:9")
    assert texts.explain_error(unreachable, "en")[1].endswith("(AMO_BASE_URL, http://127.0.0.1:9).")
    assert texts.explain_error(errors.AmoNotFound("нет сделки"), "en")[0] == "Not found in amoCRM"
    assert texts.explain_error(errors.AmoNotFound("нет сделки"), "kk")[0] == "amoCRM-де табылмады"
    assert texts.explain_error(unavailable, "ru") == ("Kaspi недоступен", "Kaspi не отвечает.")
    assert texts.explain_error(errors.AmoNotFound("нет сделки"), "ru") == ("Не найдено в amoCRM", "Нет сделки.")


def test_wizard_in_english_and_kazakh(translations: Translations) -> None:
    def items(count: int) -> str:
        return QCoreApplication.translate("Wizard", "%n товаров", None, count)

    assert translations.apply("en")
    assert QCoreApplication.translate("Wizard", "Далее") == "Next"
    assert QCoreApplication.translate("Wizard", "Готово") == "Finish"
    assert QCoreApplication.translate("Wizard", "Открыть amoCRM в браузере") == "Open amoCRM in browser"
    assert [items(n) for n in (1, 3)] == ["1 item", "3 items"]
    assert translations.apply("kk")
    assert QCoreApplication.translate("Wizard", "Далее") == "Келесі"
    assert items(3) == "3 тауар"
    assert translations.apply("ru")
    assert [items(n) for n in (1, 3, 5)] == ["1 товар", "3 товара", "5 товаров"]


def test_english_ui(make_gui: Any, sandbox: Any, qtbot: Any) -> None:
    controller = make_gui(sandbox=sandbox, language="en", run_at_start=True)
    qtbot.waitUntil(lambda: controller.window.model.rowCount() > 0, timeout=SYNC_TIMEOUT_MS)
    tray = controller.tray
    tray.rebuild_menu()
    assert [a.text() for a in tray.menu_actions()] == [
        "Sync now", "Open window", "Pause syncing", "Settings…", "Open log folder", "Quit"]
    window = controller.window
    assert window.model.headerData(Column.CODE, Qt.Orientation.Horizontal) == "Order"
    assert window.model.index(0, Column.SYNC).data() == "In amoCRM"
    assert window.sync_button.text() == "Sync now"
    assert window.search.placeholderText().startswith("Search")
    # the seed has orders waiting before Kaspi's clocks run out: amber, said in English
    qtbot.waitUntil(lambda: controller.state == TrayState.WARNING, timeout=SYNC_TIMEOUT_MS)
    tray.rebuild_menu()
    assert tray.status_actions[0].text() == "Needs attention"
    assert "Waiting for the shop before Kaspi's deadline: 2" in [a.text() for a in tray.status_actions]
    assert tray.toolTip().splitlines()[1].startswith("Last sync: ")
    panel = window.deadlines.waiting
    assert panel.table.horizontalHeaderItem(4).text() == "Time left" and panel.table.item(0, 2).text() == "Accept"


def test_kazakh_ui_with_missing_settings(make_gui: Any, qtbot: Any) -> None:
    controller = make_gui(language="kk")
    qtbot.waitUntil(lambda: controller.problem is not None, timeout=SYNC_TIMEOUT_MS)
    window = controller.window
    assert window.setup_title.text() == "Баптауды аяқтау қажет"
    assert "Kaspi API токені" in window.setup_list.text()
    assert window.setup_recheck_button.text() == "Қайта тексеру"
    controller.tray.rebuild_menu()
    assert controller.tray.action_quit.text() == "Шығу"


def test_switching_the_language_relabels_the_running_app(make_gui: Any, sandbox: Any, qtbot: Any) -> None:
    controller = make_gui(sandbox=sandbox)
    qtbot.waitUntil(lambda: controller.worker.configured, timeout=SYNC_TIMEOUT_MS)
    assert controller.window.sync_button.text() == "Синхронизировать сейчас"
    controller.apply_prefs(controller.prefs.with_changes(language="en"))
    assert controller.window.sync_button.text() == "Sync now"
    assert controller.tray.action_sync_now.text() == "Sync now"
    assert controller.prefs_store.load().language == "en"
    controller.apply_prefs(controller.prefs.with_changes(language="kk"))
    assert controller.window.retry_button.text() == "Сәтсіздерін қайталау"


@pytest.mark.parametrize("language", ["en", "kk"])
def test_new_guidance_is_translated_and_keeps_amocrm_menu_names(
        translations: Translations, qapp: Any, language: str) -> None:
    """The amoCRM steps, the Telegram steps, the window's menus and the keyring banner speak the
    owner's language; amoCRM's own menu names stay as amoCRM shows them (its UI is Russian)."""
    from app.gui.wizard.alerts_page import AlertsPage
    from app.gui.wizard.amo_page import AmoPage

    assert translations.apply(language)
    amo, alerts = AmoPage(), AlertsPage()
    steps = amo.token_steps.text()
    assert "Войдите" not in steps and all(name in steps for name in ("«amoМаркет»", "«Ключи и доступы»"))
    assert "@BotFather" in alerts.bot_help.text() and "найдите" not in alerts.bot_help.text()
    assert alerts.find_button.text() in ("Find chat", "Чатты табу")
    from app.gui.icons import IconSet
    from app.gui.window import MainWindow

    menus = MainWindow(IconSet()).menus
    titles = [menus.file_menu.title(), menus.sync_menu.title(), menus.view_menu.title(), menus.help_menu.title()]
    assert titles == (["&File", "&Sync", "&View", "&Help"] if language == "en"
                      else ["&Файл", "&Синхрондау", "&Көрініс", "&Анықтама"])
    banner = QCoreApplication.translate(
        "Controller", "Системное хранилище паролей недоступно: токены хранятся в файле программы, "
                      "который может читать только ваша учётная запись.")
    assert "хранилище" not in banner
