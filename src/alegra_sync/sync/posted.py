"""What the state keeps of a posted period (accounting.md, "What the state keeps"): the lines
each document sent, with the names the report shows, and the period's figures.

Recorded after the protocol has settled the period (posted, adopted, replaced or found already
posted): every document of the plan that the state holds as posted gets the plan's lines —
they are what was posted, since the document carries the plan's content — unless it has them
already. A state written before schema version 2 gets them here at its next sync.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from alegra_sync.sync.ledger import Ledger, LineRecord
from alegra_sync.vouchers.figures import PeriodFigures, figures_to_json
from alegra_sync.vouchers.model import (
    ZERO,
    AccountInfo,
    JournalDraft,
    Party,
    PaymentDraft,
    VoucherPlan,
)


@dataclass
class Names:
    """Names for the ids of a plan, as the run read them from Alegra."""

    accounts: Mapping[str, AccountInfo] = field(default_factory=dict)
    cost_centers: Mapping[str, str] = field(default_factory=dict)
    bank_accounts: Mapping[str, str] = field(default_factory=dict)


def journal_lines(draft: JournalDraft, contact_ids: Mapping[Party, str],
                  names: Names) -> list[LineRecord]:
    lines = []
    for line in draft.lines:
        account = names.accounts.get(line.account_id)
        party = line.party
        lines.append(LineRecord(
            account_id=line.account_id, debit=line.debit, credit=line.credit,
            account_code=account.code if account else None,
            account_name=account.name if account else None,
            account_type=account.type if account else None,
            cost_center_id=line.cost_center_id,
            cost_center_name=names.cost_centers.get(line.cost_center_id)
            if line.cost_center_id else None,
            tercero_kind=party.kind if party else None,
            tercero_identification=party.identification if party else None,
            tercero_name=party.name if party else None,
            contact_id=contact_ids.get(party) if party else None,
            description=line.description,
        ))
    return lines


def payment_lines(draft: PaymentDraft, contact_ids: Mapping[Party, str],
                  names: Names) -> list[LineRecord]:
    account = names.accounts.get(draft.payable_account_id)
    party = draft.party
    return [LineRecord(
        account_id=draft.payable_account_id, debit=draft.amount, credit=ZERO,
        account_code=account.code if account else None,
        account_name=account.name if account else None,
        account_type=account.type if account else None,
        tercero_kind=party.kind if party else None,
        tercero_identification=party.identification if party else None,
        tercero_name=party.name if party else None,
        contact_id=contact_ids.get(party) if party else None,
    )]


def record_posted(ledger: Ledger, plan: VoucherPlan, contact_ids: Mapping[Party, str],
                  names: Names, figures: PeriodFigures | None) -> int:
    """Record the lines of the plan's posted documents that lack them (or have only Alegra's
    copy), and the period's figures; how many documents got their lines."""
    period = plan.period.name
    rows = {doc.key: doc for doc in ledger.live_documents(period)
            if doc.status == "posted" and plan.matches(doc.hash)}
    recorded = 0
    for journal in plan.journals:
        row = rows.get(journal.key)
        if row is not None and row.lines_from != "posted":
            ledger.set_lines(row.key, row.hash, journal_lines(journal, contact_ids, names),
                             source="posted", document_date=journal.date.isoformat())
            recorded += 1
    for payment in plan.payments:
        row = rows.get(payment.key)
        if row is not None and row.lines_from != "posted":
            ledger.set_lines(row.key, row.hash, payment_lines(payment, contact_ids, names),
                             source="posted", document_date=payment.date.isoformat(),
                             bank_account_id=payment.bank_account_id,
                             bank_account_name=names.bank_accounts.get(payment.bank_account_id))
            recorded += 1
    if figures is not None and rows and ledger.figures_hash(period) != plan.content_hash:
        ledger.set_figures(period, plan.content_hash, figures_to_json(figures))
    return recorded


def file_sha256(path: Path) -> str | None:
    """An export's fingerprint, kept with its period: `verify` and the report tell from it
    whether the file changed since it was posted. None when it cannot be read."""
    try:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()
    except OSError:
        return None
