"""Notifications of a single company's sync against a real SMTP server and a real HTTP
receiver on loopback: what arrives, parses and says; and that a notification that cannot be
sent changes neither what was posted nor the exit code."""

from __future__ import annotations

import json
import os
from email.message import EmailMessage
from pathlib import Path

import pytest

from alegra_sync.sandbox import SandboxServer
from e2e.helpers import cli, sync_json, write_export
from e2e.test_sync import ANA, BRUNO, NOV1, NOV15
from notify.conftest import SMTP_PASSWORD, Mailbox, Receiver, free_port, notify_config
from secrets_scan import TOKENS


@pytest.fixture
def password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALEGRA_SYNC_SMTP_PASSWORD", SMTP_PASSWORD)


def configure(home: Path, text: str) -> None:
    with (home / "config.toml").open("a", encoding="utf-8") as handle:
        handle.write(text)


def parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(("plain",))
    markup = message.get_body(("html",))
    assert text is not None and markup is not None
    return text.get_content(), markup.get_content()


def assert_no_secret_in(data: bytes | str) -> None:
    raw = data.encode() if isinstance(data, str) else data
    for secret in TOKENS:
        assert secret.encode() not in raw


def test_a_posted_quincena_is_mailed_with_its_figures(
        home: Path, sandbox: SandboxServer, smtp: Mailbox, password: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALEGRA_SYNC_TODAY", "2026-11-16")
    configure(home, notify_config(smtp.host, smtp.port))
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    code, result = sync_json()
    assert code == 0
    assert len(smtp.raw) == 1
    assert smtp.logins == ["alegra-sync@firma.co"]
    message = smtp.messages()[0]
    assert message["Subject"] == "alegra-sync: Demo Nómina S.A.S. — posted: 2026-11-01"
    assert b"=?utf-8?" in smtp.raw[0].split(b"\r\n\r\n")[0].lower()  # RFC 2047 subject
    assert message["To"] == "contabilidad@firma.co, gerencia@firma.co"
    # the text and the HTML, and the period's report attached (test_attachments.py)
    assert message.get_content_type() == "multipart/mixed"
    assert [a.get_filename() for a in message.iter_attachments()] == [
        "Demo Nómina S.A.S. 2026-11-01.html"]
    text, markup = parts(message)
    period = result["periods"][0]
    assert "Demo Nómina S.A.S. (NIT 900123456)" in text
    assert "2026-11-01 (Nov 1–15, 2026): posted — debits 4.379.820, credits 4.379.820, " \
           "net pay 3.270.000" in text
    assert f"comprobantes {period['journal_ids'][0]}; egresos {period['payment_ids'][0]}" in text
    assert "Demo Nómina S.A.S. (NIT 900123456)" in markup and "<li>" in markup
    assert_no_secret_in(smtp.raw[0])


def test_the_message_is_in_the_configured_language(
        home: Path, sandbox: SandboxServer, smtp: Mailbox, password: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALEGRA_SYNC_TODAY", "2026-11-16")
    config = home / "config.toml"
    config.write_text('lang = "es"\n' + config.read_text(encoding="utf-8"), encoding="utf-8")
    configure(home, notify_config(smtp.host, smtp.port))
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    assert cli("sync").exit_code == 0
    message = smtp.messages()[0]
    assert message["Subject"] == "alegra-sync: Demo Nómina S.A.S. — contabilizado: 2026-11-01"
    text, _ = parts(message)
    assert "2026-11-01 (1–15 nov 2026): contabilizado — débitos 4.379.820" in text


def test_nothing_to_do_is_mailed_only_as_a_heartbeat(
        home: Path, sandbox: SandboxServer, smtp: Mailbox, password: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALEGRA_SYNC_TODAY", "2026-11-16")
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    assert cli("sync").exit_code == 0  # posted before notifications were set up
    plain = (home / "config.toml").read_text(encoding="utf-8")
    configure(home, notify_config(smtp.host, smtp.port))
    assert cli("sync").exit_code == 0  # already posted: nothing to tell
    assert smtp.raw == []
    (home / "config.toml").write_text(plain + notify_config(
        smtp.host, smtp.port, on=["failure", "posted", "staged", "nothing-to-do"]))
    assert cli("sync").exit_code == 0
    assert len(smtp.raw) == 1
    assert smtp.messages()[0]["Subject"] == "alegra-sync: Demo Nómina S.A.S. — nothing to do"


def test_a_failure_is_mailed_with_what_to_do(
        home: Path, sandbox: SandboxServer, smtp: Mailbox, password: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALEGRA_SYNC_TODAY", "2026-11-16")
    configure(home, notify_config(smtp.host, smtp.port))
    done = cli("sync")  # no export for 2026-11-01
    assert done.exit_code == 66
    text, _ = parts(smtp.messages()[0])
    assert smtp.messages()[0]["Subject"] == "alegra-sync: Demo Nómina S.A.S. — error (exit 66)"
    assert "no export for 2026-11-01" in text
    assert "What to do: Put the period's export in the export folder" in text


@pytest.mark.parametrize("trouble", ["down", "slow", "login refused", "no password"])
def test_a_notification_that_cannot_be_sent_changes_nothing_but_a_warning(
        home: Path, sandbox: SandboxServer, smtp_refusing: Mailbox, silent_port: int,
        monkeypatch: pytest.MonkeyPatch, trouble: str) -> None:
    monkeypatch.setenv("ALEGRA_SYNC_TODAY", "2026-11-16")
    if trouble != "no password":
        monkeypatch.setenv("ALEGRA_SYNC_SMTP_PASSWORD", SMTP_PASSWORD)
    port = {"down": free_port(), "slow": silent_port}.get(trouble, smtp_refusing.port)
    config = notify_config("127.0.0.1", port)
    if trouble == "slow":
        config = config.replace("\ntimeout = 2.0", "\ntimeout = 0.5")
    configure(home, config)
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    done = cli("sync", "--json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["periods"][0]["outcome"] == "posted"
    assert len(sandbox.store.dump()["journals"]) == 1
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1, done.stderr
    expected = {"down": "e-mail via 127.0.0.1", "slow": "no answer within 0.5 s",
                "login refused": "refused the login of alegra-sync@firma.co (535)",
                "no password": "no password for the SMTP user"}[trouble]
    assert expected in warnings[0]
    assert_no_secret_in(done.output)
    log = [json.loads(line) for line in
           (home / "alegra-sync.log").read_text(encoding="utf-8").splitlines()]
    noted = [entry for entry in log if entry["event"] == "notification"]
    assert len(noted) == 1 and noted[0]["sent"] is False and expected in noted[0]["error"]
    assert_no_secret_in((home / "alegra-sync.log").read_text(encoding="utf-8"))


def test_the_password_from_credentials_toml(
        home: Path, sandbox: SandboxServer, smtp: Mailbox,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALEGRA_SYNC_TODAY", "2026-11-16")
    configure(home, notify_config(smtp.host, smtp.port))
    credentials = home / "credentials.toml"
    credentials.write_text(f'[smtp]\npassword = "{SMTP_PASSWORD}"\n', encoding="utf-8")
    os.chmod(credentials, 0o644)
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    loose = cli("sync")
    assert loose.exit_code == 0
    assert "readable by group or others" in loose.stderr and smtp.raw == []
    os.chmod(credentials, 0o600)
    assert cli("notify", "--test").exit_code == 0
    assert smtp.messages()[0]["Subject"] == "alegra-sync: test notification"
    credentials.unlink()  # the scan after the test: the password only in credentials.toml


def test_the_webhook_receives_the_run_json(
        home: Path, sandbox: SandboxServer, receiver: Receiver,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALEGRA_SYNC_TODAY", "2026-11-16")
    configure(home, f'[notify]\nwebhook_url = "{receiver.url}"\n')
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    code, result = sync_json()
    assert code == 0
    assert receiver.bodies == [result]
    assert_no_secret_in(receiver.raw[0])


def test_a_webhook_over_plain_http_to_another_host_is_refused(
        home: Path, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALEGRA_SYNC_TODAY", "2026-11-16")
    configure(home, '[notify]\nwebhook_url = "http://hooks.firma.co/alegra?key=abc"\n')
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    done = cli("sync")
    assert done.exit_code == 0
    assert "webhook: http://hooks.firma.co/alegra is neither https nor http to a loopback " \
           "host" in done.stderr
    assert "key=abc" not in done.stderr


def test_notify_test_reports_each_failure_in_one_line(
        home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALEGRA_SYNC_SMTP_PASSWORD", SMTP_PASSWORD)
    configure(home, notify_config("127.0.0.1", free_port())
              + f'webhook_url = "http://127.0.0.1:{free_port()}/hook"\n')
    done = cli("notify", "--test")
    assert done.exit_code == 69
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 2, done.stderr
    assert errors[0].startswith("error: e-mail via 127.0.0.1:")
    assert errors[1].startswith("error: webhook http://127.0.0.1:")
    shown = cli("notify")
    assert shown.exit_code == 0
    assert "e-mail to contabilidad@firma.co, gerencia@firma.co via 127.0.0.1" in shown.stderr
    assert_no_secret_in(done.output + shown.output)


def test_notify_without_channels_says_so(isolated_home: Path) -> None:
    done = cli("notify", "--test")
    assert done.exit_code == 78
    assert "no notification channel" in done.output


def test_a_staged_period_is_announced_then_reminded(
        home: Path, sandbox: SandboxServer, smtp: Mailbox, password: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    monkeypatch.setenv("ALEGRA_SYNC_TODAY", "2026-11-16")
    monkeypatch.setenv("ALEGRA_SYNC_SYNC__APPROVAL", "required")
    config = home / "config.toml"
    config.write_text('lang = "es"\n' + config.read_text(encoding="utf-8"), encoding="utf-8")
    configure(home, notify_config(smtp.host, smtp.port))
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    assert cli("sync").exit_code == 0
    assert sandbox.store.dump()["journals"] == []
    first = smtp.messages()[0]
    assert first["Subject"] == "alegra-sync: Demo Nómina S.A.S. — por aprobar: 2026-11-01"
    text, _ = parts(first)
    assert "por aprobar" in text
    assert "Para aprobarlo y contabilizarlo: alegra-sync approve" in text

    # three days after it was staged (the state keeps the real time of staging)
    later = datetime.now(ZoneInfo("America/Bogota")).date() + timedelta(days=3)
    monkeypatch.setenv("ALEGRA_SYNC_TODAY", later.isoformat())
    monkeypatch.setenv("ALEGRA_SYNC_SYNC__REMIND_AFTER_DAYS", "2")
    assert cli("sync", "--period", "2026-11-16").exit_code == 66  # no export yet
    reminder, _ = parts(smtp.messages()[1])
    assert "2026-11-01 lleva 3 días esperando aprobación: alegra-sync approve --period " \
           "2026-11-01" in reminder
