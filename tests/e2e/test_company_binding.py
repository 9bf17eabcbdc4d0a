"""The state belongs to one Alegra company: a home used with company A never passes its posted
periods off as posted in company B (accounting.md, "Posting exactly once").

Company B is the demo company under another name and NIT, so the sample mapping posts there.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from alegra_sync.sandbox import SandboxServer
from alegra_sync.sandbox.store import STATE_FILE
from e2e.helpers import cli, sync_json, write_export
from e2e.test_sync import ANA, BRUNO, NOV1, NOV15


def other_company(data_dir: Path, name: str, identification: str) -> SandboxServer:
    """A demo sandbox whose `GET /company` names another company."""
    SandboxServer(data_dir=data_dir)  # writes the seeded state, not started
    state_file = data_dir / STATE_FILE
    state = json.loads(state_file.read_text(encoding="utf-8"))
    state["company"].update(name=name, identification=identification)
    state_file.write_text(json.dumps(state), encoding="utf-8")
    return SandboxServer(data_dir=data_dir)


@pytest.fixture
def company_b(tmp_path: Path) -> Iterator[SandboxServer]:
    with other_company(tmp_path / "company-b", "Otra Empresa S.A.S.", "901555777") as server:
        yield server


def use(server: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALEGRA_SYNC_BASE_URL", server.url)


def writes(server: SandboxServer) -> dict[str, int]:
    requests = server.store.dump()["requests"]
    return {m: requests.get(m, 0) for m in ("POST", "PUT", "DELETE")}


def refusal(home: Path) -> str:
    return (f"error: the state database {home / 'state.sqlite3'} belongs to Demo Nómina "
            "S.A.S. (NIT 900123456), but Alegra is connected to Otra Empresa S.A.S. "
            "(NIT 901555777); nothing was synced — use a separate home for each company: "
            "ALEGRA_SYNC_HOME=<another folder> alegra-sync connect; or connect back to "
            "Demo Nómina S.A.S.\n")


def recorded_company(home: Path) -> dict[str, str]:
    with sqlite3.connect(home / "state.sqlite3") as db:
        return dict(db.execute("SELECT key, value FROM meta").fetchall())


def test_state_of_company_a_is_refused_for_company_b(
    home: Path, sandbox: SandboxServer, company_b: SandboxServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    assert sync_json("--period", "2026-11-01")[0] == 0
    assert recorded_company(home) == {"company_identification": "900123456",
                                      "company_name": "Demo Nómina S.A.S."}
    status_before = cli("status", "--json").stdout

    use(company_b, monkeypatch)
    connected = cli("connect")
    assert connected.exit_code == 0, connected.output
    monkeypatch.setenv("ALEGRA_SYNC_SYNC__START", "2026-11-01")
    monkeypatch.setenv("ALEGRA_SYNC_TODAY", "2026-11-16")  # only 2026-11-01 closed: posted
    for args in (["--period", "2026-11-01"], ["--period", "2026-11-01", "--dry-run"],
                 ["--catch-up"], ["--period", "2026-10-16"]):
        result = cli("sync", *args)
        assert (result.exit_code, result.stdout, result.stderr) == (78, "", refusal(home)), args

    dump_b = company_b.store.dump()
    assert (dump_b["journals"], dump_b["payments"]) == ([], [])
    assert writes(company_b) == {"POST": 0, "PUT": 0, "DELETE": 0}
    assert dump_b["requests"]["GET"] == 4 + 2  # one GET /company per sync, connect's two
    assert len(sandbox.store.dump()["journals"]) == 1
    # history untouched, the binding too, and each refusal is in the run log with its code
    assert cli("status", "--json").stdout == status_before
    assert cli("status").stderr == "Alegra company: Demo Nómina S.A.S. (NIT 900123456)\n"
    assert recorded_company(home)["company_identification"] == "900123456"
    log = [json.loads(line) for line in (home / "alegra-sync.log").read_text().splitlines()]
    assert [(e["status"], e["exit_code"]) for e in log if e["event"] == "run"] == [
        ("success", 0), *[("error", 78)] * 4]


def test_a_separate_home_posts_to_company_b_and_a_stays_posted(
    home: Path, sandbox: SandboxServer, company_b: SandboxServer, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    assert sync_json("--period", "2026-11-01")[0] == 0

    home_b = tmp_path / "home-b"
    skip = shutil.ignore_patterns("state.sqlite3*", "*.log", "*.lock", "cache")
    shutil.copytree(home, home_b, ignore=skip)
    monkeypatch.setenv("ALEGRA_SYNC_HOME", str(home_b))
    use(company_b, monkeypatch)
    code, result = sync_json("--period", "2026-11-01")
    assert (code, result["periods"][0]["outcome"]) == (0, "posted")
    assert [j["reference"].split()[1] for j in company_b.store.dump()["journals"]] == [
        "2026-11-01/J1"]
    assert recorded_company(home_b)["company_identification"] == "901555777"

    monkeypatch.setenv("ALEGRA_SYNC_HOME", str(home))
    use(sandbox, monkeypatch)
    code, result = sync_json("--period", "2026-11-01")
    assert (code, result["periods"][0]["outcome"], result["requests"]["POST"]) == (
        0, "already-posted", 0)
    assert len(sandbox.store.dump()["journals"]) == 1
    assert len(company_b.store.dump()["journals"]) == 1


def test_a_state_from_before_the_binding_adopts_the_connected_company(
    home: Path, sandbox: SandboxServer, company_b: SandboxServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    assert sync_json("--period", "2026-11-01")[0] == 0
    with sqlite3.connect(home / "state.sqlite3") as db:  # as an older version left it
        db.execute("DROP TABLE meta")
    code, result = sync_json("--period", "2026-11-01")
    assert (code, result["periods"][0]["outcome"]) == (0, "already-posted")
    assert recorded_company(home) == {"company_identification": "900123456",
                                      "company_name": "Demo Nómina S.A.S."}
    use(company_b, monkeypatch)
    assert cli("sync", "--period", "2026-11-01").exit_code == 78
    assert company_b.store.dump()["journals"] == []


def test_the_same_company_at_another_url_is_the_same_company(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    data = tmp_path / "company-a"
    with SandboxServer(data_dir=data) as first:
        use(first, monkeypatch)
        assert sync_json("--period", "2026-11-01")[0] == 0
        with SandboxServer(data_dir=data) as moved:  # same documents, another port
            assert moved.url != first.url
            use(moved, monkeypatch)
            code, result = sync_json("--period", "2026-11-01")
    assert (code, result["periods"][0]["outcome"]) == (0, "already-posted")
    assert moved.store.dump()["requests"]["POST"] == 0
    assert len(moved.store.dump()["journals"]) == 1

