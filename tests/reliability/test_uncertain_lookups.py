"""A write whose outcome is unknown, then look-ups that fail; and copies already in Alegra.

The fault matrix fails one write at a time. Here Alegra stores the document, loses the answer,
and keeps failing the re-check look-ups: a look-up that failed never showed the document
absent, so nothing may be posted again until one answers (75, the document ``uncertain``).
And a document Alegra already holds twice is reported, never adopted with its copy hidden.
"""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import requests

from alegra_sync.sandbox import SandboxServer
from e2e.helpers import cli, employee, net_pay, sync_json, write_export

PERIOD = "2026-11-01"
START, END = date(2026, 11, 1), date(2026, 11, 15)
ANA = employee("1001", "Ana Gómez", "Administración", "EPS Sura", "Protección AFP",
               "2026-11-15", Salario=2000000, Salud_empleado=80000, Pensión_empleado=80000)
BRUNO = employee("1002", "Bruno Díaz", "Ventas", "Sanitas EPS", "Porvenir AFP",
                 "2026-11-15", Salario=1500000, Salud_empleado=60000, Pensión_empleado=60000)
RECHECKS = 4  # FAST_CONFIG's recheck_delays


def live(sandbox: SandboxServer, kind: str) -> list[dict[str, Any]]:
    documents = sandbox.store.dump()[kind]
    return [d for d in documents if d.get("status") != "void"]


# (write, its look-up, documents, the second run's outcome: it adopts the uncertain document,
# then posts what the first run never reached — the egreso after a journal; nothing after it)
@pytest.mark.parametrize(("write", "look_up", "kind", "outcome"), [
    ("POST /journals", "GET /journals", "journals", "posted"),
    ("POST /payments", "GET /payments", "payments", "already-posted"),
])
def test_failing_rechecks_leave_the_document_uncertain(
    home: Path, sandbox: SandboxServer, write: str, look_up: str, kind: str, outcome: str
) -> None:
    write_export(home, START, END, [ANA, BRUNO])
    config = home / "config.toml"  # each failing look-up fails at once, not after 4 retries
    config.write_text(config.read_text().replace("[alegra]\n", "[alegra]\nretries = 0\n"))
    sandbox.faults.add(write, "500-after")  # stored, but the answer is lost
    # the look-up before the POST answers; every re-check after it fails
    sandbox.faults.add(look_up, "500-before", count=RECHECKS, after=1)

    first = cli("sync", "--period", PERIOD)
    assert first.exit_code == 75, first.output
    assert "Alegra may have stored the document, and looking it up failed" in first.output
    assert len(live(sandbox, kind)) == 1  # not posted a second time
    status = cli("status", "--json")
    assert '"uncertain"' in status.stdout

    code, result = sync_json("--period", PERIOD)  # Alegra answers again: adopted, finished
    assert code == 0, result
    assert result["periods"][0]["outcome"] == outcome
    assert len(live(sandbox, "journals")) == 1
    payments = live(sandbox, "payments")
    assert len(payments) == 1
    assert Decimal(str(payments[0]["amount"])) == net_pay(ANA) + net_pay(BRUNO)


def test_a_document_alegra_holds_twice_is_reported(
    home: Path, sandbox: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_export(home, START, END, [ANA, BRUNO])
    assert cli("sync", "--period", PERIOD).exit_code == 0
    journal = live(sandbox, "journals")[0]
    copy = requests.post(  # someone posts the same comprobante again by hand
        f"{sandbox.url}/journals", auth=(sandbox.USER, sandbox.TOKEN), timeout=5,
        json={key: journal[key] for key in ("date", "reference", "observations", "entries")},
    )
    assert copy.status_code == 201, copy.text
    copy_id = str(copy.json()["id"])

    # A home without the state (a new machine) must look the period up in Alegra.
    fresh = tmp_path / "fresh-home"
    shutil.copytree(home, fresh, ignore=shutil.ignore_patterns("state.sqlite3*", "*.log"))
    monkeypatch.setenv("ALEGRA_SYNC_HOME", str(fresh))
    result = cli("sync", "--period", PERIOD)
    assert result.exit_code == 65, result.output
    assert result.output == (
        f"error: {PERIOD}: Alegra holds the same document more than once: {PERIOD}/J1 (Alegra "
        f"ids {journal['id']}, {copy_id}) — delete the extra comprobante or void the extra "
        "egreso in Alegra, then run sync again\n")
    assert len(live(sandbox, "journals")) == 2  # nothing posted, nothing deleted
