"""`skip`: record a period as posted outside alegra-sync (by hand, by the payroll product), so
that ``--catch-up`` and backfills go past it instead of stopping at its missing export.

A skipped period is never posted by alegra-sync (no flag overrides that: posting it would put
the quincena in the books twice); ``skip --undo`` gives it back. Only the state changes: no
Alegra call, so it works offline. It takes the run's lock, as a sync would.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from alegra_sync.config import Paths, Settings, today
from alegra_sync.errors import DataError, UsageError
from alegra_sync.i18n import T, reason_of
from alegra_sync.periods import Period, period_starting
from alegra_sync.sync.ledger import Ledger, RunLock
from alegra_sync.sync.runlog import RunLog

# Documents in these states are, or may be, in Alegra: such a period is alegra-sync's.
_IN_ALEGRA = ("posted", "posting", "uncertain", "replacing")


@dataclass(frozen=True)
class SkipResult:
    period: Period
    reason: str | None  # the reason recorded now; None after an undo
    previous: str | None  # the reason recorded before; None when it was not skipped
    open: bool = False  # the period has not ended yet (today in America/Bogota)


def skip_period(settings: Settings, paths: Paths, start: date, reason: str) -> SkipResult:
    """Record the period starting ``start`` as posted outside alegra-sync, with ``reason``.

    Refused (65) when the state holds documents of it that are, or may be, in Alegra: that
    period was posted by alegra-sync, and skipping it would hide what is in the books. A period
    that only failed (nothing reached Alegra) can be skipped. Skipping again replaces the reason.
    """
    text = " ".join(reason.split())
    if not text:
        raise UsageError(T("--reason is empty"),
                         hint=T("say who posted the period and where, e.g. --reason "
                                "\"posted by hand in Alegra, comprobante 123\""))
    period = _period(settings, start)
    with RunLock(paths.lock), Ledger.open(paths.database) as ledger:
        _refuse_posted(ledger, period)
        previous = ledger.skipped_periods().get(period.name)
        ledger.skip(period.name, period.end.isoformat(), text)
    RunLog(paths.log).event({"event": "skip", "period": period.name, "reason": text,
                             "previous_reason": previous.reason if previous else None})
    return SkipResult(period, text, previous.reason if previous else None,
                      open=period.end > today())


def undo_skip(settings: Settings, paths: Paths, start: date) -> SkipResult:
    """Give a skipped period back to alegra-sync: the next sync of it posts it."""
    period = _period(settings, start)
    with RunLock(paths.lock), Ledger.open(paths.database) as ledger:
        previous = ledger.skipped_periods().get(period.name)
        if previous is not None:
            ledger.unskip(period.name)
    if previous is not None:
        RunLog(paths.log).event({"event": "skip-undone", "period": period.name,
                                 "previous_reason": previous.reason})
    return SkipResult(period, None, previous.reason if previous else None)


def _period(settings: Settings, start: date) -> Period:
    try:
        return period_starting(start, settings.payroll.frequency)
    except ValueError as exc:
        raise UsageError(T("--period: {reason}", reason=reason_of(exc))) from None


def _refuse_posted(ledger: Ledger, period: Period) -> None:
    documents = [doc for doc in ledger.live_documents(period.name) if doc.status in _IN_ALEGRA]
    record = ledger.period(period.name)
    if not documents and (record is None or record.state != "posted"):
        return
    if any(doc.status != "posted" for doc in documents):
        raise DataError(
            T("{period}: alegra-sync may have posted documents of this period (their outcome "
              "is uncertain); it cannot be skipped", period=period.name),
            hint=T("run `alegra-sync sync --period {period}` to settle them first",
                   period=period.name))
    ids = ", ".join(doc.alegra_id or "?" for doc in documents) or "?"
    raise DataError(
        T("{period}: alegra-sync posted this period (Alegra ids {ids}); only a period posted "
          "outside alegra-sync can be skipped", period=period.name, ids=ids),
        hint=T("`alegra-sync status` shows its documents"))
