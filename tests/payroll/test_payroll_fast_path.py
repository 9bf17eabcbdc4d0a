"""The wide reader's fast path (payroll/fast.py, whole rows of Excel numbers) reads what the
cell-by-cell path reads, on random XLSX exports.

The reader has no switch between the two: FastAmounts answers None for a row it cannot take
and the row goes cell by cell. So the export is read twice, once as it is and once with a
FastAmounts that takes no row, and each row is also converted directly both ways.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import alegra_sync.payroll.wide as wide
from alegra_sync.errors import ExportRowError
from alegra_sync.payroll.export import read_export
from alegra_sync.payroll.fast import FastAmounts
from alegra_sync.payroll.model import Employee

FILE = "nomina_2026-11-01_2026-11-15.xlsx"
EMPLOYEE_COLUMNS = ["Identificación", "Nombre", "Centro de costos", "EPS", "AFP",
                    "Fecha de pago"]
CONCEPTS = ["Salario", "Auxilio de transporte", "Horas extras", "Salud empleado",
            "Bonificación"]
# Deterministic in CI: the same examples every run, nothing saved between runs.
FIXED = settings(max_examples=60, derandomize=True, database=None, deadline=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture,
                                        HealthCheck.too_slow])


class NeverFast:
    """A FastAmounts that takes no row: every row goes cell by cell."""

    def __init__(self, *args: object) -> None:
        pass

    def __call__(self, row: object) -> None:
        return None


class CountingFast(FastAmounts):
    """FastAmounts as it is, counting the rows it took."""

    taken = 0

    def __call__(self, row: Any) -> dict[str, Decimal] | None:
        amounts = super().__call__(row)
        CountingFast.taken += amounts is not None
        return amounts


# --- random exports ----------------------------------------------------------------------------

cents = st.integers(min_value=-(10**11), max_value=10**11)
excel_number = st.one_of(
    st.integers(min_value=0, max_value=10**10).map(float),  # whole, as Excel stores them
    st.builds(lambda c, places: float(Decimal(c).scaleb(-places)), cents,
              st.sampled_from([1, 2])),  # 0–2 decimals, negatives too
)
blank = st.sampled_from([None, ""])
grouped = st.integers(min_value=1_000, max_value=10**12).map(lambda n: f"{n:,}".replace(",", "."))
text_amount = st.one_of(
    grouped,  # 1.234.567
    st.integers(min_value=1, max_value=10**9).map(str),
    st.builds(lambda n, c: f"{n:,}".replace(",", ".") + f",{c:02}",
              st.integers(min_value=0, max_value=10**8), st.integers(0, 99)),  # 1.234,50
    st.integers(min_value=1_000, max_value=10**8).map(lambda n: f"$ {n:,}".replace(",", ".")),
)
numeric_cell = st.one_of(blank, excel_number)
any_cell = st.one_of(blank, excel_number, text_amount)
# Not st.text: its character tables are cached under ./.hypothesis, outside any tmp dir.
name = st.lists(st.sampled_from("abcdeéíñóú ÁÉÑ"), min_size=1, max_size=12).map(
    "".join).filter(str.strip).map(lambda text: text.strip().title())
payment_date = st.one_of(blank, st.dates(date(2026, 11, 1), date(2026, 11, 20)),
                         st.dates(date(2026, 11, 1), date(2026, 11, 20)).map(
                             lambda day: datetime(day.year, day.month, day.day)))


@st.composite
def exports(draw: st.DrawFn) -> list[list[object]]:
    concepts = draw(st.lists(st.sampled_from(CONCEPTS), min_size=1, max_size=5, unique=True))
    ids = draw(st.lists(st.integers(min_value=10_000, max_value=1_999_999_999), min_size=1,
                        max_size=8, unique=True))
    rows: list[list[object]] = [[*EMPLOYEE_COLUMNS, *concepts]]
    for identification in ids:
        as_text = draw(st.booleans())
        numbers_only = draw(st.booleans())  # a row the fast path can take, or maybe not
        rows.append([
            str(identification) if as_text else identification,
            draw(name),
            draw(st.sampled_from(["Administración", "Ventas", None])),
            draw(st.sampled_from(["EPS Sura", "800251440", None])),
            draw(st.sampled_from(["Protección AFP", None])),
            draw(payment_date),
            *(draw(numeric_cell if numbers_only else any_cell) for _ in concepts),
        ])
    return rows


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def read(path: Path, fast: Callable[..., Any]) -> tuple[str, Any]:
    """The employees, or the rejection, with ``fast`` as the reader's FastAmounts."""
    with mock.patch.object(wide, "FastAmounts", fast):
        try:
            export = read_export(path)
        except ExportRowError as exc:
            return "refused", str(exc)
    return "read", export.employees


