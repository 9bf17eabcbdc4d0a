"""A company's state read at a glance, for the firm's portfolio and its checks.

Reads the state database directly, with a few queries and no migration, so that the firm can
look at a hundred companies in well under a second and never changes a state it only reads
(a state not migrated yet, or being written by a running sync, is read as it is). A state that
cannot be read is reported in one line, not raised: one company's broken file must not hide
the others.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from alegra_sync.sync.ledger import CompanyRecord

READ_TIMEOUT = 5.0  # seconds to wait for a writer's lock; a sync commits in milliseconds
# documents whose row says they may be in Alegra: what `companies remove` protects
_IN_ALEGRA = ("posted", "uncertain", "posting", "replacing")


@dataclass(frozen=True)
class LastRun:
    started_at: str
    finished_at: str | None  # None: still running, or killed
    arguments: str
    status: str | None
    exit_code: int | None


@dataclass
class Snapshot:
    company: CompanyRecord | None = None
    last_run: LastRun | None = None
    posted: list[str] = field(default_factory=list)  # periods, oldest first
    failed: list[str] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)
    staged: dict[str, str] = field(default_factory=dict)  # period -> staged since (UTC ISO)
    documents_in_alegra: int = 0
    error: str | None = None  # the state could not be read
    # posted period -> (when, match | drift | unknown) of its last verify (schema version 3)
    verified: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def last_posted(self) -> str | None:
        return self.posted[-1] if self.posted else None


def read_snapshot(database: Path) -> Snapshot:
    """The state at ``database`` at a glance; an empty snapshot when there is none yet."""
    if not database.exists():
        return Snapshot()
    try:
        connection = sqlite3.connect(f"file:{database}?mode=rw", uri=True,
                                     timeout=READ_TIMEOUT)
    except sqlite3.Error as exc:
        return Snapshot(error=f"{database}: {exc}")
    try:
        with closing(connection):
            return _read(connection)
    except sqlite3.Error as exc:
        return Snapshot(error=f"{database}: the state database is unreadable ({exc})")


def _read(db: sqlite3.Connection) -> Snapshot:
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    found = Snapshot()
    if "meta" in tables:
        meta = dict(db.execute("SELECT key, value FROM meta WHERE key IN "
                               "('company_identification', 'company_name')").fetchall())
        if "company_name" in meta:
            found.company = CompanyRecord(str(meta.get("company_identification", "")),
                                          str(meta["company_name"]))
    if "runs" in tables:
        row = db.execute("SELECT started_at, finished_at, arguments, status, exit_code FROM runs "
                         "WHERE arguments NOT LIKE '%--dry-run%' ORDER BY id DESC LIMIT 1"
                         ).fetchone()
        if row is not None:
            found.last_run = LastRun(*row)
    if "periods" in tables:
        for period, state in db.execute("SELECT period, state FROM periods ORDER BY period"):
            {"posted": found.posted, "failed": found.failed}.get(state, []).append(period)
    if "documents" in tables:
        marks = ", ".join("?" * len(_IN_ALEGRA))
        found.documents_in_alegra = int(db.execute(
            f"SELECT COUNT(*) FROM documents WHERE status IN ({marks})", _IN_ALEGRA
        ).fetchone()[0])
        found.uncertain = [period for (period,) in db.execute(
            "SELECT DISTINCT period FROM documents WHERE status IN "
            "('uncertain', 'posting', 'replacing') ORDER BY period")]
    if "staged" in tables:
        found.staged = dict(db.execute("SELECT period, staged_at FROM staged ORDER BY period"))
    if "periods" in tables and "verify_result" in _columns(db, "periods"):
        found.verified = {period: (at, result) for period, at, result in db.execute(
            "SELECT period, verified_at, verify_result FROM periods WHERE state = 'posted' "
            "AND verify_result IS NOT NULL ORDER BY period")}
    return found


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {str(row[1]) for row in db.execute(f"PRAGMA table_info({table})")}
