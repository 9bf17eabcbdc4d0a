"""`verify` and `report`: requests and wall time of a verify, time and memory of a report.

    python benchmarks/verify_report.py [--employees 500] [--latency 0.05]

- verify of a posted 500-employee quincena against the sandbox with added latency per request:
  GETs (budget: one per document plus the company and the period's look-ups), writes (0), and
  wall time of the command;
- the report (HTML and XLSX) of a posted 500- and 10,000-employee quincena, from the state as
  `report` reads it, against the read+plan time of the same export (budget: 10,000 within 3×);
  the peak RSS of a fresh process that writes the 10,000-employee report (≤ 200 MB).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from payroll_data import write_export  # noqa: E402
from read_and_plan import _own_peak_kib  # noqa: E402
from sync_requests import FIRST, export_name, make_home, run_sync  # noqa: E402

from alegra_sync.config import Paths, Settings  # noqa: E402
from alegra_sync.mapping.model import load_mapping  # noqa: E402
from alegra_sync.payroll.export import read_export  # noqa: E402
from alegra_sync.periods import period_starting  # noqa: E402
from alegra_sync.report.run import write_reports  # noqa: E402
from alegra_sync.sandbox import SandboxServer  # noqa: E402
from alegra_sync.sandbox.demo_company import ACCOUNTS  # noqa: E402
from alegra_sync.sync.ledger import CompanyRecord, Ledger, PeriodRecord, now  # noqa: E402
from alegra_sync.sync.posted import Names, record_posted  # noqa: E402
from alegra_sync.sync.result import PeriodSelection  # noqa: E402
from alegra_sync.vouchers.build import build_vouchers  # noqa: E402
from alegra_sync.vouchers.figures import period_figures  # noqa: E402
from alegra_sync.vouchers.model import AccountInfo, VoucherOptions  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[1] / "src" / "alegra_sync" / "samples"
PERIOD = period_starting(date(2026, 11, 1), "biweekly")
CHART = {a[0]: AccountInfo(id=a[0], name=a[3], code=a[2], type=a[4]) for a in ACCOUNTS}
REPORT_BUDGET = 3.0  # × read+plan, for 10,000 employees
MEMORY_BUDGET_MB = 200.0


@dataclass
class VerifyRow:
    employees: int
    documents: int
    gets: int
    writes: int
    lookups: int  # the budget's look-up reads: company, journal pages, egreso window pages
    seconds: float

    @property
    def budget(self) -> int:
        return self.documents + self.lookups


@dataclass
class ReportRow:
    employees: int
    read_plan_seconds: float
    html_seconds: float
    xlsx_seconds: float
    html_bytes: int
    xlsx_bytes: int
    seconds: float  # both formats in one run, as `report` writes them (one read of the state)

    @property
    def ratio(self) -> float:
        return self.seconds / self.read_plan_seconds


def measure_verify(employees: int, latency: float) -> VerifyRow:
    root = Path(tempfile.mkdtemp(prefix="alegra-sync-bench-"))
    try:
        with SandboxServer(rate_limit=10**6) as server:
            home = make_home(root, "verify", server)
            with (home / "config.toml").open("a", encoding="utf-8") as config:
                # posting is not what is measured: create the contacts unpaced
                config.write("[alegra]\nrequests_per_minute = 10000\n")
            write_export(home / "exports" / export_name(FIRST), FIRST, employees)
            posted, _seconds, _sent = run_sync(home, server, FIRST)
            period = posted["periods"][0]
            journals, payments = len(period["journal_ids"]), len(period["payment_ids"])
            server.faults.set_latency(latency)
            env = {k: v for k, v in os.environ.items() if not k.startswith("ALEGRA_SYNC_")}
            env.update({"ALEGRA_SYNC_HOME": str(home), "ALEGRA_SYNC_BASE_URL": server.url,
                        "ALEGRA_SYNC_USER": server.USER, "ALEGRA_SYNC_TOKEN": server.TOKEN})
            before = server.store.dump()["requests"]
            started = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "alegra_sync", "verify", "--json"],
                                  env=env, capture_output=True, text=True, check=False)
            seconds = time.perf_counter() - started
            if done.returncode != 0:
                raise SystemExit(f"verify failed ({done.returncode}): {done.stderr}")
            counts = json.loads(done.stdout)["requests"]
            after = server.store.dump()["requests"]
            writes = sum(after[m] - before[m] for m in ("POST", "PUT", "DELETE"))
            lookups = 1 + math.ceil(journals / 30) + math.ceil(max(payments, 1) / 30)
            return VerifyRow(employees, journals + payments, counts["GET"], writes, lookups,
                             seconds)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _posted_state(home: Path, export: Path) -> float:
    """The state as a sync leaves it after posting ``export`` (documents, lines, figures),
    made in process; returns the read+plan time of that export (best of 3)."""
    mapping = load_mapping(home / "mapping.toml")
    best = math.inf
    for _ in range(3):
        started = time.perf_counter()
        payroll = read_export(export, period=(PERIOD.start, PERIOD.end))
        plan = build_vouchers(payroll, mapping, CHART, PERIOD, VoucherOptions())
        best = min(best, time.perf_counter() - started)
    figures = period_figures(payroll, mapping, plan, precision=0)
    with Ledger.open(home / "state" / "state.sqlite3") as ledger:
        ledger.bind_company(CompanyRecord("900123456", "Demo Nómina S.A.S."))
        kinds = [("journal", d.key) for d in plan.journals]
        kinds += [("payment", d.key) for d in plan.payments]
        for number, (kind, key) in enumerate(kinds, start=1):
            ledger.set_document(key, PERIOD.name, kind, plan.content_hash,  # type: ignore[arg-type]
                                "posted", alegra_id=str(1000 + number), amount="0")
        ledger.set_period(PeriodRecord(PERIOD.name, PERIOD.end.isoformat(), plan.content_hash,
                                       str(plan.debit_total), str(plan.credit_total),
                                       str(plan.net_pay), str(export), "posted", None, now()))
        contacts = {p: str(5000 + i) for i, p in enumerate(sorted(
            plan.parties(), key=lambda p: p.identification))}
        record_posted(ledger, plan, contacts, Names(CHART, {"1": "Administración", "2": "Ventas"},
                                                    {"2": "Bancolombia nómina"}), figures)
    return best


def _settings_and_paths(home: Path) -> tuple[Settings, Paths]:
    settings = Settings()
    return settings, Paths(home, home / "state", Path("mapping.toml"))


def _no_alegra() -> object:
    raise AssertionError("a posted period's report asks Alegra nothing")


def measure_report(employees: int) -> ReportRow:
    root = Path(tempfile.mkdtemp(prefix="alegra-sync-bench-"))
    try:
        home = root / "home"
        (home / "exports").mkdir(parents=True)
        shutil.copy(SAMPLES / "mapping.toml", home / "mapping.toml")
        export = home / "exports" / export_name(PERIOD)
        write_export(export, PERIOD, employees)
        read_plan = _posted_state(home, export)
        settings, paths = _settings_and_paths(home)
        seconds = {}
        for kind in ("html", "xlsx", "both"):
            best = math.inf
            for _ in range(2):
                started = time.perf_counter()
                write_reports(settings, paths, _no_alegra,  # type: ignore[arg-type]
                              PeriodSelection(period=PERIOD.start),
                              formats=["html", "xlsx"] if kind == "both" else [kind],  # type: ignore[list-item]
                              out=root / "out")
                best = min(best, time.perf_counter() - started)
            seconds[kind] = best
        return ReportRow(employees, read_plan, seconds["html"], seconds["xlsx"],
                         (root / "out" / f"{PERIOD.name}.html").stat().st_size,
                         (root / "out" / f"{PERIOD.name}.xlsx").stat().st_size,
                         seconds["both"])
    finally:
        shutil.rmtree(root, ignore_errors=True)


def report_peak_rss_mb(employees: int) -> float:
    """The peak RSS of a fresh process that writes both formats of the report once."""
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child",
                           str(employees)], capture_output=True, text=True, check=True)
    return float(json.loads(done.stdout)["peak_rss_mb"])


def _child(employees: int) -> None:
    root = Path(tempfile.mkdtemp(prefix="alegra-sync-bench-"))
    try:
        home = root / "home"
        (home / "exports").mkdir(parents=True)
        shutil.copy(SAMPLES / "mapping.toml", home / "mapping.toml")
        export = home / "exports" / export_name(PERIOD)
        write_export(export, PERIOD, employees)
        subprocess.run([sys.executable, str(Path(__file__).resolve()), "--state",
                        str(home), str(export)], check=True)  # the state, in another process
        settings, paths = _settings_and_paths(home)
        write_reports(settings, paths, _no_alegra,  # type: ignore[arg-type]
                      PeriodSelection(period=PERIOD.start), out=root / "out")
        print(json.dumps({"peak_rss_mb": _own_peak_kib() * 1024 / 1e6}))
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        _child(int(sys.argv[2]))
        return
    if sys.argv[1:2] == ["--state"]:
        _posted_state(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=500)
    parser.add_argument("--latency", type=float, default=0.05)
    args = parser.parse_args()
    row = measure_verify(args.employees, args.latency)
    print(f"verify {row.employees} employees: {row.documents} documents, {row.gets} GET "
          f"(budget {row.budget}), {row.writes} writes, {row.seconds:.2f} s at "
          f"{args.latency * 1000:.0f} ms a request")
    for employees in (500, 10_000):
        report = measure_report(employees)
        print(f"report {employees} employees: both {report.seconds:.2f} s, "
              f"html {report.html_seconds:.2f} s "
              f"({report.html_bytes / 1e6:.1f} MB), xlsx {report.xlsx_seconds:.2f} s "
              f"({report.xlsx_bytes / 1e6:.1f} MB); read+plan {report.read_plan_seconds:.2f} s;"
              f" {report.ratio:.2f}×")
    print(f"report 10000 employees, peak RSS: {report_peak_rss_mb(10_000):.0f} MB")


if __name__ == "__main__":
    main()
