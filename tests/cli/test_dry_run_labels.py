"""Lines that are not a payroll concept's own (the ajuste al peso, a cost center's share) are
labelled in the simulation as soon as the voucher builder marks them with a ``kind``."""

from __future__ import annotations

import io

from rich.console import Console

from alegra_sync.cli.context import AppContext
from alegra_sync.cli.dry_run import line_label, print_dry_run
from alegra_sync.sync.result import PeriodResult, RunResult
from vouchers.helpers import ANA, CHART, NOV, build


def test_a_marked_line_is_labelled_and_an_ordinary_one_is_not() -> None:
    plan = build(ANA)
    journal = plan.journals[0]
    first = journal.lines[0]
    journal.lines[0] = first._replace(kind="rounding")
    assert line_label(first) is None
    assert line_label(journal.lines[0]) == "ajuste al peso"

    app = AppContext()
    screen = io.StringIO()
    app.__dict__["out"] = Console(file=screen, width=120, no_color=True)
    app.__dict__["err"] = Console(file=io.StringIO(), width=120)
    result = RunResult(dry_run=True, accounts=CHART, cost_centers={"1": "Administración"},
                       periods=[PeriodResult(NOV, "dry-run", plan=plan)])

    print_dry_run(app, result, detail=True)

    name = CHART[first.account_id].name
    shown = screen.getvalue()
    assert f"{name} (ajuste al peso)" in shown  # in the summary and in the detail
    assert shown.count("(ajuste al peso)") == 2
