"""XLSX formula cells without a computed value are refused, naming the cells (65)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from alegra_sync.errors import ExportRowError
from alegra_sync.payroll.export import read_export
from alegra_sync.payroll.formulas import _UNCOMPUTED, uncomputed_formulas

HEADER = ["Identificación", "Nombre", "Salario", "Salud empleado", "Neto a pagar"]


def workbook(path: Path, rows: list[list[object]], title: str = "Nómina") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in [HEADER, *rows]:
        sheet.append(row)
    book.save(path)
    return path


def test_formulas_written_by_a_program_are_refused_naming_the_cells(tmp_path: Path) -> None:
    path = workbook(tmp_path / "nomina_2026-11-01_2026-11-15.xlsx", [
        ["1001", "Ana", 1000000, 40000, "=C2-D2"],
        ["1002", "Bruno", 2000000, 80000, "=C3-D3"],
    ])
    with pytest.raises(ExportRowError) as refused:
        read_export(path)
    assert refused.value.exit_code == 65
    assert str(refused.value) == (
        "nomina_2026-11-01_2026-11-15.xlsx: cells E2, E3 hold formulas without their computed "
        "value (the file was written by a program and never opened in a spreadsheet) (open "
        "the file in Excel or LibreOffice and save it, or export it with values)")


def test_only_the_sheet_read_counts(tmp_path: Path) -> None:
    path = workbook(tmp_path / "nomina.xlsx", [["1001", "Ana", 1000000, 40000, 960000]])
    book = openpyxl.load_workbook(path)
    book.create_sheet("Cálculos").append(["=1+1"])
    book.save(path)
    assert uncomputed_formulas(path, None) == []
    assert uncomputed_formulas(path, "Nómina") == []
    assert uncomputed_formulas(path, "Cálculos") == ["A1"]


@pytest.mark.parametrize("cell", [
    '<c r="E2"><f>C2-D2</f><v>960000</v></c>',  # saved by Excel: the value is there
    '<c r="E2" s="0" t="n"><f aca="false">C2-D2</f><v>960000</v></c>',  # LibreOffice
    '<c r="E2"><v>960000</v></c>',  # a plain number
])
def test_a_formula_with_its_value_is_read(cell: str) -> None:
    assert _UNCOMPUTED.findall(cell.encode()) == []


@pytest.mark.parametrize("cell", [
    '<c r="E2"><f>C2-D2</f></c>',
    '<c r="E2"><f>C2-D2</f><v></v></c>',
    '<c r="E2"><f>C2-D2</f><v/></c>',
    '<c r="E2" s="1"><f t="shared" si="0"/></c>',
])
def test_a_formula_without_its_value_is_found(cell: str) -> None:
    assert _UNCOMPUTED.findall(cell.encode()) == [b"E2"]


def test_the_samples_hold_no_uncomputed_formula() -> None:
    samples = Path(__file__).resolve().parents[2] / "src" / "alegra_sync" / "samples"
    for path in samples.glob("*.xlsx"):
        assert uncomputed_formulas(path, None) == [], path.name
