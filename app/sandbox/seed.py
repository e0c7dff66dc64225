"""Sandbox orders and realistic Kazakh shop data for the Kaspi and amoCRM emulators.

Everything here is deterministic: `kaspi-amo demo`, the tests and the benchmarks must see
the same orders every run, so there is no wall clock and no unseeded randomness. The
demo set is built to exercise every case the engine must survive (repeat buyers, a decoy
phone, no phone, no entries, 150 entries, archived orders, Kaspi Delivery, pickup...).
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

# --- Data classes ----------------------------------------------------------------------

_CATEGORY_CODES = {
    "Смартфоны": "Master - Smartphones",
    "Чехлы для смартфонов": "Master - Mobile cases",
    "Зарядные устройства": "Master - Chargers",
    "Электрочайники": "Master - Electric kettles",
    "Пылесосы": "Master - Vacuum cleaners",
    "Стиральные машины": "Master - Washing machines",
    "Аэрогрили": "Master - Air fryers",
    "Кухонные машины": "Master - Kitchen machines",
    "Кремы для лица": "Master - Face creams",
    "Средства для умывания": "Master - Face cleansers",
    "Солнцезащитные средства": "Master - Sunscreen",
    "Тушь для ресниц": "Master - Mascara",
    "Подгузники": "Master - Diapers",
    "Конструкторы": "Master - Construction toys",
    "Бутылочки для кормления": "Master - Baby bottles",
    "Детское питание": "Master - Baby food",
    "Фломастеры": "Master - Felt pens",
    "Карандаши": "Master - Pencils",
    "Пластилин": "Master - Modelling clay",
    "Альбомы для рисования": "Master - Drawing albums",
    "Краски": "Master - Paints",
    "Мягкие игрушки": "Master - Soft toys",
}


@dataclass
class SandboxEntry:
    """One order line; `sku` becomes Kaspi's `offer.code`, `product_code` the master product."""

    sku: str
    name: str
    quantity: int | float
    unit_price: float
    category: str = "Разное"
    unit_type: str = "PIECES"
    product_code: str = ""  # Kaspi catalogue code (digits); derived from the SKU when empty
    weight: float = 0.0  # grams, only for weighed goods
    imei_required: bool = False
    category_code: str | None = None

    def __post_init__(self) -> None:
        if not self.product_code:
            self.product_code = product_code_for(self.sku)
        if self.category_code is None:
            self.category_code = _CATEGORY_CODES.get(self.category, f"Master - {self.category}")

    @property
    def line_total(self) -> float:
        return round(float(self.quantity) * float(self.unit_price), 2)


@dataclass
class SandboxOrder:
    """A Kaspi order as the emulator stores it; the emulator renders it as JSON:API."""

    code: str
    created_ms: int
    state: str = "NEW"
    status: str = "APPROVED_BY_BANK"
    first_name: str | None = "Айгерим"
    last_name: str | None = "Садыкова"
    phone: str | None = "7071234567"  # 10 digits, as Kaspi sends cellPhone
    entries: list[SandboxEntry] = field(default_factory=list)
    delivery_mode: str = "DELIVERY_LOCAL"
    is_kaspi_delivery: bool = False
    address: str | None = None  # street part, e.g. "улица Абая, 150"; rendered with the town
    town: str = "Алматы"
    payment_mode: str = "PAY_WITH_CREDIT"
    cancellation_reason: str | None = None
    signature_required: bool = False
    pickup_point_id: str = "30141222_PP1"
    customer_name: str | None = None  # Kaspi's "name in the shop system"; usually null
    delivery_cost: float = 0.0
    credit_term: int = 3
    pre_order: bool = False
    assembled: bool = False
    express: bool = False
    handover_planned_ms: int | None = None  # Kaspi Delivery: courierTransmissionPlanningDate (None: next day noon)
    handed_over_ms: int | None = None  # Kaspi Delivery: courierTransmissionDate (handed to the courier)

    @property
    def total_price(self) -> float:
        return round(float(sum(entry.line_total for entry in self.entries)), 2)

    @property
    def formatted_address(self) -> str | None:
        return f"{self.town}, {self.address}" if self.address else None


