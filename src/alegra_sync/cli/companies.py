"""`alegra-sync companies`: a firm's companies (the portfolio), `companies add`, `companies
remove`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from alegra_sync.cli.help import Examples, TranslatedCommand, TranslatedGroup
from alegra_sync.cli.options import JsonOption
from alegra_sync.i18n import N_

if TYPE_CHECKING:
    from alegra_sync.cli.context import AppContext
    from alegra_sync.firm.portfolio import CompanyRow

HELP = N_(
    "The firm's companies, one row each: the Alegra company, the last run, the last period "
    "posted, failed, uncertain and staged periods, the next period due and its export, the "
    "last verify.\n\n"
    "It reads only local files (no Alegra call). A firm home is a home with a companies/ "
    "folder; each companies/<slug>/ is a complete company home."
)
EXAMPLES = Examples(
    ("alegra-sync companies", N_("The morning view of every company of the firm.")),
    ("alegra-sync companies add acme",
     N_("Adds a company; then `alegra-sync --company acme connect`.")),
    ("alegra-sync companies --json", N_("The same as JSON, for scripts and monitoring.")),
)
ADD_EXAMPLES = Examples(
    ("alegra-sync companies add acme", N_("Creates companies/acme/ in the firm home.")),
    ("alegra-sync --company acme connect",
     N_("Then connects it to its own Alegra user and token.")),
)
REMOVE_EXAMPLES = Examples(
    ("alegra-sync companies remove acme",
     N_("Moves the company to removed/ (never deletes it).")),
    ("alegra-sync companies remove acme --force",
     N_("The same for a company whose state records posted documents.")),
)
ADD_HELP = N_(
    "Create a company home in the firm: companies/<slug>/ with its config.toml and exports/.\n\n"
    "The slug: lower-case letters, digits and -, 1–40 characters. Then connect it "
    "(`alegra-sync --company SLUG connect`) and map it."
)
REMOVE_HELP = N_(
    "Move a company out of the firm, to removed/<slug>-<timestamp>/: nothing is deleted.\n\n"
    "Refused while its state records documents posted to Alegra, unless --force."
)
SLUG_METAVAR = N_("SLUG")

companies_app = typer.Typer(cls=TranslatedGroup, help=HELP, epilog=EXAMPLES,
                            invoke_without_command=True, no_args_is_help=False)


@companies_app.callback()
def companies_command(ctx: typer.Context, as_json: JsonOption = False) -> None:
    if ctx.invoked_subcommand is not None:
        return
    app: AppContext = ctx.obj
    from alegra_sync.config import today
    from alegra_sync.firm.portfolio import portfolio, portfolio_json

    rows = portfolio(app.firm, today())
    if as_json:
        app.json(portfolio_json(rows))
        return
    print_portfolio(app, rows)


def print_portfolio(app: AppContext, rows: list[CompanyRow]) -> None:
    from rich.markup import escape

    from alegra_sync.cli.output import Column, local_time, table
    from alegra_sync.i18n import _, ngettext
    from alegra_sync.notify.message import outcome_words

    if not rows:
        app.info(_("no companies yet: `alegra-sync companies add SLUG` adds one"))
        return
    # Under 120 columns (a laptop's terminal), what a contador looks at each morning; the
    # Alegra company, its NIT, the run's time and the export's name with more room, and in
    # --json always.
    wide = app.out.width >= 120
    columns: list[Column | str] = [Column(_("company"), "code")]
    if wide:
        columns += [Column(_("Alegra company"), "name"), Column("NIT", "code"),
                    Column(_("last run"), "code")]
    columns += [_("outcome"), Column(_("last posted"), "code"), _("to look at"),
                Column(_("next due"), "code")]
    if wide:
        columns.append(_("export"))
    columns.append(_("last verify"))
    shown = table(columns, _("The firm's companies"))
    for row in rows:
        snap = row.snapshot
        run = snap.last_run
        outcome = ""
        if run is not None:
            outcome = (_("unfinished") if run.finished_at is None else
                       f"{outcome_words(run.status or '')} ({run.exit_code})")
            style = "green" if run.exit_code == 0 else "red"
            outcome = f"[{style}]{escape(outcome)}[/]"
        notes = []
        if snap.failed:
            notes.append("[red]" + ngettext("{n} failed", "{n} failed", len(snap.failed))
                         .format(n=len(snap.failed)) + "[/]")
        if snap.uncertain:
            notes.append("[yellow]" + ngettext("{n} uncertain", "{n} uncertain",
                                               len(snap.uncertain))
                         .format(n=len(snap.uncertain)) + "[/]")
        for period, since in snap.staged.items():
            notes.append("[cyan]" + _("{period} staged since {since}").format(
                period=period, since=local_time(since)) + "[/]")
        error = row.error or snap.error
        if error:
            notes.append("[red]" + escape(error) + "[/]")
        export = ""
        if row.next_due is not None:
            export = escape(row.export.name) if row.export else "[yellow]" + _("not yet") + "[/]"
            if not wide and row.export is None:
                notes.append("[yellow]" + _("no export yet") + "[/]")  # of the next due
        cells = [row.slug]
        if wide:
            cells += [escape(snap.company.name) if snap.company else "—",
                      snap.company.identification if snap.company else "",
                      local_time(run.started_at) if run else "—"]
        cells += [outcome, snap.last_posted or "—", "; ".join(notes) or "",
                  row.next_due.name if row.next_due else ""]
        if wide:
            cells.append(export)
        cells.append(_last_verify(row))
        shown.add_row(*cells)
    app.out.print(shown)


def _last_verify(row: CompanyRow) -> str:
    """✓ and when, if every posted period matched at its last verify; else what differs or
    could not be read; — when none was verified."""
    from rich.markup import escape

    from alegra_sync.cli.output import local_time
    from alegra_sync.cli.verify import RESULT_STYLE, result_label

    found = row.verify_json()
    if found is None:
        return "—"
    when = local_time(found["at"])
    if found["result"] == "match":
        return f"[green]✓[/] {escape(when)}"
    periods = found["drift"] or found["unknown"]
    style = RESULT_STYLE.get("changed" if found["result"] == "drift" else "unknown", "")
    return (f"[{style}]{escape(result_label(found['result']))}: {escape(', '.join(periods))}"
            f"[/] ({escape(when)})")


@companies_app.command("add", help=ADD_HELP, epilog=ADD_EXAMPLES, cls=TranslatedCommand)
def add_command(
    ctx: typer.Context,
    slug: Annotated[str, typer.Argument(metavar=SLUG_METAVAR, show_default=False,
                                        help=N_("The new company's slug (its folder)."))],
) -> None:
    app: AppContext = ctx.obj
    from alegra_sync.firm.companies import add_company
    from alegra_sync.i18n import _

    added = add_company(slug)
    if added.firm_created:
        app.info(_("{home} is a firm home now (companies/ inside it)").format(
            home=added.home.firm))
    app.info(_("[green]✓[/] added {slug}: {folder}").format(slug=slug,
                                                          folder=added.home.folder))
    app.info(_("next: `alegra-sync --company {slug} connect`, then `alegra-sync --company "
               "{slug} map`").format(slug=slug))


@companies_app.command("remove", help=REMOVE_HELP, epilog=REMOVE_EXAMPLES,
                       cls=TranslatedCommand)
def remove_command(
    ctx: typer.Context,
    slug: Annotated[str, typer.Argument(metavar=SLUG_METAVAR, show_default=False,
                                        help=N_("The company's slug."))],
    force: Annotated[
        bool, typer.Option("--force",
                           help=N_("Move it even though its state records posted documents."))
    ] = False,
) -> None:
    app: AppContext = ctx.obj
    from alegra_sync.firm.companies import remove_company
    from alegra_sync.i18n import _

    removed = remove_company(app.firm, slug, force=force)
    app.info(_("{slug} moved to {folder}; nothing was deleted").format(
        slug=slug, folder=removed.moved_to))
