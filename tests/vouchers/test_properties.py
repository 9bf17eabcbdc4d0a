"""200 employees with random cents and random distributions (hypothesis, seeded): whatever the
amounts, every comprobante balances exactly, every employee's payable is the export's rounded
Neto, the shares of each line add up to the line, and no ajuste exceeds the tolerance."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alegra_sync.mapping.model import Mapping
from alegra_sync.payroll.model import Employee, PayrollExport
from alegra_sync.periods import Period
from alegra_sync.vouchers.build import build_vouchers
from alegra_sync.vouchers.model import AccountInfo, VoucherOptions

D = Decimal
NOV = Period(date(2026, 11, 1), date(2026, 11, 15))
DEVENGOS = ("Salario", "Auxilio de transporte", "Horas extras")
DEDUCCIONES = ("Salud empleado", "Pensión empleado")
EMPLOYER = ("Pensión empleador", "Cesantías")  # P&L debit, balance-sheet credit
CENTERS = ("1", "2", "3", "4")
TOLERANCE = D(3)  # five concepts with cents: their rounding moves the net by 2,5 at most

# Each concept on its own expense account, so that a line's account says its concept.
EXPENSE = {"Salario": "6001", "Auxilio de transporte": "6002", "Horas extras": "6003",
           "Pensión empleador": "6004", "Cesantías": "6005"}
CHART = {
    **{account: AccountInfo(account, concept, f"5105{index:02d}", "expense")
       for index, (concept, account) in enumerate(EXPENSE.items())},
    "2505": AccountInfo("2505", "Salarios por pagar", "250505", "liability"),
    "2370": AccountInfo("2370", "Aportes EPS", "237005", "liability"),
    "2380": AccountInfo("2380", "Fondos de pensiones", "238030", "liability"),
    "2510": AccountInfo("2510", "Cesantías consolidadas", "251010", "liability"),
    "4295": AccountInfo("4295", "Ajuste al peso", "429581", "income"),
}


def mapping(distributions: dict[str, dict[str, Decimal]]) -> Mapping:
    concepts: dict[str, object] = {
        concept: {"debit": {"id": EXPENSE[concept]}, "credit": "payable",
                  "debit_tercero": "employee", "cost_center": True}
        for concept in DEVENGOS}
    concepts["Salud empleado"] = {"debit": "payable", "credit": {"id": "2370"},
                                  "credit_tercero": "eps"}
    concepts["Pensión empleado"] = {"debit": "payable", "credit": {"id": "2380"},
                                    "credit_tercero": "afp"}
    concepts["Pensión empleador"] = {"debit": {"id": "6004"}, "credit": {"id": "2380"},
                                     "debit_tercero": "employee", "credit_tercero": "afp",
                                     "cost_center": True}
    concepts["Cesantías"] = {"debit": {"id": "6005"}, "credit": {"id": "2510"},
                             "debit_tercero": "employee", "credit_tercero": "employee",
                             "cost_center": True}
    return Mapping.model_validate({
        "accounts": {"payable": {"id": "2505"}, "rounding": {"id": "4295"}},
        "concepts": concepts,
        "cost_centers": {"Uno": "1", "Dos": "2", **distributions},
        "entities": {"EPS Sura": "800088702", "Protección": "800138188"},
        "payment": {"bank_account": "2"},
    })


cents = st.integers(min_value=0, max_value=99)
distribution = st.lists(st.integers(min_value=1, max_value=99), min_size=2, max_size=4)


@st.composite
def payrolls(draw: st.DrawFn) -> tuple[PayrollExport, Mapping]:
    """200 employees, amounts with random cents, on two plain cost centers or one of three
    random distributions (percentages with two decimals adding up to exactly 100)."""
    shared: dict[str, dict[str, Decimal]] = {}
    for name in ("Compartido A", "Compartido B", "Compartido C"):
        weights = draw(distribution)
        hundredths = [w * 10_000 // sum(weights) for w in weights]
        hundredths[0] += 10_000 - sum(hundredths)
        shared[name] = {center: D(h) / 100 for center, h in zip(CENTERS, hundredths,
                                                                 strict=False)}
    people = []
    names = ["Uno", "Dos", *shared]
    for index in range(200):
        salary = D(draw(st.integers(min_value=1_300_000, max_value=9_000_000)))

        def centavos(offset: int, index: int = index) -> Decimal:
            # random, but never all zero: even hypothesis' simplest payroll has cents
            return D((draw(cents) + 37 * index + offset) % 100) / 100

        amounts = {
            "Salario": salary + centavos(0),
            "Auxilio de transporte": D(draw(st.sampled_from([0, 162_000]))) + centavos(11),
            "Horas extras": D(draw(st.integers(min_value=0, max_value=300_000))) + centavos(23),
            "Salud empleado": (salary * D("0.04")).quantize(D("0.01")) + centavos(51),
            "Pensión empleado": (salary * D("0.04")).quantize(D("0.01")),
            "Pensión empleador": (salary * D("0.12")).quantize(D("0.01")),
            "Cesantías": (salary * D("0.0833")).quantize(D("0.01")),
        }
        devengos = sum((amounts[c] for c in DEVENGOS), D(0))
        deducciones = sum((amounts[c] for c in DEDUCCIONES), D(0))
        people.append(Employee(
            identification=str(10_000_000 + index), name=f"Empleado {index}",
            # every kind of cost center appears, whatever is drawn
            cost_center=names[(draw(st.integers(min_value=0, max_value=4)) + index) % 5],
            eps="EPS Sura", afp="Protección", amounts=amounts,
            neto=devengos - deducciones,  # the export's Neto: exact, before any rounding
            row=index + 2,
        ))
    export = PayrollExport(Path("nomina.csv"), NOV.start, NOV.end, [*DEVENGOS, *DEDUCCIONES,
                                                                    *EMPLOYER], people)
    return export, mapping(shared)


def rounded(value: Decimal) -> Decimal:
    return value.quantize(D(1), ROUND_HALF_UP)


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(payroll=payrolls(), detail=st.sampled_from(["employee", "employee", "summary"]))
def test_two_hundred_employees_with_cents_and_distributions(
        payroll: tuple[PayrollExport, Mapping], detail: str) -> None:
    export, shared_mapping = payroll
    options = VoucherOptions(detail=detail, precision=0,  # type: ignore[arg-type]
                             rounding_tolerance=TOLERANCE, max_entries=600)
    plan = build_vouchers(export, shared_mapping, CHART, NOV, options)

    for journal in plan.journals:  # every voucher balances exactly
        assert journal.debit_total == journal.credit_total
    netos = {e.identification: rounded(e.neto or D(0)) for e in export.employees}
    assert plan.net_by_employee == netos  # the payable is the export's rounded Neto
    assert sum((p.amount for p in plan.payments), D(0)) == sum(netos.values(), D(0))
    assert all(abs(ajuste) <= TOLERANCE for ajuste in plan.adjustments.values())
    # what is tested is there: shared employees and ajustes both appear
    assert plan.distributions and plan.adjustments

    if detail != "employee":
        return
    payable: dict[str, Decimal] = defaultdict(Decimal)
    spent: dict[tuple[str, str], Decimal] = defaultdict(Decimal)  # (employee, account)
    spent_by_center: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    for journal in plan.journals:
        for line in journal.lines:
            assert line.party is not None or line.account_id in ("2370", "2380")
            who = line.party.identification if line.party else ""
            if line.account_id == "2505":
                payable[who] += line.credit - line.debit
            elif line.account_id.startswith("6"):
                assert line.cost_center_id is not None  # every P&L line has its share's
                spent[(who, line.account_id)] += line.debit - line.credit
                spent_by_center[(who, line.account_id, line.cost_center_id)] += line.debit
    assert dict(payable) == netos  # per employee, the payable nets to the Neto
    for employee in export.employees:
        shares = plan.distributions.get(employee.identification)
        for concept, account in EXPENSE.items():
            amount = rounded(employee.amounts[concept])
            # the shares of each line add up to the line
            assert spent.get((employee.identification, account), D(0)) == amount
            if shares is None:
                continue
            for center, percentage in shares:  # and each share is within a peso of its part
                share = spent_by_center.get((employee.identification, account, center), D(0))
                assert abs(share - amount * percentage / 100) < 1
