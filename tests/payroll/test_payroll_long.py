"""Long exports: one row per employee and concept."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from alegra_sync.errors import ExportRowError
from alegra_sync.payroll.export import read_export
from alegra_sync.payroll.model import Employee
from alegra_sync.payroll.options import ExportOptions

D = Decimal
Make = Callable[..., Path]
F = "nomina.csv"
HEADER = ["Identificación", "Nombre", "Centro de costos", "EPS", "Fecha de pago", "Concepto",
          "Valor"]


def rows() -> list[list[str]]:
    return [
        ["Nómina por concepto"],
        HEADER,
        ["1020304050", "Ana", "Administración", "EPS Sura", "13/11/2026", "Salario", "875.453"],
        ["1020304050", "", "", "", "", "Salud empleado", "35.018"],
        ["79845123", "Luis", "Ventas", "Sanitas EPS", "13/11/2026", "Salario", "1.200.000"],
        ["1020304050", "Ana", "Administración", "EPS Sura", "13/11/2026", "Prima", "0"],
        ["79845123", "Luis", "Ventas", "", "", "Libranza", "150.000"],
    ]


def test_long_layout(csv_file: Make) -> None:
    export = read_export(csv_file(rows()))
    assert export.concepts == ["Salario", "Salud empleado", "Prima", "Libranza"]
    assert export.employees == [
        Employee("1020304050", "Ana", "CC", "Administración", "EPS Sura", None,
                 date(2026, 11, 13), {"Salario": D(875453), "Salud empleado": D(35018)},
                 None, 3),
        Employee("79845123", "Luis", "CC", "Ventas", "Sanitas EPS", None, date(2026, 11, 13),
                 {"Salario": D(1200000), "Libranza": D(150000)}, None, 5),
    ]


def test_long_layout_with_monto_alias_and_forced_layout(csv_file: Make) -> None:
    header = ["Cédula", "Empleado", "CONCEPTO", "Monto"]
    path = csv_file([header, ["1", "A", "Salario", "$ 100"]])
    for layout in ("auto", "long"):  # both detect or accept the long layout
        export = read_export(path, ExportOptions(layout=layout))
        assert export.employees[0].amounts == {"Salario": D(100)}


def test_long_totals_rows(csv_file: Make) -> None:
    data = rows() + [["", "Total", "", "", "", "Salario", "2.075.453"],
                     ["TOTAL", "", "", "", "", "", "2.260.471"]]
    export = read_export(csv_file(data))
    assert export.totals == {"Salario": D(2075453)}


def test_long_totals_mismatch(csv_file: Make) -> None:
    data = rows() + [["", "Total", "", "", "", "Salario", "2.075.454"]]
    with pytest.raises(ExportRowError) as caught:
        read_export(csv_file(data))
    assert caught.value.message == (
        f"{F}, row 8, column 'Valor', value '2.075.454': the totals row says 2075454 for "
        "'Salario' but the employee rows add up to 2075453"
    )


def test_long_grand_total_mismatch(csv_file: Make) -> None:
    data = rows() + [["", "TOTAL", "", "", "", "", "1"]]
    with pytest.raises(ExportRowError) as caught:
        read_export(csv_file(data))
    assert caught.value.message == (
        f"{F}, row 8, column 'Valor', value '1': the totals row says 1 but the employee rows "
        "add up to 2260471"
    )


def test_duplicate_concept_for_employee(csv_file: Make) -> None:
    data = rows() + [["1020304050", "Ana", "", "", "", "Salario", "1"]]
    with pytest.raises(ExportRowError) as caught:
        read_export(csv_file(data))
    assert caught.value.message == (
        f"{F}, row 8, column 'Concepto', value 'Salario': duplicate concept for employee "
        "1020304050: also on row 3"
    )
    assert caught.value.exit_code == 65


def test_employee_columns_must_agree(csv_file: Make) -> None:
    data = rows() + [["79845123", "Luis", "Administración", "", "", "Prima", "1"]]
    with pytest.raises(ExportRowError) as caught:
        read_export(csv_file(data))
    assert caught.value.message == (
        f"{F}, row 8, column 'Centro de costos', value 'Administración': employee 79845123 has "
        "'Ventas' here on row 5; the rows of one employee must agree"
    )


def test_payment_dates_must_agree(csv_file: Make) -> None:
    data = rows() + [["79845123", "", "", "", "14/11/2026", "Prima", "1"]]
    with pytest.raises(ExportRowError) as caught:
        read_export(csv_file(data))
    assert caught.value.message == (
        f"{F}, row 8, column 'Fecha de pago', value '14/11/2026': employee 79845123 has "
        "2026-11-13 here on row 5; the rows of one employee must agree"
    )


def test_missing_concept(csv_file: Make) -> None:
    data = rows() + [["79845123", "Luis", "", "", "", "", "5"]]
    with pytest.raises(ExportRowError) as caught:
        read_export(csv_file(data))
    assert caught.value.message == f"{F}, row 8, column 'Concepto', value '': missing concept"


def test_missing_identification_in_long(csv_file: Make) -> None:
    data = rows()
    data.insert(3, ["", "Ana", "", "", "", "Prima", "5"])
    with pytest.raises(ExportRowError) as caught:
        read_export(csv_file(data))
    assert caught.value.message == (
        f"{F}, row 4, column 'Identificación', value '': missing identification"
    )


def test_not_an_amount_in_long(csv_file: Make) -> None:
    data = rows() + [["79845123", "", "", "", "", "Prima", "cinco"]]
    with pytest.raises(ExportRowError) as caught:
        read_export(csv_file(data))
    assert caught.value.message == (
        f"{F}, row 8, column 'Valor', value 'cinco': not an amount (unexpected characters)"
    )
