"""The `kaspi-amo` command line: every command with a description and its exit codes, in the
user's language (argparse's own words too: build and use it inside `Translator.argparse_texts`).

The exit codes here, in README's command tables and in docs/contract.md are one contract;
tests/test_readme_commands.py runs every code the README documents.
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
from collections.abc import Callable, Mapping

from app import APP_DISPLAY_NAME, __version__
from app.lang import Translator

Command = Callable[[argparse.Namespace, Translator], int]
SHELL_FORMATS = ("sh", "powershell", "cmd", "dotenv")


class ParagraphFormatter(argparse.HelpFormatter):
    """Wraps each paragraph of a description on its own; in a block with indented lines
    (examples, exit codes) each line stays a line, wrapped with a hanging indent."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        blocks = []
        for block in re.split(r"\n\s*\n", text.strip("\n")):
            lines = block.splitlines()
            if not any(line.startswith("  ") for line in lines):
                blocks.append(textwrap.fill(" ".join(block.split()), width, initial_indent=indent,
                                            subsequent_indent=indent))
                continue
            out = []
            for line in lines:
                lead = line[: len(line) - len(line.lstrip())]
                out.append(textwrap.fill(line.strip(), width, initial_indent=indent + lead,
                                         subsequent_indent=indent + lead + "    ") if line.strip() else "")
            blocks.append("\n".join(out))
        return "\n\n".join(blocks)


def exit_codes(t: Translator, *codes: tuple[int, str]) -> str:
    lines = [t.tr("Коды выхода:")] + [f"  {code} — {text}" for code, text in codes]
    return "\n".join(lines)


def cycle_exit_codes(t: Translator) -> str:
    return exit_codes(
        t,
        (0, t.tr("все заказы обработаны (или новых нет)")),
        (1, t.tr("сбой цикла или заказа: по строке на сбой в stderr; необработанные заказы остаются в очереди "
                 "и повторятся при следующем запуске")),
        (2, t.tr("ошибка настроек: нет или неверна настройка, нет базы данных или модуля psycopg")),
    )


