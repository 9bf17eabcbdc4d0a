"""`map set` without the CLI: edit_concept and side_from_text over the demo company's chart."""

from __future__ import annotations

import pytest

from alegra_sync.alegra.models import Account
from alegra_sync.errors import ConfigError, ExitCode
from alegra_sync.mapping.edit import edit_concept, side_from_text
from alegra_sync.mapping.model import AccountRef, ConceptMapping, Mapping, NitTercero
from alegra_sync.sandbox.demo_company import ACCOUNTS

CHART = [Account(id=a[0], id_parent=a[1], code=a[2], name=a[3], type=a[4], nature=a[5],
                 use=a[6], status=a[7]) for a in ACCOUNTS]
PAYABLE = AccountRef(id="5023", name="Salarios por pagar")
SUELDOS = AccountRef(id="5053", name="Sueldos")
EPS = AccountRef(id="5015", name="Aportes a entidades promotoras de salud EPS")


def with_payable() -> Mapping:
    return Mapping(accounts={"payable": PAYABLE})


# --- side_from_text --------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["510506", "5053", "Sueldos", "  sueldos ", "code:510506",
                                  "id:5053"])
def test_an_account_by_code_id_or_name_is_stored_with_its_name(text: str) -> None:
    assert side_from_text(with_payable(), CHART, text) == SUELDOS


@pytest.mark.parametrize("text", ["payable", " PAYABLE ", "250505", "id:5023",
                                  "Salarios por pagar"])  # the group 2505 shares the name
def test_the_payable_account_is_stored_as_payable(text: str) -> None:
    assert side_from_text(with_payable(), CHART, text) == "payable"


def test_payable_without_a_payable_account_is_refused() -> None:
    with pytest.raises(ConfigError) as caught:
        side_from_text(Mapping(), CHART, "payable")
    assert caught.value.exit_code == ExitCode.CONFIG == 78
    assert caught.value.message == "the mapping has no payable account yet"
    assert caught.value.hint == "set it first: alegra-sync map set-payable ACCOUNT"


def test_without_a_payable_account_its_code_is_a_plain_account() -> None:
    assert side_from_text(Mapping(), CHART, "250505") == PAYABLE


def test_a_name_of_several_accounts_lists_them_and_a_prefix_settles_it() -> None:
    with pytest.raises(ConfigError) as caught:
        side_from_text(with_payable(), CHART, "Intereses sobre cesantías")
    assert caught.value.message == (
        "'Intereses sobre cesantías' names 3 accounts: "
        "2515 Intereses sobre cesantías (id 5026), 251505 Intereses sobre cesantías (id 5027), "
        "510533 Intereses sobre cesantías (id 5057)"
    )
    assert caught.value.hint == "give the id (id:NNNN) or the code (code:NNNNNN) instead"
    assert side_from_text(with_payable(), CHART, "code:251505") == AccountRef(
        id="5027", name="Intereses sobre cesantías")
    assert side_from_text(with_payable(), CHART, "id:5057") == AccountRef(
        id="5057", name="Intereses sobre cesantías")


@pytest.mark.parametrize(("text", "message", "hint"), [
    ("5105", "account 5105 Gastos de personal administración (id 5052) is a group and cannot "
             "take postings", "choose one of its accounts: `alegra-sync accounts --search 5105`"),
    ("510595", "account 510595 Otros gastos de personal (inactiva) (id 5066) is inactive in "
               "Alegra", "activate it in Alegra or choose another"),
    ("999999", "no Alegra account has id, code or name '999999'",
     "see `alegra-sync accounts --search TEXT`"),
    ("Sueldos ventass", "no Alegra account has id, code or name 'Sueldos ventass'",
     "did you mean 510506 Sueldos (id 5053), 520506 Sueldos ventas (id 5072)?"),
])
def test_an_account_that_cannot_take_the_entry_is_refused(text: str, message: str,
                                                          hint: str) -> None:
    with pytest.raises(ConfigError) as caught:
        side_from_text(with_payable(), CHART, text)
    assert caught.value.exit_code == 78
    assert (caught.value.message, caught.value.hint) == (message, hint)


# --- edit_concept: a new concept ---------------------------------------------------------------


@pytest.mark.parametrize(("debit", "credit"), [("510506", None), (None, "payable"), (None, None)])
def test_a_new_concept_needs_both_sides(debit: str | None, credit: str | None) -> None:
    mapping = with_payable()
    with pytest.raises(ConfigError) as caught:
        edit_concept(mapping, CHART, "Bonificación", debit=debit, credit=credit)
    assert caught.value.exit_code == 78
    assert caught.value.message == "concept 'Bonificación' is new: give both --debit and --credit"
    assert caught.value.hint == "e.g. map set Salario --debit 510506 --credit payable"
    assert mapping.concepts == {}


