from __future__ import annotations

from datetime import date

import pytest

from alegra_sync.periods import (
    Period,
    closed_periods_since,
    period_containing,
    period_due,
    period_starting,
    periods_between,
)

D = date


def test_period_name_and_order() -> None:
    first = Period(D(2026, 11, 1), D(2026, 11, 15))
    second = Period(D(2026, 11, 16), D(2026, 11, 30))
    assert first.name == "2026-11-01"
    assert sorted([second, first]) == [first, second]
    assert str(first) == "2026-11-01..2026-11-15"


@pytest.mark.parametrize(
    ("start", "frequency", "end"),
    [
        (D(2026, 11, 1), "biweekly", D(2026, 11, 15)),
        (D(2026, 11, 16), "biweekly", D(2026, 11, 30)),
        (D(2026, 12, 16), "biweekly", D(2026, 12, 31)),
        (D(2026, 2, 16), "biweekly", D(2026, 2, 28)),
        (D(2028, 2, 16), "biweekly", D(2028, 2, 29)),  # leap year
        (D(2026, 2, 1), "monthly", D(2026, 2, 28)),
        (D(2028, 2, 1), "monthly", D(2028, 2, 29)),
        (D(2026, 1, 1), "monthly", D(2026, 1, 31)),
        (D(2026, 4, 1), "monthly", D(2026, 4, 30)),
    ],
)
def test_period_starting(start: date, frequency: str, end: date) -> None:
    assert period_starting(start, frequency) == Period(start, end)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("start", "frequency"),
    [(D(2026, 11, 2), "biweekly"), (D(2026, 11, 15), "biweekly"), (D(2026, 11, 16), "monthly")],
)
def test_period_starting_refuses_other_days(start: date, frequency: str) -> None:
    with pytest.raises(ValueError, match=start.isoformat()):
        period_starting(start, frequency)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("day", "frequency", "start", "end"),
    [
        (D(2026, 11, 1), "biweekly", D(2026, 11, 1), D(2026, 11, 15)),
        (D(2026, 11, 15), "biweekly", D(2026, 11, 1), D(2026, 11, 15)),
        (D(2026, 11, 16), "biweekly", D(2026, 11, 16), D(2026, 11, 30)),
        (D(2026, 10, 31), "biweekly", D(2026, 10, 16), D(2026, 10, 31)),
        (D(2027, 2, 28), "biweekly", D(2027, 2, 16), D(2027, 2, 28)),
        (D(2028, 2, 29), "biweekly", D(2028, 2, 16), D(2028, 2, 29)),
        (D(2026, 11, 20), "monthly", D(2026, 11, 1), D(2026, 11, 30)),
    ],
)
def test_period_containing(day: date, frequency: str, start: date, end: date) -> None:
    assert period_containing(day, frequency) == Period(start, end)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("today", "frequency", "start", "end"),
    [
        (D(2026, 11, 16), "biweekly", D(2026, 11, 1), D(2026, 11, 15)),  # cron on the 16th
        (D(2026, 11, 1), "biweekly", D(2026, 10, 16), D(2026, 10, 31)),  # cron on the 1st
        (D(2026, 11, 20), "biweekly", D(2026, 11, 1), D(2026, 11, 15)),  # late run
        (D(2026, 11, 3), "biweekly", D(2026, 10, 16), D(2026, 10, 31)),
        (D(2026, 11, 15), "biweekly", D(2026, 10, 16), D(2026, 10, 31)),
        (D(2026, 11, 30), "biweekly", D(2026, 11, 1), D(2026, 11, 15)),
        (D(2027, 1, 1), "biweekly", D(2026, 12, 16), D(2026, 12, 31)),  # year boundary
        (D(2027, 1, 10), "biweekly", D(2026, 12, 16), D(2026, 12, 31)),
        (D(2026, 3, 1), "biweekly", D(2026, 2, 16), D(2026, 2, 28)),
        (D(2028, 3, 1), "biweekly", D(2028, 2, 16), D(2028, 2, 29)),
        (D(2026, 12, 1), "monthly", D(2026, 11, 1), D(2026, 11, 30)),
        (D(2026, 12, 31), "monthly", D(2026, 11, 1), D(2026, 11, 30)),
        (D(2027, 1, 1), "monthly", D(2026, 12, 1), D(2026, 12, 31)),
        (D(2028, 3, 5), "monthly", D(2028, 2, 1), D(2028, 2, 29)),
    ],
)
def test_period_due(today: date, frequency: str, start: date, end: date) -> None:
    assert period_due(today, frequency) == Period(start, end)  # type: ignore[arg-type]


def test_periods_between_biweekly_across_year_and_february() -> None:
    periods = periods_between(D(2026, 12, 20), D(2027, 2, 16), "biweekly")
    assert [(p.start, p.end) for p in periods] == [
        (D(2026, 12, 16), D(2026, 12, 31)),
        (D(2027, 1, 1), D(2027, 1, 15)),
        (D(2027, 1, 16), D(2027, 1, 31)),
        (D(2027, 2, 1), D(2027, 2, 15)),
        (D(2027, 2, 16), D(2027, 2, 28)),
    ]


def test_periods_between_monthly_and_empty() -> None:
    assert [p.name for p in periods_between(D(2026, 11, 30), D(2027, 1, 1), "monthly")] == [
        "2026-11-01",
        "2026-12-01",
        "2027-01-01",
    ]
    assert periods_between(D(2026, 11, 16), D(2026, 11, 15), "biweekly") == []
    # `last` inside a period includes that period (it starts within the range)
    assert [p.name for p in periods_between(D(2026, 11, 1), D(2026, 11, 1), "biweekly")] == [
        "2026-11-01"
    ]


def test_closed_periods_since_for_catch_up() -> None:
    periods = closed_periods_since(D(2026, 10, 5), D(2026, 12, 1), "biweekly")
    assert [p.name for p in periods] == ["2026-10-01", "2026-10-16", "2026-11-01", "2026-11-16"]
    assert closed_periods_since(D(2026, 11, 16), D(2026, 11, 20), "biweekly") == []
    monthly = closed_periods_since(D(2026, 11, 1), D(2027, 1, 16), "monthly")
    assert [p.name for p in monthly] == ["2026-11-01", "2026-12-01"]
