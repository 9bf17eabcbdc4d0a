"""Options that several commands share, declared once."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _date_option(*names: str, help: str) -> Any:  # what typer.Option gives: OptionInfo
    return typer.Option(*names, help=help, parser=parse_date, metavar="YYYY-MM-DD")


JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON on stdout.")]
RefreshOption = Annotated[
    bool, typer.Option("--refresh", help="Fetch Alegra's chart again instead of the cache.")
]
ExportOption = Annotated[
    Path | None,
    typer.Option("--export", "-e", dir_okay=False, metavar="FILE",
                 help="The payroll export file (default: found in the export folder)."),
]
PeriodOption = Annotated[
    date | None, _date_option("--period", help="The period's start date (day 1 or 16).")
]
FromOption = Annotated[
    date | None, _date_option("--from", help="First period of a range (a date in it).")
]
ToOption = Annotated[date | None, _date_option("--to", help="Last period of a range.")]
