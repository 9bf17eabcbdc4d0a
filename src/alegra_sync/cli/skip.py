"""`alegra-sync skip`: record a period as posted outside alegra-sync, or take that back."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from alegra_sync.cli.help import Examples
from alegra_sync.cli.options import DATE_METAVAR, parse_date
from alegra_sync.i18n import N_

if TYPE_CHECKING:
    from alegra_sync.cli.context import AppContext


HELP = N_(
    "Record a period as posted outside alegra-sync (by hand, by the payroll product), so that "
    "--catch-up and backfills go past it.\n\n"
    "A skipped period is never posted by sync; `status` shows it as skipped with the reason. "
    "A period alegra-sync posted cannot be skipped. --undo gives the period back to sync."
)
EXAMPLES = Examples(
    ('alegra-sync skip --period 2026-11-01 --reason "posted by hand, comprobante 1234"',
     N_("Nov 1–15, 2026 was posted by hand: --catch-up goes past it.")),
    ("alegra-sync skip --undo --period 2026-11-01",
     N_("Takes it back: the next sync of that period posts it.")),
)


def skip_command(
    ctx: typer.Context,
    period: Annotated[
        date, typer.Option("--period", parser=parse_date, metavar=DATE_METAVAR,
                           help=N_("The period's start date (day 1 or 16)."))
    ],
    reason: Annotated[
        str | None,
        typer.Option("--reason", metavar=N_("TEXT"),
                     help=N_("Who posted it and where (shown by status); required unless "
                             "--undo.")),
    ] = None,
    undo: Annotated[
        bool, typer.Option("--undo", help=N_("Take the skip back: sync posts the period again."))
    ] = False,
) -> None:
    app: AppContext = ctx.obj
    from rich.markup import escape

    from alegra_sync.i18n import _
    from alegra_sync.sync.skip import skip_period, undo_skip

    if undo:
        if reason is not None:
            raise typer.BadParameter(_("--undo takes no --reason"), param_hint="--reason")
        done = undo_skip(app.settings, app.paths, period)
        name = done.period.name
        if done.previous is None:
            app.info(_("{period} was not skipped: nothing to undo").format(period=name))
        else:
            app.info(escape(_("{period}: no longer skipped (it was: {reason}); the next sync of "
                              "it posts it").format(period=name, reason=done.previous)))
        return
    if reason is None:
        raise typer.BadParameter(_("say why with --reason TEXT (or use --undo)"),
                                 param_hint="--reason")
    done = skip_period(app.settings, app.paths, period, reason)
    name = done.period.name
    if done.open:
        app.warn(_("{period}: the period ends {end}, after today").format(
            period=name, end=done.period.end.isoformat()))
    if done.previous is not None and done.previous != done.reason:
        app.info(escape(_("{period}: still skipped; reason now: {reason} (was: "
                          "{previous})").format(period=name, reason=done.reason,
                                                previous=done.previous)))
    else:
        app.info(escape(_("{period}: skipped, recorded as posted outside alegra-sync "
                          "({reason}); --catch-up and backfills go past it").format(
                              period=name, reason=done.reason)))
