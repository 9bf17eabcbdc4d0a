"""`alegra-sync map`: pick the Alegra accounts, terceros and cost centers of each payroll concept.

`map` asks (on a terminal), `map --check` validates, `map set`/`map set-payable` edit for
scripts, `map show` prints. The questions themselves live in ``mapping_prompts.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from alegra_sync.cli import context as cli_context

if TYPE_CHECKING:
    from alegra_sync.alegra.client import AlegraClient
    from alegra_sync.alegra.models import Account
    from alegra_sync.cli.context import AppContext
    from alegra_sync.mapping.edit import Side
    from alegra_sync.mapping.model import AccountSide, Mapping, Tercero
    from alegra_sync.payroll.model import PayrollExport
    from alegra_sync.vouchers.model import Party

NO_TTY_HINT = "run it in a terminal, or use `alegra-sync map set` / `map --check`"

map_app = typer.Typer(
    help="Map payroll concepts to Alegra accounts (interactive), check or edit the mapping.\n\n"
    "On a terminal, `map` asks about every concept not mapped yet (or those named with "
    "--concept, or all with --all): debit and credit account, their terceros and the cost "
    "center; then the export's cost centers, the EPS/AFP NITs and the egreso's bank account. "
    "It saves after each answer, so Ctrl-C loses nothing.\n\n"
    "`map --check` asks nothing and exits 0 when all is well, 65 when the export names "
    "something the mapping lacks, 78 when Alegra lacks or cannot use what the mapping names.",
    invoke_without_command=True,
    no_args_is_help=False,
)

ExportOption = Annotated[
    Path | None,
    typer.Option("--export", "-e", dir_okay=False,
                 help="The export to read the concepts from (default: the newest in the "
                      "export folder, else the mapping's own concepts)."),
]


@map_app.callback()
def map_command(
    ctx: typer.Context,
    export: ExportOption = None,
    concept: Annotated[
        list[str] | None,
        typer.Option("--concept", "-c", help="Map this concept (again); repeatable."),
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Go through every concept again.")] = False,
    check: Annotated[
        bool, typer.Option("--check", help="Validate against the export and Alegra; ask nothing.")
    ] = False,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Fetch Alegra's chart again instead of the cache.")
    ] = False,
) -> None:
    """Map payroll concepts to Alegra accounts (interactive), check or edit the mapping."""
    if ctx.invoked_subcommand is not None:
        return
    app: AppContext = ctx.obj
    if check:
        run_check(app, export)
        return
    if not cli_context.is_interactive():
        app.error("`alegra-sync map` asks questions and there is no terminal", NO_TTY_HINT)
        raise typer.Exit(2)
    from alegra_sync.cli.map.prompts import run_interactive

    run_interactive(app, read_export_for_map(app, export), concept or [], all_, refresh)


# --- shared helpers ------------------------------------------------------------------------------


def load_or_new(app: AppContext) -> Mapping:
    from alegra_sync.mapping.model import Mapping, load_mapping

    path = app.paths.mapping
    return load_mapping(path) if path.exists() else Mapping()


def read_export_for_map(app: AppContext, export: Path | None) -> PayrollExport | None:
    """``--export``, else the newest file in the export folder, else None."""
    from alegra_sync.config import export_folder, export_options
    from alegra_sync.payroll.discover import newest_export
    from alegra_sync.payroll.export import read_export

    options = export_options(app.settings)
    if export is None:
        folder = export_folder(app.settings, app.paths)
        if not folder.is_dir():
            return None
        export = newest_export(folder, app.settings.export.pattern)
        if export is None:
            return None
    app.info(f"reading {export}")
    return read_export(export, options)


# --- map --check ----------------------------------------------------------------------------------


def run_check(app: AppContext, export_path: Path | None) -> None:
    from rich.markup import escape

    from alegra_sync.alegra.catalog import load_chart
    from alegra_sync.errors import ConfigError, DataError
    from alegra_sync.mapping.check import chart_problems, export_coverage
    from alegra_sync.mapping.model import load_mapping
    from alegra_sync.sync.contacts import missing_contacts_message

    mapping = load_mapping(app.paths.mapping)
    export = read_export_for_map(app, export_path)
    data = export_coverage(export, mapping) if export is not None else []
    if export is None:
        app.warn("no export found: checking the mapping against Alegra only (pass --export)")
    with app.client() as client:
        chart, _ = load_chart(client, app.paths.cache, refresh=True)
        centers = client.cost_centers()
        banks = client.bank_accounts()
        config = chart_problems(mapping, mapping.concepts, chart, centers, banks, warn=app.warn)
        # the terceros sync would need, as it computes them
        missing = ([] if data or config
                   else _missing_contacts(app, client, mapping, export, chart))
    for problem in data + config:
        app.err.print(f"[red]✗[/] {escape(problem)}")
    hint = "run `alegra-sync map` to fix it"
    if data:
        extra = f" and {len(config)} Alegra lacks or cannot use" if config else ""
        raise DataError(f"the mapping does not cover the export: {len(data)} "
                        f"problem{_s(data)}{extra}", hint=hint)
    if config:
        raise ConfigError(f"the mapping names {len(config)} thing{_s(config)} Alegra lacks or "
                          "cannot use", hint=hint)
    if missing and app.settings.contacts.create_missing:
        app.info(escape(f"{len(missing)} terceros are not Alegra contacts yet; sync will "
                        "create them ([contacts] create_missing = true)"))
    elif missing:
        raise ConfigError(missing_contacts_message(missing), hint=(
            "create them in Alegra, or set [contacts] create_missing = true in config.toml"))
    bank = next((b for b in banks if b.id == mapping.payment.bank_account), None)
    concepts = len(export.concepts) if export is not None else len(mapping.concepts)
    if app.quiet:  # cron: silence is success
        return
    app.out.print(
        f"mapping OK: {concepts} concepts, {len(mapping.cost_centers)} cost centers, "
        f"bank account {mapping.payment.bank_account}" + (f" ({bank.name})" if bank else "")
    )


def _missing_contacts(app: AppContext, client: AlegraClient, mapping: Mapping,
                      export: PayrollExport | None, chart: list[Account]) -> list[Party]:
    """The terceros sync would post to that are not Alegra contacts: those of the export's
    vouchers (built as sync builds them), else the fixed NITs and [entities] of the mapping."""
    from alegra_sync.mapping.model import NitTercero
    from alegra_sync.periods import period_starting
    from alegra_sync.sync.contacts import contacts_by_identification
    from alegra_sync.sync.run import account_infos, voucher_options
    from alegra_sync.vouchers.build import build_vouchers
    from alegra_sync.vouchers.model import Party

    if export is not None and export.period_start is not None:
        period = period_starting(export.period_start, app.settings.payroll.frequency)
        options = voucher_options(app.settings, client.company(), export, period)
        plan = build_vouchers(export, mapping, account_infos(chart), period, options)
        parties = plan.parties()
    elif app.settings.journal.detail == "summary":
        parties = set()  # no line carries a tercero
    else:
        names = {nit: name for name, nit in mapping.entities.items()}
        names.update((t.nit, concept) for concept, rule in mapping.concepts.items()
                     for t in (rule.debit_tercero, rule.credit_tercero)
                     if isinstance(t, NitTercero))
        parties = {Party("entity", nit, name, "NIT") for nit, name in names.items()}
    if not parties:
        return []
    known = contacts_by_identification(client)
    return sorted((p for p in parties if p.identification not in known),
                  key=lambda p: (p.kind, p.identification))


def _s(items: list[str]) -> str:
    return "" if len(items) == 1 else "s"


# --- map set / set-payable / show ------------------------------------------------------------


@map_app.command("set")
def set_command(
    ctx: typer.Context,
    concept: Annotated[str, typer.Argument(help="The concept, as the export's header names it.")],
    debit: Annotated[
        str | None, typer.Option("--debit", help="Account: id, code, exact name, or 'payable'.")
    ] = None,
    credit: Annotated[
        str | None, typer.Option("--credit", help="Account: id, code, exact name, or 'payable'.")
    ] = None,
    debit_tercero: Annotated[
        str | None, typer.Option("--debit-tercero", help="employee, eps, afp, none or nit:NNN.")
    ] = None,
    credit_tercero: Annotated[
        str | None, typer.Option("--credit-tercero", help="employee, eps, afp, none or nit:NNN.")
    ] = None,
    cost_center: Annotated[
        bool | None,
        typer.Option("--cost-center/--no-cost-center",
                     help="Put the employee's cost center on P&L lines (default: yes when the "
                          "debit is a P&L account)."),
    ] = None,
) -> None:
    """Map one concept without questions (for scripts).

    A new concept needs --debit and --credit; for a mapped one, what is not given is kept.

    Terceros not given default as in `map` (employee on the payable, EPS/AFP on a health or
    pension credit, employee on a 25xx credit).
    """
    from alegra_sync.alegra.catalog import load_chart
    from alegra_sync.errors import ConfigError
    from alegra_sync.mapping.edit import (
        default_cost_center,
        default_tercero,
        parse_tercero,
        side_account_id,
        tercero_to_store,
    )
    from alegra_sync.mapping.model import ConceptMapping, save_mapping

    app: AppContext = ctx.obj
    mapping = load_or_new(app)
    current = mapping.concepts.get(concept)
    if current is None and (debit is None or credit is None):
        raise ConfigError(f"concept {concept!r} is new: give both --debit and --credit",
                          hint="e.g. map set Salario --debit 510506 --credit payable")
    chart, _ = load_chart(app.client, app.paths.cache)
    by_id = {a.id: a for a in chart}

    def side(text: str | None, old: AccountSide | None) -> AccountSide:
        if text is None:
            assert old is not None  # a new concept has both; checked above
            return old
        return _side_from_text(mapping, chart, text)

    new_debit = side(debit, current.debit if current else None)
    new_credit = side(credit, current.credit if current else None)

    def tercero(text: str | None, which: Side, new_side: AccountSide) -> Tercero:
        payable = new_side == "payable"
        if text is not None:
            return tercero_to_store(parse_tercero(text), payable)
        if current is not None:
            kept: Tercero = getattr(current, f"{which}_tercero")
            return kept
        account = by_id.get(side_account_id(mapping, new_side) or "")
        return tercero_to_store(default_tercero(which, account, payable), payable)

    debit_account = by_id.get(side_account_id(mapping, new_debit) or "")
    credit_account = by_id.get(side_account_id(mapping, new_credit) or "")
    if cost_center is None:
        cost_center = (current.cost_center if current is not None
                       else bool(default_cost_center(debit_account, credit_account)))
    rule = ConceptMapping.model_validate({
        "debit": new_debit, "credit": new_credit, "cost_center": cost_center,
        "debit_tercero": tercero(debit_tercero, "debit", new_debit),
        "credit_tercero": tercero(credit_tercero, "credit", new_credit),
    })
    mapping.concepts[concept] = rule
    save_mapping(mapping, app.paths.mapping)
    from rich.markup import escape

    from alegra_sync.cli.map.show import describe_rule

    app.info(f"[green]✓[/] {escape(concept)}: {escape(describe_rule(mapping, rule, by_id))} "
             f"(saved {app.paths.mapping})")


def _side_from_text(mapping: Mapping, chart: list[Account], text: str) -> AccountSide:
    from alegra_sync.errors import ConfigError
    from alegra_sync.mapping.edit import as_side, resolve_account
    from alegra_sync.mapping.model import PAYABLE

    if text.strip().lower() == PAYABLE:
        if mapping.payable is None:
            raise ConfigError("the mapping has no payable account yet",
                              hint="set it first: alegra-sync map set-payable ACCOUNT")
        return PAYABLE
    return as_side(mapping, resolve_account(chart, text))


@map_app.command("set-payable")
def set_payable_command(
    ctx: typer.Context,
    account: Annotated[str, typer.Argument(help="Id, code or exact name (Salarios por pagar).")],
) -> None:
    """Set the account where net pay is owed (accounts.payable, usually a 2505 account)."""
    from alegra_sync.alegra.catalog import load_chart
    from alegra_sync.mapping.edit import describe, resolve_account
    from alegra_sync.mapping.model import PAYABLE, AccountRef, save_mapping

    app: AppContext = ctx.obj
    mapping = load_or_new(app)
    chart, _ = load_chart(app.client, app.paths.cache)
    chosen = resolve_account(chart, account)
    mapping.accounts[PAYABLE] = AccountRef(id=chosen.id, name=chosen.name)
    save_mapping(mapping, app.paths.mapping)
    app.info(f"[green]✓[/] payable account: {describe(chosen)} (saved {app.paths.mapping})")


@map_app.command("show")
def show_command(
    ctx: typer.Context,
    toml: Annotated[bool, typer.Option("--toml", help="Print the mapping file itself.")] = False,
) -> None:
    """Print the mapping as tables (no Alegra request), or the file with --toml."""
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
