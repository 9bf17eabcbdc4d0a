"""What differs between what Alegra holds for a period and the period's new plan. Pure.

The refusal of a changed period must say which changed: the **export** (amounts, employees,
concepts) or the **mapping** (accounts, terceros, cost centers). The export is what decides the
net pay: the posted payable per employee (or in total) against the plan's net pay per employee
tells them apart. Same totals and the same net pay for everyone, but lines on other accounts,
terceros or cost centers: the mapping changed. Another net pay, or another employee: the
export changed. The same net pay with other totals (a tercero that no longer nets against
another line) may be either, and is said so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal, NamedTuple

from alegra_sync.i18n import T, Text, joined
from alegra_sync.vouchers.model import Party, VoucherPlan
from alegra_sync.vouchers.payloads import format_amount

ZERO = Decimal(0)
SHOWN = 8  # names listed per kind; "…" says there are more

ChangeKind = Literal["export", "mapping", "either"]


class PostedLine(NamedTuple):
    """A journal line as Alegra holds it: account id, contact id, debit, credit."""

    account_id: str
    contact_id: str | None
    debit: Decimal
    credit: Decimal
    cost_center_id: str | None = None


class PostedPayment(NamedTuple):
    """An egreso as Alegra holds it."""

    key: str
    bank_account_id: str | None
    date: date
    amount: Decimal
    contact_id: str | None = None


@dataclass
class PeriodChange:
    """What changed, as the refusal tells it."""

    kind: ChangeKind
    debits_posted: Decimal
    debits_now: Decimal
    net_posted: Decimal | None  # the payable's net credit as posted (None: no journal read)
    net_now: Decimal
    # what the lists hold is drawn in either language: "Ana (1001): 1.000 → 1.200"
    net_changes: list[str | Text] = field(default_factory=list)
    accounts: list[str] = field(default_factory=list)
    employees: list[str] = field(default_factory=list)
    terceros: list[str] = field(default_factory=list)
    cost_centers: list[str] = field(default_factory=list)
    egresos: list[str | Text] = field(default_factory=list)

    def message(self, period: str) -> Text:
        details = joined("; ", self._parts())
        if self.kind == "mapping":
            return T("period {period} was posted with a different mapping: the same totals "
                     "(debits {debits}) and the same net pay for every employee, on other "
                     "accounts, terceros or cost centers: {details}", period=period,
                     debits=money(self.debits_now), details=details)
        if self.kind == "export":
            return T("period {period} was posted from a different export: {details}",
                     period=period, details=details)
        return T("period {period} was posted with other content (the export or the mapping "
                 "changed): {details}", period=period, details=details)

    def hint(self, period: str) -> Text:
        if self.kind == "mapping":
            return T("if the new mapping is right, `alegra-sync sync --period {period} --replace` "
                     "posts the period again with it (`--dry-run --replace` first shows what it "
                     "would delete, void and post)", period=period)
        return T("check the export; `alegra-sync sync --period {period} --replace` replaces "
                 "what is posted (`--dry-run --replace` first shows what it would delete, void "
                 "and post)", period=period)

    def _parts(self) -> list[Text]:
        parts: list[Text] = []
        if self.kind != "mapping" and self.debits_posted != self.debits_now:
            parts.append(T("debits {posted} posted, {now} now",
                           posted=money(self.debits_posted), now=money(self.debits_now)))
        if self.net_posted is not None and self.net_posted != self.net_now:
            parts.append(T("net pay {posted} posted, {now} now",
                           posted=money(self.net_posted), now=money(self.net_now)))
        if self.net_changes:
            parts.append(T("net pay per employee: {names}", names=_first(self.net_changes)))
        if self.accounts:
            parts.append(T("accounts {names}", names=_first(self.accounts)))
        if self.cost_centers:
            parts.append(T("cost centers {names}", names=_first(self.cost_centers)))
        if self.employees and self.kind != "export":
            parts.append(T("employees {names}", names=_first(self.employees)))
        if self.terceros:
            parts.append(T("terceros {names}", names=_first(self.terceros)))
        if self.egresos:
            parts.append(T("egresos: {names}", names=_first(self.egresos)))
        return parts or [T("the documents differ")]


def money(amount: Decimal) -> str:
    """1.234.567, or 1.234.567,50 when there are cents."""
    return format_amount(amount, 0 if amount == amount.to_integral_value() else 2)


def party_label(party: Party) -> str:
    """``Ana Gómez (1001)``; one known only by its number: ``NIT 899999239``."""
    if party.name == party.identification:
        return f"{party.id_type} {party.identification}"
    return f"{party.name} ({party.identification})"


def _first(names: Sequence[str | Text]) -> Text:
    return joined(", ", [*names[:SHOWN], *(["…"] if len(names) > SHOWN else [])])


def describe_change(
    posted: Iterable[PostedLine], plan: VoucherPlan, contact_ids: Mapping[Party, str],
    account_labels: Mapping[str, str], *,
    payments: Iterable[PostedPayment] = (),
    cost_center_labels: Mapping[str, str] | None = None,
    bank_labels: Mapping[str, str] | None = None,
    known_contacts: Mapping[str, Party] | None = None,
) -> PeriodChange:
    """Compare the posted journal lines (and egresos) of a period with its new plan.
    ``known_contacts`` names the contacts the plan no longer has (Alegra id → tercero)."""
    posted = list(posted)
    centers = cost_center_labels or {}
    payable = _payable_account(plan)
    by_contact = {**(known_contacts or {}),
                  **{contact: party for party, contact in contact_ids.items()}}

    Key = tuple[str, str | None, str | None]  # account, cost center, contact
    old: dict[Key, Decimal] = defaultdict(Decimal)
    new: dict[Key, Decimal] = defaultdict(Decimal)
    for line in posted:
        old[(line.account_id, line.cost_center_id, line.contact_id)] += line.debit - line.credit
    for journal in plan.journals:
        for planned in journal.lines:
            contact = contact_ids.get(planned.party) if planned.party else None
            new[(planned.account_id, planned.cost_center_id, contact)] += (
                planned.debit - planned.credit)
    # without a posted comprobante (only egresos differ) its lines are not compared
    changed = [key for key in old.keys() | new.keys() if old[key] != new[key]] if posted else []

    debits_posted = sum((line.debit for line in posted), ZERO)
    net_posted: Decimal | None = None
    net_changes: list[str | Text] = []
    if posted and payable is not None:
        owed: dict[str | None, Decimal] = defaultdict(Decimal)
        for line in posted:
            if line.account_id == payable:
                owed[line.contact_id] += line.credit - line.debit
        net_posted = sum(owed.values(), ZERO)
        net_changes = _net_changes(owed, plan, contact_ids, by_contact)
    paid = list(payments)
    egresos = _egreso_changes(paid, plan, contact_ids, bank_labels or {})
    if not posted and paid:  # only egresos changed: their total is the net pay posted
        net_posted = sum((payment.amount for payment in paid), ZERO)

    export_changed = bool(net_changes) or (net_posted is not None and net_posted != plan.net_pay)
    if export_changed or any(_egreso_export_change(p, plan) for p in paid):
        kind: ChangeKind = "export"
    elif not posted or debits_posted == plan.debit_total:
        kind = "mapping"
    else:
        kind = "either"

    def label(contact: str | None) -> str | None:
        party = by_contact.get(contact or "")
        return party_label(party) if party else None

    return PeriodChange(
        kind=kind, debits_posted=debits_posted if posted else plan.debit_total,
        debits_now=plan.debit_total, net_posted=net_posted, net_now=plan.net_pay,
        net_changes=net_changes,
        accounts=sorted({account_labels.get(a, a) for a, _c, _p in changed}),
        cost_centers=sorted({centers.get(c, c) for _a, c, _p in changed
                             if c and not _same_cost_center_total(old, new, c)}),
        employees=sorted({name for _a, _c, p in changed if (name := label(p))
                          and by_contact[p or ""].kind == "employee"}),
        terceros=sorted({name for _a, _c, p in changed if (name := label(p))
                         and by_contact[p or ""].kind == "entity"}),
        egresos=egresos,
    )


def _payable_account(plan: VoucherPlan) -> str | None:
    """The account the egresos pay: where the net pay is owed."""
    return plan.payments[0].payable_account_id if plan.payments else None


def _net_changes(owed: Mapping[str | None, Decimal], plan: VoucherPlan,
                 contact_ids: Mapping[Party, str],
                 by_contact: Mapping[str, Party]) -> list[str | Text]:
    """Employees whose net pay as posted differs from the export's now (when the posted
    payable carries the employees as terceros; otherwise the totals tell)."""
    employees = {party.identification: party for party in contact_ids
                 if party.kind == "employee"}
    posted: dict[str, Decimal] = {}
    for contact, amount in owed.items():
        party = by_contact.get(contact or "")
        if party is not None and party.kind == "employee":
            posted[party.identification] = amount
    unknown = [c for c in owed if c is not None and c not in by_contact and owed[c]]
    if not posted and not unknown:
        return []  # the payable was posted without terceros: compared in total
    found: list[str | Text] = []
    for identification in sorted(set(posted) | set(plan.net_by_employee)):
        before, now = posted.get(identification), plan.net_by_employee.get(identification)
        if (before or ZERO) == (now or ZERO):
            continue
        party = employees.get(identification)
        who = party_label(party) if party else identification
        if before is None:
            found.append(T("{employee}: new, {now}", employee=who, now=money(now or ZERO)))
        elif now is None:
            found.append(T("{employee}: {posted}, no longer in the export", employee=who,
                           posted=money(before)))
        else:
            found.append(f"{who}: {money(before)} → {money(now)}")
    found += [T("an employee no longer in the export (Alegra contact {id}): {posted}",
                id=contact, posted=money(owed[contact])) for contact in unknown]
    return found


def _same_cost_center_total(old: Mapping[tuple[str, str | None, str | None], Decimal],
                            new: Mapping[tuple[str, str | None, str | None], Decimal],
                            center: str) -> bool:
    """Whether a cost center carries the same amounts, account by account (a line that moved
    between terceros within it does not make the cost center a difference)."""
    def totals(sums: Mapping[tuple[str, str | None, str | None], Decimal]) -> dict[str, Decimal]:
        found: dict[str, Decimal] = defaultdict(Decimal)
        for (account, cc, _contact), amount in sums.items():
            if cc == center:
                found[account] += amount
        return {a: v for a, v in found.items() if v}
    return totals(old) == totals(new)


def _egreso_changes(paid: list[PostedPayment], plan: VoucherPlan,
                    contact_ids: Mapping[Party, str], banks: Mapping[str, str]
                    ) -> list[str | Text]:
    drafts = {payment.key: payment for payment in plan.payments}
    found: list[str | Text] = []
    for payment in paid:
        draft = drafts.get(payment.key)
        if draft is None:
            found.append(T("{key} is no longer planned", key=payment.key))
            continue
        if payment.bank_account_id != draft.bank_account_id:
            found.append(T(
                "{key} bank account {posted} posted, {now} now", key=payment.key,
                posted=banks.get(payment.bank_account_id or "", payment.bank_account_id or "—"),
                now=banks.get(draft.bank_account_id, draft.bank_account_id)))
        if payment.date != draft.date:
            found.append(T("{key} date {posted} posted, {now} now", key=payment.key,
                           posted=payment.date.isoformat(), now=draft.date.isoformat()))
        if payment.amount != draft.amount:
            found.append(T("{key} amount {posted} posted, {now} now", key=payment.key,
                           posted=money(payment.amount), now=money(draft.amount)))
        client = contact_ids.get(draft.party) if draft.party else None
        if payment.contact_id != client:
            found.append(T("{key} tercero changed", key=payment.key))
    return found


def _egreso_export_change(payment: PostedPayment, plan: VoucherPlan) -> bool:
    """An egreso whose amount or date differs: the export's net pay or payment date."""
    draft = next((p for p in plan.payments if p.key == payment.key), None)
    return draft is None or draft.amount != payment.amount or draft.date != payment.date
