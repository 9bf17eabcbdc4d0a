"""Every HTTP write of `sync` × every fault the sandbox injects: posted exactly once (issue 7).

The writes: contact create (employees not yet in Alegra, ``create_missing``), the journal, the
egreso, and what ``--replace`` does to the old documents (delete the journal, void the egreso).
Each scenario arms one fault for the first run and runs `sync` until it exits 0, at most three
runs; then Alegra must hold one live journal per part, egresos totalling the net pay, each
employee contact once, and the period posted in the state.

Replace scenarios: only the first run passes ``--replace``. A cron re-run does not, and the
tool records the replace intent (``replacing``) before its first delete, so a re-run without
the flag must finish the replacement; that is what is tested.

With ALEGRA_SYNC_MATRIX_OUT naming a file, the matrix is written there as a Markdown table
(benchmarks/reliability_matrix.py prints it).
"""

from __future__ import annotations

import os
import time
import traceback
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from alegra_sync.sandbox import SandboxServer
from e2e.helpers import cli, employee, net_pay, write_export
from reliability.exactly_once_checks import markdown_table, state_problems, tally

MAX_RUNS = 3
PERIOD = "2026-11-01"
START, END = date(2026, 11, 1), date(2026, 11, 15)
ARGS = ("--period", PERIOD)
ANA = employee("1001", "Ana Gómez", "Administración", "EPS Sura", "Protección AFP",
               "2026-11-15", Salario=2000000, Auxilio_de_transporte=100000,
               Salud_empleado=80000, Pensión_empleado=80000, Pensión_empleador=240000)
BRUNO = employee("1002", "Bruno Díaz", "Ventas", "Sanitas EPS", "Porvenir AFP",
                 "2026-11-15", Salario=1500000, Horas_extras=50000, Salud_empleado=60000,
                 Pensión_empleado=60000, Libranza=100000)
BRUNO_RAISED = {**BRUNO, "Salario": 1600000}
EMPLOYEES = {"1001", "1002"}

# (label, route armed, whether the write happens in a --replace run, the payment date)
WRITE_POINTS = [
    ("contact create", "POST /contacts", False, "2026-11-15"),
    ("journal", "POST /journals", False, "2026-11-15"),
    ("egreso", "POST /payments", False, "2026-11-15"),
    # paid 27 days before the period (a stale template, a bonus paid early): the look-up
    # searches every date the plan's egresos carry, not a margin before the period
    ("egreso paid 27 days early", "POST /payments", False, "2026-10-05"),
    ("replace: delete journal", "DELETE /journals", True, "2026-11-15"),
    ("replace: void egreso", "POST /payments/void", True, "2026-11-15"),
]
# (label, sandbox mode or "latency", count, seconds)
FAULTS = [
    ("500-before", "500-before", 1, 0.0),
    ("500-after", "500-after", 1, 0.0),
    ("drop-after", "drop-after", 1, 0.0),
    ("delay-after 1.0 s", "delay-after", 1, 1.0),  # read timeout 0.5 s
    ("429 ×2", "429", 2, 0.0),
    ("latency 0.05 s", "latency", 0, 0.05),
]
HEADER = ["write point", "fault", "runs needed", "exit codes", "duplicates", "lost periods",
          "refused writes", "seconds"]


@pytest.fixture(scope="session")
def matrix_rows() -> Iterator[dict[tuple[int, int], list[object]]]:
    """Rows collected by every scenario; written as Markdown when the session ends."""
    rows: dict[tuple[int, int], list[object]] = {}
    yield rows
    out = os.environ.get("ALEGRA_SYNC_MATRIX_OUT")
    if out and rows:
        Path(out).write_text(markdown_table(HEADER, [rows[k] for k in sorted(rows)]),
                             encoding="utf-8")


