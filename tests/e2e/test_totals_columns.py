"""Total devengado / Total deducciones through the CLI: `sync --dry-run` against the sandbox
accepts an export whose totals agree with the mapping and refuses one whose totals do not."""

from __future__ import annotations

from pathlib import Path

import pytest

from alegra_sync.sandbox import SandboxServer
from e2e.helpers import cli, sync_json, write_export
from e2e.test_sync import ANA, BRUNO, NOV1, NOV15

PERIOD = "2026-11-01"
FILE = "nomina_2026-11-01_2026-11-15.csv"
# devengos (Salario, Auxilio de transporte, Horas extras) and deducciones of each, as written
ANA_TOTALS = {"Total devengado": "2.100.000", "Total deducciones": "160.000"}
BRUNO_TOTALS = {"Total devengado": "1.550.000", "Total deducciones": "220.000"}


def test_agreeing_totals_pass_the_dry_run(home: Path, sandbox: SandboxServer) -> None:
    write_export(home, NOV1, NOV15, [{**ANA, **ANA_TOTALS}, {**BRUNO, **BRUNO_TOTALS}])
    code, result = sync_json("--period", PERIOD, "--dry-run")
    assert code == 0, result
    assert result["periods"][0]["outcome"] == "dry-run"


@pytest.mark.parametrize(("column", "value", "message"), [
    ("Total devengado", "9.999.999",
     "column 'Total devengado', value '9.999.999': employee 1002 (Bruno Díaz): Total devengado "
     "9.999.999 but the mapping computes 1.550.000 — check the export or the mapping of its "
     "devengos"),
    ("Total deducciones", "20.000",
     "column 'Total deducciones', value '20.000': employee 1002 (Bruno Díaz): Total deducciones "
     "20.000 but the mapping computes 220.000 — check the export or the mapping of its "
     "deducciones"),
])
def test_a_totals_mismatch_fails_the_dry_run_with_65(
    home: Path, sandbox: SandboxServer, column: str, value: str, message: str
) -> None:
    bruno = {**BRUNO, **BRUNO_TOTALS, column: value}
    write_export(home, NOV1, NOV15, [{**ANA, **ANA_TOTALS}, bruno])
    result = cli("sync", "--period", PERIOD, "--dry-run")
    assert result.exit_code == 65, result.output
    assert result.stderr.splitlines() == [f"error: {PERIOD}: {FILE}, row 3, {message}"]
    assert sandbox.store.dump()["journals"] == []
