"""Export + mapping + company precision → journal and payment drafts. Pure: no I/O.

accounting.md, "Building the vouchers", is the spec. Every (employee, concept) amount becomes
a debit and a credit of the same rounded amount, so every concept balances by itself; lines
are then aggregated per key and netted (rules.py: the keys, the rules, the hot loop). A line
that takes a cost center is split into one line per share of the employee's distribution
(distribute.py); a payable that the export's Neto says is off by a rounding difference takes
the ajuste al peso (rounding.py).

Decisions beyond the spec:
- ``summary`` detail drops every tercero (keys are (account, cost center)); net pay is still
  per employee because it is computed before aggregation.
- A tercero is identified by (kind, identification, id_type), the identification compared
  without dots, dashes or check digit; its ``name`` is only for creating the contact, so the
  same NIT reached through a name and through digits is one line.
- Line descriptions (the payroll concepts and, in employee detail, the employee) are not part
  of the content hash: a description that changes alone does not make a posted period look
  "changed"; nor does renaming an account in Alegra.
- The ajuste al peso's pair keeps apart from the concepts' lines (its own key), carries the
  employee in employee detail and no cost center, and is described "Ajuste al peso".
- Employees go in identification order, numeric identifications numerically.
"""

from __future__ import annotations

from collections.abc import Mapping as Lookup  # "Mapping" is the mapping.toml model here
from datetime import date
from decimal import Decimal

from alegra_sync._gc import collector_paused
from alegra_sync.errors import ConfigError, DataError
from alegra_sync.i18n import T, joined
from alegra_sync.mapping.check import export_coverage
from alegra_sync.mapping.model import Mapping, Share
from alegra_sync.payroll.identity import identification_key
from alegra_sync.payroll.model import Employee, PayrollExport
from alegra_sync.periods import Period
from alegra_sync.vouchers.model import (
    ZERO,
    AccountInfo,
    JournalDraft,
    Line,
    Party,
    PaymentDraft,
    VoucherOptions,
    VoucherPlan,
)
from alegra_sync.vouchers.payloads import (
    as_written,
    content_hash,
    format_amount,
    legacy_content_hash,
)
from alegra_sync.vouchers.rounding import AJUSTE_AL_PESO, check_totals, settle_net
from alegra_sync.vouchers.rules import (
    MAP_HINT,
    PNL_TYPES,
    ROUNDING_PREFIX,
    Masks,
    Rules,
    Sums,
    employee_order,
)

__all__ = ["PNL_TYPES", "build_vouchers", "employee_order"]

DESCRIPTION_LIMIT = 255  # Alegra cuts a line's description there (alegra-api.md)


def _add(into: Sums, sums: Sums, sign: int = 1) -> int:
    """Add (or with sign -1, take back) ``sums``; returns the change in non-zero keys."""
    get = into.get
    change = 0
    for key, amount in sums.items():
        old = get(key, ZERO)
        new = old + amount if sign > 0 else old - amount
        into[key] = new
        change += bool(new) - bool(old)
    return change


def _count(sums: Sums) -> int:
    return sum(1 for amount in sums.values() if amount)


_Part = tuple[list[Employee], Sums]


class _Parts:
    """Greedy journals of whole employees, each aggregating to at most ``max_entries`` lines.

    Cheap for 10,000 employees: an employee is added once, and taken back only when it
    overflows the current part, which then closes.
    """

    def __init__(self, max_entries: int, period: Period) -> None:
        self.max_entries, self.period = max_entries, period
        self.closed: list[_Part] = []
        self.members: list[Employee] = []
        self.sums: Sums = {}
        self.count = 0
        self.too_big: tuple[Employee, int] | None = None

    def add(self, employee: Employee, sums: Sums) -> None:
        change = _add(self.sums, sums)
        if self.count + change > self.max_entries and self.members:
            _add(self.sums, sums, -1)
            self.closed.append((self.members, self.sums))
            self.members, self.sums, self.count = [], {}, 0
            change = _add(self.sums, sums)
        if change > self.max_entries and self.too_big is None:
            self.too_big = (employee, change)  # fatal only if the period needs splitting
        self.members.append(employee)
        self.count += change

    def finish(self) -> list[_Part]:
        parts = [*self.closed, (self.members, self.sums)]
        if len(parts) > 1:
            # netting can make the whole period smaller than one of its greedy prefixes
            whole: Sums = {}
            for _members, sums in parts:
                _add(whole, sums)
            if _count(whole) <= self.max_entries:
                return [([e for members, _sums in parts for e in members], whole)]
        if self.too_big is not None:
            employee, needed = self.too_big
            raise DataError(
                T("period {period}: employee {id} ({name}) alone needs {needed} journal "
                  "lines, more than journal.max_entries = {max}", period=self.period.name,
                  id=employee.identification, name=employee.name, needed=needed,
                  max=self.max_entries),
                hint=T('raise journal.max_entries or set journal.detail = "summary"'),
            )
        return parts


