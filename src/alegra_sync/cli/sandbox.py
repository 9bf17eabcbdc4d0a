"""`alegra-sync sandbox`: the built-in Alegra-compatible server, on loopback."""

from __future__ import annotations

import time
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from alegra_sync.cli.help import Examples
from alegra_sync.i18n import N_

if TYPE_CHECKING:
    from alegra_sync.cli.context import AppContext


class Seed(StrEnum):
    demo = "demo"  # a PUC payroll chart
    recorded = "recorded"  # the company of the recorded traffic


HELP = N_(
    "Run a local Alegra-compatible server with a seeded demo company, until Ctrl-C.\n\n"
    "It prints its base URL and the demo credentials (user demo@example.com, token "
    "sandbox-demo-token)."
)
EXAMPLES = Examples(
    ("alegra-sync sandbox", N_("Serves the demo company on port 8765 of this machine.")),
    ("alegra-sync sandbox --port 0 --data /tmp/alegra-sandbox",
     N_("Any free port; what is posted stays in /tmp/alegra-sandbox.")),
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
        int, typer.Option(metavar=NUMBER, help=N_("Requests a minute before 429."))
    ] = 150,
) -> None:
    app: AppContext = ctx.obj
    from alegra_sync.sandbox import SandboxServer

    try:
        server = SandboxServer(host=host, port=port, data_dir=data, seed=seed.value,
                               rate_limit=rate_limit)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--host") from None
    server.start()
    app.out.print(f"ALEGRA_SYNC_BASE_URL={server.url}")
    app.out.print(f"ALEGRA_SYNC_USER={server.USER}")
    app.out.print(f"ALEGRA_SYNC_TOKEN={server.TOKEN}")
    app.info(f"sandbox serving the demo company at {server.url} — Ctrl-C to stop")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        app.info("sandbox stopped")
