"""The state's schema version: 0.1.0's state is migrated keeping everything, a newer one refused."""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alegra_sync.cli.app import app
from alegra_sync.errors import ConfigError
from alegra_sync.sync import ledger as ledger_module
from alegra_sync.sync.ledger import Ledger, schema_version

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "state" / "state-0.1.0.sqlite3"
EXPORTS = "/tmp/make-state-_32qcun7/exports"  # where make_state.py wrote them

# (key, kind, hash, status, Alegra id, amount) of each document as 0.1.0 recorded them, in
# the ledger's order (period, key, then the order they were made)
DOCUMENTS = [
    ("2026-11-01/J1", "journal", "a6e3d3e0", "replaced", "1001", "4379820"),
    ("2026-11-01/J1", "journal", "303c45ec", "posted", "1002", "4479820"),
    ("2026-11-01/P1", "payment", "a6e3d3e0", "replaced", "2001", "3270000"),
    ("2026-11-01/P1", "payment", "303c45ec", "posted", "2002", "3370000"),
    ("2026-11-16/J1", "journal", "052d24a5", "posted", "1003", "4379820"),
    ("2026-11-16/P-1001", "payment", "052d24a5", "posted", "2003", "1940000"),
    ("2026-11-16/P-1002", "payment", "052d24a5", "posted", "2004", "1330000"),
    ("2026-12-01/J1", "journal", "0fcb77cf", "uncertain", None, "4379820"),
]
# (period, end, hash, debit, credit, net pay, state, error) of each period
PERIODS = [
    ("2026-11-01", "2026-11-15", "303c45ec", "4479820", "4479820", "3370000", "posted", None),
    ("2026-11-16", "2026-11-30", "052d24a5", "4379820", "4379820", "3270000", "posted", None),
    ("2026-12-01", "2026-12-15", "0fcb77cf", "4379820", "4379820", "3270000", "failed",
     "2026-12-01/J1: Alegra did not confirm the document after 4 attempts (run sync again "
     "later; it looks the document up before posting)"),
]
CONTACTS = {("employee", "1001"): "3001", ("employee", "1002"): "3002",
            ("entity", "800088702"): "1", ("entity", "800251440"): "2",
            ("entity", "800138188"): "3", ("entity", "800229739"): "4",
            ("entity", "860011153"): "5"}


@pytest.fixture
def state(tmp_path: Path) -> Path:
    """A copy of 0.1.0's state (never the fixture itself: opening it writes beside it)."""
    path = tmp_path / "state.sqlite3"
    shutil.copy(FIXTURE, path)
    return path


def user_version(path: Path) -> int:
    with closing(sqlite3.connect(path)) as db:
        return int(db.execute("PRAGMA user_version").fetchone()[0])


def set_user_version(path: Path, version: int) -> None:
    with closing(sqlite3.connect(path)) as db:
        db.execute(f"PRAGMA user_version = {version}")


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """The schema and every row of every table."""
    with closing(sqlite3.connect(path)) as db:
        schema = db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
        tables = [name for kind, name, _ in schema if kind == "table"]
        found = {"schema": schema}
        for table in tables:
            found[table] = db.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
        return found


