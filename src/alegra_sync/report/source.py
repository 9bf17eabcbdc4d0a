"""Where a period report comes from (report.md): the state for a posted period — its
documents' lines and the figures kept when it was posted, no Alegra call, no export — or, for a
period not posted yet, the plan a dry run builds, marked as a simulation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from alegra_sync.alegra.catalog import Catalog
from alegra_sync.alegra.client import AlegraClient
from alegra_sync.config import Paths, Settings, export_folder
from alegra_sync.errors import NoExportError
from alegra_sync.i18n import T
from alegra_sync.periods import Period
from alegra_sync.sync.ledger import Ledger, LineRecord
from alegra_sync.sync.posted import journal_lines, payment_lines
from alegra_sync.sync.result import PeriodSelection
from alegra_sync.sync.simulate import simulate
from alegra_sync.sync.verify import DocumentCheck, PeriodCheck, verify
from alegra_sync.vouchers.figures import PeriodFigures, figures_from_json
from alegra_sync.vouchers.model import ZERO


@dataclass
class SourceDocument:
    key: str
    kind: str  # journal | payment
    alegra_id: str | None
    date: str | None
    amount: Decimal
    lines: list[LineRecord] | None  # None: not recorded (a state older than the lines)
    bank_account: str | None = None
    verify: DocumentCheck | None = None


@dataclass
class ReportSource:
    period: Period
    simulated: bool
    company_name: str
    company_identification: str
    export_file: str | None
    export_sha256: str | None
    content_hash: str
    documents: list[SourceDocument]
    figures: PeriodFigures | None
    posted_at: str | None = None
    run: str | None = None  # the run that posted it: "#12, 2026-11-16T12:00:00+00:00"
    verify: PeriodCheck | None = None
    verify_asked: bool = False
    lines_from_alegra: list[str] = field(default_factory=list)  # keys
    staged: bool = False  # a simulation of what is staged for approval (`approve` posts it)

    @property
    def precision(self) -> int:
        """2 when any amount has cents, else 0 (the company's precision, as posted)."""
        for doc in self.documents:
            for line in doc.lines or []:
                if line.debit != line.debit.to_integral_value() or \
                        line.credit != line.credit.to_integral_value():
                    return 2
        return 0


def load_source(settings: Settings, paths: Paths, period: Period,
                client_factory: Callable[[], AlegraClient], *, with_verify: bool = False,
                ) -> ReportSource:
    staged: str | None = None  # the staged content hash
    if paths.database.exists():
        with Ledger.open(paths.database) as ledger:
            recorded = ledger.period(period.name)
            if recorded is not None and recorded.state == "posted":
                source = _from_state(ledger, period)
            else:
                found = ledger.staged(period.name)
                source, staged = None, (found[0].hash if found else None)
        if source is not None:
            if with_verify:
                _add_verify(source, settings, paths, client_factory)
            return source
    planned = _from_plan(settings, paths, period, client_factory)
    # what `approve` would post, as long as the export and the mapping are as staged
    planned.staged = staged is not None and staged == planned.content_hash
    return planned


def _from_state(ledger: Ledger, period: Period) -> ReportSource:
    recorded = ledger.period(period.name)
    assert recorded is not None
    company = ledger.company()
    lines = ledger.period_lines(period.name)
    documents = []
    for doc in ledger.live_documents(period.name):
        if doc.status != "posted":
            continue
        documents.append(SourceDocument(
            doc.key, doc.kind, doc.alegra_id, doc.document_date,
            Decimal(doc.amount) if doc.amount else ZERO, lines.get(doc.key),
            bank_account=doc.bank_account_name or doc.bank_account_id))
    kept = ledger.figures(period.name)
    figures = figures_from_json(kept[1]) if kept is not None and kept[0] == recorded.hash \
        else None
    posted_at = max((d.posted_at for d in ledger.live_documents(period.name) if d.posted_at),
                    default=None)
    run = ledger.run_started(recorded.run_id) if recorded.run_id is not None else None
    return ReportSource(
        period=period, simulated=False,
        company_name=company.name if company else "",
        company_identification=company.identification if company else "",
        export_file=recorded.export, export_sha256=recorded.export_sha256,
        content_hash=recorded.hash, documents=documents, figures=figures,
        posted_at=posted_at,
        run=f"#{recorded.run_id}, {run}" if run else None,
        lines_from_alegra=[d.key for d in ledger.live_documents(period.name)
                           if d.lines_from == "alegra"],
    )


def _from_plan(settings: Settings, paths: Paths, period: Period,
               client_factory: Callable[[], AlegraClient]) -> ReportSource:
    try:
        with Catalog(client_factory, paths.cache) as catalog:
            sim = simulate(settings, paths, catalog, period)
    except NoExportError:
        raise NoExportError(
            T("{period}: the local state does not hold it as posted and there is no export "
              "for it in {folder}", period=period.name, folder=export_folder(settings, paths)),
            hint=T("put the period's export in that folder, or pick a posted period "
                   "(alegra-sync status)")) from None
    plan, names = sim.plan, sim.names
    documents = [SourceDocument(j.key, "journal", None, j.date.isoformat(), j.debit_total,
                                journal_lines(j, {}, names)) for j in plan.journals]
    documents += [SourceDocument(p.key, "payment", None, p.date.isoformat(), p.amount,
                                 payment_lines(p, {}, names),
                                 bank_account=names.bank_accounts.get(p.bank_account_id,
                                                                      p.bank_account_id))
                  for p in plan.payments]
    return ReportSource(
        period=period, simulated=True, company_name=sim.company_name,
        company_identification=sim.company_identification, export_file=str(sim.export),
        export_sha256=sim.export_sha256, content_hash=plan.content_hash, documents=documents,
        figures=sim.figures)


def _add_verify(source: ReportSource, settings: Settings, paths: Paths,
                client_factory: Callable[[], AlegraClient]) -> None:
    """``--verify``: each document's verify result (reads Alegra, never writes to it)."""
    source.verify_asked = True
    run = verify(settings, paths, client_factory,
                 PeriodSelection(period=source.period.start))
    if run.error is not None:
        raise run.error
    if run.periods:
        source.verify = run.periods[0]
        by_key = {doc.key: doc for doc in source.verify.documents}
        for doc in source.documents:
            doc.verify = by_key.get(doc.key)
