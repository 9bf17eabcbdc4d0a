"""`alegra-sync status`: what is posted, pending, uncertain or failed, per period."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from alegra_sync.cli.context import AppContext
    from alegra_sync.sync.ledger import Ledger

STATUS_STYLE = {"posted": "green", "uncertain": "bold yellow", "posting": "yellow",
                "replacing": "yellow", "replaced": "dim", "failed": "red", "pending": "yellow"}


def status_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")] = False,
) -> None:
    """Each known period with its state, documents, Alegra ids and times."""
    app: AppContext = ctx.obj
    from alegra_sync.sync.ledger import Ledger

    company = None
    if not app.paths.database.exists():
        periods: list[dict[str, Any]] = []
    else:
        with Ledger.open(app.paths.database) as ledger:
            periods = collect_status(ledger)
            company = ledger.company()
    if as_json:
        typer.echo(json.dumps({"version": 1, "command": "status", "periods": periods},
                              ensure_ascii=False, indent=2))
        return
    if company is not None:
        from rich.markup import escape

        app.info(f"Alegra company: {escape(str(company))}")
    if not periods:
        app.info("no period synced yet")
        return
    from rich.table import Table

    table = Table()
    for column in ("period", "end", "state", "document", "kind", "Alegra id", "status",
                   "posted at"):
        table.add_column(column)
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
            table.add_row(*cells)
            first = False
    app.out.print(table)


def collect_status(ledger: Ledger) -> list[dict[str, Any]]:
    """Periods and their documents; a period with an uncertain document is `uncertain`."""
    documents: dict[str, list[dict[str, Any]]] = {}
    for doc in ledger.documents():
        documents.setdefault(doc.period, []).append({
            "key": doc.key, "kind": doc.kind, "alegra_id": doc.alegra_id,
            "status": doc.status, "posted_at": doc.posted_at, "hash": doc.hash,
        })
    result = []
    for period in ledger.periods():
        docs = documents.get(period.period, [])
        state = period.state
        if any(d["status"] in ("uncertain", "posting", "replacing") for d in docs):
            state = "uncertain"
        result.append({"period": period.period, "end": period.end_date, "state": state,
                       "error": period.error, "documents": docs})
    return result
