"""Local state: what was posted, in a SQLite database in the home, and the run lock.

Every change is committed before the next HTTP write (accounting.md, "Posting exactly once"),
so a crash at any point leaves a state the next run can resolve. The schema has a version
(``PRAGMA user_version``, see ``MIGRATIONS``); opening a state migrates it before a run uses it,
and what can go wrong with the file is said in one line with its exit code ("What the state
keeps").
"""

from __future__ import annotations

import errno
import fcntl
import os
import secrets
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Literal

from alegra_sync.errors import AlegraSyncError, ConfigError, TryLaterError
from alegra_sync.i18n import T, Text

DocumentStatus = Literal["posting", "posted", "uncertain", "replacing", "replaced"]
DocumentKind = Literal["journal", "payment"]

BUSY_TIMEOUT = 30.0  # seconds a statement waits for another writer before giving up (75)

_TABLES_OF_0_1_0 = (
    """
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
    )""",
    "CREATE INDEX IF NOT EXISTS documents_period ON documents (period)",
    """
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
    )""",
    """
    CREATE TABLE IF NOT EXISTS contacts (
        kind TEXT NOT NULL,          -- employee | entity
        identification TEXT NOT NULL,
        alegra_id TEXT NOT NULL,
        PRIMARY KEY (kind, identification)
    )""",
    """
    CREATE TABLE IF NOT EXISTS runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        pid INTEGER NOT NULL,
        arguments TEXT NOT NULL,
        status TEXT,
        exit_code INTEGER
    )""",
    """
    CREATE TABLE IF NOT EXISTS meta (
        key TEXT PRIMARY KEY,        -- company_identification, company_name, replace:<period>
        value TEXT NOT NULL
    )""",
)


def _tables_of_0_1_0(db: sqlite3.Connection) -> None:
    """Version 1: documents, periods, contacts, runs and meta, as alegra-sync 0.1.0 made them."""
    for statement in _TABLES_OF_0_1_0:
        db.execute(statement)


def _skipped_periods(db: sqlite3.Connection) -> None:
    """Version 2: periods posted outside alegra-sync (`skip`), with the reason given."""
    db.execute("""
    CREATE TABLE IF NOT EXISTS skipped (
        period TEXT PRIMARY KEY,     -- the period's start date
        end_date TEXT NOT NULL,
        reason TEXT NOT NULL,        -- as the person wrote it: who posted it, where, why
        skipped_at TEXT NOT NULL
    )""")


def _posted_lines_and_verify(db: sqlite3.Connection) -> None:
    """Version 3: the lines each document posted, verify results, the period's figures."""
    # A document's lines, as posted (or, for a state written before this version, as Alegra
    # held them at the first verify: documents.lines_from says which). Names beside the ids
    # are what the report shows without asking Alegra.
    db.execute("""
        CREATE TABLE document_lines (
            document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            account_id TEXT NOT NULL,
            account_code TEXT,
            account_name TEXT,
            account_type TEXT,
            cost_center_id TEXT,
            cost_center_name TEXT,
            tercero_kind TEXT,           -- employee | entity
            tercero_identification TEXT,
            tercero_name TEXT,
            contact_id TEXT,             -- the Alegra contact the line named
            description TEXT,
            debit TEXT NOT NULL,         -- exact decimal text
            credit TEXT NOT NULL,
            PRIMARY KEY (document_id, position)
        )""")
    db.execute("ALTER TABLE documents ADD COLUMN lines_from TEXT")  # posted | alegra | NULL
    db.execute("ALTER TABLE documents ADD COLUMN document_date TEXT")
    db.execute("ALTER TABLE documents ADD COLUMN bank_account_id TEXT")  # an egreso's
    db.execute("ALTER TABLE documents ADD COLUMN bank_account_name TEXT")
    db.execute("ALTER TABLE documents ADD COLUMN verified_at TEXT")
    db.execute("ALTER TABLE documents ADD COLUMN verify_result TEXT")
    db.execute("ALTER TABLE documents ADD COLUMN verify_detail TEXT")  # JSON: the differences
    db.execute("ALTER TABLE periods ADD COLUMN verified_at TEXT")
    db.execute("ALTER TABLE periods ADD COLUMN verify_result TEXT")  # match | drift | unknown
    db.execute("ALTER TABLE periods ADD COLUMN run_id INTEGER")  # the run that posted it
    db.execute("ALTER TABLE periods ADD COLUMN export_sha256 TEXT")
    # What the report needs beyond the lines (per employee and concept group), as computed
    # from the export when the period was posted: JSON, see vouchers/figures.py.
    db.execute("""
        CREATE TABLE period_figures (
            period TEXT PRIMARY KEY,
            hash TEXT NOT NULL,
            data TEXT NOT NULL
        )""")