def product_code_for(sku: str) -> str:
    """A stable 9-digit Kaspi catalogue code for a SKU (same SKU, same master product)."""
    return str(100_000_000 + zlib.crc32(sku.encode("utf-8")) % 900_000_000)


def to_ms(moment: datetime) -> int:
    """Epoch milliseconds; a naive datetime is taken as UTC so results never depend on the host."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


# --- Goods -----------------------------------------------------------------------------

# (sku, name, price in tenge, category)
GOODS: dict[str, tuple[str, float, str]] = {
    # phones and accessories
    "SAMSUNG-A55-8-256-NAVY": ("Смартфон Samsung Galaxy A55 5G 8 ГБ/256 ГБ темно-синий", 189990.0, "Смартфоны"),
    "APPLE-IP15-128-BLK": ("Смартфон Apple iPhone 15 128Gb черный", 429990.0, "Смартфоны"),
    "XIAOMI-RN13-8-256-BLK": ("Смартфон Xiaomi Redmi Note 13 8 ГБ/256 ГБ черный", 99990.0, "Смартфоны"),
    "CASE-IP15-BLK": ("Чехол для iPhone 15 черный", 7990.0, "Чехлы для смартфонов"),
    "ANKER-PD-20W-WHT": ("Сетевое зарядное устройство Anker PowerPort III 20W USB-C белый", 8990.0, "Зарядные устройства"),
    # home appliances
    "TEFAL-KO693810": ("Электрочайник Tefal KO693810 черный", 32990.0, "Электрочайники"),
    "DYSON-V15-DETECT": ("Пылесос Dyson V15 Detect Absolute", 389990.0, "Пылесосы"),
    "LG-F2J3HS2W": ("Стиральная машина LG F2J3HS2W белый", 219990.0, "Стиральные машины"),
    "PHILIPS-HD9252-90": ("Аэрогриль Philips HD9252/90 черный", 54990.0, "Аэрогрили"),
    "BOSCH-MUMS2EW00": ("Кухонная машина Bosch MUMS2EW00 белый", 64990.0, "Кухонные машины"),
    # cosmetics
    "LOREAL-REVITALIFT-50": ("Крем для лица L'Oreal Paris Revitalift дневной 50 мл", 5490.0, "Кремы для лица"),
    "CERAVE-HYDR-CLNS-236": ("Гель для умывания CeraVe увлажняющий 236 мл", 7990.0, "Средства для умывания"),
    "NIVEA-SUN-SPF50-200": ("Спрей солнцезащитный Nivea Sun SPF 50 200 мл", 6490.0, "Солнцезащитные средства"),
    "MAYBELLINE-SKYHIGH-BLK": ("Тушь для ресниц Maybelline Lash Sensational Sky High черный", 4290.0, "Тушь для ресниц"),
    # kids goods
    "PAMPERS-PANTS-4-52": ("Подгузники-трусики Pampers Pants 4 (9-15 кг) 52 шт", 9990.0, "Подгузники"),
    "HUGGIES-ELITE-3-72": ("Подгузники Huggies Elite Soft 3 (5-9 кг) 72 шт", 10990.0, "Подгузники"),
    "LEGO-CLASSIC-11717": ("Конструктор LEGO Classic 11717 Кирпичики", 21990.0, "Конструкторы"),
    "CHICCO-NF-250": ("Бутылочка для кормления Chicco Natural Feeling 250 мл", 4990.0, "Бутылочки для кормления"),
    "NUTRILON-2-PREM-800": ("Смесь Nutrilon Premium 2 сухая 800 г", 11490.0, "Детское питание"),
}


def goods_entry(sku: str, quantity: int | float = 1) -> SandboxEntry:
    """An entry for a known SKU of the demo shop, at its catalogue price."""
    name, price, category = GOODS[sku]
    return SandboxEntry(
        sku=sku, name=name, quantity=quantity, unit_price=price, category=category,
        imei_required=category == "Смартфоны",
    )


# --- Builders --------------------------------------------------------------------------

_DEFAULT_ADDRESSES = {
    "Алматы": "улица Наурызбай батыра, 154А",
    "Астана": "проспект Мангилик Ел, 55/20",
    "Шымкент": "проспект Тауке хана, 31",
    "Караганда": "проспект Бухар-Жырау, 47",
}


def make_order(
    code: str,
    *,
    created: datetime,
    phone: str | None = "7011234567",
    entries: list[SandboxEntry] | None = None,
    **fields: Any,
) -> SandboxOrder:
    """A SandboxOrder with sensible defaults: one phone case, and a street address for
    DELIVERY_LOCAL orders. `entries=None` means one default line; `[]` means no lines."""
    if entries is None:
        entries = [goods_entry("CASE-IP15-BLK", 2)]
    if fields.get("delivery_mode", "DELIVERY_LOCAL") == "DELIVERY_LOCAL" and "address" not in fields:
        fields["address"] = _DEFAULT_ADDRESSES.get(fields.get("town", "Алматы"), _DEFAULT_ADDRESSES["Алматы"])
    return SandboxOrder(code=code, created_ms=to_ms(created), phone=phone, entries=list(entries), **fields)


def _school_supplies(count: int) -> list[SandboxEntry]:
    """`count` distinct lines of a kindergarten's bulk order (the 150-entry case)."""
    bases = [
        ("FC-MARKERS", "Фломастеры Faber-Castell", 1890.0, "Фломастеры"),
        ("KOH-PENCILS", "Карандаши цветные Koh-i-Noor", 1490.0, "Карандаши"),
        ("PLAYDOH", "Пластилин Play-Doh", 2290.0, "Пластилин"),
        ("HATBER-ALBUM", "Альбом для рисования Hatber", 690.0, "Альбомы для рисования"),
        ("GAMMA-GOUACHE", "Гуашь Гамма", 1990.0, "Краски"),
        ("BUDI-BASA", "Мягкая игрушка Budi Basa", 8990.0, "Мягкие игрушки"),
    ]
    variants = [
        "6 цветов", "12 цветов", "18 цветов", "24 цвета", "36 цветов", "мини", "макси",
        "в тубусе", "в пенале", "с точилкой", "школьный", "классик", "неон", "пастель",
        "металлик", "акварельный", "двусторонний", "для малышей", "набор A", "набор B",
        "набор C", "набор D", "набор E", "подарочный", "эконом",
    ]
    entries = []
    for index in range(count):
        prefix, name, price, category = bases[index % len(bases)]
        variant_no = index // len(bases)
        variant = variants[variant_no % len(variants)]
        entries.append(SandboxEntry(
            sku=f"{prefix}-{variant_no + 1:03d}",
            name=f"{name}, {variant}",
            quantity=1 + index % 4,
            unit_price=price + 100.0 * (variant_no % 5),
            category=category,
        ))
    return entries


