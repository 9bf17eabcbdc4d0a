"""Every test gets its own home, no colour and a fixed width; nothing touches a real home.

After each test, every file the test left in its home but the credentials file (logs, the
state database, caches) is scanned for the tokens the tests use.

``sandbox`` (a real sandbox on 127.0.0.1) and ``home`` (the sample mapping, a fast config) are
for the tests that run the real command: e2e/, reliability/ and sync/. tests/sandbox/ has a
``sandbox`` of its own.
"""

from __future__ import annotations

import shutil
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from alegra_sync import i18n
from alegra_sync.sandbox import SandboxServer
from e2e.helpers import FAST_CONFIG, SAMPLES
from secrets_scan import leaks_in_tree


def pytest_configure(config: pytest.Config) -> None:
    """The tests that press Ctrl-C (a SIGINT to a sandbox, a sync, a firm run) play a person at
    a terminal. A shell without job control starts background jobs with SIGINT ignored, and
    an ignored signal stays ignored in every child: the suite run as `pytest &` (or from a
    script, as CI may) would hand the commands a Ctrl-C they cannot hear. A Python handler
    becomes the default action in the children instead."""
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("ALEGRA_SYNC_HOME", str(home))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("TERM", "dumb")
    for name in ("ALEGRA_SYNC_USER", "ALEGRA_SYNC_TOKEN", "ALEGRA_SYNC_BASE_URL",
                 "ALEGRA_SYNC_CONFIG", "ALEGRA_SYNC_TODAY", "ALEGRA_SYNC_TEST_CRASH",
                 "ALEGRA_SYNC_LANG", "ALEGRA_SYNC_COMPANY", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")  # English, whatever the machine's locale
    i18n.configure()  # the choice is made again from this environment
    yield home
    i18n.configure()
    leaked = leaks_in_tree(home)
    assert not leaked, f"the token leaked into {', '.join(leaked)} (under ALEGRA_SYNC_HOME)"


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
