"""The context object every command receives: the output, the settings, the paths and the
Alegra client they lead to."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from alegra_sync.cli.output import Output

if TYPE_CHECKING:
    from alegra_sync.alegra.client import AlegraClient
    from alegra_sync.config import Credentials, Paths, Settings


@dataclass
class AppContext(Output):
    config_path: Path | None = None

    def setup_logging(self) -> None:
        level = {-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO}.get(
            self.verbosity, logging.DEBUG
        )
        logging.basicConfig(level=level, format="%(name)s: %(message)s")

    @cached_property
    def settings(self) -> Settings:
        from alegra_sync.config import load_settings

        return load_settings(self.config_path)

    @cached_property
    def paths(self) -> Paths:
        from alegra_sync.config import paths_for

        return paths_for(self.settings)

    def credentials(self) -> Credentials:
        from alegra_sync.config import load_credentials

        return load_credentials(self.paths.credentials)

    def client(self, credentials: Credentials | None = None) -> AlegraClient:
        from alegra_sync.sync.connection import client_for

        return client_for(self.settings, credentials or self.credentials())
