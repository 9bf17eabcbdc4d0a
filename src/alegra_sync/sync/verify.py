"""`verify`: does Alegra still hold what was posted? (accounting.md, "Verify")

Read-only in Alegra: per period one GET per posted document by id, then the period's look-ups
(the reference look-up of its comprobantes and its egreso window) for copies carrying its
keys; never a write. What it finds is compared with the lines the state keeps, and the result
of each document and period is kept in the state with its time (``status`` shows it).

``unknown`` is never a match: a document that could not be read, or whose copies could not be
looked for, is ``unknown``. Once Alegra fails a read after the client's retries (unreachable,
5xx, rate limit, credentials), nothing more is asked of it in this run: every document not read
yet is ``unknown`` for the same reason, and the run exits with that error's code.

A document of a state written before the lines were kept (schema version 1) has nothing to be
compared with: its lines are read from Alegra's copy at its first verify and kept, marked as
such (``lines_from = "alegra"``), and later verifies compare with them.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from alegra_sync.alegra.catalog import Catalog
from alegra_sync.alegra.client import AlegraClient
from alegra_sync.alegra.models import Journal, Payment
from alegra_sync.config import Paths, Settings, export_folder
from alegra_sync.errors import (
    AlegraError,
    AlegraSyncError,
    AuthError,
    ConfigError,
    ExitCode,
    NoExportError,
    RateLimitError,
    UnavailableError,
    UsageError,
)
from alegra_sync.i18n import T, Text, reason_of
from alegra_sync.payroll.discover import find_export
from alegra_sync.periods import (
    PAYMENT_DATE_MARGIN,
    Frequency,
    Period,
    period_containing,
    period_starting,
)
from alegra_sync.sync.drift import (
    Difference,
    field_differences,
    journal_held,
    line_differences,
    payment_held,
)
from alegra_sync.sync.ledger import CompanyRecord, DocumentRecord, Ledger, LineRecord, now
from alegra_sync.sync.posted import file_sha256
from alegra_sync.sync.remote import DEAD_STATUSES, PaymentIndex, RemoteDocument, find_tagged
from alegra_sync.sync.result import PeriodSelection

Result = Literal["match", "missing", "voided", "changed", "duplicate", "unknown"]
PeriodResultName = Literal["match", "drift", "unknown"]
DRIFT: frozenset[str] = frozenset({"missing", "voided", "changed", "duplicate"})
JSON_VERSION = 1
# An error after which Alegra is not asked again in this run.
_STOPS = (UnavailableError, RateLimitError, AuthError)


@dataclass
class DocumentCheck:
    key: str
    kind: str
    alegra_id: str | None
    result: Result
    differences: list[Difference] = field(default_factory=list)
    copies: list[str] = field(default_factory=list)  # other live documents with its key
    lines_from: str | None = None  # posted | alegra
    first_reading: bool = False  # its lines were read from Alegra by this verify
    error: AlegraSyncError | None = None
    hash: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "kind": self.kind, "alegra_id": self.alegra_id,
                "result": self.result, "differences": [d.to_json() for d in self.differences],
                "copies": self.copies, "lines_from": self.lines_from,
                "error": str(self.error) if self.error else None}


@dataclass
class PeriodCheck:
    period: Period
    documents: list[DocumentCheck] = field(default_factory=list)
    export_changed: bool | None = None  # None: no export in the folder, or no fingerprint
    verified_at: str = ""

    @property
    def result(self) -> PeriodResultName:
        results = {doc.result for doc in self.documents}
        if results & DRIFT:
            return "drift"
        return "unknown" if "unknown" in results or not results else "match"

    def to_json(self) -> dict[str, Any]:
        return {"period": self.period.name, "end": self.period.end.isoformat(),
                "result": self.result, "verified_at": self.verified_at,
                "export_changed": self.export_changed,
                "documents": [doc.to_json() for doc in self.documents]}


@dataclass
class VerifyRun:
    periods: list[PeriodCheck] = field(default_factory=list)
    requests: Counter[str] = field(default_factory=Counter)
    warnings: list[str | Text] = field(default_factory=list)  # English in --json
    error: AlegraSyncError | None = None  # the run could not start (state, company)
    read_error: AlegraSyncError | None = None  # what made documents unknown

    @property
    def status(self) -> str:
        if self.error is not None:
            return "error"
        if any(p.result == "drift" for p in self.periods):
            return "drift"
        return "error" if any(p.result == "unknown" for p in self.periods) else "ok"

    @property
    def exit_code(self) -> int:
        """65 on any drift (the accountant must act, even if some documents are unknown);
        else the code of what kept Alegra from being read (69, 75, 77)."""
        if self.error is not None:
            return int(self.error.exit_code)
        if self.status == "drift":
            return int(ExitCode.DATA)
        if self.status == "error":
            code = self.read_error.exit_code if self.read_error else ExitCode.UNAVAILABLE
            return int(code if code != ExitCode.DATA else ExitCode.UNAVAILABLE)
        return int(ExitCode.OK)

    def to_json(self) -> dict[str, Any]:
        return {"version": JSON_VERSION, "command": "verify", "status": self.status,
                "periods": [p.to_json() for p in self.periods],
                "requests": {m: self.requests.get(m, 0) for m in ("GET", "POST", "PUT",
                                                                   "DELETE")},
                "warnings": [str(warning) for warning in self.warnings],
                "error": ({"code": int(self.error.exit_code), "message": str(self.error)}
                          if self.error else None)}


class _Reader:
    """Alegra's answers for one run; stops asking after the first failure that says Alegra
    cannot be read now."""

    def __init__(self, client: Callable[[], AlegraClient]) -> None:
        self._client = client
        self.stopped: AlegraSyncError | None = None

    def read(self, call: Callable[[AlegraClient], Any]) -> Any:
        if self.stopped is not None:
            raise self.stopped
        try:
            return call(self._client())
        except _STOPS as exc:
            self.stopped = exc
            raise


def verify(settings: Settings, paths: Paths, client_factory: Callable[[], AlegraClient],
           selection: PeriodSelection | None = None,
           on_period: Callable[[PeriodCheck], None] | None = None) -> VerifyRun:
    """Verify the selected posted periods (default: every one the state holds as posted)."""
    run = VerifyRun()
    if not paths.database.exists():
        run.warnings.append(T("no period posted yet: nothing to verify"))
        return run
    catalog = Catalog(client_factory)
    try:
        with Ledger.open(paths.database) as ledger:
            periods = _select(selection or PeriodSelection(), settings, ledger, run)
            reader = _Reader(lambda: catalog.client)
            if periods:
                _check_company(ledger, reader, catalog)
            for period in periods:
                check = _Verifier(settings, paths, ledger, reader).period(period)
                run.periods.append(check)
                if on_period is not None:
                    on_period(check)
            run.read_error = reader.stopped or next(
                (d.error for p in run.periods for d in p.documents if d.error), None)
    except AlegraSyncError as exc:
        run.error = exc
    finally:
        if catalog.opened is not None:
            run.requests = Counter(catalog.opened.requests_sent)
        catalog.close()
    return run


def _select(selection: PeriodSelection, settings: Settings, ledger: Ledger,
            run: VerifyRun) -> list[Period]:
    """``--period``, ``--from``/``--to`` (the posted periods starting in the range), or every
    posted period."""
    frequency = settings.payroll.frequency
    posted = ledger.posted_periods()
    every = [p for p in (_period(name, frequency) for name in sorted(posted)) if p is not None]
    if selection.period is not None:
        try:
            wanted = [period_starting(selection.period, frequency)]
        except ValueError as exc:
            raise UsageError(T("--period: {reason}", reason=reason_of(exc))) from None
    elif selection.first is not None or selection.last is not None:
        low = period_containing(selection.first, frequency).start if selection.first \
            else date.min
        high = selection.last or date.max
        wanted = [p for p in every if low <= p.start <= high]
    else:
        wanted = every
    chosen = []
    for period in wanted:
        if period.name in posted:
            chosen.append(period)
            continue
        recorded = ledger.period(period.name)
        if recorded is not None:
            run.warnings.append(T("{period}: not posted ({state}), nothing to verify",
                                  period=period.name, state=recorded.state))
        else:
            run.warnings.append(T("{period}: the local state does not know this period, "
                                  "nothing to verify", period=period.name))
    if not chosen and not run.warnings:
        run.warnings.append(T("no period posted yet: nothing to verify"))
    return chosen


def _period(name: str, frequency: Frequency) -> Period | None:
    try:
        return period_starting(date.fromisoformat(name), frequency)
    except ValueError:
        return None


def _check_company(ledger: Ledger, reader: _Reader, catalog: Catalog) -> None:
    """Verifying against another company would call every document missing: refused (78).
    Alegra failing here leaves every document unknown (the reader stops)."""
    recorded = ledger.company()
    try:
        company = reader.read(lambda _client: catalog.company)
    except _STOPS:
        return
    current = CompanyRecord((company.identification or "").strip(), company.name.strip())
    if recorded is not None and not recorded.same_as(current):
        raise ConfigError(
            T("the state database {path} belongs to {recorded}, but Alegra is connected to "
              "{current}; nothing was verified", path=ledger.path, recorded=recorded,
              current=current),
            hint=T("connect back to {company}, or use that company's home",
                   company=recorded.name))


class _Verifier:
    def __init__(self, settings: Settings, paths: Paths, ledger: Ledger,
                 reader: _Reader) -> None:
        self._settings, self._paths, self._ledger, self._reader = settings, paths, ledger, reader
        self._contacts = {alegra_id: identification for (_kind, identification), alegra_id
                          in ledger.contact_ids().items()}
        self._kinds = {alegra_id: kind for (kind, _identification), alegra_id
                       in ledger.contact_ids().items()}

    def period(self, period: Period) -> PeriodCheck:
        check = PeriodCheck(period, verified_at=now())
        documents = [d for d in self._ledger.live_documents(period.name)
                     if d.status == "posted" and d.alegra_id]
        read: dict[str, Journal | Payment] = {}
        for record in documents:
            found = self._read_one(record)
            check.documents.append(found[0])
            if found[1] is not None:
                read[record.key] = found[1]
        self._copies(period, documents, check)
        check.export_changed = self._export_changed(period)
        self._record(check, documents, read)
        return check

    # --- one document ---------------------------------------------------------------------

    def _read_one(self, record: DocumentRecord) -> tuple[DocumentCheck, Journal | Payment | None]:
        alegra_id = record.alegra_id or ""
        check = DocumentCheck(record.key, record.kind, record.alegra_id, "unknown",
                              lines_from=record.lines_from, hash=record.hash)
        try:
            if record.kind == "journal":
                held: Journal | Payment = self._reader.read(
                    lambda client: client.get_journal(alegra_id))
            else:
                held = self._reader.read(lambda client: client.get_payment(alegra_id))
        except AlegraSyncError as exc:
            if isinstance(exc, AlegraError) and exc.status == 404:
                check.result = "missing"
            else:
                check.error = exc
            return check, None
        if (held.status or "") in DEAD_STATUSES:
            check.result = "voided"
            return check, None
        lines = self._ledger.lines(record.key, record.hash)
        if lines is None:  # a document of an older state: Alegra's copy is the reference
            check.result, check.first_reading, check.lines_from = "match", True, "alegra"
            return check, held
        check.differences = self._differences(record, lines, held)
        check.result = "changed" if check.differences else "match"
        return check, held

    def _differences(self, record: DocumentRecord, lines: list[LineRecord],
                     held: Journal | Payment) -> list[Difference]:
        names = {cid: (ident, "") for cid, ident in self._contacts.items()}
        if isinstance(held, Journal):
            found = field_differences([("date", record.document_date, held.date.isoformat())])
            return found + line_differences(lines, journal_held(held), names)
        found = field_differences([("date", record.document_date, held.date.isoformat()),
                                   ("bank_account", record.bank_account_id,
                                    held.bank_account_id)])
        return found + line_differences(lines, payment_held(held), names)

    # --- copies -----------------------------------------------------------------------------

    def _copies(self, period: Period, documents: list[DocumentRecord],
                check: PeriodCheck) -> None:
        """Other live documents carrying the period's keys; when they cannot be looked for,
        no document of the period is called a match."""
        if not documents:
            return
        try:
            tagged: list[RemoteDocument] = self._reader.read(
                lambda client: find_tagged(client, PaymentIndex(client), period.name,
                                           self._window(period, documents)))
        except AlegraSyncError as exc:
            for doc in check.documents:
                if doc.result == "match":
                    doc.result, doc.error = "unknown", exc
            return
        by_key: dict[str, list[str]] = {}
        for remote in tagged:
            by_key.setdefault(remote.key, []).append(remote.alegra_id)
        for doc in check.documents:
            doc.copies = sorted(i for i in by_key.get(doc.key, []) if i != doc.alegra_id)
            if doc.copies and doc.result == "match":
                doc.result = "duplicate"

    def _window(self, period: Period, documents: list[DocumentRecord]) -> tuple[date, date]:
        """The dates the period's egresos carry; every date they may carry when one is not
        known (a document of an older state)."""
        payments = [d for d in documents if d.kind == "payment"]
        dates = [date.fromisoformat(d.document_date) for d in payments if d.document_date]
        if len(dates) < len(payments):
            return period.start - PAYMENT_DATE_MARGIN, period.end + PAYMENT_DATE_MARGIN
        return (min(dates), max(dates)) if dates else (period.end, period.end)

    # --- the export and the state --------------------------------------------------------

    def _export_changed(self, period: Period) -> bool | None:
        recorded = self._ledger.period(period.name)
        if recorded is None or recorded.export_sha256 is None:
            return None
        try:
            path = find_export(export_folder(self._settings, self._paths),
                               self._settings.export.pattern, (period.start, period.end))
        except (NoExportError, ConfigError, OSError):
            return None
        current = file_sha256(path)
        return None if current is None else current != recorded.export_sha256

    def _record(self, check: PeriodCheck, documents: list[DocumentRecord],
                read: dict[str, Journal | Payment]) -> None:
        at = check.verified_at
        by_key = {d.key: d for d in documents}
        for doc in check.documents:
            record = by_key[doc.key]
            held = read.get(doc.key)
            if doc.first_reading and held is not None:
                self._keep_alegra_lines(record, held)
            detail = json.dumps({"differences": [d.to_json() for d in doc.differences],
                                 "copies": doc.copies,
                                 "error": str(doc.error) if doc.error else None},
                                ensure_ascii=False)
            self._ledger.set_verified(record.key, record.hash, doc.result, detail, at)
        if check.documents:
            self._ledger.set_period_verified(check.period.name, check.result, at)

    def _keep_alegra_lines(self, record: DocumentRecord, held: Journal | Payment) -> None:
        if isinstance(held, Journal):
            lines = [self._line(e.account_id, e.debit, e.credit, e.client_id,
                                cost_center=e.cost_center_id, name=e.name,
                                description=e.description) for e in held.entries]
            self._ledger.set_lines(record.key, record.hash, lines, source="alegra",
                                   document_date=held.date.isoformat())
            return
        lines = [self._line(held_line[0], held_line[3], held_line[4], held.client_id)
                 for held_line in payment_held(held)]
        self._ledger.set_lines(record.key, record.hash, lines, source="alegra",
                               document_date=held.date.isoformat(),
                               bank_account_id=held.bank_account_id)

    def _line(self, account: str, debit: Any, credit: Any, contact: str | None, *,
              cost_center: str | None = None, name: str | None = None,
              description: str | None = None) -> LineRecord:
        return LineRecord(account_id=account, debit=debit, credit=credit, account_name=name,
                          cost_center_id=cost_center, contact_id=contact,
                          tercero_identification=self._contacts.get(contact or ""),
                          tercero_kind=self._kinds.get(contact or ""), description=description)
