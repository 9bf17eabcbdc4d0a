"""`skip`: a period posted outside alegra-sync no longer blocks --catch-up or a backfill, is
never posted by any sync, shows in `status --json`, and can be taken back; the real command
against the sandbox."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from alegra_sync.sandbox import SandboxServer
from alegra_sync.sync.ledger import RunLock
from e2e.helpers import cli, employee, sync_json, write_export

NOV1, NOV15 = date(2026, 11, 1), date(2026, 11, 15)
NOV16, NOV30 = date(2026, 11, 16), date(2026, 11, 30)
DEC1, DEC15 = date(2026, 12, 1), date(2026, 12, 15)
REASON = "posted by hand in Alegra, comprobante 88"


def ana(paid: date) -> dict[str, Any]:
    return employee("1001", "Ana Gómez", "Administración", "EPS Sura", "Protección AFP",
                    paid.isoformat(), Salario=2000000, Salud_empleado=80000,
                    Pensión_empleado=80000)


@pytest.fixture(autouse=True)
def december(monkeypatch: pytest.MonkeyPatch) -> None:
    """Today is Dec 16: three periods closed since [sync] start (Nov 1, Nov 16, Dec 1)."""
    monkeypatch.setenv("ALEGRA_SYNC_TODAY", "2026-12-16")
    monkeypatch.setenv("ALEGRA_SYNC_SYNC__START", "2026-11-01")


def journal_keys(sandbox: SandboxServer) -> list[str]:
    return sorted(j["reference"].split()[1] for j in sandbox.store.dump()["journals"])


def status(home: Path) -> dict[str, dict[str, Any]]:
    result = cli("status", "--json")
    assert result.exit_code == 0, result.output
    return {p["period"]: p for p in json.loads(result.stdout)["periods"]}


def test_a_missing_old_export_blocks_catch_up_until_skipped(home: Path,
                                                             sandbox: SandboxServer) -> None:
    write_export(home, NOV16, NOV30, [ana(NOV30)])
    write_export(home, DEC1, DEC15, [ana(DEC15)])

    code, blocked = sync_json("--catch-up")
    assert code == 66
    assert [(p["period"], p["outcome"], p["error"]["code"]) for p in blocked["periods"]] == [
        ("2026-11-01", "failed", 66), ("2026-11-16", "failed", 66), ("2026-12-01", "failed", 66)]
    first = blocked["periods"][0]["error"]["message"]
    assert first.startswith("no export for 2026-11-01–2026-11-15 in ")
    assert first.endswith(
        "(put the export there, named with the period's dates, and run `alegra-sync sync "
        "--catch-up` once it is there (cron does not try again before its next date, the 1st "
        "or the 16th); if the period was posted outside alegra-sync: `alegra-sync skip "
        "--period 2026-11-01 --reason \"…\"`)")
    assert journal_keys(sandbox) == []

    skipped = cli("skip", "--period", "2026-11-01", "--reason", REASON)
    assert skipped.exit_code == 0, skipped.output
    assert skipped.stderr == (f"2026-11-01: skipped, recorded as posted outside alegra-sync "
                              f"({REASON}); --catch-up and backfills go past it\n")

    code, caught_up = sync_json("--catch-up")
    assert code == 0, caught_up
    assert [(p["period"], p["outcome"]) for p in caught_up["periods"]] == [
        ("2026-11-16", "posted"), ("2026-12-01", "posted")]
    assert journal_keys(sandbox) == ["2026-11-16/J1", "2026-12-01/J1"]

    periods = status(home)
    assert periods["2026-11-01"].pop("updated_at").startswith("20")  # when it was skipped
    assert periods["2026-11-01"].pop("verified") == {"at": None, "result": None}
    assert periods["2026-11-01"].pop("staged_at") is None
    assert periods["2026-11-01"] == {"period": "2026-11-01", "end": "2026-11-15",
                                     "state": "skipped", "error": None, "reason": REASON,
                                     "documents": []}
    assert [periods[p]["state"] for p in ("2026-11-16", "2026-12-01")] == ["posted", "posted"]
    assert periods["2026-11-16"]["reason"] is None
    table = cli("status")  # the human table draws the state, and its reason below
    assert table.exit_code == 0, table.output
    assert "│ 2026-11-01 │ skipped │" in table.stdout
    assert table.stdout.endswith(f"\n2026-11-01 skipped: {REASON}\n")

    # a backfill goes past it too, and says so
    code, backfill = sync_json("--from", "2026-11-01", "--to", "2026-12-15")
    assert code == 0
    assert [(p["period"], p["outcome"]) for p in backfill["periods"]] == [
        ("2026-11-01", "skipped"), ("2026-11-16", "already-posted"),
        ("2026-12-01", "already-posted")]
    assert journal_keys(sandbox) == ["2026-11-16/J1", "2026-12-01/J1"]


def test_no_sync_posts_a_skipped_period_not_even_with_its_export(home: Path,
                                                                sandbox: SandboxServer) -> None:
    write_export(home, NOV1, NOV15, [ana(NOV15)])
    assert cli("skip", "--period", "2026-11-01", "--reason", REASON).exit_code == 0
    for flags in ([], ["--replace"], ["--dry-run"]):
        result = cli("sync", "--period", "2026-11-01", *flags)
        assert result.exit_code == 0, result.output
        assert result.stderr == (
            f"2026-11-01: skipped, posted outside alegra-sync ({REASON}); nothing posted. "
            "`alegra-sync skip --undo --period 2026-11-01` lets sync post it\n")
        code, document = sync_json("--period", "2026-11-01", *flags)
        assert code == 0 and document["status"] == "success"
        assert [(p["outcome"], p["journal_ids"], p["error"]) for p in document["periods"]] == [
            ("skipped", [], None)]
    # `--export FILE` without a period flag takes the file's period: skipped as well
    code, by_file = sync_json("--export", str(home / "exports" /
                                              "nomina_2026-11-01_2026-11-15.csv"))
    assert (code, [p["outcome"] for p in by_file["periods"]]) == (0, ["skipped"])
    assert sandbox.store.dump()["journals"] == []
    assert sandbox.store.dump()["payments"] == []

    undone = cli("skip", "--undo", "--period", "2026-11-01")
    assert undone.exit_code == 0
    assert undone.stderr == (f"2026-11-01: no longer skipped (it was: {REASON}); the next sync "
                             "of it posts it\n")
    assert "2026-11-01" not in status(home)  # skip made the record; undo leaves none
    code, posted = sync_json("--catch-up")
    assert (code, [(p["period"], p["outcome"]) for p in posted["periods"]]) == (
        66, [("2026-11-01", "posted"), ("2026-11-16", "failed"), ("2026-12-01", "failed")])
    assert journal_keys(sandbox) == ["2026-11-01/J1"]
    again = cli("skip", "--undo", "--period", "2026-11-01")
    assert (again.exit_code, again.stderr) == (
        0, "2026-11-01 was not skipped: nothing to undo\n")


def test_a_posted_period_cannot_be_skipped(home: Path, sandbox: SandboxServer) -> None:
    write_export(home, NOV1, NOV15, [ana(NOV15)])
    code, posted = sync_json("--period", "2026-11-01")
    assert code == 0
    ids = ", ".join(posted["periods"][0]["journal_ids"] + posted["periods"][0]["payment_ids"])
    refused = cli("skip", "--period", "2026-11-01", "--reason", REASON)
    assert refused.exit_code == 65
    assert refused.stderr == (
        f"error: 2026-11-01: alegra-sync posted this period (Alegra ids {ids}); only a period "
        "posted outside alegra-sync can be skipped — `alegra-sync status` shows its "
        "documents\n")
    assert status(home)["2026-11-01"]["state"] == "posted"


def test_a_period_that_failed_in_alegra_can_be_skipped(home: Path,
                                                       sandbox: SandboxServer) -> None:
    write_export(home, NOV1, NOV15, [ana(NOV15)])
    sandbox.faults.add("POST /journals", "500-before", count=3)  # every POST of the run
    code, failed = sync_json("--period", "2026-11-01")
    assert (code, failed["periods"][0]["outcome"]) == (69, "failed")
    assert status(home)["2026-11-01"]["state"] == "failed"

    assert cli("skip", "--period", "2026-11-01", "--reason", REASON).exit_code == 0
    shown = status(home)["2026-11-01"]
    assert (shown["state"], shown["error"], shown["reason"]) == ("skipped", None, REASON)
    # again: the reason is replaced, the period still skipped
    again = cli("skip", "--period", "2026-11-01", "--reason", "by the payroll product")
    assert again.stderr == ("2026-11-01: still skipped; reason now: by the payroll product "
                            f"(was: {REASON})\n")
    assert status(home)["2026-11-01"]["reason"] == "by the payroll product"
    assert sandbox.store.dump()["journals"] == []


@pytest.mark.parametrize(("args", "message"), [
    (["--period", "2026-11-01"], "say why with --reason TEXT (or use --undo)"),
    (["--period", "2026-11-01", "--reason", "  "], "--reason is empty"),
    (["--period", "2026-11-05", "--reason", REASON], "a biweekly period starts on day 1 or 16"),
    (["--undo", "--period", "2026-11-01", "--reason", REASON], "--undo takes no --reason"),
])
def test_usage_errors_are_2_and_record_nothing(home: Path, args: list[str],
                                               message: str) -> None:
    result = cli("skip", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (home / "state.sqlite3").exists()


def test_skip_waits_for_no_sync_it_refuses_while_one_runs(home: Path) -> None:
    with RunLock(home / "sync.lock"):
        result = cli("skip", "--period", "2026-11-01", "--reason", REASON)
    assert result.exit_code == 75
    assert "another alegra-sync sync is running" in result.stderr


def test_a_dry_run_reports_every_periods_problem(home: Path, sandbox: SandboxServer) -> None:
    """Nov 1 has no export, Nov 16 names a concept the mapping lacks, Dec 1 is fine: the dry
    run says all three; the real run still posts nothing after the first failure."""
    unmapped = {**ana(NOV30), "Bonificación": 50000}
    write_export(home, NOV16, NOV30, [unmapped])
    write_export(home, DEC1, DEC15, [ana(DEC15)])

    code, dry = sync_json("--catch-up", "--dry-run")
    assert code == 66  # the first failure's
    outcomes = [(p["period"], p["outcome"], (p["error"] or {}).get("code"))
                for p in dry["periods"]]
    assert outcomes == [("2026-11-01", "failed", 66), ("2026-11-16", "failed", 65),
                        ("2026-12-01", "dry-run", None)]
    assert "Bonificación" in dry["periods"][1]["error"]["message"]
    assert dry["periods"][2]["debit_total"] == "2000000"
    assert ("2026-12-01: a sync posts it only once 2026-11-01 is posted (periods post in "
            "order)") in dry["warnings"]

    code, real = sync_json("--catch-up")
    assert code == 66
    assert [(p["period"], p["error"]["message"]) for p in real["periods"][1:]] == [
        ("2026-11-16", "not attempted: the earlier period 2026-11-01 failed (fix it and run "
                       "again; periods post in order)"),
        ("2026-12-01", "not attempted: the earlier period 2026-11-01 failed (fix it and run "
                       "again; periods post in order)")]
    assert journal_keys(sandbox) == []
