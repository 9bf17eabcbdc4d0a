"""The context object every command receives: the output, the settings, the paths and the
Alegra client they lead to."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from alegra_sync.cli.output import Output

if TYPE_CHECKING:
    from alegra_sync.alegra.client import AlegraClient
    from alegra_sync.config import Credentials, Home, Paths, Settings
    from alegra_sync.sync.ledger import CompanyRecord


@dataclass
class AppContext(Output):
    config_path: Path | None = None
    company: str | None = None  # --company / ALEGRA_SYNC_COMPANY: a firm home's company

    def setup_logging(self) -> None:
        level = {-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO}.get(
            self.verbosity, logging.DEBUG
        )
        logging.basicConfig(level=level, format="%(name)s: %(message)s")

    @cached_property
    def home(self) -> Home:
        """The company home the command works on; 78 in a firm home without --company."""
        from alegra_sync.config import selected_home

        return selected_home(self.company)

    @cached_property
    def settings(self) -> Settings:
        from alegra_sync.config import load_settings

        return load_settings(self.config_path, home=self.home)

    @cached_property
    def paths(self) -> Paths:
        from alegra_sync.config import paths_for

        return paths_for(self.settings, self.home)

    @cached_property
    def firm(self) -> Path:
        """The firm home, for the commands over every company (78 when it is not one)."""
        from alegra_sync.config import firm_home

        if self.company is not None:
            from alegra_sync.errors import UsageError
            from alegra_sync.i18n import T

            raise UsageError(T("--company names one company: not with a command over all of "
                               "them"), hint=T("drop --company (or unset ALEGRA_SYNC_COMPANY)"))
        return firm_home()

    @cached_property
    def firm_settings(self) -> Settings:
        """The firm home's own settings (its config.toml; --config names another)."""
        from alegra_sync.config import Home, load_settings

        return load_settings(self.config_path, home=Home(self.firm, self.firm))

    @property
    def in_firm(self) -> bool:
        """Whether the home is a firm's (it has a companies/ folder)."""
        from alegra_sync.config import firm_slugs, home_dir

        return firm_slugs(home_dir()) is not None

    def company_guard(self) -> Callable[[CompanyRecord], None] | None:
        """For a firm's company: what refuses an Alegra company another slug has (78)."""
        home = self.home
        if home.firm is None or home.company is None:
            return None
        from alegra_sync.firm.companies import nit_guard

        return nit_guard(home.firm, home.company)

    def credentials(self) -> Credentials:
        from alegra_sync.config import load_credentials

        return load_credentials(self.paths.credentials)

    def client(self, credentials: Credentials | None = None) -> AlegraClient:
        from alegra_sync.sync.connection import client_for

        return client_for(self.settings, credentials or self.credentials())
