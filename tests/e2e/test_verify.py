"""`verify` against the sandbox: each result provoked for real in Alegra, then the way back.

Each drift is made through the API as a person would make it in Alegra (a comprobante deleted,
the egreso voided, a line edited, a copy posted by hand); `verify` must say exactly that and
exit 65, `sync --replace` must bring Alegra back, and a second `verify` find every document
matching, with exactly one live document of each key.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from alegra_sync.alegra.client import AlegraClient
from alegra_sync.sandbox import SandboxServer
from e2e.helpers import cli, employee, sync_json, write_export

NOV1, NOV15 = date(2026, 11, 1), date(2026, 11, 15)
ANA = employee("1001", "Ana Gómez", "Administración", "EPS Sura", "Protección AFP",
               "2026-11-15", Salario=2000000, Auxilio_de_transporte=100000,
               Salud_empleado=80000, Pensión_empleado=80000, Pensión_empleador=240000,
               ARL=10440, Cesantías=166600)
BRUNO = employee("1002", "Bruno Díaz", "Ventas", "Sanitas EPS", "Porvenir AFP",
                 "2026-11-15", Salario=1500000, Horas_extras=50000, Salud_empleado=60000,
                 Pensión_empleado=60000, Libranza=100000, Pensión_empleador=180000,
                 ARL=7830, Cesantías=124950)


def verify_json(*args: str) -> tuple[int, dict[str, Any]]:
    result = cli("verify", "--json", *args)
    try:
        return result.exit_code, json.loads(result.stdout)
    except json.JSONDecodeError:
        raise AssertionError(f"not JSON (exit {result.exit_code}): {result.output}") from None


@contextmanager
def by_hand(sandbox: SandboxServer) -> Iterator[AlegraClient]:
    """A person working in Alegra: the API, with no alegra-sync in between."""
    with AlegraClient(sandbox.url, sandbox.USER, sandbox.TOKEN, max_retries=0) as client:
        yield client


def post_period(home: Path) -> dict[str, Any]:
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    code, result = sync_json("--period", "2026-11-01")
    assert code == 0, result
    period: dict[str, Any] = result["periods"][0]
    return period


def results(document: dict[str, Any]) -> dict[str, str]:
    return {d["key"]: d["result"] for p in document["periods"] for d in p["documents"]}


def live_keys(sandbox: SandboxServer) -> list[str]:
    """The key of every live document in Alegra (one entry per document)."""
    dump = sandbox.store.dump()
    keys = [j["reference"].split()[1] for j in dump["journals"]]
    keys += [p["observations"].split()[1] for p in dump["payments"] if p["status"] != "void"]
    return sorted(keys)


def test_right_after_posting_every_document_matches(home: Path, sandbox: SandboxServer) -> None:
    post_period(home)
    writes = {m: sandbox.store.dump()["requests"][m] for m in ("POST", "PUT", "DELETE")}
    code, found = verify_json()
    assert code == 0, found
    assert found["status"] == "ok"
    assert results(found) == {"2026-11-01/J1": "match", "2026-11-01/P1": "match"}
    [period] = found["periods"]
    assert (period["period"], period["result"], period["export_changed"]) == (
        "2026-11-01", "match", False)
    assert all(d["lines_from"] == "posted" and d["differences"] == [] and d["copies"] == []
               for d in period["documents"])
    # one GET per document, the company, one journal look-up and one egreso window; no write
    assert found["requests"] == {"GET": 5, "POST": 0, "PUT": 0, "DELETE": 0}
    assert {m: sandbox.store.dump()["requests"][m] for m in ("POST", "PUT", "DELETE")} == writes

    status = json.loads(cli("status", "--json").stdout)["periods"][0]
    assert status["verified"]["result"] == "match"
    # the same moment (status shows it in America/Bogota)
    assert (datetime.fromisoformat(status["verified"]["at"])
            == datetime.fromisoformat(period["verified_at"]))
    assert [d["verified"]["result"] for d in status["documents"]] == ["match", "match"]
    shown = cli("status").stdout  # each document's last verify: ✓ for a match
    assert "J1 comprobante ✓" in shown and "P1 egreso ✓" in shown


def _delete_journal(sandbox: SandboxServer, ids: dict[str, str]) -> None:
    with by_hand(sandbox) as alegra:
        alegra.delete_journal(ids["journal"])


def _void_egreso(sandbox: SandboxServer, ids: dict[str, str]) -> None:
    with by_hand(sandbox) as alegra:
        alegra.void_payment(ids["payment"])


def _edit_a_line(sandbox: SandboxServer, ids: dict[str, str]) -> None:
    """Ana's salary 2.000.000 → 1.900.000 and her net pay owed with it (still balanced)."""
    with by_hand(sandbox) as alegra:
        journal = alegra.get(f"/journals/{ids['journal']}")
        for entry in journal["entries"]:
            client = (entry.get("client") or {}).get("identification")
            if entry["id"] == "5053":
                entry["debit"] = 1900000
            if entry["id"] == "5023" and client == "1001":
                entry["credit"] = 1840000
        alegra.put(f"/journals/{ids['journal']}", journal)


