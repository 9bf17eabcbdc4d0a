"""Two or three homes syncing one company at the same moment (accounting.md, "Two homes, one
company"): a server's cron and a laptop at 7 a.m. on the 1st. No lock spans machines, so each
run looks the period up again after posting and every home keeps the oldest copy of each
document, removing its own: whatever the interleaving, one live document per key remains.

The trials run the sync of each home in its own thread (each with its own home, state and
Alegra client, as separate machines would), started together or staggered by a seeded delay,
against one sandbox with latency; then every home runs again until it exits 0. Two trials run
real processes. ALEGRA_SYNC_RACE_OUT names a file for the trials' Markdown table.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from alegra_sync.config import Credentials, Paths, load_settings
from alegra_sync.sandbox import SandboxServer
from alegra_sync.sync.connection import client_for
from alegra_sync.sync.result import PeriodSelection, SyncRequest
from alegra_sync.sync.run import Syncer
from e2e.helpers import FAST_CONFIG, SAMPLES, net_pay, write_export
from e2e.test_sync import ANA, BRUNO, NOV1, NOV15
from reliability.exactly_once_checks import (
    markdown_table,
    start_sync,
    state_problems,
    subprocess_env,
    tally,
)

TRIALS = 20
PERIOD = NOV1.isoformat()
EXPECTED = {PERIOD: net_pay(ANA) + net_pay(BRUNO)}
HEADER = ["homes", "trial", "latency (s)", "stagger (s)", "first exits", "runs to settle",
          "copies removed", "duplicates", "lost periods"]


def make_home(root: Path, name: str) -> Path:
    home = root / name
    (home / "exports").mkdir(parents=True)
    shutil.copy(SAMPLES / "mapping.toml", home / "mapping.toml")
    (home / "config.toml").write_text(FAST_CONFIG, encoding="utf-8")
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    return home


def seed_contacts(sandbox: SandboxServer) -> None:
    """The employees are Alegra contacts already: the race is the comprobante's and the
    egreso's, not the contacts' (which every home finds by identification)."""
    for identification, name in (("1001", "Ana Gómez"), ("1002", "Bruno Díaz")):
        sandbox.store.create_contact({
            "name": name, "identification": {"type": "CC", "number": identification},
            "kindOfPerson": "PERSON_ENTITY", "type": ["provider"]})


def sync_home(home: Path, sandbox: SandboxServer) -> tuple[int, list[str]]:
    """One home's sync of the period, in this thread: exit code and warnings."""
    settings = load_settings(home / "config.toml")
    paths = Paths(home, home, settings.mapping)
    credentials = Credentials(user=sandbox.USER, token=sandbox.TOKEN)
    syncer = Syncer(settings, paths, lambda: client_for(settings, credentials))
    result = syncer.run(SyncRequest(PeriodSelection(period=NOV1)))
    return result.exit_code, result.warnings


def race(homes: list[Path], sandbox: SandboxServer, staggers: list[float]
         ) -> list[tuple[int, list[str]]]:
    outcomes: list[tuple[int, list[str]]] = [(-1, [])] * len(homes)
    go = threading.Barrier(len(homes))

    def run(index: int) -> None:
        go.wait()
        time.sleep(staggers[index])  # the scenario's delay, not a synchronisation
        outcomes[index] = sync_home(homes[index], sandbox)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(homes))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.fixture(scope="session")
def race_rows() -> Iterator[list[list[object]]]:
    rows: list[list[object]] = []
    yield rows
    out = os.environ.get("ALEGRA_SYNC_RACE_OUT")
    if out and rows:
        Path(out).write_text(markdown_table(HEADER, rows), encoding="utf-8")


