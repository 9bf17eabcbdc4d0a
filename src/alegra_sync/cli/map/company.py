"""The questions of interactive `map` about the company rather than a concept: which Alegra
cost center each of the export's is, the NIT of each EPS and AFP, the egreso's bank account."""

from __future__ import annotations

from typing import TYPE_CHECKING

from alegra_sync.cli.map.asking import ask
from alegra_sync.i18n import _

if TYPE_CHECKING:
    from alegra_sync.cli.map.prompts import MapSession


def map_cost_centers(session: MapSession, names: list[str]) -> None:
    from rich.markup import escape

    from alegra_sync.mapping.edit import best_cost_center

    centers = [c for c in session.catalog.cost_centers if c.status == "active"]
    session.app.err.print("\n[bold]" + _("Cost centers") + "[/]: " + _(
        "which Alegra cost center is each one of the export's?"))
    if not centers:
        session.app.warn(_("Alegra has no active cost centers: create them in Alegra, then "
                        "run `alegra-sync map` again"))
        return
    for number, center in enumerate(centers, 1):
        code = f"{center.code} " if center.code else ""
        session.app.err.print(f"  {number:>3}  {escape(code + center.name)}")
    from alegra_sync.cli.map.distribution import ask_cost_center  # one center, or shares

    for name in names:
        best = best_cost_center(name, centers)
        session.mapping.cost_centers[name] = ask_cost_center(session.app, name, centers, best)
        session.save()


def map_entities(session: MapSession, entities: list[tuple[str, str]]) -> None:
    from rich.markup import escape

    from alegra_sync.alegra.catalog import normalise
    from alegra_sync.mapping.edit import clean_nit, contact_named

    contacts = session.catalog.contacts
    session.app.err.print("\n[bold]" + _("EPS and AFP") + "[/]: " + escape(_(
        "the NIT of each entity the export names, as its Alegra contact has it (Enter "
        "accepts the one found in Alegra; '-' leaves it for later)")))
    for kind, name in entities:
        found = contact_named(name, contacts)
        if found is not None and normalise(found.name) != normalise(name):
            session.app.err.print(escape(_("  {kind} {name!r}: in Alegra as {found!r}, NIT "
                                        "{nit}").format(kind=kind.upper(), name=name,
                                                        found=found.name,
                                                        nit=found.identification)))
        while True:
            answer = ask(session.app, _("  NIT of {kind} {name!r}").format(
                kind=kind.upper(), name=name),
                default=found.identification if found else "", show_default=bool(found))
            if answer in ("", "-"):
                break
            nit = clean_nit(answer)
            if nit is not None:
                session.mapping.entities[name] = nit
                session.save()
                break
            session.app.err.print(_("  a NIT is digits, e.g. 800088702 (dots and the check "
                                 "digit are fine)"))

def pick_bank_account(session: MapSession) -> None:
    from rich.markup import escape

    from alegra_sync.mapping.edit import bank_accounts_for_payment

    banks = bank_accounts_for_payment(session.catalog.bank_accounts)
    session.app.err.print("\n[bold]" + _("Which bank account pays the net pay (the "
                                      "egreso)?") + "[/]")
    if not banks:
        session.app.warn(_("Alegra has no active bank account: create it, then run "
                        "`alegra-sync map` again"))
        return
    for number, bank in enumerate(banks, 1):
        detail = " ".join(filter(None, [bank.type, bank.number]))
        session.app.err.print(f"  {number:>3}  {escape(bank.name)}  [dim]{escape(detail)}[/]")
    number = _ask_number(session, _("  bank account"), len(banks), 1)
    session.mapping.payment.bank_account = banks[number - 1].id
    session.save()

def _ask_number(session: MapSession, question: str, count: int, default: int | None) -> int:
    while True:
        answer = ask(session.app, question, default="" if default is None else str(default),
                     show_default=default is not None)
        if answer.isdigit() and 1 <= int(answer) <= count:
            return int(answer)
        session.app.err.print(_("  type a number from 1 to {count}").format(count=count))
