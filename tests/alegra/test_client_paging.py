"""AlegraClient's lists: paging with ``start``/``limit`` and the typed list helpers."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from alegra.helpers import BASE, Mock, Replay
from alegra_sync.alegra.client import WINDOW_PASSES, AlegraClient
from alegra_sync.errors import AlegraError, IncompleteListingError

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


def test_payments_out_between_reads_the_window_whole(client: AlegraClient, mocked: Mock) -> None:
    page = [{"id": str(n), "date": "2026-11-15", "type": "out", "amount": 10} for n in range(30)]
    mocked.add("GET", BASE + "/payments", json={"metadata": {"total": 31}, "data": page})
    mocked.add("GET", BASE + "/payments", json={"metadata": {"total": 31}, "data": [
        {"id": "30", "date": "2026-11-01", "type": "out", "amount": 20}]})
    found = client.payments_out_between(date(2026, 11, 1), date(2026, 11, 15))
    assert sorted(int(p.id) for p in found) == list(range(31))
    assert mocked.calls[1].request.params == {  # type: ignore[attr-defined]
        "type": "out", "from": "2026-11-01", "to": "2026-11-15", "order_field": "id",
        "order_direction": "ASC", "metadata": "true",
        "start": "30", "limit": "30",
    }


def test_payments_out_between_reads_again_what_an_unstable_order_hid(
    client: AlegraClient, mocked: Mock
) -> None:
    def egreso(n: int) -> dict[str, object]:
        return {"id": str(n), "date": "2026-11-15", "type": "out", "amount": 10}

    first = [egreso(n) for n in range(30)]
    again = [egreso(n) for n in range(29)] + [egreso(30)]  # 29 of page one, and the missed one
    for data in (first, first[:1], again, first[:1]):  # two readings of two pages each
        mocked.add("GET", BASE + "/payments", json={"metadata": {"total": 31}, "data": data})
    found = client.payments_out_between(date(2026, 11, 15), date(2026, 11, 15))
    assert sorted(int(p.id) for p in found) == list(range(31))
    assert len(mocked.calls) == 4


def test_payments_out_between_never_full_is_not_taken_for_absent(
    client: AlegraClient, mocked: Mock
) -> None:
    page = [{"id": str(n), "date": "2026-11-15", "type": "out", "amount": 10} for n in range(3)]
    mocked.add("GET", BASE + "/payments", json={"metadata": {"total": 4}, "data": page})
    with pytest.raises(IncompleteListingError, match="listed 3 of the 4 egresos"):
        client.payments_out_between(date(2026, 11, 15), date(2026, 11, 15))
    assert len(mocked.calls) == WINDOW_PASSES


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
