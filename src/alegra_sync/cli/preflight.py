"""What the command line must know before the settings load: the language, and where the home
and the config file are.

click handles ``--help`` eagerly: the root's help is drawn while the root's options are being
parsed, before the root callback runs, and a subcommand's while the subcommand's are. So the
root group hands ``take_language`` the raw arguments before it parses them: it finds ``--lang``
(anywhere before ``--``) and ``--config``, tells ``i18n``, and moves ``--lang`` to the front,
where the root option validates it. The language itself is resolved when the first text is
drawn; config.toml is read for it (with tomllib, not the settings: start-up is budgeted) only
when neither ``--lang`` nor ``ALEGRA_SYNC_LANG`` is set.

The home rules repeat ``config.home_dir``/``state_dir`` without their imports (pydantic);
tests/cli/test_help_language.py holds the two to the same answers.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from alegra_sync import env, i18n

APP_NAME = "alegra-sync"  # config.APP_NAME, the platform folders' name
LANG_OPTION = "--lang"
CONFIG_OPTION = "--config"


def take_language(args: Sequence[str]) -> list[str]:
    """``args`` with the last ``--lang X``/``--lang=X`` before ``--`` moved to the front (the
    others dropped), after configuring i18n with it and with the ``--config`` given."""
    rest: list[str] = []
    lang: str | None = None
    config: str | None = None
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
        rest.append(token)
        index += 1
    i18n.configure(flag=lang, config=lambda: config_language(config))
    return rest if lang is None else [LANG_OPTION, lang, *rest]


def config_language(config_flag: str | None, environ: Mapping[str, str] | None = None
                    ) -> str | None:
    """``lang`` of the config file the settings will read, or None (no file, no such key, or
    a file that is not TOML: the settings report that one when they load)."""
    path = config_file(config_flag, environ)
    try:
        with path.open("rb") as handle:
            import tomllib

            value = tomllib.load(handle).get("lang")
    except (OSError, ValueError):  # tomllib.TOMLDecodeError is a ValueError
        return None
    return value if isinstance(value, str) else None


def config_file(config_flag: str | None, environ: Mapping[str, str] | None = None) -> Path:
    """``--config``, else ALEGRA_SYNC_CONFIG, else config.toml in the home."""
    environ = os.environ if environ is None else environ
    named = config_flag or environ.get(env.CONFIG)
    if named:
        return Path(named).expanduser()
    return home_folder(environ) / "config.toml"


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
