"""Small Russian text helpers for messages shown to people."""

from __future__ import annotations


def plural_ru(count: int, one: str, few: str, many: str) -> str:
    """`1 заказ`, `3 заказа`, `5 заказов` — Russian plural forms."""
    n = abs(count) % 100
    if 11 <= n <= 19:
        word = many
    elif n % 10 == 1:
        word = one
    elif 2 <= n % 10 <= 4:
        word = few
    else:
        word = many
    return f"{count} {word}"
