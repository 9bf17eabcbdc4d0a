"""Contacts as a Colombian accountant expects them (sync/contacts.py): what alegra-sync sends
to create a tercero, what the sandbox then stores, and identifications found however they are
written."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from alegra_sync.alegra.client import AlegraClient
from alegra_sync.payroll.identity import PersonName
from alegra_sync.sandbox import SandboxServer
from alegra_sync.sync.contacts import contact_payload, contacts_by_identification, resolve_parties
from alegra_sync.sync.ledger import Ledger
from alegra_sync.vouchers.model import Party

DIAN = Party("entity", "800197268", "Dirección de Impuestos y Aduanas Nacionales - DIAN", "NIT")


@pytest.fixture
def client(sandbox: SandboxServer) -> Iterator[AlegraClient]:
    with AlegraClient(sandbox.url, sandbox.USER, sandbox.TOKEN, max_retries=0) as made:
        yield made


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    with Ledger.open(tmp_path / "state.sqlite3") as opened:
        yield opened


@pytest.mark.parametrize(("name", "name_object"), [
    ("Ana", {"firstName": "Ana"}),
    ("Ana Gómez", {"firstName": "Ana", "lastName": "Gómez"}),
    ("Carlos Pérez Londoño", {"firstName": "Carlos", "lastName": "Pérez",
                              "secondLastName": "Londoño"}),
    ("Ana María Gómez Rincón", {"firstName": "Ana", "secondName": "María", "lastName": "Gómez",
                                "secondLastName": "Rincón"}),
    ("Luis Carlos Alberto Pérez Londoño", {"firstName": "Luis", "secondName": "Carlos Alberto",
                                           "lastName": "Pérez", "secondLastName": "Londoño"}),
    ("María de los Ángeles Pérez de la Hoz", {
        "firstName": "María", "secondName": "de los Ángeles", "lastName": "Pérez",
        "secondLastName": "de la Hoz"}),
])
def test_a_person_is_split_into_given_names_and_two_surnames(name: str,
                                                             name_object: dict[str, str]) -> None:
    assert contact_payload(Party("employee", "1020304050", name)) == {
        "name": name,
        "identification": {"type": "CC", "number": "1020304050"},
        "identificationObject": {"type": "CC", "number": "1020304050"},
        "type": ["provider"],
        "kindOfPerson": "PERSON_ENTITY",
        "nameObject": name_object,
    }


def test_the_export_columns_and_type_win() -> None:
    party = Party("employee", "AB123456", "John Smith", "PA",
                  PersonName("John", "", "Smith", ""))
    payload = contact_payload(party)
    assert payload["identificationObject"] == {"type": "PP", "number": "AB123456"}  # Alegra's
    assert payload["nameObject"] == {"firstName": "John", "lastName": "Smith"}
    person = PersonName("María Fernanda", "", "de la Hoz", "Pérez")  # two-word given name
    assert contact_payload(Party("employee", "1", "X", "CE", person))["nameObject"] == {
        "firstName": "María Fernanda", "lastName": "de la Hoz", "secondLastName": "Pérez"}


def test_an_entity_is_a_legal_entity_with_its_check_digit() -> None:
    assert contact_payload(DIAN) == {
        "name": "Dirección de Impuestos y Aduanas Nacionales - DIAN",
        "identification": {"type": "NIT", "number": "800197268"},
        "identificationObject": {"type": "NIT", "number": "800197268", "dv": "4"},
        "type": ["provider"],
        "kindOfPerson": "LEGAL_ENTITY",
    }


def test_what_the_sandbox_stores_is_what_was_sent(sandbox: SandboxServer, client: AlegraClient,
                                                  ledger: Ledger) -> None:
    maria = Party("employee", "1020304050", "María de los Ángeles Pérez de la Hoz")
    resolved = resolve_parties([maria, DIAN], client, ledger, create_missing=True)
    stored = {c["id"]: c for c in sandbox.store.dump()["contacts"]}
    person, entity = stored[resolved[maria]], stored[resolved[DIAN]]
    assert (person["name"], person["kindOfPerson"], person["nameObject"],
            person["identificationObject"]) == (
        "María de los Ángeles Pérez de la Hoz", "PERSON_ENTITY",
        {"firstName": "María", "secondName": "de los Ángeles", "lastName": "Pérez",
         "secondLastName": "de la Hoz"},
        {"type": "CC", "number": "1020304050"})
    assert (entity["name"], entity["kindOfPerson"], entity["identification"],
            entity["identificationObject"]) == (
        "Dirección de Impuestos y Aduanas Nacionales - DIAN", "LEGAL_ENTITY", "800197268",
        {"type": "NIT", "number": "800197268", "dv": "4"})


@pytest.mark.parametrize("stored_as", ["800.197.268-4", "800197268"])
def test_a_contact_is_found_however_its_nit_is_written(
        sandbox: SandboxServer, client: AlegraClient, ledger: Ledger, stored_as: str) -> None:
    made = sandbox.store.create_contact({"name": "DIAN", "identification": stored_as})
    before = len(sandbox.store.dump()["contacts"])
    # the plan's party has the NIT as compared; the mapping may have written either form
    assert resolve_parties([DIAN], client, ledger, create_missing=True) == {DIAN: made["id"]}
    assert len(sandbox.store.dump()["contacts"]) == before  # found, not created again
    assert contacts_by_identification(client)["800197268"] == made["id"]


def test_the_contact_written_as_compared_wins_over_another_form(sandbox: SandboxServer,
                                                                client: AlegraClient) -> None:
    sandbox.store.create_contact({"name": "DIAN con DV", "identification": "800.197.268-4"})
    plain = sandbox.store.create_contact({"name": "DIAN", "identification": "800197268"})
    assert contacts_by_identification(client)["800197268"] == plain["id"]
