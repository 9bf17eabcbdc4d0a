"""The period reports a sync writes and its message attaches (operations.md: "the reports
attached"), against a real SMTP server on loopback: what arrives parses as MIME (the types,
the UTF-8 file names), and the files hold the period's figures; a report that cannot be
written or is too large changes nothing but a line."""

from __future__ import annotations

import json
from email.message import EmailMessage
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from alegra_sync.sandbox import SandboxServer
from e2e.helpers import cli, write_export
from e2e.test_sync import ANA, BRUNO, NOV1, NOV15
from notify.conftest import SMTP_PASSWORD, Mailbox, notify_config
from notify.test_email import assert_no_secret_in, configure, parts

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HTML_NAME = "Demo Nómina S.A.S. 2026-11-01.html"
XLSX_NAME = "Demo Nómina S.A.S. 2026-11-01.xlsx"


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALEGRA_SYNC_TODAY", "2026-11-16")
    monkeypatch.setenv("ALEGRA_SYNC_SMTP_PASSWORD", SMTP_PASSWORD)


def attached(message: EmailMessage) -> dict[str, EmailMessage]:
    found = {}
    for part in message.iter_attachments():
        assert isinstance(part, EmailMessage)
        name = part.get_filename()
        assert name is not None
        found[name] = part
    return found


def summary(workbook_bytes: bytes) -> dict[Any, Any]:
    sheet = load_workbook(BytesIO(workbook_bytes))["Summary"]
    return {row[0]: row[1] for row in sheet.iter_rows(min_row=3, values_only=True) if row[0]}


def test_the_posted_periods_report_arrives_as_html_and_xlsx(
        home: Path, sandbox: SandboxServer, smtp: Mailbox) -> None:
    configure(home, notify_config(smtp.host, smtp.port, attach_report=["html", "xlsx"]))
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    done = cli("sync")
    assert done.exit_code == 0, done.output
    [message] = smtp.messages()
    assert message.get_content_type() == "multipart/mixed"
    files = attached(message)
    assert list(files) == [HTML_NAME, XLSX_NAME]
    html, xlsx = files[HTML_NAME], files[XLSX_NAME]
    assert (html.get_content_type(), html.get_content_charset()) == ("text/html", "utf-8")
    assert xlsx.get_content_type() == XLSX
    assert (html.get_content_disposition(), xlsx.get_content_disposition()) == (
        "attachment", "attachment")
    # the non-ASCII names travel as RFC 2231 (filename*=utf-8''…), not as raw bytes
    headers = smtp.raw[0].decode("ascii")
    assert "filename*=utf-8''Demo%20N%C3%B3mina%20S.A.S.%202026-11-01.html" in headers
    # exactly the files the run wrote in the home's reports/
    reports = home / "reports"
    assert html.get_content().encode("utf-8") == (reports / "2026-11-01.html").read_bytes()
    assert xlsx.get_content() == (reports / "2026-11-01.xlsx").read_bytes()
    page = html.get_content()
    assert "Demo Nómina S.A.S. (NIT 900123456)" in page
    assert "3.270.000" in page and "4.379.820" in page
    assert "not posted" not in page
    figures = summary(xlsx.get_content())
    assert (figures["Net pay"], figures["Σ debits"], figures["Σ credits"], figures["State"]) \
        == (3270000, 4379820, 4379820, "posted")
    text, markup = parts(message)
    assert f"Attached: {HTML_NAME}, {XLSX_NAME}" in text
    assert f"Attached: {HTML_NAME}, {XLSX_NAME}" in markup
    assert_no_secret_in(smtp.raw[0])


def test_by_default_the_html_in_the_configured_language(
        home: Path, sandbox: SandboxServer, smtp: Mailbox) -> None:
    config = home / "config.toml"
    config.write_text('lang = "es"\n' + config.read_text(encoding="utf-8"), encoding="utf-8")
    configure(home, notify_config(smtp.host, smtp.port))
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    assert cli("sync").exit_code == 0
    [message] = smtp.messages()
    files = attached(message)
    assert list(files) == [HTML_NAME]
    page = files[HTML_NAME].get_content()
    assert '<html lang="es"' in page and "Informe de nómina" in page
    assert "3.270.000" in page
    text, _ = parts(message)
    assert f"Adjuntos: {HTML_NAME}" in text
    assert sorted(p.name for p in (home / "reports").iterdir()) == ["2026-11-01.html"]


def test_attach_report_false_attaches_and_writes_nothing(
        home: Path, sandbox: SandboxServer, smtp: Mailbox) -> None:
    configure(home, notify_config(smtp.host, smtp.port, attach_report=False))
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    assert cli("sync").exit_code == 0
    [message] = smtp.messages()
    assert message.get_content_type() == "multipart/alternative"
    assert list(message.iter_attachments()) == []
    assert not (home / "reports").exists()


