"""`alegra-sync connect`: store the Alegra user and token after verifying them."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from alegra_sync import env
from alegra_sync.cli import output
from alegra_sync.cli.help import Examples
from alegra_sync.errors import ConfigError
from alegra_sync.i18n import N_, T, _

if TYPE_CHECKING:
    from alegra_sync.alegra.models import Company
    from alegra_sync.cli.context import AppContext
    from alegra_sync.config import Credentials


HELP = N_(
    "Verify the Alegra user and API token, show the company and store them (credentials.toml, "
    "mode 0600).\n\n"
    "On a terminal it asks for both (the token hidden). Without one it never waits: the user "
    "comes from --user or ALEGRA_SYNC_USER, the token from --token-stdin or ALEGRA_SYNC_TOKEN. "
    "The token is in Alegra, under Configuración > API."
)
EXAMPLES = Examples(
    ("alegra-sync connect", N_("Asks for the user and the token, verifies and stores them.")),
    ('echo "$TOKEN" | alegra-sync connect --user nomina@empresa.co --token-stdin',
     N_("The same from a script, without a terminal.")),
    ("alegra-sync connect --check", N_("Checks that the stored credentials still work.")),
)


def connect_command(
    ctx: typer.Context,
    user: Annotated[
        str | None,
        typer.Option("--user", metavar=N_("EMAIL"),
                     help=N_("Alegra user (e-mail); else ALEGRA_SYNC_USER, else asked.")),
    ] = None,
    token_stdin: Annotated[
        bool, typer.Option("--token-stdin",
                           help=N_("Read the API token from standard input (for scripts)."))
    ] = False,
    check: Annotated[
        bool, typer.Option("--check",
                           help=N_("Verify the stored credentials again; store nothing."))
    ] = False,
) -> None:
    app: AppContext = ctx.obj
    from rich.markup import escape

    from alegra_sync.config import alegra_base_url

    if check:
        credentials = app.credentials()
        url = alegra_base_url(app.settings, credentials)
        company = _verify(app, credentials)
        _show_company(app, company, url)  # nothing with -q: cron would mail it every run
        app.info("[green]✓[/] " + escape(_("the credentials of {user} work at {url}").format(
            user=credentials.user, url=url)))
        return

    from alegra_sync.config import Credentials, save_credentials

    credentials = Credentials(user=_ask_user(user), token=_ask_token(token_stdin))
    # stored with the URL they work at, so that a terminal without ALEGRA_SYNC_BASE_URL (a
    # new one, cron) sends them there and nowhere else
    credentials.base_url = alegra_base_url(app.settings, credentials)
    company = _verify(app, credentials)
    from alegra_sync.sync.connection import company_record, forget_caches, remember_company

    guard = app.company_guard()  # a firm's company: no other slug may have this Alegra company
    if guard is not None:
        guard(company_record(company))
    save_credentials(app.paths.credentials, credentials)
    forget_caches(app.paths)
    if guard is not None:
        remember_company(app.paths, company)
    _show_company(app, company, credentials.base_url)
    app.info("[green]✓[/] " + escape(_("connected as {user} at {url}; saved {path}").format(
        user=credentials.user, url=credentials.base_url, path=app.paths.credentials)))


def _ask_user(flag: str | None) -> str:
    user = flag or os.environ.get(env.USER)
    if user:
        return user.strip()
    if not output.is_interactive():
        raise ConfigError(T("no Alegra user given and no terminal to ask"),
                          hint=T("pass --user EMAIL or set ALEGRA_SYNC_USER"))
    return str(typer.prompt(_("Alegra user (e-mail)"), err=True)).strip()


def _ask_token(from_stdin: bool) -> str:
    if from_stdin:
        token = sys.stdin.readline().strip()
    elif os.environ.get(env.TOKEN):
        token = os.environ[env.TOKEN].strip()
    elif output.is_interactive():
        token = str(typer.prompt(_("Alegra API token"), hide_input=True, err=True)).strip()
    else:
        raise ConfigError(T("no API token given and no terminal to ask"),
                          hint=T("pipe it with --token-stdin or set ALEGRA_SYNC_TOKEN"))
    if not token:
        raise ConfigError(T("the API token is empty"),
                          hint=T("copy it from Alegra: Configuración > API"))
    return token


def _verify(app: AppContext, credentials: Credentials) -> Company:
    from alegra_sync.sync.connection import verify_credentials

    return verify_credentials(app.settings, credentials)


def _show_company(app: AppContext, company: Company, url: str) -> None:
    if app.quiet:  # -q prints only errors
        return
    from alegra_sync.cli.output import table as new_table

    table = new_table(["", ""], _("Alegra company"), header=False)
    table.add_row(_("Name"), company.name)
    table.add_row(_("NIT"), company.identification or "")
    table.add_row(_("Country"), company.country or "")
    table.add_row(_("Currency"), company.currency or "")
    table.add_row(_("Decimal precision"), str(company.decimal_precision))
    table.add_row(_("Alegra URL"), url)
    app.out.print(table)
