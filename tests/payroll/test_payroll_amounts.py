"""Amounts and dates as exports write them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alegra_sync.payroll.amounts import parse_amount, parse_date

D = Decimal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234.567", D("1234567")),
        ("1.234.567,50", D("1234567.50")),
        ("$ 1.234.567", D("1234567")),
        ("$1.234.567,50", D("1234567.50")),
        ("1,234,567.50", D("1234567.50")),
        ("1234567", D("1234567")),
        ("1234567,5", D("1234567.5")),
        ("1234567.5", D("1234567.5")),
        ("(1.234)", D("-1234")),
        ("-1.234", D("-1234")),
        ("- $ 1.234", D("-1234")),
        ("$-1.234", D("-1234")),
        ("($ 1.234,50)", D("-1234.50")),
        ("\xa01.234.567\xa0", D("1234567")),
        ("1 234 567", D("1234567")),
        ("  42  ", D("42")),
        ("", D("0")),
        ("   ", D("0")),
        ("0", D("0")),
        ("0,50", D("0.50")),
        (",5", D("0.5")),
        ("+1.234", D("1234")),
        ("1.234", D("1234")),  # ambiguous: "," is the decimal separator, so "." groups
        ("1,234", D("1.234")),
        ("12.345", D("12345")),
        ("1234.567", D("1234.567")),  # four digits before: cannot be grouping
        ("0.234", D("0.234")),  # a leading zero never starts a thousands group
        ("1.234,56", D("1234.56")),
        ("1,234.56", D("1234.56")),
        ("-5", D("-5")),
    ],
)
def test_amounts_in_colombian_mode(text: str, expected: Decimal) -> None:
    result = parse_amount(text)
    assert result == expected
    assert isinstance(result, Decimal)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234", D("1.234")),
        ("1,234", D("1234")),
        ("1,234,567", D("1234567")),
        ("1,234.56", D("1234.56")),
        ("1.234,56", D("1234.56")),
        ("1234567", D("1234567")),
    ],
)
def test_amounts_in_us_mode(text: str, expected: Decimal) -> None:
    assert parse_amount(text, ".") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, D("0")),
        (1234567, D("1234567")),
        (1234567.0, D("1234567")),
        (1234.56, D("1234.56")),
        (0.1 + 0.2, D("0.30")),
        (1234.5600000001, D("1234.56")),
        (-250.0, D("-250")),
        (D("12.5"), D("12.5")),
        (1e20, D("100000000000000000000")),
    ],
)
def test_excel_numbers(value: object, expected: Decimal) -> None:
    assert parse_amount(value) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("abc", "unexpected characters"),
        ("12a", "unexpected characters"),
        ("1.23.4", "misplaced thousands separator"),
        ("1.234,5.6", "two decimal separators"),
        ("1,234.5,6", "two decimal separators"),
        ("1.234,567.8", "two decimal separators"),
        ("--5", "more than one minus sign"),
        ("-(5)", "misplaced sign"),
        ("5-", "misplaced sign"),
        ("$", "no digits"),
        ("5,", "no digits after the decimal separator"),
        ("1,2,345.67", "misplaced thousands separator"),
        (float("nan"), "not a finite number"),
        (float("inf"), "not a finite number"),
        (D("NaN"), "not a finite number"),
        (True, "a true/false value"),
        (date(2026, 11, 1), "a date value"),
    ],
)
def test_not_amounts(value: object, reason: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_amount(value)  # type: ignore[arg-type]
    assert str(caught.value) == reason


# --- property: whatever a payroll program prints, parses back exactly -------------------

money = st.decimals(
    min_value=D("-999999999999"), max_value=D("999999999999"), allow_nan=False,
    allow_infinity=False, places=2,
)


def _grouped(value: Decimal, places: int, thousands: str, decimal: str) -> str:
    text = f"{abs(value):,.{places}f}"  # 1,234,567.50
    return text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)


@given(money, st.sampled_from([0, 2]), st.booleans(), st.booleans())
def test_colombian_style_parses_back(value: Decimal, places: int, peso: bool, parens: bool) -> None:
    value = value.quantize(D(1)) if places == 0 else value
    text = ("$ " if peso else "") + _grouped(value, places, ".", ",")
    if value < 0:
        text = f"({text})" if parens else "-" + text
    assert parse_amount(text, ",") == value


@given(money, st.sampled_from([0, 2]), st.booleans(), st.booleans())
def test_us_style_parses_back(value: Decimal, places: int, peso: bool, parens: bool) -> None:
    value = value.quantize(D(1)) if places == 0 else value
    text = ("$" if peso else "") + _grouped(value, places, ",", ".")
    if value < 0:
        text = f"({text})" if parens else "-" + text
    assert parse_amount(text, ".") == value


@given(money)
def test_two_decimals_parse_back_in_either_mode(value: Decimal) -> None:
    # two decimals are never ambiguous: both styles parse in both modes
    for separator in (",", "."):
        assert parse_amount(_grouped(value, 2, ".", ",") if value >= 0 else
                            "-" + _grouped(value, 2, ".", ","), separator) == value
        assert parse_amount(_grouped(value, 2, ",", ".") if value >= 0 else
                            "-" + _grouped(value, 2, ",", "."), separator) == value


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_plain_integers_and_excel_numbers(value: int) -> None:
    assert parse_amount(str(value)) == value
    assert parse_amount(float(value)) == value if abs(value) < 2**53 else True
    assert parse_amount(value) == value


# --- dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-15", date(2026, 11, 15)),
        ("15/11/2026", date(2026, 11, 15)),
        ("1/11/2026", date(2026, 11, 1)),
        ("01/1/2026", date(2026, 1, 1)),
        ("15-11-2026", date(2026, 11, 15)),
        (" 2026-11-15 ", date(2026, 11, 15)),
        ("2026-11-15 00:00:00", date(2026, 11, 15)),
        ("15/11/2026 00:00", date(2026, 11, 15)),
        (date(2026, 11, 15), date(2026, 11, 15)),
        (datetime(2026, 11, 15, 8, 30), date(2026, 11, 15)),
        (46341.0, date(2026, 11, 15)),  # an Excel serial that lost its date format
    ],
)
def test_dates(value: object, expected: date) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("15.11.2026", "not a date (use YYYY-MM-DD or DD/MM/YYYY)"),
        ("noviembre", "not a date (use YYYY-MM-DD or DD/MM/YYYY)"),
        ("31/11/2026", "no such date"),
        ("2026-13-01", "no such date"),
        (12.5, "not a date"),
        (None, "not a date"),
    ],
)
def test_not_dates(value: object, reason: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_date(value)
    assert str(caught.value) == reason