class _Lines:
    """A part's non-zero keys as lines: debits first, then by account code/id, cost center,
    party; each described by its concepts and, in employee detail, its employee."""

    def __init__(self, rules: Rules, accounts: Lookup[str, AccountInfo]) -> None:
        self.rules, self.accounts = rules, accounts
        self.names = {bit: concept for concept, bit in rules.bits.items()}
        self._descriptions: dict[int, str] = {}

    def __call__(self, sums: Sums, masks: Masks) -> list[Line]:
        accounts, party_of = self.accounts, self.rules.party_of
        account_order = {
            account_id: (info.code is None, info.code or "", employee_order(account_id))
            for account_id in {key[0] for key in sums}
            for info in (accounts[account_id],)
        }
        parties = {found: party_of(found) for found in {key[2] for key in sums}}
        party_order = {
            found: employee_order(party.identification) if party else (-1, 0, "")
            for found, party in parties.items()
        }
        ordered = sorted(
            ((key, value) for key, value in sums.items() if value),
            key=lambda item: (
                item[1] < 0, account_order[item[0][0]], item[0][1], party_order[item[0][2]],
                item[0][2],
            ),
        )
        result = []
        for key, amount in ordered:
            account_id, cc, found = key
            party = parties[found]
            rounding = found.startswith(ROUNDING_PREFIX)
            result.append(Line(
                account_id=account_id,
                debit=amount if amount > 0 else ZERO,
                credit=-amount if amount < 0 else ZERO,
                party=party,
                cost_center_id=cc or None,
                description=self.describe(masks.get(key, 0), party, rounding),
                kind="rounding" if rounding else "concept",
            ))
        return result

    def describe(self, mask: int, party: Party | None, rounding: bool) -> str:
        """``Salario — Ana María Gómez Rincón``; aggregated: ``Salud empleado, Pensión
        empleado``; cut to what Alegra keeps."""
        what = AJUSTE_AL_PESO if rounding else self._concepts(mask)
        suffix = f" — {party.name}" if party and party.kind == "employee" and party.name else ""
        text = what + suffix
        return text if len(text) <= DESCRIPTION_LIMIT else _fit(what, suffix)

    def _concepts(self, mask: int) -> str:
        found = self._descriptions.get(mask)
        if found is None:
            names, rest = [], mask
            while rest:
                low = rest & -rest
                names.append(self.names[low])
                rest ^= low
            found = self._descriptions[mask] = ", ".join(names)
        return found


def _fit(what: str, suffix: str) -> str:
    """``what`` and ``suffix`` within DESCRIPTION_LIMIT: the concept list is cut at a name,
    with "…", before the employee's name is."""
    if len(what) + len(suffix) <= DESCRIPTION_LIMIT:
        return what + suffix
    room = DESCRIPTION_LIMIT - len(suffix) - 2
    cut = what[:room].rsplit(", ", 1)[0] if room > 0 else ""
    text = f"{cut} …{suffix}" if cut else f"…{suffix}"
    return text[:DESCRIPTION_LIMIT]


