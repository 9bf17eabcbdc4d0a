"""A single company's run told to the people who asked ([notify]): after `sync` and
`approve`, and `notify --test`.

A company run as part of `sync --all-companies` (ALEGRA_SYNC_FIRM_RUN) tells nobody itself:
the firm's run sends one digest, with the reports each company's run wrote. A dry run tells
nobody and writes no report.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from alegra_sync import env
from alegra_sync.config import Home, Paths, Settings, today
from alegra_sync.i18n import Text
from alegra_sync.notify.message import CompanyNotice, Notice
from alegra_sync.notify.reports import attachments, write_run_reports
from alegra_sync.notify.send import Failure, deliver
from alegra_sync.sync.runlog import RunLog
from alegra_sync.sync.snapshot import read_snapshot


def company_notice(paths: Paths, home: Home | None, document: dict[str, Any], exit_code: int,
                   reports: list[Path] | None = None) -> CompanyNotice:
    """A company's part of a notice: who it is and what is staged, from its state; the
    reports its run wrote, attached."""
    snapshot = read_snapshot(paths.database)
    company = snapshot.company
    slug = home.company if home is not None else None
    name = company.name if company else None
    return CompanyNotice(
        company=slug, name=name, nit=company.identification if company else None,
        exit_code=exit_code, result=document, staged=snapshot.staged,
        attachments=attachments(reports or [], name or slug))


def password_files(paths: Paths, home: Home | None) -> list[Path]:
    """Where the SMTP password may be: the company's credentials.toml, then the firm's."""
    files = [paths.credentials]
    if home is not None and home.firm is not None:
        files.append(home.firm / "credentials.toml")
    return files


def notify_run(settings: Settings, paths: Paths, home: Home | None, document: dict[str, Any],
               exit_code: int, *, command: str = "sync") -> list[str | Text]:
    """After a sync or an approve: write the reports of what it posted or staged, and tell
    about it; the warnings (one line each) for what could not be written or sent."""
    reports, warnings = write_run_reports(settings, paths, document)
    if os.environ.get(env.FIRM_RUN) or not settings.notify.configured:
        return warnings
    notice = Notice(command, [company_notice(paths, home, document, exit_code, reports)],
                    document, today(), settings.sync.remind_after_days)
    failures = deliver(notice, settings.notify, password_files(paths, home))
    log_failures(RunLog(paths.log), failures)
    return [*warnings, *(failure.line() for failure in failures)]


def test_notice(paths: Paths, home: Home | None, settings: Settings) -> Notice:
    """`notify --test`: the company (or the firm) and what it has staged, nothing else."""
    document: dict[str, Any] = {"version": 1, "command": "notify", "test": True}
    companies = [] if home is None and paths.database == paths.home / "state.sqlite3" and \
        not paths.database.exists() else [company_notice(paths, home, {"periods": []}, 0)]
    return Notice("test", companies, document, today(), settings.sync.remind_after_days)


def log_failures(log: RunLog, failures: list[Failure]) -> None:
    for failure in failures:
        log.note("notification", channel=failure.channel, sent=False,
                 exit_code=int(failure.error.exit_code), error=failure.line())
