"""The sandbox's HTTP surface: auth, paging, documents, admin endpoints, persistence, binding."""

from __future__ import annotations

import base64
import json
import socket
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import requests

from alegra_sync.sandbox import SandboxServer

if TYPE_CHECKING:
    from conftest import Api, Builder

RATE_HEADERS = ("X-Rate-Limit-Limit", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset")


# -- transport -------------------------------------------------------------------------------


def test_url_and_admin_url(sandbox: SandboxServer) -> None:
    assert sandbox.url == f"http://127.0.0.1:{sandbox.port}/api/v1"
    assert sandbox.admin_url == f"http://127.0.0.1:{sandbox.port}/_sandbox"
    assert sandbox.port > 0


@pytest.mark.parametrize(
    "auth",
    [None, (SandboxServer.USER, "wrong-token"), ("other@example.com", SandboxServer.TOKEN)],
)
def test_bad_credentials_get_401(sandbox: SandboxServer, auth: tuple[str, str] | None) -> None:
    response = requests.get(sandbox.url + "/company", auth=auth, timeout=5)
    assert response.status_code == 401
    assert response.json()["code"] == 401
    assert all(header in response.headers for header in RATE_HEADERS)
    assert SandboxServer.TOKEN not in response.text


def test_garbled_authorization_header_gets_401(sandbox: SandboxServer) -> None:
    headers = {"Authorization": "Basic " + base64.b64encode(b"no-colon").decode() + "!!"}
    response = requests.get(sandbox.url + "/company", headers=headers, timeout=5)
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/invoices"),
        ("GET", "/journals/1/entries"),
        ("PATCH", "/journals/1"),
        ("POST", "/categories"),
        ("DELETE", "/payments/1"),
        ("GET", "/../company"),
    ],
)
def test_unknown_paths_get_403_like_alegra(api: Api, method: str, path: str) -> None:
    response = api.request(method, path)
    assert response.status_code == 403
    assert response.json()["code"] == 403
    assert all(header in response.headers for header in RATE_HEADERS)


def test_paths_outside_the_api_get_403(sandbox: SandboxServer) -> None:
    auth = (SandboxServer.USER, SandboxServer.TOKEN)
    response = requests.get(f"http://127.0.0.1:{sandbox.port}/", auth=auth, timeout=5)
    assert response.status_code == 403


def test_user_and_company(api: Api) -> None:
    user = api.get("/users/self")
    assert user.status_code == 200
    assert user.json()["email"] == SandboxServer.USER
    company = api.get("/company").json()
    assert company["name"] == "Demo Nómina S.A.S."
    assert company["identification"] == "900123456"
    assert company["decimalPrecision"] == "0"


# -- paging ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/contacts", "/journals", "/payments", "/cost-centers"])
def test_limit_over_thirty_is_refused(api: Api, path: str) -> None:
    response = api.get(path, params={"limit": 31})
    assert response.status_code == 400
    assert response.json()["code"] == 400
    assert "limit" in response.json()["message"]
    assert api.get(path, params={"limit": 30}).status_code == 200


@pytest.mark.parametrize("params", [{"limit": "x"}, {"start": "-1"}])
def test_bad_paging_parameters_are_refused(api: Api, params: dict[str, str]) -> None:
    assert api.get("/contacts", params=params).status_code == 400


def test_paging_and_metadata(recorded_api: Api) -> None:
    first = recorded_api.get("/contacts", params={"limit": 10}).json()
    second = recorded_api.get("/contacts", params={"start": 10, "limit": 10}).json()
    assert len(first) == len(second) == 10
    assert {c["id"] for c in first}.isdisjoint(c["id"] for c in second)
    wrapped = recorded_api.get("/contacts", params={"metadata": "true", "start": 30}).json()
    assert wrapped["metadata"] == {"total": 31}
    assert len(wrapped["data"]) == 1


# -- catalogs --------------------------------------------------------------------------------


