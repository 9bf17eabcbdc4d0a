"""Drafts → Alegra request bodies, the document tag, the period's content hash. Pure.

The tag (``alegra-sync 2026-11-01/J1 #3fa2c1d0``) goes in a journal's ``reference`` and a
payment's ``observations``; it is how a posted document is found again (accounting.md,
"Posting exactly once").
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from alegra_sync.errors import ConfigError
from alegra_sync.i18n import T

if TYPE_CHECKING:
    from alegra_sync.periods import Period
    from alegra_sync.vouchers.model import JournalDraft, Party, PaymentDraft, VoucherPlan

TAG_PREFIX = "alegra-sync"
_TAG = re.compile(r"alegra-sync (\d{4}-\d{2}-\d{2}/[^\s#]+) #([0-9a-f]{8})(?![0-9a-f])")


def document_tag(key: str, content_hash: str | None = None) -> str:
    """``alegra-sync 2026-11-01/J1 #3fa2c1d0``; without a hash, the tag's start, which also
    finds a period's documents: ``document_tag("2026-11-01/")`` is what `GET /journals
    ?reference=` searches for (a contains-match)."""
    tag = f"{TAG_PREFIX} {key}"
    return f"{tag} #{content_hash}" if content_hash is not None else tag


def parse_document_tag(text: str | None) -> tuple[str, str] | None:
    """(key, hash) of the first tag found anywhere in ``text``, else None."""
    if not text:
        return None
    found = _TAG.search(text)
    return (found.group(1), found.group(2)) if found else None


def format_amount(amount: Decimal, precision: int = 0) -> str:
    """Colombian style for messages: 1.234.567 or 1.234.567,50."""
    text = f"{amount:,.{precision}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def content_hash(
    period: Period,
    journals: Sequence[JournalDraft],
    payments: Sequence[PaymentDraft],
    precision: int,
    identify: Callable[[Party | None], str] | None = None,
) -> str:
    """First 8 hex chars of sha256 over the period's canonical content (accounting.md, "The
    content hash"): per journal its key and date and its lines sorted, each line as Alegra
    account id, cost-center id, tercero identification, debit and credit; per egreso its key,
    date, bank account, tercero identification and amount. Nothing that Alegra may rename or
    renumber counts: account codes and names, contact ids, descriptions (the concepts and the
    employee a line names), a line's kind (an ajuste al peso is its amounts), the lines' order.
    ``identify`` gives a tercero's identification (default: as compared); ``as_written`` gives
    the hash of releases that kept a NIT's check digit.
    """
    identification_of = identify or _compared
    digest = hashlib.sha256()
    digest.update(f"v2 period {period.start} {period.end} precision {precision}\n".encode())
    for journal in journals:
        lines = sorted(
            f"L {line.account_id}|{line.cost_center_id or ''}|{identification_of(line.party)}|"
            f"{line.debit:.{precision}f}|{line.credit:.{precision}f}"
            for line in journal.lines
        )
        digest.update(("\n".join([f"J {journal.key} {journal.date.isoformat()}", *lines])
                       + "\n").encode())
    for payment in payments:
        digest.update(
            f"P {payment.key} {payment.date.isoformat()} {payment.bank_account_id}|"
            f"{identification_of(payment.party)}|{payment.amount:.{precision}f}\n".encode()
        )
    return digest.hexdigest()[:8]


def legacy_content_hash(
    period: Period,
    journals: Sequence[JournalDraft],
    payments: Sequence[PaymentDraft],
    precision: int,
) -> str:
    """The hash releases before 0.2 wrote into the tags: the lines in posting order (which
    follows the account codes). Kept so that their documents stay recognised as posted."""
    digest = hashlib.sha256()
    digest.update(f"period {period.start} {period.end} precision {precision}\n".encode())
    for journal in journals:
        rows = [f"J {journal.key} {journal.date.isoformat()}"]
        rows.extend(
            f"L {line.account_id}|{line.cost_center_id or ''}|{_party_text(line.party)}|"
            f"{line.debit:.{precision}f}|{line.credit:.{precision}f}"
            for line in journal.lines
        )
        digest.update(("\n".join(rows) + "\n").encode())
    for payment in payments:
        digest.update(
            f"P {payment.key} {payment.date.isoformat()} {payment.amount:.{precision}f}|"
            f"{payment.payable_account_id}|{payment.bank_account_id}|{payment.method}|"
            f"{_party_text(payment.party)}|{','.join(payment.employees)}\n".encode()
        )
    return digest.hexdigest()[:8]


def _party_text(party: Party | None) -> str:
    return f"{party.kind}:{party.id_type}:{party.identification}" if party else ""


def _compared(party: Party | None) -> str:
    """The tercero's identification number as a contact is found by: no dots, dashes or
    spaces."""
    return "".join(c for c in party.identification if c.isalnum()) if party else ""


def as_written(party: Party | None) -> str:
    """The identification as the mapping wrote it (a NIT with its check digit, as releases
    before 0.3 hashed it)."""
    if party is None:
        return ""
    return "".join(c for c in (party.written or party.identification) if c.isalnum())


def _number(amount: Decimal) -> int | Decimal:
    """Whole amounts as int; others stay Decimal, which the client serialises as a JSON number."""
    return int(amount) if amount == amount.to_integral_value() else amount


def _contact(party: Party, contact_ids: Mapping[Party, str]) -> str:
    try:
        return contact_ids[party]
    except KeyError:
        raise ConfigError(
            T("no Alegra contact for {name} ({type} {id})", name=party.name,
              type=party.id_type, id=party.identification),
            hint=T("set contacts.create_missing = true or create the contact in Alegra"),
        ) from None


def _period_text(period: Period) -> str:
    return f"Nómina {period.start.isoformat()} a {period.end.isoformat()}"


def journal_payload(
    draft: JournalDraft,
    plan: VoucherPlan,
    contact_ids: Mapping[Party, str],
    number_template: str | None = None,
) -> dict[str, Any]:
    """The ``POST /journals`` body. Amounts are int when whole, else the Decimal itself."""
    missing = sorted(
        {line.party for line in draft.lines if line.party and line.party not in contact_ids},
        key=lambda party: party.identification,
    )
    if missing:
        raise ConfigError(
            T("journal {key}: no Alegra contact for {parties}", key=draft.key,
              parties=", ".join(f"{p.name} ({p.id_type} {p.identification})"
                                for p in missing)),
            hint=T("set contacts.create_missing = true or create the contacts in Alegra"),
        )
    entries: list[dict[str, Any]] = []
    for line in draft.lines:
        entry: dict[str, Any] = {"id": line.account_id}
        if line.debit:
            entry["debit"] = _number(line.debit)
        else:
            entry["credit"] = _number(line.credit)
        if line.party is not None:
            entry["client"] = contact_ids[line.party]
        if line.cost_center_id is not None:
            entry["costCenter"] = {"id": line.cost_center_id}
        entry["description"] = line.description
        entries.append(entry)
    body: dict[str, Any] = {
        "date": draft.date.isoformat(),
        "reference": document_tag(draft.key, plan.content_hash),
        "observations": f"{_period_text(plan.period)} — {document_tag(draft.key)}",
        "entries": entries,
    }
    if number_template:
        body["numberTemplate"] = {"id": number_template}
    return body


def payment_payload(
    draft: PaymentDraft, plan: VoucherPlan, contact_ids: Mapping[Party, str]
) -> dict[str, Any]:
    """The ``POST /payments`` body of an egreso (``type: out``) paying the payable account."""
    about = _period_text(plan.period)
    category_note = f"{about} — {draft.party.name}" if draft.party else about
    body: dict[str, Any] = {
        "type": "out",
        "date": draft.date.isoformat(),
        "bankAccount": {"id": draft.bank_account_id},
        "paymentMethod": draft.method,
        "categories": [
            {
                "id": draft.payable_account_id,
                "price": _number(draft.amount),
                "quantity": 1,
                "observations": category_note,
            }
        ],
        "observations": f"{document_tag(draft.key, plan.content_hash)} {about}",
    }
    if draft.party is not None:
        body["client"] = {"id": _contact(draft.party, contact_ids)}
    return body
