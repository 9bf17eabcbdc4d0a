"""What a notification says: the subject, a plain-text and an HTML body, the attachments.

Built from the runs' --json documents (the single-company sync document of each company), so
that the e-mail, the webhook and `--json` tell the same story. In the configured language;
what comes from Alegra or the export (names, ids) and the error lines stay as they are.
Failures come first; a staged period older than ``remind_after_days`` is named until it is
approved. No secret is ever in a document, so none can be in a message.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from alegra_sync.i18n import N_, _, ngettext, period_prose

Event = Literal["failure", "posted", "staged", "nothing-to-do"]
POSTED_OUTCOMES = ("posted", "replaced")
# what one message carries at most; a larger report is named in the message instead (many
# SMTP relays refuse messages over 10 MB, and base64 makes a file a third larger)
MAX_ATTACHED_BYTES = 7 * 1024 * 1024

# What to do, by exit code: the line under a failure.
WHAT_TO_DO = {
    65: N_("Check the export or the mapping (`map --check`), then run sync again."),
    66: N_("Put the period's export in the export folder; the next run posts it."),
    69: N_("Alegra is failing or unreachable: the next run tries again."),
    70: N_("An internal error: run it again with -v and report the output."),
    75: N_("Try again later: the next run looks everything up before posting."),
    77: N_("Alegra refused the user or token: run connect again."),
    78: N_("Fix the configuration (config.toml, mapping.toml or credentials), then run again."),
    130: N_("The run was interrupted: run it again."),
}

# The --json outcomes, as a person reads them.
OUTCOME_WORDS = {
    "posted": N_("posted"), "already-posted": N_("already posted"), "failed": N_("failed"),
    "replaced": N_("replaced"), "dry-run": N_("dry run, nothing posted"),
    "staged": N_("staged, ready to approve"),
}

# The --json statuses of a run, as a person reads them.
STATUS_WORDS = {
    "success": N_("success"), "partial": N_("partial"), "error": N_("error"),
    "nothing-to-do": N_("nothing to do"),
}


@dataclass(frozen=True)
class Attachment:
    path: Path
    filename: str  # as the recipient saves it: the company and the period

    @property
    def size(self) -> int:
        try:
            return self.path.stat().st_size
        except OSError:
            return 0


def outcome_words(value: str) -> str:
    """An outcome or a status of the --json documents in the chosen language."""
    english = OUTCOME_WORDS.get(value) or STATUS_WORDS.get(value)
    return _(english) if english else value


@dataclass
class CompanyNotice:
    """One company's part of a notification."""

    company: str | None  # the slug; None for a single-company home
    name: str | None
    nit: str | None
    exit_code: int
    result: dict[str, Any]  # its --json document
    staged: dict[str, str] = field(default_factory=dict)  # period -> staged since (UTC ISO)
    attachments: list[Attachment] = field(default_factory=list)  # its periods' reports

    @property
    def failed(self) -> bool:
        return self.exit_code != 0

    @property
    def title(self) -> str:
        name = self.name or self.company or _("the company")
        return f"{name} (NIT {self.nit})" if self.nit else name

    def periods(self, *outcomes: str) -> list[dict[str, Any]]:
        return [p for p in self.result.get("periods", []) if p.get("outcome") in outcomes]


