"""`status` shows every period a run tried — failed, uncertain and skipped ones with their error
line or reason — with times in America/Bogota (ISO with the offset in --json); and a dry run
that fails for a posted period never says "nothing posted"."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from alegra_sync.sandbox import SandboxServer
from e2e.helpers import cli, sync_json, write_export
from e2e.test_sync import ANA, BRUNO, NOV1, NOV15

BOGOTA = timedelta(hours=-5)


def status_json() -> list[dict[str, Any]]:
    result = cli("status", "--json")
    assert result.exit_code == 0, result.output
    periods: list[dict[str, Any]] = json.loads(result.stdout)["periods"]
    return periods


def test_a_period_that_failed_before_any_document_has_a_row_with_its_error(
    home: Path, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    assert sync_json("--period", "2026-11-01")[0] == 0
    code, result = sync_json("--period", "2026-11-16")  # no export for it
    assert code == 66, result
    error = result["periods"][0]["error"]["message"]

    posted, failed = status_json()
    assert (failed["period"], failed["end"], failed["state"], failed["error"],
            failed["documents"]) == ("2026-11-16", "2026-11-30", "failed", error, [])
    assert error.startswith("no export for 2026-11-16–2026-11-30 in ")
    for stamp in [failed["updated_at"], *(d["posted_at"] for d in posted["documents"])]:
        assert datetime.fromisoformat(stamp).utcoffset() == BOGOTA, stamp

    monkeypatch.setenv("COLUMNS", "80")
    screen = cli("status").stdout
    clock = datetime.fromisoformat(posted["documents"][0]["posted_at"]).strftime(
        "%Y-%m-%d %H:%M")
    assert f"│ 2026-11-01 │ posted │ J1 comprobante │ {posted['documents'][0]['alegra_id']}" in (
        screen)
    assert clock in screen
    assert "│ 2026-11-16 │ failed │ —" in screen
    assert f"2026-11-16 failed: {error}" in " ".join(screen.split())


def test_a_posted_period_keeps_its_record_when_a_later_run_fails_before_its_plan(
    home: Path, sandbox: SandboxServer
) -> None:
    path = write_export(home, NOV1, NOV15, [ANA, BRUNO])
    assert sync_json("--period", "2026-11-01")[0] == 0
    (before,) = status_json()
    path.write_text("Identificación;Nombre\n;\n", encoding="utf-8")  # unreadable now

    sync_json("--period", "2026-11-01")

    (after,) = status_json()
    assert after == before


def test_a_failed_real_run_records_the_plans_period_as_failed_but_a_dry_run_records_nothing(
    home: Path, sandbox: SandboxServer
) -> None:
    mapping = home / "mapping.toml"
    # Sueldos → an inactive account: the account check refuses the period (78)
    mapping.write_text(mapping.read_text(encoding="utf-8").replace(
        'debit = { id = "5053", name = "Sueldos" }', 'debit = { id = "5066" }'),
        encoding="utf-8")
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    assert sync_json("--period", "2026-11-01", "--dry-run")[0] == 78
    assert status_json() == []
    code, result = sync_json("--period", "2026-11-01")
    assert code == 78
    (failed,) = status_json()
    assert (failed["state"], failed["error"]) == ("failed",
                                                  result["periods"][0]["error"]["message"])


def test_a_dry_run_that_fails_its_account_check_for_a_posted_period_says_it_is_posted(
    home: Path, sandbox: SandboxServer
) -> None:
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    assert sync_json("--period", "2026-11-01")[0] == 0
    (record,) = status_json()
    ids = {d["key"]: d["alegra_id"] for d in record["documents"]}
    mapping = home / "mapping.toml"
    mapping.write_text(mapping.read_text(encoding="utf-8").replace(
        'debit = { id = "5053", name = "Sueldos" }', 'debit = { id = "5066" }'),
        encoding="utf-8")

    result = cli("sync", "--period", "2026-11-01", "--dry-run")

    assert result.exit_code == 78, result.output
    assert "Nothing posted yet" not in result.output
    assert "What sync would do" not in result.output
    assert ("Posted before, as the local state records: 2026-11-01/J1 (Alegra id "
            f"{ids['2026-11-01/J1']}), 2026-11-01/P1 (Alegra id {ids['2026-11-01/P1']}).") in (
        result.stdout)
    assert "error: 2026-11-01: " in result.stderr
    assert status_json() == [record]  # the dry run changed nothing


def test_skipped_and_uncertain_periods_show_their_reason_or_error(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    """`skip` (another change) records a reason; status shows it whatever adds it."""
    from alegra_sync.sync import status

    periods = [
        {"period": "2026-10-16", "end": "2026-10-31", "state": "skipped", "error": None,
         "reason": "posted by hand in Alegra", "updated_at": "2026-11-02T09:15:00-05:00",
         "documents": []},
        {"period": "2026-11-01", "end": "2026-11-15", "state": "uncertain", "error": None,
         "updated_at": "2026-11-16T06:00:00-05:00",
         "documents": [{"key": "2026-11-01/J1", "kind": "journal", "alegra_id": None,
                        "status": "uncertain", "posted_at": None,
                        "updated_at": "2026-11-16T06:00:00-05:00", "hash": "ab12cd34"}]},
    ]
    monkeypatch.setattr(status, "read_status", lambda paths: (None, periods))
    monkeypatch.setenv("COLUMNS", "80")

    screen = cli("status").stdout

    assert "│ 2026-10-16 │ skipped   │ —              │           │ 2026-11-02 09:15 │" in screen
    assert "│ 2026-11-01 │ uncertain │ J1 comprobante │ —         │ 2026-11-16 06:00 │" in (
        screen)
    assert "2026-10-16 skipped: posted by hand in Alegra" in screen
    assert ("2026-11-01 uncertain: Alegra did not confirm a document: run sync again; it looks "
            "the document up before posting") in " ".join(screen.split())
