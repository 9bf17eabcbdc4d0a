"""Payroll periods: 1–15 and 16–end of month (biweekly) or whole months (monthly).

A period is named by its start date. Pure date arithmetic, no clock: callers pass ``today``
(``config.today()`` gives it in America/Bogota).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from alegra_sync.i18n import T

Frequency = Literal["biweekly", "monthly"]
# How far from its period an egreso may be dated: beyond it, the export's payment date is
# refused as a likely typo, and the egreso look-up never needs to search further.
PAYMENT_DATE_MARGIN = timedelta(days=31)


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date

    @property
    def name(self) -> str:
        return self.start.isoformat()

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def period_starting(start: date, frequency: Frequency) -> Period:
    """The period that starts on ``start``; ValueError if no period starts that day."""
    if frequency == "monthly":
        if start.day != 1:
            raise ValueError(T("{day}: a monthly period starts on day 1",
                               day=start.isoformat()))
        return Period(start, _month_end(start.year, start.month))
    if frequency != "biweekly":
        raise ValueError(T("unknown payroll frequency {frequency}", frequency=repr(frequency)))
    if start.day == 1:
        return Period(start, start.replace(day=15))
    if start.day == 16:
        return Period(start, _month_end(start.year, start.month))
    raise ValueError(T("{day}: a biweekly period starts on day 1 or 16", day=start.isoformat()))


def period_containing(day: date, frequency: Frequency) -> Period:
    if frequency == "monthly":
        return period_starting(day.replace(day=1), frequency)
    return period_starting(day.replace(day=1 if day.day <= 15 else 16), frequency)


def _previous(period: Period, frequency: Frequency) -> Period:
    return period_containing(period.start - timedelta(days=1), frequency)


def _next(period: Period, frequency: Frequency) -> Period:
    return period_starting(period.end + timedelta(days=1), frequency)


def period_due(today: date, frequency: Frequency) -> Period:
    """The period that ended most recently before ``today``.

    Cron runs on the 1st and 16th, but a late manual run on any other day picks the same
    period: Nov 20 → Nov 1–15, Nov 3 → Oct 16–31; monthly → last month.
    """
    return _previous(period_containing(today, frequency), frequency)


def periods_between(first: date, last: date, frequency: Frequency) -> list[Period]:
    """Every period starting within [start of the period containing ``first``, ``last``]."""
    periods: list[Period] = []
    current = period_containing(first, frequency)
    while current.start <= last:
        periods.append(current)
        current = _next(current, frequency)
    return periods


def closed_periods_since(start: date, today: date, frequency: Frequency) -> list[Period]:
    """For ``--catch-up``: the period containing ``start`` up to ``period_due(today)``."""
    return periods_between(start, period_due(today, frequency).start, frequency)
