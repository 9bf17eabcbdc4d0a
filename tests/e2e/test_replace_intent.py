"""A `--replace` cut short is finished by the next run without the flag, but only for the
export it was started for: an export that changed again needs `--replace` again."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from alegra_sync.sandbox import SandboxServer
from e2e.helpers import cli, net_pay, sync_json, write_export
from e2e.test_sync import ANA, BRUNO, NOV1, NOV15

PERIOD = "2026-11-01"
V2 = [ANA, {**BRUNO, "Salario": 1600000}]
V3 = [ANA, {**BRUNO, "Salario": 1700000}]


def test_a_replace_cut_short_finishes_only_for_its_own_export(
    home: Path, sandbox: SandboxServer
) -> None:
    config = home / "config.toml"  # the failing DELETE fails the run at once
    config.write_text(config.read_text().replace("[alegra]\n", "[alegra]\nretries = 0\n"))
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    assert sync_json("--period", PERIOD)[0] == 0

    write_export(home, NOV1, NOV15, V2)
    sandbox.faults.add("DELETE /journals", "500-before")
    cut_short = cli("sync", "--period", PERIOD, "--replace")
    assert cut_short.exit_code == 69, cut_short.output

    write_export(home, NOV1, NOV15, V3)  # changed again before the next run
    refused = cli("sync", "--period", PERIOD)
    assert refused.exit_code == 65, refused.output
    assert f"period {PERIOD} was posted from a different export" in refused.output

    write_export(home, NOV1, NOV15, V2)  # the export the replace was started for
    code, result = sync_json("--period", PERIOD)
    assert code == 0, result
    assert result["periods"][0]["outcome"] == "replaced"
    dump = sandbox.store.dump()
    assert len(dump["journals"]) == 1
    live = [p for p in dump["payments"] if p["status"] != "void"]
    assert sum(Decimal(str(p["amount"])) for p in live) == sum(map(net_pay, V2))
