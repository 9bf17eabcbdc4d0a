"""How a mapping looks to people: one line per concept, tables for `map` and `map show`."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping as AnyMapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.table import Table

    from alegra_sync.alegra.models import Account
    from alegra_sync.cli.context import AppContext
    from alegra_sync.mapping.model import AccountSide, ConceptMapping, Mapping, Tercero

Chart = AnyMapping[str, "Account"]


def account_label(mapping: Mapping, side: AccountSide | None, chart: Chart) -> str:
    """``250505 Salarios por pagar``: Alegra's code and name when the chart is at hand, else
    the name the mapping keeps, else the id."""
    from alegra_sync.mapping.model import AccountRef

    if side is None:
        return "—"
    ref = side if isinstance(side, AccountRef) else mapping.accounts.get(side)
    if ref is None:
        return f"{side}?"
    account = chart.get(ref.id)
    if account is not None:
        return f"{account.code + ' ' if account.code else ''}{account.name}"
    return ref.name or f"id {ref.id}"


def tercero_text(tercero: Tercero, is_payable: bool) -> str:
    """A tercero as people read it, in their language (the file keeps ``employee``…)."""
    from alegra_sync.i18n import pgettext
    from alegra_sync.mapping.edit import tercero_label

    label = tercero_label(tercero, is_payable)
    words = {"employee": pgettext("tercero", "employee"), "none": pgettext("tercero", "none"),
             "eps": "eps", "afp": "afp"}
    return words.get(label, label)


def tercero_labels(mapping: Mapping, rule: ConceptMapping) -> tuple[str, str]:
    return (tercero_text(rule.debit_tercero, _on_payable(mapping, rule.debit)),
            tercero_text(rule.credit_tercero, _on_payable(mapping, rule.credit)))


def _on_payable(mapping: Mapping, side: AccountSide) -> bool:
    """Whether a side names the payable account, by "payable" or by its id (its tercero then
    defaults to the employee); a name [accounts] lacks is reported elsewhere."""
    from alegra_sync.errors import ConfigError

    try:
        return mapping.is_payable(mapping.resolve(side))
    except ConfigError:
        return False


def describe_rule(mapping: Mapping, rule: ConceptMapping, chart: Chart) -> str:
    from alegra_sync.i18n import _

    debit_t, credit_t = tercero_labels(mapping, rule)
    values = {"debit": account_label(mapping, rule.debit, chart), "debit_tercero": debit_t,
              "credit": account_label(mapping, rule.credit, chart), "credit_tercero": credit_t}
    if rule.cost_center:
        return _("debit {debit} (tercero {debit_tercero}); credit {credit} (tercero "
                 "{credit_tercero}); cost center on P&L lines").format(**values)
    return _("debit {debit} (tercero {debit_tercero}); credit {credit} (tercero "
             "{credit_tercero})").format(**values)


def concepts_table(mapping: Mapping, concepts: Iterable[str], chart: Chart) -> Table:
    from rich.markup import escape
    from rich.table import Table

    from alegra_sync.i18n import _

    table = Table(title=_("Payroll concepts"), title_justify="left")
    for column in ("#", _("concept"), _("debit"), _("tercero"), _("credit"), _("tercero"),
                   _("cost center")):
        table.add_column(column)
    for number, concept in enumerate(concepts, 1):
        rule = mapping.concepts.get(concept)
        if rule is None:
            table.add_row(str(number), escape(concept),
                          "[yellow]" + escape(_("not mapped")) + "[/]", "", "", "", "")
            continue
        debit_t, credit_t = tercero_labels(mapping, rule)
        table.add_row(
            str(number), escape(concept), escape(account_label(mapping, rule.debit, chart)),
            escape(debit_t), escape(account_label(mapping, rule.credit, chart)),
            escape(credit_t), _("yes") if rule.cost_center else "",
        )
    return table


def cost_center_accounts_table(mapping: Mapping, chart: Chart) -> Table:
    """``[cost_center_accounts]``: per cost center, the concepts whose accounts differ."""
    from alegra_sync.cli.output import Column, table
    from alegra_sync.i18n import _

    shown = table([Column(_("cost center"), "name"), Column(_("concept"), "name"),
                   Column(_("debit"), "name"), Column(_("credit"), "name")],
                  _("Accounts per cost center (instead of the concept's)"))
    for center, overrides in mapping.cost_center_accounts.items():
        for concept, override in overrides.items():
            rule = mapping.concepts.get(concept)
            shown.add_row(center, concept, _override_label(mapping, override.debit, chart,
                                                           rule.debit if rule else None),
                          _override_label(mapping, override.credit, chart,
                                          rule.credit if rule else None))
    return shown


def _override_label(mapping: Mapping, side: AccountSide | None, chart: Chart,
                    own: AccountSide | None) -> str:
    from alegra_sync.i18n import _

    if side is None:
        return _("(the concept's: {account})").format(account=account_label(mapping, own, chart))
    return account_label(mapping, side, chart)


def cost_center_tables(mapping: Mapping, names: AnyMapping[str, str] | None = None) -> list[Table]:
    """[cost_centers] and [employee_cost_centers], a distribution as its shares (``2 Ventas
    60 %, 3 Planta 40 %``); ``names`` are Alegra's cost-center names by id, when known."""
    from rich.table import Table

    from alegra_sync.i18n import _
    from alegra_sync.mapping.model import format_percentage, shares_of

    def shares(target: str | AnyMapping[str, object]) -> str:
        parts = []
        for center, percentage in shares_of(target):  # type: ignore[arg-type]
            label = f"{center} {names[center]}" if names and center in names else center
            parts.append(label if isinstance(target, str)
                         else f"{label} {format_percentage(percentage)} %")
        return ", ".join(parts)

    tables: list[Table] = []
    for title, header, entries in (
        (_("Cost centers (export → Alegra id)"), _("export"), mapping.cost_centers),
        (_("Cost centers per employee (beat the export's)"), _("identification"),
         mapping.employee_cost_centers),
    ):
        if not entries and tables:
            continue  # the per-employee table only when the mapping has one
        table = Table(title=title, title_justify="left")
        table.add_column(header)
        table.add_column(_("Alegra cost center (share)"))
        for key, target in entries.items():
            table.add_row(key, shares(target))
        tables.append(table)
    return tables


