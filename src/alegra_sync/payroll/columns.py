"""The export's header: known columns by alias, concepts, ignored columns, the header row."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from alegra_sync.errors import ConfigError, ExportRowError
from alegra_sync.i18n import T
from alegra_sync.payroll.options import ExportOptions

# canonical name -> the headers exports use for it (the canonical name is an alias too)
ALIASES: dict[str, tuple[str, ...]] = {
    "identificacion": (
        "Identificación", "Documento", "Cédula", "Número de documento", "No. documento",
        "Número de identificación", "Documento de identidad", "NIT empleado",
    ),
    "tipo_identificacion": (
        "Tipo de documento", "Tipo documento", "Tipo identificación", "Tipo de identificación",
        "Tipo doc", "Tipo de documento de identidad",
    ),
    "nombre": ("Nombre", "Empleado", "Nombre completo", "Nombres y apellidos", "Nombre empleado"),
    # a person's name in separate columns: they win over the full name for the contact
    "primer_nombre": ("Primer nombre",),
    "segundo_nombre": ("Segundo nombre", "Otros nombres"),
    "primer_apellido": ("Primer apellido",),
    "segundo_apellido": ("Segundo apellido",),
    "nombres": ("Nombres",),
    "apellidos": ("Apellidos",),
    "centro_costos": ("Centro de costos", "Centro de costo", "CC costos", "Centro costos"),
    "eps": ("EPS",),
    "afp": ("AFP", "Fondo de pensiones", "Fondo de pensión"),
    "periodo_inicio": ("Fecha inicio", "Inicio periodo", "Inicio del periodo", "Desde"),
    "periodo_fin": ("Fecha fin", "Fin periodo", "Fin del periodo", "Hasta"),
    "fecha_pago": ("Fecha de pago", "Fecha pago"),
    "neto": ("Neto a pagar", "Total a pagar", "Neto", "Neto pagado"),
    "concepto": ("Concepto",),
    "valor": ("Valor", "Monto"),
}
# Totals columns: never concepts; each employee's cell is checked against the mapping's sums
# (vouchers.py), unless listed in [export] ignore.
TOTALS: dict[str, tuple[str, ...]] = {
    "total_devengado": ("Total devengado", "Total devengos"),
    "total_deducciones": ("Total deducciones", "Total descuentos"),
}
# Recognised, never concepts, not checked: informational columns.
INFORMATIONAL: tuple[str, ...] = (
    "Días", "Días trabajados", "Días laborados", "Cargo", "Salario base", "Sueldo básico",
    "Sueldo base", "Salario básico",
)
EMPLOYEE_COLUMNS = tuple(ALIASES)
_IGNORED = "<ignored>"


def normalise(header: str) -> str:
    """Header text without case, accents, spaces or punctuation: ``Cédula`` -> ``cedula``."""
    decomposed = unicodedata.normalize("NFKD", header)
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum() and ch.isascii())


_ALIAS_INDEX: dict[str, str] = {
    normalise(alias): canonical
    for canonical, aliases in ALIASES.items()
    for alias in (canonical, *aliases)
}
_INFORMATIONAL_INDEX = {normalise(name) for name in INFORMATIONAL}
_TOTALS_INDEX: dict[str, str] = {
    normalise(name): canonical for canonical, names in TOTALS.items() for name in names
}


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how a spreadsheet user names a column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class Header:
    """Where things are in the export's rows."""

    row: int  # 1-based
    texts: list[str]  # every header cell, stripped
    known: dict[str, int] = field(default_factory=dict)  # canonical -> column index
    concepts: list[tuple[int, str]] = field(default_factory=list)  # (index, header as written)
    unheaded: list[int] = field(default_factory=list)  # columns without header text
    totals: dict[str, int] = field(default_factory=dict)  # "total_devengado" -> column index

    def name(self, canonical: str) -> str:
        return self.texts[self.known[canonical]]


