"""Helpers that write small exports into tmp_path."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

Rows = Sequence[Sequence[object]]


def write_csv(path: Path, rows: Rows, delimiter: str = ";", encoding: str = "utf-8") -> Path:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: Rows, sheet: str = "Hoja1", others: Sequence[str] = ()) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    active = workbook.active
    assert active is not None
    active.title = sheet
    for row in rows:
        active.append(list(row))
    for name in others:
        workbook.create_sheet(name)
    workbook.save(path)
    return path


@pytest.fixture
def csv_file(tmp_path: Path) -> Callable[..., Path]:
    def make(rows: Rows, name: str = "nomina.csv", **kwargs: str) -> Path:
        return write_csv(tmp_path / name, rows, **kwargs)

    return make


@pytest.fixture
def xlsx_file(tmp_path: Path) -> Callable[..., Path]:
    def make(rows: Rows, name: str = "nomina.xlsx", **kwargs: object) -> Path:
        return write_xlsx(tmp_path / name, rows, **kwargs)  # type: ignore[arg-type]

    return make
