"""`alegra-sync demo`: the whole job, end to end, against an in-process sandbox.

It runs the real commands, in this process, in a temporary home: connect, map --check, a dry
run, the sync of two quincenas, status, and the same sync again to show nothing posts twice.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from alegra_sync import env, i18n
from alegra_sync.cli.help import Examples
from alegra_sync.i18n import N_

if TYPE_CHECKING:
    from alegra_sync.cli.context import AppContext
    from alegra_sync.sandbox import SandboxServer

DEMO_TODAY = "2026-12-01"  # both November quincenas are closed
SAMPLE_EXPORTS = ("nomina_2026-11-01_2026-11-15.csv", "nomina_2026-11-16_2026-11-30.xlsx")
DEMO_CONFIG = """\
[sync]
start = 2026-11-01

[contacts]
create_missing = true   # the demo company has no employees as contacts yet
"""


HELP = N_(
    "Run the whole job against a built-in sandbox, in a temporary home.\n\n"
    "It connects, checks the sample mapping, shows a dry run, posts two quincenas, shows what "
    "landed, and runs again to show that nothing is posted twice. With --firm: a firm of three "
    "client companies synced in one run, and the firm's view of them."
)
EXAMPLES = Examples(
    ("alegra-sync demo", N_("The whole job, touching none of your files and not your Alegra.")),
    ("alegra-sync demo --keep", N_("The same, keeping the temporary home to look at its files.")),
    ("alegra-sync demo --firm", N_("Three companies of one firm, synced in parallel.")),
)
FIRM_COMPANIES = ("acme", "ferreteria-norte", "panaderia-la-9")


def demo_command(
    ctx: typer.Context,
    keep: Annotated[
        bool, typer.Option("--keep", help=N_("Keep the temporary home and print where it is."))
    ] = False,
    firm: Annotated[
        bool, typer.Option("--firm", help=N_("A firm home with three client companies."))
    ] = False,
) -> None:
    app: AppContext = ctx.obj
    from alegra_sync.sandbox import SandboxServer

    home = Path(tempfile.mkdtemp(prefix="alegra-sync-demo-"))
    if firm:
        try:
            with SandboxServer(companies=len(FIRM_COMPANIES)) as server, \
                    _demo_environment(home, server, credentials=False):
                _firm_demo(ctx, home, server)
        finally:
            _leave(app, home, keep)
        return
    from rich.markup import escape

    from alegra_sync.i18n import _

    try:
        with SandboxServer() as server, _demo_environment(home, server):
            _prepare_home(home)
            app.info(_("[bold]alegra-sync demo[/] — sandbox at {url}, home {home}").format(
                url=escape(server.url), home=escape(str(home))) + "\n")
            steps: list[tuple[str, list[str]]] = [
                (_("Connect with the sandbox's demo credentials"), ["connect"]),
                (_("Check the sample mapping against the export and Alegra's chart"),
                 ["map", "--check", "--export", str(home / "exports" / SAMPLE_EXPORTS[0])]),
                (_("See the first quincena's vouchers before posting them"),
                 ["sync", "--period", "2026-11-01", "--dry-run"]),
                (_("Post every closed quincena since November 1 (what cron would catch up)"),
                 ["sync", "--catch-up"]),
                (_("What is posted"), ["status"]),
                (_("Run the same sync again: nothing is posted twice"),
                 ["sync", "--period", "2026-11-16"]),
            ]
            for title, args in steps:
                code = _run(ctx, title, args)
                if code != 0:
                    raise typer.Exit(code)
            _show_landed(app, server)
    finally:
        _leave(app, home, keep)


def _leave(app: AppContext, home: Path, keep: bool) -> None:
    if keep:
        from rich.markup import escape

        from alegra_sync.i18n import _

        app.info(escape(_("demo home kept at {home}").format(home=home)))
    else:
        shutil.rmtree(home, ignore_errors=True)


def _firm_demo(ctx: typer.Context, home: Path, server: SandboxServer) -> None:
    """A firm home with three companies, each its own sandbox company: connect each, then one
    `sync --all-companies`, the portfolio, and the same run again."""
    from alegra_sync.i18n import _

    app: AppContext = ctx.obj
    (home / "config.toml").write_text(DEMO_CONFIG, encoding="utf-8")  # the firm's defaults
    app.info(_("[bold]alegra-sync demo --firm[/] — sandbox of {count} companies at {url}, "
               "firm home {home}\n").format(count=len(FIRM_COMPANIES), url=server.url,
                                            home=home))
    for slug in FIRM_COMPANIES:
        _check(_run(ctx, _("Add the client company {slug} to the firm").format(slug=slug),
                    ["companies", "add", slug]))
    for slug, company in zip(FIRM_COMPANIES, server.companies, strict=True):
        _prepare_home(home / "companies" / slug, config=False)
        os.environ.update({env.USER: company.user, env.TOKEN: company.token})
        try:
            _check(_run(ctx, _("Connect {slug} to its own Alegra account").format(slug=slug),
                        ["--company", slug, "connect"]))
        finally:
            os.environ.pop(env.USER, None)
            os.environ.pop(env.TOKEN, None)
    steps: list[tuple[str, list[str]]] = [
        (_("Post every company's closed quincenas in one run, in parallel"),
         ["sync", "--all-companies", "--catch-up"]),
        (_("The firm's view of its companies, from local files"), ["companies"]),
        (_("Run it again: nothing is posted twice"), ["sync", "--all-companies", "--catch-up"]),
    ]
    for title, args in steps:
        _check(_run(ctx, title, args))


def _check(code: int) -> None:
    if code != 0:
        raise typer.Exit(code)


@contextmanager
def _demo_environment(home: Path, server: SandboxServer, *,
                      credentials: bool = True) -> Iterator[None]:
    """Point every command at the temporary home and the sandbox; restore the environment.
    A firm's companies keep their own credentials: none in the environment then."""
    values = {env.HOME: str(home), env.BASE_URL: server.url, env.TODAY: DEMO_TODAY}
    if credentials:
        values.update({env.USER: server.USER, env.TOKEN: server.TOKEN})
    saved = {name: os.environ.get(name) for name in env.SESSION}
    for name in (env.CONFIG, env.COMPANY, env.USER, env.TOKEN):
        os.environ.pop(name, None)
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _prepare_home(home: Path, *, config: bool = True) -> None:
    from importlib.resources import files

    samples = files("alegra_sync") / "samples"
    exports = home / "exports"
    exports.mkdir(exist_ok=True)
    for name in SAMPLE_EXPORTS:
        (exports / name).write_bytes((samples / name).read_bytes())
    (home / "mapping.toml").write_bytes((samples / "mapping.toml").read_bytes())
    if config:
        (home / "config.toml").write_text(DEMO_CONFIG, encoding="utf-8")


