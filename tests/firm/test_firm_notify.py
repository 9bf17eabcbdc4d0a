"""The firm run's notification: one digest for the whole --all-companies run (a section per
company, failures first), or one message per company; the webhook gets the firm's --json."""

from __future__ import annotations

import json

import pytest

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