def test_plain_categories_are_the_demo_chart(api: Api) -> None:
    categories = api.get("/categories", params={"format": "plain"}).json()
    assert len(categories) == 50
    salaries = next(c for c in categories if c["id"] == "5053")
    assert salaries == {
        "id": "5053",
        "idParent": "5052",
        "name": "Sueldos",
        "text": "Sueldos",
        "code": "510506",
        "description": "",
        "type": "expense",
        "readOnly": False,
        "nature": "debit",
        "blocked": "no",
        "status": "active",
        "categoryRule": None,
        "use": "movement",
        "showThirdPartyBalance": True,
    }
    assert api.get("/categories/5053").json() == salaries
    assert api.get("/categories/9999").status_code == 404


def test_category_filters(api: Api) -> None:
    inactive = api.get("/categories", params={"format": "plain", "status": "inactive"}).json()
    assert [c["id"] for c in inactive] == ["5066"]
    named = api.get("/categories", params={"format": "plain", "name": "sueldos"}).json()
    assert [c["id"] for c in named] == ["5053", "5072"]
    equity = api.get("/categories", params={"format": "plain", "type": "equity"}).json()
    assert [c["id"] for c in equity] == ["5040"]


def test_categories_tree(api: Api) -> None:
    roots = api.get("/categories").json()
    assert [r["name"] for r in roots] == ["Activos", "Pasivos", "Patrimonio", "Ingresos", "Gastos"]
    gastos = roots[-1]
    personal = gastos["children"][0]["children"][0]
    assert personal["code"] == "5105"
    assert [c["code"] for c in personal["children"]][:2] == ["510506", "510515"]
    assert personal["children"][0]["children"] == []


def test_cost_centers_and_bank_accounts(api: Api) -> None:
    assert [c["name"] for c in api.get("/cost-centers").json()] == ["Administración", "Ventas"]
    assert api.get("/cost-centers/2").json()["code"] == "VEN"
    banks = api.get("/bank-accounts").json()
    assert [(b["id"], b["type"]) for b in banks] == [("1", "cash"), ("2", "bank")]
    assert api.get("/bank-accounts/2").json()["number"] == "0093230987"
    assert api.get("/bank-accounts/7").status_code == 404


# -- contacts --------------------------------------------------------------------------------


def test_demo_entities_are_contacts(api: Api) -> None:
    found = api.get("/contacts", params={"identification": "800088702"}).json()
    assert len(found) == 1
    assert found[0]["name"] == "EPS Sura"
    assert found[0]["identificationObject"] == {"type": "NIT", "number": "800088702"}
    assert api.get("/contacts", params={"identification": "80008870"}).json() == []
    assert [c["name"] for c in api.get("/contacts", params={"query": "afp"}).json()] == [
        "Protección AFP",
        "Porvenir AFP",
    ]
    assert len(api.get("/contacts", params={"query": "8999"}).json()) == 2


def test_create_contact_as_alegra_sync_sends_it(api: Api) -> None:
    body = {
        "identification": {"type": "CC", "number": "1020304050"},
        "nameObject": {"firstName": "Ana", "lastName": "Gómez"},
        "kindOfPerson": "PERSON_ENTITY",
        "type": ["provider"],
    }
    response = api.post("/contacts", json=body)
    assert response.status_code == 201
    contact = response.json()
    assert contact["id"] == "3001"
    assert contact["name"] == "Ana Gómez"
    assert contact["identification"] == "1020304050"
    assert contact["identificationObject"] == {"type": "CC", "number": "1020304050"}
    assert contact["kindOfPerson"] == "PERSON_ENTITY"
    assert contact["type"] == ["provider"]
    assert api.get("/contacts", params={"identification": "1020304050"}).json() == [contact]
    second = api.post("/contacts", json={"name": "Luis", "identification": "77"}).json()
    assert second["id"] == "3002"
    assert second["identificationObject"] == {"type": None, "number": "77"}


