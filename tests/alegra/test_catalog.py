"""The cached chart and the pure helpers behind ``accounts`` and ``map``."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import responses

from alegra_sync.alegra.catalog import (
    CHART_CACHE_FILE,
    account_type,
    accounts_to_json,
    build_tree,
    clear_chart_cache,
    load_chart,
    normalise,
    search_accounts,
    type_names,
)
from alegra_sync.alegra.client import AlegraClient
from alegra_sync.alegra.models import Account
from alegra_sync.errors import AuthError

BASE = "http://127.0.0.1:9/api/v1"  # as in conftest.py
TOKEN = "tok3n-S3CRET-abcdef12"

Body = Callable[[str], Any]
MakeClient = Callable[..., AlegraClient]


@pytest.fixture
def chart(body: Body) -> list[Account]:
    return [Account.model_validate(item) for item in body("categories")]


@pytest.fixture
def serve_chart(mocked: responses.RequestsMock, body: Body) -> Callable[[int], None]:
    def serve(times: int = 1) -> None:
        for _ in range(times):
            mocked.add("GET", BASE + "/categories", json=body("categories"))

    return serve


def _no_client() -> AlegraClient:
    raise AssertionError("the cache should have been used")


# --- load_chart -------------------------------------------------------------------------------


def test_fetches_once_then_serves_the_cache(
    tmp_path: Path, client: AlegraClient, serve_chart: Callable[[int], None]
) -> None:
    serve_chart(1)
    before = datetime.now(UTC)
    accounts, fetched_at = load_chart(client, tmp_path)
    assert len(accounts) == 93
    assert before <= fetched_at <= datetime.now(UTC)
    assert client.requests_sent == {"GET": 1}

    cached, cached_at = load_chart(_no_client, tmp_path)
    assert cached == accounts
    assert cached_at == fetched_at
    again, _ = load_chart(client, tmp_path)
    assert again == accounts
    assert client.requests_sent == {"GET": 1}


def test_cache_file_content(
    tmp_path: Path, client: AlegraClient, serve_chart: Callable[[int], None]
) -> None:
    serve_chart(1)
    _, fetched_at = load_chart(client, tmp_path / "cache")
    text = (tmp_path / "cache" / CHART_CACHE_FILE).read_text("utf-8")
    document = json.loads(text)
    assert document["version"] == 1
    assert datetime.fromisoformat(document["fetched_at"]) == fetched_at
    assert document["source"] == {"base_url": BASE, "user": "payroll@example.com"}
    assert len(document["accounts"]) == 93
    assert document["accounts"][0] == {
        "id": "5001", "idParent": "5026", "code": None, "name": "Inversiones", "type": "asset",
        "nature": "debit", "use": "movement", "status": "active", "readOnly": False,
    }
    assert TOKEN not in text
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [CHART_CACHE_FILE]


def test_refresh_fetches_again(
    tmp_path: Path, client: AlegraClient, serve_chart: Callable[[int], None]
) -> None:
    serve_chart(2)
    _, first = load_chart(client, tmp_path)
    accounts, second = load_chart(client, tmp_path, refresh=True)
    assert len(accounts) == 93
    assert second >= first
    assert client.requests_sent == {"GET": 2}


def _age_cache(cache_dir: Path, age: timedelta) -> None:
    path = cache_dir / CHART_CACHE_FILE
    document = json.loads(path.read_text("utf-8"))
    document["fetched_at"] = (datetime.now(UTC) - age).isoformat()
    path.write_text(json.dumps(document), "utf-8")


def test_stale_cache_is_refetched(
    tmp_path: Path, client: AlegraClient, serve_chart: Callable[[int], None]
) -> None:
    serve_chart(2)
    load_chart(client, tmp_path)
    _age_cache(tmp_path, timedelta(hours=11))
    load_chart(_no_client, tmp_path)  # 11 h old is still fresh
    _age_cache(tmp_path, timedelta(hours=13))
    made: list[AlegraClient] = []

    def factory() -> AlegraClient:
        made.append(client)
        return client

    accounts, fetched_at = load_chart(factory, tmp_path)
    assert len(made) == 1
    assert len(accounts) == 93
    assert datetime.now(UTC) - fetched_at < timedelta(minutes=1)
    assert client.requests_sent == {"GET": 2}


def test_max_age_is_honoured(
    tmp_path: Path, client: AlegraClient, serve_chart: Callable[[int], None]
) -> None:
    serve_chart(2)
    load_chart(client, tmp_path)
    _age_cache(tmp_path, timedelta(minutes=10))
    load_chart(client, tmp_path, max_age=timedelta(minutes=30))
    assert client.requests_sent == {"GET": 1}
    load_chart(client, tmp_path, max_age=timedelta(minutes=5))
    assert client.requests_sent == {"GET": 2}


@pytest.mark.parametrize(
    "content", ["not json", "{}", '{"version": 99}', '{"version": 1, "fetched_at": "x"}',
                '{"version": 1, "fetched_at": "2026-01-01T00:00:00+00:00", "accounts": [{}]}'],
)
def test_unreadable_cache_is_replaced(
    tmp_path: Path, client: AlegraClient, serve_chart: Callable[[int], None], content: str
) -> None:
    serve_chart(1)
    (tmp_path / CHART_CACHE_FILE).write_text(content, "utf-8")
    accounts, _ = load_chart(client, tmp_path)
    assert len(accounts) == 93
    assert json.loads((tmp_path / CHART_CACHE_FILE).read_text("utf-8"))["version"] == 1


def test_cache_of_another_user_is_not_used_with_a_client_in_hand(
    tmp_path: Path, client: AlegraClient, make_client: MakeClient,
    serve_chart: Callable[[int], None],
) -> None:
    serve_chart(2)
    load_chart(client, tmp_path)
    other = AlegraClient(BASE, "other@example.com", TOKEN, sleep=lambda _: None)
    try:
        load_chart(other, tmp_path)
        assert other.requests_sent == {"GET": 1}
    finally:
        other.close()


def test_factory_client_is_closed(tmp_path: Path, chart: list[Account]) -> None:
    class StubClient:
        base_url, user = BASE, "stub@example.com"
        closed = False

        def categories(self) -> list[Account]:
            return chart

        def __enter__(self) -> StubClient:
            return self

        def __exit__(self, *exc: object) -> None:
            self.closed = True

    stub = StubClient()
    accounts, _ = load_chart(lambda: stub, tmp_path)  # type: ignore[arg-type,return-value]
    assert accounts == chart
    assert stub.closed is True


def test_errors_reach_the_caller_and_leave_no_cache(
    tmp_path: Path, client: AlegraClient, mocked: responses.RequestsMock
) -> None:
    mocked.add("GET", BASE + "/categories", status=401, json={"code": 401, "message": "no"})
    with pytest.raises(AuthError):
        load_chart(client, tmp_path)
    assert not (tmp_path / CHART_CACHE_FILE).exists()


def test_clear_chart_cache(
    tmp_path: Path, client: AlegraClient, serve_chart: Callable[[int], None]
) -> None:
    serve_chart(1)
    load_chart(client, tmp_path)
    clear_chart_cache(tmp_path)
    assert not (tmp_path / CHART_CACHE_FILE).exists()
    clear_chart_cache(tmp_path)  # nothing to clear is fine


# --- normalise and search ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("  Nómina   Básica ", "nomina basica"), ("DOTACIÓN", "dotacion"), ("Año", "ano"),
     ("Straße", "strasse"), ("ﬁnanzas", "finanzas"), ("", ""), ("a\tb\nc", "a b c")],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


def _account(id_: str, code: str | None, name: str, use: str = "movement",
             status: str = "active", parent: str | None = None) -> Account:
    return Account(id=id_, id_parent=parent, code=code, name=name, type="expense", use=use,
                   status=status)


PUC = [
    _account("1", "51", "Gastos operacionales de administración", use="accumulative"),
    _account("2", "5105", "Gastos de personal", use="accumulative", parent="1"),
    _account("3", "510506", "Sueldos", parent="2"),
    _account("4", "510527", "Auxilio de transporte", parent="2"),
    _account("5", "510530", "Cesantías", parent="2"),
    _account("6", "510533", "Intereses sobre cesantías", parent="2"),
    _account("7", "510536", "Prima de servicios", parent="2"),
    _account("8", "510539", "Vacaciones", parent="2"),
    _account("9", "2505", "Salarios por pagar", parent="10"),
    _account("10", "25", "Obligaciones laborales", use="accumulative"),
    _account("11", "510595", "Otros sueldos", status="inactive", parent="2"),
]


def test_search_by_code_prefix_ranks_exact_first_postable_first() -> None:
    found = [a.code for a in search_accounts(PUC, "5105")]
    assert found == ["510506", "510527", "510530", "510533", "510536", "510539", "5105", "510595"]
    assert [a.code for a in search_accounts(PUC, " 510530 ")] == ["510530"]


def test_search_by_name_is_accent_and_case_insensitive() -> None:
    assert [a.name for a in search_accounts(PUC, "CESANTIAS")] == [
        "Cesantías", "Intereses sobre cesantías",
    ]
    assert [a.name for a in search_accounts(PUC, "sueld")] == ["Sueldos", "Otros sueldos"]
    assert [a.name for a in search_accounts(PUC, "administracion")] == [
        "Gastos operacionales de administración",
    ]


def test_search_ranks_name_start_then_word_start_then_substring() -> None:
    accounts = [
        _account("1", None, "Bonificaciones"),
        _account("2", None, "Pagos no salariales"),
        _account("3", None, "Salarios"),
        _account("4", None, "Otrossalarios"),
    ]
    assert [a.name for a in search_accounts(accounts, "salari")] == [
        "Salarios", "Pagos no salariales", "Otrossalarios",
    ]
    assert search_accounts(accounts, "xyz") == []


def test_search_recorded_chart(chart: list[Account]) -> None:
    assert [a.name for a in search_accounts(chart, "nomina")] == ["Nómina"]
    assert [a.id for a in search_accounts(chart, "salarios")] == ["5009"]
    assert [a.name for a in search_accounts(chart, "retencion de iva")] == [
        "Retención de IVA a favor", "Retención de IVA por pagar",
    ]
    assert len(search_accounts(chart, "")) == 93


# --- tree and json ----------------------------------------------------------------------------


def test_recorded_chart_tree(chart: list[Account]) -> None:
    roots = build_tree(chart)
    assert [root.account.name for root in roots] == [
        "Activos", "Egresos", "Ingresos", "Pasivos", "Patrimonio", "Transferencias bancarias",
    ]
    walked = [account for root in roots for _, account in root.walk()]
    assert len(walked) == 93
    assert len({account.id for account in walked}) == 93
    egresos = roots[1]
    nomina = next(child for child in egresos.children if child.account.name == "Nómina")
    assert [child.account.name for child in nomina.children] == [
        "Dotación Prueba", "Prestaciones sociales", "Salarios prueba",
        "Seguridad social y parafiscales",
    ]
    depths = {account.name: depth for root in roots for depth, account in root.walk()}
    assert (depths["Activos"], depths["Bancos"], depths["Cuentas bancarias"],
            depths["Definitiva"]) == (0, 2, 3, 4)
    assert [child.account.name for child in roots[5].children] == []


def test_tree_sorts_by_code_then_name_and_survives_odd_parents() -> None:
    accounts = [
        _account("a", "5105", "Gastos de personal"),
        _account("b", "510530", "Cesantías", parent="a"),
        _account("c", "510506", "Sueldos", parent="a"),
        _account("d", None, "Zeta", parent="a"),
        _account("e", None, "Alfa", parent="a"),
        _account("f", "11", "Huérfana", parent="missing"),
        _account("g", None, "Ciclo 1", parent="h"),
        _account("h", None, "Ciclo 2", parent="g"),
        _account("i", None, "Propia", parent="i"),
    ]
    roots = build_tree(accounts)
    assert [root.account.id for root in roots] == ["f", "a", "g", "i"]
    assert [child.account.name for child in roots[1].children] == [
        "Sueldos", "Cesantías", "Alfa", "Zeta",
    ]
    assert [child.account.id for child in roots[2].children] == ["h"]
    assert sum(1 for root in roots for _ in root.walk()) == 9


def test_accounts_to_json(body: Body, chart: list[Account]) -> None:
    single = Account.model_validate(body("simple_category"))
    assert accounts_to_json([single]) == [{
        "id": "5047", "idParent": "5046", "code": None,
        "name": "Cuentas por pagar - proveedores", "type": "liability", "nature": "credit",
        "use": "movement", "status": "active",
    }]
    rows = accounts_to_json(chart)
    assert len(rows) == 93
    assert [row["id"] for row in rows] == [item["id"] for item in body("categories")]
    assert json.loads(json.dumps(rows)) == rows


@pytest.mark.parametrize(("text", "expected"), [
    ("expense", "expense"), ("EXPENSE", "expense"), ("gasto", "expense"), ("Gastos", "expense"),
    ("activo", "asset"), ("Pasivos", "liability"), ("patrimonio", "equity"),
    ("ingresos", "income"), ("costos", "cost"), ("Costos de producción", "productionCost"),
    ("productionCost", "productionCost"), ("production cost", "productionCost"),
    ("gastoz", None), ("", None),
])
def test_account_type_takes_alegras_english_and_spanish_names(text: str,
                                                              expected: str | None) -> None:
    assert account_type(text) == expected


def test_a_type_only_the_chart_has_is_taken_by_its_name_and_listed_last() -> None:
    chart = [Account(id="1", name="Caja", type="asset"),
             Account(id="2", name="Rara", type="weird"),
             Account(id="3", name="Sueldos", type="expense")]
    assert account_type("Weird", chart) == "weird"
    assert account_type("weird") is None
    assert type_names(chart) == ["asset (activo)", "expense (gasto)", "weird"]
