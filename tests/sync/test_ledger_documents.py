"""The state's document rows when a replace keeps a document or a home removes its copy."""

from __future__ import annotations

from pathlib import Path

from alegra_sync.sync.ledger import Ledger


def rows(ledger: Ledger) -> list[tuple[str, str, str, str | None]]:
    return [(d.key, d.hash, d.status, d.alegra_id) for d in ledger.documents()]


def test_a_kept_document_takes_the_new_hash(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "state.sqlite3") as ledger:
        ledger.set_document("2026-11-01/P1", "2026-11-01", "payment", "aaaaaaaa", "posted",
                            alegra_id="2001")
        ledger.rehash_document("2026-11-01/P1", "aaaaaaaa", "bbbbbbbb")
        assert rows(ledger) == [("2026-11-01/P1", "bbbbbbbb", "posted", "2001")]


def test_a_post_the_new_content_never_made_gives_way_to_the_kept_document(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "state.sqlite3") as ledger:
        ledger.set_document("2026-11-01/P1", "2026-11-01", "payment", "aaaaaaaa", "posted",
                            alegra_id="2001")
        ledger.set_document("2026-11-01/P1", "2026-11-01", "payment", "bbbbbbbb", "posting")
        ledger.rehash_document("2026-11-01/P1", "aaaaaaaa", "bbbbbbbb")
        assert rows(ledger) == [("2026-11-01/P1", "bbbbbbbb", "posted", "2001")]


def test_a_posted_row_of_the_new_content_stays_and_the_old_goes(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "state.sqlite3") as ledger:
        ledger.set_document("2026-11-01/P1", "2026-11-01", "payment", "aaaaaaaa", "posted",
                            alegra_id="2001")
        ledger.set_document("2026-11-01/P1", "2026-11-01", "payment", "bbbbbbbb", "posted",
                            alegra_id="2001")
        ledger.rehash_document("2026-11-01/P1", "aaaaaaaa", "bbbbbbbb")
        assert rows(ledger) == [("2026-11-01/P1", "bbbbbbbb", "posted", "2001")]


def test_a_removed_copys_rows_stand_for_the_document_kept(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "state.sqlite3") as ledger:
        ledger.set_document("2026-11-01/J1", "2026-11-01", "journal", "aaaaaaaa", "posted",
                            alegra_id="1002")
        ledger.redirect_document("1002", "1001")
        assert rows(ledger) == [("2026-11-01/J1", "aaaaaaaa", "posted", "1001")]
