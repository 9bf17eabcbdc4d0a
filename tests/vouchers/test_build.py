"""Building the comprobante: the worked example, signs and rounding, cost centers, the
payable's tercero."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from alegra_sync.errors import DataError, ExitCode
from alegra_sync.mapping.model import AccountRef, ConceptMapping, SideOverride
from alegra_sync.vouchers.build import build_vouchers
from alegra_sync.vouchers.model import Party, VoucherOptions
from vouchers.helpers import ANA, BRUNO, CHART, FILE, NOV, build, employee, export_of, rows, sample

# --- the worked example -------------------------------------------------------------------

# Computed by hand. Ana: net 1.100.000 - 80.000; Bruno: 2.150.000 - 86.000 - 86.000 - 12.000.
WORKED_EMPLOYEE_DETAIL = [
    # debits, by PUC code
    ("5053", 1_000_000, 0, "1001", "1"),  # 510506 Sueldos (Administración)
    ("5055", 100_000, 0, "1001", "1"),  # 510527 Auxilio de transporte
    ("5056", 91_667, 0, None, "1"),  # 510530 Cesantías
    ("5056", 179_167, 0, None, "2"),
    ("5060", 5_220, 0, None, "1"),  # 510568 ARL
    ("5060", 11_223, 0, None, "2"),
    ("5061", 182_750, 0, None, "2"),  # 510569 Salud empleador
    ("5062", 120_000, 0, None, "1"),  # 510570 Pensión empleador
    ("5062", 258_000, 0, None, "2"),
    ("5063", 40_000, 0, None, "1"),  # 510572 Caja
    ("5063", 86_000, 0, None, "2"),
    ("5072", 2_000_000, 0, "2002", "2"),  # 520506 Sueldos ventas (override)
    ("5073", 150_000, 0, "2002", "2"),  # 520515 Horas extras ventas (override)
    # credits: liabilities never carry the cost center
    ("5013", 0, 12_000, None, None),  # 236505 Retención, no tercero
    ("5015", 0, 40_000, "800088702", None),  # 237005 EPS Sura
    ("5015", 0, 268_750, "800251440", None),  # Sanitas: 86.000 + 182.750
    ("5016", 0, 16_443, "860011153", None),  # 237006 ARL: 5.220 + 11.223
    ("5017", 0, 126_000, "890900841", None),  # 237010 Comfama: 40.000 + 86.000
    ("5020", 0, 160_000, "800138188", None),  # 238030 Protección: 40.000 + 120.000
    ("5020", 0, 344_000, "800229739", None),  # Porvenir: 86.000 + 258.000
    ("5023", 0, 1_020_000, "1001", None),  # 250505 net pay Ana
    ("5023", 0, 1_966_000, "2002", None),  # net pay Bruno
    ("5025", 0, 91_667, "1001", None),  # 251010 Cesantías consolidadas
    ("5025", 0, 179_167, "2002", None),
]


def test_worked_example_employee_detail() -> None:
    plan = build(BRUNO, ANA)  # identification order, whatever the file order
    assert [j.key for j in plan.journals] == ["2026-11-01/J1"]
    journal = plan.journals[0]
    assert journal.date == date(2026, 11, 15)
    assert journal.employees == ["1001", "2002"]
    assert rows(journal) == WORKED_EMPLOYEE_DETAIL
    assert journal.debit_total == journal.credit_total == 4_224_027
    assert plan.debit_total == plan.credit_total == 4_224_027
    assert plan.net_by_employee == {"1001": 1_020_000, "2002": 1_966_000}
    assert plan.net_pay == 2_986_000
    [payment] = plan.payments
    assert (payment.key, payment.date, payment.amount) == ("2026-11-01/P1", NOV.end, 2_986_000)
    assert (payment.payable_account_id, payment.bank_account_id, payment.method) == (
        "5023", "2", "transfer",
    )
    assert payment.party is None
    assert payment.employees == ["1001", "2002"]
    by_id = {p.identification: p for p in plan.parties()}
    assert set(by_id) == {
        "1001", "2002", "800088702", "800251440", "860011153", "890900841", "800138188",
        "800229739",
    }
    assert by_id["800251440"] == Party("entity", "800251440", "EPS Sanitas S.A.S.", "NIT")
    # the export wrote digits and [entities] gives no name: the built-in table's legal name
    assert by_id["800251440"].name == "EPS Sanitas S.A.S."
    assert by_id["860011153"].name == "Positiva Compañía de Seguros S.A."  # a fixed NIT
    assert by_id["1001"] == Party("employee", "1001", "Ana Gómez", "CC")
    # the payroll concept(s) and, in employee detail, the employee
    assert journal.lines[0].description == "Salario — Ana Gómez"
    assert journal.lines[2].description == "Cesantías"
    assert [line.description for line in journal.lines if line.account_id == "5023"] == [
        # in the export's column order (Bruno's row came first: Auxilio de transporte is last)
        "Salario, Salud empleado, Pensión empleado, Auxilio de transporte — Ana Gómez",
        "Salario, Horas extras, Salud empleado, Pensión empleado, Retención en la fuente "
        "— Bruno Díaz",
    ]
    assert {line.description for line in journal.lines if line.account_id == "5020"} == {
        "Pensión empleado, Pensión empleador"}


def test_worked_example_summary() -> None:
    plan = build(ANA, BRUNO, detail="summary")
    assert rows(plan.journals[0]) == [
        ("5053", 1_000_000, 0, None, "1"),
        ("5055", 100_000, 0, None, "1"),
        ("5056", 91_667, 0, None, "1"),
        ("5056", 179_167, 0, None, "2"),
        ("5060", 5_220, 0, None, "1"),
        ("5060", 11_223, 0, None, "2"),
        ("5061", 182_750, 0, None, "2"),
        ("5062", 120_000, 0, None, "1"),
        ("5062", 258_000, 0, None, "2"),
        ("5063", 40_000, 0, None, "1"),
        ("5063", 86_000, 0, None, "2"),
        ("5072", 2_000_000, 0, None, "2"),
        ("5073", 150_000, 0, None, "2"),
        ("5013", 0, 12_000, None, None),
        ("5015", 0, 308_750, None, None),
        ("5016", 0, 16_443, None, None),
        ("5017", 0, 126_000, None, None),
        ("5020", 0, 504_000, None, None),
        ("5023", 0, 2_986_000, None, None),
        ("5025", 0, 270_834, None, None),
    ]
    assert plan.net_by_employee == {"1001": 1_020_000, "2002": 1_966_000}  # still per employee
    assert plan.parties() == set()
    assert plan.debit_total == 4_224_027


# --- signs and rounding -------------------------------------------------------------------


def test_negative_amount_swaps_the_sides() -> None:
    plan = build(employee("1001", {"Salario": 1_000_000, "Horas extras": -50_000, "ARL": -5_000}))
    assert rows(plan.journals[0]) == [
        ("5016", 5_000, 0, "860011153", None),  # the ARL reversal debits the liability
        ("5053", 1_000_000, 0, "1001", "1"),
        ("5023", 0, 950_000, "1001", None),
        ("5054", 0, 50_000, "1001", "1"),
        ("5060", 0, 5_000, None, "1"),
    ]
    assert plan.net_pay == 950_000


def test_negative_deductions_count_as_their_absolute_value() -> None:
    amounts: dict[str, int | str] = {
        "Salario": 1_000_000, "Salud empleado": -40_000, "Horas extras": -10_000,
    }
    plain = build(employee("1001", amounts))
    assert plain.net_pay == 1_030_000  # -40.000 is a reversal: given back to the employee
    flipped = build(employee("1001", amounts, neto=950_000), negative_deductions=True)
    assert flipped.net_pay == 950_000
    assert rows(flipped.journals[0]) == [
        ("5053", 1_000_000, 0, "1001", "1"),
        ("5015", 0, 40_000, "800088702", None),
        ("5023", 0, 950_000, "1001", None),
        ("5054", 0, 10_000, "1001", "1"),  # a negative devengo still swaps
    ]


def test_precision_two_rounds_half_up_and_balances() -> None:
    worker = employee(
        "1001",
        {"Salario": "1000000.555", "Salud empleado": "40000.125", "ARL": "5220.004"},
        neto="960000.43",
    )
    plan = build(worker, precision=2, detail="summary")
    assert rows(plan.journals[0]) == [
        ("5053", Decimal("1000000.56"), 0, None, "1"),
        ("5060", Decimal("5220.00"), 0, None, "1"),
        ("5015", 0, Decimal("40000.13"), None, None),
        ("5016", 0, Decimal("5220.00"), None, None),
        ("5023", 0, Decimal("960000.43"), None, None),
    ]
    assert plan.debit_total == plan.credit_total == Decimal("1005220.56")
    whole = build(replace(worker, neto=Decimal("960001")), precision=0, detail="summary")
    assert rows(whole.journals[0])[0] == ("5053", 1_000_001, 0, None, "1")
    assert whole.net_pay == 960_001  # 1.000.001 - 40.000


def test_neto_mismatch_names_file_row_employee_and_both_amounts() -> None:
    worker = employee(
        "1001", {"Salario": 1_234_000}, name="Ana Gómez", neto=1_234_567, row=7
    )
    with pytest.raises(DataError) as caught:
        build(worker)
    assert caught.value.exit_code == ExitCode.DATA == 65
    assert caught.value.message == (
        f"{FILE}, row 7: employee 1001 (Ana Gómez): Neto a pagar 1.234.567 but the mapping "
        "computes 1.234.000: a difference of 567, more than [journal] rounding_tolerance = 1"
    )


def test_negative_net_pay_is_refused() -> None:
    worker = employee("1001", {"Salario": 100_000, "Libranza": 150_000}, row=5)
    with pytest.raises(DataError) as caught:
        build(worker)
    assert caught.value.exit_code == 65
    assert caught.value.message == (
        f"{FILE}, row 5: employee 1001 (Empleado 1001): negative net pay -50.000"
    )


# --- cost centers ---------------------------------------------------------------------------


def test_cost_center_only_on_pnl_accounts_and_only_when_the_concept_asks() -> None:
    mapping = sample()
    mapping.concepts["Salario"].cost_center = False
    mapping.concepts["Anticipo"] = ConceptMapping(  # asset against payable, cost_center asked
        debit=AccountRef(id="5004"), credit="payable", cost_center=True
    )
    chart = dict(CHART)
    chart["5056"] = replace(CHART["5056"], type="cost")  # class 7: still P&L
    chart["5025"] = replace(CHART["5025"], type="productionCost")  # taken as P&L by its type
    worker = employee("1001", {"Salario": 1_000, "Cesantías": 90, "Anticipo": 10})
    plan = build_vouchers(export_of(worker), mapping, chart, NOV, VoucherOptions())
    assert rows(plan.journals[0]) == [
        ("5004", 10, 0, None, None),
        ("5053", 1_000, 0, "1001", None),
        ("5056", 90, 0, None, "1"),
        ("5023", 0, 1_010, "1001", None),
        ("5025", 0, 90, "1001", "1"),
    ]


def test_per_cost_center_override_and_no_cost_center() -> None:
    plan = build(
        employee("1001", {"Salario": 100, "Horas extras": 10}, cost_center="Ventas"),
        employee("1002", {"Salario": 200, "Horas extras": 20}, cost_center="Administración"),
        employee("1003", {"Salario": 300, "Auxilio de transporte": 30}, cost_center=None),
        detail="summary",
    )
    assert rows(plan.journals[0]) == [
        ("5053", 300, 0, None, None),  # no cost center: the concept's own account
        ("5053", 200, 0, None, "1"),
        ("5054", 20, 0, None, "1"),
        ("5055", 30, 0, None, None),
        ("5072", 100, 0, None, "2"),
        ("5073", 10, 0, None, "2"),
        ("5023", 0, 660, None, None),
    ]


# --- the payable's tercero -----------------------------------------------------------------

PAYABLE_BY_ID = AccountRef(id="5023", name="Salarios por pagar")


def test_payable_named_by_id_carries_the_employee_and_nets_per_employee() -> None:
    mapping = sample()
    mapping.concepts["Salario"].credit = PAYABLE_BY_ID
    plan = build(
        employee("1001", {"Salario": 1_000, "Salud empleado": 40}, neto=960),
        employee("1002", {"Salario": 500, "Salud empleado": 20}, cost_center="Ventas",
                 neto=480),
        mapping=mapping,
    )
    assert rows(plan.journals[0]) == [
        ("5053", 1_000, 0, "1001", "1"),
        ("5072", 500, 0, "1002", "2"),
        ("5015", 0, 60, "800088702", None),
        ("5023", 0, 960, "1001", None),
        ("5023", 0, 480, "1002", None),
    ]
    assert plan.net_by_employee == {"1001": 960, "1002": 480}


@pytest.mark.parametrize("to_payable", ["payable", PAYABLE_BY_ID])
def test_cost_center_override_onto_the_payable_carries_the_employee(
    to_payable: str | AccountRef,
) -> None:
    mapping = sample()
    mapping.concepts["Salario"].credit = AccountRef(id="5025")  # another liability
    mapping.cost_center_accounts["Ventas"]["Salario"] = SideOverride(
        debit=AccountRef(id="5072"), credit=to_payable
    )
    plan = build(
        employee("1001", {"Salario": 1_000}),
        employee("1002", {"Salario": 500, "Salud empleado": 20}, cost_center="Ventas"),
        employee("1003", {"Salario": 300, "Salud empleado": 10}, cost_center="Ventas"),
        mapping=mapping,
    )
    assert rows(plan.journals[0]) == [
        ("5053", 1_000, 0, "1001", "1"),
        ("5072", 500, 0, "1002", "2"),
        ("5072", 300, 0, "1003", "2"),
        ("5015", 0, 30, "800088702", None),
        ("5023", 0, 480, "1002", None),
        ("5023", 0, 290, "1003", None),
        ("5025", 0, 1_000, None, None),  # not the payable where there is no override
    ]
    assert plan.net_by_employee == {"1001": 0, "1002": 480, "1003": 290}


def test_explicit_none_keeps_the_payable_without_tercero() -> None:
    mapping = sample()
    mapping.concepts["Salario"].credit = PAYABLE_BY_ID
    mapping.concepts["Salario"].credit_tercero = "none"
    plan = build(
        employee("1001", {"Salario": 1_000}),
        employee("1002", {"Salario": 500}, cost_center="Ventas"),
        mapping=mapping,
    )
    assert rows(plan.journals[0]) == [
        ("5053", 1_000, 0, "1001", "1"),
        ("5072", 500, 0, "1002", "2"),
        ("5023", 0, 1_500, None, None),
    ]
    assert plan.net_by_employee == {"1001": 1_000, "1002": 500}
