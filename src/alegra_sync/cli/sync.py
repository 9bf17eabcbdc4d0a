"""`alegra-sync sync`: post the comprobante and the egreso of one or more quincenas."""

from __future__ import annotations

import json
import shlex
from collections import Counter
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from alegra_sync.cli.context import AppContext
    from alegra_sync.periods import Period
    from alegra_sync.sync.run import RunResult, Syncer, SyncRequest


def _parse_date(value: str | None, flag: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint=flag) from None


def sync_command(
    ctx: typer.Context,
    period: Annotated[
        str | None, typer.Option("--period", help="The period's start date (day 1 or 16).")
    ] = None,
    from_: Annotated[
        str | None, typer.Option("--from", help="First period of a backfill (a date in it).")
    ] = None,
    to: Annotated[str | None, typer.Option("--to", help="Last period of a backfill.")] = None,
    catch_up: Annotated[
        bool, typer.Option("--catch-up", help="Every closed period since sync.start not posted.")
    ] = False,
    export: Annotated[
        Path | None, typer.Option("--export", help="The payroll export file to post.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the vouchers; post nothing.")
    ] = False,
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace a posted period whose export changed.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Post the comprobante contable and the egreso of the quincena that just closed.

    With no period flag: the period that ended most recently (today in America/Bogota, or
    ALEGRA_SYNC_TODAY). A period already posted from the same export is skipped.
    """
    app: AppContext = ctx.obj
    chosen = sum(x is not None and x is not False for x in (period, from_ or to, catch_up or None))
    if chosen > 1:
        raise typer.BadParameter("use only one of --period, --from/--to, --catch-up")
    first, last = _parse_date(from_, "--from"), _parse_date(to, "--to")
    if first is not None and last is not None and last < first:
        raise typer.BadParameter(f"--to {to} is before --from {from_}", param_hint="--to")

    from alegra_sync.errors import AlegraSyncError
    from alegra_sync.sync.run import RunResult, Syncer, SyncRequest

    given = {"--period": period, "--from": from_, "--to": to, "--export": export}
    flags = {"--catch-up": catch_up, "--dry-run": dry_run, "--replace": replace}
    arguments = shlex.join(["sync", *(f"{k}={v}" for k, v in given.items() if v is not None),
                            *(k for k, on in flags.items() if on)])
    request = SyncRequest([], export=export, dry_run=dry_run, replace=replace,
                          arguments=arguments)
    syncer = Syncer(app.settings, app.paths, app.client, warn=app.warn)
    try:
        request.periods, request.skipped_as_posted = _periods(
            app, _parse_date(period, "--period"), first, last, catch_up)
    except AlegraSyncError as exc:  # e.g. --catch-up without [sync] start: still a run
        result = RunResult([], Counter(), dry_run=dry_run, error=exc)
        syncer.log_run(request, result)
    else:
        if export is not None and len(request.periods) > 1:
            raise typer.BadParameter("--export names one file: use it with a single period")
        _warn_open_periods(app, request.periods)
        result = _run(app, syncer, request, as_json)
    if as_json:
        typer.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    elif result.error is None:
        from alegra_sync.cli.render import print_dry_run, print_result

        if dry_run:
            print_dry_run(app, result)
        print_result(app, result)
    if result.error is not None:
        raise result.error  # one line on stderr, and its exit code, even with --json
    raise typer.Exit(result.exit_code)


def _run(app: AppContext, syncer: Syncer, request: SyncRequest, as_json: bool) -> RunResult:
    from alegra_sync.cli.render import progress_for

    count = len(request.periods)
    with progress_for(app, count, enabled=count > 1 and not as_json) as advance:
        syncer.on_period = advance
        return syncer.run(request)


def _warn_open_periods(app: AppContext, periods: list[Period]) -> None:
    """Posting a quincena before it ends is allowed (payroll is often paid on the 13th or the
    14th), but typing the wrong date is easy: say so."""
    from alegra_sync.config import today

    day = today()
    for period in periods:
        if period.end > day:
            app.warn(f"{period.name}: the period ends {period.end.isoformat()}, after today "
                     f"({day.isoformat()}); the export must be its final one")


def _periods(app: AppContext, period: date | None, first: date | None, last: date | None,
             catch_up: bool) -> tuple[list[Period], list[str]]:
    """The periods to sync, and those --catch-up leaves out as posted according to the state
    (the run checks that the state belongs to the connected company before trusting that)."""
    from alegra_sync import periods as rules
    from alegra_sync.config import today

    frequency = app.settings.payroll.frequency
    due = rules.period_due(today(), frequency)
    if period is not None:
        try:
            return [rules.period_starting(period, frequency)], []
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--period") from None
    if first is not None or last is not None:
        return rules.periods_between(first or due.start, last or due.end, frequency), []
    if catch_up:
        start = app.settings.sync.start
        if start is None:
            from alegra_sync.errors import ConfigError

            raise ConfigError("--catch-up needs [sync] start in config.toml",
                              hint="set start = YYYY-MM-DD, the first period to consider")
        from alegra_sync.sync.ledger import Ledger

        with Ledger.open(app.paths.database) as ledger:
            posted = ledger.posted_periods()
        closed = rules.closed_periods_since(start, today(), frequency)
        return ([p for p in closed if p.name not in posted],
                [p.name for p in closed if p.name in posted])
    return [due], []
