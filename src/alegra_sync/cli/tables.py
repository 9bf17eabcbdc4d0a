"""The table behind ``output.table()``: columns of codes, money and counts keep the width of
their widest cell, so rich narrows only the columns of names (which wrap) to fit the terminal.

rich narrows a ``no_wrap`` column too when the others cannot give enough; a ``min_width``
equal to its widest cell is what it never goes below. Imported when a table is first drawn.
"""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text


def cell_width(cell: object) -> int:
    """The width a cell needs on one line (markup aside); 0 for what is not text."""
    if isinstance(cell, str):
        cell = Text.from_markup(cell)
    if isinstance(cell, Text):
        return max((cell_len(line) for line in cell.plain.splitlines()), default=0)
    return 0


def cell_len(text: str) -> int:
    from rich.cells import cell_len as measure

    return measure(text)


class WholeColumnsTable(Table):
    """A rich Table that remembers which columns must never be cut."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._whole: list[bool] = []

    def add_whole_column(self, header: str, *, footer: str = "", whole: bool,
                         right: bool) -> None:
        self.add_column(header, footer=footer, no_wrap=whole,
                        justify="right" if right else "left",
                        overflow="fold" if whole else "ellipsis",
                        min_width=max(cell_width(header), cell_width(footer)) if whole
                        else None)
        self._whole.append(whole)

    def add_row(self, *renderables: Any, **options: Any) -> None:
        super().add_row(*renderables, **options)
        for index, cell in enumerate(renderables[:len(self._whole)]):
            self._widen(index, cell)

    def set_footer(self, index: int, text: str) -> None:
        """A footer known once the rows are in (a total)."""
        self.show_footer = True
        self.columns[index].footer = text
        self._widen(index, text)

    def _widen(self, index: int, cell: object) -> None:
        if index < len(self._whole) and self._whole[index]:
            column = self.columns[index]
            column.min_width = max(column.min_width or 0, cell_width(cell))
