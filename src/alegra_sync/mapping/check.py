"""Does a mapping cover what an export names? (accounting.md, "The mapping")

Two sides: ``export_coverage`` (what the export names, the mapping must cover: every concept
with an amount, every cost-center name, every EPS/AFP name, the payable account → 65) and
``chart_problems`` (what the mapping names, Alegra must have: accounts active and taking
postings, cost centers, the bank account → 78).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Literal

from alegra_sync.alegra.models import Account, BankAccount, CostCenter
from alegra_sync.i18n import T, Text, Tn
from alegra_sync.mapping.model import AccountRef, Mapping, shares_of
from alegra_sync.payroll.identity import identification_key
from alegra_sync.payroll.model import PayrollExport

_SHOWN = 3  # employees named per problem; the rest are counted


def entity_nit(mapping: Mapping, name: str) -> str | None:
    """The NIT an export's EPS/AFP value stands for, without dots or check digit: via
    [entities], or the value itself when it is a NIT (exports that write ``800.088.702-2``)."""
    value = name.strip()
    nit = mapping.entity_nit_of(value)
    if nit is not None:
        return identification_key(nit)
    key = identification_key(value)
    return key if key.isdigit() else None


def export_coverage(export: PayrollExport, mapping: Mapping) -> list[Text]:
    """Every way ``mapping`` fails to cover ``export``, as one human line each; [] if none."""
    problems: list[Text] = []
    if mapping.payable is None:
        problems.append(T("[accounts] has no payable account (where net pay is owed)"))

    # unmapped concept -> identifications of employees with a non-zero amount on it
    unmapped: dict[str, list[str]] = {}
    mapped = mapping.concepts.keys()
    for employee in export.employees:
        amounts = employee.amounts
        for concept in amounts.keys() - mapped:
            if amounts[concept]:
                unmapped.setdefault(concept, []).append(employee.identification)
    order = {name: index for index, name in enumerate(export.concepts)}
    for concept in sorted(unmapped, key=lambda c: (order.get(c, len(order)), c)):
        problems.append(T("concept {concept} is not in the mapping ({who})",
                          concept=repr(concept), who=_who(unmapped[concept])))

    entity_kinds = _entity_kinds_by_concept(mapping)
    missing_cc: dict[str, list[str]] = {}
    missing_entity: dict[tuple[str, str], list[str]] = {}
    own_centers = mapping.employee_cost_center_index()
    for employee in export.employees:
        cost_center = (employee.cost_center or "").strip()
        if (cost_center and cost_center not in mapping.cost_centers
                and identification_key(employee.identification) not in own_centers):
            missing_cc.setdefault(cost_center, []).append(employee.identification)
        kinds = {
            kind
            for concept, needed in entity_kinds.items()
            if employee.amounts.get(concept)
            for kind in needed
        }
        for kind in sorted(kinds):
            value = (employee.eps if kind == "eps" else employee.afp) or ""
            if not value.strip() or entity_nit(mapping, value) is None:
                missing_entity.setdefault((kind, value.strip()), []).append(
                    employee.identification
                )
    for name, who in missing_cc.items():
        problems.append(T("cost center {name} is not in [cost_centers] ({who})",
                          name=repr(name), who=_who(who)))
    for (kind, value), who in missing_entity.items():
        label = kind.upper()
        if value:
            problems.append(T("{entity} {value} is not in [entities] ({who})", entity=label,
                              value=repr(value), who=_who(who)))
        else:
            problems.append(T("no {entity} in the export, but the mapping needs one ({who})",
                              entity=label, who=_who(who)))
    return problems


def _entity_kinds_by_concept(mapping: Mapping) -> dict[str, tuple[str, ...]]:
    """Concept -> the entity terceros ("eps", "afp") its sides need."""
    kinds: dict[str, tuple[str, ...]] = {}
    for concept, rule in mapping.concepts.items():
        needed = tuple(
            tercero
            for tercero in (rule.debit_tercero, rule.credit_tercero)
            if tercero == "eps" or tercero == "afp"
        )
        if needed:
            kinds[concept] = needed
    return kinds


def _who(identifications: list[str]) -> Text:
    shown = ", ".join(identifications[:_SHOWN])
    rest = len(identifications) - _SHOWN
    if rest > 0:
        return T("employees {shown} and {rest} more", shown=shown, rest=rest)
    return Tn("employee {shown}", "employees {shown}", len(identifications), shown=shown)


def mapped_accounts(mapping: Mapping, concepts: Iterable[str]) -> dict[str, list[str]]:
    """Account id -> where the mapping uses it (for the given concepts, overrides included)."""
    used: dict[str, list[str]] = {}

    def use(ref: AccountRef | None, where: str) -> None:
        if ref is not None:
            used.setdefault(ref.id, []).append(where)

    use(mapping.payable, "[accounts].payable")
    use(mapping.rounding, "[accounts].rounding")
    for concept in concepts:
        if concept not in mapping.concepts:
            continue
        sides: tuple[Literal["debit", "credit"], ...] = ("debit", "credit")
        for side in sides:
            use(mapping.account_for(concept, side, None), f"{concept} {side}")
            for cost_center, overrides in mapping.cost_center_accounts.items():
                override = overrides.get(concept)
                if override is not None and getattr(override, side) is not None:
                    use(mapping.account_for(concept, side, cost_center),
                        f"{concept} {side} ({cost_center})")
    return used


def chart_problems(
    mapping: Mapping,
    concepts: Iterable[str],
    chart: list[Account],
    cost_centers: list[CostCenter],
    bank_accounts: list[BankAccount],
    *,
    warn: Callable[[Text], None] | None = None,
) -> list[Text]:
    """Everything the mapping names that Alegra lacks or cannot use, one line each.

    A name kept beside an id that no longer matches Alegra's is only a warning: the id decides.
    """
    by_id = {account.id: account for account in chart}
    names = _kept_names(mapping)
    problems: list[Text] = []
    for account_id, places in mapped_accounts(mapping, concepts).items():
        where = ", ".join(places[:3]) + (" …" if len(places) > 3 else "")
        account = by_id.get(account_id)
        if account is None:
            problems.append(T("account {id} ({where}) does not exist in Alegra", id=account_id,
                              where=where))
        elif account.status != "active":
            problems.append(T("account {id} {name} ({where}) is inactive", id=account_id,
                              name=repr(account.name), where=where))
        elif account.use != "movement":
            problems.append(T("account {id} {name} ({where}) cannot take postings (it is a "
                              "group)", id=account_id, name=repr(account.name), where=where))
        elif warn is not None and names.get(account_id) not in (None, account.name):
            warn(T("account {id} is called {name} in Alegra, not {kept} as the mapping says "
                   "(the id decides)", id=account_id, name=repr(account.name),
                   kept=repr(names[account_id])))
    active_centers = {c.id for c in cost_centers if c.status == "active"}
    for name, target in mapping.cost_centers.items():
        for center_id, _percentage in shares_of(target):
            if center_id not in active_centers:
                problems.append(T("cost center {center} ({name}) does not exist or is "
                                  "inactive", center=center_id, name=repr(name)))
    for identification, target in mapping.employee_cost_centers.items():
        for center_id, _percentage in shares_of(target):
            if center_id not in active_centers:
                problems.append(T(
                    "cost center {center} ([employee_cost_centers] {employee}) does not exist "
                    "or is inactive", center=center_id, employee=repr(identification)))
    bank = mapping.payment.bank_account
    if bank is None:
        problems.append(T("[payment] has no bank_account for the egreso"))
    elif bank not in {b.id for b in bank_accounts if b.status == "active"}:
        problems.append(T("bank account {bank} ([payment]) does not exist or is inactive",
                          bank=bank))
    return problems


def _kept_names(mapping: Mapping) -> dict[str, str]:
    refs: list[AccountRef] = list(mapping.accounts.values())
    for rule in mapping.concepts.values():
        refs += [side for side in (rule.debit, rule.credit) if isinstance(side, AccountRef)]
    return {ref.id: ref.name for ref in refs if ref.name}