@pytest.mark.parametrize("trial", range(TRIALS))
@pytest.mark.parametrize("count", [2, 3])
def test_racing_homes_leave_one_document_per_key(
    tmp_path: Path, sandbox: SandboxServer, race_rows: list[list[object]], count: int,
    trial: int,
) -> None:
    chance = random.Random(count * 1000 + trial)
    latency = chance.choice([0.0, 0.02, 0.05, 0.1])
    # together, or one home a little after the other: its look-up may come before or after
    # the other's POST, and its POST before or after the other's look-up after posting
    staggers = [0.0] + [chance.choice([0.0, chance.uniform(0, 0.4)]) for _ in range(count - 1)]
    seed_contacts(sandbox)
    sandbox.faults.set_latency(latency)
    homes = [make_home(tmp_path, f"home{n}") for n in range(count)]

    first = race(homes, sandbox, staggers)
    runs = 1
    codes = [code for code, _ in first]
    # a home that finds another's copy not yet removed refuses (65) rather than guess; the
    # next run finds it removed
    assert set(codes) <= {0, 65}, first
    while any(code != 0 for code in codes) and runs < 3:
        codes = [sync_home(home, sandbox)[0] for home in homes]
        runs += 1
    sandbox.faults.set_latency(0)
    again = [sync_home(home, sandbox)[0] for home in homes]  # and the next cron run is quiet

    dump = sandbox.store.dump()
    found = tally(dump, EXPECTED, {"1001", "1002"})
    removed = len(dump["deleted_journals"]) + sum(p["status"] == "void" for p in dump["payments"])
    race_rows.append([count, trial, latency, " ".join(f"{s:.2f}" for s in staggers),
                      " ".join(str(code) for code, _ in first), runs, removed,
                      found.duplicates, found.lost])
    assert codes == [0] * count and again == [0] * count, (first, codes, again)
    assert (found.duplicates, found.lost) == (0, 0), found.problems
    for home in homes:
        assert state_problems(home, dump, {PERIOD}) == [], home.name


@pytest.mark.parametrize("trial", range(2))
def test_two_real_processes_started_together(
    tmp_path: Path, sandbox: SandboxServer, trial: int
) -> None:
    seed_contacts(sandbox)
    sandbox.faults.set_latency(0.1)
    homes = [make_home(tmp_path, f"home{n}") for n in range(2)]
    processes = [start_sync(home, sandbox, "--period", PERIOD) for home in homes]
    exits = [process.wait(timeout=120) for process in processes]
    for process in processes:
        process.communicate(timeout=30)
    assert set(exits) <= {0, 65}, exits
    sandbox.faults.set_latency(0)
    for home in homes:
        rerun = subprocess.run([sys.executable, "-m", "alegra_sync", "sync", "--period", PERIOD],
                               env=subprocess_env(home, sandbox), capture_output=True,
                               text=True, timeout=60)
        assert rerun.returncode == 0, rerun.stderr
    dump = sandbox.store.dump()
    found = tally(dump, EXPECTED, {"1001", "1002"})
    assert (found.duplicates, found.lost) == (0, 0), found.problems
    assert sum(Decimal(str(p["amount"])) for p in dump["payments"]
               if p["status"] != "void") == EXPECTED[PERIOD]


def test_a_failed_look_up_after_posting_is_done_by_the_next_run(
    home: Path, sandbox: SandboxServer
) -> None:
    from e2e.helpers import cli, sync_json

    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    # the look-up before posting answers; the one after (and its 4 retries) fails
    sandbox.faults.add("GET /journals", "500-before", count=5, after=1)
    first = cli("sync", "--period", PERIOD)
    assert first.exit_code == 0, first.output
    assert (f"warning: {PERIOD}: posted, but looking it up again after posting failed"
            in first.stderr)
    before = sandbox.store.dump()["requests"]["GET"]
    code, result = sync_json("--period", PERIOD)
    assert (code, result["periods"][0]["outcome"]) == (0, "already-posted")
    # the company, the chart, cost centers and bank accounts, then the journals and egresos
    assert result["requests"]["GET"] == 6
    code, result = sync_json("--period", PERIOD)
    assert (code, result["requests"]["GET"]) == (0, 4)  # settled: no look-up
    assert sandbox.store.dump()["requests"]["GET"] == before + 10
    found = tally(sandbox.store.dump(), EXPECTED, {"1001", "1002"})
    assert (found.duplicates, found.lost) == (0, 0)
