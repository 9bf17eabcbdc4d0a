"""The context object every command receives: verbosity, consoles, settings and the client.

Chatter goes to stderr, data to stdout. Colour is off without a TTY or with NO_COLOR (rich
honours both by itself).
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from rich.console import Console

    from alegra_sync.alegra.client import AlegraClient
    from alegra_sync.config import Credentials, Paths, Settings


@dataclass
class AppContext:
    verbosity: int = 0  # -1 quiet, 0 normal, 1 verbose, 2 HTTP detail
    config_path: Path | None = None
    overrides: dict[str, Any] = field(default_factory=dict)

    # --- output ---------------------------------------------------------------------------

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

    def warn(self, message: str) -> None:
        """A warning is text: a "[contacts]" or a file name in it is not markup."""
        from rich.markup import escape

        if not self.quiet:
            self.err.print(f"[yellow]warning:[/] {escape(message)}")

    def error(self, message: str, hint: str | None = None) -> None:
        from rich.markup import escape

        line = f"[bold red]error:[/] {escape(message)}"
        if hint:
            line += f" [dim]— {escape(hint)}[/]"
        self.err.print(line)

    def setup_logging(self) -> None:
        level = {-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO}.get(
            self.verbosity, logging.DEBUG
        )
        logging.basicConfig(level=level, format="%(name)s: %(message)s")

    # --- configuration ----------------------------------------------------------------------

    @cached_property
    def settings(self) -> Settings:
        from alegra_sync.config import load_settings

        return load_settings(self.config_path, **self.overrides)

    @cached_property
    def paths(self) -> Paths:
        from alegra_sync.config import paths_for

        return paths_for(self.settings)

    def credentials(self) -> Credentials:
        from alegra_sync.config import load_credentials

        return load_credentials(self.paths.credentials)

    def client(self, credentials: Credentials | None = None) -> AlegraClient:
        from alegra_sync.alegra.client import AlegraClient

        creds = credentials or self.credentials()
        alegra = self.settings.alegra
        return AlegraClient(
            alegra.base_url,
            creds.user,
            creds.token,
            connect_timeout=alegra.connect_timeout,
            read_timeout=alegra.read_timeout,
            requests_per_minute=alegra.requests_per_minute,
            max_retries=alegra.retries,
        )


def _width(stream: TextIO) -> int | None:
    """Tables piped to a file or mail (cron) get 160 columns, not rich's 80; COLUMNS wins."""
    if os.environ.get("COLUMNS") or stream.isatty():
        return None
    return 160


def is_interactive() -> bool:
    """True when a person can answer prompts (stdin and stderr are terminals)."""
    return sys.stdin.isatty() and sys.stderr.isatty()
