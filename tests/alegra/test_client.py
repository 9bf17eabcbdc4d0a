"""AlegraClient against a mocked Alegra (``responses``); transport failures also on real sockets."""

from __future__ import annotations

import base64
import http.client
import json
import logging
import socket
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import requests
import responses
from urllib3.exceptions import MaxRetryError, NewConnectionError, ProtocolError

from alegra_sync.alegra.client import AlegraClient
from alegra_sync.errors import (
    AlegraError,
    AuthError,
    ConfigError,
    ExitCode,
    RateLimitError,
    UnavailableError,
    UncertainWriteError,
)

# The same values as conftest.py (test modules cannot import it).
BASE = "http://127.0.0.1:9/api/v1"
USER = "payroll@example.com"
TOKEN = "tok3n-S3CRET-abcdef12"

MakeClient = Callable[..., AlegraClient]
Replay = Callable[[str], dict[str, Any]]
Mock = responses.RequestsMock


def _refused() -> requests.exceptions.ConnectionError:
    """What requests raises when nothing listens on the port (built like requests builds it)."""
    reason = NewConnectionError(None, "Failed to establish a new connection: refused")  # type: ignore[arg-type]
    reason.__cause__ = ConnectionRefusedError(111, "Connection refused")
    return requests.exceptions.ConnectionError(MaxRetryError(None, "/x", reason))  # type: ignore[arg-type]


def _dropped() -> requests.exceptions.ConnectionError:
    """What requests raises when the server closes the connection after the request was sent."""
    cause = http.client.RemoteDisconnected("Remote end closed connection without response")
    return requests.exceptions.ConnectionError(ProtocolError("Connection aborted.", cause))


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


# --- pagination -------------------------------------------------------------------------------


def _items(first: int, count: int) -> list[dict[str, Any]]:
    return [{"id": str(n), "name": f"n{n}"} for n in range(first, first + count)]


def test_paginate_pages_of_30_until_a_short_page(client: AlegraClient, mocked: Mock) -> None:
    mocked.add("GET", BASE + "/contacts", json=_items(0, 30))
    mocked.add("GET", BASE + "/contacts", json={"metadata": {"total": 65}, "data": _items(30, 30)})
    mocked.add("GET", BASE + "/contacts", json=_items(60, 5))
    items = list(client.paginate("/contacts", {"query": "x"}, limit=100))
    assert [item["id"] for item in items] == [str(n) for n in range(65)]
    assert [c.request.params for c in mocked.calls] == [  # type: ignore[attr-defined]
        {"query": "x", "start": "0", "limit": "30"},
        {"query": "x", "start": "30", "limit": "30"},
        {"query": "x", "start": "60", "limit": "30"},
    ]


def test_paginate_stops_on_an_empty_page(client: AlegraClient, mocked: Mock) -> None:
    mocked.add("GET", BASE + "/journals", json=_items(0, 10))
    mocked.add("GET", BASE + "/journals", json=_items(10, 10))
    mocked.add("GET", BASE + "/journals", json=[])
    assert len(list(client.paginate("/journals", limit=10))) == 20
    assert client.requests_sent == {"GET": 3}


def test_paginate_stops_if_the_server_ignores_start(client: AlegraClient, mocked: Mock) -> None:
    mocked.add("GET", BASE + "/bank-accounts", json=_items(0, 30))
    mocked.add("GET", BASE + "/bank-accounts", json=_items(0, 30))
    assert len(list(client.paginate("/bank-accounts"))) == 30
    assert client.requests_sent == {"GET": 2}


def test_contacts_by_identification(client: AlegraClient, replay: Replay, mocked: Mock) -> None:
    replay("list_of_contacts")
    mocked.add("GET", BASE + "/contacts", json=[])
    contacts = list(client.contacts("645761799"))
    assert len(contacts) == 30
    assert [c.request.params for c in mocked.calls] == [  # type: ignore[attr-defined]
        {"identification": "645761799", "start": "0", "limit": "30"},
        {"identification": "645761799", "start": "30", "limit": "30"},
    ]


def test_journals_by_reference(client: AlegraClient, replay: Replay, mocked: Mock) -> None:
    replay("list_of_journals")
    mocked.add("GET", BASE + "/journals", json={"metadata": {"total": 30}, "data": []})
    journals = list(client.journals("alegra-sync 2026-11-01/"))
    assert len(journals) == 30
    assert mocked.calls[0].request.params == {  # type: ignore[attr-defined]
        "reference": "alegra-sync 2026-11-01/", "start": "0", "limit": "30",
    }


