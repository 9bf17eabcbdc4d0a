"""`sync` end to end: the real command against the sandbox, asserting what landed."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from alegra_sync.periods import period_starting
from alegra_sync.sandbox import SandboxServer
from e2e.helpers import cli, employee, entries, sync_json, write_export

D = Decimal
NOV1, NOV15 = date(2026, 11, 1), date(2026, 11, 15)

ANA = employee("1001", "Ana Gómez", "Administración", "EPS Sura", "Protección AFP",
               "2026-11-15", Salario=2000000, Auxilio_de_transporte=100000,
               Salud_empleado=80000, Pensión_empleado=80000, Pensión_empleador=240000,
               ARL=10440, Cesantías=166600)
BRUNO = employee("1002", "Bruno Díaz", "Ventas", "Sanitas EPS", "Porvenir AFP",
                 "2026-11-15", Salario=1500000, Horas_extras=50000, Salud_empleado=60000,
                 Pensión_empleado=60000, Libranza=100000, Pensión_empleador=180000,
                 ARL=7830, Cesantías=124950)

# Worked by hand from the sample mapping: devengos on 5105xx (Ventas: 5205xx) with the
# employee, deductions from the payable (5023) to the EPS (5015) and pension fund (5020)
# with the entity, employer pension and ARL and the cesantías provision by cost center.
WORKED_EXAMPLE = sorted([
    ("5053", D(2000000), D(0), "1001", "1"),       # Sueldos, Administración
    ("5072", D(1500000), D(0), "1002", "2"),       # Sueldos ventas
    ("5055", D(100000), D(0), "1001", "1"),        # Auxilio de transporte
    ("5073", D(50000), D(0), "1002", "2"),         # Horas extras ventas
    ("5062", D(240000), D(0), None, "1"),          # Aportes a pensiones, by cost center
    ("5062", D(180000), D(0), None, "2"),
    ("5060", D(10440), D(0), None, "1"),           # ARL
    ("5060", D(7830), D(0), None, "2"),
    ("5056", D(166600), D(0), None, "1"),          # Cesantías
    ("5056", D(124950), D(0), None, "2"),
    ("5023", D(0), D(1940000), "1001", None),      # net pay owed: 2.100.000 - 160.000
    ("5023", D(0), D(1330000), "1002", None),      # 1.550.000 - 220.000
    ("5015", D(0), D(80000), "800088702", None),   # EPS Sura
    ("5015", D(0), D(60000), "800251440", None),   # Sanitas EPS
    ("5020", D(0), D(320000), "800138188", None),  # Protección: 80.000 + 240.000
    ("5020", D(0), D(240000), "800229739", None),  # Porvenir: 60.000 + 180.000
    ("5018", D(0), D(100000), None, None),         # Libranza
    ("5016", D(0), D(18270), "860011153", None),   # ARL, Positiva
    ("5025", D(0), D(166600), "1001", None),       # Cesantías consolidadas
    ("5025", D(0), D(124950), "1002", None),
])


def live(dump: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    payments = [p for p in dump["payments"] if p["status"] != "void"]
    return dump["journals"], payments


def test_a_quincena_posts_the_worked_example_once(home: Path, sandbox: SandboxServer) -> None:
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    code, result = sync_json("--period", "2026-11-01")
    assert code == 0, result
    assert result["status"] == "success"
    period = result["periods"][0]
    assert period["outcome"] == "posted"
    assert (period["debit_total"], period["credit_total"], period["net_pay"]) == (
        "4379820", "4379820", "3270000")

    journals, payments = live(sandbox.store.dump())
    assert len(journals) == 1 and len(payments) == 1
    journal = journals[0]
    assert entries(journal) == WORKED_EXAMPLE
    assert journal["date"] == "2026-11-15"
    assert journal["reference"].startswith("alegra-sync 2026-11-01/J1 #")
    payment = payments[0]
    assert D(str(payment["amount"])) == D(3270000)
    assert payment["bankAccount"]["id"] == "2"
    assert [c["id"] for c in payment["categories"]] == ["5023"]
    assert payment["observations"].startswith("alegra-sync 2026-11-01/P1 #")
    assert period["journal_ids"] == [journal["id"]]
    assert period["payment_ids"] == [payment["id"]]

    # again: nothing posted, exit 0
    writes_before = sandbox.store.dump()["requests"]["POST"]
    code, again = sync_json("--period", "2026-11-01")
    assert code == 0
    assert again["periods"][0]["outcome"] == "already-posted"
    assert again["requests"]["POST"] == 0
    assert sandbox.store.dump()["requests"]["POST"] == writes_before
    assert len(live(sandbox.store.dump())[0]) == 1


def test_summary_detail_and_per_employee_egresos(home: Path, sandbox: SandboxServer,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALEGRA_SYNC_JOURNAL__DETAIL", "summary")
    mapping = (home / "mapping.toml").read_text(encoding="utf-8")
    (home / "mapping.toml").write_text(mapping.replace('mode = "single"',
                                                       'mode = "per-employee"'))
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    code, result = sync_json("--period", "2026-11-01")
    assert code == 0, result
    journals, payments = live(sandbox.store.dump())
    lines = entries(journals[0])
    assert all(client is None for _, _, _, client, _ in lines)  # summary: no terceros
    # per (account, cost center): the payable nets to the whole net pay in one line
    assert ("5023", D(0), D(3270000), None, None) in lines
    assert ("5020", D(0), D(560000), None, None) in lines
    assert sum(d for _, d, _, _, _ in lines) == D(4379820)
    by_client = sorted((p["client"]["identification"], D(str(p["amount"]))) for p in payments)
    assert by_client == [("1001", D(1940000)), ("1002", D(1330000))]
    assert sorted(p["observations"].split()[1] for p in payments) == [
        "2026-11-01/P-1001", "2026-11-01/P-1002"]


def test_split_above_max_entries(home: Path, sandbox: SandboxServer,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALEGRA_SYNC_JOURNAL__MAX_ENTRIES", "8")
    rows = [employee(str(2000 + i), f"Empleado {i}", "Administración", "EPS Sura",
                     "Protección AFP", "2026-11-15", Salario=1000000 + i * 1000,
                     Salud_empleado=40000, Pensión_empleado=40000)
            for i in range(6)]
    write_export(home, NOV1, NOV15, rows)
    code, result = sync_json("--period", "2026-11-01")
    assert code == 0, result
    journals, payments = live(sandbox.store.dump())
    assert len(journals) > 1
    keys = sorted(j["reference"].split()[1] for j in journals)
    assert keys == [f"2026-11-01/J{n}" for n in range(1, len(journals) + 1)]
    for journal in journals:
        assert len(journal["entries"]) <= 8
        lines = entries(journal)
        assert sum(d for _, d, _, _, _ in lines) == sum(c for _, _, c, _, _ in lines)
    every_employee = [client for j in journals for _, _, _, client, _ in entries(j)
                      if client and client.startswith("2")]
    assert len(set(every_employee)) == 6
    # whole employees: nobody's lines are in two parts
    parts = [{c for _, _, _, c, _ in entries(j) if c and c.startswith("2")} for j in journals]
    assert sum(len(p) for p in parts) == 6
    total_net = sum(1000000 + i * 1000 - 80000 for i in range(6))
    assert sum(D(str(p["amount"])) for p in payments) == total_net


def test_precision_two_keeps_cents(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from e2e.helpers import FAST_CONFIG, SAMPLES

    with SandboxServer(decimal_precision=2) as server:
        monkeypatch.setenv("ALEGRA_SYNC_BASE_URL", server.url)
        monkeypatch.setenv("ALEGRA_SYNC_USER", server.USER)
        monkeypatch.setenv("ALEGRA_SYNC_TOKEN", server.TOKEN)
        shutil.copy(SAMPLES / "mapping.toml", isolated_home / "mapping.toml")
        (isolated_home / "config.toml").write_text(FAST_CONFIG, encoding="utf-8")
        (isolated_home / "exports").mkdir()
        row = employee("1001", "Ana Gómez", "Administración", "EPS Sura", "Protección AFP",
                       "2026-11-15", Salario="1000000,55", Salud_empleado="40000,02")
        write_export(isolated_home, NOV1, NOV15, [row])
        code, result = sync_json("--period", "2026-11-01")
        assert code == 0, result
        assert result["periods"][0]["net_pay"] == "960000.53"
        journal = server.store.dump()["journals"][0]
        assert ("5053", D("1000000.55"), D(0), "1001", "1") in entries(journal)
        payment = server.store.dump()["payments"][0]
        assert D(str(payment["amount"])) == D("960000.53")


def test_monthly_company(home: Path, sandbox: SandboxServer,
                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALEGRA_SYNC_PAYROLL__FREQUENCY", "monthly")
    monkeypatch.setenv("ALEGRA_SYNC_TODAY", "2026-12-01")
    write_export(home, NOV1, date(2026, 11, 30), [ANA])
    code, result = sync_json()
    assert code == 0, result
    assert [(p["period"], p["end"]) for p in result["periods"]] == [("2026-11-01", "2026-11-30")]
    journal = sandbox.store.dump()["journals"][0]
    assert journal["date"] == "2026-11-30"


def _twelve_periods(home: Path) -> list[str]:
    names = []
    start = date(2026, 5, 1)
    for _ in range(12):
        period = period_starting(start, "biweekly")
        rows = [employee("1001", "Ana Gómez", "Administración", "EPS Sura", "Protección AFP",
                         period.end.isoformat(), Salario=1000000 + period.start.toordinal() % 97,
                         Salud_empleado=40000, Pensión_empleado=40000)]
        write_export(home, period.start, period.end, rows)
        names.append(period.name)
        start = period.end + timedelta(days=1)
    return names


def test_backfill_posts_each_period_once_in_order(home: Path, sandbox: SandboxServer) -> None:
    names = _twelve_periods(home)
    code, result = sync_json("--from", names[0], "--to", names[-1])
    assert code == 0, result
    assert [p["period"] for p in result["periods"]] == names
    assert {p["outcome"] for p in result["periods"]} == {"posted"}
    journals = sandbox.store.dump()["journals"]
    assert sorted(j["reference"].split()[1] for j in journals) == [f"{n}/J1" for n in names]
    assert [j["reference"].split()[1] for j in sorted(journals, key=lambda j: int(j["id"]))] \
        == [f"{n}/J1" for n in names]  # posted in date order
    code, again = sync_json("--from", names[0], "--to", names[-1])
    assert code == 0 and again["requests"]["POST"] == 0
    assert len(sandbox.store.dump()["journals"]) == 12


def test_catch_up_posts_exactly_the_missing_periods(home: Path, sandbox: SandboxServer,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    names = _twelve_periods(home)
    (home / "config.toml").write_text(
        (home / "config.toml").read_text().replace("start = 2026-01-01", "start = 2026-05-01"))
    monkeypatch.setenv("ALEGRA_SYNC_TODAY", "2026-09-16")  # 2026-09-01 is due, then nothing
    # cron posted some periods, then the server was down for three of them
    for name in names[:8]:
        assert sync_json("--period", name)[0] == 0
    for name in names[9:]:
        assert sync_json("--period", name)[0] == 0
    assert len(sandbox.store.dump()["journals"]) == 11
    code, result = sync_json("--catch-up")
    assert code == 0, result
    assert [p["period"] for p in result["periods"]] == [names[8]]
    assert len(sandbox.store.dump()["journals"]) == 12


def test_dry_run_sends_no_write(home: Path, sandbox: SandboxServer) -> None:
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    result = cli("sync", "--period", "2026-11-01", "--dry-run")
    assert result.exit_code == 0, result.output
    assert ("Summary by account and cost center — comprobante 2026-11-01/J1 (2026-11-15)"
            in result.stdout)
    assert "│ 2026-11-01/P1 │" in result.stdout
    assert "4.379.820" in result.stdout and "3.270.000" in result.stdout
    assert "What sync would do in Alegra:\n  post 2026-11-01/J1\n  post 2026-11-01/P1\n" in (
        result.stdout)
    counts = sandbox.store.dump()["requests"]
    assert counts.get("POST", 0) == counts.get("PUT", 0) == counts.get("DELETE", 0) == 0
    assert sandbox.store.dump()["journals"] == []


def test_status_lists_the_posted_documents(home: Path, sandbox: SandboxServer) -> None:
    import json

    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    assert sync_json("--period", "2026-11-01")[0] == 0
    status = json.loads(cli("status", "--json").stdout)
    assert status["version"] == 1 and status["command"] == "status"
    (period,) = status["periods"]
    assert (period["period"], period["end"], period["state"]) == ("2026-11-01", "2026-11-15",
                                                                  "posted")
    docs = {d["key"]: d for d in period["documents"]}
    assert set(docs) == {"2026-11-01/J1", "2026-11-01/P1"}
    assert docs["2026-11-01/J1"]["alegra_id"] == sandbox.store.dump()["journals"][0]["id"]
    assert all(d["status"] == "posted" and d["posted_at"] for d in docs.values())
    table = cli("status")
    assert "J1 comprobante" in table.stdout and "posted" in table.stdout


def test_missing_export_is_66_and_unmapped_concept_65(home: Path, sandbox: SandboxServer) -> None:
    code, result = sync_json("--period", "2026-11-01")
    assert code == 66
    assert result["status"] == "error"
    assert "no" in result["periods"][0]["error"]["message"].lower()
    write_export(home, NOV1, NOV15, [{**ANA, "Bonificación": 50000}])
    code, result = sync_json("--period", "2026-11-01")
    assert code == 65
    assert "Bonificación" in result["periods"][0]["error"]["message"]
    assert sandbox.store.dump()["requests"].get("POST", 0) == 0


def test_connecting_again_forgets_the_cached_contacts(home: Path, sandbox: SandboxServer) -> None:
    from alegra_sync.sync.ledger import Ledger

    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    assert sync_json("--period", "2026-11-01")[0] == 0
    with Ledger.open(home / "state.sqlite3") as ledger:
        assert ("employee", "1001") in ledger.contact_ids()
    assert cli("connect").exit_code == 0  # perhaps another company now
    with Ledger.open(home / "state.sqlite3") as ledger:
        assert ledger.contact_ids() == {}
    assert not list((home / "cache").glob("*chart*"))


def test_posted_periods_whose_exports_were_archived_are_already_posted(
        home: Path, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> None:
    # issue 13, item 6: the sysadmin moves posted exports to an archive; reruns and the cron
    # day that picks such a period are "already posted", exit 0, no export needed
    names = _twelve_periods(home)
    assert sync_json("--from", names[0], "--to", names[3])[0] == 0
    archive = home / "archive"
    archive.mkdir()
    for export in sorted((home / "exports").iterdir())[:4]:
        export.rename(archive / export.name)
    code, again = sync_json("--from", names[0], "--to", names[3])
    assert code == 0, again
    assert [(p["period"], p["outcome"]) for p in again["periods"]] == [
        (name, "already-posted") for name in names[:4]]
    assert again["requests"]["POST"] == 0
    monkeypatch.setenv("ALEGRA_SYNC_TODAY", f"{names[1]}")  # cron's day for the first one
    code, due = sync_json()
    assert code == 0, due
    assert [(p["period"], p["outcome"]) for p in due["periods"]] == [(names[0], "already-posted")]
    assert len(sandbox.store.dump()["journals"]) == 4
