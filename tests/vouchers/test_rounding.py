"""The ajuste al peso (vouchers/rounding.py): amounts rounded per employee and concept, half
up; the pair that brings the payable to the export's Neto; refusals. Worked by hand."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from alegra_sync.errors import DataError, ExitCode
from alegra_sync.mapping.model import AccountRef, Mapping
from alegra_sync.vouchers.build import build_vouchers
from alegra_sync.vouchers.model import AccountInfo, VoucherOptions, VoucherPlan
from vouchers.helpers import ANA, BRUNO, CHART, FILE, NOV, employee, export_of, rows, sample

D = Decimal
ROUNDING = AccountInfo(id="5099", name="Ajuste al peso", code="429581", type="income")
WITH_ROUNDING = {**CHART, ROUNDING.id: ROUNDING}


def rounding_mapping() -> Mapping:
    mapping = sample()
    mapping.accounts["rounding"] = AccountRef(id="5099", name="Ajuste al peso")
    return mapping


def plan_of(*employees: Any, mapping: Mapping | None = None, **options: Any) -> VoucherPlan:
    return build_vouchers(export_of(*employees), mapping or rounding_mapping(), WITH_ROUNDING,
                          NOV, VoucherOptions(**options))


def test_a_peso_up_goes_to_the_payable_and_the_rounding_account() -> None:
    # 1.000.000,40 → 1.000.000 and 100.000,40 → 100.000: the mapping computes 1.100.000; the
    # export's Neto 1.100.000,80 rounds to 1.100.001. The pair: 1 more credit on Ana's
    # payable, 1 debit on the rounding account.
    ana = employee("1001", {"Salario": "1000000.40", "Auxilio de transporte": "100000.40"},
                   name="Ana Gómez", neto="1100000.80")
    plan = plan_of(ana)
    [journal] = plan.journals
    assert rows(journal) == [
        ("5099", D(1), D(0), "1001", None),  # 429581 Ajuste al peso: debits by code first
        ("5053", D(1_000_000), D(0), "1001", "1"),
        ("5055", D(100_000), D(0), "1001", "1"),
        ("5023", D(0), D(1_100_000), "1001", None),
        ("5023", D(0), D(1), "1001", None),  # the ajuste, apart from the concepts' line
    ]
    assert [line.kind for line in journal.lines] == [
        "rounding", "concept", "concept", "concept", "rounding"]
    assert [line.description for line in journal.lines if line.kind == "rounding"] == [
        "Ajuste al peso — Ana Gómez", "Ajuste al peso — Ana Gómez"]
    assert plan.adjustments == {"1001": D(1)}
    assert plan.net_by_employee == {"1001": D(1_100_001)}
    [payment] = plan.payments
    assert payment.amount == D(1_100_001)  # the egreso pays the export's Neto
    assert journal.debit_total == journal.credit_total == D(1_100_001)


def test_a_peso_down_takes_it_back_from_the_payable() -> None:
    # 1.000.000,60 → 1.000.001 and 100.000,60 → 100.001: 1.100.002; Neto 1.100.001,20 →
    # 1.100.001: the pair is 1 debit on the payable and 1 credit on the rounding account.
    ana = employee("1001", {"Salario": "1000000.60", "Auxilio de transporte": "100000.60"},
                   name="Ana Gómez", neto="1100001.20")
    plan = plan_of(ana)
    lines = rows(plan.journals[0])
    assert ("5023", D(1), D(0), "1001", None) in lines
    assert ("5099", D(0), D(1), "1001", None) in lines
    assert ("5023", D(0), D(1_100_002), "1001", None) in lines
    assert plan.adjustments == {"1001": D(-1)}
    assert plan.payments[0].amount == D(1_100_001)


def test_half_a_peso_rounds_up() -> None:
    # 91.666,50 → 91.667 (half up); 0,49 → 0 and the concept has no line at all
    worker = employee("1001", {"Salario": "91666.50", "Horas extras": "0.49"},
                      name="Ana Gómez")
    plan = plan_of(worker)
    assert rows(plan.journals[0]) == [("5053", D(91_667), D(0), "1001", "1"),
                                      ("5023", D(0), D(91_667), "1001", None)]
    assert plan.adjustments == {}


def test_without_a_rounding_account_it_is_refused_naming_both_amounts_and_the_setting() -> None:
    ana = employee("1001", {"Salario": "1000000.40", "Auxilio de transporte": "100000.40"},
                   name="Ana Gómez", neto="1100000.80", row=4)
    with pytest.raises(DataError) as caught:
        plan_of(ana, mapping=sample())
    assert caught.value.exit_code == ExitCode.DATA == 65
    assert caught.value.message == (
        f"{FILE}, row 4: employee 1001 (Ana Gómez): Neto a pagar 1.100.001 but the mapping "
        "computes 1.100.000: a difference of 1 that only an ajuste al peso can take, and the "
        "mapping has no [accounts] rounding")
    assert "rounding = { id" in (caught.value.hint or "")


def test_over_the_tolerance_it_is_refused() -> None:
    ana = employee("1001", {"Salario": "1000000.40", "Auxilio de transporte": "100000.40"},
                   name="Ana Gómez", neto="1100002")
    with pytest.raises(DataError) as caught:
        plan_of(ana)
    assert caught.value.message == (
        f"{FILE}, row 2: employee 1001 (Ana Gómez): Neto a pagar 1.100.002 but the mapping "
        "computes 1.100.000: a difference of 2, more than [journal] rounding_tolerance = 1")
    # a tolerance of 2 takes it; a tolerance of 0 takes nothing
    assert plan_of(ana, rounding_tolerance=D(2)).adjustments == {"1001": D(2)}
    with pytest.raises(DataError, match="a difference of 1, more than .* = 0"):
        plan_of(employee("1001", {"Salario": "1000000.40"}, neto="1000001"),
                rounding_tolerance=D(0))


def test_precision_2_adjusts_a_centavo() -> None:
    # 1.000,554 → 1.000,55 and 100,004 → 100,00: 1.100,55; the Neto 1.100,558 → 1.100,56
    ana = employee("1001", {"Salario": "1000.554", "Auxilio de transporte": "100.004"},
                   name="Ana Gómez", neto="1100.558")
    plan = plan_of(ana, precision=2)
    lines = rows(plan.journals[0])
    assert ("5099", D("0.01"), D(0), "1001", None) in lines
    assert ("5023", D(0), D("0.01"), "1001", None) in lines
    assert plan.payments[0].amount == D("1100.56")


def test_precision_2_with_whole_centavos_needs_no_ajuste() -> None:
    ana = employee("1001", {"Salario": "1000000.40", "Auxilio de transporte": "100000.40"},
                   name="Ana Gómez", neto="1100000.80")
    plan = plan_of(ana, precision=2)
    assert plan.adjustments == {}
    assert plan.payments[0].amount == D("1100000.80")


def test_summary_detail_gathers_the_ajustes_in_one_pair_without_tercero() -> None:
    ana = employee("1001", {"Salario": "1000000.40", "Auxilio de transporte": "100000.40"},
                   name="Ana Gómez", neto="1100000.80")
    bruno = employee("2002", {"Salario": "500000.30", "Horas extras": "50000.30"},
                     name="Bruno Díaz", cost_center="Ventas", neto="550000.60")
    plan = plan_of(ana, bruno, detail="summary")
    ajuste = [(line.account_id, line.debit, line.credit, line.party)
              for line in plan.journals[0].lines if line.kind == "rounding"]
    assert ajuste == [("5099", D(2), D(0), None), ("5023", D(0), D(2), None)]
    assert plan.payments[0].amount == D(1_100_001) + D(550_001)


def test_totals_with_cents_are_checked_before_rounding() -> None:
    # the export totals its cents: Total devengado 1.100.000,80 (1.100.001 rounded) against
    # the rounded devengos 1.100.000 — the same devengos, so not refused
    ana = employee("1001", {"Salario": "1000000.40", "Auxilio de transporte": "100000.40"},
                   name="Ana Gómez", neto="1100000.80")
    totalled = replace(ana, totals={"total_devengado": D("1100000.80")})
    assert plan_of(totalled).adjustments == {"1001": D(1)}


def test_an_export_without_cents_has_no_ajuste_and_the_same_hash() -> None:
    plan = plan_of(ANA, BRUNO)
    assert plan.adjustments == {}
    assert all(line.kind == "concept" for line in plan.journals[0].lines)
    assert plan.content_hash == "e614a030"  # as before the ajuste existed
