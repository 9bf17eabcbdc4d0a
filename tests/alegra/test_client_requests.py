"""AlegraClient against a mocked Alegra (``responses``): auth, timeouts, bodies, errors."""

from __future__ import annotations

import base64
import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from alegra.helpers import BASE, TOKEN, USER, MakeClient, Mock, Replay
from alegra_sync.alegra.client import AlegraClient
from alegra_sync.errors import AlegraError, AuthError, ConfigError, ExitCode

# --- transport basics ------------------------------------------------------------------------


def test_auth_timeouts_and_typed_company_and_user(
    client: AlegraClient, replay: Replay, mocked: Mock
) -> None:
    replay("company")
    replay("self_user")
    company = client.company()
    user = client.self_user()
    assert (company.name, company.identification, company.currency) == (
        "Pruebas API Nominapp", "859082911", "COP",
    )
    assert company.decimal_precision == 2
    assert user.email == "contact22e99c@example.com"
    expected_auth = "Basic " + base64.b64encode(f"{USER}:{TOKEN}".encode()).decode()
    for call in mocked.calls:
        assert call.request.headers["Authorization"] == expected_auth
        assert call.request.req_kwargs["timeout"] == (5.0, 30.0)  # type: ignore[attr-defined]
    assert client.requests_sent == {"GET": 2}


def test_every_verb_carries_the_configured_timeouts(
    make_client: MakeClient, mocked: Mock
) -> None:
    client = make_client(connect_timeout=2.5, read_timeout=12.0)
    for method in ("GET", "POST", "PUT", "DELETE"):
        mocked.add(method, BASE + "/journals/1", json={"id": "1"})
    client.get("/journals/1")
    client.post("/journals/1", {"a": 1})
    client.put("/journals/1", {"a": 1})
    client.delete("/journals/1")
    assert [c.request.method for c in mocked.calls] == ["GET", "POST", "PUT", "DELETE"]
    assert [c.request.req_kwargs["timeout"] for c in mocked.calls] == [(2.5, 12.0)] * 4  # type: ignore[attr-defined]
    assert client.requests_sent == {"GET": 1, "POST": 1, "PUT": 1, "DELETE": 1}


def test_categories_is_one_request(client: AlegraClient, replay: Replay, mocked: Mock) -> None:
    replay("categories")
    accounts = client.categories()
    assert len(accounts) == 93
    assert len(mocked.calls) == 1
    assert mocked.calls[0].request.url == BASE + "/categories?format=plain"
    assert client.requests_sent == {"GET": 1}


def test_json_is_read_even_when_labelled_html(client: AlegraClient, mocked: Mock) -> None:
    mocked.add("GET", BASE + "/company", body='{"name": "ACME", "decimalPrecision": "0"}',
               content_type="text/html; charset=UTF-8")
    assert client.company().name == "ACME"


def test_empty_body_is_none(client: AlegraClient, mocked: Mock) -> None:
    mocked.add("DELETE", BASE + "/journals/3352", body="", status=200)
    mocked.add("GET", BASE + "/ping", body="  \n", status=200)
    assert client.delete("/journals/3352") is None
    assert client.get("/ping") is None


def test_delete_journal_recorded(client: AlegraClient, replay: Replay, mocked: Mock) -> None:
    replay("delete_journal")
    client.delete_journal("3352")
    assert client.requests_sent == {"DELETE": 1}
    assert mocked.calls[0].request.url == BASE + "/journals/3352"


def test_create_journal_sends_the_payload_as_json(
    client: AlegraClient, replay: Replay, mocked: Mock
) -> None:
    exchange = replay("create_simple_journal")
    journal = client.create_journal(exchange["request"]["json"])
    assert (journal.id, journal.total) == ("3352", Decimal(4250660))
    assert journal.date == date(2024, 6, 18)
    sent = mocked.calls[0].request
    assert json.loads(sent.body) == exchange["request"]["json"]  # type: ignore[arg-type]
    assert sent.headers["Content-Type"] == "application/json"


def test_decimals_and_dates_are_sent_as_json_numbers_and_iso_dates(
    client: AlegraClient, mocked: Mock
) -> None:
    mocked.add("POST", BASE + "/journals", json={"id": "1", "date": "2026-11-15"}, status=201)
    client.create_journal({
        "date": date(2026, 11, 15),
        "entries": [{"id": "5009", "debit": Decimal("3000000.00")},
                    {"id": "5048", "credit": Decimal("2999999.95")},
                    {"id": "5010", "credit": Decimal("0.05")}],
    })
    raw = mocked.calls[0].request.body
    assert json.loads(raw) == {  # type: ignore[arg-type]
        "date": "2026-11-15",
        "entries": [{"id": "5009", "debit": 3000000}, {"id": "5048", "credit": 2999999.95},
                    {"id": "5010", "credit": 0.05}],
    }
    assert b'"credit": 2999999.95' in raw  # type: ignore[operator]


