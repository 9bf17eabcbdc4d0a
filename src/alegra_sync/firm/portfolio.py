"""The contador's morning view: one row per company of the firm, from local files only.

No Alegra call and no export opened: each row comes from the company's state database (read
at a glance, sync/snapshot.py: also each posted period's last verify), its settings and the
names of the files in its export folder, so a hundred companies take a fraction of a second.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from alegra_sync.config import (
    Home,
    Settings,
    company_home,
    export_folder,
    firm_slugs,
    load_settings,
    paths_for,
)
from alegra_sync.errors import AlegraSyncError
from alegra_sync.payroll.filenames import dates_in_filename, period_from_filename
from alegra_sync.periods import Period, period_due, period_starting
from alegra_sync.sync.snapshot import Snapshot, read_snapshot

JSON_VERSION = 1
VERIFY_WORST = ("drift", "unknown", "match")  # a company's last verify: its worst period's


@dataclass
class CompanyRow:
    slug: str
    snapshot: Snapshot
    next_due: Period | None = None
    export: Path | None = None  # the next period's export, found by its file name
    error: str | None = None  # its settings or state could not be read

    def to_json(self) -> dict[str, Any]:
        snap = self.snapshot
        run = snap.last_run
        return {
            "company": self.slug,
            "name": snap.company.name if snap.company else None,
            "nit": snap.company.identification if snap.company else None,
            "last_run": None if run is None else {
                "started_at": run.started_at, "finished_at": run.finished_at,
                "status": run.status, "exit_code": run.exit_code},
            "last_posted": snap.last_posted,
            "failed": snap.failed,
            "uncertain": snap.uncertain,
            "staged": [{"period": p, "since": since} for p, since in snap.staged.items()],
            "next_due": None if self.next_due is None else {
                "period": self.next_due.name, "end": self.next_due.end.isoformat(),
                "export": str(self.export) if self.export else None},
            "verify": self.verify_json(),
            "error": self.error or snap.error,
        }

    def verify_json(self) -> dict[str, Any] | None:
        """The last verify of each posted period, summed up: its latest time, the worst
        result (drift, then unknown, then match), the periods that differ or could not be
        read; None when no posted period was verified since it was posted."""
        snap = self.snapshot
        if not snap.verified:
            return None
        results = {period: result for period, (_at, result) in snap.verified.items()}
        worst = next((r for r in VERIFY_WORST if r in results.values()), "match")
        return {"at": max(at for at, _result in snap.verified.values()), "result": worst,
                "drift": sorted(p for p, r in results.items() if r == "drift"),
                "unknown": sorted(p for p, r in results.items() if r == "unknown"),
                "verified": len(results),
                "not_verified": len(set(snap.posted) - set(results))}


def portfolio(firm: Path, today: date) -> list[CompanyRow]:
    """Every company of the firm home, in slug order."""
    settings: dict[bytes, Settings] = {}  # most companies' config.toml say the same
    return [company_row(firm, slug, today, settings) for slug in firm_slugs(firm) or []]


def portfolio_json(rows: list[CompanyRow]) -> dict[str, Any]:
    return {"version": JSON_VERSION, "command": "companies",
            "companies": [row.to_json() for row in rows]}


def company_row(firm: Path, slug: str, today: date,
                settings_cache: dict[bytes, Settings] | None = None) -> CompanyRow:
    home = company_home(firm, slug)
    row = CompanyRow(slug, read_snapshot(home.state / "state.sqlite3"))
    try:
        settings = _settings(home, {} if settings_cache is None else settings_cache)
    except AlegraSyncError as exc:
        row.error = str(exc)
        return row
    frequency = settings.payroll.frequency
    due = period_due(today, frequency)
    done = set(row.snapshot.posted)
    while due.name in done:  # the period after the last one posted in a row
        due = period_starting(due.end + timedelta(days=1), frequency)
    row.next_due = due
    folder = export_folder(settings, paths_for(settings, home))
    row.export = export_by_name(folder, settings.export.pattern, due)
    return row


def _settings(home: Home, cache: dict[bytes, Settings]) -> Settings:
    """The company's settings; one load per distinct config.toml (the rest of what they
    come from, the firm's file and the environment, is the same for every company)."""
    try:
        own = (home.folder / "config.toml").read_bytes()
    except OSError:
        own = b""
    if own not in cache:
        cache[own] = load_settings(home=home, config_variable=False)
    return cache[own]


def export_by_name(folder: Path, pattern: str, period: Period) -> Path | None:
    """The newest file of ``folder`` whose name gives ``period`` (as `sync` finds it by
    name); an undated export is not opened here."""
    if not folder.is_dir():
        return None
    wanted = (period.start, period.end)
    found = [path for path in folder.glob(pattern)
             if path.is_file() and not path.name.startswith(("~$", "."))
             and (period_from_filename(path.name) == wanted
                  or dates_in_filename(path.name) == [period.start])]
    return max(found, key=lambda p: (os.stat(p).st_mtime_ns, p.name)) if found else None
