"""The simulation (`sync --dry-run`): what a sync would post, as an accountant checks it.

First the summary by account and cost center (debits and credits as the comprobante would
carry them), the egresos, and what the sync would do in Alegra (post, keep, delete, void);
with ``--detail`` (or ``-v``) every line of every comprobante, by account and tercero.

Amounts, account codes and period names are never cut, at any width from 80 columns up: they
are ``money``/``code`` columns of ``output.table()``; names wrap.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from alegra_sync.cli.output import Column, money, table
from alegra_sync.i18n import N_, _, ngettext, period_prose

if TYPE_CHECKING:
    from alegra_sync.cli.context import AppContext
    from alegra_sync.cli.tables import WholeColumnsTable
    from alegra_sync.sync.posting import Preview
    from alegra_sync.sync.result import PeriodResult, RunResult
    from alegra_sync.vouchers.model import JournalDraft, Line, Party, PaymentDraft, VoucherPlan

ZERO = Decimal(0)

# Lines the voucher builder marks as not coming straight from a payroll concept, by the value
# of their ``kind`` (vouchers/model.py Line): labelled where they are shown. A builder that
# marks another kind of line adds it here (and its Spanish in the catalogue); a line without
# a ``kind``, or with one not listed, is an ordinary line.
LINE_LABELS: dict[str, str] = {
    # TRANSLATORS: the label of a rounding line (accounting.md "the ajuste al peso").
    "rounding": N_("ajuste al peso"),
    # TRANSLATORS: a line that is one cost center's share of a distributed cost.
    "distribution": N_("distributed"),
}
# Egresos listed one by one in the summary; beyond this, one row per date (--detail: all).
EGRESOS_SHOWN = 12


def line_label(line: Line) -> str | None:
    """The label of a marked line (``LINE_LABELS``), translated; None for an ordinary one."""
    kind = getattr(line, "kind", None)
    label = LINE_LABELS.get(kind) if isinstance(kind, str) else None
    return _(label) if label else None


def print_dry_run(app: AppContext, result: RunResult, *, detail: bool = False) -> None:
    names = _Names(result)
    for period in result.periods:
        plan = period.plan
        if plan is not None:
            _print_plan(app, plan, names, detail=detail)
        if period.outcome == "failed":
            # the error itself is the run's last word (print_result); what the state holds
            # is said, never "nothing posted" (the account check may fail for a posted period)
            _print_recorded(app, period)
        elif plan is not None:
            _print_preview(app, period, plan)
    if not detail and any(p.plan is not None for p in result.periods):
        app.info(_("`alegra-sync sync --dry-run --detail` shows every line, by tercero."))


# --- names -------------------------------------------------------------------------------------


@dataclass
class _Names:
    """Codes and names for display, from what the run read from Alegra."""

    result: RunResult

    def code(self, account_id: str) -> str:
        account = self.result.accounts.get(account_id)
        return (account.code or "") if account else ""

    def account(self, account_id: str) -> str:
        account = self.result.accounts.get(account_id)
        return account.name if account else _("account id {id}").format(id=account_id)

    def cost_center(self, center: str | None) -> str:
        return self.result.cost_centers.get(center, center) if center else ""

    def bank(self, bank_id: str) -> str:
        return self.result.bank_accounts.get(bank_id, bank_id)


def party_label(party: Party | None) -> str:
    if party is None:
        return ""
    if party.name == party.identification:
        return f"NIT {party.identification}" if party.kind == "entity" else party.name
    return f"{party.name} ({party.identification})"


# --- one period --------------------------------------------------------------------------------


def _print_plan(app: AppContext, plan: VoucherPlan, names: _Names, *, detail: bool) -> None:
    period = plan.period
    app.out.print(_("Dry run of the period {period} ({prose}): nothing is posted.").format(
        period=period.name, prose=period_prose(period.start, period.end)), style="bold")
    app.out.print(_summary_table(plan, names))
    if plan.payments:
        app.out.print(_egresos_table(plan.payments, names, every=detail))
    if detail:
        for journal in plan.journals:
            app.out.print(_detail_table(journal, names))


def _documents(journals: Sequence[JournalDraft]) -> str:
    return ", ".join(f"{j.key} ({j.date.isoformat()})" for j in journals)


def _side(lines: Iterable[Line]) -> int:
    """0 for an account whose lines are mostly debits, 1 for credits: debits come first."""
    debit = credit = ZERO
    for line in lines:
        debit += line.debit
        credit += line.credit
    return 0 if debit >= credit else 1


def _by_account(lines: Iterable[Line], names: _Names) -> list[tuple[str, list[Line]]]:
    """Lines grouped by account, debit accounts first, each side in code order."""
    groups: dict[str, list[Line]] = {}
    for line in lines:
        groups.setdefault(line.account_id, []).append(line)
    return sorted(groups.items(), key=lambda item: (
        _side(item[1]), names.code(item[0]) or "~", names.account(item[0]), item[0]))


def _has_cost_centers(lines: Iterable[Line]) -> bool:
    return any(line.cost_center_id for line in lines)


def _summary_table(plan: VoucherPlan, names: _Names) -> WholeColumnsTable:
    lines = [line for journal in plan.journals for line in journal.lines]
    with_centers = _has_cost_centers(lines)
    columns = [Column(_("code"), "code"), Column(_("account"), "name")]
    if with_centers:
        columns.append(Column(_("cost center"), "name"))
    columns += [Column(_("debit"), "money"), Column(_("credit"), "money")]
    title = ngettext("Summary by account and cost center — comprobante {documents}",
                     "Summary by account and cost center — comprobantes {documents}",
                     len(plan.journals)).format(documents=_documents(plan.journals))
    shown = table(columns, title)
    for account_id, group in _by_account(lines, names):
        sums: dict[tuple[str, str | None], list[Decimal]] = {}
        for line in group:
            key = (names.cost_center(line.cost_center_id), line_label(line))
            debit, credit = sums.setdefault(key, [ZERO, ZERO])
            sums[key] = [debit + line.debit, credit + line.credit]
        for (center, label), (debit, credit) in sorted(sums.items(),
                                                        key=lambda i: (i[0][1] or "", i[0][0])):
            account = names.account(account_id)
            row = [names.code(account_id), f"{account} ({label})" if label else account]
            if with_centers:
                row.append(center)
            shown.add_row(*row, money(debit) if debit else "", money(credit) if credit else "")
    _totals(shown, len(columns), plan.debit_total, plan.credit_total)
    return shown


def _totals(shown: WholeColumnsTable, count: int, debit: Decimal, credit: Decimal) -> None:
    shown.set_footer(1, _("Totals"))
    shown.set_footer(count - 2, money(debit))
    shown.set_footer(count - 1, money(credit))


def _detail_table(journal: JournalDraft, names: _Names) -> WholeColumnsTable:
    """Every line. A line without a tercero is a row of its account (code and name); the
    lines with one follow their account's row, one per tercero, indented."""
    from rich.padding import Padding
    from rich.text import Text

    with_centers = _has_cost_centers(journal.lines)
    columns = [Column(_("code"), "code"), Column(_("account / tercero"), "name")]
    if with_centers:
        columns.append(Column(_("cost center"), "name"))
    columns += [Column(_("debit"), "money"), Column(_("credit"), "money")]
    title = _("Comprobante {key} ({date}): every line").format(key=journal.key,
                                                              date=journal.date.isoformat())
    shown = table(columns, title)

    def add(code: str, what: object, line: Line | None) -> None:
        row: list[object] = [code, what]
        if with_centers:
            row.append(names.cost_center(line.cost_center_id) if line else "")
        if line is None:
            row += ["", ""]
        else:
            row += [money(line.debit) if line.debit else "",
                    money(line.credit) if line.credit else ""]
        shown.add_row(*row)

    for account_id, group in _by_account(journal.lines, names):
        code, account = names.code(account_id), names.account(account_id)
        group.sort(key=lambda line: (line.party is not None,
                                     names.cost_center(line.cost_center_id),
                                     line_label(line) or "", party_label(line.party)))
        headed = False
        for line in group:
            label = line_label(line)
            if line.party is None:
                add(code, Text(f"{account} ({label})" if label else account), line)
                headed = True
                continue
            if not headed:
                add(code, Text(account), None)
                headed = True
            who = party_label(line.party)
            add("", Padding(Text(f"{who} ({label})" if label else who), (0, 0, 0, 2)), line)
    _totals(shown, len(columns), journal.debit_total, journal.credit_total)
    return shown


