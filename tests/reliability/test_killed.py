"""A twelve-period backfill killed with SIGKILL at a random moment, then run again (issue 7).

Each trial runs `python -m alegra_sync sync --from 2026-05-01 --to 2026-10-16` against a fresh
sandbox with some latency, kills it after a seeded random delay drawn from the duration of an
unkilled run (so kills land anywhere: start-up, contact creation, a look-up, between a POST and
its state write), then runs it again, which must exit 0 with every period posted exactly once
and the state agreeing with Alegra document by document.

With ALEGRA_SYNC_KILLED_OUT naming a file, the trials are written there as a Markdown table.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from alegra_sync.sandbox import SandboxServer
from e2e.helpers import FAST_CONFIG, SAMPLES, employee, net_pay, write_export
from reliability.exactly_once_checks import (
    live_documents,
    markdown_table,
    start_sync,
    state_problems,
    subprocess_env,
    tally,
)

TRIALS = 20
LATENCY = 0.015  # seconds per request: a run lasts long enough to be killed mid-way
BACKFILL = ("--from", "2026-05-01", "--to", "2026-10-16")
EMPLOYEES = {"3001", "3002", "3003"}
HEADER = ["seed", "kill at (s)", "killed", "journals / egresos at kill",
          "left in flight (state)", "re-runs", "exit", "duplicates", "lost periods", "seconds"]


def periods() -> list[tuple[date, date]]:
    """The twelve quincenas from May 1 to October 31, 2026."""
    found = []
    for month in range(5, 11):
        first = date(2026, month, 1)
        last = (first.replace(month=month + 1) - timedelta(days=1))
        found += [(first, first.replace(day=15)), (first.replace(day=16), last)]
    return found


def rows_for(index: int, end: date) -> list[dict[str, Any]]:
    """A few employees whose pay changes every period, so every period has its own hash."""
    paid = end.isoformat()
    return [
        employee("3001", "Carla Ruiz", "Administración", "EPS Sura", "Protección AFP", paid,
                 Salario=1800000 + 10000 * index, Auxilio_de_transporte=100000,
                 Salud_empleado=72000, Pensión_empleado=72000),
        employee("3002", "Diego Mora", "Ventas", "Sanitas EPS", "Porvenir AFP", paid,
                 Salario=1400000, Horas_extras=20000 * (index + 1), Salud_empleado=56000,
                 Pensión_empleado=56000),
        employee("3003", "Elena Paz", "Ventas", "EPS Sura", "Porvenir AFP", paid,
                 Salario=2500000 + 5000 * index, Salud_empleado=100000,
                 Pensión_empleado=100000, Libranza=50000 if index % 3 == 0 else 0),
    ]


def write_exports(home: Path) -> dict[str, Decimal]:
    """The twelve exports; the net pay of each period by period name."""
    expected = {}
    for index, (start, end) in enumerate(periods()):
        rows = rows_for(index, end)
        write_export(home, start, end, rows)
        expected[start.isoformat()] = sum((net_pay(r) for r in rows), Decimal(0))
    return expected


def unresolved(home: Path) -> str:
    """The documents the killed run left neither posted nor replaced, as key: status.

    Nothing when the run was killed before its state had a documents table: not created
    yet, created by a version that left it without tables, or not migrated yet.
    """
    database = home / "state.sqlite3"
    if not database.exists():
        return ""
    # read-write: after a SIGKILL the write-ahead log may lack its index, which a read-only
    # connection cannot rebuild ("attempt to write a readonly database"); the writer is dead
    with closing(sqlite3.connect(database, timeout=30)) as db:
        tables = {name for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "documents" not in tables:
            return ""
        rows = db.execute("SELECT key, status FROM documents WHERE status NOT IN "
                          "('posted', 'replaced') ORDER BY key").fetchall()
    return ", ".join(f"{key}: {status}" for key, status in rows)


@pytest.fixture(scope="module")
def unkilled_seconds(tmp_path_factory: pytest.TempPathFactory) -> float:
    """Wall time of the backfill run to its end: the window the kill moments are drawn from."""
    home = tmp_path_factory.mktemp("unkilled")
    shutil.copy(SAMPLES / "mapping.toml", home / "mapping.toml")
    (home / "config.toml").write_text(FAST_CONFIG, encoding="utf-8")
    (home / "exports").mkdir()
    expected = write_exports(home)
    with SandboxServer() as server:
        server.faults.set_latency(LATENCY)
        started = time.monotonic()
        process = start_sync(home, server, *BACKFILL)
        _, stderr = process.communicate(timeout=60)
        elapsed = time.monotonic() - started
        assert process.returncode == 0, stderr
        dump = server.store.dump()
    found = tally(dump, expected, EMPLOYEES)
    assert (found.duplicates, found.lost, found.problems) == (0, 0, [])
    return elapsed


@pytest.fixture(scope="session")
def trial_rows() -> Iterator[dict[int, list[object]]]:
    rows: dict[int, list[object]] = {}
    yield rows
    out = os.environ.get("ALEGRA_SYNC_KILLED_OUT")
    if out and rows:
        Path(out).write_text(markdown_table(HEADER, [rows[k] for k in sorted(rows)]),
                             encoding="utf-8")


@pytest.mark.parametrize("seed", range(TRIALS))
def test_backfill_killed_at_random_then_resumed(
    home: Path, sandbox: SandboxServer, unkilled_seconds: float,
    trial_rows: dict[int, list[object]], seed: int,
) -> None:
    expected = write_exports(home)
    sandbox.faults.set_latency(LATENCY)
    kill_at = random.Random(seed).uniform(0, unkilled_seconds)

    started = time.monotonic()
    process = start_sync(home, sandbox, *BACKFILL)
    try:
        process.wait(timeout=kill_at)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    killed = process.returncode == -signal.SIGKILL
    assert killed or process.returncode == 0, f"exit {process.returncode} before the kill"
    journals, payments = live_documents(sandbox.store.dump())
    at_kill = f"{len(journals)} / {len(payments)}"
    in_flight = unresolved(home)

    codes: list[int] = []
    stderr = ""
    while len(codes) < 3 and (not codes or codes[-1] != 0):
        again = subprocess.run([sys.executable, "-m", "alegra_sync", "sync", *BACKFILL],
                               env=subprocess_env(home, sandbox), capture_output=True,
                               text=True, timeout=60)
        codes.append(again.returncode)
        stderr += again.stderr
    elapsed = time.monotonic() - started

    dump = sandbox.store.dump()
    found = tally(dump, expected, EMPLOYEES)
    problems = [*found.problems, *state_problems(home, dump, set(expected))]
    trial_rows[seed] = [seed, f"{kill_at:.2f}", "yes" if killed else "no (finished)", at_kill,
                        in_flight or "-", len(codes), ", ".join(map(str, codes)),
                        found.duplicates, found.lost, f"{elapsed:.1f}"]

    assert codes == [0], f"the run after the kill did not succeed at once: {codes}\n{stderr}"
    assert found.duplicates == 0 and found.lost == 0, problems
    assert not problems, problems
    journals, payments = live_documents(dump)
    assert sorted(key for key, _, _ in journals) == [f"{p}/J1" for p in sorted(expected)]
    assert sorted(key for key, _, _ in payments) == [f"{p}/P1" for p in sorted(expected)]


RACE_TRIALS = 3
RACE_BACKFILL = ("--from", "2026-05-01", "--to", "2026-06-16")  # four periods


@pytest.mark.parametrize("seed", range(RACE_TRIALS))
def test_two_homes_racing_one_killed_at_random(
    home: Path, sandbox: SandboxServer, unkilled_seconds: float, tmp_path: Path, seed: int,
) -> None:
    """A laptop starts the same backfill as the server's cron and is killed half-way: once both
    have run again, every period is posted exactly once and both states agree with Alegra."""
    other = tmp_path / "laptop"
    shutil.copytree(home, other)
    expected = {p: net for p, net in write_exports(home).items() if p < "2026-07-01"}
    write_exports(other)
    sandbox.faults.set_latency(LATENCY)
    # a third of the twelve-period run: about the length of this four-period one
    kill_at = random.Random(1000 + seed).uniform(0, unkilled_seconds / 3)

    server = start_sync(home, sandbox, *RACE_BACKFILL)
    laptop = start_sync(other, sandbox, *RACE_BACKFILL)
    try:
        laptop.wait(timeout=kill_at)
    except subprocess.TimeoutExpired:
        laptop.send_signal(signal.SIGKILL)
    laptop.communicate(timeout=60)
    server.communicate(timeout=120)
    assert server.returncode in (0, 65), server.returncode  # 65: the laptop's copy seen

    for place in (other, home):
        codes = []
        while len(codes) < 3 and (not codes or codes[-1] != 0):
            codes.append(subprocess.run(
                [sys.executable, "-m", "alegra_sync", "sync", *RACE_BACKFILL],
                env=subprocess_env(place, sandbox), capture_output=True, text=True,
                timeout=60).returncode)
        assert codes[-1] == 0, (place.name, codes)

    dump = sandbox.store.dump()
    found = tally(dump, expected, EMPLOYEES)
    assert (found.duplicates, found.lost) == (0, 0), found.problems
    for place in (home, other):
        assert state_problems(place, dump, set(expected)) == [], place.name
