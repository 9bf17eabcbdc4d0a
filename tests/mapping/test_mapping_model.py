from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any, cast

import pytest

from alegra_sync.errors import ConfigError, ExitCode
from alegra_sync.mapping.model import (
    AccountRef,
    ConceptMapping,
    Mapping,
    NitTercero,
    SideOverride,
    load_mapping,
    save_mapping,
)
from alegra_sync.sandbox.demo_company import ACCOUNTS, BANK_ACCOUNTS, COST_CENTERS, ENTITIES

SAMPLE_CONCEPTS = [
    "Salario", "Auxilio de transporte", "Horas extras", "Salud empleado", "Pensión empleado",
    "Fondo de solidaridad", "Retención en la fuente", "Libranza", "Salud empleador",
    "Pensión empleador", "ARL", "Caja de compensación", "ICBF", "SENA", "Cesantías",
    "Intereses de cesantías", "Prima", "Vacaciones",
]


def sample_path() -> Path:
    return Path(str(resources.files("alegra_sync") / "samples" / "mapping.toml"))


def test_sample_loads_and_names_the_sample_concepts() -> None:
    mapping = load_mapping(sample_path())
    assert list(mapping.concepts) == SAMPLE_CONCEPTS
    assert mapping.payable == AccountRef(id="5023", name="Salarios por pagar")
    assert mapping.cost_centers == {"Administración": "1", "Ventas": "2"}
    assert mapping.payment.bank_account == "2"
    assert mapping.payment.mode == "single"
    assert mapping.payment.method == "transfer"


def test_sample_matches_the_demo_chart() -> None:
    """Every id exists in the demo company, takes postings, and carries its real name."""
    chart = {a[0]: a for a in ACCOUNTS}
    mapping = load_mapping(sample_path())
    refs = list(mapping.accounts.values())
    for concept in mapping.concepts.values():
        refs += [mapping.resolve(concept.debit), mapping.resolve(concept.credit)]
    for overrides in mapping.cost_center_accounts.values():
        refs += [mapping.resolve(o.debit) for o in overrides.values() if o.debit is not None]
    for ref in refs:
        _, _, _code, name, _type, _nature, use, status = chart[ref.id]
        assert (ref.name, use, status) == (name, "movement", "active"), ref
    assert set(mapping.cost_centers.values()) <= {str(c["id"]) for c in COST_CENTERS}
    banks = cast(list[dict[str, Any]], BANK_ACCOUNTS)
    assert mapping.payment.bank_account in {str(bank["id"]) for bank in banks}
    demo_entities = dict(ENTITIES)
    for name, nit in mapping.entities.items():
        assert demo_entities[nit] == name
    fixed = {
        c.credit_tercero.nit for c in mapping.concepts.values()
        if isinstance(c.credit_tercero, NitTercero)
    }
    assert fixed == {"860011153", "890900841", "899999239", "899999034"}
    assert fixed <= set(demo_entities)


def test_sample_rules() -> None:
    mapping = load_mapping(sample_path())
    assert mapping.account_for("Salario", "debit", "Ventas").id == "5072"
    assert mapping.account_for("Salario", "debit", "Administración").id == "5053"
    assert mapping.account_for("Salario", "debit", None).id == "5053"
    assert mapping.account_for("Salario", "credit", "Ventas").id == "5023"
    assert mapping.tercero_for("Salario", "credit", None) == "employee"  # payable side default
    assert mapping.tercero_for("Salud empleado", "debit", None) == "employee"
    assert mapping.tercero_for("Salud empleado", "credit", None) == "eps"
    assert mapping.tercero_for("Retención en la fuente", "credit", None) is None
    assert mapping.tercero_for("ICBF", "credit", None) == NitTercero(nit="899999239")
    assert mapping.tercero_for("ICBF", "debit", None) is None
    assert mapping.tercero_for("Cesantías", "credit", None) == "employee"


