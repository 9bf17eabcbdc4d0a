"""`alegra-sync map`: the interactive mapper, --check, set/set-payable/show, against the sandbox."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from alegra_sync.cli import output as cli_output
from alegra_sync.cli.app import app
from alegra_sync.mapping.model import (
    AccountRef,
    ConceptMapping,
    Mapping,
    NitTercero,
    PaymentSettings,
    SideOverride,
    load_mapping,
    save_mapping,
)
from alegra_sync.sandbox import SandboxServer

SAMPLES = Path(__file__).parents[2] / "src" / "alegra_sync" / "samples"
SAMPLE_EXPORT = SAMPLES / "nomina_2026-11-01_2026-11-15.csv"

SMALL_EXPORT = """\
Número de documento;Nombre completo;Centro de costos;EPS;Fecha inicio;Fecha fin;Salario;\
Auxilio de transporte;Salud empleado;Cesantías;Neto a pagar
1020304050;Ana Gómez;Administración;EPS Sura;01/11/2026;15/11/2026;1.000.000;100.000;40.000;\
90.000;1.060.000
79845123;Carlos Pérez;Ventas;EPS Sura;01/11/2026;15/11/2026;2.000.000;;80.000;180.000;1.920.000
"""


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with SandboxServer() as sandbox:
        yield sandbox


@pytest.fixture
def alegra(server: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> SandboxServer:
    server.reset()
    monkeypatch.setenv("ALEGRA_SYNC_BASE_URL", server.url)
    monkeypatch.setenv("ALEGRA_SYNC_USER", server.USER)
    monkeypatch.setenv("ALEGRA_SYNC_TOKEN", server.TOKEN)
    return server


@pytest.fixture
def tty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_output, "is_interactive", lambda: True)


@pytest.fixture
def small_export(tmp_path: Path) -> Path:
    path = tmp_path / "nomina_2026-11-01_2026-11-15.csv"
    path.write_text(SMALL_EXPORT, encoding="utf-8")
    return path


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=input)


def answers(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def sample_mapping(home: Path) -> Mapping:
    """The sample mapping in ``home``, with the demo's config: the sample's employees are not
    contacts in the sandbox, and sync creates them."""
    mapping = load_mapping(SAMPLES / "mapping.toml")
    save_mapping(mapping, home / "mapping.toml")
    (home / "config.toml").write_text("[contacts]\ncreate_missing = true\n", encoding="utf-8")
    return mapping


# --- interactive map ----------------------------------------------------------------------------

SMALL_ANSWERS = answers(
    "1",                                    # payable: 250505 Salarios por pagar
    # Salario
    "sueld", "1",                           # debit: search, then 510506 Sueldos
    "p",                                    # credit: the payable account
    "",                                     # accept terceros none/employee, cost center yes,
                                            # and Ventas' salaries on 520506 Sueldos ventas
    # Auxilio de transporte
    "1", "1",                               # 510527; the payable account (first for an earning)
    "c", "", "", "n",                       # change: keep the terceros, no cost center,
    "", "",                                 # and keep the account of each cost center
    # Salud empleado
    "p", "1", "",                           # payable; 237005; accept employee/eps
    # Cesantías
    "1", "1",                               # 510530; 251010
    "c", "", "800.138.188-1", "",           # change: credit tercero a fixed NIT
    "", "",                                 # the account of each cost center: Cesantías' own
    "", "",                                 # cost centers: the names match (defaults)
    "abc", "",                              # EPS Sura: a wrong NIT, then the one in Alegra
    "",                                     # bank account: the bank first (default)
    "",                                     # let sync create the missing terceros? no
)

SMALL_MAPPING = Mapping(
    accounts={"payable": AccountRef(id="5023", name="Salarios por pagar")},
    concepts={
        "Salario": ConceptMapping(
            debit=AccountRef(id="5053", name="Sueldos"), credit="payable",
            credit_tercero="employee", cost_center=True),
        "Auxilio de transporte": ConceptMapping(
            debit=AccountRef(id="5055", name="Auxilio de transporte"), credit="payable",
            credit_tercero="employee", cost_center=False),
        "Salud empleado": ConceptMapping(
            debit="payable",
            credit=AccountRef(id="5015", name="Aportes a entidades promotoras de salud EPS"),
            debit_tercero="employee", credit_tercero="eps"),
        "Cesantías": ConceptMapping(
            debit=AccountRef(id="5056", name="Cesantías"),
            credit=AccountRef(id="5025", name="Cesantías consolidadas"),
            credit_tercero=NitTercero(nit="800138188"), cost_center=True),
    },
    cost_centers={"Administración": "1", "Ventas": "2"},
    cost_center_accounts={"Ventas": {
        "Salario": SideOverride(debit=AccountRef(id="5072", name="Sueldos ventas")),
        "Auxilio de transporte": SideOverride(
            debit=AccountRef(id="5074", name="Auxilio de transporte ventas")),
    }},
    entities={"EPS Sura": "800088702"},
    payment=PaymentSettings(bank_account="2"),
)


def test_interactive_map_from_nothing(
    alegra: SandboxServer, tty: None, small_export: Path, isolated_home: Path
) -> None:
    result = run("map", "--export", str(small_export), input=SMALL_ANSWERS)

    assert result.exit_code == 0, result.output
    assert load_mapping(isolated_home / "mapping.toml") == SMALL_MAPPING
    assert "Which account holds the net pay owed (Salarios por pagar, 2505)?" in result.output
    assert "p  the payable account (250505 Salarios por pagar)" in result.output
    assert "a NIT is digits" in result.output
    assert "NIT of EPS 'EPS Sura' [800088702]:" in result.output
    # the employees are not Alegra contacts yet: what sync would say, map --check says first
    checked = run("map", "--check", "--export", str(small_export))
    assert checked.exit_code == 78, checked.output
    assert ("error: 2 terceros are not Alegra contacts: Ana Gómez (CC 1020304050), Carlos Pérez "
            "(CC 79845123) — create them in Alegra, or set [contacts] create_missing = true in "
            "config.toml") in checked.stderr
    (isolated_home / "config.toml").write_text("[contacts]\ncreate_missing = true\n",
                                               encoding="utf-8")
    checked = run("map", "--check", "--export", str(small_export))
    assert checked.exit_code == 0, checked.output
    assert ("2 terceros are not Alegra contacts yet; sync will create them ([contacts] "
            "create_missing = true)") in checked.stderr
    assert "mapping OK: 4 concepts, 2 cost centers, bank account 2 (Bancolombia nómina)" in (
        checked.stdout)


def test_interactive_map_finds_the_newest_export_in_the_export_folder(
    alegra: SandboxServer, tty: None, isolated_home: Path
) -> None:
    folder = isolated_home / "exports"
    folder.mkdir()
    (folder / "nomina_2026-11-01_2026-11-15.csv").write_text(SMALL_EXPORT, encoding="utf-8")

    result = run("map", input=SMALL_ANSWERS)

    assert result.exit_code == 0, result.output
    assert load_mapping(isolated_home / "mapping.toml") == SMALL_MAPPING


def test_stopping_midway_keeps_every_concept_answered(
    alegra: SandboxServer, tty: None, small_export: Path, isolated_home: Path
) -> None:
    # The input ends inside the second concept, as Ctrl-C would.
    stopped = answers("1", "1", "p", "", "1")
    result = run("map", "--export", str(small_export), input=stopped)

    assert result.exit_code == 130
    assert "saved in" in result.output
    mapping = load_mapping(isolated_home / "mapping.toml")
    assert list(mapping.concepts) == ["Salario"]
    assert mapping.concepts["Salario"].debit == AccountRef(id="5053", name="Sueldos")


def test_remapping_one_concept_enter_keeps_the_current_choice(
    alegra: SandboxServer, tty: None, isolated_home: Path
) -> None:
    before = sample_mapping(isolated_home)

    result = run("map", "--export", str(SAMPLE_EXPORT), "--concept", "salario",
                 input=answers("", "", "c", "", "", "n", "", ""))

    assert result.exit_code == 0, result.output
    assert "[Enter keeps 510506 Sueldos]" in result.output
    after = load_mapping(isolated_home / "mapping.toml")
    expected = before.model_copy(deep=True)
    expected.concepts["Salario"] = ConceptMapping(
        debit=AccountRef(id="5053", name="Sueldos"), credit="payable",
        # the sample leaves the payable side's tercero implicit; the mapper writes it out
        debit_tercero="employee", credit_tercero="employee", cost_center=False)
    assert after == expected


def test_map_without_a_terminal_fails_fast_with_the_hint() -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    # stdin stays open and silent: a prompt would hang until the timeout.
    process = subprocess.run(
        [sys.executable, "-m", "alegra_sync", "map"], stdin=subprocess.PIPE,
        capture_output=True, text=True, env=env, timeout=30,
    )

    assert process.returncode == 2
    assert "run it in a terminal, or use `alegra-sync map set` / `map --check`" in (
        process.stderr)


# --- map --check ------------------------------------------------------------------------------


def test_check_sample_export_and_mapping_is_ok(alegra: SandboxServer, isolated_home: Path) -> None:
    sample_mapping(isolated_home)

    result = run("map", "--check", "--export", str(SAMPLE_EXPORT))

    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == (
        "mapping OK: 18 concepts, 2 cost centers, bank account 2 (Bancolombia nómina)")
    assert "warning" not in result.output


def test_check_unmapped_concept_exits_65_naming_it(
    alegra: SandboxServer, isolated_home: Path
) -> None:
    mapping = sample_mapping(isolated_home)
    del mapping.concepts["Libranza"]
    save_mapping(mapping, isolated_home / "mapping.toml")

    result = run("map", "--check", "--export", str(SAMPLE_EXPORT))

    assert result.exit_code == 65
    assert "✗ concept 'Libranza' is not in the mapping (employee 79845123)" in result.stderr
    # the files named: with -q (cron) the error line is all there is
    assert (f"error: the mapping {isolated_home / 'mapping.toml'} does not cover the export "
            f"{SAMPLE_EXPORT}: 1 problem, listed above") in result.stderr


@pytest.mark.parametrize(
    ("account_id", "problem"),
    [
        ("5066", "account 5066 'Otros gastos de personal (inactiva)' (Salario debit) is inactive"),
        ("5052", "account 5052 'Gastos de personal administración' (Salario debit) cannot take "
                 "postings (it is a group)"),
        ("9999", "account 9999 (Salario debit) does not exist in Alegra"),
    ],
)
def test_check_unusable_account_exits_78(
    alegra: SandboxServer, isolated_home: Path, account_id: str, problem: str
) -> None:
    mapping = sample_mapping(isolated_home)
    mapping.concepts["Salario"].debit = AccountRef(id=account_id)
    save_mapping(mapping, isolated_home / "mapping.toml")

    result = run("map", "--check", "--export", str(SAMPLE_EXPORT))

    assert result.exit_code == 78
    assert f"✗ {problem}" in result.stderr
    assert (f"error: the mapping {isolated_home / 'mapping.toml'} names 1 thing Alegra lacks "
            "or cannot use, listed above") in result.stderr


@pytest.mark.parametrize(
    ("bank", "problem"),
    [(None, "[payment] has no bank_account for the egreso"),
     ("77", "bank account 77 ([payment]) does not exist or is inactive")],
)
def test_check_missing_bank_account_exits_78(
    alegra: SandboxServer, isolated_home: Path, bank: str | None, problem: str
) -> None:
    mapping = sample_mapping(isolated_home)
    mapping.payment.bank_account = bank
    save_mapping(mapping, isolated_home / "mapping.toml")

    result = run("map", "--check", "--export", str(SAMPLE_EXPORT))

    assert result.exit_code == 78
    assert f"✗ {problem}" in result.stderr


def test_check_data_problems_come_first(alegra: SandboxServer, isolated_home: Path) -> None:
    mapping = sample_mapping(isolated_home)
    del mapping.concepts["Libranza"]
    mapping.payment.bank_account = None
    save_mapping(mapping, isolated_home / "mapping.toml")

    result = run("map", "--check", "--export", str(SAMPLE_EXPORT))

    assert result.exit_code == 65
    assert "2 problems, listed above" in result.stderr


def test_check_name_mismatch_is_only_a_warning(
    alegra: SandboxServer, isolated_home: Path
) -> None:
    mapping = sample_mapping(isolated_home)
    mapping.concepts["Salario"].debit = AccountRef(id="5053", name="Salario básico")
    save_mapping(mapping, isolated_home / "mapping.toml")

    result = run("map", "--check", "--export", str(SAMPLE_EXPORT))

    assert result.exit_code == 0, result.output
    assert ("warning: account 5053 is called 'Sueldos' in Alegra, not 'Salario básico' as the "
            "mapping says (the id decides)") in result.stderr


# --- map set / set-payable / show --------------------------------------------------------------


@pytest.mark.parametrize("debit", ["5072", "520506", "SUELDOS VENTAS", "code:520506", "id:5072"])
def test_set_finds_the_account_by_id_code_or_exact_name(
    alegra: SandboxServer, isolated_home: Path, debit: str
) -> None:
    assert run("map", "set-payable", "250505").exit_code == 0

    result = run("map", "set", "Bonificación", "--debit", debit, "--credit", "payable")

    assert result.exit_code == 0, result.output
    mapping = load_mapping(isolated_home / "mapping.toml")
    assert mapping.accounts["payable"] == AccountRef(id="5023", name="Salarios por pagar")
    assert mapping.concepts["Bonificación"] == ConceptMapping(
        debit=AccountRef(id="5072", name="Sueldos ventas"), credit="payable",
        credit_tercero="employee", cost_center=True)


def test_set_accents_ignored_and_tercero_options(
    alegra: SandboxServer, isolated_home: Path
) -> None:
    sample_mapping(isolated_home)

    result = run("map", "set", "ARL", "--debit", "aportes a administradoras de riesgos laborales"
                 " arl", "--credit", "code:237006", "--credit-tercero", "nit:860.011.153",
                 "--no-cost-center")

    assert result.exit_code == 78  # the name is both 237006 and 510568
    assert "names 2 accounts" in result.stderr
    result = run("map", "set", "ARL", "--debit", "510568", "--credit", "code:237006",
                 "--credit-tercero", "nit:860.011.153", "--no-cost-center")
    assert result.exit_code == 0, result.output
    result = run("map", "set", "Prima", "--credit", "PRIMA DE SERVICIOS", "--debit", "510536")
    assert result.exit_code == 78
    result = run("map", "set", "Cesantías", "--credit", "cesantias consolidadas")
    assert result.exit_code == 0, result.output
    mapping = load_mapping(isolated_home / "mapping.toml")
    assert mapping.concepts["ARL"] == ConceptMapping(
        debit=AccountRef(id="5060", name="Aportes a administradoras de riesgos laborales ARL"),
        credit=AccountRef(id="5016", name="Aportes a administradoras de riesgos laborales ARL"),
        credit_tercero=NitTercero(nit="860011153"), cost_center=False)
    assert mapping.concepts["Cesantías"].credit == AccountRef(
        id="5025", name="Cesantías consolidadas")


@pytest.mark.parametrize(
    ("debit", "message"),
    [
        ("Intereses sobre cesantías", "'Intereses sobre cesantías' names 3 accounts: 2515 "
         "Intereses sobre cesantías (id 5026), 251505 Intereses sobre cesantías (id 5027), "
         "510533 Intereses sobre cesantías (id 5057)"),
        ("Nómina fantasma", "no Alegra account has id, code or name 'Nómina fantasma'"),
        ("5066", "account 510595 Otros gastos de personal (inactiva) (id 5066) is inactive"),
        ("5105", "account 5105 Gastos de personal administración (id 5052) is a group and "
                 "cannot take postings"),
        ("payable", "the mapping has no payable account yet"),
    ],
)
def test_set_refuses_ambiguous_unknown_or_unusable_accounts(
    alegra: SandboxServer, isolated_home: Path, debit: str, message: str
) -> None:
    result = run("map", "set", "Salario", "--debit", debit, "--credit", "5023")

    assert result.exit_code == 78
    assert message in result.stderr
    assert not (isolated_home / "mapping.toml").exists()


def test_set_new_concept_needs_both_sides(alegra: SandboxServer, isolated_home: Path) -> None:
    result = run("map", "set", "Salario", "--debit", "510506")

    assert result.exit_code == 78
    assert "concept 'Salario' is new: give both --debit and --credit" in result.stderr


def test_show_prints_the_mapping(isolated_home: Path) -> None:
    sample_mapping(isolated_home)

    table = run("map", "show")
    text = run("map", "show", "--toml")

    assert table.exit_code == 0, table.output
    assert "│ 1  │ Salario " in table.stdout
    assert "payable account: Salarios por pagar (id 5023)" in table.stdout
    assert text.exit_code == 0
    assert load_mapping(SAMPLES / "mapping.toml") == Mapping.model_validate(
        __import__("tomllib").loads(text.stdout))


def test_show_without_a_mapping_says_how_to_make_one() -> None:
    result = run("map", "show")

    assert result.exit_code == 78
    assert "no mapping file — run `alegra-sync map` to create one" in result.stderr


def test_check_names_a_fixed_tercero_that_is_no_contact(
    alegra: SandboxServer, isolated_home: Path
) -> None:
    mapping = sample_mapping(isolated_home)
    (isolated_home / "config.toml").write_text("", encoding="utf-8")  # create_missing = false
    mapping.concepts["SENA"].credit_tercero = NitTercero(nit="123")
    save_mapping(mapping, isolated_home / "mapping.toml")
    result = run("map", "--check")  # no export: the mapping's own terceros
    assert result.exit_code == 78, result.output
    assert result.stderr.endswith(
        "error: 1 tercero is not an Alegra contact: SENA (NIT 123) — create them in Alegra, or "
        "set [contacts] create_missing = true in config.toml\n")
    assert alegra.store.dump()["requests"].get("POST", 0) == 0
