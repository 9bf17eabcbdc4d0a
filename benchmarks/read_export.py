"""read_export on a 10,000-employee × 40-concept export, against the raw reads of the same file.

Run: ``.venv/bin/python benchmarks/read_export.py [employees] [concepts]``. Prints seconds and
rows/second for read_export and for a bare csv.reader pass / calamine read, their ratio (the
budget: CSV ≤ ~5×, XLSX ≤ ~1.8×), and read_export's peak traced memory. Files go to a temp dir.
"""

from __future__ import annotations

import csv
import gc
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from payroll_data import make_large_export

from alegra_sync.payroll.export import read_export

REPEATS = 5  # best of five: this 2-core VM's timings jump by up to 50%


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
