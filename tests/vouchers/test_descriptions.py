"""Each line's description says what it is (accounting.md): the payroll concept(s) and, in
employee detail, the employee; cut to what Alegra keeps."""

from __future__ import annotations

from alegra_sync.mapping.model import ConceptMapping
from vouchers.helpers import ANA, BRUNO, build, employee, sample


def test_employee_detail_names_the_concept_and_the_employee() -> None:
    worker = employee("1001", {"Salario": 1_000_000, "Salud empleado": 40_000,
                               "Pensión empleado": 40_000},
                      name="Ana María Gómez Rincón")
    [journal] = build(worker).journals
    assert [(line.account_id, line.description) for line in journal.lines] == [
        ("5053", "Salario — Ana María Gómez Rincón"),
        ("5015", "Salud empleado"),  # the EPS's line: an entity, no employee
        ("5020", "Pensión empleado"),
        ("5023", "Salario, Salud empleado, Pensión empleado — Ana María Gómez Rincón"),
    ]


def test_summary_detail_names_the_concepts_aggregated() -> None:
    [journal] = build(ANA, BRUNO, detail="summary").journals
    by_account = {line.account_id: line.description for line in journal.lines
                  if line.account_id in ("5015", "5020", "5016")}
    assert by_account == {"5015": "Salud empleado, Salud empleador",
                          "5020": "Pensión empleado, Pensión empleador",
                          "5016": "ARL"}


def test_a_long_list_of_concepts_is_cut_before_the_employee() -> None:
    mapping = sample()
    names = [f"Bonificación por desempeño número {n}" for n in range(1, 13)]
    for name in names:
        mapping.concepts[name] = ConceptMapping(debit={"id": "5053"}, credit="payable",
                                                debit_tercero="employee")
    worker = employee("1001", dict.fromkeys(names, 1_000), name="Ana María Gómez Rincón")
    [journal] = build(worker, mapping=mapping).journals
    payable = next(line for line in journal.lines if line.account_id == "5023")
    assert len(payable.description) <= 255
    assert payable.description.startswith("Bonificación por desempeño número 1, ")
    assert payable.description.endswith(" … — Ana María Gómez Rincón")


def test_descriptions_are_not_content() -> None:
    renamed = sample()
    plan = build(ANA, BRUNO)
    worker = employee("1001", {"Salario": 1_000_000}, name="Ana")
    other_name = employee("1001", {"Salario": 1_000_000}, name="Ana María")
    assert build(worker, mapping=renamed).content_hash == build(other_name).content_hash
    assert plan.content_hash == "e614a030"
