"""What differs between a document's posted lines and Alegra's copy (pure)."""

from __future__ import annotations

from decimal import Decimal

from alegra_sync.sync.drift import Difference, field_differences, line_differences
from alegra_sync.sync.ledger import LineRecord

D = Decimal
POSTED = [
    LineRecord("5053", D(1000000), D(0), account_code="510506", account_name="Sueldos",
               cost_center_id="1", cost_center_name="Administración",
               tercero_identification="1001", tercero_name="Ana Gómez", contact_id="3001"),
    LineRecord("5023", D(0), D(1000000), account_code="250505",
               account_name="Salarios por pagar", tercero_identification="1001",
               tercero_name="Ana Gómez", contact_id="3001"),
]


def test_the_same_lines_in_another_order_match() -> None:
    held = [("5023", None, "3001", D(0), D("1000000.0")), ("5053", "1", "3001", D(1000000), D(0))]
    assert line_differences(POSTED, held) == []


def test_an_edited_amount_is_told_per_line_posted_and_now() -> None:
    held = [("5053", "1", "3001", D(900000), D(0)), ("5023", None, "3001", D(0), D(900000))]
    assert line_differences(POSTED, held) == [
        Difference("line", (D(0), D(1000000)), (D(0), D(900000)), account_id="5023",
                   account="250505 Salarios por pagar", tercero="1001",
                   tercero_name="Ana Gómez"),
        Difference("line", (D(1000000), D(0)), (D(900000), D(0)), account_id="5053",
                   account="510506 Sueldos", cost_center_id="1", cost_center="Administración",
                   tercero="1001", tercero_name="Ana Gómez"),
    ]


def test_a_line_moved_to_another_account_is_one_gone_and_one_new() -> None:
    held = [("5054", "1", "3001", D(1000000), D(0)), ("5023", None, "3001", D(0), D(1000000))]
    found = line_differences(POSTED, held)
    assert [(d.account_id, d.posted, d.now) for d in found] == [
        ("5053", (D(1000000), D(0)), None), ("5054", None, (D(1000000), D(0)))]


def test_a_difference_survives_the_state_as_json() -> None:
    difference = line_differences(POSTED, [("5053", "1", "3001", D(1), D(0))])[0]
    assert Difference.from_json(difference.to_json()) == difference


def test_fields_unknown_to_the_state_are_not_compared() -> None:
    assert field_differences([("date", None, "2026-11-15"),
                              ("bank_account", "2", "2")]) == []
    assert field_differences([("date", "2026-11-15", "2026-11-14")]) == [
        Difference("date", "2026-11-15", "2026-11-14")]
