"""A period's documents as Alegra holds them, and how they compare with the period's plan.

A document in Alegra is the plan's document when it carries the plan's content hash, or when
its content is the draft's (an unchanged egreso kept by a replace still carries the hash of
the export it was posted from). Copies of one document are told apart by age: the one created
first (ids ascending) is the document, every home agrees on that.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from alegra_sync.alegra.client import AlegraClient
from alegra_sync.alegra.models import Journal, Payment
from alegra_sync.periods import PAYMENT_DATE_MARGIN, Period
from alegra_sync.sync.ledger import DocumentKind
from alegra_sync.vouchers.model import JournalDraft, Party, PaymentDraft, VoucherPlan
from alegra_sync.vouchers.payloads import document_tag, parse_document_tag

Draft = JournalDraft | PaymentDraft
DEAD_STATUSES = frozenset({"void", "voided", "annulled", "cancelled", "deleted"})


@dataclass
class RemoteDocument:
    key: str
    hash: str
    kind: DocumentKind
    alegra_id: str
    journal: Journal | None = None
    payment: Payment | None = None


def id_order(alegra_id: str) -> tuple[int, int, str]:
    """Creation order: numeric ids as numbers; UUIDv7 and other text ids sort by their text
    (a UUIDv7 begins with its time)."""
    return (0, int(alegra_id), "") if alegra_id.isdigit() else (1, 0, alegra_id)


class PaymentIndex:
    """The egresos Alegra holds in a date window, read whole once per window until our own
    writes change them."""

    def __init__(self, client: AlegraClient) -> None:
        self._client = client
        self._windows: dict[tuple[date, date], list[Payment]] = {}

    def between(self, first: date, last: date) -> list[Payment]:
        window = (first, last)
        if window not in self._windows:
            self._windows[window] = self._client.payments_out_between(first, last)
        return list(self._windows[window])

    def forget(self) -> None:
        self._windows.clear()


def egreso_window(plan: VoucherPlan, *, wide: bool) -> tuple[date, date]:
    """Every date the plan's egresos carry; ``wide``: every date an egreso of the period may
    carry at all (the export's payment date is refused beyond the margin), to find those of an
    older export whose payment date changed."""
    period: Period = plan.period
    dates = [payment.date for payment in plan.payments] or [period.end]
    if wide:
        dates += [period.start - PAYMENT_DATE_MARGIN, period.end + PAYMENT_DATE_MARGIN]
    return min(dates), max(dates)


def find_period_documents(client: AlegraClient, payments: PaymentIndex, plan: VoucherPlan, *,
                          wide: bool = False) -> list[RemoteDocument]:
    """Every live journal and egreso in Alegra tagged with this period's keys: one journal
    look-up (a contains-match on the tag's start, compared exactly) and one egreso window."""
    return find_tagged(client, payments, plan.period.name, egreso_window(plan, wide=wide))


def find_tagged(client: AlegraClient, payments: PaymentIndex, period: str,
                window: tuple[date, date]) -> list[RemoteDocument]:
    """``find_period_documents`` for a period known by its name and its egresos' dates (verify
    works from the state, without a plan)."""
    found: list[RemoteDocument] = []
    for journal in client.journals(reference=document_tag(f"{period}/")):
        tag = parse_document_tag(journal.reference)
        if tag and tag[0].startswith(f"{period}/J") and journal.status not in DEAD_STATUSES:
            found.append(RemoteDocument(tag[0], tag[1], "journal", journal.id, journal=journal))
    for payment in payments.between(*window):
        tag = parse_document_tag(payment.observations)
        if tag and tag[0].startswith(f"{period}/P") and payment.status not in DEAD_STATUSES:
            found.append(RemoteDocument(tag[0], tag[1], "payment", payment.id, payment=payment))
    return found


def same_content(remote: RemoteDocument, draft: Draft, contact_ids: Mapping[Party, str]) -> bool:
    """Whether Alegra's document holds exactly what the draft would post (descriptions and
    the tag aside): a journal's date and lines as a multiset, an egreso's date, bank account,
    tercero and amount."""
    if isinstance(draft, JournalDraft):
        journal = remote.journal
        if journal is None or journal.date != draft.date:
            return False
        held = Counter((e.account_id, e.cost_center_id, e.client_id, e.debit, e.credit)
                       for e in journal.entries)
        wanted = Counter((line.account_id, line.cost_center_id,
                          contact_ids.get(line.party) if line.party else None,
                          line.debit, line.credit) for line in draft.lines)
        return held == wanted
    payment = remote.payment
    if payment is None or payment.date != draft.date:
        return False
    client = contact_ids.get(draft.party) if draft.party else None
    paid = sum((c.price * c.quantity for c in payment.categories), Decimal(0))
    return (payment.bank_account_id == draft.bank_account_id and payment.client_id == client
            and {c.id for c in payment.categories} == {draft.payable_account_id}
            and paid == draft.amount)


@dataclass
class Survey:
    """The period's documents in Alegra sorted against the plan."""

    current: dict[str, list[RemoteDocument]]  # key -> the plan's document, oldest first
    stale: list[RemoteDocument]  # of another content: replaced by --replace

    def copies(self) -> dict[str, list[RemoteDocument]]:
        return {key: docs for key, docs in self.current.items() if len(docs) > 1}


def survey(remote: Iterable[RemoteDocument], plan: VoucherPlan,
           contact_ids: Mapping[Party, str], *, by_content: bool = False) -> Survey:
    """``by_content`` (``--replace``): a document is the plan's only when it holds the plan's
    content, whatever hash its tag carries — one edited in Alegra after posting is stale."""
    drafts: dict[str, Draft] = {d.key: d for d in plan.journals}
    drafts.update((d.key, d) for d in plan.payments)
    current: dict[str, list[RemoteDocument]] = {}
    stale: list[RemoteDocument] = []
    for doc in remote:
        draft = drafts.get(doc.key)
        if draft is not None and (
                same_content(doc, draft, contact_ids) if by_content
                else plan.matches(doc.hash) or same_content(doc, draft, contact_ids)):
            current.setdefault(doc.key, []).append(doc)
        else:
            stale.append(doc)
    for docs in current.values():
        docs.sort(key=lambda doc: id_order(doc.alegra_id))
    return Survey(current, stale)

