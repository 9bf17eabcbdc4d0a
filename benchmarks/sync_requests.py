"""HTTP requests and wall time to sync a 500-employee quincena against the sandbox.

Compares alegra-sync (one comprobante in parts of `journal.max_entries`, one egreso) with the
payroll products' way (one journal and one egreso per employee; see alegra-api.md, "Seen in the
recorded traffic"), both against the same sandbox with the same added latency per request.

    python benchmarks/sync_requests.py [--employees 500] [--latency 0.05]

The sandbox's rate limit is lifted so the per-employee baseline finishes; the last column
gives the floor that Alegra's real limit (150 requests a minute) would put on each scenario.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from payroll_data import write_export  # noqa: E402

from alegra_sync.alegra.client import AlegraClient  # noqa: E402
from alegra_sync.mapping.model import load_mapping  # noqa: E402
from alegra_sync.payroll.export import read_export  # noqa: E402
from alegra_sync.periods import Period, period_starting  # noqa: E402
from alegra_sync.sandbox import SandboxServer  # noqa: E402
from alegra_sync.vouchers.build import build_vouchers  # noqa: E402
from alegra_sync.vouchers.model import AccountInfo, Party, VoucherOptions  # noqa: E402
from alegra_sync.vouchers.payloads import journal_payload, payment_payload  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[1] / "src" / "alegra_sync" / "samples"
ALEGRA_LIMIT_PER_MINUTE = 150
FIRST = period_starting(date(2026, 11, 1), "biweekly")
SECOND = period_starting(date(2026, 11, 16), "biweekly")


@dataclass
class Row:
    scenario: str
    documents: int
    gets: int
    writes: int
    seconds: float
    after_posting: int | None = None  # the reads after the last write: the second look-up

    @property
    def requests(self) -> int:
        return self.gets + self.writes

    @property
    def floor_at_alegra_limit(self) -> float:
        return max(0.0, (self.requests - ALEGRA_LIMIT_PER_MINUTE) * 60 / ALEGRA_LIMIT_PER_MINUTE)


def make_home(root: Path, name: str, server: SandboxServer, *, summary: bool = False) -> Path:
    home = root / name
    (home / "exports").mkdir(parents=True)
    shutil.copy(SAMPLES / "mapping.toml", home / "mapping.toml")
    detail = "summary" if summary else "employee"
    (home / "config.toml").write_text(
        f'[contacts]\ncreate_missing = true\n[journal]\ndetail = "{detail}"\n', encoding="utf-8")
    return home


def run_sync(home: Path, server: SandboxServer, period: Period
             ) -> tuple[dict[str, Any], float, list[str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALEGRA_SYNC_")}
    env.update({"ALEGRA_SYNC_HOME": str(home), "ALEGRA_SYNC_BASE_URL": server.url,
                "ALEGRA_SYNC_USER": server.USER, "ALEGRA_SYNC_TOKEN": server.TOKEN})
    started = time.perf_counter()
    # -vv: the client logs each request ("GET /journals -> 200 in 51 ms"), in order
    done = subprocess.run([sys.executable, "-m", "alegra_sync", "-vv", "sync", "--json",
                           "--period", period.name], env=env, capture_output=True, text=True,
                          check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"sync failed ({done.returncode}): {done.stderr}{done.stdout}")
    sent = [line.split(": ", 1)[1] for line in done.stderr.splitlines()
            if line.startswith("alegra_sync.http: ") and " -> " in line]
    return json.loads(done.stdout), seconds, sent


def reads_after_last_write(sent: list[str]) -> int:
    """The GETs after the last POST/PUT/DELETE: what the look-up after posting costs."""
    writes = [i for i, line in enumerate(sent) if line.split(" ", 1)[0] != "GET"]
    return len(sent) - writes[-1] - 1 if writes else 0


def row_of(scenario: str, result: dict[str, Any], seconds: float, sent: list[str]) -> Row:
    counts = result["requests"]
    period = result["periods"][0]
    documents = len(period["journal_ids"]) + len(period["payment_ids"])
    writes = counts["POST"] + counts["PUT"] + counts["DELETE"]
    return Row(scenario, documents, counts["GET"], writes, seconds, reads_after_last_write(sent))


def per_employee_baseline(home: Path, server: SandboxServer, period: Period) -> Row:
    """One journal and one egreso per employee, as payroll products post today."""
    export = read_export(home / "exports" / export_name(period))
    mapping = load_mapping(home / "mapping.toml")
    started = time.perf_counter()
    client = AlegraClient(server.url, server.USER, server.TOKEN, requests_per_minute=10**6)
    chart = {a.id: AccountInfo(a.id, a.name, a.code, a.type) for a in client.categories()}
    precision = client.company().decimal_precision
    contacts = {c.identification: c.id for c in client.contacts()}
    documents = 0
    for employee in export.employees:
        single = replace(export, employees=[employee])
        plan = build_vouchers(single, mapping, chart, period,
                              VoucherOptions(precision=precision, max_entries=10**6))
        ids: dict[Party, str] = {p: contacts[p.identification] for p in plan.parties()}
        for journal in plan.journals:
            client.create_journal(journal_payload(journal, plan, ids))
            documents += 1
        for payment in plan.payments:
            client.create_payment(payment_payload(payment, plan, ids))
            documents += 1
    seconds = time.perf_counter() - started
    sent = client.requests_sent
    client.close()
    return Row("per employee (payroll products today)", documents, sent["GET"],
               sent["POST"] + sent["PUT"] + sent["DELETE"], seconds)


def export_name(period: Period) -> str:
    return f"nomina_{period.start.isoformat()}_{period.end.isoformat()}.csv"


def measure(employees: int, latency: float) -> list[Row]:
    rows: list[Row] = []
    root = Path(tempfile.mkdtemp(prefix="alegra-sync-bench-"))
    try:
        with SandboxServer(rate_limit=10**6) as server:
            server.faults.set_latency(latency)
            home = make_home(root, "employee", server)
            for period in (FIRST, SECOND):
                write_export(home / "exports" / export_name(period), period, employees)
            rows.append(row_of("alegra-sync, employee detail, fresh (creates contacts)",
                               *run_sync(home, server, FIRST)))
            rows.append(row_of("alegra-sync, employee detail, contacts cached",
                               *run_sync(home, server, SECOND)))

            # the baseline posts into the same company, which now has the employees as contacts
            rows.append(per_employee_baseline(home, server, FIRST))

            server.store.reset()
            summary = make_home(root, "summary", server, summary=True)
            write_export(summary / "exports" / export_name(FIRST), FIRST, employees)
            rows.insert(2, row_of("alegra-sync, summary detail", *run_sync(summary, server, FIRST)))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return rows


def print_table(rows: list[Row], employees: int, latency: float) -> None:
    print(f"Syncing a {employees}-employee quincena, sandbox latency {latency * 1000:.0f} ms "
          "per request")
    header = (f"{'scenario':<56} {'docs':>5} {'GET':>5} {'writes':>6} {'requests':>8} "
              f"{'seconds':>8} {'floor at 150/min':>17} {'after posting':>13}")
    print(header)
    print("-" * len(header))
    for row in rows:
        print(f"{row.scenario:<56} {row.documents:>5} {row.gets:>5} {row.writes:>6} "
              f"{row.requests:>8} {row.seconds:>8.2f} {row.floor_at_alegra_limit:>16.0f}s "
              f"{'' if row.after_posting is None else row.after_posting:>13}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=500)
    parser.add_argument("--latency", type=float, default=0.05)
    args = parser.parse_args()
    print_table(measure(args.employees, args.latency), args.employees, args.latency)


if __name__ == "__main__":
    main()