@dataclass
class Notice:
    """A run to tell about: every company of it (one for a single-company run)."""

    command: str  # sync | approve | test
    companies: list[CompanyNotice]
    document: dict[str, Any]  # the run's --json document: what the webhook posts
    today: date
    remind_after_days: int = 2

    def overdue(self, company: CompanyNotice) -> list[tuple[str, int]]:
        """Staged periods waiting longer than remind_after_days: (period, days)."""
        found = []
        for period, since in company.staged.items():
            days = (self.today - _day(since)).days
            if days >= self.remind_after_days:
                found.append((period, days))
        return found

    def events(self, company: CompanyNotice) -> set[Event]:
        events: set[Event] = set()
        if company.failed:
            events.add("failure")
        if company.periods(*POSTED_OUTCOMES):
            events.add("posted")
        if company.periods("staged") or self.overdue(company):
            events.add("staged")  # a reminder is news too: someone must approve
        if not events:
            events.add("nothing-to-do")
        return events

    def wanted(self, on: Iterable[str]) -> bool:
        """Whether any company's run is one of the ``on`` events (a test always is)."""
        chosen = set(on)
        return self.command == "test" or any(self.events(c) & chosen for c in self.companies)

    def ordered(self) -> list[CompanyNotice]:
        """Failures first, then in slug order."""
        return sorted(self.companies, key=lambda c: (not c.failed, c.company or ""))


@dataclass
class Message:
    subject: str
    text: str
    html: str
    attachments: list[Attachment] = field(default_factory=list)


def compose(notice: Notice) -> Message:
    companies = notice.ordered()
    text: list[str] = []
    markup: list[str] = []
    if notice.command == "test":
        text.append(_("This is a test message from alegra-sync: the notifications work."))
        markup.append(f"<p>{html.escape(text[0])}</p>")
    attached, too_large = _within_budget(companies)
    for company in companies:
        section_text, section_html = _section(notice, company, attached, too_large)
        text += ["", *section_text]
        markup.append(section_html)
    text += ["", _("— alegra-sync (sent {time}; nothing in this message is a secret)").format(
        time=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))]
    body = "\n".join(text).strip() + "\n"
    page = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body style=\"font-family:"
            "sans-serif\">" + "".join(markup) + "</body></html>")
    attachments = [item for company in companies for item in company.attachments
                   if item in attached]
    return Message(_subject(notice), body, page, attachments)


def _within_budget(companies: list[CompanyNotice]) -> tuple[list[Attachment], list[Attachment]]:
    """(attached, too large to attach): in the order the message tells the companies, while
    the message stays under MAX_ATTACHED_BYTES."""
    attached: list[Attachment] = []
    too_large: list[Attachment] = []
    room = MAX_ATTACHED_BYTES
    for company in companies:
        for item in company.attachments:
            if item.size <= room:
                attached.append(item)
                room -= item.size
            else:
                too_large.append(item)
    return attached, too_large


def _subject(notice: Notice) -> str:
    if notice.command == "test":
        return _("alegra-sync: test notification")
    companies = notice.companies
    if len(companies) == 1:
        company = companies[0]
        return _("alegra-sync: {company} — {what}").format(
            company=company.name or company.company or "", what=_summary(notice, company))
    count = len(companies)
    failed = sum(1 for c in companies if c.failed)
    posted = sum(1 for c in companies if "posted" in notice.events(c))
    staged = sum(1 for c in companies if "staged" in notice.events(c))
    return ngettext(
        "alegra-sync: {count} company — {failed} failed, {posted} posted, {staged} to approve",
        "alegra-sync: {count} companies — {failed} failed, {posted} posted, {staged} to approve",
        count).format(count=count, failed=failed, posted=posted, staged=staged)


def _summary(notice: Notice, company: CompanyNotice) -> str:
    if company.failed:
        return _("error (exit {code})").format(code=company.exit_code)
    staged = company.periods("staged")
    if staged:
        return _("ready to approve: {periods}").format(
            periods=", ".join(p["period"] for p in staged))
    posted = company.periods(*POSTED_OUTCOMES)
    if posted:
        return _("posted: {periods}").format(periods=", ".join(p["period"] for p in posted))
    if notice.overdue(company):
        return _("waiting for approval")
    return _("nothing to do")


