"""The questions of interactive `alegra-sync map`, one concept at a time, saving after each.

Everything goes to stderr (prompts and lists). Every question takes `?` (the keys) and `q`
(stop: what was answered is saved); Ctrl-C keeps what was answered too. It ends with the
check `map --check` makes (finish.py): the terceros that are not Alegra contacts yet, and the
offer to let sync create them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import typer

from alegra_sync.cli.map.asking import StopMapping, ask, ask_yes_no
from alegra_sync.cli.map.show import tercero_text
from alegra_sync.errors import ExitCode
from alegra_sync.i18n import T, _, local, ngettext, reason_of

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
        raise NoExportError(T("no concepts to map: no export found and the mapping is empty"),
                            hint=T("pass --export FILE (the payroll export of a quincena)"))
    try:
        todo = choose_concepts(known, mapping, chosen, every)
    except ValueError as exc:
        raise typer.BadParameter(local(reason_of(exc)), param_hint="--concept") from None
    with Catalog(app.client, app.paths.cache, refresh=refresh) as catalog:
        session = MapSession(app, mapping, catalog, export)
        _map(app, session, known, todo)
    if export is not None:
        from alegra_sync.cli.map.finish import check_contacts

        try:
            check_contacts(app, export)
        except StopMapping:
            app.err.print()


def _map(app: AppContext, session: MapSession, known: list[str], todo: Sequence[str]) -> None:
    from rich.markup import escape

    from alegra_sync.cli.map.show import concepts_table

    mapping = session.mapping
    if any(concept in mapping.concepts for concept in known):
        app.err.print(concepts_table(mapping, known, session.by_id))
    else:
        app.info(escape(ngettext("{n} concept, none mapped yet: {names}",
                                 "{n} concepts, none mapped yet: {names}",
                                 len(known)).format(n=len(known), names=", ".join(known))))
    if session.asks(todo):
        app.info(_("(? at any question shows the keys; q stops, keeping what is answered)"))
    try:
        session.run(todo)
    except typer.Abort:
        app.err.print()
        app.warn(_("stopped; every concept answered so far is saved in {path}").format(
            path=app.paths.mapping))
        raise typer.Exit(ExitCode.INTERRUPTED) from None
    except StopMapping:
        app.err.print()
        app.info(_("stopped here: every concept answered so far is saved in {path}; "
                   "`alegra-sync map` asks about the rest").format(path=app.paths.mapping))
        raise typer.Exit(ExitCode.OK) from None
    if not session.changed:
        app.info(_("nothing changed: every concept of the export is mapped, and {path} is as "
                   "it was (`--concept NAME` maps one again, `--all` every one)").format(
            path=app.paths.mapping))
        return
    app.err.print(concepts_table(mapping, known, session.by_id))
    app.info("[green]✓[/] " + escape(_(
        "mapping saved in {path}; check it any time with `alegra-sync map --check`").format(
        path=app.paths.mapping)))


class MapSession:
    def __init__(self, app: AppContext, mapping: Mapping, catalog: Catalog,
                 export: PayrollExport | None = None) -> None:
        self.app = app
        self.mapping = mapping
        self.catalog = catalog
        self.export = export
        self.chart = catalog.chart
        self.by_id = {account.id: account for account in self.chart}
        self.path: Path = app.paths.mapping
        self.changed = False
        names = {(e.cost_center or "").strip() for e in export.employees} if export else set()
        self.cost_center_names = sorted(n for n in names if n)

    def run(self, todo: Sequence[str]) -> None:
        from rich.markup import escape

        from alegra_sync.mapping.edit import missing_cost_centers, missing_entities

        if todo or self.mapping.payable is None:
            self.ask_payable()
        for number, concept in enumerate(todo, 1):
            self.app.err.print(f"\n[bold]{escape(concept)}[/]  [dim]"
                               + _("({number} of {count})").format(number=number,
                                                                   count=len(todo)) + "[/]")
            self.map_concept(concept)
        from alegra_sync.cli.map.company import map_cost_centers, map_entities, pick_bank_account

        if self.export is not None:
            centers = missing_cost_centers(self.export, self.mapping)
            if centers:
                map_cost_centers(self, centers)
            entities = missing_entities(self.export, self.mapping)
            if entities:
                map_entities(self, entities)
        if self.mapping.payment.bank_account is None:
            pick_bank_account(self)

    def asks(self, todo: Sequence[str]) -> bool:
        """Whether run() has anything to ask."""
        from alegra_sync.mapping.edit import missing_cost_centers, missing_entities

        export = self.export
        return bool(todo or self.mapping.payable is None
                    or self.mapping.payment.bank_account is None
                    or (export is not None and (missing_cost_centers(export, self.mapping)
                                                or missing_entities(export, self.mapping))))

    def save(self) -> None:
        from alegra_sync.mapping.model import save_mapping

        save_mapping(self.mapping, self.path)
        self.changed = True

    # --- accounts -------------------------------------------------------------------------------

    def ask_payable(self) -> None:
        from alegra_sync.alegra.models import Account
        from alegra_sync.mapping.edit import find_accounts
        from alegra_sync.mapping.model import PAYABLE, AccountRef

        current = self.mapping.payable
        if current is not None:
            return
        self.app.err.print("\n[bold]" + _("Which account holds the net pay owed (Salarios por "
                                          "pagar, 2505)?") + "[/] "
                           + _("It is asked once; every concept can then use it with 'p'."))
        suggestions = find_accounts(self.chart, "salarios por pagar") or find_accounts(
            self.chart, "2505")
        account = self.pick_account("", None, suggestions, allow_skip=False)
        assert isinstance(account, Account)  # with no current and no skip, only an account
        self.mapping.accounts[PAYABLE] = AccountRef(id=account.id, name=account.name)
        self.save()

    def map_concept(self, concept: str) -> None:
        from rich.markup import escape

        from alegra_sync.alegra.models import Account
        from alegra_sync.cli.map.show import account_label, describe_rule
        from alegra_sync.mapping.edit import (
            SIDES,
            as_side,
            default_cost_center,
            propose_tercero,
            side_account_id,
            suggest_accounts,
            tercero_to_store,
        )
        from alegra_sync.mapping.model import PAYABLE, ConceptMapping

        current = self.mapping.concepts.get(concept)
        payable = self.mapping.payable
        payable_account = self.by_id.get(payable.id) if payable else None
        sides: dict[Side, AccountSide] = {}
        for side in SIDES:
            old = getattr(current, side) if current is not None else None
            label = (_("{concept} — debit account (débito)") if side == "debit"
                     else _("{concept} — credit account (crédito)")).format(concept=concept)
            picked = self.pick_account(
                label, old,
                suggest_accounts(self.chart, concept, side,
                                 exclude=payable.id if payable else None,
                                 payable=payable_account),
                allow_skip=True,
            )
            if picked == SKIP:
                self.app.info(escape(
                    _("  skipped {concept}: it stays as it was") if current
                    else _("  skipped {concept}: it stays unmapped")).format(concept=concept))
                return
            sides[side] = as_side(self.mapping, picked) if isinstance(picked, Account) else picked
        accounts = {s: self.by_id.get(side_account_id(self.mapping, sides[s]) or "")
                    for s in SIDES}
        defaults: dict[Side, Tercero] = {}
        for side in SIDES:
            is_payable = sides[side] == PAYABLE
            defaults[side] = propose_tercero(side, accounts[side], is_payable, concept)
            if current is not None and getattr(current, side) == sides[side]:
                defaults[side] = getattr(current, f"{side}_tercero") or (
                    "employee" if is_payable else "none")
        cc_default = default_cost_center(accounts["debit"], accounts["credit"])
        if cc_default is not None and current is not None:
            cc_default = current.cost_center
        rule = ConceptMapping(debit=sides["debit"], credit=sides["credit"],
                              cost_center=bool(cc_default))
        self.mapping.concepts[concept] = rule  # the per-cost-center accounts refer to it
        overrides = self._cost_center_debits(concept, accounts["debit"])
        terceros, cost_center = dict(defaults), bool(cc_default)
        if not self._accept_details(defaults, sides, cc_default, overrides):
            for side in SIDES:
                terceros[side] = self.ask_tercero(side, accounts[side], defaults[side],
                                                  sides[side] == PAYABLE)
            if cc_default is not None:
                cost_center = ask_yes_no(
                    self.app, _("  Put the employee's cost center on the P&L line?"),
                    cc_default)
            overrides = self._ask_cost_center_debits(concept, accounts["debit"], overrides)
        for side in SIDES:
            terceros[side] = tercero_to_store(terceros[side], sides[side] == PAYABLE)
        rule = ConceptMapping(
            debit=sides["debit"], credit=sides["credit"], debit_tercero=terceros["debit"],
            credit_tercero=terceros["credit"], cost_center=cost_center,
        )
        self.mapping.concepts[concept] = rule
        self._store_cost_center_debits(concept, overrides)
        self.save()
        self.app.err.print("  [green]✓[/] " + escape(_("saved {rule}").format(
            rule=describe_rule(self.mapping, rule, self.by_id))))
        for name, chosen in overrides.items():
            self.app.err.print("    " + escape(_("debit for the cost center {name}: "
                                                 "{account}").format(
                name=name, account=account_label(self.mapping, chosen, self.by_id))))

    # --- per cost center ------------------------------------------------------------------------

    def _cost_center_debits(self, concept: str,
                            debit: Account | None) -> dict[str, AccountSide]:
        """The debit account of each of the export's cost centers that takes another one: as
        the mapping has it, else the account named for it ("Sueldos ventas" for Sueldos).
        Whether the lines carry the cost center or not, an employee of Ventas is posted to
        Ventas' account ([cost_center_accounts])."""
        from alegra_sync.mapping.edit import as_side, cost_center_account, cost_center_override

        if debit is None or not debit.is_profit_and_loss:
            return {}
        found: dict[str, AccountSide] = {}
        for name in self.cost_center_names:
            current = cost_center_override(self.mapping, name, concept, "debit")
            proposed = cost_center_account(self.chart, debit, name)
            if current is not None:
                found[name] = current
            elif proposed is not None:
                found[name] = as_side(self.mapping, proposed)
        return found

    def _ask_cost_center_debits(self, concept: str, debit: Account | None,
                                proposed: dict[str, AccountSide]) -> dict[str, AccountSide]:
        from alegra_sync.alegra.models import Account
        from alegra_sync.mapping.edit import (
            as_side,
            cost_center_account,
            find_accounts,
            side_account_id,
        )

        if debit is None or not debit.is_profit_and_loss:
            return {}
        own = self.mapping.concepts[concept].debit
        chosen: dict[str, AccountSide] = {}
        for name in self.cost_center_names:
            suggestions = find_accounts(self.chart, f"{debit.name} {name}")
            guess = cost_center_account(self.chart, debit, name)
            if guess is not None:
                suggestions = [guess, *(a for a in suggestions if a.id != guess.id)]
            suggestions = [a for a in suggestions if a.is_profit_and_loss]
            picked = self.pick_account(
                _("{concept} — debit account for the cost center {name}").format(
                    concept=concept, name=name),
                proposed.get(name, own), suggestions, allow_skip=False)
            side = as_side(self.mapping, picked) if isinstance(picked, Account) else picked
            if side_account_id(self.mapping, side) != side_account_id(self.mapping, own):
                chosen[name] = side
        return chosen

    def _store_cost_center_debits(self, concept: str, chosen: dict[str, AccountSide]) -> None:
        from alegra_sync.mapping.edit import set_cost_center_account

        for name in self.cost_center_names:  # another cost center's stays as the file has it
            set_cost_center_account(self.mapping, name, concept, "debit", chosen.get(name))

    def _accept_details(self, terceros: dict[Side, Tercero], sides: dict[Side, AccountSide],
                        cost_center: bool | None, overrides: dict[str, AccountSide]) -> bool:
        """One Enter for the usual answers: the proposed terceros, cost center and accounts
        per cost center."""
        from rich.markup import escape

        from alegra_sync.cli.map.show import account_label
        from alegra_sync.mapping.model import PAYABLE

        line = _("  terceros: debit {debit}, credit {credit}").format(
            debit=tercero_text(terceros["debit"], sides["debit"] == PAYABLE),
            credit=tercero_text(terceros["credit"], sides["credit"] == PAYABLE))
        if cost_center is not None:
            line += _("; cost center on the P&L line: {answer}").format(
                answer=_("yes") if cost_center else _("no"))
        self.app.err.print(escape(line))
        for name, side in overrides.items():
            self.app.err.print(escape(_("  debit for the cost center {name}: {account}").format(
                name=name, account=account_label(self.mapping, side, self.by_id))))
        keys = _("  Keys: Enter accepts what is shown; c changes it (the terceros, the cost "
                 "center and the debit account per cost center); q stops here.")
        while True:
            answer = ask(self.app, _("  Enter accepts, c changes them"), keys=keys).lower()
            if not answer:
                return True
            if answer in ("c", "change", "cambiar"):
                return False
            self.app.err.print(_("  press Enter to accept, or type c to change them"))

    def pick_account(
        self, title: str, current: AccountSide | None, suggestions: list[Account],
        *, allow_skip: bool,
    ) -> Account | AccountSide:
        """An account from the chart, "payable", the current side (Enter) or SKIP."""
        from rich.markup import escape

        from alegra_sync.cli.map.show import account_label
        from alegra_sync.mapping.edit import account_by_code, find_accounts, groups_matching
        from alegra_sync.mapping.model import PAYABLE

        payable = self.mapping.payable
        shown = suggestions[:LIST_SIZE]
        if title:
            self.app.err.print(f"  [bold]{escape(title)}[/]")
        if shown:
            self.app.err.print(_("  suggestions:"))
        keys = [_("number"), _("code"), _("or text to search")]
        if payable is not None:
            keys.insert(1, "p")
        if allow_skip:
            keys.append(_("s to skip"))
        keys.append(_("? keys"))
        now = account_label(self.mapping, current, self.by_id) if current is not None else None
        question = "  " + ", ".join(keys)
        if now:
            question += " " + _("[Enter keeps {account}]").format(account=now)
        while True:
            self._print_choices(shown, more=len(suggestions) - len(shown))
            answer = ask(self.app, question)
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
            exact = account_by_code(self.chart, answer)
            if exact is not None:
                self.app.err.print("  " + escape(_("→ {code} {name}").format(
                    code=exact.code, name=exact.name)))
                return exact
            suggestions = find_accounts(self.chart, answer)
            shown = suggestions[:LIST_SIZE]
            if not shown:
                groups = groups_matching(self.chart, answer)[:3]
                message = _("  no account that takes postings matches {text!r}").format(
                    text=answer)
                if groups:
                    message += "; " + _("{groups} cannot take postings (type a longer "
                                        "code)").format(groups=", ".join(
                        f"{g.code or ''} {g.name}".strip() for g in groups))
                self.app.err.print(escape(message))

    def _print_choices(self, shown: list[Account], more: int) -> None:
        from rich.markup import escape

        width = max((len(a.code or "") for a in shown), default=0)
        for number, account in enumerate(shown, 1):
            self.app.err.print(f"  {number:>3}  {(account.code or ''):<{width}}  "
                               f"{escape(account.name)}  [dim]{account.type}[/]")
        if more > 0:
            self.app.err.print(_("       … and {more} more: type more of the code or "
                                 "name").format(more=more))
        payable = self.mapping.payable
        if payable is not None:
            label = self.by_id.get(payable.id)
            name = f"{label.code} {label.name}" if label and label.code else payable.name
            self.app.err.print("    p  " + escape(_("the payable account ({name})").format(
                name=name or payable.id)))

    def ask_tercero(self, side: Side, account: Account | None, default: Tercero,
                    is_payable: bool) -> Tercero:
        from alegra_sync.mapping.edit import TERCERO_WORDS, clean_nit
        from alegra_sync.mapping.model import NitTercero

        where = (f"{account.code or ''} {account.name}".strip() if account
                 else _("the payable account"))
        shown_default = tercero_text(default, is_payable)
        question = (_("  Tercero of the debit line ({account}): employee, eps, afp, none, or a "
                      "NIT") if side == "debit" else
                    _("  Tercero of the credit line ({account}): employee, eps, afp, none, or "
                      "a NIT")).format(account=where)
        words: dict[str, TerceroWord] = {
            **TERCERO_WORDS, "empleado": "employee", "e": "employee", "a": "afp", "n": "none",
            "ninguno": "none", "-": "none"}
        keys = _("  Keys: employee (e), eps, afp, none (n or -), or the NIT's digits; Enter "
                 "keeps what is shown in [ ]; q stops here.")
        while True:
            answer = ask(self.app, question, default=shown_default, show_default=True,
                         keys=keys).lower()
            if answer == shown_default.lower():
                return default
            if answer in words:
                return words[answer]
            if answer.removeprefix("nit").strip(" :") == "":
                answer = ask(self.app, _("  NIT of the tercero"), keys=keys)
            nit = clean_nit(answer.removeprefix("nit").strip(" :"))
            if nit is not None:
                return NitTercero(nit=nit)
            self.app.err.print(_("  type employee, eps, afp, none, or the NIT's digits"))
