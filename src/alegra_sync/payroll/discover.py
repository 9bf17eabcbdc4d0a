"""Finding a period's export in the export folder."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from alegra_sync.errors import DataError, NoExportError
from alegra_sync.i18n import T
from alegra_sync.payroll.export import export_period
from alegra_sync.payroll.filenames import dates_in_filename, period_from_filename
from alegra_sync.payroll.options import ExportOptions

_READABLE = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls")


class MissingExportError(NoExportError):
    """The folder holds no export for the period (66): the run says what to do about it."""


def find_export(
    folder: Path, pattern: str, period: tuple[date, date], *, options: ExportOptions | None = None
) -> Path:
    """The period's export: by the dates in its name, else by its period columns.

    Several candidates are refused (65), naming them: picking the newest would post whichever
    was saved last (a second download, a draft beside the final export) without a word.
    ``options`` tell how to read the period columns of files whose name has no dates.
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
        return _only(by_name, period)
    chosen = options or ExportOptions()
    by_columns = [path for path in undated if export_period(path, chosen) == period]
    if by_columns:
        return _only(by_columns, period)
    raise MissingExportError(
        T("no export for {first}–{last} in {folder} (pattern {pattern})",
          first=period[0].isoformat(), last=period[1].isoformat(), folder=folder,
          pattern=repr(pattern)),
        hint=T("put the export there, name it with the period's dates, or pass --export"),
    )


def _only(paths: list[Path], period: tuple[date, date]) -> Path:
    if len(paths) == 1:
        return paths[0]
    names = ", ".join(sorted(path.name for path in paths))
    raise DataError(
        T("{count} exports for {first}–{last} in {folder}: {names}", count=len(paths),
          first=period[0].isoformat(), last=period[1].isoformat(), folder=paths[0].parent,
          names=names),
        hint=T("keep only the final one in the folder, or name it with --export"))


def newest_export(folder: Path, pattern: str) -> Path | None:
    """The most recently modified export in the folder; None when there is none (or no folder)."""
    if not folder.is_dir():
        return None
    candidates = _candidates(folder, pattern)
    return _newest(candidates) if candidates else None


def _candidates(folder: Path, pattern: str) -> list[Path]:
    if not folder.is_dir():
        raise NoExportError(T("{folder}: no such export folder", folder=folder),
                            hint=T("check [export] folder"))
    return [
        path
        for path in folder.glob(pattern)
        if path.is_file()
        and path.suffix.lower() in _READABLE
        and not path.name.startswith(("~$", "."))  # Excel's lock files, hidden files
    ]


def _newest(paths: list[Path]) -> Path:
    return max(paths, key=lambda path: (path.stat().st_mtime_ns, path.name))
