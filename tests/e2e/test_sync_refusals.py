"""Runs refused as a whole: still one JSON document with --json, one line on stderr, the
documented exit code, and one line in the run log. And flags that make no sense are usage
errors."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from alegra_sync.sandbox import SandboxServer
from alegra_sync.sync.ledger import RunLock
from e2e.helpers import cli, write_export
from e2e.test_sync import ANA, BRUNO, NOV1, NOV15


def last_logged_run(home: Path) -> dict[str, Any]:
    lines = (home / "alegra-sync.log").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if json.loads(line)["event"] == "run"][-1]


def no_start(home: Path) -> None:
    config = home / "config.toml"
    config.write_text(config.read_text().replace("start = 2026-01-01\n", ""))


def broken_mapping(home: Path) -> None:
    (home / "mapping.toml").write_text("version = [\n", encoding="utf-8")


@pytest.mark.parametrize(("break_it", "args", "code", "message"), [
    (no_start, ["--catch-up"], 78,
     "--catch-up needs [sync] start in config.toml"),
    (broken_mapping, ["--period", "2026-11-01"], 78,
     "mapping.toml: not valid TOML"),
])
def test_a_refused_run_still_answers_in_json_and_is_logged(
    home: Path, sandbox: SandboxServer, break_it: Any, args: list[str], code: int,
    message: str,
) -> None:
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    break_it(home)
    result = cli("sync", "--json", *args)
    assert result.exit_code == code
    document = json.loads(result.stdout)
    assert document["status"] == "error" and document["periods"] == []
    assert document["error"]["code"] == code and message in document["error"]["message"]
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert result.stderr.count("\n") == 1
    logged = last_logged_run(home)
    assert (logged["status"], logged["exit_code"]) == ("error", code)
    assert message in logged["error"]["message"]
    assert sandbox.store.dump()["journals"] == []


def test_a_held_lock_is_75_in_json_too(home: Path, sandbox: SandboxServer) -> None:
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    with RunLock(home / "sync.lock"):
        result = cli("sync", "--json", "--period", "2026-11-01")
    assert result.exit_code == 75
    document = json.loads(result.stdout)
    assert document["error"] == {
        "code": 75,
        "message": f"another alegra-sync sync is running (pid {os.getpid()}, lock "
                   f"{home / 'sync.lock'}) (wait for it to finish; run again later)",
    }
    assert last_logged_run(home)["exit_code"] == 75
    assert sandbox.store.dump()["journals"] == []


def test_a_reversed_range_is_a_usage_error(home: Path, sandbox: SandboxServer) -> None:
    result = cli("sync", "--from", "2026-11-16", "--to", "2026-11-01")
    assert result.exit_code == 2
    assert "--to 2026-11-01 is before --from 2026-11-16" in result.output
    assert sum(sandbox.store.dump()["requests"].values()) == 0


def test_a_period_that_has_not_ended_is_posted_with_a_warning(
    home: Path, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALEGRA_SYNC_TODAY", "2026-11-14")  # paid on the 14th, posted then
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    result = cli("sync", "--period", "2026-11-01")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (
        "warning: 2026-11-01: the period ends 2026-11-15, after today (2026-11-14); the export "
        "must be its final one")
    assert len(sandbox.store.dump()["journals"]) == 1


def test_an_export_without_net_pay_is_posted_with_a_warning(
    home: Path, sandbox: SandboxServer
) -> None:
    written = write_export(home, NOV1, NOV15, [ANA, BRUNO])
    rows = [line.rsplit(";", 1)[0] for line in written.read_text(encoding="utf-8").splitlines()]
    path = written.with_name("nomina_2026-11-01_2026-11-15 [contacts].csv")  # not markup
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")  # no Neto a pagar column
    written.unlink()
    result = cli("sync", "--period", "2026-11-01", "--export", str(path))
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (
        f"warning: 2026-11-01: {path.name} gives no net pay (Neto a pagar): the net pay the "
        "mapping computes is posted unchecked")
    assert len(sandbox.store.dump()["journals"]) == 1
