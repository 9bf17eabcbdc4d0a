"""`sync --all-companies`: the run over every company of the firm, its summary table and its
--json document (operations.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from alegra_sync.cli.context import AppContext
    from alegra_sync.firm.parallel import CompanyRun, FirmRun


def sync_all_companies(app: AppContext, flags: list[str], as_json: bool) -> int:
    """Runs `sync --json FLAGS` for every company; renders; the firm run's exit code."""
    from alegra_sync.firm.parallel import run_all_companies
    from alegra_sync.i18n import _, language

    firm = app.firm
    settings = app.firm_settings

    def finished(run: CompanyRun) -> None:
        if run.failed:
            return  # said with the summary: -q prints failures once
        from alegra_sync.notify.message import outcome_words

        app.info(_("{company}: {status} in {seconds:.1f} s").format(
            company=run.company, status=outcome_words(str(run.result.get("status", ""))),
            seconds=run.seconds))

    run = run_all_companies(firm, ["sync", "--json", *flags], parallel=settings.firm.parallel,
                            language=language(), on_done=finished)
    from alegra_sync.firm.notices import notify_firm_run

    for warning in notify_firm_run(firm, settings, run, flags):
        app.warn(warning)
    if as_json:
        app.json(run.to_json())
    else:
        print_firm_run(app, run)
    for company in run.companies:
        if company.failed:
            error = company.result.get("error") or _first_period_error(company.result)
            message = error["message"] if error else _("exit {code}").format(
                code=company.exit_code)
            app.error(f"{company.company}: {message}")
    return run.exit_code


def _first_period_error(result: dict[str, Any]) -> dict[str, Any] | None:
    for period in result.get("periods", []):
        if period.get("error"):
            error: dict[str, Any] = period["error"]
            return error
    return None


def print_firm_run(app: AppContext, run: FirmRun) -> None:
    """The summary table: company, periods, outcome, Alegra ids, the error line."""
    if app.quiet:
        return
    from rich.markup import escape

    from alegra_sync.cli.output import Column, table
    from alegra_sync.i18n import _
    from alegra_sync.notify.message import outcome_words

    if not run.companies:
        app.info(_("no companies yet: `alegra-sync companies add SLUG` adds one"))
        return
    shown = table([Column(_("company"), "code"), Column(_("periods"), "code"), _("outcome"),
                   Column(_("Alegra ids"), "code"), Column(_("error"), "name")],
                  _("sync over {count} companies").format(count=len(run.companies)))
    for company in run.companies:
        result = company.result
        periods = result.get("periods", [])
        outcomes = sorted({p["outcome"] for p in periods}) or [result.get("status", "")]
        style = "red" if company.failed else "green"
        words = ", ".join(outcome_words(o) for o in outcomes)
        outcome = f"[{style}]{escape(words)} ({company.exit_code})[/]"
        ids = [*(i for p in periods for i in p.get("journal_ids", [])),
               *(i for p in periods for i in p.get("payment_ids", []))]
        error = result.get("error") or _first_period_error(result)
        shown.add_row(company.company, ", ".join(p["period"] for p in periods) or "—", outcome,
                      ", ".join(ids) or "—", escape(error["message"]) if error else "")
    app.out.print(shown)
    failed = sum(1 for c in run.companies if c.failed)
    app.info(_("{count} companies in {seconds:.1f} s: {ok} without errors, {failed} "
               "failed").format(count=len(run.companies), seconds=run.seconds,
                                ok=len(run.companies) - failed, failed=failed))
