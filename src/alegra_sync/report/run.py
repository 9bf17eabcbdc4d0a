"""`report`: write each selected period's report as HTML and XLSX under ``--out``.

One report per period (``<out>/<period>.html``, ``<out>/<period>.xlsx``) and, for a range, an
index page linking them. Files appear whole or not at all (written beside, then renamed).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import partial
from html import escape
from pathlib import Path
from typing import Any, Literal

from alegra_sync._files import write_atomic
from alegra_sync.alegra.client import AlegraClient
from alegra_sync.config import Paths, Settings, today
from alegra_sync.errors import AlegraSyncError, ConfigError, NoExportError
from alegra_sync.i18n import _, language
from alegra_sync.periods import Period, period_due, period_starting, periods_between
from alegra_sync.report.html import html_chunks
from alegra_sync.report.model import PeriodReport, build_report
from alegra_sync.report.source import load_source
from alegra_sync.report.xlsx import write_xlsx
from alegra_sync.sync.result import PeriodSelection

Format = Literal["html", "xlsx"]
FORMATS: tuple[Format, ...] = ("html", "xlsx")
JSON_VERSION = 1
REPORTS_FOLDER = "reports"  # in the (company) home, unless --out says otherwise


@dataclass
class WrittenReport:
    report: PeriodReport
    files: dict[str, Path]
    end: date | None = None

    def to_json(self) -> dict[str, Any]:
        report = self.report
        checks = report.checks
        return {
            "period": report.name,
            "end": self.end.isoformat() if self.end else None,
            "state": report.json_state,
            "totals": {key: _json_value(value) for key, value in report.amounts.items()},
            "checks": {"ok": sum(1 for c in checks if c.ok is True),
                       "failed": sum(1 for c in checks if c.ok is False),
                       "not_checked": sum(1 for c in checks if c.ok is None),
                       "failed_checks": [c.key for c in checks if c.ok is False]},
            "files": {kind: str(path) for kind, path in self.files.items()},
        }


@dataclass
class ReportRun:
    out: Path
    reports: list[WrittenReport] = field(default_factory=list)
    index: Path | None = None
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """`report --json` (README): per period its state, totals, checks and files."""
        return {"version": JSON_VERSION, "command": "report", "status": "success",
                "out": str(self.out), "periods": [w.to_json() for w in self.reports],
                "index": str(self.index) if self.index else None,
                "warnings": self.warnings, "error": None}


def error_json(error: AlegraSyncError, out: Path | None = None) -> dict[str, Any]:
    """The --json document of a report that could not be written (its one line, its code)."""
    return {"version": JSON_VERSION, "command": "report", "status": "error",
            "out": str(out) if out else None, "periods": [], "index": None, "warnings": [],
            "error": {"code": int(error.exit_code), "message": str(error)}}


def _json_value(value: object) -> object:
    """Money as the exact decimal string (as sync's --json gives it), counts as numbers."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def default_out(paths: Paths) -> Path:
    return paths.home / REPORTS_FOLDER


def write_reports(settings: Settings, paths: Paths, client_factory: Callable[[], AlegraClient],
                  selection: PeriodSelection, *, formats: Iterable[Format] = FORMATS,
                  out: Path | None = None, with_verify: bool = False) -> ReportRun:
    folder = out or default_out(paths)
    wanted = [f for f in FORMATS if f in set(formats)]
    periods, is_range = _periods(selection, settings)
    _ready(folder)
    run = ReportRun(folder)
    generated = datetime.now(UTC).astimezone().isoformat(timespec="minutes")
    for period in periods:
        try:
            source = load_source(settings, paths, period, client_factory,
                                 with_verify=with_verify)
        except NoExportError as exc:
            if not is_range:
                raise
            run.warnings.append(exc.message)
            continue
        report = build_report(source)
        files: dict[str, Path] = {}
        for kind in wanted:
            target = folder / f"{period.name}.{kind}"
            _write(target, partial(_render, report, kind, generated=generated))
            files[kind] = target
        run.reports.append(WrittenReport(report, files, period.end))
    if is_range and not run.reports:
        raise NoExportError(_("no period of the range is posted or has an export"),
                            hint=_("check the range, the export folder, or alegra-sync status"))
    if is_range and "html" in wanted:
        run.index = folder / "index.html"
        _write(run.index, lambda path: write_atomic(path, _index(run, generated)))
    return run


def _periods(selection: PeriodSelection, settings: Settings) -> tuple[list[Period], bool]:
    frequency = settings.payroll.frequency
    if selection.period is not None:
        try:
            return [period_starting(selection.period, frequency)], False
        except ValueError as exc:
            raise ConfigError(f"--period: {exc}") from None
    if selection.first is not None or selection.last is not None:
        due = period_due(today(), frequency)
        first: date = selection.first or due.start
        last: date = selection.last or due.end
        return periods_between(first, last, frequency), True
    return [period_due(today(), frequency)], False


def _ready(folder: Path) -> None:
    """The output folder exists and takes files, or one line naming it (78)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".alegra-sync-"):
            pass
    except OSError as exc:
        raise ConfigError(
            _("{folder}: cannot write the report there ({reason})").format(
                folder=folder, reason=exc.strerror or exc),
            hint=_("choose another folder with --out, or check its permissions")) from None


def _write(target: Path, make: Callable[[Path], None]) -> None:
    try:
        make(target)
    except OSError as exc:
        raise ConfigError(
            _("{path}: cannot write the report ({reason})").format(
                path=target, reason=exc.strerror or exc),
            hint=_("choose another folder with --out, or check its permissions")) from None


def _render(report: PeriodReport, kind: str, target: Path, *, generated: str) -> None:
    """Written beside the target, then renamed: a reader never sees half a report."""
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                     suffix=".tmp")
    os.close(fd)
    try:
        if kind == "html":
            with open(temporary, "w", encoding="utf-8") as handle:
                for chunk in html_chunks(report, generated=generated):
                    handle.write(chunk)
        else:
            write_xlsx(report, Path(temporary), generated=generated)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _index(run: ReportRun, generated: str) -> str:
    rows = []
    for written in run.reports:
        report = written.report
        links = " · ".join(f'<a href="{escape(path.name)}">{kind.upper()}</a>'
                           for kind, path in written.files.items())
        rows.append(f"<tr><td>{escape(report.name)}</td><td>{escape(report.title)}</td>"
                    f"<td>{escape(report.state)}</td><td>{links}</td></tr>")
    title = _("Payroll reports")
    span = f"{run.reports[0].report.name} – {run.reports[-1].report.name}"
    return (f'<!DOCTYPE html><html lang="{language()}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>body{{font:14px/1.45 system-ui,Arial,"
            "sans-serif;margin:16px;color:#1d2430}table{border-collapse:collapse}"
            "td,th{padding:4px 10px;border-bottom:1px solid #d5dae1;text-align:left}"
            f"</style></head><body><h1>{escape(title)}</h1><p>{escape(span)} · "
            f"{escape(run.reports[0].report.company)} · {escape(generated)}</p>"
            f"<table><thead><tr><th>{escape(_('Period'))}</th><th>{escape(_('Report'))}</th>"
            f"<th>{escape(_('State'))}</th><th>{escape(_('Files'))}</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table></body></html>\n")
