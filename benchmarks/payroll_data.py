"""A realistic payroll export of any size, with the sample mapping's 18 concepts.

Whole pesos; Neto a pagar = devengos - deducciones, as the sample mapping computes it.
"""

from __future__ import annotations

import csv
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from alegra_sync.periods import Period

SMMLV = Decimal(1750905)
EPS = ("EPS Sura", "Sanitas EPS")
AFP = ("Protección AFP", "Porvenir AFP", "Colpensiones")
CENTERS = ("Administración", "Ventas")
DEVENGOS = ("Salario", "Auxilio de transporte", "Horas extras")
DEDUCTIONS = ("Salud empleado", "Pensión empleado", "Fondo de solidaridad",
              "Retención en la fuente", "Libranza")
EMPLOYER = ("Salud empleador", "Pensión empleador", "ARL", "Caja de compensación", "ICBF",
            "SENA", "Cesantías", "Intereses de cesantías", "Prima", "Vacaciones")
CONCEPTS = (*DEVENGOS, *DEDUCTIONS, *EMPLOYER)


def pesos(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def amounts(index: int) -> dict[str, Decimal]:
    """One employee's quincena: salary between 1 and 6 SMMLV, the usual percentages."""
    salary = pesos(SMMLV * (1 + Decimal(index % 11) / 2) / 2)
    base = salary
    values = {
        "Salario": salary,
        "Auxilio de transporte": Decimal(124548) if salary <= SMMLV else Decimal(0),
        "Horas extras": Decimal(35000) if index % 7 == 0 else Decimal(0),
        "Salud empleado": pesos(base * Decimal("0.04")),
        "Pensión empleado": pesos(base * Decimal("0.04")),
        "Fondo de solidaridad": pesos(base * Decimal("0.01")) if salary >= 2 * SMMLV
        else Decimal(0),
        "Retención en la fuente": Decimal(95000) if salary >= 3 * SMMLV else Decimal(0),
        "Libranza": Decimal(150000) if index % 13 == 0 else Decimal(0),
        "Salud empleador": pesos(base * Decimal("0.085")) if salary >= 5 * SMMLV
        else Decimal(0),
        "Pensión empleador": pesos(base * Decimal("0.12")),
        "ARL": pesos(base * Decimal("0.00522")),
        "Caja de compensación": pesos(base * Decimal("0.04")),
        "ICBF": pesos(base * Decimal("0.03")) if salary >= 5 * SMMLV else Decimal(0),
        "SENA": pesos(base * Decimal("0.02")) if salary >= 5 * SMMLV else Decimal(0),
        "Cesantías": pesos(base * Decimal("0.0833")),
        "Intereses de cesantías": pesos(base * Decimal("0.01")),
        "Prima": pesos(base * Decimal("0.0833")),
        "Vacaciones": pesos(base * Decimal("0.0417")),
    }
    return values


def write_export(path: Path, period: Period, employees: int, *, first_id: int = 1020300000
                 ) -> Decimal:
    """Write a `;` CSV export for ``period``; returns the total net pay."""
    total = Decimal(0)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Identificación", "Nombre", "Centro de costos", "EPS", "AFP",
                         "Fecha inicio", "Fecha fin", "Fecha de pago", *CONCEPTS,
                         "Neto a pagar"])
        for index in range(employees):
            values = amounts(index)
            net = sum((values[c] for c in DEVENGOS), Decimal(0)) - sum(
                (values[c] for c in DEDUCTIONS), Decimal(0))
            total += net
            writer.writerow([
                first_id + index, f"Empleado {index:05d} Prueba", CENTERS[index % 2],
                EPS[index % 2], AFP[index % 3], period.start.isoformat(),
                period.end.isoformat(), period.end.isoformat(),
                *(values[c] if values[c] else "" for c in CONCEPTS), net,
            ])
    return total