def test_payments_out_newest_first(client: AlegraClient, mocked: Mock) -> None:
    mocked.add("GET", BASE + "/payments", json=[
        {"id": "2", "date": "2026-11-16", "type": "out", "amount": 10},
        {"id": "1", "date": "2026-11-01", "type": "out", "amount": 20},
    ])
    assert [p.id for p in client.payments_out_newest_first()] == ["2", "1"]
    assert mocked.calls[0].request.params == {  # type: ignore[attr-defined]
        "type": "out", "order_direction": "DESC", "order_field": "date", "start": "0",
        "limit": "30",
    }


def test_void_payment(client: AlegraClient, mocked: Mock) -> None:
    mocked.add("POST", BASE + "/payments/77/void",
               json={"id": "77", "date": "2026-11-16", "status": "void"})
    mocked.add("POST", BASE + "/payments/78/void", json={"code": 200, "message": "ok"})
    voided = client.void_payment("77")
    assert voided is not None and voided.status == "void"
    assert client.void_payment("78") is None
    assert client.requests_sent == {"POST": 2}


def test_a_list_that_is_not_a_list(client: AlegraClient, mocked: Mock) -> None:
    mocked.add("GET", BASE + "/categories", json={"unexpected": True})
    with pytest.raises(AlegraError, match=r"answer to GET /categories is not a list"):
        client.categories()


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


# --- retries ----------------------------------------------------------------------------------


def test_get_retries_5xx_with_exponential_backoff(
    client: AlegraClient, mocked: Mock, clock: Any
) -> None:
    for _ in range(5):
        mocked.add("GET", BASE + "/company", status=503, body="<html>down</html>",
                   content_type="text/html")
    with pytest.raises(UnavailableError) as caught:
        client.company()
    assert clock.sleeps == [0.5, 1.0, 2.0, 4.0]
    assert client.requests_sent == {"GET": 5}
    assert caught.value.message == (
        "Alegra answered 503 to GET /company: Service Unavailable (5 attempts)"
    )
    assert (caught.value.status, caught.value.exit_code) == (503, ExitCode.UNAVAILABLE)


def test_get_recovers_after_a_5xx(client: AlegraClient, mocked: Mock, clock: Any) -> None:
    mocked.add("GET", BASE + "/company", status=502)
    mocked.add("GET", BASE + "/company", status=500, json={"code": 500, "message": "Error"})
    mocked.add("GET", BASE + "/company", json={"name": "ACME"})
    assert client.company().name == "ACME"
    assert clock.sleeps == [0.5, 1.0]
    assert client.requests_sent == {"GET": 3}


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_put_and_delete_retry_5xx(
    make_client: MakeClient, mocked: Mock, clock: Any, method: str
) -> None:
    client = make_client(max_retries=2, backoff=0.25)
    mocked.add(method, BASE + "/journals/5", status=502)
    mocked.add(method, BASE + "/journals/5", status=504)
    mocked.add(method, BASE + "/journals/5", json={"id": "5"})
    if method == "PUT":
        assert client.put("/journals/5", {"entries": []}) == {"id": "5"}
    else:
        assert client.delete("/journals/5") == {"id": "5"}
    assert clock.sleeps == [0.25, 0.5]
    assert client.requests_sent == {method: 3}


def test_post_5xx_is_uncertain_at_once(client: AlegraClient, mocked: Mock, clock: Any) -> None:
    mocked.add("POST", BASE + "/journals", status=502)
    with pytest.raises(UncertainWriteError) as caught:
        client.create_journal({"date": "2026-11-15"})
    assert caught.value.message == (
        "POST /journals: Alegra answered 502: Bad Gateway; Alegra may or may not have "
        "created the document"
    )
    assert (caught.value.status, caught.value.exit_code) == (502, ExitCode.TEMPFAIL)
    assert clock.sleeps == []
    assert client.requests_sent == {"POST": 1}


@pytest.mark.parametrize(
    ("failure", "what"),
    [
        (requests.exceptions.ReadTimeout("read timed out"), "no answer within 30 s"),
        (_dropped(), "the connection dropped before Alegra answered"),
        (requests.exceptions.ChunkedEncodingError("cut"), "the answer was cut off"),
    ],
)
def test_post_that_may_have_arrived_is_uncertain(
    client: AlegraClient, mocked: Mock, clock: Any, failure: Exception, what: str
) -> None:
    mocked.add("POST", BASE + "/journals", body=failure)
    with pytest.raises(UncertainWriteError) as caught:
        client.create_journal({"date": "2026-11-15"})
    assert caught.value.message == (
        f"POST /journals: {what}; Alegra may or may not have created the document"
    )
    assert caught.value.status is None
    assert caught.value.exit_code == ExitCode.TEMPFAIL
    assert clock.sleeps == []
    assert client.requests_sent == {"POST": 1}