def build_parser(t: Translator, commands: Mapping[str, Command]) -> argparse.ArgumentParser:
    """`commands` maps each command name to its function (app/cli.py)."""
    def sub_parser(name: str, help_text: str, description: str, epilog: str) -> argparse.ArgumentParser:
        parser = sub.add_parser(name, help=help_text, description=description, epilog=epilog,
                                formatter_class=ParagraphFormatter)
        parser.set_defaults(func=commands[name])
        return parser

    def cycle_parser(name: str, help_text: str, description: str) -> None:
        """poll and reconcile: one sync cycle each, with the same exit codes and --dry-run."""
        cycle = sub_parser(name, help_text, description, cycle_exit_codes(t))
        cycle.add_argument("--dry-run", action="store_true", help=t.tr(
            "ничего не записывать в amoCRM, только показать, что было бы записано (как DRY_RUN=true)"))

    parser = argparse.ArgumentParser(
        prog="kaspi-amo",
        formatter_class=ParagraphFormatter,
        description=t.tr("Заказы Kaspi.kz → сделки amoCRM. Без команды запускается приложение в трее (при первом "
                         "запуске — мастер настройки); с командой — та же синхронизация без окна (cron, сервер)."),
        epilog=t.tr("Настройки берутся из переменных окружения, файла .env в рабочей папке и файла настроек "
                    "(список — в README, раздел «Настройки»). Язык: KASPI_AMO_LANG=ru, kk или en. "
                    "Подробнее о команде: kaspi-amo КОМАНДА --help.") + "\n\n" + exit_codes(
            t,
            (0, t.tr("успех; без команды — выход из приложения в трее")),
            (1, t.tr("сбой (по строке на сбой в stderr); без команды — не установлен Qt")),
            (2, t.tr("ошибка настроек или командной строки")),
        ),
    )
    parser.add_argument("--version", action="version", version=f"{APP_DISPLAY_NAME} {__version__}",
                        help=t.tr("показать версию и выйти"))
    sub = parser.add_subparsers(dest="command", metavar=t.tr("КОМАНДА"), title=t.tr("команды"))

    cycle_parser(
        "poll", t.tr("один опрос: новые заказы Kaspi → сделки amoCRM"),
        t.tr("Один опрос: читает новые заказы Kaspi (с прошлого опроса, не дальше 14 дней назад) в состояниях "
             "KASPI_ALLOWED_STATES и по каждому создаёт сделку в amoCRM с контактом покупателя, товарами и "
             "примечанием — ровно один раз. Заказы, не довершённые прошлым запуском, довершаются. Для cron: "
             "раз в минуту; второй запуск на ту же базу ждёт первого."))

    cycle_parser(
        "reconcile", t.tr("сверка: пропущенные заказы и смена статусов за 14 дней"),
        t.tr("Сверка: перечитывает заказы Kaspi за последние 14 дней во всех состояниях и открытые старые "
             "заказы. Пропущенные опросом заказы создаются; смена состояния или статуса попадает в сделку "
             "(тег, примечание, этап по AMO_STATUS_MAP). Если ничего не изменилось, в amoCRM ничего не "
             "пишется. Для cron: раз в 10 минут."))

    run = sub_parser(
        "run", t.tr("фоновая работа: опрос и сверка по расписанию (POLL_INTERVAL_SECONDS, RECONCILE_INTERVAL_MINUTES)"),
        t.tr("Работает, пока его не остановят (Ctrl+C, SIGTERM): опрос и сверка по расписанию (по умолчанию опрос "
             "каждую минуту, сверка каждые 10 минут: POLL_INTERVAL_SECONDS, RECONCILE_INTERVAL_MINUTES), "
             "оповещения; с --http — ещё и /metrics, /healthz, /readyz и страница состояния. Для systemd, Docker "
             "или screen. Остановка дожидается текущей пачки заказов."),
        exit_codes(t, (0, t.tr("штатная остановка")),
                   (1, t.tr("не удалось начать: база данных недоступна")),
                   (2, t.tr("ошибка настроек (в том числе --http не на 127.0.0.1 без KASPI_AMO_HTTP_PASSWORD)"))))
    run.add_argument("--http", metavar="HOST:PORT", default=None,
                     help=t.tr("ещё и /metrics, /healthz, /readyz и страница состояния на этом адресе (как "
                               "KASPI_AMO_HTTP; не 127.0.0.1 — только с KASPI_AMO_HTTP_PASSWORD)"))

    status = sub_parser(
        "status", t.tr("счётчики и время из базы"),
        t.tr("Что записано в базе: обработано заказов, очередь (ожидают и с ошибкой), карантин, время "
             "последнего опроса, сверки и успеха (UTC, ISO 8601), ошибки подряд, итоги дня (по UTC). "
             "Ничего не отправляет в Kaspi и amoCRM."),
        exit_codes(t, (0, t.tr("показано")),
                   (1, t.tr("база данных недоступна")),
                   (2, t.tr("ошибка настроек (нет базы данных или модуля psycopg, неверный DATABASE_URL) или "
                            "демо ещё не запускалось (--demo)"))))
    status.add_argument("--json", action="store_true", help=t.tr("вывод в JSON (для мониторинга)"))
    status.add_argument("--demo", action="store_true",
                        help=t.tr("показать базу последнего запуска kaspi-amo demo, а не свою"))

    quality = sub_parser(
        "quality", t.tr("доля отмен по вине магазина за 30 дней (читает только Kaspi)"),
        t.tr("Читает из Kaspi заказы последних 30 дней (окнами по 14 дней, во всех состояниях) и считает долю "
             "отменённых по вине магазина: «нет в наличии» (так Kaspi отменяет и непринятые вовремя) и «не "
             "передан в Kaspi Доставку». Kaspi требует держать её ниже 3%; с 2,4% — «близко к пределу». К amoCRM "
             "не обращается. --json: window_days, orders, cancelled_by_merchant, cancellation_rate, "
             "cancellation_limit, status (ok, warning, over)."),
        exit_codes(t, (0, t.tr("показано")),
                   (1, t.tr("Kaspi не ответил или не принял токен")),
                   (2, t.tr("ошибка настроек: нет KASPI_API_TOKEN"))))
    quality.add_argument("--json", action="store_true", help=t.tr("вывод в JSON (для мониторинга)"))

    sub_parser(
        "migrate", t.tr("создать или обновить таблицы базы данных"),
        t.tr("Создаёт или обновляет таблицы базы данных из DATABASE_URL. poll, reconcile и run делают это сами; "
             "команда нужна, чтобы подготовить базу заранее (например, PostgreSQL для нескольких машин)."),
        exit_codes(t, (0, t.tr("база в актуальном состоянии")),
                   (1, t.tr("база данных недоступна")),
                   (2, t.tr("ошибка настроек"))))

    default_format = "powershell" if sys.platform == "win32" else "sh"
    sandbox = sub_parser(
        "sandbox", t.tr("запустить эмуляторы Kaspi и amoCRM на этом компьютере"),
        t.tr("Песочница: эмуляторы API Kaspi и amoCRM на 127.0.0.1 с тестовыми заказами, контактами и "
             "товарами, чтобы попробовать синхронизацию без аккаунтов, ничего не записав в настоящую amoCRM. "
             "Работает, пока её не остановят (Ctrl+C). Печатает переменные окружения для синхронизации с ней "
             "в виде, который понимает оболочка, или пишет их в файл .env (токены в них — только для "
             "песочницы).")
        + "\n\n" + t.tr("Например, в одном терминале:") + "\n\n  kaspi-amo sandbox --env-file .env\n\n"
        + t.tr("и в другом, в той же папке (poll читает .env из рабочей папки):") + "\n\n  kaspi-amo poll\n\n"
        + t.tr("Или сохранить переменные для оболочки и загрузить их в другом терминале:")
        + "\n\n  kaspi-amo sandbox > sandbox.sh\n  . ./sandbox.sh && kaspi-amo poll",
        exit_codes(t, (0, t.tr("остановлена (Ctrl+C, SIGTERM)")),
                   (2, t.tr("порт занят или файл --env-file уже есть и записан не песочницей"))))
    sandbox.add_argument("--format", choices=SHELL_FORMATS, default=default_format,
                         help=t.tr("вид переменных: sh (export ИМЯ='значение', для eval и «.»), powershell, cmd "
                                   "или dotenv (как в .env); по умолчанию {default}", default=default_format))
    sandbox.add_argument("--env-file", metavar=t.tr("ФАЙЛ"),
                         help=t.tr("записать переменные в этот файл (вид .env) и удалить его при остановке; "
                                   "существующий файл, записанный не песочницей, не перезаписывается"))
    sandbox.add_argument("--kaspi-port", type=int, default=0, metavar=t.tr("ПОРТ"),
                         help=t.tr("порт эмулятора Kaspi (по умолчанию — любой свободный)"))
    sandbox.add_argument("--amo-port", type=int, default=0, metavar=t.tr("ПОРТ"),
                         help=t.tr("порт эмулятора amoCRM (по умолчанию — любой свободный)"))

    sub_parser(
        "demo", t.tr("песочница и настоящая синхронизация с ней: посмотреть без аккаунтов"),
        t.tr("Запускает песочницу Kaspi и amoCRM на этом компьютере и делает с ней настоящий опрос: видно, "
             "какие заказы стали сделками, почему остальные пропущены и что повторный опрос дублей не создаёт. "
             "Демо работает в своей папке (база, журнал) и не трогает ваши настройки, базу и сохранённые "
             "токены; каждый запуск начинается заново. Итог потом: kaspi-amo status --demo."),
        exit_codes(t, (0, t.tr("демо прошло")),
                   (1, t.tr("демо не удалось (папка демо недоступна для записи или синхронизация с "
                            "песочницей не прошла)"))))

    doctor = sub_parser(
        "doctor", t.tr("самопроверка: папки, хранилище паролей, база, переводы, связь"),
        t.tr("Проверяет то, с чем столкнётся синхронизация: папки программы, хранилище паролей (запись, чтение и "
             "удаление пробного секрета), файл настроек, базу данных, переводы, сертификаты HTTPS и связь с "
             "Kaspi и amoCRM с теми же заголовками, что у опроса (токен Kaspi — настоящим запросом). Ничего "
             "секретного не выводит; отчёт сохраняется и в папке журналов (doctor.txt)."),
        exit_codes(t, (0, t.tr("сбоев нет (предупреждения возможны)")),
                   (1, t.tr("есть сбой: синхронизация в таком виде не заработает"))))
    doctor.add_argument("--json", action="store_true", help=t.tr("вывод в JSON"))
    doctor.add_argument("--no-network", action="store_true", help=t.tr("не проверять связь с Kaspi и amoCRM"))

    sub_parser(
        "forget-secrets", t.tr("удалить сохранённые токены и пароли"),
        t.tr("Удаляет токены и пароли, сохранённые программой (системное хранилище паролей и файл secrets.json); "
             "так делает удаление программы вместе с данными. Настройки и база остаются."),
        exit_codes(t, (0, t.tr("удалено (или нечего было удалять)"))))
    quit_cmd = sub_parser(
        "quit", t.tr("закрыть запущенное приложение в трее: оно доделает текущую пачку заказов"),
        t.tr("Просит запущенное приложение в трее (этого пользователя и этой папки настроек) доделать текущую пачку "
             "заказов и закрыться, и ждёт, пока его процесс завершится. Так делает установщик Windows перед "
             "обновлением или удалением."),
        exit_codes(t, (0, t.tr("закрылось (или не было запущено)")),
                   (1, t.tr("не закрылось за отведённое время, не поняло просьбу, или Qt не установлен"))))
    quit_cmd.add_argument("--timeout", type=float, default=60.0, metavar=t.tr("СЕКУНДЫ"),
                          help=t.tr("сколько ждать, секунд (по умолчанию 60; 0 — только попросить)"))
    return parser
