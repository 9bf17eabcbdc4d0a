"""The long layout: one row per employee and concept; employee columns repeat and must agree."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from alegra_sync.errors import ExportRowError
from alegra_sync.i18n import T
from alegra_sync.payroll.amounts import ZERO
from alegra_sync.payroll.columns import Header, cell_text
from alegra_sync.payroll.fast import NAME_FIELDS, TEXT_FIELDS
from alegra_sync.payroll.model import Employee
from alegra_sync.payroll.readers import Row
from alegra_sync.payroll.wide import (
    RowChecker,
    TotalCheck,
    TotalsRow,
    filled,
    identification,
    is_total_label,
    scientific_id,
)


@dataclass
class _LongEmployee:
    identification: str
    row: int
    fields: dict[str, tuple[object, int]] = field(default_factory=dict)
    amounts: dict[str, Decimal] = field(default_factory=dict)
    concept_rows: dict[str, int] = field(default_factory=dict)


class LongRows(RowChecker):
    """One row per employee and concept; employee columns repeat and must agree."""

    def __init__(
        self, file: str, header: Header, decimal_separator: str, first_column: int,
        spreadsheet: bool = False,
    ):
        super().__init__(file, header, decimal_separator, first_column, spreadsheet)
        missing = [c for c in ("concepto", "valor") if c not in header.known]
        if missing:
            needed = (T("the long layout needs the columns {first} and {second}",
                        first=missing[0], second=missing[1]) if len(missing) > 1 else
                      T("the long layout needs the column {column}", column=missing[0]))
            raise ExportRowError(
                file, needed, row=header.row,
                hint=T("name them in [export] columns or use layout = \"wide\""),
            )
        self.concepts = []
        self._field_cols = [
            (canonical, header.known[canonical])
            for canonical in (*TEXT_FIELDS, *NAME_FIELDS, "fecha_pago", "neto")
            if canonical in header.known
        ]

    def read(self, rows: Iterator[Row], first_row: int) -> None:
        known = self.header.known
        concept_col, value_col = known["concepto"], known["valor"]
        value_header = self.header.texts[value_col]
        checked_cells = bool(self.header.unheaded)
        records: dict[str, _LongEmployee] = {}
        listed: set[str] = set()
        pending: list[tuple[TotalsRow, str, Row]] = []
        for number, row in enumerate(rows, first_row):
            if checked_cells or len(row) != self.width:
                row = self.fit(row, number)
            ident = identification(row[self.id_col])
            if not ident.isdigit() and scientific_id(row[self.id_col]):
                raise self.scientific(row[self.id_col], number)
            concept = cell_text(row[concept_col])
            value_cell = row[value_col]
            name = cell_text(row[self.name_col]) if self.name_col is not None else ""
            if not ident or is_total_label(ident) or is_total_label(name):
                labelled = bool(ident) or bool(name and is_total_label(name))
                if not labelled and not filled(value_cell) and not concept:
                    continue
                if not labelled and name:
                    self.reject_totals_row(TotalsRow(number, "", False))
                pending.append((TotalsRow(number, ident or name, labelled), concept, row))
                continue
            if pending:
                self.reject_totals_row(pending[0][0])
            value = self.amount(value_cell, number, value_header)
            if not concept and filled(value_cell):
                raise ExportRowError(
                    self.file, T("missing concept"), row=number,
                    column=self.header.texts[concept_col], value="",
                )
            record = records.get(ident)
            if record is None:
                record = records[ident] = _LongEmployee(ident, number)
            self._agree(record, row, number)
            if concept:
                if concept in record.concept_rows:
                    raise ExportRowError(
                        self.file, T("duplicate concept for employee {id}: also on row {row}",
                                     id=ident, row=record.concept_rows[concept]),
                        row=number, column=self.header.texts[concept_col], value=concept,
                    )
                record.concept_rows[concept] = number
                if concept not in listed:
                    listed.add(concept)
                    self.concepts.append(concept)
                if value:
                    record.amounts[concept] = value
            self.period_cells(row, number)
        self.employees = [self._employee(record) for record in records.values()]
        for totals_row, concept, row in pending:
            self._take_total(totals_row.row, concept, row, value_col, value_header)

    def _agree(self, record: _LongEmployee, row: Row, number: int) -> None:
        for canonical, column in self._field_cols:
            cell = row[column]
            if not filled(cell):
                continue
            if canonical == "fecha_pago":
                value: object = self.date_at(cell, number, column)
            elif canonical == "neto":
                value = self.amount(cell, number, self.header.texts[column])
            else:
                value = cell_text(cell)
            first = record.fields.get(canonical)
            if first is None:
                record.fields[canonical] = (value, number)
            elif first[0] != value:
                raise ExportRowError(
                    self.file,
                    T("employee {id} has {value} here on row {row}; the rows of one employee "
                      "must agree", id=record.identification, value=_shown(first[0]),
                      row=first[1]),
                    row=number, column=self.header.texts[column], value=cell_text(cell),
                )

    def _employee(self, record: _LongEmployee) -> Employee:
        def get(canonical: str) -> object:
            found = record.fields.get(canonical)
            return found[0] if found else None

        def text(canonical: str) -> str | None:
            value = get(canonical)
            return value if isinstance(value, str) else None

        payment = get("fecha_pago")
        neto = get("neto")
        person = self.person([text(name) or "" for name in NAME_FIELDS])
        kind_row = record.fields.get("tipo_identificacion", (None, record.row))[1]
        return Employee(
            identification=record.identification,
            name=text("nombre") or (person.full if person else ""),
            id_type=self.id_type(text("tipo_identificacion"), kind_row),
            cost_center=text("centro_costos"),
            eps=text("eps"),
            afp=text("afp"),
            payment_date=payment if isinstance(payment, date) else None,
            amounts=record.amounts,
            neto=neto if isinstance(neto, Decimal) else None,
            row=record.row,
            person=person,
        )

    def _take_total(
        self, number: int, concept: str, row: Row, value_col: int, value_header: str
    ) -> None:
        cell = row[value_col]
        if concept:
            value = self.amount(cell, number, value_header)
            check = TotalCheck(number, value_header, cell, concept)
            self.add_total(concept, value, check)
        elif filled(cell):  # one grand total of every amount
            value = self.amount(cell, number, value_header)
            found = sum((sum(e.amounts.values(), ZERO) for e in self.employees), ZERO)
            if found != value:
                self._mismatch(TotalCheck(number, value_header, cell, ""), value, found)
        self.set_neto_total(row, number)


def _shown(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return repr(value) if isinstance(value, str) else str(value)
