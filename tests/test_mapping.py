"""Order → deal mapping rules of CONTRACT.md, tested without any network."""

from datetime import UTC, datetime
from decimal import Decimal

from app.kaspi.models import Customer, Order, OrderEntry
from app.sync.mapping import TAG_NO_PHONE, lead_name, money, plan_deal, whole_tenge


def order(**kw):
    base = {
        "id": "NTEyMzQ1Njc4",
        "code": "512345678",
        "state": "NEW",
        "status": "APPROVED_BY_BANK",
        "total_price": Decimal("15980.0"),
        "created_at": datetime(2026, 11, 26, 8, 0, tzinfo=UTC),
        "customer": Customer("c1", "Айгерим", "Садыкова", None, "7071234567"),
        "delivery_mode": "DELIVERY_LOCAL",
        "delivery_address": "Алматы, улица Наурызбай батыра, 154А",
        "entries": (
            OrderEntry(0, "SKU-CASE-IP15-BLK", "Чехол для iPhone 15 черный", Decimal(2), Decimal("7990"), Decimal("15980")),
        ),
    }
    base.update(kw)
    return Order(**base)


def test_lead_name_price_and_tags():
    plan = plan_deal(order())
    assert plan.lead_name == "Kaspi #512345678" == lead_name("512345678")
    assert plan.price == 15980 and isinstance(plan.price, int)
    assert plan.tags == ("Kaspi", "NEW")


def test_price_rounds_to_whole_tenge():
    assert whole_tenge(Decimal("1999.5")) == 2000
    assert whole_tenge(Decimal("1999.49")) == 1999


def test_contact_from_buyer():
    contact = plan_deal(order()).contact
    assert contact is not None
    assert contact.name == "Айгерим Садыкова"
    assert (contact.first_name, contact.last_name) == ("Айгерим", "Садыкова")
    assert contact.phone == "+77071234567"
    assert contact.key == "7071234567"


def test_no_phone_gives_no_contact_a_tag_and_a_note_line():
    plan = plan_deal(order(customer=Customer(None, "Ерлан", None, None, None)))
    assert plan.contact is None
    assert TAG_NO_PHONE in plan.tags
    assert "Телефон покупателя не получен" in plan.note
    assert plan.buyer_name == "Ерлан"


def test_note_lists_items_total_delivery_address_and_code():
    note = plan_deal(order()).note
    assert "Чехол для iPhone 15 черный (артикул SKU-CASE-IP15-BLK) — 2 × 7 990 ₸ = 15 980 ₸" in note
    assert "Итого: 15 980 ₸" in note
    assert "Доставка: доставка по городу" in note
    assert "Адрес: Алматы, улица Наурызбай батыра, 154А" in note
    assert "Код заказа Kaspi: 512345678" in note


def test_zero_and_many_entries():
    assert "Kaspi не передал позиции" in plan_deal(order(entries=())).note
    many = tuple(
        OrderEntry(i, f"SKU-{i}", f"Товар {i}", Decimal(1), Decimal(100), Decimal(100)) for i in range(150)
    )
    plan = plan_deal(order(entries=many, total_price=Decimal(15000)))
    assert len(plan.products) == 150
    assert plan.note.count("\n") > 150


def test_weighed_goods_and_long_kazakh_names():
    entry = OrderEntry(0, "APPLE-KG", "Яблоки Апорт", Decimal("1.25"), Decimal("1200"), Decimal("1500"))
    customer = Customer(None, "Гүлнұрсұлтан", "Әбдіқадырқызы-Жұмабекова", None, "7011234567")
    plan = plan_deal(order(entries=(entry,), customer=customer, total_price=Decimal(1500)))
    assert "1.25 × 1 200 ₸ = 1 500 ₸" in plan.note
    assert plan.contact and plan.contact.name == "Гүлнұрсұлтан Әбдіқадырқызы-Жұмабекова"


def test_money_format():
    assert money(Decimal("1234567")) == "1 234 567 ₸"
    assert money(Decimal("99.5")) == "99.50 ₸"
