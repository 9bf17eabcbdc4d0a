"""Interactive `map`: which Alegra cost center — or which shares of several — an export's cost
center is. Called from the cost-center question of prompts.py.

The list shows Alegra's cost centers numbered 1, 2, …; the answer is one number, or shares as
NUMBER=PERCENT separated by spaces (``1=60 2=40``, ``1=33,33 2=33,33 3=33,34``). The
percentages must add up to exactly 100; anything else is asked again, saying why.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

import typer

from alegra_sync.i18n import _

if TYPE_CHECKING:
    from alegra_sync.alegra.models import CostCenter
    from alegra_sync.cli.context import AppContext
    from alegra_sync.mapping.model import CostCenterTarget


def parse_answer(answer: str, centers: Sequence[CostCenter]) -> tuple[CostCenterTarget | None,
                                                                      str | None]:
    """(the cost center or distribution an answer gives, None) or (None, why it gives none)."""
    from alegra_sync.mapping.model import HUNDRED, distribution_problem

    words = answer.replace(";", " ").split()
    if not words:
        return None, _("type a number, or shares such as 1=60 2=40")
    shares: dict[str, Decimal] = {}
    for word in words:
        number, separator, percentage = word.partition("=")
        if not number.isdigit() or not 1 <= int(number) <= len(centers):
            return None, _("{number} is not a number from 1 to {count}").format(
                number=repr(number), count=len(centers))
        try:
            share = (Decimal(percentage.removesuffix("%").replace(",", "."))
                     if separator else HUNDRED)
        except InvalidOperation:
            return None, _("{share} is not a percentage").format(share=repr(percentage))
        center = centers[int(number) - 1].id
        shares[center] = shares.get(center, Decimal(0)) + share
    if len(shares) == 1 and next(iter(shares.values())) == HUNDRED:
        return next(iter(shares)), None
    problem = distribution_problem(_("the shares"), shares)
    return (None, problem.local()) if problem is not None else (shares, None)


def ask_cost_center(app: AppContext, name: str, centers: Sequence[CostCenter],
                    best: int | None) -> CostCenterTarget:
    """Ask until the answer is one cost center or a distribution adding up to 100."""
    question = _("  export's {name} is Alegra's number (or shares: 1=60 2=40)").format(
        name=repr(name))
    default = "" if best is None else str(best + 1)
    while True:
        answer = str(typer.prompt(question, default=default, show_default=best is not None,
                                  err=True)).strip()
        found, problem = parse_answer(answer, centers)
        if found is not None:
            return found
        app.err.print(f"  {problem}")
