"""`alegra-sync status`: what is posted, pending, uncertain or failed, per period."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from alegra_sync.cli.help import Examples
from alegra_sync.cli.options import JsonOption
from alegra_sync.i18n import N_

if TYPE_CHECKING:
    from alegra_sync.cli.context import AppContext

STATUS_STYLE = {"posted": "green", "uncertain": "bold yellow", "posting": "yellow",
                "replacing": "yellow", "replaced": "dim", "failed": "red", "pending": "yellow",
                "skipped": "cyan", "staged": "cyan"}  # a state without a style: a crash


HELP = N_(
    "Every period in the local state, with its status, documents, Alegra ids and times.\n\n"
    "Times are shown in America/Bogota; --json gives them as ISO 8601 with the offset. A "
    "failed, uncertain or skipped period is followed by its error line or its reason."
)
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
    from alegra_sync.i18n import _

    if company is not None:
        from rich.markup import escape

        app.info(_("Alegra company: {company}").format(company=escape(str(company))))
    if not periods:
        app.info(_("no period synced yet"))
        return
    print_status(app, periods)


def print_status(app: AppContext, periods: list[dict[str, Any]]) -> None:
    """One row per document (a period without documents: one row), times in Bogota; then the
    error line or the reason of each period that failed, is uncertain or was skipped."""
    from rich.markup import escape

    from alegra_sync.cli.output import Column, table
    from alegra_sync.i18n import _

    shown = table([Column(_("period"), "code"), Column(_("state"), "code"),
                   Column(_("document"), "name"),
                   Column(_("Alegra id"), "code"), Column(_("time (Bogotá)"), "code")],
                  _("Periods in the local state"))
    for period in periods:
        style = STATUS_STYLE.get(period["state"], "")
        first = [period["period"], f"[{style}]{state_label(period['state'])}[/]"]
        documents = period["documents"]
        if not documents:
            shown.add_row(*first, "—", "", _clock(period.get("updated_at")))
        for doc in documents:
            shown.add_row(*first, _document(doc, period["state"]), doc["alegra_id"] or "—",
                          _clock(doc["posted_at"] or doc.get("updated_at")))
            first = ["", ""]
    app.out.print(shown)
    for period in periods:
        note = _note(period)
        if note:
            app.out.print(f"{period['period']} [{STATUS_STYLE.get(period['state'], '')}]"
                          f"{state_label(period['state'])}[/]: {escape(note)}")
        verified = period.get("verified") or {}
        if verified.get("result") not in (None, "match"):  # drift or unknown: say when
            app.out.print(_("{period}: last verify {when}: {result}; `alegra-sync verify "
                            "--period {period}` shows the differences").format(
                period=period["period"], when=_clock(verified.get("at")),
                result=_verified(verified)))


def _document(doc: dict[str, Any], state: str) -> str:
    """``J1 comprobante``, ``P1 egreso``; its status when it is not simply its period's, and
    its last verify: ✓, or what differed."""
    from alegra_sync.i18n import _

    part = str(doc["key"]).rpartition("/")[2]
    kind = _("comprobante") if doc["kind"] == "journal" else _("egreso")
    label = f"{part} {kind}"
    if doc["status"] not in ("posted", state):
        style = STATUS_STYLE.get(doc["status"], "")
        label += f" [{style}]{state_label(doc['status'])}[/]"
    verified = doc.get("verified") or {}
    if verified.get("result") == "match":  # as Alegra holds it, at the last verify
        label += " [green]✓[/]"
    elif verified.get("result"):
        label += " " + _verified(verified)
    return label


def state_label(state: str) -> str:
    """A state of the local state, in the reader's language (``--json`` keeps the word)."""
    from alegra_sync.i18n import pgettext

    labels = {
        "posted": pgettext("state", "posted"), "failed": pgettext("state", "failed"),
        "uncertain": pgettext("state", "uncertain"), "skipped": pgettext("state", "skipped"),
        "pending": pgettext("state", "pending"), "staged": pgettext("state", "staged"),
        "posting": pgettext("state", "posting"), "replacing": pgettext("state", "replacing"),
        "replaced": pgettext("state", "replaced"),
    }
    return labels.get(state, state)


def _note(period: dict[str, Any]) -> str | None:
    """What a person must know of a period that is not simply posted."""
    from alegra_sync.i18n import _

    state = period["state"]
    if state == "staged" and period.get("staged_at"):
        return _("waiting for `alegra-sync approve` since {time}").format(
            time=_clock(period["staged_at"]))
    if state == "skipped":
        return period.get("reason") or period.get("error") or _("skipped, no reason given")
    if state == "failed":
        return period.get("error") or _("failed; the run log has why")
    if state == "uncertain":
        return period.get("error") or _(
            "Alegra did not confirm a document: run sync again; it looks the document up "
            "before posting")
    return None


def _clock(stamp: str | None) -> str:
    """``2026-11-15 08:30``: the state's ISO time, already in Bogota, for people."""
    if not stamp:
        return ""
    from datetime import datetime

    try:
        return datetime.fromisoformat(stamp).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp


def _verified(verified: dict[str, str | None] | None) -> str:
    """A last verify result (a document's or a period's), or — when never verified."""
    from rich.markup import escape

    from alegra_sync.cli.verify import RESULT_STYLE, result_label

    result = (verified or {}).get("result")
    if not result:
        return "—"
    style = RESULT_STYLE.get(result, "") if result != "drift" else "bold red"
    return f"[{style}]{escape(result_label(result))}[/]"
