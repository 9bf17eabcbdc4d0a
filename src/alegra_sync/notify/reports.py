"""The period reports a run writes and its notification attaches (operations.md: "the reports
attached"; approval: staging "writes the period report").

After a sync or an approve (never a dry run), the company's own run writes, under its
``reports/`` folder, the report of each period it **staged** (always: what a person approves)
and of each period it **posted** or replaced (when an e-mail will attach it). They are the same
files `alegra-sync report --period P` writes: a posted period's from the state (no Alegra
call), a staged one's from the plan, marked as not posted. The formats: ``[notify]
attach_report`` — ``true`` is the HTML (operations.md), or a list (``["html", "xlsx"]``).

In a firm, each company's run writes its own (in parallel, with its own Alegra client) and the
firm's digest attaches the files each one wrote in that run: ``folder_marks`` before the run,
``written_since`` after it, so a report left from an earlier run is never taken for this one's.

A report that cannot be written is a warning and a run-log line: it changes neither what was
posted nor the exit code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from alegra_sync.alegra.client import AlegraClient
from alegra_sync.config import Paths, Settings, load_credentials
from alegra_sync.i18n import T, Text
from alegra_sync.notify.message import Attachment
from alegra_sync.report.run import write_reports
from alegra_sync.sync.connection import client_for
from alegra_sync.sync.result import PeriodSelection
from alegra_sync.sync.runlog import RunLog

POSTED = ("posted", "replaced")
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')  # not in a file name on some system


def periods_to_report(document: dict[str, Any]) -> list[tuple[str, str]]:
    """(period, outcome) of the periods a run's --json says it posted, replaced or staged."""
    return [(str(p["period"]), str(p["outcome"])) for p in document.get("periods", [])
            if p.get("outcome") in (*POSTED, "staged")]


def write_run_reports(settings: Settings, paths: Paths, document: dict[str, Any],
                      client_factory: Callable[[], AlegraClient] | None = None,
                      ) -> tuple[list[Path], list[str | Text]]:
    """Write the reports of what the run posted or staged; (the files an e-mail attaches, the
    warnings for those that could not be written). Never raises for a report."""
    attach = settings.notify.report_formats
    files: list[Path] = []
    warnings: list[str | Text] = []
    factory = client_factory or (lambda: client_for(settings, load_credentials(
        paths.credentials)))
    for period, outcome in periods_to_report(document):
        formats = attach if outcome in POSTED else (attach or ["html"])
        if not formats:
            continue
        try:
            run = write_reports(settings, paths, factory,
                                PeriodSelection(period=date.fromisoformat(period)),
                                formats=formats)
        except Exception as exc:  # noqa: BLE001 (a report never changes what a sync did)
            message = str(exc) or type(exc).__name__
            warnings.append(T("{period}: the period report could not be written: {error}",
                              period=period, error=message))
            RunLog(paths.log).note("report", period=period, written=False, error=message)
            continue
        for written in run.reports:
            files += [path for kind, path in written.files.items() if kind in attach]
    return files, warnings


def folder_marks(folder: Path) -> dict[str, tuple[int, int]]:
    """Each file of ``folder`` by name: (inode, mtime in ns). A report is written beside and
    renamed into place, so a rewritten one has another inode."""
    marks: dict[str, tuple[int, int]] = {}
    try:
        entries = list(folder.iterdir())
    except OSError:
        return marks
    for entry in entries:
        try:
            found = entry.stat()
        except OSError:
            continue
        marks[entry.name] = (found.st_ino, found.st_mtime_ns)
    return marks


def written_since(folder: Path, marks: dict[str, tuple[int, int]], periods: Sequence[str],
                  formats: Sequence[str]) -> list[Path]:
    """The reports of ``periods`` in ``folder`` written since ``marks`` were taken."""
    found = []
    for period in periods:
        for kind in formats:
            path = folder / f"{period}.{kind}"
            try:
                now = path.stat()
            except OSError:
                continue
            if marks.get(path.name) != (now.st_ino, now.st_mtime_ns):
                found.append(path)
    return found


def attachments(files: Sequence[Path], company: str | None) -> list[Attachment]:
    """The files as a recipient saves them: ``Demo Nómina S.A.S. 2026-11-01.html`` (in a
    firm's digest every company has a 2026-11-01.html)."""
    label = " ".join(_UNSAFE.sub(" ", company or "").split())
    return [Attachment(path, f"{label} {path.name}" if label else path.name) for path in files]
