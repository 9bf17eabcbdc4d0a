"""What the language does not change (--json), and where the command line finds the config
file that may name it before the settings load (cli/preflight.py against config.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from alegra_sync import config, i18n
from alegra_sync.cli import preflight
from alegra_sync.cli.app import app
from alegra_sync.errors import ConfigError
from alegra_sync.sandbox import SandboxServer


def both_languages(*args: str) -> dict[str, Any]:
    """The --json document of one command line under each way of asking for a language."""
    runner = CliRunner()
    documents = {}
    for name, extra, env in (("en", ["--lang", "en"], {}), ("es", ["--lang", "es"], {}),
                             ("LANG=es", [], {"LANG": "es_CO.UTF-8"})):
        result = runner.invoke(app, [*extra, *args], env=env)
        assert result.exit_code == 0, result.output
        documents[name] = json.loads(result.stdout)
    return documents


def test_status_json_is_the_same_in_both_languages() -> None:
    documents = both_languages("status", "--json")
    assert documents["en"] == {"version": 1, "command": "status", "periods": []}
    assert documents["es"] == documents["en"] == documents["LANG=es"]


def test_accounts_json_is_the_same_in_both_languages(sandbox: SandboxServer) -> None:
    documents = both_languages("accounts", "--json")
    assert documents["en"] and set(documents["en"][0]) == {
        "id", "idParent", "code", "name", "type", "nature", "use", "status"}
    assert documents["es"] == documents["en"] == documents["LANG=es"]


# --- the config file and the home, before the settings -------------------------------------


def test_the_lang_setting(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert config.load_settings().lang is None
    (isolated_home / "config.toml").write_text('lang = "es"\n', encoding="utf-8")
    assert config.load_settings().lang == "es"
    monkeypatch.setenv("ALEGRA_SYNC_LANG", "en")  # the environment beats the file
    assert config.load_settings().lang == "en"
    monkeypatch.setenv("ALEGRA_SYNC_LANG", "fr")
    with pytest.raises(ConfigError, match="lang"):
        config.load_settings()


def test_the_config_file_is_the_one_the_settings_read(isolated_home: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    named = tmp_path / "named.toml"
    flagged = tmp_path / "flagged.toml"
    for path, lang in ((isolated_home / "config.toml", "es"), (named, "en"), (flagged, "es")):
        path.write_text(f'lang = "{lang}"\n', encoding="utf-8")
    cases = [(None, None, isolated_home / "config.toml"), (None, named, named),
             (flagged, named, flagged)]
    for flag, variable, expected in cases:
        if variable is None:
            monkeypatch.delenv("ALEGRA_SYNC_CONFIG", raising=False)
        else:
            monkeypatch.setenv("ALEGRA_SYNC_CONFIG", str(variable))
        assert preflight.config_file(str(flag) if flag else None) == expected
        assert preflight.config_language(str(flag) if flag else None) == \
            config.load_settings(flag).lang


@pytest.mark.parametrize("home_set", [True, False])
def test_the_home_is_the_one_the_settings_use(home_set: bool,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    if not home_set:
        monkeypatch.delenv("ALEGRA_SYNC_HOME")
    assert preflight.home_folder() == config.home_dir()
    assert preflight.state_folder() == config.state_dir()
    assert preflight.APP_NAME == config.APP_NAME


def test_take_language_moves_the_last_lang_to_the_front() -> None:
    take = preflight.take_language
    assert take(["sync", "--lang", "es", "--dry-run"]) == ["--lang", "es", "sync", "--dry-run"]
    assert take(["--lang=en", "-v", "--lang", "es", "sync"]) == ["--lang", "es", "-v", "sync"]
    assert take(["sync", "--", "--lang", "es"]) == ["sync", "--", "--lang", "es"]
    assert take(["sync", "--lang"]) == ["sync", "--lang"]  # click says what is missing
    assert take(["--config", "c.toml", "status"]) == ["--config", "c.toml", "status"]
    assert i18n.language() == "en"  # no --lang given, and nothing else set


def test_the_demo_runs_its_steps_in_the_language_it_was_given() -> None:
    """Each step is a nested run of the root command in a new home: it is given --lang."""
    result = CliRunner().invoke(app, ["--lang", "es", "demo"])
    assert result.exit_code == 0, result.output
    assert i18n.language() == "es"  # what the last nested run chose
