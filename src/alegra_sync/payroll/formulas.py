"""Formula cells an XLSX holds without their computed value.

A spreadsheet program saves each formula with the value it computed; a file written by a
script (openpyxl, a payroll product's export job) and never opened in one has the formula
alone, and every reader — calamine included — sees an empty cell: net pay overstated, or a
misleading refusal. Such cells are found in the sheet's XML, which is read only when it holds
a formula at all.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

# <c r="D2" …><f>C2*0.9</f></c>, also with an empty <v/>, and shared formulas (<f … />)
_UNCOMPUTED = re.compile(
    rb'<c r="([A-Z]{1,3}[0-9]+)"[^>]*>\s*<f(?:\s[^>]*)?(?:/>|>[^<]*</f>)\s*'
    rb"(?:<v\s*/>|<v>\s*</v>)?\s*</c>"
)
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def uncomputed_formulas(path: Path, sheet: str | None) -> list[str]:
    """The cells (``D2``…) of the sheet (the first when None) holding a formula without a
    value, in file order; [] when the file cannot be read this way (calamine decides)."""
    try:
        with zipfile.ZipFile(path) as archive:
            member = _sheet_member(archive, sheet)
            if member is None:
                return []
            data = archive.read(member)
    except (OSError, zipfile.BadZipFile, KeyError, ElementTree.ParseError):
        return []
    if b"<f" not in data:
        return []
    return [match.decode() for match in _UNCOMPUTED.findall(data)]


def _sheet_member(archive: zipfile.ZipFile, sheet: str | None) -> str | None:
    """The worksheet's part name, through the workbook's sheet list and its relations."""
    sheets = ElementTree.fromstring(archive.read("xl/workbook.xml")).iter(f"{_MAIN}sheet")
    wanted = next((s.get(_REL_ID) for s in sheets if sheet is None or s.get("name") == sheet),
                  None)
    relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = next((r.get("Target") for r in relations.iter(f"{_RELS}Relationship")
                   if r.get("Id") == wanted), None)
    if wanted is None or target is None:
        return None
    return target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
