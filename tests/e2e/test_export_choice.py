"""Which export a sync reads, and whom a wrong one blames: `--export FILE` alone takes the
file's period, two files for one period are refused naming both, and a wrong Neto a pagar
names the employee before the totals row (the real command against the sandbox)."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from alegra_sync.sandbox import SandboxServer
from e2e.helpers import EMPLOYEE_COLUMNS, amount, cli, net_pay, sync_json, write_export
from e2e.test_sync import ANA, BRUNO, NOV1, NOV15


def journal_keys(sandbox: SandboxServer) -> list[str]:
    return sorted(j["reference"].split()[1] for j in sandbox.store.dump()["journals"])


def test_export_alone_takes_the_period_from_the_file(home: Path, sandbox: SandboxServer,
                                                     tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALEGRA_SYNC_TODAY", "2026-12-01")  # the period due is Nov 16–30
    written = write_export(home, NOV1, NOV15, [ANA, BRUNO])
    elsewhere = shutil.move(written, tmp_path / written.name)
    code, result = sync_json("--export", str(elsewhere))
    assert code == 0, result
    assert [(p["period"], p["outcome"]) for p in result["periods"]] == [
        ("2026-11-01", "posted")]
    assert journal_keys(sandbox) == ["2026-11-01/J1"]

    undated = tmp_path / "nomina.csv"  # no dates in its name, no period columns
    shutil.copy(elsewhere, undated)
    refused = cli("sync", "--export", str(undated))
    assert refused.exit_code == 2
    assert refused.stderr == (
        "error: nomina.csv names no period: it has no period columns and no dates in its name "
        "— say which with --period YYYY-MM-DD (the period's first day)\n")
    assert journal_keys(sandbox) == ["2026-11-01/J1"]


def test_two_exports_for_one_period_are_refused_naming_both(home: Path,
                                                            sandbox: SandboxServer) -> None:
    first = write_export(home, NOV1, NOV15, [ANA, BRUNO])
    second = first.with_name("nomina_2026-11-01_2026-11-15 (1).csv")  # a second download
    shutil.copy(first, second)
    code, result = sync_json("--period", "2026-11-01")
    assert code == 65
    assert result["periods"][0]["error"] == {"code": 65, "message": (
        f"2 exports for 2026-11-01–2026-11-15 in {home / 'exports'}: {second.name}, "
        f"{first.name} (keep only the final one in the folder, or name it with --export)")}
    assert journal_keys(sandbox) == []
    code, named = sync_json("--period", "2026-11-01", "--export", str(second))
    assert (code, journal_keys(sandbox)) == (0, ["2026-11-01/J1"])


def with_totals_row(path: Path, ana_neto: Decimal, total_neto: Decimal) -> None:
    """Ana's Neto a pagar as given, and a final totals row with every column's true sum but
    the Neto a pagar total given."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(";")
    rows = [line.split(";") for line in lines[1:]]
    rows[0][-1] = str(ana_neto)
    totals = ["Total", *[""] * (len(EMPLOYEE_COLUMNS) - 1)]
    for index in range(len(EMPLOYEE_COLUMNS), len(header) - 1):
        totals.append(str(sum((amount(row[index] or 0) for row in rows), Decimal(0))))
    totals.append(str(total_neto))
    path.write_text("\n".join(";".join(row) for row in [header, *rows, totals]) + "\n",
                    encoding="utf-8")


def test_a_wrong_neto_names_the_employee_not_the_untouched_totals_row(
        home: Path, sandbox: SandboxServer) -> None:
    export = write_export(home, NOV1, NOV15, [ANA, BRUNO])
    right = net_pay(ANA) + net_pay(BRUNO)
    with_totals_row(export, net_pay(ANA) + 100000, right)  # a typo in Ana's Neto only
    code, result = sync_json("--period", "2026-11-01", "--dry-run")
    assert code == 65
    assert result["periods"][0]["error"]["message"] == (
        f"{export.name}, row 2: employee 1001 (Ana Gómez): Neto a pagar 2.040.000 but the "
        "mapping computes 1.940.000: a difference of 100.000, more than [journal] "
        "rounding_tolerance = 1 (check the export or the mapping of its devengos and "
        "deducciones)")


def test_a_wrong_totals_row_is_still_blamed_on_the_totals_row(home: Path,
                                                              sandbox: SandboxServer) -> None:
    export = write_export(home, NOV1, NOV15, [ANA, BRUNO])
    right = net_pay(ANA) + net_pay(BRUNO)
    with_totals_row(export, net_pay(ANA), right + 1)  # every employee right, the total not
    code, result = sync_json("--period", "2026-11-01", "--dry-run")
    assert code == 65
    assert result["periods"][0]["error"]["message"] == (
        f"{export.name}, row 4, column 'Neto a pagar', value '{right + 1}': the totals row says "
        f"{right + 1} but the employee rows add up to {right}")
    assert journal_keys(sandbox) == []


def test_accounts_take_alegras_type_names_in_spanish_and_english(home: Path,
                                                                 sandbox: SandboxServer) -> None:
    expense = cli("accounts", "--type", "expense", "--json")
    assert expense.exit_code == 0
    codes = [a["code"] for a in json.loads(expense.stdout)]
    assert codes and "510506" in codes
    for name in ("gasto", "Gastos", "EXPENSE"):
        same = cli("accounts", "--type", name, "--json")
        assert (same.exit_code, same.stdout) == (0, expense.stdout), name
    liability = cli("accounts", "--type", "pasivo", "--search", "salarios por pagar", "--json")
    assert [a["code"] for a in json.loads(liability.stdout)] == ["250505", "2505"]

    unknown = cli("accounts", "--type", "gastoz")
    assert unknown.exit_code == 2
    assert unknown.stderr == (
        "error: --type gastoz: no such account type — the chart has: asset (activo), "
        "liability (pasivo), equity (patrimonio), income (ingreso), expense (gasto)\n")
