"""The state file's failure modes: each one line with its exit code, never a new empty state."""

from __future__ import annotations

import errno
import os
import random
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alegra_sync.cli.app import app
from alegra_sync.errors import AlegraSyncError, ConfigError, TryLaterError
from alegra_sync.sync import ledger as ledger_module
from alegra_sync.sync.ledger import Ledger

MOVE_ASIDE = ("restore it from a backup, or move it aside: the next sync looks every document "
              "up in Alegra before posting, so nothing is posted twice")
FREE_SPACE = "free space on that disk and run again: the state is still consistent"
LET_IT_FINISH = "let it finish, then run again"


def refusal(error: pytest.ExceptionInfo[AlegraSyncError]) -> tuple[int, str]:
    """The exit code and the line the CLI prints (message — hint), checked to be one line."""
    line = f"{error.value.message} — {error.value.hint}"
    assert "\n" not in line
    return int(error.value.exit_code), line


def post_some(ledger: Ledger, count: int, *, start: int = 0) -> None:
    for n in range(start, start + count):
        ledger.set_document(f"2026-11-16/P-{n}", "2026-11-16", "payment", "5e1f0c2a", "posted",
                            alegra_id=str(2000 + n), amount="1250000")


@pytest.fixture
def state(tmp_path: Path) -> Path:
    path = tmp_path / "state.sqlite3"
    with Ledger.open(path) as ledger:
        post_some(ledger, 3)
    return path


@pytest.fixture
def writer(state: Path) -> Iterator[sqlite3.Connection]:
    """Another writer holding an exclusive lock on the state until the test ends."""
    with closing(sqlite3.connect(state, isolation_level=None)) as db:
        db.execute("BEGIN EXCLUSIVE")
        yield db
        if db.in_transaction:
            db.execute("ROLLBACK")


# --- empty and corrupt: refused (78), never taken for a new state --------------------------

def test_an_empty_file_is_refused_not_taken_for_a_new_state(tmp_path: Path) -> None:
    path = tmp_path / "empty" / "state.sqlite3"
    path.parent.mkdir()
    path.touch()
    with pytest.raises(ConfigError) as refused:
        Ledger.open(path)
    assert refusal(refused) == (78, f"{path}: the state database is an empty file (0 bytes), "
                                    f"not a state alegra-sync wrote — {MOVE_ASIDE}")
    assert path.stat().st_size == 0
    assert sorted(p.name for p in path.parent.iterdir()) == ["state.sqlite3"]


def test_the_cli_refuses_an_empty_state_in_one_line(isolated_home: Path) -> None:
    (isolated_home / "state.sqlite3").touch()
    result = CliRunner().invoke(app, ["status"])
    assert (result.exit_code, result.stdout) == (78, "")
    assert result.stderr == (f"error: {isolated_home / 'state.sqlite3'}: the state database is "
                             f"an empty file (0 bytes), not a state alegra-sync wrote — "
                             f"{MOVE_ASIDE}\n")


def test_a_file_of_random_bytes_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    garbage = random.Random(7).randbytes(8192)
    path.write_bytes(garbage)
    with pytest.raises(ConfigError) as refused:
        Ledger.open(path)
    assert refusal(refused) == (78, f"{path}: the state database is unreadable or corrupt "
                                    f"(file is not a database) — {MOVE_ASIDE}")
    assert path.read_bytes() == garbage


def test_a_damaged_page_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    with Ledger.open(path) as ledger:
        post_some(ledger, 300)
    damaged = bytearray(path.read_bytes())
    damaged[2 * 4096 + 8: 2 * 4096 + 12] = b"\x7f" * 4  # a child pointer of an index page
    path.write_bytes(bytes(damaged))
    with closing(sqlite3.connect(path)) as db:  # what sqlite says spans lines
        assert "\n" in db.execute("PRAGMA quick_check").fetchone()[0]
    with pytest.raises(ConfigError) as refused:
        Ledger.open(path)
    code, line = refusal(refused)
    assert code == 78
    assert line.startswith(f"{path}: the state database is unreadable or corrupt (*** in "
                           "database main *** On tree page ")
    assert line.endswith(f") — {MOVE_ASIDE}")