def _post_a_copy(sandbox: SandboxServer, ids: dict[str, str]) -> None:
    """The same comprobante posted again by hand, its reference (our key) copied."""
    with by_hand(sandbox) as alegra:
        journal = alegra.get(f"/journals/{ids['journal']}")
        journal.pop("id")
        alegra.post("/journals", journal)


CHANGED_LINES = [
    {"what": "line", "account": "5023", "account_name": "250505 Salarios por pagar",
     "cost_center": None, "tercero": "1001", "tercero_name": "Ana Gómez",
     "posted": {"debit": "0", "credit": "1940000"}, "now": {"debit": "0", "credit": "1840000"}},
    {"what": "line", "account": "5053", "account_name": "510506 Sueldos", "cost_center": "1",
     "tercero": "1001", "tercero_name": "Ana Gómez",
     "posted": {"debit": "2000000", "credit": "0"}, "now": {"debit": "1900000", "credit": "0"}},
]


@pytest.mark.parametrize(("provoke", "key", "result"), [
    (_delete_journal, "2026-11-01/J1", "missing"),
    (_void_egreso, "2026-11-01/P1", "voided"),
    (_edit_a_line, "2026-11-01/J1", "changed"),
    (_post_a_copy, "2026-11-01/J1", "duplicate"),
], ids=["deleted", "voided", "changed", "copy"])
def test_each_drift_is_found_and_replace_brings_alegra_back(
    home: Path, sandbox: SandboxServer,
    provoke: Callable[[SandboxServer, dict[str, str]], None], key: str, result: str,
) -> None:
    posted = post_period(home)
    ids = {"journal": posted["journal_ids"][0], "payment": posted["payment_ids"][0]}
    provoke(sandbox, ids)

    code, found = verify_json("--period", "2026-11-01")
    assert code == 65, found
    assert found["status"] == "drift"
    other = "2026-11-01/P1" if key.endswith("J1") else "2026-11-01/J1"
    assert results(found) == {key: result, other: "match"}
    document = next(d for d in found["periods"][0]["documents"] if d["key"] == key)
    if result == "changed":
        assert document["differences"] == CHANGED_LINES
    if result == "duplicate":
        [copy] = document["copies"]
        assert copy != ids["journal"]
    shown = cli("verify")
    assert shown.exit_code == 65
    assert f"{key}" in shown.stdout and result in shown.stdout
    if result == "changed":
        assert "510506 Sueldos · cost center Administración · Ana Gómez (1001): debit " \
               "2.000.000 → debit 1.900.000" in shown.stdout
    assert "alegra-sync sync --period PERIOD --replace" in shown.stderr

    # nothing is posted again without --replace
    before = sandbox.store.dump()["requests"]["POST"]
    code, again = sync_json("--period", "2026-11-01")
    assert sandbox.store.dump()["requests"]["POST"] == before
    assert code in (0, 65), again

    code, preview = sync_json("--period", "2026-11-01", "--dry-run", "--replace")
    assert code == 0, preview
    code, replaced = sync_json("--period", "2026-11-01", "--replace")
    assert code == 0, replaced
    assert replaced["periods"][0]["outcome"] == "replaced"
    code, found = verify_json("--period", "2026-11-01")
    assert code == 0, found
    assert results(found) == {"2026-11-01/J1": "match", "2026-11-01/P1": "match"}
    assert live_keys(sandbox) == ["2026-11-01/J1", "2026-11-01/P1"]


