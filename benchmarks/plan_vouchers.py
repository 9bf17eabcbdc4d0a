"""Time build_vouchers on a large synthetic payroll: 10,000 employees x 40 concepts.

Run: .venv/bin/python benchmarks/plan_vouchers.py [employees] [concepts]
Three plans: employee detail, summary detail, and employee detail with a third of the
employees shared 60/40 between two cost centers and every amount with cents (each P&L line
split by the largest remainder, an ajuste al peso where the Neto asks for it). Prints the CPU
time of each (less sensitive to a busy machine than the wall clock) and the wall time.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Literal

from payroll_data import chart, synthetic_mapping

from alegra_sync.mapping.model import AccountRef, Mapping
from alegra_sync.payroll.model import Employee, PayrollExport
from alegra_sync.periods import period_starting
from alegra_sync.vouchers.build import build_vouchers
from alegra_sync.vouchers.model import VoucherOptions


def synthetic(employees: int, concepts: int) -> tuple[PayrollExport, Mapping]:
    mapping, names, deductions = synthetic_mapping(concepts)
    entities = ["EPS Sura", "Sanitas EPS"], ["Protección AFP", "Porvenir AFP", "Colpensiones"]
    people = []
    for index in range(employees):
        amounts = {
            name: Decimal(1000 + (index * 7 + position * 13) % 5000)
            * (1 if name in deductions else 40)
            for position, name in enumerate(names)
        }
        people.append(Employee(
            identification=str(10_000_000 + index),
            name=f"Empleado {index}",
            cost_center="Ventas" if index % 3 == 0 else "Administración",
            eps=entities[0][index % 2],
            afp=entities[1][index % 3],
            amounts=amounts,
            row=index + 2,
        ))
    export = PayrollExport(Path("bench.csv"), None, None, names, people)
    return export, mapping


def shared_with_cents(export: PayrollExport, mapping: Mapping) -> tuple[PayrollExport, Mapping]:
    """A third of the employees on "Compartido" (60 % cost center 1, 40 % cost center 2),
    every amount with 37 centavos, the Neto the exact (unrounded) net pay."""
    shared = mapping.model_copy(deep=True)
    shared.cost_centers["Compartido"] = {"1": Decimal(60), "2": Decimal(40)}
    shared.accounts["rounding"] = AccountRef(id=next(iter(chart())))
    owed = {c for c, rule in mapping.concepts.items() if rule.credit == "payable"}
    taken = {c for c, rule in mapping.concepts.items() if rule.debit == "payable"}
    people = []
    for index, person in enumerate(export.employees):
        amounts = {c: a + Decimal("0.37") for c, a in person.amounts.items()}
        neto = (sum((a for c, a in amounts.items() if c in owed), Decimal(0))
                - sum((a for c, a in amounts.items() if c in taken), Decimal(0)))
        people.append(replace(person, amounts=amounts, neto=neto,
                              cost_center="Compartido" if index % 3 == 1
                              else person.cost_center))
    return replace(export, employees=people), shared


def main() -> None:
    employees = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    concepts = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    export, mapping = synthetic(employees, concepts)
    accounts = chart()
    period = period_starting(date(2026, 11, 1), "biweekly")
    details: tuple[Literal["employee", "summary"], ...] = ("employee", "summary")
    shared_export, shared_mapping = shared_with_cents(export, mapping)
    runs = [(detail, export, mapping, detail) for detail in details]
    runs.append(("employee, 1/3 shared 60/40, cents", shared_export, shared_mapping, "employee"))
    for label, planned, used, detail in runs:
        options = VoucherOptions(detail=detail, rounding_tolerance=Decimal(40))
        started, cpu = time.perf_counter(), time.process_time()
        plan = build_vouchers(planned, used, accounts, period, options)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        lines = sum(len(j.lines) for j in plan.journals)
        print(
            f"{employees} employees x {concepts} concepts, detail={label}: {cpu:.2f} s CPU "
            f"({elapsed:.2f} s wall), {len(plan.journals)} journals, {lines} lines, "
            f"{len(plan.payments)} payments, net pay {plan.net_pay}, "
            f"{len(plan.adjustments)} ajustes, hash {plan.content_hash}"
        )


if __name__ == "__main__":
    main()
