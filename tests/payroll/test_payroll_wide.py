"""Wide exports (one row per employee): encodings, delimiters, headers, options, totals."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from alegra_sync.payroll.export import read_export
from alegra_sync.payroll.model import Employee
from alegra_sync.payroll.options import ExportOptions

D = Decimal
HEADER = ["Cédula", "Nombre", "Centro de costos", "EPS", "Fondo de pensiones", "Salario",
          "Auxilio de transporte", "Pensión empleado"]
ANA = ["1.020.304.050", "Ana María Gómez", "Administración", "EPS Sura", "Protección AFP",
       "1.750.905", "249.095", "70.036"]
LUIS = ["79845123", "Luis Pérez", "Ventas", "Sanitas EPS", "Colpensiones", "2.400.000", "",
        "96.000"]
EXPECTED = [
    Employee("1020304050", "Ana María Gómez", "CC", "Administración", "EPS Sura",
             "Protección AFP", None,
             {"Salario": D(1750905), "Auxilio de transporte": D(249095),
              "Pensión empleado": D(70036)}, None, 2),
    Employee("79845123", "Luis Pérez", "CC", "Ventas", "Sanitas EPS", "Colpensiones", None,
             {"Salario": D(2400000), "Pensión empleado": D(96000)}, None, 3),
]
CONCEPTS = ["Salario", "Auxilio de transporte", "Pensión empleado"]
Make = Callable[..., Path]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_encodings_and_delimiters(csv_file: Make, encoding: str, delimiter: str) -> None:
    path = csv_file([HEADER, ANA, LUIS], delimiter=delimiter, encoding=encoding)
    export = read_export(path)
    assert export.employees == EXPECTED
    assert export.concepts == CONCEPTS
    assert (export.period_start, export.period_end, export.totals) == (None, None, {})


def test_comma_delimited_with_colombian_decimals_is_not_fooled(csv_file: Make) -> None:
    # more commas than semicolons in the data rows; the header decides
    rows = [["Documento", "Nombre", "Salario", "Prima", "Vacaciones"],
            ["1", "A", "1.000,50", "2.000,25", "3.000,75"],
            ["2", "B", "1,5", "2,5", "3,5"]]
    export = read_export(csv_file(rows, delimiter=";"))
    assert [e.amounts for e in export.employees] == [
        {"Salario": D("1000.50"), "Prima": D("2000.25"), "Vacaciones": D("3000.75")},
        {"Salario": D("1.5"), "Prima": D("2.5"), "Vacaciones": D("3.5")},
    ]


def test_title_rows_above_the_header_are_skipped(csv_file: Make) -> None:
    rows = [["Resumen de nómina"], ["Demo Nómina S.A.S.", "NIT 900.123.456"], [], HEADER, ANA]
    export = read_export(csv_file(rows))
    assert [e.row for e in export.employees] == [5]
    assert export.employees[0].amounts == EXPECTED[0].amounts


def test_header_aliases_ignore_case_accents_and_punctuation(csv_file: Make) -> None:
    rows = [["NO. DOCUMENTO", "nombre_completo", "Tipo-de-Documento", "CENTRO DE COSTO",
             "eps", "afp", "Fecha  de  Pago", "NETO A PAGAR", "Salario"],
            ["52.987.654", " Luisa ", "CE", "Ventas", "EPS Sura", "Porvenir AFP", "30/11/2026",
             "$ 1.536.000", "1.600.000"]]
    export = read_export(csv_file(rows))
    assert export.employees == [
        Employee("52987654", "Luisa", "CE", "Ventas", "EPS Sura", "Porvenir AFP",
                 date(2026, 11, 30), {"Salario": D(1600000)}, D(1536000), 2)
    ]
    assert export.concepts == ["Salario"]


def test_every_amount_form_in_a_file(csv_file: Make) -> None:
    forms = ["1.234.567", "1.234.567,50", "$ 1.234.567", "$1.234.567,50", "1,234,567.50",
             "1234567", "1234567,5", "(1.234)", "-1.234", "- $ 1.234", "", "0",
             "\xa01.234\xa0"]
    header = ["Documento", "Nombre", *[f"C{n}" for n in range(len(forms))]]
    export = read_export(csv_file([header, ["1", "A", *forms]]))
    assert export.employees[0].amounts == {
        "C0": D("1234567"), "C1": D("1234567.50"), "C2": D("1234567"), "C3": D("1234567.50"),
        "C4": D("1234567.50"), "C5": D("1234567"), "C6": D("1234567.5"), "C7": D("-1234"),
        "C8": D("-1234"), "C9": D("-1234"), "C12": D("1234"),
    }
    assert len(export.concepts) == len(forms)  # zero columns are still concepts of the file


def test_decimal_separator_option_decides_ambiguous_amounts(csv_file: Make) -> None:
    path = csv_file([["Documento", "Nombre", "A", "B"], ["1", "X", "1.234", "1,234"]])
    assert read_export(path).employees[0].amounts == {"A": D("1234"), "B": D("1.234")}
    us = read_export(path, ExportOptions(decimal_separator="."))
    assert us.employees[0].amounts == {"A": D("1.234"), "B": D("1234")}


def test_informational_columns_are_not_concepts(csv_file: Make) -> None:
    header = ["Documento", "Nombre", "Cargo", "Días", "Dias trabajados", "Salario base",
              "Sueldo básico", "Salario", "Total devengado", "Total deducciones"]
    row = ["1", "A", "Gerente", "15", "15", "1.750.905", "1.750.905", "875.453", "875.453", "0"]
    export = read_export(csv_file([header, row]))
    assert export.concepts == ["Salario"]
    assert export.employees[0].amounts == {"Salario": D(875453)}


def test_ignore_option(csv_file: Make) -> None:
    header = ["Documento", "Nombre", "Salario", "Observaciones", "Banco"]
    path = csv_file([header, ["1", "A", "100", "ninguna", "Bancolombia"]])
    export = read_export(path, ExportOptions(ignore=("OBSERVACIONES", "banco")))
    assert export.concepts == ["Salario"]
    assert export.employees[0].amounts == {"Salario": D(100)}


def test_columns_option_names_this_exports_headers(csv_file: Make) -> None:
    header = ["NIT", "Trabajador", "Documento", "Salario"]
    path = csv_file([header, ["900.1", "Ana", "ignored", "100"]])
    options = ExportOptions(columns={"identificacion": "nit", "nombre": "Trabajador"})
    export = read_export(path, options)
    assert [(e.identification, e.name) for e in export.employees] == [("9001", "Ana")]
    assert export.concepts == ["Salario"]  # the alias column beside the configured one is not


def test_identification_is_normalised(csv_file: Make) -> None:
    rows = [["Documento", "Nombre", "Salario"], [" 1.020.304 ", "A", "1"],
            ["1 020 305", "B", "1"], ["PA-12345", "C", "1"]]
    export = read_export(csv_file(rows))
    assert [e.identification for e in export.employees] == ["1020304", "1020305", "PA12345"]


def test_blank_rows_and_notes_below_the_table_are_skipped(csv_file: Make) -> None:
    rows = [HEADER, ANA, ["", "", "", "", "", "", "", ""], LUIS, [],
            ["", "Elaborado por: Contabilidad"]]
    export = read_export(csv_file(rows))
    assert [e.identification for e in export.employees] == ["1020304050", "79845123"]
    assert [e.row for e in export.employees] == [2, 4]


def test_short_rows_are_padded(csv_file: Make) -> None:
    export = read_export(csv_file([HEADER, ANA[:6]]))
    assert export.employees[0].amounts == {"Salario": D(1750905)}
    assert export.employees[0].afp == "Protección AFP"


def test_totals_row_is_a_check_not_an_employee(csv_file: Make) -> None:
    total = ["", "TOTALES", "", "", "", "4.150.905", "249.095", "166.036"]
    export = read_export(csv_file([HEADER, ANA, LUIS, total]))
    assert export.employees == EXPECTED
    assert export.totals == {"Salario": D(4150905), "Auxilio de transporte": D(249095),
                             "Pensión empleado": D(166036)}


@pytest.mark.parametrize("label_cell", [(0, "Total"), (1, "Total general"), (1, "")])
def test_totals_row_labels(csv_file: Make, label_cell: tuple[int, str]) -> None:
    total = ["", "", "", "", "", "4.150.905", "249.095", "166.036"]
    total[label_cell[0]] = label_cell[1]
    export = read_export(csv_file([HEADER, ANA, LUIS, total, ["", "Firma: ______"]]))
    assert len(export.employees) == 2
    assert export.totals["Salario"] == D(4150905)


def test_totals_row_checks_neto(csv_file: Make) -> None:
    header = ["Documento", "Nombre", "Salario", "Neto a pagar"]
    rows = [header, ["1", "A", "100", "90"], ["2", "B", "200", "180"], ["", "Total", "300", "270"]]
    export = read_export(csv_file(rows))
    assert [e.neto for e in export.employees] == [D(90), D(180)]
    assert export.totals == {"Salario": D(300)}


def test_period_from_columns(csv_file: Make) -> None:
    header = ["Documento", "Nombre", "Fecha inicio", "Fecha fin", "Salario"]
    rows = [header, ["1", "A", "01/11/2026", "15/11/2026", "1"],
            ["2", "B", "2026-11-01", "2026-11-15", "1"]]
    export = read_export(csv_file(rows, name="export.csv"))
    assert (export.period_start, export.period_end) == (date(2026, 11, 1), date(2026, 11, 15))


@pytest.mark.parametrize(
    "name",
    ["nomina_2026-11-01_2026-11-15.csv", "nomina 2026.11.01 a 2026.11.15.csv",
     "Nomina-20261101-20261115.csv", "2026_11_01__2026_11_15.csv"],
)
def test_period_from_file_name(csv_file: Make, name: str) -> None:
    export = read_export(csv_file([HEADER, ANA], name=name))
    assert (export.period_start, export.period_end) == (date(2026, 11, 1), date(2026, 11, 15))


def test_period_from_the_argument(csv_file: Make) -> None:
    period = (date(2026, 11, 16), date(2026, 11, 30))
    export = read_export(csv_file([HEADER, ANA], name="nomina.csv"), period=period)
    assert (export.period_start, export.period_end) == period


def test_period_matching_the_argument(csv_file: Make) -> None:
    period = (date(2026, 11, 1), date(2026, 11, 15))
    path = csv_file([HEADER, ANA], name="nomina_2026-11-01_2026-11-15.csv")
    assert read_export(path, period=period).period_end == date(2026, 11, 15)


def test_long_concept_headers_keep_their_text(csv_file: Make) -> None:
    header = ["Documento", "Nombre", "  Retención en la fuente  ", "Horas extras (25%)"]
    export = read_export(csv_file([header, ["1", "A", "10", "20"]]))
    assert export.concepts == ["Retención en la fuente", "Horas extras (25%)"]


def test_layout_wide_forced_ignores_concepto_columns(csv_file: Make) -> None:
    header = ["Documento", "Nombre", "Concepto", "Valor", "Salario"]
    export = read_export(csv_file([header, ["1", "A", "x", "5", "10"]]),
                         ExportOptions(layout="wide"))
    assert export.concepts == ["Salario"]
    assert export.employees[0].amounts == {"Salario": D(10)}
