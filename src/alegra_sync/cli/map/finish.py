"""How interactive `map` ends: the check `map --check` makes, and when terceros are not
Alegra contacts yet, the offer to let sync create them (``[contacts] create_missing``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from alegra_sync.cli.map.asking import ask_yes_no
from alegra_sync.errors import AlegraSyncError
from alegra_sync.i18n import _, local, ngettext

if TYPE_CHECKING:
    from alegra_sync.cli.context import AppContext
    from alegra_sync.payroll.model import PayrollExport


def check_contacts(app: AppContext, export: PayrollExport) -> None:
    """What `map --check` would say of the mapping just made; it never fails `map` (what
    was answered is saved), it says what is left to do."""
    from rich.markup import escape

    from alegra_sync.config import config_path, enable_contact_creation
    from alegra_sync.sync.contacts import missing_contacts_message
    from alegra_sync.sync.mapcheck import check_mapping

    app.err.print("\n[bold]" + _("The check of `alegra-sync map --check`") + "[/]")
    try:
        check = check_mapping(app.settings, app.paths, app.client, export, warn=app.warn)
    except AlegraSyncError as exc:
        app.warn(_("the check could not run: {error}; run `alegra-sync map --check` "
                   "later").format(error=local(exc.text)))
        return
    problems = check.uncovered + check.unusable
    for problem in problems:
        app.err.print(f"  [red]✗[/] {escape(local(problem))}")
    if problems:
        app.warn(ngettext("{n} thing is left to map: `alegra-sync map` asks again, "
                          "`alegra-sync map --check` lists it",
                          "{n} things are left to map: `alegra-sync map` asks again, "
                          "`alegra-sync map --check` lists them", len(problems)).format(
            n=len(problems)))
        return
    missing = check.missing_contacts
    if not missing:
        app.info("  [green]✓[/] " + _("every tercero is an Alegra contact"))
        return
    if app.settings.contacts.create_missing:
        app.info("  " + escape(ngettext(
            "{n} tercero is not an Alegra contact yet; sync will create it ([contacts] "
            "create_missing = true)",
            "{n} terceros are not Alegra contacts yet; sync will create them ([contacts] "
            "create_missing = true)", len(missing)).format(n=len(missing))))
        return
    app.err.print("  " + escape(missing_contacts_message(missing).local()))
    path = config_path(app.config_path, app.home)
    if ask_yes_no(app, "  " + (_("Let sync create them in Alegra? (sets [contacts] "
                                       "create_missing = true in {path})").format(path=path)),
                  False):
        enable_contact_creation(path)
        app.info("  [green]✓[/] " + escape(_("[contacts] create_missing = true is set in "
                                               "{path}: sync creates them").format(path=path)))
    else:
        app.info("  " + escape(_("sync refuses the period until they are Alegra contacts: "
                                 "create them in Alegra, or set [contacts] create_missing = "
                                 "true in {path}").format(path=path)))
