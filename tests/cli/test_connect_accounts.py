"""`connect` and `accounts` through the real CLI, against the recorded Alegra bodies."""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path
from typing import Any

import pytest
import responses
from typer.testing import CliRunner

from alegra_sync.cli.app import app

BASE = "http://127.0.0.1:9/api/v1"
TOKEN = "tok3n-CLI-secret-998877"
RECORDED = Path(__file__).resolve().parents[1] / "fixtures" / "recorded"


def recorded(name: str) -> Any:
    return json.loads((RECORDED / name).read_text(encoding="utf-8"))["response"]["json"]


@pytest.fixture
def alegra(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("ALEGRA_SYNC_BASE_URL", BASE)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get(f"{BASE}/users/self", json=recorded("self_user.json"))
        mock.get(f"{BASE}/company", json=recorded("company.json"))
        mock.get(f"{BASE}/categories", json=recorded("categories.json"))
        mock.get(f"{BASE}/cost-centers", json=recorded("cost_centers.json"))
        mock.get(f"{BASE}/bank-accounts", json=recorded("bank_accounts.json"))
        yield mock


def run(*args: str, input: str | None = None) -> Any:
    return CliRunner().invoke(app, list(args), input=input)


def connect(home: Path) -> Any:
    return run("connect", "--user", "nomina@example.com", "--token-stdin", input=TOKEN + "\n")


def test_connect_verifies_shows_the_company_and_stores_0600(alegra: Any, isolated_home: Path
                                                            ) -> None:
    result = connect(isolated_home)
    assert result.exit_code == 0, result.output
    assert "Pruebas API Nominapp" in result.stdout
    assert "859082911" in result.stdout and "colombia" in result.stdout
    assert "COP" in result.stdout and "│ 2" in result.stdout
    credentials = isolated_home / "credentials.toml"
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
    assert TOKEN in credentials.read_text()
    assert TOKEN not in result.output
    paths = [call.request.path_url for call in alegra.calls]
    assert paths == ["/api/v1/users/self", "/api/v1/company"]


def test_connect_check_reverifies_and_a_readable_file_is_refused(alegra: Any,
                                                                 isolated_home: Path) -> None:
    assert connect(isolated_home).exit_code == 0
    assert run("connect", "--check").exit_code == 0
    (isolated_home / "credentials.toml").chmod(0o644)
    result = run("connect", "--check")
    assert result.exit_code == 78
    assert "readable by group or others (mode 0644)" in result.output
    assert "chmod 600" in result.output


def test_connect_without_a_tty_never_waits(alegra: Any) -> None:
    result = run("connect", "--user", "nomina@example.com")
    assert result.exit_code == 78
    assert "no API token given and no terminal to ask" in result.output
    assert "--token-stdin" in result.output


def test_refused_token_exits_77_without_the_token(alegra: Any) -> None:
    alegra.replace(responses.GET, f"{BASE}/users/self", status=401,
                   json={"code": 401, "message": "Unauthorized"})
    result = connect(Path())
    assert result.exit_code == 77
    assert "refused" in result.output.lower()
    assert TOKEN not in result.output
    assert "Traceback" not in result.output


def test_no_credentials_is_a_configuration_error() -> None:
    result = run("accounts")
    assert result.exit_code == 78
    assert "no credentials" in result.output and "alegra-sync connect" in result.output


def test_env_credentials_beat_the_file(alegra: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALEGRA_SYNC_USER", "cron@example.com")
    monkeypatch.setenv("ALEGRA_SYNC_TOKEN", TOKEN)
    result = run("accounts", "--json")
    assert result.exit_code == 0, result.output
    assert alegra.calls[0].request.headers["Authorization"].startswith("Basic ")


def test_accounts_table_json_search_type_and_cache(alegra: Any, isolated_home: Path) -> None:
    assert connect(isolated_home).exit_code == 0
    result = run("accounts", "--json")
    accounts = json.loads(result.stdout)
    assert len(accounts) == 93
    assert set(accounts[0]) == {"id", "idParent", "code", "name", "type", "nature", "use",
                                "status"}
    # accent- and case-insensitive search on the name
    found = json.loads(run("accounts", "--json", "--search", "PRESTAMOS").stdout)
    assert "Préstamos a terceros" in [a["name"] for a in found]
    expenses = json.loads(run("accounts", "--json", "--type", "expense").stdout)
    assert expenses and all(a["type"] == "expense" for a in expenses)
    table = run("accounts")
    assert table.exit_code == 0 and "Inversiones" in table.stdout
    categories = [c for c in alegra.calls if "/categories" in c.request.url]
    assert len(categories) == 1  # fetched once, then the cache
    assert "format=plain" in categories[0].request.url
    run("accounts", "--refresh", "--json")
    assert len([c for c in alegra.calls if "/categories" in c.request.url]) == 2


def test_accounts_tree_has_the_recorded_roots(alegra: Any, isolated_home: Path) -> None:
    connect(isolated_home)
    result = run("accounts", "--tree")
    assert result.exit_code == 0
    roots = [re.sub(r" \(\d+\)$", "", line[4:].strip()) for line in result.stdout.splitlines()
             if re.match(r"^[├└]── \S", line)]
    assert roots == ["Activos", "Egresos", "Ingresos", "Pasivos", "Patrimonio",
                     "Transferencias bancarias"]


def test_cost_centers_and_bank_accounts(alegra: Any, isolated_home: Path) -> None:
    connect(isolated_home)
    centers = json.loads(run("accounts", "--cost-centers", "--json").stdout)
    assert [(c["id"], c["name"]) for c in centers] == [("1", "administrativo")]
    banks = json.loads(run("accounts", "--bank-accounts", "--json").stdout)
    assert ("4", "Bancolombia") in [(b["id"], b["name"]) for b in banks]

