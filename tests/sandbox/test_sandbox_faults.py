"""Fault switches, latency and the rate limit do what they say."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
import requests

from alegra_sync.sandbox.faults import ROUTES, Faults

if TYPE_CHECKING:
    from conftest import Api, Builder


def journal_ids(api: Api) -> list[str]:
    return [j["id"] for j in api.server.store.dump()["journals"]]


def test_500_before_stores_nothing_and_then_switches_off(api: Api, make_journal: Builder) -> None:
    api.server.faults.add("POST /journals", "500-before")
    failed = api.post("/journals", json=make_journal())
    assert failed.status_code == 500
    assert failed.json()["code"] == 500
    assert journal_ids(api) == []
    assert api.post("/journals", json=make_journal()).status_code == 201
    assert journal_ids(api) == ["1001"]


def test_500_after_stores_the_document(api: Api, make_journal: Builder) -> None:
    api.server.faults.add("POST /journals", "500-after")
    assert api.post("/journals", json=make_journal()).status_code == 500
    assert journal_ids(api) == ["1001"]


def test_drop_after_stores_and_the_client_sees_a_dropped_connection(
    api: Api, make_journal: Builder
) -> None:
    api.server.faults.add("POST /journals", "drop-after")
    with pytest.raises(requests.ConnectionError):
        api.post("/journals", json=make_journal())
    dump = api.server.store.dump()
    assert [j["id"] for j in dump["journals"]] == ["1001"]
    assert dump["log"][-1] == {
        "method": "POST",
        "path": "/api/v1/journals",
        "query": "",
        "status": 0,
        "fault": "drop-after",
    }
    # The same session goes on working on a new connection.
    assert api.get("/journals/1001").status_code == 200


def test_delay_after_stores_and_the_client_times_out(api: Api, make_journal: Builder) -> None:
    api.server.faults.add("POST /journals", "delay-after", seconds=1.0)
    with pytest.raises(requests.ReadTimeout):
        api.post("/journals", json=make_journal(), timeout=(2, 0.3))
    assert journal_ids(api) == ["1001"]


def test_delay_after_answers_late_when_the_client_waits(api: Api) -> None:
    api.server.faults.add("GET /company", "delay-after", seconds=0.3)
    began = time.monotonic()
    assert api.get("/company").status_code == 200
    assert time.monotonic() - began >= 0.3


def test_429_stores_nothing_then_the_retry_succeeds(api: Api, make_egreso: Builder) -> None:
    api.server.faults.add("POST /payments", "429")
    busy = api.post("/payments", json=make_egreso())
    assert busy.status_code == 429
    assert busy.json()["code"] == 429
    assert busy.headers["X-Rate-Limit-Reset"] == "1"
    assert api.server.store.dump()["payments"] == []
    again = api.post("/payments", json=make_egreso())
    assert again.status_code == 201
    assert again.json()["id"] == "2001"


def test_count_applies_to_that_many_requests_on_that_route_only(
    api: Api, make_journal: Builder, make_egreso: Builder
) -> None:
    api.server.faults.add("POST /journals", "500-before", count=2)
    assert api.post("/payments", json=make_egreso()).status_code == 201
    assert [api.post("/journals", json=make_journal()).status_code for _ in range(3)] == [
        500,
        500,
        201,
    ]


def test_void_and_delete_routes(api: Api, make_journal: Builder, make_egreso: Builder) -> None:
    api.post("/payments", json=make_egreso())
    api.post("/journals", json=make_journal())
    api.server.faults.add("POST /payments/void", "500-after")
    api.server.faults.add("DELETE /journals", "500-after")
    assert api.post("/payments/2001/void").status_code == 500
    assert api.delete("/journals/1001").status_code == 500
    dump = api.server.store.dump()
    assert dump["payments"][0]["status"] == "void"
    assert dump["journals"] == []
    assert [j["id"] for j in dump["deleted_journals"]] == ["1001"]


def test_a_fault_after_requests_served_normally(api: Api) -> None:
    api.server.faults.add("GET /journals", "500-before", count=2, after=1)
    statuses = [api.get("/journals").status_code for _ in range(4)]
    assert statuses == [200, 500, 500, 200]
    admin = api.server.admin_url
    armed = requests.post(f"{admin}/faults", json={
        "route": "GET /company", "mode": "500-before", "after": 2}, timeout=5)
    assert armed.status_code == 200
    assert [api.get("/company").status_code for _ in range(4)] == [200, 200, 500, 200]


def test_faults_through_the_admin_endpoints(api: Api) -> None:
    admin = api.server.admin_url
    armed = requests.post(
        f"{admin}/faults", json={"route": "POST /contacts", "mode": "500-before"}, timeout=5
    )
    assert armed.status_code == 200
    assert requests.get(f"{admin}/dump", timeout=5).json()["faults"] == [
        {"route": "POST /contacts", "mode": "500-before", "count": 1, "seconds": 0.0,
         "after": 0}
    ]
    assert requests.delete(f"{admin}/faults", timeout=5).status_code == 200
    assert api.post("/contacts", json={"name": "Ana"}).status_code == 201
    typo = requests.post(
        f"{admin}/faults", json={"route": "POST /journal", "mode": "500-before"}, timeout=5
    )
    assert typo.status_code == 400
    assert "unknown fault route" in typo.json()["message"]


def test_latency_delays_every_api_request(api: Api) -> None:
    requests.post(f"{api.server.admin_url}/latency", json={"seconds": 0.2}, timeout=5)
    began = time.monotonic()
    assert api.get("/company").status_code == 200
    assert time.monotonic() - began >= 0.2
    api.server.faults.clear()
    assert api.server.faults.latency == 0.0


def test_bad_fault_arguments_are_refused() -> None:
    faults = Faults()
    with pytest.raises(ValueError, match="unknown fault route"):
        faults.add("POST /invoices", "500-before")
    with pytest.raises(ValueError, match="unknown fault mode"):
        faults.add("POST /journals", "explode")
    with pytest.raises(ValueError, match="count"):
        faults.add("POST /journals", "500-before", count=0)
    assert "POST /payments/void" in ROUTES


def test_rate_limit_answers_429_at_request_n_plus_one(
    make_api: Callable[..., Api],
) -> None:
    api = make_api(rate_limit=3)
    answers = [api.get("/company") for _ in range(3)]
    assert [a.headers["X-Rate-Limit-Remaining"] for a in answers] == ["2", "1", "0"]
    assert all(a.headers["X-Rate-Limit-Limit"] == "3" for a in answers)
    over = api.get("/company")
    assert over.status_code == 429
    assert over.json()["code"] == 429
    assert 1 <= int(over.headers["X-Rate-Limit-Reset"]) <= 60
    # Admin calls are not rate limited, and a reset starts a fresh window.
    requests.post(f"{api.server.admin_url}/reset", timeout=5)
    assert api.get("/company").status_code == 200
