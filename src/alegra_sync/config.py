"""Settings (flag > ALEGRA_SYNC_* environment > config.toml > default), home paths, credentials.

Imported only by commands that need settings: pydantic-settings costs start-up time.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from contextvars import ContextVar
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from alegra_sync import env
from alegra_sync._files import write_atomic
from alegra_sync.errors import ConfigError
from alegra_sync.i18n import _

APP_NAME = "alegra-sync"
DEFAULT_BASE_URL = "https://api.alegra.com/api/v1"
# The config file the next Settings() reads; pydantic-settings takes sources per class.
_toml_file: ContextVar[Path | None] = ContextVar("toml_file", default=None)


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AlegraSettings(_Section):
    base_url: str = DEFAULT_BASE_URL
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    requests_per_minute: Annotated[int, Field(ge=1, le=10_000)] = 150
    # attempts after a failed read or refused connection (never after a POST that may have
    # landed), with backoff 0.5 s, 1 s, 2 s, … (at most 8 s each)
    retries: Annotated[int, Field(ge=0, le=10)] = 4


class ExportSettings(_Section):
    folder: Path | None = None  # relative to the home unless absolute; default <home>/exports
    pattern: str = "*.*"
    layout: Literal["auto", "wide", "long"] = "auto"
    sheet: str | None = None
    decimal_separator: Literal[",", "."] = ","
    ignore: list[str] = Field(default_factory=list)
    # canonical column -> the header this export uses for it, e.g. identificacion = "NIT"
    columns: dict[str, str] = Field(default_factory=dict)
    negative_deductions: bool = False


class PayrollSettings(_Section):
    frequency: Literal["biweekly", "monthly"] = "biweekly"


class SyncSettings(_Section):
    start: date | None = None  # first period --catch-up considers
    # the comprobante's date: the period's last day, or the export's (earliest) payment date
    journal_date: Literal["period_end", "payment_date"] = "period_end"
    # the egreso's date when the export has no payment date: this many days after the period
    payment_days_after_end: Annotated[int, Field(ge=0, le=31)] = 0
    # waits (seconds) between the look-ups after a POST whose outcome is unknown; together
    # as long as the read timeout, so that a document Alegra stores late is still found
    recheck_delays: list[Annotated[float, Field(ge=0, le=600)]] = Field(
        default_factory=lambda: [2.0, 4.0, 8.0, 16.0], min_length=1)


def _decimal_as_written(value: Any) -> Any:
    """TOML writes 0.5 as a float: read the decimal written, never the binary float."""
    return Decimal(repr(value)) if isinstance(value, float) else value


class JournalSettings(_Section):
    detail: Literal["employee", "summary"] = "employee"
    max_entries: Annotated[int, Field(ge=4)] = 500
    number_template: str | None = None
    # the ajuste al peso an employee's payable may take, in currency units (accounting.md,
    # "Rounding: the ajuste al peso"); it needs [accounts] rounding in the mapping
    rounding_tolerance: Annotated[Decimal, BeforeValidator(_decimal_as_written),
                                  Field(ge=0, allow_inf_nan=False)] = Decimal(1)


class ContactsSettings(_Section):
    create_missing: bool = False


class Settings(BaseSettings):
    """Everything config.toml can hold. Sections nest; the environment uses ``__``
    (ALEGRA_SYNC_JOURNAL__DETAIL)."""

    model_config = SettingsConfigDict(
        env_prefix=env.PREFIX, env_nested_delimiter="__", extra="forbid"
    )

    mapping: Path = Path("mapping.toml")
    # the interface's language; also ALEGRA_SYNC_LANG and --lang, which win (i18n.py). The
    # command line reads it before the settings load (cli/preflight.py): help is drawn first.
    lang: Literal["es", "en"] | None = None
    alegra: AlegraSettings = Field(default_factory=AlegraSettings)
    export: ExportSettings = Field(default_factory=ExportSettings)
    payroll: PayrollSettings = Field(default_factory=PayrollSettings)
    sync: SyncSettings = Field(default_factory=SyncSettings)
    journal: JournalSettings = Field(default_factory=JournalSettings)
    contacts: ContactsSettings = Field(default_factory=ContactsSettings)

    @model_validator(mode="after")
    def _rechecks_outlast_a_read(self) -> Settings:
        """A POST whose answer timed out may be stored by Alegra until the read timeout has
        passed: looking it up for less time could take it for absent and post it twice."""
        waited, timeout = sum(self.sync.recheck_delays), self.alegra.read_timeout
        if waited < timeout:
            raise ValueError(
                f"sync.recheck_delays add up to {waited:g} s, less than alegra.read_timeout "
                f"({timeout:g} s): a document Alegra stores late would be posted twice; make "
                "them add up to at least the read timeout"
            )
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=_toml_file.get())
        return (init_settings, env_settings, toml)


def home_dir() -> Path:
    """ALEGRA_SYNC_HOME, else the platform's config folder; never the current folder."""
    explicit = os.environ.get(env.HOME)
    if explicit:
        home = Path(explicit).expanduser().resolve()
        if home.exists() and not home.is_dir():
            raise ConfigError(f"ALEGRA_SYNC_HOME={explicit} is a file, not a folder",
                              hint="point ALEGRA_SYNC_HOME at a folder (it is created if missing)")
        return home
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def state_dir() -> Path:
    """Where the state database and logs live: the home when set, else platformdirs' state."""
    if os.environ.get(env.HOME):
        return home_dir()
    import platformdirs

    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False))