def test_a_staged_period_writes_its_report_and_the_message_to_approve_carries_it(
        home: Path, sandbox: SandboxServer, smtp: Mailbox,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALEGRA_SYNC_SYNC__APPROVAL", "required")
    configure(home, notify_config(smtp.host, smtp.port))
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    staged = cli("sync", "--json")
    assert staged.exit_code == 0, staged.output
    assert json.loads(staged.stdout)["periods"][0]["outcome"] == "staged"
    assert sandbox.store.dump()["journals"] == []
    [ready] = smtp.messages()
    assert ready["Subject"] == "alegra-sync: Demo Nómina S.A.S. — ready to approve: 2026-11-01"
    page = attached(ready)[HTML_NAME].get_content()
    assert "staged, waiting for approval — not posted" in page
    assert "simulation — not posted" in page  # on every page, as any simulation
    assert "3.270.000" in page

    assert cli("approve", "--yes").exit_code == 0
    assert len(smtp.raw) == 2
    posted = smtp.messages()[1]
    assert posted["Subject"] == "alegra-sync: Demo Nómina S.A.S. — posted: 2026-11-01"
    page = attached(posted)[HTML_NAME].get_content()
    assert "not posted" not in page and "3.270.000" in page
    journal = sandbox.store.dump()["journals"][0]
    assert str(journal["id"]) in page  # the comprobante's Alegra id, from the state


def test_staging_writes_the_report_without_any_notification(
        home: Path, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALEGRA_SYNC_SYNC__APPROVAL", "required")
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    assert cli("sync").exit_code == 0
    assert sorted(p.name for p in (home / "reports").iterdir()) == ["2026-11-01.html"]
    page = (home / "reports" / "2026-11-01.html").read_text(encoding="utf-8")
    assert "staged, waiting for approval — not posted" in page
    report = json.loads(cli("report", "--period", "2026-11-01", "--format", "html",
                            "--json").stdout)
    assert report["periods"][0]["state"] == "staged"


def test_a_report_that_cannot_be_written_changes_nothing_but_a_warning(
        home: Path, sandbox: SandboxServer, smtp: Mailbox) -> None:
    configure(home, notify_config(smtp.host, smtp.port))
    (home / "reports").write_text("a file where the folder would be\n")
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    done = cli("sync", "--json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["periods"][0]["outcome"] == "posted"
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1, done.stderr
    assert warnings[0].startswith("warning: 2026-11-01: the period report could not be "
                                  f"written: {home / 'reports'}: cannot write the report there")
    [message] = smtp.messages()  # the message goes all the same, without the report
    assert list(message.iter_attachments()) == []
    log = [json.loads(line) for line in
           (home / "alegra-sync.log").read_text(encoding="utf-8").splitlines()]
    [noted] = [entry for entry in log if entry["event"] == "report"]
    assert (noted["period"], noted["written"]) == ("2026-11-01", False)


def test_a_report_too_large_for_an_email_is_named_instead(
        home: Path, sandbox: SandboxServer, smtp: Mailbox,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from alegra_sync.notify import message as composing

    monkeypatch.setattr(composing, "MAX_ATTACHED_BYTES", 1000)
    configure(home, notify_config(smtp.host, smtp.port))
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    assert cli("sync").exit_code == 0
    [message] = smtp.messages()
    assert list(message.iter_attachments()) == []
    text, _ = parts(message)
    report = home / "reports" / "2026-11-01.html"
    kilobytes = -(-report.stat().st_size // 1024)
    assert f"Not attached, too large for an e-mail ({kilobytes} KB): {report}" in text


@pytest.mark.parametrize(("attach", "email", "formats"), [
    (True, True, ["html"]), (False, True, []), (["xlsx", "html"], True, ["html", "xlsx"]),
    (["xlsx"], True, ["xlsx"]), ([], True, []), (True, False, []),
])
def test_which_formats_a_message_attaches(attach: Any, email: bool, formats: list[str]) -> None:
    from alegra_sync.config import NotifySettings

    settings = NotifySettings(email_to=["contabilidad@firma.co"] if email else [],
                              attach_report=attach)
    assert settings.report_formats == formats


def test_attachment_names_keep_the_companys_name_and_drop_what_no_file_name_takes() -> None:
    from alegra_sync.notify.reports import attachments

    report = Path("/srv/firma/companies/acme/reports/2026-11-01.html")
    [named] = attachments([report], 'Panadería "La 9/10" S.A.S.')
    assert (named.path, named.filename) == (report, "Panadería La 9 10 S.A.S. 2026-11-01.html")
    assert attachments([report], None)[0].filename == "2026-11-01.html"
