"""Finding a period's export in the export folder."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from alegra_sync.errors import NoExportError
from alegra_sync.payroll.export import export_period
from alegra_sync.payroll.filenames import dates_in_filename, period_from_filename
from alegra_sync.payroll.options import ExportOptions

_READABLE = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls")


def find_export(
    folder: Path, pattern: str, period: tuple[date, date], *, options: ExportOptions | None = None
) -> Path:
    """The period's export: by the dates in its name, else by its period columns.

    Several candidates: the newest by modification time (then by name, so the choice never
    depends on the file system's listing order). ``options`` tell how to read the period
    columns of files whose name has no dates.
    """
    candidates = _candidates(folder, pattern)
    by_name, undated = [], []
    for path in candidates:
        found = dates_in_filename(path.name)
        if not found:
            undated.append(path)
        elif period_from_filename(path.name) == period or found == [period[0]]:
            by_name.append(path)
    if by_name:
        return _newest(by_name)
    chosen = options or ExportOptions()
    by_columns = [path for path in undated if export_period(path, chosen) == period]
    if by_columns:
        return _newest(by_columns)
    raise NoExportError(
        f"no export for {period[0].isoformat()}–{period[1].isoformat()} in {folder} "
        f"(pattern {pattern!r})",
        hint="put the export there, name it with the period's dates, or pass --export",
    )


def newest_export(folder: Path, pattern: str) -> Path | None:
    """The most recently modified export in the folder; None when there is none (or no folder)."""
    if not folder.is_dir():
        return None
    candidates = _candidates(folder, pattern)
    return _newest(candidates) if candidates else None


def _candidates(folder: Path, pattern: str) -> list[Path]:
    if not folder.is_dir():
        raise NoExportError(f"{folder}: no such export folder", hint="check [export] folder")
    return [
        path
        for path in folder.glob(pattern)
        if path.is_file()
        and path.suffix.lower() in _READABLE
        and not path.name.startswith(("~$", "."))  # Excel's lock files, hidden files
    ]


def _newest(paths: list[Path]) -> Path:
    return max(paths, key=lambda path: (path.stat().st_mtime_ns, path.name))
