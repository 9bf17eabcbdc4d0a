"""What changed in a posted period is said right: a changed mapping is not called a changed
export, money is formatted, the accounts and terceros that differ are named; `sync --dry-run
--replace` lists what it would delete, void, post and keep, and `--replace` keeps an egreso
whose content did not change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alegra_sync.sandbox import SandboxServer
from e2e.helpers import cli, sync_json, write_export
from e2e.test_sync import ANA, BRUNO, NOV1, NOV15

PERIOD = "2026-11-01"


def writes(sandbox: SandboxServer) -> int:
    counts = sandbox.store.dump()["requests"]
    return sum(counts.get(method, 0) for method in ("POST", "PUT", "DELETE"))


def live(sandbox: SandboxServer) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dump = sandbox.store.dump()
    return dump["journals"], [p for p in dump["payments"] if p["status"] != "void"]


def edit_mapping(home: Path, old: str, new: str) -> None:
    path = home / "mapping.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def posted(home: Path) -> None:
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    code, result = sync_json("--period", PERIOD)
    assert code == 0, result


def test_a_tercero_changed_in_the_mapping_is_a_changed_mapping(
    home: Path, sandbox: SandboxServer
) -> None:
    posted(home)
    journal_id = live(sandbox)[0][0]["id"]
    payment_id = live(sandbox)[1][0]["id"]
    # the ARL's tercero: Positiva ARL → none
    edit_mapping(home, 'credit_tercero = { nit = "860011153" }', 'credit_tercero = "none"')
    before = writes(sandbox)

    refused = cli("sync", "--period", PERIOD)
    assert refused.exit_code == 65, refused.output
    assert (
        "error: 2026-11-01: period 2026-11-01 was posted with a different mapping: the same "
        "totals (debits 4.379.820) and the same net pay for every employee, on other accounts, "
        "terceros or cost centers: accounts 237006 Aportes a administradoras de riesgos "
        "laborales ARL; terceros NIT 860011153 — if the new mapping is right, "
        "`alegra-sync sync --period 2026-11-01 --replace` posts the period again with it "
        "(`--dry-run --replace` first shows what it would delete, void and post)"
    ) in " ".join(refused.stderr.split())
    assert "different export" not in refused.output

    preview = cli("sync", "--period", PERIOD, "--dry-run", "--replace")
    assert preview.exit_code == 0, preview.output
    assert ("What sync would do in Alegra:\n"
            f"  delete the comprobante 2026-11-01/J1 (Alegra id {journal_id})\n"
            "  post 2026-11-01/J1\n"
            f"  keep 2026-11-01/P1 (Alegra id {payment_id}): unchanged\n") in preview.stdout
    assert writes(sandbox) == before  # a dry run writes nothing

    code, result = sync_json("--period", PERIOD, "--replace")
    assert code == 0, result
    assert result["periods"][0]["outcome"] == "replaced"
    journals, payments = live(sandbox)
    assert [p["id"] for p in payments] == [payment_id]  # the egreso is kept: reconciliation
    assert len(journals) == 1 and journals[0]["id"] != journal_id
    assert [j["id"] for j in sandbox.store.dump()["deleted_journals"]] == [journal_id]


def test_the_egreso_bank_account_changed_in_the_mapping_voids_and_posts_only_the_egreso(
    home: Path, sandbox: SandboxServer
) -> None:
    posted(home)
    journal_id = live(sandbox)[0][0]["id"]
    payment_id = live(sandbox)[1][0]["id"]
    edit_mapping(home, 'bank_account = "2"', 'bank_account = "1"')

    code, result = sync_json("--period", PERIOD)
    assert code == 65
    message = result["periods"][0]["error"]["message"]
    assert message.startswith(
        "period 2026-11-01 was posted with a different mapping: the same totals (debits "
        "4.379.820) and the same net pay for every employee, on other accounts, terceros or "
        "cost centers: egresos: 2026-11-01/P1 bank account Bancolombia nómina posted, Caja "
        "general now ("), message

    preview = cli("sync", "--period", PERIOD, "--dry-run", "--replace")
    assert ("What sync would do in Alegra:\n"
            f"  void the egreso 2026-11-01/P1 (Alegra id {payment_id})\n"
            "  post 2026-11-01/P1\n"
            f"  keep 2026-11-01/J1 (Alegra id {journal_id}): unchanged\n") in preview.stdout


def test_a_changed_export_says_whose_net_pay_changed_in_money(
    home: Path, sandbox: SandboxServer
) -> None:
    posted(home)
    # the debits stay as they were: the libranza moves 50.000 from the payable to 237030
    write_export(home, NOV1, NOV15, [ANA, {**BRUNO, "Libranza": 150000}])

    code, result = sync_json("--period", PERIOD)
    assert code == 65
    message = result["periods"][0]["error"]["message"]
    assert message.startswith(
        "period 2026-11-01 was posted from a different export: net pay 3.270.000 posted, "
        "3.220.000 now; net pay per employee: Bruno "
        "Díaz (1002): 1.330.000 → 1.280.000; accounts 237030 Libranzas, 250505 Salarios por "
        "pagar; egresos: 2026-11-01/P1 amount 3.270.000 posted, 3.220.000 now (check the "
        "export;"), message


def test_an_employee_added_to_the_export_is_named(home: Path, sandbox: SandboxServer) -> None:
    write_export(home, NOV1, NOV15, [ANA])
    assert sync_json("--period", PERIOD)[0] == 0
    write_export(home, NOV1, NOV15, [ANA, BRUNO])

    code, result = sync_json("--period", PERIOD)
    assert code == 65
    message = result["periods"][0]["error"]["message"]
    assert "was posted from a different export:" in message
    assert "net pay per employee: Bruno Díaz (1002): new, 1.330.000;" in message
