"""One sync run: select periods → plan → preflight → post exactly once → record → RunResult.

The only module (with its helpers ``posting.py`` and ``contacts.py``) that both reads state
and talks to Alegra. It prints nothing: the CLI renders the RunResult.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from pathlib import Path

from alegra_sync import env
from alegra_sync.alegra.catalog import Catalog
from alegra_sync.alegra.client import AlegraClient
from alegra_sync.config import Paths, Settings, export_folder, today
from alegra_sync.errors import (
    AlegraSyncError,
    ConfigError,
    DataError,
    ExitCode,
    NoExportError,
    UsageError,
)
from alegra_sync.i18n import T, Text, Tn, joined
from alegra_sync.mapping.check import chart_problems
from alegra_sync.mapping.model import Mapping, load_mapping
from alegra_sync.payroll.discover import MissingExportError, find_export
from alegra_sync.payroll.export import export_period, read_export
from alegra_sync.payroll.options import export_options
from alegra_sync.periods import Period, period_starting
from alegra_sync.sync.approval import check_staged, plan_summary, stage_period
from alegra_sync.sync.contacts import resolve_parties
from alegra_sync.sync.ledger import CompanyRecord, Ledger, PeriodRecord, RunLock, now
from alegra_sync.sync.plan import account_infos, select_periods, voucher_options
from alegra_sync.sync.posted import Names, file_sha256, record_posted
from alegra_sync.sync.posting import PeriodPoster
from alegra_sync.sync.remote import PaymentIndex, RemoteDocument
from alegra_sync.sync.result import PeriodResult, PeriodSelection, RunResult, SyncRequest
from alegra_sync.sync.runlog import RunLog
from alegra_sync.vouchers.build import build_vouchers
from alegra_sync.vouchers.diff import PostedLine, PostedPayment, describe_change
from alegra_sync.vouchers.figures import period_figures
from alegra_sync.vouchers.model import AccountInfo, Party, VoucherPlan


class Syncer:
    def __init__(
        self,
        settings: Settings,
        paths: Paths,
        client_factory: Callable[[], AlegraClient],
        *,
        on_start: Callable[[int], None] | None = None,
        on_period: Callable[[PeriodResult], None] | None = None,
        warn: Callable[[str | Text], None] | None = None,
        company_guard: Callable[[CompanyRecord], None] | None = None,
    ) -> None:
        self.settings = settings
        self.paths = paths
        self._client_factory = client_factory
        self.on_start = on_start or (lambda _count: None)  # the number of periods selected
        self.on_period = on_period or (lambda _result: None)
        self._on_warning = warn or (lambda _message: None)
        # a firm's company: refuses an Alegra company another of the firm's slugs has (78)
        self._company_guard = company_guard or (lambda _company: None)
        self._log = RunLog(paths.log)
        self._warnings: list[str] = []
        self._run_id: int | None = None

    def _warn(self, message: str | Text) -> None:
        self._warnings.append(str(message))  # English in --json and the log
        self._on_warning(message)

    def run(self, request: SyncRequest) -> RunResult:
        """The run's result; a refusal of the whole run is its ``error``, logged like any run."""
        self._warnings = []
        lock = RunLock(self.paths.lock)
        try:
            if not request.dry_run:
                lock.acquire()
            with Ledger.open(self.paths.database) as ledger:
                return self._run_locked(request, ledger)
        except AlegraSyncError as exc:  # the lock is held, the state unreadable
            result = RunResult(dry_run=request.dry_run, error=exc, warnings=self._warnings)
            self._log.run(request, result)
            return result
        finally:
            lock.release()

    def _run_locked(self, request: SyncRequest, ledger: Ledger) -> RunResult:
        run_id = self._run_id = ledger.start_run(request.arguments)
        result = RunResult(dry_run=request.dry_run, warnings=self._warnings)
        catalog = Catalog(self._client_factory)
        try:
            periods, skipped_as_posted = self._select(request, ledger)
            self._warn_open_periods(periods)
            self.on_start(len(periods))
            mapping = load_mapping(self.paths.mapping)
            # `skip`ped periods are reported, never posted, and need no Alegra
            skips = {name: skip.reason for name, skip in ledger.skipped_periods().items()}
            to_post = [p for p in periods if p.name not in skips]
            if not (to_post or skipped_as_posted) or self._check_company(
                    ledger, catalog, to_post, result):
                self._sync_periods(periods, request, ledger, mapping, catalog, result, skips)
        except AlegraSyncError as exc:
            result.error = exc
        finally:
            if catalog.opened is not None:
                result.requests = Counter(catalog.opened.requests_sent)
                result.retries = list(catalog.opened.retries)
            catalog.close()
            ledger.finish_run(run_id, result.status, result.exit_code)
            self._log.run(request, result)
        return result

    def _select(self, request: SyncRequest, ledger: Ledger) -> tuple[list[Period], list[str]]:
        """The flags' periods; ``--export`` alone: the period the file names, never a guess
        (the same undated file must never be posted for two periods)."""
        if request.export is not None and request.selection == PeriodSelection():
            return [self._period_of(request.export)], []
        periods, skipped = select_periods(request.selection, self.settings, ledger, today())
        if request.export is not None and len(periods) > 1:
            raise UsageError(T("--export names one file: use it with a single period"))
        return periods, skipped

    def _period_of(self, path: Path) -> Period:
        if not path.is_file():
            raise NoExportError(T("{path}: no such export file", path=path),
                                hint=T("check --export or the path"))
        options = export_options(self.settings)
        named = export_period(path, options) or read_export(path, options,
                                                            defer_totals=True).period
        if named is None:
            raise UsageError(
                T("{file} names no period: it has no period columns and no dates in its name",
                  file=path.name),
                hint=T("say which with --period YYYY-MM-DD (the period's first day)"))
        frequency = self.settings.payroll.frequency
        try:
            period = period_starting(named[0], frequency)
        except ValueError:
            period = None
        if period is None or period.end != named[1]:
            raise DataError(T("{file}: its period {first}–{last} is not a {frequency} payroll "
                              "period", file=path.name, first=named[0].isoformat(),
                              last=named[1].isoformat(), frequency=frequency),
                            hint=T("check the export's dates or [payroll] frequency"))
        return period

    def _warn_open_periods(self, periods: list[Period]) -> None:
        """Posting a quincena before it ends is allowed (payroll is often paid on the 13th or
        the 14th), but typing the wrong date is easy: say so."""
        day = today()
        for period in periods:
            if period.end > day:
                self._warn(T("{period}: the period ends {end}, after today ({today}); the "
                             "export must be its final one", period=period.name,
                             end=period.end.isoformat(), today=day.isoformat()))

    def _check_company(self, ledger: Ledger, catalog: Catalog, periods: list[Period],
                       result: RunResult) -> bool:
        """Refuse state recorded against another company (78); record it on first use.

        Before anything trusts the state: its `posted` rows would otherwise pass for periods
        posted in the connected company. False when Alegra cannot say which company it is:
        the first period fails with that error, as it would have on its first read.
        """
        try:
            company = catalog.company
        except AlegraSyncError as exc:
            if not periods:
                raise
            self._fail_all(periods, result, exc)
            return False
        current = CompanyRecord((company.identification or "").strip(), company.name.strip())
        self._company_guard(current)
        recorded = ledger.bind_company(current)
        if not recorded.same_as(current):
            raise ConfigError(
                T("the state database {path} belongs to {recorded}, but Alegra is connected "
                  "to {current}; nothing was synced", path=ledger.path, recorded=recorded,
                  current=current),
                hint=T("use a separate home for each company: {variable}=<another folder> "
                       "alegra-sync connect; or connect back to {company}",
                       variable=env.HOME, company=recorded.name),
            )
        return True

    def _fail_all(self, periods: list[Period], result: RunResult,
                  error: AlegraSyncError) -> None:
        first, *rest = sorted(periods)
        failed = PeriodResult(first, "failed", error=error)
        for outcome in [failed, *(PeriodResult(p, "failed", error=_blocked_by(failed))
                                  for p in rest)]:
            result.periods.append(outcome)
            self.on_period(outcome)

    def _sync_periods(
        self, periods: list[Period], request: SyncRequest, ledger: Ledger, mapping: Mapping,
        catalog: Catalog, result: RunResult, skips: dict[str, str],
    ) -> None:
        payments: PaymentIndex | None = None  # egreso windows, shared by the run's periods
        accounts: dict[str, AccountInfo] = {}
        failed: PeriodResult | None = None
        for period in sorted(periods):
            if period.name in skips:  # posted outside alegra-sync: blocks nothing after it
                skipped = PeriodResult(period, "skipped", reason=skips[period.name])
                result.periods.append(skipped)
                self.on_period(skipped)
                continue
            if failed is not None and not request.dry_run:
                # never post a period before an earlier unposted one; a dry run goes on, to
                # show every period's problem at once
                blocked = PeriodResult(period, "failed", error=_blocked_by(failed))
                result.periods.append(blocked)
                self.on_period(blocked)
                continue
            if payments is None:
                payments, accounts = PaymentIndex(catalog.client), account_infos(catalog.chart)
            outcome = self._sync_period(period, request, ledger, mapping, catalog, accounts,
                                        payments)
            if failed is not None:
                self._warn(T("{period}: a sync posts it only once {earlier} is posted "
                             "(periods post in order)", period=period.name,
                             earlier=failed.period.name))
            if outcome.plan is not None and not result.accounts:
                result.accounts = accounts
                result.cost_centers = {c.id: c.name for c in catalog.cost_centers}
                result.bank_accounts = {b.id: b.name for b in catalog.bank_accounts}
            result.periods.append(outcome)
            self.on_period(outcome)
            if outcome.outcome == "failed" and failed is None:
                failed = outcome

    def _sync_period(
        self, period: Period, request: SyncRequest, ledger: Ledger, mapping: Mapping,
        catalog: Catalog, accounts: dict[str, AccountInfo], payments: PaymentIndex,
    ) -> PeriodResult:
        result = PeriodResult(period, "failed")
        try:
            recorded = ledger.period(period.name)
            if recorded is not None and recorded.state == "posted" and not request.replace:
                archived = self._archived(period, request.export, ledger, recorded)
                if archived is not None:
                    return archived
            result.export = self._export_path(period, request.export)
            export = read_export(result.export, export_options(self.settings),
                                 period=(period.start, period.end), defer_totals=True)
            plan = build_vouchers(export, mapping, accounts, period,
                                  voucher_options(self.settings, catalog.company, export,
                                                  period))
            if all(employee.neto is None for employee in export.employees):
                self._warn(T("{period}: {file} gives no net pay (Neto a pagar): the net pay "
                             "the mapping computes is posted unchecked", period=period.name,
                             file=export.file))
            result.plan = plan
            problems = chart_problems(mapping, export.concepts, catalog.chart,
                                      catalog.cost_centers, catalog.bank_accounts,
                                      warn=self._warn)
            if problems:
                raise ConfigError(
                    joined("; ", problems),
                    hint=T("fix the mapping (`alegra-sync map`) or the accounts in Alegra"),
                )
            # [sync] approval = "required": stage (every check of a dry run), post nothing
            staging = (self.settings.sync.approval == "required" and not request.dry_run
                       and not request.approve)
            resolve = partial(
                resolve_parties, plan.parties(), catalog.client, ledger,
                create_missing=self.settings.contacts.create_missing,
                dry_run=request.dry_run or staging,
                recheck_delays=self.settings.sync.recheck_delays,
            )
            contact_ids = resolve()

            def refresh_contacts(stale_id: str) -> dict[Party, str]:
                ledger.forget_contact_id(stale_id)
                return resolve()

            poster = PeriodPoster(
                catalog.client, ledger, payments,
                recheck_delays=self.settings.sync.recheck_delays,
                number_template=self.settings.journal.number_template,
                warn=self._warn, refresh_contacts=refresh_contacts,
                log=self._log.event,  # "uncertain → adopted" recoveries, for the run log
            )
            result.contact_names = _names(plan.parties(), contact_ids)
            describe = partial(_describe_stale, plan=plan, contact_ids=contact_ids,
                               labels=_account_labels(accounts),
                               centers={c.id: c.name for c in catalog.cost_centers},
                               banks={b.id: b.name for b in catalog.bank_accounts},
                               known=_known_contacts(ledger))
            if request.dry_run or staging:  # what the sync would do, refused where it would be
                missing = len(plan.parties() - contact_ids.keys())
                if missing and request.dry_run:
                    self._warn(Tn("{period}: {n} tercero is not an Alegra contact yet; sync "
                                  "will create it",
                                  "{period}: {n} terceros are not Alegra contacts yet; sync "
                                  "will create them", missing, period=period.name))
                result.preview = poster.preview(plan, contact_ids, replace=request.replace,
                                                describe_change=describe)
                result.outcome = "already-posted" if result.preview.all_posted else "dry-run"
                result.already = ledger.live_documents(period.name)
                if staging and not result.preview.all_posted:
                    stage_period(ledger, plan, result.export, self.paths.mapping,
                                 self._summary(plan, accounts, catalog), replace=request.replace)
                    result.outcome = "staged"
                return result
            if request.approve:  # exactly what was staged, else staged again (65)
                check_staged(ledger, plan, result.export, self.paths.mapping,
                             self._summary(plan, accounts, catalog))
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
            self._record_period(ledger, plan, result.export, "posted",
                                made_here=bool(posted.posted_now or posted.replaced))
            names = Names(accounts, {c.id: c.name for c in catalog.cost_centers},
                          {b.id: b.name for b in catalog.bank_accounts})
            figures = period_figures(export, mapping, plan, precision=catalog.company
                                     .decimal_precision,
                                     negative_deductions=self.settings.export.negative_deductions)
            record_posted(ledger, plan, posted.contact_ids, names, figures)
            ledger.unstage(period.name)  # posted: no longer waiting for approval
            self._log.documents(ledger.live_documents(period.name))
        except AlegraSyncError as exc:
            if isinstance(exc, MissingExportError):
                exc.with_hint(_missing_export_hint(period, request))
            result.outcome, result.error = "failed", exc
            if request.dry_run:  # records nothing; says what the state holds (a posted period)
                result.already = ledger.live_documents(period.name)
            else:
                self._record_failure(ledger, period, result, exc)
        return result

    # --- helpers --------------------------------------------------------------------------

    @staticmethod
    def _summary(plan: VoucherPlan, accounts: dict[str, AccountInfo],
                 catalog: Catalog) -> dict[str, object]:
        return plan_summary(plan, accounts, {b.id: b.name for b in catalog.bank_accounts})

    def _export_path(self, period: Period, explicit: Path | None) -> Path:
        if explicit is not None:
            return explicit
        folder = export_folder(self.settings, self.paths)
        return find_export(folder, self.settings.export.pattern, (period.start, period.end))

    def _record_failure(self, ledger: Ledger, period: Period, result: PeriodResult,
                        error: AlegraSyncError) -> None:
        """`status` shows every period a run tried: a failure leaves the period `failed`
        with its error line, even when it came before any document (no export, a mapping
        Alegra refuses) — with the plan's totals when there was a plan, else none. A posted
        period stays posted (the run log has why this run stopped): status shows what is in
        Alegra."""
        recorded = ledger.period(period.name)
        # a staged period stays staged too: what was staged can still be approved
        if recorded is not None and recorded.state in ("posted", "staged"):
            return
        if recorded is not None:
            ledger.set_period_state(period.name, "failed", str(error))
        elif result.plan is not None:
            self._record_period(ledger, result.plan, result.export, "failed", str(error))
        else:  # no plan: no hash and no totals yet (empty, as the schema wants text)
            ledger.set_period(PeriodRecord(
                period=period.name, end_date=period.end.isoformat(), hash="", debit_total="",
                credit_total="", net_pay="", export=str(result.export) if result.export else None,
                state="failed", error=str(error), updated_at=now(),
            ))

    def _record_period(self, ledger: Ledger, plan: VoucherPlan, export: Path | None,
                       state: str, error: str | None = None, *, made_here: bool = False) -> None:
        ledger.set_period(PeriodRecord(
            period=plan.period.name, end_date=plan.period.end.isoformat(),
            hash=plan.content_hash, debit_total=str(plan.debit_total),
            credit_total=str(plan.credit_total), net_pay=str(plan.net_pay),
            export=str(export) if export else None, state=state, error=error,
            updated_at=now(), run_id=self._run_id if made_here else None,
            export_sha256=file_sha256(export) if export else None,
        ))

    def _archived(self, period: Period, explicit: Path | None, ledger: Ledger,
                  recorded: PeriodRecord) -> PeriodResult | None:
        """A period the state holds as posted whose export is no longer there (archived) is
        already posted: nothing to read, nothing to ask Alegra (accounting.md, "What the state
        keeps"). None when its export is there: the run compares it with what was posted."""
        try:
            self._export_path(period, explicit)
            return None
        except NoExportError:
            pass
        documents = ledger.live_documents(period.name)
        posted = [d for d in documents if d.status == "posted" and d.hash == recorded.hash]
        return PeriodResult(
            period, "already-posted",
            journal_ids=[d.alegra_id or "" for d in posted if d.kind == "journal"],
            payment_ids=[d.alegra_id or "" for d in posted if d.kind == "payment"],
            totals=(Decimal(recorded.debit_total), Decimal(recorded.credit_total),
                    Decimal(recorded.net_pay)),
            already=documents,
        )


