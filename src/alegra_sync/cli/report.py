"""`alegra-sync report`: the accountant's period report, as HTML and XLSX."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from alegra_sync.cli.firm_run import AllCompaniesOption
from alegra_sync.cli.help import Examples
from alegra_sync.cli.options import FromOption, JsonOption, PeriodOption, ToOption
from alegra_sync.i18n import N_

if TYPE_CHECKING:
    from alegra_sync.cli.context import AppContext
    from alegra_sync.cli.firm_run import View
    from alegra_sync.cli.output import Column
    from alegra_sync.firm.parallel import CompanyRun, FirmRun
    from alegra_sync.report.run import ReportRun

HELP = N_(
    "Write the period report an accountant files: summary, comprobante, by account, by "
    "tercero, by cost center, employees, payable to entities and checks.\n\n"
    "A posted period's report comes from the local state (no Alegra call, no export needed); "
    "a period not posted yet is reported from its export as a simulation, marked so on every "
    "page. Default folder: reports/ in the home."
)
EXAMPLES = Examples(
    ("alegra-sync report --period 2026-11-01 --open",
     N_("Writes Nov 1–15, 2026 as HTML and XLSX and opens the HTML.")),
    ("alegra-sync report --from 2026-01-01 --to 2026-06-30 --format xlsx",
     N_("One workbook per quincena of the first half of 2026.")),
    ("alegra-sync report --all-companies --period 2026-11-01",
     N_("In a firm home: each company's report, in its own reports/ folder.")),
)


def _formats(value: str) -> list[str]:
    chosen = [part.strip().lower() for part in value.split(",") if part.strip()]
    wrong = [part for part in chosen if part not in ("html", "xlsx")]
    if wrong or not chosen:
        raise typer.BadParameter(f"{value!r}: use html, xlsx or html,xlsx")
    return chosen


def report_command(
    ctx: typer.Context,
    period: PeriodOption = None,
    from_: FromOption = None,
    to: ToOption = None,
    formats: Annotated[
        str, typer.Option("--format", metavar=N_("FORMATS"),
                          help=N_("Which files to write: html, xlsx or both."))
    ] = "html,xlsx",
    out: Annotated[
        Path | None, typer.Option("--out", file_okay=False, metavar=N_("DIR"),
                                  help=N_("Folder of the reports (default: reports/ in the "
                                          "home)."))
    ] = None,
    with_verify: Annotated[
        bool, typer.Option("--verify", help=N_("Add each document's verify result (reads "
                                               "Alegra)."))
    ] = False,
    open_: Annotated[
        bool, typer.Option("--open", help=N_("Open the HTML with the desktop's opener."))
    ] = False,
    as_json: JsonOption = False,
    all_companies: AllCompaniesOption = False,
) -> None:
    app: AppContext = ctx.obj
    if period is not None and (from_ is not None or to is not None):
        raise typer.BadParameter("use either --period or --from/--to")
    chosen = _formats(formats)
    if all_companies:
        _refuse_for_all(out=out, open_=open_)
        from alegra_sync.cli.firm_run import command_flags, run_over_companies

        flags = command_flags({"--period": period, "--from": from_, "--to": to,
                               "--format": ",".join(chosen)}, {"--verify": with_verify})
        raise typer.Exit(run_over_companies(app, firm_view(), flags, as_json))
    from alegra_sync.errors import AlegraSyncError
    from alegra_sync.report.run import error_json, write_reports
    from alegra_sync.sync.result import PeriodSelection

    try:
        run = write_reports(app.settings, app.paths, app.client,
                            PeriodSelection(period=period, first=from_, last=to),
                            formats=chosen,  # type: ignore[arg-type]
                            out=out, with_verify=with_verify)
    except AlegraSyncError as exc:
        if as_json:  # the document says what failed; the error's line goes to stderr too
            app.json(error_json(exc, out))
        raise
    if as_json:
        for warning in run.warnings:
            app.warn(warning)
        app.json(run.to_json())
    else:
        print_summary(app, run)
    if open_:
        _open(app, run)


def _refuse_for_all(*, out: Path | None, open_: bool) -> None:
    """Flags that name one company's files: each company writes in its own reports/."""
    from alegra_sync.i18n import _

    if out is not None:
        raise typer.BadParameter(_("--out names one folder: with --all-companies each company "
                                   "writes in its own reports/ folder"), param_hint="--out")
    if open_:
        raise typer.BadParameter(_("--open opens one report: not with --all-companies"),
                                 param_hint="--open")