# -- journals --------------------------------------------------------------------------------


def test_journal_is_stored_as_alegra_answers_it(api: Api, make_journal: Builder) -> None:
    body = make_journal(
        {"id": "5053", "debit": 1500000, "costCenter": {"id": "1"}, "description": "Sueldos"},
        {"id": "5061", "debit": 127500, "client": {"id": "1"}},
        {"id": "5015", "credit": 127500, "client": 1},
        {"id": "5023", "credit": 1500000},
        client="9",
        observations="Nómina enero",
    )
    response = api.post("/journals", json=body)
    assert response.status_code == 201
    journal = response.json()
    assert journal["id"] == "1001"
    assert journal["total"] == 1627500
    assert journal["status"] == "open"
    assert journal["reference"] == "alegra-sync 2026-01-01/J1 #abc"
    assert journal["observations"] == "Nómina enero"
    assert journal["client"]["name"] == "Colpensiones"
    lines = [
        (e["id"], e["name"], e["debit"], e["credit"], e["client"]["id"], e["costCenter"])
        for e in journal["entries"]
    ]
    assert lines == [
        ("5053", "Sueldos", 1500000, 0, "9", {"id": "1", "name": "Administración"}),
        ("5061", "Aportes a entidades promotoras de salud EPS", 127500, 0, "1", None),
        ("5015", "Aportes a entidades promotoras de salud EPS", 0, 127500, "1", None),
        ("5023", "Salarios por pagar", 0, 1500000, "9", None),
    ]
    assert journal["entries"][0]["description"] == "Sueldos"
    assert all(e["type"] == "category" for e in journal["entries"])
    assert api.get("/journals/1001").json() == journal
    assert api.server.store.dump()["journals"] == [journal]


def test_journal_accepts_zero_on_the_other_side_and_text_amounts(
    api: Api, make_journal: Builder
) -> None:
    body = make_journal(
        {"id": "5053", "debit": "1000", "credit": 0}, {"id": "5023", "credit": 1000}
    )
    assert api.post("/journals", json=body).status_code == 201


def test_journal_list_filters_and_order(api: Api, make_journal: Builder) -> None:
    api.post("/journals", json=make_journal(reference="alegra-sync 2026-01-01/J1 #aaa"))
    api.post("/journals", json=make_journal(reference="alegra-sync 2026-01-01/J2 #aaa"))
    api.post(
        "/journals",
        json=make_journal(reference="alegra-sync 2026-02-01/J1 #bbb", date="2026-02-28"),
    )
    api.post("/journals", json=make_journal(reference=None))
    listed = api.get("/journals").json()
    assert [j["id"] for j in listed] == ["1004", "1003", "1002", "1001"]  # newest first
    period = api.get("/journals", params={"reference": "alegra-sync 2026-01-01/"}).json()
    assert [j["reference"] for j in period] == [
        "alegra-sync 2026-01-01/J2 #aaa",
        "alegra-sync 2026-01-01/J1 #aaa",
    ]
    dated = api.get("/journals", params={"date": "2026-02-28"}).json()
    assert [j["id"] for j in dated] == ["1003"]
    assert api.get("/journals", params={"reference": "nada"}).json() == []


def test_put_replaces_the_whole_journal(api: Api, make_journal: Builder) -> None:
    created = api.post(
        "/journals", json=make_journal(client="1", observations="primera versión")
    ).json()
    body = {
        "entries": [{"id": "5054", "debit": 2000}, {"id": "5023", "credit": 2000}],
        "reference": "alegra-sync 2026-01-01/J1 #def",
    }
    response = api.put(f"/journals/{created['id']}", json=body)
    assert response.status_code == 200
    replaced = response.json()
    assert replaced["id"] == created["id"]
    assert replaced["date"] == created["date"]  # kept when not sent, as recorded
    assert replaced["client"] is None
    assert replaced["observations"] is None
    assert replaced["total"] == 2000
    assert [(e["id"], e["client"]) for e in replaced["entries"]] == [("5054", None), ("5023", None)]
    assert api.get(f"/journals/{created['id']}").json() == replaced
    assert api.put("/journals/9999", json=body).status_code == 404


