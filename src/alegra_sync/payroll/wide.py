"""The rows below the header, checked and turned into Employees: what both layouts share, and
the wide layout (one row per employee), the hot path: employees × concepts cells, converted a
whole row at a time by FastAmounts when the cells allow it. The long layout is in long.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from alegra_sync.errors import ExportRowError
from alegra_sync.i18n import T, reason_of
from alegra_sync.payroll.amounts import ZERO, parse_amount, parse_date, separator_use
from alegra_sync.payroll.columns import Header, cell_text, column_letter
from alegra_sync.payroll.fast import NAME_FIELDS, FastAmounts, FieldGetter
from alegra_sync.payroll.identity import (
    ID_TYPE_CODES,
    PersonName,
    identification_type,
    person_from_columns,
)
from alegra_sync.payroll.model import Employee
from alegra_sync.payroll.readers import Row

# A word of a totals row's label: "Total", "Totales", "Gran total", "Suma total", "Total
# nómina". Joined forms too ("Grantotal", "TOTALGENERAL"): the long layout passes the label
# through identification(), which drops the spaces.
_TOTAL_WORD = re.compile(r"(?:gran|suma)?total(?:es)?(?:general|nomina)?").fullmatch
# Cheap test before the full one, as most cells are a number or a person's name; lets an
# accent (precomposed or combining) through. Classes spelt out: faster than re.IGNORECASE.
_TOTAL_HINT = re.compile(r"[tT]\W?[oOóòôöÓÒÔÖ]\W?[tT]\W?[aAáàâäÁÀÂÄ]\W?[lL]").search
_WORDS = re.compile(r"[^a-z0-9]+").split
# A number Excel wrote in a text file with a float's format: "1020304050.0".
_FLOAT_ID = re.compile(r"([0-9]+)\.0+").fullmatch
# A number Excel wrote in scientific notation, its last digits lost: "1,02030405E+09".
_SCIENTIFIC = re.compile(r"[0-9]+(?:[.,][0-9]+)?[eE][+-][0-9]+").fullmatch


def identification(cell: object) -> str:
    """``1.020.304`` and ``1 020 304`` -> ``1020304``: digits and letters only.

    ``1020304050.0`` (a float column written as text) is ``1020304050``; ``1.000`` is
    thousands grouping. Scientific notation is not refused here: see scientific_id.
    """
    if isinstance(cell, str):
        text = cell.strip()
        if text.isalnum() and text.isascii():
            return text
        floating = _FLOAT_ID(text)
        if floating is not None:
            whole = floating[1]
            if not (len(whole) <= 3 and len(text) == len(whole) + 4):  # "1.000" groups
                return whole
        return "".join(ch for ch in text if ch.isalnum())
    if isinstance(cell, float) and cell >= 0 and cell.is_integer():
        return str(int(cell))  # a spreadsheet's number: what cell_text gives, all digits
    return "".join(ch for ch in cell_text(cell) if ch.isalnum())


def scientific_id(cell: object) -> bool:
    """Whether an identification cell is in scientific notation (``1,02030405E+09``): its
    digits are lost, so it cannot be read."""
    return isinstance(cell, str) and _SCIENTIFIC(cell.strip()) is not None


def is_total_label(text: str) -> bool:
    """Whether a cell labels a totals row: it holds the word total or totales (``Total``,
    ``TOTALES``, ``Gran total``, ``Total nómina``, ``Suma total``). No identification and no
    person's name holds that word; ``Subtotal`` and ``Totalino`` do not count."""
    if _TOTAL_HINT(text) is None:
        return False
    plain = "".join(
        ch for ch in unicodedata.normalize("NFKD", text).casefold()
        if not unicodedata.combining(ch)
    )
    return any(_TOTAL_WORD(word) for word in _WORDS(plain))


def filled(cell: object) -> bool:
    if isinstance(cell, str):
        return bool(cell) and not cell.isspace()
    return cell is not None


@dataclass
class TotalsRow:
    row: int
    label: str
    labelled: bool


