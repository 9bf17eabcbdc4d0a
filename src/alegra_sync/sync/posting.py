"""Posting one period's documents exactly once (accounting.md, "Posting exactly once").

Alegra has no idempotency key, so every document carries its key and the period's content
hash (``reference`` of a journal, ``observations`` of an egreso), local state is committed
before and after every write, and anything not known to be posted is looked up in Alegra
before it is posted. After posting, the period is looked up once more: another home that
posted the same period at the same moment left copies, and every home keeps the oldest.
Part of the sync run: it reads state and talks to Alegra.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from alegra_sync import env
from alegra_sync.alegra.client import AlegraClient
from alegra_sync.errors import (
    AlegraError,
    ConfigError,
    DataError,
    TryLaterError,
    UnavailableError,
    UncertainWriteError,
)
from alegra_sync.i18n import T, Text, joined
from alegra_sync.sync.ledger import DocumentKind, DocumentRecord, Ledger
from alegra_sync.sync.remote import (
    DEAD_STATUSES,
    PaymentIndex,
    RemoteDocument,
    Survey,
    find_period_documents,
    survey,
)
from alegra_sync.vouchers.model import JournalDraft, Party, PaymentDraft, VoucherPlan
from alegra_sync.vouchers.payloads import journal_payload, payment_payload

Draft = JournalDraft | PaymentDraft
ContactIds = Mapping[Party, str]
# POSTs of one document in one run, each after the look-ups proved the one before absent.
MAX_POSTS = 3
# Alegra's answer when a line names a contact that no longer exists (merged, re-created).
NO_ANSWER = "no answer"  # what the run log says Alegra answered a POST that timed out
_MISSING_CONTACT = re.compile(r"contacto con id (\S+?) no existe", re.IGNORECASE)


@dataclass
class PostedPeriod:
    journal_ids: list[str] = field(default_factory=list)
    payment_ids: list[str] = field(default_factory=list)
    posted_now: int = 0  # documents this run created
    replaced: int = 0  # old documents this run deleted or voided
    # the contact ids the documents were posted with (refreshed when one proved stale): the
    # state records them with the lines
    contact_ids: dict[Party, str] = field(default_factory=dict)


@dataclass
class Preview:
    """What ``post`` would do, for a dry run (nothing written)."""

    all_posted: bool
    delete: list[RemoteDocument] = field(default_factory=list)  # old comprobantes
    void: list[RemoteDocument] = field(default_factory=list)  # old egresos
    post: list[str] = field(default_factory=list)  # keys posted anew
    keep: list[str] = field(default_factory=list)  # keys whose document stays as it is


@dataclass
class _Run:
    """One post() call: the contact ids (refreshed when one proves stale) and what it did."""

    contact_ids: dict[Party, str]
    result: PostedPeriod = field(default_factory=PostedPeriod)
    created: set[str] = field(default_factory=set)  # ids of the documents this run POSTed
    uncertain: set[str] = field(default_factory=set)  # keys whose POST had no clear answer
    contacts_refreshed: bool = False


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
        warn: Callable[[str | Text], None] = lambda _message: None,
        refresh_contacts: Callable[[str], dict[Party, str]] | None = None,
        log: Callable[[dict[str, Any]], None] = lambda _line: None,
    ) -> None:
        self._client = client
        self._ledger = ledger
        self._payments = payments
        self._recheck_delays = recheck_delays
        self._number_template = number_template
        self._sleep = sleep
        self._warn = warn
        # drops a contact id Alegra no longer knows and resolves the terceros again
        self._refresh_contacts = refresh_contacts
        self._log = log  # a line of the run log: how an unknown outcome was settled

    # --- the protocol -----------------------------------------------------------------------

    def post(
        self, plan: VoucherPlan, contact_ids: ContactIds, *, replace: bool,
        describe_change: Callable[[list[RemoteDocument]], DataError],
    ) -> PostedPeriod:
        run = _Run(dict(contact_ids))
        run.result.contact_ids = run.contact_ids
        local = self._ledger.live_documents(plan.period.name)
        # --replace brings Alegra back to the plan (accounting.md, "Verify"), so it looks
        # Alegra up even when the state holds every document as posted
        if not replace and self._posted_here(plan, local):
            by_key = {doc.key: doc for doc in local if plan.matches(doc.hash)}
            run.result.journal_ids = [by_key[d.key].alegra_id or "" for d in plan.journals]
            run.result.payment_ids = [by_key[d.key].alegra_id or "" for d in plan.payments]
            if self._ledger.reconcile_pending(plan.period.name):  # stopped before the look-up
                self._reconcile(plan, run, local)
            return run.result

        found, gone = self._look_up(plan, run.contact_ids, local, replace=replace)
        copies = self._resolve_copies(found, _ids(local), strict=True, remove_foreign=replace)
        self._refuse_unannounced_change(plan, found, gone, local, replace, describe_change)
        self._ledger.set_reconcile_pending(plan.period.name, True)  # before the first write
        if replace:  # posted here, but deleted, voided or untagged in Alegra: posted again
            lost = self._lost(plan, local, found)
            run.result.replaced += len(copies) + self._forget_lost(lost)
        if found.stale or gone:
            run.result.replaced += self._replace(plan, found.stale, gone)
        self._settle_older_rows(plan, local, found)
        for journal in plan.journals:
            run.result.journal_ids.append(self._ensure(plan, journal, "journal", found, run))
        for payment in plan.payments:
            run.result.payment_ids.append(self._ensure(plan, payment, "payment", found, run))
        self._reconcile(plan, run, local)
        self._ledger.set_replace_target(plan.period.name, None)  # any replace is done
        run.result.contact_ids = run.contact_ids
        return run.result

    def preview(
        self, plan: VoucherPlan, contact_ids: ContactIds, *, replace: bool,
        describe_change: Callable[[list[RemoteDocument]], DataError],
    ) -> Preview:
        """For a dry run: what post() would do. Writes nothing, and refuses what post() would
        refuse before its first write."""
        local = self._ledger.live_documents(plan.period.name)
        if not replace and self._posted_here(plan, local):
            return Preview(all_posted=True)
        found, gone = self._look_up(plan, contact_ids, local, replace=replace)
        copies = self._resolve_copies(found, _ids(local), strict=True, dry_run=True,
                                      remove_foreign=replace)
        self._refuse_unannounced_change(plan, found, gone, local, replace, describe_change)
        lost = self._lost(plan, local, found) if replace else []
        removed = [*found.stale, *copies, *(doc for _, doc in lost if doc is not None)]
        keys = plan.keys()
        return Preview(
            all_posted=not removed and not gone and all(k in found.current for k in keys),
            delete=[d for d in removed if d.kind == "journal"],
            void=[d for d in removed if d.kind == "payment"],
            post=[k for k in keys if k not in found.current],
            keep=[k for k in keys if k in found.current],
        )

    # --- look-ups ---------------------------------------------------------------------------

    def _look_up(
        self, plan: VoucherPlan, contact_ids: ContactIds, local: list[DocumentRecord], *,
        replace: bool = False,
    ) -> tuple[Survey, list[DocumentRecord]]:
        """The period's documents in Alegra against the plan, and what the state holds as
        posted that Alegra no longer has. When the period changed (older rows here, or older
        comprobantes there), the egresos are looked for over every date they may carry.
        A replace (asked for, or one cut short for this content) compares by content: a
        document edited in Alegra is replaced even though its tag carries the plan's hash."""
        by_content = replace or (any(doc.status == "replacing" for doc in local) and
                                 self._ledger.replace_target(plan.period.name)
                                 == plan.content_hash)
        wide = any(not plan.matches(doc.hash) for doc in local)
        remote = find_period_documents(self._client, self._payments, plan, wide=wide)
        found = survey(remote, plan, contact_ids, by_content=by_content)
        if not wide and any(doc.kind == "journal" for doc in found.stale):
            remote = find_period_documents(self._client, self._payments, plan, wide=True)
            found = survey(remote, plan, contact_ids, by_content=by_content)
        in_alegra = {doc.alegra_id for doc in remote}
        gone = [doc for doc in local if doc.status in ("posted", "replacing")
                and not plan.matches(doc.hash) and doc.alegra_id not in in_alegra]
        return found, gone

    def _posted_here(self, plan: VoucherPlan, local: list[DocumentRecord]) -> bool:
        """Whether the state records every document of the plan posted with its content."""
        posted = {doc.key for doc in local if doc.status == "posted" and plan.matches(doc.hash)}
        return set(plan.keys()) <= posted and all(plan.matches(doc.hash) for doc in local)

    def _refuse_unannounced_change(
        self, plan: VoucherPlan, found: Survey, gone: list[DocumentRecord],
        local: list[DocumentRecord], replace: bool,
        describe_change: Callable[[list[RemoteDocument]], DataError],
    ) -> None:
        """A period posted from other content is replaced only with ``--replace``, or to
        finish a replace cut short — and then only for the content it was started for."""
        if not (found.stale or gone) or replace:
            return
        period = plan.period.name
        if (any(doc.status == "replacing" for doc in local)
                and self._ledger.replace_target(period) == plan.content_hash):
            return
        if found.stale:  # the refusal says whether the export or the mapping changed
            raise describe_change(found.stale)
        raise DataError(
            T("period {period} was posted from other content, and those documents are no "
              "longer in Alegra", period=period),
            hint=T("check the export; `alegra-sync sync --period {period} --replace` posts it "
                   "again", period=period),
        )

    # --- copies ----------------------------------------------------------------------------

    def _resolve_copies(self, found: Survey, ours: set[str], *, strict: bool,
                        dry_run: bool = False, remove_foreign: bool = False,
                        ) -> list[RemoteDocument]:
        """Keep the oldest of each document Alegra holds more than once, removing the copies
        this home made. A copy another home or a person made is refused before posting
        (``strict``: 65, for the accountant or ``--replace``), and only told of after posting
        — that home removes its own copy when it looks again. With ``--replace``
        (``remove_foreign``) every copy is removed. Returns the copies removed (in a dry run,
        those ``--replace`` would remove)."""
        removed: list[RemoteDocument] = []
        for key, docs in found.copies().items():
            first, extra = docs[0], docs[1:]
            foreign = [] if remove_foreign else [d for d in extra if d.alegra_id not in ours]
            if remove_foreign:
                removed += extra
            if foreign and strict:
                raise DataError(
                    T("Alegra holds the same document more than once: {key} (Alegra ids "
                      "{ids})", key=key, ids=", ".join(doc.alegra_id for doc in docs)),
                    hint=T("delete the extra comprobante or void the extra egreso in Alegra, "
                           "then run sync again"),
                )
            for doc in extra:
                if doc in foreign:
                    self._warn(T("{key}: Alegra also holds a copy (id {copy}) that another "
                                 "alegra-sync posted at the same time; {kept} is the "
                                 "document, and that run removes its copy when it looks "
                                 "again (`alegra-sync verify` tells if it stays)", key=key,
                                 copy=doc.alegra_id, kept=first.alegra_id))
                elif not dry_run:
                    self._remove(doc)
                    self._ledger.redirect_document(doc.alegra_id, first.alegra_id)
                    if remove_foreign:
                        self._warn(T("{key}: Alegra held the document more than once; kept "
                                     "the first, {kept}, and removed the copy {removed} "
                                     "(--replace)", key=key, kept=first.alegra_id,
                                     removed=doc.alegra_id))
                    else:
                        self._warn(T("{key}: another alegra-sync posted the same document at "
                                     "the same time; kept Alegra's first, {kept}, and removed "
                                     "this run's copy {removed}", key=key, kept=first.alegra_id,
                                     removed=doc.alegra_id))
            found.current[key] = [first]
        return removed

    def _reconcile(self, plan: VoucherPlan, run: _Run, local: list[DocumentRecord]) -> None:
        """After posting: look the period up once more (one journal look-up, one egreso window)
        and settle on the oldest of any copies; the state follows. A look-up that fails
        leaves the period to the next run's look-up: the documents are posted."""
        self._payments.forget()
        try:
            remote = find_period_documents(self._client, self._payments, plan)
        except AlegraError as exc:
            self._warn(T("{period}: posted, but looking it up again after posting failed "
                         "({error}); the next sync looks again, for copies another "
                         "alegra-sync may have posted at the same moment",
                         period=plan.period.name, error=exc.sentence()))
            return
        found = survey(remote, plan, run.contact_ids)
        ours = _ids(local) | run.created
        for key in run.uncertain & found.copies().keys():
            # an unanswered POST may have made any of them: they are copies of ours
            ours |= {doc.alegra_id for doc in found.current[key]}
        self._resolve_copies(found, ours, strict=False)
        ids = {key: docs[0].alegra_id for key, docs in found.current.items()}
        for key, alegra_id in ids.items():
            recorded = self._ledger.document(key, plan.content_hash)
            if recorded is not None and recorded.alegra_id != alegra_id:
                self._ledger.set_document(key, recorded.period, recorded.kind,
                                          plan.content_hash, "posted", alegra_id=alegra_id)
        result = run.result
        result.journal_ids = [ids.get(d.key, i) for d, i in zip(plan.journals, result.journal_ids,
                                                                 strict=False)]
        result.payment_ids = [ids.get(d.key, i) for d, i in zip(plan.payments, result.payment_ids,
                                                                 strict=False)]
        self._ledger.set_reconcile_pending(plan.period.name, False)

    def _remove(self, doc: RemoteDocument) -> None:
        if doc.kind == "payment":
            self._void(doc.alegra_id)
        else:
            self._delete_journal(doc.alegra_id)
        self._payments.forget()

    # --- one document -----------------------------------------------------------------------

    def _ensure(self, plan: VoucherPlan, draft: Draft, kind: DocumentKind, found: Survey,
                run: _Run) -> str:
        """Adopt the document if Alegra has it, else post it; returns its Alegra id."""
        period, content_hash, key = plan.period.name, plan.content_hash, draft.key
        amount = str(draft.debit_total if isinstance(draft, JournalDraft) else draft.amount)
        local = self._ledger.document(key, content_hash)
        if local is not None and local.status == "posted" and local.alegra_id:
            return local.alegra_id
        if key in found.current:
            alegra_id = found.current[key][0].alegra_id
            self._ledger.set_document(key, period, kind, content_hash, "posted",
                                      alegra_id=alegra_id, amount=amount)
            if local is not None and local.status in ("posting", "uncertain"):
                # a run stopped (or left it uncertain) after its POST: Alegra had it
                self._log({"event": "adopted", "key": key, "alegra_id": alegra_id,
                           "was": local.status})
            return alegra_id

        failures: list[str] = []
        while len(failures) < MAX_POSTS:
            body = self._payload(plan, draft, run.contact_ids)
            self._ledger.set_document(key, period, kind, content_hash, "posting", amount=amount)
            _crash_point("before-post", key)
            try:
                created = (self._client.create_journal(body) if kind == "journal"
                           else self._client.create_payment(body))
            except UncertainWriteError as exc:
                self._ledger.set_document(key, period, kind, content_hash, "uncertain")
                run.uncertain.add(key)
                found_id = self._recheck(plan, key, run.contact_ids)
                if found_id is not None:
                    self._ledger.set_document(key, period, kind, content_hash, "posted",
                                              alegra_id=found_id)
                    self._log({"event": "adopted", "key": key, "alegra_id": found_id,
                               "was": "uncertain", "answer": _answer_of(exc)})
                    return found_id
                failures.append(_answer_of(exc))  # absent after the re-checks: post again
                self._log({"event": "absent", "key": key, "was": "uncertain",
                           "answer": _answer_of(exc)})
                continue
            except AlegraError as exc:
                # refused: nothing was created, so nothing is uncertain
                self._ledger.forget_document(key, content_hash)
                if self._retry_with_fresh_contacts(exc, run):
                    continue
                raise
            _crash_point("after-post", key)
            self._ledger.set_document(key, period, kind, content_hash, "posted",
                                      alegra_id=created.id)
            if kind == "payment":
                self._payments.forget()
            run.created.add(created.id)
            run.result.posted_now += 1
            return created.id
        self._ledger.forget_document(key, content_hash)  # proved absent after every POST
        answers = joined(", ", [T("no answer") if answer == NO_ANSWER else answer
                                for answer in failures])
        message = (T("{key}: Alegra answered {answers} to the {n} POSTs of the comprobante, "
                     "and the comprobante was not in Alegra after each; nothing was posted",
                     key=key, answers=answers, n=len(failures)) if kind == "journal" else
                   T("{key}: Alegra answered {answers} to the {n} POSTs of the egreso, and "
                     "the egreso was not in Alegra after each; nothing was posted",
                     key=key, answers=answers, n=len(failures)))
        raise UnavailableError(message, hint=T("Alegra is failing; run sync again later"))

    def _payload(self, plan: VoucherPlan, draft: Draft, contact_ids: ContactIds) -> dict[str, Any]:
        if isinstance(draft, JournalDraft):
            return journal_payload(draft, plan, contact_ids, self._number_template)
        return payment_payload(draft, plan, contact_ids)

    def _retry_with_fresh_contacts(self, error: AlegraError, run: _Run) -> bool:
        """A refusal naming one of our contacts as gone (merged or re-created in Alegra):
        resolve the terceros again and post once more, once per run."""
        missing = _MISSING_CONTACT.search(error.message)
        if (missing is None or self._refresh_contacts is None
                or missing.group(1) not in run.contact_ids.values()):
            return False
        if run.contacts_refreshed:
            raise ConfigError(
                T("Alegra refuses the contact {contact} even after the terceros were looked "
                  "up again ({error})", contact=missing.group(1), error=error.text),
                hint=T("check the tercero's contact in Alegra (merged or deleted?), then run "
                       "sync again"),
            ) from None
        run.contacts_refreshed = True
        run.contact_ids = self._refresh_contacts(missing.group(1))
        return True

    def _recheck(self, plan: VoucherPlan, key: str, contact_ids: ContactIds) -> str | None:
        """The document's id if a re-check finds it; None only when the last look-up answered
        without it. A look-up that failed never showed the document absent, so when the last
        one failed the outcome stays unknown: TryLaterError, the document left ``uncertain``."""
        failure: AlegraError | None = None
        for delay in self._recheck_delays:
            self._sleep(delay)
            self._payments.forget()
            try:
                remote = find_period_documents(self._client, self._payments, plan)
            except AlegraError as exc:
                failure = exc
                continue  # Alegra still failing: wait and look again
            failure = None
            docs = survey(remote, plan, contact_ids).current.get(key)
            if docs:
                return docs[0].alegra_id
        if failure is not None:
            raise TryLaterError(
                T("{key}: Alegra may have stored the document, and looking it up failed "
                  "({error})", key=key, error=failure.sentence()),
                hint=T("run sync again later; it looks the document up before posting"),
            )
        return None

    # --- replacing --------------------------------------------------------------------------

    def _lost(self, plan: VoucherPlan, local: list[DocumentRecord], found: Survey,
              ) -> list[tuple[DocumentRecord, RemoteDocument | None]]:
        """For ``--replace``: what the state holds as posted with the plan's content that the
        look-up did not find live — each read by id (one GET): deleted or voided (None), or
        still there without its tag (to be removed before it is posted again)."""
        seen = {doc.alegra_id for docs in found.current.values() for doc in docs}
        seen |= {doc.alegra_id for doc in found.stale}
        lost: list[tuple[DocumentRecord, RemoteDocument | None]] = []
        for record in local:
            if (record.status != "posted" or not record.alegra_id or record.alegra_id in seen
                    or not plan.matches(record.hash)):
                continue
            lost.append((record, self._still_live(record)))
        return lost

    def _still_live(self, record: DocumentRecord) -> RemoteDocument | None:
        alegra_id = record.alegra_id or ""
        try:
            if record.kind == "journal":
                journal = self._client.get_journal(alegra_id)
                live = journal.status not in DEAD_STATUSES
                return RemoteDocument(record.key, record.hash, "journal", alegra_id,
                                      journal=journal) if live else None
            payment = self._client.get_payment(alegra_id)
            return RemoteDocument(record.key, record.hash, "payment", alegra_id,
                                  payment=payment) if payment.status not in DEAD_STATUSES \
                else None
        except AlegraError as exc:
            if exc.status == 404:
                return None
            raise

    def _forget_lost(self, lost: list[tuple[DocumentRecord, RemoteDocument | None]]) -> int:
        """The lost documents' rows make way for new POSTs (an untagged one is removed first)."""
        for record, remote in lost:
            if remote is not None:
                self._remove(remote)
            self._ledger.mark_replaced(record.key, record.hash)
        return len(lost)

    def _replace(self, plan: VoucherPlan, stale: list[RemoteDocument],
                 gone: list[DocumentRecord]) -> int:
        """Delete the old journals and void the old egresos; the intent (the content replaced
        for, the documents to remove) is recorded before the first write, so a replace cut
        short is finished — for that content only — whatever write it stopped at."""
        period = plan.period.name
        self._ledger.set_replace_target(period, plan.content_hash)
        # a stale document whose (key, hash) row names another id is a copy (a hand-made one
        # carrying our tag): it is removed, that row is not its
        ours = [doc for doc in stale if self._row_is_for(doc)]
        for doc in ours:
            self._ledger.set_document(doc.key, period, doc.kind, doc.hash, "replacing",
                                      alegra_id=doc.alegra_id)
        # egresos first: an egreso paying a journal that no longer exists is worse
        for doc in sorted(stale, key=lambda d: d.kind != "payment"):
            self._remove(doc)
            _crash_point("after-remove", doc.key)
            if any(doc is mine for mine in ours):
                self._ledger.mark_replaced(doc.key, doc.hash)
        for record in gone:  # deleted in Alegra already (by hand, or by a replace cut short)
            self._ledger.mark_replaced(record.key, record.hash)
        return len(stale)

    def _row_is_for(self, doc: RemoteDocument) -> bool:
        row = self._ledger.document(doc.key, doc.hash)
        return row is None or row.alegra_id in (None, doc.alegra_id)

    def _settle_older_rows(self, plan: VoucherPlan, local: list[DocumentRecord],
                           found: Survey) -> None:
        """Rows of older content: a document kept unchanged becomes the plan's; one that
        landed was replaced; one that never landed is forgotten."""
        kept = {docs[0].alegra_id for docs in found.current.values()}
        for doc in local:
            if plan.matches(doc.hash):
                continue
            if doc.alegra_id in kept:
                self._ledger.rehash_document(doc.key, doc.hash, plan.content_hash)
            elif doc.status in ("posted", "replacing"):
                self._ledger.mark_replaced(doc.key, doc.hash)
            else:
                self._ledger.forget_document(doc.key, doc.hash)

    def _delete_journal(self, journal_id: str) -> None:
        try:  # DELETE is retried by the client; a 404 then means it went through
            self._client.delete_journal(journal_id)
        except AlegraError as exc:
            if exc.status != 404:
                raise

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
                        T("egreso {id}: Alegra did not confirm the void", id=payment_id),
                        hint=T("run sync again later; it finishes the replacement"),
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


def _ids(local: list[DocumentRecord]) -> set[str]:
    return {doc.alegra_id for doc in local if doc.alegra_id}


def _answer_of(error: UncertainWriteError) -> str:
    """What Alegra answered an unconfirmed POST: "500", or "no answer" (timeout, dropped)."""
    return str(error.status) if error.status else NO_ANSWER


def _crash_point(where: str, key: str) -> None:
    """Test hook: ALEGRA_SYNC_TEST_CRASH=before-post:2026-11-01/J1 kills the process there
    (also after-post, and after-remove: a replace's delete or void done, not yet recorded)."""
    wanted = os.environ.get(env.TEST_CRASH)
    if wanted and wanted in (where, f"{where}:{key}"):
        os._exit(137)

