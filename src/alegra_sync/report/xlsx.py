"""The period report as one XLSX workbook: a sheet per section (report.md, "Formats").

Amounts are numbers with a currency format (never text), dates are dates; each sheet has a
title row (a simulation says so on every sheet), its header row frozen below it, an autofilter
over the table and column widths that fit; no formula, so no viewer must recalculate to see a
figure. Written with XlsxWriter in its streaming mode (rows go to disk as they are written).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from alegra_sync.report.model import Col, PeriodReport, Section

_MAX_WIDTH = 60
_WIDTHS = {"money": 16, "percent": 9, "date": 12, "count": 10, "check": 8}


def _sheet_name(title: str, used: set[str]) -> str:
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in title).strip()[:31] or "Hoja"
    name, index = cleaned, 2
    while name.casefold() in used:
        suffix = f" {index}"
        name, index = cleaned[:31 - len(suffix)] + suffix, index + 1
    used.add(name.casefold())
    return name


def write_xlsx(report: PeriodReport, path: Path, *, generated: str) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True,
                                                "default_date_format": "yyyy-mm-dd"})
    try:
        workbook.set_properties({"title": report.title, "company": report.company,
                                 "comments": generated})
        formats = _formats(workbook, report.precision)
        used: set[str] = set()
        for section in report.sections:
            sheet = workbook.add_worksheet(_sheet_name(section.title, used))
            _write_section(sheet, section, report, formats)
    finally:
        workbook.close()


def _formats(workbook: Any, precision: int) -> dict[str, Any]:
    money = "$ #,##0" + ("." + "0" * precision if precision else "") + ";-$ #,##0" + (
        "." + "0" * precision if precision else "")
    base: dict[str, dict[str, Any]] = {
        "money": {"num_format": money}, "percent": {"num_format": "0.0%"},
        "date": {"num_format": "yyyy-mm-dd"}, "count": {"num_format": "0"},
        "text": {}, "code": {"num_format": "@"}, "check": {"align": "center"},
    }
    formats: dict[str, Any] = {}
    for kind, spec in base.items():
        formats[kind] = workbook.add_format(spec)
        for style, extra in (("group", {"bold": True, "bg_color": "#F3F5F8"}),
                             ("subtotal", {"bold": True, "top": 1}),
                             ("total", {"bold": True, "top": 2, "bottom": 2})):
            formats[f"{kind}:{style}"] = workbook.add_format({**spec, **extra})
    formats["title"] = workbook.add_format({"bold": True, "font_size": 13})
    formats["simulation"] = workbook.add_format({"bold": True, "font_color": "#B3261E",
                                                 "font_size": 13})
    formats["header"] = workbook.add_format({"bold": True, "bg_color": "#DDE3EA",
                                             "bottom": 1, "text_wrap": True,
                                             "valign": "top"})
    return formats


def _kind(column: Col, value: object) -> str:
    if column.kind != "auto":
        return column.kind
    if isinstance(value, bool):
        return "check"
    if isinstance(value, Decimal):
        return "money"
    if isinstance(value, date):
        return "date"
    if isinstance(value, int):
        return "count"
    return "text"


def _widths(section: Section) -> list[int]:
    widths = []
    for index, column in enumerate(section.columns):
        width = max(len(column.header) + 2, _WIDTHS.get(column.kind, 8))
        if column.kind not in _WIDTHS:
            for row in section.rows[:2000]:  # enough to size a column; no need to read all
                value = row.values[index]
                if value is not None and not isinstance(value, Decimal | date | bool):
                    width = max(width, len(str(value)) + 2)
        widths.append(min(width, _MAX_WIDTH))
    return widths


def _write_section(sheet: Any, section: Section, report: PeriodReport,
                   formats: dict[str, Any]) -> None:
    for index, width in enumerate(_widths(section)):
        sheet.set_column(index, index, width)
    title = f"{report.company} · {report.title} · {section.title}"
    if report.simulated:
        sheet.write_string(0, 0, f"{report.marker.upper()} · {title}", formats["simulation"])
    else:
        sheet.write_string(0, 0, title, formats["title"])
    for index, column in enumerate(section.columns):
        sheet.write_string(1, index, column.header, formats["header"])
    sheet.freeze_panes(2, 0)
    last = 1
    writers = [_writer(sheet, column.kind, formats) for column in section.columns]
    for number, row in enumerate(section.rows, start=2):
        style = row.style
        if not style:  # the hot loop: a cell per value, each column's writer chosen once
            for index, value in enumerate(row.values):
                if value is not None:
                    writers[index](number, index, value)
        else:
            for index, value in enumerate(row.values):
                kind = _kind(section.columns[index], value)
                cell = formats[f"{kind}:{style}"]
                if value is None:
                    sheet.write_blank(number, index, None, cell)
                else:
                    _write(sheet, number, index, value, cell)
        last = number
    if section.rows:
        sheet.autofilter(1, 0, last, len(section.columns) - 1)


def _writer(sheet: Any, kind: str, formats: dict[str, Any]) -> Any:
    """How one column's cells are written: numbers as numbers, text as text."""
    if kind in ("money", "percent"):
        number, cell = sheet.write_number, formats[kind]
        return lambda row, column, value: number(row, column, float(value), cell)
    if kind in ("text", "code"):
        string, cell = sheet.write_string, formats[kind]
        return lambda row, column, value: string(row, column, str(value), cell)

    def generic(row: int, column: int, value: object) -> None:
        found = _kind(Col("", kind), value)  # type: ignore[arg-type]
        _write(sheet, row, column, value, formats[found])

    return generic


def _write(sheet: Any, row: int, column: int, value: object, cell: Any) -> None:
    if isinstance(value, bool):
        sheet.write_string(row, column, "✓" if value else "✗", cell)
    elif isinstance(value, Decimal):
        sheet.write_number(row, column, float(value), cell)
    elif isinstance(value, date):
        sheet.write_datetime(row, column, value, cell)
    elif isinstance(value, int):
        sheet.write_number(row, column, value, cell)
    else:
        sheet.write_string(row, column, str(value), cell)
