"""`alegra-sync accounts`: Alegra's chart of accounts, cost centers and bank accounts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from alegra_sync.cli.help import Examples
from alegra_sync.cli.options import JsonOption, RefreshOption
from alegra_sync.i18n import N_

if TYPE_CHECKING:
    from rich.tree import Tree

    from alegra_sync.alegra.catalog import TreeNode
    from alegra_sync.alegra.models import Account
    from alegra_sync.cli.context import AppContext


HELP = N_(
    "List Alegra's chart of accounts (cached), or its cost centers or bank accounts.\n\n"
    "Accounts that cannot take postings (groups) or are inactive are marked ✗. --refresh reads "
    "the chart from Alegra again."
)
EXAMPLES = Examples(
    ("alegra-sync accounts --search salarios",
     N_("The accounts whose code or name contains “salarios”.")),
    ("alegra-sync accounts --tree", N_("The whole chart as a tree.")),
    ("alegra-sync accounts --cost-centers --json", N_("The cost centers, as JSON.")),
)


def accounts_command(
    ctx: typer.Context,
    search: Annotated[
        str | None,
        typer.Option("--search", "-s", metavar=N_("TEXT"),
                     help=N_("Only accounts whose code or name contains TEXT (accents and case "
                             "ignored).")),
    ] = None,
    type_: Annotated[
        str | None,
        typer.Option("--type", "-t", metavar=N_("TYPE"),
                     help=N_("Only accounts of this type, in English or Spanish as Alegra "
                             "names it: asset or activo, liability or pasivo, expense or "
                             "gasto…")),
    ] = None,
    tree: Annotated[bool, typer.Option("--tree", help=N_("Show the chart as a tree."))] = False,
    as_json: JsonOption = False,
    refresh: RefreshOption = False,
    cost_centers: Annotated[
        bool, typer.Option("--cost-centers", help=N_("List the cost centers instead."))
    ] = False,
    bank_accounts: Annotated[
        bool, typer.Option("--bank-accounts", help=N_("List the bank accounts instead."))
    ] = False,
) -> None:
    app: AppContext = ctx.obj
    if cost_centers or bank_accounts:
        _list_other(app, "cost-centers" if cost_centers else "bank-accounts", as_json)
        return

    from alegra_sync.alegra.catalog import (
        Catalog,
        account_type,
        accounts_to_json,
        search_accounts,
        type_names,
    )

    with Catalog(app.client, app.paths.cache, refresh=refresh) as catalog:
        chart, fetched_at = catalog.chart_and_time
    accounts = search_accounts(chart, search) if search else chart
    if type_:
        wanted = account_type(type_, chart)
        if wanted is None:
            from alegra_sync.errors import UsageError
            from alegra_sync.i18n import T

            raise UsageError(T("--type {type}: no such account type", type=type_),
                             hint=T("the chart has: {types}",
                                    types=", ".join(type_names(chart))))
        accounts = [a for a in accounts if a.type == wanted]
    if as_json:
        app.json(accounts_to_json(accounts))
        return
    from alegra_sync.i18n import _, ngettext

    app.detail(_("chart fetched {time} (use --refresh to fetch again)").format(
        time=f"{fetched_at:%Y-%m-%d %H:%M}"))
    if tree and not search and not type_:
        app.out.print(_as_tree(chart))
    else:
        app.out.print(_as_table(accounts))
    app.info(ngettext("{shown} of {n} account; ✗ = cannot take postings or inactive",
                      "{shown} of {n} accounts; ✗ = cannot take postings or inactive",
                      len(chart)).format(shown=len(accounts), n=len(chart)))


def _mark(account: Account) -> str:
    return "" if account.postable else "✗"


def _as_table(accounts: list[Account]) -> object:
    from rich.markup import escape

    from alegra_sync.cli.output import Column
    from alegra_sync.cli.output import table as new_table

    # Alegra's own words in the cells (type, nature, use, status): not ours to translate
    table = new_table([Column("id", "code"), Column(_header("code"), "code"),
                       Column(_header("name"), "name"), _header("type"), _header("nature"),
                       _header("use"), _header("status"), ""])
    for account in accounts:
        style = None if account.postable else "dim"
        table.add_row(
            account.id, account.code or "", escape(account.name), account.type,
            account.nature or "", account.use or "", account.status or "", _mark(account),
            style=style,
        )
    return table


def _header(field: str) -> str:
    """A column named by Alegra's field, as people read it."""
    from alegra_sync.i18n import _, pgettext

    headers = {"code": _("code"), "name": pgettext("column", "name"),
               "type": pgettext("column", "type"), "nature": pgettext("column", "nature"),
               "use": pgettext("column", "use"), "status": pgettext("column", "status"),
               "number": pgettext("column", "number")}
    return headers.get(field, field)


def _as_tree(chart: list[Account]) -> Tree:
    from rich.tree import Tree

    from alegra_sync.alegra.catalog import build_tree
    from alegra_sync.i18n import _

    root = Tree(_("Chart of accounts"))

    def add(parent: Tree, node: TreeNode) -> None:
        account = node.account
        label = f"{account.code + ' ' if account.code else ''}{account.name} [dim]({account.id})[/]"
        if not account.postable:
            label = f"[dim]{label} ✗[/]"
        branch = parent.add(label)
        for child in node.children:
            add(branch, child)

    for node in build_tree(chart):
        add(root, node)
    return root


def _list_other(app: AppContext, kind: str, as_json: bool) -> None:
    from alegra_sync.alegra.catalog import Catalog
    from alegra_sync.cli.output import table as new_table

    with Catalog(app.client) as catalog:
        items = catalog.cost_centers if kind == "cost-centers" else catalog.bank_accounts
    rows = [item.model_dump(mode="json") for item in items]
    if as_json:
        app.json(rows)
        return
    columns = list(rows[0]) if rows else ["id", "name"]
    table = new_table([_header(column) for column in columns])
    for row in rows:
        table.add_row(*("" if row[c] is None else str(row[c]) for c in columns))
    app.out.print(table)
