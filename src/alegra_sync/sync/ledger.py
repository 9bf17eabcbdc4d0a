"""Local state: what was posted, in a SQLite database in the home, and the run lock.

Every change is committed before the next HTTP write (accounting.md, "Posting exactly once"),
so a crash at any point leaves a state the next run can resolve.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Literal

from alegra_sync.errors import ConfigError, TryLaterError

DocumentStatus = Literal["posting", "posted", "uncertain", "replacing", "replaced"]
DocumentKind = Literal["journal", "payment"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,           -- 2026-11-01/J1, 2026-11-01/P1, 2026-11-01/P-<identification>
    period TEXT NOT NULL,        -- the period's start date
    kind TEXT NOT NULL,          -- journal | payment
    hash TEXT NOT NULL,          -- the period's content hash when this document was made
    status TEXT NOT NULL,        -- posting | posted | uncertain | replacing | replaced
    alegra_id TEXT,
    amount TEXT,                 -- journal debit total or egreso amount, exact decimal text
    updated_at TEXT NOT NULL,
    posted_at TEXT,
    UNIQUE (key, hash)
);
CREATE INDEX IF NOT EXISTS documents_period ON documents (period);
CREATE TABLE IF NOT EXISTS periods (
    period TEXT PRIMARY KEY,
    end_date TEXT NOT NULL,
    hash TEXT NOT NULL,
    debit_total TEXT NOT NULL,
    credit_total TEXT NOT NULL,
    net_pay TEXT NOT NULL,
    export TEXT,
    state TEXT NOT NULL,         -- pending | posted | failed | uncertain
    error TEXT,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS contacts (
    kind TEXT NOT NULL,          -- employee | entity
    identification TEXT NOT NULL,
    alegra_id TEXT NOT NULL,
    PRIMARY KEY (kind, identification)
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    pid INTEGER NOT NULL,
    arguments TEXT NOT NULL,
    status TEXT,
    exit_code INTEGER
);
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,        -- company_identification, company_name, replace:<period>
    value TEXT NOT NULL
);
"""


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class DocumentRecord:
    key: str
    period: str
    kind: DocumentKind
    hash: str
    status: DocumentStatus
    alegra_id: str | None
    amount: str | None
    updated_at: str
    posted_at: str | None


@dataclass(frozen=True)
class CompanyRecord:
    """The Alegra company this state belongs to, as `GET /company` named it when recorded."""

    identification: str
    name: str

    def same_as(self, other: CompanyRecord) -> bool:
        """Same NIT; by name only when one side lacks it (Alegra may omit it)."""
        mine, theirs = _nit_key(self.identification), _nit_key(other.identification)
        if mine and theirs:
            return mine == theirs
        return self.name.strip().casefold() == other.name.strip().casefold()

    def __str__(self) -> str:
        return f"{self.name} (NIT {self.identification})" if self.identification else self.name


def _nit_key(identification: str) -> str:
    # "900.123.456" and "900123456" are the same NIT
    return "".join(c for c in identification if c.isalnum()).upper()


@dataclass(frozen=True)
class PeriodRecord:
    period: str
    end_date: str
    hash: str
    debit_total: str
    credit_total: str
    net_pay: str
    export: str | None
    state: str
    error: str | None
    updated_at: str