@pytest.mark.parametrize(("debit", "credit", "expected"), [
    # a devengo: the employee on the payable, the cost center on the P&L debit
    ("510506", "payable", ConceptMapping(debit=SUELDOS, credit="payable",
                                         credit_tercero="employee", cost_center=True)),
    # deductions: the employee on the payable, the EPS on a health credit, the AFP on a pension
    ("payable", "237005", ConceptMapping(debit="payable", credit=EPS, debit_tercero="employee",
                                         credit_tercero="eps", cost_center=False)),
    ("payable", "238030", ConceptMapping(
        debit="payable", credit=AccountRef(id="5020", name="Fondos de cesantías y/o pensiones"),
        debit_tercero="employee", credit_tercero="afp", cost_center=False)),
    # an obligación laboral (25xx) is owed to the employee
    ("510530", "251010", ConceptMapping(
        debit=AccountRef(id="5056", name="Cesantías"),
        credit=AccountRef(id="5025", name="Cesantías consolidadas"),
        credit_tercero="employee", cost_center=True)),
    # the retención en la fuente is owed to the DIAN (a well-known entity the account names)
    ("payable", "236505", ConceptMapping(
        debit="payable",
        credit=AccountRef(id="5013", name="Retención en la fuente salarios y pagos laborales"),
        debit_tercero="employee", credit_tercero=NitTercero(nit="800197268"),
        cost_center=False)),
    # any other credit has no tercero (the ARL's NIT is given with --credit-tercero)
    ("510568", "237006", ConceptMapping(
        debit=AccountRef(id="5060", name="Aportes a administradoras de riesgos laborales ARL"),
        credit=AccountRef(id="5016", name="Aportes a administradoras de riesgos laborales ARL"),
        cost_center=True)),
])
def test_a_new_concept_gets_the_default_terceros_and_cost_center(
    debit: str, credit: str, expected: ConceptMapping
) -> None:
    mapping = with_payable()
    rule = edit_concept(mapping, CHART, "Nuevo", debit=debit, credit=credit)
    assert rule == expected
    assert mapping.concepts == {"Nuevo": expected}


def test_given_terceros_and_cost_center_beat_the_defaults() -> None:
    mapping = with_payable()
    rule = edit_concept(mapping, CHART, "Salud empleado", debit="payable", credit="237005",
                        debit_tercero="NONE", credit_tercero="nit:800.088.702-1",
                        cost_center=True)
    # "none" is written on the payable side only: elsewhere it is what leaving it out means
    assert rule == ConceptMapping(debit="payable", credit=EPS, debit_tercero="none",
                                  credit_tercero=NitTercero(nit="800088702"), cost_center=True)
    other = edit_concept(mapping, CHART, "Salario", debit="510506", credit="payable",
                         debit_tercero="none", credit_tercero="none", cost_center=False)
    assert other == ConceptMapping(debit=SUELDOS, credit="payable", debit_tercero=None,
                                   credit_tercero="none", cost_center=False)


def test_a_tercero_that_is_not_one_is_refused_and_nothing_changes() -> None:
    mapping = with_payable()
    with pytest.raises(ConfigError) as caught:
        edit_concept(mapping, CHART, "Salario", debit="510506", credit="payable",
                     credit_tercero="jefe")
    assert caught.value.message == "'jefe' is not a tercero"
    assert caught.value.hint == "use employee, eps, afp, none or nit:NNN"
    assert mapping.concepts == {}


# --- edit_concept: a mapped concept ----------------------------------------------------------


ARL = ConceptMapping(
    debit=AccountRef(id="5060", name="Aportes a administradoras de riesgos laborales ARL"),
    credit=AccountRef(id="5016", name="Aportes a administradoras de riesgos laborales ARL"),
    credit_tercero=NitTercero(nit="860011153"), cost_center=False,
)


def test_a_mapped_concept_keeps_what_is_not_given() -> None:
    mapping = with_payable()
    mapping.concepts["ARL"] = ARL
    rule = edit_concept(mapping, CHART, "ARL", debit="520506")
    # the credit, both terceros and the cost center stay, though a new concept's P&L debit
    # would have asked for the cost center
    assert rule == ARL.model_copy(update={"debit": AccountRef(id="5072", name="Sueldos ventas")})
    assert mapping.concepts["ARL"] == rule
    assert edit_concept(mapping, CHART, "ARL") == rule  # nothing given: nothing changes


def test_a_mapped_concept_changes_only_what_is_given() -> None:
    mapping = with_payable()
    mapping.concepts["ARL"] = ARL
    rule = edit_concept(mapping, CHART, "ARL", credit_tercero="none", cost_center=True)
    assert rule == ARL.model_copy(update={"credit_tercero": None, "cost_center": True})
    rule = edit_concept(mapping, CHART, "ARL", credit="payable")
    assert (rule.credit, rule.credit_tercero) == ("payable", None)  # kept: unset
    assert rule.debit == ARL.debit and rule.cost_center is True