def run_sync(*args: str) -> int | str:
    """The exit code, or the traceback of an exception that escaped the CLI."""
    result = cli("sync", "--json", *args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return "".join(traceback.format_exception(result.exception))
    return result.exit_code


def refused_writes(log: list[dict[str, Any]]) -> list[str]:
    """Writes Alegra refused: the sandbox answers 400 to a second contact with the same
    identification and to voiding a void egreso, so a blind retry shows up here even where
    the store stays clean. A 404 to a DELETE is the retry of a delete that already happened.
    """
    return [f"{e['method']} {e['path']} -> {e['status']}" for e in log
            if e["method"] in ("POST", "PUT", "DELETE") and 400 <= e["status"] < 500
            and e["status"] != 429 and not (e["method"] == "DELETE" and e["status"] == 404)]


def arm(sandbox: SandboxServer, route: str, mode: str, count: int, seconds: float) -> None:
    if mode == "latency":
        sandbox.faults.set_latency(seconds)
    else:
        sandbox.faults.add(route, mode, count=count, seconds=seconds)


@pytest.mark.parametrize("point", range(len(WRITE_POINTS)),
                         ids=[p[0].replace(" ", "_").replace(":", "") for p in WRITE_POINTS])
@pytest.mark.parametrize("fault", range(len(FAULTS)), ids=[f[1] for f in FAULTS])
def test_fault_at_write_point(
    home: Path, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch,
    matrix_rows: dict[tuple[int, int], list[object]], point: int, fault: int,
) -> None:
    label, route, replace, paid = WRITE_POINTS[point]
    fault_label, mode, count, seconds = FAULTS[fault]
    monkeypatch.setenv("ALEGRA_SYNC_ALEGRA__READ_TIMEOUT", "0.5")
    monkeypatch.setenv("ALEGRA_SYNC_SYNC__RECHECK_DELAYS", "[0.1, 0.15, 0.25]")  # = the timeout
    seeded = {str(c.get("identification")) for c in sandbox.store.dump()["contacts"]}
    assert not EMPLOYEES & seeded, "the employees must not be Alegra contacts yet"

    rows = [{**ANA, "Fecha de pago": paid}, {**BRUNO, "Fecha de pago": paid}]
    write_export(home, START, END, rows)
    if replace:  # a posted period whose export then changed
        assert run_sync(*ARGS) == 0
        rows = [ANA, BRUNO_RAISED]
        write_export(home, START, END, rows)
    expected = {PERIOD: sum((net_pay(r) for r in rows), Decimal(0))}

    arm(sandbox, route, mode, count, seconds)
    started = time.monotonic()
    codes: list[int | str] = []
    while len(codes) < MAX_RUNS and (not codes or codes[-1] != 0):
        first = not codes
        codes.append(run_sync(*ARGS, *(("--replace",) if replace and first else ())))
        if first and mode != "latency":
            fired = [e for e in sandbox.store.dump()["log"] if e["fault"] == mode]
            assert len(fired) == count and not sandbox.faults.pending(), (
                f"the fault did not fire as armed: {fired}, pending {sandbox.faults.pending()}")
    elapsed = time.monotonic() - started

    dump = sandbox.store.dump()
    found = tally(dump, expected, EMPLOYEES)
    problems = [*found.problems, *state_problems(home, dump, set(expected))]
    tracebacks = [c for c in codes if isinstance(c, str)]
    shown_codes = ", ".join("traceback" if isinstance(c, str) else str(c) for c in codes)
    refused = refused_writes(dump["log"])
    matrix_rows[(point, fault)] = [label, fault_label, len(codes), shown_codes,
                                   found.duplicates, found.lost, len(refused), f"{elapsed:.1f}"]

    assert not tracebacks, tracebacks[0]
    assert codes[-1] == 0, f"sync did not succeed within {MAX_RUNS} runs: {codes}"
    assert found.duplicates == 0 and found.lost == 0, problems
    assert not problems, problems
    assert not refused, refused
    if replace:
        deleted = [j["reference"] for j in dump["deleted_journals"]]
        assert len(deleted) == 1 and deleted[0].startswith(f"alegra-sync {PERIOD}/J1 #")
        assert len([p for p in dump["payments"] if p["status"] == "void"]) == 1
    # and the next cron run is quiet: nothing left to resolve, nothing written
    writes = dump["requests"]
    assert run_sync(*ARGS) == 0
    after = sandbox.store.dump()["requests"]
    assert (after["POST"], after["DELETE"]) == (writes["POST"], writes["DELETE"])
