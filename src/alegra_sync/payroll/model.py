"""What a payroll export says, once read and checked: plain data, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from alegra_sync.errors import ExportRowError
from alegra_sync.payroll.identity import PersonName


@dataclass(frozen=True)
class Employee:
    identification: str
    name: str  # as the export writes it; from the separate name columns when it has no name
    id_type: str = "CC"  # CC, CE, PA, TI, NIT, or another short code as written (PEP…)
    cost_center: str | None = None
    eps: str | None = None
    afp: str | None = None
    payment_date: date | None = None
    # concept name (as the export's header writes it) -> amount; zero amounts may be left out
    amounts: dict[str, Decimal] = field(default_factory=dict)
    neto: Decimal | None = None  # the export's own net pay, checked against the mapping's
    row: int = 0  # 1-based row in the file (the header row counts), for messages
    # "total_devengado" / "total_deducciones" -> the export's own cell, checked against the
    # mapping's sums; a blank cell is left out: not checked
    totals: dict[str, Decimal] = field(default_factory=dict)
    # the given names and surnames of the export's separate columns (Primer nombre, Segundo
    # nombre, Primer apellido, Segundo apellido; or Nombres, Apellidos), when it has them
    person: PersonName | None = None


@dataclass
class PayrollExport:
    path: Path
    period_start: date | None
    period_end: date | None
    concepts: list[str]  # every concept column, in file order
    employees: list[Employee]
    # concept -> the total the file's own totals row gives, used only as a check
    totals: dict[str, Decimal] = field(default_factory=dict)
    # "total_devengado" / "total_deducciones" -> the header as written, for messages
    total_columns: dict[str, str] = field(default_factory=dict)
    # the totals row's disagreement with the employee rows, when read_export was asked to
    # leave it for build_vouchers (``defer_totals``): raised after the per-employee checks
    totals_problem: ExportRowError | None = None

    @property
    def file(self) -> str:
        return self.path.name

    @property
    def period(self) -> tuple[date, date] | None:
        if self.period_start is None or self.period_end is None:
            return None
        return self.period_start, self.period_end
