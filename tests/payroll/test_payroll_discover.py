"""Finding the period's export in the export folder."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from alegra_sync.errors import DataError, ExitCode, NoExportError
from alegra_sync.payroll.discover import find_export, newest_export
from alegra_sync.payroll.filenames import period_from_filename

FIRST = (date(2026, 11, 1), date(2026, 11, 15))
SECOND = (date(2026, 11, 16), date(2026, 11, 30))
HEADER = ["Documento", "Nombre", "Fecha inicio", "Fecha fin", "Salario"]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("".join(";".join(row) + "\n" for row in rows), encoding="utf-8")
    return path


def touch(path: Path, mtime: int) -> Path:
    if not path.exists():
        write_csv(path, [["Documento", "Nombre", "Salario"], ["1", "A", "1"]])
    os.utime(path, (mtime, mtime))
    return path


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("nomina_2026-11-01_2026-11-15.xlsx", FIRST),
        ("nomina 2026.11.16 a 2026.11.30.csv", SECOND),
        ("NOMINA_20261101_20261115.csv", FIRST),
        ("2026_11_16-2026_11_30.csv", SECOND),
        ("nomina_2026-11-01.csv", None),
        ("nomina_2026-11-15_2026-11-01.csv", None),
        ("nomina_2026-11-31_2026-12-15.csv", None),
        ("nomina.csv", None),
        ("export_120261101_20261115.csv", None),
    ],
)
def test_period_from_filename(name: str, expected: tuple[date, date] | None) -> None:
    assert period_from_filename(name) == expected


def test_find_by_name(tmp_path: Path) -> None:
    touch(tmp_path / "nomina_2026-10-16_2026-10-31.csv", 3000)
    wanted = touch(tmp_path / "nomina_2026-11-01_2026-11-15.csv", 1000)
    touch(tmp_path / "nomina_2026-11-16_2026-11-30.csv", 2000)
    assert find_export(tmp_path, "*.csv", FIRST) == wanted
    assert find_export(tmp_path, "*", SECOND) == tmp_path / "nomina_2026-11-16_2026-11-30.csv"


def test_find_by_compact_dates_and_by_start_date_only(tmp_path: Path) -> None:
    compact = touch(tmp_path / "nomina_20261101_20261115.csv", 1000)
    assert find_export(tmp_path, "*.csv", FIRST) == compact
    start_only = touch(tmp_path / "nomina_2026-11-16.csv", 1000)
    assert find_export(tmp_path, "*.csv", SECOND) == start_only


def test_two_exports_for_one_period_are_refused_naming_both(tmp_path: Path) -> None:
    # a second download beside the first: the newest is not silently taken for the final one
    first = touch(tmp_path / "nomina_2026-11-01_2026-11-15.csv", 1000)
    second = touch(tmp_path / "nomina_2026-11-01_2026-11-15 (1).csv", 2000)
    touch(tmp_path / "nomina_2026-11-16_2026-11-30.csv", 3000)  # another period: no bother
    with pytest.raises(DataError) as refused:
        find_export(tmp_path, "*.csv", FIRST)
    assert refused.value.exit_code == ExitCode.DATA
    assert str(refused.value) == (
        f"2 exports for 2026-11-01–2026-11-15 in {tmp_path}: {second.name}, {first.name} "
        "(keep only the final one in the folder, or name it with --export)")
    second.unlink()
    assert find_export(tmp_path, "*.csv", FIRST) == first


def test_two_undated_exports_whose_columns_name_one_period_are_refused(tmp_path: Path) -> None:
    rows = [HEADER, ["1", "A", "01/11/2026", "15/11/2026", "1"]]
    write_csv(tmp_path / "export.csv", rows)
    write_csv(tmp_path / "export final.csv", rows)
    with pytest.raises(DataError, match=r"2 exports for 2026-11-01–2026-11-15 in .*: "
                                        r"export final\.csv, export\.csv"):
        find_export(tmp_path, "*", FIRST)


def test_find_by_period_columns(tmp_path: Path) -> None:
    first = write_csv(tmp_path / "export.csv",
                      [HEADER, ["1", "A", "01/11/2026", "15/11/2026", "1"]])
    second = write_csv(tmp_path / "export (2).csv",
                       [["Título"], HEADER, ["1", "A", "16/11/2026", "30/11/2026", "1"]])
    write_csv(tmp_path / "broken.csv", [["x"]])
    (tmp_path / "notes.md").write_text("2026-11-01 2026-11-15")
    assert find_export(tmp_path, "*", FIRST) == first
    assert find_export(tmp_path, "*", SECOND) == second


def test_a_dated_name_beats_period_columns(tmp_path: Path) -> None:
    touch(tmp_path / "nomina_2026-11-01_2026-11-15.csv", 1000)
    write_csv(tmp_path / "export.csv", [HEADER, ["1", "A", "01/11/2026", "15/11/2026", "1"]])
    os.utime(tmp_path / "export.csv", (5000, 5000))
    assert find_export(tmp_path, "*", FIRST).name == "nomina_2026-11-01_2026-11-15.csv"


def test_lock_and_hidden_files_are_not_exports(tmp_path: Path) -> None:
    touch(tmp_path / "~$nomina_2026-11-01_2026-11-15.csv", 1000)
    touch(tmp_path / ".nomina_2026-11-01_2026-11-15.csv", 1000)
    with pytest.raises(NoExportError):
        find_export(tmp_path, "*", FIRST)


def test_no_export_for_the_period(tmp_path: Path) -> None:
    touch(tmp_path / "nomina_2026-10-16_2026-10-31.csv", 1000)
    with pytest.raises(NoExportError) as caught:
        find_export(tmp_path, "*.csv", FIRST)
    assert caught.value.exit_code == ExitCode.NO_INPUT == 66
    assert caught.value.message == (
        f"no export for 2026-11-01–2026-11-15 in {tmp_path} (pattern '*.csv')"
    )


def test_no_export_folder(tmp_path: Path) -> None:
    with pytest.raises(NoExportError) as caught:
        find_export(tmp_path / "exports", "*", FIRST)
    assert caught.value.message == f"{tmp_path / 'exports'}: no such export folder"
    assert newest_export(tmp_path / "exports", "*") is None


def test_newest_export(tmp_path: Path) -> None:
    assert newest_export(tmp_path, "*.csv") is None
    touch(tmp_path / "a.csv", 2000)
    touch(tmp_path / "b.csv", 1000)
    touch(tmp_path / "c.txt.bak", 3000)
    assert newest_export(tmp_path, "*") == tmp_path / "a.csv"
