"""`alegra-sync accounts`: Alegra's chart of accounts, cost centers and bank accounts."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from rich.tree import Tree

    from alegra_sync.alegra.catalog import TreeNode
    from alegra_sync.alegra.models import Account
    from alegra_sync.cli.context import AppContext


def accounts_command(
    ctx: typer.Context,
    search: Annotated[
        str | None, typer.Option("--search", "-s", help="Code or name contains (accents ignored).")
    ] = None,
    type_: Annotated[
        str | None, typer.Option("--type", "-t", help="Only this type: asset, liability, expense…")
    ] = None,
    tree: Annotated[bool, typer.Option("--tree", help="Show the chart as a tree.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")] = False,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Fetch the chart again instead of the cache.")
    ] = False,
    cost_centers: Annotated[
        bool, typer.Option("--cost-centers", help="List the cost centers instead.")
    ] = False,
    bank_accounts: Annotated[
        bool, typer.Option("--bank-accounts", help="List the bank accounts instead.")
    ] = False,
) -> None:
    """List Alegra's chart of accounts (cached), or its cost centers or bank accounts.

    Accounts that cannot take postings (groups) or are inactive are marked.
    """
    app: AppContext = ctx.obj
    if cost_centers or bank_accounts:
        _list_other(app, "cost-centers" if cost_centers else "bank-accounts", as_json)
        return

    from alegra_sync.alegra.catalog import accounts_to_json, load_chart, search_accounts

    chart, fetched_at = load_chart(app.client, app.paths.cache, refresh=refresh)
    accounts = search_accounts(chart, search) if search else chart
    if type_:
        accounts = [a for a in accounts if a.type == type_]
    if as_json:
        typer.echo(json.dumps(accounts_to_json(accounts), ensure_ascii=False, indent=2))
        return
    app.detail(f"chart fetched {fetched_at:%Y-%m-%d %H:%M} (use --refresh to fetch again)")
    if tree and not search and not type_:
        app.out.print(_as_tree(chart))
    else:
        app.out.print(_as_table(accounts))
    app.info(f"{len(accounts)} of {len(chart)} accounts; ✗ = cannot take postings or inactive")


def _mark(account: Account) -> str:
    return "" if account.postable else "✗"


def _as_table(accounts: list[Account]) -> object:
    from rich.table import Table

    table = Table(show_lines=False)
    for column in ("id", "code", "name", "type", "nature", "use", "status", ""):
        table.add_column(column)
    for account in accounts:
        style = None if account.postable else "dim"
        table.add_row(
            account.id, account.code or "", account.name, account.type, account.nature or "",
            account.use or "", account.status or "", _mark(account), style=style,
        )
    return table


def _as_tree(chart: list[Account]) -> Tree:
    from rich.tree import Tree

    from alegra_sync.alegra.catalog import build_tree

    root = Tree("Chart of accounts")

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
    from rich.table import Table

    with app.client() as client:
        items = client.cost_centers() if kind == "cost-centers" else client.bank_accounts()
    rows = [item.model_dump(mode="json") for item in items]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table()
    columns = list(rows[0]) if rows else ["id", "name"]
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*("" if row[c] is None else str(row[c]) for c in columns))
    app.out.print(table)
