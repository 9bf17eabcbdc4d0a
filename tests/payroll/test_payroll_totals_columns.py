"""Totals columns (Total devengado, Total deducciones): read per employee and checked against
the mapping's devengos and deducciones; the totals row's cells against the column's sum."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest

from alegra_sync.errors import DataError, ExportRowError
from alegra_sync.mapping.model import load_mapping
from alegra_sync.payroll.export import read_export
from alegra_sync.payroll.options import ExportOptions
from alegra_sync.periods import Period
from alegra_sync.sandbox.demo_company import ACCOUNTS
from alegra_sync.vouchers.build import build_vouchers
from alegra_sync.vouchers.model import AccountInfo, VoucherOptions, VoucherPlan

D = Decimal
Make = Callable[..., Path]
NOV = Period(date(2026, 11, 1), date(2026, 11, 15))
CHART = {a[0]: AccountInfo(id=a[0], name=a[3], code=a[2], type=a[4]) for a in ACCOUNTS}
SAMPLES = Path(str(resources.files("alegra_sync") / "samples"))
FILE = "nomina_2026-11-01_2026-11-15.csv"

BASE = ["Identificación", "Nombre", "Centro de costos", "EPS", "AFP", "Salario",
        "Auxilio de transporte", "Salud empleado", "Pensión empleado", "Pensión empleador"]
ANA = ["1001", "Ana Gómez", "Administración", "EPS Sura", "Protección AFP", "1.000.000",
       "100.000", "40.000", "40.000", "120.000"]
BRUNO = ["1002", "Bruno Díaz", "Ventas", "Sanitas EPS", "Porvenir AFP", "2.000.000", "",
         "80.000", "80.000", "240.000"]
# devengos and deducciones as the sample mapping computes them
ANA_TOTALS = ["1.100.000", "80.000"]
BRUNO_TOTALS = ["2.000.000", "160.000"]
TOTALS = ["Total devengado", "Total deducciones"]


def write(make: Make, header: Sequence[str], *rows: Sequence[str]) -> Path:
    return make([list(header), *map(list, rows)], name=FILE)


def plan(path: Path, options: ExportOptions | None = None, **voucher: bool) -> VoucherPlan:
    export = read_export(path, options or ExportOptions(), period=(NOV.start, NOV.end))
    mapping = load_mapping(SAMPLES / "mapping.toml")
    return build_vouchers(export, mapping, CHART, NOV, VoucherOptions(**voucher))  # type: ignore[arg-type]


def test_the_totals_cells_are_read_by_header_and_blank_ones_left_out(csv_file: Make) -> None:
    path = write(csv_file, [*BASE, "TOTAL DEVENGOS", "Total descuentos"],
                 [*ANA, *ANA_TOTALS], [*BRUNO, "2.000.000", ""])
    export = read_export(path)
    assert export.concepts == BASE[5:]
    assert [e.totals for e in export.employees] == [
        {"total_devengado": D(1_100_000), "total_deducciones": D(80_000)},
        {"total_devengado": D(2_000_000)},
    ]
    assert export.total_columns == {"total_devengado": "TOTAL DEVENGOS",
                                    "total_deducciones": "Total descuentos"}


def test_agreeing_totals_plan_the_same_vouchers_as_without_the_columns(csv_file: Make) -> None:
    checked = plan(write(csv_file, [*BASE, *TOTALS], [*ANA, *ANA_TOTALS],
                         [*BRUNO, *BRUNO_TOTALS]))
    plain = plan(write(csv_file, BASE, ANA, BRUNO))
    assert checked == plain
    assert checked.net_by_employee == {"1001": 1_020_000, "1002": 1_840_000}


@pytest.mark.parametrize(("cells", "message"), [
    (["9.999.999", "80.000"],
     f"{FILE}, row 2, column 'Total devengado', value '9.999.999': employee 1001 (Ana Gómez): "
     "Total devengado 9.999.999 but the mapping computes 1.100.000 (check the export or the "
     "mapping of its devengos)"),
    (["1.100.000", "8.000"],
     f"{FILE}, row 2, column 'Total deducciones', value '8.000': employee 1001 (Ana Gómez): "
     "Total deducciones 8.000 but the mapping computes 80.000 (check the export or the mapping "
     "of its deducciones)"),
])
def test_a_mismatch_is_refused_naming_file_row_column_value_and_both_amounts(
    csv_file: Make, cells: list[str], message: str
) -> None:
    path = write(csv_file, [*BASE, *TOTALS], [*ANA, *cells], [*BRUNO, *BRUNO_TOTALS])
    with pytest.raises(ExportRowError) as caught:
        plan(path)
    assert caught.value.exit_code == 65
    assert str(caught.value) == message


def test_a_blank_totals_cell_is_not_checked(csv_file: Make) -> None:
    path = write(csv_file, [*BASE, *TOTALS], [*ANA, "", ""], [*BRUNO, "", "160.000"])
    assert plan(path).net_pay == 2_860_000


def test_an_ignored_totals_column_is_not_checked(csv_file: Make) -> None:
    path = write(csv_file, [*BASE, *TOTALS], [*ANA, "9.999.999", "80.000"],
                 [*BRUNO, *BRUNO_TOTALS])
    export = read_export(path, ExportOptions(ignore=("total devengado",)))
    assert [e.totals for e in export.employees] == [
        {"total_deducciones": D(80_000)}, {"total_deducciones": D(160_000)},
    ]
    assert plan(path, ExportOptions(ignore=("total devengado",))).net_pay == 2_860_000


def test_negative_deductions_and_a_negative_total_deducciones(csv_file: Make) -> None:
    negative = [*ANA[:7], "-40.000", "-40.000", ANA[9]]
    for total in ("80.000", "-80.000"):  # written positive, or negative as the deductions are
        path = write(csv_file, [*BASE, *TOTALS], [*negative, "1.100.000", total],
                     [*BRUNO, *BRUNO_TOTALS])
        assert plan(path, negative_deductions=True).net_by_employee["1001"] == 1_020_000
    # without the option a negative deduction is a reversal: the deducciones are -80.000
    with pytest.raises(DataError, match="Total deducciones 80.000 but the mapping computes "
                                        "-80.000"):
        plan(write(csv_file, [*BASE, *TOTALS], [*negative, "1.100.000", "80.000"]))


def test_a_totals_cell_that_is_no_amount_is_refused(csv_file: Make) -> None:
    path = write(csv_file, [*BASE, *TOTALS], [*ANA, "n/a", "80.000"])
    with pytest.raises(ExportRowError) as caught:
        read_export(path)
    assert str(caught.value).startswith(
        f"{FILE}, row 2, column 'Total devengado', value 'n/a': not an amount"
    )


def test_two_columns_for_one_total_are_refused(csv_file: Make) -> None:
    path = write(csv_file, [*BASE, "Total devengado", "Total devengos"], [*ANA, "1", "1"])
    with pytest.raises(ExportRowError) as caught:
        read_export(path)
    assert str(caught.value) == (
        f"{FILE}, row 1, column 'Total devengos': columns 'Total devengado' and "
        "'Total devengos' are both total_devengado (list the one not to check in [export] "
        "ignore in config.toml)"
    )


def test_the_totals_row_is_checked_against_the_column_sum(csv_file: Make) -> None:
    header = [*BASE, *TOTALS]
    concepts = ["3.000.000", "100.000", "120.000", "120.000", "360.000"]
    good = ["", "TOTALES", "", "", "", *concepts, "3.100.000", "240.000"]
    path = write(csv_file, header, [*ANA, *ANA_TOTALS], [*BRUNO, *BRUNO_TOTALS], good)
    assert plan(path).net_pay == 2_860_000
    # a blank totals cell of an employee adds nothing to the column's sum
    path = write(csv_file, header, [*ANA, *ANA_TOTALS], [*BRUNO, "", "160.000"],
                 [*good[:-2], "1.100.000", ""])
    assert plan(path).net_pay == 2_860_000
    bad = [*good[:-1], "240.001"]
    path = write(csv_file, header, [*ANA, *ANA_TOTALS], [*BRUNO, *BRUNO_TOTALS], bad)
    with pytest.raises(ExportRowError) as caught:
        read_export(path)
    assert str(caught.value) == (
        f"{FILE}, row 4, column 'Total deducciones', value '240.001': the totals row says "
        "240001 but the employee rows add up to 240000"
    )


def test_the_samples_totals_columns_agree_with_the_mapping() -> None:
    mapping = load_mapping(SAMPLES / "mapping.toml")
    export = read_export(SAMPLES / FILE, period=(NOV.start, NOV.end))
    assert export.employees[0].totals == {
        "total_devengado": D(1_058_365), "total_deducciones": D(74_706),
    }
    result = build_vouchers(export, mapping, CHART, NOV, VoucherOptions())
    assert result.net_pay == 10_722_755
