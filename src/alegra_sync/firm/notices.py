"""The firm run told in one digest (a section per company, failures first), or one message
per company with ``[notify] per_company = true`` (each with that company's [notify])."""

from __future__ import annotations

from pathlib import Path

from alegra_sync.config import Settings, company_home, load_settings, paths_for, today
from alegra_sync.errors import AlegraSyncError
from alegra_sync.firm.parallel import CompanyRun, FirmRun
from alegra_sync.notify.message import CompanyNotice, Notice
from alegra_sync.notify.notices import company_notice, log_failures, password_files
from alegra_sync.notify.send import deliver
from alegra_sync.sync.runlog import RunLog

FIRM_LOG = "alegra-sync.log"  # the firm's own run log, beside companies/


def notify_firm_run(firm: Path, settings: Settings, run: FirmRun, flags: list[str]) -> list[str]:
    """Send the firm run's notification(s); the warnings for what could not be sent."""
    log = RunLog(firm / FIRM_LOG)
    log.note("firm-run", command=run.command, arguments=flags, status=run.status,
             exit_code=run.exit_code, seconds=round(run.seconds, 3),
             companies=[{"company": c.company, "exit_code": c.exit_code,
                         "status": c.result.get("status")} for c in run.companies])
    if "--dry-run" in flags:
        return []
    warnings: list[str] = []
    if settings.notify.per_company:
        for company in run.companies:
            warnings += _notify_one(firm, company)
        return warnings
    if not settings.notify.configured:
        return []
    notices = [_company_notice(firm, company, settings) for company in run.companies]
    notice = Notice(run.command, notices, run.to_json(), today(),
                    settings.sync.remind_after_days)
    failures = deliver(notice, settings.notify, [firm / "credentials.toml"])
    log_failures(log, failures)
    return [failure.line() for failure in failures]


def _company_notice(firm: Path, run: CompanyRun, settings: Settings) -> CompanyNotice:
    home = company_home(firm, run.company)
    try:
        own = load_settings(home=home, config_variable=False)
    except AlegraSyncError:
        own = settings  # its config is broken: its run failed with that already
    notice = company_notice(paths_for(own, home), home, run.result, run.exit_code, own)
    notice.name, notice.nit = run.name or notice.name, run.nit or notice.nit
    return notice


def _notify_one(firm: Path, run: CompanyRun) -> list[str]:
    home = company_home(firm, run.company)
    try:
        own = load_settings(home=home, config_variable=False)
    except AlegraSyncError as exc:
        return [str(exc)]
    if not own.notify.configured:
        return []
    paths = paths_for(own, home)
    notice = Notice("sync", [company_notice(paths, home, run.result, run.exit_code, own)],
                    run.to_json(), today(), own.sync.remind_after_days)
    failures = deliver(notice, own.notify, password_files(paths, home))
    log_failures(RunLog(paths.log), failures)
    return [f"{run.company}: {failure.line()}" for failure in failures]
