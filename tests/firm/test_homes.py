"""The firm home and its company homes (operations.md, "Firm mode"): --company for every
command, a firm home without one stops with 78, the firm's config.toml under each company's,
slugs, `companies add` and `companies remove`, one Alegra company per slug."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from alegra_sync.config import Home, load_settings
from alegra_sync.firm.companies import remove_company
from e2e.helpers import cli, write_export
from e2e.test_sync import ANA, BRUNO, NOV1, NOV15
from firm.conftest import SLUGS, Firm, connect
from secrets_scan import TOKENS


@pytest.mark.parametrize("command", [["status"], ["sync"], ["map", "--check"], ["accounts"],
                                     ["connect", "--check"]])
def test_a_firm_home_without_a_company_stops_with_78_listing_them(
        firm: Firm, command: list[str]) -> None:
    done = cli(*command)
    assert done.exit_code == 78, done.output
    assert done.output.strip().splitlines() == [
        f"error: {firm.home} is a firm home: say which company (companies: acme, beta, gamma) "
        "— add --company SLUG (or set ALEGRA_SYNC_COMPANY=SLUG), or use --all-companies"]


def test_the_company_comes_from_the_flag_or_the_environment(
        firm: Firm, monkeypatch: pytest.MonkeyPatch) -> None:
    write_export(firm.company("beta"), NOV1, NOV15, [ANA, BRUNO])
    assert cli("--company", "beta", "sync").exit_code == 0
    assert [len(firm.books(s).store.dump()["journals"]) for s in SLUGS] == [0, 1, 0]
    monkeypatch.setenv("ALEGRA_SYNC_COMPANY", "beta")
    status = json.loads(cli("status", "--json").stdout)
    assert [p["state"] for p in status["periods"]] == ["posted"]
    assert (firm.company("beta") / "state.sqlite3").exists()
    assert not (firm.home / "state.sqlite3").exists()


@pytest.mark.parametrize("slug", ["Acme", "a b", "", "x" * 41, "acme/../beta", "ñandú"])
def test_a_bad_slug_is_a_usage_error_in_one_line(firm: Firm, slug: str) -> None:
    for args in (["--company", slug, "status"], ["companies", "add", slug],
                 ["companies", "remove", slug]):
        done = cli(*args)
        assert done.exit_code == 2, (args, done.output)
        assert len(done.output.strip().splitlines()) == 1 or "Usage:" in done.output, done.output
        assert "slug" in done.output


def test_company_on_a_single_company_home_is_refused(isolated_home: Path) -> None:
    done = cli("--company", "acme", "status")
    assert done.exit_code == 78
    assert "is not a firm home" in done.output


def test_a_home_in_use_as_one_company_is_not_turned_into_a_firm(isolated_home: Path) -> None:
    (isolated_home / "credentials.toml").write_text('user = "a"\ntoken = "b"\n')
    done = cli("companies", "add", "acme")
    assert done.exit_code == 78
    assert "is the home of one company already" in done.output
    assert not (isolated_home / "companies").exists()


def test_the_firm_config_is_the_default_under_each_company(
        firm: Firm, monkeypatch: pytest.MonkeyPatch) -> None:
    (firm.home / "config.toml").write_text(
        '[journal]\ndetail = "summary"\nmax_entries = 40\n[alegra]\nread_timeout = 2.0\n'
        '[sync]\nrecheck_delays = [1.0, 1.0]\n', encoding="utf-8")
    (firm.company("acme") / "config.toml").write_text('[journal]\nmax_entries = 30\n')
    acme = Home(firm.company("acme"), firm.company("acme"), firm.home, "acme")
    settings = load_settings(home=acme)
    assert (settings.journal.detail, settings.journal.max_entries) == ("summary", 30)
    assert settings.alegra.read_timeout == 2.0  # the firm's, untouched by the company's
    monkeypatch.setenv("ALEGRA_SYNC_JOURNAL__MAX_ENTRIES", "25")
    assert load_settings(home=acme).journal.max_entries == 25
    assert load_settings(home=acme, journal={"max_entries": 20}).journal.max_entries == 20
    (firm.home / "config.toml").write_text('[journal]\nmax_entries = 1\n', encoding="utf-8")
    monkeypatch.delenv("ALEGRA_SYNC_JOURNAL__MAX_ENTRIES")
    (firm.company("acme") / "config.toml").write_text("")
    done = cli("--company", "acme", "status")
    assert done.exit_code == 78
    assert f"{firm.home / 'config.toml'}: invalid setting journal.max_entries" in done.output


def test_the_firm_language_reaches_its_companies(firm: Firm) -> None:
    config = firm.home / "config.toml"
    config.write_text('lang = "es"\n' + config.read_text(encoding="utf-8"), encoding="utf-8")
    assert "Uso:" in cli("--company", "acme", "status", "--help").output
    (firm.company("beta") / "config.toml").write_text('lang = "en"\n')
    assert "Usage:" in cli("--company", "beta", "status", "--help").output


def test_the_same_alegra_company_in_two_slugs_is_refused(firm: Firm) -> None:
    """Two homes posting one company's books are how duplicates start: connect refuses it,
    and so does a sync whose credentials were changed by hand."""
    acme = firm.books("acme")
    done = cli("--company", "beta", "connect", "--user", acme.user, "--token-stdin",
               input=acme.token + "\n")
    assert done.exit_code == 78
    assert "which the company acme of this firm is connected to already" in done.output
    cli("companies", "add", "delta")
    (firm.company("delta") / "credentials.toml").write_text(
        (firm.company("acme") / "credentials.toml").read_text())
    os.chmod(firm.company("delta") / "credentials.toml", 0o600)
    (firm.company("delta") / "mapping.toml").write_bytes(
        (firm.company("acme") / "mapping.toml").read_bytes())
    write_export(firm.company("delta"), NOV1, NOV15, [ANA, BRUNO])
    synced = cli("--company", "delta", "sync")
    assert synced.exit_code == 78, synced.output
    assert "which the company acme of this firm is connected to already" in synced.output
    assert acme.store.dump()["journals"] == []
    (firm.company("delta") / "credentials.toml").unlink()  # the test's scan: only in credentials


def test_no_company_home_holds_another_companys_credentials(firm: Firm) -> None:
    for slug in SLUGS:
        write_export(firm.company(slug), NOV1, NOV15, [ANA, BRUNO])
        assert cli("--company", slug, "sync").exit_code == 0
    own = {slug: firm.books(slug).token for slug in SLUGS}
    for slug in SLUGS:
        folder = firm.company(slug)
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        credentials = folder / "credentials.toml"
        assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
        for path in folder.rglob("*"):
            if not path.is_file():
                continue
            data = path.read_bytes()
            for other, token in own.items():
                # sandbox-demo-token is a prefix of the others': look for whole tokens
                held = token.encode() + b'"' in data or data.endswith(token.encode())
                if path == credentials and other == slug:
                    assert held, f"{path} lacks its own token"
                else:
                    assert not held, f"{path} holds {other}'s token"
    for path in firm.home.iterdir():
        if path.is_file():
            assert not any(t.encode() in path.read_bytes() for t in TOKENS), path


def test_companies_lists_each_company_from_local_files(firm: Firm) -> None:
    write_export(firm.company("beta"), NOV1, NOV15, [ANA, BRUNO])
    assert cli("--company", "beta", "sync").exit_code == 0
    firm.sandbox.stop()  # no Alegra call: the view reads local files only
    document = json.loads(cli("companies", "--json").stdout)
    rows = {row["company"]: row for row in document["companies"]}
    assert list(rows) == list(SLUGS)
    assert (rows["beta"]["name"], rows["beta"]["nit"]) == ("Demo Nómina 2 S.A.S.", "900123457")
    assert rows["beta"]["last_posted"] == "2026-11-01"
    assert rows["beta"]["last_run"]["exit_code"] == 0
    assert rows["beta"]["next_due"]["period"] == "2026-11-16"
    assert rows["acme"]["next_due"] == {"period": "2026-11-01", "end": "2026-11-15",
                                        "export": None}
    shown = cli("companies")
    assert shown.exit_code == 0
    assert "Demo Nómina 2 S.A.S." in shown.stdout and "2026-11-01" in shown.stdout

    # at 80 columns, in both languages: the morning's columns, every slug and period whole
    for lang in ("en", "es"):
        os.environ["COLUMNS"] = "80"
        try:
            narrow = cli("--lang", lang, "companies").stdout
        finally:
            del os.environ["COLUMNS"]
        lines = narrow.splitlines()
        assert max(len(line) for line in lines) <= 80, narrow
        rows = {line.split("│")[1].strip(): line for line in lines if line.startswith("│ ")}
        assert set(SLUGS) <= set(rows), narrow
        assert "2026-11-01" in rows["beta"] and "2026-11-16" in rows["beta"], narrow
        assert "││" not in narrow and "┃┃" not in narrow  # no column squeezed to nothing


def test_remove_refuses_posted_documents_unless_forced_and_never_deletes(firm: Firm) -> None:
    write_export(firm.company("beta"), NOV1, NOV15, [ANA, BRUNO])
    assert cli("--company", "beta", "sync").exit_code == 0
    refused = cli("companies", "remove", "beta")
    assert refused.exit_code == 78
    assert "records 2 documents posted to Alegra" in refused.output
    assert firm.company("beta").is_dir()
    assert cli("companies", "remove", "gamma").exit_code == 0  # nothing posted: it moves
    forced = cli("companies", "remove", "beta", "--force")
    assert forced.exit_code == 0, forced.output
    removed = sorted(p.name for p in (firm.home / "removed").iterdir())
    assert [name.rsplit("-", 1)[0] for name in removed] == ["beta", "gamma"]
    kept = next((firm.home / "removed").glob("beta-*"))
    assert (kept / "state.sqlite3").exists() and (kept / "credentials.toml").exists()
    assert json.loads(cli("companies", "--json").stdout)["companies"][0]["company"] == "acme"
    assert [r["company"] for r in json.loads(cli("companies", "--json").stdout)["companies"]] \
        == ["acme"]
    with pytest.raises(Exception, match="no company 'beta'"):
        remove_company(firm.home, "beta")


def test_remove_waits_for_no_running_sync(firm: Firm) -> None:
    from alegra_sync.sync.ledger import RunLock

    with RunLock(firm.company("acme") / "sync.lock"):
        done = cli("companies", "remove", "acme")
    assert done.exit_code == 75
    assert firm.company("acme").is_dir()


def test_connect_in_the_fixture_made_each_home_its_own(firm: Firm) -> None:
    assert connect  # the fixture connected each slug to its own sandbox company
    for slug in SLUGS:
        status = cli("--company", slug, "status")
        assert firm.books(slug).name in status.output


def test_the_command_line_knows_the_slug_rule_the_settings_know() -> None:
    from alegra_sync import config
    from alegra_sync.cli import preflight

    for text in ["acme", "panaderia-la-9", "a" * 40, "a" * 41, "Acme", "a_b", "", "-"]:
        assert preflight.is_slug(text) is config.is_slug(text), text
    assert preflight.COMPANIES_FOLDER == config.COMPANIES_FOLDER
