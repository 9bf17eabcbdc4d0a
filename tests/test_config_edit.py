"""`map` sets `[contacts] create_missing = true` in config.toml by editing one line: every other
line, comment and setting stays as it was, and a file it cannot edit safely is left alone."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from alegra_sync.config import enable_contact_creation
from alegra_sync.errors import ConfigError


@pytest.mark.parametrize(("before", "after"), [
    ("", "[contacts]\ncreate_missing = true\n"),
    ('# the office\nlang = "es"  # Spanish\n',
     '# the office\nlang = "es"  # Spanish\n\n[contacts]\ncreate_missing = true\n'),
    ("[sync]\nstart = 2026-01-01",
     "[sync]\nstart = 2026-01-01\n\n[contacts]\ncreate_missing = true\n"),
    ("[contacts]\ncreate_missing = false  # ask first\n\n[sync]\nstart = 2026-01-01\n",
     "[contacts]\ncreate_missing = true  # ask first\n\n[sync]\nstart = 2026-01-01\n"),
    ("[contacts]  # terceros\n# created by sync?\n[journal]\ndetail = \"summary\"\n",
     "[contacts]  # terceros\ncreate_missing = true\n# created by sync?\n[journal]\n"
     "detail = \"summary\"\n"),
])
def test_one_line_changes_and_the_rest_stays(tmp_path: Path, before: str, after: str) -> None:
    path = tmp_path / "config.toml"
    if before:
        path.write_text(before, encoding="utf-8")
        path.chmod(0o600)
    enable_contact_creation(path)
    assert path.read_text(encoding="utf-8") == after
    assert tomllib.loads(after)["contacts"]["create_missing"] is True
    if before:
        assert path.stat().st_mode & 0o777 == 0o600  # its mode too


@pytest.mark.parametrize("before", [
    "contacts.create_missing = false\n",           # a dotted key: not a line this edits
    "contacts = { create_missing = false }\n",
    "[contacts\n",                                  # not TOML
])
def test_a_file_it_cannot_edit_safely_is_left_alone(tmp_path: Path, before: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(before, encoding="utf-8")
    with pytest.raises(ConfigError):
        enable_contact_creation(path)
    assert path.read_text(encoding="utf-8") == before
