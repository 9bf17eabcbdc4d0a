"""Costs shared between cost centers in the vouchers: every P&L line split per share by the
largest remainder, [cost_center_accounts] per share, balance-sheet lines whole. Every figure
below is worked by hand from the sample mapping (samples/mapping.toml)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from alegra_sync.errors import ConfigError, ExitCode
from alegra_sync.mapping.model import Mapping, SideOverride
from vouchers.helpers import ANA, BRUNO, build, employee, rows, sample

D = Decimal


def shared(**extra: object) -> Mapping:
    """The sample mapping with "Compartido" = 60 % Administración (1), 40 % Ventas (2)."""
    mapping = sample()
    mapping.cost_centers["Compartido"] = {"1": D(60), "2": D(40)}
    for key, value in extra.items():
        setattr(mapping, key, value)
    return mapping


CARLA = employee(
    "3003",
    {"Salario": 1_000_001, "Auxilio de transporte": 100_000, "Salud empleado": 40_000,
     "Pensión empleado": 40_000, "Pensión empleador": 120_001, "Cesantías": 83_334},
    name="Carla Ruiz", cost_center="Compartido", neto=1_020_001,
)

# Salario 1.000.001: 600.000,6 / 400.000,4 → the peso left to the larger remainder: 600.001 on
# Administración (5053 Sueldos) and 400.000 on Ventas, whose share takes Ventas' account
# ([cost_center_accounts]: 5072 Sueldos ventas). Auxilio 100.000: 60.000 / 40.000 (5074 for
# Ventas). Pensión empleador 120.001: 72.000,6 / 48.000,4 → 72.001 / 48.000. Cesantías
# 83.334: 50.000,4 / 33.333,6 → 50.000 / 33.334. The credits (payable, EPS, pension fund,
# cesantías consolidadas) are balance-sheet lines: whole. Net pay 1.100.001 − 80.000.
CARLA_LINES = [
    ("5053", D(600_001), D(0), "3003", "1"),
    ("5055", D(60_000), D(0), "3003", "1"),
    ("5056", D(50_000), D(0), None, "1"),
    ("5056", D(33_334), D(0), None, "2"),
    ("5062", D(72_001), D(0), None, "1"),
    ("5062", D(48_000), D(0), None, "2"),
    ("5072", D(400_000), D(0), "3003", "2"),
    ("5074", D(40_000), D(0), "3003", "2"),
    ("5015", D(0), D(40_000), "800088702", None),
    ("5020", D(0), D(160_001), "800138188", None),
    ("5023", D(0), D(1_020_001), "3003", None),
    ("5025", D(0), D(83_334), "3003", None),
]


def test_a_shared_employee_posts_one_line_per_share() -> None:
    plan = build(CARLA, mapping=shared())
    [journal] = plan.journals
    assert rows(journal) == CARLA_LINES
    assert journal.debit_total == journal.credit_total == 1_303_336
    assert plan.net_by_employee == {"3003": 1_020_001}
    assert plan.distributions == {"3003": (("1", D(60)), ("2", D(40)))}
    # each share's line says its concept and the employee
    assert {line.description for line in journal.lines if line.account_id in ("5053", "5072")} \
        == {"Salario — Carla Ruiz"}


def test_the_shares_of_each_line_add_up_to_the_line() -> None:
    [journal] = build(CARLA, mapping=shared()).journals
    by_account: dict[tuple[str, ...], Decimal] = {}
    for line in journal.lines:
        key = {"5053": "Salario", "5072": "Salario", "5055": "Auxilio", "5074": "Auxilio",
               "5062": "Pensión empleador", "5056": "Cesantías"}.get(line.account_id)
        if key:
            by_account[(key,)] = by_account.get((key,), D(0)) + line.debit
    assert by_account == {("Salario",): 1_000_001, ("Auxilio",): 100_000,
                          ("Pensión empleador",): 120_001, ("Cesantías",): 83_334}


def test_an_employee_of_an_unshared_cost_center_posts_as_before() -> None:
    plain = build(ANA, BRUNO)
    with_distributions = build(ANA, BRUNO, mapping=shared())
    assert rows(plain.journals[0]) == rows(with_distributions.journals[0])
    assert plain.content_hash == with_distributions.content_hash == "e614a030"
    assert with_distributions.distributions == {}


def test_employee_cost_centers_beat_the_export() -> None:
    # Ana's row says Administración; [employee_cost_centers] sends her whole cost to Ventas
    # (2): Ventas' accounts, Ventas' cost center. Her key is written with dots.
    mapping = sample()
    mapping.employee_cost_centers["1.001"] = "2"
    lines = rows(build(ANA, mapping=mapping).journals[0])
    assert ("5072", D(1_000_000), D(0), "1001", "2") in lines  # Sueldos ventas
    assert ("5074", D(100_000), D(0), "1001", "2") in lines  # Auxilio de transporte ventas
    assert not [line for line in lines if line[4] == "1"]


def test_an_employee_distribution_of_three_cost_centers() -> None:
    # 1.000.001 at 33,33 / 33,33 / 33,34: 333.300 / 333.300 / 333.401 (the largest remainder,
    # 0,3334, takes the peso); cost center 3 has no [cost_center_accounts]: Sueldos (5053).
    mapping = sample()
    mapping.employee_cost_centers["3003"] = {"1": D("33.33"), "2": D("33.33"),
                                             "3": D("33.34")}
    worker = employee("3003", {"Salario": 1_000_001}, name="Carla Ruiz", cost_center="Ventas")
    lines = rows(build(worker, mapping=mapping).journals[0])
    assert lines == [
        ("5053", D(333_300), D(0), "3003", "1"),
        ("5053", D(333_401), D(0), "3003", "3"),
        ("5072", D(333_300), D(0), "3003", "2"),
        ("5023", D(0), D(1_000_001), "3003", None),
    ]


def test_sixty_forty_of_one_peso_in_a_voucher() -> None:
    # 0,6 / 0,4 of a peso: the 60 % share takes it, the 40 % share has no line at all
    worker = employee("3003", {"Salario": 1}, name="Carla Ruiz", cost_center="Compartido")
    assert rows(build(worker, mapping=shared()).journals[0]) == [
        ("5053", D(1), D(0), "3003", "1"),
        ("5023", D(0), D(1), "3003", None),
    ]


def test_precision_2_splits_in_centavos() -> None:
    # 1.000,01 is 100.001 centavos: 60.000,6 / 40.000,4 → 600,01 / 400,00
    worker = employee("3003", {"Salario": "1000.01"}, name="Carla Ruiz",
                      cost_center="Compartido")
    assert rows(build(worker, mapping=shared(), precision=2).journals[0]) == [
        ("5053", D("600.01"), D(0), "3003", "1"),
        ("5072", D("400.00"), D(0), "3003", "2"),
        ("5023", D(0), D("1000.01"), "3003", None),
    ]


def test_summary_detail_splits_too() -> None:
    plan = build(CARLA, mapping=shared(), detail="summary")
    lines = rows(plan.journals[0])
    assert ("5053", D(600_001), D(0), None, "1") in lines
    assert ("5072", D(400_000), D(0), None, "2") in lines
    assert plan.journals[0].debit_total == plan.journals[0].credit_total == 1_303_336


def test_a_reversal_takes_back_what_each_share_had() -> None:
    worker = employee("3003", {"Salario": -1_000_001, "Horas extras": 2_000_002},
                      name="Carla Ruiz", cost_center="Compartido")
    lines = rows(build(worker, mapping=shared()).journals[0])
    # Salario −1.000.001 splits −600.001 / −400.000: a credit on the expense accounts
    assert ("5053", D(0), D(600_001), "3003", "1") in lines
    assert ("5072", D(0), D(400_000), "3003", "2") in lines
    # Horas extras 2.000.002: 1.200.001,2 / 800.000,8 → 1.200.001 / 800.001 (5073 for Ventas)
    assert ("5054", D(1_200_001), D(0), "3003", "1") in lines
    assert ("5073", D(800_001), D(0), "3003", "2") in lines


def test_a_distribution_change_changes_the_content_hash() -> None:
    first = build(CARLA, mapping=shared()).content_hash
    other = shared()
    other.cost_centers["Compartido"] = {"1": D(50), "2": D(50)}
    assert build(CARLA, mapping=other).content_hash != first


def test_two_names_of_one_cost_center_with_different_accounts_are_refused() -> None:
    mapping = shared()
    mapping.cost_centers["Comercial"] = "2"  # a second name for Ventas' cost center
    mapping.cost_center_accounts["Comercial"] = {"Salario": SideOverride(debit="payable")}
    with pytest.raises(ConfigError) as caught:
        build(CARLA, mapping=mapping)
    assert caught.value.exit_code == ExitCode.CONFIG == 78
    assert caught.value.message == (
        "[cost_center_accounts] 'Ventas', 'Comercial' all stand for cost center 2 but give "
        "Salario different debit accounts")
