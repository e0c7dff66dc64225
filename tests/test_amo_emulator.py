"""The amoCRM emulator over real loopback HTTP: it is the ground truth for every amo test."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from app.sandbox.amo import PRODUCTS_CATALOG_ID, SERVICES_CATALOG_ID, AmoEmulator
from app.sandbox.http import EmulatorServer, Request, Response


class FakeClock:
    def __init__(self, now: float = 1_750_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Api:
    """A tiny client: base URL and bearer token.

    Every request opens a fresh connection (`Connection: close`): on a kept-alive loopback
    socket the server's separate header and body writes meet Nagle + delayed ACK and each
    answer takes ~40 ms, which would make this file slow without testing anything more.
    """

    def __init__(self, url: str, token: str | None) -> None:
        self.url = url
        self.token = token
        self.session = requests.Session()
        self.session.headers["Connection"] = "close"

    def __call__(self, method: str, path: str, *, token: str | None = None, **kwargs: Any) -> requests.Response:
        headers = kwargs.pop("headers", {})
        bearer = token if token is not None else self.token
        if bearer:
            headers["Authorization"] = f"Bearer {bearer}"
        return self.session.request(method, self.url + path, headers=headers, timeout=5, **kwargs)

    def get(self, path: str, **kw: Any) -> requests.Response:
        return self("GET", path, **kw)

    def post(self, path: str, body: Any, **kw: Any) -> requests.Response:
        return self("POST", path, json=body, **kw)

    def patch(self, path: str, body: Any, **kw: Any) -> requests.Response:
        return self("PATCH", path, json=body, **kw)


class Switch:
    """One server for the module (stopping a server costs 0.5 s); each test plugs in its own emulator."""

    target: AmoEmulator | None = None

    def handle(self, request: Request) -> Response:
        assert self.target is not None
        return self.target.handle(request)


Serve = Callable[[AmoEmulator], "Api"]


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[EmulatorServer, Switch]]:
    switch = Switch()
    with EmulatorServer(switch) as srv:
        yield srv, switch


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def serve(server: tuple[EmulatorServer, Switch]) -> Iterator[Callable[[AmoEmulator], Api]]:
    """Plug an emulator into the shared server; returns a client holding a fresh access token."""
    srv, switch = server
    sessions: list[requests.Session] = []

    def plug(emu: AmoEmulator) -> Api:
        switch.target = emu
        access, _ = emu.issue_tokens()
        api = Api(srv.url, access)
        sessions.append(api.session)
        return api

    yield plug
    switch.target = None
    for session in sessions:
        session.close()


@pytest.fixture
def amo(clock: FakeClock, serve: Callable[[AmoEmulator], Api]) -> tuple[AmoEmulator, Api]:
    """Rate limit off (the clock stands still); limit tests build their own emulator."""
    emu = AmoEmulator(clock=clock, rps_limit=None)
    return emu, serve(emu)


def _problem(resp: requests.Response, status: int) -> dict:
    assert resp.status_code == status, resp.text
    assert resp.headers["Content-Type"].startswith("application/problem+json")
    assert resp.headers.get("X-Request-Id")
    return resp.json()


def _validation(resp: requests.Response) -> list[dict]:
    body = _problem(resp, 400)
    return body["validation-errors"]


def _token_request(api: Api, emu: AmoEmulator, **fields: Any) -> requests.Response:
    body = {"client_id": emu.client_id, "client_secret": emu.client_secret, "redirect_uri": emu.redirect_uri}
    body.update(fields)
    return api.session.post(api.url + "/oauth2/access_token", json=body, timeout=5)


# ---------------------------------------------------------------- auth


def test_requests_without_bad_or_expired_token_answer_401(amo: tuple[AmoEmulator, Api], clock: FakeClock) -> None:
    emu, api = amo
    assert api.get("/api/v4/account").status_code == 200
    for token in ("", "garbage"):
        body = _problem(api.get("/api/v4/account", token=token) if token else
                        api.session.get(api.url + "/api/v4/account", timeout=5), 401)
        assert body == {"title": "Unauthorized", "type": "https://httpstatus.es/401", "status": 401,
                        "detail": "Invalid user name or password"}
    emu.expire_access_tokens()
    _problem(api.get("/api/v4/account"), 401)
    # Natural expiry after access_ttl.
    access, _ = emu.issue_tokens()
    assert api.get("/api/v4/account", token=access).status_code == 200
    clock.advance(86400)
    _problem(api.get("/api/v4/account", token=access), 401)


def test_access_token_is_a_jwt_with_exp(amo: tuple[AmoEmulator, Api], clock: FakeClock) -> None:
    emu, _ = amo
    access, refresh = emu.issue_tokens()
    payload = access.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert claims["exp"] == int(clock.now) + 86400
    assert claims["account_id"] == emu.account_id
    assert claims["api_domain"] and claims["client_uuid"] == emu.client_id
    assert refresh.startswith("def50200")
    long_lived = emu.long_lived_token(ttl=3600)
    claims = json.loads(base64.urlsafe_b64decode(long_lived.split(".")[1] + "=="))
    assert claims["exp"] == int(clock.now) + 3600


def test_code_exchange_and_single_use_refresh(amo: tuple[AmoEmulator, Api], clock: FakeClock) -> None:
    emu, api = amo
    code = emu.issue_auth_code()
    resp = _token_request(api, emu, grant_type="authorization_code", code=code)
    assert resp.status_code == 200, resp.text
    pair = resp.json()
    assert pair["token_type"] == "Bearer" and pair["expires_in"] == 86400
    assert pair["server_time"] == int(clock.now)
    assert api.get("/api/v4/account", token=pair["access_token"]).status_code == 200

    reused = _problem(_token_request(api, emu, grant_type="authorization_code", code=code), 400)
    assert reused["hint"] == "Cannot decrypt the authorization code"
    assert reused["type"] == "https://developers.amocrm.ru/v3/errors/OAuthProblemJson"

    # Form-encoded refresh works too.
    form = {"client_id": emu.client_id, "client_secret": emu.client_secret, "grant_type": "refresh_token",
            "refresh_token": pair["refresh_token"], "redirect_uri": emu.redirect_uri}
    resp = api.session.post(api.url + "/oauth2/access_token", data=form, timeout=5)
    assert resp.status_code == 200, resp.text
    second = resp.json()
    assert second["refresh_token"] != pair["refresh_token"]
    # The old access token stays valid until its own exp.
    assert api.get("/api/v4/account", token=pair["access_token"]).status_code == 200

    again = _problem(_token_request(api, emu, grant_type="refresh_token", refresh_token=pair["refresh_token"]), 401)
    assert again["hint"] == "Token has been revoked" and again["title"] == "Некорректный запрос"
    assert _token_request(api, emu, grant_type="refresh_token",
                          refresh_token=second["refresh_token"]).status_code == 200

    # Code TTL is 20 minutes; client credentials and redirect must match.
    late = emu.issue_auth_code()
    clock.advance(20 * 60)
    assert _problem(_token_request(api, emu, grant_type="authorization_code", code=late), 400)["hint"] == \
        "Cannot decrypt the authorization code"
    fresh = emu.issue_auth_code()
    _problem(_token_request(api, emu, grant_type="authorization_code", code=fresh, client_secret="nope"), 401)
    _problem(_token_request(api, emu, grant_type="authorization_code", code=fresh, redirect_uri="http://x/"), 400)
    assert _token_request(api, emu, grant_type="authorization_code", code=fresh).status_code == 200

    emu.revoke_refresh_tokens()
    _, rt = emu.issue_tokens()
    assert _token_request(api, emu, grant_type="refresh_token", refresh_token=rt).status_code == 200
    assert emu.api_requests == 2 and all(p.startswith(("/api/v4", "/oauth2")) for _, p, _ in emu.request_log)


def test_grace_mode_keeps_old_refresh_token_until_the_new_one_is_used(clock: FakeClock, serve: Serve) -> None:
    emu = AmoEmulator(clock=clock, refresh_mode="grace")
    api = serve(emu)
    _, rt0 = emu.issue_tokens()
    first = _token_request(api, emu, grant_type="refresh_token", refresh_token=rt0)
    assert first.status_code == 200  # pretend the client lost this answer
    retry = _token_request(api, emu, grant_type="refresh_token", refresh_token=rt0)
    assert retry.status_code == 200
    rt1 = retry.json()["refresh_token"]
    assert _token_request(api, emu, grant_type="refresh_token", refresh_token=rt1).status_code == 200
    assert _problem(_token_request(api, emu, grant_type="refresh_token", refresh_token=rt0), 401)["hint"] == \
        "Token has been revoked"
    # The sibling from the lost answer died with it.
    _problem(_token_request(api, emu, grant_type="refresh_token",
                            refresh_token=first.json()["refresh_token"]), 401)


def test_refresh_answer_lost_in_strict_mode_kills_the_integration(clock: FakeClock, serve: Serve) -> None:
    emu = AmoEmulator(clock=clock)
    api = serve(emu)
    _, rt = emu.issue_tokens()
    emu.apply_then_drop_next(1)
    with pytest.raises(requests.ConnectionError):
        _token_request(api, emu, grant_type="refresh_token", refresh_token=rt)
    assert _problem(_token_request(api, emu, grant_type="refresh_token", refresh_token=rt), 401)["hint"] == \
        "Token has been revoked"


# ---------------------------------------------------------------- limits


def test_rate_limit_429_above_7_rps_and_none_at_7(clock: FakeClock, serve: Serve) -> None:
    emu = AmoEmulator(clock=clock, retry_after=2)
    api = serve(emu)
    for i in range(30):  # exactly 7 per second, evenly spaced
        assert api.get("/api/v4/account").status_code == 200, i
        clock.advance(1 / 7)
    assert emu.too_many_requests == 0

    clock.advance(1)
    statuses = [api.get("/api/v4/account").status_code for _ in range(8)]
    assert statuses == [200] * 7 + [429]
    body = _problem(api.get("/api/v4/account"), 429)
    assert body["retry_after"] == 2 and body["title"] == "Too Many Requests"
    assert emu.too_many_requests == 2
    # The window slides: one second later the budget is back. OAuth is never limited.
    code = emu.issue_auth_code()
    assert _token_request(api, emu, grant_type="authorization_code", code=code).status_code == 200
    clock.advance(1.0)
    assert api.get("/api/v4/account").status_code == 200


def test_html_429_and_block_after_gives_nginx_403(clock: FakeClock, serve: Serve) -> None:
    emu = AmoEmulator(clock=clock, html_429=True, block_after=2)
    api = serve(emu)
    for _ in range(7):
        assert api.get("/api/v4/account").status_code == 200
    resp = api.get("/api/v4/account")
    assert resp.status_code == 429 and resp.headers["Content-Type"].startswith("text/html")
    assert api.get("/api/v4/leads").status_code == 429
    assert emu.blocked
    clock.advance(60)
    for path in ("/api/v4/account", "/api/v4/contacts"):
        resp = api.get(path)
        assert resp.status_code == 403 and "nginx" in resp.text
        assert resp.headers["Content-Type"].startswith("text/html")
    emu.unblock()
    assert api.get("/api/v4/account").status_code == 200


# ---------------------------------------------------------------- contacts


def test_fuzzy_phone_search_returns_decoy_sharing_last_7_digits(amo: tuple[AmoEmulator, Api]) -> None:
    emu, api = amo
    real = emu.add_contact("Айгерим Садыкова", ["8 (701) 123-45-67"], first_name="Айгерим", last_name="Садыкова")
    decoy = emu.add_contact("Канат Омаров", ["+7 705 123 45 67"])
    emu.add_contact("Елена Смирнова", ["+77272501122"])

    resp = api.get("/api/v4/contacts", params={"query": "+77011234567"})
    assert resp.status_code == 200 and resp.headers["Content-Type"].startswith("application/hal+json")
    found = resp.json()["_embedded"]["contacts"]
    assert [c["id"] for c in found] == [real, decoy]  # the client must re-check the full number
    phone = found[0]["custom_fields_values"][0]
    assert phone["field_code"] == "PHONE" and phone["field_name"] == "Телефон"
    assert phone["field_type"] == "multitext"
    assert phone["values"][0]["value"] == "8 (701) 123-45-67" and phone["values"][0]["enum_code"] == "WORK"
    assert found[0]["first_name"] == "Айгерим" and found[0]["_links"]["self"]["href"].endswith(f"/contacts/{real}")

    none = api.get("/api/v4/contacts", params={"query": "77019999999"})
    assert none.status_code == 204 and none.content == b""
    assert [c["id"] for c in api.get("/api/v4/contacts", params={"query": "смирн"}).json()["_embedded"]["contacts"]]
    assert api.get(f"/api/v4/contacts/{decoy}").json()["name"] == "Канат Омаров"
    assert api.get("/api/v4/contacts/999").status_code == 204
    assert emu.contact_phones(real) == ["8 (701) 123-45-67"]


def test_contact_create_patch_and_paging(amo: tuple[AmoEmulator, Api]) -> None:
    emu, api = amo
    body = [{"first_name": f"Имя{i}", "last_name": "Тест",
             "custom_fields_values": [{"field_code": "PHONE", "values": [{"value": f"+7701000000{i}",
                                                                          "enum_code": "MOB"}]}]}
            for i in range(5)]
    body[0]["request_id"] = "first"
    resp = api.post("/api/v4/contacts", body)
    assert resp.status_code == 200, resp.text
    created = resp.json()["_embedded"]["contacts"]
    assert [c["request_id"] for c in created] == ["first", "1", "2", "3", "4"]
    ids = [c["id"] for c in created]
    assert emu.contacts[ids[1]]["name"] == "Имя1 Тест"
    assert emu.contacts[ids[1]]["custom_fields_values"][0]["values"][0]["enum_code"] == "MOB"

    pages, url, seen = 0, api.url + "/api/v4/contacts?limit=2", []
    while url:
        page = api.session.get(url, headers={"Authorization": f"Bearer {api.token}"}, timeout=5).json()
        seen += [c["id"] for c in page["_embedded"]["contacts"]]
        url = page["_links"].get("next", {}).get("href")
        pages += 1
    assert seen == ids and pages == 3
    assert api.get("/api/v4/contacts", params={"limit": 2, "page": 4}).status_code == 204
    assert _problem(api.get("/api/v4/contacts", params={"limit": 251}), 422)["detail"] == "Limit 250 per page"
    filtered = api.get("/api/v4/contacts", params={"filter[id][]": [ids[0], ids[2]]}).json()
    assert [c["id"] for c in filtered["_embedded"]["contacts"]] == [ids[0], ids[2]]

    resp = api.patch(f"/api/v4/contacts/{ids[0]}", {"name": "Новое имя"})
    assert resp.status_code == 200 and emu.contacts[ids[0]]["name"] == "Новое имя"
    resp = api.patch("/api/v4/contacts", [{"id": ids[1], "last_name": "Другая"}])
    assert resp.status_code == 200 and emu.contacts[ids[1]]["last_name"] == "Другая"
    errors = _validation(api.post("/api/v4/contacts", [{"custom_fields_values": [{"field_id": 1, "values": []}]}]))
    assert errors[0]["errors"][0]["code"] == "NotSupportedChoice"


# ---------------------------------------------------------------- leads


def test_create_lead_with_tags_and_contact_then_read_it(amo: tuple[AmoEmulator, Api]) -> None:
    emu, api = amo
    contact = emu.add_contact("Покупатель", ["+77011112233"])
    resp = api.post("/api/v4/leads", [{"name": "Kaspi #100", "price": 15000, "pipeline_id": 7000001,
                                       "status_id": 70000011, "request_id": "o-100",
                                       "_embedded": {"tags": [{"name": "Kaspi"}, {"name": "NEW"}],
                                                     "contacts": [{"id": contact}]}}])
    assert resp.status_code == 200, resp.text
    item = resp.json()["_embedded"]["leads"][0]
    assert item["request_id"] == "o-100"
    lead_id = item["id"]
    lead = api.get(f"/api/v4/leads/{lead_id}", params={"with": "contacts"}).json()
    assert lead["price"] == 15000 and lead["pipeline_id"] == 7000001 and lead["status_id"] == 70000011
    assert [t["name"] for t in lead["_embedded"]["tags"]] == ["Kaspi", "NEW"]
    assert set(lead["_embedded"]["tags"][0]) == {"id", "name", "color"}
    assert lead["_embedded"]["contacts"] == [{"id": contact, "is_main": True,
                                              "_links": lead["_embedded"]["contacts"][0]["_links"]}]
    assert "contacts" not in api.get(f"/api/v4/leads/{lead_id}").json()["_embedded"]
    contact_view = api.get(f"/api/v4/contacts/{contact}", params={"with": "leads"}).json()
    assert [lead["id"] for lead in contact_view["_embedded"]["leads"]] == [lead_id]

    # Search and filters; deleted leads vanish.
    assert [lead["id"] for lead in api.get("/api/v4/leads", params={"query": "kaspi #1"}).json()["_embedded"]["leads"]] \
        == [lead_id]
    assert api.get("/api/v4/leads", params={"filter[name]": "Kaspi #100"}).status_code == 200
    assert api.get("/api/v4/leads", params={"filter[name]": "Kaspi #10"}).status_code == 204
    assert api.get("/api/v4/leads", params={"filter[id][]": lead_id}).status_code == 200
    assert emu.leads_named("Kaspi #100")[0]["id"] == lead_id
    emu.delete_lead(lead_id)
    assert api.get(f"/api/v4/leads/{lead_id}").status_code == 204
    assert api.get("/api/v4/leads", params={"query": "Kaspi"}).status_code == 204
    assert emu.leads_named("Kaspi #100") == []


def test_default_pipeline_and_status_changes(amo: tuple[AmoEmulator, Api], clock: FakeClock) -> None:
    emu, api = amo
    lead_id = api.post("/api/v4/leads", [{"name": "x"}]).json()["_embedded"]["leads"][0]["id"]
    assert (emu.leads[lead_id]["pipeline_id"], emu.leads[lead_id]["status_id"]) == (7000002, 70000021)
    resp = api.patch(f"/api/v4/leads/{lead_id}", {"pipeline_id": 7000001, "status_id": 70000013})
    assert resp.status_code == 200 and resp.json()["id"] == lead_id
    clock.advance(5)
    resp = api.patch("/api/v4/leads", [{"id": lead_id, "status_id": 142, "price": 10}])
    assert resp.status_code == 200
    lead = emu.leads[lead_id]
    assert (lead["pipeline_id"], lead["status_id"], lead["price"]) == (7000001, 142, 10)
    assert lead["closed_at"] == int(clock.now)
    errors = _validation(api.patch("/api/v4/leads", [{"id": 1, "price": 5}]))
    assert errors[0]["errors"][0] == {"code": "NotSupportedChoice", "path": "id",
                                      "detail": "The value you selected is not a valid choice."}


def test_validation_errors_apply_nothing(amo: tuple[AmoEmulator, Api]) -> None:
    emu, api = amo
    errors = _validation(api.post("/api/v4/leads", [{"name": "ok", "price": 1},
                                                    {"name": "bad", "price": "100", "request_id": "r2"}]))
    assert errors == [{"request_id": "r2", "errors": [{"code": "InvalidType", "path": "price",
                                                       "detail": "This value should be of type int."}]}]
    assert emu.leads == {}
    errors = _validation(api.post("/api/v4/leads", [{"name": 5, "price": 1.5}]))
    assert {e["path"] for e in errors[0]["errors"]} == {"name", "price"}
    errors = _validation(api.post("/api/v4/leads", [{"pipeline_id": 7000001, "status_id": 70000021}]))
    assert errors[0]["errors"][0]["code"] == "NotSupportedChoice" and errors[0]["errors"][0]["path"] == "status_id"
    assert _validation(api.post("/api/v4/leads", [{"pipeline_id": 1}]))[0]["errors"][0]["path"] == "pipeline_id"
    assert _validation(api.post("/api/v4/leads", [{"status_id": 70000010}]))[0]["errors"][0]["code"] == \
        "NotSupportedChoice"  # "Неразобранное" cannot be set through /leads
    assert _validation(api.post("/api/v4/leads", {"name": "object, not array"}))
    assert _validation(api.post("/api/v4/leads", [{"_embedded": {"contacts": [{"id": 1}]}}]))[0]["errors"][0][
        "path"] == "_embedded.contacts.0.id"
    _problem(api("POST", "/api/v4/leads", data="[{", headers={"Content-Type": "application/json"}), 400)
    assert _problem(api.post("/api/v4/leads", []), 400)["detail"] == "Request data can not be empty"
    assert _problem(api.post("/api/v4/leads", [{"name": "n"}] * 251), 422)["detail"] == "Limit 250 per page"
    assert len(api.post("/api/v4/leads", [{"name": "n"}] * 250).json()["_embedded"]["leads"]) == 250
    assert emu.write_requests == 1


def test_complex_leads_with_new_and_existing_contacts(amo: tuple[AmoEmulator, Api]) -> None:
    emu, api = amo
    existing = emu.add_contact("Старый клиент", ["+77010000001"])
    body = [
        {"name": "Kaspi #1", "price": 100, "pipeline_id": 7000001, "status_id": 70000011, "request_id": "a",
         "_embedded": {"tags": [{"name": "Kaspi"}], "contacts": [{
             "first_name": "Ivan", "last_name": "Zinoviev",
             "custom_fields_values": [{"field_code": "PHONE", "values": [{"value": "+77029876543",
                                                                          "enum_code": "WORK"}]}]}]}},
        {"name": "Kaspi #2", "price": 200, "_embedded": {"contacts": [{"id": existing}]}},
        {"name": "Kaspi #3", "price": 300},
    ]
    resp = api.post("/api/v4/leads/complex", body)
    assert resp.status_code == 200, resp.text
    out = resp.json()
    assert isinstance(out, list) and len(out) == 3
    assert out[0]["request_id"] == ["a"] and out[1]["request_id"] == ["1"]
    assert out[0]["company_id"] is None and out[0]["merged"] is False
    new_contact = out[0]["contact_id"]
    assert emu.contacts[new_contact]["name"] == "Ivan Zinoviev"
    assert emu.contact_phones(new_contact) == ["+77029876543"]
    assert out[1]["contact_id"] == existing and out[2]["contact_id"] is None
    assert emu.lead_contact_ids(out[1]["id"]) == [existing]
    assert emu.lead_tags(out[0]["id"]) == ["Kaspi"]
    assert len(emu.contacts) == 2

    too_many = api.post("/api/v4/leads/complex", [{"name": f"n{i}"} for i in range(51)])
    _problem(too_many, 400)
    two = [{"name": "x", "_embedded": {"contacts": [{"id": existing}, {"name": "second"}]}}]
    assert _validation(api.post("/api/v4/leads/complex", two))[0]["errors"][0]["path"] == "_embedded.contacts"
    assert len(emu.leads) == 3


def test_tags_add_replace_delete_and_dictionary(amo: tuple[AmoEmulator, Api]) -> None:
    emu, api = amo
    lead_id = api.post("/api/v4/leads", [{"name": "t", "_embedded": {"tags": [{"name": "Kaspi"}, {"name": "NEW"}]}}]
                       ).json()["_embedded"]["leads"][0]["id"]
    api.patch(f"/api/v4/leads/{lead_id}", {"tags_to_add": [{"name": "KASPI_DELIVERY"}],
                                           "tags_to_delete": [{"name": "NEW"}]})
    assert emu.lead_tags(lead_id) == ["Kaspi", "KASPI_DELIVERY"]
    api.patch("/api/v4/leads", [{"id": lead_id, "_embedded": {"tags": [{"name": "ARCHIVE"}]}}])
    assert emu.lead_tags(lead_id) == ["ARCHIVE"]
    api.patch(f"/api/v4/leads/{lead_id}", {"_embedded": {"tags": None}})
    assert emu.lead_tags(lead_id) == []

    tags = api.get("/api/v4/leads/tags").json()["_embedded"]["tags"]
    assert {t["name"] for t in tags} == {"Kaspi", "NEW", "KASPI_DELIVERY", "ARCHIVE"}
    kaspi = next(t["id"] for t in tags if t["name"] == "Kaspi")
    posted = api.post("/api/v4/leads/tags", [{"name": "Kaspi"}, {"name": "без телефона"}]).json()
    assert posted["_embedded"]["tags"][0]["id"] == kaspi
    assert api.get("/api/v4/leads/tags", params={"query": "без"}).json()["_embedded"]["tags"][0]["name"] == \
        "без телефона"
    api.patch(f"/api/v4/leads/{lead_id}", {"tags_to_add": [{"id": kaspi}]})
    assert emu.lead_tags(lead_id) == ["Kaspi"]
    assert _validation(api.patch(f"/api/v4/leads/{lead_id}", {"tags_to_add": [{"id": 1}]}))[0]["errors"][0][
        "path"] == "tags_to_add.0.id"


def test_notes(amo: tuple[AmoEmulator, Api]) -> None:
    emu, api = amo
    lead_id = api.post("/api/v4/leads", [{"name": "n"}]).json()["_embedded"]["leads"][0]["id"]
    resp = api.post("/api/v4/leads/notes", [{"entity_id": lead_id, "note_type": "common",
                                             "params": {"text": "Состав заказа"}, "request_id": "n1"}])
    assert resp.status_code == 200, resp.text
    note = resp.json()["_embedded"]["notes"][0]
    assert note["entity_id"] == lead_id and note["request_id"] == "n1"
    resp = api.post(f"/api/v4/leads/{lead_id}/notes", [{"note_type": "service_message",
                                                        "params": {"service": "Kaspi", "text": "x"}}])
    assert resp.status_code == 200
    assert [n["params"]["text"] for n in emu.notes_for(lead_id)] == ["Состав заказа", "x"]
    listed = api.get("/api/v4/leads/notes", params={"filter[entity_id][]": lead_id}).json()
    assert len(listed["_embedded"]["notes"]) == 2
    assert api.get(f"/api/v4/leads/{lead_id}/notes").json()["_embedded"]["notes"][0]["note_type"] == "common"
    errors = _validation(api.post("/api/v4/leads/notes", [{"entity_id": 123, "note_type": "common",
                                                           "params": {"text": "x"}}]))
    assert errors[0]["errors"][0]["path"] == "entity_id"
    assert _validation(api.post(f"/api/v4/leads/{lead_id}/notes", [{"note_type": "common", "params": {}}]))
    assert api.get("/api/v4/leads/notes", params={"filter[entity_id][]": 1}).status_code == 204


# ---------------------------------------------------------------- catalogs and links


def test_catalogs_elements_and_links(amo: tuple[AmoEmulator, Api]) -> None:
    emu, api = amo
    catalogs = api.get("/api/v4/catalogs").json()["_embedded"]["catalogs"]
    assert [(c["name"], c["type"]) for c in catalogs] == [("Товары", "products"), ("Услуги", "regular")]
    fields = api.get(f"/api/v4/catalogs/{PRODUCTS_CATALOG_ID}/custom_fields").json()["_embedded"]["custom_fields"]
    by_code = {f["code"]: f for f in fields}
    assert by_code["SKU"]["type"] == "text" and by_code["PRICE"]["type"] == "price"

    seeded = emu.add_catalog_element("Чехол iPhone 15", "CASE-IP15-BLK", 4990.0)
    resp = api.post(f"/api/v4/catalogs/{PRODUCTS_CATALOG_ID}/elements", [{
        "name": "Чайник Tefal", "request_id": "sku-1",
        "custom_fields_values": [{"field_code": "SKU", "values": [{"value": "TEFAL-KO693810"}]},
                                 {"field_code": "PRICE", "values": [{"value": 25990.5}]}]}])
    assert resp.status_code == 200, resp.text
    element = resp.json()["_embedded"]["elements"][0]
    assert element["request_id"] == "sku-1" and element["name"] == "Чайник Tefal"
    price = next(f for f in element["custom_fields_values"] if f["field_code"] == "PRICE")
    assert price["values"] == [{"value": "25990.5"}]
    found = api.get(f"/api/v4/catalogs/{PRODUCTS_CATALOG_ID}/elements", params={"query": "CASE-IP15"}).json()
    assert [e["id"] for e in found["_embedded"]["elements"]] == [seeded]
    assert api.get(f"/api/v4/catalogs/{PRODUCTS_CATALOG_ID}/elements", params={"query": "nothing"}).status_code == 204
    resp = api.patch(f"/api/v4/catalogs/{PRODUCTS_CATALOG_ID}/elements", [{"id": seeded, "name": "Чехол"}])
    assert resp.status_code == 200 and emu.catalog_elements[seeded]["name"] == "Чехол"
    _problem(api.get("/api/v4/catalogs/999/elements"), 404)

    lead_id = api.post("/api/v4/leads", [{"name": "L"}]).json()["_embedded"]["leads"][0]["id"]
    link: dict[str, Any] = {"to_entity_id": seeded, "to_entity_type": "catalog_elements",
            "metadata": {"quantity": 2, "catalog_id": PRODUCTS_CATALOG_ID, "price_id": by_code["PRICE"]["id"]}}
    resp = api.post(f"/api/v4/leads/{lead_id}/link", [link])
    assert resp.status_code == 200, resp.text
    assert resp.json()["_total_items"] == 1
    assert resp.json()["_embedded"]["links"][0]["metadata"]["quantity"] == 2
    link["metadata"]["quantity"] = 3  # linking again updates the quantity
    api.post(f"/api/v4/leads/{lead_id}/link", [link])
    assert [link["metadata"]["quantity"] for link in emu.links_for(lead_id)] == [3]
    mass = api.post("/api/v4/leads/link", [{"entity_id": lead_id, "to_entity_id": element["id"],
                                            "to_entity_type": "catalog_elements",
                                            "metadata": {"quantity": 1.5, "catalog_id": PRODUCTS_CATALOG_ID}}])
    assert mass.status_code == 200
    lead = api.get(f"/api/v4/leads/{lead_id}", params={"with": "catalog_elements"}).json()
    assert [(e["id"], e["metadata"]["quantity"]) for e in lead["_embedded"]["catalog_elements"]] == \
        [(seeded, 3), (element["id"], 1.5)]
    assert api.get(f"/api/v4/leads/{lead_id}/links").json()["_total_items"] == 2
    assert api.get("/api/v4/leads/links", params={"filter[entity_id][]": lead_id}).json()["_total_items"] == 2
    unlink = api.post(f"/api/v4/leads/{lead_id}/unlink", [{"to_entity_id": seeded, "to_entity_type":
                                                           "catalog_elements",
                                                           "metadata": {"catalog_id": PRODUCTS_CATALOG_ID}}])
    assert unlink.status_code == 204
    assert [link["to_entity_id"] for link in emu.links_for(lead_id)] == [element["id"]]
    bad = dict(link, metadata={"quantity": 1, "catalog_id": SERVICES_CATALOG_ID})
    assert _validation(api.post(f"/api/v4/leads/{lead_id}/link", [bad]))[0]["errors"][0]["path"] == "to_entity_id"

    emu.remove_products_catalog()
    assert [c["type"] for c in api.get("/api/v4/catalogs").json()["_embedded"]["catalogs"]] == ["regular"]
    assert emu.products_catalog_id is None and emu.links_for(lead_id) == []


def test_catalog_fields_by_id_and_by_code_when_codes_are_refused(clock: FakeClock, serve: Serve) -> None:
    """GET /catalogs/{id}/custom_fields gives the ids to write by; an account that refuses
    field_code writes (catalog_field_codes=False) still takes the same values by field_id."""
    emu = AmoEmulator(clock=clock, rps_limit=None, catalog_field_codes=False)
    api = serve(emu)
    fields = api.get(f"/api/v4/catalogs/{PRODUCTS_CATALOG_ID}/custom_fields").json()["_embedded"]["custom_fields"]
    ids = {f["code"]: f["id"] for f in fields}
    assert {f["catalog_id"] for f in fields} == {PRODUCTS_CATALOG_ID} and {"SKU", "PRICE"} <= set(ids)
    assert next(f for f in fields if f["code"] == "PRICE")["type"] == "price"
    url = f"/api/v4/catalogs/{PRODUCTS_CATALOG_ID}/elements"
    by_code = [{"name": "Чайник", "custom_fields_values": [{"field_code": "SKU", "values": [{"value": "S-1"}]}]}]
    errors = _validation(api.post(url, by_code))
    assert errors[0]["errors"][0]["path"] == "custom_fields_values.0.field_code"
    assert emu.catalog_elements == {}
    by_id = [{"name": "Чайник", "custom_fields_values": [{"field_id": ids["SKU"], "values": [{"value": "S-1"}]},
                                                       {"field_id": ids["PRICE"], "values": [{"value": 990}]}]}]
    (element,) = api.post(url, by_id).json()["_embedded"]["elements"]
    values = {f["field_code"]: f["values"][0]["value"] for f in element["custom_fields_values"]}
    assert values == {"SKU": "S-1", "PRICE": "990"}


def test_account_pipelines_and_unknown_route(amo: tuple[AmoEmulator, Api]) -> None:
    emu, api = amo
    account = api.get("/api/v4/account").json()
    assert (account["id"], account["currency"], account["country"], account["subdomain"]) == \
        (emu.account_id, "KZT", "KZ", "sandbox")
    pipelines = api.get("/api/v4/leads/pipelines").json()["_embedded"]["pipelines"]
    kaspi = next(p for p in pipelines if p["id"] == 7000001)
    assert kaspi["name"] == "Kaspi заказы" and not kaspi["is_main"]
    statuses = {s["id"]: s for s in kaspi["_embedded"]["statuses"]}
    assert {70000011, 70000012, 70000013, 142, 143} <= set(statuses)
    assert any(s["type"] == 1 for s in statuses.values())
    assert next(p for p in pipelines if p["id"] == 7000002)["is_main"]
    only = api.get("/api/v4/leads/pipelines/7000001/statuses").json()["_embedded"]["statuses"]
    assert [s["id"] for s in only] == list(statuses)
    assert "Cannot GET" in _problem(api.get("/api/v4/nope"), 404)["detail"]


# ---------------------------------------------------------------- faults and counters


def test_fault_injection_and_counters(amo: tuple[AmoEmulator, Api]) -> None:
    emu, api = amo
    emu.reset_counters()
    emu.apply_then_drop_next(1)
    with pytest.raises(requests.ConnectionError):
        api.post("/api/v4/leads", [{"name": "Kaspi #7"}])
    assert len(emu.leads_named("Kaspi #7")) == 1  # applied although the client saw an error

    emu.drop_next(1)
    with pytest.raises(requests.ConnectionError):
        api.post("/api/v4/leads", [{"name": "Kaspi #8"}])
    assert emu.leads_named("Kaspi #8") == []

    emu.fail_next(2, 500)
    assert _problem(api.get("/api/v4/account"), 500)["title"] == "ErrInternalServer"
    assert _problem(api.post("/api/v4/leads", [{"name": "Kaspi #9"}]), 500)
    assert emu.leads_named("Kaspi #9") == []
    emu.fail_next(1, 403)
    assert "nginx" in api.get("/api/v4/account").text
    assert api.get("/api/v4/account").status_code == 200

    assert emu.api_requests == 6
    assert emu.write_requests == 1
    assert emu.too_many_requests == 0
    assert emu.request_log[0] == ("POST", "/api/v4/leads", 200)
    emu.reset_counters()
    assert (emu.api_requests, emu.write_requests, emu.request_log) == (0, 0, [])


def test_concurrent_writes_get_unique_ids(amo: tuple[AmoEmulator, Api]) -> None:
    emu, api = amo
    ids: list[int] = []

    def worker() -> None:
        with requests.Session() as session:
            for _ in range(5):
                resp = session.post(api.url + "/api/v4/contacts", json=[{"name": "c"}],
                                    headers={"Authorization": f"Bearer {api.token}"}, timeout=5)
                ids.append(resp.json()["_embedded"]["contacts"][0]["id"])

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(ids)) == 30 == len(emu.contacts)
