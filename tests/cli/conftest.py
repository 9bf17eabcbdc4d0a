"""The command line's tests read its words (help, usage errors): every one starts in English,
whatever the locale of the machine running them. (The same lines belong in the root
conftest's ``isolated_home`` once the library's messages are translated too.)"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from alegra_sync import i18n

LOCALE = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG", "ALEGRA_SYNC_LANG")


@pytest.fixture(autouse=True)
def plain_locale(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in LOCALE:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    i18n.configure()
    yield
    i18n.configure()
