"""read_export on a 10,000-employee × 40-concept export, against the raw reads of the same file.

Run: ``.venv/bin/python benchmarks/read_export.py [employees] [concepts]``. Prints seconds and
rows/second for read_export and for a bare csv.reader pass / calamine read, their ratio (the
budget: CSV ≤ ~5×, XLSX ≤ ~1.8×), and read_export's peak traced memory. Files go to a temp dir.
"""

from __future__ import annotations

import csv
import gc
import random
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

from alegra_sync.payroll.export import read_export

REPEATS = 3
HEADER = [
    "Tipo de documento", "Número de documento", "Nombre completo", "Cargo", "Centro de costos",
    "EPS", "Fondo de pensiones", "Fecha inicio", "Fecha fin", "Fecha de pago",
]
START, END, PAID = date(2026, 11, 1), date(2026, 11, 15), date(2026, 11, 13)


def make_large_export(path: Path, employees: int, concepts: int, fmt: str) -> None:
    """A plausible export: ``fmt`` "csv" (``;``, Colombian amounts, a title and a totals row)
    or "xlsx" (Excel numbers and dates). About a third of the concept cells are blank."""
    rng = random.Random(2026)
    names = [f"Concepto {n + 1}" for n in range(concepts)]
    rows: list[list[object]] = []
    totals = [0] * concepts
    for n in range(employees):
        amounts = [rng.randrange(1_000, 5_000_000) if rng.random() < 0.66 else 0 for _ in names]
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


def raw_csv(path: Path) -> int:
    count = 0
    with path.open(encoding="utf-8", newline="") as handle:
        for _ in csv.reader(handle, delimiter=";"):
            count += 1
    return count


def raw_calamine(path: Path) -> int:
    import python_calamine

    return len(python_calamine.load_workbook(str(path)).get_sheet_by_index(0).to_python())


def raw_calamine_rows(path: Path) -> int:
    import python_calamine

    sheet = python_calamine.load_workbook(str(path)).get_sheet_by_index(0)
    return sum(1 for _ in sheet.iter_rows())


def best_of(run: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEATS):
        gc.collect()
        began = time.perf_counter()
        run()
        times.append(time.perf_counter() - began)
    return min(times)


def peak_memory(run: Callable[[], object]) -> int:
    gc.collect()
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def main(employees: int = 10_000, concepts: int = 40) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for fmt in ("csv", "xlsx"):
            path = Path(folder) / f"nomina_2026-11-01_2026-11-15.{fmt}"
            began = time.perf_counter()
            make_large_export(path, employees, concepts, fmt)
            size = path.stat().st_size
            print(f"{fmt}: {employees} × {concepts}, {size / 1e6:.1f} MB "
                  f"(made in {time.perf_counter() - began:.1f} s)")
            export = read_export(path)
            assert len(export.employees) == employees and len(export.concepts) == concepts
            assert sum(export.totals.values(), Decimal(0)) > 0
            ours = best_of(lambda p=path: read_export(p))  # type: ignore[misc]
            raws: list[tuple[str, Callable[[Path], int]]] = (
                [("csv.reader", raw_csv)] if fmt == "csv"
                else [("calamine to_python", raw_calamine),
                      ("calamine iter_rows", raw_calamine_rows)]
            )
            print(f"  read_export        {ours:7.3f} s  {employees / ours:10,.0f} rows/s")
            for label, raw in raws:
                seconds = best_of(lambda p=path, r=raw: r(p))  # type: ignore[misc]
                print(f"  {label:<18} {seconds:7.3f} s  {employees / seconds:10,.0f} rows/s"
                      f"  ratio {ours / seconds:.2f}×")
            peak = peak_memory(lambda p=path: read_export(p))  # type: ignore[misc]
            print(f"  read_export peak traced memory {peak / 1e6:.1f} MB")


if __name__ == "__main__":
    arguments = [int(a) for a in sys.argv[1:3]]
    main(*arguments)