@pytest.mark.parametrize(
    "failure", [requests.exceptions.ConnectTimeout("connect timed out"), _refused()]
)
def test_post_is_retried_when_nothing_was_sent(
    client: AlegraClient, mocked: Mock, clock: Any, failure: Exception
) -> None:
    mocked.add("POST", BASE + "/journals", body=failure)
    mocked.add("POST", BASE + "/journals", body=failure)
    mocked.add("POST", BASE + "/journals", json={"id": "3352", "date": "2026-11-15"}, status=201)
    assert client.create_journal({"date": "2026-11-15"}).id == "3352"
    assert clock.sleeps == [0.5, 1.0]
    assert client.requests_sent == {"POST": 3}


@pytest.mark.parametrize(
    ("failure", "what"),
    [
        (requests.exceptions.ReadTimeout("x"), "no answer within 30 s"),
        (requests.exceptions.ConnectTimeout("x"), "timed out connecting after 5 s"),
        (_refused(), "connection refused"),
        (_dropped(), "the connection dropped before Alegra answered"),
    ],
)
def test_get_retries_transport_failures_then_gives_up(
    client: AlegraClient, mocked: Mock, clock: Any, failure: Exception, what: str
) -> None:
    for _ in range(5):
        mocked.add("GET", BASE + "/categories", body=failure)
    with pytest.raises(UnavailableError) as caught:
        client.categories()
    assert caught.value.message == (
        f"could not reach Alegra at 127.0.0.1:9 for GET /categories: {what} (5 attempts)"
    )
    assert caught.value.status is None
    assert caught.value.exit_code == ExitCode.UNAVAILABLE
    assert clock.sleeps == [0.5, 1.0, 2.0, 4.0]
    assert client.requests_sent == {"GET": 5}


def test_non_json_success_body(client: AlegraClient, mocked: Mock) -> None:
    mocked.add("GET", BASE + "/company", body="<html>login</html>", content_type="text/html")
    mocked.add("POST", BASE + "/journals", body="<html>ok</html>", status=201)
    with pytest.raises(UnavailableError, match="with a body that is not JSON"):
        client.company()
    with pytest.raises(UncertainWriteError, match="may or may not have been created"):
        client.create_journal({})


def test_post_answer_that_does_not_parse_is_uncertain(client: AlegraClient, mocked: Mock) -> None:
    mocked.add("POST", BASE + "/journals", json={"ok": True}, status=201)
    with pytest.raises(UncertainWriteError) as caught:
        client.create_journal({})
    assert caught.value.message.startswith(
        "Alegra's answer to POST /journals is not a Journal as expected (id: Field required)"
    )


# --- rate limit -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "wait"),
    [({"X-Rate-Limit-Reset": "7"}, 7.0), ({"X-Rate-Limit-Reset": "-5"}, 1.0),
     ({"X-Rate-Limit-Reset": "600"}, 60.0), ({"X-Rate-Limit-Reset": "soon"}, 1.0), ({}, 1.0)],
)
def test_429_waits_for_the_reset_clamped(
    client: AlegraClient, mocked: Mock, clock: Any, headers: dict[str, str], wait: float
) -> None:
    mocked.add("GET", BASE + "/company", status=429, headers=headers,
               json={"code": 429, "message": "Too many requests"})
    mocked.add("GET", BASE + "/company", json={"name": "ACME"})
    assert client.company().name == "ACME"
    assert clock.sleeps == [wait]
    assert client.requests_sent == {"GET": 2}


def test_post_retries_a_400_that_means_429(client: AlegraClient, mocked: Mock, clock: Any) -> None:
    mocked.add("POST", BASE + "/journals", status=400,
               headers={"X-Rate-Limit-Remaining": "0", "X-Rate-Limit-Reset": "12"},
               json={"code": 429, "message": "Has superado el límite de peticiones"})
    mocked.add("POST", BASE + "/journals", status=201, json={"id": "9", "date": "2026-11-15"})
    assert client.create_journal({}).id == "9"
    # One wait only: the pacing must not wait for the same reset again.
    assert clock.sleeps == [12.0]
    assert client.requests_sent == {"POST": 2}


