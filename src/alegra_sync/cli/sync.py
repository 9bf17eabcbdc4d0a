"""`alegra-sync sync`: post the comprobante and the egreso of one or more quincenas."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from alegra_sync.cli.help import Examples
from alegra_sync.cli.options import ExportOption, FromOption, JsonOption, PeriodOption, ToOption
from alegra_sync.i18n import N_

if TYPE_CHECKING:
    from datetime import date

    from alegra_sync.cli.context import AppContext
    from alegra_sync.sync.result import RunResult, SyncRequest


HELP = N_(
    "Post the comprobante contable and the egreso of the quincena that just closed.\n\n"
    "With no period flag: the period that ended most recently (today in America/Bogota, or "
    "ALEGRA_SYNC_TODAY). A period already posted from the same export is skipped."
)
EXAMPLES = Examples(
    ("alegra-sync sync",
     N_("Posts the quincena that just closed (what cron runs on the 1st and the 16th).")),
    ("alegra-sync sync --period 2026-11-01 --dry-run --detail",
     N_("A dry run of Nov 1–15, 2026, with every line by tercero: posts nothing.")),
    ("alegra-sync -q sync --all-companies",
     N_("In a firm home: every company, in parallel; prints only failures (cron).")),
)


def sync_command(
    ctx: typer.Context,
    period: PeriodOption = None,
    from_: FromOption = None,
    to: ToOption = None,
    catch_up: Annotated[
        bool, typer.Option("--catch-up",
                           help=N_("Every closed period since sync.start not posted yet."))
    ] = False,
    export: ExportOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=N_("Show the vouchers; post nothing."))
    ] = False,
    replace: Annotated[
        bool, typer.Option("--replace", help=N_("Replace a posted period whose export changed."))
    ] = False,
    detail: Annotated[
        bool, typer.Option("--detail",
                           help=N_("The dry run shows every line, by account and tercero."))
    ] = False,
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, show_default=False,
                          help=N_("More detail, as the global -v: the dry run's every line."))
    ] = 0,
    as_json: JsonOption = False,
    all_companies: Annotated[
        bool, typer.Option("--all-companies",
                           help=N_("In a firm home: every company, in parallel "
                                   "(firm.parallel at a time)."))
    ] = False,
) -> None:
    app: AppContext = ctx.obj
    if verbose and not app.quiet:  # `sync --dry-run -v` as `alegra-sync -v sync --dry-run`
        app.verbosity = max(app.verbosity, verbose)
    chosen = (period is not None, from_ is not None or to is not None, catch_up)
    if sum(chosen) > 1:
        from alegra_sync.i18n import _

        raise typer.BadParameter(_("use only one of --period, --from/--to, --catch-up"))
    if from_ is not None and to is not None and to < from_:
        from alegra_sync.i18n import _

        raise typer.BadParameter(_("--to {to} is before --from {first}").format(
            to=to, first=from_), param_hint="--to")
    if all_companies:
        if export is not None:
            from alegra_sync.i18n import _

            raise typer.BadParameter(_("--export names one company's file: not with "
                                       "--all-companies"), param_hint="--export")
        from alegra_sync.cli.firm_run import sync_all_companies

        flags = _arguments(period, from_, to, None, catch_up, dry_run, replace)
        raise typer.Exit(sync_all_companies(app, shlex.split(flags)[1:], as_json))

    from alegra_sync.sync.result import PeriodSelection, SyncRequest

    request = SyncRequest(
        PeriodSelection(period=period, first=from_, last=to, catch_up=catch_up),
        export=export, dry_run=dry_run, replace=replace,
        arguments=_arguments(period, from_, to, export, catch_up, dry_run, replace),
    )
    result = _run(app, request, as_json)
    if not dry_run:
        from alegra_sync.notify.notices import notify_run

        for warning in notify_run(app.settings, app.paths, app.home, result.to_json(),
                                  result.exit_code):
            app.warn(warning)
    if as_json:
        app.json(result.to_json())
        for failed in result.periods:  # errors are said on stderr, the document is data
            if failed.outcome == "failed" and failed.error is not None:
                app.failure(failed.error, prefix=f"{failed.period.name}: ")
    elif result.error is None:
        if dry_run:
            from alegra_sync.cli.dry_run import print_dry_run

            print_dry_run(app, result, detail=detail or app.verbosity > 0)
        print_result(app, result)
    if result.error is not None:
        raise result.error  # one line on stderr, and its exit code, even with --json
    raise typer.Exit(result.exit_code)


def _arguments(period: date | None, first: date | None, last: date | None, export: Path | None,
               catch_up: bool, dry_run: bool, replace: bool) -> str:
    """The command line as the state's and the log's run record keep it."""
    given = {"--period": period, "--from": first, "--to": last, "--export": export}
    flags = {"--catch-up": catch_up, "--dry-run": dry_run, "--replace": replace}
    return shlex.join(["sync", *(f"{k}={v}" for k, v in given.items() if v is not None),
                       *(k for k, on in flags.items() if on)])


def _run(app: AppContext, request: SyncRequest, as_json: bool) -> RunResult:
    from alegra_sync.cli.output import Progress
    from alegra_sync.sync.run import Syncer

    with Progress(app, enabled=not as_json) as progress:
        syncer = Syncer(app.settings, app.paths, app.client, warn=app.warn,
                        company_guard=app.company_guard(), on_start=progress.start,
                        on_period=lambda r: progress.advance(f"{r.period.name} "
                                                             f"{outcome_word(r.outcome)}"))
        return syncer.run(request)


def outcome_word(outcome: str) -> str:
    """A period's outcome as the progress bar says it (``--json`` keeps ``posted``…)."""
    from alegra_sync.i18n import pgettext

    words = {"posted": pgettext("outcome", "posted"),
             "already-posted": pgettext("outcome", "already posted"),
             "dry-run": pgettext("outcome", "dry run"),
             "failed": pgettext("outcome", "failed"),
             "replaced": pgettext("outcome", "replaced"),
             "skipped": pgettext("outcome", "skipped"),
             "staged": pgettext("outcome", "staged")}
    return words.get(outcome, outcome)