@collector_paused()  # many small objects, no cycles: see bulk.py
def build_vouchers(
    export: PayrollExport,
    mapping: Mapping,
    accounts: Lookup[str, AccountInfo],
    period: Period,
    options: VoucherOptions,
) -> VoucherPlan:
    """The period's journals and egresos, checked: covered, balanced, net pay agreeing (with
    the ajuste al peso where the mapping allows it)."""
    payable = mapping.payable
    if payable is None:
        raise ConfigError(
            T("the mapping has no [accounts].payable (where net pay is owed)"), hint=MAP_HINT
        )
    bank = mapping.payment.bank_account
    if not bank:
        raise ConfigError(
            T("the mapping has no [payment].bank_account for the egreso"), hint=MAP_HINT
        )
    problems = export_coverage(export, mapping)
    if problems:
        raise DataError(
            T("{file}: the mapping does not cover the export: {problems}", file=export.file,
              problems=joined("; ", problems)),
            hint=MAP_HINT,
        )
    if export.period_start not in (None, period.start) or export.period_end not in (
        None, period.end
    ):
        raise DataError(
            T("{file}: the export is for {start}..{end}, not the period {period}",
              file=export.file, start=export.period_start, end=export.period_end,
              period=period)
        )

    rules = Rules(mapping, accounts, options, export.concepts)
    employees = sorted(export.employees, key=lambda e: employee_order(e.identification))
    rules.prepare(employees)

    parts = _Parts(options.max_entries, period)
    net_by_employee: dict[str, Decimal] = {}
    distributions: dict[str, tuple[Share, ...]] = {}
    adjustments: dict[str, Decimal] = {}
    has_rounding = mapping.rounding is not None
    for employee in employees:
        sums, owed, deducted = rules.contribution(employee)
        if employee.totals:  # which devengo or deducción is off: before the neto says "off"
            check_totals(export, employee, options, (owed, deducted), rules.raw_sums(employee))
        net = owed - deducted
        difference = settle_net(export, employee, net, options, has_rounding)
        if difference:
            _add(sums, rules.adjustment(employee, difference))
            adjustments[employee.identification] = difference
        net_by_employee[employee.identification] = net + difference
        shares = rules.shares(employee)
        if shares is not None:
            distributions[employee.identification] = shares
        parts.add(employee, sums)
    if export.totals_problem is not None:  # every employee agrees: the totals row is off
        raise export.totals_problem

    lines = _Lines(rules, accounts)
    journal_date = options.journal_date or period.end
    journals = [
        JournalDraft(
            key=f"{period.name}/J{index}",
            date=journal_date,
            lines=lines(sums, rules.masks(members)),
            employees=[employee.identification for employee in members],
        )
        for index, (members, sums) in enumerate(parts.finish(), start=1)
    ]
    for journal in journals:
        debit, credit = journal.debit_total, journal.credit_total
        if len(journal.lines) < 2:  # Alegra refuses it; amounts that net to nothing
            raise DataError(
                T("period {period}: nothing to post: the export's amounts net to zero",
                  period=period.name),
                hint=T("check the export"),
            )
        if debit != credit:
            raise DataError(
                T("period {period}: journal {key} does not balance: debits {debits}, credits "
                  "{credits}", period=period.name, key=journal.key,
                  debits=format_amount(debit, options.precision),
                  credits=format_amount(credit, options.precision)),
                hint=T("nothing was posted; check the mapping"),
            )

    payments = _payments(employees, net_by_employee, mapping, payable.id, bank,
                         period, options)
    current = content_hash(period, journals, payments, options.precision)
    legacy = {legacy_content_hash(period, journals, payments, options.precision)}
    if any(party.written for party in rules.parties.values()):
        legacy.add(content_hash(period, journals, payments, options.precision, as_written))
    return VoucherPlan(
        period=period,
        journals=journals,
        payments=payments,
        content_hash=current,
        legacy_hashes=frozenset(legacy - {current}),
        net_pay=sum(net_by_employee.values(), ZERO),
        net_by_employee=net_by_employee,
        debit_total=sum((journal.debit_total for journal in journals), ZERO),
        credit_total=sum((journal.credit_total for journal in journals), ZERO),
        distributions=distributions,
        adjustments=adjustments,
    )


def _payments(
    employees: list[Employee],
    net_by_employee: dict[str, Decimal],
    mapping: Mapping,
    payable_id: str,
    bank_id: str,
    period: Period,
    options: VoucherOptions,
) -> list[PaymentDraft]:
    settings = mapping.payment
    default_date = options.payment_date or period.end
    paid = [e for e in employees if net_by_employee[e.identification] > 0]
    if settings.mode == "per-employee":
        return [
            PaymentDraft(
                key=f"{period.name}/P-{employee.identification}",
                date=employee.payment_date or default_date,
                amount=net_by_employee[employee.identification],
                payable_account_id=payable_id,
                bank_account_id=bank_id,
                method=settings.method,
                party=Party("employee",
                            identification_key(employee.identification)
                            or employee.identification,
                            employee.name, employee.id_type or "CC", employee.person),
                employees=[employee.identification],
            )
            for employee in paid
        ]
    by_date: dict[date, list[Employee]] = {}
    for employee in paid:
        by_date.setdefault(employee.payment_date or default_date, []).append(employee)
    return [
        PaymentDraft(
            key=f"{period.name}/P{index}",
            date=day,
            amount=sum((net_by_employee[e.identification] for e in group), ZERO),
            payable_account_id=payable_id,
            bank_account_id=bank_id,
            method=settings.method,
            party=None,
            employees=[e.identification for e in group],
        )
        for index, (day, group) in enumerate(sorted(by_date.items()), start=1)
    ]
