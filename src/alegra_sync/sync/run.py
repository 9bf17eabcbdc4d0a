"""One sync run: plan → preflight → post exactly once → record → RunResult.

The only module (with its helpers ``posting.py`` and ``contacts.py``) that both reads state
and talks to Alegra. It prints nothing: the CLI renders the RunResult.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property, partial
from pathlib import Path
from typing import Any, Literal

from alegra_sync.alegra.client import AlegraClient
from alegra_sync.alegra.models import Account, BankAccount, Company, CostCenter
from alegra_sync.config import Paths, Settings, export_folder, export_options
from alegra_sync.errors import AlegraSyncError, ConfigError, ExitCode
from alegra_sync.mapping.check import chart_problems
from alegra_sync.mapping.model import Mapping, load_mapping
from alegra_sync.payroll.discover import find_export
from alegra_sync.payroll.export import read_export
from alegra_sync.payroll.model import PayrollExport
from alegra_sync.periods import Period
from alegra_sync.sync.contacts import resolve_parties
from alegra_sync.sync.ledger import (
    CompanyRecord,
    DocumentRecord,
    Ledger,
    PeriodRecord,
    RunLock,
    now,
)
from alegra_sync.sync.posting import PaymentIndex, PeriodPoster, RemoteDocument
from alegra_sync.vouchers.build import build_vouchers
from alegra_sync.vouchers.model import AccountInfo, Party, VoucherOptions, VoucherPlan

Outcome = Literal["posted", "already-posted", "dry-run", "failed", "replaced"]


@dataclass
class PeriodResult:
    period: Period
    outcome: Outcome
    journal_ids: list[str] = field(default_factory=list)
    payment_ids: list[str] = field(default_factory=list)
    plan: VoucherPlan | None = None
    export: Path | None = None
    error: AlegraSyncError | None = None
    already: list[DocumentRecord] = field(default_factory=list)  # for the dry run
    contact_names: dict[str, str] = field(default_factory=dict)  # alegra id -> name

    def to_json(self) -> dict[str, Any]:
        plan = self.plan
        return {
            "period": self.period.name,
            "end": self.period.end.isoformat(),
            "outcome": self.outcome,
            "journal_ids": self.journal_ids,
            "payment_ids": self.payment_ids,
            "debit_total": str(plan.debit_total) if plan else None,
            "credit_total": str(plan.credit_total) if plan else None,
            "net_pay": str(plan.net_pay) if plan else None,
            "error": _error_json(self.error),
        }


@dataclass
class RunResult:
    periods: list[PeriodResult]
    requests: Counter[str]
    dry_run: bool = False
    # names for display: the chart, cost centers and bank accounts the run read
    accounts: dict[str, AccountInfo] = field(default_factory=dict)
    cost_centers: dict[str, str] = field(default_factory=dict)
    bank_accounts: dict[str, str] = field(default_factory=dict)
    # a refusal of the whole run (lock held, mapping invalid, another company's state…)
    error: AlegraSyncError | None = None

    @property
    def failures(self) -> list[PeriodResult]:
        return [p for p in self.periods if p.outcome == "failed"]

    @property
    def status(self) -> str:
        if self.error is not None:
            return "error"
        if not self.periods:
            return "nothing-to-do"
        failed = self.failures
        if not failed:
            return "success"
        return "partial" if len(failed) < len(self.periods) else "error"

    @property
    def exit_code(self) -> int:
        first = self.error or next((p.error for p in self.failures if p.error is not None),
                                   None)
        return int(first.exit_code) if first else int(ExitCode.OK)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": 1,
            "command": "sync",
            "status": self.status,
            "periods": [p.to_json() for p in self.periods],
            "requests": {m: self.requests.get(m, 0) for m in ("GET", "POST", "PUT", "DELETE")},
            "error": _error_json(self.error),
        }


@dataclass
class SyncRequest:
    periods: list[Period]
    export: Path | None = None
    dry_run: bool = False
    replace: bool = False
    arguments: str = "sync"
    # periods left out because the state says posted (--catch-up): only valid if the state
    # belongs to the connected company, so the run must still check that
    skipped_as_posted: list[str] = field(default_factory=list)


class Alegra:
    """What one run reads from Alegra, each at most once (and only when needed)."""

    def __init__(self, client: AlegraClient) -> None:
        self.client = client

    @cached_property
    def company(self) -> Company:
        return self.client.company()

    @cached_property
    def chart(self) -> list[Account]:
        return self.client.categories()

    @cached_property
    def accounts(self) -> dict[str, AccountInfo]:
        return account_infos(self.chart)

    @cached_property
    def cost_centers(self) -> list[CostCenter]:
        return self.client.cost_centers()

    @cached_property
    def bank_accounts(self) -> list[BankAccount]:
        return self.client.bank_accounts()


class Syncer:
    def __init__(
        self,
        settings: Settings,
        paths: Paths,
        client_factory: Callable[[], AlegraClient],
        *,
        on_period: Callable[[PeriodResult], None] | None = None,
        warn: Callable[[str], None] | None = None,
    ) -> None:
        self.settings = settings
        self.paths = paths
        self._client_factory = client_factory
        self.on_period = on_period or (lambda _result: None)
        self._warn = warn or (lambda _message: None)

    def run(self, request: SyncRequest) -> RunResult:
        """The run's result; a refusal of the whole run is its ``error``, logged like any run."""
        lock = RunLock(self.paths.lock)
        try:
            if not request.dry_run:
                lock.acquire()
            with Ledger.open(self.paths.database) as ledger:
                return self._run_locked(request, ledger)
        except AlegraSyncError as exc:  # the lock is held, the state unreadable
            result = RunResult([], Counter(), dry_run=request.dry_run, error=exc)
            self.log_run(request, result)
            return result
        finally:
            lock.release()

    def _run_locked(self, request: SyncRequest, ledger: Ledger) -> RunResult:
        run_id = ledger.start_run(request.arguments)
        result = RunResult([], Counter(), dry_run=request.dry_run)
        client = None
        try:
            mapping = load_mapping(self.paths.mapping)
            if request.periods or request.skipped_as_posted:
                client = self._client_factory()
                alegra = Alegra(client)
                if self._check_company(ledger, alegra, request, result):
                    self._sync_periods(request, ledger, mapping, alegra, result)
        except AlegraSyncError as exc:
            result.error = exc
        finally:
            if client is not None:
                result.requests = Counter(client.requests_sent)
                client.close()
            ledger.finish_run(run_id, result.status, result.exit_code)
            self.log_run(request, result)
        return result

    def _check_company(self, ledger: Ledger, alegra: Alegra, request: SyncRequest,
                       result: RunResult) -> bool:
        """Refuse state recorded against another company (78); record it on first use.

        Before anything trusts the state: its `posted` rows would otherwise pass for periods
        posted in the connected company. False when Alegra cannot say which company it is:
        the first period fails with that error, as it would have on its first read.
        """
        try:
            company = alegra.company
        except AlegraSyncError as exc:
            if not request.periods:
                raise
            self._fail_all(request, result, exc)
            return False
        current = CompanyRecord((company.identification or "").strip(), company.name.strip())
        recorded = ledger.bind_company(current)
        if not recorded.same_as(current):
            raise ConfigError(
                f"the state database {ledger.path} belongs to {recorded}, but Alegra is "
                f"connected to {current}; nothing was synced",
                hint="use a separate home for each company: ALEGRA_SYNC_HOME=<another folder> "
                f"alegra-sync connect; or connect back to {recorded.name}",
            )
        return True

    def _fail_all(self, request: SyncRequest, result: RunResult,
                  error: AlegraSyncError) -> None:
        first, *rest = sorted(request.periods)
        failed = PeriodResult(first, "failed", error=error)
        for outcome in [failed, *(PeriodResult(p, "failed", error=_blocked_by(failed))
                                  for p in rest)]:
            result.periods.append(outcome)
            self.on_period(outcome)

    def _sync_periods(
        self, request: SyncRequest, ledger: Ledger, mapping: Mapping, alegra: Alegra,
        result: RunResult,
    ) -> None:
        client = alegra.client
        poster = PeriodPoster(
            client, ledger, PaymentIndex(client),
            recheck_delays=self.settings.sync.recheck_delays,
            number_template=self.settings.journal.number_template,
        )
        failed: PeriodResult | None = None
        for period in sorted(request.periods):
            if failed is not None:  # never post a period before an earlier unposted one
                blocked = PeriodResult(period, "failed", error=_blocked_by(failed))
                result.periods.append(blocked)
                self.on_period(blocked)
                continue
            outcome = self._sync_period(period, request, ledger, mapping, alegra, poster)
            if outcome.plan is not None and not result.accounts:
                result.accounts = alegra.accounts
                result.cost_centers = {c.id: c.name for c in alegra.cost_centers}
                result.bank_accounts = {b.id: b.name for b in alegra.bank_accounts}
            result.periods.append(outcome)
            self.on_period(outcome)
            if outcome.outcome == "failed":
                failed = outcome

    def _sync_period(
        self, period: Period, request: SyncRequest, ledger: Ledger, mapping: Mapping,
        alegra: Alegra, poster: PeriodPoster,
    ) -> PeriodResult:
        result = PeriodResult(period, "failed")
        try:
            result.export = self._export_path(period, request.export)
            export = read_export(result.export, export_options(self.settings),
                                 period=(period.start, period.end))
            plan = build_vouchers(export, mapping, alegra.accounts, period,
                                  voucher_options(self.settings, alegra.company, export, period))
            if all(employee.neto is None for employee in export.employees):
                self._warn(f"{period.name}: {export.file} gives no net pay (Neto a pagar): "
                           "the net pay the mapping computes is posted unchecked")
            result.plan = plan
            problems = chart_problems(mapping, export.concepts, alegra.chart,
                                      alegra.cost_centers, alegra.bank_accounts, warn=self._warn)
            if problems:
                raise ConfigError(
                    "; ".join(problems),
                    hint="fix the mapping (`alegra-sync map`) or the accounts in Alegra",
                )
            contact_ids = resolve_parties(
                plan.parties(), alegra.client, ledger,
                create_missing=self.settings.contacts.create_missing, dry_run=request.dry_run,
                recheck_delays=self.settings.sync.recheck_delays,
            )
            result.contact_names = _names(plan.parties(), contact_ids)
            describe = partial(describe_change, plan=plan, contact_ids=contact_ids,
                               chart=alegra.chart)
            if request.dry_run:  # what the sync would do, refused where it would be
                missing = len(plan.parties() - contact_ids.keys())
                if missing:
                    self._warn(f"{period.name}: {missing} terceros are not Alegra contacts "
                               "yet; sync will create them")
                all_posted = poster.preview(plan, replace=request.replace,
                                            describe_change=describe)
                result.outcome = "already-posted" if all_posted else "dry-run"
                result.already = ledger.live_documents(period.name)
                return result
            recorded = ledger.period(period.name)
            if recorded is None or recorded.state != "posted":
                # a posted period keeps its record (its export's totals) until replaced
                self._record_period(ledger, plan, result.export, "pending")
            posted = poster.post(plan, contact_ids, replace=request.replace,
                                 describe_change=describe)
            result.journal_ids, result.payment_ids = posted.journal_ids, posted.payment_ids
            if posted.replaced:
                result.outcome = "replaced"
            elif posted.posted_now:
                result.outcome = "posted"
            else:
                result.outcome = "already-posted"
            self._record_period(ledger, plan, result.export, "posted")
            self._log_documents(ledger, period)
        except AlegraSyncError as exc:
            result.outcome, result.error = "failed", exc
            recorded = ledger.period(period.name)
            # a dry run records nothing; a posted period stays posted (the run log has why
            # this run stopped): status shows what is in Alegra
            if not request.dry_run and recorded is not None and recorded.state != "posted":
                ledger.set_period_state(period.name, "failed", str(exc))
        return result

    # --- helpers --------------------------------------------------------------------------

    def _export_path(self, period: Period, explicit: Path | None) -> Path:
        if explicit is not None:
            return explicit
        folder = export_folder(self.settings, self.paths)
        return find_export(folder, self.settings.export.pattern, (period.start, period.end))

    def _record_period(self, ledger: Ledger, plan: VoucherPlan, export: Path | None,
                       state: str) -> None:
        ledger.set_period(PeriodRecord(
            period=plan.period.name, end_date=plan.period.end.isoformat(),
            hash=plan.content_hash, debit_total=str(plan.debit_total),
            credit_total=str(plan.credit_total), net_pay=str(plan.net_pay),
            export=str(export) if export else None, state=state, error=None,
            updated_at=now(),
        ))

    def _log_documents(self, ledger: Ledger, period: Period) -> None:
        lines = [{"time": now(), "event": "document", **doc.__dict__}
                 for doc in ledger.live_documents(period.name)]
        self._append_log(lines)

    def log_run(self, request: SyncRequest, result: RunResult) -> None:
        self._append_log([{"time": now(), "event": "run", "arguments": request.arguments,
                           "dry_run": request.dry_run, "exit_code": result.exit_code,
                           **result.to_json()}])

    def _append_log(self, lines: list[dict[str, Any]]) -> None:
        self.paths.log.parent.mkdir(parents=True, exist_ok=True)
        with self.paths.log.open("a", encoding="utf-8") as handle:
            for line in lines:
                handle.write(json.dumps(line, ensure_ascii=False, default=str) + "\n")


