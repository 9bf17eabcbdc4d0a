"""`alegra-sync approve`: show what `sync` staged and post exactly that ([sync] approval =
"required")."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from alegra_sync.cli.help import Examples
from alegra_sync.cli.options import JsonOption, PeriodOption
from alegra_sync.i18n import N_

if TYPE_CHECKING:
    from rich.console import Console

    from alegra_sync.cli.context import AppContext
    from alegra_sync.sync.approval import Staged

HELP = N_(
    "Show a staged period (totals per account, employees, egreso) and post exactly what was "
    "staged.\n\n"
    "With approval = 'required' in the sync settings, sync stages each period instead of "
    "posting it. If the export or the mapping changed since, nothing is posted (65): the new "
    "content is staged in its place and what changed is said. On a terminal it asks; "
    "without one it needs --yes and never waits."
)
EXAMPLES = Examples(
    ("alegra-sync approve", N_("Shows the staged period and asks before posting it.")),
    ("alegra-sync approve --period 2026-11-01 --yes",
     N_("Posts what was staged for Nov 1–15, 2026, without asking.")),
    ("alegra-sync --company acme approve --all",
     N_("Every period staged for the company acme, oldest first.")),
)


def approve_command(
    ctx: typer.Context,
    period: PeriodOption = None,
    all_: Annotated[
        bool, typer.Option("--all", help=N_("Every staged period, oldest first."))
    ] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help=N_("Post without asking (scripts, no terminal)."))
    ] = False,
    as_json: JsonOption = False,
) -> None:
    app: AppContext = ctx.obj
    from alegra_sync.cli.confirm import confirm
    from alegra_sync.cli.output import is_interactive
    from alegra_sync.errors import UsageError
    from alegra_sync.i18n import T, _
    from alegra_sync.sync.approval import read_staged

    if period is not None and all_:
        raise typer.BadParameter(_("use --period or --all, not both"))
    if not yes and not is_interactive():  # never wait for an answer nobody can give
        raise UsageError(T("approve asks before posting, and there is no terminal"),
                         hint=T("pass --yes to post what was staged without asking"))
    staged = read_staged(app.paths.database)
    if not staged:
        app.info(_("nothing staged to approve"))
        if as_json:
            app.json({"version": 1, "command": "approve", "status": "nothing-to-do",
                      "periods": []})
        return
    chosen = _choose(staged, period.isoformat() if period else None, all_)
    for item in chosen:
        _show(app, item, app.err if as_json else app.out)  # stdout: only the JSON
    changed = {item.period: item.files_changed(app.paths.mapping) for item in chosen}
    if not yes and not any(changed.values()):
        prompt = _("Post these {count} staged periods to Alegra?").format(count=len(chosen)) \
            if len(chosen) > 1 else _("Post {period} to Alegra as staged?").format(
                period=chosen[0].period)
        if not confirm(prompt, default=False):
            app.info(_("nothing posted"))
            return
    _post(app, chosen, as_json)


def _choose(staged: list[Staged], period: str | None, all_: bool) -> list[Staged]:
    from alegra_sync.errors import UsageError
    from alegra_sync.i18n import T

    names = ", ".join(s.period for s in staged)
    if all_:
        return staged
    if period is not None:
        found = [s for s in staged if s.period == period]
        if not found:
            raise UsageError(T("{period} is not staged (staged: {periods})", period=period,
                               periods=names))
        return found
    if len(staged) > 1:
        raise UsageError(T("{count} periods are staged: {periods}", count=len(staged),
                           periods=names), hint=T("say which with --period, or --all"))
    return staged


def _show(app: AppContext, item: Staged, console: Console) -> None:
    from alegra_sync.cli.output import Column, local_time, table
    from alegra_sync.i18n import _, ngettext

    summary = item.summary
    shown = table([Column(_("account"), "name"), Column(_("debit"), "money"),
                   Column(_("credit"), "money")],
                  _("Staged {period} (since {since})").format(period=item.period,
                                                            since=local_time(item.since)),
                  footer=True)
    for account in summary.get("accounts", {}).values():
        shown.add_row(account["label"], _money(account["debit"]),
                      _money(account["credit"]))
    shown.columns[0].footer = _("Totals")
    shown.columns[1].footer = _money(summary.get("debit_total"))
    shown.columns[2].footer = _money(summary.get("credit_total"))
    console.print(shown)
    employees = summary.get("employees", {})
    console.print(ngettext("{n} employee, net pay {net}", "{n} employees, net pay {net}",
                           len(employees)).format(n=len(employees),
                                                  net=_money(summary.get("net_pay"))))
    for payment in summary.get("payments", []):
        console.print(_("egreso {key}: {amount} from {bank}, {date}").format(
            key=payment["key"], amount=_money(payment["amount"]),
            bank=payment["bank_account"], date=payment["date"]))
    changed = item.files_changed(app.paths.mapping)
    if changed:
        app.warn(_("changed since it was staged: {files}; approve stages it again and posts "
                   "nothing").format(files=", ".join(changed)))


def _money(value: object) -> str:
    from decimal import Decimal

    from alegra_sync.cli.output import money

    return money(Decimal(str(value))) if value not in (None, "") else ""


def _post(app: AppContext, chosen: list[Staged], as_json: bool) -> None:
    from alegra_sync.cli.sync import print_result
    from alegra_sync.notify.notices import notify_run
    from alegra_sync.sync.approve import approve_periods
    from alegra_sync.sync.run import Syncer

    syncer = Syncer(app.settings, app.paths, app.client, warn=app.warn,
                    company_guard=app.company_guard())
    result = approve_periods(syncer, chosen)
    document = {**result.to_json(), "command": "approve"}
    for warning in notify_run(app.settings, app.paths, app.home, document, result.exit_code,
                              command="approve"):
        app.warn(warning)
    if as_json:
        app.json(document)
    elif result.error is None:
        print_result(app, result)
    if result.error is not None:
        raise result.error
    raise typer.Exit(result.exit_code)
