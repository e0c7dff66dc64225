"""The typed amoCRM API (contacts, leads, complex leads, search, products, catalog fields,
account and pipelines) against scripted fakes over loopback HTTP."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from app.amo.api import ContactDraft, LeadDraft, ProductDraft, ProductLink
from app.errors import AmoValidationError
from app.sandbox.http import Request, Response, json_response
from tests.amo_client_support import A1, FakeAmo, bearer, fake, rig, server

__all__ = ["fake", "server"]  # fixtures used by name


# --- typed API --------------------------------------------------------------------------------


def echo_ids(key: str, first_id: int, *, reverse: bool = True) -> Callable[[Request], Response]:
    """A write endpoint that answers request_ids in reverse order (amoCRM gives no order guarantee)."""
    counter = [first_id]

    def handler(request: Request) -> Response:
        items = []
        for item in request.json():
            counter[0] += 1
            items.append({"id": counter[0], "request_id": item["request_id"]})
        if reverse:
            items.reverse()
        return json_response(200, {"_embedded": {key: items}})

    return handler


def test_create_contacts_maps_request_ids_and_chunks(fake: FakeAmo) -> None:
    r = rig(fake)
    fake.script("POST", "/api/v4/contacts", echo_ids("contacts", 100))
    drafts = [ContactDraft(f"Buyer {i}", f"B{i}", None, f"+7701000{i:04d}") for i in range(120)]
    ids = r.api.create_contacts(drafts)
    assert ids == list(range(101, 221))
    sizes = [len(c.json()) for c in fake.calls()]
    assert sizes == [50, 50, 20]
    first = fake.calls()[0].json()[0]
    assert first == {
        "name": "Buyer 0",
        "first_name": "B0",
        "custom_fields_values": [{"field_code": "PHONE", "values": [{"value": "+77010000000", "enum_code": "WORK"}]}],
        "request_id": "0",
    }
    assert "+77010000000" not in repr(drafts[0]) and "+7 *** *** ** 00" in repr(drafts[0])  # app.logs.mask_phone


def test_create_leads_body_and_order(fake: FakeAmo) -> None:
    r = rig(fake)
    fake.script("POST", "/api/v4/leads", echo_ids("leads", 500))
    drafts = [
        LeadDraft("Kaspi #1", 1000, 11, 22, ("Kaspi", "NEW"), contact_id=7, request_id="order-1"),
        LeadDraft("Kaspi #2", 2000, None, None, (), request_id="order-2"),
    ]
    assert r.api.create_leads(drafts) == [501, 502]
    sent = fake.calls()[0].json()
    assert sent[0] == {
        "name": "Kaspi #1",
        "price": 1000,
        "request_id": "order-1",
        "pipeline_id": 11,
        "status_id": 22,
        "_embedded": {"tags": [{"name": "Kaspi"}, {"name": "NEW"}], "contacts": [{"id": 7}]},
    }
    assert sent[1] == {"name": "Kaspi #2", "price": 2000, "request_id": "order-2"}
    with pytest.raises(ValueError, match="request_id values must be unique"):
        r.api.create_leads([LeadDraft("x", 1, None, None, (), request_id="a"), LeadDraft("y", 1, None, None, (), request_id="a")])


def test_create_leads_complex_results_in_input_order(fake: FakeAmo) -> None:
    r = rig(fake)

    def complex_(request: Request) -> Response:
        items = request.json()
        # amoCRM merged the last two (duplicates) into one lead and answers in its own order.
        return json_response(
            200,
            [
                {"id": 9002, "contact_id": 77, "company_id": None, "request_id": [items[1]["request_id"], items[2]["request_id"]], "merged": True},
                {"id": 9001, "contact_id": 55, "company_id": None, "request_id": [items[0]["request_id"]], "merged": False},
            ],
        )

    fake.script("POST", "/api/v4/leads/complex", complex_)
    buyer = ContactDraft("Aru Bek", "Aru", "Bek", "+77011234567")
    drafts = [
        LeadDraft("Kaspi #1", 100, 1, 2, ("Kaspi",), contact=buyer, request_id="k1"),
        LeadDraft("Kaspi #2", 200, 1, 2, (), contact_id=77, request_id="k2"),
        LeadDraft("Kaspi #2", 200, 1, 2, (), contact_id=77, request_id="k3"),
    ]
    results = r.api.create_leads_complex(drafts)
    assert [(x.lead_id, x.contact_id, x.merged) for x in results] == [(9001, 55, False), (9002, 77, True), (9002, 77, True)]
    assert results[1].request_ids == ("k2", "k3")
    sent = fake.calls()[0].json()
    assert sent[0]["_embedded"]["contacts"][0]["custom_fields_values"][0]["values"][0]["value"] == "+77011234567"
    assert sent[1]["_embedded"]["contacts"] == [{"id": 77}]


def test_failed_chunk_keeps_partial_results(fake: FakeAmo) -> None:
    r = rig(fake)
    ok = echo_ids("notes", 0, reverse=False)
    fake.script("POST", "/api/v4/leads/notes", ok, json_response(400, {"status": 400, "detail": "Request validation failed", "validation-errors": []}))
    notes = [(i, f"note {i}") for i in range(60)]
    with pytest.raises(AmoValidationError) as info:
        r.api.add_lead_notes(notes)
    assert info.value.partial_results == list(range(1, 51))
    assert fake.calls()[0].json()[0] == {"entity_id": 0, "note_type": "common", "params": {"text": "note 0"}, "request_id": "0"}


def contact_json(cid: int, phone: str) -> dict[str, Any]:
    return {"id": cid, "name": f"C{cid}", "custom_fields_values": [{"field_code": "PHONE", "values": [{"value": phone, "enum_code": "WORK"}]}]}


def test_search_contacts_follows_next_links(fake: FakeAmo) -> None:
    r = rig(fake)
    pages: dict[str, Any] = {
        "1": {
            "_page": 1,
            # amoCRM writes absolute links with the account host: the client re-bases them on base_url.
            "_links": {"next": {"href": "https://shop.amocrm.ru/api/v4/contacts?query=1234567&limit=50&page=2"}},
            "_embedded": {"contacts": [contact_json(1, "+7 701 123 45 67")]},
        },
        "2": {"_page": 2, "_links": {}, "_embedded": {"contacts": [contact_json(2, "87771234567")]}},
    }
    fake.script("GET", "/api/v4/contacts", lambda req: json_response(200, pages[req.arg("page", "1")]))
    found = r.api.search_contacts("1234567")
    assert [(c.id, c.phones) for c in found] == [(1, ("+7 701 123 45 67",)), (2, ("87771234567",))]
    first, second = fake.calls()
    assert first.arg("query") == "1234567" and first.arg("limit") == "50"
    assert second.arg("page") == "2" and second.arg("query") == "1234567" and bearer(second) == A1
    assert "1234567" not in repr(found)


def test_search_contacts_204_is_empty(fake: FakeAmo) -> None:
    r = rig(fake)
    fake.script("GET", "/api/v4/contacts", Response(204))
    assert r.api.search_contacts("0000000") == []


def test_find_leads_by_name_exact_lowest_first(fake: FakeAmo) -> None:
    r = rig(fake)
    leads = [
        {"id": 30, "name": "Kaspi #12", "price": 5, "_embedded": {"tags": [{"id": 1, "name": "Kaspi"}], "contacts": [{"id": 4, "is_main": True}]}},
        {"id": 20, "name": "Kaspi #123", "price": 5},
        {"id": 10, "name": "Kaspi #12", "price": 7, "pipeline_id": 1, "status_id": 2},
    ]
    fake.script("GET", "/api/v4/leads", json_response(200, {"_embedded": {"leads": leads}}))
    found = r.api.find_leads_by_name("Kaspi #12")
    assert [lead.id for lead in found] == [10, 30]
    assert found[1].tags == ("Kaspi",) and found[1].contact_ids == (4,)
    assert fake.calls()[0].arg("query") == "Kaspi #12"


def test_get_and_update_lead(fake: FakeAmo) -> None:
    r = rig(fake)
    fake.script("GET", "/api/v4/leads/5", json_response(200, {"id": 5, "name": "Kaspi #5", "price": 10, "status_id": 142, "_embedded": {"contacts": [{"id": 9}]}}))
    fake.script("GET", "/api/v4/leads/6", Response(204))
    fake.script("PATCH", "/api/v4/leads/5", json_response(200, {"id": 5}))
    lead = r.api.get_lead(5)
    assert lead is not None and lead.status_id == 142 and lead.contact_ids == (9,)
    assert fake.calls()[0].arg("with") == "contacts"
    assert r.api.get_lead(6) is None
    r.api.update_lead(5, status_id=143, tags_to_add=["CANCELLED"], tags_to_delete=["NEW"])
    r.api.update_lead(5)  # nothing to change: no request
    patches = [c for c in fake.calls() if c.method == "PATCH"]
    assert len(patches) == 1
    assert patches[0].json() == {"status_id": 143, "tags_to_add": [{"name": "CANCELLED"}], "tags_to_delete": [{"name": "NEW"}]}


CATALOG_FIELDS = json_response(200, {"_embedded": {"custom_fields": [
    {"id": 911, "name": "Артикул", "code": "SKU", "type": "text", "catalog_id": 2},
    {"id": 913, "name": "Оптовая цена", "code": None, "type": "price", "catalog_id": 2},
    {"id": 915, "name": "Цена", "code": "PRICE", "type": "price", "catalog_id": 2},
]}})


def test_products(fake: FakeAmo) -> None:
    r = rig(fake)
    fake.script(
        "GET",
        "/api/v4/catalogs",
        json_response(200, {"_embedded": {"catalogs": [{"id": 1, "name": "Счета", "type": "invoices"}, {"id": 2, "name": "Товары", "type": "products"}]}}),
    )
    element = {
        "id": 70,
        "name": "Чайник",
        "custom_fields_values": [
            {"field_code": "SKU", "values": [{"value": "SKU-1"}]},
            {"field_code": "PRICE", "values": [{"value": "999.50"}]},
        ],
    }
    fake.script("GET", "/api/v4/catalogs/2/custom_fields", CATALOG_FIELDS)
    fake.script("GET", "/api/v4/catalogs/2/elements", json_response(200, {"_embedded": {"elements": [element]}}))
    fake.script("POST", "/api/v4/catalogs/2/elements", echo_ids("elements", 80))
    fake.script("POST", "/api/v4/leads/5/link", json_response(200, {"_embedded": {"links": []}}))
    fake.script("POST", "/api/v4/leads/link", json_response(200, {"_embedded": {"links": []}}))
    links = [
        {"to_entity_id": 70, "to_entity_type": "catalog_elements", "metadata": {"quantity": 2, "catalog_id": 2}},
        {"to_entity_id": 4, "to_entity_type": "contacts", "metadata": {"main_contact": True}},
    ]
    fake.script("GET", "/api/v4/leads/5/links", json_response(200, {"_embedded": {"links": links}}))

    catalog = r.api.products_catalog()
    assert catalog is not None and catalog.id == 2
    (found,) = r.api.find_catalog_elements(2, "SKU-1")
    assert (found.id, found.sku, found.price) == (70, "SKU-1", 999.5)
    made = r.api.create_catalog_elements(2, [ProductDraft("Чайник", "SKU-1", 1000.0), ProductDraft("Кружка", "SKU-2", 12.5)])
    assert [(e.id, e.sku) for e in made] == [(81, "SKU-1"), (82, "SKU-2")]
    r.api.link_products(5, 2, [ProductLink(70, 2)])
    r.api.link_products_bulk([(5, 2, ProductLink(70, 2)), (6, 2, ProductLink(71, 1))])
    assert r.api.lead_product_links(5) == [(70, 2.0)]

    posts = {c.path: c.json() for c in fake.calls() if c.method == "POST"}
    # by the catalog's field ids (the PRICE-coded one, not the other price field), not by code
    assert posts["/api/v4/catalogs/2/elements"][0]["custom_fields_values"] == [
        {"field_id": 911, "values": [{"value": "SKU-1"}]},
        {"field_id": 915, "values": [{"value": 1000}]},
    ]
    assert posts["/api/v4/leads/5/link"] == [{"to_entity_id": 70, "to_entity_type": "catalog_elements",
                                               "metadata": {"quantity": 2, "catalog_id": 2, "price_id": 915}}]
    assert posts["/api/v4/leads/link"][0] == {"entity_id": 5, "to_entity_id": 70, "to_entity_type": "catalog_elements",
                                              "metadata": {"quantity": 2, "catalog_id": 2, "price_id": 915}}
    assert all(isinstance(b["metadata"]["quantity"], int) for b in posts["/api/v4/leads/link"])
    # the fields were asked once for the whole run
    assert sum(1 for c in fake.calls() if c.path == "/api/v4/catalogs/2/custom_fields") == 1


def test_catalog_fields_unknown_fall_back_to_field_codes(fake: FakeAmo) -> None:
    r = rig(fake)
    fake.script("GET", "/api/v4/catalogs/2/custom_fields", Response(204, b"", "application/hal+json"))
    fake.script("POST", "/api/v4/catalogs/2/elements", echo_ids("elements", 80))
    fake.script("POST", "/api/v4/leads/link", json_response(200, {"_embedded": {"links": []}}))
    r.api.create_catalog_elements(2, [ProductDraft("Чайник", "SKU-1", 1000.0)])
    r.api.link_products_bulk([(5, 2, ProductLink(81, 3))])
    posts = {c.path: c.json() for c in fake.calls() if c.method == "POST"}
    assert posts["/api/v4/catalogs/2/elements"][0]["custom_fields_values"] == [
        {"field_code": "SKU", "values": [{"value": "SKU-1"}]},
        {"field_code": "PRICE", "values": [{"value": 1000}]},
    ]
    assert posts["/api/v4/leads/link"][0]["metadata"] == {"quantity": 3, "catalog_id": 2}


def test_account_and_pipelines(fake: FakeAmo) -> None:
    r = rig(fake)
    fake.script("GET", "/api/v4/account", json_response(200, {"id": 1, "name": "Shop", "subdomain": "shop"}))
    statuses = [{"id": 10, "name": "Неразобранное", "type": 1}, {"id": 142, "name": "Успешно", "type": 0}]
    fake.script(
        "GET",
        "/api/v4/leads/pipelines",
        json_response(200, {"_embedded": {"pipelines": [{"id": 3, "name": "Воронка", "is_main": True, "_embedded": {"statuses": statuses}}]}}),
    )
    assert r.api.account().subdomain == "shop"
    (pipeline,) = r.api.pipelines()
    assert pipeline.is_main and [s.id for s in pipeline.statuses] == [10, 142] and pipeline.statuses[0].type == 1
