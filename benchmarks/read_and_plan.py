"""Read, check and plan a 10,000-employee × 40-concept export, against the raw reads of the file.

Run: ``.venv/bin/python benchmarks/read_and_plan.py [employees] [concepts]``. For the CSV and
the XLSX of the same payroll: read_export, then build_vouchers (employee detail, the default;
the journal drafts and egreso ready to send), best of three, against a bare csv.reader pass /
python-calamine read of the same file. Budgets: CSV ≤ 10×, XLSX ≤ 2.5×, and the peak memory
≤ 200 MB: the peak RSS (VmHWM; see _own_peak_kib) of a fresh process that imports
alegra-sync and reads and plans the file once — interpreter and imports included. The same run
measures the pure-Python floor (python_floor.py: the steps no exact implementation can skip),
which shows how much of each budget is left for the checks, the grouping and the split. Prints
figures; asserts nothing. Files go to a temp dir.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from payroll_data import chart, make_large_export, synthetic_mapping
from python_floor import FloorStep, measure_floor
from read_export import best_of, raw_calamine, raw_csv

from alegra_sync.mapping.model import Mapping
from alegra_sync.payroll.export import read_export
from alegra_sync.periods import period_starting
from alegra_sync.vouchers.build import build_vouchers
from alegra_sync.vouchers.model import AccountInfo, VoucherOptions, VoucherPlan

PERIOD = period_starting(date(2026, 11, 1), "biweekly")  # make_large_export's dates
BUDGETS = {"csv": 10.0, "xlsx": 2.5}
RAW_NAMES = {"csv": "csv.reader", "xlsx": "calamine"}
MEMORY_BUDGET_MB = 200.0


@dataclass
class Scenario:
    fmt: str
    employees: int
    concepts: int
    seconds: float  # read_export + build_vouchers
    read_seconds: float  # read_export alone, to see where the time goes
    raw_seconds: float
    peak_rss_mb: float
    journals: int
    lines: int
    floor: list[FloorStep]  # cumulative: the last step is the whole floor

    @property
    def ratio(self) -> float:
        return self.seconds / self.raw_seconds

    @property
    def floor_seconds(self) -> float:
        return self.floor[-1][1]

    @property
    def budget(self) -> float:
        return BUDGETS[self.fmt]


def read_and_plan(path: Path, mapping: Mapping, accounts: dict[str, AccountInfo]) -> VoucherPlan:
    export = read_export(path, period=(PERIOD.start, PERIOD.end))
    return build_vouchers(export, mapping, accounts, PERIOD, VoucherOptions())


def peak_rss_mb(path: Path, concepts: int) -> float:
    """The peak RSS of a fresh process that reads and plans ``path`` once."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", str(path), str(concepts)],
        capture_output=True, text=True, check=True,
    )
    return float(json.loads(done.stdout)["peak_rss_mb"])


def _child(path: Path, concepts: int) -> None:
    read_and_plan(path, synthetic_mapping(concepts)[0], chart())
    print(json.dumps({"peak_rss_mb": _own_peak_kib() * 1024 / 1e6}))


def _own_peak_kib() -> int:
    """This process's own peak RSS in KiB. ru_maxrss is not it: on Linux the exec'd child
    keeps the high-water mark of the memory it was forked (vforked) from, so it reported the
    benchmark parent's size, files and plans included. VmHWM belongs to the process's own
    address space; ru_maxrss stays the fallback where /proc is missing."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def measure(employees: int = 10_000, concepts: int = 40, *, verbose: bool = True
            ) -> list[Scenario]:
    mapping, names, deductions = synthetic_mapping(concepts)
    accounts = chart()
    results = []
    with tempfile.TemporaryDirectory(prefix="alegra-sync-bench-") as folder:
        for fmt in ("csv", "xlsx"):
            path = Path(folder) / f"nomina_{PERIOD.start}_{PERIOD.end}.{fmt}"
            began = time.perf_counter()
            make_large_export(path, employees, concepts, fmt, names=names, deductions=deductions)
            if verbose:
                print(f"{fmt}: {employees} × {concepts}, {path.stat().st_size / 1e6:.1f} MB "
                      f"(made in {time.perf_counter() - began:.1f} s)", flush=True)
            plan = read_and_plan(path, mapping, accounts)  # also a warm-up
            lines = sum(len(journal.lines) for journal in plan.journals)
            raw = raw_csv if fmt == "csv" else raw_calamine
            results.append(Scenario(
                fmt=fmt, employees=employees, concepts=concepts,
                seconds=best_of(
                    lambda p=path: read_and_plan(p, mapping, accounts)),  # type: ignore[misc]
                read_seconds=best_of(lambda p=path: read_export(p)),  # type: ignore[misc]
                raw_seconds=best_of(lambda p=path, r=raw: r(p)),  # type: ignore[misc]
                peak_rss_mb=peak_rss_mb(path, concepts),
                journals=len(plan.journals),
                lines=lines,
                floor=measure_floor(fmt, path, lines),
            ))
    return results


def print_scenarios(results: list[Scenario]) -> None:
    for s in results:
        raw = RAW_NAMES[s.fmt]
        verdict = "ok" if s.ratio <= s.budget else "OVER"
        memory = "ok" if s.peak_rss_mb <= MEMORY_BUDGET_MB else "OVER"
        print(f"{s.fmt}: {s.employees} × {s.concepts}, {s.journals} journals, {s.lines} lines")
        print(f"  read + check + plan {s.seconds:7.3f} s  "
              f"(read_export alone {s.read_seconds:.3f} s)")
        print(f"  {raw:<19} {s.raw_seconds:7.3f} s  ratio {s.ratio:.2f}× "
              f"(budget ≤ {s.budget}×) {verdict}")
        print(f"  pure-Python floor, the steps no exact implementation can skip "
              f"(× {raw}, cumulative):")
        for step, seconds in s.floor:
            print(f"    {step:<42} {seconds:7.3f} s  {seconds / s.raw_seconds:5.2f}×")
        print(f"  read + check + plan against the floor: {s.seconds / s.floor_seconds:.2f}×")
        print(f"  peak RSS of a fresh process {s.peak_rss_mb:.0f} MB "
              f"(budget ≤ {MEMORY_BUDGET_MB:.0f} MB) {memory}")


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        _child(Path(sys.argv[2]), int(sys.argv[3]))
        return
    arguments = [int(a) for a in sys.argv[1:3]]
    print_scenarios(measure(*arguments))


if __name__ == "__main__":
    main()