# Phones the demo relies on (10 digits, as Kaspi sends them).
REPEAT_BUYER_PHONE = "7011234567"  # existing amo contact "8 (701) 123-45-67"
DECOY_SHARING_BUYER_PHONE = "7771234567"  # shares the last 7 digits with the decoy contact
DECOY_CONTACT_PHONE = "+7 705 123 45 67"  # 7051234567: must never be matched
TWICE_BUYER_PHONE = "7479876543"  # two orders in one poll, no amo contact yet


def demo_orders(now: datetime) -> list[SandboxOrder]:
    """About 15 orders created within the last 36 hours of `now`, covering every case the
    engine must handle. Codes and contents never change; only the times follow `now`.

    As in a real shop, orders older than Kaspi's 3-hour acceptance window are accepted
    (the shop's own delivery), so the deadlines see one order waiting too long (700000120,
    1.5 h old: an amoCRM task «Принять заказ Kaspi»), one still in time (700000115) and one
    Kaspi Delivery parcel to pack, its courier due in 3 hours (700000107)."""

    def ago(hours: float) -> datetime:
        return now - timedelta(hours=hours)

    accepted = {"state": "DELIVERY", "status": "ACCEPTED_BY_MERCHANT"}

    return [
        # Repeat buyer: phone matches the existing contact "8 (701) 123-45-67".
        make_order("700000101", created=ago(35), phone=REPEAT_BUYER_PHONE,
                   first_name="Айгерим", last_name="Садыкова",
                   entries=[goods_entry("SAMSUNG-A55-8-256-NAVY"), goods_entry("CASE-IP15-BLK", 1)],
                   delivery_cost=500.0, **accepted),
        # Shares the last 7 digits with the decoy contact (+7 705 123 45 67); must get a new contact.
        make_order("700000102", created=ago(33.5), phone=DECOY_SHARING_BUYER_PHONE,
                   first_name="Ерлан", last_name="Жумабаев", town="Астана",
                   address="улица Сыганак, 18/2",
                   entries=[goods_entry("TEFAL-KO693810")], **accepted),
        # No phone at all: the lead is created without a contact.
        make_order("700000103", created=ago(31), phone=None,
                   first_name="Дана", last_name="Ахметова",
                   entries=[goods_entry("CERAVE-HYDR-CLNS-236", 2), goods_entry("LOREAL-REVITALIFT-50")],
                   **accepted),
        # No entries.
        make_order("700000104", created=ago(29), phone="7012345678",
                   first_name="Сергей", last_name="Иванов", town="Караганда",
                   address="улица Ерубаева, 36", entries=[], **accepted),
        # 150 entries: a kindergarten's bulk order.
        make_order("700000105", created=ago(27), phone="7015557788",
                   first_name="Жанар", last_name="Оспанова", customer_name="Детский сад «Балапан»",
                   town="Шымкент", address="микрорайон Нурсат, 112",
                   entries=_school_supplies(150), payment_mode="PREPAID", **accepted),
        # Long Kazakh names.
        make_order("700000106", created=ago(24), phone="7027654321",
                   first_name="Гүлнұрсұлтан", last_name="Әбдіқадырқызы-Жұмабекова",
                   entries=[goods_entry("PAMPERS-PANTS-4-52", 3), goods_entry("CHICCO-NF-250", 2),
                            goods_entry("NUTRILON-2-PREM-800", 2)], **accepted),
        # Kaspi Delivery to the door (regional), accepted and being packed.
        make_order("700000107", created=ago(22), phone="7755443322",
                   first_name="Нурлан", last_name="Касымов", customer_name="Нурлан",
                   state="KASPI_DELIVERY", status="ACCEPTED_BY_MERCHANT",
                   delivery_mode="DELIVERY_REGIONAL_TODOOR", is_kaspi_delivery=True,
                   town="Астана", payment_mode="PREPAID", handover_planned_ms=to_ms(now + timedelta(hours=3)),
                   entries=[goods_entry("PHILIPS-HD9252-90")]),
        # Pickup from the shop's warehouse.
        make_order("700000108", created=ago(20), phone="7083216549",
                   first_name="Алия", last_name="Нурпеисова",
                   state="PICKUP", status="ACCEPTED_BY_MERCHANT", delivery_mode="DELIVERY_PICKUP",
                   entries=[goods_entry("MAYBELLINE-SKYHIGH-BLK", 2), goods_entry("NIVEA-SUN-SPF50-200")]),
        # Credit documents still to be signed.
        make_order("700000109", created=ago(18), phone="7781112233",
                   first_name="Тимур", last_name="Бекмуратов",
                   state="SIGN_REQUIRED", status="ACCEPTED_BY_MERCHANT", signature_required=True, credit_term=12,
                   entries=[goods_entry("APPLE-IP15-128-BLK")]),
        # Archived: completed and cancelled. A poll with the default states must skip them.
        make_order("700000110", created=ago(16), phone="7059998877",
                   first_name="Ольга", last_name="Ким",
                   state="ARCHIVE", status="COMPLETED", town="Караганда",
                   entries=[goods_entry("DYSON-V15-DETECT")]),
        make_order("700000111", created=ago(14), phone="7769876501",
                   first_name="Бауыржан", last_name="Сейткали",
                   state="ARCHIVE", status="CANCELLED", cancellation_reason="BUYER_CANCELLATION_BY_MERCHANT",
                   entries=[goods_entry("LG-F2J3HS2W")]),
        # One buyer, two orders, no amo contact yet: the second must reuse the first's contact.
        make_order("700000112", created=ago(10), phone=TWICE_BUYER_PHONE,
                   first_name="Марат", last_name="Маратов",
                   entries=[goods_entry("LEGO-CLASSIC-11717")], **accepted),
        make_order("700000113", created=ago(6), phone=TWICE_BUYER_PHONE,
                   first_name="Марат", last_name="Маратов",
                   state="DELIVERY", status="ACCEPTED_BY_MERCHANT",
                   entries=[goods_entry("HUGGIES-ELITE-3-72", 2), goods_entry("ANKER-PD-20W-WHT")]),
        # The shop's own delivery in Shymkent.
        make_order("700000114", created=ago(3), phone="7475553311",
                   first_name="Асель", last_name="Тулегенова",
                   state="DELIVERY", status="ACCEPTED_BY_MERCHANT", town="Шымкент",
                   address="улица Байтурсынова, 7", delivery_cost=1000.0,
                   entries=[goods_entry("BOSCH-MUMS2EW00")]),
        # A fresh new order.
        make_order("700000115", created=ago(0.5), phone="7017778899",
                   first_name="Дмитрий", last_name="Пак",
                   entries=[goods_entry("XIAOMI-RN13-8-256-BLK"), goods_entry("CASE-IP15-BLK")]),
        # Waiting for acceptance for 1.5 hours: Kaspi cancels it at 3 (the deadlines' task).
        make_order("700000120", created=ago(1.5), phone="7763334455",
                   first_name="Айжан", last_name="Мукашева",
                   entries=[goods_entry("NIVEA-SUN-SPF50-200", 2)]),
    ]


