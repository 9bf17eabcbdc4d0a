"""What the command line must know before the settings load: the language, and where the home
and the config file are.

click handles ``--help`` eagerly: the root's help is drawn while the root's options are being
parsed, before the root callback runs, and a subcommand's while the subcommand's are. So the
root group hands ``take_language`` the raw arguments before it parses them: it finds ``--lang``
(anywhere before ``--``) and ``--config``, tells ``i18n``, and moves ``--lang`` to the front,
where the root option validates it. The language itself is resolved when the first text is
drawn; config.toml is read for it (with tomllib, not the settings: start-up is budgeted) only
when neither ``--lang`` nor ``ALEGRA_SYNC_LANG`` is set.

The home rules repeat ``config.home_dir``/``state_dir`` (and the firm's: ``--company``, the
slug rule, the firm's config.toml under the company's) without their imports (pydantic);
tests/cli/test_help_language.py and tests/firm/ hold the two to the same answers.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from alegra_sync import env, i18n

APP_NAME = "alegra-sync"  # config.APP_NAME, the platform folders' name
LANG_OPTION = "--lang"
CONFIG_OPTION = "--config"
COMPANY_OPTION = "--company"
COMPANIES_FOLDER = "companies"  # config.COMPANIES_FOLDER
SLUG = re.compile(r"[a-z0-9-]{1,40}")  # config.is_slug's rule


def is_slug(text: str) -> bool:
    return SLUG.fullmatch(text) is not None


def take_language(args: Sequence[str]) -> list[str]:
    """``args`` with the last ``--lang X``/``--lang=X`` before ``--`` moved to the front (the
    others dropped), after configuring i18n with it and with the ``--config`` given."""
    rest: list[str] = []
    lang: str | None = None
    config: str | None = None
    company: str | None = None
    tokens = list(args)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token == "--":
            rest.extend(tokens[index:])
            break
        if token == LANG_OPTION and index + 1 < len(tokens):
            lang = tokens[index + 1]
            index += 2
            continue
        if token.startswith(LANG_OPTION + "="):
            lang = token.partition("=")[2]
            index += 1
            continue
        if token == CONFIG_OPTION and index + 1 < len(tokens):
            config = tokens[index + 1]
        elif token.startswith(CONFIG_OPTION + "="):
            config = token.partition("=")[2]
        elif token == COMPANY_OPTION and index + 1 < len(tokens):
            company = tokens[index + 1]
        elif token.startswith(COMPANY_OPTION + "="):
            company = token.partition("=")[2]
        rest.append(token)
        index += 1
    i18n.configure(flag=lang, config=lambda: config_language(config, company=company))
    return rest if lang is None else [LANG_OPTION, lang, *rest]


def config_language(config_flag: str | None, environ: Mapping[str, str] | None = None, *,
                    company: str | None = None) -> str | None:
    """``lang`` of the config file the settings will read (a firm's company: its own, else
    the firm's), or None (no file, no such key, or a file that is not TOML: the settings
    report that one when they load)."""
    for path in config_files(config_flag, environ, company=company):
        try:
            with path.open("rb") as handle:
                import tomllib

                value = tomllib.load(handle).get("lang")
        except (OSError, ValueError):  # tomllib.TOMLDecodeError is a ValueError
            continue
        if isinstance(value, str):
            return value
    return None


def config_file(config_flag: str | None, environ: Mapping[str, str] | None = None, *,
                company: str | None = None) -> Path:
    """``--config``, else ALEGRA_SYNC_CONFIG, else config.toml in the home (a firm's
    company: in its folder)."""
    return config_files(config_flag, environ, company=company)[0]


def config_files(config_flag: str | None, environ: Mapping[str, str] | None = None, *,
                 company: str | None = None) -> list[Path]:
    """The config files the settings read, the one that wins first: the company's (or the
    one ``--config`` names), then the firm's."""
    environ = os.environ if environ is None else environ
    company = company or environ.get(env.COMPANY) or None
    home = home_folder(environ)
    firm = company is not None and is_slug(company) and (home / COMPANIES_FOLDER).is_dir()
    named = config_flag or environ.get(env.CONFIG)
    own = Path(named).expanduser() if named else (
        home / COMPANIES_FOLDER / str(company) / "config.toml" if firm else home / "config.toml")
    return [own, home / "config.toml"] if firm else [own]


def home_folder(environ: Mapping[str, str] | None = None) -> Path:
    """ALEGRA_SYNC_HOME, else the platform's config folder (as ``config.home_dir``)."""
    environ = os.environ if environ is None else environ
    explicit = environ.get(env.HOME)
    if explicit:
        return Path(explicit).expanduser().resolve()
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def state_folder(environ: Mapping[str, str] | None = None) -> Path:
    """Where the state and the logs are: the home when set, else the platform's state folder."""
    environ = os.environ if environ is None else environ
    if environ.get(env.HOME):
        return home_folder(environ)
    import platformdirs

    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False))
