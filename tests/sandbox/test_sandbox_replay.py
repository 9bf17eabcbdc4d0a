"""Replay the recorded Alegra traffic against the sandbox and compare the answers' shapes.

The ``recorded`` seed holds the recorded company, so request bodies replay unchanged. Shapes are
compared recursively: every key the recorded answer has must be there with a value of the same
JSON type (a recorded ``null`` accepts anything; list items are compared with the
recorded item of the same id, or the first items when no ids match).

Deliberate omissions (``IGNORED``): a created contact's ``term`` and ``internalContacts`` are
echoed as sent — Alegra expands the term ({id, name, days}) from its payment-terms table and
gives internal contacts ids, neither of which alegra-sync uses.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import Api, Builder

RECORDED = Path(__file__).resolve().parents[1] / "fixtures" / "recorded"

IGNORED = {"term", "internalContacts"}


def recorded(name: str) -> dict[str, Any]:
    return json.loads((RECORDED / f"{name}.json").read_text(encoding="utf-8"))


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def shape_differences(
    expected: Any,
    actual: Any,
    path: str = "$",
    nullable: frozenset[str] = frozenset(),
    skip: frozenset[str] = frozenset(),
) -> list[str]:
    """Where ``actual`` lacks a key of ``expected`` or has another JSON type there.

    For comparing other data of the same shape: keys in ``nullable`` may be null in ``actual``,
    keys in ``skip`` are not compared.
    """
    if expected is None or (actual is None and path.rsplit(".", 1)[-1] in nullable):
        return []
    if _kind(expected) != _kind(actual):
        return [f"{path}: expected {_kind(expected)}, got {_kind(actual)} ({actual!r:.60})"]
    problems: list[str] = []
    if isinstance(expected, dict):
        for key, value in expected.items():
            if key in IGNORED or key in skip:
                continue
            if key not in actual:
                problems.append(f"{path}.{key}: missing")
            else:
                problems.extend(
                    shape_differences(value, actual[key], f"{path}.{key}", nullable, skip)
                )
    elif isinstance(expected, list) and expected and actual:
        # Compare records with the same id where both lists hold them: recorded data varies.
        by_id = {item.get("id"): item for item in expected if isinstance(item, dict)}
        pairs = [
            (by_id[item["id"]], item)
            for item in actual
            if isinstance(item, dict) and item.get("id") in by_id
        ] or [(expected[0], actual[0])]
        for index, (want, got) in enumerate(pairs):
            problems.extend(shape_differences(want, got, f"{path}[{index}]", nullable, skip))
    return problems


def _path(url: str) -> str:
    return url.split("/api/v1", 1)[1]


@pytest.mark.parametrize(
    "name",
    [
        "self_user",
        "company",
        "categories",
        "simple_category",
        "cost_centers",
        "simple_cost_center",
        "bank_accounts",
        "list_of_contacts",
    ],
)
def test_reads_answer_like_alegra(recorded_api: Api, name: str) -> None:
    exchange = recorded(name)
    response = recorded_api.get(_path(exchange["request"]["url"]))
    assert response.status_code == exchange["response"]["status"]
    assert shape_differences(exchange["response"]["json"], response.json()) == []
    for header in ("X-Rate-Limit-Limit", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset"):
        assert header in response.headers


def test_recorded_chart_is_served_whole_and_flat(recorded_api: Api) -> None:
    expected = recorded("categories")["response"]["json"]
    body = recorded_api.get("/categories", params={"format": "plain"}).json()
    assert body == expected
    assert len(body) == 93


def test_list_of_contacts_pages_at_thirty(recorded_api: Api) -> None:
    first = recorded_api.get("/contacts").json()
    rest = recorded_api.get("/contacts", params={"start": 30}).json()
    # The recorded list plus contact 416, the client of the recorded journals, in id order.
    ids = [int(c["id"]) for c in first + rest]
    assert (len(first), len(rest)) == (30, 1)
    assert ids == sorted(ids) and 416 in ids


@pytest.mark.parametrize("name", ["create_contact", "create_completed_contact"])
def test_create_contact_answers_like_alegra(recorded_api: Api, name: str) -> None:
    exchange = recorded(name)
    response = recorded_api.post("/contacts", json=exchange["request"]["json"])
    assert response.status_code == 201
    body = response.json()
    assert shape_differences(exchange["response"]["json"], body) == []
    assert body["id"] == "3001"
    assert body["identification"] == exchange["response"]["json"]["identification"]
    assert body["identificationObject"] == exchange["response"]["json"]["identificationObject"]
    assert body["accounting"] == exchange["response"]["json"]["accounting"]


def _lines(journal_body: dict[str, Any]) -> list[tuple[str, Any, Any, Any]]:
    return [
        (e["id"], e["debit"], e["credit"], (e["client"] or {}).get("id"))
        for e in journal_body["entries"]
    ]


def test_journal_lifecycle_answers_like_alegra(recorded_api: Api) -> None:
    created = recorded("create_simple_journal")
    response = recorded_api.post("/journals", json=created["request"]["json"])
    assert response.status_code == 201
    body = response.json()
    assert shape_differences(created["response"]["json"], body) == []
    assert _lines(body) == _lines(created["response"]["json"])
    assert body["total"] == created["response"]["json"]["total"] == 4250660
    assert body["client"] == created["response"]["json"]["client"]

    listed = recorded_api.get("/journals")
    assert shape_differences(recorded("list_of_journals")["response"]["json"], listed.json()) == []

    updated = recorded("update_journal")
    response = recorded_api.put(f"/journals/{body['id']}", json=updated["request"]["json"])
    assert response.status_code == 200
    assert shape_differences(updated["response"]["json"], response.json()) == []
    # PUT replaces: lines sent without a client come back with none; the date is kept.
    assert _lines(response.json()) == _lines(updated["response"]["json"])
    assert response.json()["date"] == "2024-06-18"

    deleted = recorded("delete_journal")
    response = recorded_api.delete(f"/journals/{body['id']}")
    assert response.status_code == 200
    assert response.json() == deleted["response"]["json"]


def test_fetched_journal_answers_like_alegra(recorded_api: Api) -> None:
    # simple_journal.json was posted with empty texts: post it back the same way, then GET it.
    expected = recorded("simple_journal")["response"]["json"]
    keys = ("id", "debit", "credit", "description")
    body = {
        "date": expected["date"],
        "reference": expected["reference"],
        "observations": expected["observations"],
        "client": expected["client"]["id"],
        "entries": [{key: entry[key] for key in keys} for entry in expected["entries"]],
    }
    created = recorded_api.post("/journals", json=body).json()
    fetched = recorded_api.get(f"/journals/{created['id']}")
    assert fetched.status_code == 200
    assert shape_differences(expected, fetched.json()) == []
    assert _lines(fetched.json()) == _lines(expected)
    assert {k: v for k, v in fetched.json().items() if k != "id"} == {
        k: v for k, v in expected.items() if k != "id"
    }


def test_demo_company_answers_with_the_recorded_shapes(api: Api, make_journal: Builder) -> None:
    company = recorded("company")["response"]["json"]
    wanted = ("name", "identification", "applicationVersion", "decimalPrecision", "currency")
    assert shape_differences({k: company[k] for k in wanted}, api.get("/company").json()) == []

    samples = [
        ("simple_category", "/categories?format=plain", {"idParent", "categoryRule"}),
        ("simple_cost_center", "/cost-centers", set()),
        ("simple_bank_account", "/bank-accounts", {"number"}),
    ]
    for name, path, nullable in samples:
        sample = recorded(name)["response"]["json"]
        for item in api.get(path).json():
            assert shape_differences(sample, item, nullable=frozenset(nullable)) == [], item

    # The demo entities are legal entities: no nameObject, and no fiscalResidence (optional).
    person_only = frozenset({"nameObject", "fiscalResidence"})
    no_accounts = frozenset({"accountReceivable", "debtToPay"})
    contact = recorded("create_simple_journal")["response"]["json"]["client"]
    for item in api.get("/contacts").json():
        differences = shape_differences(contact, item, nullable=no_accounts, skip=person_only)
        assert differences == [], item

    user = api.get("/users/self").json()
    expected_user = recorded("self_user")["response"]["json"]
    subset = {key: expected_user[key] for key in ("id", "email", "role", "status")}
    assert shape_differences({**subset, "permissions": {}}, user) == []
    assert user["email"] == "demo@example.com"
    assert user["permissions"]["journals"]["add"] == "allow"

    response = api.post("/journals", json=make_journal(client="1"))
    assert response.status_code == 201
    expected = recorded("create_simple_journal")["response"]["json"]
    differences = shape_differences(
        expected, response.json(), nullable=no_accounts, skip=person_only
    )
    assert differences == []