#: (days ago, status, cancellationReason) of the history's cancellations. Two are the shop's
#: fault (they count against it), three are not.
_HISTORY_CANCELLATIONS = {
    4: ("CANCELLED", "MERCHANT_OUT_OF_STOCK"),  # not accepted in time: Kaspi's own reason
    9: ("CANCELLED", "BUYER_CANCELLATION_BY_MERCHANT"),  # the buyer asked the shop
    13: ("CANCELLED", "TIMEOUT_BUYER_PICKUP"),  # the buyer never came
    18: ("CANCELLED", "TIMEOUT_KASPI_DELIVERY"),  # never handed over to Kaspi Delivery
    25: ("CANCELLED", "BUYER_NOT_REACHABLE"),
}
HISTORY_DAYS = 30
HISTORY_PER_DAY = 2



#: Four more completed archive orders, hand-named, so the 30-day history holds 76 orders (2 cancelled: 2.6 %).
_ARCHIVE_EDGES: tuple[tuple[str, timedelta, str, str, str, str], ...] = (
    ("700100999", timedelta(days=1, hours=2), "7051112299", "Вера", "Ли", "CHICCO-NF-250"),
    ("700100998", timedelta(days=1, hours=9), "7051112298", "Олжас", "Ермеков", "HUGGIES-ELITE-3-72"),
    ("700100997", timedelta(days=29, hours=23), "7051112297", "Инна", "Цой", "LEGO-CLASSIC-11717"),
    ("700100996", timedelta(days=28, hours=4), "7051112296", "Азамат", "Нуров", "TEFAL-KO693810"),
)

