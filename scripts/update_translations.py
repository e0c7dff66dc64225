"""Refresh the .ts catalogs from the GUI sources, then compile them to .qm.

    python scripts/update_translations.py            # lupdate + lrelease
    python scripts/update_translations.py --release  # lrelease only (CI, packaging)

Russian is the source language of every string. ru.ts only carries plural forms (%n);
en.ts and kk.ts carry full translations. lupdate keeps existing translations and marks
new or changed strings "unfinished" for the translator; --check fails when any remain.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "app" / "gui"
CATALOGS = SOURCES / "resources" / "translations"
LANGUAGES = ("ru", "en", "kk")
CATALOG = "kaspi_amo"


def tool(name: str) -> str:
    """pyside6-lupdate / pyside6-lrelease next to this Python, else on PATH."""
    local = Path(sys.executable).with_name(name)
    found = str(local) if local.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found: pip install PySide6-Essentials")
    return found


def ts_path(language: str) -> Path:
    return CATALOGS / f"{CATALOG}_{language}.ts"


def lupdate() -> None:
    # error titles and advice are not here: app/lang/*_errors.py holds them for the CLI and the tray
    sources = sorted(SOURCES.rglob("*.py"))
    code = "\n".join(p.read_text(encoding="utf-8") for p in sources)
    for language in LANGUAGES:
        path = ts_path(language)
        plurals = numerus_messages(path)
        subprocess.run(
            [tool("pyside6-lupdate"), *(str(p.relative_to(ROOT)) for p in sources), "-source-language", "ru",
             "-target-language", language, "-no-obsolete", "-locations", "none", "-ts", str(path.relative_to(ROOT))],
            cwd=ROOT, check=True,
        )
        restore_numerus(path, plurals, code)


def numerus_messages(path: Path) -> dict[tuple[str, str], ET.Element]:
    """The plural (%n) messages of a catalog, by (context, source)."""
    if not path.exists():
        return {}
    found = {}
    for context in ET.parse(path).getroot().iter("context"):
        for message in context.iter("message"):
            if message.get("numerus") == "yes":
                found[(context.findtext("name") or "", message.findtext("source") or "")] = message
    return found


def restore_numerus(path: Path, plurals: dict[tuple[str, str], ET.Element], code: str) -> None:
    """pyside6-lupdate 6.11 keeps a plural only when its count is a literal number: with a
    variable it writes a singular message, with a call it drops it. Put back every plural
    whose text the code still uses, with its translations, instead of the singular copy."""
    tree = ET.parse(path)
    root = tree.getroot()
    contexts = {c.findtext("name"): c for c in root.iter("context")}
    for (name, source), message in plurals.items():
        if f'"{source}"' not in code:
            continue  # the string left the code: let it go
        context = contexts.get(name)
        if context is None:
            context = ET.SubElement(root, "context")
            ET.SubElement(context, "name").text = name
            contexts[name] = context
        for old in [m for m in context.iter("message") if m.findtext("source") == source]:
            context.remove(old)
        context.append(message)
    ET.indent(tree, space="    ")
    lines = ET.tostring(root, encoding="unicode").splitlines()
    body = "\n".join(line[4:] if line.startswith("    ") else line for line in lines)  # lupdate's layout
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")


def lrelease() -> None:
    for language in LANGUAGES:
        subprocess.run([tool("pyside6-lrelease"), "-silent", str(ts_path(language)), "-qm",
                        str(ts_path(language).with_suffix(".qm"))], check=True)


def unfinished(language: str) -> list[str]:
    """Source texts still waiting for a translator (ru needs only its plural forms)."""
    missing = []
    for message in ET.parse(ts_path(language)).getroot().iter("message"):
        translation = message.find("translation")
        if language == "ru" and message.get("numerus") != "yes":
            continue
        if translation is not None and translation.get("type") == "unfinished":
            missing.append(message.findtext("source") or "")
    return missing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--release", action="store_true", help="only compile .ts → .qm")
    parser.add_argument("--check", action="store_true", help="fail when a string is untranslated")
    args = parser.parse_args()
    if not args.release:
        lupdate()
    lrelease()
    problems = {language: unfinished(language) for language in LANGUAGES}
    for language, texts in problems.items():
        for text in texts:
            print(f"{language}: untranslated: {text}")
    return 1 if args.check and any(problems.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
