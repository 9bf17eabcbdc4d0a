"""Helpers of the end-to-end tests: exports written like a payroll system's, CLI runs."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from alegra_sync.cli.app import app
from secrets_scan import assert_no_secret

SAMPLES = Path(__file__).resolve().parents[2] / "src" / "alegra_sync" / "samples"
FAST_CONFIG = """\
[contacts]
create_missing = true

[sync]
start = 2026-01-01
recheck_delays = [0.1, 0.3, 0.6, 1.0]  # as long as the read timeout, as the settings demand

[alegra]
read_timeout = 2.0
"""

# The columns of the exports these tests write, before the concepts.
EMPLOYEE_COLUMNS = ["Identificación", "Nombre", "Centro de costos", "EPS", "AFP",
                    "Fecha de pago"]
DEDUCTIONS = ("Salud empleado", "Pensión empleado", "Fondo de solidaridad",
              "Retención en la fuente", "Libranza")
DEVENGOS = ("Salario", "Auxilio de transporte", "Horas extras")


def employee(identification: str, name: str, cost_center: str, eps: str, afp: str,
             paid: str, **amounts: int) -> dict[str, Any]:
    """An export row; amounts by concept with underscores for spaces (Salud_empleado=…)."""
    return {"Identificación": identification, "Nombre": name, "Centro de costos": cost_center,
            "EPS": eps, "AFP": afp, "Fecha de pago": paid,
            **{k.replace("_", " "): v for k, v in amounts.items()}}


def amount(value: object) -> Decimal:
    return Decimal(str(value).replace(",", "."))


def net_pay(row: dict[str, Any]) -> Decimal:
    return (sum((amount(row.get(c, 0)) for c in DEVENGOS), Decimal(0))
            - sum((amount(row.get(c, 0)) for c in DEDUCTIONS), Decimal(0)))


def write_export(home: Path, start: date, end: date, rows: list[dict[str, Any]]) -> Path:
    """A `;` CSV export in the home's exports folder, named by its period, with Neto a pagar."""
    concepts: list[str] = []
    for row in rows:
        for key in row:
            if key not in EMPLOYEE_COLUMNS and key not in concepts:
                concepts.append(key)
    header = [*EMPLOYEE_COLUMNS, *concepts, "Neto a pagar"]
    lines = [";".join(header)]
    for row in rows:
        cells = [str(row.get(column, "")) for column in EMPLOYEE_COLUMNS]
        cells += [str(row.get(concept, "")) for concept in concepts]
        cells.append(str(net_pay(row)).replace(".", ","))
        lines.append(";".join(cells))
    path = home / "exports" / f"nomina_{start.isoformat()}_{end.isoformat()}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def cli(*args: str, input: str | None = None) -> Any:  # noqa: A002 (CliRunner's name)
    result = CliRunner().invoke(app, list(args), input=input)
    assert_no_secret(result.output, f"the output of `alegra-sync {' '.join(args)}`")
    return result


def sync_json(*args: str) -> tuple[int, dict[str, Any]]:
    result = cli("sync", "--json", *args)
    try:
        return result.exit_code, json.loads(result.stdout)
    except json.JSONDecodeError:
        raise AssertionError(f"not JSON (exit {result.exit_code}): {result.output}") from None


def entries(journal: dict[str, Any]) -> list[tuple[str, Decimal, Decimal, str | None,
                                                    str | None]]:
    """(account, debit, credit, client identification, cost center) of each entry, sorted."""
    rows = []
    for entry in journal["entries"]:
        client = entry.get("client")
        center = entry.get("costCenter")
        rows.append((str(entry["id"]), Decimal(str(entry["debit"])),
                     Decimal(str(entry["credit"])),
                     client["identification"] if client else None,
                     str(center["id"]) if center else None))
    return sorted(rows)