def _section(notice: Notice, company: CompanyNotice, attached: list[Attachment],
             too_large: list[Attachment]) -> tuple[list[str], str]:
    heading = company.title + (f" — {company.company}" if company.company else "")
    lines = [heading, "=" * min(len(heading), 72), _summary(notice, company)]
    items: list[str] = []
    error = company.result.get("error")
    if error:
        lines.append(_("Error: {message}").format(message=error.get("message", "")))
        items.append(html.escape(lines[-1]))
    for period in company.result.get("periods", []):
        line = _period_line(period)
        lines.append(line)
        items.append(html.escape(line))
    for period, days in notice.overdue(company):
        line = ngettext("{period} has waited {days} day for approval: {command}",
                        "{period} has waited {days} days for approval: {command}",
                        days).format(period=period, days=days,
                                     command=_approve_command(company, period))
        lines.append(line)
        items.append(html.escape(line))
    if company.periods("staged"):
        line = _("To post what was staged: {command}").format(
            command=_approve_command(company, None))
        lines.append(line)
        items.append(html.escape(line))
    if company.failed and company.exit_code in WHAT_TO_DO:
        line = _("What to do: {advice}").format(advice=_(WHAT_TO_DO[company.exit_code]))
        lines.append(line)
        items.append(html.escape(line))
    mine = [item for item in company.attachments if item in attached]
    if mine:
        line = _("Attached: {files}").format(files=", ".join(a.filename for a in mine))
        lines.append(line)
        items.append(html.escape(line))
    for item in company.attachments:
        if item in too_large:
            line = _("Not attached, too large for an e-mail ({size}): {path}").format(
                size=size_text(item.size), path=item.path)
            lines.append(line)
            items.append(html.escape(line))
    colour = "#b00020" if company.failed else "#1b5e20"
    markup = (f"<h2 style=\"color:{colour}\">{html.escape(heading)}</h2>"
              f"<p><b>{html.escape(_summary(notice, company))}</b></p>"
              + "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")
    return lines, markup


def _period_line(period: dict[str, Any]) -> str:
    name = str(period.get("period"))
    prose = _prose(name, str(period.get("end") or ""))
    outcome = str(period.get("outcome"))
    outcome = _(OUTCOME_WORDS[outcome]) if outcome in OUTCOME_WORDS else outcome
    if period.get("error"):
        return _("{period} ({prose}): {outcome} — {message}").format(
            period=name, prose=prose, outcome=outcome,
            message=period["error"].get("message", ""))
    totals = _("debits {debits}, credits {credits}, net pay {net}").format(
        debits=money(period.get("debit_total")), credits=money(period.get("credit_total")),
        net=money(period.get("net_pay")))
    line = _("{period} ({prose}): {outcome} — {totals}").format(
        period=name, prose=prose, outcome=outcome, totals=totals)
    journals, payments = period.get("journal_ids") or [], period.get("payment_ids") or []
    if journals or payments:
        line += "; " + _("Alegra ids: comprobantes {journals}; egresos {payments}").format(
            journals=", ".join(journals) or "—", payments=", ".join(payments) or "—")
    return line


def size_text(size: int) -> str:
    """1 KB … 1.023 KB, then MB (whole units, rounded up: never "0 KB")."""
    kilobytes = -(-size // 1024)
    if kilobytes < 1024:
        return f"{max(1, kilobytes)} KB"
    return f"{-(-kilobytes // 1024)} MB"


def _approve_command(company: CompanyNotice, period: str | None) -> str:
    which = f" --company {company.company}" if company.company else ""
    chosen = f" --period {period}" if period else ""
    return f"alegra-sync{which} approve{chosen}"


def _prose(start: str, end: str) -> str:
    try:
        return period_prose(date.fromisoformat(start), date.fromisoformat(end))
    except ValueError:
        return start


def _day(stamp: str) -> date:
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return date.min
    if moment.tzinfo is None:
        return moment.date()
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo("America/Bogota")).date()


def money(value: object) -> str:
    """Colombian style, as the CLI shows it: 1.234.567,50."""
    if value is None:
        return "—"
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = f"{amount:,.2f}" if amount != amount.to_integral_value() else f"{amount:,.0f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")
