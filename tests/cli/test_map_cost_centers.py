"""`map set --for-cost-center` fills `[cost_center_accounts]` (Ventas' salaries to 5205…),
`map show` shows it, and sync posts Ventas' employees to it, against the sandbox."""

from __future__ import annotations

from pathlib import Path

from alegra_sync.mapping.model import AccountRef, SideOverride, load_mapping
from alegra_sync.sandbox import SandboxServer
from e2e.helpers import cli, entries, sync_json, write_export
from e2e.test_sync import ANA, BRUNO, NOV1, NOV15


def mapped_salario(home: Path) -> None:
    assert cli("map", "set-payable", "250505").exit_code == 0
    for concept, debit in (("Salario", "510506"), ("Horas extras", "510515"),
                           ("Auxilio de transporte", "510527")):
        result = cli("map", "set", concept, "--debit", debit, "--credit", "payable")
        assert result.exit_code == 0, result.output


def test_set_for_a_cost_center_then_show_then_clear(
    sandbox: SandboxServer, isolated_home: Path
) -> None:
    mapped_salario(isolated_home)

    result = cli("map", "set", "Salario", "--for-cost-center", "Ventas", "--debit", "520506")

    assert result.exit_code == 0, result.output
    assert ("✓ Salario for the cost center Ventas: debit 520506 Sueldos ventas, credit 250505 "
            "Salarios por pagar (saved ") in result.stderr
    mapping = load_mapping(isolated_home / "mapping.toml")
    assert mapping.cost_center_accounts == {
        "Ventas": {"Salario": SideOverride(debit=AccountRef(id="5072", name="Sueldos ventas"))}}
    assert mapping.concepts["Salario"].debit == AccountRef(id="5053", name="Sueldos")

    shown = cli("map", "show")
    assert shown.exit_code == 0, shown.output
    assert "Accounts per cost center (instead of the concept's)" in shown.stdout
    assert ("│ Ventas      │ Salario │ Sueldos ventas │ (the concept's: Salarios por pagar) │"
            in shown.stdout)

    cleared = cli("map", "set", "Salario", "--for-cost-center", "Ventas", "--clear")
    assert cleared.exit_code == 0, cleared.output
    assert load_mapping(isolated_home / "mapping.toml").cost_center_accounts == {}
    assert "Accounts per cost center" not in cli("map", "show").stdout


def test_set_for_a_cost_center_takes_only_accounts(
    sandbox: SandboxServer, isolated_home: Path
) -> None:
    mapped_salario(isolated_home)
    before = (isolated_home / "mapping.toml").read_text(encoding="utf-8")

    for args, message in (
        (["--for-cost-center", "Ventas", "--credit-tercero", "none"],
         "with --for-cost-center only --debit, --credit or --clear apply"),
        (["--clear"], "--clear goes with --for-cost-center"),
    ):
        result = cli("map", "set", "Salario", *args)
        assert result.exit_code == 2, result.output
        assert message in result.output
    result = cli("map", "set", "Prima", "--for-cost-center", "Ventas", "--debit", "520506")
    assert result.exit_code == 78
    assert "concept 'Prima' is not mapped yet" in result.stderr
    assert (isolated_home / "mapping.toml").read_text(encoding="utf-8") == before


def test_sync_posts_the_cost_centers_account(home: Path, sandbox: SandboxServer) -> None:
    """The sample mapping without its [cost_center_accounts], given back with map set."""
    mapping = home / "mapping.toml"
    text = mapping.read_text(encoding="utf-8")
    mapping.write_text(text[:text.index('[cost_center_accounts."Ventas"]')]
                       + text[text.index("[entities]"):], encoding="utf-8")
    result = cli("map", "set", "Salario", "--for-cost-center", "Ventas", "--debit", "520506")
    assert result.exit_code == 0, result.output
    write_export(home, NOV1, NOV15, [ANA, BRUNO])

    assert sync_json("--period", "2026-11-01")[0] == 0

    (journal,) = sandbox.store.dump()["journals"]
    lines = entries(journal)
    assert ("5072", 1500000, 0, "1002", "2") in lines  # Bruno (Ventas): Sueldos ventas
    assert ("5053", 2000000, 0, "1001", "1") in lines  # Ana (Administración): Sueldos
    assert ("5054", 50000, 0, "1002", "2") in lines  # his extras: no override, 510515
