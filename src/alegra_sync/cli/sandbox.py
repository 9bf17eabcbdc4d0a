"""`alegra-sync sandbox`: the built-in Alegra-compatible server, on loopback."""

from __future__ import annotations

import errno
import shlex
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from alegra_sync import env
from alegra_sync.cli.help import Examples
from alegra_sync.errors import ConfigError
from alegra_sync.i18n import N_, T, _, local, reason_of

if TYPE_CHECKING:
    from alegra_sync.cli.context import AppContext
    from alegra_sync.sandbox import SandboxServer


class Seed(StrEnum):
    demo = "demo"  # a PUC payroll chart
    recorded = "recorded"  # the company of the recorded traffic


HELP = N_(
    "Run a local Alegra-compatible server with a seeded demo company, until Ctrl-C.\n\n"
    "It prints, on stdout, the lines that point alegra-sync at it (export ALEGRA_SYNC_BASE_URL=… "
    "and the demo credentials: user demo@example.com, token sandbox-demo-token), ready to paste "
    "into a shell; its messages go to stderr."
)
EXAMPLES = Examples(
    ("alegra-sync sandbox", N_("Serves the demo company on port 8765 of this machine.")),
    ("alegra-sync sandbox --port 0 --data /tmp/alegra-sandbox",
     N_("Any free port; what is posted stays in /tmp/alegra-sandbox.")),
    ("alegra-sync sandbox --companies 3",
     N_("Three companies, each with its own user and token (a firm's clients).")),
)
NUMBER = N_("NUMBER")


def sandbox_command(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option(metavar=N_("ADDRESS"), help=N_("Loopback address to listen on."))
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option(metavar=NUMBER, help=N_("Port (0 = any free port)."))
    ] = 8765,
    data: Annotated[
        Path | None,
        typer.Option("--data", metavar=N_("FOLDER"),
                     help=N_("Keep the sandbox's documents in this folder.")),
    ] = None,
    seed: Annotated[
        Seed,
        typer.Option(help=N_("demo (a PUC payroll chart) or recorded (the recorded company).")),
    ] = Seed.demo,
    rate_limit: Annotated[
        int, typer.Option(metavar=NUMBER, min=1, help=N_("Requests a minute before 429."))
    ] = 150,
    companies: Annotated[
        int, typer.Option("--companies", metavar=NUMBER, min=1, max=100,
                          help=N_("Companies to serve, each with its own user, token and "
                                  "books (firm mode)."))
    ] = 1,
) -> None:
    app: AppContext = ctx.obj
    from alegra_sync.sandbox import SandboxServer

    try:
        server = SandboxServer(host=host, port=port, data_dir=data, seed=seed.value,
                               rate_limit=rate_limit, companies=companies)
    except ValueError as exc:  # a host that is not loopback, or a --data it cannot use
        from alegra_sync.sandbox.server import is_loopback

        raise typer.BadParameter(local(reason_of(exc)),
                                 param_hint="--data" if is_loopback(host) else "--host"
                                 ) from None
    try:
        server.start()
    except OSError as exc:
        raise _unusable_port(host, port, exc) from None
    try:  # Ctrl-C from here on stops the server cleanly, even before the banner ends
        _banner(app, server, companies)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        app.info(_("sandbox stopped"))


def _banner(app: AppContext, server: SandboxServer, companies: int) -> None:
    """stdout: lines a shell can run as they are (pasted, or `eval`/`.` of a file they went
    to): the URL and the first company's credentials; the others' as comments, for
    `alegra-sync --company SLUG connect`. Everything else on stderr."""
    from rich.markup import escape

    for name, value in ((env.BASE_URL, server.url), (env.USER, server.USER),
                        (env.TOKEN, server.TOKEN)):
        typer.echo(f"export {name}={shlex.quote(value)}")
    if companies > 1:
        for company in server.companies:
            typer.echo(f"# {company.number}: {company.name} (NIT {company.nit}): "
                       f"{env.USER}={shlex.quote(company.user)} "
                       f"{env.TOKEN}={shlex.quote(company.token)}")
    sys.stdout.flush()
    if companies == 1:
        app.info(escape(_("sandbox serving the demo company at {url} — Ctrl-C to stop").format(
            url=server.url)))
    else:
        app.info(escape(_("sandbox serving {count} companies at {url} — Ctrl-C to stop").format(
            count=companies, url=server.url)))
    app.info(escape(_("In another terminal, paste the three export lines above (or save them: "
                      "`alegra-sync sandbox > sandbox.env &`, then `. ./sandbox.env`); "
                      "`alegra-sync connect` then stores the credentials with this URL.")))


def _unusable_port(host: str, port: int, error: OSError) -> ConfigError:
    """A port already taken (another sandbox, say) or not ours to take: one line, 78."""
    hint = T("use --port with another number, or --port 0 for any free one")
    if error.errno == errno.EADDRINUSE:
        return ConfigError(T("port {port} of {host} is already in use (another sandbox?)",
                             port=port, host=host), hint=hint)
    return ConfigError(T("cannot listen on port {port} of {host} ({reason})", port=port,
                         host=host, reason=error.strerror or str(error)), hint=hint)