def _egresos_table(payments: Sequence[PaymentDraft], names: _Names, *,
                   every: bool) -> WholeColumnsTable:
    one_by_one = every or len(payments) <= EGRESOS_SHOWN
    with_parties = one_by_one and any(p.party is not None for p in payments)
    columns = [Column(_("egreso"), "code"), Column(_("date"), "code"),
               Column(_("bank account"), "name")]
    if with_parties:
        columns.append(Column(_("tercero"), "name"))
    columns += [Column(_("employees"), "count"), Column(_("amount"), "money")]
    title = ngettext("Egreso: the net pay leaves the bank", "Egresos: the net pay leaves the bank",
                     len(payments))
    shown = table(columns, title)
    if one_by_one:
        for payment in payments:
            row = [payment.key, payment.date.isoformat(), names.bank(payment.bank_account_id)]
            if with_parties:
                row.append(party_label(payment.party))
            shown.add_row(*row, str(len(payment.employees)), money(payment.amount))
    else:  # one per employee: one row per date and bank account
        rows: dict[tuple[str, str], list[PaymentDraft]] = {}
        for payment in payments:
            rows.setdefault((payment.date.isoformat(), payment.bank_account_id),
                            []).append(payment)
        for (day, bank), group in sorted(rows.items()):
            shown.add_row(ngettext("{n} egreso", "{n} egresos", len(group)).format(n=len(group)),
                          day, names.bank(bank), str(sum(len(p.employees) for p in group)),
                          money(sum((p.amount for p in group), ZERO)))
    if len(payments) > 1:
        shown.set_footer(2, _("Total net pay"))
        shown.set_footer(len(columns) - 1, money(sum((p.amount for p in payments), ZERO)))
    return shown