def demo_history(now: datetime) -> list[SandboxOrder]:
    """30 days of finished orders before `now` (two a day, from 2 days back), archived: the
    seller-quality figures have something to count. With `demo_orders` that makes 76 orders
    in the last 30 days, 2 of them cancelled by the shop's fault: 2.6 %, near Kaspi's 3 %."""
    skus = sorted(GOODS)
    orders = []
    for day in range(2, HISTORY_DAYS):
        for slot in range(HISTORY_PER_DAY):
            index = (day - 2) * HISTORY_PER_DAY + slot
            status, reason = _HISTORY_CANCELLATIONS.get(day, ("COMPLETED", None)) if slot == 0 else ("COMPLETED", None)
            orders.append(make_order(
                str(700100000 + index), created=now - timedelta(days=day, hours=3 + 7 * slot),
                phone=f"70{(index * 7919) % 100_000_000:08d}", first_name="Покупатель", last_name=f"№{index + 1}",
                state="ARCHIVE", status=status, cancellation_reason=reason,
                entries=[goods_entry(skus[index % len(skus)])]))
    for code, age, phone, first_name, last_name, sku in _ARCHIVE_EDGES:
        orders.append(make_order(code, created=now - age, phone=phone, first_name=first_name, last_name=last_name,
                                 state="ARCHIVE", status="COMPLETED", entries=[goods_entry(sku)]))
    return orders


