"""What the period report needs beyond a comprobante's lines, from the export and the mapping.

The lines net every key (the payable nets to each employee's net pay), so they no longer say
an employee's devengos and deducciones, nor which concept group a cost is. These figures are
computed when the plan is built and kept in the state beside the lines (report.md, "Where it
comes from"), so that a posted period's report needs neither the export nor the mapping. Pure.

Concept groups (report.md, sections 1 and 5), decided from the mapping:
- ``devengo``: its credit is the payable account (owed to the employee);
- ``deduccion``: its debit is the payable account (taken from the employee's pay);
- otherwise an employer's cost: ``provision`` when its name is one of the social benefits
  provisioned (cesantías, intereses, prima, vacaciones), ``aporte`` when it is a contribution
  (salud, pensión, ARL, caja, ICBF, SENA…), else ``aporte`` when its credit goes to an entity
  (eps, afp, a NIT) and ``provision`` when it goes to the employee or to no one.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from alegra_sync.mapping.check import entity_nit
from alegra_sync.mapping.model import Mapping, NitTercero, shares_of
from alegra_sync.payroll.model import PayrollExport
from alegra_sync.vouchers.distribute import split
from alegra_sync.vouchers.model import ZERO, VoucherPlan

Group = Literal["devengo", "deduccion", "aporte", "provision"]
GROUPS: tuple[Group, ...] = ("devengo", "deduccion", "aporte", "provision")
COST_GROUPS: tuple[Group, ...] = ("devengo", "aporte", "provision")  # the payroll's cost
FIGURES_VERSION = 1

_PROVISION_WORDS = ("cesantia", "interes", "prima", "vacacion", "provision")
_APORTE_WORDS = ("salud", "pension", "arl", "riesgo", "caja", "compensacion", "icbf", "sena",
                 "parafiscal", "aporte")


@dataclass
class EmployeeFigures:
    identification: str
    name: str
    id_type: str
    cost_center: str | None  # the export's name
    cost_center_id: str | None  # Alegra's, from the mapping (None when the cost is shared)
    devengos: Decimal = ZERO
    deducciones: Decimal = ZERO
    aportes: Decimal = ZERO
    provisiones: Decimal = ZERO
    neto: Decimal = ZERO
    payment_key: str | None = None
    payment_date: str | None = None
    eps: str | None = None
    afp: str | None = None
    # the cost shared between cost centers: (Alegra id, percentage); one share of 100 % else
    shares: tuple[tuple[str, Decimal], ...] = ()


@dataclass
class ConceptFigures:
    concept: str
    group: Group
    amount: Decimal = ZERO
    by_cost_center: dict[str, Decimal] = field(default_factory=dict)  # id ("" none) -> amount


@dataclass
class PeriodFigures:
    export_file: str
    payable_account_id: str | None
    employees: list[EmployeeFigures]
    concepts: list[ConceptFigures]
    # credit accounts of the provisions: liabilities to the employees, not to the entities
    provision_accounts: list[str] = field(default_factory=list)
    rounding_account_id: str | None = None
    version: int = FIGURES_VERSION

    def total(self, group: Group) -> Decimal:
        return sum((c.amount for c in self.concepts if c.group == group), ZERO)


def _plain(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in folded if not unicodedata.combining(c))


def concept_group(mapping: Mapping, concept: str, cost_center: str | None = None) -> Group:
    if mapping.is_payable(mapping.account_for(concept, "credit", cost_center)):
        return "devengo"
    if mapping.is_payable(mapping.account_for(concept, "debit", cost_center)):
        return "deduccion"
    name = _plain(concept)
    if any(word in name for word in _PROVISION_WORDS):
        return "provision"
    if any(word in name for word in _APORTE_WORDS):
        return "aporte"
    tercero = mapping.concepts[concept].credit_tercero
    return "aporte" if tercero in ("eps", "afp") or isinstance(tercero, NitTercero) \
        else "provision"


def period_figures(export: PayrollExport, mapping: Mapping, plan: VoucherPlan, *,
                   precision: int, negative_deductions: bool = False) -> PeriodFigures:
    """Per employee and per concept, the amounts as the builder rounds them."""
    quantum = Decimal(1).scaleb(-precision)
    paid_by = {e: p for p in plan.payments for e in p.employees}
    dates = {p.key: p.date.isoformat() for p in plan.payments}
    groups: dict[tuple[str, str | None], Group] = {}
    concepts: dict[str, ConceptFigures] = {}
    employees: list[EmployeeFigures] = []
    provision_accounts: set[str] = set()
    for employee in export.employees:
        center = (employee.cost_center or "").strip() or None
        target = mapping.cost_centers.get(center) if center else None
        shares = plan.distributions.get(employee.identification) or (
            shares_of(target) if target is not None else ())
        payment = paid_by.get(employee.identification)
        row = EmployeeFigures(
            employee.identification, employee.name, employee.id_type or "CC", center,
            shares[0][0] if len(shares) == 1 else None,
            neto=plan.net_by_employee.get(employee.identification, ZERO),
            payment_key=payment.key if payment else None,
            payment_date=dates[payment.key] if payment else None,
            eps=_entity(mapping, employee.eps), afp=_entity(mapping, employee.afp),
            shares=tuple(shares))
        for concept, raw in employee.amounts.items():
            amount = raw.quantize(quantum, ROUND_HALF_UP) if raw else ZERO
            if not amount:
                continue
            group = groups.get((concept, center))
            if group is None:
                group = groups[(concept, center)] = concept_group(mapping, concept, center)
                if group == "provision":
                    provision_accounts.add(mapping.account_for(concept, "credit", center).id)
            if group == "deduccion" and amount < 0 and negative_deductions:
                amount = -amount
            figures = concepts.get(concept)
            if figures is None:
                figures = concepts[concept] = ConceptFigures(concept, group)
            figures.amount += amount
            parts = split(amount, shares, precision) if shares else [amount]
            for (center_id, _share), part in zip(shares or (("", ZERO),), parts, strict=True):
                figures.by_cost_center[center_id] = (figures.by_cost_center.get(center_id, ZERO)
                                                     + part)
            if group == "devengo":
                row.devengos += amount
            elif group == "deduccion":
                row.deducciones += amount
            elif group == "aporte":
                row.aportes += amount
            else:
                row.provisiones += amount
        employees.append(row)
    rounding = mapping.accounts.get("rounding")
    return PeriodFigures(
        export_file=export.file,
        payable_account_id=mapping.payable.id if mapping.payable else None,
        employees=employees,
        concepts=[concepts[c] for c in export.concepts if c in concepts],
        provision_accounts=sorted(provision_accounts),
        rounding_account_id=rounding.id if rounding else None,
    )


def _entity(mapping: Mapping, value: str | None) -> str | None:
    if not value:
        return None
    return entity_nit(mapping, value) or value


# --- kept in the state as JSON (amounts as exact decimal text) ------------------------------


def figures_to_json(figures: PeriodFigures) -> str:
    return json.dumps(asdict(figures), default=str, ensure_ascii=False, separators=(",", ":"))


def figures_from_json(text: str) -> PeriodFigures:
    data: dict[str, Any] = json.loads(text)
    money = ("devengos", "deducciones", "aportes", "provisiones", "neto")
    employees = []
    for item in data["employees"]:
        values: dict[str, Any] = {k: Decimal(v) if k in money else v for k, v in item.items()}
        values["shares"] = tuple((center, Decimal(share))
                                 for center, share in values.get("shares", ()))
        employees.append(EmployeeFigures(**values))
    concepts = [ConceptFigures(c["concept"], c["group"], Decimal(c["amount"]),
                               {k: Decimal(v) for k, v in c["by_cost_center"].items()})
                for c in data["concepts"]]
    return PeriodFigures(
        export_file=data["export_file"], payable_account_id=data["payable_account_id"],
        employees=employees, concepts=concepts,
        provision_accounts=list(data.get("provision_accounts", [])),
        rounding_account_id=data.get("rounding_account_id"),
        version=int(data.get("version", FIGURES_VERSION)),
    )
