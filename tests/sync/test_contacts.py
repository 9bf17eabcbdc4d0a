"""resolve_parties: terceros to Alegra contact ids through the state's cache, against the sandbox.

Every request the client sends is read back from the sandbox's log, so "no request" and "one
listing, page by page" are exact.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from alegra_sync.alegra.client import AlegraClient
from alegra_sync.errors import ConfigError, ExitCode, UncertainWriteError
from alegra_sync.sandbox import SandboxServer
from alegra_sync.sync.contacts import resolve_parties
from alegra_sync.sync.ledger import Ledger
from alegra_sync.vouchers.model import Party

ANA = Party("employee", "1001", "Ana Gómez")
BRUNO = Party("employee", "1002", "Bruno Díaz")
SURA = Party("entity", "800088702", "EPS Sura", "NIT")  # seeded in the demo company: id 1
POSITIVA = Party("entity", "860011153", "Positiva ARL", "NIT")  # id 5
# 25 employees added to the 9 seeded entities: 34 contacts, two pages of 30.
STAFF = [Party("employee", str(5000 + n), f"Empleado {n}") for n in range(25)]
LAST = STAFF[-1]  # contact 3025, on the second page
FIRST_PAGE = ("GET", "/contacts", "start=0&limit=30")
SECOND_PAGE = ("GET", "/contacts", "start=30&limit=30")


@pytest.fixture
def client(sandbox: SandboxServer) -> Iterator[AlegraClient]:
    for party in STAFF:  # straight into the store: these are not requests of the test
        sandbox.store.create_contact({"name": party.name, "identification": {
            "type": "CC", "number": party.identification}})
    with AlegraClient(sandbox.url, sandbox.USER, sandbox.TOKEN, max_retries=0) as made:
        yield made


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    with Ledger.open(tmp_path / "state.sqlite3") as opened:
        yield opened


def requests_seen(sandbox: SandboxServer) -> list[tuple[str, str, str]]:
    return [(line["method"], line["path"].removeprefix("/api/v1"), line["query"])
            for line in sandbox.store.dump()["log"]]


def identifications(sandbox: SandboxServer) -> list[str]:
    return [contact["identification"] for contact in sandbox.store.dump()["contacts"]]


def test_cache_hits_send_no_request(sandbox: SandboxServer, client: AlegraClient,
                                    ledger: Ledger) -> None:
    ledger.remember_contacts({("employee", "1001"): "77", ("entity", "800088702"): "9"})
    resolved = resolve_parties([ANA, SURA, ANA], client, ledger, create_missing=False)
    assert resolved == {ANA: "77", SURA: "9"}
    assert requests_seen(sandbox) == []
    assert client.requests_sent == {}
    assert resolve_parties([], client, ledger, create_missing=False) == {}
    assert requests_seen(sandbox) == []


def test_misses_are_listed_once_page_by_page_and_cached(sandbox: SandboxServer,
                                                        client: AlegraClient,
                                                        ledger: Ledger) -> None:
    ledger.remember_contacts({("employee", "1001"): "77"})
    resolved = resolve_parties([ANA, SURA, POSITIVA, STAFF[0], LAST], client, ledger,
                               create_missing=False)
    assert resolved == {ANA: "77", SURA: "1", POSITIVA: "5", STAFF[0]: "3001", LAST: "3025"}
    assert requests_seen(sandbox) == [FIRST_PAGE, SECOND_PAGE]  # not one request per person
    assert ledger.contact_ids() == {
        ("employee", "1001"): "77", ("entity", "800088702"): "1",
        ("entity", "860011153"): "5", ("employee", "5000"): "3001",
        ("employee", "5024"): "3025",
    }
    again = resolve_parties([SURA, POSITIVA, STAFF[0], LAST], client, ledger,
                            create_missing=False)
    assert again == {SURA: "1", POSITIVA: "5", STAFF[0]: "3001", LAST: "3025"}
    assert requests_seen(sandbox) == [FIRST_PAGE, SECOND_PAGE]  # the cache answered


def test_missing_contacts_without_create_missing_are_a_config_error_naming_them(
    sandbox: SandboxServer, client: AlegraClient, ledger: Ledger
) -> None:
    with pytest.raises(ConfigError) as caught:
        resolve_parties([SURA, BRUNO, ANA], client, ledger, create_missing=False)
    assert caught.value.exit_code == ExitCode.CONFIG == 78
    assert caught.value.message == (
        "2 terceros are not Alegra contacts: Ana Gómez (CC 1001), Bruno Díaz (CC 1002)")
    assert caught.value.hint == (
        "create them in Alegra, or set [contacts] create_missing = true in config.toml")
    assert requests_seen(sandbox) == [FIRST_PAGE, SECOND_PAGE]
    with pytest.raises(ConfigError) as dry:  # a dry run fails where the sync would
        resolve_parties([BRUNO, ANA], client, ledger, create_missing=False, dry_run=True)
    assert dry.value.message == caught.value.message


def test_more_than_ten_missing_are_counted_not_listed(client: AlegraClient,
                                                      ledger: Ledger) -> None:
    strangers = [Party("employee", f"70{n:02}", f"Persona {n}") for n in range(12)]
    with pytest.raises(ConfigError) as caught:
        resolve_parties(strangers, client, ledger, create_missing=False)
    shown = ", ".join(f"Persona {n} (CC 70{n:02})" for n in range(10))
    assert caught.value.message == (
        f"12 terceros are not Alegra contacts: {shown} and 2 more")


def test_a_dry_run_creates_nothing_and_caches_what_it_found(sandbox: SandboxServer,
                                                            client: AlegraClient,
                                                            ledger: Ledger) -> None:
    before = identifications(sandbox)
    resolved = resolve_parties([ANA, BRUNO, SURA], client, ledger, create_missing=True,
                               dry_run=True)
    assert resolved == {SURA: "1"}  # the missing stay missing
    assert requests_seen(sandbox) == [FIRST_PAGE, SECOND_PAGE]
    assert identifications(sandbox) == before
    assert ledger.contact_ids() == {("entity", "800088702"): "1"}


def test_create_missing_posts_each_missing_contact_once(sandbox: SandboxServer,
                                                        client: AlegraClient,
                                                        ledger: Ledger) -> None:
    resolved = resolve_parties([BRUNO, SURA, ANA], client, ledger, create_missing=True)
    assert resolved == {ANA: "3026", BRUNO: "3027", SURA: "1"}
    assert requests_seen(sandbox) == [FIRST_PAGE, SECOND_PAGE, ("POST", "/contacts", ""),
                                      ("POST", "/contacts", "")]
    created = {c["id"]: c for c in sandbox.store.dump()["contacts"]}
    assert (created["3026"]["name"], created["3026"]["identification"]) == ("Ana Gómez", "1001")
    assert created["3026"]["nameObject"]["firstName"] == "Ana"
    assert created["3026"]["nameObject"]["lastName"] == "Gómez"
    assert (created["3027"]["name"], created["3027"]["identification"]) == ("Bruno Díaz", "1002")
    assert ledger.contact_ids() == {("employee", "1001"): "3026", ("employee", "1002"): "3027",
                                    ("entity", "800088702"): "1"}


def test_an_uncertain_create_is_looked_up_before_it_is_posted_again(
    sandbox: SandboxServer, client: AlegraClient, ledger: Ledger
) -> None:
    sandbox.faults.add("POST /contacts", "500-after")  # stored, but the answer is a 500
    waits: list[float] = []
    resolved = resolve_parties([ANA], client, ledger, create_missing=True,
                               recheck_delays=(0.5, 1.0), sleep=waits.append)
    assert resolved == {ANA: "3026"}
    assert waits == [0.5]
    assert requests_seen(sandbox) == [FIRST_PAGE, SECOND_PAGE, ("POST", "/contacts", ""),
                                      ("GET", "/contacts", "identification=1001&start=0&limit=30")]
    assert identifications(sandbox).count("1001") == 1


def test_an_uncertain_create_that_did_not_land_is_posted_again_after_the_look_up(
    sandbox: SandboxServer, client: AlegraClient, ledger: Ledger
) -> None:
    sandbox.faults.add("POST /contacts", "500-before")  # refused before storing anything
    waits: list[float] = []
    resolved = resolve_parties([ANA], client, ledger, create_missing=True,
                               recheck_delays=(0.5, 1.0), sleep=waits.append)
    assert resolved == {ANA: "3026"}
    assert waits == [0.5]
    assert requests_seen(sandbox)[2:] == [
        ("POST", "/contacts", ""), ("GET", "/contacts", "identification=1001&start=0&limit=30"),
        ("POST", "/contacts", ""),
    ]
    assert identifications(sandbox).count("1001") == 1


def test_an_uncertain_create_without_waits_left_is_raised_and_not_cached(
    sandbox: SandboxServer, client: AlegraClient, ledger: Ledger
) -> None:
    sandbox.faults.add("POST /contacts", "500-after")
    with pytest.raises(UncertainWriteError) as caught:
        resolve_parties([ANA], client, ledger, create_missing=True, recheck_delays=(),
                        sleep=pytest.fail)
    assert caught.value.exit_code == ExitCode.TEMPFAIL
    assert [r[0] for r in requests_seen(sandbox)].count("POST") == 1
    assert ledger.contact_ids() == {}
