"""`verify --all-companies` and `report --all-companies` end to end against one sandbox serving
three companies: the same run as `sync --all-companies` (each company its own process, state
and Alegra client), the summary table, the --json document and the exit code rule of
operations.md (the first failing company's, in slug order)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from alegra_sync.alegra.client import AlegraClient
from e2e.helpers import cli, write_export
from e2e.test_sync import ANA, BRUNO, NOV1, NOV15
from firm.conftest import SLUGS, Firm
from firm.test_all_companies import break_alegra


def firm_json(*args: str) -> tuple[int, dict[str, Any]]:
    done = cli(*args, "--all-companies", "--json")
    try:
        return done.exit_code, json.loads(done.stdout)
    except json.JSONDecodeError:
        raise AssertionError(f"not JSON (exit {done.exit_code}): {done.output}") from None


def post_everywhere(firm: Firm, rows: dict[str, list[dict[str, Any]]] | None = None) -> None:
    for slug in SLUGS:
        write_export(firm.company(slug), NOV1, NOV15, (rows or {}).get(slug, [ANA, BRUNO]))
    code, document = firm_json("sync", "--period", "2026-11-01")
    assert code == 0, document
    assert [c["result"]["periods"][0]["outcome"] for c in document["companies"]] == \
        ["posted"] * 3


def delete_comprobante(firm: Firm, slug: str) -> str:
    """The company's accountant deletes its comprobante in Alegra, by hand."""
    books = firm.books(slug)
    [journal] = books.store.dump()["journals"]
    with AlegraClient(firm.sandbox.url, books.user, books.token, max_retries=0) as alegra:
        alegra.delete_journal(str(journal["id"]))
    return str(journal["id"])


def results(company: dict[str, Any]) -> dict[str, str]:
    return {d["key"]: d["result"] for p in company["result"]["periods"]
            for d in p["documents"]}


def test_verify_over_every_company_says_each_ones_result(firm: Firm) -> None:
    post_everywhere(firm)
    delete_comprobante(firm, "acme")
    break_alegra(firm, "beta")  # beta's Alegra answers 500 to everything
    writes = {s: {m: firm.books(s).store.dump()["requests"][m] for m in ("POST", "PUT",
                                                                         "DELETE")}
              for s in SLUGS}

    code, document = firm_json("verify")
    assert code == 65  # acme, the first failing company in slug order
    assert (document["version"], document["command"], document["status"]) == (
        1, "verify", "partial")
    by = {c["company"]: c for c in document["companies"]}
    assert list(by) == list(SLUGS)
    assert [by[s]["exit_code"] for s in SLUGS] == [65, 69, 0]
    assert [by[s]["result"]["status"] for s in SLUGS] == ["drift", "error", "ok"]
    assert results(by["acme"]) == {"2026-11-01/J1": "missing", "2026-11-01/P1": "match"}
    assert results(by["beta"]) == {"2026-11-01/J1": "unknown", "2026-11-01/P1": "unknown"}
    assert results(by["gamma"]) == {"2026-11-01/J1": "match", "2026-11-01/P1": "match"}
    assert (by["gamma"]["name"], by["gamma"]["nit"]) == ("Demo Nómina 3 S.A.S.", "900123458")
    for slug in SLUGS:  # verify never writes to Alegra
        assert {m: firm.books(slug).store.dump()["requests"][m]
                for m in ("POST", "PUT", "DELETE")} == writes[slug]
    # each company keeps its own result, which `companies` shows
    rows = {r["company"]: r for r in json.loads(cli("companies", "--json").stdout)["companies"]}
    assert {s: (rows[s]["verify"]["result"], rows[s]["verify"]["drift"],
                rows[s]["verify"]["unknown"]) for s in SLUGS} == {
        "acme": ("drift", ["2026-11-01"], []), "beta": ("unknown", [], ["2026-11-01"]),
        "gamma": ("match", [], [])}
    assert (rows["gamma"]["verify"]["verified"], rows["gamma"]["verify"]["not_verified"]) == \
        (1, 0)
    table = {line.split("│")[1].strip(): line.split("│")[-2].strip()
             for line in cli("companies").stdout.splitlines() if line.startswith("│")}
    assert table["acme"].startswith("drift: 2026-11-01 (2026-")
    assert table["beta"].startswith("unknown: 2026-11-01 (2026-")
    assert table["gamma"].startswith("✓ 2026-")

    # acme's way back: its comprobante posted again; then beta is the first to fail (69)
    replaced = cli("--company", "acme", "sync", "--period", "2026-11-01", "--replace")
    assert replaced.exit_code == 0, replaced.output
    code, document = firm_json("verify")
    assert code == 69
    assert [c["exit_code"] for c in document["companies"]] == [0, 69, 0]


def test_verify_summary_table_and_quiet_for_cron(firm: Firm) -> None:
    post_everywhere(firm)
    delete_comprobante(firm, "acme")
    break_alegra(firm, "beta")
    shown = cli("verify", "--all-companies")
    assert shown.exit_code == 65
    assert "verify over 3 companies" in shown.stdout
    rows = {line.split("│")[1].strip(): [cell.strip() for cell in line.split("│")[1:-1]]
            for line in shown.stdout.splitlines() if line.startswith("│")}
    assert rows["acme"][1:4] == ["2026-11-01", "missing 1, match 1", "drift (65)"]
    assert rows["beta"][1:4] == ["2026-11-01", "unknown 2", "error (69)"]
    assert rows["gamma"][1:5] == ["2026-11-01", "match 2", "match (0)", ""]
    assert "3 companies in" in shown.stderr and "1 without errors, 2 failed" in shown.stderr

    quiet = cli("-q", "verify", "--all-companies")
    assert quiet.exit_code == 65
    lines = quiet.output.strip().splitlines()
    assert len(lines) == 2, quiet.output
    assert lines[0] == ("error: acme: 2026-11-01: Alegra differs from what was posted "
                        "(missing 1)")
    assert lines[1].startswith("error: beta: 2026-11-01: ") and "500" in lines[1]


