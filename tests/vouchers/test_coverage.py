"""The mapping's coverage of the export, and configuration the vouchers cannot do without."""

from __future__ import annotations

from datetime import date

import pytest

from alegra_sync.errors import ConfigError, DataError
from alegra_sync.mapping.check import export_coverage
from alegra_sync.mapping.model import AccountRef
from alegra_sync.vouchers.build import build_vouchers
from alegra_sync.vouchers.model import VoucherOptions
from vouchers.helpers import ANA, BRUNO, CHART, FILE, NOV, build, employee, export_of, sample

# --- coverage and configuration -----------------------------------------------------------


def test_coverage_lists_every_problem() -> None:
    export = export_of(
        employee("1001", {"Salario": 1, "Bonificación": 5, "Dotación": 0}, cost_center="Bodega"),
        employee("1002", {"Salud empleado": 1, "Bonificación": 2}, eps="Nueva EPS"),
        employee("1003", {"Pensión empleado": 1}, afp=None, cost_center=""),
        employee("1004", {"Salario": 1}, eps="Nueva EPS", afp="Colfondos"),  # needs neither
    )
    mapping = sample()
    del mapping.accounts["payable"]
    expected = [
        "[accounts] has no payable account (where net pay is owed)",
        "concept 'Bonificación' is not in the mapping (employees 1001, 1002)",
        "cost center 'Bodega' is not in [cost_centers] (employee 1001)",
        "EPS 'Nueva EPS' is not in [entities] (employee 1002)",
        "no AFP in the export, but the mapping needs one (employee 1003)",
    ]
    assert [str(problem) for problem in export_coverage(export, mapping)] == expected
    mapping.accounts["payable"] = AccountRef(id="5023")
    with pytest.raises(DataError) as caught:
        build_vouchers(export, mapping, CHART, NOV, VoucherOptions())
    assert caught.value.exit_code == 65
    assert caught.value.message == (
        f"{FILE}: the mapping does not cover the export: " + "; ".join(expected[1:])
    )
    assert caught.value.hint == "run `alegra-sync map`"


def test_coverage_accepts_a_nit_in_the_export_and_is_empty_when_covered() -> None:
    export = export_of(ANA, BRUNO, employee("1003", {"Salud empleado": 1}, eps=" 900226715 "))
    assert export_coverage(export, sample()) == []


def test_missing_payable_bank_or_chart_account_is_a_config_error() -> None:
    worker = employee("1001", {"Salario": 1_000})
    no_payable = sample()
    del no_payable.accounts["payable"]
    with pytest.raises(ConfigError, match=r"\[accounts\]\.payable") as caught:
        build(worker, mapping=no_payable)
    assert caught.value.exit_code == 78
    no_bank = sample()
    no_bank.payment.bank_account = None
    with pytest.raises(ConfigError, match="bank_account"):
        build(worker, mapping=no_bank)
    chart = {k: v for k, v in CHART.items() if k not in {"5053", "5072", "5023"}}
    with pytest.raises(ConfigError) as missing:
        build_vouchers(export_of(worker), sample(), chart, NOV, VoucherOptions())
    assert missing.value.exit_code == 78
    # only what this export uses: 5072 (Ventas' Salario) is not named
    assert missing.value.message == (
        "the mapping uses accounts that Alegra's chart lacks: "
        "5023 ([accounts].payable, Salario credit), 5053 (Salario debit)"
    )


def test_export_of_another_period_is_refused() -> None:
    export = export_of(employee("1001", {"Salario": 1_000}))
    export.period_start, export.period_end = date(2026, 10, 16), date(2026, 10, 31)
    with pytest.raises(DataError, match="not the period 2026-11-01..2026-11-15"):
        build_vouchers(export, sample(), CHART, NOV, VoucherOptions())