def test_rate_limit_that_does_not_recover(client: AlegraClient, mocked: Mock, clock: Any) -> None:
    for _ in range(5):
        mocked.add("GET", BASE + "/company", status=429, headers={"X-Rate-Limit-Reset": "3"})
    with pytest.raises(RateLimitError) as caught:
        client.company()
    assert caught.value.message == (
        "Alegra kept answering 429 (too many requests) to GET /company after 4 waits"
    )
    assert caught.value.exit_code == ExitCode.TEMPFAIL
    assert clock.sleeps == [3.0, 3.0, 3.0, 3.0]
    assert client.requests_sent == {"GET": 5}


@pytest.mark.parametrize(
    ("remaining", "reset", "sleeps"),
    [("1", "7", [7.0]), ("2", "20", [20.0]), ("0", "90", [60.0]), ("3", "7", []),
     ("1", "-4", []), ("1", "x", [])],
)
def test_pacing_waits_when_the_remaining_budget_is_low(
    client: AlegraClient, mocked: Mock, clock: Any, remaining: str, reset: str,
    sleeps: list[float],
) -> None:
    headers = {"X-Rate-Limit-Remaining": remaining, "X-Rate-Limit-Reset": reset}
    mocked.add("GET", BASE + "/company", json={"name": "A"}, headers=headers)
    mocked.add("GET", BASE + "/company", json={"name": "A"}, headers=headers)
    client.company()
    assert clock.sleeps == []
    client.company()
    assert clock.sleeps == sleeps


def test_pacing_never_exceeds_requests_per_minute(
    make_client: MakeClient, mocked: Mock, clock: Any
) -> None:
    client = make_client(requests_per_minute=3)
    mocked.add("GET", BASE + "/company", json={"name": "A"})
    for _ in range(3):
        client.company()
        clock.now += 10
    assert clock.sleeps == []
    client.company()  # the first of the three was 30 s ago
    assert clock.sleeps == [30.0]
    client.company()  # the second was sent at 10 s, now is 60 s
    assert clock.sleeps == [30.0, 10.0]
    assert client.requests_sent == {"GET": 5}


def test_requests_sent_counts_retries_by_method(
    client: AlegraClient, mocked: Mock, clock: Any
) -> None:
    mocked.add("GET", BASE + "/company", status=500)
    mocked.add("GET", BASE + "/company", json={"name": "A"})
    mocked.add("POST", BASE + "/journals", status=429)
    mocked.add("POST", BASE + "/journals", status=201, json={"id": "1", "date": "2026-01-01"})
    mocked.add("DELETE", BASE + "/journals/1", json={"code": 200, "message": "ok"})
    client.company()
    client.create_journal({})
    client.delete_journal("1")
    assert client.requests_sent == {"GET": 2, "POST": 2, "DELETE": 1}
    assert clock.sleeps == [0.5, 1.0]


# --- real sockets on loopback -----------------------------------------------------------------


