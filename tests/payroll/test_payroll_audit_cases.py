"""Inputs an audit found read silently wrong or refused wrongly: totals labels and footers,
float and scientific identifications, Excel floats, accounting zeros, title rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest

from alegra_sync.errors import ExportRowError
from alegra_sync.mapping.model import load_mapping
from alegra_sync.payroll.amounts import decimal_from_float, parse_amount, separator_use
from alegra_sync.payroll.export import export_period, read_export
from alegra_sync.payroll.wide import identification, is_total_label
from alegra_sync.periods import Period
from alegra_sync.sandbox.demo_company import ACCOUNTS
from alegra_sync.vouchers.build import build_vouchers
from alegra_sync.vouchers.model import AccountInfo, VoucherOptions

D = Decimal
Make = Callable[..., Path]
HEADER = ["Documento", "Nombre", "Salario", "Salud empleado", "Neto a pagar"]
ANA = ["1", "Ana", "1.000.000", "40.000", "960.000"]
LUIS = ["2", "Luis", "1.000.000", "40.000", "960.000"]
FOOTER = ["Generado por Aleluya el 16/11/2026"]


def people(export_path: Path) -> list[tuple[str, str, dict[str, Decimal], Decimal | None]]:
    export = read_export(export_path)
    return [(e.identification, e.name, e.amounts, e.neto) for e in export.employees]


ANA_READ = ("1", "Ana", {"Salario": D(1000000), "Salud empleado": D(40000)}, D(960000))
LUIS_READ = ("2", "Luis", {"Salario": D(1000000), "Salud empleado": D(40000)}, D(960000))


# --- 1. totals rows and footers ----------------------------------------------------------------


@pytest.mark.parametrize(
    "label",
    ["Total", "TOTALES", "Total general", "Total nómina", "Gran total", "TOTAL GENERAL",
     "Totales nómina", "Suma total", "  gran TOTAL: ", "Grantotal", "TÓTAL", "Totales/nómina"],
)
def test_total_labels(label: str) -> None:
    assert is_total_label(label) is True


@pytest.mark.parametrize(
    "text",
    ["", "1020304050", "Ana Gómez", "Subtotal", "Totalino Pérez", "Santos Tal", "Sumatoria",
     "Generado por Aleluya el 16/11/2026", "AB123456"],
)
def test_not_total_labels(text: str) -> None:
    assert is_total_label(text) is False


@pytest.mark.parametrize("column", [0, 1])
@pytest.mark.parametrize("label", ["Gran total", "TOTAL GENERAL", "Totales nómina", "Suma total"])
def test_any_total_label_marks_the_totals_row(csv_file: Make, label: str, column: int) -> None:
    total = ["", "", "2.000.000", "80.000", "1.920.000"]
    total[column] = label
    export = read_export(csv_file([HEADER, ANA, LUIS, total]))
    assert [e.identification for e in export.employees] == ["1", "2"]
    assert export.totals == {"Salario": D(2000000), "Salud empleado": D(80000)}


def test_gran_total_row_that_disagrees_is_refused_not_an_employee(csv_file: Make) -> None:
    total = ["Gran total", "", "2.000.001", "80.000", "1.920.000"]
    with pytest.raises(ExportRowError) as caught:
        read_export(csv_file([HEADER, ANA, LUIS, total]))
    assert str(caught.value) == (
        "nomina.csv, row 4, column 'Salario', value '2.000.001': the totals row says 2000001 "
        "but the employee rows add up to 2000000"
    )


def test_footer_in_the_identification_column_is_skipped(csv_file: Make) -> None:
    assert people(csv_file([HEADER, ANA, LUIS, FOOTER])) == [ANA_READ, LUIS_READ]


def test_footer_after_the_totals_row(csv_file: Make) -> None:
    total = ["Total", "", "2.000.000", "80.000", "1.920.000"]
    export = read_export(csv_file([HEADER, ANA, LUIS, total, [], FOOTER]))
    assert [e.identification for e in export.employees] == ["1", "2"]
    assert export.totals == {"Salario": D(2000000), "Salud empleado": D(80000)}


def test_footer_in_a_spreadsheet(xlsx_file: Make) -> None:
    rows = [HEADER, [1, "Ana", 1000000, 40000, 960000], [None, None, 1000000, 40000, 960000],
            ["Generado por Aleluya el 16/11/2026"]]
    export = read_export(xlsx_file(rows))
    assert [(e.identification, e.amounts) for e in export.employees] == [
        ("1", {"Salario": D(1000000), "Salud empleado": D(40000)})
    ]
    assert export.totals == {"Salario": D(1000000), "Salud empleado": D(40000)}


def test_text_identification_with_other_cells_is_still_an_employee(csv_file: Make) -> None:
    # only a lone text cell is a footer; a passport number with a name is an employee
    rows = [HEADER, ANA, ["AB123456", "Jean Dupont", "", "", ""]]
    assert people(csv_file(rows)) == [ANA_READ, ("AB123456", "Jean Dupont", {}, None)]


def test_long_layout_gran_total_row(csv_file: Make) -> None:
    rows = [["Documento", "Nombre", "Concepto", "Valor"], ["1", "Ana", "Salario", "1.000.000"],
            ["2", "Luis", "Salario", "500.000"], ["Gran total", "", "Salario", "1.500.000"]]
    export = read_export(csv_file(rows))
    assert [e.identification for e in export.employees] == ["1", "2"]
    assert export.totals == {"Salario": D(1500000)}


# --- 2. identifications ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1020304050.0", "1020304050"),
        ("1020304050.00", "1020304050"),
        (" 1020.0 ", "1020"),
        ("1.000", "1000"),  # thousands grouping, not a float
        ("123.000", "123000"),
        ("1.020.304.050", "1020304050"),
        ("1020304050.5", "10203040505"),  # not a float's zeros: separators dropped as before
        ("1.0.0", "100"),
        (1020304050.0, "1020304050"),
    ],
)
def test_identification_text(cell: object, expected: str) -> None:
    assert identification(cell) == expected


def test_identification_written_from_a_float_column(csv_file: Make) -> None:
    rows = [HEADER, ["1020304050.0", *ANA[1:]], ["1.000", *LUIS[1:]]]
    assert [e.identification for e in read_export(csv_file(rows)).employees] == [
        "1020304050", "1000"
    ]


@pytest.mark.parametrize("cell", ["1,02030405E+09", "1.02030405E+09", "1E+09", "1,5e-03"])
def test_identification_in_scientific_notation_is_refused(csv_file: Make, cell: str) -> None:
    with pytest.raises(ExportRowError) as caught:
        read_export(csv_file([HEADER, ANA, [cell, *LUIS[1:]]]))
    assert str(caught.value) == (
        f"nomina.csv, row 3, column 'Documento', value {cell!r}: an identification in "
        "scientific notation, its last digits lost (format the column as text, or as a number "
        "without exponent, and export again)"
    )
    assert caught.value.hint == (
        "format the column as text, or as a number without exponent, and export again"
    )


def test_scientific_identification_refused_in_the_long_layout(csv_file: Make) -> None:
    rows = [["Documento", "Nombre", "Concepto", "Valor"], ["1", "Ana", "Salario", "1.000.000"],
            ["1,02030405E+09", "Luis", "Salario", "500.000"]]
    with pytest.raises(ExportRowError) as caught:
        read_export(csv_file(rows))
    assert str(caught.value) == (
        "nomina.csv, row 3, column 'Documento', value '1,02030405E+09': an identification in "
        "scientific notation, its last digits lost (format the column as text, or as a number "
        "without exponent, and export again)"
    )


# --- 3. Excel floats ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1234.495, "1234.495"),
        (0.30000000000000004, "0.3"),
        (40000.000000000007, "40000"),
        (100.004, "100.004"),
        (300.012, "300.012"),
        (0.00522, "0.00522"),
        (-765.505, "-765.505"),
        (-1e-9, "0"),
        (1e-7, "0"),
        (2000.0, "2000"),
    ],
)
def test_decimal_from_float_drops_only_binary_noise(value: float, expected: str) -> None:
    result = decimal_from_float(value)
    assert str(result) == expected


def test_xlsx_float_amounts_are_not_rounded_to_cents(xlsx_file: Make) -> None:
    rows = [HEADER, [1, "A", 100.004, None, 100.004], [2, "B", 100.004, None, 100.004],
            [3, "C", 100.004, None, 100.004], [None, "Total", 300.012, None, 300.012]]
    export = read_export(xlsx_file(rows))
    assert [(e.identification, e.amounts, e.neto) for e in export.employees] == [
        (str(n), {"Salario": D("100.004")}, D("100.004")) for n in (1, 2, 3)
    ]
    assert export.totals == {"Salario": D("300.012")}


def test_xlsx_fast_and_cell_by_cell_paths_agree(xlsx_file: Make) -> None:
    # row 2 takes the all-numbers fast path; row 3's text cell sends it cell by cell
    rows = [HEADER, [1, "A", 1234.495, 0.30000000000000004, 40000.000000000007],
            [2, "B", 1234.495, "0,3", 40000.000000000007]]
    first, second = read_export(xlsx_file(rows)).employees
    assert first.amounts == second.amounts == {"Salario": D("1234.495"), "Salud empleado": D("0.3")}
    assert str(first.amounts["Salario"]) == str(second.amounts["Salario"]) == "1234.495"
    assert first.neto == second.neto == D(40000)


def test_xlsx_float_rounded_once_by_the_voucher(xlsx_file: Make) -> None:
    header = ["Documento", "Nombre", "Centro de costos", "EPS", "Salario", "Salud empleado",
              "Neto a pagar"]
    path = xlsx_file([header, [1, "Ana", "Ventas", "EPS Sura", 2000, 765.505, 1234.495]],
                     name="nomina_2026-11-01_2026-11-15.xlsx")
    export = read_export(path)
    mapping = load_mapping(Path(str(resources.files("alegra_sync") / "samples" / "mapping.toml")))
    chart = {a[0]: AccountInfo(id=a[0], name=a[3], code=a[2], type=a[4]) for a in ACCOUNTS}
    plan = build_vouchers(export, mapping, chart, Period(date(2026, 11, 1), date(2026, 11, 15)),
                          VoucherOptions())
    assert plan.net_by_employee == {"1": D(1234)}  # 1234.495 -> 1234, not 1234.50 -> 1235
    assert [payment.amount for payment in plan.payments] == [D(1234)]


# --- 4. accounting zero and US negatives --------------------------------------------------------


@pytest.mark.parametrize("text", ["-", " - ", "$ -", "$-", " $ -   ", "\xa0-\xa0"])
@pytest.mark.parametrize("separator", [",", "."])
def test_accounting_zero(text: str, separator: str) -> None:
    assert parse_amount(text, separator) == D(0)


@pytest.mark.parametrize(
    ("text", "separator", "expected"),
    [
        ("$(40,000.00)", ",", D("-40000.00")),
        ("$(40,000.00)", ".", D("-40000.00")),
        ("$ (40.000)", ",", D("-40000")),
        ("$ (40.000,50)", ",", D("-40000.50")),
        ("($ 40.000)", ",", D("-40000")),
    ],
)
def test_dollar_before_parentheses_is_negative(
    text: str, separator: str, expected: Decimal
) -> None:
    assert parse_amount(text, separator) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [("$()", "no digits"), ("$(-5)", "more than one minus sign"),
     ("--", "more than one minus sign")],
)
def test_still_not_amounts(text: str, reason: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_amount(text)
    assert str(caught.value) == reason


def test_accounting_zero_in_an_export(csv_file: Make) -> None:
    rows = [HEADER, ["1", "Ana", "1.000.000", " - ", "1.000.000"],
            ["2", "Luis", "1.000.000", "$ -", "1.000.000"]]
    assert [e.amounts for e in read_export(csv_file(rows)).employees] == [
        {"Salario": D(1000000)}, {"Salario": D(1000000)}
    ]


# --- 5. title rows holding known names -------------------------------------------------------


def test_desde_hasta_title_row_is_not_the_header(csv_file: Make) -> None:
    rows = [["Desde", "01/11/2026", "Hasta", "15/11/2026"], HEADER, ANA, LUIS]
    export = read_export(csv_file(rows))
    assert [(e.identification, e.row) for e in export.employees] == [("1", 3), ("2", 4)]
    assert export.concepts == ["Salario", "Salud empleado"]


def test_file_without_identification_still_says_so(csv_file: Make) -> None:
    rows = [["Desde", "01/11/2026", "Hasta", "15/11/2026"], ["Nombre", "Salario", "Neto a pagar"],
            ["Ana", "1.000.000", "1.000.000"]]
    with pytest.raises(ExportRowError) as caught:
        read_export(csv_file(rows))
    assert str(caught.value) == (
        "nomina.csv, row 1: no identification column (Identificación, Documento, Cédula, …) "
        "(name it in [export] columns.identificacion in config.toml)"
    )


def test_without_identification_the_rows_below_are_given_back(csv_file: Make) -> None:
    rows = [["Nombre", "Fecha inicio", "Fecha fin", "Salario"],
            ["Ana", "2026-11-01", "2026-11-15", "1.000.000"]]
    assert export_period(csv_file(rows)) == (date(2026, 11, 1), date(2026, 11, 15))


def test_without_identification_a_broken_row_below_comes_second(tmp_path: Path) -> None:
    path = tmp_path / "nomina.csv"
    path.write_text('Nombre;Neto a pagar\nAna;"1.000\n', encoding="utf-8")
    with pytest.raises(ExportRowError) as caught:
        read_export(path)
    assert str(caught.value) == (
        "nomina.csv, row 1: no identification column (Identificación, Documento, Cédula, …) "
        "(name it in [export] columns.identificacion in config.toml)"
    )


def test_xlsx_true_after_a_fraction_is_refused(xlsx_file: Make) -> None:
    rows = [HEADER, [1, "A", 1234.495, True, 1234.495]]
    with pytest.raises(ExportRowError) as caught:
        read_export(xlsx_file(rows))
    assert str(caught.value) == (
        "nomina.xlsx, row 2, column 'Salud empleado', value 'True': not an amount "
        "(a true/false value)"
    )


# --- an ambiguous amount in a file that shows the other convention -----------------------------


@pytest.mark.parametrize(("text", "separator", "use"), [
    ("40,000", ",", "ambiguous"), ("$ 40,000", ",", "ambiguous"), ("40.000", ".", "ambiguous"),
    ("1,000,000", ",", "contrary"), ("1,234.50", ",", "contrary"), ("1.000.000", ".", "contrary"),
    ("1.234,50", ".", "contrary"), ("1.234,50", ",", None), ("40,5", ",", None),
    ("0,500", ",", None), ("1234,000", ",", None), ("40.000", ",", None), ("1,000", ".", None),
])
def test_separator_use(text: str, separator: str, use: str | None) -> None:
    assert separator_use(text, separator) == use


def test_an_ambiguous_amount_beside_the_other_convention_is_refused(csv_file: Make) -> None:
    us = ["2", "Luis", "1,000,000", "40,000", "960,000"]  # written with ',' for thousands
    with pytest.raises(ExportRowError) as caught:
        read_export(csv_file([HEADER, us]))
    assert str(caught.value) == (
        "nomina.csv, row 2, column 'Salud empleado', value '40,000': ambiguous amount: read as "
        "40.000 by [export] decimal_separator = ',', but row 2, column 'Salario' writes "
        "'1,000,000' the other way (set [export] decimal_separator in config.toml to the "
        "file's decimal separator)"
    )


def test_an_ambiguous_amount_alone_follows_the_decimal_separator(csv_file: Make) -> None:
    row = ["2", "Luis", "1.000.000", "40,500", "960.000"]  # Colombian: 40,500 is 40.5
    export = read_export(csv_file([HEADER, row]))
    assert export.employees[0].amounts["Salud empleado"] == D("40.500")
