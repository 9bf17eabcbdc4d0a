"""Amounts and dates as Colombian payroll exports write them.

Amounts: ``1.234.567``, ``1.234.567,50``, ``$ 1.234.567``, ``1,234,567.50``, ``(1.234)`` and
``-1.234`` (negative), ``$(1,234.00)`` (negative, US accounting), blank and Excel's accounting zero
``$ -`` = 0, and Excel numbers. Decimal only: a float from a spreadsheet loses its binary noise
(beyond six decimals) and nothing else: rounding to the company's precision happens once, later.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from alegra_sync.i18n import T

ZERO = Decimal(0)

# Fast paths, tried before the general parse: most cells are plain digits or, in Colombian
# exports, digits grouped by dots.
_PLAIN = re.compile(r"-?[0-9]+").fullmatch
_GROUPED = {
    ",": re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+").fullmatch,
    ".": re.compile(r"[1-9][0-9]{0,2}(?:,[0-9]{3})+").fullmatch,
}
_NUMERIC = re.compile(r"[0-9.,]+").fullmatch
_SPACES = str.maketrans("", "", " \xa0\u202f\u2007\t")
# Excel's accounting format writes zero as a dash: " - ", "$ -" once spaces are gone.
_ACCOUNTING_ZERO = frozenset({"-", "$-"})


def parse_amount(
    text: str | int | float | Decimal | None, decimal_separator: str = ","
) -> Decimal:
    """The amount a cell holds; ValueError with a short reason when it is not one."""
    if text is None:
        return ZERO
    if isinstance(text, str):
        if _PLAIN(text):
            return Decimal(text)
        if _GROUPED[decimal_separator](text):
            return Decimal(text.replace("." if decimal_separator == "," else ",", ""))
        return _parse_text(text, decimal_separator)
    if isinstance(text, bool):  # bool is an int; TRUE in an amount column is a mistake
        raise ValueError(T("a true/false value"))
    if isinstance(text, int):
        return Decimal(text)
    if isinstance(text, float):
        return decimal_from_float(text)
    if isinstance(text, Decimal):
        if not text.is_finite():
            raise ValueError(T("not a finite number"))
        return text
    raise ValueError(T("a {type} value", type=type(text).__name__))


def separator_use(text: str, decimal_separator: str) -> str | None:
    """How a text amount uses its separators, for a check across the file: "ambiguous" when
    only ``decimal_separator`` decides how it reads (``40,000``: one separator, then three
    digits), "contrary" when it shows the other convention for certain (with "," as decimal
    separator: ``1,000,000`` or ``1,234.50``), else None."""
    digits = "".join(ch for ch in text if ch.isdigit() or ch in ".,")
    other = "." if decimal_separator == "," else ","
    if digits.count(decimal_separator) > 1:
        return "contrary"  # the decimal separator used for thousands
    if decimal_separator in digits and other in digits:
        return "contrary" if digits.rfind(other) > digits.rfind(decimal_separator) else None
    if other in digits:
        return None
    whole, _, fraction = digits.partition(decimal_separator)
    if fraction and len(fraction) == 3 and 1 <= len(whole) <= 3 and whole[0] != "0":
        return "ambiguous"
    return None


def decimal_from_float(value: float) -> Decimal:
    """An Excel number as Decimal: whole numbers exactly, others without their binary noise.

    Six decimals keep every digit a payroll program writes (``1234.495`` stays, to be rounded
    once to the company's precision) and drop the float's noise (``0.30000000000000004`` is
    ``0.3``); ``f"{value:.6f}"`` rounds correctly from the float's exact binary value.
    """
    if value.is_integer():  # False for inf and nan too
        return Decimal(int(value))
    if not math.isfinite(value):
        raise ValueError(T("not a finite number"))
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    amount = Decimal(text)
    return amount if amount else ZERO  # -1e-9 is "-0": no signed zeros in the sums


def _parse_text(text: str, decimal_separator: str) -> Decimal:
    s = text.translate(_SPACES)
    if not s or s in _ACCOUNTING_ZERO:
        return ZERO
    negative = False
    if s[:2] == "$(":  # "$(40,000.00)", as US accounting formats print a negative
        s = s[1:]
    if s[0] == "(" and s[-1] == ")":
        negative, s = True, s[1:-1]
    for _ in range(2):  # "-$1.234" and "$-1.234" both occur
        if s[:1] == "-":
            if negative:
                raise ValueError(T("more than one minus sign"))
            negative, s = True, s[1:]
        elif s[:1] == "+":
            s = s[1:]
        if s[:1] == "$":
            s = s[1:]
    if not s:
        raise ValueError(T("no digits"))
    if not _NUMERIC(s):
        if "-" in s or "(" in s or ")" in s:
            raise ValueError(T("misplaced sign"))
        raise ValueError(T("unexpected characters"))
    number = _unseparated(s, decimal_separator)
    try:
        amount = Decimal(number)
    except InvalidOperation:  # pragma: no cover - _unseparated only lets digits through
        raise ValueError(T("not a number")) from None
    return -amount if negative else amount


def _unseparated(s: str, decimal_separator: str) -> str:
    """``s`` (digits, dots and commas) as a plain ``1234.5`` string, or ValueError."""
    last_dot, last_comma = s.rfind("."), s.rfind(",")
    if last_dot < 0 and last_comma < 0:
        return s
    if last_dot >= 0 and last_comma >= 0:
        decimal = "." if last_dot > last_comma else ","
        thousands = "," if decimal == "." else "."
        whole, _, fraction = s.rpartition(decimal)
        if decimal in whole:
            raise ValueError(T("two decimal separators"))
        if thousands in fraction:
            raise ValueError(T("thousands separator after the decimal one"))
        return _whole(whole, thousands) + "." + _fraction(fraction)
    separator = "." if last_dot >= 0 else ","
    parts = s.split(separator)
    if len(parts) > 2:
        return _whole(s, separator)
    whole, fraction = parts
    could_be_thousands = len(fraction) == 3 and 1 <= len(whole) <= 3 and whole[0] != "0"
    if could_be_thousands and separator != decimal_separator:
        return whole + fraction
    return (whole or "0") + "." + _fraction(fraction)


def _whole(s: str, thousands: str) -> str:
    if not s:
        return "0"
    groups = s.split(thousands)
    if len(groups) == 1:
        return s
    first = groups[0]
    if not 1 <= len(first) <= 3 or first[0] == "0" or any(len(g) != 3 for g in groups[1:]):
        raise ValueError(T("misplaced thousands separator"))
    return "".join(groups)


def _fraction(s: str) -> str:
    if not s:
        raise ValueError(T("no digits after the decimal separator"))
    return s


# --- dates -------------------------------------------------------------------------------

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_DMY = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?")
_EXCEL_EPOCH = date(1899, 12, 30)
# Excel serials of 1954..2119: a date cell that lost its date format still reads as a date.
_SERIAL_RANGE = range(20000, 80000)


def parse_date(value: object) -> date:
    """A date cell: ``YYYY-MM-DD``, ``DD/MM/YYYY``, ``DD-MM-YYYY`` or an Excel date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and int(value) in _SERIAL_RANGE:
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise ValueError(T("not a date"))
    if not isinstance(value, str):
        raise ValueError(T("not a date"))
    text = value.strip()
    match = _ISO.fullmatch(text)
    if match:
        year, month, day = match.groups()
    else:
        match = _DMY.fullmatch(text)
        if not match:
            raise ValueError(T("not a date (use YYYY-MM-DD or DD/MM/YYYY)"))
        day, month, year = match.groups()
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(T("no such date")) from None