def _run(ctx: typer.Context, title: str, args: list[str]) -> int:
    """Run one real command, in this process, through the root command of this very run."""
    app: AppContext = ctx.obj
    from rich.markup import escape

    app.info(f"[bold cyan]▶ {escape(title)}[/]\n[dim]$ alegra-sync {escape(' '.join(args))}[/]")
    verbosity = ["-q"] if app.quiet else []
    language = ["--lang", i18n.language()]  # this run's, whatever chose it (the home is new)
    root = ctx.find_root().command
    code = root.main(args=[*language, *verbosity, *args], prog_name="alegra-sync",
                     standalone_mode=False)
    app.info("")
    return int(code or 0)


def _show_landed(app: AppContext, server: SandboxServer) -> None:
    from rich.markup import escape
    from rich.table import Table

    from alegra_sync.cli.output import money
    from alegra_sync.i18n import _, ngettext

    dump = server.store.dump()
    table = Table(title=_("What landed in the sandbox's Alegra"), title_justify="left")
    for column in (_("document"), _("Alegra id"), _("date"), _("reference / observations"),
                   _("total")):
        table.add_column(column)
    for journal in dump["journals"]:
        table.add_row("comprobante", journal["id"], journal["date"], journal["reference"],
                      money(_decimal(journal["total"])))
    for payment in dump["payments"]:
        table.add_row("egreso", payment["id"], payment["date"],
                      (payment["observations"] or "").split(" Nómina")[0],
                      money(_decimal(payment["amount"])))
    app.out.print(table)
    counts = dump["requests"]
    journals = ngettext("{n} comprobante", "{n} comprobantes", len(dump["journals"])).format(
        n=len(dump["journals"]))
    payments = ngettext("{n} egreso", "{n} egresos", len(dump["payments"])).format(
        n=len(dump["payments"]))
    app.info(escape(_("{journals} and {payments} for two quincenas; HTTP requests the sandbox "
                      "served: {requests}").format(
        journals=journals, payments=payments,
        requests=", ".join(f"{m} {n}" for m, n in counts.items()))))


def _decimal(value: object) -> Decimal | None:
    return Decimal(str(value)) if value is not None else None
