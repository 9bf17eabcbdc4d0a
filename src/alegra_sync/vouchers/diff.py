"""What differs between the lines posted for a period and the period's new plan. Pure."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import NamedTuple

from alegra_sync.vouchers.model import Party, VoucherPlan


class PostedLine(NamedTuple):
    """A journal line as Alegra holds it: account id, contact id, debit, credit."""

    account_id: str
    contact_id: str | None
    debit: Decimal
    credit: Decimal


def describe_change(posted: Iterable[PostedLine], plan: VoucherPlan,
                    contact_ids: Mapping[Party, str], account_labels: Mapping[str, str]) -> str:
    """Totals, then the accounts and the employees whose amounts differ."""
    Key = tuple[str, str | None]  # (account id, contact id)
    old: dict[Key, Decimal] = defaultdict(Decimal)
    new: dict[Key, Decimal] = defaultdict(Decimal)
    old_total = Decimal(0)
    for line in posted:
        old[(line.account_id, line.contact_id)] += line.debit - line.credit
        old_total += line.debit
    for journal in plan.journals:
        for planned in journal.lines:
            client = contact_ids.get(planned.party) if planned.party else None
            new[(planned.account_id, client)] += planned.debit - planned.credit
    changed = [key for key in old.keys() | new.keys() if old[key] != new[key]]
    people = {contact_ids[p]: f"{p.name} ({p.identification})" for p in contact_ids
              if p.kind == "employee"}
    accounts = sorted({account_labels.get(account, account) for account, _ in changed})
    employees = sorted({people[client] for _, client in changed if client in people})
    parts = [f"debits {old_total} posted, {plan.debit_total} now"]
    for title, names in (("accounts", accounts), ("employees", employees)):
        if names:
            parts.append(f"{title} " + ", ".join(names[:8]) + (" …" if len(names) > 8 else ""))
    return "; ".join(parts)
