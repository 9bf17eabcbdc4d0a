"""Posting one period's documents exactly once (accounting.md, "Posting exactly once").

Alegra has no idempotency key, so every document carries its key and the period's content
hash (``reference`` of a journal, ``observations`` of an egreso), local state is committed
before and after every write, and anything not known to be posted is looked up in Alegra
before it is posted. Part of the syncer: it reads state and talks to Alegra.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

from alegra_sync import env
from alegra_sync.alegra.client import AlegraClient
from alegra_sync.alegra.models import Journal, Payment
from alegra_sync.errors import AlegraError, DataError, TryLaterError, UncertainWriteError
from alegra_sync.sync.ledger import DocumentKind, DocumentRecord, Ledger
from alegra_sync.vouchers.model import JournalDraft, Party, PaymentDraft, VoucherPlan
from alegra_sync.vouchers.payloads import (
    document_tag,
    journal_payload,
    parse_document_tag,
    payment_payload,
)

# How far before a period's start an egreso of that period may be dated, when scanning the
# egresos newest first (an export's payment date may precede the period's end).
PAYMENT_SCAN_MARGIN = timedelta(days=15)


@dataclass
class RemoteDocument:
    key: str
    hash: str
    kind: DocumentKind
    alegra_id: str
    journal: Journal | None = None
    payment: Payment | None = None


@dataclass
class PostedPeriod:
    journal_ids: list[str] = field(default_factory=list)
    payment_ids: list[str] = field(default_factory=list)
    posted_now: int = 0  # documents this run created
    replaced: int = 0  # old documents this run deleted or voided


class PaymentIndex:
    """The egresos alegra-sync made, found by listing `type=out` newest first, once per run."""

    def __init__(self, client: AlegraClient) -> None:
        self._client = client
        self._found: dict[str, list[Payment]] = {}
        self._scanned_back_to: date | None = None
        self._exhausted = False

    def for_period(self, period: str, start: date) -> list[Payment]:
        oldest_wanted = start - PAYMENT_SCAN_MARGIN
        if not self._exhausted and (self._scanned_back_to is None
                                    or self._scanned_back_to > oldest_wanted):
            self._scan(oldest_wanted)
        return list(self._found.get(period, []))

    def forget(self) -> None:
        """Our own writes changed the list: scan again when next asked."""
        self._found.clear()
        self._scanned_back_to = None
        self._exhausted = False

    def _scan(self, oldest_wanted: date) -> None:
        """List egresos newest first until they are older than the period.

        Stops early only once the dates have been seen coming newest first: a server that
        ignored the order would otherwise make a posted egreso look absent (posted twice).
        """
        self._found.clear()
        self._exhausted = True
        newest_first, previous, dated = True, None, 0
        for payment in self._client.payments_out_newest_first():
            tag = parse_document_tag(payment.observations)
            if tag is not None and payment.status != "void":
                self._found.setdefault(tag[0].split("/")[0], []).append(payment)
            if payment.date is None:
                continue
            if previous is not None and payment.date > previous:
                newest_first = False
            previous, dated = payment.date, dated + 1
            if newest_first and dated >= 2 and payment.date < oldest_wanted:
                self._scanned_back_to = payment.date
                self._exhausted = False
                return
        self._scanned_back_to = oldest_wanted


class PeriodPoster:
    """Posts (or adopts, or replaces) the documents of one period's plan."""

    def __init__(
        self,
        client: AlegraClient,
        ledger: Ledger,
        payments: PaymentIndex,
        *,
        recheck_delays: Sequence[float],
        number_template: str | None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._client = client
        self._ledger = ledger
        self._payments = payments
        self._recheck_delays = recheck_delays
        self._number_template = number_template
        self._sleep = sleep

    # --- look-ups ---------------------------------------------------------------------------

    def remote_documents(self, plan: VoucherPlan) -> list[RemoteDocument]:
        """Every live journal and egreso in Alegra tagged with this period's keys."""
        period = plan.period.name
        found: list[RemoteDocument] = []
        prefix = document_tag(f"{period}/")
        for journal in self._client.journals(reference=prefix):
            tag = parse_document_tag(journal.reference)
            # `reference` filters by contains: compare exactly
            if tag and tag[0].startswith(f"{period}/J"):
                found.append(RemoteDocument(tag[0], tag[1], "journal", journal.id,
                                            journal=journal))
        for payment in self._payments.for_period(period, plan.period.start):
            tag = parse_document_tag(payment.observations)
            if tag and tag[0].startswith(f"{period}/P"):
                found.append(RemoteDocument(tag[0], tag[1], "payment", payment.id,
                                            payment=payment))
        return found

    # --- the protocol -----------------------------------------------------------------------

    def post(
        self, plan: VoucherPlan, contact_ids: dict[Party, str], *, replace: bool,
        describe_change: Callable[[list[RemoteDocument]], str],
    ) -> PostedPeriod:
        period = plan.period.name
        result = PostedPeriod()
        local = {doc.key: doc for doc in self._ledger.live_documents(period)}
        if _all_posted_here(plan, local):
            result.journal_ids = [local[d.key].alegra_id or "" for d in plan.journals]
            result.payment_ids = [local[d.key].alegra_id or "" for d in plan.payments]
            return result

        remote, stale = self._remote_check(plan, local, replace, describe_change)
        if stale:
            result.replaced = self._replace(plan, stale)
        for doc in local.values():
            if doc.hash != plan.content_hash:
                # older versions: replaced if they ever landed, else never existed
                if doc.status in ("posted", "replacing"):
                    self._ledger.mark_replaced(doc.key, doc.hash)
                else:
                    self._ledger.forget_document(doc.key, doc.hash)
        current = {doc.key: doc for doc in remote if doc.hash == plan.content_hash}

        for journal in plan.journals:
            result.journal_ids.append(self._ensure(
                plan, journal.key, "journal", current,
                partial(journal_payload, journal, plan, contact_ids, self._number_template),
                amount=journal.debit_total, result=result,
            ))
        for payment in plan.payments:
            result.payment_ids.append(self._ensure(
                plan, payment.key, "payment", current,
                partial(payment_payload, payment, plan, contact_ids),
                amount=payment.amount, result=result,
            ))
        self._ledger.set_replace_target(period, None)  # any replace of the period is done
        return result

    def preview(
        self, plan: VoucherPlan, *, replace: bool,
        describe_change: Callable[[list[RemoteDocument]], str],
    ) -> bool:
        """For a dry run: whether post() would find every document already posted. Writes
        nothing, and refuses what post() would refuse before its first write."""
        local = {doc.key: doc for doc in self._ledger.live_documents(plan.period.name)}
        if _all_posted_here(plan, local):
            return True
        remote, stale = self._remote_check(plan, local, replace, describe_change)
        current = {doc.key for doc in remote if doc.hash == plan.content_hash}
        keys = [d.key for d in plan.journals] + [d.key for d in plan.payments]
        return not stale and all(key in current for key in keys)

    def _remote_check(
        self, plan: VoucherPlan, local: dict[str, DocumentRecord], replace: bool,
        describe_change: Callable[[list[RemoteDocument]], str],
    ) -> tuple[list[RemoteDocument], list[RemoteDocument]]:
        """The period's documents in Alegra and those of an older export (to replace); a
        changed export without ``replace`` (or a recorded replace intent) is refused."""
        period = plan.period.name
        remote = self.remote_documents(plan)
        _refuse_copies(remote)
        stale = [doc for doc in remote if doc.hash != plan.content_hash]
        stale_ids = {(doc.key, doc.hash) for doc in stale}
        # posted here from an older export, but no longer in Alegra (deleted there by hand)
        gone = [doc for doc in local.values() if doc.hash != plan.content_hash
                and doc.status == "posted" and (doc.key, doc.hash) not in stale_ids]
        # a replace cut short is finished without --replace, but only for the export it was
        # started for: another change needs the flag again
        replacing = (any(doc.status == "replacing" for doc in local.values())
                     and self._ledger.replace_target(period) == plan.content_hash)
        if (stale or gone) and not (replace or replacing):
            change = describe_change(stale) if stale else "the export's content changed"
            raise DataError(
                f"period {period} was posted from a different export: {change}",
                hint=f"check the export; `alegra-sync sync --period {period} --replace` "
                "replaces what is posted",
            )
        return remote, stale

    def _ensure(
        self, plan: VoucherPlan, key: str, kind: DocumentKind,
        current: dict[str, RemoteDocument], payload: Callable[[], dict[str, Any]],
        *, amount: Decimal, result: PostedPeriod,
    ) -> str:
        """Adopt the document if Alegra has it, else post it; returns its Alegra id."""
        period, content_hash = plan.period.name, plan.content_hash
        local = self._ledger.document(key, content_hash)
        if local is not None and local.status == "posted" and local.alegra_id:
            return local.alegra_id
        if key in current:
            alegra_id = current[key].alegra_id
            self._ledger.set_document(key, period, kind, content_hash, "posted",
                                      alegra_id=alegra_id, amount=str(amount))
            return alegra_id

        body = payload()
        attempts = len(self._recheck_delays) + 1
        for _attempt in range(attempts):
            self._ledger.set_document(key, period, kind, content_hash, "posting",
                                      amount=str(amount))
            _crash_point("before-post", key)
            try:
                created = (self._client.create_journal(body) if kind == "journal"
                           else self._client.create_payment(body))
            except UncertainWriteError:
                self._ledger.set_document(key, period, kind, content_hash, "uncertain")
                found = self._recheck(plan, key, kind)
                if found is not None:
                    self._ledger.set_document(key, period, kind, content_hash, "posted",
                                              alegra_id=found)
                    return found
                continue  # absent after the re-checks: post again
            _crash_point("after-post", key)
            self._ledger.set_document(key, period, kind, content_hash, "posted",
                                      alegra_id=created.id)
            if kind == "payment":
                self._payments.forget()
            result.posted_now += 1
            return created.id
        raise TryLaterError(
            f"{key}: Alegra did not confirm the document after {attempts} attempts",
            hint="run sync again later; it looks the document up before posting",
        )

    def _recheck(self, plan: VoucherPlan, key: str, kind: DocumentKind) -> str | None:
        """The document's id if a re-check finds it; None only when the last look-up answered
        without it. A look-up that failed never showed the document absent, so when the last
        one failed the outcome stays unknown: TryLaterError, the document left ``uncertain``."""
        failure: AlegraError | None = None
        for delay in self._recheck_delays:
            self._sleep(delay)
            if kind == "payment":
                self._payments.forget()
            try:
                remote = self.remote_documents(plan)
            except AlegraError as exc:
                failure = exc
                continue  # Alegra still failing: wait and look again
            failure = None
            for doc in remote:
                if doc.key == key and doc.hash == plan.content_hash:
                    return doc.alegra_id
        if failure is not None:
            raise TryLaterError(
                f"{key}: Alegra may have stored the document, and looking it up failed "
                f"({failure})",
                hint="run sync again later; it looks the document up before posting",
            )
        return None

    def _replace(self, plan: VoucherPlan, stale: list[RemoteDocument]) -> int:
        """Delete the old journals and void the old egresos; resumable after a crash."""
        period = plan.period.name
        self._ledger.set_replace_target(period, plan.content_hash)
        for doc in stale:
            self._ledger.set_document(doc.key, period, doc.kind, doc.hash, "replacing",
                                      alegra_id=doc.alegra_id)
        # egresos first: an egreso paying a journal that no longer exists is worse
        for doc in sorted(stale, key=lambda d: d.kind != "payment"):
            if doc.kind == "payment":
                self._void(doc.alegra_id)
            else:
                try:  # DELETE is retried by the client; a 404 then means it went through
                    self._client.delete_journal(doc.alegra_id)
                except AlegraError as exc:
                    if exc.status != 404:
                        raise
            self._ledger.mark_replaced(doc.key, doc.hash)
        self._payments.forget()
        return len(stale)

    def _void(self, payment_id: str) -> None:
        """Void an egreso. The void is a POST: an unknown outcome is read back, not repeated
        blindly (voiding twice is refused by Alegra, and tells nothing)."""
        waits = list(self._recheck_delays)
        while True:
            try:
                self._client.void_payment(payment_id)
                return
            except UncertainWriteError:
                if not waits:
                    raise TryLaterError(
                        f"egreso {payment_id}: Alegra did not confirm the void",
                        hint="run sync again later; it finishes the replacement",
                    ) from None
            except AlegraError as exc:
                if exc.status == 404 or self._is_void(payment_id):  # gone or already void
                    return
                raise
            self._sleep(waits.pop(0))
            with contextlib.suppress(AlegraError):  # still failing: void again, then look
                if self._is_void(payment_id):
                    return

    def _is_void(self, payment_id: str) -> bool:
        return self._client.get_payment(payment_id).status == "void"


def _all_posted_here(plan: VoucherPlan, local: dict[str, DocumentRecord]) -> bool:
    """Whether the state records every document of the plan posted with its content."""
    drafts: list[JournalDraft | PaymentDraft] = [*plan.journals, *plan.payments]
    return len(local) == len(drafts) and all(
        (doc := local.get(d.key)) is not None and doc.hash == plan.content_hash
        and doc.status == "posted" for d in drafts
    )


def _refuse_copies(remote: list[RemoteDocument]) -> None:
    """Two live documents with one key and hash are one document posted twice (by hand, or by
    an older version): say so, rather than adopt one and leave the copy in the books."""
    ids: dict[tuple[str, str], list[str]] = {}
    for doc in remote:
        ids.setdefault((doc.key, doc.hash), []).append(doc.alegra_id)
    copies = [f"{key} (Alegra ids {', '.join(sorted(found, key=lambda i: (len(i), i)))})"
              for (key, _), found in ids.items() if len(found) > 1]
    if copies:
        raise DataError(
            "Alegra holds the same document more than once: " + "; ".join(copies),
            hint="delete the extra comprobante or void the extra egreso in Alegra, then run "
            "sync again",
        )


def _crash_point(where: str, key: str) -> None:
    """Test hook: ALEGRA_SYNC_TEST_CRASH=before-post:2026-11-01/J1 kills the process there."""
    wanted = os.environ.get(env.TEST_CRASH)
    if wanted and wanted in (where, f"{where}:{key}"):
        os._exit(137)
