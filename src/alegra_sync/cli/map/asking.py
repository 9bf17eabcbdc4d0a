"""How interactive `map` asks: every question takes `?` (the keys) and `q` (stop here, what
was answered is saved); answers on stderr, in the reader's language."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from alegra_sync.cli.confirm import choices, parse_answer
from alegra_sync.i18n import _

if TYPE_CHECKING:
    from alegra_sync.cli.context import AppContext


class StopMapping(Exception):
    """The accountant typed q: stop asking; every answer so far is saved."""


def keys_help() -> str:
    return _(
        "  Keys: a number picks from the list; p the payable account; an account's code "
        "(510506) picks that account; other text searches codes and names; Enter keeps what "
        "is shown in [ ]; s skips this concept; q stops here (every concept answered so far "
        "is saved); ? shows this.")


def ask(app: AppContext, question: str, *, default: str = "", show_default: bool = False,
        keys: str | None = None) -> str:
    """One answer, stripped; `?` prints the keys and asks again, `q` stops the mapping."""
    while True:
        answer = str(typer.prompt(question, default=default, show_default=show_default,
                                  err=True)).strip()
        if answer.lower() == "q":
            raise StopMapping
        if answer == "?":
            app.err.print(keys or keys_help(), markup=False)
            continue
        return answer


def ask_yes_no(app: AppContext, question: str, default: bool) -> bool:
    while True:
        answer = parse_answer(ask(app, f"{question} [{choices(default)}]", keys=_(
            "  Keys: y (or s) yes, n no, Enter {default}; q stops here.").format(
                default=_("yes") if default else _("no"))), default)
        if answer is not None:
            return answer
        app.err.print(_("  type y or n"))
