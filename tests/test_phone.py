"""Phone normalisation: what a shop owner's buyers actually type, and Kaspi's raw values."""

import pytest

from app.sync.phone import match_key, normalize_phone, same_phone, split_extension


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("7011234567", "+77011234567"),  # Kaspi cellPhone: 10 national digits
        ("7771234567", "+77771234567"),
        ("87011234567", "+77011234567"),  # 8 prefix
        ("77011234567", "+77011234567"),  # 7 prefix
        ("+77011234567", "+77011234567"),
        ("+7 701 123 45 67", "+77011234567"),
        ("8 (701) 123-45-67", "+77011234567"),
        ("+7(701)123-45-67", "+77011234567"),
        ("  7011234567  ", "+77011234567"),
        ("7172556677", "+77172556677"),  # Astana city number
        ("8 7172 55-66-77", "+77172556677"),
        ("727 2 50 50 50", "+77272505050"),  # Almaty city number
        ("+998 90 123 45 67", "+998901234567"),  # Uzbek mobile, written internationally
        ("00998901234567", "+998901234567"),
    ],
)
def test_normalises_kazakh_and_international_numbers(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [None, "", "   ", "abc", "123", "+0(000)-000-00-00", "0000000000", "7777777777", "12345678901234567",
     "+999 12", "0123456789", "701123456", "+1 555 0100"],
)
def test_rejects_missing_masked_and_junk(raw):
    assert normalize_phone(raw) is None


def test_match_key_is_last_ten_digits():
    assert match_key("+77011234567") == "7011234567"
    assert match_key("8 (701) 123-45-67") == "7011234567"
    assert match_key("12345") is None


def test_same_phone_ignores_formatting_but_not_digits():
    assert same_phone("8 (701) 123-45-67", "+77011234567")
    # the decoy: same last 7 digits, different number
    assert not same_phone("+7 705 123 45 67", "+77771234567")
    assert not same_phone(None, None)


@pytest.mark.parametrize(
    "raw, number, extension",
    [
        ("7015557788 доб. 12", "+77015557788", "12"),
        ("7015557788 доб.12", "+77015557788", "12"),
        ("+7 727 250 50 50, вн. 305", "+77272505050", "305"),
        ("8 701 555 77 88 ext 12", "+77015557788", "12"),
        ("+77015557788x12", "+77015557788", "12"),
        ("7015557788 #7", "+77015557788", "7"),
        ("7015557788 добавочный 1234", "+77015557788", "1234"),
        ("7015557788", "+77015557788", None),
    ],
)
def test_an_extension_is_split_off_the_number(raw, number, extension):
    assert normalize_phone(raw) == number
    assert split_extension(raw)[1] == extension
    assert match_key(raw) == number[-10:]  # an amoCRM contact typed with its extension still matches


def test_an_extension_alone_is_no_number():
    assert normalize_phone("доб. 12") is None and split_extension("доб. 12") == ("доб. 12", None)
