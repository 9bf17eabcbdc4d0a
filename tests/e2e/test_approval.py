"""Approval before posting (operations.md): with [sync] approval = "required" a sync stages,
`approve` posts exactly what was staged, and a changed export or mapping is refused (65),
staged again, with what changed said."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from alegra_sync.sandbox import SandboxServer
from alegra_sync.vouchers.payloads import parse_document_tag
from e2e.helpers import cli, employee, write_export
from e2e.test_sync import ANA, BRUNO, NOV1, NOV15

CARLA = employee("1003", "Carla Ruiz", "Ventas", "EPS Sura", "Porvenir AFP", "2026-11-15",
                 Salario=1200000, Salud_empleado=48000, Pensión_empleado=48000)


@pytest.fixture
def required(home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ALEGRA_SYNC_TODAY", "2026-11-16")
    monkeypatch.setenv("ALEGRA_SYNC_SYNC__APPROVAL", "required")
    return home


def staged_rows(home: Path) -> list[tuple[str, str]]:
    with closing(sqlite3.connect(home / "state.sqlite3")) as db:
        return db.execute("SELECT period, hash FROM staged ORDER BY period").fetchall()


def test_sync_stages_and_approve_posts_exactly_what_was_staged(
        required: Path, sandbox: SandboxServer) -> None:
    write_export(required, NOV1, NOV15, [ANA, BRUNO])
    done = cli("sync", "--json")
    assert done.exit_code == 0, done.output
    period = json.loads(done.stdout)["periods"][0]
    assert period["outcome"] == "staged"
    assert period["net_pay"] == "3270000"
    dump = sandbox.store.dump()
    assert (dump["journals"], dump["payments"], dump["requests"]["POST"]) == ([], [], 0)
    [(name, staged_hash)] = staged_rows(required)
    assert name == "2026-11-01"
    status = json.loads(cli("status", "--json").stdout)["periods"][0]
    assert status["state"] == "staged" and status["staged_at"]
    assert "staged" in cli("status").stdout

    again = cli("sync", "--json")  # cron again: still staged, same content, same since
    assert json.loads(again.stdout)["periods"][0]["outcome"] == "staged"
    assert json.loads(cli("status", "--json").stdout)["periods"][0]["staged_at"] == \
        status["staged_at"]

    approved = cli("approve", "--yes", "--json")
    assert approved.exit_code == 0, approved.output
    document = json.loads(approved.stdout)
    assert document["command"] == "approve"
    assert document["periods"][0]["outcome"] == "posted"
    dump = sandbox.store.dump()
    assert len(dump["journals"]) == 1 and len(dump["payments"]) == 1
    tags = [parse_document_tag(dump["journals"][0]["reference"]),
            parse_document_tag(dump["payments"][0]["observations"])]
    assert tags == [("2026-11-01/J1", staged_hash), ("2026-11-01/P1", staged_hash)]
    assert staged_rows(required) == []
    assert json.loads(cli("status", "--json").stdout)["periods"][0]["state"] == "posted"
    assert cli("approve", "--yes").output.strip() == "nothing staged to approve"


def test_a_changed_export_is_refused_staged_again_and_said(
        required: Path, sandbox: SandboxServer) -> None:
    write_export(required, NOV1, NOV15, [ANA, BRUNO])
    assert cli("sync").exit_code == 0
    [(_, first_hash)] = staged_rows(required)
    write_export(required, NOV1, NOV15, [ANA, BRUNO, CARLA])  # a late change in payroll
    refused = cli("approve", "--yes")
    assert refused.exit_code == 65, refused.output
    assert "changed since it was staged: nomina_2026-11-01_2026-11-15.csv" in refused.output
    assert "period 2026-11-01 changed since it was staged" in refused.output
    assert "the export nomina_2026-11-01_2026-11-15.csv changed" in refused.output
    assert "net pay 3270000 → 4374000" in refused.output
    assert "Carla Ruiz (1003)" in refused.output
    assert "nothing was posted" in refused.output
    dump = sandbox.store.dump()
    assert dump["journals"] == [] and dump["payments"] == []
    [(_, second_hash)] = staged_rows(required)
    assert second_hash != first_hash
    assert json.loads(cli("status", "--json").stdout)["periods"][0]["state"] == "staged"
    approved = cli("approve", "--yes")
    assert approved.exit_code == 0, approved.output
    journal = sandbox.store.dump()["journals"][0]
    assert parse_document_tag(journal["reference"]) == ("2026-11-01/J1", second_hash)


def test_a_changed_mapping_is_refused_too(required: Path, sandbox: SandboxServer) -> None:
    write_export(required, NOV1, NOV15, [ANA, BRUNO])
    assert cli("sync").exit_code == 0
    mapping = required / "mapping.toml"
    text = mapping.read_text(encoding="utf-8")
    assert '"5053"' in text
    mapping.write_text(text.replace('"5053"', '"5054"', 1), encoding="utf-8")
    refused = cli("approve", "--yes")
    assert refused.exit_code == 65, refused.output
    assert "the mapping mapping.toml changed" in refused.output
    assert sandbox.store.dump()["journals"] == []


def test_approve_without_a_terminal_and_without_yes_exits_at_once(
        required: Path, sandbox: SandboxServer) -> None:
    write_export(required, NOV1, NOV15, [ANA, BRUNO])
    assert cli("sync").exit_code == 0
    before = sandbox.store.dump()["requests"]
    done = cli("approve")
    assert done.exit_code == 2
    assert done.output.strip().splitlines() == [
        "error: approve asks before posting, and there is no terminal — pass --yes to post "
        "what was staged without asking"]
    assert sandbox.store.dump()["requests"] == before  # not one request to Alegra
    assert staged_rows(required) != []


def test_on_a_terminal_approve_asks(required: Path, sandbox: SandboxServer,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from alegra_sync.cli import output

    monkeypatch.setattr(output, "is_interactive", lambda: True)
    write_export(required, NOV1, NOV15, [ANA, BRUNO])
    assert cli("sync").exit_code == 0
    declined = cli("approve", input="n\n")
    assert declined.exit_code == 0
    assert "Staged 2026-11-01" in declined.stdout and "Totals" in declined.stdout
    assert "2 employees, net pay 3.270.000" in declined.stdout
    assert "nothing posted" in declined.output
    assert sandbox.store.dump()["journals"] == []
    accepted = cli("approve", input="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert len(sandbox.store.dump()["journals"]) == 1


def test_several_staged_periods_need_a_choice(required: Path, sandbox: SandboxServer,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    monkeypatch.setenv("ALEGRA_SYNC_TODAY", "2026-12-01")
    write_export(required, NOV1, NOV15, [ANA, BRUNO])
    write_export(required, date(2026, 11, 16), date(2026, 11, 30), [ANA])
    assert cli("sync", "--from", "2026-11-01", "--to", "2026-11-16").exit_code == 0
    assert [p for p, _ in staged_rows(required)] == ["2026-11-01", "2026-11-16"]
    unclear = cli("approve", "--yes")
    assert unclear.exit_code == 2
    assert "2 periods are staged: 2026-11-01, 2026-11-16" in unclear.output
    one = cli("approve", "--yes", "--period", "2026-11-16")
    assert one.exit_code == 0
    assert [p for p, _ in staged_rows(required)] == ["2026-11-01"]
    assert cli("approve", "--yes", "--all").exit_code == 0
    assert staged_rows(required) == []
    assert len(sandbox.store.dump()["journals"]) == 2
