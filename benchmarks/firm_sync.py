"""Firm mode: `sync --all-companies` against the sum of the single-company runs, and `companies`
over a hundred company homes.

    python benchmarks/firm_sync.py [--companies 12] [--employees 50] [--latency 0.05]
                                   [--parallel 4] [--homes 100]

One sandbox serves 2 × N companies: the first N take the single-company runs (one
`alegra-sync --company SLUG sync` after another, each timed), the other N the one
`sync --all-companies` run of a second firm home with the same exports, so both start from the
same empty books. Every request waits the same added latency. The peak memory of the parallel
run is sampled from /proc (the firm's process and its companies' together, Linux).

`companies` is timed as a person runs it (a new process, start-up included) over a firm of
``--homes`` company homes, each with a state of a few posted periods.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from payroll_data import write_export  # noqa: E402

from alegra_sync.config import Credentials, save_credentials  # noqa: E402
from alegra_sync.periods import period_starting  # noqa: E402
from alegra_sync.sandbox import SandboxServer  # noqa: E402
from alegra_sync.sync.ledger import CompanyRecord, Ledger, PeriodRecord, now  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[1] / "src" / "alegra_sync" / "samples"
PERIOD = period_starting(date(2026, 11, 1), "biweekly")
TODAY = "2026-11-16"
FIRM_CONFIG = """\
[contacts]
create_missing = true

[firm]
parallel = {parallel}
"""


@dataclass
class FirmResult:
    companies: int
    employees: int
    latency: float
    parallel: int
    single_seconds: list[float] = field(default_factory=list)
    single_requests: list[int] = field(default_factory=list)
    firm_seconds: float = 0.0
    firm_requests: list[int] = field(default_factory=list)
    peak_rss_mb: float = 0.0  # the firm's process and its companies', sampled together
    largest_process_mb: float = 0.0

    @property
    def single_total(self) -> float:
        return sum(self.single_seconds)

    @property
    def ratio(self) -> float:
        return self.firm_seconds / self.single_total if self.single_total else 0.0


def make_firm(root: Path, server: SandboxServer, first: int, companies: int, employees: int,
              parallel: int) -> Path:
    """A firm home whose company i is the sandbox's company first + i, connected."""
    (root / "companies").mkdir(parents=True)
    (root / "config.toml").write_text(FIRM_CONFIG.format(parallel=parallel), encoding="utf-8")
    for index in range(companies):
        books = server.company(first + index)
        home = root / "companies" / f"company-{index + 1:02d}"
        (home / "exports").mkdir(parents=True)
        os.chmod(home, 0o700)
        shutil.copy(SAMPLES / "mapping.toml", home / "mapping.toml")
        save_credentials(home / "credentials.toml", Credentials(user=books.user,
                                                                token=books.token))
        name = f"nomina_{PERIOD.start.isoformat()}_{PERIOD.end.isoformat()}.csv"
        write_export(home / "exports" / name, PERIOD, employees,
                     first_id=1020300000 + 1000 * index)
    return root


def environment(firm: Path, server: SandboxServer) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALEGRA_SYNC_")}
    env.update({"ALEGRA_SYNC_HOME": str(firm), "ALEGRA_SYNC_BASE_URL": server.url,
                "ALEGRA_SYNC_TODAY": TODAY})
    return env


def _requests(result: dict[str, Any]) -> int:
    return sum(int(n) for n in result.get("requests", {}).values())