class Ledger:
    """The state database. Open with ``Ledger.open(path)``; refuses a corrupt file (78)."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path

    @classmethod
    def open(cls, path: Path) -> Ledger:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            connection = sqlite3.connect(path, timeout=30, isolation_level=None)
            connection.row_factory = sqlite3.Row
            check = connection.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise sqlite3.DatabaseError(check)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=FULL")
            connection.executescript(SCHEMA)
        except sqlite3.Error as exc:
            raise ConfigError(
                f"{path}: the state database is unreadable or corrupt ({exc})",
                hint="restore it from a backup, or move it aside: the next sync looks every "
                "document up in Alegra before posting, so nothing is posted twice",
            ) from None
        return cls(connection, path)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the company the state belongs to --------------------------------------------------

    def company(self) -> CompanyRecord | None:
        rows = dict(self._db.execute(
            "SELECT key, value FROM meta WHERE key IN ('company_identification', 'company_name')"
        ).fetchall())
        if "company_name" not in rows:
            return None
        return CompanyRecord(rows.get("company_identification", ""), rows["company_name"])

    def bind_company(self, company: CompanyRecord) -> CompanyRecord:
        """Record ``company`` unless one is recorded already; return the recorded one.

        Never overwrites: a state that belongs to another company stays that company's.
        """
        with self._transaction():
            self._db.executemany(
                "INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)",
                [("company_identification", company.identification),
                 ("company_name", company.name)],
            )
        recorded = self.company()
        assert recorded is not None
        return recorded

    # --- a replace under way ----------------------------------------------------------------

    def replace_target(self, period: str) -> str | None:
        """The content hash a ``--replace`` of ``period`` was started for, until it is done."""
        row = self._db.execute("SELECT value FROM meta WHERE key = ?",
                               (f"replace:{period}",)).fetchone()
        return row[0] if row else None

    def set_replace_target(self, period: str, content_hash: str | None) -> None:
        with self._transaction():
            if content_hash is None:
                self._db.execute("DELETE FROM meta WHERE key = ?", (f"replace:{period}",))
            else:
                self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                                 (f"replace:{period}", content_hash))

    # --- documents ------------------------------------------------------------------------

    def live_documents(self, period: str) -> list[DocumentRecord]:
        """The period's documents that are not replaced (the current ones, any hash)."""
        rows = self._db.execute(
            "SELECT * FROM documents WHERE period = ? AND status != 'replaced' ORDER BY key",
            (period,),
        ).fetchall()
        return [_document(row) for row in rows]

    def documents(self, period: str | None = None) -> list[DocumentRecord]:
        if period is None:
            rows = self._db.execute("SELECT * FROM documents ORDER BY period, key, id").fetchall()
        else:
            rows = self._db.execute(
                "SELECT * FROM documents WHERE period = ? ORDER BY key, id", (period,)
            ).fetchall()
        return [_document(row) for row in rows]

    def document(self, key: str, content_hash: str) -> DocumentRecord | None:
        row = self._db.execute(
            "SELECT * FROM documents WHERE key = ? AND hash = ?", (key, content_hash)
        ).fetchone()
        return _document(row) if row else None

    def set_document(
        self,
        key: str,
        period: str,
        kind: DocumentKind,
        content_hash: str,
        status: DocumentStatus,
        *,
        alegra_id: str | None = None,
        amount: str | None = None,
    ) -> None:
        """Record a document's state, committed at once (autocommit)."""
        stamp = now()
        self._db.execute(
            """
            INSERT INTO documents (key, period, kind, hash, status, alegra_id, amount,
                                   updated_at, posted_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (key, hash) DO UPDATE SET
                status = excluded.status,
                alegra_id = COALESCE(excluded.alegra_id, documents.alegra_id),
                amount = COALESCE(excluded.amount, documents.amount),
                updated_at = excluded.updated_at,
                posted_at = COALESCE(documents.posted_at, excluded.posted_at)
            """,
            (key, period, kind, content_hash, status, alegra_id, amount, stamp,
             stamp if status == "posted" else None),
        )

    def mark_replaced(self, key: str, content_hash: str) -> None:
        self._db.execute(
            "UPDATE documents SET status = 'replaced', updated_at = ? WHERE key = ? AND hash = ?",
            (now(), key, content_hash),
        )

    def rehash_document(self, key: str, old_hash: str, new_hash: str) -> None:
        """A document kept unchanged by a replace now stands for the new content."""
        self._db.execute(
            "UPDATE documents SET hash = ?, updated_at = ? WHERE key = ? AND hash = ?",
            (new_hash, now(), key, old_hash),
        )

    def forget_document(self, key: str, content_hash: str) -> None:
        """Drop a row for a document that never reached Alegra (looked up and absent)."""
        self._db.execute("DELETE FROM documents WHERE key = ? AND hash = ?", (key, content_hash))

    # --- periods --------------------------------------------------------------------------

    def set_period(self, record: PeriodRecord) -> None:
        self._db.execute(
            """
            INSERT INTO periods VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (period) DO UPDATE SET end_date = excluded.end_date,
                hash = excluded.hash, debit_total = excluded.debit_total,
                credit_total = excluded.credit_total, net_pay = excluded.net_pay,
                export = excluded.export, state = excluded.state, error = excluded.error,
                updated_at = excluded.updated_at
            """,
            (record.period, record.end_date, record.hash, record.debit_total,
             record.credit_total, record.net_pay, record.export, record.state, record.error,
             record.updated_at),
        )

    def set_period_state(self, period: str, state: str, error: str | None = None) -> None:
        self._db.execute(
            "UPDATE periods SET state = ?, error = ?, updated_at = ? WHERE period = ?",
            (state, error, now(), period),
        )

    def period(self, period: str) -> PeriodRecord | None:
        row = self._db.execute("SELECT * FROM periods WHERE period = ?", (period,)).fetchone()
        return PeriodRecord(**dict(row)) if row else None

    def periods(self) -> list[PeriodRecord]:
        rows = self._db.execute("SELECT * FROM periods ORDER BY period").fetchall()
        return [PeriodRecord(**dict(row)) for row in rows]

    def posted_periods(self) -> set[str]:
        rows = self._db.execute("SELECT period FROM periods WHERE state = 'posted'").fetchall()
        return {row[0] for row in rows}

    # --- contacts cache ---------------------------------------------------------------------

    def contact_ids(self) -> dict[tuple[str, str], str]:
        rows = self._db.execute("SELECT kind, identification, alegra_id FROM contacts")
        return {(row[0], row[1]): row[2] for row in rows}

    def remember_contacts(self, contacts: dict[tuple[str, str], str]) -> None:
        with self._transaction():
            self._db.executemany(
                "INSERT OR REPLACE INTO contacts VALUES (?, ?, ?)",
                [(kind, ident, alegra_id) for (kind, ident), alegra_id in contacts.items()],
            )

    def forget_contact_id(self, alegra_id: str) -> None:
        """A contact Alegra no longer has (merged, re-created): resolve it again."""
        self._db.execute("DELETE FROM contacts WHERE alegra_id = ?", (alegra_id,))

    def forget_contacts(self) -> None:
        self._db.execute("DELETE FROM contacts")

    # --- runs -------------------------------------------------------------------------------

    def start_run(self, arguments: str) -> int:
        cursor = self._db.execute(
            "INSERT INTO runs (started_at, pid, arguments) VALUES (?, ?, ?)",
            (now(), os.getpid(), arguments),
        )
        return int(cursor.lastrowid or 0)

    def finish_run(self, run_id: int, status: str, exit_code: int) -> None:
        self._db.execute(
            "UPDATE runs SET finished_at = ?, status = ?, exit_code = ? WHERE id = ?",
            (now(), status, exit_code, run_id),
        )

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *rest: object) -> None:
        self._db.execute("ROLLBACK" if exc_type else "COMMIT")


def _document(row: sqlite3.Row) -> DocumentRecord:
    values = dict(row)
    values.pop("id")
    return DocumentRecord(**values)


class RunLock:
    """One `sync` at a time per home: an exclusive, non-blocking flock held for the whole run.

    The kernel drops a flock when its process dies, so a lock file left by a dead process
    never blocks; the pid written inside is only for the message.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[str] | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            handle.close()
            raise TryLaterError(
                f"another alegra-sync sync is running (pid {holder}, lock {self.path})",
                hint="wait for it to finish; run again later",
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
