"""Read and check a payroll export (accounting.md, "The payroll export") into a PayrollExport.

Rows stream from the reader straight into Employees: no per-cell objects beyond the Decimals
kept. Every rejection is an ExportRowError naming file, row, column, value and reason.
"""

from __future__ import annotations

import csv
from datetime import date
from itertools import chain
from pathlib import Path

from alegra_sync._gc import collector_paused
from alegra_sync.errors import ExportRowError, NoExportError
from alegra_sync.i18n import T, Text
from alegra_sync.payroll.amounts import parse_date
from alegra_sync.payroll.columns import Header, HeaderMatcher
from alegra_sync.payroll.filenames import period_from_filename
from alegra_sync.payroll.long import LongRows
from alegra_sync.payroll.model import Employee, PayrollExport
from alegra_sync.payroll.options import ExportOptions
from alegra_sync.payroll.readers import Row, Table, read_table
from alegra_sync.payroll.wide import RowChecker, WideRows, filled
from alegra_sync.periods import PAYMENT_DATE_MARGIN

Period = tuple[date, date]
DEFAULT_OPTIONS = ExportOptions()  # frozen: safe to share as a default


@collector_paused()  # many small objects, no cycles: see bulk.py
def read_export(
    path: Path, options: ExportOptions = DEFAULT_OPTIONS, *, period: Period | None = None,
    defer_totals: bool = False,
) -> PayrollExport:
    """The export at ``path``, read and checked; ``period`` is the one being synced.

    ``defer_totals``: a totals row that disagrees with the employee rows is kept as the
    export's ``totals_problem`` instead of raised, for ``build_vouchers`` to raise after its
    per-employee checks. One employee's wrong Neto a pagar also makes an untouched totals row
    disagree, and the employee is what to name first.
    """
    if not path.is_file():
        raise NoExportError(T("{path}: no such export file", path=path),
                            hint=T("check --export or the path"))
    matcher = HeaderMatcher(options)
    table = read_table(path, options, matcher.known_count)
    header = _find_header(path.name, table, matcher)
    if header is None:
        raise ExportRowError(path.name, T("no employee rows: the file is empty"))
    long = options.layout == "long" or (
        options.layout == "auto" and "concepto" in header.known and "valor" in header.known
    )
    layout = LongRows if long else WideRows
    checker: RowChecker = layout(
        path.name, header, options.decimal_separator, table.first_column, table.spreadsheet
    )
    try:
        checker.read(table.rows, header.row + 1)
    except csv.Error as exc:
        raise ExportRowError(path.name, _unreadable_csv(exc)) from None
    employees = checker.employees
    if not employees:
        raise ExportRowError(path.name, T("no employee rows"), row=header.row)
    if not any(any(employee.amounts.values()) for employee in employees):
        # nothing to post: an empty comprobante would only be refused by Alegra
        raise ExportRowError(
            path.name, T("no amounts: every amount of every employee is zero or blank"),
            hint=T("check that this is the period's complete export"),
        )
    checker.check_separators()
    totals_problem = None
    try:
        checker.check_totals()
    except ExportRowError as exc:
        if not defer_totals:
            raise
        totals_problem = exc
    start, end = _resolve_period(path, checker.period, period, header)
    if start is not None and end is not None:
        _check_payment_dates(path.name, employees, start, end, header)
    return PayrollExport(
        path=path,
        period_start=start,
        period_end=end,
        concepts=checker.concepts,
        employees=employees,
        totals=checker.totals,
        total_columns={kind: header.texts[index] for kind, index in header.totals.items()},
        totals_problem=totals_problem,
    )


def export_period(path: Path, options: ExportOptions = DEFAULT_OPTIONS) -> Period | None:
    """The period an export's own period columns give, reading only up to the first one."""
    try:
        matcher = HeaderMatcher(options)
        table = read_table(path, options, matcher.known_count)
        header = _find_header(path.name, table, matcher)
        if header is None:
            return None
        first, last = header.known.get("periodo_inicio"), header.known.get("periodo_fin")
        if first is None or last is None:
            return None
        for row in table.rows:
            if len(row) > max(first, last) and filled(row[first]) and filled(row[last]):
                return parse_date(row[first]), parse_date(row[last])
    except (ExportRowError, ValueError, OSError, csv.Error):
        return None
    return None