class MemorySampler:
    """The largest sum of RSS over a process and its descendants, sampled every 20 ms."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            self.peak_kb = max(self.peak_kb, _tree_rss_kb(self.pid))


def _tree_rss_kb(root: int) -> int:
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status", encoding="utf-8") as handle:
                fields = dict(line.split(":", 1) for line in handle if ":" in line)
        except OSError:
            continue
        pid = int(entry)
        parents[pid] = int(fields.get("PPid", "0").strip())
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    tree = {root}
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return sum(rss.get(pid, 0) for pid in tree)


def measure(companies: int = 12, employees: int = 50, latency: float = 0.05,
            parallel: int = 4) -> FirmResult:
    result = FirmResult(companies, employees, latency, parallel)
    root = Path(tempfile.mkdtemp(prefix="alegra-sync-firm-bench-"))
    try:
        with SandboxServer(companies=2 * companies) as server:
            for books in server.companies:
                books.faults.set_latency(latency)
            singles = make_firm(root / "singles", server, 1, companies, employees, parallel)
            firm = make_firm(root / "firm", server, companies + 1, companies, employees,
                             parallel)
            env = environment(singles, server)
            for index in range(companies):
                slug = f"company-{index + 1:02d}"
                began = time.perf_counter()
                done = subprocess.run([sys.executable, "-m", "alegra_sync", "--company", slug,
                                       "sync", "--json", "--period", PERIOD.name], env=env,
                                      capture_output=True, text=True, check=False)
                result.single_seconds.append(time.perf_counter() - began)
                if done.returncode != 0:
                    raise SystemExit(f"{slug} failed ({done.returncode}): {done.stderr}")
                result.single_requests.append(_requests(json.loads(done.stdout)))
            began = time.perf_counter()
            process = subprocess.Popen([sys.executable, "-m", "alegra_sync", "sync",
                                        "--all-companies", "--json", "--period", PERIOD.name],
                                       env=environment(firm, server), stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, text=True)
            with MemorySampler(process.pid) as memory:
                stdout, stderr = process.communicate()
            result.firm_seconds = time.perf_counter() - began
            if process.returncode != 0:
                raise SystemExit(f"the firm run failed ({process.returncode}): {stderr}")
            document = json.loads(stdout)
            result.firm_requests = [_requests(c["result"]) for c in document["companies"]]
            result.peak_rss_mb = memory.peak_kb / 1024
            import resource

            result.largest_process_mb = resource.getrusage(
                resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return result


def make_portfolio(root: Path, homes: int) -> Path:
    """A firm of ``homes`` companies, each with a state of three posted periods (verified)
    and a run."""
    (root / "companies").mkdir(parents=True)
    for index in range(homes):
        home = root / "companies" / f"cliente-{index + 1:03d}"
        (home / "exports").mkdir(parents=True)
        (home / "config.toml").write_text("", encoding="utf-8")
        (home / "exports" / "nomina_2026-11-16_2026-11-30.csv").write_text("x\n")
        with Ledger.open(home / "state.sqlite3") as ledger:
            ledger.bind_company(CompanyRecord(str(900100000 + index), f"Cliente {index} SAS"))
            for start in ("2026-10-01", "2026-10-16", "2026-11-01"):
                period = period_starting(date.fromisoformat(start), "biweekly")
                ledger.set_period(PeriodRecord(period.name, period.end.isoformat(), "abcd1234",
                                               "100", "100", "80", None, "posted", None, now()))
                ledger.set_period_verified(period.name, "match", now())  # the last verify
            run = ledger.start_run("sync --catch-up")
            ledger.finish_run(run, "success", 0)
    return root


def measure_companies(homes: int = 100, runs: int = 3) -> tuple[float, float]:
    """(best wall time of `alegra-sync companies`, of `companies --json`) over ``homes``."""
    root = Path(tempfile.mkdtemp(prefix="alegra-sync-portfolio-bench-"))
    try:
        firm = make_portfolio(root / "firm", homes)
        env = {k: v for k, v in os.environ.items() if not k.startswith("ALEGRA_SYNC_")}
        env.update({"ALEGRA_SYNC_HOME": str(firm), "ALEGRA_SYNC_TODAY": "2026-12-01",
                    "COLUMNS": "200"})
        best: list[float] = []
        for extra in ([], ["--json"]):
            times = []
            for _ in range(runs):
                began = time.perf_counter()
                done = subprocess.run([sys.executable, "-m", "alegra_sync", "companies",
                                       *extra], env=env, capture_output=True, text=True,
                                      check=False)
                times.append(time.perf_counter() - began)
                if done.returncode != 0:
                    raise SystemExit(f"companies failed: {done.stderr}")
            best.append(min(times))
        return best[0], best[1]
    finally:
        shutil.rmtree(root, ignore_errors=True)


def print_result(result: FirmResult) -> None:
    print(f"sync --all-companies: {result.companies} companies × {result.employees} employees, "
          f"{result.latency * 1000:.0f} ms per request, parallel = {result.parallel}")
    print(f"{'company':<12} {'single run (s)':>15} {'requests':>9} {'in the firm run':>16}")
    for index, (seconds, requests) in enumerate(zip(result.single_seconds,
                                                    result.single_requests, strict=True)):
        firm = result.firm_requests[index] if index < len(result.firm_requests) else 0
        print(f"company-{index + 1:02d}   {seconds:>15.2f} {requests:>9} {firm:>16}")
    print(f"sum of the single runs: {result.single_total:.2f} s; the firm run: "
          f"{result.firm_seconds:.2f} s; ratio {result.ratio:.2f}× (budget ≤ 0.4×)")
    print(f"peak memory of the firm run (all its processes): {result.peak_rss_mb:.0f} MB; "
          f"largest single process: {result.largest_process_mb:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=12)
    parser.add_argument("--employees", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--parallel", type=int, default=4)
    parser.add_argument("--homes", type=int, default=100)
    args = parser.parse_args()
    print_result(measure(args.companies, args.employees, args.latency, args.parallel))
    table, as_json = measure_companies(args.homes)
    print(f"companies over {args.homes} company homes: {table:.3f} s (table), "
          f"{as_json:.3f} s (--json), start-up included (budget < 1 s)")


if __name__ == "__main__":
    main()
