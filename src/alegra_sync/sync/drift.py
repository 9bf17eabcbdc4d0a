"""What differs between what a document posted (the state's lines) and what Alegra holds now.

Pure: the lines are compared as a multiset of (account, cost center, contact, debit, credit)
(accounting.md, "Verify"); a difference is told per (account, cost center, tercero) with the
amounts posted and now, so the accountant sees which line was edited.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from alegra_sync.alegra.models import Journal, Payment
from alegra_sync.sync.ledger import LineRecord
from alegra_sync.vouchers.model import ZERO

_LineKey = tuple[str, str | None, str | None]  # account id, cost center id, contact id
_Held = tuple[str, str | None, str | None, Decimal, Decimal]


@dataclass(frozen=True)
class Difference:
    """One thing that differs: a line (``what="line"``: its amounts posted and now, None
    where the line is absent) or a field of the document (``date``, ``bank_account``)."""

    what: Literal["line", "date", "bank_account"]
    posted: tuple[Decimal, Decimal] | str | None
    now: tuple[Decimal, Decimal] | str | None
    account_id: str | None = None
    account: str | None = None  # code and name, for people
    cost_center_id: str | None = None
    cost_center: str | None = None
    tercero: str | None = None  # identification (or the contact id when it is unknown)
    tercero_name: str | None = None

    def to_json(self) -> dict[str, Any]:
        def amounts(value: tuple[Decimal, Decimal] | str | None) -> Any:
            if isinstance(value, tuple):
                return {"debit": str(value[0]), "credit": str(value[1])}
            return value

        found: dict[str, Any] = {"what": self.what}
        if self.what == "line":
            found.update(account=self.account_id, account_name=self.account,
                         cost_center=self.cost_center_id, tercero=self.tercero,
                         tercero_name=self.tercero_name)
        found.update(posted=amounts(self.posted), now=amounts(self.now))
        return found

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Difference:
        def amounts(value: Any) -> tuple[Decimal, Decimal] | str | None:
            if isinstance(value, dict):
                return Decimal(value["debit"]), Decimal(value["credit"])
            return None if value is None else str(value)

        return cls(what=data["what"], posted=amounts(data.get("posted")),
                   now=amounts(data.get("now")), account_id=data.get("account"),
                   account=data.get("account_name"), cost_center_id=data.get("cost_center"),
                   tercero=data.get("tercero"), tercero_name=data.get("tercero_name"))


def _key(line: LineRecord) -> _Held:
    return (line.account_id, line.cost_center_id, line.contact_id, line.debit, line.credit)


def journal_held(journal: Journal) -> list[_Held]:
    return [(e.account_id, e.cost_center_id, e.client_id, e.debit, e.credit)
            for e in journal.entries]


def payment_held(payment: Payment) -> list[_Held]:
    return [(c.id, None, payment.client_id, c.price * c.quantity, ZERO)
            for c in payment.categories]


def line_differences(posted: Iterable[LineRecord], held: Iterable[_Held],
                     contact_names: Mapping[str, tuple[str | None, str | None]] | None = None,
                     ) -> list[Difference]:
    """Every (account, cost center, tercero) whose lines differ; [] when the multisets are
    equal. ``contact_names``: contact id -> (identification, name), for lines posted by hand."""
    posted = list(posted)
    want, have = Counter(_key(line) for line in posted), Counter(held)
    if want == have:
        return []
    labels = {line.account_id: _account_label(line) for line in posted}
    centers = {line.cost_center_id: line.cost_center_name for line in posted}
    people: dict[str, tuple[str | None, str | None]] = {
        line.contact_id: (line.tercero_identification, line.tercero_name)
        for line in posted if line.contact_id}
    for contact_id, known in (contact_names or {}).items():
        people.setdefault(contact_id, known)
    sides: dict[_LineKey, list[tuple[Decimal, Decimal] | None]] = {}
    for index, counter in ((0, want - have), (1, have - want)):
        for (account_id, center_id, held_contact, debit, credit), count in counter.items():
            pair = sides.setdefault((account_id, center_id, held_contact), [None, None])
            before = pair[index] or (ZERO, ZERO)
            pair[index] = (before[0] + debit * count, before[1] + credit * count)
    found = []
    for (account, center, contact), (was, now) in sorted(sides.items(), key=_order):
        identification, name = people.get(contact, (None, None)) if contact else (None, None)
        found.append(Difference(
            "line", was, now, account_id=account, account=labels.get(account),
            cost_center_id=center, cost_center=centers.get(center),
            tercero=identification or contact, tercero_name=name))
    return found


def field_differences(fields: Iterable[tuple[Literal["date", "bank_account"], str | None,
                                             str | None]]) -> list[Difference]:
    """The document's fields that differ; a field the state does not know is not compared."""
    return [Difference(what, posted, now) for what, posted, now in fields
            if posted is not None and posted != now]


def _account_label(line: LineRecord) -> str | None:
    parts = [part for part in (line.account_code, line.account_name) if part]
    return " ".join(parts) or None


def _order(item: tuple[_LineKey, object]) -> tuple[str, str, str]:
    account, center, contact = item[0]
    return account, center or "", contact or ""
