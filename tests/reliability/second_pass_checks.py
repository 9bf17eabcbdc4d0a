"""Shared by the second pass's end-to-end tests (issue 12, and item 11 of issue 13): the
employees of their exports, what landed in the sandbox, the state as `status` shows it, and
`alegra-sync` run in a child process (for the crash points).

Only APIs that alegra-sync had before issue 12 are imported here, so that the tests can also
be run against the code from before it (each test imports what is newer itself).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from alegra_sync.sandbox import SandboxServer
from alegra_sync.vouchers.payloads import parse_document_tag
from e2e.helpers import cli, employee
from reliability.exactly_once_checks import subprocess_env
from secrets_scan import assert_no_secret

ANA = employee("1001", "Ana Gómez", "Administración", "EPS Sura", "Protección AFP",
               "2026-11-30", Salario=2000000, Auxilio_de_transporte=100000,
               Salud_empleado=80000, Pensión_empleado=80000)  # net pay 1.940.000
BRUNO = employee("1002", "Bruno Díaz", "Ventas", "Sanitas EPS", "Porvenir AFP",
                 "2026-11-30", Salario=1500000, Horas_extras=50000, Salud_empleado=60000,
                 Pensión_empleado=60000, Libranza=100000)  # net pay 1.330.000
CARLA = employee("1003", "Carla Ruiz", "Administración", "EPS Sura", "Porvenir AFP",
                 "2026-11-30", Salario=1800000, Salud_empleado=72000,
                 Pensión_empleado=72000)  # net pay 1.656.000
NET = {"1001": Decimal(1940000), "1002": Decimal(1330000), "1003": Decimal(1656000)}
FORWARDED = ("ALEGRA_SYNC_ALEGRA__", "ALEGRA_SYNC_SYNC__")  # settings a test sets
TIMEOUT = 120  # seconds a child run may take on a busy machine before the test gives up


def paid_on(row: dict[str, Any], day: str) -> dict[str, Any]:
    """The export row with another payment date (as typed in the payroll system)."""
    return {**row, "Fecha de pago": day}


def tag(document: dict[str, Any]) -> tuple[str, str]:
    """(key, content hash) of a document alegra-sync posted."""
    text = document.get("reference") if "reference" in document else document["observations"]
    found = parse_document_tag(text)
    assert found is not None, f"not a document alegra-sync posted: {text!r}"
    return found


def journals(sandbox: SandboxServer, period: str) -> list[dict[str, Any]]:
    """The period's live comprobantes, oldest first."""
    found = [j for j in sandbox.store.dump()["journals"]
             if parse_document_tag(j.get("reference")) is not None
             and tag(j)[0].startswith(f"{period}/")]
    return sorted(found, key=lambda j: int(j["id"]))


def egresos(sandbox: SandboxServer, period: str) -> list[dict[str, Any]]:
    """The period's egresos that are not void, oldest first."""
    found = [p for p in sandbox.store.dump()["payments"] if p["status"] != "void"
             and parse_document_tag(p.get("observations")) is not None
             and tag(p)[0].startswith(f"{period}/")]
    return sorted(found, key=lambda p: int(p["id"]))


def landed(sandbox: SandboxServer, period: str) -> tuple[list[str], list[tuple[str, str, Decimal]]]:
    """What Alegra holds of the period: the comprobantes' keys, and (key, date, amount) of
    each live egreso, by key."""
    return ([tag(j)[0] for j in journals(sandbox, period)],
            sorted((tag(p)[0], p["date"], Decimal(str(p["amount"])))
                   for p in egresos(sandbox, period)))


def writes(sandbox: SandboxServer) -> tuple[int, int, int]:
    """POST, PUT and DELETE requests the sandbox has answered."""
    counted = sandbox.store.dump()["requests"]
    return counted["POST"], counted["PUT"], counted["DELETE"]


def document_writes(sandbox: SandboxServer) -> list[str]:
    """The writes of documents (not contacts) the sandbox was sent, with their answers."""
    return [f"{e['method']} {e['path'].removeprefix('/api/v1')} -> {e['status']}"
            for e in sandbox.store.dump()["log"]
            if e["method"] in ("POST", "PUT", "DELETE") and "/contacts" not in e["path"]]


def status() -> dict[str, dict[str, Any]]:
    """`status --json` by period: its state, its error and (key, status) of its documents."""
    shown = cli("status", "--json")
    assert shown.exit_code == 0, shown.output
    return {p["period"]: {"state": p["state"], "error": p["error"],
                          "documents": sorted((d["key"], d["status"]) for d in p["documents"])}
            for p in json.loads(shown.stdout)["periods"]}


def run_child(home: Path, sandbox: SandboxServer, *args: str, crash: str | None = None,
              extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`alegra-sync ARGS` in a child process; ``crash`` arms ALEGRA_SYNC_TEST_CRASH."""
    env = {name: value for name, value in os.environ.items()  # what the test set for itself
           if name == "ALEGRA_SYNC_TODAY" or name.startswith(FORWARDED)}
    env.update(extra_env or {})
    if crash is not None:
        env["ALEGRA_SYNC_TEST_CRASH"] = crash
    done = subprocess.run([sys.executable, "-m", "alegra_sync", *args],
                          env=subprocess_env(home, sandbox, env), capture_output=True,
                          text=True, timeout=TIMEOUT)
    assert_no_secret(done.stdout + done.stderr, f"the output of `alegra-sync {' '.join(args)}`")
    return done


def per_employee_mapping(home: Path) -> None:
    """The sample mapping with one egreso per employee."""
    mapping = home / "mapping.toml"
    text = mapping.read_text(encoding="utf-8")
    assert 'mode = "single"' in text
    mapping.write_text(text.replace('mode = "single"', 'mode = "per-employee"'),
                       encoding="utf-8")


def set_config(home: Path, old: str, new: str) -> None:
    config = home / "config.toml"
    text = config.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in config.toml"
    config.write_text(text.replace(old, new, 1), encoding="utf-8")


def move_state_aside(home: Path) -> Path:
    """What the README advises for a damaged state: move it aside (its -wal, -shm too)."""
    aside = home / "moved-aside"
    aside.mkdir()
    for path in home.glob("state.sqlite3*"):
        shutil.move(path, aside / path.name)
    return aside


def type_in_egresos(sandbox: SandboxServer, days: list[str]) -> list[str]:
    """Egresos someone typed into Alegra by hand (supplier payments, advances), one per day
    given, with the body alegra-sync's client sends; their ids."""
    ids = []
    for number, day in enumerate(days, start=1):
        created = sandbox.store.create_payment({
            "type": "out", "date": day, "bankAccount": {"id": "2"}, "paymentMethod": "transfer",
            "categories": [{"id": "5023", "price": 10000 + number, "quantity": 1,
                            "observations": f"Anticipo {number}"}],
            "observations": f"Anticipo de nómina {number}",
        })
        ids.append(str(created["id"]))
    return ids