def print_summary(app: AppContext, run: ReportRun) -> None:
    """Readable at 80 columns: a few lines per period, then where the files are."""
    from rich.markup import escape

    from alegra_sync.i18n import _

    for warning in run.warnings:
        app.warn(warning)
    for written in run.reports:
        report = written.report
        style = "bold red" if report.simulated else "green"
        app.out.print(f"[bold]{escape(report.title)}[/] — [{style}]{escape(report.state)}[/]")
        app.out.print(f"  {escape(report.company)}")
        for label, value in report.totals:
            app.out.print(f"  {escape(label)}: {escape(_value(value, report.precision))}")
        bad = [c for c in report.checks if c.ok is False]
        app.out.print("  " + escape(_("checks: {good} ✓, {bad} ✗").format(
            good=sum(1 for c in report.checks if c.ok), bad=len(bad))))
        for check in bad:
            app.out.print(f"    ✗ {escape(check.label)}: {escape(check.detail)}")
        for kind, path in written.files.items():
            app.out.print(f"  {kind.upper()}: {escape(str(path))}")
    if run.index is not None:
        app.out.print(escape(_("Index: {path}").format(path=run.index)))


def _value(value: object, precision: int) -> str:
    from decimal import Decimal

    from alegra_sync.report.model import money_text

    if isinstance(value, Decimal):
        return money_text(value, precision)
    return "" if value is None else str(value)


def _open(app: AppContext, run: ReportRun) -> None:
    """The desktop's opener (xdg-open, open, os.startfile); says so when there is none."""
    from alegra_sync.i18n import _

    target = run.index or next((w.files["html"] for w in run.reports if "html" in w.files),
                               None)
    if target is None:
        app.warn(_("--open opens the HTML report: add html to --format"))
        return
    if sys.platform.startswith("win"):
        os.startfile(target)  # type: ignore[attr-defined]  # noqa: S606 (Windows only)
        return
    opener = "open" if sys.platform == "darwin" else "xdg-open"
    if shutil.which(opener) is None:
        app.warn(_("no desktop opener ({opener}) on this machine: open {path} in a browser")
                 .format(opener=opener, path=target))
        return
    subprocess.Popen([opener, str(target)], stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL, start_new_session=True)
    app.info(_("opened {path}").format(path=target))


# --- report --all-companies: a company's row of the firm's summary ---------------------------


def firm_view() -> View:
    from alegra_sync.cli.firm_run import View

    return View("report", _firm_columns, _firm_cells, _firm_status, _firm_failure, _firm_note)


def _firm_columns() -> list[Column | str]:
    from alegra_sync.i18n import _

    # text, not code: several periods and files wrap at their commas within 80 columns
    return [_("periods"), _("files written"), _("outcome")]


def state_words(state: str) -> str:
    """A report's state as --json names it (posted, staged, simulation), in words."""
    from alegra_sync.i18n import _, pgettext

    return {"posted": _("posted"), "simulation": _("simulation"),
            "staged": pgettext("state", "staged")}.get(state, state)


def _firm_cells(company: CompanyRun, outcome: str) -> list[str]:
    from rich.markup import escape

    from alegra_sync.cli.firm_run import result_periods

    periods = result_periods(company.result)
    names = ", ".join(f"{p['period']} ({state_words(str(p.get('state')))})" for p in periods)
    files = [Path(path) for p in periods for path in (p.get("files") or {}).values()]
    if company.result.get("index"):
        files.append(Path(company.result["index"]))
    shown = ", ".join(path.name for path in files)  # the folder is said under the table
    return [escape(names) or "—", escape(shown) or "—", outcome]


def _firm_status(company: CompanyRun) -> str:
    from alegra_sync.i18n import _
    from alegra_sync.notify.message import outcome_words

    status = str(company.result.get("status", ""))
    return _("written") if status == "success" else outcome_words(status)


def _firm_failure(company: CompanyRun) -> str:
    from alegra_sync.cli.firm_run import exit_words, run_error

    return run_error(company) or exit_words(company)


def _firm_note(run: FirmRun) -> str | None:
    from alegra_sync.config import COMPANIES_FOLDER
    from alegra_sync.i18n import _

    if run.firm is None or not any(c.result.get("periods") for c in run.companies):
        return None
    return _("The files are under each company's folder: {folder}").format(
        folder=run.firm / COMPANIES_FOLDER / "SLUG")
