"""The drafts the voucher builder hands on: terceros, lines, comprobantes, egresos, the plan.

Plain data, no I/O; ``vouchers.py`` builds them, ``voucher_payloads.py`` turns them into
Alegra's JSON, the syncer posts them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal, NamedTuple

from alegra_sync.payroll.identity import PersonName
from alegra_sync.periods import Period

ZERO = Decimal(0)
LineKind = Literal["concept", "rounding"]
Share = tuple[str, Decimal]  # (Alegra cost-center id, percentage)


@dataclass(frozen=True)
class Party:
    """A tercero, before it is resolved to an Alegra contact id.

    ``identification`` is as compared (no dots, no dashes, a NIT without its check digit);
    ``name`` and ``person`` (the separate name columns of the export) are only for creating
    the contact.
    """

    kind: Literal["employee", "entity"]
    identification: str
    name: str = field(compare=False)
    id_type: str = "CC"  # entities: "NIT"
    person: PersonName | None = field(default=None, compare=False)
    # the identification as the mapping or the export wrote it, when that differs (a NIT
    # written with its check digit): what older releases hashed, so their periods stay theirs
    written: str = field(default="", compare=False)


@dataclass(frozen=True)
class AccountInfo:
    """What vouchers need of an Alegra account."""

    id: str
    name: str
    code: str | None
    type: str


@dataclass(frozen=True)
class VoucherOptions:
    detail: Literal["employee", "summary"] = "employee"
    max_entries: int = 500
    negative_deductions: bool = False
    precision: int = 0  # the company's decimalPrecision (0 or 2)
    journal_date: date | None = None  # default: the period's last day
    payment_date: date | None = None  # egreso date when rows carry none; default period end
    # the ajuste al peso an employee's payable may take ([journal] rounding_tolerance), in
    # currency units: between the export's Neto and the mapping's rounded sums
    rounding_tolerance: Decimal = Decimal(1)


class Line(NamedTuple):
    """One line of a comprobante. A tuple, not a dataclass: a large period has tens of
    thousands of them, and a tuple is made in half the time."""

    account_id: str
    debit: Decimal
    credit: Decimal
    party: Party | None
    cost_center_id: str | None
    description: str  # the payroll concept(s) and, in employee detail, the employee
    # "rounding": a line of the ajuste al peso (accounting.md), shown as such; never hashed
    kind: LineKind = "concept"


@dataclass
class JournalDraft:
    key: str
    date: date
    lines: list[Line]
    employees: list[str]  # identifications in this part

    @property
    def debit_total(self) -> Decimal:
        return sum((line.debit for line in self.lines), ZERO)

    @property
    def credit_total(self) -> Decimal:
        return sum((line.credit for line in self.lines), ZERO)


@dataclass
class PaymentDraft:
    key: str
    date: date
    amount: Decimal
    payable_account_id: str
    bank_account_id: str
    method: str
    party: Party | None
    employees: list[str]


@dataclass
class VoucherPlan:
    period: Period
    journals: list[JournalDraft]
    payments: list[PaymentDraft]
    content_hash: str
    net_pay: Decimal
    net_by_employee: dict[str, Decimal]
    debit_total: Decimal
    credit_total: Decimal
    # the hashes older releases gave this same content: documents posted with one of them
    # are this plan's documents (their tags cannot be rewritten)
    legacy_hashes: frozenset[str] = frozenset()
    # identification -> the shares an employee's P&L lines were split into, for employees
    # whose cost is distributed ([cost_centers] distribution or [employee_cost_centers])
    distributions: dict[str, tuple[Share, ...]] = field(default_factory=dict)
    # identification -> the ajuste al peso moved to the employee's payable (the export's Neto
    # minus the mapping's rounded net pay), for employees that needed one
    adjustments: dict[str, Decimal] = field(default_factory=dict)

    def matches(self, content_hash: str) -> bool:
        return content_hash == self.content_hash or content_hash in self.legacy_hashes

    def keys(self) -> list[str]:
        """Every document's key: the comprobantes', then the egresos'."""
        return [d.key for d in self.journals] + [d.key for d in self.payments]

    def parties(self) -> set[Party]:
        """Every tercero the plan needs resolved to an Alegra contact."""
        found = {line.party for journal in self.journals for line in journal.lines if line.party}
        found.update(payment.party for payment in self.payments if payment.party)
        return found
