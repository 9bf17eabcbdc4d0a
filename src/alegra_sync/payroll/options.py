"""How to read one export: the reader's side of config.toml's ``[export]`` section."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from alegra_sync.config import Settings


@dataclass(frozen=True)
class ExportOptions:
    layout: Literal["auto", "wide", "long"] = "auto"
    sheet: str | None = None  # XLSX: the sheet to read; the first one when None
    decimal_separator: Literal[",", "."] = ","  # decides ambiguous amounts such as 1.234
    ignore: tuple[str, ...] = ()  # headers that are neither employee columns nor concepts
    # canonical column -> the header this export uses for it (beats the built-in aliases)
    columns: Mapping[str, str] = field(default_factory=dict)


def export_options(settings: Settings) -> ExportOptions:
    export = settings.export
    return ExportOptions(
        layout=export.layout, sheet=export.sheet, decimal_separator=export.decimal_separator,
        ignore=tuple(export.ignore), columns=dict(export.columns),
    )
