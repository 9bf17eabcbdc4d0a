"""Each (cost center, concept) of an export resolved once: its accounts, cost centers, tercero
slots and description bit, and each employee's amounts turned into signed per-key sums. Pure.

``build.py`` runs the period; this module is its hot loop. A key of aggregation is (account id,
cost-center id or "", party token or ""); a key's value is signed (debit positive), which
makes "a negative amount swaps the sides" and "net debit against credit" the same sum. A key's
mask holds one bit per concept that reached it: the line's description names them. Masks are
not summed in the hot loop: an employee records only which concepts it had, and ``masks``
derives a journal's from the rules, once per kind of employee (same rules, same concepts, same
EPS and AFP).

Employees whose cost is shared between cost centers (a distribution in [cost_centers], or
[employee_cost_centers]) take the slower path of ``_SplitRule``: every side that takes a cost
center is split into one part per share (distribute.py), each with its share's account
([cost_center_accounts] of the cost center the share is on).
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping as Lookup  # "Mapping" is the mapping.toml model here
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, NamedTuple

from alegra_sync.errors import ConfigError
from alegra_sync.i18n import T
from alegra_sync.mapping.check import entity_nit, mapped_accounts
from alegra_sync.mapping.model import AccountRef, Mapping, NitTercero, Share, shares_of
from alegra_sync.mapping.terceros import legal_name
from alegra_sync.payroll.identity import identification_key
from alegra_sync.payroll.model import Employee
from alegra_sync.vouchers.distribute import split
from alegra_sync.vouchers.model import ZERO, AccountInfo, Party, VoucherOptions

PNL_TYPES = frozenset({"income", "expense", "cost", "productionCost"})
MAP_HINT = T("run `alegra-sync map`")
ROUNDING_PREFIX = "~"  # a party token of the ajuste al peso: its lines stay apart

Key = tuple[str, str, str]
Sums = dict[Key, Decimal]
Masks = dict[Key, int]
# What an employee's rules are chosen by: the export's cost-center name (or None), or the
# shares of a distribution.
RuleKey = str | None | tuple[Share, ...]
Side = Literal["debit", "credit"]


class Rule(NamedTuple):
    """One concept for one export cost-center name, resolved. A slot is "employee", "eps",
    "afp", "" (no tercero) or the token of a fixed party; an employee's slot table turns the
    first three into that employee's party tokens. A tuple, because the hot loop unpacks it."""

    debit_account: str
    debit_cc: str
    debit_slot: str
    credit_account: str
    credit_cc: str
    credit_slot: str
    debit_payable: bool  # also: a deduction, what negative_deductions applies to
    credit_payable: bool
    bit: int  # the concept's bit in the descriptions' masks


class Part(NamedTuple):
    """One share's line of a split side: account, cost center, tercero slot, payable."""

    account: str
    cc: str
    slot: str
    payable: bool


class SplitRule(NamedTuple):
    """One concept for one distribution: each side as its parts, one per share, or a single
    part when the side does not split (a balance-sheet account, no cost center)."""

    debit: tuple[Part, ...]
    credit: tuple[Part, ...]
    percentages: tuple[Share, ...]
    deduction: bool
    bit: int


def token(party: Party) -> str:
    return f"{party.kind}|{party.id_type}|{party.identification}"


def employee_order(identification: str) -> tuple[int, int, str]:
    """Numeric identifications sort numerically, others after them as text."""
    text = identification.strip()
    return (0, len(text), text) if text.isdigit() else (1, 0, text)


def cost_center_name(employee: Employee) -> str | None:
    return (employee.cost_center or "").strip() or None


