"""What interactive `map` proposes, over the demo company's chart: the payable first where it is
the answer, accounts by exact code, the account of a cost center, well-known entities as
terceros, and `[cost_center_accounts]` edits."""

from __future__ import annotations

import re

import pytest

from alegra_sync.alegra.models import Account
from alegra_sync.errors import ConfigError
from alegra_sync.mapping.edit import (
    account_by_code,
    concept_kind,
    cost_center_account,
    edit_concept,
    edit_cost_center_account,
    known_entity_for,
    known_entity_nits,
    propose_tercero,
    suggest_accounts,
    tercero_label,
)
from alegra_sync.mapping.model import AccountRef, Mapping, NitTercero, SideOverride
from alegra_sync.sandbox.demo_company import ACCOUNTS

CHART = [Account(id=a[0], id_parent=a[1], code=a[2], name=a[3], type=a[4], nature=a[5],
                 use=a[6], status=a[7]) for a in ACCOUNTS]
BY_CODE = {a.code: a for a in CHART}
PAYABLE = BY_CODE["250505"]


def codes(accounts: list[Account]) -> list[str | None]:
    return [a.code for a in accounts]


@pytest.mark.parametrize(("concept", "kind"), [
    ("Salario", "earning"), ("Auxilio de transporte", "earning"), ("Horas extras", "earning"),
    ("Salud empleado", "deduction"), ("Pensión empleado", "deduction"),
    ("Retención en la fuente", "deduction"), ("Libranza", "deduction"),
    ("Fondo de solidaridad", "deduction"), ("Salud empleador", "employer"),
    ("ARL", "employer"), ("Cesantías", "employer"), ("Caja de compensación", "employer"),
    ("Otro concepto", None),
])
def test_what_a_concept_name_says_it_is(concept: str, kind: str | None) -> None:
    assert concept_kind(concept) == kind


@pytest.mark.parametrize("concept", ["Salario", "Auxilio de transporte", "Horas extras"])
def test_the_credit_of_an_earning_suggests_the_payable_first(concept: str) -> None:
    found = suggest_accounts(CHART, concept, "credit", exclude=PAYABLE.id, payable=PAYABLE)
    assert found[0] == PAYABLE
    assert found.count(PAYABLE) == 1
    assert "236505" not in codes(found)[:1]


@pytest.mark.parametrize("concept", ["Salud empleado", "Pensión empleado", "Libranza",
                                     "Retención en la fuente"])
def test_the_debit_of_a_deduction_suggests_the_payable_first(concept: str) -> None:
    found = suggest_accounts(CHART, concept, "debit", exclude=PAYABLE.id, payable=PAYABLE)
    assert found[0] == PAYABLE


@pytest.mark.parametrize(("concept", "side", "first"), [
    ("Salario", "debit", "510506"),
    ("Salud empleado", "credit", "237005"),
    ("Retención en la fuente", "credit", "236505"),
    ("Libranza", "credit", "237030"),
    ("Cesantías", "credit", "251010"),       # the provision, not the payable
    ("Salud empleador", "credit", "237005"),
    ("Vacaciones", "credit", "252505"),
])
def test_otherwise_the_account_named_like_the_concept_comes_first(
    concept: str, side: str, first: str
) -> None:
    found = suggest_accounts(CHART, concept, side, exclude=PAYABLE.id,  # type: ignore[arg-type]
                             payable=PAYABLE)
    assert codes(found)[0] == first


def test_without_a_payable_account_salario_still_does_not_suggest_the_retencion_first() -> None:
    assert codes(suggest_accounts(CHART, "Salario", "credit"))[0] != "236505"


def test_an_exact_code_names_one_account_that_takes_postings() -> None:
    assert account_by_code(CHART, " 510506 ") == BY_CODE["510506"]
    assert account_by_code(CHART, "2505") is None  # a group: searched instead
    assert account_by_code(CHART, "510595") is None  # inactive
    assert account_by_code(CHART, "sueldos") is None


@pytest.mark.parametrize(("debit", "center", "expected"), [
    ("510506", "Ventas", "520506"), ("510515", "Ventas", "520515"),
    ("510527", "Ventas", "520527"), ("510506", "Administración", None),
    ("510530", "Ventas", None),
])
def test_a_cost_center_account_is_the_one_named_for_it(debit: str, center: str,
                                                       expected: str | None) -> None:
    found = cost_center_account(CHART, BY_CODE[debit], center)
    assert (found.code if found else None) == expected