class Paths:
    """Every file alegra-sync keeps, derived from the home."""

    def __init__(self, home: Path, state: Path, mapping: Path) -> None:
        self.home = home
        self.state = state
        self.config = home / "config.toml"
        self.credentials = home / "credentials.toml"
        self.mapping = mapping if mapping.is_absolute() else home / mapping
        self.database = state / "state.sqlite3"
        self.lock = state / "sync.lock"
        self.log = state / "alegra-sync.log"
        self.cache = state / "cache"


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Settings from ``--config``/ALEGRA_SYNC_CONFIG or the home's config.toml.

    ``overrides`` are command-line flags (nested as dicts) and beat everything.
    """
    path = config_path(config_file)
    if config_file is not None and not path.exists():
        raise ConfigError(f"{path}: no such config file")
    if path.exists():
        try:
            with path.open("rb") as handle:
                tomllib.load(handle)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}", hint="fix the file") from None
    base_url = os.environ.get(env.BASE_URL)
    if base_url and "alegra" not in overrides:
        overrides = {**overrides, "alegra": {"base_url": base_url}}
    token = _toml_file.set(path if path.exists() else None)
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        source = _source_of(first["loc"], overrides) or str(path)
        message = str(first["msg"]).removeprefix("Value error, ")
        if not where:  # a rule between settings: its message names them
            raise ConfigError(f"invalid settings: {message}",
                              hint=f"check {path} and the {env.PREFIX}* variables") from None
        raise ConfigError(f"{source}: invalid setting {where}: {message}") from None
    finally:
        _toml_file.reset(token)


def config_path(config_file: Path | None = None) -> Path:
    """The config file settings come from: ``--config``, ALEGRA_SYNC_CONFIG, else the home's
    config.toml (which may not exist yet)."""
    return config_file or _env_path(env.CONFIG) or home_dir() / "config.toml"


_TABLE = re.compile(r"^\s*\[")
_CONTACTS = re.compile(r"^\s*\[\s*contacts\s*\]\s*(#.*)?$")
_CREATE_MISSING = re.compile(r"^(\s*create_missing\s*=\s*)(true|false)\b")


def enable_contact_creation(path: Path) -> None:
    """Set ``[contacts] create_missing = true`` in the config file, keeping every other line,
    comment and setting as it is: the one line is changed, inserted under ``[contacts]``, or
    ``[contacts]`` is appended with it. The result is read back before it is written
    (atomically); a file this cannot edit safely is left alone (ConfigError, 78)."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    before = _parsed(path, text)
    lines = text.splitlines(keepends=True)
    header = next((i for i, line in enumerate(lines) if _CONTACTS.match(line)), None)
    if header is None:
        gap = "" if not text else ("\n" if text.endswith("\n") else "\n\n")
        lines.append(f"{gap}[contacts]\ncreate_missing = true\n")
    else:
        end = next((i for i in range(header + 1, len(lines)) if _TABLE.match(lines[i])),
                   len(lines))
        found = next((i for i in range(header + 1, end) if _CREATE_MISSING.match(lines[i])),
                     None)
        if found is None:
            if not lines[header].endswith("\n"):
                lines[header] += "\n"
            lines.insert(header + 1, "create_missing = true\n")
        else:
            lines[found] = _CREATE_MISSING.sub(r"\g<1>true", lines[found], count=1)
    edited = "".join(lines)
    try:
        after: dict[str, Any] | None = tomllib.loads(edited)
    except tomllib.TOMLDecodeError:  # e.g. contacts.create_missing written as a dotted key
        after = None
    contacts = before.get("contacts", {})
    expected = {**before, "contacts": {**(contacts if isinstance(contacts, dict) else {}),
                                       "create_missing": True}}
    if after != expected:
        raise ConfigError(f"{path}: create_missing could not be set safely in this file",
                          hint="add the two lines [contacts] and create_missing = true to it "
                          "by hand")
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    write_atomic(path, edited, mode=mode)


def _parsed(path: Path, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}", hint="fix the file") from None


