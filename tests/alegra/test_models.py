"""The models read Alegra's recorded bodies as they are."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from alegra_sync.alegra.models import (
    Account,
    BankAccount,
    Company,
    Contact,
    CostCenter,
    Journal,
    JournalEntry,
    Payment,
    User,
)

Body = Callable[[str], Any]


def test_user_from_recorded_self(body: Body) -> None:
    user = User.model_validate(body("self_user"))
    assert (user.id, user.email, user.role, user.status) == (
        "1", "contact22e99c@example.com", "admin", "active",
    )


def test_company_from_recorded_company(body: Body) -> None:
    company = Company.model_validate(body("company"))
    assert company.name == "Pruebas API Nominapp"
    assert company.identification == "859082911"
    assert company.country == "colombia"
    assert company.currency == "COP"
    assert company.decimal_precision == 2
    assert company.timezone == "America/Bogota"


def test_company_tolerates_numbers_and_missing_precision() -> None:
    company = Company.model_validate(
        {"name": "X", "identification": 900123456, "currency": {"code": "COP"}}
    )
    assert company.identification == "900123456"
    assert company.decimal_precision == 0
    assert Company.model_validate({"name": "X", "decimalPrecision": None}).decimal_precision == 0
    assert Company.model_validate({"name": "X", "decimalPrecision": "0"}).decimal_precision == 0


def test_recorded_chart_has_93_postable_active_accounts(body: Body) -> None:
    accounts = [Account.model_validate(item) for item in body("categories")]
    assert len(accounts) == 93
    assert all(account.postable for account in accounts)
    assert sum(account.read_only for account in accounts) == 8
    # Two accounts carry code "" in the recording; it reads as no code.
    assert all(account.code is None for account in accounts)
    assert sum(account.id_parent is None for account in accounts) == 6
    assert sum(account.is_profit_and_loss for account in accounts) == 46
    by_id = {account.id: account for account in accounts}
    assert by_id["5009"].name == "Salarios prueba"
    assert by_id["5009"].id_parent == "5007"
    assert by_id["5026"].read_only is True


def test_account_from_recorded_single_category(body: Body) -> None:
    account = Account.model_validate(body("simple_category"))
    assert account.id == "5047"
    assert account.id_parent == "5046"
    assert account.name == "Cuentas por pagar - proveedores"
    assert (account.type, account.nature, account.use, account.status) == (
        "liability", "credit", "movement", "active",
    )
    assert account.read_only is False
    assert account.postable is True
    assert account.is_profit_and_loss is False


@pytest.mark.parametrize(
    ("use", "status", "postable"),
    [("movement", "active", True), ("accumulative", "active", False),
     ("movement", "inactive", False), (None, "active", False)],
)
def test_account_postable(use: str | None, status: str, postable: bool) -> None:
    account = Account.model_validate(
        {"id": 1, "idParent": 2, "code": 510506, "name": "Sueldos", "type": "expense",
         "use": use, "status": status}
    )
    assert account.postable is postable
    assert (account.id, account.id_parent, account.code) == ("1", "2", "510506")


@pytest.mark.parametrize(
    ("kind", "pnl"),
    [("income", True), ("expense", True), ("cost", True), ("productionCost", True),
     ("asset", False), ("liability", False), ("equity", False), ("other", False)],
)
def test_account_profit_and_loss(kind: str, pnl: bool) -> None:
    account = Account(id="1", name="x", type=kind)
    assert account.is_profit_and_loss is pnl


def test_cost_centers(body: Body) -> None:
    centers = [CostCenter.model_validate(item) for item in body("cost_centers")]
    assert [(c.id, c.code, c.name, c.status) for c in centers] == [
        ("1", "25944", "administrativo", "active")
    ]
    single = CostCenter.model_validate(body("simple_cost_center"))
    assert single == centers[0]


def test_bank_accounts(body: Body) -> None:
    banks = [BankAccount.model_validate(item) for item in body("bank_accounts")]
    assert [(b.id, b.name, b.number, b.type) for b in banks] == [
        ("6", "PayU", "", "credit-card"),
        ("1", "Caja general", None, "cash"),
        ("4", "Bancolombia", "0093230987", "bank"),
        ("8", "test", None, "bank"),
        ("7", "Definitiva", "", "bank"),
    ]
    single = BankAccount.model_validate(body("simple_bank_account"))
    assert (single.id, single.name, single.status) == ("2", "Banco 1", "inactive")


def test_contacts_from_recorded_list(body: Body) -> None:
    contacts = [Contact.model_validate(item) for item in body("list_of_contacts")]
    assert len(contacts) == 30
    by_id = {contact.id: contact for contact in contacts}
    assert (by_id["838"].identification, by_id["838"].id_type) == ("645761799", "NIT")
    assert (by_id["699"].identification, by_id["699"].id_type) == ("534340980", "CC")
    assert (by_id["118"].identification, by_id["118"].id_type) == ("783977126-0", None)
    assert (by_id["109"].identification, by_id["109"].id_type) == ("", None)
    assert by_id["838"].name == "  r"
    assert sum(contact.id_type == "NIT" for contact in contacts) == 13
    assert all(contact.status == "active" for contact in contacts)


def test_created_contacts(body: Body) -> None:
    bare = Contact.model_validate(body("create_contact"))
    assert (bare.id, bare.name, bare.identification, bare.id_type) == (
        "921", "Alan Britho", "", None,
    )
    full = Contact.model_validate(body("create_completed_contact"))
    assert (full.id, full.name, full.identification) == ("921", "Armando Casas", "515619683")


def test_contact_accepts_the_written_identification_form() -> None:
    contact = Contact.model_validate(
        {"id": 5, "name": "Ana", "identification": {"type": "CC", "number": 1020304050}}
    )
    assert (contact.id, contact.identification, contact.id_type) == ("5", "1020304050", "CC")


def test_contact_falls_back_to_identification_object() -> None:
    contact = Contact.model_validate(
        {"id": "7", "name": "Ana", "identificationObject": {"type": "CE", "number": "778899"}}
    )
    assert (contact.identification, contact.id_type) == ("778899", "CE")
    empty = Contact.model_validate({"id": "7", "name": "Ana", "identification": None})
    assert (empty.identification, empty.id_type) == ("", None)


def test_list_of_journals(body: Body) -> None:
    journals = [Journal.model_validate(item) for item in body("list_of_journals")]
    assert len(journals) == 30
    assert sum(len(journal.entries) for journal in journals) == 94
    assert sum((journal.total or Decimal(0)) for journal in journals) == Decimal("145939721")
    for journal in journals:
        debit = sum(entry.debit for entry in journal.entries)
        credit = sum(entry.credit for entry in journal.entries)
        assert debit == credit == journal.total
        assert journal.status == "open"
    first = journals[0]
    assert (first.id, first.date, first.reference) == ("3351", date(2024, 6, 17), None)
    assert [(e.account_id, e.debit, e.credit, e.client_id) for e in first.entries] == [
        ("5009", Decimal(3000000), Decimal(0), "416"),
        ("5048", Decimal(0), Decimal(4250660), "416"),
        ("5008", Decimal(755000), Decimal(0), "416"),
        ("5010", Decimal(495660), Decimal(0), "416"),
    ]
    with_cost_center = [e for j in journals for e in j.entries if e.cost_center_id is not None]
    assert len(with_cost_center) == 20
    assert {e.cost_center_id for e in with_cost_center} == {"1"}
    assert sum(j.date == date(2022, 11, 30) for j in journals) == 12


def test_single_journal(body: Body) -> None:
    journal = Journal.model_validate(body("simple_journal"))
    assert (journal.id, journal.date, journal.reference, journal.observations) == (
        "191", date(2020, 2, 29), "", "",
    )
    assert journal.total == Decimal("4012305")
    assert journal.client_id == "416"
    assert [(e.account_id, e.name, e.debit, e.credit) for e in journal.entries] == [
        ("5009", "Salarios prueba", Decimal(2900000), Decimal(0)),
        ("5048", "Obligaciones financieras y préstamos a terceros", Decimal(0), Decimal(4012305)),
        ("5008", "Prestaciones sociales", Decimal(633167), Decimal(0)),
        ("5010", "Seguridad social y parafiscales", Decimal(479138), Decimal(0)),
    ]
    assert all(e.description == "" and e.cost_center_id is None for e in journal.entries)


def test_created_and_updated_journals(body: Body) -> None:
    created = Journal.model_validate(body("create_simple_journal"))
    assert (created.id, created.date, created.total, created.status) == (
        "3352", date(2024, 6, 18), Decimal(4250660), "open",
    )
    assert [e.client_id for e in created.entries] == ["416"] * 4
    updated = Journal.model_validate(body("update_journal"))
    assert updated.total == Decimal(4150660)
    assert [e.client_id for e in updated.entries] == [None] * 4
    assert updated.client_id is None


@pytest.mark.parametrize(
    ("client", "expected"),
    [(None, None), (416, "416"), ("416", "416"), ({"id": 416, "name": "R"}, "416"), ("", None)],
)
def test_entry_client_forms(client: Any, expected: str | None) -> None:
    entry = JournalEntry.model_validate({"id": 5009, "debit": 1, "client": client})
    assert entry.client_id == expected
    assert entry.account_id == "5009"


def test_entry_money_is_exact_decimal() -> None:
    entry = JournalEntry.model_validate(
        {"id": "1", "debit": 0.1, "credit": None, "costCenter": {"id": 3}}
    )
    assert entry.debit == Decimal("0.1")
    assert entry.credit == Decimal(0)
    assert entry.cost_center_id == "3"
    built = JournalEntry(account_id="2", credit=Decimal("10.50"))
    assert (built.account_id, built.debit, built.credit) == ("2", Decimal(0), Decimal("10.50"))


def test_payment_reads_amount_or_total() -> None:
    base: dict[str, Any] = {
        "id": 88, "date": "2026-11-16", "type": "out", "status": "open",
        "bankAccount": {"id": 4, "name": "Bancolombia"},
        "client": {"id": "416", "name": "Rodrigo"},
        "observations": "alegra-sync 2026-11-01/P1 #3fa2c1d0",
        "categories": [{"id": 5047, "price": 1234567.89, "quantity": 1, "name": "CxP"}],
    }
    with_total = Payment.model_validate({**base, "total": 1234567.89})
    with_amount = Payment.model_validate({**base, "amount": "1234567.89"})
    for payment in (with_total, with_amount):
        assert payment.id == "88"
        assert payment.date == date(2026, 11, 16)
        assert payment.amount == Decimal("1234567.89")
        assert payment.bank_account_id == "4"
        assert payment.client_id == "416"
        assert [(c.id, c.price, c.quantity) for c in payment.categories] == [
            ("5047", Decimal("1234567.89"), Decimal(1))
        ]
    bare = Payment.model_validate({"id": "9", "date": "2026-11-16", "categories": None})
    assert (bare.amount, bare.bank_account_id, bare.client_id, bare.categories) == (
        None, None, None, [],
    )


def test_a_body_without_id_is_rejected() -> None:
    with pytest.raises(ValidationError):
        Journal.model_validate({"date": "2024-01-01", "entries": []})
