"""Find every Qt-free message in the code (CLI, status page), the way lupdate finds the GUI's: `*.tr("…")` and
`*.plural(n, "…", "…", "…")` calls with literal Russian text.

    python -m app.lang.extract          # list what en.py / kk.py still lack

tests/test_cli_i18n.py uses it to fail on any unfinished message.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: The modules without Qt (the CLI and `run --http`'s status page): their user-facing text is all translated.
SOURCES = ("app/alerts/deadline_messages.py", "app/cli.py", "app/cli_parser.py", "app/cli_quality.py", "app/cli_report.py", "app/cli_sandbox.py", "app/demo.py",
           "app/doctor.py", "app/service/page.py", "app/service/server.py")


@dataclass
class Found:
    messages: dict[str, str] = field(default_factory=dict)  # source text → "file:line"
    plurals: dict[tuple[str, str, str], str] = field(default_factory=dict)
    dynamic: list[str] = field(default_factory=list)  # tr()/plural() without literal text: not extractable


def extract(paths: list[Path] | None = None) -> Found:
    found = Found()
    for path in paths or [ROOT / p for p in SOURCES]:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            literal = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args]
            if node.func.attr == "tr" and node.args:
                if literal[0] is None:
                    found.dynamic.append(where)
                else:
                    found.messages.setdefault(literal[0], where)
            elif node.func.attr == "plural" and len(node.args) == 4:
                forms = literal[1:]
                if any(form is None for form in forms):
                    found.dynamic.append(where)
                else:
                    found.plurals.setdefault((forms[0], forms[1], forms[2]), where)  # type: ignore[arg-type]
    return found


def main() -> int:
    from app.lang import en, kk

    found = extract()
    missing = 0
    for module in (en, kk):
        name = module.__name__.rsplit(".", 1)[-1]
        for text, where in found.messages.items():
            if text not in module.MESSAGES:
                missing += 1
                print(f"{name}: {where}: {text!r}")
        for forms, where in found.plurals.items():
            if forms not in module.PLURALS:
                missing += 1
                print(f"{name}: {where}: plural {forms!r}")
    for where in found.dynamic:
        print(f"not extractable (no literal text): {where}")
    return 1 if missing or found.dynamic else 0


if __name__ == "__main__":
    sys.exit(main())
