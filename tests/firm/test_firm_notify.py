"""The firm run's notification: one digest for the whole --all-companies run (a section per
company, failures first), or one message per company; the webhook gets the firm's --json."""

from __future__ import annotations

import json
from io import BytesIO

import pytest
from openpyxl import load_workbook

from e2e.helpers import cli, write_export
from e2e.test_sync import ANA, BRUNO, NOV1, NOV15
from firm.conftest import SLUGS, Firm
from firm.test_all_companies import three_outcomes
from notify.conftest import SMTP_PASSWORD, Mailbox, Receiver, free_port, notify_config
from secrets_scan import TOKENS


@pytest.fixture(autouse=True)
def password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALEGRA_SYNC_SMTP_PASSWORD", SMTP_PASSWORD)


def firm_notify(firm: Firm, text: str) -> None:
    with (firm.home / "config.toml").open("a", encoding="utf-8") as handle:
        handle.write(text)


def test_one_digest_with_the_failures_first(firm: Firm, smtp: Mailbox,
                                            receiver: Receiver) -> None:
    firm_notify(firm, notify_config(smtp.host, smtp.port) + f'webhook_url = "{receiver.url}"\n')
    three_outcomes(firm)
    done = cli("sync", "--all-companies", "--json")
    assert done.exit_code == 65
    assert len(smtp.raw) == 1
    message = smtp.messages()[0]
    assert message["Subject"] == "alegra-sync: 3 companies — 2 failed, 1 posted, 0 to approve"
    body = message.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    sections = [line for line in text.splitlines() if "(NIT " in line]
    assert sections == ["Demo Nómina S.A.S. (NIT 900123456) — acme",
                        "Demo Nómina 2 S.A.S. (NIT 900123457) — beta",
                        "Demo Nómina 3 S.A.S. (NIT 900123458) — gamma"]
    assert "What to do: Check the export or the mapping" in text
    assert "What to do: Alegra is failing or unreachable" in text
    gamma = json.loads(done.stdout)["companies"][2]["result"]["periods"][0]
    assert f"comprobantes {gamma['journal_ids'][0]}; egresos {gamma['payment_ids'][0]}" in text
    # the report of the one period posted, written by gamma's own run, in its home
    [report] = list(message.iter_attachments())
    assert report.get_filename() == "Demo Nómina 3 S.A.S. 2026-11-01.html"
    assert report.get_content() == (firm.company("gamma") / "reports" / "2026-11-01.html"
                                    ).read_text(encoding="utf-8")
    assert not (firm.company("acme") / "reports").exists()
    assert receiver.bodies == [json.loads(done.stdout)]
    for secret in TOKENS:
        assert secret.encode() not in smtp.raw[0] and secret.encode() not in receiver.raw[0]


def test_one_message_per_company_when_asked(firm: Firm, smtp: Mailbox) -> None:
    firm_notify(firm, notify_config(smtp.host, smtp.port, per_company=True))
    (firm.company("beta") / "config.toml").write_text(
        '[notify]\nemail_to = ["beta@cliente.co"]\n')
    for slug in SLUGS:
        write_export(firm.company(slug), NOV1, NOV15, [ANA, BRUNO])
    assert cli("sync", "--all-companies").exit_code == 0
    subjects = sorted(m["Subject"] for m in smtp.messages())
    assert subjects == ["alegra-sync: Demo Nómina 2 S.A.S. — posted: 2026-11-01",
                        "alegra-sync: Demo Nómina 3 S.A.S. — posted: 2026-11-01",
                        "alegra-sync: Demo Nómina S.A.S. — posted: 2026-11-01"]
    to = {m["Subject"].split(": ")[1]: m["To"] for m in smtp.messages()}
    assert to["Demo Nómina 2 S.A.S. — posted"] == "beta@cliente.co"
    names = {m["Subject"].split(": ")[1]: [a.get_filename() for a in m.iter_attachments()]
             for m in smtp.messages()}
    assert names == {"Demo Nómina S.A.S. — posted": ["Demo Nómina S.A.S. 2026-11-01.html"],
                     "Demo Nómina 2 S.A.S. — posted": ["Demo Nómina 2 S.A.S. 2026-11-01.html"],
                     "Demo Nómina 3 S.A.S. — posted": ["Demo Nómina 3 S.A.S. 2026-11-01.html"]}


def test_a_digest_that_cannot_be_sent_keeps_the_run_as_it_was(firm: Firm) -> None:
    firm_notify(firm, notify_config("127.0.0.1", free_port()))
    three_outcomes(firm)
    done = cli("sync", "--all-companies", "--json")
    assert done.exit_code == 65
    assert [c["exit_code"] for c in json.loads(done.stdout)["companies"]] == [65, 69, 0]
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "e-mail via 127.0.0.1" in warnings[0]
    log = [json.loads(line) for line in
           (firm.home / "alegra-sync.log").read_text(encoding="utf-8").splitlines()]
    assert [e["event"] for e in log] == ["firm-run", "notification"]


def test_notify_test_in_a_firm_uses_the_firms_settings(firm: Firm, smtp: Mailbox) -> None:
    firm_notify(firm, notify_config(smtp.host, smtp.port))
    assert cli("notify", "--test").exit_code == 0
    assert smtp.messages()[0]["Subject"] == "alegra-sync: test notification"
    assert cli("--company", "acme", "notify", "--test").exit_code == 0
    assert len(smtp.raw) == 2


def test_the_digest_attaches_each_companys_report_and_only_this_runs(
        firm: Firm, smtp: Mailbox) -> None:
    firm_notify(firm, notify_config(smtp.host, smtp.port, attach_report=["html", "xlsx"],
                                    on=["failure", "posted", "staged", "nothing-to-do"]))
    nets = {"acme": 1940000, "beta": 3270000, "gamma": 1330000}
    write_export(firm.company("acme"), NOV1, NOV15, [ANA])
    write_export(firm.company("beta"), NOV1, NOV15, [ANA, BRUNO])
    write_export(firm.company("gamma"), NOV1, NOV15, [BRUNO])
    assert cli("sync", "--all-companies").exit_code == 0
    [digest] = smtp.messages()
    assert digest["Subject"] == "alegra-sync: 3 companies — 0 failed, 3 posted, 0 to approve"
    files = {a.get_filename(): a for a in digest.iter_attachments()}
    names = ["Demo Nómina S.A.S.", "Demo Nómina 2 S.A.S.", "Demo Nómina 3 S.A.S."]
    assert list(files) == [f"{name} 2026-11-01.{kind}" for name in names
                           for kind in ("html", "xlsx")]
    for slug, name, nit in zip(SLUGS, names, ("900123456", "900123457", "900123458"),
                               strict=True):
        page = files[f"{name} 2026-11-01.html"].get_content()
        assert f"{name} (NIT {nit})" in page
        book = load_workbook(BytesIO(files[f"{name} 2026-11-01.xlsx"].get_content()))
        figures = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=3,
                                                                        values_only=True)}
        assert figures["Net pay"] == nets[slug], slug
    body = digest.get_body(("plain",))
    assert body is not None
    assert "Attached: Demo Nómina 2 S.A.S. 2026-11-01.html, Demo Nómina 2 S.A.S. " \
           "2026-11-01.xlsx" in body.get_content()

    # the same run again: nothing posted, a heartbeat, and no report of an earlier run
    assert cli("sync", "--all-companies").exit_code == 0
    heartbeat = smtp.messages()[1]
    assert heartbeat["Subject"] == \
        "alegra-sync: 3 companies — 0 failed, 0 posted, 0 to approve"
    assert list(heartbeat.iter_attachments()) == []
