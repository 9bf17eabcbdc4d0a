"""The worked example of accounting.md's voucher tests (tests/vouchers/helpers.py: Ana 1001 in
Administración, Bruno 2002 in Ventas), written as an export and posted to the sandbox."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from e2e.helpers import employee, sync_json, write_export

NOV1, NOV15 = date(2026, 11, 1), date(2026, 11, 15)
NOV16, NOV30 = date(2026, 11, 16), date(2026, 11, 30)
ANA = employee("1001", "Ana Gómez", "Administración", "EPS Sura", "Protección AFP", "2026-11-15",
               Salario=1000000, Auxilio_de_transporte=100000, Salud_empleado=40000,
               Pensión_empleado=40000, Pensión_empleador=120000, ARL=5220,
               Caja_de_compensación=40000, Cesantías=91667)
BRUNO = employee("2002", "Bruno Díaz", "Ventas", "800251440", "Porvenir AFP", "2026-11-15",
                 Salario=2000000, Horas_extras=150000, Salud_empleado=86000,
                 Pensión_empleado=86000, Retención_en_la_fuente=12000, Salud_empleador=182750,
                 Pensión_empleador=258000, ARL=11223, Caja_de_compensación=86000,
                 Cesantías=179167)


def post_worked_example(home: Path) -> dict[str, Any]:
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    code, result = sync_json("--period", "2026-11-01")
    assert code == 0, result
    period: dict[str, Any] = result["periods"][0]
    assert (period["debit_total"], period["net_pay"]) == ("4224027", "2986000")
    return period