# Rows searched for the real header past a title that holds two known names without the
# identification's (``Desde;01/11/2026;Hasta;15/11/2026``).
_TITLE_LOOKAHEAD = 20


def _find_header(file: str, table: Table, matcher: HeaderMatcher) -> Header | None:
    """The first row holding two known column names, one of them the identification's; rows
    above it are titles. Past a row with two known names but no identification, the next
    _TITLE_LOOKAHEAD rows are searched; without the real header there, that row is the header
    (refused for lacking the identification column) and the rows read past it are given back.
    """
    seen_any = False
    number = 0
    fallback: tuple[int, Row] | None = None
    read_past: list[Row] = []
    try:
        for number, row in enumerate(table.rows, 1):  # noqa: B007 - number is used after
            known = matcher.known_count(row) >= 2
            if known and matcher.names_identification(row):
                return matcher.header(file, number, row)
            if fallback is not None:
                read_past.append(row)
                if len(read_past) == _TITLE_LOOKAHEAD:
                    break
            elif known:
                fallback = (number, row)
            seen_any = seen_any or any(filled(cell) for cell in row)
    except (csv.Error, ExportRowError) as exc:
        if fallback is not None:  # a broken row below: the header's own problem is told first
            table.rows = iter(read_past)
            return matcher.header(file, *fallback)
        if isinstance(exc, ExportRowError):
            raise
        raise ExportRowError(file, _unreadable_csv(exc), row=number + 1) from None
    if fallback is not None:
        table.rows = chain(read_past, table.rows)
        return matcher.header(file, *fallback)
    if not seen_any:
        return None
    raise ExportRowError(
        file,
        T("no header row: no row holds two known column names such as 'Identificación' and "
          "'Nombre'"),
        hint=T("name the columns in [export] columns in config.toml"),
    )


def _unreadable_csv(exc: csv.Error) -> Text:
    return T("not a readable CSV file ({error})", error=str(exc))  # Python's words


def _resolve_period(
    path: Path, from_columns: Period | None, syncing: Period | None, header: Header
) -> tuple[date | None, date | None]:
    """Period columns, else the file name, else the period being synced; never a mismatch."""
    own = from_columns or period_from_filename(path.name)
    if own is not None and own[1] < own[0]:
        raise ExportRowError(path.name, T("the period ends before it starts ({period})",
                                          period=_span(own)))
    if own is not None and syncing is not None and own != syncing:
        raise ExportRowError(
            path.name,
            T("the export is for {period}, not the period {syncing} being synced",
              period=_span(own), syncing=_span(syncing)),
            hint=T("pick the right export or --period"),
        )
    chosen = own or syncing
    return (chosen[0], chosen[1]) if chosen else (None, None)


def _check_payment_dates(file: str, employees: list[Employee], start: date, end: date,
                         header: Header) -> None:
    """An egreso dated far from its period is a typo (a year, a stale template), and the look-up
    that keeps it from being posted twice searches only near the period."""
    first, last = start - PAYMENT_DATE_MARGIN, end + PAYMENT_DATE_MARGIN
    index = header.known.get("fecha_pago")
    column = header.texts[index] if index is not None else None
    for employee in employees:
        paid = employee.payment_date
        if paid is not None and not first <= paid <= last:
            raise ExportRowError(
                file, T("employee {id} ({name}): payment date {date} is more than {days} days "
                        "from the period {first}–{last}, likely a typo",
                        id=employee.identification, name=employee.name, date=paid.isoformat(),
                        days=PAYMENT_DATE_MARGIN.days, first=start.isoformat(),
                        last=end.isoformat()),
                row=employee.row, column=column, value=paid.isoformat(),
                hint=T("fix the date in the export (an egreso is dated near its period)"),
            )


def _span(period: Period) -> str:
    return f"{period[0].isoformat()}–{period[1].isoformat()}"

