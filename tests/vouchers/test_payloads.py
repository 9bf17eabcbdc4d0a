"""The content hash, the document tag and the Alegra request bodies (vouchers/payloads.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from alegra_sync.errors import ConfigError
from alegra_sync.vouchers.build import build_vouchers
from alegra_sync.vouchers.model import Party, VoucherOptions
from alegra_sync.vouchers.payloads import (
    document_tag,
    journal_payload,
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
             "description": "Sueldos — Ana Gómez"},
            {"id": "5015", "credit": 40, "client": "9",
             "description": "Aportes a entidades promotoras de salud EPS — EPS Sura"},
            {"id": "5018", "credit": 10, "description": "Libranzas"},
            {"id": "5023", "credit": 950, "client": "77",
             "description": "Salarios por pagar — Ana Gómez"},
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
