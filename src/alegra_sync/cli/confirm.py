"""A yes/no question at the terminal in the reader's language: "s" (sí) is yes as "y" is."""

from __future__ import annotations

import typer

from alegra_sync.i18n import _

YES = frozenset({"y", "yes", "s", "si", "sí"})
NO = frozenset({"n", "no"})


def confirm(question: str, *, default: bool = False) -> bool:
    """Asks on stderr until the answer is yes, no or Enter (the default)."""
    shown = _("Y/n") if default else _("y/N")
    while True:
        answer = typer.prompt(f"{question} [{shown}]", default="", show_default=False,
                              err=True).strip().lower()
        if not answer:
            return default
        if answer in YES:
            return True
        if answer in NO:
            return False
        typer.echo(_("  type y or n"), err=True)
