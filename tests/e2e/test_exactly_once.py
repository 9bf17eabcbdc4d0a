"""Exactly once under faults, crashes, changed exports and concurrent runs (issue 6).

Each scenario runs the real command against the sandbox with a fault switch armed and ends,
within at most two runs, with exactly one live journal per part and egresos totalling the net
pay. Crashes and concurrency use real subprocesses.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from alegra_sync.sandbox import SandboxServer
from e2e.helpers import cli, employee, sync_json, write_export
from e2e.test_sync import ANA, BRUNO, NOV1, NOV15
from secrets_scan import assert_no_secret

NET_PAY = Decimal(3270000)
FAULTS = [("500-before", 1, 0.0), ("500-after", 1, 0.0), ("drop-after", 1, 0.0),
          ("delay-after", 1, 2.0), ("429", 2, 0.0)]


def assert_exactly_once(sandbox: SandboxServer, net_pay: Decimal = NET_PAY) -> None:
    dump = sandbox.store.dump()
    keys = [j["reference"].split()[1] for j in dump["journals"]]
    assert keys == ["2026-11-01/J1"], f"duplicated or lost journals: {keys}"
    live = [p for p in dump["payments"] if p["status"] != "void"]
    assert sum(Decimal(str(p["amount"])) for p in live) == net_pay
    assert len(live) == 1, [p["observations"] for p in live]


def sync_until_done(max_runs: int = 2) -> int:
    for run in range(1, max_runs + 1):
        code, _result = sync_json("--period", "2026-11-01")
        if code == 0:
            return run
    raise AssertionError(f"sync did not succeed within {max_runs} runs (last exit {code})")


@pytest.mark.parametrize("route", ["POST /journals", "POST /payments"])
@pytest.mark.parametrize(("mode", "count", "seconds"), FAULTS)
def test_each_fault_ends_with_one_journal_and_the_net_pay(
    home: Path, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch,
    route: str, mode: str, count: int, seconds: float,
) -> None:
    monkeypatch.setenv("ALEGRA_SYNC_ALEGRA__READ_TIMEOUT", "0.5")
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    sandbox.faults.add(route, mode, count=count, seconds=seconds)
    runs = sync_until_done()
    assert runs <= 2
    assert_exactly_once(sandbox)
    status = cli("status", "--json")
    assert '"uncertain"' not in status.stdout


def run_subprocess(home: Path, sandbox: SandboxServer, *args: str,
                   extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALEGRA_SYNC_")}
    env.update({"ALEGRA_SYNC_HOME": str(home), "ALEGRA_SYNC_BASE_URL": sandbox.url,
                "ALEGRA_SYNC_USER": sandbox.USER, "ALEGRA_SYNC_TOKEN": sandbox.TOKEN,
                "NO_COLOR": "1", **(extra_env or {})})
    done = subprocess.run([sys.executable, "-m", "alegra_sync", *args], env=env,
                          capture_output=True, text=True, timeout=120)
    assert_no_secret(done.stdout + done.stderr, f"the output of `alegra-sync {' '.join(args)}`")
    return done


@pytest.mark.parametrize("point", ["before-post", "after-post"])
@pytest.mark.parametrize("key", ["2026-11-01/J1", "2026-11-01/P1"])
def test_killed_between_state_and_post_posts_nothing_twice(
    home: Path, sandbox: SandboxServer, point: str, key: str
) -> None:
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    crashed = run_subprocess(home, sandbox, "sync", "--period", "2026-11-01",
                             extra_env={"ALEGRA_SYNC_TEST_CRASH": f"{point}:{key}"})
    assert crashed.returncode == 137, crashed.stderr
    shown = run_subprocess(home, sandbox, "status")
    part = key.rpartition("/")[2]  # status shows the document as "J1 comprobante"
    row = next(line for line in shown.stdout.splitlines() if f" {part} " in line)
    assert "posting" in row  # `status` shows it; the period counts as uncertain
    assert "uncertain" in shown.stdout
    again = run_subprocess(home, sandbox, "sync", "--period", "2026-11-01")
    assert again.returncode == 0, again.stderr
    assert_exactly_once(sandbox)


def test_changed_export_is_refused_then_replaced(home: Path, sandbox: SandboxServer) -> None:
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    assert sync_json("--period", "2026-11-01")[0] == 0
    old = sandbox.store.dump()
    raised = {**BRUNO, "Salario": 1600000}
    write_export(home, NOV1, NOV15, [ANA, raised])

    code, result = sync_json("--period", "2026-11-01")
    assert code == 65
    message = result["periods"][0]["error"]["message"]
    assert message.startswith(
        "period 2026-11-01 was posted from a different export: debits 4.379.820 posted, "
        "4.479.820 now; net pay 3.270.000 posted, 3.370.000 now; net pay per employee: Bruno "
        "Díaz (1002): 1.330.000 → 1.430.000; accounts 250505 Salarios por pagar, 520506 Sueldos "
        "ventas; cost centers Ventas; egresos: 2026-11-01/P1 amount 3.270.000 posted, 3.370.000 "
        "now (check the export"), message
    assert "Ana" not in message
    assert sandbox.store.dump()["journals"] == old["journals"]

    code, result = sync_json("--period", "2026-11-01", "--replace")
    assert code == 0, result
    assert result["periods"][0]["outcome"] == "replaced"
    dump = sandbox.store.dump()
    assert [j["id"] for j in dump["deleted_journals"]] == [old["journals"][0]["id"]]
    assert len(dump["journals"]) == 1
    assert Decimal(str(dump["journals"][0]["total"])) == Decimal(4479820)
    voided = [p for p in dump["payments"] if p["status"] == "void"]
    assert [p["id"] for p in voided] == [old["payments"][0]["id"]]
    assert_exactly_once(sandbox, NET_PAY + 100000)
    statuses = {(d["key"], d["status"]) for p in __import__("json").loads(
        cli("status", "--json").stdout)["periods"] for d in p["documents"]}
    assert ("2026-11-01/J1", "replaced") in statuses and ("2026-11-01/J1", "posted") in statuses
    # and the next cron run is quiet
    assert sync_json("--period", "2026-11-01")[0] == 0


def test_a_replace_that_crashed_midway_is_resumed(home: Path, sandbox: SandboxServer) -> None:
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    assert sync_json("--period", "2026-11-01")[0] == 0
    write_export(home, NOV1, NOV15, [ANA, {**BRUNO, "Salario": 1600000}])
    sandbox.faults.add("DELETE /journals", "500-before", count=10)
    code, _ = sync_json("--period", "2026-11-01", "--replace")
    assert code == 69
    sandbox.faults.clear()
    code, result = sync_json("--period", "2026-11-01")  # no --replace: the intent is recorded
    assert code == 0, result
    assert_exactly_once(sandbox, NET_PAY + 100000)


def test_four_concurrent_syncs_post_once(home: Path, sandbox: SandboxServer) -> None:
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    sandbox.faults.set_latency(0.05)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALEGRA_SYNC_")}
    env.update({"ALEGRA_SYNC_HOME": str(home), "ALEGRA_SYNC_BASE_URL": sandbox.url,
                "ALEGRA_SYNC_USER": sandbox.USER, "ALEGRA_SYNC_TOKEN": sandbox.TOKEN})
    processes = [subprocess.Popen([sys.executable, "-m", "alegra_sync", "sync", "--period",
                                   "2026-11-01"], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(4)]
    outcomes = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in processes]
    codes = sorted(code for code, _ in outcomes)
    assert codes.count(0) >= 1 and set(codes) <= {0, 75}, outcomes
    for code, stderr in outcomes:
        if code == 75:
            assert "another alegra-sync sync is running (pid " in stderr
    assert_exactly_once(sandbox)


def test_a_stale_lock_file_never_blocks(home: Path, sandbox: SandboxServer) -> None:
    (home / "sync.lock").write_text("999999\n")
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    assert sync_json("--period", "2026-11-01")[0] == 0


def test_a_corrupt_state_database_is_refused(home: Path, sandbox: SandboxServer) -> None:
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    (home / "state.sqlite3").write_bytes(b"this is not a database" * 100)
    result = cli("sync", "--period", "2026-11-01")
    assert result.exit_code == 78
    assert "state.sqlite3" in result.output and "corrupt" in result.output
    assert sandbox.store.dump()["requests"].get("POST", 0) == 0
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(home / "state.sqlite3").execute("SELECT * FROM documents").fetchall()


def test_employee_contacts_are_created_once_and_cached(home: Path, sandbox: SandboxServer
                                                       ) -> None:
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    assert sync_json("--period", "2026-11-01")[0] == 0
    created = [c for c in sandbox.store.dump()["contacts"] if c["identification"] in
               ("1001", "1002")]
    assert len(created) == 2
    write_export(home, NOV15.replace(day=16), NOV15.replace(day=30),
                 [employee("1001", "Ana Gómez", "Administración", "EPS Sura",
                           "Protección AFP", "2026-11-30", Salario=2000000)])
    code, result = sync_json("--period", "2026-11-16")
    assert code == 0, result
    # company, chart, cost centers, banks, 2 look-ups before posting and 2 after (two homes)
    assert result["requests"]["GET"] <= 8
    assert len([c for c in sandbox.store.dump()["contacts"]
                if c["identification"] == "1001"]) == 1


