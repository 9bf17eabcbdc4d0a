"""The Typer app: the root callback, the global options, and the one place where exceptions
become exit codes and one-line errors.

Start-up time is budgeted: this module and the command modules import only typer and the
standard library at the top; each command imports what it needs when it runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from alegra_sync import __version__, env
from alegra_sync.cli import accounts, connect, demo, sandbox, status, sync
from alegra_sync.cli.context import AppContext
from alegra_sync.cli.map import map_app
from alegra_sync.errors import AlegraSyncError, ExitCode


class ErrorHandlingGroup(TyperGroup):
    """Turns every expected error into one line on stderr and its documented exit code."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except AlegraSyncError as exc:
            _report(ctx, exc.message, exc.hint)
            raise typer.Exit(int(exc.exit_code)) from None
        except KeyboardInterrupt:
            _report(ctx, "interrupted", None)
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except BrokenPipeError:  # `alegra-sync … | head`: the reader left, nothing to say
            raise typer.Exit(ExitCode.OK) from None
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except Exception as exc:  # a bug: one line, the traceback only with -v
            app_ctx = ctx.obj if isinstance(ctx.obj, AppContext) else None
            if app_ctx is not None and app_ctx.verbosity > 0:
                import traceback

                traceback.print_exc()
            _report(ctx, f"internal error: {type(exc).__name__}: {exc}", "run with -v for details")
            raise typer.Exit(ExitCode.INTERNAL) from None


def _report(ctx: typer.Context, message: str, hint: str | None) -> None:
    app_ctx = ctx.obj if isinstance(ctx.obj, AppContext) else AppContext()
    app_ctx.error(message, hint)


app = typer.Typer(
    cls=ErrorHandlingGroup,
    name="alegra-sync",
    help="Post payroll (comprobante contable and egreso) to Alegra, exactly once.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"alegra-sync {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, envvar=env.VERBOSE,
                          help="More detail; -vv for HTTP.")
    ] = 0,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print only errors (for cron).",
                           envvar=env.QUIET)
    ] = False,
    config: Annotated[
        Path | None,
        typer.Option("--config", help="Config file (default: config.toml in the home).",
                     envvar=env.CONFIG, dir_okay=False),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True,
                           help="Show the version and exit.")
    ] = False,
) -> None:
    """alegra-sync: payroll exports to Alegra vouchers.

    Home folder: ALEGRA_SYNC_HOME (config.toml, credentials.toml, mapping.toml, state, logs).
    """
    ctx.obj = AppContext(verbosity=-1 if quiet else verbose, config_path=config)
    ctx.obj.setup_logging()


app.command("connect")(connect.connect_command)
app.command("accounts")(accounts.accounts_command)
app.add_typer(map_app, name="map")
app.command("sync")(sync.sync_command)
app.command("status")(status.status_command)
app.command("sandbox")(sandbox.sandbox_command)
app.command("demo")(demo.demo_command)


def main() -> None:
    app(prog_name="alegra-sync")


if __name__ == "__main__":  # pragma: no cover
    main()
