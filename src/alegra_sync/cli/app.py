"""The Typer app: the root callback, the global options, and the one place where exceptions
become exit codes and one-line errors.

Start-up time is budgeted: this module and the command modules import only typer and the
standard library at the top; each command imports what it needs when it runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Annotated, Any, Literal

import typer
from typer import _click
from typer._click.exceptions import UsageError

from alegra_sync import __version__, env
from alegra_sync.cli import (
    accounts,
    approve,
    connect,
    demo,
    notify,
    preflight,
    report,
    sandbox,
    skip,
    status,
    sync,
    verify,
)
from alegra_sync.cli.companies import companies_app
from alegra_sync.cli.context import AppContext
from alegra_sync.cli.help import Examples, TranslatedCommand, TranslatedGroup, translated_error
from alegra_sync.cli.help import use_typer_words as _use_typer_words
from alegra_sync.cli.map import map_app
from alegra_sync.errors import AlegraSyncError, ExitCode
from alegra_sync.i18n import N_, _


class ErrorHandlingGroup(TranslatedGroup):
    """The root: chooses the language before anything is parsed (preflight.py), and turns
    every expected error into one line on stderr and its documented exit code."""

    def make_context(self, info_name: str | None, args: list[str],
                     parent: _click.Context | None = None, **extra: Any) -> _click.Context:
        args = preflight.take_language(args)  # once a run, before anything is parsed or drawn
        try:  # a usage error of the root's own options (a subcommand's come through invoke)
            return super().make_context(info_name, args, parent, **extra)
        except UsageError as exc:
            raise translated_error(exc) from None

    def help_values(self, ctx: _click.Context) -> Mapping[str, str]:
        from rich.markup import escape

        return {"home": escape(str(preflight.home_folder())),
                "state": escape(str(preflight.state_folder()))}

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            raise translated_error(exc) from None
        except typer.Abort:
            _use_typer_words()  # Typer prints "Aborted." after this returns
            raise
        except AlegraSyncError as exc:
            _report(ctx, *exc.localized())
            raise typer.Exit(int(exc.exit_code)) from None
        except KeyboardInterrupt:
            _report(ctx, _("interrupted"), None)
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except BrokenPipeError:  # `alegra-sync … | head`: the reader left, nothing to say
            raise typer.Exit(ExitCode.OK) from None
        except (typer.Exit, typer.TyperException):
            raise
        except Exception as exc:  # a bug: one line, the traceback only with -v
            app_ctx = ctx.obj if isinstance(ctx.obj, AppContext) else None
            if app_ctx is not None and app_ctx.verbosity > 0:
                import traceback

                traceback.print_exc()
            _report(ctx, _("internal error: {error}").format(error=f"{type(exc).__name__}: {exc}"),
                    _("run with -v for details"))
            raise typer.Exit(ExitCode.INTERNAL) from None


def _report(ctx: typer.Context, message: str, hint: str | None) -> None:
    app_ctx = ctx.obj if isinstance(ctx.obj, AppContext) else AppContext()
    app_ctx.error(message, hint)


ROOT_HELP = N_(
    "Post payroll (comprobante contable and egreso) to Alegra, exactly once.\n\n"
    "Home folder: {home} (ALEGRA_SYNC_HOME, else the platform's config folder): config.toml, "
    "credentials.toml, mapping.toml and exports/. State database and log: {state}.\n\n"
    "Language: --lang, else ALEGRA_SYNC_LANG, else lang in config.toml, else the locale (LANG)."
    "\n\nA firm home holds many companies, each in companies/<slug>/: name one with --company "
    "SLUG, or run sync, verify or report --all-companies."
)
ROOT_EXAMPLES = Examples(
    ("alegra-sync demo",
     N_("The whole job against a built-in sandbox, touching none of your files.")),
    ("alegra-sync sync --dry-run",
     N_("A dry run of the quincena that just closed: shows the vouchers, posts nothing.")),
    ("alegra-sync --lang es sync --help", N_("The help of sync, in Spanish.")),
)

app = typer.Typer(
    cls=ErrorHandlingGroup,
    name="alegra-sync",
    help=ROOT_HELP,
    epilog=ROOT_EXAMPLES,
    no_args_is_help=True,
    add_completion=True,  # --install-completion, --show-completion
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
        int, typer.Option("--verbose", "-v", count=True, envvar=env.VERBOSE, show_default=False,
                          help=N_("More detail: -v; every HTTP request too: -vv."))
    ] = 0,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help=N_("Print only errors (for cron)."),
                           envvar=env.QUIET)
    ] = False,
    config: Annotated[
        Path | None,
        typer.Option("--config", help=N_("Config file (default: config.toml in the home)."),
                     envvar=env.CONFIG, dir_okay=False, metavar=N_("FILE")),
    ] = None,
    lang: Annotated[
        Literal["es", "en"] | None,
        typer.Option("--lang", envvar=env.LANG,
                     help=N_("Language of what is shown: es (Colombian Spanish) or en.")),
    ] = None,  # already in effect: preflight.take_language read it before parsing
    company: Annotated[
        str | None,
        typer.Option("--company", envvar=env.COMPANY, metavar=N_("SLUG"),
                     help=N_("In a firm home: the company to work on (its folder under "
                             "companies/).")),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True,
                           help=N_("Show the version and exit."))
    ] = False,
) -> None:
    if company is not None and not preflight.is_slug(company):
        from alegra_sync.i18n import _

        raise typer.BadParameter(
            _("{slug} is not a company slug: use lower-case letters, digits and -, 1–40 "
              "characters").format(slug=repr(company)), param_hint="--company")
    ctx.obj = AppContext(verbosity=-1 if quiet else verbose, config_path=config,
                         company=company or None)
    ctx.obj.setup_logging()


def _command(name: str, module: ModuleType) -> None:
    """Registers ``module.<name>_command`` with the module's HELP and EXAMPLES."""
    callback = getattr(module, f"{name}_command")
    app.command(name, help=module.HELP, epilog=module.EXAMPLES, cls=TranslatedCommand)(callback)


_command("connect", connect)
_command("accounts", accounts)
app.add_typer(map_app, name="map")
_command("sync", sync)
_command("status", status)
_command("skip", skip)
_command("verify", verify)
_command("report", report)
_command("sandbox", sandbox)
_command("demo", demo)
app.add_typer(companies_app, name="companies")
_command("notify", notify)
_command("approve", approve)


def main() -> None:
    app(prog_name="alegra-sync")


if __name__ == "__main__":  # pragma: no cover
    main()
