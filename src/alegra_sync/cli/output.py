"""Everything the CLI shows: consoles (chatter on stderr, data on stdout), messages that honour
-q/-v, tables, money, JSON documents and progress.

Colour is off without a TTY or with NO_COLOR (rich honours both by itself). Start-up is
budgeted: rich is imported when something is first drawn.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, TextIO

import typer

from alegra_sync.errors import AlegraSyncError
from alegra_sync.i18n import Text, _, local

if TYPE_CHECKING:
    from rich.console import Console

    from alegra_sync.cli.tables import WholeColumnsTable

ColumnKind = Literal["text", "name", "code", "money", "count"]


@dataclass(frozen=True)
class Column:
    """A table column. Codes, money and counts are never cut or wrapped; names wrap."""

    header: str
    kind: ColumnKind = "text"
    footer: str = ""


@dataclass
class Output:
    verbosity: int = 0  # -1 quiet, 0 normal, 1 verbose, 2 HTTP detail

    @cached_property
    def err(self) -> Console:
        from rich.console import Console

        return Console(stderr=True, highlight=False, soft_wrap=True, width=_width(sys.stderr))

    @cached_property
    def out(self) -> Console:
        from rich.console import Console

        return Console(highlight=False, soft_wrap=True, width=_width(sys.stdout))

    @property
    def quiet(self) -> bool:
        return self.verbosity < 0

    def info(self, message: str) -> None:
        if not self.quiet:
            self.err.print(message)

    def detail(self, message: str) -> None:
        if self.verbosity > 0:
            self.err.print(message, style="dim")

    def warn(self, message: str | Text) -> None:
        """A warning is text: a "[contacts]" or a file name in it is not markup."""
        from rich.markup import escape

        if not self.quiet:
            label = escape(_("warning:"))  # never _() inside an f-string: Babel misses it
            self.err.print(f"[yellow]{label}[/] {escape(local(message))}")

    def error(self, message: str | Text, hint: str | Text | None = None) -> None:
        from rich.markup import escape

        label = escape(_("error:"))
        line = f"[bold red]{label}[/] {escape(local(message))}"
        if hint:
            line += f" [dim]— {escape(local(hint))}[/]"
        self.err.print(line)

    def failure(self, error: AlegraSyncError, prefix: str = "") -> None:
        """An error's one line, in the chosen language."""
        message, hint = error.localized()
        self.error(prefix + message, hint)

    def json(self, document: Any) -> None:
        """One JSON document on stdout: keys and values are never translated."""
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))


def table(columns: Sequence[Column | str], title: str | None = None, *,
          footer: bool = False, header: bool = True) -> WholeColumnsTable:
    """A table whose code, money and count columns are never cut, at any width: they keep
    the width of their widest cell (header and footer included), and only the text and name
    columns give way (they wrap; a word too long for its column ends in "…"). Where even the
    whole columns do not fit, the table is wider than the terminal, never wrong."""
    from alegra_sync.cli.tables import WholeColumnsTable

    result = WholeColumnsTable(title=title, title_justify="left", show_footer=footer,
                               show_header=header)
    for column in columns:
        spec = column if isinstance(column, Column) else Column(column)
        result.add_whole_column(spec.header, footer=spec.footer,
                                whole=spec.kind in ("code", "money", "count"),
                                right=spec.kind in ("money", "count"))
    return result


def money(amount: Decimal | None) -> str:
    """Colombian style: 1.234.567,50 (no decimals shown when there are none)."""
    if amount is None:
        return ""
    text = f"{amount:,.2f}" if amount != amount.to_integral_value() else f"{amount:,.0f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


class Progress:
    """A progress bar on stderr once there is more than one item; nothing otherwise, in -q
    or when disabled (``--json``). Its total is known only when the work starts."""

    def __init__(self, output: Output, *, enabled: bool) -> None:
        self._output = output
        self._enabled = enabled and not output.quiet
        self._bar: Any = None
        self._task: Any = None

    def start(self, total: int) -> None:
        if not self._enabled or total <= 1:
            return
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn
        from rich.progress import Progress as Bar

        self._bar = Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        console=self._output.err, transient=True)
        self._bar.start()
        self._task = self._bar.add_task("", total=total)

    def advance(self, description: str) -> None:
        if self._bar is not None:
            self._bar.update(self._task, advance=1, description=description)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()


def local_time(stamp: str | None) -> str:
    """A UTC ISO time of the state as Bogotá reads it: ``2026-11-16 06:30``."""
    if not stamp:
        return ""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return moment.astimezone(ZoneInfo("America/Bogota")).strftime("%Y-%m-%d %H:%M")


def _width(stream: TextIO) -> int | None:
    """Tables piped to a file or mail (cron) get 160 columns, not rich's 80; COLUMNS wins."""
    if os.environ.get("COLUMNS") or stream.isatty():
        return None
    return 160


def is_interactive() -> bool:
    """True when a person can answer prompts (stdin and stderr are terminals)."""
    return sys.stdin.isatty() and sys.stderr.isatty()
