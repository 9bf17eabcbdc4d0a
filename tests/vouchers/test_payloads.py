"""The content hash, the document tag and the Alegra request bodies (vouchers/payloads.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from alegra_sync.errors import ConfigError, ExitCode
from alegra_sync.periods import Period
from alegra_sync.vouchers.build import build_vouchers
from alegra_sync.vouchers.model import (
    JournalDraft,
    Line,
    Party,
    PaymentDraft,
    VoucherOptions,
    VoucherPlan,
)
from alegra_sync.vouchers.payloads import (
    content_hash,
    document_tag,
    format_amount,
    journal_payload,
    legacy_content_hash,
    parse_document_tag,
    payment_payload,
)
from vouchers.helpers import ANA, BRUNO, CHART, NOV, build, employee, export_of, sample

# --- hash and tag ---------------------------------------------------------------------------


def test_content_hash_is_stable_and_sensitive() -> None:
    base = build(ANA, BRUNO).content_hash
    assert len(base) == 8 and int(base, 16) >= 0
    assert build(BRUNO, ANA).content_hash == base
    changed_amount = replace(BRUNO, amounts={**BRUNO.amounts, "ARL": Decimal(11_224)})
    changed_center = replace(ANA, cost_center="Ventas", neto=None)
    changed_date = replace(ANA, payment_date=date(2026, 11, 14))
    variants = {
        build(ANA, changed_amount).content_hash,
        build(changed_center, BRUNO).content_hash,
        build(changed_date, BRUNO).content_hash,
        build(ANA, BRUNO, detail="summary").content_hash,
        build(ANA, BRUNO, journal_date=date(2026, 11, 14)).content_hash,
        build(ANA, BRUNO, precision=2).content_hash,
    }
    assert base not in variants and len(variants) == 6
    renamed = {**CHART, "5053": replace(CHART["5053"], name="Salarios")}
    again = build_vouchers(export_of(ANA, BRUNO), sample(), renamed, NOV, VoucherOptions())
    assert again.content_hash == base  # names are not content


def test_document_tag_round_trip() -> None:
    tag = document_tag("2026-11-01/J1", "3fa2c1d0")
    assert tag == "alegra-sync 2026-11-01/J1 #3fa2c1d0"
    assert parse_document_tag(tag) == ("2026-11-01/J1", "3fa2c1d0")
    text = "Pago nómina alegra-sync 2026-11-16/P-1020304 #00ff00aa Nómina 2026-11-16 a 2026-11-30"
    assert parse_document_tag(text) == ("2026-11-16/P-1020304", "00ff00aa")
    assert parse_document_tag(document_tag("2026-11-01/P2", "abcdef12") + ".") == (
        "2026-11-01/P2", "abcdef12",
    )
    for other in (None, "", "Nómina de noviembre", "alegra-sync 2026-11-01/J1 #3fa2c1",
                  "alegra-sync 2026-11-01/J1 #3fa2c1d0ff", "alegra-sync J1 #3fa2c1d0"):
        assert parse_document_tag(other) is None


# --- payloads -------------------------------------------------------------------------------


def test_journal_payload_shape() -> None:
    plan = build(employee("1001", {"Salario": 1_000, "Salud empleado": 40, "Libranza": 10},
                          name="Ana Gómez"))
    contacts = {Party("employee", "1001", "?"): "77", Party("entity", "800088702", "?", "NIT"): "9"}
    body = journal_payload(plan.journals[0], plan, contacts, number_template="12")
    assert body == {
        "date": "2026-11-15",
        "reference": f"alegra-sync 2026-11-01/J1 #{plan.content_hash}",
        "observations": "Nómina 2026-11-01 a 2026-11-15 — alegra-sync 2026-11-01/J1",
        "entries": [
            {"id": "5053", "debit": 1_000, "client": "77", "costCenter": {"id": "1"},
             "description": "Salario — Ana Gómez"},  # the concept, then the employee
            {"id": "5015", "credit": 40, "client": "9", "description": "Salud empleado"},
            {"id": "5018", "credit": 10, "description": "Libranza"},
            {"id": "5023", "credit": 950, "client": "77",
             "description": "Salario, Salud empleado, Libranza — Ana Gómez"},
        ],
        "numberTemplate": {"id": "12"},
    }
    assert type(body["entries"][0]["debit"]) is int
    assert "numberTemplate" not in journal_payload(plan.journals[0], plan, contacts)
    with pytest.raises(ConfigError, match=r"no Alegra contact for Ana Gómez \(CC 1001\)"):
        journal_payload(plan.journals[0], plan, {})


def test_journal_payload_keeps_fractional_decimals() -> None:
    plan = build(employee("1001", {"Salario": "1000.50"}), precision=2, detail="summary")
    entries = journal_payload(plan.journals[0], plan, {})["entries"]
    assert entries[0]["debit"] == Decimal("1000.50") and type(entries[0]["debit"]) is Decimal
    assert entries[1]["credit"] == Decimal("1000.50")


def test_payment_payload_shapes() -> None:
    plan = build(ANA, BRUNO)
    body = payment_payload(plan.payments[0], plan, {})
    assert body == {
        "type": "out",
        "date": "2026-11-15",
        "bankAccount": {"id": "2"},
        "paymentMethod": "transfer",
        "categories": [{"id": "5023", "price": 2_986_000, "quantity": 1,
                        "observations": "Nómina 2026-11-01 a 2026-11-15"}],
        "observations": f"alegra-sync 2026-11-01/P1 #{plan.content_hash} "
                        "Nómina 2026-11-01 a 2026-11-15",
    }
    assert parse_document_tag(body["observations"]) == ("2026-11-01/P1", plan.content_hash)
    mapping = sample()
    mapping.payment.mode = "per-employee"
    mapping.payment.method = "cash"
    per = build(ANA, mapping=mapping)
    body = payment_payload(per.payments[0], per, {Party("employee", "1001", "x"): "55"})
    assert body["client"] == {"id": "55"}
    assert body["paymentMethod"] == "cash"
    assert body["categories"][0]["observations"] == "Nómina 2026-11-01 a 2026-11-15 — Ana Gómez"
    assert body["observations"].startswith(f"alegra-sync 2026-11-01/P-1001 #{per.content_hash} ")
    with pytest.raises(ConfigError):
        payment_payload(per.payments[0], per, {})


# --- on drafts made by hand, without the builder ----------------------------------------------

EMPLOYEE = Party("employee", "1001", "Ana Gómez")
SURA = Party("entity", "800088702", "EPS Sura", "NIT")
CONTACTS = {EMPLOYEE: "77", SURA: "9"}


def draft_journal(salary: Decimal = Decimal(1_000), *, names: str = "Ana Gómez",
                  center: str | None = "1") -> JournalDraft:
    employee_party = Party("employee", "1001", names)  # the name is not part of the party
    return JournalDraft("2026-11-01/J1", date(2026, 11, 15), [
        Line("5053", salary, Decimal(0), employee_party, center, f"Sueldos — {names}"),
        Line("5015", Decimal(0), Decimal(40), SURA, None, "Aportes EPS — EPS Sura"),
        Line("5023", Decimal(0), salary - 40, employee_party, None, f"Salarios — {names}"),
    ], ["1001"])


def draft_payment(amount: Decimal = Decimal(960), party: Party | None = None,
                  key: str = "2026-11-01/P1") -> PaymentDraft:
    return PaymentDraft(key, date(2026, 11, 15), amount, "5023", "2", "transfer", party,
                        ["1001"])


def plan_of(journal: JournalDraft, payment: PaymentDraft, precision: int = 0) -> VoucherPlan:
    return VoucherPlan(NOV, [journal], [payment], content_hash(NOV, [journal], [payment],
                                                               precision),
                       payment.amount, {"1001": payment.amount}, journal.debit_total,
                       journal.credit_total)


def test_document_tag_with_and_without_the_hash() -> None:
    assert document_tag("2026-11-01/J1", "3fa2c1d0") == "alegra-sync 2026-11-01/J1 #3fa2c1d0"
    assert document_tag("2026-11-01/J1") == "alegra-sync 2026-11-01/J1"
    # without a hash, the prefix `GET /journals?reference=` searches a period's documents by
    assert document_tag("2026-11-01/") == "alegra-sync 2026-11-01/"
    assert document_tag("2026-11-01/J1", "3fa2c1d0").startswith(document_tag("2026-11-01/"))
    assert parse_document_tag(document_tag("2026-11-01/J1")) is None  # no hash, no tag


@pytest.mark.parametrize(("text", "found"), [
    ("alegra-sync 2026-11-16/P-1020304 #00ff00aa", ("2026-11-16/P-1020304", "00ff00aa")),
    ("Pago alegra-sync 2026-11-01/J2 #0123abcd, nómina", ("2026-11-01/J2", "0123abcd")),
    ("alegra-sync 2026-11-01/J1 #11111111 alegra-sync 2026-11-01/J2 #22222222",
     ("2026-11-01/J1", "11111111")),  # the first one
    ("alegra-sync 2026-11-01/J1 #3FA2C1D0", None),  # the hash is lowercase hex
    ("alegra-sync 2026-11-01/J1 #3fa2c1dg", None),
    ("alegra-sync 2026-11-01/J1 3fa2c1d0", None),
    ("alegra-sync 2026-11-1/J1 #3fa2c1d0", None),
    ("alegra-sync  2026-11-01/J1 #3fa2c1d0", None),
    ("alegra-sync 2026-11-01/ #3fa2c1d0", None),  # a key names a document
])
def test_parse_document_tag(text: str, found: tuple[str, str] | None) -> None:
    assert parse_document_tag(text) == found


def test_the_content_hash_of_a_period_does_not_change_between_versions() -> None:
    # A different hash for the same vouchers would make every posted period look changed
    # (refused until --replace): this value is fixed.
    assert content_hash(NOV, [draft_journal()], [draft_payment()], 0) == "d2f01d27"
    # what releases before 0.2 wrote: still computed, so their documents stay posted
    assert legacy_content_hash(NOV, [draft_journal()], [draft_payment()], 0) == "43cd1eaa"


def test_the_content_hash_ignores_descriptions_and_names() -> None:
    base = content_hash(NOV, [draft_journal()], [draft_payment()], 0)
    renamed = draft_journal(names="ANA MARÍA GÓMEZ")
    assert [line.description for line in renamed.lines] != [
        line.description for line in draft_journal().lines]
    assert content_hash(NOV, [renamed], [draft_payment()], 0) == base
    named = draft_payment(party=Party("employee", "1001", "Ana"))
    assert content_hash(NOV, [draft_journal()], [named], 0) == content_hash(
        NOV, [draft_journal()], [draft_payment(party=EMPLOYEE)], 0)


def test_the_content_hash_changes_with_an_amount_or_what_is_posted_where() -> None:
    base = content_hash(NOV, [draft_journal()], [draft_payment()], 0)
    variants = [
        content_hash(NOV, [draft_journal(Decimal(1_001))], [draft_payment()], 0),
        content_hash(NOV, [draft_journal()], [draft_payment(Decimal(961))], 0),
        content_hash(NOV, [draft_journal(center=None)], [draft_payment()], 0),
        content_hash(NOV, [draft_journal()], [draft_payment(party=EMPLOYEE)], 0),
        content_hash(NOV, [draft_journal()], [draft_payment(key="2026-11-01/P2")], 0),
        content_hash(NOV, [draft_journal()], [draft_payment()], 2),
        content_hash(Period(date(2026, 11, 16), date(2026, 11, 30)), [draft_journal()],
                     [draft_payment()], 0),
    ]
    assert base not in variants and len(set(variants)) == len(variants)


def test_the_content_hash_sees_amounts_at_the_company_precision() -> None:
    exact = [draft_journal(Decimal(1_000))], [draft_payment(Decimal(960))]
    cents = [draft_journal(Decimal("1000.004"))], [draft_payment(Decimal("960.004"))]
    assert content_hash(NOV, *exact, 0) == content_hash(NOV, *cents, 0)
    assert content_hash(NOV, *exact, 2) == content_hash(NOV, *cents, 2)
    more = [draft_journal(Decimal("1000.01"))], [draft_payment(Decimal("960.01"))]
    assert content_hash(NOV, *exact, 2) != content_hash(NOV, *more, 2)


def test_journal_payload_of_a_draft() -> None:
    journal = draft_journal(Decimal("1000.50"))
    plan = plan_of(journal, draft_payment(Decimal("960.50")), precision=2)
    assert journal_payload(journal, plan, CONTACTS) == {
        "date": "2026-11-15",
        "reference": f"alegra-sync 2026-11-01/J1 #{plan.content_hash}",
        "observations": "Nómina 2026-11-01 a 2026-11-15 — alegra-sync 2026-11-01/J1",
        "entries": [
            {"id": "5053", "debit": Decimal("1000.50"), "client": "77",
             "costCenter": {"id": "1"}, "description": "Sueldos — Ana Gómez"},
            {"id": "5015", "credit": 40, "client": "9", "description": "Aportes EPS — EPS Sura"},
            {"id": "5023", "credit": Decimal("960.50"), "client": "77",
             "description": "Salarios — Ana Gómez"},
        ],
    }
    body = journal_payload(journal, plan, CONTACTS, number_template="12")
    assert body["numberTemplate"] == {"id": "12"}
    assert type(body["entries"][1]["credit"]) is int


def test_journal_payload_names_every_party_without_a_contact() -> None:
    journal = draft_journal()
    plan = plan_of(journal, draft_payment())
    with pytest.raises(ConfigError) as caught:
        journal_payload(journal, plan, {})
    assert caught.value.exit_code == ExitCode.CONFIG
    assert caught.value.message == (
        "journal 2026-11-01/J1: no Alegra contact for Ana Gómez (CC 1001), "
        "EPS Sura (NIT 800088702)"
    )
    assert caught.value.hint == (
        "set contacts.create_missing = true or create the contacts in Alegra")


def test_payment_payload_of_a_draft_with_and_without_a_party() -> None:
    payment = draft_payment(Decimal("960.50"))
    plan = plan_of(draft_journal(), payment, precision=2)
    assert payment_payload(payment, plan, {}) == {
        "type": "out",
        "date": "2026-11-15",
        "bankAccount": {"id": "2"},
        "paymentMethod": "transfer",
        "categories": [{"id": "5023", "price": Decimal("960.50"), "quantity": 1,
                        "observations": "Nómina 2026-11-01 a 2026-11-15"}],
        "observations": f"alegra-sync 2026-11-01/P1 #{plan.content_hash} "
                        "Nómina 2026-11-01 a 2026-11-15",
    }
    owed = draft_payment(party=EMPLOYEE, key="2026-11-01/P-1001")
    plan = plan_of(draft_journal(), owed)
    body = payment_payload(owed, plan, CONTACTS)
    assert body["client"] == {"id": "77"}
    assert body["categories"] == [{"id": "5023", "price": 960, "quantity": 1,
                                   "observations": "Nómina 2026-11-01 a 2026-11-15 — Ana Gómez"}]
    assert body["observations"] == (
        f"alegra-sync 2026-11-01/P-1001 #{plan.content_hash} Nómina 2026-11-01 a 2026-11-15")
    with pytest.raises(ConfigError) as caught:
        payment_payload(owed, plan, {SURA: "9"})
    assert caught.value.message == "no Alegra contact for Ana Gómez (CC 1001)"
    assert caught.value.hint == (
        "set contacts.create_missing = true or create the contact in Alegra")


@pytest.mark.parametrize(("amount", "precision", "text"), [
    (Decimal(1_234_567), 0, "1.234.567"), (Decimal("1234567.5"), 2, "1.234.567,50"),
    (Decimal(-50_000), 0, "-50.000"), (Decimal(999), 0, "999"), (Decimal(0), 2, "0,00"),
])
def test_format_amount_writes_colombian_style(amount: Decimal, precision: int,
                                              text: str) -> None:
    assert format_amount(amount, precision) == text
