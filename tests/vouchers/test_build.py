from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from alegra_sync.errors import ConfigError, DataError, ExitCode
from alegra_sync.mapping.check import export_coverage
from alegra_sync.mapping.model import (
    AccountRef,
    ConceptMapping,
    Mapping,
    SideOverride,
    load_mapping,
)
from alegra_sync.payroll.model import Employee, PayrollExport
from alegra_sync.periods import Period
from alegra_sync.sandbox.demo_company import ACCOUNTS
from alegra_sync.vouchers.build import build_vouchers
from alegra_sync.vouchers.model import AccountInfo, JournalDraft, Party, VoucherOptions, VoucherPlan
from alegra_sync.vouchers.payloads import (
    document_tag,
    journal_payload,
    parse_document_tag,
    payment_payload,
)

NOV = Period(date(2026, 11, 1), date(2026, 11, 15))
CHART = {a[0]: AccountInfo(id=a[0], name=a[3], code=a[2], type=a[4]) for a in ACCOUNTS}
FILE = "nomina_2026-11-01_2026-11-15.csv"


def sample() -> Mapping:
    return load_mapping(Path(str(resources.files("alegra_sync") / "samples" / "mapping.toml")))


def employee(
    identification: str,
    amounts: dict[str, int | str],
    *,
    name: str | None = None,
    cost_center: str | None = "Administración",
    eps: str | None = "EPS Sura",
    afp: str | None = "Protección AFP",
    neto: int | str | None = None,
    row: int = 2,
    payment_date: date | None = None,
) -> Employee:
    return Employee(
        identification=identification,
        name=name or f"Empleado {identification}",
        cost_center=cost_center,
        eps=eps,
        afp=afp,
        payment_date=payment_date,
        amounts={k: Decimal(v) for k, v in amounts.items()},
        neto=None if neto is None else Decimal(neto),
        row=row,
    )


def export_of(*employees: Employee) -> PayrollExport:
    concepts = list(dict.fromkeys(c for e in employees for c in e.amounts))
    return PayrollExport(Path(FILE), NOV.start, NOV.end, concepts, list(employees))


def build(
    *employees: Employee, mapping: Mapping | None = None, **options: Any
) -> VoucherPlan:
    return build_vouchers(
        export_of(*employees), mapping or sample(), CHART, NOV, VoucherOptions(**options)
    )


def rows(journal: JournalDraft) -> list[tuple[str, Decimal, Decimal, str | None, str | None]]:
    return [
        (
            line.account_id, line.debit, line.credit,
            line.party.identification if line.party else None, line.cost_center_id,
        )
        for line in journal.lines
    ]


# --- the worked example -------------------------------------------------------------------

ANA = employee(
    "1001",
    {
        "Salario": 1_000_000, "Auxilio de transporte": 100_000, "Salud empleado": 40_000,
        "Pensión empleado": 40_000, "Pensión empleador": 120_000, "ARL": 5_220,
        "Caja de compensación": 40_000, "Cesantías": 91_667, "Prima": 0,
    },
    name="Ana Gómez", cost_center="Administración", eps="EPS Sura", afp="Protección AFP",
    neto=1_020_000, row=3,
)
BRUNO = employee(
    "2002",
    {
        "Salario": 2_000_000, "Horas extras": 150_000, "Salud empleado": 86_000,
        "Pensión empleado": 86_000, "Retención en la fuente": 12_000,
        "Salud empleador": 182_750, "Pensión empleador": 258_000, "ARL": 11_223,
        "Caja de compensación": 86_000, "Cesantías": 179_167,
    },
    name="Bruno Díaz", cost_center="Ventas", eps="800251440", afp="Porvenir AFP",
    neto=1_966_000, row=4,
)

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
    assert by_id["800251440"] == Party("entity", "800251440", "Sanitas EPS", "NIT")
    assert by_id["800251440"].name == "Sanitas EPS"  # the export wrote digits
    assert by_id["860011153"].name == "860011153"  # a fixed NIT not in [entities]
    assert by_id["1001"] == Party("employee", "1001", "Ana Gómez", "CC")
    assert journal.lines[0].description == "Sueldos — Ana Gómez"
    assert journal.lines[2].description == "Cesantías"


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
        "computes 1.234.000"
    )


def test_negative_net_pay_is_refused() -> None:
    worker = employee("1001", {"Salario": 100_000, "Libranza": 150_000}, row=5)
    with pytest.raises(DataError) as caught:
        build(worker)
    assert caught.value.exit_code == 65
    assert caught.value.message == (
        f"{FILE}, row 5: employee 1001 (Empleado 1001): negative net pay -50.000"
    )


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