def _staged_periods(db: sqlite3.Connection) -> None:
    """Version 4: staged, the periods `sync` prepared for `approve` (operations.md)."""
    db.execute("""
    CREATE TABLE IF NOT EXISTS staged (
        period TEXT PRIMARY KEY,
        hash TEXT NOT NULL,          -- the content hash `approve` must find again
        staged_at TEXT NOT NULL,     -- when this content was first staged (UTC)
        replace_posted INTEGER NOT NULL,  -- staged by `sync --replace`
        export TEXT,
        export_digest TEXT,          -- sha256 of the export file, to say what changed
        mapping_digest TEXT,         -- sha256 of the mapping file
        summary TEXT NOT NULL        -- JSON: totals per account, employees, egresos
    )""")


Migration = Callable[[sqlite3.Connection], None]

# The schema's history, oldest first: a state at PRAGMA user_version n has had the first n.
# To change the schema, append one function to this list (one statement per db.execute, a
# one-line docstring saying what it adds, no COMMIT: every pending migration of a state runs
# in one transaction). Never edit, remove or reorder one that has shipped.
MIGRATIONS: list[Migration] = [
    _tables_of_0_1_0,
    _skipped_periods,
    _posted_lines_and_verify,
    _staged_periods,
]


def schema_version() -> int:
    """The schema version this code writes: how many migrations it knows."""
    return len(MIGRATIONS)


def migrate(db: sqlite3.Connection, path: Path) -> int:
    """Apply the migrations ``db`` lacks, in one transaction; the version it had before.

    A state with user_version 0 is from before the schema had a version (0.1.0, which created
    any missing table at every open): its tables are version 1's, so it is stamped 1.
    """
    found = _user_version(db)
    _refuse_newer(path, found)
    if found >= 1:
        # 0.1.0 restored a missing table at every open, and a state from before `meta`
        # relies on that; IF NOT EXISTS takes no lock when nothing is missing. (A migration
        # that retires one of version 1's tables must stop this.)
        _tables_of_0_1_0(db)
    if found < schema_version():
        db.execute("BEGIN IMMEDIATE")
        try:
            found = _user_version(db)  # another process may have migrated it meanwhile
            _refuse_newer(path, found)
            for migration in MIGRATIONS[found:]:
                migration(db)
            db.execute(f"PRAGMA user_version = {schema_version()}")
            db.execute("COMMIT")
        except BaseException as exc:
            _rollback(db)
            if isinstance(exc, sqlite3.DatabaseError) and _primary_code(exc) not in _TRANSLATED:
                raise ConfigError(
                    T("{path}: the state database cannot be migrated from schema version "
                      "{found} to {version} ({error})", path=path, found=found,
                      version=schema_version(), error=_one_line(str(exc))),
                    hint=T("it is unchanged; report this line to the alegra-sync "
                           "maintainers"),
                ) from exc
            raise
    return found


def _user_version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def _refuse_newer(path: Path, found: int) -> None:
    if found > schema_version():
        raise ConfigError(
            T("{path}: the state database is from a newer alegra-sync (schema version "
              "{found}, this one knows {version})", path=path, found=found,
              version=schema_version()),
            hint=T("upgrade alegra-sync to the version that wrote it, then run again"),
        )


