"""The packaged samples read to exactly the payroll they describe (samples/README.md)."""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest

from alegra_sync.payroll.export import read_export
from alegra_sync.payroll.model import Employee

D = Decimal
SAMPLES = Path(str(resources.files("alegra_sync") / "samples"))
CONCEPTS = [
    "Salario", "Auxilio de transporte", "Horas extras", "Salud empleado", "Pensión empleado",
    "Fondo de solidaridad", "Retención en la fuente", "Libranza", "Salud empleador",
    "Pensión empleador", "ARL", "Caja de compensación", "ICBF", "SENA", "Cesantías",
    "Intereses de cesantías", "Prima", "Vacaciones",
]
DEVENGOS = ("Salario", "Auxilio de transporte", "Horas extras")
DEDUCCIONES = ("Salud empleado", "Pensión empleado", "Fondo de solidaridad",
               "Retención en la fuente", "Libranza")
FIRST = "nomina_2026-11-01_2026-11-15.csv"
SECOND = "nomina_2026-11-16_2026-11-30.xlsx"

# Both quincenas share everything but the overtime and what follows from it.
CARLOS = Employee(
    "79845123", "Carlos Andrés Pérez Londoño", "CC", "Ventas", "Sanitas EPS", "Porvenir AFP",
    None,
    {"Salario": D(1200000), "Auxilio de transporte": D(124548), "Salud empleado": D(48000),
     "Pensión empleado": D(48000), "Libranza": D(150000), "Pensión empleador": D(144000),
     "ARL": D(6264), "Caja de compensación": D(48000), "Cesantías": D(110335),
     "Intereses de cesantías": D(13245), "Prima": D(110335), "Vacaciones": D(50040)},
    D(1078548), 5,
)
LUISA = Employee(
    "52987654", "Luisa Fernanda Martínez Ortiz", "CC", "Ventas", "EPS Sura", "Colpensiones",
    None,
    {"Salario": D(1600000), "Auxilio de transporte": D(124548), "Salud empleado": D(64000),
     "Pensión empleado": D(64000), "Pensión empleador": D(192000), "ARL": D(8352),
     "Caja de compensación": D(64000), "Cesantías": D(143655),
     "Intereses de cesantías": D(17245), "Prima": D(143655), "Vacaciones": D(66720)},
    D(1596548), 6,
)
JORGE = Employee(
    "80123456", "Jorge Enrique Ramírez Castaño", "CC", "Administración", "Sanitas EPS",
    "Porvenir AFP", None,
    {"Salario": D(9000000), "Salud empleado": D(360000), "Pensión empleado": D(360000),
     "Fondo de solidaridad": D(90000), "Retención en la fuente": D(1126000),
     "Salud empleador": D(765000), "Pensión empleador": D(1080000), "ARL": D(46980),
     "Caja de compensación": D(360000), "ICBF": D(270000), "SENA": D(180000),
     "Cesantías": D(749700), "Intereses de cesantías": D(90000), "Prima": D(749700),
     "Vacaciones": D(375300)},
    D(7064000), 7,
)


def ana(overtime: int, health: int, employer_pension: int, arl: int, cesantias: int,
        interests: int, neto: int) -> Employee:
    return Employee(
        "1020304050", "Ana María Gómez Restrepo", "CC", "Administración", "EPS Sura",
        "Protección AFP", None,
        {"Salario": D(875453), "Auxilio de transporte": D(124548), "Horas extras": D(overtime),
         "Salud empleado": D(health), "Pensión empleado": D(health),
         "Pensión empleador": D(employer_pension), "ARL": D(arl),
         "Caja de compensación": D(health), "Cesantías": D(cesantias),
         "Intereses de cesantías": D(interests), "Prima": D(cesantias),
         "Vacaciones": D(36506)},
        D(neto), 4,
    )


def paid(employee: Employee, day: date) -> Employee:
    """``employee`` as the sample writes it: paid on ``day``, and with Total devengado and
    Total deducciones, the two parts of the neto (README)."""
    from dataclasses import replace

    amounts = employee.amounts
    totals = {
        "total_devengado": sum((amounts.get(c, D(0)) for c in DEVENGOS), D(0)),
        "total_deducciones": sum((amounts.get(c, D(0)) for c in DEDUCCIONES), D(0)),
    }
    return replace(employee, payment_date=day, totals=totals)


@pytest.mark.parametrize(
    ("name", "period", "pay_day", "first"),
    [
        (FIRST, (date(2026, 11, 1), date(2026, 11, 15)), date(2026, 11, 13),
         ana(58364, 37353, 112058, 4875, 88162, 10584, 983659)),
        (SECOND, (date(2026, 11, 16), date(2026, 11, 30)), date(2026, 11, 30),
         ana(43773, 36769, 110307, 4798, 86946, 10438, 970236)),
    ],
)
def test_sample_reads_exactly(
    name: str, period: tuple[date, date], pay_day: date, first: Employee
) -> None:
    export = read_export(SAMPLES / name, period=period)
    assert (export.period_start, export.period_end) == period
    assert export.concepts == CONCEPTS
    assert export.employees == [paid(e, pay_day) for e in (first, CARLOS, LUISA, JORGE)]
    sums = {c: sum((e.amounts.get(c, D(0)) for e in export.employees), D(0)) for c in CONCEPTS}
    assert export.totals == sums


@pytest.mark.parametrize("name", [FIRST, SECOND])
def test_sample_neto_is_devengos_minus_deducciones(name: str) -> None:
    for employee in read_export(SAMPLES / name).employees:
        amounts = employee.amounts
        devengado = sum((amounts.get(c, D(0)) for c in DEVENGOS), D(0))
        deducido = sum((amounts.get(c, D(0)) for c in DEDUCCIONES), D(0))
        assert employee.neto == devengado - deducido
        assert employee.cost_center in {"Administración", "Ventas"}
        assert employee.eps in {"EPS Sura", "Sanitas EPS"}
        assert employee.afp in {"Protección AFP", "Porvenir AFP", "Colpensiones"}
        assert all(value == value.to_integral_value() for value in amounts.values())


def test_csv_sample_is_what_the_readme_says() -> None:
    raw = (SAMPLES / FIRST).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8")
    assert text.splitlines()[2].count(";") == 31
    assert ";1.750.905;" not in text and ";875.453;" in text


def test_generator_reproduces_the_samples(tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).parents[2] / "scripts"))
    try:
        import make_samples
    finally:
        sys.path.pop(0)
    make_samples.main(tmp_path)
    for name in (FIRST, SECOND):
        assert (tmp_path / name).read_bytes() == (SAMPLES / name).read_bytes()
