"""A period's documents in Alegra: the egreso window, and how they compare with the plan."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, cast

from alegra_sync.alegra.models import Journal, JournalEntry, Payment, PaymentCategory
from alegra_sync.periods import Period
from alegra_sync.sync.remote import (
    PaymentIndex,
    RemoteDocument,
    egreso_window,
    find_period_documents,
    id_order,
    same_content,
    survey,
)
from alegra_sync.vouchers.model import JournalDraft, Line, Party, PaymentDraft, VoucherPlan

PERIOD = Period(date(2026, 11, 1), date(2026, 11, 15))
ANA = Party("employee", "1001", "Ana")


def plan(*payment_dates: date, content_hash: str = "3fa2c1d0",
         legacy: frozenset[str] = frozenset()) -> VoucherPlan:
    journal = JournalDraft("2026-11-01/J1", date(2026, 11, 15), [
        Line("5105", Decimal(100), Decimal(0), ANA, "1", "Salario"),
        Line("2505", Decimal(0), Decimal(100), ANA, None, "Salario"),
    ], ["1001"])
    payments = [PaymentDraft(f"2026-11-01/P{n}", day, Decimal(100), "2505", "4", "transfer",
                             None, ["1001"]) for n, day in enumerate(payment_dates, 1)]
    return VoucherPlan(PERIOD, [journal], payments, content_hash, Decimal(100),
                       {"1001": Decimal(100)}, Decimal(100), Decimal(100), legacy)


def egreso(number: str, day: date, observations: str, status: str = "open",
           amount: int = 100) -> Payment:
    return Payment(id=number, date=day, type="out", bank_account_id="4",
                   observations=observations, status=status,
                   categories=[PaymentCategory(id="2505", price=Decimal(amount))])


class FakeClient:
    def __init__(self, journals: list[Journal], payments: list[Payment]) -> None:
        self.journal_list, self.payment_list = journals, payments
        self.windows: list[tuple[date, date]] = []

    def journals(self, reference: str | None = None) -> list[Journal]:
        return [j for j in self.journal_list if reference and reference in (j.reference or "")]

    def payments_out_between(self, first: date, last: date) -> list[Payment]:
        self.windows.append((first, last))
        return [p for p in self.payment_list if first <= p.date <= last]


def test_the_window_holds_every_date_the_plans_egresos_carry() -> None:
    assert egreso_window(plan(date(2026, 11, 13), date(2026, 11, 14)), wide=False) == (
        date(2026, 11, 13), date(2026, 11, 14))
    assert egreso_window(plan(), wide=False) == (date(2026, 11, 15), date(2026, 11, 15))


def test_the_wide_window_holds_every_date_an_egreso_of_the_period_may_carry() -> None:
    assert egreso_window(plan(date(2026, 11, 13)), wide=True) == (
        date(2026, 10, 1), date(2026, 12, 16))


def test_an_egreso_dated_far_from_its_period_is_found_in_its_window() -> None:
    far = date(2026, 12, 10)
    client = FakeClient([], [egreso("7", far, "alegra-sync 2026-11-01/P1 #3fa2c1d0 Nómina")])
    found = find_period_documents(cast(Any, client), PaymentIndex(cast(Any, client)), plan(far))
    assert [(d.key, d.alegra_id) for d in found] == [("2026-11-01/P1", "7")]
    assert client.windows == [(far, far)]


def test_void_egresos_and_other_periods_are_not_the_periods_documents() -> None:
    day = date(2026, 11, 13)
    client = FakeClient([], [
        egreso("1", day, "alegra-sync 2026-11-01/P1 #3fa2c1d0", status="void"),
        egreso("2", day, "alegra-sync 2026-10-16/P1 #aaaaaaaa"),
        egreso("3", day, "pago a proveedor"),
    ])
    assert find_period_documents(cast(Any, client), PaymentIndex(cast(Any, client)),
                                 plan(day)) == []


def test_a_window_is_read_once_until_forgotten() -> None:
    day = date(2026, 11, 13)
    client = FakeClient([], [])
    index = PaymentIndex(cast(Any, client))
    index.between(day, day)
    index.between(day, day)
    index.forget()
    index.between(day, day)
    assert client.windows == [(day, day), (day, day)]


def test_creation_order_numbers_before_text_uuids_by_their_time() -> None:
    ids = ["1002", "0190c2a0-7e1f-7000-8000-000000000001", "998", "1001",
           "0190c2a0-7e1e-7000-8000-000000000001"]
    assert sorted(ids, key=id_order) == [
        "998", "1001", "1002", "0190c2a0-7e1e-7000-8000-000000000001",
        "0190c2a0-7e1f-7000-8000-000000000001"]


def journal(number: str, reference: str, amount: int = 100, client: str = "c1") -> Journal:
    return Journal(id=number, date=date(2026, 11, 15), reference=reference, status="open",
                   entries=[JournalEntry(account_id="5105", debit=Decimal(amount),
                                         client_id=client, cost_center_id="1"),
                            JournalEntry(account_id="2505", credit=Decimal(amount),
                                         client_id=client)])


def test_a_document_of_an_older_hash_with_the_drafts_content_is_the_plans() -> None:
    day = date(2026, 11, 13)
    the_plan = plan(day)
    kept = RemoteDocument("2026-11-01/P1", "00000000", "payment", "9",
                          payment=egreso("9", day, "alegra-sync 2026-11-01/P1 #00000000"))
    changed = RemoteDocument("2026-11-01/J1", "00000000", "journal", "8",
                             journal=journal("8", "alegra-sync 2026-11-01/J1 #00000000", 90))
    result = survey([kept, changed], the_plan, {ANA: "c1"})
    assert {key: [d.alegra_id for d in docs] for key, docs in result.current.items()} == {
        "2026-11-01/P1": ["9"]}
    assert [d.alegra_id for d in result.stale] == ["8"]


def test_the_same_lines_with_another_contact_are_another_content() -> None:
    remote = RemoteDocument("2026-11-01/J1", "00000000", "journal", "8",
                            journal=journal("8", "x", client="c2"))
    assert not same_content(remote, plan().journals[0], {ANA: "c1"})
    assert same_content(remote, plan().journals[0], {ANA: "c2"})


def test_copies_are_sorted_oldest_first_and_a_legacy_hash_counts() -> None:
    docs = [RemoteDocument("2026-11-01/J1", "11111111", "journal", n, journal=journal(n, "x", 1))
            for n in ("1010", "1002")]
    result = survey(docs, plan(content_hash="3fa2c1d0", legacy=frozenset({"11111111"})), {})
    assert [d.alegra_id for d in result.copies()["2026-11-01/J1"]] == ["1002", "1010"]
