"""`alegra-sync connect`: store the Alegra user and token after verifying them."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from alegra_sync.cli import context as cli_context
from alegra_sync.errors import ConfigError

if TYPE_CHECKING:
    from alegra_sync.alegra.models import Company
    from alegra_sync.cli.context import AppContext
    from alegra_sync.config import Credentials


def connect_command(
    ctx: typer.Context,
    user: Annotated[
        str | None, typer.Option("--user", help="Alegra user (e-mail). Env: ALEGRA_SYNC_USER.")
    ] = None,
    token_stdin: Annotated[
        bool, typer.Option("--token-stdin", help="Read the API token from standard input.")
    ] = False,
    check: Annotated[
        bool, typer.Option("--check", help="Re-verify the stored credentials; store nothing.")
    ] = False,
) -> None:
    """Verify the Alegra user and API token and store them (credentials.toml, mode 0600)."""
    app: AppContext = ctx.obj
    if check:
        credentials = app.credentials()
        company = _verify(app, credentials)
        _show_company(app, company)
        app.info(f"[green]✓[/] credentials of {credentials.user} work")
        return

    from alegra_sync.config import Credentials, save_credentials

    credentials = Credentials(user=_ask_user(user), token=_ask_token(token_stdin))
    company = _verify(app, credentials)
    save_credentials(app.paths.credentials, credentials)
    _forget_caches(app)
    _show_company(app, company)
    app.info(f"[green]✓[/] connected as {credentials.user}; saved {app.paths.credentials}")


def _ask_user(flag: str | None) -> str:
    user = flag or os.environ.get("ALEGRA_SYNC_USER")
    if user:
        return user.strip()
    if not cli_context.is_interactive():
        raise ConfigError(
            "no Alegra user given and no terminal to ask",
            hint="pass --user EMAIL or set ALEGRA_SYNC_USER",
        )
    return str(typer.prompt("Alegra user (e-mail)", err=True)).strip()


def _ask_token(from_stdin: bool) -> str:
    if from_stdin:
        token = sys.stdin.readline().strip()
    elif os.environ.get("ALEGRA_SYNC_TOKEN"):
        token = os.environ["ALEGRA_SYNC_TOKEN"].strip()
    elif cli_context.is_interactive():
        token = str(typer.prompt("Alegra API token", hide_input=True, err=True)).strip()
    else:
        raise ConfigError(
            "no API token given and no terminal to ask",
            hint="pipe it with --token-stdin or set ALEGRA_SYNC_TOKEN",
        )
    if not token:
        raise ConfigError("the API token is empty", hint="copy it from Alegra: Configuración > API")
    return token


def _verify(app: AppContext, credentials: Credentials) -> Company:
    with app.client(credentials) as client:
        client.self_user()
        return client.company()


def _forget_caches(app: AppContext) -> None:
    """The chart and the contact ids cached for the previous credentials may be another
    company's; they are fetched again when needed."""
    from alegra_sync.alegra.catalog import clear_chart_cache
    from alegra_sync.sync.ledger import Ledger

    clear_chart_cache(app.paths.cache)
    if app.paths.database.exists():
        with Ledger.open(app.paths.database) as ledger:
            ledger.forget_contacts()


def _show_company(app: AppContext, company: Company) -> None:
    from rich.table import Table

    table = Table(title="Alegra company", show_header=False, title_justify="left")
    table.add_column("field", style="bold")
    table.add_column("value")
    table.add_row("Name", company.name)
    table.add_row("NIT", company.identification or "")
    table.add_row("Country", company.country or "")
    table.add_row("Currency", company.currency or "")
    table.add_row("Decimal precision", str(company.decimal_precision))
    app.out.print(table)
