"""The simulation (`sync --dry-run`): the vouchers a sync would post, as tables."""

from __future__ import annotations

from typing import TYPE_CHECKING

from alegra_sync.cli.output import money

if TYPE_CHECKING:
    from rich.table import Table

    from alegra_sync.cli.context import AppContext
    from alegra_sync.sync.result import PeriodResult, RunResult
    from alegra_sync.vouchers.model import JournalDraft, Party, PaymentDraft


def print_dry_run(app: AppContext, result: RunResult) -> None:
    for period in result.periods:
        if period.plan is None:
            continue
        for journal in period.plan.journals:
            app.out.print(_journal_table(journal, result))
        for payment in period.plan.payments:
            app.out.print(_payment_table(payment, result))
        _print_preview(app, period)
        if period.already:
            app.out.print(f"Already recorded for {period.period.name}:")
            for doc in period.already:
                app.out.print(f"  {doc.key} {doc.status} Alegra id {doc.alegra_id or '—'} "
                              f"(#{doc.hash})")
        else:
            app.out.print(f"Nothing posted yet for {period.period.name}.")


def _print_preview(app: AppContext, period: PeriodResult) -> None:
    """What the sync would delete, void, post and keep in Alegra (``--replace`` shows its
    deletes and voids before anything is done)."""
    from rich.markup import escape

    from alegra_sync.i18n import _

    preview = period.preview
    if preview is None or preview.all_posted:
        return
    app.out.print(_("What sync would do in Alegra for {period}:").format(
        period=period.period.name))
    for doc in preview.delete:
        app.out.print("  " + escape(_("delete comprobante {id} ({key})").format(
            id=doc.alegra_id, key=doc.key)))
    for doc in preview.void:
        app.out.print("  " + escape(_("void egreso {id} ({key})").format(id=doc.alegra_id,
                                                                         key=doc.key)))
    for key in preview.post:
        app.out.print("  " + escape(_("post {key}").format(key=key)))
    for key in preview.keep:
        app.out.print("  " + escape(_("keep {key}: Alegra holds it as planned").format(key=key)))


def _party(party: Party | None) -> str:
    if party is None:
        return ""
    if party.name == party.identification:
        return f"NIT {party.identification}" if party.kind == "entity" else party.name
    return f"{party.name} ({party.identification})"


def _journal_table(journal: JournalDraft, result: RunResult) -> Table:
    from rich.table import Table

    table = Table(title=f"Comprobante {journal.key} — {journal.date.isoformat()}",
                  title_justify="left", show_footer=True)
    table.add_column("code", no_wrap=True)
    table.add_column("account", footer="Totals", no_wrap=True, overflow="ellipsis", max_width=40)
    table.add_column("tercero", no_wrap=True, overflow="ellipsis", max_width=40)
    table.add_column("cost center", overflow="ellipsis", max_width=20)
    table.add_column("debit", justify="right", no_wrap=True, footer=money(journal.debit_total))
    table.add_column("credit", justify="right", no_wrap=True,
                     footer=money(journal.credit_total))
    for line in journal.lines:
        account = result.accounts.get(line.account_id)
        center = line.cost_center_id
        table.add_row(account.code or "" if account else "",
                      account.name if account else line.account_id,
                      _party(line.party),
                      result.cost_centers.get(center, center) if center else "",
                      money(line.debit) if line.debit else "",
                      money(line.credit) if line.credit else "")
    return table


def _payment_table(payment: PaymentDraft, result: RunResult) -> Table:
    from rich.table import Table

    table = Table(title=f"Egreso {payment.key} — {payment.date.isoformat()}",
                  title_justify="left")
    table.add_column("bank account")
    table.add_column("pays account")
    table.add_column("tercero")
    table.add_column("employees", justify="right")
    table.add_column("amount", justify="right", no_wrap=True)
    payable = result.accounts.get(payment.payable_account_id)
    table.add_row(result.bank_accounts.get(payment.bank_account_id, payment.bank_account_id),
                  f"{payable.code or ''} {payable.name}".strip() if payable
                  else payment.payable_account_id,
                  _party(payment.party), str(len(payment.employees)), money(payment.amount))
    return table