def print_mapping(app: AppContext, mapping: Mapping) -> None:
    from rich.markup import escape
    from rich.table import Table

    from alegra_sync.i18n import _

    payable = mapping.payable
    not_set = "[yellow]" + escape(_("not set")) + "[/]"
    if payable is not None:
        app.out.print(escape(_("payable account: {name} (id {id})").format(
            name=payable.name or "", id=payable.id)))
    else:
        app.out.print(escape(_("payable account: {account}")).format(account=not_set))
    for name, ref in mapping.accounts.items():
        if name != "payable":
            app.out.print(escape(_("account {key}: {name} (id {id})").format(
                key=repr(name), name=ref.name or "", id=ref.id)))
    app.out.print(concepts_table(mapping, mapping.concepts, {}))
    if mapping.cost_center_accounts:
        app.out.print(cost_center_accounts_table(mapping, {}))
    for distribution in cost_center_tables(mapping):
        app.out.print(distribution)
    entities = {name: (value if isinstance(value, str) else
                       f"{value.nit} ({value.name})" if value.name else value.nit)
                for name, value in mapping.entities.items()}
    table = Table(title=_("Entities (export → NIT)"), title_justify="left")
    table.add_column(_("export"))
    table.add_column("Alegra")
    for key, value in entities.items():
        table.add_row(escape(key), escape(value))
    app.out.print(table)
    payment = mapping.payment
    bank = escape(payment.bank_account) if payment.bank_account else not_set
    app.out.print(escape(_("egreso: bank account {bank}, mode {mode}, method {method}")).format(
        bank=bank, mode=escape(payment.mode), method=escape(payment.method)))