# --- coverage and configuration -----------------------------------------------------------


def test_coverage_lists_every_problem() -> None:
    export = export_of(
        employee("1001", {"Salario": 1, "Bonificación": 5, "Dotación": 0}, cost_center="Bodega"),
        employee("1002", {"Salud empleado": 1, "Bonificación": 2}, eps="Nueva EPS"),
        employee("1003", {"Pensión empleado": 1}, afp=None, cost_center=""),
        employee("1004", {"Salario": 1}, eps="Nueva EPS", afp="Colfondos"),  # needs neither
    )
    mapping = sample()
    del mapping.accounts["payable"]
    expected = [
        "[accounts] has no payable account (where net pay is owed)",
        "concept 'Bonificación' is not in the mapping (employees 1001, 1002)",
        "cost center 'Bodega' is not in [cost_centers] (employee 1001)",
        "EPS 'Nueva EPS' is not in [entities] (employee 1002)",
        "no AFP in the export, but the mapping needs one (employee 1003)",
    ]
    assert export_coverage(export, mapping) == expected
    mapping.accounts["payable"] = AccountRef(id="5023")
    with pytest.raises(DataError) as caught:
        build_vouchers(export, mapping, CHART, NOV, VoucherOptions())
    assert caught.value.exit_code == 65
    assert caught.value.message == (
        f"{FILE}: the mapping does not cover the export: " + "; ".join(expected[1:])
    )
    assert caught.value.hint == "run `alegra-sync map`"


def test_coverage_accepts_a_nit_in_the_export_and_is_empty_when_covered() -> None:
    export = export_of(ANA, BRUNO, employee("1003", {"Salud empleado": 1}, eps=" 900226715 "))
    assert export_coverage(export, sample()) == []


def test_missing_payable_bank_or_chart_account_is_a_config_error() -> None:
    worker = employee("1001", {"Salario": 1_000})
    no_payable = sample()
    del no_payable.accounts["payable"]
    with pytest.raises(ConfigError, match=r"\[accounts\]\.payable") as caught:
        build(worker, mapping=no_payable)
    assert caught.value.exit_code == 78
    no_bank = sample()
    no_bank.payment.bank_account = None
    with pytest.raises(ConfigError, match="bank_account"):
        build(worker, mapping=no_bank)
    chart = {k: v for k, v in CHART.items() if k not in {"5053", "5072", "5023"}}
    with pytest.raises(ConfigError) as missing:
        build_vouchers(export_of(worker), sample(), chart, NOV, VoucherOptions())
    assert missing.value.exit_code == 78
    # only what this export uses: 5072 (Ventas' Salario) is not named
    assert missing.value.message == (
        "the mapping uses accounts that Alegra's chart lacks: "
        "5023 ([accounts].payable, Salario credit), 5053 (Salario debit)"
    )


def test_export_of_another_period_is_refused() -> None:
    export = export_of(employee("1001", {"Salario": 1_000}))
    export.period_start, export.period_end = date(2026, 10, 16), date(2026, 10, 31)
    with pytest.raises(DataError, match="not the period 2026-11-01..2026-11-15"):
        build_vouchers(export, sample(), CHART, NOV, VoucherOptions())


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


# --- hash and tag ---------------------------------------------------------------------------


def test_content_hash_is_stable_and_sensitive() -> None:
    base = build(ANA, BRUNO).content_hash
    assert len(base) == 8 and int(base, 16) >= 0
    assert build(BRUNO, ANA).content_hash == base
    changed_amount = replace(BRUNO, amounts={**BRUNO.amounts, "ARL": Decimal(11_224)})
    changed_center = replace(ANA, cost_center="Ventas", neto=None)
    changed_date = replace(ANA, payment_date=date(2026, 11, 14))
    variants = {
        build(ANA, changed_amount).content_hash,
        build(changed_center, BRUNO).content_hash,
        build(changed_date, BRUNO).content_hash,
        build(ANA, BRUNO, detail="summary").content_hash,
        build(ANA, BRUNO, journal_date=date(2026, 11, 14)).content_hash,
        build(ANA, BRUNO, precision=2).content_hash,
    }
    assert base not in variants and len(variants) == 6
    renamed = {**CHART, "5053": replace(CHART["5053"], name="Salarios")}
    again = build_vouchers(export_of(ANA, BRUNO), sample(), renamed, NOV, VoucherOptions())
    assert again.content_hash == base  # names are not content