def test_update_journal_with_put(client: AlegraClient, replay: Replay, mocked: Mock) -> None:
    exchange = replay("update_journal")
    answer = client.put("/journals/3352", exchange["request"]["json"])
    assert answer["total"] == 4150660
    assert client.requests_sent == {"PUT": 1}


def test_get_journal_and_lists_of_accounts(
    client: AlegraClient, replay: Replay, mocked: Mock
) -> None:
    replay("simple_journal")
    replay("cost_centers")
    replay("bank_accounts")
    assert client.get_journal("191").total == Decimal(4012305)
    assert [c.name for c in client.cost_centers()] == ["administrativo"]
    assert [b.id for b in client.bank_accounts()] == ["6", "1", "4", "8", "7"]
    assert mocked.calls[1].request.params == {"start": "0", "limit": "30"}  # type: ignore[attr-defined]
    assert client.requests_sent == {"GET": 3}


def test_create_contact_and_payment(client: AlegraClient, replay: Replay, mocked: Mock) -> None:
    replay("create_completed_contact")
    mocked.add("POST", BASE + "/payments", status=201, json={
        "id": "77", "date": "2026-11-16", "type": "out", "bankAccount": {"id": "4"},
        "total": 1500000, "observations": "alegra-sync 2026-11-01/P1 #3fa2c1d0",
        "categories": [{"id": "5047", "price": 1500000, "quantity": 1}],
    })
    contact = client.create_contact({"name": "Armando Casas"})
    assert (contact.id, contact.identification) == ("921", "515619683")
    payment = client.create_payment({"type": "out"})
    assert (payment.id, payment.amount, payment.bank_account_id) == ("77", Decimal(1500000), "4")


# --- errors -----------------------------------------------------------------------------------


def test_wrapped_error_shape_from_the_recording(
    client: AlegraClient, replay: Replay, clock: Any
) -> None:
    exchange = replay("create_simple_invoice")
    with pytest.raises(AlegraError) as caught:
        client.post("/invoices", exchange["request"]["json"])
    exc = caught.value
    assert type(exc) is AlegraError
    assert str(exc) == (
        "Alegra answered 400 to POST /invoices: La factura no se pudo emitir porque La compañía "
        "no ha sido configurada para emitir facturas electrónicas (code 3051)"
    )
    assert (exc.status, exc.code, exc.exit_code) == (400, 3051, ExitCode.DATA)
    assert clock.sleeps == []
    assert client.requests_sent == {"POST": 1}


def test_flat_error_shape(client: AlegraClient, mocked: Mock) -> None:
    mocked.add("POST", BASE + "/journals", status=400,
               json={"code": 1008, "message": "La cuenta contable no existe"})
    with pytest.raises(AlegraError) as caught:
        client.create_journal({})
    assert caught.value.message == (
        "Alegra answered 400 to POST /journals: La cuenta contable no existe (code 1008)"
    )
    assert (caught.value.status, caught.value.code) == (400, 1008)


def test_404_is_an_alegra_error_with_status(client: AlegraClient, mocked: Mock) -> None:
    mocked.add("GET", BASE + "/journals/9", status=404,
               json={"code": 404, "message": "No se encontró el comprobante"})
    with pytest.raises(AlegraError) as caught:
        client.get_journal("9")
    assert type(caught.value) is AlegraError
    assert caught.value.status == 404
    assert caught.value.exit_code == 65
    assert client.requests_sent == {"GET": 1}


@pytest.mark.parametrize(
    ("status", "message", "hint"),
    [
        (401, "Alegra refused the user or token (401 to GET /users/self)",
         "run `alegra-sync connect`, or fix ALEGRA_SYNC_USER and ALEGRA_SYNC_TOKEN if set: "
         "they override credentials.toml"),
        (402, "Alegra's plan for this company lacks API access (402 to GET /users/self)",
         "the API needs an Alegra plan that includes it; check the subscription"),
        (403, "the Alegra user lacks permission for GET /users/self "
              "(403: No tienes permisos (code 403))",
         "ask the company's Alegra admin for the permission, or check the base URL"),
    ],
)
def test_auth_errors(
    client: AlegraClient, mocked: Mock, status: int, message: str, hint: str
) -> None:
    mocked.add("GET", BASE + "/users/self", status=status,
               json={"code": status, "message": "No tienes permisos"})
    with pytest.raises(AuthError) as caught:
        client.self_user()
    assert caught.value.message == message
    assert caught.value.hint == hint
    assert (caught.value.status, caught.value.exit_code) == (status, ExitCode.NOPERM)
    assert client.requests_sent == {"GET": 1}


def test_invalid_base_url_is_a_config_error(clock: Any) -> None:
    client = AlegraClient("127.0.0.1:9/api/v1", USER, TOKEN, sleep=clock.sleep, clock=clock)
    with pytest.raises(ConfigError) as caught:
        client.company()
    assert caught.value.exit_code == ExitCode.CONFIG
    assert clock.sleeps == []


def test_context_manager_closes_the_session(client: AlegraClient) -> None:
    closed: list[bool] = []
    client._session.close = lambda: closed.append(True)  # type: ignore[method-assign]
    with client as same:
        assert same is client
    assert closed == [True]
