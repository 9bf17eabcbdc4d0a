"""Splitting a comprobante above max_entries, and the egresos (single or per employee)."""

from __future__ import annotations

from datetime import date

import pytest

from alegra_sync.errors import DataError
from alegra_sync.vouchers.model import Party
from vouchers.helpers import build, employee, rows, sample

# --- splitting ------------------------------------------------------------------------------


def test_split_above_max_entries_into_balanced_parts_of_whole_employees() -> None:
    # Each employee: Sueldos and payable lines of their own, plus the shared EPS Sura line,
    # so n employees aggregate to 2n + 1 lines: 3 fit in 7.
    staff = [employee(str(i), {"Salario": 1_000 * i, "Salud empleado": 40 * i}) for i in
             (12, 3, 7, 10, 1, 9, 2, 11, 5, 4)]
    plan = build(*staff, max_entries=7)
    assert [j.key for j in plan.journals] == [f"2026-11-01/J{n}" for n in (1, 2, 3, 4)]
    assert [j.employees for j in plan.journals] == [
        ["1", "2", "3"], ["4", "5", "7"], ["9", "10", "11"], ["12"],
    ]
    for journal in plan.journals:
        assert len(journal.lines) <= 7
        assert journal.debit_total == journal.credit_total
        owners = {line.party.identification for line in journal.lines if line.party}
        assert owners - {"800088702"} == set(journal.employees)
    assert rows(plan.journals[3]) == [
        ("5053", 12_000, 0, "12", "1"),
        ("5015", 0, 480, "800088702", None),
        ("5023", 0, 11_520, "12", None),
    ]
    assert plan.debit_total == plan.credit_total == 64_000  # 1.000 x (1 + 2 + ... + 12 - 6 - 8)
    assert plan.net_pay == 64_000 - 2_560
    single = build(*staff)
    assert [j.key for j in single.journals] == ["2026-11-01/J1"]
    assert len(single.journals[0].lines) == 21
    assert single.content_hash != plan.content_hash  # the split is structure


def test_no_split_when_netting_makes_the_whole_period_fit() -> None:
    a = employee("1", {"Salario": 1_000})
    b = employee("2", {"ARL": 100})
    c = employee("3", {"ARL": -100, "Salario": 1_000})
    plan = build(a, b, c, detail="summary", max_entries=3)
    assert [j.key for j in plan.journals] == ["2026-11-01/J1"]
    assert plan.journals[0].employees == ["1", "2", "3"]
    assert rows(plan.journals[0]) == [("5053", 2_000, 0, None, "1"), ("5023", 0, 2_000, None, None)]


def test_one_employee_above_max_entries_is_refused() -> None:
    big = employee("1", {"Salario": 1_000, "Salud empleado": 40, "Pensión empleado": 40})
    small = employee("2", {"Salario": 500})
    with pytest.raises(DataError, match=r"employee 1 \(Empleado 1\) alone needs 4 journal lines"):
        build(big, small, max_entries=3)


# --- egresos --------------------------------------------------------------------------------


def test_single_egreso_per_payment_date() -> None:
    staff = [
        employee("1", {"Salario": 100}, payment_date=date(2026, 11, 14)),
        employee("2", {"Salario": 200}),
        employee("3", {"Salario": 300}, payment_date=date(2026, 11, 14)),
        employee("4", {"Salario": 0}),  # nothing to pay
    ]
    plan = build(*staff)
    assert [(p.key, p.date, p.amount, p.employees) for p in plan.payments] == [
        ("2026-11-01/P1", date(2026, 11, 14), 400, ["1", "3"]),
        ("2026-11-01/P2", date(2026, 11, 15), 200, ["2"]),
    ]
    fixed = build(*staff, payment_date=date(2026, 11, 20), journal_date=date(2026, 11, 14))
    assert [(p.key, p.date) for p in fixed.payments] == [
        ("2026-11-01/P1", date(2026, 11, 14)), ("2026-11-01/P2", date(2026, 11, 20)),
    ]
    assert fixed.journals[0].date == date(2026, 11, 14)


def test_per_employee_egresos() -> None:
    mapping = sample()
    mapping.payment.mode = "per-employee"
    plan = build(
        employee("20", {"Salario": 200}, name="Bea"),
        employee("3", {"Salario": 300}, payment_date=date(2026, 11, 14), name="Carlos"),
        employee("4", {"Salario": 0}),
        mapping=mapping,
    )
    assert [(p.key, p.date, p.amount, p.party, p.employees) for p in plan.payments] == [
        ("2026-11-01/P-3", date(2026, 11, 14), 300, Party("employee", "3", "Carlos"), ["3"]),
        ("2026-11-01/P-20", date(2026, 11, 15), 200, Party("employee", "20", "Bea"), ["20"]),
    ]
    assert Party("employee", "3", "Carlos") in plan.parties()
