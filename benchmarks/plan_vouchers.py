"""Time build_vouchers on a large synthetic payroll: 10,000 employees x 40 concepts.

Run: .venv/bin/python benchmarks/plan_vouchers.py [employees] [concepts]
Prints figures; asserts nothing.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Literal

from payroll_data import chart, synthetic_mapping

from alegra_sync.mapping.model import Mapping
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


def main() -> None:
    employees = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    concepts = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    export, mapping = synthetic(employees, concepts)
    accounts = chart()
    period = period_starting(date(2026, 11, 1), "biweekly")
    details: tuple[Literal["employee", "summary"], ...] = ("employee", "summary")
    for detail in details:
        options = VoucherOptions(detail=detail)
        started = time.perf_counter()
        plan = build_vouchers(export, mapping, accounts, period, options)
        elapsed = time.perf_counter() - started
        lines = sum(len(j.lines) for j in plan.journals)
        print(
            f"{employees} employees x {concepts} concepts, detail={detail}: {elapsed:.2f} s, "
            f"{len(plan.journals)} journals, {lines} lines, {len(plan.payments)} payments, "
            f"net pay {plan.net_pay}, hash {plan.content_hash}"
        )


if __name__ == "__main__":
    main()
