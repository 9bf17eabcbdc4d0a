"""What a run works on: its periods (from the flags and the state) and how settings and the
company shape each period's vouchers."""

from __future__ import annotations

from datetime import date, timedelta

from alegra_sync import periods as rules
from alegra_sync.alegra.models import Account, Company
from alegra_sync.config import Settings
from alegra_sync.errors import ConfigError, UsageError
from alegra_sync.i18n import T, reason_of
from alegra_sync.payroll.model import PayrollExport
from alegra_sync.periods import Period
from alegra_sync.sync.ledger import Ledger
from alegra_sync.sync.result import PeriodSelection
from alegra_sync.vouchers.model import AccountInfo, VoucherOptions


def select_periods(selection: PeriodSelection, settings: Settings, ledger: Ledger,
                   today: date) -> tuple[list[Period], list[str]]:
    """The periods to sync, and those ``--catch-up`` leaves out as posted according to the
    state (the run checks that the state belongs to the connected company before trusting
    that). ``--catch-up`` also leaves out the skipped periods; the other selections keep them,
    for the run to report. Called under the run's lock: the state cannot change meanwhile."""
    frequency = settings.payroll.frequency
    due = rules.period_due(today, frequency)
    if selection.period is not None:
        try:
            return [rules.period_starting(selection.period, frequency)], []
        except ValueError as exc:
            raise UsageError(T("--period: {reason}", reason=reason_of(exc))) from None
    if selection.first is not None or selection.last is not None:
        first, last = selection.first or due.start, selection.last or due.end
        found = rules.periods_between(first, last, frequency)
        if not found and selection.first is None:
            raise UsageError(T("--to {last} is before the period due now ({due}), where a "
                               "range without --from starts", last=last.isoformat(),
                               due=due.name),
                             hint=T("give --from too, e.g. --from {first}",
                                    first=last.replace(day=1).isoformat()))
        if not found:
            raise UsageError(T("--from {first} is after the last closed period ({due}), "
                               "where a range without --to ends", first=first.isoformat(),
                               due=due.name),
                             hint=T("give --to too, or --period for a period not ended yet"))
        return found, []
    if selection.catch_up:
        start = settings.sync.start
        if start is None:
            raise ConfigError(T("--catch-up needs [sync] start in config.toml"),
                              hint=T("set start = YYYY-MM-DD, the first period to consider"))
        posted = ledger.posted_periods()
        skipped = ledger.skipped_periods()  # posted outside alegra-sync: gone past
        closed = rules.closed_periods_since(start, today, frequency)
        return ([p for p in closed if p.name not in posted and p.name not in skipped],
                [p.name for p in closed if p.name in posted])
    return [due], []


def voucher_options(settings: Settings, company: Company, export: PayrollExport,
                    period: Period) -> VoucherOptions:
    """How the settings and the company shape a period's vouchers (also for `map --check`)."""
    sync = settings.sync
    payment_date = period.end + timedelta(days=sync.payment_days_after_end)
    journal_date: date | None = None
    if sync.journal_date == "payment_date":
        dates = [e.payment_date for e in export.employees if e.payment_date]
        journal_date = min(dates) if dates else payment_date
    return VoucherOptions(
        detail=settings.journal.detail,
        max_entries=settings.journal.max_entries,
        negative_deductions=settings.export.negative_deductions,
        precision=company.decimal_precision,
        journal_date=journal_date,
        payment_date=payment_date,
        rounding_tolerance=settings.journal.rounding_tolerance,
    )


def account_infos(chart: list[Account]) -> dict[str, AccountInfo]:
    return {a.id: AccountInfo(id=a.id, name=a.name, code=a.code, type=a.type) for a in chart}
