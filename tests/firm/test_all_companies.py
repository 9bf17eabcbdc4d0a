"""`sync --all-companies` end to end against one sandbox serving three companies: each company
in its own process, lock, state and Alegra client; one company's failure never stops another;
the summary, the --json document and the exit code of operations.md."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from alegra_sync.sandbox.faults import ROUTES
from e2e.helpers import cli, employee, write_export
from e2e.test_sync import ANA, BRUNO, NOV1, NOV15
from firm.conftest import SLUGS, Firm
from reliability.exactly_once_checks import live_documents, state_problems
from secrets_scan import assert_no_secret

UNMAPPED = employee("1003", "Carla Ruiz", "Ventas", "EPS Sura", "Porvenir AFP", "2026-11-15",
                    Salario=1000000, Bonificación_secreta=5000)


def break_alegra(firm: Firm, slug: str) -> None:
    """Every request of that company's Alegra answers 500; its client retries once."""
    for route in ROUTES:
        firm.books(slug).faults.add(route, "500-before", count=10_000)
    (firm.company(slug) / "config.toml").write_text("[alegra]\nretries = 1\n")


def three_outcomes(firm: Firm) -> None:
    write_export(firm.company("acme"), NOV1, NOV15, [ANA, UNMAPPED])  # 65: not in the mapping
    write_export(firm.company("beta"), NOV1, NOV15, [ANA, BRUNO])
    break_alegra(firm, "beta")  # 69: Alegra down for that account only
    write_export(firm.company("gamma"), NOV1, NOV15, [ANA, BRUNO])


def test_one_company_posts_while_the_others_fail_with_their_own_codes(firm: Firm) -> None:
    three_outcomes(firm)
    done = cli("sync", "--all-companies", "--json")
    document = json.loads(done.stdout)
    assert done.exit_code == 65  # the first failing company in slug order: acme
    assert (document["version"], document["command"], document["status"]) == (1, "sync",
                                                                             "partial")
    by = {c["company"]: c for c in document["companies"]}
    assert list(by) == list(SLUGS)
    assert [by[s]["exit_code"] for s in SLUGS] == [65, 69, 0]
    assert (by["gamma"]["name"], by["gamma"]["nit"]) == ("Demo Nómina 3 S.A.S.", "900123458")
    assert by["gamma"]["result"]["periods"][0]["outcome"] == "posted"
    assert by["acme"]["result"]["periods"][0]["outcome"] == "failed"
    assert "Bonificación secreta" in by["acme"]["result"]["periods"][0]["error"]["message"]
    assert by["beta"]["result"]["periods"][0]["error"]["code"] == 69
    gamma = firm.books("gamma").store.dump()
    journals, payments = live_documents(gamma)
    assert ([k for k, _, _ in journals], [k for k, _, _ in payments]) == (
        ["2026-11-01/J1"], ["2026-11-01/P1"])
    for slug in ("acme", "beta"):
        assert firm.books(slug).store.dump()["journals"] == []
    # each company's own state, lock and log
    assert state_problems(firm.company("gamma"), gamma, {"2026-11-01"}) == []
    assert (firm.company("acme") / "alegra-sync.log").exists()
    firm_log = [json.loads(line) for line in
                (firm.home / "alegra-sync.log").read_text(encoding="utf-8").splitlines()]
    assert firm_log[-1]["event"] == "firm-run" and firm_log[-1]["exit_code"] == 65

    again = cli("sync", "--all-companies", "--json")
    assert again.exit_code == 65
    rerun = {c["company"]: c for c in json.loads(again.stdout)["companies"]}
    assert rerun["gamma"]["result"]["periods"][0]["outcome"] == "already-posted"
    assert rerun["gamma"]["result"]["requests"]["POST"] == 0
    assert len(firm.books("gamma").store.dump()["journals"]) == 1


def test_the_summary_table_and_quiet_for_cron(firm: Firm) -> None:
    three_outcomes(firm)
    shown = cli("sync", "--all-companies")
    assert shown.exit_code == 65
    assert "sync over 3 companies" in shown.stdout
    rows = {line.split("│")[1].strip(): line for line in shown.stdout.splitlines()
            if line.startswith("│")}
    assert "posted (0)" in rows["gamma"] and "failed (65)" in rows["acme"]
    assert "failed (69)" in rows["beta"]
    quiet = cli("-q", "sync", "--all-companies")
    assert quiet.exit_code == 65
    lines = quiet.output.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == ["error", "error"]
    assert lines[0].startswith("error: acme: ") and lines[1].startswith("error: beta: ")


def test_everything_succeeding_exits_0_and_a_held_lock_fails_only_its_company(
        firm: Firm) -> None:
    from alegra_sync.sync.ledger import RunLock

    for slug in SLUGS:
        write_export(firm.company(slug), NOV1, NOV15, [ANA, BRUNO])
    with RunLock(firm.company("beta") / "sync.lock"):
        held = cli("sync", "--all-companies", "--json")
    assert held.exit_code == 75
    assert [c["exit_code"] for c in json.loads(held.stdout)["companies"]] == [0, 75, 0]
    done = cli("sync", "--all-companies", "--json")
    assert done.exit_code == 0
    assert json.loads(done.stdout)["status"] == "success"
    assert [len(firm.books(s).store.dump()["journals"]) for s in SLUGS] == [1, 1, 1]


