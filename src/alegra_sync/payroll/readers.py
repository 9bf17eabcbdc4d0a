"""Export files as rows of cells: CSV (sniffed encoding and delimiter) and XLSX (calamine).

CSV cells are str; XLSX cells are what calamine gives: str ("" when empty), float, bool, date,
datetime. Row ``i`` of ``Table.rows`` is the file's row ``i + 1``, as a spreadsheet counts.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alegra_sync.errors import ExportRowError
from alegra_sync.i18n import T
from alegra_sync.payroll.formulas import uncomputed_formulas
from alegra_sync.payroll.options import ExportOptions

CSV_SUFFIXES = (".csv", ".tsv", ".txt")
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls")
DELIMITERS = (";", ",", "\t")
_SNIFF_LINES = 30

Row = list[Any]
Scorer = Callable[[Row], int]  # how many cells of a row are known column names


@dataclass
class Table:
    rows: Iterator[Row]
    first_column: int = 0  # spreadsheet column index of each row's first cell
    spreadsheet: bool = False  # cells may be numbers and dates, not only text


def read_table(path: Path, options: ExportOptions, score: Scorer) -> Table:
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return read_csv(path, score)
    if suffix in SPREADSHEET_SUFFIXES:
        return read_xlsx(path, options.sheet)
    kind = (T("unknown kind of file {suffix}", suffix=repr(suffix)) if suffix else
            T("unknown kind of file (no extension)"))
    raise ExportRowError(path.name, kind, hint=T("export the payroll as .csv or .xlsx"))


def decode(data: bytes, file: str) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, as Colombian Excel installs save CSV."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    # Both would "decode" as Windows-1252 into a header no one recognises: say what they are.
    if data[:4] == b"PK\x03\x04":
        raise ExportRowError(
            file, T("not a text CSV file: it is a ZIP archive (an Excel workbook?)"),
            hint=T("give it the .xlsx extension, or export the payroll as CSV"),
        )
    if b"\x00" in data:
        raise ExportRowError(
            file, T("not a text CSV file: it holds NUL bytes (UTF-16 without a byte-order "
                    "mark, or binary data)"), hint=T("save the export as CSV UTF-8"),
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ExportRowError(
            file, T("not text in UTF-8 or Windows-1252"), hint=T("save the export as CSV UTF-8")
        ) from None


def sniff_delimiter(text: str, score: Scorer) -> str:
    """The delimiter that splits the first rows into a recognisable header.

    csv.Sniffer is fooled by Colombian amounts (``1.234,50;2.000``): commas can outnumber the
    real delimiter. The header row holds no amounts, so the delimiter that yields the header
    with the most known column names wins; ties and header-less samples go to the delimiter
    found most consistently across the sample lines.
    """
    lines = text.split("\n", _SNIFF_LINES)[:_SNIFF_LINES]
    best: tuple[int, int, int] = (-1, -1, -1)
    chosen = DELIMITERS[0]
    for delimiter in DELIMITERS:
        rows = list(csv.reader(lines, delimiter=delimiter))
        known = next((n for n in map(score, rows) if n >= 2), 0)  # the first header found
        lines_with = sum(1 for line in lines if delimiter in line)
        widest = max((len(row) for row in rows), default=0)
        rank = (known, lines_with, widest)
        if rank > best:
            best, chosen = rank, delimiter
    return chosen


def read_csv(path: Path, score: Scorer) -> Table:
    text = decode(_read_bytes(path), path.name)
    delimiter = sniff_delimiter(text, score)
    # A list of lines iterates faster than a StringIO; quoted line breaks survive (keepends).
    lines = text.splitlines(keepends=True)
    return Table(_records(lines, delimiter, path.name))


def _records(lines: list[str], delimiter: str, file: str) -> Iterator[Row]:
    """The rows; a malformed CSV is refused naming the row where it goes wrong."""
    # Strict: an unclosed quote would otherwise swallow every later row into one cell.
    try:
        yield from csv.reader(lines, delimiter=delimiter, strict=True)
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            reason = T("not a readable CSV file: a quote (\") opened in this row is never "
                       "closed")
            hint = T("close the quote, or export the CSV again")
        else:
            reason = T("not a readable CSV file: a quoted cell is malformed ({error})",
                       error=str(exc))
            hint = T("quote the whole cell, or export the CSV again")
        raise ExportRowError(file, reason, row=_failing_row(lines, delimiter),
                             hint=hint) from None


def _failing_row(lines: list[str], delimiter: str) -> int:
    """The row (as a spreadsheet counts) where strict CSV parsing fails: read again, counting,
    only on this error path so the rows of a good file pay nothing for it."""
    read = 0
    try:
        for _row in csv.reader(lines, delimiter=delimiter, strict=True):
            read += 1
    except csv.Error:
        pass
    return read + 1


def read_xlsx(path: Path, sheet: str | None) -> Table:
    import python_calamine  # heavy: only when an XLSX is actually read

    try:
        workbook = python_calamine.load_workbook(str(path))
    except FileNotFoundError:
        raise
    except Exception as exc:  # calamine raises several unrelated kinds for a broken file
        raise ExportRowError(
            path.name, T("not a readable spreadsheet ({error})",
                         error=": ".join((type(exc).__name__, str(exc))))
        ) from None
    names = workbook.sheet_names
    if sheet is None:
        if not names:
            raise ExportRowError(path.name, T("the workbook has no sheets"))
        chosen = workbook.get_sheet_by_index(0)
    elif sheet in names:
        chosen = workbook.get_sheet_by_name(sheet)
    else:
        listed = ", ".join(repr(name) for name in names)
        raise ExportRowError(
            path.name, T("no sheet {sheet}; the sheets are {sheets}", sheet=repr(sheet),
                         sheets=listed),
            hint=T("fix [export] sheet in config.toml"),
        )
    formulas = uncomputed_formulas(path, sheet)
    if formulas:
        shown = ", ".join(formulas[:8])
        cells = (T("{cells} and {more} more", cells=shown, more=len(formulas) - 8)
                 if len(formulas) > 8 else shown)
        raise ExportRowError(
            path.name, T("cells {cells} hold formulas without their computed value (the file "
                         "was written by a program and never opened in a spreadsheet)",
                         cells=cells),
            hint=T("open the file in Excel or LibreOffice and save it, or export it with "
                   "values"),
        )
    start = chosen.start
    return Table(
        iter(chosen.iter_rows()), first_column=start[1] if start else 0, spreadsheet=True
    )


def _read_bytes(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read()
