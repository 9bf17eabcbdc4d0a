"""The report's figures from the worked example: concept groups, per employee, per cost center."""

from __future__ import annotations

from decimal import Decimal

from alegra_sync.vouchers.figures import (
    concept_group,
    figures_from_json,
    figures_to_json,
    period_figures,
)
from vouchers.helpers import ANA, BRUNO, build, export_of, sample


def test_concept_groups_follow_the_mapping() -> None:
    mapping = sample()
    assert [concept_group(mapping, c) for c in (
        "Salario", "Horas extras", "Salud empleado", "Retención en la fuente",
        "Pensión empleador", "ARL", "ICBF", "Cesantías", "Prima", "Vacaciones")] == [
        "devengo", "devengo", "deduccion", "deduccion", "aporte", "aporte", "aporte",
        "provision", "provision", "provision"]


def test_the_worked_example_per_employee_and_cost_center() -> None:
    plan = build(ANA, BRUNO)
    figures = period_figures(export_of(ANA, BRUNO), sample(), plan, precision=0)
    ana, bruno = figures.employees
    assert (ana.devengos, ana.deducciones, ana.aportes, ana.provisiones, ana.neto) == (
        1100000, 80000, 165220, 91667, 1020000)
    assert (bruno.devengos, bruno.deducciones, bruno.aportes, bruno.provisiones, bruno.neto) == (
        2150000, 184000, 537973, 179167, 1966000)
    assert (ana.cost_center_id, bruno.cost_center_id) == ("1", "2")
    assert ana.payment_key == bruno.payment_key == "2026-11-01/P1"
    assert figures.total("aporte") == 703193 and figures.total("provision") == 270834
    pension = next(c for c in figures.concepts if c.concept == "Pensión empleador")
    assert pension.by_cost_center == {"1": Decimal(120000), "2": Decimal(258000)}
    assert figures.provision_accounts == ["5025"]
    assert figures_from_json(figures_to_json(figures)) == figures