def _names(parties: set[Party], contact_ids: dict[Party, str]) -> dict[str, str]:
    return {contact_ids[p]: p.name for p in parties if p in contact_ids}


def _missing_export_hint(period: Period, request: SyncRequest) -> Text:
    """What to do about a period's missing export, for the person and for cron's mail: cron
    does not try again before its next date, up to 15 days away."""
    selection = request.selection
    if not selection.catch_up and selection.first is None and selection.last is None:
        command = "alegra-sync sync --period " + period.name
        return T("put the export there, named with the period's dates, and run `{command}` once "
                 "it is there: cron does not try again before its next date (the 1st or the "
                 "16th)", command=command)
    if selection.catch_up:
        command = "alegra-sync sync --catch-up"
    else:
        bounds = {"--from": selection.first, "--to": selection.last}
        command = " ".join(["alegra-sync sync", *(f"{flag} {day.isoformat()}"
                                                  for flag, day in bounds.items() if day)])
    # a backfill stops at this period every time: say how to go past it
    return T("put the export there, named with the period's dates, and run `{command}` once it "
             "is there (cron does not try again before its next date, the 1st or the 16th); "
             "if the period was posted outside alegra-sync: `alegra-sync skip --period {period} "
             "--reason \"…\"`", command=command, period=period.name)