def test_report_over_every_company_writes_each_ones_files_in_its_home(firm: Firm) -> None:
    post_everywhere(firm, {"acme": [ANA], "beta": [ANA, BRUNO], "gamma": [BRUNO]})
    code, document = firm_json("report", "--period", "2026-11-01")
    assert code == 0, document
    assert (document["command"], document["status"]) == ("report", "success")
    nets = {"acme": "1940000", "beta": "3270000", "gamma": "1330000"}
    for company in document["companies"]:
        slug = company["company"]
        folder = firm.company(slug) / "reports"
        result = company["result"]
        assert company["exit_code"] == 0
        assert (result["command"], result["status"], result["out"]) == (
            "report", "success", str(folder))
        [period] = result["periods"]
        assert (period["period"], period["end"], period["state"]) == (
            "2026-11-01", "2026-11-15", "posted")
        assert period["files"] == {"html": str(folder / "2026-11-01.html"),
                                   "xlsx": str(folder / "2026-11-01.xlsx")}
        assert sorted(p.name for p in folder.iterdir()) == ["2026-11-01.html",
                                                            "2026-11-01.xlsx"]
        assert period["totals"]["net_pay"] == nets[slug]
        assert period["totals"]["debits"] == period["totals"]["credits"]
        # the sample mapping credits Bruno's libranza without a tercero: the report says so
        failing = [] if slug == "acme" else ["liabilities-have-tercero"]
        assert period["checks"] == {"ok": 6 - len(failing), "failed": len(failing),
                                    "not_checked": 0, "failed_checks": failing}
        summary = {row[0]: row[1] for row in load_workbook(folder / "2026-11-01.xlsx")[
            "Summary"].iter_rows(min_row=3, values_only=True) if row[0]}
        assert summary["Net pay"] == int(nets[slug])
        assert summary["Company"] == f"{company['name']} (NIT {company['nit']})"
    assert [len(firm.books(s).store.dump()["journals"]) for s in SLUGS] == [1, 1, 1]


def test_report_over_every_company_table_states_and_missing_exports(firm: Firm) -> None:
    write_export(firm.company("acme"), NOV1, NOV15, [ANA, BRUNO])
    assert cli("--company", "acme", "sync", "--period", "2026-11-01").exit_code == 0
    write_export(firm.company("gamma"), NOV1, NOV15, [ANA, BRUNO])  # not posted: simulated
    shown = cli("report", "--all-companies", "--period", "2026-11-01", "--format", "html")
    assert shown.exit_code == 66  # beta: neither posted nor exported
    assert "report over 3 companies" in shown.stdout
    rows = {line.split("│")[1].strip(): [cell.strip() for cell in line.split("│")[1:-1]]
            for line in shown.stdout.splitlines() if line.startswith("│")}
    assert rows["acme"][1:4] == ["2026-11-01 (posted)", "2026-11-01.html",
                                 "written (0)"]
    assert rows["gamma"][1:4] == ["2026-11-01 (simulation)", "2026-11-01.html",
                                  "written (0)"]
    assert rows["beta"][1:4] == ["—", "—", "error (66)"]
    assert "error: beta: 2026-11-01: the local state does not hold it as posted" in \
        shown.stderr
    assert not (firm.company("acme") / "reports" / "2026-11-01.xlsx").exists()
    assert list((firm.company("beta") / "reports").iterdir()) == []
    code, document = firm_json("report", "--period", "2026-11-01")
    assert code == 66
    assert [c["result"]["status"] for c in document["companies"]] == [
        "success", "error", "success"]
    assert document["companies"][1]["result"]["error"]["code"] == 66
    assert [c["result"]["periods"][0]["state"] for c in document["companies"]
            if c["result"]["periods"]] == ["posted", "simulation"]


@pytest.mark.parametrize("command", ["verify", "report"])
def test_refusals_as_sync_does(firm: Firm, command: str) -> None:
    bad = cli("--company", "acme", command, "--all-companies")
    assert bad.exit_code == 2 and "not with a command over all of them" in bad.output


def test_report_flags_that_name_one_companys_files_are_refused(firm: Firm) -> None:
    out = cli("report", "--all-companies", "--out", "/tmp/reportes")
    assert out.exit_code == 2 and "--out names one folder" in out.output
    opened = cli("report", "--all-companies", "--open")
    assert opened.exit_code == 2 and "--open opens one report" in opened.output


@pytest.mark.parametrize("command", ["verify", "report"])
def test_all_companies_in_a_single_company_home_is_refused(isolated_home: Path,
                                                           command: str) -> None:
    done = cli(command, "--all-companies")
    assert done.exit_code == 78
    assert "is not a firm home" in done.output


def test_the_portfolio_reads_a_state_older_than_verify_as_never_verified(
        tmp_path: Path) -> None:
    import sqlite3
    from contextlib import closing

    from alegra_sync.firm.portfolio import CompanyRow
    from alegra_sync.sync.snapshot import read_snapshot

    database = tmp_path / "state.sqlite3"
    with closing(sqlite3.connect(database)) as db:  # schema version 2: no verify columns
        db.execute("CREATE TABLE periods (period TEXT PRIMARY KEY, state TEXT)")
        db.execute("INSERT INTO periods VALUES ('2026-11-01', 'posted')")
        db.commit()
    snapshot = read_snapshot(database)
    assert (snapshot.error, snapshot.posted, snapshot.verified) == (None, ["2026-11-01"], {})
    assert CompanyRow("acme", snapshot).to_json()["verify"] is None
