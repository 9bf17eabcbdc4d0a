"""Terceros: the parties a plan names, resolved to Alegra contact ids through the local cache,
and created the way a Colombian accountant expects them when they are missing.

Only cache misses go to Alegra, and by listing the contacts in pages, not one request per
person. Identifications are compared without dots, dashes, spaces or check digit, so a contact
Alegra holds as ``800.197.268-4`` is the mapping's ``800197268``. Part of the syncer (it reads
state and talks to Alegra).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence

from alegra_sync.alegra.client import AlegraClient
from alegra_sync.alegra.models import Contact
from alegra_sync.errors import ConfigError, UncertainWriteError
from alegra_sync.i18n import T, Text, Tn
from alegra_sync.payroll.identity import check_digit, identification_key, split_person_name
from alegra_sync.sync.ledger import Ledger
from alegra_sync.vouchers.model import Party

MAX_LISTED_MISSING = 10
CREATE_MISSING_HINT = T("create them in Alegra, or set [contacts] create_missing = true in "
                        "config.toml")


def resolve_parties(
    parties: Iterable[Party], client: AlegraClient, ledger: Ledger, *, create_missing: bool,
    dry_run: bool = False, recheck_delays: Sequence[float] = (1.0, 2.0, 4.0),
    sleep: Callable[[float], None] = time.sleep,
) -> dict[Party, str]:
    """Alegra contact id of every party; creates the missing ones when allowed (else 78)."""
    cached = ledger.contact_ids()
    wanted = sorted(set(parties), key=lambda p: (p.kind, p.identification))
    resolved = {p: cached[(p.kind, p.identification)] for p in wanted
                if (p.kind, p.identification) in cached}
    misses = [p for p in wanted if p not in resolved]
    if not misses:
        return resolved

    by_identification = contacts_by_identification(client)
    found: dict[tuple[str, str], str] = {}
    for party in misses:
        alegra_id = by_identification.get(identification_key(party.identification))
        if alegra_id is not None:
            resolved[party] = alegra_id
            found[(party.kind, party.identification)] = alegra_id
    missing = [p for p in misses if p not in resolved]
    if missing and not create_missing:  # a dry run too: it must fail where the sync would
        raise ConfigError(missing_contacts_message(missing), hint=CREATE_MISSING_HINT)
    if missing and not dry_run:
        for party in missing:
            alegra_id = _create_contact(client, party, recheck_delays, sleep)
            resolved[party] = alegra_id
            found[(party.kind, party.identification)] = alegra_id
    if found:
        ledger.remember_contacts(found)
    return resolved


def contacts_by_identification(client: AlegraClient) -> dict[str, str]:
    """Alegra contact id by identification as compared (identification_key). When Alegra
    holds two contacts for one identification (``800197268`` and ``800.197.268-4``), the one
    written as compared wins, else the first listed."""
    found: dict[str, str] = {}
    exact: set[str] = set()
    for contact in client.contacts():
        key = identification_key(contact.identification)
        if not key or key in exact:
            continue
        if contact.identification.strip() == key:
            found[key] = contact.id
            exact.add(key)
        else:
            found.setdefault(key, contact.id)
    return found


def _same_identification(contact: Contact, party: Party) -> bool:
    return identification_key(contact.identification) == identification_key(party.identification)


def missing_contacts_message(missing: list[Party]) -> Text:
    shown = ", ".join(f"{p.name} ({p.id_type} {p.identification})"
                      for p in missing[:MAX_LISTED_MISSING])
    more = len(missing) - MAX_LISTED_MISSING
    if more > 0:
        return T("{n} terceros are not Alegra contacts: {shown} and {more} more",
                 n=len(missing), shown=shown, more=more)
    return Tn("{n} tercero is not an Alegra contact: {shown}",
              "{n} terceros are not Alegra contacts: {shown}", len(missing), shown=shown)


def _create_contact(client: AlegraClient, party: Party, recheck_delays: Sequence[float],
                    sleep: Callable[[float], None]) -> str:
    """Create one contact. A POST is never retried blindly: an uncertain outcome is looked up
    (after each wait) and the contact created again only when it is still absent."""
    waits = list(recheck_delays)
    while True:
        try:
            return client.create_contact(contact_payload(party)).id
        except UncertainWriteError:
            if not waits:
                raise
        sleep(waits.pop(0))
        existing = next((contact for contact in client.contacts(
            identification=identification_key(party.identification))
            if _same_identification(contact, party)), None)
        if existing is not None:
            return existing.id


# The export's identification types (PILA's codes) where Alegra's differ.
_ALEGRA_ID_TYPES = {"PA": "PP"}


def alegra_id_type(code: str) -> str:
    """Alegra's identification type for an export's: the passport is PP in Alegra, PA in PILA."""
    return _ALEGRA_ID_TYPES.get(code, code)


def contact_payload(party: Party) -> dict[str, object]:
    """The ``POST /contacts`` body (accounting.md, "Contacts as a Colombian accountant expects
    them"): an employee is a ``PERSON_ENTITY`` whose ``nameObject`` holds the export's separate
    name columns, else its full name split the Colombian way (two surnames last, particles
    with the surname that follows); an entity is a ``LEGAL_ENTITY`` with its NIT and the
    check digit by DIAN's algorithm, named by its legal name (the plan's party name).

    ``identification`` (``{type, number}``, as alegra-api.md writes contacts) and
    ``identificationObject`` (the form Alegra reads back, with ``dv`` for a NIT) say the same.
    """
    number = identification_key(party.identification) or party.identification
    kind = "NIT" if party.kind == "entity" else alegra_id_type(party.id_type or "CC")
    identification: dict[str, str] = {"type": kind, "number": number}
    if kind == "NIT" and number.isdigit():
        identification["dv"] = check_digit(number)
    payload: dict[str, object] = {
        "name": party.name,
        "identification": {"type": kind, "number": number},
        "identificationObject": identification,
        "type": ["provider"],  # Alegra has no employee type
    }
    if party.kind == "employee":
        person = party.person or split_person_name(party.name)
        payload["kindOfPerson"] = "PERSON_ENTITY"
        payload["nameObject"] = {
            key: value for key, value in (
                ("firstName", person.first_name), ("secondName", person.second_name),
                ("lastName", person.last_name), ("secondLastName", person.second_last_name),
            ) if value
        }
    else:
        payload["kindOfPerson"] = "LEGAL_ENTITY"
    return payload
