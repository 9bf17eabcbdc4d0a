"""`alegra-sync status`: what is posted, pending, uncertain or failed, per period."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from alegra_sync.cli.help import Examples
from alegra_sync.cli.options import JsonOption
from alegra_sync.i18n import N_

if TYPE_CHECKING:
    from alegra_sync.cli.context import AppContext

STATUS_STYLE = {"posted": "green", "uncertain": "bold yellow", "posting": "yellow",
                "replacing": "yellow", "replaced": "dim", "failed": "red", "pending": "yellow"}


HELP = N_("Every period in the local state, with its status, documents, Alegra ids and times.")
EXAMPLES = Examples(
    ("alegra-sync status", N_("What is posted, pending, uncertain or failed, period by period.")),
    ("alegra-sync status --json", N_("The same as JSON, for scripts and monitoring.")),
)


def status_command(ctx: typer.Context, as_json: JsonOption = False) -> None:
    app: AppContext = ctx.obj
    from alegra_sync.sync.status import read_status

    company, periods = read_status(app.paths)
    if as_json:
        app.json({"version": 1, "command": "status", "periods": periods})
        return
    if company is not None:
        from rich.markup import escape

        app.info(f"Alegra company: {escape(str(company))}")
    if not periods:
        app.info("no period synced yet")
        return
    from alegra_sync.cli.output import Column, table

    shown = table([Column("period", "code"), Column("end", "code"), "state",
                   Column("document", "code"), "kind", Column("Alegra id", "code"), "status",
                   Column("posted at", "code"), _verified_column()])
    for period in periods:
        style = STATUS_STYLE.get(period["state"], "")
        first = True
        for doc in period["documents"] or [None]:
            cells = [period["period"], period["end"], f"[{style}]{period['state']}[/]"] if first \
                else ["", "", ""]
            if doc is None:
                cells += ["", "", "", "", ""]
            else:
                doc_style = STATUS_STYLE.get(doc["status"], "")
                cells += [doc["key"], doc["kind"], doc["alegra_id"] or "—",
                          f"[{doc_style}]{doc['status']}[/]", doc["posted_at"] or ""]
            cells.append(_verified(period["verified"]) if first else "")
            shown.add_row(*cells)
            first = False
    app.out.print(shown)


def _verified_column() -> str:
    from alegra_sync.i18n import _

    return _("last verify")


def _verified(verified: dict[str, str | None]) -> str:
    """The period's last verify result and when (America/Bogota), or — when never verified."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from rich.markup import escape

    from alegra_sync.cli.verify import RESULT_STYLE, result_label

    result, at = verified.get("result"), verified.get("at")
    if not result:
        return "—"
    when = ""
    if at:
        local = datetime.fromisoformat(at).astimezone(ZoneInfo("America/Bogota"))
        when = " " + local.strftime("%Y-%m-%d %H:%M")
    style = RESULT_STYLE.get(result, "") if result != "drift" else "bold red"
    return f"[{style}]{escape(result_label(result))}[/]{when}"
