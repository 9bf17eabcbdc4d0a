"""`verify` on a state written by 0.1.0 (no lines kept: Alegra's copy is read at the first
verify, marked as such) and on a period split into several comprobantes (J1…Jn)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from alegra_sync.alegra.client import AlegraClient
from alegra_sync.sandbox import SandboxServer
from e2e.helpers import FAST_CONFIG, SAMPLES, cli, employee, sync_json, write_export
from e2e.test_verify import results, verify_json

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "state" / "state-0.1.0.sqlite3"


def rows(paid: str, salary: int) -> list[dict[str, object]]:
    """What make_state.py posted (tests/fixtures/state)."""
    return [
        employee("1001", "Ana Gómez", "Administración", "EPS Sura", "Protección AFP", paid,
                 Salario=salary, Auxilio_de_transporte=100000, Salud_empleado=80000,
                 Pensión_empleado=80000, Pensión_empleador=240000, ARL=10440,
                 Cesantías=166600),
        employee("1002", "Bruno Díaz", "Ventas", "Sanitas EPS", "Porvenir AFP", paid,
                 Salario=1500000, Horas_extras=50000, Salud_empleado=60000,
                 Pensión_empleado=60000, Libranza=100000, Pensión_empleador=180000,
                 ARL=7830, Cesantías=124950),
    ]


def replay_make_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Alegra as make_state.py left it: the same runs, in another home, give the same ids."""
    other = tmp_path / "replay"
    (other / "exports").mkdir(parents=True)
    shutil.copy(SAMPLES / "mapping.toml", other / "mapping.toml")
    (other / "config.toml").write_text(FAST_CONFIG, encoding="utf-8")
    with monkeypatch.context() as env:
        env.setenv("ALEGRA_SYNC_HOME", str(other))
        env.setenv("ALEGRA_SYNC_TODAY", "2026-12-20")
        write_export(other, date(2026, 11, 1), date(2026, 11, 15), rows("2026-11-15", 2000000))
        assert sync_json("--period", "2026-11-01")[0] == 0
        write_export(other, date(2026, 11, 1), date(2026, 11, 15), rows("2026-11-15", 2100000))
        assert sync_json("--period", "2026-11-01", "--replace")[0] == 0
        mapping = other / "mapping.toml"
        mapping.write_text(mapping.read_text(encoding="utf-8").replace(
            'mode = "single"', 'mode = "per-employee"'), encoding="utf-8")
        write_export(other, date(2026, 11, 16), date(2026, 11, 30), rows("2026-11-30", 2000000))
        assert sync_json("--period", "2026-11-16")[0] == 0


def lines_from(home: Path) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(home / "state.sqlite3")) as db:
        return db.execute("SELECT key, alegra_id, lines_from, verify_result FROM documents "
                          "WHERE status = 'posted' ORDER BY key").fetchall()


def test_a_state_of_0_1_0_gets_its_lines_from_alegra_at_the_first_verify(
    home: Path, sandbox: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    replay_make_state(tmp_path, monkeypatch)
    shutil.copy(FIXTURE, home / "state.sqlite3")

    code, first = verify_json()
    assert code == 0, first
    assert results(first) == {"2026-11-01/J1": "match", "2026-11-01/P1": "match",
                              "2026-11-16/J1": "match", "2026-11-16/P-1001": "match",
                              "2026-11-16/P-1002": "match"}
    assert {d["lines_from"] for p in first["periods"] for d in p["documents"]} == {"alegra"}
    assert lines_from(home) == [
        ("2026-11-01/J1", "1002", "alegra", "match"), ("2026-11-01/P1", "2002", "alegra", "match"),
        ("2026-11-16/J1", "1003", "alegra", "match"),
        ("2026-11-16/P-1001", "2003", "alegra", "match"),
        ("2026-11-16/P-1002", "2004", "alegra", "match")]

    # the lines now kept are what later verifies compare with: an edit is seen
    with AlegraClient(sandbox.url, sandbox.USER, sandbox.TOKEN, max_retries=0) as alegra:
        journal = alegra.get("/journals/1003")
        for entry in journal["entries"]:
            if entry["id"] == "5060" and (entry.get("costCenter") or {}).get("id") == "1":
                entry["debit"] = 10000
            if entry["id"] == "5016":
                entry["credit"] = 17830
        alegra.put("/journals/1003", journal)
    code, second = verify_json()
    assert code == 65, second
    changed = next(d for p in second["periods"] for d in p["documents"]
                   if d["key"] == "2026-11-16/J1")
    assert changed["result"] == "changed"
    assert [(d["account"], d["cost_center"], d["tercero"], d["posted"], d["now"])
            for d in changed["differences"]] == [
        ("5016", None, "860011153", {"debit": "0", "credit": "18270"},
         {"debit": "0", "credit": "17830"}),
        ("5060", "1", None, {"debit": "10440", "credit": "0"}, {"debit": "10000", "credit": "0"}),
    ]
    status = json.loads(cli("status", "--json").stdout)["periods"]
    assert [(p["period"], p["verified"]["result"]) for p in status] == [
        ("2026-11-01", "match"), ("2026-11-16", "drift"), ("2026-12-01", None)]


def test_a_split_period_with_one_part_deleted(
    home: Path, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ALEGRA_SYNC_JOURNAL__MAX_ENTRIES", "8")
    staff = [employee(str(2000 + i), f"Empleado {i}", "Administración", "EPS Sura",
                      "Protección AFP", "2026-11-15", Salario=1000000 + i * 1000,
                      Salud_empleado=40000, Pensión_empleado=40000) for i in range(9)]
    write_export(home, date(2026, 11, 1), date(2026, 11, 15), staff)
    code, posted = sync_json("--period", "2026-11-01")
    assert code == 0, posted
    journals = posted["periods"][0]["journal_ids"]
    assert len(journals) == 3  # 3 employees a part: 2 lines each, and the EPS and AFP lines
    keys = [f"2026-11-01/J{n}" for n in (1, 2, 3)]
    with AlegraClient(sandbox.url, sandbox.USER, sandbox.TOKEN, max_retries=0) as alegra:
        alegra.delete_journal(journals[1])

    code, found = verify_json()
    assert code == 65, found
    assert results(found) == {keys[0]: "match", keys[1]: "missing", keys[2]: "match",
                              "2026-11-01/P1": "match"}
    assert found["requests"]["GET"] == 4 + 1 + 1 + 1  # 4 documents, company, 2 look-ups

    before = [j["id"] for j in sandbox.store.dump()["journals"]]
    code, replaced = sync_json("--period", "2026-11-01", "--replace")
    assert code == 0, replaced
    after = [j["id"] for j in sandbox.store.dump()["journals"]]
    assert len(after) == 3 and set(before) < set(after)  # only the lost part posted again
    assert replaced["requests"]["POST"] == 1 and replaced["requests"]["DELETE"] == 0
    code, found = verify_json()
    assert code == 0, found
    assert set(results(found).values()) == {"match"}
    assert sorted(j["reference"].split()[1] for j in sandbox.store.dump()["journals"]) == keys
