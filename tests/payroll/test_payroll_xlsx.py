"""XLSX exports: sheets, Excel numbers and dates, row numbers as Excel shows them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from alegra_sync.errors import ExportRowError
from alegra_sync.payroll.export import read_export
from alegra_sync.payroll.model import Employee
from alegra_sync.payroll.options import ExportOptions

D = Decimal
Make = Callable[..., Path]
HEADER: list[object] = ["Tipo de documento", "Número de documento", "Nombre completo", "AFP",
          "Fecha inicio", "Fecha fin", "Fecha de pago", "Salario", "Horas extras", "ARL",
          "Neto a pagar"]


def data() -> list[list[object]]:
    return [
        ["Resumen de nómina"],
        [],
        list(HEADER),
        ["CC", 1020304050, "Ana", 800138188, date(2026, 11, 16), date(2026, 11, 30),
         datetime(2026, 11, 30, 0, 0), 875453, 43773.0, 0.1 + 0.2, 875453.5],
        ["CE", "PA-123", "Luis", "Porvenir AFP", "16/11/2026", "2026-11-30", None,
         1200000.0, None, 1234.5600000001, "1.200.000"],
        [None, None, "TOTALES", None, None, None, None, 2075453, 43773, 1234.86, None],
    ]


def test_xlsx_numbers_and_dates(xlsx_file: Make) -> None:
    export = read_export(xlsx_file(data()))
    assert export.employees == [
        Employee("1020304050", "Ana", "CC", None, None, "800138188", date(2026, 11, 30),
                 {"Salario": D(875453), "Horas extras": D(43773), "ARL": D("0.30")},
                 D("875453.5"), 4),
        Employee("PA123", "Luis", "CE", None, None, "Porvenir AFP", None,
                 {"Salario": D(1200000), "ARL": D("1234.56")}, D(1200000), 5),
    ]
    assert (export.period_start, export.period_end) == (date(2026, 11, 16), date(2026, 11, 30))
    assert export.totals == {"Salario": D(2075453), "Horas extras": D(43773), "ARL": D("1234.86")}


def test_named_sheet(xlsx_file: Make) -> None:
    from openpyxl import Workbook

    path = xlsx_file([["nothing here"]], others=())
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    first.title = "Resumen"
    first.append(["otra cosa"])
    second = workbook.create_sheet("Nómina")
    for row in data():
        second.append(row)
    workbook.save(path)
    export = read_export(path, ExportOptions(sheet="Nómina"))
    assert [e.identification for e in export.employees] == ["1020304050", "PA123"]


def test_unknown_sheet(xlsx_file: Make) -> None:
    path = xlsx_file(data(), sheet="Hoja1", others=("Resumen",))
    with pytest.raises(ExportRowError) as caught:
        read_export(path, ExportOptions(sheet="Nómina"))
    assert caught.value.message == (
        "nomina.xlsx: no sheet 'Nómina'; the sheets are 'Hoja1', 'Resumen'"
    )
    assert caught.value.exit_code == 65


def test_xlsx_rejection_names_the_excel_row(xlsx_file: Make) -> None:
    rows = data()
    rows[4][8] = "muchas"
    with pytest.raises(ExportRowError) as caught:
        read_export(xlsx_file(rows))
    assert caught.value.message == (
        "nomina.xlsx, row 5, column 'Horas extras', value 'muchas': not an amount (unexpected "
        "characters)"
    )


def test_xlsx_boolean_amount_is_rejected(xlsx_file: Make) -> None:
    rows = data()
    rows[3][9] = True
    with pytest.raises(ExportRowError) as caught:
        read_export(xlsx_file(rows))
    assert caught.value.message == (
        "nomina.xlsx, row 4, column 'ARL', value 'True': not an amount (a true/false value)"
    )


def test_xlsx_table_not_in_column_a(xlsx_file: Make) -> None:
    from openpyxl import Workbook

    path = xlsx_file([["x"]])
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.cell(row=3, column=2, value="Documento")
    sheet.cell(row=3, column=3, value="Nombre")
    sheet.cell(row=3, column=4, value="Salario")
    sheet.cell(row=4, column=2, value=7)
    sheet.cell(row=4, column=3, value="A")
    sheet.cell(row=4, column=4, value=10)
    sheet.cell(row=4, column=6, value=99)
    workbook.save(path)
    with pytest.raises(ExportRowError) as caught:
        read_export(path)
    assert caught.value.message == (
        "nomina.xlsx, row 4, value '99': a value in column F, which has no header"
    )
