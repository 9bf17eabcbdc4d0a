"""A yes/no question at the terminal in the reader's language: "s" (sí) is yes as "y" is."""

from __future__ import annotations

import typer

from alegra_sync.i18n import _

YES = frozenset({"y", "yes", "s", "si", "sí"})
NO = frozenset({"n", "no"})


def choices(default: bool) -> str:
    """The [Y/n] or [y/N] a question shows, in the reader's language."""
    return _("Y/n") if default else _("y/N")


def parse_answer(answer: str, default: bool) -> bool | None:
    """Yes, no, Enter (the default), or None for anything else (ask again)."""
    answer = answer.strip().lower()
    if not answer:
        return default
    if answer in YES:
        return True
    return False if answer in NO else None


def confirm(question: str, *, default: bool = False) -> bool:
    """Asks on stderr until the answer is yes, no or Enter (the default)."""
    while True:
        answer = parse_answer(typer.prompt(f"{question} [{choices(default)}]", default="",
                                           show_default=False, err=True), default)
        if answer is not None:
            return answer
        typer.echo(_("  type y or n"), err=True)
