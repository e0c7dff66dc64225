"""Russian for argparse's own English words (the app's messages are written in Russian)."""

from __future__ import annotations

ARGPARSE: dict[str, str] = {
    "usage: ": "использование: ",
    "argument %(argument_name)s: %(message)s": "аргумент %(argument_name)s: %(message)s",
    "positional arguments": "аргументы",
    "options": "параметры",
    "show this help message and exit": "показать эту справку и выйти",
    "subcommands": "команды",
    "unrecognized arguments: %s": "непонятные аргументы: %s",
    "not allowed with argument %s": "нельзя вместе с %s",
    "ignored explicit argument %r": "лишнее значение %r",
    "the following arguments are required: %s": "не хватает аргументов: %s",
    "one of the arguments %s is required": "нужен один из аргументов %s",
    "expected one argument": "нужно одно значение",
    "expected at most one argument": "нужно не больше одного значения",
    "expected at least one argument": "нужно хотя бы одно значение",
    "expected %s argument": "нужно значений: %s",
    "expected %s arguments": "нужно значений: %s",
    "ambiguous option: %(option)s could match %(matches)s": "неоднозначный параметр %(option)s: подходят %(matches)s",
    "unexpected option string: %s": "неожиданный параметр: %s",
    "invalid %(type)s value: %(value)r": "неверное значение %(value)r (ожидается %(type)s)",
    "invalid choice: %(value)r (choose from %(choices)s)": "неизвестный вариант %(value)r (возможны: %(choices)s)",
    "%(prog)s: error: %(message)s\n": "%(prog)s: ошибка: %(message)s\n",
    "can't open '%(filename)s': %(error)s": "не удаётся открыть «%(filename)s»: %(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "неизвестная команда %(parser_name)r (возможны: %(choices)s)",
}