@dataclass
class TotalCheck:
    row: int
    column: str
    raw: object
    concept: str  # "" for a wide column, the row's concept in the long layout


class RowChecker:
    """What both layouts share: columns, period, dates, amounts, totals and rejections."""

    def __init__(
        self, file: str, header: Header, decimal_separator: str, first_column: int,
        spreadsheet: bool = False,
    ):
        self.file, self.header, self.sep = file, header, decimal_separator
        self.first_column, self.spreadsheet = first_column, spreadsheet
        known = header.known
        if "identificacion" not in known:
            raise ExportRowError(
                file,
                T("no identification column (Identificación, Documento, Cédula, …)"),
                row=header.row,
                hint=T("name it in [export] columns.identificacion in config.toml"),
            )
        self.id_col = known["identificacion"]
        self.name_col = known.get("nombre")
        self.neto_col = known.get("neto")
        self.pay_col = known.get("fecha_pago")
        self.width = len(header.texts)
        self.employees: list[Employee] = []
        self.concepts: list[str] = [name for _, name in header.concepts]
        self.totals: dict[str, Decimal] = {}
        self._checks: dict[str, TotalCheck] = {}
        self._neto_total: TotalCheck | None = None
        # the totals columns' indexes (Total devengado, …) and the totals row's cells of them
        self._column_totals: list[tuple[str, Decimal, TotalCheck]] = []
        self._period_cols = [known.get("periodo_inicio"), known.get("periodo_fin")]
        self._period: list[tuple[date, int] | None] = [None, None]
        self._period_raw: list[object] = ["", ""]
        self._last_pay: tuple[object, date | None] = ("", None)
        # "ambiguous" / "contrary" -> (row, column, cell) of the first such amount
        self._separators: dict[str, tuple[int, str, str]] = {}
        self.name_cols = [known.get(name) for name in NAME_FIELDS]
        self.has_name_parts = any(column is not None for column in self.name_cols)
        self._id_types: dict[str | None, str] = {}

    @property
    def period(self) -> tuple[date, date] | None:
        start, end = self._period
        return (start[0], end[0]) if start and end else None

    def read(self, rows: Iterator[Row], first_row: int) -> None:
        raise NotImplementedError

    # --- cells ---------------------------------------------------------------------------

    def fit(self, row: Row, number: int) -> Row:
        """``row`` padded to the header's width; a value beyond or under no header is refused."""
        size = len(row)
        if size < self.width:
            row = list(row) + [""] * (self.width - size)
        elif size > self.width:
            for index in range(self.width, size):
                if filled(row[index]):
                    self._unheaded(number, index, row[index])
        for index in self.header.unheaded:
            if filled(row[index]):
                self._unheaded(number, index, row[index])
        return row

    def _unheaded(self, number: int, index: int, cell: object) -> None:
        letter = column_letter(self.first_column + index)
        raise ExportRowError(
            self.file, T("a value in column {letter}, which has no header", letter=letter),
            row=number, value=cell_text(cell),
            hint=T("give the column a header or delete the value"),
        )

    def amount(self, cell: object, number: int, column: str) -> Decimal:
        try:
            value = parse_amount(cell, self.sep)  # type: ignore[arg-type]
        except ValueError as exc:
            raise self.not_amount(number, column, cell, exc) from None
        if isinstance(cell, str) and self.sep in cell:
            self.note_separators(cell, number, column)
        return value

    def note_separators(self, cell: str, number: int, column: str) -> None:
        """Remember the first ambiguous amount and the first that shows the other convention:
        together they mean the ambiguous ones were read wrong (check_separators)."""
        use = separator_use(cell, self.sep)
        if use is not None and use not in self._separators:
            self._separators[use] = (number, column, cell)

    def check_separators(self) -> None:
        """An amount such as ``40,000`` reads by [export] decimal_separator (here 40); when
        another cell of the file writes ``1,000,000``, the file uses the other convention and
        that reading is wrong: refused, never guessed."""
        if "ambiguous" not in self._separators or "contrary" not in self._separators:
            return
        number, column, cell = self._separators["ambiguous"]
        other_row, other_column, other = self._separators["contrary"]
        reading = parse_amount(cell, self.sep)
        raise ExportRowError(
            self.file,
            T("ambiguous amount: read as {reading} by [export] decimal_separator = "
              "{separator}, but row {row}, column {column} writes {other} the other way",
              reading=reading, separator=repr(self.sep), row=other_row,
              column=repr(other_column), other=repr(other)),
            row=number, column=column, value=cell,
            hint=T("set [export] decimal_separator in config.toml to the file's decimal "
                   "separator"),
        )

    def scientific(self, cell: object, number: int) -> ExportRowError:
        return ExportRowError(
            self.file, T("an identification in scientific notation, its last digits lost"),
            row=number, column=self.header.texts[self.id_col], value=cell_text(cell),
            hint=T("format the column as text, or as a number without exponent, and export "
                   "again"),
        )

    def not_amount(self, number: int, column: str, cell: object, exc: Exception) -> ExportRowError:
        return ExportRowError(
            self.file, T("not an amount ({reason})", reason=reason_of(exc)), row=number,
            column=column, value=cell_text(cell)
        )

    def date_at(self, cell: object, number: int, column: int) -> date:
        try:
            return parse_date(cell)
        except ValueError as exc:
            raise ExportRowError(
                self.file, reason_of(exc), row=number, column=self.header.texts[column],
                value=cell_text(cell),
            ) from None

    def id_type(self, written: str | None, number: int) -> str:
        """The code of a type-of-identification cell (CC when blank); refused when it is not
        one. Most exports repeat a few values: each is read once."""
        found = self._id_types.get(written)
        if found is None:
            code = identification_type(written)
            if code is None:
                raise ExportRowError(
                    self.file, T("not a type of identification"), row=number,
                    column=self.header.name("tipo_identificacion"), value=written or "",
                    hint=T("write one of {codes}, or the type's name (Cédula de ciudadanía, "
                           "Pasaporte…)", codes=", ".join(ID_TYPE_CODES)),
                )
            found = self._id_types[written] = code
        return found

    def person(self, cells: list[object]) -> PersonName | None:
        """A name from the separate name columns' cells (NAME_FIELDS order; "" where the
        export has no such column)."""
        first, second, last, second_last, given, surnames = (cell_text(cell) for cell in cells)
        return person_from_columns(first, second, last, second_last, given=given,
                                   surnames=surnames)

    def text(self, row: Row, column: int | None) -> str | None:
        if column is None:
            return None
        return cell_text(row[column]) or None

    def payment_date(self, row: Row, number: int) -> date | None:
        if self.pay_col is None:
            return None
        cell = row[self.pay_col]
        if not filled(cell):
            return None
        if cell != self._last_pay[0]:  # one payment date for everybody, parsed once
            self._last_pay = (cell, self.date_at(cell, number, self.pay_col))
        return self._last_pay[1]

    def period_cells(self, row: Row, number: int) -> None:
        """Each row's period columns must agree with the first row that gave them."""
        for side, column in enumerate(self._period_cols):
            if column is None:
                continue
            cell = row[column]
            if not filled(cell) or cell == self._period_raw[side]:
                continue
            value = self.date_at(cell, number, column)
            first = self._period[side]
            if first is None:
                self._period[side] = (value, number)
                self._period_raw[side] = cell
            elif value != first[0]:
                raise ExportRowError(
                    self.file,
                    T("the period differs from row {row} ({day})", row=first[1],
                      day=first[0].isoformat()),
                    row=number, column=self.header.texts[column], value=cell_text(cell),
                )

    # --- totals --------------------------------------------------------------------------

    def reject_totals_row(self, pending: TotalsRow) -> None:
        """A totals-like row that turned out not to be the last one."""
        if pending.labelled:
            raise ExportRowError(
                self.file, T("a totals row must be the last row, but employee rows follow it"),
                row=pending.row, value=pending.label,
            )
        raise ExportRowError(
            self.file, T("missing identification"), row=pending.row,
            column=self.header.texts[self.id_col], value="",
        )

    def add_total(self, concept: str, value: Decimal, check: TotalCheck) -> None:
        if concept in self.totals:
            first = self._checks[concept]
            raise ExportRowError(
                self.file, T("a second total for {concept}; the first is on row {row}",
                             concept=repr(concept), row=first.row),
                row=check.row, column=check.column, value=cell_text(check.raw),
            )
        self.totals[concept] = value
        self._checks[concept] = check

    def set_neto_total(self, row: Row, number: int) -> None:
        if self.neto_col is not None and filled(row[self.neto_col]):
            self._neto_total = TotalCheck(
                number, self.header.texts[self.neto_col], row[self.neto_col], ""
            )

    def check_totals(self) -> None:
        """The file's own totals row must equal the sums of the employee rows."""
        if not self.totals and self._neto_total is None and not self._column_totals:
            return
        sums = dict.fromkeys(self.concepts, ZERO)  # every amount's concept is among these
        for employee in self.employees:
            for concept, value in employee.amounts.items():
                sums[concept] += value
        for concept, total in self.totals.items():
            found = sums.get(concept, ZERO)
            if found != total:
                self._mismatch(self._checks[concept], total, found)
        if self._neto_total is not None:
            check = self._neto_total
            total = self.amount(check.raw, check.row, check.column)
            found = sum((e.neto or ZERO for e in self.employees), ZERO)
            if found != total:
                self._mismatch(check, total, found)
        for kind, total, check in self._column_totals:
            found = sum((e.totals.get(kind, ZERO) for e in self.employees), ZERO)
            if found != total:
                self._mismatch(check, total, found)

    def _mismatch(self, check: TotalCheck, total: Decimal, found: Decimal) -> None:
        reason = (T("the totals row says {total} for {concept} but the employee rows add up "
                    "to {found}", total=total, concept=repr(check.concept), found=found)
                  if check.concept else
                  T("the totals row says {total} but the employee rows add up to {found}",
                    total=total, found=found))
        raise ExportRowError(self.file, reason, row=check.row, column=check.column,
                             value=cell_text(check.raw))


