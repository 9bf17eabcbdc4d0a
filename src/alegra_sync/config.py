"""Settings (flag > ALEGRA_SYNC_* environment > config.toml > default), home paths, credentials.

A firm home (operations.md) holds ``companies/<slug>/``, each a complete company home; there the
firm's config.toml is the defaults under each company's (flag > environment > company config >
firm config > default).

Imported only by commands that need settings: pydantic-settings costs start-up time.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from contextvars import ContextVar
from dataclasses import dataclass
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
    InitSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from alegra_sync import env
from alegra_sync._files import write_atomic
from alegra_sync.errors import ConfigError, UsageError, validation_reason
from alegra_sync.i18n import T, Text

APP_NAME = "alegra-sync"
DEFAULT_BASE_URL = "https://api.alegra.com/api/v1"
# What the config files the next Settings() reads hold, merged (the firm's under the
# company's); pydantic-settings takes sources per class.
_toml_data: ContextVar[dict[str, Any] | None] = ContextVar("toml_data", default=None)


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
    # "required": sync stages each period and `approve` posts it (operations.md, "Approval")
    approval: Literal["auto", "required"] = "auto"
    remind_after_days: Annotated[int, Field(ge=0, le=365)] = 2


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


class FirmSettings(_Section):
    """A firm home's own settings (in its config.toml): how many companies run at once."""

    parallel: Annotated[int, Field(ge=1, le=32)] = 4


NotifyEvent = Literal["failure", "posted", "staged", "nothing-to-do"]
DEFAULT_EVENTS: tuple[NotifyEvent, ...] = ("failure", "posted", "staged")


class NotifySettings(_Section):
    """Who hears about a run (operations.md, "Notifications"). Checked when a message is sent,
    not when the settings load: a notification that cannot be sent never stops a sync."""

    email_to: list[str] = Field(default_factory=list)
    email_from: str | None = None
    smtp_host: str | None = None
    smtp_port: Annotated[int, Field(ge=1, le=65535)] | None = None  # 587, 465 (ssl) or 25
    smtp_security: Literal["starttls", "ssl", "none"] = "starttls"
    smtp_user: str | None = None
    on: list[NotifyEvent] = Field(default_factory=lambda: list(DEFAULT_EVENTS))
    # the period report of each posted or staged period: true is its HTML; or the formats
    attach_report: bool | list[Literal["html", "xlsx"]] = True
    webhook_url: str = ""
    per_company: bool = False  # firm mode: one message per company instead of one digest
    timeout: Annotated[float, Field(gt=0, le=300)] = 10.0  # seconds, per SMTP or HTTP step

    @property
    def configured(self) -> bool:
        return bool(self.email_to or self.webhook_url)

    @property
    def report_formats(self) -> list[Literal["html", "xlsx"]]:
        """The report files an e-mail attaches (none without e-mail)."""
        if not self.email_to or self.attach_report is False:
            return []
        if self.attach_report is True:
            return ["html"]
        return [kind for kind in ("html", "xlsx") if kind in self.attach_report]


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
    firm: FirmSettings = Field(default_factory=FirmSettings)
    notify: NotifySettings = Field(default_factory=NotifySettings)

    @model_validator(mode="after")
    def _rechecks_outlast_a_read(self) -> Settings:
        """A POST whose answer timed out may be stored by Alegra until the read timeout has
        passed: looking it up for less time could take it for absent and post it twice."""
        waited, timeout = sum(self.sync.recheck_delays), self.alegra.read_timeout
        if waited < timeout:
            raise ValueError(T(
                "sync.recheck_delays add up to {waited} s, less than alegra.read_timeout "
                "({timeout} s): a document Alegra stores late would be posted twice; make "
                "them add up to at least the read timeout", waited=format(waited, "g"),
                timeout=format(timeout, "g")))
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
        toml = InitSettingsSource(settings_cls, init_kwargs=_toml_data.get() or {})
        return (init_settings, env_settings, toml)


def home_dir() -> Path:
    """ALEGRA_SYNC_HOME, else the platform's config folder; never the current folder."""
    explicit = os.environ.get(env.HOME)
    if explicit:
        home = Path(explicit).expanduser().resolve()
        if home.exists() and not home.is_dir():
            raise ConfigError(T("ALEGRA_SYNC_HOME={home} is a file, not a folder",
                                home=explicit),
                              hint=T("point ALEGRA_SYNC_HOME at a folder (it is created if "
                                     "missing)"))
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


# --- firm homes and company homes (operations.md, "Firm mode") -------------------------------

COMPANIES_FOLDER = "companies"
REMOVED_FOLDER = "removed"
_SLUG = re.compile(r"[a-z0-9-]{1,40}")


def is_slug(text: str) -> bool:
    return _SLUG.fullmatch(text) is not None


def check_slug(slug: str) -> str:
    """``slug`` if it is one (lower-case letters, digits and -, 1–40 characters), else 2."""
    if not is_slug(slug):
        raise UsageError(T("{slug} is not a company slug", slug=repr(slug)),
                         hint=T("use lower-case letters, digits and -, 1–40 characters, e.g. "
                                "panaderia-la-9"))
    return slug


