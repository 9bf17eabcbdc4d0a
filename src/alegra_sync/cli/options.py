"""Options that several commands share, declared once."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from alegra_sync.i18n import N_


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        from alegra_sync.i18n import _

        raise typer.BadParameter(_("{value} is not a date (YYYY-MM-DD)").format(
            value=repr(value))) from None


def _date_option(*names: str, help: str) -> Any:  # what typer.Option gives: OptionInfo
    return typer.Option(*names, help=help, parser=parse_date, metavar=DATE_METAVAR)


# Help texts and metavars are English msgids, translated when help is drawn (cli/help.py).
DATE_METAVAR = N_("YYYY-MM-DD")
JsonOption = Annotated[
    bool, typer.Option("--json", help=N_("Print the result as JSON on stdout."))
]
RefreshOption = Annotated[
    bool, typer.Option("--refresh", help=N_("Fetch Alegra's chart again instead of the cache."))
]
ExportOption = Annotated[
    Path | None,
    typer.Option("--export", "-e", dir_okay=False, metavar=N_("FILE"),
                 help=N_("The payroll export file (default: found in the export folder).")),
]
PeriodOption = Annotated[
    date | None, _date_option("--period", help=N_("The period's start date (day 1 or 16)."))
]
FromOption = Annotated[
    date | None, _date_option("--from", help=N_("First period of a range (a date in it)."))
]
ToOption = Annotated[date | None, _date_option("--to", help=N_("Last period of a range."))]
