"""Export + mapping + company precision → journal and payment drafts. Pure: no I/O.

accounting.md, "Building the vouchers", is the spec. Every (employee, concept) amount becomes
a debit and a credit of the same rounded amount, so every concept balances by itself; lines
are then aggregated per key and netted. Internally a key's value is signed (debit positive),
which makes "a negative amount swaps the sides" and "net debit against credit" the same sum.

Decisions beyond the spec:
- ``summary`` detail drops every tercero (keys are (account, cost center)); net pay is still
  per employee because it is computed before aggregation.
- A tercero is identified by (kind, identification, id_type); its ``name`` is only for
  creating the contact, so the same NIT reached through a name and through digits is one line.
- Line descriptions (account and tercero names) are not part of the content hash: renaming an
  account in Alegra does not make a posted period look "changed".
- Employees go in identification order, numeric identifications numerically.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping as Lookup  # "Mapping" is the mapping.toml model here
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from alegra_sync._gc import collector_paused
from alegra_sync.errors import ConfigError, DataError, ExportRowError
from alegra_sync.mapping.check import entity_nit, export_coverage, mapped_accounts
from alegra_sync.mapping.model import Mapping, NitTercero
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
from alegra_sync.vouchers.payloads import content_hash, format_amount, legacy_content_hash

# What a totals column is called when the export does not say (a PayrollExport built in code).
_TOTAL_HEADERS = {"total_devengado": "Total devengado", "total_deducciones": "Total deducciones"}
PNL_TYPES = frozenset({"income", "expense", "cost", "productionCost"})
MAP_HINT = "run `alegra-sync map`"


# A key of aggregation: (account id, cost center id or "", party token or "").
_Key = tuple[str, str, str]


class _Rule(NamedTuple):
    """One concept for one cost center, resolved: accounts, cost centers, tercero slots.

    A slot is "employee", "eps", "afp", "" (no tercero) or the token of a fixed party; an
    employee's slot table turns the first three into that employee's party tokens. A tuple,
    because the hot loop unpacks it.
    """

    debit_account: str
    debit_cc: str
    debit_slot: str
    credit_account: str
    credit_cc: str
    credit_slot: str
    debit_payable: bool  # also: a deduction, what negative_deductions applies to
    credit_payable: bool


def _token(party: Party) -> str:
    return f"{party.kind}|{party.id_type}|{party.identification}"


def employee_order(identification: str) -> tuple[int, int, str]:
    """Numeric identifications sort numerically, others after them as text."""
    text = identification.strip()
    return (0, len(text), text) if text.isdigit() else (1, 0, text)


class _Builder:
    def __init__(
        self,
        export: PayrollExport,
        mapping: Mapping,
        accounts: Lookup[str, AccountInfo],
        options: VoucherOptions,
    ) -> None:
        self.export, self.mapping, self.accounts, self.options = export, mapping, accounts, options
        self.summary = options.detail == "summary"
        self.parties: dict[str, Party] = {}
        self.nit_names = {nit: name for name, nit in reversed(list(mapping.entities.items()))}
        self.rules: dict[str | None, dict[str, _Rule]] = {}

    def entity(self, nit: str, name: str | None = None) -> str:
        party = Party("entity", nit, name or self.nit_names.get(nit, nit), "NIT")
        return self.register(party)

    def register(self, party: Party) -> str:
        token = _token(party)
        self.parties.setdefault(token, party)
        return token

    def slot(self, tercero: object) -> str:
        if self.summary or tercero is None:
            return ""
        if isinstance(tercero, NitTercero):
            return self.entity(tercero.nit)
        return str(tercero)  # "employee", "eps", "afp"

    def prepare_rules(self, employees: Iterable[Employee]) -> None:
        """Resolve every (cost center, concept) the export uses; all missing accounts at once."""
        needed: dict[str | None, set[str]] = {}
        for employee in employees:
            concepts = needed.setdefault(_cost_center(employee), set())
            amounts = employee.amounts
            concepts.update(concept for concept in amounts.keys() - concepts if amounts[concept])
        missing: set[str] = set()
        payable = self.mapping.payable
        if payable is not None and payable.id not in self.accounts:
            missing.add(payable.id)
        for cc_name, concepts in needed.items():
            cc_id = self.mapping.cost_centers.get(cc_name, "") if cc_name else ""
            table = self.rules.setdefault(cc_name, {})
            for concept in sorted(concepts):
                debit = self.mapping.account_for(concept, "debit", cc_name)
                credit = self.mapping.account_for(concept, "credit", cc_name)
                missing.update(ref.id for ref in (debit, credit) if ref.id not in self.accounts)
                if missing:
                    continue
                with_cc = self.mapping.concepts[concept].cost_center
                table[concept] = _Rule(
                    debit_account=debit.id,
                    debit_cc=cc_id if with_cc and self._is_pnl(debit.id) else "",
                    debit_slot=self.slot(self.mapping.tercero_for(concept, "debit", cc_name)),
                    credit_account=credit.id,
                    credit_cc=cc_id if with_cc and self._is_pnl(credit.id) else "",
                    credit_slot=self.slot(self.mapping.tercero_for(concept, "credit", cc_name)),
                    debit_payable=self.mapping.is_payable(debit),
                    credit_payable=self.mapping.is_payable(credit),
                )
        if missing:
            concepts = {concept for names in needed.values() for concept in names}
            places = mapped_accounts(self.mapping, sorted(concepts))
            raise ConfigError(
                "the mapping uses accounts that Alegra's chart lacks: "
                + ", ".join(f"{account_id} ({', '.join(places.get(account_id, [])[:3])})"
                            for account_id in sorted(missing, key=employee_order)),
                hint=f"{MAP_HINT} to pick existing accounts",
            )

    def _is_pnl(self, account_id: str) -> bool:
        return self.accounts[account_id].type in PNL_TYPES

    def employee_slots(self, employee: Employee) -> dict[str, str]:
        if self.summary:
            return {"": ""}
        slots = {"": "", "employee": self.register(
            Party("employee", employee.identification, employee.name, employee.id_type or "CC")
        )}
        for kind, value in (("eps", employee.eps), ("afp", employee.afp)):
            nit = entity_nit(self.mapping, value) if value else None
            if value and nit is not None:
                clean = value.strip()
                slots[kind] = self.entity(nit, None if clean.isdigit() else clean)
        return slots

    def contribution(
        self, employee: Employee
    ) -> tuple[dict[_Key, Decimal], Decimal, Decimal]:
        """The employee's signed per-key amounts (debit positive), devengos (owed to the
        employee: credit payable) and deducciones (debit payable); net pay is their
        difference."""
        rules = self.rules[_cost_center(employee)]
        slots = self.employee_slots(employee)
        quantum = Decimal(1).scaleb(-self.options.precision)
        flip_deductions = self.options.negative_deductions
        sums: dict[_Key, Decimal] = {}
        owed = deducted = ZERO
        get = sums.get
        for concept, raw in employee.amounts.items():
            if not raw:
                continue
            amount = raw.quantize(quantum, ROUND_HALF_UP)
            if not amount:
                continue
            debit, debit_cc, debit_slot, credit, credit_cc, credit_slot, debit_payable, \
                credit_payable = rules[concept]
            if amount < 0 and flip_deductions and debit_payable:
                amount = -amount
            # a slot that is no key of the table is a fixed party's token already
            debit_key = (debit, debit_cc, slots.get(debit_slot, debit_slot))
            credit_key = (credit, credit_cc, slots.get(credit_slot, credit_slot))
            sums[debit_key] = get(debit_key, ZERO) + amount
            sums[credit_key] = get(credit_key, ZERO) - amount
            if debit_payable:
                deducted += amount
            if credit_payable:
                owed += amount
        return sums, owed, deducted

    def check_totals(self, employee: Employee, owed: Decimal, deducted: Decimal) -> None:
        """The export's Total devengado / Total deducciones cells against the mapping's sums,
        rounded as check_net rounds the neto."""
        precision = self.options.precision
        quantum = Decimal(1).scaleb(-precision)
        for kind, written in employee.totals.items():
            column = self.export.total_columns.get(kind) or _TOTAL_HEADERS[kind]
            value = written
            if kind == "total_devengado":
                found, what = owed, "devengos"
            else:  # "total_deducciones"
                found, what = deducted, "deducciones"
                if value < 0 and self.options.negative_deductions:
                    value = -value  # written negative, as the deductions themselves
            total = value.quantize(quantum, ROUND_HALF_UP)
            if total != found:
                raise ExportRowError(
                    self.export.file,
                    f"employee {employee.identification} ({employee.name}): {column} "
                    f"{format_amount(total, precision)} but the mapping computes "
                    f"{format_amount(found, precision)}",
                    row=employee.row, column=column, value=_as_written(written),
                    hint=f"check the export or the mapping of its {what}",
                )

    def check_net(self, employee: Employee, net: Decimal) -> None:
        precision = self.options.precision
        who = f"employee {employee.identification} ({employee.name})"
        if employee.neto is not None:
            neto = employee.neto.quantize(Decimal(1).scaleb(-precision), ROUND_HALF_UP)
            if neto != net:
                raise ExportRowError(
                    self.export.file,
                    f"{who}: Neto a pagar {format_amount(neto, precision)} but the mapping "
                    f"computes {format_amount(net, precision)}",
                    row=employee.row,
                    hint="check the export or the mapping of its devengos and deducciones",
                )
        if net < 0:
            raise ExportRowError(
                self.export.file,
                f"{who}: negative net pay {format_amount(net, precision)}",
                row=employee.row,
                hint="deductions exceed devengos; check the export or the mapping",
            )

    def lines(self, sums: dict[_Key, Decimal]) -> list[Line]:
        """Non-zero keys as lines: debits first, then by account code/id, cost center, party."""
        accounts, parties = self.accounts, self.parties
        account_order = {
            account_id: (info.code is None, info.code or "", employee_order(account_id))
            for account_id in {key[0] for key in sums}
            for info in (accounts[account_id],)
        }
        party_order = {
            token: employee_order(parties[token].identification) if token else (-1, 0, "")
            for token in {key[2] for key in sums}
        }
        ordered = sorted(
            ((key, value) for key, value in sums.items() if value),
            key=lambda item: (
                item[1] < 0, account_order[item[0][0]], item[0][1], party_order[item[0][2]],
                item[0][2],
            ),
        )
        result = []
        for (account_id, cc, token), amount in ordered:
            party = parties[token] if token else None
            name = accounts[account_id].name
            result.append(Line(
                account_id=account_id,
                debit=amount if amount > 0 else ZERO,
                credit=-amount if amount < 0 else ZERO,
                party=party,
                cost_center_id=cc or None,
                description=f"{name} — {party.name}" if party else name,
            ))
        return result


def _as_written(value: Decimal) -> str:
    """An amount in Colombian style with its own decimals: 1.058.365 or 1.058.365,4."""
    exponent = value.as_tuple().exponent
    return format_amount(value, -exponent if isinstance(exponent, int) and exponent < 0 else 0)


def _cost_center(employee: Employee) -> str | None:
    return (employee.cost_center or "").strip() or None


def _add(into: dict[_Key, Decimal], sums: dict[_Key, Decimal], sign: int = 1) -> int:
    """Add (or with sign -1, take back) ``sums``; returns the change in non-zero keys."""
    get = into.get
    change = 0
    for key, amount in sums.items():
        old = get(key, ZERO)
        new = old + amount if sign > 0 else old - amount
        into[key] = new
        change += bool(new) - bool(old)
    return change


def _count(sums: dict[_Key, Decimal]) -> int:
    return sum(1 for amount in sums.values() if amount)


class _Parts:
    """Greedy journals of whole employees, each aggregating to at most ``max_entries`` lines.

    Cheap for 10,000 employees: an employee is added once, and taken back only when it
    overflows the current part, which then closes.
    """

    def __init__(self, max_entries: int, period: Period) -> None:
        self.max_entries, self.period = max_entries, period
        self.closed: list[tuple[list[Employee], dict[_Key, Decimal]]] = []
        self.members: list[Employee] = []
        self.sums: dict[_Key, Decimal] = {}
        self.count = 0
        self.too_big: tuple[Employee, int] | None = None

    def add(self, employee: Employee, sums: dict[_Key, Decimal]) -> None:
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

    def finish(self) -> list[tuple[list[Employee], dict[_Key, Decimal]]]:
        parts = [*self.closed, (self.members, self.sums)]
        if len(parts) > 1:
            # netting can make the whole period smaller than one of its greedy prefixes
            whole: dict[_Key, Decimal] = {}
            for _, sums in parts:
                _add(whole, sums)
            if _count(whole) <= self.max_entries:
                return [([e for members, _ in parts for e in members], whole)]
        if self.too_big is not None:
            employee, needed = self.too_big
            raise DataError(
                f"period {self.period.name}: employee {employee.identification} "
                f"({employee.name}) alone needs {needed} journal lines, more than "
                f"journal.max_entries = {self.max_entries}",
                hint='raise journal.max_entries or set journal.detail = "summary"',
            )
        return parts


@collector_paused()  # many small objects, no cycles: see bulk.py
def build_vouchers(
    export: PayrollExport,
    mapping: Mapping,
    accounts: Lookup[str, AccountInfo],
    period: Period,
    options: VoucherOptions,
) -> VoucherPlan:
    """The period's journals and egresos, checked: covered, balanced, net pay agreeing."""
    payable = mapping.payable
    if payable is None:
        raise ConfigError(
            "the mapping has no [accounts].payable (where net pay is owed)", hint=MAP_HINT
        )
    bank = mapping.payment.bank_account
    if not bank:
        raise ConfigError(
            "the mapping has no [payment].bank_account for the egreso", hint=MAP_HINT
        )
    problems = export_coverage(export, mapping)
    if problems:
        raise DataError(
            f"{export.file}: the mapping does not cover the export: " + "; ".join(problems),
            hint=MAP_HINT,
        )
    if export.period_start not in (None, period.start) or export.period_end not in (
        None, period.end
    ):
        raise DataError(
            f"{export.file}: the export is for {export.period_start}..{export.period_end}, "
            f"not the period {period}"
        )

    builder = _Builder(export, mapping, accounts, options)
    employees = sorted(export.employees, key=lambda e: employee_order(e.identification))
    builder.prepare_rules(employees)

    parts = _Parts(options.max_entries, period)
    net_by_employee: dict[str, Decimal] = {}
    for employee in employees:
        sums, owed, deducted = builder.contribution(employee)
        net = owed - deducted
        if employee.totals:  # which devengo or deducción is off: before the neto says "off"
            builder.check_totals(employee, owed, deducted)
        builder.check_net(employee, net)
        net_by_employee[employee.identification] = net
        parts.add(employee, sums)
    if export.totals_problem is not None:  # every employee agrees: the totals row is off
        raise export.totals_problem

    journal_date = options.journal_date or period.end
    journals = [
        JournalDraft(
            key=f"{period.name}/J{index}",
            date=journal_date,
            lines=builder.lines(sums),
            employees=[employee.identification for employee in members],
        )
        for index, (members, sums) in enumerate(parts.finish(), start=1)
    ]
    for journal in journals:
        debit, credit = journal.debit_total, journal.credit_total
        if len(journal.lines) < 2:  # Alegra refuses it; amounts that net to nothing
            raise DataError(
                f"period {period.name}: nothing to post: the export's amounts net to zero",
                hint="check the export",
            )
        if debit != credit:
            raise DataError(
                f"period {period.name}: journal {journal.key} does not balance: debits "
                f"{format_amount(debit, options.precision)}, credits "
                f"{format_amount(credit, options.precision)}",
                hint="nothing was posted; check the mapping",
            )

    payments = _payments(employees, net_by_employee, builder, payable.id, bank, period)
    current = content_hash(period, journals, payments, options.precision)
    return VoucherPlan(
        period=period,
        journals=journals,
        payments=payments,
        content_hash=current,
        legacy_hashes=frozenset({legacy_content_hash(period, journals, payments,
                                                     options.precision)} - {current}),
        net_pay=sum(net_by_employee.values(), ZERO),
        net_by_employee=net_by_employee,
        debit_total=sum((journal.debit_total for journal in journals), ZERO),
        credit_total=sum((journal.credit_total for journal in journals), ZERO),
    )


def _payments(
    employees: list[Employee],
    net_by_employee: dict[str, Decimal],
    builder: _Builder,
    payable_id: str,
    bank_id: str,
    period: Period,
) -> list[PaymentDraft]:
    settings = builder.mapping.payment
    default_date = builder.options.payment_date or period.end
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
                party=Party("employee", employee.identification, employee.name,
                            employee.id_type or "CC"),
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
