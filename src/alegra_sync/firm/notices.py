"""The firm run told in one digest (a section per company, failures first), or one message
per company with ``[notify] per_company = true`` (each with that company's [notify]).

Each company's own run wrote the reports of what it posted or staged (notify/reports.py); the
digest attaches those it wrote in this run, told from the files' marks taken before it."""

from __future__ import annotations

from pathlib import Path

from alegra_sync.config import (
    NotifySettings,
    Settings,
    company_home,
    firm_slugs,
    load_settings,
    paths_for,
    today,
)
from alegra_sync.errors import AlegraSyncError
from alegra_sync.firm.parallel import CompanyRun, FirmRun
from alegra_sync.notify.message import CompanyNotice, Notice
from alegra_sync.notify.notices import company_notice, log_failures, password_files
from alegra_sync.notify.reports import folder_marks, periods_to_report, written_since
from alegra_sync.notify.send import deliver
from alegra_sync.report.run import REPORTS_FOLDER, default_out
from alegra_sync.sync.runlog import RunLog

FIRM_LOG = "alegra-sync.log"  # the firm's own run log, beside companies/

Marks = dict[str, dict[str, tuple[int, int]]]  # slug -> its reports/ files' marks


def report_marks(firm: Path) -> Marks:
    """Before a firm run: each company's reports/ as it is, to tell what the run writes."""
    return {slug: folder_marks(company_home(firm, slug).folder / REPORTS_FOLDER)
            for slug in firm_slugs(firm) or []}


def notify_firm_run(firm: Path, settings: Settings, run: FirmRun, flags: list[str],
                    marks: Marks | None = None) -> list[str]:
    """Send the firm run's notification(s); the warnings for what could not be sent."""
    log = RunLog(firm / FIRM_LOG)
    log.note("firm-run", command=run.command, arguments=flags, status=run.status,
             exit_code=run.exit_code, seconds=round(run.seconds, 3),
             companies=[{"company": c.company, "exit_code": c.exit_code,
                         "status": c.result.get("status")} for c in run.companies])
    if "--dry-run" in flags:
        return []
    warnings: list[str] = []
    marks = marks or {}
    if settings.notify.per_company:
        for company in run.companies:
            warnings += _notify_one(firm, company, marks.get(company.company, {}))
        return warnings
    if not settings.notify.configured:
        return []
    notices = [_company_notice(firm, company, settings, marks.get(company.company, {}))
               for company in run.companies]
    notice = Notice(run.command, notices, run.to_json(), today(),
                    settings.sync.remind_after_days)
    failures = deliver(notice, settings.notify, [firm / "credentials.toml"])
    log_failures(log, failures)
    return [failure.line() for failure in failures]


def _written(run: CompanyRun, folder: Path, marks: dict[str, tuple[int, int]],
             notify: NotifySettings) -> list[Path]:
    """The reports the company's run wrote of the periods it posted or staged, in the
    formats the message attaches."""
    periods = [period for period, _outcome in periods_to_report(run.result)]
    return written_since(folder, marks, periods, notify.report_formats)


def _company_notice(firm: Path, run: CompanyRun, settings: Settings,
                    marks: dict[str, tuple[int, int]]) -> CompanyNotice:
    home = company_home(firm, run.company)
    try:
        own = load_settings(home=home, config_variable=False)
    except AlegraSyncError:
        own = settings  # its config is broken: its run failed with that already
    paths = paths_for(own, home)
    notice = company_notice(paths, home, run.result, run.exit_code,
                            _written(run, default_out(paths), marks, settings.notify))
    notice.name, notice.nit = run.name or notice.name, run.nit or notice.nit
    return notice


def _notify_one(firm: Path, run: CompanyRun, marks: dict[str, tuple[int, int]]) -> list[str]:
    home = company_home(firm, run.company)
    try:
        own = load_settings(home=home, config_variable=False)
    except AlegraSyncError as exc:
        return [str(exc)]
    if not own.notify.configured:
        return []
    paths = paths_for(own, home)
    reports = _written(run, default_out(paths), marks, own.notify)
    notice = Notice("sync", [company_notice(paths, home, run.result, run.exit_code, reports)],
                    run.to_json(), today(), own.sync.remind_after_days)
    failures = deliver(notice, own.notify, password_files(paths, home))
    log_failures(RunLog(paths.log), failures)
    return [f"{run.company}: {failure.line()}" for failure in failures]
