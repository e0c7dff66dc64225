"""Property tests (hypothesis) of the pure pieces bad input flows through.

- `normalize_phone`: total on any text, E.164 or None, every Kazakh formatting → one number;
- `plan_deal`: never raises on any valid `Order`, and its price/tags/note keep the contract;
- `Redactor`: no registered secret and no buyer phone survives redaction.

The Kaspi parser's own properties live in tests/test_kaspi_parse_errors.py; these start where it ends.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from app.kaspi.models import ORDER_STATES, Customer, Order, OrderEntry
from app.logs import Redactor
from app.sync.mapping import TAG_KASPI, TAG_NO_PHONE, plan_deal
from app.sync.phone import match_key, normalize_phone

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
E164 = re.compile(r"^\+[0-9]{8,15}$", re.ASCII)

# --- strategies -----------------------------------------------------------------------------

# a valid Kazakh national number: 10 digits, no leading 0, not one digit repeated (the product
# rejects "7777777777" as a placeholder)
national = st.from_regex(r"[1-9][0-9]{9}", fullmatch=True).filter(lambda s: len(set(s)) > 1)
SEPARATORS = ["", " ", "  ", "-", " - ", "(", ")", " (", ") ", "\u00a0", ".", "/", "\t"]
PREFIXES = ["", "7", "8", "+7", "+7 ", "8 ", "+7(", "8(", "7-", "00 7 ", "007"]


@st.composite
def kazakh_formatting(draw: st.DrawFn) -> tuple[str, str]:
    """(national digits, the number written as a person or Kaspi might)."""
    digits = draw(national)
    cuts = sorted(draw(st.sets(st.integers(1, 9), max_size=5)))
    groups, last = [], 0
    for cut in [*cuts, 10]:
        groups.append(digits[last:cut])
        last = cut
    body = groups[0]
    for group in groups[1:]:
        body += draw(st.sampled_from(SEPARATORS)) + group
    prefix = draw(st.sampled_from(PREFIXES))
    pad = draw(st.sampled_from(["", " ", "  ", "\t"]))
    return digits, pad + prefix + draw(st.sampled_from(["", " "])) + body + pad


# --- normalize_phone ------------------------------------------------------------------------


def _check_normalized(result: str | None) -> None:
    if result is None:
        return
    assert E164.match(result), result
    if result.startswith("+7"):
        assert len(result) == 12, result  # + and exactly 11 digits
        assert match_key(result) == result[2:]


@FAST
@given(st.text())
def test_normalize_phone_total_on_arbitrary_text(text: str) -> None:
    _check_normalized(normalize_phone(text))


@FAST
@given(st.text(alphabet=st.sampled_from(list("0123456789+()- .\u00a0x")), max_size=40))
@example("+381700000")  # found by CI: a valid 9-digit international number
def test_normalize_phone_on_digit_soup(text: str) -> None:
    result = normalize_phone(text)
    _check_normalized(result)
    if result is not None:
        # the number comes from the input's digits: never invented
        digits = re.sub(r"\D", "", text)
        assert re.sub(r"\D", "", result)[-10:] == digits[-10:]  # short numbers (+381 70 0000) too


@FAST
@given(kazakh_formatting())
def test_kazakh_numbers_in_any_formatting_normalise_to_one_e164(case: tuple[str, str]) -> None:
    digits, written = case
    assert normalize_phone(written) == "+7" + digits, written
    assert normalize_phone(digits) == "+7" + digits  # Kaspi's cellPhone form


@pytest.mark.parametrize("raw", ["٧٠١١٢٣٤٥٦٧", "７０１１２３４５６７", "8 ٧٠١ ١٢٣ ٤٥ ٦٧"])
def test_normalize_phone_never_returns_non_ascii_digits(raw: str) -> None:
    # Arabic-Indic / full-width digits: either convert to ASCII (+77011234567) or reject (None).
    assert normalize_phone(raw) in (None, "+77011234567")


# --- plan_deal ------------------------------------------------------------------------------

KAZAKH = "ӘәҒғҚқҢңӨөҰұҮүҺһІіАаБбЕеЖжЗзМмНнСсТт"
printable = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))
names = st.one_of(
    st.none(),
    st.just(""),
    st.text(alphabet=" \t\u00a0", max_size=5),  # whitespace only
    st.text(alphabet=KAZAKH + " -'", max_size=30),
    st.text(alphabet=printable, max_size=30),
    st.text(alphabet=KAZAKH, min_size=1, max_size=8).map(lambda s: s * 2000),  # very long
)
phones = st.one_of(
    st.none(),
    national,
    kazakh_formatting().map(lambda case: case[1]),
    st.sampled_from(["+998901234567", "+998 90 123 45 67", "+0(000)-000-00-00", "0000000000", "7777777777", "123", "abc", ""]),
    st.text(max_size=20),
)
money = st.decimals(min_value=0, max_value=Decimal(10) ** 12, places=2, allow_nan=False, allow_infinity=False)
quantities = st.one_of(
    st.integers(0, 10_000).map(Decimal),
    st.decimals(min_value=0, max_value=1000, places=3, allow_nan=False, allow_infinity=False),
)


@st.composite
def entries(draw: st.DrawFn) -> tuple[OrderEntry, ...] | None:
    if draw(st.integers(0, 9)) == 0:
        return None  # not loaded
    count = draw(st.one_of(st.integers(0, 5), st.integers(0, 200)))
    sku = draw(st.text(alphabet=printable, max_size=20))
    name = draw(st.text(alphabet=printable, min_size=1, max_size=60))
    result = []
    for n in range(count):
        quantity = draw(quantities)
        unit = draw(money)
        result.append(OrderEntry(n, f"{sku}-{n}", f"{name} {n}", quantity, unit, unit * quantity))
    return tuple(result)


@st.composite
def orders(draw: st.DrawFn) -> Order:
    code = draw(st.one_of(st.from_regex(r"[1-9][0-9]{5,11}", fullmatch=True),
                          st.text(alphabet=printable, min_size=1, max_size=20).map(str.strip).filter(bool)))
    state = draw(st.one_of(st.sampled_from(ORDER_STATES),
                           st.text(alphabet=printable, min_size=1, max_size=20).map(str.strip).filter(bool)))
    return Order(
        id="b64-" + code,
        code=code,
        state=state,
        status="APPROVED_BY_BANK",
        total_price=draw(st.one_of(money, st.decimals(min_value=0, max_value=Decimal(10) ** 13 - 1, places=0,
                                                      allow_nan=False, allow_infinity=False))),
        created_at=datetime(2026, 11, 26, 8, 0, tzinfo=UTC),
        customer=Customer(draw(st.none() | st.text(max_size=10)), draw(names), draw(names), draw(names), draw(phones)),
        delivery_mode=draw(st.sampled_from([None, "DELIVERY_LOCAL", "DELIVERY_PICKUP", "SOMETHING_NEW"])),
        delivery_address=draw(st.none() | st.text(alphabet=printable, max_size=60)),
        entries=draw(entries()),
    )


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(orders())
def test_plan_deal_never_raises_and_keeps_the_contract(order: Order) -> None:
    plan = plan_deal(order)

    assert isinstance(plan.price, int) and not isinstance(plan.price, bool)
    assert plan.price >= 0
    assert abs(plan.price - order.total_price) <= Decimal("0.5")
    assert plan.lead_name == f"Kaspi #{order.code}"
    assert plan.tags[:2] == (TAG_KASPI, order.state)

    phone = normalize_phone(order.customer.cell_phone)
    if phone is None:
        assert plan.contact is None and TAG_NO_PHONE in plan.tags
    else:
        assert plan.contact is not None and plan.contact.phone == phone
        assert TAG_NO_PHONE not in plan.tags
        assert plan.contact.name.strip() and plan.contact.name == plan.contact.name.strip()
        assert phone[-10:] not in plan.phone_masked  # the masked form is useless to a spammer
    assert plan.buyer_name.strip()

    note = plan.note
    assert order.code in note
    lines = note.splitlines()
    entry_lines = [line for line in lines if re.match(r"\d+\. ", line)]
    items = order.entries or ()
    assert len(entry_lines) == len(items), note[:500]
    for n, (line, entry) in enumerate(zip(entry_lines, items, strict=True), 1):
        assert line.startswith(f"{n}. {entry.name} (артикул {entry.sku})"), line


# --- Redactor -------------------------------------------------------------------------------

TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-~"
tokens = st.text(alphabet=TOKEN_ALPHABET, min_size=6, max_size=64)
filler = st.text(alphabet=st.characters(blacklist_categories=("Nd", "Cs")), max_size=30)
# what sits right next to a number in log text: JSON, URLs, brackets, prose
NEIGHBOURS = [" ", "\n", "\t", "=", ":", ": ", ",", ";", "(", ")", "[", "]", "{", "}", '"', "'", "«", "»",
              "/", "&", "!", "?", " — "]


@st.composite
def written_phones(draw: st.DrawFn) -> tuple[str, str]:
    """(digits that must disappear, the phone as written)."""
    if draw(st.integers(0, 5)) == 0:
        foreign = draw(st.sampled_from(["+998901234567", "+998 90 123 45 67", "+996 555 123 456"]))
        return re.sub(r"\D", "", foreign)[-10:], foreign
    digits = draw(national)
    style = draw(st.sampled_from(["{d}", "+7{d}", "7{d}", "8{d}", "+7 {a} {b} {c} {e}", "8 ({a}) {b}-{c}-{e}",
                                  "+7-{a}-{b}-{c}-{e}", "+7 ({a}) {b}{c}{e}", "8{a}{b}-{c}-{e}"]))
    parts = {"d": digits, "a": digits[:3], "b": digits[3:6], "c": digits[6:8], "e": digits[8:]}
    return digits, style.format(**parts)


@FAST
@given(
    secrets=st.lists(tokens, max_size=4),
    pieces=st.lists(st.tuples(filler, st.sampled_from(NEIGHBOURS), written_phones(), st.sampled_from(NEIGHBOURS)),
                    min_size=1, max_size=4),
    secret_slots=st.lists(st.integers(0, 3), max_size=6),
    tail=filler,
)
def test_redactor_removes_registered_secrets_and_phones(secrets, pieces, secret_slots, tail) -> None:
    parts = []
    for i, (text, left, (_digits, phone), right) in enumerate(pieces):
        parts.append(text + left + phone + right)
        for slot in secret_slots:
            if slot == i and secrets:
                parts.append(" " + secrets[slot % len(secrets)] + " ")
    source = "".join(parts) + tail
    assume(source.strip())
    redact = Redactor(secrets)
    out = redact(source)

    for secret in secrets:
        assert secret not in out, (secret, out)
    for _text, _l, (digits, phone), _r in pieces:
        if any(digits in s for s in secrets):
            continue  # the phone was part of a secret and went with it
        assert phone not in out, (phone, out)
        assert digits not in out, (digits, out)


@pytest.mark.parametrize("phone", ["7011234567", "+77011234567", "87011234567", "8 (701) 123-45-67"])
def test_redactor_masks_a_phone_that_is_the_whole_text(phone: str) -> None:
    assert "7011234567" not in Redactor()(phone).replace(" ", "")


@FAST
@given(secret=tokens, prefix=filler, suffix=filler)
def test_redactor_value_hides_secret_fields_whatever_they_hold(secret: str, prefix: str, suffix: str) -> None:
    redact = Redactor()
    for key in ("access_token", "refresh_token", "client_secret", "Authorization", "password", "X-Auth-Token"):
        assert redact.value(key, prefix + secret + suffix) in ("***", "")
    assert redact(f"Authorization: Bearer {secret}") == "Authorization: Bearer ***"


@settings(max_examples=50, deadline=None)
@example(context=("Телефон покупателя ", "."), case=("7011234567", "7011234567"))
@given(context=st.sampled_from([("Телефон покупателя ", "."), ("тел.", ""), ("query=%2B", "&page=1"), ("phone_", "")]),
       case=written_phones())
def test_redactor_masks_phones_in_prose_and_urls(context: tuple[str, str], case: tuple[str, str]) -> None:
    digits, phone = case
    if context[0] == "query=%2B":
        phone = "7" + digits  # '+' already URL-encoded as %2B
    out = Redactor()(context[0] + phone + context[1])
    assert digits not in out, out
