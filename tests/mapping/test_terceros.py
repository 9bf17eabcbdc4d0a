"""The built-in table of well-known payroll entities (data/entities.toml) and what a mapping
knows of an entity (mapping/terceros.py)."""

from __future__ import annotations

import pytest

from alegra_sync.mapping.model import EntityRef, Mapping
from alegra_sync.mapping.terceros import (
    KINDS,
    concept_kinds,
    known_entities,
    known_entity,
    known_entity_named,
    legal_name,
    proposed_terceros,
)
from alegra_sync.payroll.identity import check_digit


def test_every_check_digit_of_the_table_agrees_with_the_dian_algorithm() -> None:
    # The table's check digits were looked up (PILA lists), not computed: the algorithm
    # checks them, and with them the NITs they belong to.
    table = known_entities()
    assert [(e.nit, e.dv) for e in table if check_digit(e.nit) != e.dv] == []
    assert known_entity("800197268") is not None
    assert known_entity("800197268").dv == "4"  # type: ignore[union-attr]
    assert {e.nit: e.dv for e in table if e.nit in ("899999239", "899999034")} == {
        "899999239": "2", "899999034": "1"}


def test_the_table_is_sound() -> None:
    table = known_entities()
    assert len(table) == 57
    assert len({e.nit for e in table}) == len(table)  # one entry per NIT
    for entity in table:
        assert entity.nit.isdigit() and 9 <= len(entity.nit) <= 10, entity
        assert entity.name and not entity.name.isdigit(), entity
        assert entity.kinds and set(entity.kinds) <= set(KINDS), entity
        assert entity.source, entity  # where its name comes from
    counts = {kind: sum(kind in e.kinds for e in table) for kind in KINDS}
    assert counts == {"dian": 1, "parafiscal": 2, "eps": 16, "afp": 5, "arl": 8, "caja": 28}


@pytest.mark.parametrize("written", ["800197268", "800.197.268-4", "800197268-4", " 800197268 "])
def test_an_entity_is_found_by_its_nit_however_written(written: str) -> None:
    found = known_entity(written)
    assert found is not None
    assert (found.name, found.nit_with_dv) == (
        "Dirección de Impuestos y Aduanas Nacionales - DIAN", "800197268-4")


@pytest.mark.parametrize(("name", "nit"), [
    ("EPS Sura", "800088702"), ("eps sura", "800088702"), ("Comfama", "890900841"),
    ("Porvenir", "800144331"), ("COLPENSIONES", "900336004"), ("Sanitas EPS", "800251440"),
    ("Protección AFP", "800138188"), ("ARL Sura", "890903790"),
])
def test_an_export_name_finds_its_entity(name: str, nit: str) -> None:
    found = known_entity_named(name)
    assert found is not None and found.nit == nit


def test_a_name_the_table_does_not_know_finds_nothing() -> None:
    assert known_entity_named("EPS de la esquina") is None


def test_the_legal_name_the_mapping_gives_wins_then_the_table_then_the_export() -> None:
    mapping = Mapping.model_validate({"entities": {
        "Porvenir": {"nit": "800.144.331-3", "name": "Porvenir S.A."},
        "Sanitas": "800251440",
    }})
    assert legal_name(mapping, "800144331") == "Porvenir S.A."  # [entities] with a name
    assert legal_name(mapping, "800251440", "Sanitas") == "EPS Sanitas S.A.S."  # the table
    assert legal_name(mapping, "900999999", "Fondo Mutuo") == "Fondo Mutuo"  # the export's
    # never a bare number: the NIT with its check digit
    assert legal_name(mapping, "900999999", "900999999") == (
        f"NIT 900999999-{check_digit('900999999')}")
    assert isinstance(mapping.entities["Porvenir"], EntityRef)


def test_map_proposes_the_state_first_then_the_mapping_then_the_table() -> None:
    mapping = Mapping.model_validate({"entities": {
        "Fondo Mutuo": {"nit": "900999999", "name": "Fondo Mutuo de Empleados"},
        "EPS Sura": "800088702",
    }})
    proposed = proposed_terceros(mapping)
    assert [e.nit for e in proposed[:5]] == [
        "800197268", "899999239", "899999034", "900999999", "800088702"]
    assert proposed[3].name == "Fondo Mutuo de Empleados"
    assert proposed[3].dv == check_digit("900999999")
    assert len(proposed) == len(known_entities()) + 1  # each NIT once
    assert len({e.nit for e in proposed}) == len(proposed)


@pytest.mark.parametrize(("concept", "first"), [
    ("ICBF", ["899999239", "899999034"]),
    ("SENA", ["899999034", "899999239"]),
    ("Retención en la fuente", ["800197268"]),
    ("ARL", ["890903790", "860011153"]),
    ("Caja de compensación", ["860066942", "860007336"]),
])
def test_map_proposes_what_fits_the_concept_first(concept: str, first: list[str]) -> None:
    assert [e.nit for e in proposed_terceros(concept=concept)[:len(first)]] == first


def test_proposals_of_one_kind() -> None:
    arls = proposed_terceros(kinds=["arl"])
    assert len(arls) == 8 and all("arl" in e.kinds for e in arls)
    assert concept_kinds("Pensión empleador") == ["afp"]
    assert concept_kinds("Bonificación") == []
