"""Buyer phone numbers: Kaspi's raw value → E.164, and the key contacts are matched by.

Kaspi sends `cellPhone` as 10 national digits ("7011234567"); people type numbers into
amoCRM as "8 (701) 123-45-67", "+7 701 1234567", "77011234567". CONTRACT.md: the match
key is the last 10 digits, compared exactly (amoCRM's own search is fuzzy).
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers

# "7015557788 доб. 12", "+7 727 250 50 50, вн. 305", "8 701 555 77 88 ext 12", "…x12", "…#12":
# an extension after the number, behind one of the markers people (and Kaspi) write
_EXTENSION = re.compile(
    r"(?i)(?:[\s,;]*(?:доб(?:авочный)?|вн(?:утр(?:енний)?)?|ext(?:ension)?)\.?|\s*[x#х])[\s.:№]*([0-9]{1,6})\s*$"
)


def split_extension(raw: str | None) -> tuple[str, str | None]:
    """(number, extension) of `raw`: "7015557788 доб. 12" → ("7015557788", "12")."""
    text = str(raw or "").strip()
    match = _EXTENSION.search(text)
    if match is None or not digits_of(text[: match.start()]):
        return text, None
    return text[: match.start()].strip(), match.group(1)


def digits_of(raw: str | None) -> str:
    """The ASCII digits of `raw`; other scripts' digits (Arabic-Indic, full-width) become ASCII."""
    out = []
    for char in raw or "":
        value = unicodedata.decimal(char, None)
        if value is not None:
            out.append(str(value))
    return "".join(out)


def normalize_phone(raw: str | None) -> str | None:
    """E.164 (`+77011234567`) for a usable number, None for missing, masked or junk input.

    Kazakh (+7) numbers are taken from the 10 national digits however they are written
    (10 digits, 8/7/+7 prefixes, spaces, brackets, dashes). Other countries' numbers are
    accepted when written internationally (+998…, 00998…) and valid for phonenumbers.
    """
    if raw is None:
        return None
    text, _extension = split_extension(raw)  # the extension goes to the note, not the number
    if not text:
        return None
    digits = digits_of(text)
    if not digits or set(digits) == {"0"} or len(digits) > 15:
        return None
    international = text.startswith("+") or digits.startswith("00")
    if len(digits) == 10 and not international:
        candidate = "7" + digits
    elif len(digits) == 11 and digits[0] in "78" and not text.startswith("+8"):
        candidate = "7" + digits[1:]
    elif international:
        candidate = digits[2:] if digits.startswith("00") else digits
    else:
        return None
    if candidate.startswith("7"):
        national = candidate[1:]
        if len(national) != 10 or national[0] == "0" or len(set(national)) == 1:
            return None
        return "+" + candidate
    try:
        parsed = phonenumbers.parse("+" + candidate, None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def match_key(phone: str | None) -> str | None:
    """The last 10 digits (of the number, not its extension): two numbers are the same buyer
    when their keys are equal."""
    digits = digits_of(split_extension(phone)[0])
    return digits[-10:] if len(digits) >= 10 else None


def same_phone(a: str | None, b: str | None) -> bool:
    key = match_key(a)
    return key is not None and key == match_key(b)
