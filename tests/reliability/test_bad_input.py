"""The bad-input corpus (tests/data/bad/): every case through the real CLI against the sandbox.

Each case is a folder holding the files it needs and a ``case.toml`` (format in
tests/data/bad/README.md). Every case must end with its exact exit code and one line of error
naming what is wrong, and must not have sent Alegra a single write.
"""

from __future__ import annotations

import os
import shutil
import stat
import tomllib
from pathlib import Path
from typing import Any

import pytest

from alegra_sync.sandbox import SandboxServer
from e2e.helpers import cli

CORPUS = Path(__file__).resolve().parents[1] / "data" / "bad"
CASES = sorted(path for path in CORPUS.iterdir() if (path / "case.toml").is_file())
# Files of a case folder with a role of their own; every other file is an export.
SPECIAL = {"case.toml", "mapping.toml", "config.toml", "credentials.toml", "state.sqlite3"}
KEYS = {"description", "command", "exit_code", "message", "credentials_mode", "env",
        "no_env_credentials", "credentials_unreadable", "xlsx", "report"}


def load_case(folder: Path) -> dict[str, Any]:
    with (folder / "case.toml").open("rb") as handle:
        case = tomllib.load(handle)
    unknown = set(case) - KEYS
    assert not unknown, f"{folder.name}: unknown keys {sorted(unknown)}"
    return case


def write_xlsx(path: Path, sheet: str, rows: list[list[Any]]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = sheet
    for row in rows:
        book.active.append(row)
    book.save(path)


def install(case: dict[str, Any], folder: Path, home: Path,
            monkeypatch: pytest.MonkeyPatch) -> None:
    """The case's files into the home: exports, mapping, config additions, credentials, state."""
    exports = home / "exports"
    for path in folder.iterdir():
        if path.name not in SPECIAL:
            shutil.copy(path, exports / path.name)
    for book in case.get("xlsx", []):
        write_xlsx(exports / book["file"], book.get("sheet", "Hoja1"), book["rows"])
    if (folder / "mapping.toml").exists():
        shutil.copy(folder / "mapping.toml", home / "mapping.toml")
    if (folder / "config.toml").exists():
        with (home / "config.toml").open("a", encoding="utf-8") as config:
            config.write("\n" + (folder / "config.toml").read_text(encoding="utf-8"))
    if (folder / "state.sqlite3").exists():
        shutil.copy(folder / "state.sqlite3", home / "state.sqlite3")
    credentials = home / "credentials.toml"
    if (folder / "credentials.toml").exists():
        shutil.copy(folder / "credentials.toml", credentials)
        credentials.chmod(int(case.get("credentials_mode", "0600"), 8))
    if case.get("credentials_unreadable"):
        if os.geteuid() == 0:
            # root reads a mode-000 file anyway: a directory (0700, so the mode check passes)
            # is the credentials path that no one can read as a file.
            credentials.mkdir(mode=0o700)
        else:
            credentials.write_text('user = "demo@example.com"\ntoken = "x"\n', encoding="utf-8")
            credentials.chmod(0)
    if case.get("no_env_credentials"):
        monkeypatch.delenv("ALEGRA_SYNC_USER")
        monkeypatch.delenv("ALEGRA_SYNC_TOKEN")
    for name, value in case.get("env", {}).items():
        monkeypatch.setenv(name, value.format(home=home, exports=exports))


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 25
    assert len({path.name[:2] for path in CASES}) == len(CASES), "case numbers repeat"


@pytest.mark.parametrize("folder", CASES, ids=[path.name for path in CASES])
def test_bad_input(folder: Path, home: Path, sandbox: SandboxServer,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    case = load_case(folder)
    install(case, folder, home, monkeypatch)
    exports = home / "exports"
    args = [arg.format(home=home, exports=exports) for arg in case["command"]]
    try:
        result = cli(*args)
    finally:
        credentials = home / "credentials.toml"
        if credentials.is_file():  # let tmp_path clean-up remove a mode-000 file
            credentials.chmod(stat.S_IRUSR | stat.S_IWUSR)

    output = result.output
    lines = [line for line in output.splitlines() if line.strip()]
    assert result.exception is None or isinstance(result.exception, SystemExit), output
    assert "Traceback" not in output
    assert result.exit_code == case["exit_code"], output
    errors = [line for line in lines if line.startswith("error: ")]
    if case.get("report"):  # `map --check`: its findings, then one line of error
        assert errors == [lines[-1]], output
        shown = output
    else:
        assert errors == lines and len(lines) == 1, output
        shown = lines[0]
    messages = case["message"] if isinstance(case["message"], list) else [case["message"]]
    for message in messages:
        assert message in shown, output

    dump = sandbox.store.dump()
    writes = {method: dump["requests"][method] for method in ("POST", "PUT", "DELETE")}
    assert writes == {"POST": 0, "PUT": 0, "DELETE": 0}, dump["log"]
    assert dump["journals"] == [] and dump["payments"] == []


GOOD_EXPORT = """\
Identificación;Nombre;Centro de costos;EPS;AFP;Fecha de pago;Salario;Salud empleado;\
Pensión empleado;Neto a pagar
1001;Ana Gómez;Administración;EPS Sura;Protección AFP;2026-11-15;2.000.000;80.000;80.000;1.840.000
1002;Bruno Díaz;Ventas;Sanitas EPS;Porvenir AFP;2026-11-15;1.500.000;60.000;60.000;1.380.000
"""


def test_the_export_the_cases_spoil_posts(home: Path, sandbox: SandboxServer) -> None:
    """The control: the cases' export without its defect posts, so each case fails for its own
    defect alone."""
    (home / "exports" / "nomina_2026-11-01_2026-11-15.csv").write_text(GOOD_EXPORT,
                                                                       encoding="utf-8")
    result = cli("sync", "--period", "2026-11-01")
    assert result.exit_code == 0, result.output
    dump = sandbox.store.dump()
    assert len(dump["journals"]) == 1 and len(dump["payments"]) == 1