def test_delete_journal(api: Api, make_journal: Builder) -> None:
    created = api.post("/journals", json=make_journal()).json()
    response = api.delete(f"/journals/{created['id']}")
    assert response.status_code == 200
    assert response.json() == {
        "code": 200,
        "message": "El comprobante contable fue eliminado correctamente",
    }
    assert api.get("/journals").json() == []
    assert api.get(f"/journals/{created['id']}").status_code == 404
    assert api.delete(f"/journals/{created['id']}").status_code == 404
    dump = api.server.store.dump()
    assert dump["journals"] == []
    assert dump["deleted_journals"] == [created]


# -- payments --------------------------------------------------------------------------------


def test_egreso_is_stored_as_alegra_answers_it(api: Api, make_egreso: Builder) -> None:
    body = make_egreso(
        {"id": "5023", "price": 1500000, "quantity": 1, "observations": "Ana Gómez"},
        {"id": "5023", "price": 250000, "quantity": 2},
        client={"id": "3"},
        numberTemplate={"id": "5"},
    )
    response = api.post("/payments", json=body)
    assert response.status_code == 201
    payment = response.json()
    assert payment["id"] == "2001"
    assert payment["type"] == "out"
    assert payment["amount"] == 2000000
    assert payment["status"] == "open"
    assert payment["bankAccount"] == {"id": "2", "name": "Bancolombia nómina"}
    assert payment["client"]["name"] == "Protección AFP"
    assert payment["paymentMethod"] == "transfer"
    assert payment["observations"] == "alegra-sync 2026-01-01/P1 #abc"
    assert payment["categories"] == [
        {
            "id": "5023",
            "name": "Salarios por pagar",
            "price": 1500000,
            "quantity": 1,
            "observations": "Ana Gómez",
        },
        {
            "id": "5023",
            "name": "Salarios por pagar",
            "price": 250000,
            "quantity": 2,
            "observations": None,
        },
    ]
    assert api.get("/payments/2001").json() == payment


def test_payment_list_order_and_void(api: Api, make_egreso: Builder) -> None:
    for day in ("2026-01-31", "2026-02-28", "2026-01-31"):
        assert api.post("/payments", json=make_egreso(date=day)).status_code == 201
    assert [p["id"] for p in api.get("/payments").json()] == ["2001", "2002", "2003"]
    newest = api.get(
        "/payments", params={"type": "out", "order_field": "date", "order_direction": "DESC"}
    ).json()
    assert [p["id"] for p in newest] == ["2002", "2003", "2001"]
    oldest = api.get("/payments", params={"order_field": "date"}).json()
    assert [p["id"] for p in oldest] == ["2001", "2003", "2002"]
    assert api.get("/payments", params={"type": "in"}).json() == []
    assert api.get("/payments", params={"order_field": "amount"}).status_code == 400
    assert api.get("/payments", params={"order_direction": "UP"}).status_code == 400

    voided = api.post("/payments/2002/void")
    assert voided.status_code == 200
    assert voided.json()["status"] == "void"
    assert [p["status"] for p in api.get("/payments").json()] == ["open", "void", "open"]
    again = api.post("/payments/2002/void")
    assert again.status_code == 400
    assert "anulado" in again.json()["message"]
    assert api.post("/payments/9999/void").status_code == 404


# -- admin endpoints -------------------------------------------------------------------------


