"""Every test gets its own home, no colour and a fixed width; nothing touches a real home.

After each test, every file the test left in its home but the credentials file (logs, the
state database, caches) is scanned for the tokens the tests use.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from secrets_scan import leaks_in_tree

pytest_plugins = ["e2e.fixtures"]  # sandbox and home, for e2e/ and reliability/



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
    leaked = leaks_in_tree(home)
    assert not leaked, f"the token leaked into {', '.join(leaked)} (under ALEGRA_SYNC_HOME)"