def _blocked_by(failed: PeriodResult) -> AlegraSyncError:
    code = failed.error.exit_code if failed.error else ExitCode.DATA
    error = AlegraSyncError(
        T("not attempted: the earlier period {period} failed", period=failed.period.name),
        hint=T("fix it and run again; periods post in order"),
    )
    error.exit_code = code
    return error


def _known_contacts(ledger: Ledger) -> dict[str, Party]:
    """The terceros of the contacts cache by Alegra id: a refusal names those a new mapping
    dropped (by identification: the cache keeps no names)."""
    return {alegra_id: Party("entity" if kind == "entity" else "employee", ident, ident,
                             "NIT" if kind == "entity" else "CC")
            for (kind, ident), alegra_id in ledger.contact_ids().items()}


def _account_labels(accounts: dict[str, AccountInfo]) -> dict[str, str]:
    return {a.id: f"{a.code or a.id} {a.name}" for a in accounts.values()}


def _describe_stale(stale: list[RemoteDocument], plan: VoucherPlan,
                    contact_ids: dict[Party, str], labels: dict[str, str],
                    centers: dict[str, str], banks: dict[str, str],
                    known: dict[str, Party]) -> DataError:
    """The refusal of a period Alegra holds with other content: what differs between its
    documents there and the new plan, and whether the export or the mapping changed."""
    posted = [PostedLine(entry.account_id, entry.client_id, entry.debit, entry.credit,
                         entry.cost_center_id)
              for doc in stale if doc.journal for entry in doc.journal.entries]
    paid = [PostedPayment(doc.key, doc.payment.bank_account_id, doc.payment.date,
                          sum((c.price * c.quantity for c in doc.payment.categories), Decimal(0)),
                          doc.payment.client_id)
            for doc in stale if doc.payment]
    change = describe_change(posted, plan, contact_ids, labels, payments=paid,
                             cost_center_labels=centers, bank_labels=banks,
                             known_contacts=known)
    name = plan.period.name
    return DataError(change.message(name), hint=change.hint(name))
