"""`alegra-sync map`: pick the Alegra accounts, terceros and cost centers of each payroll concept.

`map` asks (on a terminal), `map --check` validates, `map set`/`map set-payable` edit for
scripts, `map show` prints. The questions themselves live in ``prompts.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from alegra_sync.cli import output
from alegra_sync.cli.help import Examples, TranslatedCommand, TranslatedGroup
from alegra_sync.cli.options import ExportOption, RefreshOption
from alegra_sync.errors import ExitCode
from alegra_sync.i18n import N_

if TYPE_CHECKING:
    from decimal import Decimal

    from alegra_sync.alegra.models import Account
    from alegra_sync.cli.context import AppContext
    from alegra_sync.mapping.model import Mapping
    from alegra_sync.payroll.model import PayrollExport

NO_TTY_HINT = N_("run it in a terminal, or use `alegra-sync map set` / `map --check`")

HELP = N_(
    "Map payroll concepts to Alegra accounts (interactive), check or edit the mapping.\n\n"
    "On a terminal, `map` asks about every concept not mapped yet (or those named with "
    "--concept, or all with --all): debit and credit account, their terceros and the cost "
    "center; then the export's cost centers, the EPS/AFP NITs and the egreso's bank account. "
    "It saves after each answer, so Ctrl-C loses nothing.\n\n"
    "`map --check` asks nothing and exits 0 when all is well, 65 when the export names "
    "something the mapping lacks, 78 when Alegra lacks or cannot use what the mapping names."
)
EXAMPLES = Examples(
    ("alegra-sync map",
     N_("Asks about every concept of the newest export that is not mapped yet.")),
    ('alegra-sync map --concept Salario --concept "Horas extras"',
     N_("Maps these two concepts again.")),
    ("alegra-sync map --check",
     N_("Checks the mapping against the newest export and Alegra's chart; asks nothing.")),
)
CONCEPT = N_("CONCEPT")
ACCOUNT = N_("ACCOUNT")
TERCERO = N_("TERCERO")
COST_CENTER = N_("COST_CENTER")
SHARE = N_("CENTER=PERCENT")

map_app = typer.Typer(
    cls=TranslatedGroup,
    help=HELP,
    epilog=EXAMPLES,
    invoke_without_command=True,
    no_args_is_help=False,
)


@map_app.callback()
def map_command(
    ctx: typer.Context,
    export: ExportOption = None,
    concept: Annotated[
        list[str] | None,
        typer.Option("--concept", "-c", metavar=CONCEPT,
                     help=N_("Map this concept (again); repeatable.")),
    ] = None,
    all_: Annotated[
        bool, typer.Option("--all", help=N_("Go through every concept again."))
    ] = False,
    check: Annotated[
        bool, typer.Option("--check",
                           help=N_("Validate against the export and Alegra; ask nothing."))
    ] = False,
    refresh: RefreshOption = False,
) -> None:
    if ctx.invoked_subcommand is not None:
        return
    app: AppContext = ctx.obj
    if check:
        run_check(app, export)
        return
    if not output.is_interactive():
        from alegra_sync.i18n import _

        app.error(_("`alegra-sync map` asks questions and there is no terminal"),
                  _(NO_TTY_HINT))
        raise typer.Exit(ExitCode.USAGE)
    from alegra_sync.cli.map.prompts import run_interactive

    run_interactive(app, read_export_for_map(app, export), concept or [], all_, refresh)


# --- shared helpers ------------------------------------------------------------------------------


def read_export_for_map(app: AppContext, export: Path | None) -> PayrollExport | None:
    """``--export``, else the newest file in the export folder, else None."""
    from alegra_sync.sync.mapcheck import export_for_map, read_map_export

    path = export_for_map(app.settings, app.paths, export)
    if path is not None:
        from rich.markup import escape

        from alegra_sync.i18n import _

        app.info(escape(_("reading {path}").format(path=path)))
    return read_map_export(app.settings, path)


# --- map --check ----------------------------------------------------------------------------------


def run_check(app: AppContext, export_path: Path | None) -> None:
    from rich.markup import escape

    from alegra_sync.errors import ConfigError, DataError
    from alegra_sync.i18n import T, Tn, _, local, ngettext
    from alegra_sync.sync.contacts import CREATE_MISSING_HINT, missing_contacts_message
    from alegra_sync.sync.mapcheck import check_mapping

    export = read_export_for_map(app, export_path)
    if export is None:
        app.warn(_("no export found: checking the mapping against Alegra only (pass --export)"))
    check = check_mapping(app.settings, app.paths, app.client, export, warn=app.warn)
    data, config, missing = check.uncovered, check.unusable, check.missing_contacts
    for problem in data + config:
        app.err.print(f"[red]✗[/] {escape(local(problem))}")
    hint = T("run `alegra-sync map` to fix it")
    # the files by name: with -q (cron) this line is all that says which files were checked
    if data:
        count = len(data) + len(config)
        raise DataError(Tn(
            "the mapping {mapping} does not cover the export {export}: {n} problem, listed "
            "above",
            "the mapping {mapping} does not cover the export {export}: {n} problems, listed "
            "above", count, mapping=app.paths.mapping, export=export.path if export else ""),
            hint=hint)
    if config:
        raise ConfigError(Tn(
            "the mapping {mapping} names {n} thing Alegra lacks or cannot use, listed above",
            "the mapping {mapping} names {n} things Alegra lacks or cannot use, listed above",
            len(config), mapping=app.paths.mapping), hint=hint)
    if missing and app.settings.contacts.create_missing:
        app.info(escape(ngettext(
            "{n} tercero is not an Alegra contact yet; sync will create it ([contacts] "
            "create_missing = true)",
            "{n} terceros are not Alegra contacts yet; sync will create them ([contacts] "
            "create_missing = true)", len(missing)).format(n=len(missing))))
    elif missing:
        raise ConfigError(missing_contacts_message(missing), hint=CREATE_MISSING_HINT)
    if app.quiet:  # cron: silence is success
        return
    payment, bank = check.mapping.payment, check.bank
    account = f"{payment.bank_account} ({bank.name})" if bank else payment.bank_account
    app.out.print(escape(ngettext(
        "mapping OK: {n} concept, {centers} cost centers, bank account {account}",
        "mapping OK: {n} concepts, {centers} cost centers, bank account {account}",
        check.concepts).format(n=check.concepts, centers=len(check.mapping.cost_centers),
                               account=account)))
    _print_distributions(app, check.mapping, check.cost_center_names)


def _print_distributions(app: AppContext, mapping: Mapping, names: dict[str, str]) -> None:
    """Each cost shared between cost centers, one line each: the dry run posts these shares."""
    from rich.markup import escape

    from alegra_sync.i18n import _
    from alegra_sync.mapping.model import format_percentage

    def shares(target: dict[str, Decimal]) -> str:
        return ", ".join(f"{center} {names.get(center, '')} {format_percentage(share)} %"
                         .replace("  ", " ") for center, share in target.items())

    for name, target in mapping.cost_centers.items():
        if isinstance(target, dict):
            app.out.print(escape(_("cost center {name} is shared: {shares}").format(
                name=repr(name), shares=shares(target))))
    for identification, target in mapping.employee_cost_centers.items():
        if isinstance(target, dict):
            app.out.print(escape(_("employee {employee} is shared: {shares}").format(
                employee=identification, shares=shares(target))))
        else:
            app.out.print(escape(_("employee {employee} goes to cost center {center}").format(
                employee=identification, center=f"{target} {names.get(target, '')}".strip())))


# --- map set / set-payable / show ------------------------------------------------------------


SET_HELP = N_(
    "Map one concept without questions (for scripts).\n\n"
    "A new concept needs --debit and --credit; for a mapped one, what is not given is kept.\n\n"
    "Terceros not given default as in `map` (employee on the payable, EPS/AFP on a health or "
    "pension credit, employee on a 25xx credit)."
)
SET_EXAMPLES = Examples(
    ("alegra-sync map set Salario --debit 510506 --credit payable",
     N_("Salaries to the expense account 510506, owed to the employee on the payable.")),
    ("alegra-sync map set Salario --for-cost-center Ventas --debit 520506",
     N_("Salaries of the Ventas cost center (and Ventas' shares) to 520506 instead.")),
    ('alegra-sync map set "Salud empleado" --credit 237005 --credit-tercero eps',
     N_("Changes only the credit of a mapped concept: 237005, owed to the EPS.")),
)


@map_app.command("set", help=SET_HELP, epilog=SET_EXAMPLES, cls=TranslatedCommand)
def set_command(
    ctx: typer.Context,
    concept: Annotated[
        str, typer.Argument(metavar=CONCEPT,
                            help=N_("The concept, as the export's header names it."))
    ],
    debit: Annotated[
        str | None,
        typer.Option("--debit", metavar=ACCOUNT,
                     help=N_("Debit account: id, code, exact name, or 'payable'.")),
    ] = None,
    credit: Annotated[
        str | None,
        typer.Option("--credit", metavar=ACCOUNT,
                     help=N_("Credit account (the counter-account): id, code, exact name, or "
                             "'payable'.")),
    ] = None,
    debit_tercero: Annotated[
        str | None,
        typer.Option("--debit-tercero", metavar=TERCERO,
                     help=N_("Tercero of the debit: employee, eps, afp, none or nit:NNN.")),
    ] = None,
    credit_tercero: Annotated[
        str | None,
        typer.Option("--credit-tercero", metavar=TERCERO,
                     help=N_("Tercero of the credit: employee, eps, afp, none or nit:NNN.")),
    ] = None,
    cost_center: Annotated[
        bool | None,
        typer.Option("--cost-center/--no-cost-center",
                     help=N_("Put the employee's cost center on P&L lines (default: yes when "
                             "the debit is a P&L account).")),
    ] = None,
    for_cost_center: Annotated[
        str | None,
        typer.Option("--for-cost-center", metavar=N_("COST_CENTER"),
                     help=N_("--debit/--credit are this cost center's accounts for the "
                             "concept (the export's name of the cost center): "
                             "[cost_center_accounts].")),
    ] = None,
    clear: Annotated[
        bool, typer.Option("--clear", help=N_("With --for-cost-center: back to the concept's "
                                              "own accounts."))
    ] = False,
) -> None:
    from rich.markup import escape

    from alegra_sync.alegra.catalog import Catalog
    from alegra_sync.cli.map.show import describe_rule
    from alegra_sync.i18n import _
    from alegra_sync.mapping.edit import edit_concept
    from alegra_sync.mapping.model import load_or_new_mapping, save_mapping

    app: AppContext = ctx.obj
    if for_cost_center is None and clear:
        raise typer.BadParameter(_("--clear goes with --for-cost-center"), param_hint="--clear")
    if for_cost_center is not None and (debit_tercero, credit_tercero, cost_center) != (
            None, None, None):
        raise typer.BadParameter(
            _("with --for-cost-center only --debit, --credit or --clear apply: terceros and "
              "the cost center are the concept's"), param_hint="--for-cost-center")
    mapping = load_or_new_mapping(app.paths.mapping)
    with Catalog(app.client, app.paths.cache) as catalog:
        chart = catalog.chart
    if for_cost_center is not None:
        _set_cost_center_account(app, mapping, chart, concept, for_cost_center, debit, credit,
                                 clear)
        return
    rule = edit_concept(mapping, chart, concept, debit=debit, credit=credit,
                        debit_tercero=debit_tercero, credit_tercero=credit_tercero,
                        cost_center=cost_center)
    save_mapping(mapping, app.paths.mapping)
    by_id = {a.id: a for a in chart}
    app.info("[green]✓[/] " + escape(_("{concept}: {rule} (saved {path})").format(
        concept=concept, rule=describe_rule(mapping, rule, by_id), path=app.paths.mapping)))


def _set_cost_center_account(app: AppContext, mapping: Mapping, chart: list[Account],
                             concept: str, cost_center: str, debit: str | None,
                             credit: str | None, clear: bool) -> None:
    from rich.markup import escape

    from alegra_sync.cli.map.show import account_label
    from alegra_sync.i18n import _
    from alegra_sync.mapping.edit import edit_cost_center_account
    from alegra_sync.mapping.model import save_mapping

    name = cost_center.strip()
    override = edit_cost_center_account(mapping, chart, concept, name, debit=debit,
                                        credit=credit, clear=clear)
    save_mapping(mapping, app.paths.mapping)
    if mapping.cost_centers and name not in mapping.cost_centers:
        app.warn(_("{name} is not a cost center of [cost_centers] ({known}): the override "
                   "applies once the export names it").format(
            name=name, known=", ".join(mapping.cost_centers)))
    by_id = {a.id: a for a in chart}
    rule = mapping.concepts[concept]
    debit_side = override.debit if override and override.debit else rule.debit
    credit_side = override.credit if override and override.credit else rule.credit
    app.info("[green]✓[/] " + escape(_(
        "{concept} for the cost center {name}: debit {debit}, credit {credit} (saved {path})"
    ).format(concept=concept, name=name, debit=account_label(mapping, debit_side, by_id),
             credit=account_label(mapping, credit_side, by_id), path=app.paths.mapping)))


SET_COST_CENTER_HELP = N_(
    "Map an export cost center to an Alegra cost center, or share it between several (for "
    "scripts).\n\n"
    "Each --share is COST_CENTER=PERCENT: the Alegra cost center by id, code or exact name, "
    "and its percentage (60, 33,33 or 33.33); a --share without a percentage takes all of it. "
    "The percentages must add up to exactly 100. Every P&L line of the employees in that cost "
    "center is then split into one line per share, by the largest remainder at the company's "
    "precision.\n\n"
    "With --employee, NAME is an employee's identification: that employee's cost goes to the "
    "shares whatever cost center the export gives ([employee_cost_centers])."
)
SET_COST_CENTER_EXAMPLES = Examples(
    ('alegra-sync map set-cost-center Compartido --share 2=60 --share 3=40',
     N_("The export's 'Compartido' is cost center 2 (60 %) and cost center 3 (40 %).")),
    ("alegra-sync map set-cost-center Ventas --share VEN",
     N_("The export's 'Ventas' is the Alegra cost center coded VEN.")),
    ("alegra-sync map set-cost-center --employee 1020304050 --share 1=70 --share 3=30",
     N_("This employee's cost goes to cost center 1 (70 %) and cost center 3 (30 %).")),
)


@map_app.command("set-cost-center", help=SET_COST_CENTER_HELP, epilog=SET_COST_CENTER_EXAMPLES,
                 cls=TranslatedCommand)
def set_cost_center_command(
    ctx: typer.Context,
    name: Annotated[
        str, typer.Argument(metavar=N_("NAME"),
                            help=N_("The export's cost-center name, or with --employee an "
                                    "employee's identification."))
    ],
    share: Annotated[
        list[str] | None,
        typer.Option("--share", "-s", metavar=SHARE,
                     help=N_("A cost center and its percentage; repeatable.")),
    ] = None,
    employee: Annotated[
        bool, typer.Option("--employee",
                           help=N_("NAME is an employee's identification "
                                   "([employee_cost_centers]).")),
    ] = False,
    remove: Annotated[
        bool, typer.Option("--remove", help=N_("Take the entry out of the mapping."))
    ] = False,
) -> None:
    from rich.markup import escape

    from alegra_sync.alegra.catalog import Catalog
    from alegra_sync.cli.map.show import cost_center_tables
    from alegra_sync.errors import ConfigError
    from alegra_sync.i18n import T, _
    from alegra_sync.mapping.edit import edit_cost_center, remove_cost_center
    from alegra_sync.mapping.model import load_or_new_mapping, save_mapping

    app: AppContext = ctx.obj
    mapping = load_or_new_mapping(app.paths.mapping)
    if remove:
        if share:
            raise typer.BadParameter(_("--remove takes no --share"), param_hint="--share")
        if not remove_cost_center(mapping, name, employee=employee):
            raise ConfigError(T("{name} is not in the mapping", name=repr(name)))
        save_mapping(mapping, app.paths.mapping)
        app.info("[green]✓[/] " + escape(_("{name} removed (saved {path})").format(
            name=repr(name), path=app.paths.mapping)))
        return
    with Catalog(app.client, app.paths.cache) as catalog:
        centers = catalog.cost_centers
    edit_cost_center(mapping, centers, name, share or [], employee=employee)
    save_mapping(mapping, app.paths.mapping)
    names = {center.id: center.name for center in centers}
    for table in cost_center_tables(mapping, names):
        app.err.print(table)
    app.info("[green]✓[/] " + escape(_("saved {path}").format(path=app.paths.mapping)))


SET_PAYABLE_HELP = N_(
    "Set the account where net pay is owed (accounts.payable, usually a 2505 account)."
)
SET_PAYABLE_EXAMPLES = Examples(
    ("alegra-sync map set-payable 250505", N_("Net pay is owed on the account 250505.")),
    ('alegra-sync map set-payable "Salarios por pagar"',
     N_("The same, by the account's exact name.")),
)


@map_app.command("set-payable", help=SET_PAYABLE_HELP, epilog=SET_PAYABLE_EXAMPLES,
                 cls=TranslatedCommand)
def set_payable_command(
    ctx: typer.Context,
    account: Annotated[
        str, typer.Argument(metavar=ACCOUNT,
                            help=N_("Id, code or exact name (Salarios por pagar)."))
    ],
) -> None:
    from rich.markup import escape

    from alegra_sync.alegra.catalog import Catalog
    from alegra_sync.i18n import _
    from alegra_sync.mapping.edit import describe, resolve_account
    from alegra_sync.mapping.model import PAYABLE, AccountRef, load_or_new_mapping, save_mapping

    app: AppContext = ctx.obj
    mapping = load_or_new_mapping(app.paths.mapping)
    with Catalog(app.client, app.paths.cache) as catalog:
        chosen = resolve_account(catalog.chart, account)
    mapping.accounts[PAYABLE] = AccountRef(id=chosen.id, name=chosen.name)
    save_mapping(mapping, app.paths.mapping)
    app.info("[green]✓[/] " + escape(_("payable account: {account} (saved {path})").format(
        account=describe(chosen), path=app.paths.mapping)))


SHOW_HELP = N_("Print the mapping as tables (no Alegra request), or the file with --toml.")
SHOW_EXAMPLES = Examples(
    ("alegra-sync map show",
     N_("Every concept with its accounts, terceros and cost centers.")),
    ("alegra-sync map show --toml > mapping-copy.toml", N_("A copy of the mapping file.")),
)


@map_app.command("show", help=SHOW_HELP, epilog=SHOW_EXAMPLES, cls=TranslatedCommand)
def show_command(
    ctx: typer.Context,
    toml: Annotated[
        bool, typer.Option("--toml", help=N_("Print the mapping file itself."))
    ] = False,
) -> None:
    app: AppContext = ctx.obj
    if toml:
        from alegra_sync.mapping.model import load_mapping

        path = app.paths.mapping
        load_mapping(path)  # a missing or broken file is the same clear error as elsewhere
        typer.echo(path.read_text(encoding="utf-8"), nl=False)
        return
    from alegra_sync.cli.map.show import print_mapping
    from alegra_sync.mapping.model import load_mapping

    print_mapping(app, load_mapping(app.paths.mapping))
