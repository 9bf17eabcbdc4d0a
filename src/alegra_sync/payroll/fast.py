"""Whole-row conversions for the wide layout's hot loop (see FastAmounts)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from itertools import compress
from operator import itemgetter
from typing import Any

from alegra_sync.payroll.amounts import decimal_from_float
from alegra_sync.payroll.columns import Header
from alegra_sync.payroll.readers import Row

# Employee columns besides the identification, in the order Employee takes them.
TEXT_FIELDS = ("nombre", "tipo_identificacion", "centro_costos", "eps", "afp")
# A person's name in separate columns, in the order person_from_columns takes them.
NAME_FIELDS = ("primer_nombre", "segundo_nombre", "primer_apellido", "segundo_apellido",
               "nombres", "apellidos")


class FieldGetter:
    """The cells of the optional employee columns (tipo, centro de costos, EPS, AFP) of a row,
    "" where the export has no such column."""

    def __init__(self, header: Header) -> None:
        self.columns = [header.known.get(name) for name in TEXT_FIELDS[1:]]
        present = [column for column in self.columns if column is not None]
        self.all_present = len(present) == len(self.columns)
        self.get = itemgetter(*present) if self.all_present else None

    def __call__(self, row: Row) -> tuple[Any, ...]:
        if self.get is not None:
            found: tuple[Any, ...] = self.get(row)  # several columns: itemgetter gives a tuple
            return found
        return tuple("" if column is None else row[column] for column in self.columns)

    @staticmethod
    def getter(columns: Iterable[int]) -> Callable[[Row], tuple[Any, ...]]:
        wanted = list(columns)
        if len(wanted) > 1:
            return itemgetter(*wanted)
        return lambda row: tuple(row[column] for column in wanted)


class FastAmounts:
    """A whole row's amounts at once, for the rows every export is made of.

    Text rows whose amounts are all blank or whole numbers (``1.234.567``) pass one check over
    the joined row; spreadsheet rows whose amounts are all Excel numbers pass a type check.
    Both then convert in C-level maps. Anything else returns None and goes cell by cell, which
    also gives the rejections: the result is the same either way, only faster.
    """

    _SEPARATOR = "\x1f"  # a control character no export writes inside a cell

    def __init__(
        self, concepts: list[tuple[int, str]], decimal_separator: str, spreadsheet: bool
    ) -> None:
        self.spreadsheet = spreadsheet  # cells are calamine's values, not always text
        indexes = [index for index, _ in concepts]
        self.names = [name for _, name in concepts]
        self.get: Callable[[Row], tuple[Any, ...]]
        if len(indexes) > 1:
            self.get = itemgetter(*indexes)
        else:
            self.get = lambda row: tuple(row[index] for index in indexes)
        self.grouping = "." if decimal_separator == "," else ","
        # A cell of a row of whole amounts: blank, up to 18 digits, or 1-3 digits and 1 to 5
        # groups of three; no leading zero ("0", "0.5", "007" take the slow path, so zero
        # amounts do too). One match over the joined row instead of a regex per cell.
        group = re.escape(self.grouping)
        cell = rf"(?:[1-9][0-9]{{0,17}}|[1-9][0-9]{{0,2}}(?:{group}[0-9]{{3}}){{1,5}})?"
        self.whole_row = re.compile(rf"{cell}(?:{self._SEPARATOR}{cell})*").fullmatch

    def __call__(self, row: Row) -> dict[str, Decimal] | None:
        cells = self.get(row)
        if self.spreadsheet:
            return self._numbers(cells)
        joined = self._SEPARATOR.join(cells)
        if self.whole_row(joined) is None:
            return None
        digits = joined.replace(self.grouping, "").split(self._SEPARATOR)
        if len(digits) != len(self.names):  # pragma: no cover - a cell held the separator
            return None
        numbers = map(Decimal, compress(digits, digits))
        return dict(zip(compress(self.names, digits), numbers, strict=True))

    def _numbers(self, cells: tuple[Any, ...]) -> dict[str, Decimal] | None:
        values = list(compress(cells, cells))  # blanks and zeros drop out
        if len(values) != len(cells) and any(cell is False for cell in cells):
            return None  # an Excel FALSE is falsy too: cell by cell it is refused
        try:  # float.is_integer refuses anything but a float: text, dates, booleans
            whole = all(map(float.is_integer, values))
        except TypeError:
            return None
        if whole:
            numbers = map(Decimal, map(int, values))
        elif all(isinstance(value, float) for value in values):  # all() above stops early
            numbers = map(decimal_from_float, values)
        else:
            return None
        return dict(zip(compress(self.names, cells), numbers, strict=True))
