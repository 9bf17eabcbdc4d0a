"""`alegra-sync connect`: store the Alegra user and token after verifying them."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from alegra_sync import env
from alegra_sync.cli import output
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
    from alegra_sync.sync.connection import forget_caches

    forget_caches(app.paths)
    _show_company(app, company)
    app.info(f"[green]✓[/] connected as {credentials.user}; saved {app.paths.credentials}")


def _ask_user(flag: str | None) -> str:
    user = flag or os.environ.get(env.USER)
    if user:
        return user.strip()
    if not output.is_interactive():
        raise ConfigError(
            "no Alegra user given and no terminal to ask",
            hint="pass --user EMAIL or set ALEGRA_SYNC_USER",
        )
    return str(typer.prompt("Alegra user (e-mail)", err=True)).strip()


def _ask_token(from_stdin: bool) -> str:
    if from_stdin:
        token = sys.stdin.readline().strip()
    elif os.environ.get(env.TOKEN):
        token = os.environ[env.TOKEN].strip()
    elif output.is_interactive():
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
    from alegra_sync.sync.connection import verify_credentials

    return verify_credentials(app.settings, credentials)


def _show_company(app: AppContext, company: Company) -> None:
    from alegra_sync.cli.output import table as new_table

    table = new_table(["field", "value"], "Alegra company", header=False)
    table.add_row("Name", company.name)
    table.add_row("NIT", company.identification or "")
    table.add_row("Country", company.country or "")
    table.add_row("Currency", company.currency or "")
    table.add_row("Decimal precision", str(company.decimal_precision))
    app.out.print(table)
