"""Every test gets its own home, no colour and a fixed width; nothing touches a real home."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

RECORDED = Path(__file__).parent / "fixtures" / "recorded"
SAMPLES = Path(__file__).parents[1] / "src" / "alegra_sync" / "samples"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("ALEGRA_SYNC_HOME", str(home))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("TERM", "dumb")
    for name in ("ALEGRA_SYNC_USER", "ALEGRA_SYNC_TOKEN", "ALEGRA_SYNC_BASE_URL",
                 "ALEGRA_SYNC_CONFIG", "ALEGRA_SYNC_TODAY", "ALEGRA_SYNC_TEST_CRASH"):
        monkeypatch.delenv(name, raising=False)
    yield home
