"""Terceros: the parties a plan names, resolved to Alegra contact ids through the local cache.

Only cache misses go to Alegra, and by listing the contacts in pages, not one request per
person. Part of the syncer (it reads state and talks to Alegra).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence

from alegra_sync.alegra.client import AlegraClient
from alegra_sync.errors import ConfigError, UncertainWriteError
from alegra_sync.sync.ledger import Ledger
from alegra_sync.vouchers.model import Party

MAX_LISTED_MISSING = 10


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
        alegra_id = by_identification.get(party.identification)
        if alegra_id is not None:
            resolved[party] = alegra_id
            found[(party.kind, party.identification)] = alegra_id
    missing = [p for p in misses if p not in resolved]
    if missing and not create_missing:  # a dry run too: it must fail where the sync would
        raise ConfigError(missing_contacts_message(missing), hint=(
            "create them in Alegra, or set [contacts] create_missing = true in config.toml"
        ))
    if missing and not dry_run:
        for party in missing:
            alegra_id = _create_contact(client, party, recheck_delays, sleep)
            resolved[party] = alegra_id
            found[(party.kind, party.identification)] = alegra_id
    if found:
        ledger.remember_contacts(found)
    return resolved


def contacts_by_identification(client: AlegraClient) -> dict[str, str]:
    return {c.identification: c.id for c in client.contacts() if c.identification}


def missing_contacts_message(missing: list[Party]) -> str:
    shown = ", ".join(f"{p.name} ({p.id_type} {p.identification})"
                      for p in missing[:MAX_LISTED_MISSING])
    more = len(missing) - MAX_LISTED_MISSING
    suffix = f" and {more} more" if more > 0 else ""
    return f"{len(missing)} terceros are not Alegra contacts: {shown}{suffix}"


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
        existing = next(iter(client.contacts(identification=party.identification)), None)
        if existing is not None:
            return existing.id


def contact_payload(party: Party) -> dict[str, object]:
    payload: dict[str, object] = {
        "name": party.name,
        "identification": {"type": party.id_type, "number": party.identification},
        "type": ["provider"],  # Alegra has no employee type
    }
    if party.kind == "employee":
        first, _, last = party.name.partition(" ")
        payload["kindOfPerson"] = "PERSON_ENTITY"
        payload["nameObject"] = {"firstName": first, "lastName": last}
    else:
        payload["kindOfPerson"] = "LEGAL_ENTITY"
    return payload
