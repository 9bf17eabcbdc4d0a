"""Builders of the voucher tests: the sample mapping, the demo chart, employees, exports,
and the worked example's two employees (accounting.md)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from alegra_sync.mapping.model import Mapping, load_mapping
from alegra_sync.payroll.model import Employee, PayrollExport
from alegra_sync.periods import Period
from alegra_sync.sandbox.demo_company import ACCOUNTS
from alegra_sync.vouchers.build import build_vouchers
from alegra_sync.vouchers.model import AccountInfo, JournalDraft, VoucherOptions, VoucherPlan

NOV = Period(date(2026, 11, 1), date(2026, 11, 15))
CHART = {a[0]: AccountInfo(id=a[0], name=a[3], code=a[2], type=a[4]) for a in ACCOUNTS}
FILE = "nomina_2026-11-01_2026-11-15.csv"


def sample() -> Mapping:
    return load_mapping(Path(str(resources.files("alegra_sync") / "samples" / "mapping.toml")))


def employee(
    identification: str,
    amounts: dict[str, int | str],
    *,
    name: str | None = None,
    cost_center: str | None = "Administración",
    eps: str | None = "EPS Sura",
    afp: str | None = "Protección AFP",
    neto: int | str | None = None,
    row: int = 2,
    payment_date: date | None = None,
) -> Employee:
    return Employee(
        identification=identification,
        name=name or f"Empleado {identification}",
        cost_center=cost_center,
        eps=eps,
        afp=afp,
        payment_date=payment_date,
        amounts={k: Decimal(v) for k, v in amounts.items()},
        neto=None if neto is None else Decimal(neto),
        row=row,
    )


def export_of(*employees: Employee) -> PayrollExport:
    concepts = list(dict.fromkeys(c for e in employees for c in e.amounts))
    return PayrollExport(Path(FILE), NOV.start, NOV.end, concepts, list(employees))


def build(
    *employees: Employee, mapping: Mapping | None = None, **options: Any
) -> VoucherPlan:
    return build_vouchers(
        export_of(*employees), mapping or sample(), CHART, NOV, VoucherOptions(**options)
    )


def rows(journal: JournalDraft) -> list[tuple[str, Decimal, Decimal, str | None, str | None]]:
    return [
        (
            line.account_id, line.debit, line.credit,
            line.party.identification if line.party else None, line.cost_center_id,
        )
        for line in journal.lines
    ]


# the worked example's two employees

ANA = employee(
    "1001",
    {
        "Salario": 1_000_000, "Auxilio de transporte": 100_000, "Salud empleado": 40_000,
        "Pensión empleado": 40_000, "Pensión empleador": 120_000, "ARL": 5_220,
        "Caja de compensación": 40_000, "Cesantías": 91_667, "Prima": 0,
    },
    name="Ana Gómez", cost_center="Administración", eps="EPS Sura", afp="Protección AFP",
    neto=1_020_000, row=3,
)
BRUNO = employee(
    "2002",
    {
        "Salario": 2_000_000, "Horas extras": 150_000, "Salud empleado": 86_000,
        "Pensión empleado": 86_000, "Retención en la fuente": 12_000,
        "Salud empleador": 182_750, "Pensión empleador": 258_000, "ARL": 11_223,
        "Caja de compensación": 86_000, "Cesantías": 179_167,
    },
    name="Bruno Díaz", cost_center="Ventas", eps="800251440", afp="Porvenir AFP",
    neto=1_966_000, row=4,
)
