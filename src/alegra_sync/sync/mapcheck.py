"""`map --check`: the mapping against the export and Alegra, as a sync would check them.

In the sync layer because it builds the vouchers the sync would build to know which terceros
must be Alegra contacts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from alegra_sync.alegra.catalog import Catalog
from alegra_sync.alegra.client import AlegraClient
from alegra_sync.alegra.models import BankAccount
from alegra_sync.config import Paths, Settings, export_folder
from alegra_sync.i18n import Text
from alegra_sync.mapping.check import chart_problems, export_coverage
from alegra_sync.mapping.model import Mapping, NitTercero, load_mapping
from alegra_sync.mapping.terceros import legal_name
from alegra_sync.payroll.discover import newest_export
from alegra_sync.payroll.export import read_export
from alegra_sync.payroll.identity import identification_key
from alegra_sync.payroll.model import PayrollExport
from alegra_sync.payroll.options import export_options
from alegra_sync.periods import period_starting
from alegra_sync.sync.contacts import contacts_by_identification
from alegra_sync.sync.plan import account_infos, voucher_options
from alegra_sync.vouchers.build import build_vouchers
from alegra_sync.vouchers.model import Party


@dataclass
class MappingCheck:
    mapping: Mapping
    export: PayrollExport | None
    uncovered: list[Text] = field(default_factory=list)  # what the export names, unmapped (65)
    unusable: list[Text] = field(default_factory=list)  # what Alegra lacks or refuses (78)
    missing_contacts: list[Party] = field(default_factory=list)
    bank: BankAccount | None = None
    cost_center_names: dict[str, str] = field(default_factory=dict)  # Alegra's, by id

    @property
    def concepts(self) -> int:
        return len(self.export.concepts if self.export is not None else self.mapping.concepts)


def export_for_map(settings: Settings, paths: Paths, export: Path | None) -> Path | None:
    """``--export``, else the newest file in the export folder, else None."""
    if export is not None:
        return export
    folder = export_folder(settings, paths)
    if not folder.is_dir():
        return None
    return newest_export(folder, settings.export.pattern)


def read_map_export(settings: Settings, path: Path | None) -> PayrollExport | None:
    return read_export(path, export_options(settings)) if path is not None else None


def check_mapping(settings: Settings, paths: Paths, client_factory: Callable[[], AlegraClient],
                  export: PayrollExport | None, *,
                  warn: Callable[[Text], None]) -> MappingCheck:
    mapping = load_mapping(paths.mapping)
    check = MappingCheck(mapping, export)
    check.uncovered = export_coverage(export, mapping) if export is not None else []
    with Catalog(client_factory, paths.cache, refresh=True) as catalog:
        check.unusable = chart_problems(mapping, mapping.concepts, catalog.chart,
                                        catalog.cost_centers, catalog.bank_accounts, warn=warn)
        if not check.uncovered and not check.unusable:
            check.missing_contacts = _missing_contacts(settings, catalog, mapping, export)
        check.bank = next((b for b in catalog.bank_accounts
                           if b.id == mapping.payment.bank_account), None)
        check.cost_center_names = {c.id: c.name for c in catalog.cost_centers}
    return check


def _missing_contacts(settings: Settings, catalog: Catalog, mapping: Mapping,
                      export: PayrollExport | None) -> list[Party]:
    """The terceros sync would post to that are not Alegra contacts: those of the export's
    vouchers (built as sync builds them), else the fixed NITs and [entities] of the mapping."""
    if export is not None and export.period_start is not None:
        period = period_starting(export.period_start, settings.payroll.frequency)
        options = voucher_options(settings, catalog.company, export, period)
        plan = build_vouchers(export, mapping, account_infos(catalog.chart), period, options)
        parties = plan.parties()
    elif settings.journal.detail == "summary":
        parties = set()  # no line carries a tercero
    else:
        nits: dict[str, str | None] = {identification_key(nit): name for name in mapping.entities
                if (nit := mapping.entity_nit_of(name))}
        nits.update((identification_key(t.nit), concept)  # the concept: where it is used
                    for concept, rule in mapping.concepts.items()
                    for t in (rule.debit_tercero, rule.credit_tercero)
                    if isinstance(t, NitTercero))
        parties = {Party("entity", nit, legal_name(mapping, nit, name), "NIT")
                   for nit, name in nits.items()}
    if not parties:
        return []
    known = contacts_by_identification(catalog.client)
    return sorted((p for p in parties if identification_key(p.identification) not in known),
                  key=lambda p: (p.kind, p.identification))