def _rollback(db: sqlite3.Connection) -> None:
    # sqlite may have rolled back already (a full disk does); the error that got here matters
    if db.in_transaction:
        with suppress(sqlite3.Error):
            db.execute("ROLLBACK")


# --- the state's failure modes, each one line with its exit code -------------------------

_MOVE_ASIDE = T("restore it from a backup, or move it aside: the next sync looks every "
                "document up in Alegra before posting, so nothing is posted twice")


_CHECK_WRITABLE = T("check that this user can write the file and its folder")

_TRANSLATED = frozenset({
    sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_FULL, sqlite3.SQLITE_CORRUPT,
    sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN,
    sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM,
})


def _primary_code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)  # absent on errors Python itself raises
    return code & 0xFF if isinstance(code, int) else None


def _one_line(text: str) -> str:
    text = " ".join(text.split())  # sqlite's text can span lines (quick_check's does)
    return text if len(text) <= 120 else text[:119] + "…"


def _corrupt(path: Path, reason: str) -> ConfigError:
    return ConfigError(
        T("{path}: the state database is unreadable or corrupt ({error})", path=path,
          error=_one_line(reason)),
        hint=_MOVE_ASIDE,
    )


def _disk_full(path: Path) -> TryLaterError:
    return TryLaterError(T("{path}: the disk is full, the state database could not be "
                           "written", path=path),
                         hint=T("free space on that disk and run again: the state is still "
                                "consistent"))


def _state_error(exc: Exception, path: Path, busy_timeout: float) -> AlegraSyncError | None:
    """The one-line error of a sqlite or disk failure; None for a bug of ours (bad SQL)."""
    if isinstance(exc, OSError):
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return _disk_full(path)
        return ConfigError(T("{path}: cannot create the state database ({error})", path=path,
                             error=exc.strerror or str(exc)), hint=_CHECK_WRITABLE)
    primary = _primary_code(exc) if isinstance(exc, sqlite3.Error) else None
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return TryLaterError(
            T("{path}: the state database is locked by another writer (waited {seconds} s)",
              path=path, seconds=format(busy_timeout, "g")),
            hint=T("let it finish, then run again"),
        )
    if primary == sqlite3.SQLITE_FULL:
        return _disk_full(path)
    if primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return _corrupt(path, str(exc))
    if primary == sqlite3.SQLITE_IOERR:
        return TryLaterError(T("{path}: the disk failed reading or writing the state "
                               "database ({error})", path=path, error=_one_line(str(exc))),
                             hint=T("check the disk, then run again"))
    if primary in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM):
        return ConfigError(T("{path}: cannot open the state database for writing ({error})",
                             path=path, error=_one_line(str(exc))), hint=_CHECK_WRITABLE)
    return None


@contextmanager
def _state_errors(path: Path, busy_timeout: float) -> Iterator[None]:
    """Where every sqlite and disk error of the state becomes one of ours, in one line."""
    try:
        yield
    except (sqlite3.DatabaseError, OSError) as exc:
        error = _state_error(exc, path, busy_timeout)
        if error is None:
            raise
        raise error from exc


def _create(path: Path) -> None:
    """A new state, complete before it has its name: a crash never leaves an empty file."""
    temporary = path.with_name(f".{path.name}.new-{os.getpid()}-{secrets.token_hex(4)}")
    try:
        db = sqlite3.connect(temporary, isolation_level=None)
        try:
            db.execute("PRAGMA synchronous=FULL")
            migrate(db, path)
        finally:
            db.close()
        try:
            os.link(temporary, path)  # never over a state another process just created
        except FileExistsError:
            pass
        except OSError as exc:  # a file system without hard links
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP):
                raise
            if not path.exists():
                os.replace(temporary, path)
        _fsync_folder(path.parent)
    finally:
        for leftover in (temporary, temporary.with_name(temporary.name + "-journal")):
            with suppress(FileNotFoundError):
                leftover.unlink()


def _fsync_folder(folder: Path) -> None:
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


