"""A period's plan as a dry run would build it, for what reads it without posting (the report
of a period not posted yet). Reads the export, the mapping and what the plan needs of Alegra
(the company's precision, the chart, cost centers and bank accounts); writes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alegra_sync.alegra.catalog import Catalog
from alegra_sync.config import Paths, Settings, export_folder
from alegra_sync.mapping.model import load_mapping
from alegra_sync.payroll.discover import find_export
from alegra_sync.payroll.export import read_export
from alegra_sync.payroll.options import export_options
from alegra_sync.periods import Period
from alegra_sync.sync.plan import account_infos, voucher_options
from alegra_sync.sync.posted import Names, file_sha256
from alegra_sync.vouchers.build import build_vouchers
from alegra_sync.vouchers.figures import PeriodFigures, period_figures
from alegra_sync.vouchers.model import VoucherPlan


@dataclass
class Simulation:
    export: Path
    export_sha256: str | None
    plan: VoucherPlan
    figures: PeriodFigures
    names: Names
    company_name: str
    company_identification: str


def find_period_export(settings: Settings, paths: Paths, period: Period) -> Path:
    """The period's export in the export folder (NoExportError, 66, when there is none)."""
    return find_export(export_folder(settings, paths), settings.export.pattern,
                       (period.start, period.end), options=export_options(settings))


def simulate(settings: Settings, paths: Paths, catalog: Catalog, period: Period,
             export: Path | None = None) -> Simulation:
    path = export or find_period_export(settings, paths, period)
    mapping = load_mapping(paths.mapping)
    payroll = read_export(path, export_options(settings), period=(period.start, period.end))
    accounts = account_infos(catalog.chart)
    company = catalog.company
    options = voucher_options(settings, company, payroll, period)
    plan = build_vouchers(payroll, mapping, accounts, period, options)
    figures = period_figures(payroll, mapping, plan, precision=company.decimal_precision,
                             negative_deductions=settings.export.negative_deductions)
    names = Names(accounts, {c.id: c.name for c in catalog.cost_centers},
                  {b.id: b.name for b in catalog.bank_accounts})
    return Simulation(path, file_sha256(path), plan, figures, names, company.name,
                      (company.identification or "").strip())