# --- locked by another writer: 75, on any statement ---------------------------------------

LOCKED = "the state database is locked by another writer (waited 0.05 s)"


def test_a_write_while_another_writer_holds_the_state_is_75(
    state: Path, writer: sqlite3.Connection,
) -> None:
    with Ledger.open(state, busy_timeout=0.05) as ledger:
        assert len(ledger.documents()) == 3  # reading still works (WAL)
        with pytest.raises(TryLaterError) as refused:
            post_some(ledger, 1, start=3)
        assert refusal(refused) == (75, f"{state}: {LOCKED} — {LET_IT_FINISH}")
        with pytest.raises(TryLaterError) as refused:  # a transaction's BEGIN
            ledger.remember_contacts({("employee", "1001"): "3001"})
        assert refusal(refused) == (75, f"{state}: {LOCKED} — {LET_IT_FINISH}")
        writer.execute("ROLLBACK")
        post_some(ledger, 1, start=3)  # the ledger is usable once the other writer is done
        ledger.remember_contacts({("employee", "1001"): "3001"})
        assert len(ledger.documents()) == 4
        assert ledger.contact_ids() == {("employee", "1001"): "3001"}


def test_a_state_to_migrate_while_another_writer_holds_it_is_75(state: Path) -> None:
    with closing(sqlite3.connect(state, isolation_level=None)) as db:
        db.execute("PRAGMA user_version = 0")  # as 0.1.0 left it
        db.execute("BEGIN EXCLUSIVE")
        with pytest.raises(TryLaterError) as refused:
            Ledger.open(state, busy_timeout=0.05)
        db.execute("ROLLBACK")
    assert refusal(refused) == (75, f"{state}: {LOCKED} — {LET_IT_FINISH}")


# --- a full disk: 75, naming the path, the state still consistent -------------------------

def fill(ledger: Ledger) -> None:
    """Let the database grow no further: sqlite's own full condition (SQLITE_FULL)."""
    pages = ledger._db.execute("PRAGMA page_count").fetchone()[0]
    ledger._db.execute(f"PRAGMA max_page_count = {pages}")


def test_a_full_disk_is_75_and_leaves_the_state_consistent(state: Path) -> None:
    with Ledger.open(state) as ledger:
        fill(ledger)
        with pytest.raises(TryLaterError) as refused:
            post_some(ledger, 1000, start=3)
        assert refusal(refused) == (75, f"{state}: the disk is full, the state database could "
                                        f"not be written — {FREE_SPACE}")
        assert "move it aside" not in str(refused.value)
        written = len(ledger.documents())
        with pytest.raises(TryLaterError):  # a transaction is rolled back whole
            ledger.remember_contacts({("employee", str(n)): "x" * 200 for n in range(200)})
        assert ledger.contact_ids() == {}
    with Ledger.open(state) as ledger:
        assert len(ledger.documents()) == written >= 3
        assert ledger._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        post_some(ledger, 50, start=written)  # space again: the run goes on
        assert len(ledger.documents()) == written + 50


def test_no_space_to_create_the_state_is_75_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    def full(*_args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    path = tmp_path / "full" / "state.sqlite3"
    monkeypatch.setattr(ledger_module.os, "link", full)
    with pytest.raises(TryLaterError) as refused:
        Ledger.open(path)
    assert refusal(refused) == (75, f"{path}: the disk is full, the state database could not "
                                    f"be written — {FREE_SPACE}")
    assert list(path.parent.iterdir()) == []


# --- a crash while creating leaves no state at all ----------------------------------------

def test_a_crash_while_creating_the_state_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    def crash(_db: sqlite3.Connection) -> None:
        """The next version: the process dies here (a migration of this test)."""
        raise KeyboardInterrupt

    path = tmp_path / "crashed" / "state.sqlite3"
    monkeypatch.setattr(ledger_module, "MIGRATIONS", [*ledger_module.MIGRATIONS, crash])
    with pytest.raises(KeyboardInterrupt):
        Ledger.open(path)
    assert list(path.parent.iterdir()) == []
    monkeypatch.undo()
    with Ledger.open(path) as ledger:  # the next run starts a new state
        assert ledger.documents() == []
