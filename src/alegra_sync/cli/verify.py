"""`alegra-sync verify`: does Alegra still hold what was posted? (read-only in Alegra)"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from alegra_sync.cli.firm_run import AllCompaniesOption
from alegra_sync.cli.help import Examples
from alegra_sync.cli.options import FromOption, JsonOption, PeriodOption, ToOption
from alegra_sync.i18n import N_

if TYPE_CHECKING:
    from collections import Counter

    from alegra_sync.cli.context import AppContext
    from alegra_sync.cli.firm_run import View
    from alegra_sync.cli.output import Column
    from alegra_sync.firm.parallel import CompanyRun
    from alegra_sync.sync.drift import Difference
    from alegra_sync.sync.verify import DocumentCheck, VerifyRun

HELP = N_(
    "Read back from Alegra what was posted and say whether Alegra still holds exactly that.\n\n"
    "Per document: match, missing (deleted), voided, changed (with every line that differs), "
    "duplicate (another document carries its key) or unknown (Alegra could not be read). "
    "Never writes to Alegra. Exit 0 when all match, 65 on any difference, 69/75/77 when "
    "Alegra could not be read."
)
EXAMPLES = Examples(
    ("alegra-sync verify", N_("Every posted period, document by document.")),
    ("alegra-sync sync --period 2026-11-01 --replace",
     N_("After a difference: posts again what Alegra lost or changed.")),
    ("alegra-sync -q verify --all-companies",
     N_("In a firm home: every company, in parallel; prints only failures (cron).")),
)

RESULT_STYLE = {"match": "green", "missing": "bold red", "voided": "bold red",
                "changed": "bold red", "duplicate": "bold yellow", "unknown": "yellow"}


def verify_command(ctx: typer.Context, period: PeriodOption = None, from_: FromOption = None,
                   to: ToOption = None, as_json: JsonOption = False,
                   all_companies: AllCompaniesOption = False) -> None:
    app: AppContext = ctx.obj
    if period is not None and (from_ is not None or to is not None):
        raise typer.BadParameter("use either --period or --from/--to")
    if all_companies:
        from alegra_sync.cli.firm_run import command_flags, run_over_companies

        flags = command_flags({"--period": period, "--from": from_, "--to": to}, {})
        raise typer.Exit(run_over_companies(app, firm_view(), flags, as_json))
    from alegra_sync.sync.result import PeriodSelection
    from alegra_sync.sync.verify import verify

    run = verify(app.settings, app.paths, app.client,
                 PeriodSelection(period=period, first=from_, last=to))
    if as_json:
        app.json(run.to_json())
    else:
        print_verify(app, run)
    if run.error is not None:
        raise run.error
    raise typer.Exit(run.exit_code)


def result_label(result: str) -> str:
    from alegra_sync.i18n import pgettext

    labels = {
        "match": pgettext("verify result", "match"),
        "missing": pgettext("verify result", "missing"),
        "voided": pgettext("verify result", "voided"),
        "changed": pgettext("verify result", "changed"),
        "duplicate": pgettext("verify result", "duplicate"),
        "unknown": pgettext("verify result", "unknown"),
        "drift": pgettext("verify result", "drift"),
    }
    return labels.get(result, result)


def print_verify(app: AppContext, run: VerifyRun) -> None:
    from rich.markup import escape

    from alegra_sync.cli.output import Column, table
    from alegra_sync.i18n import _

    for warning in run.warnings:
        app.warn(warning)
    everything_matches = all(doc.result == "match" for period in run.periods
                             for doc in period.documents)
    if not run.periods or (app.quiet and everything_matches):
        return  # -q for cron: a mail only when something differs
    shown = table([Column(_("document"), "code"), Column(_("Alegra id"), "code"),
                   _("result"), Column(_("detail"), "name")], title=_("Verify"))
    for period in run.periods:
        for doc in period.documents:
            style = RESULT_STYLE.get(doc.result, "")
            shown.add_row(doc.key, doc.alegra_id or "—",
                          f"[{style}]{escape(result_label(doc.result))}[/]",
                          escape(_detail(doc)))
            for difference in doc.differences:
                shown.add_row("", "", "", escape(describe_difference(difference)))
            if doc.copies and doc.result != "duplicate":
                shown.add_row("", "", "", escape(_("Alegra also holds {ids} with the same key")
                                                 .format(ids=", ".join(doc.copies))))
    app.out.print(shown)
    for period in run.periods:
        _summary(app, period.period.name, period.result, period.export_changed)
    if run.status == "drift":
        app.info(_("To bring Alegra back to the export: alegra-sync sync --period PERIOD "
                   "--replace (nothing is posted again without --replace)."))


def _detail(doc: DocumentCheck) -> str:
    from alegra_sync.i18n import _, ngettext

    if doc.result == "match":
        return _("lines read from Alegra at this first verify (posted by an earlier "
                 "version)") if doc.first_reading else ""
    if doc.result == "missing":
        return _("Alegra no longer has it (deleted)")
    if doc.result == "voided":
        return _("voided in Alegra")
    if doc.result == "changed":
        count = len(doc.differences)
        return ngettext("{n} difference with what was posted:",
                        "{n} differences with what was posted:", count).format(n=count)
    if doc.result == "duplicate":
        return _("Alegra also holds {ids} with the same key").format(ids=", ".join(doc.copies))
    return _("Alegra could not be read: {error}").format(error=doc.error) if doc.error \
        else _("Alegra could not be read")


def describe_difference(difference: Difference) -> str:
    """``5053 Sueldos · cost center 1 · Ana Gómez (1001): 1.000.000 → 900.000``."""
    from alegra_sync.cli.output import money
    from alegra_sync.i18n import _

    if difference.what == "date":
        return _("date: {posted} → {now}").format(posted=difference.posted, now=difference.now)
    if difference.what == "bank_account":
        return _("bank account: {posted} → {now}").format(posted=difference.posted,
                                                           now=difference.now or "—")
    parts = [difference.account or difference.account_id or ""]
    if difference.cost_center_id:
        parts.append(_("cost center {name}").format(
            name=difference.cost_center or difference.cost_center_id))
    if difference.tercero:
        who = difference.tercero_name or ""
        parts.append(f"{who} ({difference.tercero})" if who else difference.tercero)

    def side(value: object) -> str:
        if not isinstance(value, tuple):
            return _("no line")
        debit, credit = value
        return _("debit {amount}").format(amount=money(debit)) if debit else \
            _("credit {amount}").format(amount=money(credit))

    return _("{line}: {posted} → {now}").format(line=" · ".join(p for p in parts if p),
                                               posted=side(difference.posted),
                                               now=side(difference.now))


def _summary(app: AppContext, name: str, result: str, export_changed: bool | None) -> None:
    from alegra_sync.i18n import _

    if result == "match":
        app.info(_("{period}: Alegra holds exactly what was posted").format(period=name))
    elif result == "drift":
        app.info(_("{period}: Alegra differs from what was posted").format(period=name))
    else:
        app.info(_("{period}: not verified: Alegra could not be read (never taken as a "
                   "match)").format(period=name))
    if export_changed:
        app.warn(_("{period}: the export in the folder changed since the period was "
                   "posted").format(period=name))


# --- verify --all-companies: a company's row of the firm's summary ---------------------------

# problems first: what the accountant must look at
RESULT_ORDER = ("missing", "voided", "changed", "duplicate", "unknown", "match")


def firm_view() -> View:
    from alegra_sync.cli.firm_run import View

    return View("verify", _firm_columns, _firm_cells, _firm_status, _firm_failure)


def _firm_columns() -> list[Column | str]:
    from alegra_sync.cli.output import Column
    from alegra_sync.i18n import _

    return [Column(_("periods"), "code"), _("results"), _("outcome")]


def _counts(documents: list[dict[str, Any]]) -> Counter[str]:
    from collections import Counter

    return Counter(str(d.get("result")) for d in documents)


def _counted(counts: Counter[str], styled: bool) -> str:
    from rich.markup import escape

    names = [*RESULT_ORDER, *sorted(set(counts) - set(RESULT_ORDER))]
    shown = [f"{result_label(name)} {counts[name]}" for name in names if counts[name]]
    if not styled:
        return ", ".join(shown)
    return ", ".join(f"[{RESULT_STYLE.get(name, '')}]{escape(text)}[/]"
                     for name, text in zip([n for n in names if counts[n]], shown, strict=True))


def _firm_cells(company: CompanyRun, outcome: str) -> list[str]:
    from alegra_sync.cli.firm_run import period_names, result_periods

    documents = [d for p in result_periods(company.result) for d in p.get("documents", [])]
    return [period_names(company), _counted(_counts(documents), styled=True) or "—", outcome]


def _firm_status(company: CompanyRun) -> str:
    from alegra_sync.notify.message import outcome_words

    status = str(company.result.get("status", ""))
    return {"ok": result_label("match"), "drift": result_label("drift")}.get(
        status, outcome_words(status))


def _firm_failure(company: CompanyRun) -> str:
    """The run's error; else the first period that differs, with its counts; else the first
    document Alegra could not give."""
    from alegra_sync.cli.firm_run import exit_words, result_periods, run_error
    from alegra_sync.i18n import _

    periods = result_periods(company.result)
    found = run_error(company)
    if found:
        return found
    for period in periods:
        if period.get("result") == "drift":
            wrong = [d for d in period.get("documents", []) if d.get("result") != "match"]
            return _("{period}: Alegra differs from what was posted ({results})").format(
                period=period["period"], results=_counted(_counts(wrong), styled=False))
    for period in periods:
        for document in period.get("documents", []):
            if document.get("error"):
                return f"{period['period']}: {document['error']}"
    return exit_words(company)
