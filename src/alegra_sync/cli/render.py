"""How sync results look: voucher tables for the dry run, a summary line per period, progress."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.table import Table

    from alegra_sync.cli.context import AppContext
    from alegra_sync.sync.run import PeriodResult, RunResult
    from alegra_sync.vouchers.model import JournalDraft, Party, PaymentDraft


def money(amount: Decimal | None) -> str:
    """Colombian style: 1.234.567,50 (no decimals shown when there are none)."""
    if amount is None:
        return ""
    text = f"{amount:,.2f}" if amount != amount.to_integral_value() else f"{amount:,.0f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


@contextmanager
def progress_for(
    app: AppContext, total: int, *, enabled: bool
) -> Iterator[Callable[[PeriodResult], None]]:
    """A progress bar on stderr for multi-period runs; yields the per-period callback."""
    if not enabled or app.quiet:
        yield lambda _result: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=app.err, transient=True) as progress:
        task = progress.add_task("periods", total=total)

        def advance(result: PeriodResult) -> None:
            progress.update(task, advance=1, description=f"{result.period.name} {result.outcome}")

        yield advance


def print_dry_run(app: AppContext, result: RunResult) -> None:
    for period in result.periods:
        if period.plan is None:
            continue
        for journal in period.plan.journals:
            app.out.print(_journal_table(journal, result))
        for payment in period.plan.payments:
            app.out.print(_payment_table(payment, result))
        if period.already:
            app.out.print(f"Already recorded for {period.period.name}:")
            for doc in period.already:
                app.out.print(f"  {doc.key} {doc.status} Alegra id {doc.alegra_id or '—'} "
                              f"(#{doc.hash})")
        else:
            app.out.print(f"Nothing posted yet for {period.period.name}.")


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


def print_result(app: AppContext, result: RunResult) -> None:
    if not result.periods:
        app.info("nothing to do: no period to sync")
        return
    for period in result.periods:
        name = period.period.name
        if period.outcome == "failed":
            message = str(period.error) if period.error else "failed"
            app.error(f"{name}: {message}")
            continue
        plan = period.plan
        totals = (f"debits {money(plan.debit_total)} = credits {money(plan.credit_total)}, "
                  f"net pay {money(plan.net_pay)}") if plan else ""
        ids = ""
        if period.journal_ids or period.payment_ids:
            ids = (f" — journals {', '.join(period.journal_ids)}; "
                   f"egresos {', '.join(period.payment_ids)}")
        label = {"posted": "[green]posted[/]", "already-posted": "already posted",
                 "dry-run": "dry run, nothing posted", "replaced": "[yellow]replaced[/]"}
        app.info(f"{name}: {label[period.outcome]} ({totals}){ids}")
    requests = ", ".join(f"{m} {n}" for m, n in sorted(result.requests.items()))
    app.detail(f"HTTP requests: {requests or 'none'}")