class HeaderMatcher:
    """Recognises headers, with this export's own names (options) beating the aliases."""

    def __init__(self, options: ExportOptions) -> None:
        unknown = sorted(set(options.columns) - set(EMPLOYEE_COLUMNS))
        if unknown:
            raise ConfigError(
                T("[export] columns names unknown columns: {columns}",
                  columns=", ".join(unknown)),
                hint=T("use {columns}", columns=", ".join(EMPLOYEE_COLUMNS)),
            )
        self.configured: Mapping[str, str] = options.columns
        self.own: Mapping[str, str] = {
            normalise(header): canonical for canonical, header in options.columns.items()
        }
        self.ignored = {normalise(header) for header in options.ignore}

    def classify(self, norm: str) -> str | None:
        """canonical name, a TOTALS name, ``_IGNORED``, or None (a concept)."""
        own = self.own.get(norm)
        if own is not None:
            return own
        if norm in self.ignored or norm in _INFORMATIONAL_INDEX:
            return _IGNORED
        return _ALIAS_INDEX.get(norm) or _TOTALS_INDEX.get(norm)

    def known_count(self, cells: list[object]) -> int:
        """How many cells of a row are known column names: a header holds at least two."""
        count = 0
        for cell in cells:
            if isinstance(cell, str) and cell and self.classify(normalise(cell)) is not None:
                count += 1
        return count

    def names_identification(self, cells: list[object]) -> bool:
        """Whether a row holds the identification column's name."""
        return any(
            isinstance(cell, str) and cell and self.classify(normalise(cell)) == "identificacion"
            for cell in cells
        )

    def header(self, file: str, row: int, cells: list[object]) -> Header:
        """The header of ``cells`` (row ``row``); rejects duplicate and ambiguous columns."""
        texts = [cell.strip() if isinstance(cell, str) else cell_text(cell) for cell in cells]
        header = Header(row=row, texts=texts)
        seen: dict[str, int] = {}
        by_alias: dict[str, int] = {}  # canonical -> column, when matched by alias only
        for index, text in enumerate(texts):
            if not text:
                header.unheaded.append(index)
                continue
            norm = normalise(text) or text
            if norm in seen:
                first = seen[norm]
                raise ExportRowError(
                    file,
                    T("duplicate column header: {first} (column {first_letter}) and {second} "
                      "(column {second_letter}) are the same column; rename or delete one",
                      first=repr(texts[first]), first_letter=column_letter(first),
                      second=repr(text), second_letter=column_letter(index)),
                    row=row, column=text,
                )
            seen[norm] = index
            kind = self.classify(norm)
            if kind is None:
                header.concepts.append((index, text))
            elif kind in TOTALS:
                self._place_total(file, header, kind, index)
            elif kind != _IGNORED:
                self._place(file, header, kind, index, norm in self.own, by_alias)
        for canonical, wanted in self.configured.items():
            if normalise(wanted) not in seen:
                raise ExportRowError(
                    file,
                    T("no column {header}, which [export] columns names for {canonical}",
                      header=repr(wanted), canonical=canonical),
                    row=row,
                    hint=T("fix [export] columns in config.toml"),
                )
        return header

    @staticmethod
    def _place_total(file: str, header: Header, kind: str, index: int) -> None:
        if kind in header.totals:  # "Total devengado" beside "Total devengos": which to check?
            first = header.totals[kind]
            raise ExportRowError(
                file,
                T("columns {first} and {second} are both {kind}",
                  first=repr(header.texts[first]), second=repr(header.texts[index]),
                  kind=kind),
                row=header.row, column=header.texts[index],
                hint=T("list the one not to check in [export] ignore in config.toml"),
            )
        header.totals[kind] = index

    def _place(
        self, file: str, header: Header, canonical: str, index: int, own: bool,
        by_alias: dict[str, int],
    ) -> None:
        if own:  # the configured header wins over an alias column seen before it
            by_alias.pop(canonical, None)
            header.known[canonical] = index
            return
        if canonical in header.known and canonical not in by_alias:
            return  # an alias column beside the configured one: ignored
        if canonical in by_alias:
            first = by_alias[canonical]
            raise ExportRowError(
                file,
                T("columns {first} and {second} are both {kind}",
                  first=repr(header.texts[first]), second=repr(header.texts[index]),
                  kind=canonical),
                row=header.row, column=header.texts[index],
                hint=T("set [export] columns.{canonical} to the header to use",
                       canonical=canonical),
            )
        by_alias[canonical] = index
        header.known[canonical] = index


def cell_text(cell: object) -> str:
    """A cell as text, for names and messages: Excel's 1020304050.0 is ``1020304050``."""
    if isinstance(cell, str):
        return cell.strip()
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell).strip()
