"""Periods and dates written in export file names (``nomina_2026-11-01_2026-11-15.xlsx``)."""

from __future__ import annotations

import re
from datetime import date

# 2026-11-01, 2026_11_01, 2026.11.01 or 20261101, not inside a longer number
_DATE = re.compile(r"(?<!\d)(\d{4})([-_.]?)(\d{2})\2(\d{2})(?!\d)")


def dates_in_filename(name: str) -> list[date]:
    found = []
    for match in _DATE.finditer(name):
        try:
            found.append(date(int(match[1]), int(match[3]), int(match[4])))
        except ValueError:
            continue  # digits that only look like a date
    return found


def period_from_filename(name: str) -> tuple[date, date] | None:
    """``nomina_2026-11-01_2026-11-15.xlsx`` -> (2026-11-01, 2026-11-15); None without a pair."""
    found = dates_in_filename(name)
    if len(found) >= 2 and found[0] <= found[1]:
        return found[0], found[1]
    return None
