"""The fixtures of the end-to-end and reliability tests: a real sandbox on 127.0.0.1 and a
home with the sample mapping. Loaded for every test folder by the root conftest."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from alegra_sync.sandbox import SandboxServer
from e2e.helpers import FAST_CONFIG, SAMPLES


@pytest.fixture
def sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[SandboxServer]:
    """A seeded demo company on loopback; the environment points alegra-sync at it."""
    with SandboxServer() as server:
        monkeypatch.setenv("ALEGRA_SYNC_BASE_URL", server.url)
        monkeypatch.setenv("ALEGRA_SYNC_USER", server.USER)
        monkeypatch.setenv("ALEGRA_SYNC_TOKEN", server.TOKEN)
        yield server


@pytest.fixture
def home(isolated_home: Path, sandbox: SandboxServer) -> Path:
    """The test's home with the sample mapping, a fast config and an empty exports folder."""
    shutil.copy(SAMPLES / "mapping.toml", isolated_home / "mapping.toml")
    (isolated_home / "config.toml").write_text(FAST_CONFIG, encoding="utf-8")
    (isolated_home / "exports").mkdir()
    return isolated_home
