"""Synthetic payroll data for the benchmarks, in one place.

``write_export``: a realistic export of any size with the sample mapping's 18 concepts (whole
pesos; Neto a pagar = devengos - deducciones, as the sample mapping computes it).
``make_large_export``: a wide export of any number of concepts, CSV or XLSX; with
``synthetic_mapping``'s concept names and ``chart()`` it can be planned as well as read.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Collection, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from importlib import resources
from pathlib import Path

from alegra_sync.mapping.model import AccountRef, ConceptMapping, Mapping, load_mapping
from alegra_sync.periods import Period
from alegra_sync.sandbox.demo_company import ACCOUNTS
from alegra_sync.vouchers.model import AccountInfo

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


# --- a wide export of any number of concepts ---------------------------------------------------

HEADER = [
    "Tipo de documento", "Número de documento", "Nombre completo", "Cargo", "Centro de costos",
    "EPS", "Fondo de pensiones", "Fecha inicio", "Fecha fin", "Fecha de pago",
]
START, END, PAID = date(2026, 11, 1), date(2026, 11, 15), date(2026, 11, 13)
DEDUCTION_SCALE = 40  # deductions this much smaller than devengos: net pay stays positive


def make_large_export(path: Path, employees: int, concepts: int, fmt: str, *,
                      names: Sequence[str] | None = None,
                      deductions: Collection[str] = ()) -> None:
    """A plausible export: ``fmt`` "csv" (``;``, Colombian amounts, a title and a totals row)
    or "xlsx" (Excel numbers and dates). About a third of the concept cells are blank.

    ``names`` are the concept columns (default "Concepto 1"…); amounts of the ``deductions``
    among them are divided by DEDUCTION_SCALE, so a mapping's net pay comes out positive.
    """
    rng = random.Random(2026)
    names = list(names) if names is not None else [f"Concepto {n + 1}" for n in range(concepts)]
    if len(names) != concepts:
        raise ValueError(f"{len(names)} concept names for {concepts} concepts")
    scale = [DEDUCTION_SCALE if name in deductions else 1 for name in names]
    rows: list[list[object]] = []
    totals = [0] * concepts
    for n in range(employees):
        amounts = [rng.randrange(1_000, 5_000_000) if rng.random() < 0.66 else 0 for _ in names]
        amounts = [amount // divisor for amount, divisor in zip(amounts, scale, strict=True)]
        for i, amount in enumerate(amounts):
            totals[i] += amount
        rows.append([
            "CC", 1_000_000_000 + n, f"Empleado {n}", "Operario",
            ("Administración", "Ventas")[n % 2], ("EPS Sura", "Sanitas EPS")[n % 2],
            ("Protección AFP", "Porvenir AFP", "Colpensiones")[n % 3], START, END, PAID, *amounts,
        ])
    title = ["Resumen de nómina — benchmark"]
    total_row: list[object] = ["", "", "TOTALES", *[""] * 7, *totals]
    if fmt == "csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(title)
            writer.writerow([*HEADER, *names])
            for row in [*rows, total_row]:
                writer.writerow([_csv_cell(cell) for cell in row])
    elif fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Nómina")
        sheet.append(title)
        sheet.append([*HEADER, *names])
        for row in [*rows, total_row]:
            sheet.append([cell if cell != 0 else None for cell in row])
        workbook.save(path)
    else:
        raise ValueError(f"unknown format {fmt!r}")


def _csv_cell(cell: object) -> str:
    if isinstance(cell, date):
        return cell.strftime("%d/%m/%Y")
    if isinstance(cell, int) and not isinstance(cell, bool) and cell > 1_000_000_000 - 1:
        return str(cell)  # identification, as written
    if isinstance(cell, int):
        return f"{cell:,}".replace(",", ".") if cell else ""
    return str(cell)


# --- a mapping and a chart for any number of concepts -----------------------------------------


def synthetic_mapping(concepts: int) -> tuple[Mapping, list[str], set[str]]:
    """The sample mapping grown to ``concepts`` concepts with more devengos and deductions,
    like a real export's bonuses and discounts: (mapping, concept names, deductions)."""
    sample = Path(str(resources.files("alegra_sync") / "samples" / "mapping.toml"))
    mapping = load_mapping(sample)
    names = list(mapping.concepts)[:concepts]
    extra = 0
    while len(names) < concepts:
        extra += 1
        if extra % 2:
            name = f"Bonificación {extra}"
            mapping.concepts[name] = mapping.concepts["Salario"].model_copy()
        else:
            name = f"Descuento {extra}"
            mapping.concepts[name] = ConceptMapping(debit="payable", credit=AccountRef(id="5018"))
        names.append(name)
    deductions = {n for n in names if mapping.concepts[n].debit == "payable"}
    return mapping, names, deductions


def chart() -> dict[str, AccountInfo]:
    """The demo company's chart of accounts, as build_vouchers takes it."""
    return {a[0]: AccountInfo(a[0], a[3], a[2], a[4]) for a in ACCOUNTS}
