"""`sync`, `verify` and `report` with `--all-companies`: the command over every company of the
firm, its summary table and its --json document (operations.md).

The three share the run (firm/parallel.py), the --json document, the exit code rule (the
first failing company's, in slug order), `-q` (only the failing companies' error lines) and
the table's frame: company first, the outcome with its exit code, the error line last. What
lies between is each command's (a ``View``): sync's periods and Alegra ids, verify's result
counts, report's files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from alegra_sync.i18n import N_

if TYPE_CHECKING:
    from alegra_sync.cli.context import AppContext
    from alegra_sync.cli.output import Column
    from alegra_sync.firm.parallel import CompanyRun, FirmRun

AllCompaniesOption = Annotated[
    bool, typer.Option("--all-companies",
                       help=N_("In a firm home: every company, in parallel "
                               "(firm.parallel at a time)."))
]


def command_flags(given: dict[str, date | str | None], switches: dict[str, bool]) -> list[str]:
    """The flags each company's run gets, as the person gave them."""
    return [*(f"{name}={value}" for name, value in given.items() if value is not None),
            *(name for name, on in switches.items() if on)]


def sync_all_companies(app: AppContext, flags: list[str], as_json: bool) -> int:
    return run_over_companies(app, SYNC_VIEW, flags, as_json)


def run_over_companies(app: AppContext, view: View, flags: list[str], as_json: bool) -> int:
    """Runs `COMMAND --json FLAGS` for every company; renders; the firm run's exit code.

    ``app.firm`` refuses a home that is not a firm's (78) and ``--company`` (2) first."""
    from alegra_sync.firm.parallel import run_all_companies
    from alegra_sync.i18n import _, language

    firm = app.firm
    settings = app.firm_settings

    def finished(run: CompanyRun) -> None:
        if run.failed:
            return  # said with the summary: -q prints failures once
        app.info(_("{company}: {status} in {seconds:.1f} s").format(
            company=run.company, status=view.status(run), seconds=run.seconds))

    marks = None
    if view.notifies:
        from alegra_sync.firm.notices import report_marks

        marks = report_marks(firm)  # which reports this run writes, to attach them
    run = run_all_companies(firm, [view.command, "--json", *flags],
                            parallel=settings.firm.parallel, language=language(),
                            on_done=finished)
    if view.notifies:
        from alegra_sync.firm.notices import notify_firm_run

        for warning in notify_firm_run(firm, settings, run, flags, marks):
            app.warn(warning)
    if as_json:
        app.json(run.to_json())
    else:
        print_firm_run(app, run, view)
    for company in run.companies:
        if company.failed:
            app.error(f"{company.company}: {said(company) or view.failure(company)}")
    return run.exit_code


# --- the table ---------------------------------------------------------------------------


@dataclass(frozen=True)
class View:
    """What a command's summary shows between the company and the error line (sync's here,
    verify's and report's in their modules)."""

    command: str
    columns: Callable[[], list[Column | str]]
    cells: Callable[[CompanyRun, str], list[str]]  # (the run, its outcome cell)
    status: Callable[[CompanyRun], str]  # the outcome in words
    failure: Callable[[CompanyRun], str]  # a failing company's one error line
    note: Callable[[FirmRun], str | None] = lambda _run: None  # a line under the count
    notifies: bool = False  # sync: the digest of [notify] (operations.md); verify, report: none


def print_firm_run(app: AppContext, run: FirmRun, view: View) -> None:
    """The summary table: company, the command's columns, the error line; then a count."""
    if app.quiet:
        return
    from rich.markup import escape

    from alegra_sync.cli.output import Column, table
    from alegra_sync.i18n import _

    if not run.companies:
        app.info(_("no companies yet: `alegra-sync companies add SLUG` adds one"))
        return
    shown = table([Column(_("company"), "code"), *view.columns(), Column(_("error"), "name")],
                  _("{command} over {count} companies").format(command=run.command,
                                                               count=len(run.companies)))
    for company in run.companies:
        style = "red" if company.failed else "green"
        outcome = f"[{style}]{escape(view.status(company))} ({company.exit_code})[/]"
        error = (said(company) or view.failure(company)) if company.failed else ""
        shown.add_row(company.company, *view.cells(company, outcome), escape(error))
    app.out.print(shown)
    failed = sum(1 for c in run.companies if c.failed)
    app.info(_("{count} companies in {seconds:.1f} s: {ok} without errors, {failed} "
               "failed").format(count=len(run.companies), seconds=run.seconds,
                                ok=len(run.companies) - failed, failed=failed))
    note = view.note(run)
    if note:
        app.info(escape(note))


def result_periods(result: dict[str, Any]) -> list[dict[str, Any]]:
    periods: list[dict[str, Any]] = result.get("periods") or []
    return periods


def period_names(company: CompanyRun) -> str:
    return ", ".join(p["period"] for p in result_periods(company.result)) or "—"


def said(company: CompanyRun) -> str | None:
    """The company's last error line as its own run printed it, in the reader's language (the
    run's --json document, and so the firm's, keeps its messages in English)."""
    from alegra_sync.i18n import _

    prefix = _("error:")
    lines = [line.strip() for line in company.stderr.splitlines()
             if line.strip().startswith(prefix)]
    return lines[-1].removeprefix(prefix).strip() if lines else None


def run_error(company: CompanyRun) -> str | None:
    error = company.result.get("error")
    return str(error["message"]) if error else None


def exit_words(company: CompanyRun) -> str:
    from alegra_sync.i18n import _

    return _("exit {code}").format(code=company.exit_code)


# sync: periods, outcome, Alegra ids


def _sync_columns() -> list[Column | str]:
    from alegra_sync.cli.output import Column
    from alegra_sync.i18n import _

    return [Column(_("periods"), "code"), _("outcome"), Column(_("Alegra ids"), "code")]


def _sync_cells(company: CompanyRun, outcome: str) -> list[str]:
    periods = result_periods(company.result)
    ids = [*(i for p in periods for i in p.get("journal_ids", [])),
           *(i for p in periods for i in p.get("payment_ids", []))]
    return [period_names(company), outcome, ", ".join(ids) or "—"]


def _sync_status(company: CompanyRun) -> str:
    from alegra_sync.notify.message import outcome_words

    result = company.result
    outcomes = sorted({p["outcome"] for p in result_periods(result)}) or [result.get("status", "")]
    return ", ".join(outcome_words(str(o)) for o in outcomes)


def _sync_failure(company: CompanyRun) -> str:
    found = run_error(company)
    if found:
        return found
    for period in result_periods(company.result):
        if period.get("error"):
            return str(period["error"]["message"])
    return exit_words(company)


SYNC_VIEW = View("sync", _sync_columns, _sync_cells, _sync_status, _sync_failure,
                 notifies=True)
