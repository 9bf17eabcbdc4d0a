"""Write the sample payroll exports in src/alegra_sync/samples/ (deterministic).

Demo Nómina S.A.S., four employees, the two quincenas of November 2026, with 2026 figures
(SMMLV 1.750.905, auxilio de transporte 249.095 a month). Run: ``python scripts/make_samples.py``.
"""

from __future__ import annotations

import csv
import io
import sys
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "src" / "alegra_sync" / "samples"
SMMLV = Decimal(1_750_905)
TRANSPORT_MONTH = Decimal(249_095)
COMPANY = "Demo Nómina S.A.S. — NIT 900.123.456-7"

CONCEPTS = [
    "Salario", "Auxilio de transporte", "Horas extras", "Salud empleado", "Pensión empleado",
    "Fondo de solidaridad", "Retención en la fuente", "Libranza", "Salud empleador",
    "Pensión empleador", "ARL", "Caja de compensación", "ICBF", "SENA", "Cesantías",
    "Intereses de cesantías", "Prima", "Vacaciones",
]
DEVENGOS = ("Salario", "Auxilio de transporte", "Horas extras")
DEDUCCIONES = (
    "Salud empleado", "Pensión empleado", "Fondo de solidaridad", "Retención en la fuente",
    "Libranza",
)
HEADER = [
    "Tipo de documento", "Número de documento", "Nombre completo", "Cargo", "Centro de costos",
    "EPS", "Fondo de pensiones", "Fecha inicio", "Fecha fin", "Fecha de pago", "Días",
    *CONCEPTS, "Total devengado", "Total deducciones", "Neto a pagar",
]


@dataclass(frozen=True)
class Person:
    identification: str
    name: str
    role: str
    cost_center: str
    eps: str
    afp: str
    monthly_salary: Decimal
    libranza: Decimal = Decimal(0)
    retencion: Decimal = Decimal(0)  # per quincena


PEOPLE = [
    Person("1020304050", "Ana María Gómez Restrepo", "Auxiliar contable", "Administración",
           "EPS Sura", "Protección AFP", SMMLV),
    Person("79845123", "Carlos Andrés Pérez Londoño", "Asesor comercial", "Ventas",
           "Sanitas EPS", "Porvenir AFP", Decimal(2_400_000), libranza=Decimal(150_000)),
    Person("52987654", "Luisa Fernanda Martínez Ortiz", "Ejecutiva de ventas", "Ventas",
           "EPS Sura", "Colpensiones", Decimal(3_200_000)),
    Person("80123456", "Jorge Enrique Ramírez Castaño", "Gerente general", "Administración",
           "Sanitas EPS", "Porvenir AFP", Decimal(18_000_000), retencion=Decimal(1_126_000)),
]
# Horas extras per quincena, by identification: only Ana works overtime.
OVERTIME = {date(2026, 11, 1): {"1020304050": Decimal(58_364)},
            date(2026, 11, 16): {"1020304050": Decimal(43_773)}}
QUINCENAS = [
    (date(2026, 11, 1), date(2026, 11, 15), date(2026, 11, 13)),  # the 15th is a Sunday
    (date(2026, 11, 16), date(2026, 11, 30), date(2026, 11, 30)),
]


