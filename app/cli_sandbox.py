"""`kaspi-amo sandbox`: the emulators on 127.0.0.1 and their variables in a form a shell (or
python-dotenv) loads as printed: `eval "$(…)"`/`.` for sh, PowerShell, cmd, or a .env file.

The variables go to stdout (nothing else does, so the output can be sourced); what a person
reads goes to stderr. A .env file is written only where no foreign file stands (a real
configuration is never overwritten) and removed again when the sandbox stops.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from app.lang import Translator

ENV_FILE_MARKER = "# kaspi-amo sandbox: written by `kaspi-amo sandbox`, removed when it stops"
_PLAIN = re.compile(r"^[A-Za-z0-9_./:@%+=,-]*$")


def shell_lines(env: Mapping[str, str], form: str) -> list[str]:
    """Each variable as one line of `form` (sh, powershell, cmd or dotenv)."""
    lines = []
    for name, value in env.items():
        if form == "sh":
            lines.append(f"export {name}={shlex.quote(value)}")
        elif form == "powershell":
            quoted = value.replace("'", "''")
            lines.append(f"$env:{name} = '{quoted}'")
        elif form == "cmd":
            lines.append(f'set "{name}={value}"')
        elif form == "dotenv":  # python-dotenv: single quotes are literal but for \\ and \'
            quoted = value.replace("\\", "\\\\").replace("'", "\\'")
            lines.append(f"{name}={value}" if _PLAIN.match(value) else f"{name}='{quoted}'")
        else:
            raise ValueError(f"unknown format {form!r}")
    return lines


def is_ours(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8") as handle:
            return handle.readline().rstrip("\n") == ENV_FILE_MARKER
    except (OSError, UnicodeDecodeError):
        return False


def write_env_file(path: Path, env: Mapping[str, str]) -> None:
    """Create (owner-only) or replace our own earlier file; raises FileExistsError for a foreign one."""
    if path.exists() and not is_ours(path):
        raise FileExistsError(str(path))
    text = "\n".join([ENV_FILE_MARKER, *shell_lines(env, "dotenv")]) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


def stop_on_signals() -> threading.Event:
    """An event set by Ctrl+C / SIGTERM; taken over before anything is printed, so a stop that
    follows the printed variables at once is still a clean stop (exit 0)."""
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    return stop


def serve(t: Translator, *, form: str, env_file: str | None, kaspi_port: int, amo_port: int,
          out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the emulators until SIGINT/SIGTERM; 2 when they cannot start where asked."""
    from app.sandbox.server import Sandbox

    out = out or sys.stdout
    err = err or sys.stderr
    target = Path(env_file).expanduser().resolve() if env_file else None
    if target is not None and target.exists() and not is_ours(target):
        print(t.tr("Файл {path} уже есть и записан не песочницей: не перезаписываю его. Укажите другой "
                   "файл в --env-file.", path=target), file=err)
        return 2
    stop = stop_on_signals()

    def told(order_code: str, code: str) -> None:  # what the buyer would read in the Kaspi.kz app
        print(t.tr("Kaspi (песочница): покупатель заказа {order} получил код выдачи {code}", order=order_code,
                   code=code), file=err, flush=True)

    try:
        sandbox = Sandbox(kaspi_port=kaspi_port, amo_port=amo_port, kaspi_options={"on_security_code": told}).start()
    except OSError as exc:
        print(t.tr("Песочница не запустилась: {reason}. Укажите свободные порты в --kaspi-port и --amo-port "
                   "или не указывайте их.", reason=exc.strerror or exc), file=err)
        return 2
    try:
        env = sandbox.env()
        print(t.tr("Песочница Kaspi и amoCRM запущена (Ctrl+C — остановить)."), file=err)
        print(f"  Kaspi:  {sandbox.kaspi_base_url}\n  amoCRM: {sandbox.amo_base_url}", file=err)
        if target is not None:
            write_env_file(target, env)
            print(t.tr("Переменные записаны в {path} (файл удалится при остановке). В этой папке команды "
                       "kaspi-amo поработают с песочницей, например: kaspi-amo poll", path=target), file=err)
        else:
            print("\n".join(shell_lines(env, form)), file=out)
            hint = {
                "sh": t.tr("Загрузить в другом терминале: сохраните вывод в файл (kaspi-amo sandbox > sandbox.sh) "
                           "и выполните . ./sandbox.sh"),
                "powershell": t.tr("Загрузить: выполните эти строки в PowerShell."),
                "cmd": t.tr("Загрузить: выполните эти строки в cmd."),
                "dotenv": t.tr("Сохраните эти строки как .env в рабочей папке или запустите с --env-file .env."),
            }[form]
            print(hint, file=err)
        out.flush()
        err.flush()
        while not stop.wait(0.5):
            pass
    finally:
        sandbox.stop()
        if target is not None and is_ours(target):
            target.unlink()
    print(t.tr("Песочница остановлена."), file=err)
    return 0
