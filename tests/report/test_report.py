"""`report`: the worked example's figures read back from the XLSX, section by section; a
report from the state alone (export moved away, no Alegra call); a simulation marked as such;
bad input in one line."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from alegra_sync.sandbox import SandboxServer
from e2e.helpers import cli, sync_json, write_export
from report.worked import ANA, BRUNO, NOV16, NOV30, post_worked_example


def sheet_rows(path: Path, sheet: str) -> list[tuple[Any, ...]]:
    """The table of a sheet (below its title and header rows), as the reader sees the cells."""
    workbook = load_workbook(path)
    rows = list(workbook[sheet].iter_rows(min_row=3, values_only=True))
    return [row for row in rows if any(cell is not None for cell in row)]


def by_first(rows: list[tuple[Any, ...]], column: int = 0) -> dict[Any, tuple[Any, ...]]:
    return {row[column]: row for row in rows}


@pytest.fixture
def posted(home: Path, sandbox: SandboxServer) -> dict[str, Any]:
    return post_worked_example(home)


def test_the_worked_example_section_by_section(home: Path, posted: dict[str, Any]) -> None:
    result = cli("report", "--period", "2026-11-01")
    assert result.exit_code == 0, result.output
    book = home / "reports" / "2026-11-01.xlsx"
    assert f"XLSX: {book}" in result.stdout
    assert f"HTML: {home / 'reports' / '2026-11-01.html'}" in result.stdout
    workbook = load_workbook(book)
    assert workbook.sheetnames == ["Summary", "Comprobante", "By account", "By tercero",
                                   "By cost center", "Employees", "Payable to entities",
                                   "Checks"]

    summary = {row[0]: row[1] for row in sheet_rows(book, "Summary")}
    assert (summary["Devengos"], summary["Deducciones"], summary["Employer contributions"],
            summary["Provisions"], summary["Net pay"], summary["Σ debits"],
            summary["Σ credits"], summary["Employees"]) == (
        3250000, 264000, 703193, 270834, 2986000, 4224027, 4224027, 2)
    assert summary["Payment date"] == datetime(2026, 11, 15)  # a date, not text
    assert summary["Comprobantes in Alegra"] == f"J1: {posted['journal_ids'][0]}"
    assert summary["State"] == "posted"

    journal = sheet_rows(book, "Comprobante")
    lines = [row for row in journal if row[0] == "J1" and row[1]]
    assert len(lines) == 24
    assert journal[-1][2:] == ("Total", None, None, None, None, 4224027, 4224027)
    assert ("J1", "510506", "Sueldos", "Administración", "1001", "Ana Gómez",
            "Salario — Ana Gómez", 1000000, 0) in lines

    accounts = sheet_rows(book, "By account")
    account = {row[0]: row for row in accounts if row[0] and len(str(row[0])) == 6}
    assert account["238030"][2:] == (0, 504000, -504000)  # both pension funds
    assert account["250505"][2:] == (0, 2986000, -2986000)
    assert account["510570"][2:] == (378000, 0, 378000)
    assert ("5", "5 Gastos", None, None, None) in accounts
    assert (None, "Subtotal 5 Gastos", 4224027, 0, 4224027) in accounts
    assert (None, "Subtotal 2 Pasivo", 0, 4224027, -4224027) in accounts

    terceros = sheet_rows(book, "By tercero")
    # Protección 160.000: Ana's pension 40.000 + her employer's 120.000, one line; its legal
    # name from the table of known entities (Porvenir's NIT here is not one of the table's)
    assert ("800138188", "Protección S.A. Pensiones y Cesantías", "238030",
            "Fondos de cesantías y/o pensiones",
            0, 160000, -160000) in terceros
    assert ("800229739", "Porvenir AFP", "238030", "Fondos de cesantías y/o pensiones",
            0, 344000, -344000) in terceros
    assert ("1001", "Subtotal Ana Gómez", None, None, 1100000, 1111667, -11667) in terceros

    centers = by_first(sheet_rows(book, "By cost center"))
    assert centers["Administración"][1:5] == (1100000, 165220, 91667, 1356887)
    assert centers["Ventas"][1:5] == (2150000, 537973, 179167, 2867140)
    assert centers["Total"][1:6] == (3250000, 703193, 270834, 4224027, 1)
    assert round(centers["Administración"][5], 4) == round(1356887 / 4224027, 4)

    employees = by_first(sheet_rows(book, "Employees"))
    payment = posted["payment_ids"][0]
    assert employees["1001"] == ("1001", "Ana Gómez", "Administración", 1100000, 80000,
                                 1020000, 1020000, "2026-11-01/P1", payment)
    assert employees["2002"] == ("2002", "Bruno Díaz", "Ventas", 2150000, 184000, 1966000,
                                 1966000, "2026-11-01/P1", payment)

    entities = sheet_rows(book, "Payable to entities")
    assert [(row[0], row[2], row[4]) for row in entities] == [
        (None, "236505", 12000),  # retención en la fuente, no tercero in the sample mapping
        ("800088702", "237005", 40000), ("800251440", "237005", 268750),
        ("860011153", "237006", 16443), ("890900841", "237010", 126000),
        ("800138188", "238030", 160000), ("800229739", "238030", 344000),
        (None, None, 967193)]  # the total row

    checks = by_first(sheet_rows(book, "Checks"))
    assert checks["Σ debits = Σ credits, J1"][1:] == ("✓", "4.224.027 = 4.224.027")
    assert checks["The payable nets to each employee's net pay"][1] == "✓"
    assert checks["The egresos pay exactly the payable"][1:] == (
        "✓", "2.986.000 paid, 2.986.000 owed")
    assert checks["Every liability line has a tercero"][1] == "✗"


def test_the_workbook_keeps_numbers_dates_frozen_headers_and_filters(
        home: Path, posted: dict[str, Any]) -> None:
    assert cli("report", "--period", "2026-11-01", "--format", "xlsx").exit_code == 0
    assert not (home / "reports" / "2026-11-01.html").exists()
    workbook = load_workbook(home / "reports" / "2026-11-01.xlsx")
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A3", sheet.title
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A2"), sheet.title
        assert sheet["A1"].value.startswith("Demo Nómina S.A.S. (NIT 900123456) · Payroll")
        for row in sheet.iter_rows():
            for cell in row:
                assert not (isinstance(cell.value, str) and cell.value.startswith("=")), cell
    journal = workbook["Comprobante"]
    amount = journal["H3"]
    assert isinstance(amount.value, int | float) and "#,##0" in amount.number_format
    assert journal.column_dimensions["C"].width >= 20


def test_a_posted_period_is_reported_from_the_state_after_its_export_is_archived(
        home: Path, sandbox: SandboxServer, posted: dict[str, Any]) -> None:
    archive = home.parent / "archive"
    shutil.move(home / "exports", archive)
    (home / "exports").mkdir()
    before = sandbox.store.dump()["requests"]
    result = cli("report", "--period", "2026-11-01")
    assert result.exit_code == 0, result.output
    assert sandbox.store.dump()["requests"] == before  # no Alegra call
    summary = {row[0]: row[1] for row in sheet_rows(home / "reports" / "2026-11-01.xlsx",
                                                    "Summary")}
    assert (summary["Net pay"], summary["Σ debits"]) == (2986000, 4224027)

    # and sync says it is already posted, without the export, exit 0
    code, again = sync_json("--period", "2026-11-01")
    assert code == 0, again
    assert again["periods"][0]["outcome"] == "already-posted"
    assert again["periods"][0]["net_pay"] == "2986000"
    assert again["requests"]["POST"] == 0


def test_a_period_not_posted_is_a_simulation_on_every_page_and_sheet(
        home: Path, sandbox: SandboxServer) -> None:
    write_export(home, NOV16, NOV30, [ANA, BRUNO])
    result = cli("report", "--period", "2026-11-16")
    assert result.exit_code == 0, result.output
    assert "simulation — not posted" in result.stdout
    html = (home / "reports" / "2026-11-16.html").read_text(encoding="utf-8")
    assert html.count('<div class="simulation">') == 8  # the cover and each section
    assert "SIMULATION — NOT POSTED" in html  # the printed pages' running header
    workbook = load_workbook(home / "reports" / "2026-11-16.xlsx")
    assert all(sheet["A1"].value.startswith("SIMULATION — NOT POSTED")
               for sheet in workbook.worksheets)
    assert sandbox.store.dump()["journals"] == []  # nothing posted


def test_the_report_in_spanish(home: Path, posted: dict[str, Any]) -> None:
    result = cli("--lang", "es", "report", "--period", "2026-11-01")
    assert result.exit_code == 0, result.output
    assert "Informe de nómina 1–15 nov 2026 — contabilizado" in result.stdout
    workbook = load_workbook(home / "reports" / "2026-11-01.xlsx")
    assert workbook.sheetnames == ["Resumen", "Comprobante", "Por cuenta", "Por tercero",
                                   "Por centro de costos", "Empleados",
                                   "Por pagar a entidades", "Controles"]
    html = (home / "reports" / "2026-11-01.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in html and "Neto a pagar" in html


def test_a_range_writes_one_report_per_period_and_an_index(
        home: Path, posted: dict[str, Any]) -> None:
    write_export(home, NOV16, NOV30, [ANA, BRUNO])
    result = cli("report", "--from", "2026-11-01", "--to", "2026-11-30")
    assert result.exit_code == 0, result.output
    index = (home / "reports" / "index.html").read_text(encoding="utf-8")
    assert 'href="2026-11-01.html"' in index and 'href="2026-11-16.xlsx"' in index


def test_report_with_verify_adds_each_documents_result(
        home: Path, posted: dict[str, Any]) -> None:
    result = cli("report", "--period", "2026-11-01", "--verify", "--format", "xlsx")
    assert result.exit_code == 0, result.output
    checks = by_first(sheet_rows(home / "reports" / "2026-11-01.xlsx", "Checks"))
    assert checks["Alegra holds what was posted (verify)"][1:] == ("✓", "every document matches")
    assert checks[f"2026-11-01/J1 ({posted['journal_ids'][0]})"][1:] == ("✓", "match")


def test_a_period_neither_posted_nor_exported_is_one_line_and_66(home: Path) -> None:
    result = cli("report", "--period", "2026-12-01")
    assert result.exit_code == 66
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: 2026-12-01: the local state does not hold it as "
                                    f"posted and there is no export for it in {home / 'exports'}")


def test_an_unwritable_out_folder_is_one_line_naming_it_and_78(
        home: Path, posted: dict[str, Any]) -> None:
    blocker = home / "not-a-folder"
    blocker.write_text("a file where the folder should be\n", encoding="utf-8")
    target = blocker / "reports"
    result = cli("report", "--period", "2026-11-01", "--out", str(target))
    assert result.exit_code == 78, result.output
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"error: {target}: cannot write the report there")


def test_open_says_so_when_the_desktop_has_no_opener(
        home: Path, posted: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    result = cli("report", "--period", "2026-11-01", "--open")
    assert result.exit_code == 0, result.output
    assert (f"no desktop opener (xdg-open) on this machine: open "
            f"{home / 'reports' / '2026-11-01.html'} in a browser") in result.stderr


def test_report_json_says_each_periods_state_totals_checks_and_files(
        home: Path, posted: dict[str, Any]) -> None:
    write_export(home, NOV16, NOV30, [ANA, BRUNO])  # not posted: a simulation
    result = cli("report", "--from", "2026-11-01", "--to", "2026-11-30", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    folder = home / "reports"
    assert {k: document[k] for k in ("version", "command", "status", "out", "index",
                                     "warnings", "error")} == {
        "version": 1, "command": "report", "status": "success", "out": str(folder),
        "index": str(folder / "index.html"), "warnings": [], "error": None}
    first, second = document["periods"]
    assert first == {
        "period": "2026-11-01", "end": "2026-11-15", "state": "posted",
        "totals": {"devengos": "3250000", "deducciones": "264000",
                   "employer_contributions": "703193", "provisions": "270834",
                   "net_pay": "2986000", "debits": "4224027", "credits": "4224027",
                   "employees": 2},
        # the worked example's libranza is credited without a tercero: said, by its key
        "checks": {"ok": 5, "failed": 1, "not_checked": 0,
                   "failed_checks": ["liabilities-have-tercero"]},
        "files": {"html": str(folder / "2026-11-01.html"),
                  "xlsx": str(folder / "2026-11-01.xlsx")}}
    assert (second["period"], second["state"]) == ("2026-11-16", "simulation")
    assert second["files"] == {"html": str(folder / "2026-11-16.html"),
                               "xlsx": str(folder / "2026-11-16.xlsx")}
    assert second["totals"]["debits"] == second["totals"]["credits"]
    assert result.stderr == ""  # the summary is the document; nothing else on the screen


def test_report_json_of_a_period_it_cannot_report(home: Path) -> None:
    result = cli("report", "--period", "2026-12-01", "--json")
    assert result.exit_code == 66
    document = json.loads(result.stdout)
    assert (document["command"], document["status"], document["periods"]) == (
        "report", "error", [])
    assert document["error"]["code"] == 66
    assert document["error"]["message"].startswith(
        "2026-12-01: the local state does not hold it as posted and there is no export")
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: 2026-12-01: ")
