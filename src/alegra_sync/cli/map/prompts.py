"""The questions of interactive `alegra-sync map`, one concept at a time, saving after each.

Everything goes to stderr (prompts and lists); Ctrl-C keeps what was answered.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import typer

from alegra_sync.errors import ExitCode

if TYPE_CHECKING:
    from pathlib import Path

    from alegra_sync.alegra.catalog import Catalog
    from alegra_sync.alegra.models import Account
    from alegra_sync.cli.context import AppContext
    from alegra_sync.mapping.edit import Side, TerceroWord
    from alegra_sync.mapping.model import AccountSide, Mapping, Tercero
    from alegra_sync.payroll.model import PayrollExport

LIST_SIZE = 8
SKIP = "skip"


def run_interactive(
    app: AppContext, export: PayrollExport | None, chosen: Sequence[str], every: bool,
    refresh: bool,
) -> None:
    from alegra_sync.alegra.catalog import Catalog
    from alegra_sync.errors import NoExportError
    from alegra_sync.mapping.edit import choose_concepts
    from alegra_sync.mapping.model import load_or_new_mapping

    mapping = load_or_new_mapping(app.paths.mapping)
    known = list(export.concepts) if export is not None else list(mapping.concepts)
    if not known:
        raise NoExportError("no concepts to map: no export found and the mapping is empty",
                            hint="pass --export FILE (the payroll export of a quincena)")
    try:
        todo = choose_concepts(known, mapping, chosen, every)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--concept") from None
    with Catalog(app.client, app.paths.cache, refresh=refresh) as catalog:
        _map(app, MapSession(app, mapping, catalog), known, todo, export)


def _map(app: AppContext, session: MapSession, known: list[str], todo: Sequence[str],
         export: PayrollExport | None) -> None:
    from alegra_sync.cli.map.show import concepts_table

    mapping = session.mapping
    if any(concept in mapping.concepts for concept in known):
        app.err.print(concepts_table(mapping, known, session.by_id))
    else:
        app.info(f"{len(known)} concepts, none mapped yet: {', '.join(known)}")
    try:
        session.run(todo, export)
    except typer.Abort:
        app.err.print()
        app.warn(f"stopped; every concept answered so far is saved in {app.paths.mapping}")
        raise typer.Exit(ExitCode.INTERRUPTED) from None
    app.err.print(concepts_table(mapping, known, session.by_id))
    app.info(f"[green]✓[/] mapping saved in {app.paths.mapping}; "
             "check it any time with `alegra-sync map --check`")


class MapSession:
    def __init__(self, app: AppContext, mapping: Mapping, catalog: Catalog) -> None:
        self.app = app
        self.mapping = mapping
        self.catalog = catalog
        self.chart = catalog.chart
        self.by_id = {account.id: account for account in self.chart}
        self.path: Path = app.paths.mapping

    def run(self, todo: Sequence[str], export: PayrollExport | None) -> None:
        from alegra_sync.mapping.edit import missing_cost_centers, missing_entities

        if todo or self.mapping.payable is None:
            self.ask_payable()
        for number, concept in enumerate(todo, 1):
            self.app.err.print(f"\n[bold]{concept}[/]  [dim]({number} of {len(todo)})[/]")
            self.map_concept(concept)
        if export is not None:
            centers = missing_cost_centers(export, self.mapping)
            if centers:
                self.map_cost_centers(centers)
            entities = missing_entities(export, self.mapping)
            if entities:
                self.map_entities(entities)
        if self.mapping.payment.bank_account is None:
            self.pick_bank_account()

    def save(self) -> None:
        from alegra_sync.mapping.model import save_mapping

        save_mapping(self.mapping, self.path)

    # --- accounts -------------------------------------------------------------------------------

    def ask_payable(self) -> None:
        from alegra_sync.alegra.models import Account
        from alegra_sync.mapping.edit import find_accounts
        from alegra_sync.mapping.model import PAYABLE, AccountRef

        current = self.mapping.payable
        if current is not None:
            return
        self.app.err.print("\n[bold]Which account holds the net pay owed (Salarios por pagar, "
                           "2505)?[/] It is asked once; every concept can then use it with 'p'.")
        suggestions = find_accounts(self.chart, "salarios por pagar") or find_accounts(
            self.chart, "2505")
        account = self.pick_account("", None, suggestions, allow_skip=False)
        assert isinstance(account, Account)  # with no current and no skip, only an account
        self.mapping.accounts[PAYABLE] = AccountRef(id=account.id, name=account.name)
        self.save()

    def map_concept(self, concept: str) -> None:
        from rich.markup import escape

        from alegra_sync.alegra.models import Account
        from alegra_sync.cli.map.show import describe_rule
        from alegra_sync.mapping.edit import (
            SIDES,
            as_side,
            default_cost_center,
            default_tercero,
            side_account_id,
            suggest_accounts,
            tercero_to_store,
        )
        from alegra_sync.mapping.model import PAYABLE, ConceptMapping

        current = self.mapping.concepts.get(concept)
        payable_id = self.mapping.payable.id if self.mapping.payable else None
        sides: dict[str, AccountSide] = {}
        for side in SIDES:
            old = getattr(current, side) if current is not None else None
            label = "debit account (débito)" if side == "debit" else "credit account (crédito)"
            picked = self.pick_account(
                f"{concept} — {label}", old,
                suggest_accounts(self.chart, concept, side, exclude=payable_id),
                allow_skip=True,
            )
            if picked == SKIP:
                self.app.info(f"  skipped {concept}: it stays "
                              + ("as it was" if current else "unmapped"))
                return
            sides[side] = as_side(self.mapping, picked) if isinstance(picked, Account) else picked
        accounts = {s: self.by_id.get(side_account_id(self.mapping, sides[s]) or "")
                    for s in SIDES}
        defaults: dict[str, Tercero] = {}
        for side in SIDES:
            is_payable = sides[side] == PAYABLE
            defaults[side] = default_tercero(side, accounts[side], is_payable)
            if current is not None and getattr(current, side) == sides[side]:
                defaults[side] = getattr(current, f"{side}_tercero") or (
                    "employee" if is_payable else "none")
        cc_default = default_cost_center(accounts["debit"], accounts["credit"])
        if cc_default is not None and current is not None:
            cc_default = current.cost_center
        terceros, cost_center = dict(defaults), bool(cc_default)
        if not self._accept_details(defaults, cc_default):
            for side in SIDES:
                terceros[side] = self.ask_tercero(side, accounts[side], defaults[side])
            if cc_default is not None:
                cost_center = typer.confirm("  Put the employee's cost center on the P&L line?",
                                            default=cc_default, err=True)
        for side in SIDES:
            terceros[side] = tercero_to_store(terceros[side], sides[side] == PAYABLE)
        rule = ConceptMapping(
            debit=sides["debit"], credit=sides["credit"], debit_tercero=terceros["debit"],
            credit_tercero=terceros["credit"], cost_center=cost_center,
        )
        self.mapping.concepts[concept] = rule
        self.save()
        self.app.err.print(f"  [green]✓ saved[/] "
                           f"{escape(describe_rule(self.mapping, rule, self.by_id))}")

    def _accept_details(self, terceros: dict[str, Tercero], cost_center: bool | None) -> bool:
        """One Enter for the usual answers: the proposed terceros and cost center."""
        from alegra_sync.mapping.edit import tercero_label

        line = (f"  terceros: debit {tercero_label(terceros['debit'], False)}, "
                f"credit {tercero_label(terceros['credit'], False)}")
        if cost_center is not None:
            line += f"; cost center on the P&L line: {'yes' if cost_center else 'no'}"
        self.app.err.print(line)
        while True:
            answer = str(typer.prompt("  Enter accepts, c changes them", default="",
                                      show_default=False, err=True)).strip().lower()
            if not answer:
                return True
            if answer in ("c", "change", "cambiar"):
                return False
            self.app.err.print("  press Enter to accept, or type c to change them")

    def pick_account(
        self, title: str, current: AccountSide | None, suggestions: list[Account],
        *, allow_skip: bool,
    ) -> Account | AccountSide:
        """An account from the chart, "payable", the current side (Enter) or SKIP."""
        from rich.markup import escape

        from alegra_sync.cli.map.show import account_label
        from alegra_sync.mapping.edit import find_accounts, groups_matching
        from alegra_sync.mapping.model import PAYABLE

        payable = self.mapping.payable
        shown = suggestions[:LIST_SIZE]
        if title:
            self.app.err.print(f"  [bold]{escape(title)}[/]")
        if shown:
            self.app.err.print("  suggestions:")
        keys = ["number", "or text to search"]
        if payable is not None:
            keys.insert(1, "p")
        if allow_skip:
            keys.append("s to skip")
        now = account_label(self.mapping, current, self.by_id) if current is not None else None
        question = "  " + ", ".join(keys) + (f" [Enter keeps {now}]" if now else "")
        while True:
            self._print_choices(shown, more=len(suggestions) - len(shown))
            answer = str(typer.prompt(question, default="", show_default=False, err=True)).strip()
            if not answer:
                if current is not None:
                    return current
                continue
            lowered = answer.lower()
            if lowered == "p" and payable is not None:
                return PAYABLE
            if lowered == "s" and allow_skip:
                return SKIP
            if answer.isdigit() and 1 <= int(answer) <= len(shown):
                return shown[int(answer) - 1]
            suggestions = find_accounts(self.chart, answer)
            shown = suggestions[:LIST_SIZE]
            if not shown:
                groups = groups_matching(self.chart, answer)[:3]
                why = ("; " + ", ".join(f"{g.code or ''} {g.name}".strip() for g in groups)
                       + " cannot take postings (type a longer code)") if groups else ""
                self.app.err.print(f"  no account that takes postings matches "
                                   f"{escape(answer)!r}{escape(why)}")

    def _print_choices(self, shown: list[Account], more: int) -> None:
        from rich.markup import escape

        width = max((len(a.code or "") for a in shown), default=0)
        for number, account in enumerate(shown, 1):
            self.app.err.print(f"  {number:>3}  {(account.code or ''):<{width}}  "
                               f"{escape(account.name)}  [dim]{account.type}[/]")
        if more > 0:
            self.app.err.print(f"       … and {more} more: type more of the code or name")
        payable = self.mapping.payable
        if payable is not None:
            label = self.by_id.get(payable.id)
            name = f"{label.code} {label.name}" if label and label.code else payable.name
            self.app.err.print(f"    p  the payable account ({escape(name or payable.id)})")

    def ask_tercero(self, side: Side, account: Account | None, default: Tercero) -> Tercero:
        from alegra_sync.mapping.edit import TERCERO_WORDS, clean_nit, tercero_label
        from alegra_sync.mapping.model import NitTercero

        where = f"{account.code or ''} {account.name}".strip() if account else "payable"
        shown_default = tercero_label(default, False)
        question = (f"  Tercero of the {side} line ({where}): employee, eps, afp, none, "
                    "or a NIT")
        words: dict[str, TerceroWord] = {
            **TERCERO_WORDS, "empleado": "employee", "e": "employee", "a": "afp", "n": "none",
            "ninguno": "none", "-": "none"}
        while True:
            answer = str(typer.prompt(question, default=shown_default, err=True)).strip().lower()
            if answer == shown_default:
                return default
            if answer in words:
                return words[answer]
            if answer.removeprefix("nit").strip(" :") == "":
                answer = str(typer.prompt("  NIT of the tercero", err=True))
            nit = clean_nit(answer.removeprefix("nit").strip(" :"))
            if nit is not None:
                return NitTercero(nit=nit)
            self.app.err.print("  type employee, eps, afp, none, or the NIT's digits")

    # --- cost centers, entities, bank account ----------------------------------------------------

    def map_cost_centers(self, names: list[str]) -> None:
        from alegra_sync.mapping.edit import best_cost_center

        centers = [c for c in self.catalog.cost_centers if c.status == "active"]
        self.app.err.print("\n[bold]Cost centers[/]: which Alegra cost center is each one of "
                           "the export's?")
        if not centers:
            self.app.warn("Alegra has no active cost centers: create them in Alegra, then run "
                          "`alegra-sync map` again")
            return
        for number, center in enumerate(centers, 1):
            code = f"{center.code} " if center.code else ""
            self.app.err.print(f"  {number:>3}  {code}{center.name}")
        for name in names:
            best = best_cost_center(name, centers)
            from alegra_sync.cli.map.distribution import ask_cost_center  # one center or shares

            self.mapping.cost_centers[name] = ask_cost_center(self.app, name, centers, best)
            self.save()

    def map_entities(self, entities: list[tuple[str, str]]) -> None:
        from alegra_sync.alegra.catalog import normalise
        from alegra_sync.mapping.edit import clean_nit, contact_named

        contacts = self.catalog.contacts
        self.app.err.print("\n[bold]EPS and AFP[/]: the NIT of each entity the export names, "
                           "as its Alegra contact has it (Enter accepts the one found in "
                           "Alegra; '-' leaves it for later)")
        for kind, name in entities:
            found = contact_named(name, contacts)
            if found is not None and normalise(found.name) != normalise(name):
                self.app.err.print(f"  {kind.upper()} {name!r}: in Alegra as "
                                   f"{found.name!r}, NIT {found.identification}")
            while True:
                answer = str(typer.prompt(
                    f"  NIT of {kind.upper()} {name!r}",
                    default=found.identification if found else "", show_default=bool(found),
                    err=True)).strip()
                if answer in ("", "-"):
                    break
                nit = clean_nit(answer)
                if nit is not None:
                    self.mapping.entities[name] = nit
                    self.save()
                    break
                self.app.err.print("  a NIT is digits, e.g. 800088702 (dots and the check "
                                   "digit are fine)")

    def pick_bank_account(self) -> None:
        from alegra_sync.mapping.edit import bank_accounts_for_payment

        banks = bank_accounts_for_payment(self.catalog.bank_accounts)
        self.app.err.print("\n[bold]Which bank account pays the net pay (the egreso)?[/]")
        if not banks:
            self.app.warn("Alegra has no active bank account: create it, then run "
                          "`alegra-sync map` again")
            return
        for number, bank in enumerate(banks, 1):
            detail = " ".join(filter(None, [bank.type, bank.number]))
            self.app.err.print(f"  {number:>3}  {bank.name}  [dim]{detail}[/]")
        number = self._ask_number("  bank account", len(banks), 1)
        self.mapping.payment.bank_account = banks[number - 1].id
        self.save()

    def _ask_number(self, question: str, count: int, default: int | None) -> int:
        while True:
            answer = str(typer.prompt(question, default="" if default is None else str(default),
                                      show_default=default is not None, err=True)).strip()
            if answer.isdigit() and 1 <= int(answer) <= count:
                return int(answer)
            self.app.err.print(f"  type a number from 1 to {count}")