def _error_json(error: AlegraSyncError | None) -> dict[str, Any] | None:
    return {"code": int(error.exit_code), "message": str(error)} if error else None


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
    )


def account_infos(chart: list[Account]) -> dict[str, AccountInfo]:
    return {a.id: AccountInfo(id=a.id, name=a.name, code=a.code, type=a.type) for a in chart}


def _names(parties: set[Party], contact_ids: dict[Party, str]) -> dict[str, str]:
    return {contact_ids[p]: p.name for p in parties if p in contact_ids}


def _blocked_by(failed: PeriodResult) -> AlegraSyncError:
    code = failed.error.exit_code if failed.error else ExitCode.DATA
    error = AlegraSyncError(
        f"not attempted: the earlier period {failed.period.name} failed",
        hint="fix it and run again; periods post in order",
    )
    error.exit_code = code
    return error


def describe_change(stale: list[RemoteDocument], plan: VoucherPlan,
                    contact_ids: dict[Party, str], chart: list[Account]) -> str:
    """What differs between the posted journals and the new plan: totals, accounts, people."""
    Key = tuple[str, str | None]  # (account id, contact id)
    old: dict[Key, Decimal] = defaultdict(Decimal)
    new: dict[Key, Decimal] = defaultdict(Decimal)
    old_total = Decimal(0)
    for doc in stale:
        for entry in doc.journal.entries if doc.journal else []:
            old[(entry.account_id, entry.client_id)] += entry.debit - entry.credit
            old_total += entry.debit
    for journal in plan.journals:
        for line in journal.lines:
            client = contact_ids.get(line.party) if line.party else None
            new[(line.account_id, client)] += line.debit - line.credit
    changed = [key for key in old.keys() | new.keys() if old[key] != new[key]]
    labels = {a.id: f"{a.code or a.id} {a.name}" for a in chart}
    people = {contact_ids[p]: f"{p.name} ({p.identification})" for p in contact_ids
              if p.kind == "employee"}
    accounts = sorted({labels.get(account, account) for account, _ in changed})
    employees = sorted({people[client] for _, client in changed if client in people})
    parts = [f"debits {old_total} posted, {plan.debit_total} now"]
    for title, names in (("accounts", accounts), ("employees", employees)):
        if names:
            parts.append(f"{title} " + ", ".join(names[:8]) + (" …" if len(names) > 8 else ""))
    return "; ".join(parts)
