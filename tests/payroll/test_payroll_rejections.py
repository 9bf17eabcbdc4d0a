"""Every rejection: file, row, column, value and why, exit 65 (66 for a missing file)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from alegra_sync.errors import ConfigError, ExitCode, ExportRowError, NoExportError
from alegra_sync.payroll.export import read_export
from alegra_sync.payroll.options import ExportOptions

Make = Callable[..., Path]
HEADER = ["Documento", "Nombre", "Salario", "Salud empleado"]
F = "nomina.csv"


def rejected(path: Path, options: ExportOptions | None = None, **kwargs: object) -> str:
    with pytest.raises(ExportRowError) as caught:
        read_export(path, options or ExportOptions(), **kwargs)  # type: ignore[arg-type]
    assert caught.value.exit_code == ExitCode.DATA == 65
    return caught.value.message


def test_missing_file_is_no_input(tmp_path: Path) -> None:
    with pytest.raises(NoExportError) as caught:
        read_export(tmp_path / "nope.csv")
    assert caught.value.exit_code == ExitCode.NO_INPUT == 66
    assert caught.value.message == f"{tmp_path / 'nope.csv'}: no such export file"


def test_missing_identification(csv_file: Make) -> None:
    path = csv_file([HEADER, ["1", "A", "100", "4"], ["", "B", "200", "8"], ["3", "C", "1", "1"]])
    assert rejected(path) == f"{F}, row 3, column 'Documento', value '': missing identification"


def test_missing_identification_on_the_last_row_with_a_name(csv_file: Make) -> None:
    path = csv_file([HEADER, ["1", "A", "100", "4"], ["", "B", "200", "8"]])
    assert rejected(path) == f"{F}, row 3, column 'Documento', value '': missing identification"


def test_duplicate_employee(csv_file: Make) -> None:
    path = csv_file([HEADER, ["1.020", "A", "1", "1"], ["2", "B", "1", "1"],
                     ["1020", "C", "1", "1"]])
    assert rejected(path) == (
        f"{F}, row 4, column 'Documento', value '1020': duplicate employee: identification 1020 "
        "is also on row 2"
    )


def test_duplicate_column_header(csv_file: Make) -> None:
    path = csv_file([["Título"], ["Documento", "Nombre", "Salario", "SALARIO."]])
    assert rejected(path) == (
        f"{F}, row 2, column 'SALARIO.': duplicate column header: 'Salario' (column C) and "
        "'SALARIO.' (column D) are the same column; rename or delete one"
    )


def test_two_alias_columns_for_one_canonical(csv_file: Make) -> None:
    path = csv_file([["Documento", "Cédula", "Nombre", "Salario"], ["1", "1", "A", "1"]])
    with pytest.raises(ExportRowError) as caught:
        read_export(path)
    assert str(caught.value) == (
        f"{F}, row 1, column 'Cédula': columns 'Documento' and 'Cédula' are both "
        "identificacion (set [export] columns.identificacion to the header to use)"
    )


def test_not_an_amount(csv_file: Make) -> None:
    path = csv_file([HEADER, ["1", "A", "100", "4"], ["2", "B", "1.2.3", "8"]])
    assert rejected(path) == (
        f"{F}, row 3, column 'Salario', value '1.2.3': not an amount (misplaced thousands "
        "separator)"
    )


def test_not_an_amount_with_letters(csv_file: Make) -> None:
    path = csv_file([HEADER, ["1", "A", "100", "cuatro"]])
    assert rejected(path) == (
        f"{F}, row 2, column 'Salud empleado', value 'cuatro': not an amount (unexpected "
        "characters)"
    )


def test_neto_not_an_amount(csv_file: Make) -> None:
    path = csv_file([["Documento", "Nombre", "Neto a pagar", "Salario"], ["1", "A", "n/a", "1"]])
    assert rejected(path) == (
        f"{F}, row 2, column 'Neto a pagar', value 'n/a': not an amount (unexpected characters)"
    )


def test_empty_file(csv_file: Make) -> None:
    assert rejected(csv_file([])) == f"{F}: no employee rows: the file is empty"


def test_header_but_no_employee_rows(csv_file: Make) -> None:
    path = csv_file([["Nómina"], HEADER, [], ["", "", "", ""]])
    assert rejected(path) == f"{F}, row 2: no employee rows"


def test_only_a_totals_row(csv_file: Make) -> None:
    path = csv_file([HEADER, ["", "Total", "0", "0"]])
    assert rejected(path) == f"{F}, row 1: no employee rows"


def test_no_header_row(csv_file: Make) -> None:
    path = csv_file([["Reporte"], ["a", "b", "c"], ["1", "2", "3"]])
    assert rejected(path) == (
        f"{F}: no header row: no row holds two known column names such as 'Identificación' "
        "and 'Nombre'"
    )


def test_no_identification_column(csv_file: Make) -> None:
    path = csv_file([["Nombre", "EPS", "Salario"], ["A", "EPS Sura", "1"]])
    assert rejected(path) == (
        f"{F}, row 1: no identification column (Identificación, Documento, Cédula, …)"
    )


def test_totals_mismatch(csv_file: Make) -> None:
    path = csv_file([HEADER, ["1", "A", "100", "4"], ["2", "B", "200", "8"],
                     ["", "TOTALES", "300", "13"]])
    assert rejected(path) == (
        f"{F}, row 4, column 'Salud empleado', value '13': the totals row says 13 but the "
        "employee rows add up to 12"
    )


def test_totals_mismatch_on_neto(csv_file: Make) -> None:
    path = csv_file([["Documento", "Nombre", "Salario", "Neto a pagar"],
                     ["1", "A", "100", "90"], ["", "Total", "100", "91"]])
    assert rejected(path) == (
        f"{F}, row 3, column 'Neto a pagar', value '91': the totals row says 91 but the "
        "employee rows add up to 90"
    )


def test_totals_row_not_last(csv_file: Make) -> None:
    path = csv_file([HEADER, ["1", "A", "100", "4"], ["", "Total", "100", "4"],
                     ["2", "B", "1", "1"]])
    assert rejected(path) == (
        f"{F}, row 3, value 'Total': a totals row must be the last row, but employee rows "
        "follow it"
    )


def test_unlabelled_amount_row_not_last_is_a_missing_identification(csv_file: Make) -> None:
    path = csv_file([HEADER, ["1", "A", "100", "4"], ["", "", "100", "4"], ["2", "B", "1", "1"]])
    assert rejected(path) == f"{F}, row 3, column 'Documento', value '': missing identification"


def test_value_under_no_header(csv_file: Make) -> None:
    path = csv_file([HEADER, ["1", "A", "100", "4", "55"]])
    with pytest.raises(ExportRowError) as caught:
        read_export(path)
    assert caught.value.message == (
        f"{F}, row 2, value '55': a value in column E, which has no header"
    )
    assert caught.value.hint == "give the column a header or delete the value"


def test_value_under_an_empty_header_cell(csv_file: Make) -> None:
    path = csv_file([["Documento", "", "Nombre", "Salario"], ["1", "x", "A", "1"]])
    assert rejected(path) == f"{F}, row 2, value 'x': a value in column B, which has no header"


def test_bad_payment_date(csv_file: Make) -> None:
    path = csv_file([["Documento", "Nombre", "Fecha de pago", "Salario"],
                     ["1", "A", "31/11/2026", "1"]])
    assert rejected(path) == f"{F}, row 2, column 'Fecha de pago', value '31/11/2026': no such date"


def test_bad_period_date(csv_file: Make) -> None:
    path = csv_file([["Documento", "Nombre", "Fecha inicio", "Fecha fin", "Salario"],
                     ["1", "A", "1 nov", "15/11/2026", "1"]])
    assert rejected(path) == (
        f"{F}, row 2, column 'Fecha inicio', value '1 nov': not a date (use YYYY-MM-DD or "
        "DD/MM/YYYY)"
    )


def test_period_columns_disagree(csv_file: Make) -> None:
    path = csv_file([["Documento", "Nombre", "Desde", "Hasta", "Salario"],
                     ["1", "A", "01/11/2026", "15/11/2026", "1"],
                     ["2", "B", "01/11/2026", "30/11/2026", "1"]])
    assert rejected(path) == (
        f"{F}, row 3, column 'Hasta', value '30/11/2026': the period differs from row 2 "
        "(2026-11-15)"
    )


def test_period_ends_before_it_starts(csv_file: Make) -> None:
    path = csv_file([["Documento", "Nombre", "Desde", "Hasta", "Salario"],
                     ["1", "A", "15/11/2026", "01/11/2026", "1"]])
    assert rejected(path) == f"{F}: the period ends before it starts (2026-11-15–2026-11-01)"


def test_period_mismatch_from_columns(csv_file: Make) -> None:
    path = csv_file([["Documento", "Nombre", "Fecha inicio", "Fecha fin", "Salario"],
                     ["1", "A", "16/11/2026", "30/11/2026", "1"]])
    assert rejected(path, period=(date(2026, 11, 1), date(2026, 11, 15))) == (
        f"{F}: the export is for 2026-11-16–2026-11-30, not the period 2026-11-01–2026-11-15 "
        "being synced"
    )


def test_period_mismatch_from_file_name(csv_file: Make) -> None:
    path = csv_file([HEADER, ["1", "A", "1", "1"]], name="nomina_2026-10-16_2026-10-31.csv")
    assert rejected(path, period=(date(2026, 11, 1), date(2026, 11, 15))) == (
        "nomina_2026-10-16_2026-10-31.csv: the export is for 2026-10-16–2026-10-31, not the "
        "period 2026-11-01–2026-11-15 being synced"
    )


def test_unknown_extension(tmp_path: Path) -> None:
    path = tmp_path / "nomina.pdf"
    path.write_bytes(b"%PDF")
    assert rejected(path) == "nomina.pdf: unknown kind of file '.pdf'"


def test_not_a_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "nomina.xlsx"
    path.write_text("not a zip")
    assert rejected(path).startswith("nomina.xlsx: not a readable spreadsheet (")


def test_configured_column_missing(csv_file: Make) -> None:
    path = csv_file([HEADER, ["1", "A", "1", "1"]])
    options = ExportOptions(columns={"centro_costos": "Área"})
    assert rejected(path, options) == (
        f"{F}, row 1: no column 'Área', which [export] columns names for centro_costos"
    )


def test_configured_unknown_canonical_column(csv_file: Make) -> None:
    path = csv_file([HEADER, ["1", "A", "1", "1"]])
    with pytest.raises(ConfigError) as caught:
        read_export(path, ExportOptions(columns={"cedula": "NIT"}))
    assert caught.value.message == "[export] columns names unknown columns: cedula"
    assert caught.value.exit_code == ExitCode.CONFIG


def test_long_layout_forced_without_its_columns(csv_file: Make) -> None:
    path = csv_file([HEADER, ["1", "A", "1", "1"]])
    assert rejected(path, ExportOptions(layout="long")) == (
        f"{F}, row 1: the long layout needs the columns concepto and valor"
    )


def test_undecodable_text(tmp_path: Path) -> None:
    path = tmp_path / "nomina.csv"
    path.write_bytes(b"Documento;Nombre\n1;\x81\x8d\n")
    assert rejected(path) == "nomina.csv: not text in UTF-8 or Windows-1252"