LinesSource = Literal["posted", "alegra"]


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
    # schema version 3: where its lines came from, an egreso's date and bank, the last verify
    lines_from: LinesSource | None = None
    document_date: str | None = None
    bank_account_id: str | None = None
    bank_account_name: str | None = None
    verified_at: str | None = None
    verify_result: str | None = None
    verify_detail: str | None = None


@dataclass(frozen=True)
class LineRecord:
    """One line a document posted: a comprobante's entry, or an egreso's category (its
    ``debit`` is the amount paid, its tercero the egreso's client)."""

    account_id: str
    debit: Decimal
    credit: Decimal
    account_code: str | None = None
    account_name: str | None = None
    account_type: str | None = None
    cost_center_id: str | None = None
    cost_center_name: str | None = None
    tercero_kind: str | None = None
    tercero_identification: str | None = None
    tercero_name: str | None = None
    contact_id: str | None = None
    description: str | None = None


_LINE_COLUMNS = ("account_id", "account_code", "account_name", "account_type", "cost_center_id",
                 "cost_center_name", "tercero_kind", "tercero_identification", "tercero_name",
                 "contact_id", "description", "debit", "credit")


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
class SkipRecord:
    """A period recorded as posted outside alegra-sync: --catch-up and ranges go past it."""

    period: str
    end_date: str
    reason: str
    skipped_at: str


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
    verified_at: str | None = None  # schema version 3
    verify_result: str | None = None
    run_id: int | None = None
    export_sha256: str | None = None


@dataclass(frozen=True)
class StagedRecord:
    """A period staged for approval: what `approve` must find again before it posts."""

    period: str
    hash: str
    staged_at: str
    replace_posted: bool
    export: str | None
    export_digest: str | None
    mapping_digest: str | None
    summary: str  # JSON


