"""The floor under read_and_plan.py: the least any exact, pure-Python read-and-plan must do.

read_and_plan.py measures it in the same run as its own figures. For make_large_export's files,
added one at a time and timed together, only the steps no correct implementation can skip:

- keep the rows: the checks need them (duplicates, totals, the row a message names);
- check each amount's form and make it a Decimal (money is Decimal): one regex over each CSV
  row, one type check over each XLSX row, then C-level maps, the cheapest way found;
- add each amount twice, into its debit and its credit line, again at C speed (``sum``);
- one object per journal line of the real plan (a bare tuple; the drafts ready to send);
- one hash text per line (exactly-once finds a posted document by its content hash).

No employee is looked at, no key is grouped, no line sorted, no journal split: each of those
only adds. Like read_export and build_vouchers, each step runs with the cycle collector paused.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from itertools import compress
from pathlib import Path
from typing import Any

from payroll_data import HEADER
from read_export import best_of

from alegra_sync._gc import collector_paused

FIRST_AMOUNT = len(HEADER)  # make_large_export writes the employee columns first
SEPARATOR = "\x1f"
ZERO = Decimal(0)


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter=";"))[2:-1]  # no title, header, totals


def xlsx_rows(path: Path) -> list[list[Any]]:
    import python_calamine

    return python_calamine.load_workbook(str(path)).get_sheet_by_index(0).to_python()[2:-1]


_CELL = r"(?:[1-9][0-9]{0,2}(?:\.[0-9]{3})*)?"  # blank or 1.234.567: what the file holds
_WHOLE_ROW = re.compile(rf"{_CELL}(?:{SEPARATOR}{_CELL})*").fullmatch


def csv_decimals(rows: list[list[str]]) -> list[list[Decimal]]:
    """``1.234.567`` cells checked and made Decimals: per row one join, one regex, one
    replace and split, then C-level maps."""
    result = []
    for row in rows:
        joined = SEPARATOR.join(row[FIRST_AMOUNT:])
        if _WHOLE_ROW(joined) is None:
            raise ValueError("not an amount")
        cells = joined.replace(".", "").split(SEPARATOR)
        result.append(list(map(Decimal, compress(cells, cells))))
    return result


def xlsx_decimals(rows: list[list[Any]]) -> list[list[Decimal]]:
    """Whole Excel numbers checked and made Decimals through int, as exact as the reader's."""
    result = []
    for row in rows:
        values = list(compress(row[FIRST_AMOUNT:], row[FIRST_AMOUNT:]))
        if not all(map(float.is_integer, values)):
            raise ValueError("not a whole number")
        result.append(list(map(Decimal, map(int, values))))
    return result


def add_twice(amounts: list[list[Decimal]]) -> list[list[Decimal]]:
    """Each amount added into a debit and a credit total: the least aggregation can cost."""
    for _side in ("debit", "credit"):
        sum(map(sum, amounts), ZERO)
    return amounts


def line_objects(amounts: list[list[Decimal]], count: int) -> list[tuple[object, ...]]:
    """``count`` line tuples built from the amounts read: account, cost center, party,
    debit, credit, description."""
    flat = (amount for row in amounts for amount in row)
    return [("5053", "1", f"employee|CC|{n}", amount, ZERO, "Sueldos")
            for n, amount in zip(range(count), flat, strict=False)]


def hash_texts(lines: Iterable[tuple[object, ...]]) -> list[str]:
    return [f"L {a}|{cc}|{party}|{debit}|{credit}" for a, cc, party, debit, credit, _ in lines]


FloorStep = tuple[str, float]  # what was added, cumulative best-of seconds


def measure_floor(fmt: str, path: Path, lines: int) -> list[FloorStep]:
    """The unavoidable steps for ``path`` ("csv" or "xlsx"), timed cumulatively."""
    read: Callable[[Path], list[list[Any]]] = csv_rows if fmt == "csv" else xlsx_rows
    decimals: Callable[[list[list[Any]]], list[list[Decimal]]] = (
        csv_decimals if fmt == "csv" else xlsx_decimals)

    def rows() -> object:
        return read(path)

    def rows_and_decimals() -> list[list[Decimal]]:
        return decimals(read(path))

    def with_sums() -> list[list[Decimal]]:
        return add_twice(rows_and_decimals())

    def with_lines() -> list[tuple[object, ...]]:
        return line_objects(with_sums(), lines)

    def hashed() -> list[str]:
        return hash_texts(with_lines())

    steps = [("keep the rows", rows), ("+ check each amount, one Decimal each", rows_and_decimals),
             ("+ add each amount twice (debit, credit)", with_sums),
             (f"+ one object per journal line ({lines:,})", with_lines),
             ("+ one hash text per line", hashed)]
    return [(name, best_of(collector_paused()(step))) for name, step in steps]
