"""`sync --dry-run` ends as the sync would, and changes nothing: not Alegra, not the state.

A rehearsal that exits 0 where the cron run then fails is worse than none.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from alegra_sync.sandbox import SandboxServer
from e2e.helpers import cli, sync_json, write_export
from e2e.test_sync import ANA, BRUNO, NOV1, NOV15

PERIOD = "2026-11-01"


def writes(sandbox: SandboxServer) -> int:
    counts = sandbox.store.dump()["requests"]
    return sum(counts.get(method, 0) for method in ("POST", "PUT", "DELETE"))


def status(period: str = PERIOD) -> dict[str, Any]:
    (found,) = [p for p in json.loads(cli("status", "--json").stdout)["periods"]
                if p["period"] == period]
    return found


def test_a_posted_period_is_already_posted_in_the_dry_run_too(
    home: Path, sandbox: SandboxServer
) -> None:
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    assert sync_json("--period", PERIOD)[0] == 0
    before = writes(sandbox)
    code, result = sync_json("--period", PERIOD, "--dry-run")
    assert code == 0, result
    assert result["periods"][0]["outcome"] == "already-posted"
    assert writes(sandbox) == before


def test_a_changed_export_is_refused_by_the_dry_run_and_the_period_stays_posted(
    home: Path, sandbox: SandboxServer
) -> None:
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    assert sync_json("--period", PERIOD)[0] == 0
    write_export(home, NOV1, NOV15, [ANA, {**BRUNO, "Salario": 1600000}])
    before = writes(sandbox)

    rehearsal = cli("sync", "--period", PERIOD, "--dry-run")
    real = cli("sync", "--period", PERIOD)
    for result in (rehearsal, real):
        assert result.exit_code == 65, result.output
        assert f"period {PERIOD} was posted from a different export" in result.output
    assert writes(sandbox) == before
    assert status()["state"] == "posted"  # what Alegra holds, not what the last run said
    # the new vouchers are still shown
    assert "Summary by account and cost center — comprobante 2026-11-01/J1" in rehearsal.stdout

    code, result = sync_json("--period", PERIOD, "--dry-run", "--replace")
    assert code == 0, result
    assert result["periods"][0]["outcome"] == "dry-run"
    assert writes(sandbox) == before


def test_missing_contacts_fail_the_dry_run_as_they_fail_the_sync(
    home: Path, sandbox: SandboxServer
) -> None:
    config = home / "config.toml"
    config.write_text(config.read_text().replace("create_missing = true",
                                                 "create_missing = false"))
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    contacts = len(sandbox.store.dump()["contacts"])

    rehearsal = cli("sync", "--period", PERIOD, "--dry-run")
    real = cli("sync", "--period", PERIOD)
    for result in (rehearsal, real):
        assert result.exit_code == 78, result.output
        assert ("2 terceros are not Alegra contacts: Ana Gómez (CC 1001), Bruno Díaz (CC 1002)"
                in result.output)
    assert writes(sandbox) == 0
    assert len(sandbox.store.dump()["contacts"]) == contacts
    # refused before anything was written: the dry run recorded nothing, the sync the failure
    (failed,) = json.loads(cli("status", "--json").stdout)["periods"]
    assert (failed["period"], failed["state"], failed["documents"]) == (PERIOD, "failed", [])
    assert failed["error"].startswith("2 terceros are not Alegra contacts: Ana Gómez (CC 1001)")