def test_payable_side_defaults_to_the_employee_by_the_account_it_resolves_to() -> None:
    mapping = load_mapping(sample_path())
    mapping.concepts["Salario"].credit = AccountRef(id="5023")  # the payable, by id
    mapping.concepts["Bono"] = ConceptMapping(debit=AccountRef(id="5053"),
                                              credit=AccountRef(id="5018"))
    mapping.cost_center_accounts["Ventas"]["Bono"] = SideOverride(credit="payable")
    mapping.cost_center_accounts["Administración"] = {
        "Bono": SideOverride(credit=AccountRef(id="5023")),
        "Salud empleado": SideOverride(debit=AccountRef(id="5053")),
    }
    assert mapping.tercero_for("Salario", "credit", None) == "employee"
    assert mapping.tercero_for("Salario", "credit", "Ventas") == "employee"
    assert mapping.tercero_for("Bono", "credit", None) is None
    assert mapping.tercero_for("Bono", "credit", "Ventas") == "employee"
    assert mapping.tercero_for("Bono", "credit", "Administración") == "employee"
    # an override away from the payable drops the default
    assert mapping.tercero_for("Salud empleado", "debit", "Ventas") == "employee"
    assert mapping.tercero_for("Salud empleado", "debit", "Administración") is None
    # an explicit tercero still wins, "none" included
    mapping.concepts["Salario"].credit_tercero = "none"
    mapping.concepts["Bono"].credit_tercero = "afp"
    assert mapping.tercero_for("Salario", "credit", "Ventas") is None
    assert mapping.tercero_for("Bono", "credit", "Ventas") == "afp"


def test_sample_round_trips(tmp_path: Path) -> None:
    mapping = load_mapping(sample_path())
    target = tmp_path / "mapping.toml"
    save_mapping(mapping, target)
    assert load_mapping(target) == mapping


def test_built_mapping_round_trips(tmp_path: Path) -> None:
    mapping = Mapping(
        accounts={"payable": AccountRef(id="5121", name="Salarios por pagar")},
        concepts={
            "Salario": ConceptMapping(
                debit=AccountRef(id="5009", name="Sueldos"), credit="payable",
                debit_tercero="employee", cost_center=True,
            ),
            "ICBF": ConceptMapping(
                debit=AccountRef(id="5010"), credit=AccountRef(id="5123"),
                credit_tercero=NitTercero(nit="899999239"),
            ),
            "Libranza": ConceptMapping(
                debit="payable", credit=AccountRef(id="5130"), credit_tercero="none",
            ),
        },
        cost_centers={"Ventas": "2"},
        cost_center_accounts={"Ventas": {"Salario": SideOverride(debit=AccountRef(id="5209"))}},
        entities={"EPS Sura": "800088702"},
    )
    target = tmp_path / "nested" / "mapping.toml"
    target.parent.mkdir()
    save_mapping(mapping, target)
    again = load_mapping(target)
    assert again == mapping
    assert again.tercero_for("Libranza", "credit", None) is None
    assert again.account_for("Salario", "debit", "Ventas").id == "5209"


def test_integer_ids_in_toml_become_text(tmp_path: Path) -> None:
    target = tmp_path / "mapping.toml"
    target.write_text(
        '[accounts]\npayable = { id = 5023 }\n[cost_centers]\n"Ventas" = 2\n'
        '[entities]\n"EPS Sura" = 800088702\n[payment]\nbank_account = 2\n',
        encoding="utf-8",
    )
    mapping = load_mapping(target)
    assert mapping.payable == AccountRef(id="5023")
    assert mapping.cost_centers == {"Ventas": "2"}
    assert mapping.entities == {"EPS Sura": "800088702"}
    assert mapping.payment.bank_account == "2"


def test_toml_syntax_error_is_a_config_error_naming_the_file(tmp_path: Path) -> None:
    target = tmp_path / "broken.toml"
    target.write_text('[concepts."Salario"\ndebit = "payable"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_mapping(target)
    assert caught.value.exit_code == ExitCode.CONFIG == 78
    assert str(target) in caught.value.message
    assert "not valid TOML" in caught.value.message


def test_invalid_mapping_and_missing_file(tmp_path: Path) -> None:
    target = tmp_path / "mapping.toml"
    target.write_text('[concepts."Salario"]\ndebit = "payable"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="concepts.Salario.credit") as caught:
        load_mapping(target)
    assert caught.value.exit_code == 78
    with pytest.raises(ConfigError, match="no mapping file") as missing:
        load_mapping(tmp_path / "absent.toml")
    assert missing.value.exit_code == 78


def test_unknown_named_account_is_a_config_error() -> None:
    mapping = Mapping(concepts={"Salario": ConceptMapping(debit="sueldos", credit="payable")})
    with pytest.raises(ConfigError, match="'sueldos'"):
        mapping.account_for("Salario", "debit", None)
