"""Every validation rule: a bad document is answered 400 {code, message} and nothing is stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import Api, Builder

# Cases build their bodies from the journal/egreso builders of conftest (fixtures there).
Case = tuple[str, Callable[["Builder", "Builder"], Any], str]

DEBIT = {"id": "5053", "debit": 1000}
CREDIT = {"id": "5023", "credit": 1000}


def assert_refused(api: Api, method: str, path: str, body: Any, words: str) -> None:
    before = api.documents()
    response = api.request(method, path, json=body)
    assert response.status_code == 400, response.text
    error = response.json()
    assert error["code"] == 400
    assert isinstance(error["message"], str)
    assert words.casefold() in error["message"].casefold(), error["message"]
    assert api.documents() == before


BAD_JOURNALS: list[Case] = [
    ("no date", lambda j, e: {"entries": [DEBIT, CREDIT]}, "fecha"),
    ("date not ISO", lambda j, e: j(date="31/01/2026"), "fecha"),
    ("impossible date", lambda j, e: j(date="2026-02-30"), "fecha"),
    ("date a number", lambda j, e: j(date=20260131), "fecha"),
    ("no entries", lambda j, e: {"date": "2026-01-31"}, "al menos dos"),
    ("one entry", lambda j, e: j(entries=[DEBIT]), "al menos dos"),
    ("entries not a list", lambda j, e: j(entries={"id": "5053"}), "al menos dos"),
    ("entry not an object", lambda j, e: j(entries=[DEBIT, "5023"]), "objeto"),
    ("entry without account", lambda j, e: j({"debit": 1000}, CREDIT), "falta el id"),
    ("unknown account", lambda j, e: j({"id": "9999", "debit": 1000}, CREDIT), "no existe"),
    ("inactive account", lambda j, e: j({"id": "5066", "debit": 1000}, CREDIT), "inactiva"),
    (
        "accumulative account",
        lambda j, e: j({"id": "5052", "debit": 1000}, CREDIT),
        "no es de movimiento",
    ),
    (
        "debit and credit",
        lambda j, e: j(
            {"id": "5053", "debit": 1000, "credit": 1000},
            DEBIT,
            CREDIT,
            {"id": "5023", "credit": 1000},
        ),
        "a la vez",
    ),
    (
        "neither side",
        lambda j, e: j({"id": "5053", "description": "x"}, DEBIT, CREDIT),
        "mayor que cero",
    ),
    ("zero debit", lambda j, e: j({"id": "5053", "debit": 0}, DEBIT, CREDIT), "mayor que cero"),
    (
        "zero both",
        lambda j, e: j({"id": "5053", "debit": 0, "credit": 0}, DEBIT, CREDIT),
        "mayor que cero",
    ),
    (
        "negative debit",
        lambda j, e: j({"id": "5053", "debit": -1000}, {"id": "5023", "credit": -1000}),
        "negativo",
    ),
    ("negative credit", lambda j, e: j({"id": "5053", "credit": -5}, DEBIT, CREDIT), "negativo"),
    ("text amount", lambda j, e: j({"id": "5053", "debit": "mil"}, CREDIT), "número"),
    ("boolean amount", lambda j, e: j({"id": "5053", "debit": True}, CREDIT), "número"),
    ("unbalanced", lambda j, e: j(DEBIT, {"id": "5023", "credit": 999}), "no está balanceado"),
    (
        "unbalanced by one line",
        lambda j, e: j(DEBIT, CREDIT, {"id": "5055", "debit": 1}),
        "no está balanceado",
    ),
    (
        "decimals at precision 0",
        lambda j, e: j({"id": "5053", "debit": 1000.5}, {"id": "5023", "credit": 1000.5}),
        "más decimales",
    ),
    (
        "unknown cost center",
        lambda j, e: j({**DEBIT, "costCenter": {"id": "99"}}, CREDIT),
        "centro de costo",
    ),
    (
        "cost center not an id",
        lambda j, e: j({**DEBIT, "costCenter": {"name": "x"}}, CREDIT),
        "centro de costo",
    ),
    ("unknown entry contact", lambda j, e: j({**DEBIT, "client": "4242"}, CREDIT), "contacto"),
    (
        "unknown entry contact object",
        lambda j, e: j({**DEBIT, "client": {"id": 4242}}, CREDIT),
        "contacto",
    ),
    ("unknown journal contact", lambda j, e: j(client="4242"), "contacto"),
    ("reference not text", lambda j, e: j(reference=123), "reference"),
    ("body not an object", lambda j, e: [DEBIT, CREDIT], "objeto"),
]


def _cases(cases: list[Case]) -> Any:
    return pytest.mark.parametrize(
        ("build", "words"), [(b, w) for _, b, w in cases], ids=[n for n, _, _ in cases]
    )


@_cases(BAD_JOURNALS)
def test_bad_journal_is_refused_and_not_stored(
    api: Api, make_journal: Builder, make_egreso: Builder, build: Any, words: str
) -> None:
    assert_refused(api, "POST", "/journals", build(make_journal, make_egreso), words)


def test_inactive_cost_center_is_refused(api: Api, make_journal: Builder) -> None:
    journal = make_journal
    # The demo company has no inactive cost center; give it one through the store.
    with api.server.store._lock:
        api.server.store._state["cost_centers"].append(
            {"id": "9", "code": "OLD", "name": "Cerrado", "description": "", "status": "inactive"}
        )
    body = journal({**DEBIT, "costCenter": {"id": "9"}}, CREDIT)
    assert_refused(api, "POST", "/journals", body, "inactivo")


def test_refused_journal_uses_no_id(api: Api, make_journal: Builder) -> None:
    journal = make_journal
    assert (
        api.post("/journals", json=journal(DEBIT, {"id": "5023", "credit": 1})).status_code == 400
    )
    assert api.post("/journals", json=journal()).json()["id"] == "1001"


def test_bad_replacement_leaves_the_journal_as_it_was(api: Api, make_journal: Builder) -> None:
    journal = make_journal
    created = api.post("/journals", json=journal()).json()
    for body, words in [
        (journal(DEBIT, {"id": "5023", "credit": 10}), "no está balanceado"),
        (journal(date="2026-13-01"), "fecha"),
        (journal({"id": "5052", "debit": 1000}, CREDIT), "no es de movimiento"),
    ]:
        assert_refused(api, "PUT", f"/journals/{created['id']}", body, words)
    assert api.get(f"/journals/{created['id']}").json() == created


def test_precision_two_takes_cents_but_not_mills(
    make_api: Callable[..., Api], make_journal: Builder
) -> None:
    journal = make_journal
    api = make_api(decimal_precision=2)
    assert api.get("/company").json()["decimalPrecision"] == "2"
    body = journal({"id": "5053", "debit": 10.005}, {"id": "5023", "credit": 10.005})
    assert_refused(api, "POST", "/journals", body, "más decimales")
    ok = api.post(
        "/journals",
        json=journal(
            {"id": "5053", "debit": 0.1},
            {"id": "5053", "debit": 0.2},
            {"id": "5023", "credit": 0.3},
        ),
    )
    assert ok.status_code == 201, ok.text
    assert ok.json()["total"] == 0.3


BAD_EGRESOS: list[Case] = [
    ("type in", lambda j, e: e(type="in"), "out"),
    ("no type", lambda j, e: {k: v for k, v in e().items() if k != "type"}, "out"),
    ("no date", lambda j, e: {k: v for k, v in e().items() if k != "date"}, "fecha"),
    ("bad date", lambda j, e: e(date="2026-1-31"), "fecha"),
    (
        "no bank account",
        lambda j, e: {k: v for k, v in e().items() if k != "bankAccount"},
        "bancaria",
    ),
    (
        "unknown bank account",
        lambda j, e: e(bankAccount={"id": "77"}),
        "bancaria con id 77 no existe",
    ),
    (
        "no categories",
        lambda j, e: {k: v for k, v in e().items() if k != "categories"},
        "categoría",
    ),
    ("empty categories", lambda j, e: e(categories=[]), "categoría"),
    ("bills instead", lambda j, e: e(bills=[{"id": "1", "amount": 1000}]), "categories"),
    ("line not an object", lambda j, e: e(categories=["5023"]), "objeto"),
    ("unknown account", lambda j, e: e({"id": "9999", "price": 1000}), "no existe"),
    ("accumulative account", lambda j, e: e({"id": "5022", "price": 1000}), "no es de movimiento"),
    ("inactive account", lambda j, e: e({"id": "5066", "price": 1000}), "inactiva"),
    ("no price", lambda j, e: e({"id": "5023", "quantity": 1}), "número"),
    ("zero price", lambda j, e: e({"id": "5023", "price": 0}), "mayor que cero"),
    ("negative price", lambda j, e: e({"id": "5023", "price": -1000}), "negativo"),
    ("price with decimals", lambda j, e: e({"id": "5023", "price": 1000.5}), "más decimales"),
    (
        "zero quantity",
        lambda j, e: e({"id": "5023", "price": 1000, "quantity": 0}),
        "mayor que cero",
    ),
    ("unknown contact", lambda j, e: e(client={"id": "4242"}), "contacto"),
    ("unknown cost center", lambda j, e: e(costCenter={"id": "99"}), "centro de costo"),
    ("body not an object", lambda j, e: "egreso", "objeto"),
]


@_cases(BAD_EGRESOS)
def test_bad_egreso_is_refused_and_not_stored(
    api: Api, make_journal: Builder, make_egreso: Builder, build: Any, words: str
) -> None:
    assert_refused(api, "POST", "/payments", build(make_journal, make_egreso), words)


def test_inactive_bank_account_is_refused(api: Api, make_egreso: Builder) -> None:
    egreso = make_egreso
    with api.server.store._lock:
        api.server.store._state["bank_accounts"][0]["status"] = "inactive"
    assert_refused(api, "POST", "/payments", egreso(bankAccount={"id": "1"}), "inactiva")


BAD_CONTACTS: list[Case] = [
    ("no name", lambda j, e: {"identification": {"type": "CC", "number": "1020304050"}}, "nombre"),
    ("empty name", lambda j, e: {"name": "  ", "identification": "1020304050"}, "nombre"),
    (
        "duplicate NIT",
        lambda j, e: {
            "name": "EPS Sura bis",
            "identification": {"type": "NIT", "number": "800088702"},
        },
        "ya existe",
    ),
    ("duplicate plain", lambda j, e: {"name": "Otra", "identification": "800088702"}, "ya existe"),
    (
        "identification without number",
        lambda j, e: {"name": "Ana", "identification": {"type": "CC"}},
        "número de identificación",
    ),
    ("type not a list", lambda j, e: {"name": "Ana", "type": {"provider": True}}, "tipo"),
    ("nameObject not an object", lambda j, e: {"nameObject": "Ana"}, "nameobject"),
]


@_cases(BAD_CONTACTS)
def test_bad_contact_is_refused_and_not_stored(
    api: Api, make_journal: Builder, make_egreso: Builder, build: Any, words: str
) -> None:
    assert_refused(api, "POST", "/contacts", build(make_journal, make_egreso), words)


def test_malformed_json_is_refused(api: Api) -> None:
    before = api.documents()
    response = api.request(
        "POST", "/journals", data=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == 400
    assert api.documents() == before
