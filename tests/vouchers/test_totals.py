"""Total devengado and Total deducciones checked against what the mapping computes."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from alegra_sync.errors import DataError, ExitCode
from alegra_sync.mapping.model import AccountRef, SideOverride
from alegra_sync.payroll.model import Employee
from alegra_sync.vouchers.build import build_vouchers
from alegra_sync.vouchers.model import VoucherOptions
from vouchers.helpers import ANA, BRUNO, CHART, FILE, NOV, build, employee, export_of, sample

# --- Total devengado / Total deducciones ----------------------------------------------------


def totalled(worker: Employee, **totals: int | str) -> Employee:
    """``worker`` with totals cells; Total_devengado=… for the column 'Total devengado'."""
    return replace(worker, totals={k.lower(): Decimal(v) for k, v in totals.items()})


def test_agreeing_totals_plan_the_same_vouchers() -> None:
    # Ana: devengos 1.000.000 + 100.000, deducciones 40.000 + 40.000
    checked = build(totalled(ANA, Total_devengado=1_100_000, Total_deducciones=80_000), BRUNO)
    assert checked == build(ANA, BRUNO)


@pytest.mark.parametrize(("column", "written", "computed", "what"), [
    ("Total devengado", 9_999_999, "1.100.000", "devengos"),
    ("Total deducciones", 80_001, "80.000", "deducciones"),
    ("TOTAL DEVENGOS", "1100000.5", "1.100.000", "devengos"),  # rounds half up to 1.100.001
])
def test_a_totals_mismatch_names_file_row_column_value_and_both_amounts(
    column: str, written: int | str, computed: str, what: str
) -> None:
    kind = "total_devengado" if what == "devengos" else "total_deducciones"
    export = export_of(replace(ANA, totals={kind: Decimal(written)}), BRUNO)
    export.total_columns = {kind: column}  # the header as the file writes it
    with pytest.raises(DataError) as caught:
        build_vouchers(export, sample(), CHART, NOV, VoucherOptions())
    assert caught.value.exit_code == ExitCode.DATA == 65
    shown = {9_999_999: "9.999.999", 80_001: "80.001", "1100000.5": "1.100.000,5"}[written]
    rounded = {9_999_999: "9.999.999", 80_001: "80.001", "1100000.5": "1.100.001"}[written]
    assert str(caught.value) == (
        f"{FILE}, row 3, column {column!r}, value {shown!r}: employee 1001 (Ana Gómez): "
        f"{column} {rounded} but the mapping computes {computed} "
        f"(check the export or the mapping of its {what})"
    )


def test_totals_are_checked_before_the_neto() -> None:
    worker = totalled(replace(ANA, neto=Decimal(1)), Total_devengado=1)
    with pytest.raises(DataError, match="Total devengado 1 but the mapping computes 1.100.000"):
        build(worker)


def test_totals_round_to_the_company_precision_like_the_neto() -> None:
    worker = employee("1001", {"Salario": "1000.555", "Salud empleado": "40.125"})
    assert build(totalled(worker, Total_devengado="1000.56", Total_deducciones="40.13"),
                 precision=2).net_pay == Decimal("960.43")
    assert build(totalled(worker, Total_devengado="1000.555", Total_deducciones="40.125"),
                 precision=2).net_pay == Decimal("960.43")
    with pytest.raises(DataError, match="Total devengado 1.000,55 but the mapping computes "
                                        "1.000,56"):
        build(totalled(worker, Total_devengado="1000.55"), precision=2)


def test_totals_follow_the_cost_center_override() -> None:
    mapping = sample()
    mapping.concepts["Salario"].credit = AccountRef(id="5025")  # not owed to the employee...
    mapping.cost_center_accounts["Ventas"]["Salario"] = SideOverride(
        debit=AccountRef(id="5072"), credit="payable"  # ...except in Ventas
    )
    office = employee("1001", {"Salario": 1_000, "Auxilio de transporte": 100})
    sales = employee("1002", {"Salario": 500, "Auxilio de transporte": 100},
                     cost_center="Ventas")
    plan = build(totalled(office, Total_devengado=100), totalled(sales, Total_devengado=600),
                 mapping=mapping)
    assert plan.net_by_employee == {"1001": 100, "1002": 600}
    with pytest.raises(DataError, match="Total devengado 1.100 but the mapping computes 100"):
        build(totalled(office, Total_devengado=1_100), mapping=mapping)


def test_negative_deductions_count_as_their_absolute_value_in_the_totals() -> None:
    worker = employee("1001", {"Salario": 1_000_000, "Salud empleado": -40_000,
                               "Horas extras": -10_000})
    for written in (40_000, -40_000):  # the total written positive or, like them, negative
        plan = build(totalled(worker, Total_devengado=990_000, Total_deducciones=written),
                     negative_deductions=True)
        assert plan.net_pay == 950_000
    # without the option a negative deduction is a reversal: -40.000, given back
    plain = build(totalled(worker, Total_devengado=990_000, Total_deducciones=-40_000))
    assert plain.net_pay == 1_030_000
    with pytest.raises(DataError, match="Total deducciones 40.000 but the mapping computes "
                                        "-40.000"):
        build(totalled(worker, Total_deducciones=40_000))