def firm_slugs(home: Path) -> list[str] | None:
    """The slugs of a firm home's companies, sorted; None for a home that is not a firm's."""
    folder = home / COMPANIES_FOLDER
    if not folder.is_dir():
        return None
    return sorted(entry.name for entry in os.scandir(folder)
                  if entry.is_dir() and is_slug(entry.name))


@dataclass(frozen=True)
class Home:
    """Where a command works: a company's folder and, for one of a firm's, the firm home."""

    folder: Path  # config.toml, credentials.toml, mapping.toml, exports/
    state: Path  # the state database, the lock, the log, caches
    firm: Path | None = None
    company: str | None = None  # the slug

    @property
    def configs(self) -> list[Path]:
        """The config files under the company's, lowest first: the firm's."""
        return [self.firm / "config.toml"] if self.firm is not None else []


def company_home(firm: Path, slug: str) -> Home:
    folder = firm / COMPANIES_FOLDER / slug
    return Home(folder, folder, firm, slug)


def firm_home() -> Path:
    """The firm home (ALEGRA_SYNC_HOME or the platform's), refused when it is not one."""
    root = home_dir()
    if firm_slugs(root) is None:
        raise ConfigError(T("{home} is not a firm home: it has no companies/ folder",
                            home=root),
                          hint=T("`alegra-sync companies add SLUG` adds the first company"))
    return root


def selected_home(company: str | None) -> Home:
    """The home a command works on: ALEGRA_SYNC_HOME as one company, or a firm home's company.

    A firm home without a company named stops with 78, listing its companies. In a firm, a
    company's state is in its own folder, wherever the firm home is.
    """
    root = home_dir()
    slugs = firm_slugs(root)
    if slugs is None:
        if company is not None:
            raise ConfigError(
                T("--company {slug}: {home} is not a firm home (it has no companies/ "
                  "folder)", slug=company, home=root),
                hint=T("`alegra-sync companies add {slug}` makes it one; without --company "
                       "alegra-sync works on this home as one company", slug=company))
        return Home(root, state_dir())
    if company is None:
        listed: str | Text = ", ".join(slugs) if slugs else T("none yet")
        raise ConfigError(
            T("{home} is a firm home: say which company (companies: {slugs})",
              home=root, slugs=listed),
            hint=T("add --company SLUG (or set ALEGRA_SYNC_COMPANY=SLUG), or use "
                   "--all-companies"))
    check_slug(company)
    if company not in slugs:
        raise ConfigError(
            T("no company {slug} in {folder}", slug=repr(company),
              folder=root / COMPANIES_FOLDER),
            hint=T("`alegra-sync companies` lists them; `alegra-sync companies add {slug}` "
                   "creates it", slug=company))
    return company_home(root, company)


def load_settings(config_file: Path | None = None, *, home: Home | None = None,
                  config_variable: bool = True, **overrides: Any) -> Settings:
    """Settings from ``--config``/ALEGRA_SYNC_CONFIG or the home's config.toml, over the
    firm's config.toml when ``home`` is a firm's company.

    ``overrides`` are command-line flags (nested as dicts) and beat everything. A view over
    every company reads each one's own config.toml: ``config_variable=False`` ignores
    ALEGRA_SYNC_CONFIG, which names one file.
    """
    path = config_path(config_file, home, config_variable=config_variable)
    if config_file is not None and not path.exists():
        raise ConfigError(T("{path}: no such config file", path=path))
    layers = [*(home.configs if home is not None else []), path]
    merged: dict[str, Any] = {}
    defined_in: dict[str, Path] = {}  # a section or key -> the file that sets it last
    for layer in layers:
        data = _read_toml(layer)
        for key in data:
            defined_in[key] = layer
        merged = _deep_merge(merged, data)
    base_url = os.environ.get(env.BASE_URL)
    if base_url and "alegra" not in overrides:
        overrides = {**overrides, "alegra": {"base_url": base_url}}
    token = _toml_data.set(merged)
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        top = str(first["loc"][0]) if first["loc"] else ""
        source = _source_of(first["loc"], overrides) or str(defined_in.get(top, path))
        message = validation_reason(first)
        if not where:  # a rule between settings: its message names them
            raise ConfigError(T("invalid settings: {message}", message=message),
                              hint=T("check {path} and the {prefix}* variables", path=path,
                                     prefix=env.PREFIX)) from None
        raise ConfigError(T("{source}: invalid setting {where}: {message}", source=source,
                            where=where, message=message)) from None
    finally:
        _toml_data.reset(token)


def config_path(config_file: Path | None = None, home: Home | None = None, *,
                config_variable: bool = True) -> Path:
    """The config file settings come from: ``--config``, ALEGRA_SYNC_CONFIG, else the home's
    (the company's, in a firm) config.toml, which may not exist yet."""
    folder = home.folder if home is not None else home_dir()
    named = _env_path(env.CONFIG) if config_variable else None
    return config_file or named or folder / "config.toml"


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
        raise ConfigError(T("{path}: create_missing could not be set safely in this file",
                            path=path),
                          hint=T("add the two lines [contacts] and create_missing = true to "
                                 "it by hand"))
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    write_atomic(path, edited, mode=mode)