def test_dump_counts_api_requests_and_reset_goes_back_to_the_seed(
    api: Api, make_journal: Builder
) -> None:
    api.get("/company")
    api.post("/journals", json=make_journal())
    api.put("/journals/1001", json=make_journal())
    api.delete("/journals/1001")
    api.post("/contacts", json={"name": "Ana", "identification": "1"})
    admin = api.server.admin_url
    dump = requests.get(f"{admin}/dump", timeout=5).json()
    assert dump["requests"] == {"GET": 1, "POST": 2, "PUT": 1, "DELETE": 1}
    assert [(e["method"], e["path"], e["status"]) for e in dump["log"]] == [
        ("GET", "/api/v1/company", 200),
        ("POST", "/api/v1/journals", 201),
        ("PUT", "/api/v1/journals/1001", 200),
        ("DELETE", "/api/v1/journals/1001", 200),
        ("POST", "/api/v1/contacts", 201),
    ]
    assert dump["company"]["name"] == "Demo Nómina S.A.S."
    assert len(dump["contacts"]) == 10
    assert [j["id"] for j in dump["deleted_journals"]] == ["1001"]

    assert requests.post(f"{admin}/reset", timeout=5).status_code == 200
    dump = requests.get(f"{admin}/dump", timeout=5).json()
    assert dump["journals"] == dump["deleted_journals"] == dump["payments"] == []
    assert len(dump["contacts"]) == 9
    assert dump["requests"] == {"GET": 0, "POST": 0, "PUT": 0, "DELETE": 0}
    assert api.post("/journals", json=make_journal()).json()["id"] == "1001"
    assert requests.get(f"{admin}/nothing", timeout=5).status_code == 404


# -- persistence and lifecycle ---------------------------------------------------------------


def test_state_survives_a_restart_with_data_dir(
    tmp_path: Path, make_journal: Builder, make_egreso: Builder
) -> None:
    auth = (SandboxServer.USER, SandboxServer.TOKEN)
    with SandboxServer(data_dir=tmp_path) as first:
        requests.post(first.url + "/journals", json=make_journal(), auth=auth, timeout=5)
        requests.post(first.url + "/payments", json=make_egreso(), auth=auth, timeout=5)
        requests.post(first.url + "/payments/2001/void", auth=auth, timeout=5)
    saved = json.loads((tmp_path / "sandbox-state.json").read_text(encoding="utf-8"))
    assert saved["seed"] == "demo"
    with SandboxServer(data_dir=tmp_path) as second:
        assert [j["id"] for j in second.store.dump()["journals"]] == ["1001"]
        payment = requests.get(second.url + "/payments/2001", auth=auth, timeout=5).json()
        assert payment["status"] == "void"
        created = requests.post(second.url + "/journals", json=make_journal(), auth=auth, timeout=5)
        assert created.json()["id"] == "1002"
    with pytest.raises(ValueError, match="holds a 'demo' sandbox"):
        SandboxServer(data_dir=tmp_path, seed="recorded")


def test_in_memory_state_is_fresh_each_start(make_journal: Builder) -> None:
    auth = (SandboxServer.USER, SandboxServer.TOKEN)
    with SandboxServer() as first:
        requests.post(first.url + "/journals", json=make_journal(), auth=auth, timeout=5)
    with SandboxServer() as second:
        assert second.store.dump()["journals"] == []


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.com", "::"])
def test_non_loopback_host_is_refused(host: str) -> None:
    with pytest.raises(ValueError, match="loopback"):
        SandboxServer(host=host)


def test_stop_frees_the_port() -> None:
    server = SandboxServer().start()
    port = server.port
    server.stop()
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))
    with pytest.raises(requests.ConnectionError):
        requests.get(server.url + "/company", timeout=2)


def test_fixed_port_and_unknown_seed(make_sandbox: Callable[..., SandboxServer]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = make_sandbox(port=port)
    assert server.url == f"http://127.0.0.1:{port}/api/v1"
    with pytest.raises(ValueError, match="unknown sandbox seed"):
        SandboxServer(seed="nope")  # type: ignore[arg-type]