# --- what the sync would do ----------------------------------------------------------------------


def _print_preview(app: AppContext, period: PeriodResult, plan: VoucherPlan) -> None:
    preview = period.preview
    ids = {doc.key: doc.alegra_id for doc in period.already if doc.alegra_id}
    if preview is None or preview.all_posted:
        keys = plan.keys()
        documents = ", ".join(_with_id(key, ids.get(key)) for key in keys)
        app.out.print(_("Already posted in Alegra: {documents}; sync would post nothing.").format(
            documents=documents))
        return
    app.out.print(_("What sync would do in Alegra:"))
    for line in preview_lines(preview, ids):
        app.out.print(f"  {line}")


def preview_lines(preview: Preview, ids: dict[str, str]) -> list[str]:
    """One line per document: deleted, voided, posted or kept (in that order)."""
    # what --replace removes: another content, a copy, a document no longer tagged
    lines = [_("delete the comprobante {key} (Alegra id {id})").format(
        key=doc.key, id=doc.alegra_id) for doc in preview.delete]
    lines += [_("void the egreso {key} (Alegra id {id})").format(
        key=doc.key, id=doc.alegra_id) for doc in preview.void]
    lines += [_("post {key}").format(key=key) for key in preview.post]
    lines += [_("keep {document}: unchanged").format(document=_with_id(key, ids.get(key)))
              for key in preview.keep]
    return lines


def _with_id(key: str, alegra_id: str | None) -> str:
    return _("{key} (Alegra id {id})").format(key=key, id=alegra_id) if alegra_id else key


def _print_recorded(app: AppContext, period: PeriodResult) -> None:
    """For a dry run that failed: what the local state records as posted, if anything."""
    posted = [doc for doc in period.already if doc.status == "posted"]
    if posted:
        documents = ", ".join(_with_id(doc.key, doc.alegra_id) for doc in posted)
        app.out.print(_("Posted before, as the local state records: {documents}.").format(
            documents=documents))