def test_the_dry_run_of_a_replace_shows_what_it_would_delete_and_post(
        home: Path, sandbox: SandboxServer) -> None:
    posted = post_period(home)
    _post_a_copy(sandbox, {"journal": posted["journal_ids"][0]})
    _void_egreso(sandbox, {"payment": posted["payment_ids"][0]})
    shown = cli("sync", "--period", "2026-11-01", "--dry-run", "--replace")
    assert shown.exit_code == 0, shown.output
    journals = [j["id"] for j in sandbox.store.dump()["journals"]]
    assert f"delete the comprobante 2026-11-01/J1 (Alegra id {journals[1]})" in shown.stdout
    assert "post 2026-11-01/P1" in shown.stdout
    assert "keep 2026-11-01/J1" in shown.stdout


def test_alegra_stopping_mid_verify_is_unknown_never_a_match(
        home: Path, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> None:
    post_period(home)
    (home / "config.toml").write_text((home / "config.toml").read_text(encoding="utf-8")
                                      + "retries = 1\n", encoding="utf-8")
    read_journal = AlegraClient.get_journal

    def journal_then_stop(client: AlegraClient, journal_id: str) -> Any:
        journal = read_journal(client, journal_id)
        sandbox.stop()  # Alegra goes away after the comprobante was read
        return journal

    monkeypatch.setattr(AlegraClient, "get_journal", journal_then_stop)
    code, found = verify_json()
    assert code == 69, found
    assert found["status"] == "error"
    assert results(found) == {"2026-11-01/J1": "unknown", "2026-11-01/P1": "unknown"}
    assert found["periods"][0]["result"] == "unknown"
    assert all("could not reach Alegra" in d["error"] for d in found["periods"][0]["documents"])
    with closing(sqlite3.connect(home / "state.sqlite3")) as db:
        assert db.execute("SELECT verify_result FROM periods").fetchall() == [("unknown",)]
        assert db.execute("SELECT DISTINCT verify_result FROM documents").fetchall() == [
            ("unknown",)]


def test_alegra_failing_every_read_is_unknown_with_69(
        home: Path, sandbox: SandboxServer) -> None:
    post_period(home)
    sandbox.faults.add("GET /payments", "500-before", count=50)
    code, found = verify_json()
    assert code == 69, found
    assert set(results(found).values()) == {"unknown"}
    shown = cli("verify")
    assert shown.exit_code == 69
    assert "never taken as a match" in shown.stderr


@pytest.mark.parametrize(("fault", "seconds", "code"), [
    ("delay-after", 2.5, 69),  # answers after the 2 s read timeout: Alegra failing, as a 5xx
    ("429", 0.0, 75),  # the rate limit never recovers: try again later
])
def test_alegra_too_slow_or_rate_limited_is_unknown_never_a_match(
        home: Path, sandbox: SandboxServer, fault: str, seconds: float, code: int) -> None:
    post_period(home)
    (home / "config.toml").write_text((home / "config.toml").read_text(encoding="utf-8")
                                      + "retries = 1\n", encoding="utf-8")
    sandbox.faults.add("GET /journals", fault, count=50, seconds=seconds)
    exit_code, found = verify_json()
    assert exit_code == code, found
    assert results(found)["2026-11-01/J1"] == "unknown"
    assert found["periods"][0]["result"] == "unknown"


def test_a_period_not_posted_has_nothing_to_verify(home: Path, sandbox: SandboxServer) -> None:
    post_period(home)
    code, found = verify_json("--period", "2026-11-16")
    assert (code, found["status"], found["periods"]) == (0, "ok", [])
    assert found["warnings"] == [
        "2026-11-16: the local state does not know this period, nothing to verify"]