class WideRows(RowChecker):
    """One row per employee; each concept a column."""

    def read(self, rows: Iterator[Row], first_row: int) -> None:
        width, fast = self.width, FastAmounts(self.header.concepts, self.sep, self.spreadsheet)
        id_col, name_col, neto_col = self.id_col, self.name_col, self.neto_col
        # Text cells need only a strip; spreadsheet cells may be numbers (a NIT as 8001234.0).
        text: Callable[[Any], str] = cell_text if self.spreadsheet else str.strip
        fields = FieldGetter(self.header)
        period_get = fields.getter(c for c in self._period_cols if c is not None)
        last_period: tuple[Any, ...] = ()
        pay_col = self.pay_col
        totals_cols = self.header.totals
        seen: dict[str, int] = {}
        pending: TotalsRow | None = None
        for number, row in enumerate(rows, first_row):
            if len(row) != width or self.header.unheaded:
                row = self.fit(row, number)
            amounts = fast(row)
            if amounts is None:
                amounts = self._amounts(row, number)
            raw_id = row[id_col]
            ident = identification(raw_id)
            name = text(row[name_col]) if name_col is not None else ""
            person = None
            if self.has_name_parts:
                person = self.person(["" if column is None else row[column]
                                      for column in self.name_cols])
                if person is not None and not name:
                    name = person.full
            named_total = is_total_label(name)
            # An identification of digits (nearly every row) is neither a label nor a note.
            if named_total or not ident.isdigit():
                if named_total or not ident or self._total_id(raw_id, number):
                    pending = self._not_employee(row, number, amounts, ident, name, pending)
                    continue
                if not name and not amounts and self._note(row):
                    continue
            if pending is not None:
                self.reject_totals_row(pending)
            if ident in seen:
                raise ExportRowError(
                    self.file, T("duplicate employee: identification {id} is also on row "
                                 "{row}", id=ident, row=seen[ident]),
                    row=number, column=self.header.texts[id_col], value=cell_text(raw_id),
                )
            seen[ident] = number
            period = period_get(row)
            if period != last_period:  # the same on every row: checked when it changes
                self.period_cells(row, number)
                last_period = period
            payment = self.payment_date(row, number) if pay_col is not None else None
            neto = None
            if neto_col is not None and filled(row[neto_col]):
                neto = self.amount(row[neto_col], number, self.header.texts[neto_col])
            totals = self._row_totals(row, number) if totals_cols else {}
            kind, cost_center, eps, afp = (text(cell) or None for cell in fields(row))
            self.employees.append(Employee(
                identification=ident,
                name=name,
                id_type=self.id_type(kind, number),
                cost_center=cost_center,
                eps=eps,
                afp=afp,
                payment_date=payment,
                amounts=amounts,
                neto=neto,
                row=number,
                totals=totals,
                person=person,
            ))

    def _row_totals(self, row: Row, number: int) -> dict[str, Decimal]:
        """The row's totals cells (Total devengado, …) by kind; a blank one is not checked."""
        found: dict[str, Decimal] = {}
        texts = self.header.texts
        for kind, index in self.header.totals.items():
            cell = row[index]
            if filled(cell):
                found[kind] = self.amount(cell, number, texts[index])
        return found

    def _total_id(self, cell: object, number: int) -> bool:
        """Whether an identification cell that is not all digits labels a totals row; one in
        scientific notation is refused."""
        if scientific_id(cell):
            raise self.scientific(cell, number)
        return is_total_label(cell_text(cell))

    def _note(self, row: Row) -> bool:
        """Whether a row is a footer such as ``Generado por Aleluya el 16/11/2026``: text in the
        identification column and nothing else."""
        id_col = self.id_col
        return isinstance(row[id_col], str) and not any(
            filled(cell) for index, cell in enumerate(row) if index != id_col
        )

    def _not_employee(
        self, row: Row, number: int, amounts: dict[str, Decimal], ident: str, name: str,
        pending: TotalsRow | None,
    ) -> TotalsRow | None:
        """A row without identification: skipped, a totals row, or a missing identification."""
        labelled = bool(ident) or is_total_label(name)
        has_neto = self.neto_col is not None and filled(row[self.neto_col])
        if not labelled and not amounts and not has_neto:
            return pending  # blank, or a note or signature line under the table
        if not labelled and name:
            self.reject_totals_row(TotalsRow(number, "", False))
        if pending is not None:
            self.reject_totals_row(pending)
        self._take_totals(row, number)
        return TotalsRow(number, cell_text(row[self.id_col]) or name, labelled)

    def _amounts(self, row: Row, number: int) -> dict[str, Decimal]:
        """The row's non-zero amounts, cell by cell: the general parse and its rejections."""
        amounts: dict[str, Decimal] = {}
        for index, concept in self.header.concepts:
            cell = row[index]
            if cell == "":
                continue
            value = self.amount(cell, number, concept)
            if value:
                amounts[concept] = value
        return amounts

    def _take_totals(self, row: Row, number: int) -> None:
        self.totals.clear()
        self._checks.clear()
        for index, concept in self.header.concepts:
            cell = row[index]
            if filled(cell):
                value = self.amount(cell, number, concept)
                self.add_total(concept, value, TotalCheck(number, concept, cell, ""))
        self.set_neto_total(row, number)
        # checked against the employees' cells of the column, as a concept's total is
        self._column_totals.clear()
        for kind, index in self.header.totals.items():
            cell = row[index]
            if filled(cell):
                column = self.header.texts[index]
                value = self.amount(cell, number, column)
                self._column_totals.append((kind, value, TotalCheck(number, column, cell, "")))