def _source_of(loc: tuple[int | str, ...], overrides: dict[str, Any]) -> str | None:
    """Where a bad value came from, when not from the config file: a flag or a variable
    (``recheck_delays.0`` comes from the variable of the whole list)."""
    names = [str(part) for part in loc if isinstance(part, str)]
    if not names:  # a rule between settings: its message names them
        return None
    value: Any = overrides
    for part in names:
        value = value.get(part) if isinstance(value, dict) else None
    if value is not None:
        return "a command-line option"
    name = env.PREFIX + "__".join(names).upper()
    if name in {key.upper() for key in os.environ}:
        return f"{name}={os.environ.get(name, '')!r}"
    return None


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value).expanduser() if value else None


def paths_for(settings: Settings) -> Paths:
    return Paths(home_dir(), state_dir(), settings.mapping)


def export_folder(settings: Settings, paths: Paths) -> Path:
    """Where `sync` and `map` look for exports: [export] folder, else <home>/exports."""
    folder = settings.export.folder or Path("exports")
    return folder if folder.is_absolute() else paths.home / folder


def today() -> date:
    """Today in America/Bogota, or ALEGRA_SYNC_TODAY for rehearsals and tests."""
    override = os.environ.get(env.TODAY)
    if override:
        try:
            return date.fromisoformat(override)
        except ValueError:
            raise ConfigError(
                f"ALEGRA_SYNC_TODAY={override!r} is not a date", hint="use YYYY-MM-DD"
            ) from None
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("America/Bogota")).date()


# --- credentials -------------------------------------------------------------------------


class Credentials(BaseModel):
    user: str
    token: str
    # the Alegra `connect` verified them against (credentials.toml keeps it: sandbox
    # credentials must never go to api.alegra.com from a terminal without the sandbox's
    # variables); None: they came from the environment, or from a file older than that
    base_url: str | None = None

    def __repr__(self) -> str:  # the token never shows, not even in a traceback's locals
        return f"Credentials(user={self.user!r}, token='***', base_url={self.base_url!r})"

    __str__ = __repr__


def load_credentials(path: Path) -> Credentials:
    """ALEGRA_SYNC_USER/ALEGRA_SYNC_TOKEN beat the file; a file others can read is refused."""
    env_user = os.environ.get(env.USER)
    env_token = os.environ.get(env.TOKEN)
    if env_user and env_token:
        return Credentials(user=env_user, token=env_token)
    if not path.exists():
        raise ConfigError(
            "no credentials",
            hint="run `alegra-sync connect` or set ALEGRA_SYNC_USER and ALEGRA_SYNC_TOKEN",
        )
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ConfigError(
            f"{path} is readable by group or others (mode {mode:04o})",
            hint=f"run `chmod 600 {path}`",
        )
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError):
        raise ConfigError(
            f"{path}: unreadable credentials file", hint="run `alegra-sync connect` again"
        ) from None
    user = env_user or raw.get("user")
    token = env_token or raw.get("token")
    if not isinstance(user, str) or not isinstance(token, str) or not user or not token:
        raise ConfigError(
            f"{path}: the credentials file lacks user or token",
            hint="run `alegra-sync connect` again",
        )
    stored = raw.get("base_url")
    return Credentials(user=user, token=token,
                       base_url=stored if isinstance(stored, str) and stored else None)


def save_credentials(path: Path, credentials: Credentials) -> None:
    import tomli_w

    fields = {"user": credentials.user, "token": credentials.token}
    if credentials.base_url:
        fields["base_url"] = credentials.base_url
    write_atomic(path, tomli_w.dumps(fields), mode=0o600)


def alegra_base_url(settings: Settings, credentials: Credentials) -> str:
    """Where the credentials are sent: the environment (``ALEGRA_SYNC_BASE_URL``) beats the
    URL stored with them by ``connect``, which beats config.toml and the default.

    A config.toml ``[alegra] base_url`` that differs from the stored one is refused (78): the
    token belongs to the server it was verified on, and neither can silently win.
    """
    configured = settings.alegra.base_url
    stored = credentials.base_url
    if stored is None or any(os.environ.get(name) for name in _BASE_URL_VARIABLES):
        return configured
    if ("base_url" in settings.alegra.model_fields_set
            and configured.rstrip("/") != stored.rstrip("/")):
        raise ConfigError(
            _("the stored credentials were verified against {stored}, but config.toml sets "
              "[alegra] base_url = {configured}").format(stored=stored, configured=configured),
            hint=_("run `alegra-sync connect` again to use {configured}, or remove base_url "
                   "from config.toml").format(configured=configured))
    return stored


# ALEGRA_SYNC_BASE_URL, and the setting's own variable (ALEGRA_SYNC_ALEGRA__BASE_URL)
_BASE_URL_VARIABLES = (env.BASE_URL, f"{env.PREFIX}ALEGRA__BASE_URL")