def demo_history_codes() -> frozenset[str]:
    """The codes `demo_history` uses (the same whatever `now`): the demo tells them apart."""
    return frozenset(order.code for order in demo_history(datetime(2026, 1, 1, tzinfo=UTC)))


def demo_contacts() -> list[dict[str, Any]]:
    """amoCRM contacts that exist before the demo runs (phones in the shapes people type)."""
    return [
        {"name": "Айгерим Садыкова", "first_name": "Айгерим", "last_name": "Садыкова",
         "phones": ["8 (701) 123-45-67"]},
        # Decoy: same last 7 digits as 7771234567, different number. Must never be matched.
        {"name": "Канат Омаров", "first_name": "Канат", "last_name": "Омаров",
         "phones": [DECOY_CONTACT_PHONE]},
        {"name": "Елена Смирнова", "first_name": "Елена", "last_name": "Смирнова",
         "phones": ["+7 (727) 250-11-22"]},
        {"name": "Руслан Абенов", "first_name": "Руслан", "last_name": "Абенов",
         "phones": ["+77074445566"]},
        {"name": "ТОО «Алатау Трейд»", "first_name": "", "last_name": "",
         "phones": ["8 717 255 33 44"]},
    ]


def demo_products() -> list[dict[str, Any]]:
    """amoCRM catalog elements that exist before the demo: some SKUs are reused, others created."""
    return [
        {"name": GOODS[sku][0], "sku": sku, "price": GOODS[sku][1]}
        for sku in ("SAMSUNG-A55-8-256-NAVY", "CASE-IP15-BLK", "TEFAL-KO693810",
                    "PAMPERS-PANTS-4-52", "LEGO-CLASSIC-11717")
    ]


# --- Benchmarks ------------------------------------------------------------------------

