"""The content hash of payrolls without distribution or ajuste is what it was before them: a
period posted by an earlier release must not look changed. The figures were taken from the
release before cost-center distribution, the ajuste al peso and the new line descriptions
(commit df613e2) on the same vouchers: any change to them here is a compatibility break."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest

from alegra_sync.mapping.model import NitTercero
from alegra_sync.payroll.export import read_export
from alegra_sync.payroll.options import ExportOptions
from alegra_sync.vouchers.build import build_vouchers
from alegra_sync.vouchers.model import VoucherOptions
from vouchers.helpers import ANA, BRUNO, CHART, NOV, build, sample


@pytest.mark.parametrize(("options", "pinned", "journals"), [
    ({}, "e614a030", 1),
    ({"detail": "summary"}, "02ac4983", 1),
    ({"precision": 2}, "b170fd8f", 1),
    ({"max_entries": 14}, "e8a26b7c", 2),
])
def test_the_worked_example_hashes_as_before(options: dict[str, object], pinned: str,
                                             journals: int) -> None:
    plan = build(ANA, BRUNO, **options)
    assert (plan.content_hash, len(plan.journals)) == (pinned, journals)


def test_cents_that_round_to_the_same_amounts_hash_as_before() -> None:
    # 91.666,67 → 91.667 and 5.219,5 → 5.220: the amounts the whole-peso export had
    cents = replace(ANA, amounts={**ANA.amounts, "Cesantías": Decimal("91666.67"),
                                  "ARL": Decimal("5219.5")})
    assert build(cents, BRUNO).content_hash == "e614a030"


def test_the_sample_export_hashes_as_before() -> None:
    path = Path(str(resources.files("alegra_sync") / "samples"
                    / "nomina_2026-11-01_2026-11-15.csv"))
    plan = build_vouchers(read_export(path, ExportOptions()), sample(), CHART, NOV,
                          VoucherOptions())
    assert plan.content_hash == "224f08fd"


def test_a_nit_written_with_its_check_digit_keeps_its_old_hash_as_legacy() -> None:
    # The mapping wrote ARL's NIT as 860.011.153-6: the earlier release hashed 8600111536
    # (989cc1d8); the NIT is now compared without its check digit, which hashes as the plain
    # NIT does, and the old hash still finds the documents it tagged.
    mapping = sample()
    mapping.concepts["ARL"].credit_tercero = NitTercero(nit="860.011.153-6")
    plan = build(ANA, BRUNO, mapping=mapping)
    assert plan.content_hash == "e614a030"
    assert plan.matches("989cc1d8")


def test_an_entities_nit_written_with_its_check_digit_keeps_its_old_hash_as_legacy() -> None:
    # [entities] "EPS Sura" = "800.088.702-2": the earlier release hashed 8000887022 (71b392c1)
    mapping = sample()
    mapping.entities["EPS Sura"] = "800.088.702-2"
    plan = build(ANA, BRUNO, mapping=mapping)
    assert plan.content_hash == "e614a030"
    assert plan.matches("71b392c1")
