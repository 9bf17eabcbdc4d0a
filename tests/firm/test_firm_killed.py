"""An `--all-companies` backfill over three companies × four periods, SIGKILLed at a seeded
random moment and run again: 0 duplicates and 0 lost periods in any company, and each state
agreeing with its Alegra document by document.

The firm's companies die with it (PR_SET_PDEATHSIG, Linux), as they would with the machine.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from e2e.helpers import net_pay, write_export
from firm.conftest import SLUGS, Firm
from reliability.exactly_once_checks import live_documents, state_problems, tally
from reliability.test_killed import EMPLOYEES, rows_for

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the companies die with the firm only on Linux")
TRIALS = 20
LATENCY = 0.01
BACKFILL = ("--from", "2026-05-01", "--to", "2026-06-16")
PERIODS = [(date(2026, 5, 1), date(2026, 5, 15)), (date(2026, 5, 16), date(2026, 5, 31)),
           (date(2026, 6, 1), date(2026, 6, 15)), (date(2026, 6, 16), date(2026, 6, 30))]


def write_backfill(firm: Firm) -> dict[str, dict[str, Decimal]]:
    """Four exports per company, each company's amounts its own; net pay by period."""
    expected: dict[str, dict[str, Decimal]] = {}
    for number, slug in enumerate(SLUGS):
        expected[slug] = {}
        for index, (start, end) in enumerate(PERIODS):
            rows = rows_for(index + 3 * number, end)
            write_export(firm.company(slug), start, end, rows)
            expected[slug][start.isoformat()] = sum((net_pay(r) for r in rows), Decimal(0))
    return expected


def firm_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items()
            if k not in ("ALEGRA_SYNC_USER", "ALEGRA_SYNC_TOKEN")}


def start(firm: Firm) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "alegra_sync", "sync", "--all-companies",
                             *BACKFILL], env=firm_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


@pytest.fixture
def unkilled_seconds(firm: Firm) -> float:
    """The wall time of the whole run, once, in its own firm: the window of the kills."""
    write_backfill(firm)
    for slug in SLUGS:
        firm.books(slug).faults.set_latency(LATENCY)
    began = time.monotonic()
    process = start(firm)
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    return time.monotonic() - began


def test_killed_firm_runs_post_each_period_once_in_every_company(
        firm: Firm, unkilled_seconds: float, tmp_path: Path) -> None:
    failures: list[str] = []
    rows: list[str] = []
    killed = 0
    for seed in range(TRIALS):
        firm.sandbox.reset()
        for slug in SLUGS:
            (firm.company(slug) / "state.sqlite3").unlink(missing_ok=True)
            for leftover in firm.company(slug).glob("state.sqlite3-*"):
                leftover.unlink()
            firm.books(slug).faults.set_latency(LATENCY)
        expected = write_backfill(firm)
        kill_at = random.Random(seed).uniform(0, unkilled_seconds)
        process = start(firm)
        try:
            process.wait(timeout=kill_at)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)
        killed += process.returncode == -signal.SIGKILL
        at_kill = [len(live_documents(firm.books(slug).store.dump())[0]) for slug in SLUGS]
        codes: list[int] = []
        while len(codes) < 3 and (not codes or codes[-1] != 0):
            again = subprocess.run([sys.executable, "-m", "alegra_sync", "sync",
                                    "--all-companies", *BACKFILL], env=firm_env(),
                                   capture_output=True, text=True, timeout=300)
            codes.append(again.returncode)
        problems: list[str] = []
        duplicates = 0
        for slug in SLUGS:
            dump = firm.books(slug).store.dump()
            found = tally(dump, expected[slug], EMPLOYEES)
            duplicates += found.duplicates
            problems += [f"{slug}: {p}" for p in found.problems]
            problems += [f"{slug}: {p}" for p in
                         state_problems(firm.company(slug), dump, set(expected[slug]))]
            journals, payments = live_documents(dump)
            if len(journals) != len(PERIODS) or len(payments) != len(PERIODS):
                problems.append(f"{slug}: {len(journals)} journals, {len(payments)} egresos")
        rows.append(f"seed {seed}: kill at {kill_at:.2f} s, exit {process.returncode}, "
                    f"journals in Alegra at the kill {at_kill}, re-runs {codes}, "
                    f"duplicates {duplicates}")
        if codes[-1] != 0 or duplicates or problems:
            failures.append(f"{rows[-1]}: {problems}")
    out = os.environ.get("ALEGRA_SYNC_KILLED_OUT")
    (Path(out) if out else tmp_path / "trials.txt").write_text("\n".join(rows) + "\n",
                                                               encoding="utf-8")
    assert failures == [], "\n".join(failures)
    assert killed >= TRIALS // 2, rows  # the kills landed inside the runs