class Ledger:
    """The state database. Open with ``Ledger.open(path)``.

    Every statement runs through ``_execute``, where sqlite's errors become one-line errors:
    an empty, corrupt or newer state is refused (78); a state locked by another writer, or a
    full disk, is 75 and leaves the state as it was.
    """

    def __init__(self, connection: sqlite3.Connection, path: Path,
                 busy_timeout: float = BUSY_TIMEOUT) -> None:
        self._db = connection
        self.path = path
        self._busy_timeout = busy_timeout

    @classmethod
    def open(cls, path: Path, *, busy_timeout: float = BUSY_TIMEOUT) -> Ledger:
        """The state at ``path``, migrated to this version's schema; a new one if none exists.

        Only a file that does not exist is a new state: an empty file is refused.
        """
        with _state_errors(path, busy_timeout):
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                _create(path)
            elif path.stat().st_size == 0:
                raise ConfigError(T("{path}: the state database is an empty file (0 bytes), "
                                    "not a state alegra-sync wrote", path=path),
                                  hint=_MOVE_ASIDE)
            connection = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None)
            try:
                connection.row_factory = sqlite3.Row
                check = connection.execute("PRAGMA quick_check").fetchone()[0]
                if check != "ok":
                    raise _corrupt(path, check)
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute("PRAGMA synchronous=FULL")
                connection.execute("PRAGMA foreign_keys=ON")  # a document's lines go with it
                migrate(connection, path)
            except sqlite3.DatabaseError as exc:
                connection.close()
                if _state_error(exc, path, busy_timeout) is not None:
                    raise
                raise _corrupt(path, str(exc)) from exc  # tables that are not ours
            except BaseException:
                connection.close()
                raise
        return cls(connection, path, busy_timeout)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the company the state belongs to --------------------------------------------------

    def company(self) -> CompanyRecord | None:
        rows = {str(key): str(value) for key, value in self._execute(
            "SELECT key, value FROM meta WHERE key IN ('company_identification', 'company_name')"
        )}
        if "company_name" not in rows:
            return None
        return CompanyRecord(rows.get("company_identification", ""), rows["company_name"])

    def bind_company(self, company: CompanyRecord) -> CompanyRecord:
        """Record ``company`` unless one is recorded already; return the recorded one.

        Never overwrites: a state that belongs to another company stays that company's.
        """
        with self._transaction():
            self._execute_many(
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
        return self._meta(f"replace:{period}")

    def set_replace_target(self, period: str, content_hash: str | None) -> None:
        self._set_meta(f"replace:{period}", content_hash)

    # --- the look-up after posting -----------------------------------------------------------

    def reconcile_pending(self, period: str) -> bool:
        """Whether ``period`` was written to since its last look-up after posting (another
        home may have posted it at the same moment: the copies are settled then)."""
        return self._meta(f"reconcile:{period}") is not None

    def set_reconcile_pending(self, period: str, pending: bool) -> None:
        self._set_meta(f"reconcile:{period}", "pending" if pending else None)

    def _meta(self, key: str) -> str | None:
        rows = self._execute("SELECT value FROM meta WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    def _set_meta(self, key: str, value: str | None) -> None:
        with self._transaction():
            if value is None:
                self._execute("DELETE FROM meta WHERE key = ?", (key,))
            else:
                self._execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                              (key, value))

    # --- documents ------------------------------------------------------------------------

    def live_documents(self, period: str) -> list[DocumentRecord]:
        """The period's documents that are not replaced (the current ones, any hash)."""
        rows = self._execute(
            "SELECT * FROM documents WHERE period = ? AND status != 'replaced' ORDER BY key",
            (period,),
        )
        return [_document(row) for row in rows]

    def documents(self, period: str | None = None) -> list[DocumentRecord]:
        if period is None:
            rows = self._execute("SELECT * FROM documents ORDER BY period, key, id")
        else:
            rows = self._execute(
                "SELECT * FROM documents WHERE period = ? ORDER BY key, id", (period,)
            )
        return [_document(row) for row in rows]

    def document(self, key: str, content_hash: str) -> DocumentRecord | None:
        rows = self._execute(
            "SELECT * FROM documents WHERE key = ? AND hash = ?", (key, content_hash)
        )
        return _document(rows[0]) if rows else None

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
        self._execute(
            """
            INSERT INTO documents (key, period, kind, hash, status, alegra_id, amount,
                                   updated_at, posted_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (key, hash) DO UPDATE SET
                status = excluded.status,
                alegra_id = COALESCE(excluded.alegra_id, documents.alegra_id),
                amount = COALESCE(excluded.amount, documents.amount),
                updated_at = excluded.updated_at,
                posted_at = CASE WHEN excluded.status = 'posting' THEN NULL
                                 ELSE COALESCE(documents.posted_at, excluded.posted_at) END,
                verified_at = CASE WHEN excluded.status = 'posting' THEN NULL
                                   ELSE documents.verified_at END,
                verify_result = CASE WHEN excluded.status = 'posting' THEN NULL
                                     ELSE documents.verify_result END
            """,
            (key, period, kind, content_hash, status, alegra_id, amount, stamp,
             stamp if status == "posted" else None),
        )

    def mark_replaced(self, key: str, content_hash: str) -> None:
        self._execute(
            "UPDATE documents SET status = 'replaced', updated_at = ? WHERE key = ? AND hash = ?",
            (now(), key, content_hash),
        )

    def rehash_document(self, key: str, old_hash: str, new_hash: str) -> None:
        """A document kept unchanged by a replace now stands for the new content; a row the
        new content has already (a POST it never made) gives way to it."""
        with self._transaction():
            self._execute("DELETE FROM documents WHERE key = ? AND hash = ? AND status != 'posted'",
                          (key, new_hash))
            if self._execute("SELECT 1 FROM documents WHERE key = ? AND hash = ?",
                             (key, new_hash)):
                self._execute("DELETE FROM documents WHERE key = ? AND hash = ?",
                              (key, old_hash))
            else:
                self._execute(
                    "UPDATE documents SET hash = ?, updated_at = ? WHERE key = ? AND hash = ?",
                    (new_hash, now(), key, old_hash))

    def redirect_document(self, removed_id: str, kept_id: str) -> None:
        """A copy this home removed from Alegra: its rows stand for the document kept."""
        self._execute("UPDATE documents SET alegra_id = ?, updated_at = ? WHERE alegra_id = ?",
                      (kept_id, now(), removed_id))

    # --- what each document posted, and its last verify ------------------------------------

    def set_lines(self, key: str, content_hash: str, lines: Sequence[LineRecord], *,
                  source: LinesSource, document_date: str | None,
                  bank_account_id: str | None = None, bank_account_name: str | None = None,
                  ) -> None:
        """Record the lines of the document (key, hash), replacing any recorded before."""
        with self._transaction():
            rows = self._execute("SELECT id FROM documents WHERE key = ? AND hash = ?",
                                 (key, content_hash))
            if not rows:
                return
            document_id = int(rows[0][0])
            self._execute("DELETE FROM document_lines WHERE document_id = ?", (document_id,))
            self._execute_many(
                f"INSERT INTO document_lines (document_id, position, {', '.join(_LINE_COLUMNS)})"
                f" VALUES ({', '.join('?' * (len(_LINE_COLUMNS) + 2))})",
                [(document_id, position, *(_line_value(line, c) for c in _LINE_COLUMNS))
                 for position, line in enumerate(lines, start=1)],
            )
            self._execute(
                "UPDATE documents SET lines_from = ?, document_date = ?, bank_account_id = ?, "
                "bank_account_name = ? WHERE id = ?",
                (source, document_date, bank_account_id, bank_account_name, document_id),
            )

    def lines(self, key: str, content_hash: str) -> list[LineRecord] | None:
        """The document's recorded lines in posting order; None when none were recorded (a
        document of a state written before schema version 3)."""
        rows = self._execute(
            f"SELECT d.lines_from, {', '.join('l.' + c for c in _LINE_COLUMNS)} FROM documents d "
            "LEFT JOIN document_lines l ON l.document_id = d.id "
            "WHERE d.key = ? AND d.hash = ? ORDER BY l.position", (key, content_hash))
        if not rows or rows[0][0] is None:
            return None
        return [_line(row) for row in rows if row["account_id"] is not None]

    def period_lines(self, period: str) -> dict[str, list[LineRecord]]:
        """The recorded lines of the period's live documents, by key (one query)."""
        rows = self._execute(
            f"SELECT d.key, {', '.join('l.' + c for c in _LINE_COLUMNS)} FROM documents d "
            "JOIN document_lines l ON l.document_id = d.id WHERE d.period = ? "
            "AND d.status != 'replaced' AND d.lines_from IS NOT NULL ORDER BY d.key, l.position",
            (period,))
        found: dict[str, list[LineRecord]] = {}
        seen: dict[object, object] = {}  # one object per distinct text or amount: lines repeat
        for row in rows:
            values = [seen.setdefault(v, v) for v in tuple(row)[1:]]
            found.setdefault(row["key"], []).append(_line_of(values))
        return found

    def set_verified(self, key: str, content_hash: str, result: str, detail: str | None,
                     at: str) -> None:
        self._execute(
            "UPDATE documents SET verified_at = ?, verify_result = ?, verify_detail = ? "
            "WHERE key = ? AND hash = ?", (at, result, detail, key, content_hash))

    def set_period_verified(self, period: str, result: str, at: str) -> None:
        self._execute("UPDATE periods SET verified_at = ?, verify_result = ? WHERE period = ?",
                      (at, result, period))

    def set_figures(self, period: str, content_hash: str, data: str) -> None:
        self._execute("INSERT OR REPLACE INTO period_figures VALUES (?, ?, ?)",
                      (period, content_hash, data))

    def figures(self, period: str) -> tuple[str, str] | None:
        """(hash, JSON) of the figures recorded when the period was posted."""
        rows = self._execute("SELECT hash, data FROM period_figures WHERE period = ?", (period,))
        return (str(rows[0][0]), str(rows[0][1])) if rows else None

    def figures_hash(self, period: str) -> str | None:
        rows = self._execute("SELECT hash FROM period_figures WHERE period = ?", (period,))
        return str(rows[0][0]) if rows else None

    def forget_document(self, key: str, content_hash: str) -> None:
        """Drop a row for a document that never reached Alegra (looked up and absent)."""
        self._execute("DELETE FROM documents WHERE key = ? AND hash = ?", (key, content_hash))

    # --- periods --------------------------------------------------------------------------

    def set_period(self, record: PeriodRecord) -> None:
        """Record a period. Its verify result stands for the content it was made for, and the
        run that posted it stays until other content is posted."""
        self._execute(
            """
            INSERT INTO periods (period, end_date, hash, debit_total, credit_total, net_pay,
                                 export, state, error, updated_at, run_id, export_sha256)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (period) DO UPDATE SET end_date = excluded.end_date,
                hash = excluded.hash, debit_total = excluded.debit_total,
                credit_total = excluded.credit_total, net_pay = excluded.net_pay,
                export = excluded.export, state = excluded.state, error = excluded.error,
                updated_at = excluded.updated_at,
                run_id = CASE WHEN periods.hash = excluded.hash
                              THEN COALESCE(periods.run_id, excluded.run_id)
                              ELSE excluded.run_id END,
                export_sha256 = COALESCE(excluded.export_sha256, periods.export_sha256),
                verified_at = CASE WHEN periods.hash = excluded.hash THEN periods.verified_at END,
                verify_result = CASE WHEN periods.hash = excluded.hash
                                     THEN periods.verify_result END
            """,
            (record.period, record.end_date, record.hash, record.debit_total,
             record.credit_total, record.net_pay, record.export, record.state, record.error,
             record.updated_at, record.run_id, record.export_sha256),
        )

    def set_period_state(self, period: str, state: str, error: str | None = None) -> None:
        self._execute(
            "UPDATE periods SET state = ?, error = ?, updated_at = ? WHERE period = ?",
            (state, error, now(), period),
        )

    def period(self, period: str) -> PeriodRecord | None:
        rows = self._execute("SELECT * FROM periods WHERE period = ?", (period,))
        return PeriodRecord(**dict(rows[0])) if rows else None

    def periods(self) -> list[PeriodRecord]:
        rows = self._execute("SELECT * FROM periods ORDER BY period")
        return [PeriodRecord(**dict(row)) for row in rows]

    def posted_periods(self) -> set[str]:
        rows = self._execute("SELECT period FROM periods WHERE state = 'posted'")
        return {row[0] for row in rows}

    # --- periods posted outside alegra-sync (`skip`) -------------------------------------

    def skipped_periods(self) -> dict[str, SkipRecord]:
        rows = self._execute("SELECT * FROM skipped ORDER BY period")
        return {str(row["period"]): SkipRecord(**dict(row)) for row in rows}

    def skip(self, period: str, end_date: str, reason: str) -> None:
        self._execute(
            """
            INSERT INTO skipped VALUES (?, ?, ?, ?)
            ON CONFLICT (period) DO UPDATE SET reason = excluded.reason,
                skipped_at = excluded.skipped_at
            """,
            (period, end_date, reason, now()),
        )

    def unskip(self, period: str) -> None:
        self._execute("DELETE FROM skipped WHERE period = ?", (period,))

    # --- staged periods (approval) ----------------------------------------------------------

    def stage(self, record: StagedRecord) -> None:
        self._execute(
            "INSERT OR REPLACE INTO staged VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (record.period, record.hash, record.staged_at, int(record.replace_posted),
             record.export, record.export_digest, record.mapping_digest, record.summary),
        )

    def staged(self, period: str | None = None) -> list[StagedRecord]:
        if period is None:
            rows = self._execute("SELECT * FROM staged ORDER BY period")
        else:
            rows = self._execute("SELECT * FROM staged WHERE period = ?", (period,))
        return [StagedRecord(**{**dict(row), "replace_posted": bool(row["replace_posted"])})
                for row in rows]

    def unstage(self, period: str) -> None:
        self._execute("DELETE FROM staged WHERE period = ?", (period,))

    # --- contacts cache ---------------------------------------------------------------------

    def contact_ids(self) -> dict[tuple[str, str], str]:
        rows = self._execute("SELECT kind, identification, alegra_id FROM contacts")
        return {(row[0], row[1]): row[2] for row in rows}

    def remember_contacts(self, contacts: dict[tuple[str, str], str]) -> None:
        with self._transaction():
            self._execute_many(
                "INSERT OR REPLACE INTO contacts VALUES (?, ?, ?)",
                [(kind, ident, alegra_id) for (kind, ident), alegra_id in contacts.items()],
            )

    def forget_contact_id(self, alegra_id: str) -> None:
        """A contact Alegra no longer has (merged, re-created): resolve it again."""
        self._execute("DELETE FROM contacts WHERE alegra_id = ?", (alegra_id,))

    def forget_contacts(self) -> None:
        self._execute("DELETE FROM contacts")

    # --- runs -------------------------------------------------------------------------------

    def start_run(self, arguments: str) -> int:
        self._execute("INSERT INTO runs (started_at, pid, arguments) VALUES (?, ?, ?)",
                      (now(), os.getpid(), arguments))
        return int(self._execute("SELECT last_insert_rowid()")[0][0])

    def run_started(self, run_id: int) -> str | None:
        """When a run started and what it was asked: ``2026-11-16T12:00:00+00:00 sync …``."""
        rows = self._execute("SELECT started_at, arguments FROM runs WHERE id = ?", (run_id,))
        return f"{rows[0][0]} {rows[0][1]}" if rows else None

    def finish_run(self, run_id: int, status: str, exit_code: int) -> None:
        self._execute(
            "UPDATE runs SET finished_at = ?, status = ?, exit_code = ? WHERE id = ?",
            (now(), status, exit_code, run_id),
        )

    # --- the one place statements run ---------------------------------------------------

    def _execute(self, statement: str, parameters: Sequence[object] = ()) -> list[sqlite3.Row]:
        """Run one statement and fetch its rows (errors can come from any step of it)."""
        with _state_errors(self.path, self._busy_timeout):
            return self._db.execute(statement, parameters).fetchall()

    def _execute_many(self, statement: str, rows: Iterable[Sequence[object]]) -> None:
        with _state_errors(self.path, self._busy_timeout):
            self._db.executemany(statement, rows)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._execute("BEGIN IMMEDIATE")
        try:
            yield
            self._execute("COMMIT")
        except BaseException:
            _rollback(self._db)
            raise


