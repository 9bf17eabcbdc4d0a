"""End-to-end fixtures: a real sandbox on 127.0.0.1 and a home with the sample mapping."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from alegra_sync.sandbox import SandboxServer
from e2e.helpers import FAST_CONFIG, SAMPLES


@pytest.fixture
def sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[SandboxServer]:
    with SandboxServer() as server:
        monkeypatch.setenv("ALEGRA_SYNC_BASE_URL", server.url)
        monkeypatch.setenv("ALEGRA_SYNC_USER", server.USER)
        monkeypatch.setenv("ALEGRA_SYNC_TOKEN", server.TOKEN)
        yield server


@pytest.fixture
def home(isolated_home: Path, sandbox: SandboxServer) -> Path:
    shutil.copy(SAMPLES / "mapping.toml", isolated_home / "mapping.toml")
    (isolated_home / "config.toml").write_text(FAST_CONFIG, encoding="utf-8")
    (isolated_home / "exports").mkdir()
    return isolated_home


@pytest.fixture
def dump(sandbox: SandboxServer) -> Callable[[], dict[str, Any]]:
    return lambda: sandbox.store.dump()