def test_refusals(firm: Firm, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = cli("--company", "acme", "sync", "--all-companies")
    assert bad.exit_code == 2 and "not with a command over all of them" in bad.output
    monkeypatch.setenv("ALEGRA_SYNC_TOKEN", "sandbox-demo-token")
    monkeypatch.setenv("ALEGRA_SYNC_USER", "demo@example.com")
    shared = cli("sync", "--all-companies")
    assert shared.exit_code == 78
    assert "would connect each of them to that one Alegra account" in shared.output


def test_all_companies_in_a_single_company_home_is_refused(isolated_home: Path) -> None:
    done = cli("sync", "--all-companies")
    assert done.exit_code == 78
    assert "is not a firm home" in done.output


def _runs_started(firm: Firm) -> int:
    count = 0
    for slug in SLUGS:
        database = firm.company(slug) / "state.sqlite3"
        if not database.exists():
            continue
        try:
            with closing(sqlite3.connect(database, timeout=30)) as db:
                count += db.execute("SELECT COUNT(*) FROM runs WHERE arguments LIKE 'sync%' "
                                    "AND finished_at IS NULL").fetchone()[0]
        except sqlite3.Error:
            continue  # not created whole yet
    return count


def test_ctrl_c_stops_every_company_cleanly(firm: Firm) -> None:
    for slug in SLUGS:
        write_export(firm.company(slug), NOV1, NOV15, [ANA, BRUNO])
        firm.books(slug).faults.set_latency(0.3)  # long enough to be interrupted mid-way
    child_env = {k: v for k, v in os.environ.items() if k not in ("ALEGRA_SYNC_USER",
                                                                 "ALEGRA_SYNC_TOKEN")}
    process = subprocess.Popen([sys.executable, "-m", "alegra_sync", "sync", "--all-companies"],
                               env=child_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    deadline = time.monotonic() + 60
    while _runs_started(firm) < len(SLUGS) and process.poll() is None:
        assert time.monotonic() < deadline, "the companies' runs never started"
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr
    assert_no_secret(stderr, "the interrupted run's output")
    assert _runs_started(firm) == 0  # every company recorded the end of its run
    for slug in SLUGS:
        firm.books(slug).faults.set_latency(0)
    done = cli("sync", "--all-companies", "--json")
    assert done.exit_code == 0, done.output
    for slug in SLUGS:
        dump = firm.books(slug).store.dump()
        journals, payments = live_documents(dump)
        assert (len(journals), len(payments)) == (1, 1), slug
        assert state_problems(firm.company(slug), dump, {"2026-11-01"}) == [], slug


def test_a_firm_that_requires_approval_stages_every_company(firm: Firm) -> None:
    config = firm.home / "config.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "[sync]\n", '[sync]\napproval = "required"\n'), encoding="utf-8")
    for slug in SLUGS:
        write_export(firm.company(slug), NOV1, NOV15, [ANA, BRUNO])
    done = cli("sync", "--all-companies", "--json")
    assert done.exit_code == 0, done.output
    outcomes = [c["result"]["periods"][0]["outcome"] for c in json.loads(done.stdout)["companies"]]
    assert outcomes == ["staged"] * 3
    assert all(firm.books(s).store.dump()["journals"] == [] for s in SLUGS)
    rows = json.loads(cli("companies", "--json").stdout)["companies"]
    assert [[s["period"] for s in row["staged"]] for row in rows] == [["2026-11-01"]] * 3
    assert "2026-11-01 staged since" in cli("companies").stdout
    assert cli("--company", "beta", "approve", "--yes").exit_code == 0
    assert [len(firm.books(s).store.dump()["journals"]) for s in SLUGS] == [0, 1, 0]


def test_a_spanish_firm_run_says_each_companys_error_in_spanish(firm: Firm) -> None:
    three_outcomes(firm)
    quiet = cli("--lang", "es", "-q", "sync", "--all-companies")
    assert quiet.exit_code == 65
    acme, beta = quiet.output.strip().splitlines()
    # what each company's own run printed, in Spanish; its --json stays English
    assert acme.startswith("error: acme: ") and "no está en la parametrización" in acme, acme
    assert beta.startswith("error: beta: ") and "Alegra" in beta and " the " not in beta, beta
    as_json = cli("--lang", "es", "sync", "--all-companies", "--json")
    english = json.loads(as_json.stdout)["companies"][0]["result"]
    assert "not in the mapping" in json.dumps(english), english


def test_a_wrong_token_fails_only_its_company_with_77(firm: Firm) -> None:
    for slug in SLUGS:
        write_export(firm.company(slug), NOV1, NOV15, [ANA, BRUNO])
    credentials = firm.company("gamma") / "credentials.toml"
    text = credentials.read_text(encoding="utf-8")
    credentials.write_text(text.replace(firm.books("gamma").token, "a-revoked-token"),
                           encoding="utf-8")
    done = cli("sync", "--all-companies", "--json")
    assert done.exit_code == 77  # gamma's: the only failing company
    assert [c["exit_code"] for c in json.loads(done.stdout)["companies"]] == [0, 0, 77]
    assert [len(firm.books(s).store.dump()["journals"]) for s in SLUGS] == [1, 1, 0]
    assert "a-revoked-token" not in done.output