_FIRST_NAMES = [
    ("Айгерим", "f"), ("Асель", "f"), ("Дана", "f"), ("Жанар", "f"), ("Алия", "f"), ("Мадина", "f"),
    ("Екатерина", "f"), ("Анна", "f"), ("Гульмира", "f"), ("Сауле", "f"),
    ("Ерлан", "m"), ("Нурлан", "m"), ("Тимур", "m"), ("Марат", "m"), ("Бауыржан", "m"),
    ("Дмитрий", "m"), ("Алексей", "m"), ("Данияр", "m"), ("Арман", "m"), ("Санжар", "m"),
]
_LAST_NAMES = [
    ("Садыков", "Садыкова"), ("Жумабаев", "Жумабаева"), ("Ахметов", "Ахметова"),
    ("Касымов", "Касымова"), ("Иванов", "Иванова"), ("Нурпеисов", "Нурпеисова"),
    ("Бекмуратов", "Бекмуратова"), ("Оспанов", "Оспанова"), ("Тулегенов", "Тулегенова"),
    ("Смирнов", "Смирнова"), ("Ким", "Ким"), ("Пак", "Пак"), ("Сейткали", "Сейткали"),
]
_PREFIXES = ("700", "701", "702", "705", "707", "708", "747", "771", "775", "776", "777", "778")
_STREETS = {
    "Алматы": ["проспект Абая", "улица Толе би", "проспект Достык", "улица Жандосова", "проспект Райымбека"],
    "Астана": ["проспект Кабанбай батыра", "улица Кенесары", "проспект Туран", "улица Сарайшык"],
    "Шымкент": ["проспект Республики", "улица Толе би", "проспект Тауке хана"],
    "Караганда": ["проспект Бухар-Жырау", "улица Ерубаева", "проспект Строителей"],
}


def bulk_orders(
    count: int,
    *,
    now: datetime,
    entries_per_order: int = 2,
    repeat_buyer_share: float = 0.3,
    seed: int = 1,
    code_start: int = 600000000,
) -> list[SandboxOrder]:
    """`count` new orders (allowed states) spread over the 12 hours before `now`, for
    benchmarks. Deterministic for a given seed; about `repeat_buyer_share` of the orders
    reuse the phone (and name) of an earlier buyer."""
    rng = random.Random(seed)
    skus = sorted(GOODS)
    towns = sorted(_STREETS)
    span_ms = 12 * 3600 * 1000
    end_ms = to_ms(now) - 60_000
    buyers: list[tuple[str, str, str]] = []
    used_phones: set[str] = set()
    orders: list[SandboxOrder] = []
    for index in range(count):
        if buyers and rng.random() < repeat_buyer_share:
            phone, first, last = buyers[rng.randrange(len(buyers))]
        else:
            while True:
                phone = rng.choice(_PREFIXES) + f"{rng.randrange(10**7):07d}"
                if phone not in used_phones:
                    break
            used_phones.add(phone)
            first, gender = rng.choice(_FIRST_NAMES)
            male, female = rng.choice(_LAST_NAMES)
            last = female if gender == "f" else male
            buyers.append((phone, first, last))
        entries = [goods_entry(sku, rng.randint(1, 3)) for sku in rng.sample(skus, min(entries_per_order, len(skus)))]
        town = rng.choice(towns)
        kind = rng.random()
        fields: dict[str, Any]
        if kind < 0.6:
            fields = {"state": "NEW"}
        elif kind < 0.75:
            fields = {"state": "DELIVERY", "status": "ACCEPTED_BY_MERCHANT"}
        elif kind < 0.85:
            fields = {"state": "PICKUP", "status": "ACCEPTED_BY_MERCHANT", "delivery_mode": "DELIVERY_PICKUP"}
        elif kind < 0.95:
            fields = {"state": "KASPI_DELIVERY", "status": "ACCEPTED_BY_MERCHANT", "payment_mode": "PREPAID",
                      "delivery_mode": "DELIVERY_REGIONAL_TODOOR", "is_kaspi_delivery": True}
        else:
            fields = {"state": "SIGN_REQUIRED", "signature_required": True}
        if fields.get("delivery_mode", "DELIVERY_LOCAL") == "DELIVERY_LOCAL":
            fields["address"] = f"{rng.choice(_STREETS[town])}, {rng.randint(1, 250)}"
        created_ms = end_ms - span_ms + (span_ms * index) // max(count, 1)
        orders.append(SandboxOrder(
            code=str(code_start + index), created_ms=created_ms, first_name=first, last_name=last,
            phone=phone, entries=entries, town=town, **fields,
        ))
    return orders