def exactly(employees: list[Employee]) -> list[dict[str, str]]:
    """Each employee's amounts as written (Decimal("1000") and Decimal("1E+3") are equal, but
    not the same text in a request body)."""
    return [{concept: str(value) for concept, value in e.amounts.items()} for e in employees]


@pytest.fixture(scope="module")
def export_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fast-path") / FILE


@FIXED
@given(exports())
def test_the_fast_path_reads_what_the_cell_by_cell_path_reads(export_path: Path,
                                                               rows: list[list[object]]) -> None:
    write_xlsx(export_path, rows)
    CountingFast.taken = 0
    fast = read(export_path, CountingFast)
    slow = read(export_path, NeverFast)
    event(f"rows taken by the fast path: {'some' if CountingFast.taken else 'none'}")
    event(f"export {fast[0]}")
    assert fast == slow
    if fast[0] == "read":
        assert exactly(fast[1]) == exactly(slow[1])


@FIXED
@given(exports())
def test_each_row_converts_the_same_both_ways(export_path: Path,
                                              rows: list[list[object]]) -> None:
    write_xlsx(export_path, rows)
    checker: dict[str, wide.WideRows] = {}

    class Keep(wide.WideRows):
        def read(self, table_rows: Any, first_row: int) -> None:
            checker["rows"] = self
            self.table = list(table_rows)

    # the checks after reading (no employees, …) do not matter here
    with mock.patch("alegra_sync.payroll.export.WideRows", Keep), suppress(ExportRowError):
        read_export(export_path)
    rows_checker = checker["rows"]
    fast = FastAmounts(rows_checker.header.concepts, rows_checker.sep, spreadsheet=True)
    for number, row in enumerate(rows_checker.table, 2):
        quick = fast(row)
        if quick is None:
            continue
        slow = rows_checker._amounts(row, number)
        assert quick == slow and {k: str(v) for k, v in quick.items()} == {
            k: str(v) for k, v in slow.items()}


def test_a_row_of_excel_numbers_takes_the_fast_path(export_path: Path) -> None:
    """Else the comparisons above would compare the slow path with itself."""
    write_xlsx(export_path, [[*EMPLOYEE_COLUMNS, "Salario", "Bonificación"],
                             [1001, "Ana", "Ventas", None, None, None, 1_000_000.0, 12.5],
                             [1002, "Luis", None, None, None, None, "1.000.000", 0.0]])
    CountingFast.taken = 0
    kind, employees = read(export_path, CountingFast)
    assert CountingFast.taken == 1  # Ana's row; Luis's text amount goes cell by cell
    assert kind == "read"
    assert [e.amounts for e in employees] == [
        {"Salario": Decimal(1_000_000), "Bonificación": Decimal("12.5")},
        {"Salario": Decimal(1_000_000)},
    ]


def test_an_excel_false_in_an_amount_column_is_refused_on_both_paths(export_path: Path) -> None:
    write_xlsx(export_path, [[*EMPLOYEE_COLUMNS, "Salario", "Bonificación"],
                             [1001, "Ana", None, None, None, None, False, 12.5]])
    refusal = (f"{FILE}, row 2, column 'Salario', value 'False': not an amount "
               "(a true/false value)")
    assert read(export_path, NeverFast) == ("refused", refusal)
    assert read(export_path, FastAmounts) == ("refused", refusal)
