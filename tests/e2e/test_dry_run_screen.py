"""The simulation as a contadora reads it on a laptop: at 80, 100 and 160 columns every amount,
account code and period name is whole, the cost center is shown, the summary by account and
cost center comes first and `--detail` (or `-v`) adds every line by tercero.

The figures are the plan's, built here from the sample export and mapping as sync builds them.
"""

from __future__ import annotations

import shutil
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from alegra_sync.cli.output import money
from alegra_sync.config import Settings
from alegra_sync.payroll.export import read_export
from alegra_sync.payroll.options import export_options
from alegra_sync.sandbox import SandboxServer
from alegra_sync.vouchers.build import build_vouchers
from alegra_sync.vouchers.model import VoucherOptions, VoucherPlan
from e2e.helpers import SAMPLES, cli
from vouchers.helpers import CHART, NOV, sample

EXPORT = "nomina_2026-11-01_2026-11-15.csv"
WIDTHS = [80, 100, 160]
CENTERS = {"1": "Administración", "2": "Ventas"}


def plan() -> VoucherPlan:
    export = read_export(SAMPLES / EXPORT, export_options(Settings()))
    return build_vouchers(export, sample(), CHART, NOV, VoucherOptions())


def code(account_id: str) -> str:
    return CHART[account_id].code or ""


def cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.split("│")[1:-1]]


def table_rows(screen: str, title: str) -> list[list[str]]:
    """The body rows of the table under ``title`` (footer excluded), one per screen line."""
    lines = screen.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    rows: list[list[str]] = []
    for line in lines[start + 1:]:
        if line.startswith(("├", "└")):
            break
        if line.startswith("│"):
            rows.append(cells(line))
    return rows


def footer(screen: str, title: str) -> list[str]:
    lines = screen.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    ruled = next(i for i in range(start, len(lines)) if lines[i].startswith("├"))
    return cells(lines[ruled + 1])


def amount(value: Decimal) -> str:
    return money(value) if value else ""


@pytest.fixture
def sample_home(home: Path) -> Path:
    shutil.copy(SAMPLES / EXPORT, home / "exports" / EXPORT)
    return home


def dry_run(monkeypatch: pytest.MonkeyPatch, width: int, *args: str) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    result = cli(*args)
    assert result.exit_code == 0, result.output
    for line in result.stdout.splitlines():
        assert len(line) <= width, f"wider than {width} columns: {line!r}"
    return result.stdout


@pytest.mark.parametrize("width", WIDTHS)
def test_the_summary_by_account_and_cost_center_is_whole_at_any_width(
    sample_home: Path, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    expected = plan()
    screen = dry_run(monkeypatch, width, "sync", "--period", "2026-11-01", "--dry-run")

    assert screen.startswith("Dry run of the period 2026-11-01 (Nov 1–15, 2026): nothing is "
                             "posted.\n")
    title = "Summary by account and cost center — comprobante 2026-11-01/J1 (2026-11-15)"
    sums: Counter[tuple[str, str, str, str]] = Counter()
    by_key: dict[tuple[str, str | None], list[Decimal]] = {}
    for line in expected.journals[0].lines:
        debit, credit = by_key.setdefault((line.account_id, line.cost_center_id),
                                          [Decimal(0), Decimal(0)])
        by_key[(line.account_id, line.cost_center_id)] = [debit + line.debit,
                                                          credit + line.credit]
    for (account, center), (debit, credit) in by_key.items():
        sums[(code(account), CENTERS.get(center or "", ""), amount(debit), amount(credit))] += 1
    shown = Counter((row[0], row[2], row[3], row[4]) for row in table_rows(screen, title)
                    if row[0])
    assert shown == sums
    assert footer(screen, title) == ["", "Totals", "", "19.269.687", "19.269.687"]
    assert money(expected.debit_total) == "19.269.687"
    assert "…" not in "".join(row[0] + row[3] + row[4] for row in table_rows(screen, title))
    # the egreso, and what sync would do
    assert [row for row in table_rows(screen, "Egreso: the net pay leaves the bank")] == [
        ["2026-11-01/P1", "2026-11-13", "Bancolombia nómina", "4", "10.722.755"]]
    assert screen.endswith("What sync would do in Alegra:\n  post 2026-11-01/J1\n"
                           "  post 2026-11-01/P1\n")
    assert "every line" not in screen  # the detail only on demand


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("flag", [("sync", "--detail"), ("-v", "sync"), ("sync", "-v")])
def test_the_detail_shows_every_line_whole(
    sample_home: Path, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch, width: int,
    flag: tuple[str, str],
) -> None:
    expected = plan()
    args = [*flag, "--period", "2026-11-01", "--dry-run"]
    screen = dry_run(monkeypatch, width, *args)

    title = "Comprobante 2026-11-01/J1 (2026-11-15): every line"
    rows = table_rows(screen, title)
    lines = Counter((amount(line.debit), amount(line.credit))
                    for line in expected.journals[0].lines)
    assert Counter((row[3], row[4]) for row in rows if row[3] or row[4]) == lines
    codes = {code(line.account_id) for line in expected.journals[0].lines}
    assert {row[0] for row in rows if row[0]} == codes
    assert footer(screen, title)[-2:] == ["19.269.687", "19.269.687"]
    assert screen.index("Summary by account and cost center") < screen.index(title)


def test_the_summary_in_spanish_at_80_columns(
    sample_home: Path, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen = dry_run(monkeypatch, 80, "--lang", "es", "sync", "--period", "2026-11-01",
                     "--dry-run")
    assert screen.startswith("Simulación del periodo 2026-11-01 (1–15 nov 2026): no se "
                             "contabiliza nada.\n")
    title = "Resumen por cuenta y centro de costos — comprobante 2026-11-01/J1 (2026-11-15)"
    assert footer(screen, title) == ["", "Totales", "", "19.269.687", "19.269.687"]
    assert ["510506", "Sueldos", "Administración", "9.875.453", ""] in table_rows(screen, title)
    assert ["520506", "Sueldos ventas", "Ventas", "2.800.000", ""] in table_rows(screen, title)
    assert "Lo que sync haría en Alegra:\n  contabilizar 2026-11-01/J1\n" in screen


@pytest.mark.parametrize("width", [80, 160])
def test_status_never_cuts_a_period(
    sample_home: Path, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    assert cli("sync", "--period", "2026-11-01").exit_code == 0
    monkeypatch.setenv("COLUMNS", str(width))
    screen = cli("status").stdout
    rows = table_rows(screen, "Periods in the local state")
    assert [row[:3] for row in rows] == [["2026-11-01", "posted", "J1 comprobante"],
                                         ["", "", "P1 egreso"]]
    assert all(len(line) <= width for line in screen.splitlines())