def pesos(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def pct(base: Decimal, percent: str) -> Decimal:
    return pesos(base * Decimal(percent) / 100)


def amounts_for(person: Person, start: date) -> dict[str, Decimal]:
    """One quincena's concepts for one person; zero where the concept does not apply."""
    salary = pesos(person.monthly_salary / 2)
    overtime = OVERTIME[start].get(person.identification, Decimal(0))
    transport = pesos(TRANSPORT_MONTH / 2) if person.monthly_salary <= 2 * SMMLV else Decimal(0)
    ibc = salary + overtime  # the contribution base: transport aid is not salary
    prestaciones = salary + overtime + transport
    high_earner = person.monthly_salary >= 10 * SMMLV  # not exonerated from health/ICBF/SENA
    return {
        "Salario": salary,
        "Auxilio de transporte": transport,
        "Horas extras": overtime,
        "Salud empleado": pct(ibc, "4"),
        "Pensión empleado": pct(ibc, "4"),
        "Fondo de solidaridad": pct(ibc, "1") if person.monthly_salary >= 4 * SMMLV else Decimal(0),
        "Retención en la fuente": person.retencion,
        "Libranza": person.libranza,
        "Salud empleador": pct(ibc, "8.5") if high_earner else Decimal(0),
        "Pensión empleador": pct(ibc, "12"),
        "ARL": pct(ibc, "0.522"),
        "Caja de compensación": pct(ibc, "4"),
        "ICBF": pct(ibc, "3") if high_earner else Decimal(0),
        "SENA": pct(ibc, "2") if high_earner else Decimal(0),
        "Cesantías": pct(prestaciones, "8.33"),
        "Intereses de cesantías": pct(prestaciones, "1"),
        "Prima": pct(prestaciones, "8.33"),
        "Vacaciones": pct(salary, "4.17"),
    }


def neto(amounts: dict[str, Decimal]) -> Decimal:
    devengado = sum((amounts[c] for c in DEVENGOS), Decimal(0))
    return devengado - sum((amounts[c] for c in DEDUCCIONES), Decimal(0))


def rows_for(start: date) -> list[tuple[Person, dict[str, Decimal]]]:
    return [(person, amounts_for(person, start)) for person in PEOPLE]


def colombian(value: Decimal) -> str:
    """1234567 -> ``1.234.567``; zero -> blank, as the payroll software leaves it."""
    return f"{value:,}".replace(",", ".") if value else ""


def _totals(rows: list[tuple[Person, dict[str, Decimal]]]) -> dict[str, Decimal]:
    return {c: sum((a[c] for _, a in rows), Decimal(0)) for c in CONCEPTS}


def write_csv(path: Path) -> None:
    start, end, paid = QUINCENAS[0]
    rows = rows_for(start)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([f"Resumen de nómina — {COMPANY} — del 1 al 15 de noviembre de 2026"])
    writer.writerow([])
    writer.writerow(HEADER)
    for person, amounts in rows:
        dev = sum((amounts[c] for c in DEVENGOS), Decimal(0))
        writer.writerow([
            "CC", person.identification, person.name, person.role, person.cost_center,
            person.eps, person.afp, start.strftime("%d/%m/%Y"), end.strftime("%d/%m/%Y"),
            paid.strftime("%d/%m/%Y"), "15", *(colombian(amounts[c]) for c in CONCEPTS),
            colombian(dev), colombian(dev - neto(amounts)), colombian(neto(amounts)),
        ])
    totals = _totals(rows)
    total_neto = sum((neto(a) for _, a in rows), Decimal(0))
    total_dev = sum((totals[c] for c in DEVENGOS), Decimal(0))
    writer.writerow([
        "", "", "TOTALES", "", "", "", "", "", "", "", "",
        *(colombian(totals[c]) for c in CONCEPTS),
        colombian(total_dev), colombian(total_dev - total_neto), colombian(total_neto),
    ])
    path.write_bytes(out.getvalue().encode("utf-8"))


def write_xlsx(path: Path) -> None:
    from openpyxl import Workbook

    start, end, paid = QUINCENAS[1]
    rows = rows_for(start)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Nómina"
    sheet.append([f"Resumen de nómina — {COMPANY} — del 16 al 30 de noviembre de 2026"])
    sheet.append([])
    sheet.append(HEADER)
    for person, amounts in rows:
        dev = sum((amounts[c] for c in DEVENGOS), Decimal(0))
        sheet.append([
            "CC", int(person.identification), person.name, person.role, person.cost_center,
            person.eps, person.afp, start, end, paid, 15,
            *(int(amounts[c]) if amounts[c] else None for c in CONCEPTS),
            int(dev), int(dev - neto(amounts)), int(neto(amounts)),
        ])
    totals = _totals(rows)
    total_neto = sum((neto(a) for _, a in rows), Decimal(0))
    total_dev = sum((totals[c] for c in DEVENGOS), Decimal(0))
    sheet.append([
        None, None, "TOTALES", None, None, None, None, None, None, None, None,
        *(int(totals[c]) for c in CONCEPTS),
        int(total_dev), int(total_dev - total_neto), int(total_neto),
    ])
    for row in sheet.iter_rows(min_row=4, max_row=7, min_col=8, max_col=10):
        for cell in row:
            cell.number_format = "DD/MM/YYYY"
    workbook.save(path)
    _pin_timestamps(path)


def _pin_timestamps(path: Path) -> None:
    """openpyxl stamps the current time into docProps and the zip entries: pin both, so the
    file is byte-for-byte reproducible."""
    import re
    import zipfile

    pinned = (2026, 12, 1, 8, 0, 0)
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2026-12-01T08:00:00Z", data)
            target.writestr(zipfile.ZipInfo(name, date_time=pinned), data,
                            compress_type=zipfile.ZIP_DEFLATED)


def main(folder: Path = SAMPLES) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder / "nomina_2026-11-01_2026-11-15.csv")
    write_xlsx(folder / "nomina_2026-11-16_2026-11-30.xlsx")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLES)
