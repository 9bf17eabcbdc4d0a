"""A sandbox that serves several companies: each its own user, token, record, books, faults
and rate limit; the one-company sandbox stays exactly as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import requests

from alegra_sync.sandbox import SandboxServer


def get(server: SandboxServer, path: str, user: str, token: str) -> requests.Response:
    return requests.get(server.url + path, auth=(user, token), timeout=10)


def test_each_company_has_its_own_credentials_record_and_books(
        make_sandbox: Callable[..., SandboxServer]) -> None:
    server = make_sandbox(companies=3)
    first, second, third = server.companies
    assert (first.user, first.token) == ("demo@example.com", "sandbox-demo-token")
    assert (second.user, second.token) == ("demo2@example.com", "sandbox-demo-token-2")
    assert (third.user, third.token) == ("demo3@example.com", "sandbox-demo-token-3")
    names = [get(server, "/company", c.user, c.token).json() for c in server.companies]
    assert [(n["name"], n["identification"]) for n in names] == [
        ("Demo Nómina S.A.S.", "900123456"), ("Demo Nómina 2 S.A.S.", "900123457"),
        ("Demo Nómina 3 S.A.S.", "900123458")]
    # another company's token does not open this one
    assert get(server, "/company", second.user, first.token).status_code == 401
    assert get(server, "/company", second.user, third.token).status_code == 401

    journal = {"date": "2026-01-31", "reference": "x",
               "entries": [{"id": "5053", "debit": 1000}, {"id": "5023", "credit": 1000}]}
    posted = requests.post(server.url + "/journals", json=journal,
                           auth=(second.user, second.token), timeout=10)
    assert posted.status_code == 201, posted.text
    assert [len(c.store.dump()["journals"]) for c in server.companies] == [0, 1, 0]
    assert [c.store.dump()["requests"]["POST"] for c in server.companies] == [0, 1, 0]


def test_faults_and_latency_are_per_company(make_sandbox: Callable[..., SandboxServer]) -> None:
    server = make_sandbox(companies=2)
    first, second = server.companies
    second.faults.add("GET /company", "500-before", count=5)
    assert get(server, "/company", second.user, second.token).status_code == 500
    assert get(server, "/company", first.user, first.token).status_code == 200
    admin = requests.post(server.admin_url + "/faults?company=1",
                          json={"route": "GET /company", "mode": "500-before"}, timeout=10)
    assert admin.status_code == 200
    assert get(server, "/company", first.user, first.token).status_code == 500
    listed = requests.get(server.admin_url + "/companies", timeout=10).json()
    assert [(c["company"], c["user"]) for c in listed] == [(1, "demo@example.com"),
                                                          (2, "demo2@example.com")]
    dump = requests.get(server.admin_url + "/dump?company=2", timeout=10).json()
    assert dump["company"]["name"] == "Demo Nómina 2 S.A.S."
    requests.post(server.admin_url + "/reset", timeout=10)
    assert get(server, "/company", second.user, second.token).status_code == 200


def test_rate_limits_are_per_user(make_sandbox: Callable[..., SandboxServer]) -> None:
    server = make_sandbox(companies=2, rate_limit=2)
    first, second = server.companies
    assert [get(server, "/company", first.user, first.token).status_code
            for _ in range(3)] == [200, 200, 429]
    assert get(server, "/company", second.user, second.token).status_code == 200


def test_each_company_keeps_its_documents_in_its_own_data_folder(tmp_path: Path) -> None:
    with SandboxServer(companies=2, data_dir=tmp_path) as server:
        second = server.company(2)
        requests.post(server.url + "/journals", auth=(second.user, second.token), timeout=10,
                      json={"date": "2026-01-31", "reference": "x", "entries": [
                          {"id": "5053", "debit": 5}, {"id": "5023", "credit": 5}]})
    assert (tmp_path / "sandbox-state.json").exists()
    with SandboxServer(companies=2, data_dir=tmp_path) as again:
        assert [len(c.store.dump()["journals"]) for c in again.companies] == [0, 1]


def test_the_sandbox_command_prints_each_company(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "alegra-sync"
    process = subprocess.Popen([str(script), "sandbox", "--port", "0", "--companies", "3"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=os.environ.copy())
    try:
        assert process.stderr is not None
        serving = process.stderr.readline()  # the banner comes after the lines: now Ctrl-C
    finally:
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=10)
    lines = stdout.splitlines()
    assert lines[0].startswith("export ALEGRA_SYNC_BASE_URL=http://127.0.0.1:")
    assert lines[1:] == [
        "export ALEGRA_SYNC_USER=demo@example.com", "export ALEGRA_SYNC_TOKEN=sandbox-demo-token",
        "# 1: Demo Nómina S.A.S. (NIT 900123456): ALEGRA_SYNC_USER=demo@example.com "
        "ALEGRA_SYNC_TOKEN=sandbox-demo-token",
        "# 2: Demo Nómina 2 S.A.S. (NIT 900123457): ALEGRA_SYNC_USER=demo2@example.com "
        "ALEGRA_SYNC_TOKEN=sandbox-demo-token-2",
        "# 3: Demo Nómina 3 S.A.S. (NIT 900123458): ALEGRA_SYNC_USER=demo3@example.com "
        "ALEGRA_SYNC_TOKEN=sandbox-demo-token-3"]
    assert "sandbox serving 3 companies" in serving
    assert "sandbox stopped" in stderr
    assert process.returncode == 0
