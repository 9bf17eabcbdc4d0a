"""Settings precedence (flag > environment > config.toml > default), homes and credentials."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alegra_sync.cli.app import app
from alegra_sync.config import (
    Credentials,
    alegra_base_url,
    home_dir,
    load_credentials,
    load_settings,
    paths_for,
    save_credentials,
    state_dir,
)
from alegra_sync.errors import ConfigError, ExitCode


def write_config(home: Path, text: str) -> None:
    (home / "config.toml").write_text(text, encoding="utf-8")


def test_defaults(isolated_home: Path) -> None:
    settings = load_settings()
    assert settings.journal.detail == "employee" and settings.journal.max_entries == 500
    assert settings.alegra.base_url == "https://api.alegra.com/api/v1"
    assert settings.payroll.frequency == "biweekly"
    assert paths_for(settings).mapping == isolated_home / "mapping.toml"


def test_flag_beats_env_beats_file_beats_default(isolated_home: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    write_config(isolated_home, '[journal]\ndetail = "summary"\nmax_entries = 100\n'
                                "[alegra]\nread_timeout = 9\n")
    settings = load_settings()
    assert (settings.journal.detail, settings.journal.max_entries) == ("summary", 100)
    monkeypatch.setenv("ALEGRA_SYNC_JOURNAL__MAX_ENTRIES", "50")
    settings = load_settings()
    assert (settings.journal.detail, settings.journal.max_entries) == ("summary", 50)
    assert settings.alegra.read_timeout == 9  # the file still counts for the rest
    settings = load_settings(journal={"max_entries": 20})
    assert (settings.journal.detail, settings.journal.max_entries) == ("summary", 20)


def test_base_url_from_the_environment(isolated_home: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    write_config(isolated_home, '[alegra]\nbase_url = "http://127.0.0.1:1/file"\n')
    assert load_settings().alegra.base_url == "http://127.0.0.1:1/file"
    monkeypatch.setenv("ALEGRA_SYNC_BASE_URL", "http://127.0.0.1:2/env")
    assert load_settings().alegra.base_url == "http://127.0.0.1:2/env"


def test_config_flag_and_env_name_another_file(tmp_path: Path, isolated_home: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    other = tmp_path / "other.toml"
    other.write_text('[payroll]\nfrequency = "monthly"\n', encoding="utf-8")
    assert load_settings(other).payroll.frequency == "monthly"
    monkeypatch.setenv("ALEGRA_SYNC_CONFIG", str(other))
    assert load_settings().payroll.frequency == "monthly"
    with pytest.raises(ConfigError, match="no such config file"):
        load_settings(tmp_path / "missing.toml")


@pytest.mark.parametrize(("text", "message"), [
    ("[journal\n", "not valid TOML"),
    ('[journal]\ndetail = "weekly"\n', "invalid setting journal.detail"),
    ("[journal]\ncolour = 1\n", "invalid setting journal.colour"),
])
def test_a_bad_config_is_a_78(isolated_home: Path, text: str, message: str) -> None:
    write_config(isolated_home, text)
    with pytest.raises(ConfigError, match=message) as raised:
        load_settings()
    assert raised.value.exit_code == ExitCode.CONFIG
    assert "config.toml" in str(raised.value)


def test_home_is_never_the_current_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path
                                          ) -> None:
    monkeypatch.delenv("ALEGRA_SYNC_HOME")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    assert home_dir() == tmp_path / "xdg-config" / "alegra-sync"
    assert state_dir() == tmp_path / "xdg-state" / "alegra-sync"
    assert home_dir() != Path.cwd()


def test_a_home_that_is_a_file_is_a_78(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                       ) -> None:
    afile = tmp_path / "home-file"
    afile.write_text("", encoding="utf-8")
    monkeypatch.setenv("ALEGRA_SYNC_HOME", str(afile))
    result = CliRunner().invoke(app, ["sync", "--dry-run"])
    assert result.exit_code == 78
    assert result.output == (f"error: ALEGRA_SYNC_HOME={afile} is a file, not a folder — point "
                             "ALEGRA_SYNC_HOME at a folder (it is created if missing)\n")


def test_credentials_round_trip_0600_and_env_override(isolated_home: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = isolated_home / "credentials.toml"
    save_credentials(path, Credentials(user="a@example.com", token="tok3n-CLI-secret-998877"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_credentials(path).user == "a@example.com"
    assert "tok3n" not in repr(load_credentials(path))
    monkeypatch.setenv("ALEGRA_SYNC_USER", "cron@example.com")
    monkeypatch.setenv("ALEGRA_SYNC_TOKEN", "other")
    assert load_credentials(path) == Credentials(user="cron@example.com", token="other")


@pytest.mark.parametrize(("content", "mode", "message"), [
    ('user = "a@example.com"\ntoken = "x"\n', 0o644, "readable by group or others (mode 0644)"),
    ('user = "a@example.com"\ntoken = "x"\n', 0o640, "readable by group or others (mode 0640)"),
    ("", 0o600, "lacks user or token"),
    ("user = \n", 0o600, "unreadable credentials file"),
])
def test_bad_credentials_files(isolated_home: Path, content: str, mode: int, message: str
                               ) -> None:
    path = isolated_home / "credentials.toml"
    path.write_text(content, encoding="utf-8")
    path.chmod(mode)
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_credentials(path)


SANDBOX_URL = "http://127.0.0.1:8765/api/v1"


def test_connect_stores_the_url_with_the_credentials_and_env_still_wins(
        isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = isolated_home / "credentials.toml"
    save_credentials(path, Credentials(user="demo@example.com", token="sandbox-demo-token",
                                       base_url=SANDBOX_URL))
    assert 'base_url = "http://127.0.0.1:8765/api/v1"' in path.read_text(encoding="utf-8")
    stored = load_credentials(path)
    assert stored.base_url == SANDBOX_URL
    # a new terminal: no variable, no config: the stored URL, not api.alegra.com
    assert alegra_base_url(load_settings(), stored) == SANDBOX_URL
    # the environment beats the file, under either of its names
    for name in ("ALEGRA_SYNC_BASE_URL", "ALEGRA_SYNC_ALEGRA__BASE_URL"):
        monkeypatch.setenv(name, "http://127.0.0.1:9999/api/v1")
        assert alegra_base_url(load_settings(), stored) == "http://127.0.0.1:9999/api/v1"
        monkeypatch.delenv(name)
    # credentials from the environment carry no URL: the settings' (default) one
    monkeypatch.setenv("ALEGRA_SYNC_USER", "cron@example.com")
    monkeypatch.setenv("ALEGRA_SYNC_TOKEN", "other")
    from_env = load_credentials(path)
    assert from_env.base_url is None
    assert alegra_base_url(load_settings(), from_env) == "https://api.alegra.com/api/v1"


def test_credentials_of_older_versions_use_the_settings_url(isolated_home: Path) -> None:
    path = isolated_home / "credentials.toml"
    save_credentials(path, Credentials(user="a@example.com", token="x"))
    assert "base_url" not in path.read_text(encoding="utf-8")
    write_config(isolated_home, f'[alegra]\nbase_url = "{SANDBOX_URL}"\n')
    assert alegra_base_url(load_settings(), load_credentials(path)) == SANDBOX_URL


def test_a_config_url_other_than_the_stored_one_is_refused(isolated_home: Path) -> None:
    path = isolated_home / "credentials.toml"
    save_credentials(path, Credentials(user="a@example.com", token="x", base_url=SANDBOX_URL))
    write_config(isolated_home, f'[alegra]\nbase_url = "{SANDBOX_URL}/"\n')  # the same one
    assert alegra_base_url(load_settings(), load_credentials(path)) == SANDBOX_URL
    write_config(isolated_home, '[alegra]\nbase_url = "https://api.alegra.com/api/v1"\n')
    with pytest.raises(ConfigError) as refused:
        alegra_base_url(load_settings(), load_credentials(path))
    assert refused.value.exit_code == ExitCode.CONFIG
    assert str(refused.value) == (
        f"the stored credentials were verified against {SANDBOX_URL}, but config.toml sets "
        "[alegra] base_url = https://api.alegra.com/api/v1 (run `alegra-sync connect` again to "
        "use https://api.alegra.com/api/v1, or remove base_url from config.toml)")