def print_result(app: AppContext, result: RunResult) -> None:
    from alegra_sync.cli.output import money
    from alegra_sync.i18n import _

    if not result.periods:
        app.info(_("nothing to do: no period to sync"))
        return
    for period in result.periods:
        name = period.period.name
        if period.outcome == "failed":
            if period.error is not None:
                app.failure(period.error, prefix=f"{name}: ")
            continue
        if period.outcome == "skipped":
            from rich.markup import escape

            from alegra_sync.i18n import _

            app.info(escape(_("{period}: skipped, posted outside alegra-sync ({reason}); "
                              "nothing posted. `alegra-sync skip --undo --period {period}` "
                              "lets sync post it").format(period=name, reason=period.reason)))
            continue
        figures = period.figures  # the plan's, or the state's for an archived export
        values = {"period": name, "debits": money(figures[0]) if figures else "",
                  "credits": money(figures[1]) if figures else "",
                  "net": money(figures[2]) if figures else ""}
        labels = {
            "posted": _("{period}: [green]posted[/] (debits {debits} = credits {credits}, net "
                        "pay {net})"),
            "already-posted": _("{period}: already posted (debits {debits} = credits "
                                "{credits}, net pay {net})"),
            "dry-run": _("{period}: dry run, nothing posted (debits {debits} = credits "
                         "{credits}, net pay {net})"),
            "replaced": _("{period}: [yellow]replaced[/] (debits {debits} = credits {credits}, "
                          "net pay {net})"),
            "staged": _("{period}: [cyan]staged, nothing posted: `alegra-sync approve` posts "
                        "it[/] (debits {debits} = credits {credits}, net pay {net})"),
        }
        line = labels[period.outcome].format(**values)
        if period.journal_ids or period.payment_ids:
            line += _(" — comprobantes {journals}; egresos {payments}").format(
                journals=", ".join(period.journal_ids), payments=", ".join(period.payment_ids))
        app.info(line)
    requests = ", ".join(f"{m} {n}" for m, n in sorted(result.requests.items()))
    app.detail(_("HTTP requests: {requests}").format(requests=requests or _("none")))
