"""The company a state database belongs to: recorded once, never overwritten."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from alegra_sync.sync.ledger import CompanyRecord, Ledger

DEMO = CompanyRecord("900123456", "Demo Nómina S.A.S.")
OTHER = CompanyRecord("901555777", "Otra Empresa S.A.S.")


def test_a_new_state_belongs_to_no_company_until_bound(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "state.sqlite3") as ledger:
        assert ledger.company() is None
        assert ledger.bind_company(DEMO) == DEMO
        assert ledger.company() == DEMO
    with Ledger.open(tmp_path / "state.sqlite3") as ledger:
        assert ledger.company() == DEMO


def test_binding_never_overwrites_the_recorded_company(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "state.sqlite3") as ledger:
        ledger.bind_company(DEMO)
        assert ledger.bind_company(OTHER) == DEMO
        assert ledger.company() == DEMO


def test_a_database_without_the_meta_table_gets_it_on_open(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    with Ledger.open(path):
        pass
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE meta")
    with Ledger.open(path) as ledger:
        assert ledger.company() is None
        assert ledger.bind_company(OTHER) == OTHER


@pytest.mark.parametrize(("recorded", "current", "same"), [
    (DEMO, DEMO, True),
    (DEMO, OTHER, False),
    (DEMO, CompanyRecord("900.123.456", "Demo Nómina SAS"), True),  # renamed, NIT as written
    (DEMO, CompanyRecord("900123456", "Otra Empresa S.A.S."), True),  # the NIT decides
    (DEMO, CompanyRecord("901555777", "Demo Nómina S.A.S."), False),
    (DEMO, CompanyRecord("", "demo nómina s.a.s. "), True),  # no NIT: by name
    (CompanyRecord("", "Demo Nómina S.A.S."), OTHER, False),
])
def test_the_nit_identifies_the_company(recorded: CompanyRecord, current: CompanyRecord,
                                        same: bool) -> None:
    assert recorded.same_as(current) is same


def test_the_company_reads_with_its_nit() -> None:
    assert str(DEMO) == "Demo Nómina S.A.S. (NIT 900123456)"
    assert str(CompanyRecord("", "Sin NIT")) == "Sin NIT"
