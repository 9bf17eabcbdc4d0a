"""Interactive `map` in a real terminal (tmux), as a contadora meets it, against the sandbox:
an exact code picks the account, `?` shows the keys, the payable is the first suggestion for
an earning's credit and a deduction's debit, Ventas' salaries get Ventas' account, `q` stops
keeping what was answered, the end checks the contacts and sets `create_missing` in
config.toml (keeping its comments), and a fully mapped `map` says nothing changed.

The test waits for each prompt by reading the screen (capture-pane) until it shows, with a
generous deadline: never a fixed sleep, so a busy machine only makes it slower.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from alegra_sync.mapping.model import (
    AccountRef,
    ConceptMapping,
    Mapping,
    PaymentSettings,
    SideOverride,
    load_mapping,
)
from alegra_sync.sandbox import SandboxServer

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None,
                                reason="tmux is not installed (.ci/run installs it)")

DEADLINE = 90.0  # seconds a prompt may take to show on a busy machine
EXPORT = """\
Número de documento;Nombre completo;Centro de costos;EPS;Fecha inicio;Fecha fin;Salario;\
Auxilio de transporte;Salud empleado;Cesantías;Neto a pagar
1020304050;Ana Gómez;Administración;EPS Sura;01/11/2026;15/11/2026;1.000.000;100.000;40.000;\
90.000;1.060.000
79845123;Carlos Pérez;Ventas;EPS Sura;01/11/2026;15/11/2026;2.000.000;;80.000;180.000;1.920.000
"""
CONFIG = """\
# The office's settings: alegra-sync map may add to this file, never remove.
[sync]
start = 2026-01-01  # backfills start here
"""
PAYABLE = AccountRef(id="5023", name="Salarios por pagar")
SALARIO = ConceptMapping(debit=AccountRef(id="5053", name="Sueldos"), credit="payable",
                         credit_tercero="employee", cost_center=True)


class Terminal:
    """A tmux server of this test's own (its socket in the test's folder) running one command
    at a time in a 100×50 terminal."""

    def __init__(self, folder: Path, environment: dict[str, str]) -> None:
        self.folder = folder
        self.socket = folder / "tmux.sock"
        self.environment = environment
        self.position = 0
        self.runs = 0

    def tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-S", str(self.socket), "-f", "/dev/null", *args],
                              capture_output=True, text=True, timeout=60, check=True)
        return done.stdout

    def run(self, command: str) -> None:
        """Start ``command`` in a new session; the pane stays after it ends, with its code."""
        self.runs += 1
        script = self.folder / f"run{self.runs}.sh"
        exports = "".join(f"export {k}={shlex.quote(v)}\n" for k, v in self.environment.items())
        script.write_text(
            "unset COLUMNS LINES\n" + exports + f"{command}\n"
            'printf "[exit %s]\\n" "$?"\nexec sleep 3600\n', encoding="utf-8")
        if self.runs > 1:
            self.tmux("kill-session", "-t", "map")
        self.tmux("new-session", "-d", "-s", "map", "-x", "100", "-y", "50",
                  f"sh {shlex.quote(str(script))}")
        self.position = 0

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "map")

    def expect(self, text: str) -> str:
        """Wait until ``text`` shows after what was already seen; the screen up to there."""
        deadline = time.monotonic() + DEADLINE
        while True:
            screen = self.screen()
            found = screen.find(text, self.position)
            if found >= 0:
                self.position = found + len(text)
                return screen[:self.position]
            if time.monotonic() > deadline:
                raise AssertionError(f"waited {DEADLINE:g} s for {text!r}; the terminal "
                                     f"shows:\n{screen[-4000:]}")
            time.sleep(0.05)  # polling the screen, not waiting for the program

    def answer(self, prompt: str, keys: str) -> str:
        """Wait for ``prompt``, then type ``keys`` and Enter."""
        shown = self.expect(prompt)
        if keys:
            self.tmux("send-keys", "-t", "map", "-l", keys)
        self.tmux("send-keys", "-t", "map", "Enter")
        return shown

    def close(self) -> None:
        if self.socket.exists():
            subprocess.run(["tmux", "-S", str(self.socket), "kill-server"],
                           capture_output=True, timeout=60, check=False)


@pytest.fixture
def terminal(tmp_path: Path, isolated_home: Path, sandbox: SandboxServer) -> Iterator[Terminal]:
    folder = tmp_path / "terminal"
    folder.mkdir()
    (isolated_home / "exports").mkdir()
    (isolated_home / "exports" / "nomina_2026-11-01_2026-11-15.csv").write_text(
        EXPORT, encoding="utf-8")
    (isolated_home / "config.toml").write_text(CONFIG, encoding="utf-8")
    bin_folder = str(Path(sys.executable).parent)
    environment = {
        "PATH": f"{bin_folder}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "ALEGRA_SYNC_HOME": str(isolated_home), "ALEGRA_SYNC_BASE_URL": sandbox.url,
        "ALEGRA_SYNC_USER": sandbox.USER, "ALEGRA_SYNC_TOKEN": sandbox.TOKEN,
        "NO_COLOR": "1", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "HOME": str(folder),
    }
    shown = Terminal(folder, environment)
    try:
        yield shown
    finally:
        shown.close()


PICK = "? keys: "


def test_map_in_a_real_terminal(terminal: Terminal, isolated_home: Path) -> None:
    mapping_file = isolated_home / "mapping.toml"
    terminal.run("alegra-sync map")

    # the payable account: ? shows the keys, an exact code picks the account
    terminal.expect("Which account holds the net pay owed (Salarios por pagar, 2505)?")
    terminal.answer(PICK, "?")
    terminal.expect("Keys: a number picks from the list; p the payable account; an account's "
                    "code (510506) picks that account;")
    terminal.answer(PICK, "250505")
    terminal.expect("→ 250505 Salarios por pagar")
    # Salario: debit by code, credit: the payable is the first suggestion
    terminal.expect("Salario  (1 of 4)")
    terminal.answer(PICK, "510506")
    terminal.expect("→ 510506 Sueldos")
    terminal.expect("Salario — credit account (crédito)")
    shown = terminal.answer(PICK, "1")
    assert shown.rsplit("suggestions:", 1)[1].splitlines()[1].split() == [
        "1", "250505", "Salarios", "por", "pagar", "liability"]
    terminal.expect("terceros: debit none, credit employee; cost center on the P&L line: yes")
    terminal.expect("debit for the cost center Ventas: 520506 Sueldos ventas")
    terminal.answer("Enter accepts, c changes them:", "")
    terminal.expect("✓ saved debit 510506 Sueldos (tercero none); credit 250505 Salarios por "
                    "pagar (tercero employee); cost center on P&L lines")
    # q stops here: Salario is saved, the rest is asked next time
    terminal.expect("Auxilio de transporte  (2 of 4)")
    terminal.answer(PICK, "q")
    terminal.expect("stopped here: every concept answered so far is saved in "
                    f"{mapping_file}; `alegra-sync map` asks about the rest")
    terminal.expect("[exit 0]")
    mapping = load_mapping(mapping_file)
    assert mapping.accounts == {"payable": PAYABLE}
    assert mapping.concepts == {"Salario": SALARIO}
    assert mapping.cost_center_accounts == {
        "Ventas": {"Salario": SideOverride(debit=AccountRef(id="5072", name="Sueldos ventas"))}}

    # the rest, then the contacts check offers create_missing
    terminal.run("alegra-sync map")
    terminal.expect("Auxilio de transporte  (1 of 3)")
    terminal.answer(PICK, "1")                                   # 510527
    terminal.expect("Auxilio de transporte — credit account (crédito)")
    terminal.answer(PICK, "1")                                   # the payable, first
    terminal.expect("debit for the cost center Ventas: 520527 Auxilio de transporte ventas")
    terminal.answer("Enter accepts, c changes them:", "")
    terminal.expect("Salud empleado  (2 of 3)")
    shown = terminal.answer(PICK, "1")                           # the payable, first
    assert shown.rsplit("suggestions:", 1)[1].splitlines()[1].split()[:2] == ["1", "250505"]
    terminal.expect("Salud empleado — credit account (crédito)")
    terminal.answer(PICK, "1")                                   # 237005
    terminal.expect("terceros: debit employee, credit eps")
    terminal.answer("Enter accepts, c changes them:", "")
    terminal.expect("Cesantías  (3 of 3)")
    terminal.answer(PICK, "1")                                   # 510530
    terminal.expect("Cesantías — credit account (crédito)")
    terminal.answer(PICK, "1")                                   # 251010
    terminal.answer("Enter accepts, c changes them:", "")
    terminal.answer("export's 'Administración' is Alegra's number (or shares: 1=60 2=40) [1]:", "")
    terminal.answer("export's 'Ventas' is Alegra's number (or shares: 1=60 2=40) [2]:", "")
    terminal.answer("NIT of EPS 'EPS Sura' [800088702]:", "")
    terminal.answer("bank account [1]:", "")
    terminal.expect("mapping saved in")
    terminal.expect("The check of `alegra-sync map --check`")
    terminal.expect("2 terceros are not Alegra contacts: Ana Gómez (CC 1020304050), Carlos "
                    "Pérez (CC 79845123)")
    terminal.answer("Let sync create them in Alegra? (sets [contacts] create_missing = true in "
                    f"{isolated_home / 'config.toml'}) [y/N]:", "y")
    terminal.expect("[contacts] create_missing = true is set in")
    terminal.expect("[exit 0]")
    assert load_mapping(mapping_file) == Mapping(
        accounts={"payable": PAYABLE},
        concepts={
            "Salario": SALARIO,
            "Auxilio de transporte": ConceptMapping(
                debit=AccountRef(id="5055", name="Auxilio de transporte"), credit="payable",
                credit_tercero="employee", cost_center=True),
            "Salud empleado": ConceptMapping(
                debit="payable",
                credit=AccountRef(id="5015", name="Aportes a entidades promotoras de salud EPS"),
                debit_tercero="employee", credit_tercero="eps"),
            "Cesantías": ConceptMapping(
                debit=AccountRef(id="5056", name="Cesantías"),
                credit=AccountRef(id="5025", name="Cesantías consolidadas"),
                credit_tercero="employee", cost_center=True),
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
    assert (isolated_home / "config.toml").read_text(encoding="utf-8") == (
        CONFIG + "\n[contacts]\ncreate_missing = true\n")

    # fully mapped: nothing to ask, nothing changed
    written = mapping_file.read_bytes()
    terminal.run("alegra-sync map")
    terminal.expect("nothing changed: every concept of the export is mapped, and "
                    f"{mapping_file} is as it was")
    terminal.expect("2 terceros are not Alegra contacts yet; sync will create them")
    screen = terminal.expect("[exit 0]")
    assert "? at any question" not in screen
    assert mapping_file.read_bytes() == written


def test_map_without_a_mapping_unanswered_is_stopped_by_q_at_once(
    terminal: Terminal, isolated_home: Path
) -> None:
    terminal.run("alegra-sync map")
    terminal.answer(PICK, "q")
    terminal.expect("stopped here:")
    terminal.expect("[exit 0]")
    assert not (isolated_home / "mapping.toml").exists()


def test_map_in_a_real_terminal_in_spanish(terminal: Terminal, isolated_home: Path) -> None:
    """The same questions in Spanish (--lang es beats the terminal's C locale), answered the
    same way: what is saved does not depend on the language."""
    mapping_file = isolated_home / "mapping.toml"
    pick = "? teclas: "
    terminal.run("alegra-sync --lang es map")
    terminal.expect("4 conceptos de nómina, ninguno parametrizado aún: Salario, Auxilio de "
                    "transporte, Salud empleado, Cesantías")
    terminal.expect("(? en cualquier pregunta muestra las teclas; q termina y conserva lo "
                    "respondido)")
    terminal.expect("¿En qué cuenta queda el neto a pagar (Salarios por pagar, 2505)?")
    terminal.answer("número, código, o texto para buscar, ? teclas: ", "?")
    terminal.expect("Teclas: un número elige de la lista; p elige la cuenta de salarios por pagar;")
    terminal.answer(pick, "250505")
    terminal.expect("→ 250505 Salarios por pagar")
    terminal.expect("Salario  (1 de 4)")
    terminal.expect("Salario — cuenta débito")
    terminal.answer("número, p, código, o texto para buscar, s para saltar, ? teclas: ",
                    "510506")
    terminal.expect("Salario — cuenta crédito (contrapartida)")
    terminal.answer(pick, "1")
    terminal.expect("terceros: débito ninguno, crédito empleado; centro de costos en la línea "
                    "de resultados: sí")
    terminal.expect("débito para el centro de costos Ventas: 520506 Sueldos ventas")
    terminal.answer("Enter acepta, c los cambia:", "")
    terminal.expect("✓ guardado: débito 510506 Sueldos (tercero ninguno); crédito 250505 "
                    "Salarios por pagar (tercero empleado); centro de costos en las líneas de "
                    "resultados")
    terminal.expect("Auxilio de transporte  (2 de 4)")
    terminal.answer(pick, "q")
    terminal.expect(f"terminado aquí: cada concepto ya respondido quedó guardado en "
                    f"{mapping_file}; `alegra-sync map` pregunta por el resto")
    screen = terminal.expect("[exit 0]")
    for english in ("Which account", "suggestions", "credit account", "saved", "stopped"):
        assert english not in screen
    mapping = load_mapping(mapping_file)
    assert mapping.accounts == {"payable": PAYABLE}
    assert mapping.concepts == {"Salario": SALARIO}  # the file's words stay English