class Rules:
    def __init__(
        self, mapping: Mapping, accounts: Lookup[str, AccountInfo], options: VoucherOptions,
        concepts: list[str],
    ) -> None:
        self.mapping, self.accounts, self.options = mapping, accounts, options
        self.summary = options.detail == "summary"
        self.parties: dict[str, Party] = {}
        self.bits = {concept: 1 << index for index, concept in enumerate(concepts)}
        self.concepts = list(concepts)
        self.tables: dict[RuleKey, dict[str, Rule | SplitRule]] = {}
        self.keys: dict[str, RuleKey] = {}  # identification -> its rules
        self.own_centers = mapping.employee_cost_center_index()
        self._entity_tokens: dict[str, str] = {}
        # slot-level key (account, cc, slot) -> the bits of the concepts whose rule reaches it
        self.templates: dict[RuleKey, dict[Key, int]] = {}
        self.present: dict[str, int] = {}  # identification -> its concepts with an amount
        self.slots_of: dict[str, dict[str, str]] = {}
        self.explicit: dict[str, Masks] = {}  # distributed employees: their keys' masks

    # --- parties -----------------------------------------------------------------------

    def register(self, party: Party) -> str:
        found = token(party)
        self.parties.setdefault(found, party)
        return found

    def entity(self, nit: str, export_name: str | None = None) -> str:
        """The token of an entity tercero, its NIT compared without dots or check digit and
        named by its legal name (terceros.legal_name)."""
        key = identification_key(nit)
        written = "".join(ch for ch in nit if ch.isalnum())
        party = Party("entity", key, legal_name(self.mapping, nit, export_name), "NIT",
                      written=written if written != key else "")
        return self.register(party)

    def slot(self, tercero: object) -> str:
        if self.summary or tercero is None:
            return ""
        if isinstance(tercero, NitTercero):
            return self.entity(tercero.nit)
        return str(tercero)  # "employee", "eps", "afp"

    def party_of(self, found: str) -> Party | None:
        """The party of a key's token ("" none; an ajuste's token is its employee's)."""
        if not found:
            return None
        return self.parties.get(found.removeprefix(ROUNDING_PREFIX))

    def employee_slots(self, employee: Employee) -> dict[str, str]:
        if self.summary:
            return {"": ""}
        slots = {"": "", "employee": self.register(Party(
            "employee", identification_key(employee.identification) or employee.identification,
            employee.name, employee.id_type or "CC", employee.person,
        ))}
        for kind, value in (("eps", employee.eps), ("afp", employee.afp)):
            if value:
                found = self._entity_tokens.get(value)
                if found is None:
                    clean = value.strip()
                    # as [entities] writes it (with its check digit, maybe): for the old hash
                    nit = self.mapping.entity_nit_of(clean) or entity_nit(self.mapping, value)
                    if nit is None:
                        continue
                    found = self.entity(nit, None if identification_key(clean).isdigit()
                                        else clean)
                    self._entity_tokens[value] = found
                slots[kind] = found
        return slots

    # --- rules -------------------------------------------------------------------------

    def rule_key(self, employee: Employee) -> RuleKey:
        """[employee_cost_centers] beats the export; a distribution splits; a plain id keeps
        the export name's rules ([cost_center_accounts] of that name)."""
        own = self.own_centers.get(identification_key(employee.identification))
        if own is not None:
            return shares_of(own)
        name = cost_center_name(employee)
        target = self.mapping.cost_centers.get(name) if name else None
        if isinstance(target, dict):
            return shares_of(target)
        return name

    def prepare(self, employees: Iterable[Employee]) -> None:
        """Resolve every rule the export uses; all missing accounts at once (78)."""
        needed: dict[RuleKey, set[str]] = {}
        for employee in employees:
            rule_key = self.rule_key(employee)
            self.keys[employee.identification] = rule_key
            concepts = needed.setdefault(rule_key, set())
            amounts = employee.amounts
            concepts.update(concept for concept in amounts.keys() - concepts if amounts[concept])
        missing: set[str] = set()
        payable, rounding = self.mapping.payable, self.mapping.rounding
        missing.update(ref.id for ref in (payable, rounding)
                       if ref is not None and ref.id not in self.accounts)
        for rule_key, concepts in needed.items():
            table = self.tables.setdefault(rule_key, {})
            for concept in sorted(concepts):
                self.bits.setdefault(concept, 1 << len(self.bits))
                if concept not in self.concepts:
                    self.concepts.append(concept)
                if isinstance(rule_key, tuple):
                    rule: Rule | SplitRule | None = self._split_rule(concept, rule_key, missing)
                else:
                    rule = self._rule(concept, rule_key, missing)
                if rule is not None:
                    table[concept] = rule
            if not isinstance(rule_key, tuple):
                template = self.templates.setdefault(rule_key, {})
                for rule in table.values():
                    assert isinstance(rule, Rule)
                    for key in ((rule.debit_account, rule.debit_cc, rule.debit_slot),
                                (rule.credit_account, rule.credit_cc, rule.credit_slot)):
                        template[key] = template.get(key, 0) | rule.bit
        if missing:
            concepts = {concept for names in needed.values() for concept in names}
            places = mapped_accounts(self.mapping, sorted(concepts))
            lacking = ", ".join(f"{account_id} ({', '.join(places.get(account_id, [])[:3])})"
                                for account_id in sorted(missing, key=employee_order))
            raise ConfigError(
                T("the mapping uses accounts that Alegra's chart lacks: {accounts}",
                  accounts=lacking),
                hint=T("run `alegra-sync map` to pick existing accounts"),
            )

    def is_pnl(self, account_id: str) -> bool:
        return self.accounts[account_id].type in PNL_TYPES

    def _rule(self, concept: str, name: str | None, missing: set[str]) -> Rule | None:
        mapping = self.mapping
        debit = mapping.account_for(concept, "debit", name)
        credit = mapping.account_for(concept, "credit", name)
        missing.update(ref.id for ref in (debit, credit) if ref.id not in self.accounts)
        if missing:
            return None
        target = mapping.cost_centers.get(name, "") if name else ""
        cc_id = target if isinstance(target, str) else ""
        with_cc = mapping.concepts[concept].cost_center
        return Rule(
            debit_account=debit.id,
            debit_cc=cc_id if with_cc and self.is_pnl(debit.id) else "",
            debit_slot=self.slot(mapping.tercero_for(concept, "debit", name)),
            credit_account=credit.id,
            credit_cc=cc_id if with_cc and self.is_pnl(credit.id) else "",
            credit_slot=self.slot(mapping.tercero_for(concept, "credit", name)),
            debit_payable=mapping.is_payable(debit),
            credit_payable=mapping.is_payable(credit),
            bit=self.bits[concept],
        )

    def _split_rule(self, concept: str, shares: tuple[Share, ...],
                    missing: set[str]) -> SplitRule | None:
        sides: dict[Side, tuple[Part, ...]] = {}
        with_cc = self.mapping.concepts[concept].cost_center
        for side in ("debit", "credit"):
            parts: list[Part] = []
            for center, _percentage in shares:
                ref = self.mapping.share_account(concept, side, center)
                if ref.id not in self.accounts:
                    missing.add(ref.id)
                    continue
                parts.append(self._part(concept, side, center, ref, with_cc))
            sides[side] = tuple(parts) if len(set(parts)) > 1 else tuple(parts[:1])
        if missing:
            return None
        return SplitRule(debit=sides["debit"], credit=sides["credit"], percentages=shares,
                         deduction=any(part.payable for part in sides["debit"]),
                         bit=self.bits[concept])

    def _part(self, concept: str, side: Side, center: str, ref: AccountRef,
              with_cc: bool) -> Part:
        mapping = self.mapping
        return Part(
            account=ref.id,
            cc=center if with_cc and self.is_pnl(ref.id) else "",
            slot=self.slot(mapping.tercero_for(concept, side, None, account=ref)),
            payable=mapping.is_payable(ref),
        )

    # --- an employee's amounts ---------------------------------------------------------------

    def contribution(self, employee: Employee) -> tuple[Sums, Decimal, Decimal]:
        """The employee's signed per-key sums (debit positive), devengos (owed to the
        employee: credit payable) and deducciones (debit payable), each amount rounded half
        up to the company's precision first."""
        identification = employee.identification
        rule_key = self.keys[identification]
        table = self.tables[rule_key]
        slots = self.slots_of[identification] = self.employee_slots(employee)
        quantum = Decimal(1).scaleb(-self.options.precision)
        if isinstance(rule_key, tuple):
            return self._shared_contribution(employee, table, slots, quantum)
        flip_deductions = self.options.negative_deductions
        sums: Sums = {}
        owed = deducted = ZERO
        present = 0
        get = sums.get
        for concept, raw in employee.amounts.items():
            if not raw:
                continue
            amount = raw.quantize(quantum, ROUND_HALF_UP)
            if not amount:
                continue
            debit, debit_cc, debit_slot, credit, credit_cc, credit_slot, debit_payable, \
                credit_payable, bit = table[concept]  # type: ignore[misc]  # a Rule: not shared
            if amount < 0 and flip_deductions and debit_payable:
                amount = -amount
            # a slot that is no key of the table is a fixed party's token already
            debit_key = (debit, debit_cc, slots.get(debit_slot, debit_slot))
            credit_key = (credit, credit_cc, slots.get(credit_slot, credit_slot))
            sums[debit_key] = get(debit_key, ZERO) + amount
            sums[credit_key] = get(credit_key, ZERO) - amount
            present |= bit
            if debit_payable:
                deducted += amount
            if credit_payable:
                owed += amount
        self.present[identification] = present
        return sums, owed, deducted

    def masks(self, members: Iterable[Employee]) -> Masks:
        """The concepts (bits) behind each key of a journal of these employees: from the
        rules' templates, once per kind of employee, and each distributed employee's own."""
        masks: Masks = {}
        groups: dict[tuple[RuleKey, int, str, str], list[str]] = {}
        for employee in members:
            identification = employee.identification
            own = self.explicit.get(identification)
            if own is not None:
                for key, mask in own.items():
                    masks[key] = masks.get(key, 0) | mask
            present = self.present.get(identification, 0)
            if not present:
                continue
            slots = self.slots_of[identification]
            group = (self.keys[identification], present, slots.get("eps", "eps"),
                     slots.get("afp", "afp"))
            groups.setdefault(group, []).append(slots.get("employee", ""))
        for (rule_key, present, eps, afp), employees in groups.items():
            resolved = {"": "", "eps": eps, "afp": afp}
            for (account, cc, slot), bits in self.templates[rule_key].items():
                mask = bits & present
                if not mask:
                    continue
                if slot == "employee":
                    for found in employees:
                        key = (account, cc, found)
                        masks[key] = masks.get(key, 0) | mask
                else:
                    key = (account, cc, resolved.get(slot, slot))
                    masks[key] = masks.get(key, 0) | mask
        return masks

    def _shared_contribution(self, employee: Employee, table: dict[str, Rule | SplitRule],
                             slots: dict[str, str], quantum: Decimal,
                             ) -> tuple[Sums, Decimal, Decimal]:
        """contribution() for an employee whose cost is distributed: every rule a SplitRule,
        the keys' masks kept for the descriptions (masks)."""
        sums: Sums = {}
        masks = self.explicit[employee.identification] = {}
        owed = deducted = ZERO
        for concept, raw in employee.amounts.items():
            if not raw:
                continue
            amount = raw.quantize(quantum, ROUND_HALF_UP)
            if not amount:
                continue
            rule = table[concept]
            assert isinstance(rule, SplitRule)
            owed_here, deducted_here = self._split(rule, amount, slots, sums, masks)
            owed += owed_here
            deducted += deducted_here
        return sums, owed, deducted

    def _split(self, rule: SplitRule, amount: Decimal, slots: dict[str, str], sums: Sums,
               masks: Masks) -> tuple[Decimal, Decimal]:
        if amount < 0 and self.options.negative_deductions and rule.deduction:
            amount = -amount
        shares: list[Decimal] | None = None
        owed = deducted = ZERO
        for sign, parts in ((1, rule.debit), (-1, rule.credit)):
            if len(parts) == 1:
                pieces: list[Decimal] = [amount]
            else:
                if shares is None:
                    shares = split(amount, rule.percentages, self.options.precision)
                pieces = shares
            for part, piece in zip(parts, pieces, strict=True):
                if not piece:
                    continue
                key = (part.account, part.cc, slots.get(part.slot, part.slot))
                sums[key] = sums.get(key, ZERO) + sign * piece
                masks[key] = masks.get(key, 0) | rule.bit
                if part.payable and sign > 0:
                    deducted += piece
                elif part.payable:
                    owed += piece
        return owed, deducted

    def raw_sums(self, employee: Employee) -> tuple[Decimal, Decimal]:
        """The employee's devengos and deducciones before rounding (for the totals check)."""
        table = self.tables[self.keys[employee.identification]]
        owed = deducted = ZERO
        for concept, raw in employee.amounts.items():
            rule = table.get(concept)
            if not raw or rule is None:
                continue
            if isinstance(rule, SplitRule):
                deduction = rule.deduction
                credit_payable = any(part.payable for part in rule.credit)
            else:
                deduction, credit_payable = rule.debit_payable, rule.credit_payable
            if raw < 0 and self.options.negative_deductions and deduction:
                raw = -raw
            if deduction:
                deducted += raw
            if credit_payable:
                owed += raw
        return owed, deducted

    def shares(self, employee: Employee) -> tuple[Share, ...] | None:
        """The distribution an employee's P&L lines are split into, if any."""
        found = self.keys.get(employee.identification)
        return found if isinstance(found, tuple) else None

    def adjustment(self, employee: Employee, difference: Decimal) -> Sums:
        """The ajuste al peso's pair: ``difference`` more credit on the employee's payable,
        the same debit on the rounding account (negative: the other way)."""
        payable, rounding = self.mapping.payable, self.mapping.rounding
        assert payable is not None and rounding is not None  # checked before: build, settle
        employee_token = "" if self.summary else self.employee_slots(employee)["employee"]
        found = ROUNDING_PREFIX + employee_token
        return {(payable.id, "", found): -difference, (rounding.id, "", found): difference}