@pytest.mark.parametrize(("concept", "account", "nit"), [
    ("Retención en la fuente", "236505", "800197268"),   # owed to the DIAN
    ("ICBF", "237010", "899999239"),
    ("SENA", "237010", "899999034"),
    ("Caja de compensación", "237010", None),  # the account names ICBF and SENA: no guess
    ("Libranza", "237030", None),
])
def test_well_known_entities_are_proposed_as_the_credit_tercero(
    concept: str, account: str, nit: str | None
) -> None:
    proposed = propose_tercero("credit", BY_CODE[account], False, concept)
    assert proposed == (NitTercero(nit=nit) if nit else "none")


def test_the_entities_proposed_are_the_built_in_table_dian_icbf_and_sena_first() -> None:
    entities = known_entity_nits()
    assert entities[:3] == [("800197268", "DIAN"), ("899999239", "ICBF"),
                            ("899999034", "SENA")]
    assert len(entities) == 57 and ("890900841", "Comfama") in entities
    assert known_entity_for("Aportes ICBF") == ("899999239", "ICBF")
    assert known_entity_for("Aporte caja Comfama") == ("890900841", "Comfama")
    # the longest name wins: "ARL Sura" is the ARL, not the EPS Sura
    assert known_entity_for("ARL Sura") == ("890903790", "ARL Sura")
    assert known_entity_for("Aportes a Colpensiones") == ("900336004", "Colpensiones")
    # generic words name no one: "Total", "Salud", "Caja de compensación"
    assert [known_entity_for(c) for c in ("Total deducciones", "Caja de compensación")] == [
        None, None]
    assert tercero_label(NitTercero(nit="800197268"), False) == "nit 800197268 (DIAN)"
    # an EPS, an AFP or the employee are not replaced by a fixed NIT
    assert propose_tercero("credit", BY_CODE["237005"], False, "Salud empleado") == "eps"
    assert propose_tercero("debit", BY_CODE["510575"], False, "ICBF") == "none"


def test_map_set_proposes_the_dian_for_a_new_retencion() -> None:
    mapping = Mapping(accounts={"payable": AccountRef(id=PAYABLE.id, name=PAYABLE.name)})
    rule = edit_concept(mapping, CHART, "Retención en la fuente", debit="payable",
                        credit="236505")
    assert rule.credit_tercero == NitTercero(nit="800197268")


# --- [cost_center_accounts] ----------------------------------------------------------------------


def salario() -> Mapping:
    mapping = Mapping(accounts={"payable": AccountRef(id=PAYABLE.id, name=PAYABLE.name)})
    edit_concept(mapping, CHART, "Salario", debit="510506", credit="payable")
    return mapping


def test_a_cost_center_takes_another_debit_and_clear_takes_it_back() -> None:
    mapping = salario()
    override = edit_cost_center_account(mapping, CHART, "Salario", " Ventas ", debit="520506")
    assert override == SideOverride(debit=AccountRef(id="5072", name="Sueldos ventas"))
    assert mapping.cost_center_accounts == {"Ventas": {"Salario": override}}
    assert mapping.account_for("Salario", "debit", "Ventas").id == "5072"
    assert mapping.account_for("Salario", "debit", "Administración").id == "5053"

    # the concept's own account is no override
    edit_cost_center_account(mapping, CHART, "Salario", "Administración", debit="510506")
    assert "Administración" not in mapping.cost_center_accounts

    assert edit_cost_center_account(mapping, CHART, "Salario", "Ventas", clear=True) is None
    assert mapping.cost_center_accounts == {}


@pytest.mark.parametrize(("concept", "options", "message"), [
    ("Prima", {"debit": "510536"}, "concept 'Prima' is not mapped yet"),
    ("Salario", {}, "--for-cost-center needs --debit or --credit (or --clear)"),
    ("Salario", {"debit": "2505"}, "is a group and cannot take postings"),
])
def test_a_cost_center_account_that_cannot_be_set_is_refused(
    concept: str, options: dict[str, str], message: str
) -> None:
    mapping = salario()
    with pytest.raises(ConfigError, match=re.escape(message)):
        edit_cost_center_account(mapping, CHART, concept, "Ventas", **options)
    assert mapping.cost_center_accounts == {}