def test_the_state_of_0_1_0_is_stamped_version_1_without_changes(
    state: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = dump(state)
    assert user_version(state) == 0
    monkeypatch.setattr(ledger_module, "MIGRATIONS", ledger_module.MIGRATIONS[:1])
    Ledger.open(state).close()
    assert user_version(state) == 1
    assert dump(state) == before


def test_the_state_of_0_1_0_keeps_every_period_and_document(state: Path) -> None:
    with Ledger.open(state) as ledger:
        assert [(d.key, d.kind, d.hash, d.status, d.alegra_id, d.amount)
                for d in ledger.documents()] == DOCUMENTS
        assert {d.period for d in ledger.documents()} == {"2026-11-01", "2026-11-16",
                                                          "2026-12-01"}
        assert [(p.period, p.end_date, p.hash, p.debit_total, p.credit_total, p.net_pay,
                 p.state, p.error) for p in ledger.periods()] == PERIODS
        assert [p.export for p in ledger.periods()] == [
            f"{EXPORTS}/nomina_2026-11-01_2026-11-15.csv",
            f"{EXPORTS}/nomina_2026-11-16_2026-11-30.csv",
            f"{EXPORTS}/nomina_2026-12-01_2026-12-15.csv"]
        assert ledger.posted_periods() == {"2026-11-01", "2026-11-16"}
        assert [d.key for d in ledger.live_documents("2026-11-16")] == [
            "2026-11-16/J1", "2026-11-16/P-1001", "2026-11-16/P-1002"]
        posted = ledger.document("2026-11-01/J1", "303c45ec")
        assert posted is not None and posted.alegra_id == "1002"
        assert ledger.contact_ids() == CONTACTS
        company = ledger.company()
        assert company is not None
        assert (company.identification, company.name) == ("900123456", "Demo Nómina S.A.S.")
        assert ledger.replace_target("2026-11-01") is None
    assert user_version(state) == schema_version()


def test_status_reads_the_migrated_state_of_0_1_0(isolated_home: Path) -> None:
    shutil.copy(FIXTURE, isolated_home / "state.sqlite3")
    result = CliRunner().invoke(app, ["status", "--json"])
    assert result.exit_code == 0, result.output
    periods = json.loads(result.stdout)["periods"]
    assert [(p["period"], p["state"]) for p in periods] == [
        ("2026-11-01", "posted"), ("2026-11-16", "posted"), ("2026-12-01", "uncertain")]
    assert [(d["key"], d["alegra_id"], d["status"]) for d in periods[1]["documents"]] == [
        ("2026-11-16/J1", "1003", "posted"), ("2026-11-16/P-1001", "2003", "posted"),
        ("2026-11-16/P-1002", "2004", "posted")]
    assert user_version(isolated_home / "state.sqlite3") == schema_version()


def test_migrating_twice_is_a_no_op(state: Path) -> None:
    Ledger.open(state).close()
    once = dump(state)
    Ledger.open(state).close()
    assert dump(state) == once
    assert user_version(state) == schema_version()


def test_a_new_state_gets_every_migration(tmp_path: Path) -> None:
    path = tmp_path / "home" / "state.sqlite3"
    with Ledger.open(path) as ledger:
        assert ledger.documents() == [] and ledger.periods() == []
    assert user_version(path) == schema_version()
    assert {name for _, name, _ in dump(path)["schema"]} >= {
        "documents", "documents_period", "periods", "contacts", "runs", "meta"}
    assert sorted(p.name for p in path.parent.iterdir()) == ["state.sqlite3"]  # no leftover


def test_an_appended_migration_runs_once_on_every_state(
    state: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    applied: list[str] = []
    known = schema_version()

    def _notes(db: sqlite3.Connection) -> None:
        """The next version: notes (a migration of this test)."""
        applied.append("notes")
        db.execute("CREATE TABLE notes (period TEXT PRIMARY KEY, note TEXT NOT NULL)")

    monkeypatch.setattr(ledger_module, "MIGRATIONS", [*ledger_module.MIGRATIONS, _notes])
    Ledger.open(state).close()  # 0.1.0's: every migration, then this one
    Ledger.open(state).close()
    Ledger.open(tmp_path / "new.sqlite3").close()
    assert applied == ["notes", "notes"]
    assert user_version(state) == user_version(tmp_path / "new.sqlite3") == known + 1
    assert "notes" in {name for _, name, _ in dump(state)["schema"]}


def test_a_failing_migration_leaves_the_state_as_it_was(
    state: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    Ledger.open(state).close()
    before = dump(state)
    known = schema_version()

    def _broken(db: sqlite3.Connection) -> None:
        """The next version: a table, then a failing statement (a migration of this test)."""
        db.execute("CREATE TABLE notes (note TEXT)")
        db.execute("ALTER TABLE no_such_table ADD COLUMN x TEXT")

    monkeypatch.setattr(ledger_module, "MIGRATIONS", [*ledger_module.MIGRATIONS, _broken])
    with pytest.raises(ConfigError) as refused:
        Ledger.open(state)
    assert str(refused.value) == (
        f"{state}: the state database cannot be migrated from schema version {known} to "
        f"{known + 1} (no such table: no_such_table) (it is unchanged; report this line to the "
        "alegra-sync maintainers)")
    assert dump(state) == before and user_version(state) == known


def test_a_state_from_a_newer_version_is_refused(state: Path) -> None:
    known = schema_version()
    set_user_version(state, known + 1)
    before = dump(state)
    with pytest.raises(ConfigError) as refused:
        Ledger.open(state)
    assert refused.value.exit_code == 78
    assert refused.value.message == (
        f"{state}: the state database is from a newer alegra-sync (schema version {known + 1}, "
        f"this one knows {known})")
    assert refused.value.hint == "upgrade alegra-sync to the version that wrote it, then run again"
    assert dump(state) == before and user_version(state) == known + 1


def test_the_cli_refuses_a_newer_state_in_one_line(isolated_home: Path) -> None:
    state = isolated_home / "state.sqlite3"
    shutil.copy(FIXTURE, state)
    set_user_version(state, 999)
    result = CliRunner().invoke(app, ["status"])
    assert (result.exit_code, result.stdout) == (78, "")
    assert result.stderr == (
        f"error: {state}: the state database is from a newer alegra-sync (schema version 999, "
        f"this one knows {schema_version()}) — upgrade alegra-sync to the version that wrote "
        "it, then run again\n")


def test_version_2_adds_the_skipped_periods_to_a_version_1_state(
    state: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    migrations = ledger_module.MIGRATIONS
    monkeypatch.setattr(ledger_module, "MIGRATIONS", migrations[:1])
    Ledger.open(state).close()
    version_1 = dump(state)
    monkeypatch.setattr(ledger_module, "MIGRATIONS", migrations[:2])
    with Ledger.open(state) as ledger:  # the second migration, alone
        assert ledger.skipped_periods() == {}
        ledger.skip("2026-12-16", "2026-12-31", "posted by hand")
        assert [(s.period, s.end_date, s.reason) for s in ledger.skipped_periods().values()] == [
            ("2026-12-16", "2026-12-31", "posted by hand")]
    migrated = dump(state)
    assert {k: v for k, v in migrated.items() if k not in ("schema", "skipped")} == {
        k: v for k, v in version_1.items() if k != "schema"}  # nothing else touched
    assert user_version(state) == 2