def _document(row: sqlite3.Row) -> DocumentRecord:
    values = dict(row)
    values.pop("id")
    return DocumentRecord(**values)


def _line_value(line: LineRecord, column: str) -> object:
    value = getattr(line, column)
    return str(value) if isinstance(value, Decimal) else value


def _line(row: sqlite3.Row) -> LineRecord:
    return _line_of(list(tuple(row)[-len(_LINE_COLUMNS):]))


_AMOUNTS: dict[str, Decimal] = {}


def _line_of(values: list[object]) -> LineRecord:
    # positional: a 10,000-employee period has some 70,000 lines
    (account_id, code, name, kind, center, center_name, tercero_kind, identification,
     tercero_name, contact, description, debit, credit) = values
    return LineRecord(str(account_id), _amount(debit), _amount(credit), *(
        None if v is None else str(v) for v in (code, name, kind, center, center_name,
                                                tercero_kind, identification, tercero_name,
                                                contact, description)))


def _amount(text: object) -> Decimal:
    found = _AMOUNTS.get(str(text))
    if found is None:
        found = Decimal(str(text))
        if len(_AMOUNTS) < 100_000:  # amounts repeat (0, the same salary): one object each
            _AMOUNTS[str(text)] = found
    return found


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
            holder: str | Text = handle.read().strip() or T("unknown")
            handle.close()
            raise TryLaterError(
                T("another alegra-sync sync is running (pid {pid}, lock {path})", pid=holder,
                  path=self.path),
                hint=T("wait for it to finish; run again later"),
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