def _parsed(path: Path, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(T("{path}: not valid TOML: {error}", path=path, error=str(exc)),
                          hint=T("fix the file")) from None


def _read_toml(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(T("{path}: not valid TOML: {error}", path=path, error=str(exc)),
                          hint=T("fix the file")) from None
    except OSError as exc:
        raise ConfigError(T("{path}: cannot read the config file ({error})", path=path,
                            error=exc.strerror or str(exc))) from None


def _deep_merge(lower: dict[str, Any], upper: dict[str, Any]) -> dict[str, Any]:
    """``upper`` over ``lower``: tables merge key by key, anything else is replaced."""
    merged = dict(lower)
    for key, value in upper.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _source_of(loc: tuple[int | str, ...], overrides: dict[str, Any]) -> str | Text | None:
    """Where a bad value came from, when not from the config file: a flag or a variable
    (``recheck_delays.0`` comes from the variable of the whole list)."""
    names = [str(part) for part in loc if isinstance(part, str)]
    if not names:  # a rule between settings: its message names them
        return None
    value: Any = overrides
    for part in names:
        value = value.get(part) if isinstance(value, dict) else None
    if value is not None:
        return T("a command-line option")
    name = env.PREFIX + "__".join(names).upper()
    if name in {key.upper() for key in os.environ}:
        return f"{name}={os.environ.get(name, '')!r}"
    return None


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value).expanduser() if value else None


def paths_for(settings: Settings, home: Home | None = None) -> Paths:
    """The files of ``home`` (default: ALEGRA_SYNC_HOME as one company)."""
    if home is None:
        return Paths(home_dir(), state_dir(), settings.mapping)
    return Paths(home.folder, home.state, settings.mapping)


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
            raise ConfigError(T("ALEGRA_SYNC_TODAY={value} is not a date",
                                value=repr(override)), hint=T("use YYYY-MM-DD")) from None
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
            T("no credentials"),
            hint=T("run `alegra-sync connect` or set ALEGRA_SYNC_USER and ALEGRA_SYNC_TOKEN"),
        )
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise _readable_by_others(path, mode)
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError):
        raise ConfigError(T("{path}: unreadable credentials file", path=path),
                          hint=T("run `alegra-sync connect` again")) from None
    user = env_user or raw.get("user")
    token = env_token or raw.get("token")
    if not isinstance(user, str) or not isinstance(token, str) or not user or not token:
        raise ConfigError(T("{path}: the credentials file lacks user or token", path=path),
                          hint=T("run `alegra-sync connect` again"))
    stored = raw.get("base_url")
    return Credentials(user=user, token=token,
                       base_url=stored if isinstance(stored, str) and stored else None)


def _readable_by_others(path: Path, mode: int) -> ConfigError:
    return ConfigError(T("{path} is readable by group or others (mode {mode})", path=path,
                         mode=format(mode, "04o")), hint=T("run `chmod 600 {path}`", path=path))


def save_credentials(path: Path, credentials: Credentials) -> None:
    """Writes the user and token, keeping the file's other tables ([smtp])."""
    import tomli_w

    kept: dict[str, Any] = {}
    if path.exists():
        try:
            with path.open("rb") as handle:
                kept = {k: v for k, v in tomllib.load(handle).items() if isinstance(v, dict)}
        except (OSError, tomllib.TOMLDecodeError):
            kept = {}  # unreadable: `connect` writes it anew
    fields: dict[str, Any] = {"user": credentials.user, "token": credentials.token}
    if credentials.base_url:
        fields["base_url"] = credentials.base_url
    text = tomli_w.dumps({**fields, **kept})
    write_atomic(path, text, mode=0o600)


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
            T("the stored credentials were verified against {stored}, but config.toml sets "
              "[alegra] base_url = {configured}", stored=stored, configured=configured),
            hint=T("run `alegra-sync connect` again to use {configured}, or remove base_url "
                   "from config.toml", configured=configured))
    return stored


# ALEGRA_SYNC_BASE_URL, and the setting's own variable (ALEGRA_SYNC_ALEGRA__BASE_URL)
_BASE_URL_VARIABLES = (env.BASE_URL, f"{env.PREFIX}ALEGRA__BASE_URL")


def load_smtp_password(files: list[Path]) -> str | None:
    """ALEGRA_SYNC_SMTP_PASSWORD, else ``[smtp] password`` of the first of ``files`` (the
    company's, then the firm's credentials.toml) that has one; a readable-by-others file is
    refused as load_credentials refuses it."""
    explicit = os.environ.get(env.SMTP_PASSWORD)
    if explicit:
        return explicit
    for path in files:
        if not path.exists():
            continue
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise _readable_by_others(path, mode)
        try:
            with path.open("rb") as handle:
                table = tomllib.load(handle).get("smtp")
        except (OSError, tomllib.TOMLDecodeError):
            raise ConfigError(T("{path}: unreadable credentials file", path=path)) from None
        if isinstance(table, dict) and isinstance(table.get("password"), str):
            return str(table["password"])
    return None