def test_document_tag_round_trip() -> None:
    tag = document_tag("2026-11-01/J1", "3fa2c1d0")
    assert tag == "alegra-sync 2026-11-01/J1 #3fa2c1d0"
    assert parse_document_tag(tag) == ("2026-11-01/J1", "3fa2c1d0")
    text = "Pago nómina alegra-sync 2026-11-16/P-1020304 #00ff00aa Nómina 2026-11-16 a 2026-11-30"
    assert parse_document_tag(text) == ("2026-11-16/P-1020304", "00ff00aa")
    assert parse_document_tag(document_tag("2026-11-01/P2", "abcdef12") + ".") == (
        "2026-11-01/P2", "abcdef12",
    )
    for other in (None, "", "Nómina de noviembre", "alegra-sync 2026-11-01/J1 #3fa2c1",
                  "alegra-sync 2026-11-01/J1 #3fa2c1d0ff", "alegra-sync J1 #3fa2c1d0"):
        assert parse_document_tag(other) is None


# --- payloads -------------------------------------------------------------------------------


def test_journal_payload_shape() -> None:
    plan = build(employee("1001", {"Salario": 1_000, "Salud empleado": 40, "Libranza": 10},
                          name="Ana Gómez"))
    contacts = {Party("employee", "1001", "?"): "77", Party("entity", "800088702", "?", "NIT"): "9"}
    body = journal_payload(plan.journals[0], plan, contacts, number_template="12")
    assert body == {
        "date": "2026-11-15",
        "reference": f"alegra-sync 2026-11-01/J1 #{plan.content_hash}",
        "observations": "Nómina 2026-11-01 a 2026-11-15 — alegra-sync 2026-11-01/J1",
        "entries": [
            {"id": "5053", "debit": 1_000, "client": "77", "costCenter": {"id": "1"},
             "description": "Sueldos — Ana Gómez"},
            {"id": "5015", "credit": 40, "client": "9",
             "description": "Aportes a entidades promotoras de salud EPS — EPS Sura"},
            {"id": "5018", "credit": 10, "description": "Libranzas"},
            {"id": "5023", "credit": 950, "client": "77",
             "description": "Salarios por pagar — Ana Gómez"},
        ],
        "numberTemplate": {"id": "12"},
    }
    assert type(body["entries"][0]["debit"]) is int
    assert "numberTemplate" not in journal_payload(plan.journals[0], plan, contacts)
    with pytest.raises(ConfigError, match=r"no Alegra contact for Ana Gómez \(CC 1001\)"):
        journal_payload(plan.journals[0], plan, {})


def test_journal_payload_keeps_fractional_decimals() -> None:
    plan = build(employee("1001", {"Salario": "1000.50"}), precision=2, detail="summary")
    entries = journal_payload(plan.journals[0], plan, {})["entries"]
    assert entries[0]["debit"] == Decimal("1000.50") and type(entries[0]["debit"]) is Decimal
    assert entries[1]["credit"] == Decimal("1000.50")


def test_payment_payload_shapes() -> None:
    plan = build(ANA, BRUNO)
    body = payment_payload(plan.payments[0], plan, {})
    assert body == {
        "type": "out",
        "date": "2026-11-15",
        "bankAccount": {"id": "2"},
        "paymentMethod": "transfer",
        "categories": [{"id": "5023", "price": 2_986_000, "quantity": 1,
                        "observations": "Nómina 2026-11-01 a 2026-11-15"}],
        "observations": f"alegra-sync 2026-11-01/P1 #{plan.content_hash} "
                        "Nómina 2026-11-01 a 2026-11-15",
    }
    assert parse_document_tag(body["observations"]) == ("2026-11-01/P1", plan.content_hash)
    mapping = sample()
    mapping.payment.mode = "per-employee"
    mapping.payment.method = "cash"
    per = build(ANA, mapping=mapping)
    body = payment_payload(per.payments[0], per, {Party("employee", "1001", "x"): "55"})
    assert body["client"] == {"id": "55"}
    assert body["paymentMethod"] == "cash"
    assert body["categories"][0]["observations"] == "Nómina 2026-11-01 a 2026-11-15 — Ana Gómez"
    assert body["observations"].startswith(f"alegra-sync 2026-11-01/P-1001 #{per.content_hash} ")
    with pytest.raises(ConfigError):
        payment_payload(per.payments[0], per, {})
