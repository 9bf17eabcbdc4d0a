"""Every performance budget of alegra-sync in one table, to compare versions.

    python benchmarks/run_all.py [--quick] [--employees 500] [--latency 0.05]
                                 [--save FILE.json] [--compare FILE.json]

Runs startup.py, read_and_plan.py, sync_requests.py, verify_report.py and firm_sync.py (their
functions, not their output) and prints one table: metric, measured, baseline, ratio, budget,
ok/over. ``--save`` writes the figures as JSON with the commit they were measured on;
``--compare`` adds that earlier run's figure and the change to each row, to compare versions.
The sync rows take about four minutes, because the fresh-contacts scenario creates every
employee as a contact at the client's pace of Alegra's 150 requests a minute; ``--quick``
syncs a 50-employee quincena instead, so the sync rows then check the per-request budgets on a
smaller payroll. The firm rows (12 companies × 50 employees, run one by one and then in one
`sync --all-companies`) take about a minute and a half more.
Prints figures; asserts nothing (the exit code is 0 even when a budget is over).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import firm_sync
import read_and_plan
import startup
import sync_requests
import verify_report

QUICK_EMPLOYEES = 50


@dataclass
class Metric:
    name: str
    measured: float
    unit: str
    budget: str
    ok: bool | None  # None: for information, no budget
    baseline: float | None = None

    @property
    def ratio(self) -> float | None:
        return self.measured / self.baseline if self.baseline else None


def _number(value: float, unit: str) -> str:
    if unit == "ms":
        return f"{value * 1000:,.1f} ms"
    if unit == "s":
        return f"{value:,.3f} s"
    if unit == "MB":
        return f"{value:,.0f} MB"
    return f"{value:,.0f}"


def startup_metrics(runs: int) -> list[Metric]:
    result = startup.measure(runs)
    metrics = [Metric("python -c pass", result.python, "ms", "", None)]
    for case in startup.CASES:
        ratio = result.ratio(case)
        metrics.append(Metric(f"alegra-sync {case} (vs bare Typer)", result.ours[case], "ms",
                              f"≤ {startup.BUDGET}×", ratio <= startup.BUDGET,
                              result.bare[case]))
    return metrics


def read_metrics() -> list[Metric]:
    metrics = []
    scenarios = read_and_plan.measure(verbose=False)
    for s in scenarios:
        raw = read_and_plan.RAW_NAMES[s.fmt]
        metrics.append(Metric(f"{s.fmt.upper()} read+check+plan 10k×40 (vs {raw})", s.seconds,
                              "s", f"≤ {s.budget}×", s.ratio <= s.budget, s.raw_seconds))
        metrics.append(Metric(f"{s.fmt.upper()} pure-Python floor 10k×40 (vs {raw})",
                              s.floor_seconds, "s", "", None, s.raw_seconds))
    for s in scenarios:
        metrics.append(Metric(f"{s.fmt.upper()} read+plan peak RSS (fresh process)",
                              s.peak_rss_mb, "MB", f"≤ {read_and_plan.MEMORY_BUDGET_MB:.0f} MB",
                              s.peak_rss_mb <= read_and_plan.MEMORY_BUDGET_MB))
    return metrics


def sync_metrics(employees: int, latency: float) -> list[Metric]:
    rows = {row.scenario: row for row in sync_requests.measure(employees, latency)}
    cached = rows["alegra-sync, employee detail, contacts cached"]
    fresh = rows["alegra-sync, employee detail, fresh (creates contacts)"]
    summary = rows["alegra-sync, summary detail"]
    baseline = rows["per employee (payroll products today)"]
    what = f"sync {employees} employees"
    return [
        Metric(f"{what}, cached contacts: reads (GET)", cached.gets, "", "≤ 8", cached.gets <= 8),
        Metric(f"{what}: the look-up after posting, reads", cached.after_posting or 0, "",
               "≤ 2 a period", (cached.after_posting or 0) <= 2),
        # "about 25" in the issue; 30 leaves room for a part more, not for per-employee posting
        Metric(f"{what}, cached contacts: requests", cached.requests, "", "≈ 25 (≤ 30)",
               cached.requests <= 30, baseline.requests),
        Metric(f"{what}, cached contacts: wall time", cached.seconds, "s", "≤ 3 s",
               cached.seconds <= 3, baseline.seconds),
        Metric(f"{what}, summary detail: requests", summary.requests, "", "≤ 8",
               summary.requests <= 8, baseline.requests),
        Metric(f"{what}, fresh (creates contacts): requests", fresh.requests, "", "", None),
        Metric(f"{what}, fresh (creates contacts): wall time", fresh.seconds, "s", "", None),
        Metric(f"{what}, per employee (the old way): requests", baseline.requests, "",
               f"≥ {2 * employees:,}", baseline.requests >= 2 * employees),
    ]


def verify_metrics(employees: int, latency: float) -> list[Metric]:
    row = verify_report.measure_verify(employees, latency)
    what = f"verify {employees} employees ({row.documents} documents)"
    return [
        Metric(f"{what}: reads (GET)", row.gets, "", f"≤ {row.budget} (docs + look-ups)",
               row.gets <= row.budget),
        Metric(f"{what}: writes", row.writes, "", "0", row.writes == 0),
        Metric(f"{what}: wall time at {latency * 1000:.0f} ms", row.seconds, "s", "", None),
    ]


def report_metrics() -> list[Metric]:
    metrics = []
    for employees in (500, 10_000):
        row = verify_report.measure_report(employees)
        what = f"report {employees:,} employees"
        metrics.append(Metric(f"{what}, HTML + XLSX in one run (vs read+plan)", row.seconds, "s",
                              f"≤ {verify_report.REPORT_BUDGET:g}×" if employees > 500 else "",
                              row.ratio <= verify_report.REPORT_BUDGET if employees > 500
                              else None, row.read_plan_seconds))
        metrics.append(Metric(f"{what}, HTML alone", row.html_seconds, "s", "", None))
        metrics.append(Metric(f"{what}, XLSX alone", row.xlsx_seconds, "s", "", None))
    peak = verify_report.report_peak_rss_mb(10_000)
    metrics.append(Metric("report 10,000 employees, peak RSS (fresh process)", peak, "MB",
                          f"≤ {verify_report.MEMORY_BUDGET_MB:.0f} MB",
                          peak <= verify_report.MEMORY_BUDGET_MB))
    return metrics


def firm_metrics(latency: float) -> list[Metric]:
    """`sync --all-companies` over 12 companies × 50 employees against the sum of the 12
    single-company runs (≤ 0.4× at parallel = 4); `companies` over 100 homes (< 1 s)."""
    firm = firm_sync.measure(companies=12, employees=50, latency=latency, parallel=4)
    table, as_json = firm_sync.measure_companies(homes=100)
    what = f"sync --all-companies 12×50, {latency * 1000:.0f} ms/request, parallel 4"
    return [
        Metric(f"{what}: wall (vs Σ 12 single runs)", firm.firm_seconds, "s", "≤ 0.4×",
               firm.ratio <= 0.4, firm.single_total),
        Metric(f"{what}: requests per company", max(firm.firm_requests), "", "", None,
               max(firm.single_requests)),
        Metric(f"{what}: peak memory (Σ RSS of its processes)", firm.peak_rss_mb, "MB", "",
               None),
        Metric("companies over 100 company homes (new process)", table, "s", "< 1 s",
               table < 1.0),
        Metric("companies --json over 100 company homes (new process)", as_json, "s", "< 1 s",
               as_json < 1.0),
    ]


def print_table(metrics: list[Metric], before: dict[str, float] | None = None) -> None:
    """The table; with ``before`` (metric name -> an earlier run's figure), two more columns."""
    width = max(len(m.name) for m in metrics)
    header = (f"{'metric':<{width}}  {'measured':>12}  {'baseline':>12}  {'ratio':>7}  "
              f"{'budget':<12}  {'ok/over':<7}")
    if before is not None:
        header += f"  {'before':>12}  {'change':>7}"
    print(header)
    print("-" * len(header))
    for m in metrics:
        baseline = _number(m.baseline, m.unit) if m.baseline is not None else ""
        ratio = f"{m.ratio:.2f}×" if m.ratio is not None else ""
        verdict = "" if m.ok is None else ("ok" if m.ok else "OVER")
        row = (f"{m.name:<{width}}  {_number(m.measured, m.unit):>12}  {baseline:>12}  "
               f"{ratio:>7}  {m.budget:<12}  {verdict:<7}")
        if before is not None and m.name in before:
            earlier = before[m.name]
            change = f"{(m.measured - earlier) / earlier:+.0%}" if earlier else ""
            row += f"  {_number(earlier, m.unit):>12}  {change:>7}"
        print(row.rstrip())


def save(metrics: list[Metric], path: Path) -> None:
    commit = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True,
                            text=True, cwd=Path(__file__).parent, check=False).stdout.strip()
    document = {"commit": commit or None, "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "metrics": [asdict(m) for m in metrics]}
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def load(path: Path) -> dict[str, float]:
    document = json.loads(path.read_text(encoding="utf-8"))
    return {m["name"]: float(m["measured"]) for m in document["metrics"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"sync a {QUICK_EMPLOYEES}-employee "
                        "quincena, not 500 (those take ≈4 min)")
    parser.add_argument("--employees", type=int, default=None,
                        help="employees of the synced quincena (default 500)")
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--runs", type=int, default=startup.RUNS, help="start-up runs")
    parser.add_argument("--save", type=Path, metavar="FILE", help="write the figures as JSON")
    parser.add_argument("--compare", type=Path, metavar="FILE",
                        help="a --save file of an earlier run, shown beside each figure")
    args = parser.parse_args()
    before = None
    if args.compare:  # a bad file fails before the runs, not after them
        try:
            before = load(args.compare)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            parser.error(f"{args.compare}: not a file written by --save ({exc!r})")
    employees = args.employees or (QUICK_EMPLOYEES if args.quick else 500)
    began = time.perf_counter()
    metrics = startup_metrics(args.runs)
    metrics += read_metrics()
    metrics += sync_metrics(employees, args.latency)
    metrics += verify_metrics(employees, args.latency)
    metrics += report_metrics()
    metrics += firm_metrics(args.latency)
    print_table(metrics, before)
    if args.save:
        save(metrics, args.save)
    print(f"\n(run_all took {time.perf_counter() - began:.0f} s; baselines: bare Typer app, "
          "raw csv.reader / python-calamine, per-employee posting, the sum of the single-company "
          "runs)")


if __name__ == "__main__":
    main()