@contextmanager
def raw_server(drop: bool) -> Iterator[str]:
    """A loopback server that reads a request and then drops it, or never answers."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    port = listener.getsockname()[1]
    stop = threading.Event()
    held: list[socket.socket] = []

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            conn.recv(65536)
            if drop:
                conn.close()
            else:
                held.append(conn)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/api/v1"
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        listener.close()


def test_real_refused_connection_post_is_retried_then_unavailable(clock: Any) -> None:
    client = AlegraClient(BASE, USER, TOKEN, max_retries=2, connect_timeout=2,
                          sleep=clock.sleep, clock=clock)
    with client, pytest.raises(UnavailableError) as caught:
        client.create_journal({"date": "2026-11-15"})
    assert caught.value.message == (
        "could not reach Alegra at 127.0.0.1:9 for POST /journals: connection refused "
        "(3 attempts)"
    )
    assert clock.sleeps == [0.5, 1.0]
    assert client.requests_sent == {"POST": 3}


def test_real_dropped_connection_post_is_uncertain_get_is_retried(clock: Any) -> None:
    with raw_server(drop=True) as base, AlegraClient(
        base, USER, TOKEN, max_retries=1, sleep=clock.sleep, clock=clock
    ) as client:
        with pytest.raises(UncertainWriteError) as uncertain:
            client.create_journal({"date": "2026-11-15"})
        with pytest.raises(UnavailableError) as unavailable:
            client.get("/company")
    assert uncertain.value.status is None
    assert "may or may not have created the document" in uncertain.value.message
    assert "for GET /company:" in unavailable.value.message
    assert clock.sleeps == [0.5]
    assert client.requests_sent == {"POST": 1, "GET": 2}


def test_real_read_timeout_post_is_uncertain(clock: Any) -> None:
    with raw_server(drop=False) as base, AlegraClient(
        base, USER, TOKEN, read_timeout=0.2, sleep=clock.sleep, clock=clock
    ) as client, pytest.raises(UncertainWriteError) as caught:
        client.create_journal({"date": "2026-11-15"})
    assert caught.value.message == (
        "POST /journals: no answer within 0.2 s; Alegra may or may not have created the document"
    )
    assert client.requests_sent == {"POST": 1}


# --- secrecy and logging ----------------------------------------------------------------------


def _scenarios() -> list[tuple[str, Callable[[Mock], object], str, type[Exception]]]:
    echo = {"code": 1, "message": f"token {TOKEN} inválido"}
    return [
        ("401", lambda m: m.add("GET", BASE + "/x", status=401, json=echo), "GET", AuthError),
        ("402", lambda m: m.add("GET", BASE + "/x", status=402, json=echo), "GET", AuthError),
        ("403", lambda m: m.add("GET", BASE + "/x", status=403, json=echo), "GET", AuthError),
        ("400", lambda m: m.add("POST", BASE + "/x", status=400, json=echo), "POST", AlegraError),
        ("404", lambda m: m.add("GET", BASE + "/x", status=404, json=echo), "GET", AlegraError),
        ("5xx-get", lambda m: [m.add("GET", BASE + "/x", status=500, json=echo)
                               for _ in range(2)], "GET", UnavailableError),
        ("5xx-post", lambda m: m.add("POST", BASE + "/x", status=500, json=echo), "POST",
         UncertainWriteError),
        ("timeout", lambda m: m.add("POST", BASE + "/x", body=requests.exceptions.ReadTimeout(
            f"http://{USER}:{TOKEN}@127.0.0.1:9 timed out")), "POST", UncertainWriteError),
        ("refused", lambda m: [m.add("GET", BASE + "/x", body=_refused())
                               for _ in range(2)], "GET", UnavailableError),
        ("429", lambda m: [m.add("GET", BASE + "/x", status=429, json=echo)
                           for _ in range(2)], "GET", RateLimitError),
    ]


@pytest.mark.parametrize(("name", "setup", "method", "kind"), _scenarios(),
                         ids=[s[0] for s in _scenarios()])
def test_the_token_never_appears(
    make_client: MakeClient, mocked: Mock, caplog: pytest.LogCaptureFixture, name: str,
    setup: Callable[[Mock], object], method: str, kind: type[Exception],
) -> None:
    caplog.set_level(logging.DEBUG, logger="alegra_sync.http")
    client = make_client(max_retries=1)
    setup(mocked)
    with pytest.raises(kind) as caught:
        client.get("/x") if method == "GET" else client.post("/x", {"a": 1})
    exc = caught.value
    assert type(exc) is kind
    rendered = [str(exc), repr(exc), repr(client), caplog.text,
                "".join(traceback.format_exception(exc)), str(getattr(exc, "hint", ""))]
    for text in rendered:
        assert TOKEN not in text
    assert repr(client) == f"AlegraClient(base_url='{BASE}', user='{USER}')"


def test_each_request_is_logged_without_secrets(
    client: AlegraClient, mocked: Mock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="alegra_sync.http")
    mocked.add("GET", BASE + "/company", json={"name": "A"})
    mocked.add("POST", BASE + "/journals", body=requests.exceptions.ReadTimeout("x"))
    client.company()
    with pytest.raises(UncertainWriteError):
        client.create_journal({"observations": "secret-free body"})
    messages = [r.getMessage() for r in caplog.records if r.name == "alegra_sync.http"]
    assert messages == [
        "GET /company -> 200 in 0 ms",
        "POST /journals -> no answer within 30 s after 0 ms",
    ]
    assert all(r.levelno == logging.DEBUG for r in caplog.records)
    assert "secret-free body" not in caplog.text


def test_context_manager_closes_the_session(client: AlegraClient) -> None:
    closed: list[bool] = []
    client._session.close = lambda: closed.append(True)  # type: ignore[method-assign]
    with client as same:
        assert same is client
    assert closed == [True]
