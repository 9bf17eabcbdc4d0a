"""A firm home on loopback: three companies (acme, beta, gamma), each connected to its own
company of one sandbox that serves three, the sample mapping in each, the fast test settings
in the firm's config.toml (the defaults under each company's)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from alegra_sync.sandbox import SandboxServer
from alegra_sync.sandbox.server import SandboxCompany
from e2e.helpers import FAST_CONFIG, SAMPLES, cli
from notify.conftest import receiver, smtp  # noqa: F401 (the notification tests' fixtures)

SLUGS = ("acme", "beta", "gamma")


@dataclass
class Firm:
    home: Path
    sandbox: SandboxServer

    def company(self, slug: str) -> Path:
        return self.home / "companies" / slug

    def books(self, slug: str) -> SandboxCompany:
        """The sandbox company a slug is connected to (acme 1, beta 2, gamma 3)."""
        return self.sandbox.company(SLUGS.index(slug) + 1)


@pytest.fixture
def firm_sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[SandboxServer]:
    with SandboxServer(companies=len(SLUGS)) as server:
        monkeypatch.setenv("ALEGRA_SYNC_BASE_URL", server.url)
        yield server


def connect(slug: str, company: SandboxCompany) -> None:
    done = cli("--company", slug, "connect", "--user", company.user, "--token-stdin",
               input=company.token + "\n")
    assert done.exit_code == 0, done.output


@pytest.fixture
def firm(isolated_home: Path, firm_sandbox: SandboxServer,
         monkeypatch: pytest.MonkeyPatch) -> Firm:
    monkeypatch.setenv("ALEGRA_SYNC_TODAY", "2026-11-16")
    (isolated_home / "config.toml").write_text(FAST_CONFIG, encoding="utf-8")
    made = Firm(isolated_home, firm_sandbox)
    for slug in SLUGS:
        assert cli("companies", "add", slug).exit_code == 0
        shutil.copy(SAMPLES / "mapping.toml", made.company(slug) / "mapping.toml")
        connect(slug, made.books(slug))
    return made
