"""`approve`: post the staged periods, oldest first, each in its own run under the lock, each
only if its content is still what was staged (sync/approval.py)."""

from __future__ import annotations

from collections import Counter
from datetime import date

from alegra_sync.errors import AlegraSyncError
from alegra_sync.i18n import T
from alegra_sync.periods import period_starting
from alegra_sync.sync.approval import Staged
from alegra_sync.sync.result import PeriodResult, PeriodSelection, RunResult, SyncRequest
from alegra_sync.sync.run import Syncer


def approve_periods(syncer: Syncer, staged: list[Staged]) -> RunResult:
    """Each staged period posted as staged; after a failure, the later ones wait."""
    combined = RunResult()
    failed: PeriodResult | None = None
    frequency = syncer.settings.payroll.frequency
    for chosen in sorted(staged, key=lambda s: s.period):
        start = date.fromisoformat(chosen.period)
        if failed is not None:
            blocked = PeriodResult(period_starting(start, frequency), "failed",
                                   error=_not_attempted(failed))
            combined.periods.append(blocked)
            continue
        request = SyncRequest(PeriodSelection(period=start), replace=chosen.replace,
                              approve=True,
                              arguments=f"approve --period {chosen.period}")
        result = syncer.run(request)
        combined.requests += Counter(result.requests)
        combined.warnings += [w for w in result.warnings if w not in combined.warnings]
        combined.accounts.update(result.accounts)
        combined.cost_centers.update(result.cost_centers)
        combined.bank_accounts.update(result.bank_accounts)
        if result.error is not None:
            combined.error = result.error
            return combined
        combined.periods += result.periods
        failed = next((p for p in result.periods if p.outcome == "failed"), None)
    return combined


def _not_attempted(failed: PeriodResult) -> AlegraSyncError:
    error = AlegraSyncError(
        T("not approved: the earlier period {period} failed", period=failed.period.name),
        hint=T("fix it and approve again; periods post in order"))
    if failed.error is not None:
        error.exit_code = failed.error.exit_code
    return error
