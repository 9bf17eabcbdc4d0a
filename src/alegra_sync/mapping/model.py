"""The concept -> account mapping (``mapping.toml``): model, load and save.

Checking a mapping against an export and against Alegra's chart lives in
``mapping_check.py``; this module only knows the file.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
    field_validator,
)

from alegra_sync._files import write_atomic
from alegra_sync.errors import ConfigError, validation_reason
from alegra_sync.i18n import T
from alegra_sync.i18n import Text as I18nText
from alegra_sync.payroll.identity import identification_key

PAYABLE = "payable"
ROUNDING = "rounding"  # [accounts] rounding: where the ajuste al peso goes
HUNDRED = Decimal(100)


def _integer_as_text(value: Any) -> Any:
    return str(value) if isinstance(value, int) else value


# Ids and NITs are text; a TOML file may write them as bare numbers (bank_account = 4).
Text = Annotated[str, BeforeValidator(_integer_as_text)]


def _as_percentage(value: Any) -> Any:
    """TOML writes 33.33 as a float: read it as the decimal written, never the binary float;
    text may use a decimal comma ("33,33")."""
    if isinstance(value, bool):
        return value  # refused by the Decimal it is not
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        try:
            return Decimal(value.strip().replace(",", "."))
        except InvalidOperation:
            return value
    return value


def _percentage_out(value: Decimal) -> int | float:
    """Written back as the number it is: 60, 33.33 (a float prints as its shortest decimal)."""
    return int(value) if value == value.to_integral_value() else float(value)


Percentage = Annotated[Decimal, BeforeValidator(_as_percentage),
                       PlainSerializer(_percentage_out, when_used="json")]
# A cost center, or an employee's cost shared between cost centers: Alegra cost-center id ->
# percentage (accounting.md, "Cost-center distribution").
Distribution = dict[str, Percentage]
CostCenterTarget = Text | Distribution
Share = tuple[str, Decimal]  # (Alegra cost-center id, percentage)


def shares_of(target: CostCenterTarget) -> tuple[Share, ...]:
    """A [cost_centers] or [employee_cost_centers] value as its shares; a single cost center is
    one share of 100 %."""
    if isinstance(target, str):
        return ((target, HUNDRED),)
    return tuple(target.items())


def distribution_problem(entry: str | I18nText, target: CostCenterTarget) -> I18nText | None:
    """Why a distribution cannot be used (percentages not positive, not adding up to exactly
    100, no cost center), as one line naming the entry; None when it is fine."""
    if isinstance(target, str):
        return None if target.strip() else T("{entry}: no cost-center id", entry=entry)
    if not target:
        return T("{entry}: a distribution needs at least one cost center", entry=entry)
    for center, percentage in target.items():
        if not center.strip():
            return T("{entry}: a share without a cost-center id", entry=entry)
        if not percentage.is_finite() or percentage <= 0 or percentage > HUNDRED:
            return T("{entry}: cost center {center} has {percentage} %, not a percentage "
                     "between 0 and 100", entry=entry, center=center,
                     percentage=format_percentage(percentage))
    total = sum(target.values(), Decimal(0))
    if total != HUNDRED:
        return T("{entry}: the percentages add up to {total} %, not 100 %", entry=entry,
                 total=format_percentage(total))
    return None


def format_percentage(value: Decimal) -> str:
    """``60``, ``33,33``: as an accountant writes a percentage (decimal comma)."""
    text = format(value.normalize(), "f") if value == value else str(value)
    return text.replace(".", ",")


class AccountRef(BaseModel):
    """An Alegra account by id; ``name`` is kept for people and checked, the id decides."""

    model_config = ConfigDict(extra="forbid")

    id: Text
    name: str | None = None


class NitTercero(BaseModel):
    model_config = ConfigDict(extra="forbid")

    nit: Text


class EntityRef(BaseModel):
    """An [entities] value with the entity's legal name: ``{ nit = "…", name = "…" }``; the
    name is what alegra-sync calls the contact when it creates it."""

    model_config = ConfigDict(extra="forbid")

    nit: Text
    name: str | None = None


# "employee", "eps", "afp", "none" (explicitly no tercero), a fixed NIT, or unset (None).
Tercero = Literal["employee", "eps", "afp", "none"] | NitTercero | None
# Either an account or the name of one in [accounts] (e.g. "payable").
AccountSide = AccountRef | str


class ConceptMapping(BaseModel):
    model_config = ConfigDict(extra="forbid")

    debit: AccountSide
    credit: AccountSide
    debit_tercero: Tercero = None
    credit_tercero: Tercero = None
    cost_center: bool = False


class SideOverride(BaseModel):
    model_config = ConfigDict(extra="forbid")

    debit: AccountSide | None = None
    credit: AccountSide | None = None


class PaymentSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    bank_account: Text | None = None
    mode: Literal["single", "per-employee"] = "single"
    method: str = "transfer"


class Mapping(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = 1
    accounts: dict[str, AccountRef] = Field(default_factory=dict)
    concepts: dict[str, ConceptMapping] = Field(default_factory=dict)
    # export cost-center name -> an Alegra cost-center id, or a distribution of them
    cost_centers: dict[str, CostCenterTarget] = Field(default_factory=dict)
    # employee identification -> the same; beats the export's cost-center column
    employee_cost_centers: dict[str, CostCenterTarget] = Field(default_factory=dict)
    cost_center_accounts: dict[str, dict[str, SideOverride]] = Field(default_factory=dict)
    # export EPS/AFP name -> NIT, or { nit, name } with the entity's legal name
    entities: dict[str, Text | EntityRef] = Field(default_factory=dict)
    payment: PaymentSettings = Field(default_factory=PaymentSettings)

    @field_validator("cost_centers", "employee_cost_centers")
    @classmethod
    def _distributions_add_up(cls, value: dict[str, CostCenterTarget]) -> dict[str,
                                                                              CostCenterTarget]:
        for entry, target in value.items():
            problem = distribution_problem(repr(entry), target)
            if problem is not None:
                raise ValueError(problem)
        return value

    @property
    def payable(self) -> AccountRef | None:
        return self.accounts.get(PAYABLE)

    @property
    def rounding(self) -> AccountRef | None:
        """Where the ajuste al peso goes ([accounts] rounding), if the mapping names one."""
        return self.accounts.get(ROUNDING)

    def employee_cost_center_index(self) -> dict[str, CostCenterTarget]:
        """[employee_cost_centers] by identification as compared (no dots, no dashes)."""
        return {identification_key(key): target
                for key, target in self.employee_cost_centers.items()}

    def entity_nit_of(self, name: str) -> str | None:
        """The NIT [entities] gives for an export's EPS/AFP name, as written there."""
        value = self.entities.get(name)
        if value is None:
            return None
        return value if isinstance(value, str) else value.nit

    def entity_names(self) -> dict[str, str]:
        """NIT (as written) -> the legal name [entities] gives for it, where it gives one."""
        return {value.nit: value.name for value in self.entities.values()
                if isinstance(value, EntityRef) and value.name}

    def centers_named(self, center_id: str) -> list[str]:
        """The export cost-center names that stand for ``center_id`` alone."""
        return [name for name, target in self.cost_centers.items() if target == center_id]

    def share_account(
        self, concept: str, side: Literal["debit", "credit"], center_id: str
    ) -> AccountRef:
        """The account of one side for a share on ``center_id``: the [cost_center_accounts]
        override of the export name that stands for that cost center alone (a Ventas share of
        Salario goes to Ventas' account), else the concept's own."""
        found: dict[str, tuple[str, AccountRef]] = {}
        for name in self.centers_named(center_id):
            override = self.cost_center_accounts.get(name, {}).get(concept)
            chosen = getattr(override, side) if override else None
            if chosen is not None:
                ref = self.resolve(chosen)
                found.setdefault(ref.id, (name, ref))
        if len(found) > 1:
            names = ", ".join(repr(name) for name, _ref in found.values())
            raise ConfigError(
                T("[cost_center_accounts] {names} all stand for cost center {center} but give "
                  "{concept} different {side} accounts", names=names, center=center_id,
                  concept=concept, side=side),
                hint=T("keep one of them, or give them the same account"),
            )
        if found:
            return next(iter(found.values()))[1]
        return self.resolve(getattr(self.concepts[concept], side))

    def resolve(self, side: AccountSide) -> AccountRef:
        """The account a side names; a string is a key of ``[accounts]``."""
        if isinstance(side, AccountRef):
            return side
        try:
            return self.accounts[side]
        except KeyError:
            raise ConfigError(
                T("the mapping names account {side}, which [accounts] does not define",
                  side=repr(side)),
                hint=T("add it under [accounts] or run `alegra-sync map`"),
            ) from None

    def account_for(
        self, concept: str, side: Literal["debit", "credit"], cost_center: str | None
    ) -> AccountRef:
        """The account of one side of a concept, honouring per-cost-center overrides."""
        if cost_center is not None:
            override = self.cost_center_accounts.get(cost_center, {}).get(concept)
            chosen = getattr(override, side) if override else None
            if chosen is not None:
                return self.resolve(chosen)
        return self.resolve(getattr(self.concepts[concept], side))

    def tercero_for(
        self, concept: str, side: Literal["debit", "credit"], cost_center: str | None,
        account: AccountRef | None = None,
    ) -> Tercero:
        """The side's tercero. Unless the concept says otherwise, a side that lands on the
        payable account for this cost center (named "payable", by id, or by an override)
        carries the employee, so that the payable nets per employee to their net pay.
        ``account`` is the side's account when the caller knows it (a share's)."""
        tercero: Tercero = getattr(self.concepts[concept], f"{side}_tercero")
        if account is None:
            account = self.account_for(concept, side, cost_center)
        if tercero is None and self.is_payable(account):
            return "employee"
        return None if tercero == "none" else tercero

    def is_payable(self, account: AccountRef) -> bool:
        payable = self.payable
        return payable is not None and account.id == payable.id


def load_mapping(path: Path) -> Mapping:
    """Read ``mapping.toml``; any problem is a ConfigError naming the file (exit 78)."""
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(T("{path}: no mapping file", path=path),
                          hint=T("run `alegra-sync map` to create one")) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(T("{path}: not valid TOML: {error}", path=path, error=str(exc)),
                          hint=T("fix the file")) from None
    except OSError as exc:
        raise ConfigError(T("{path}: cannot read the mapping: {error}", path=path,
                            error=exc.strerror)) from None
    try:
        return Mapping.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ConfigError(
            T("{path}: invalid mapping at {where}: {message}", path=path, where=where,
              message=validation_reason(first)),
            hint=T("fix the file or run `alegra-sync map`"),
        ) from None



def load_or_new_mapping(path: Path) -> Mapping:
    """The mapping file, or an empty mapping when there is none yet (`map` creates it)."""
    return load_mapping(path) if path.exists() else Mapping()


def mapping_to_toml(mapping: Mapping) -> str:
    import tomli_w

    data = mapping.model_dump(mode="json", exclude_none=True)
    return tomli_w.dumps(data)


def save_mapping(mapping: Mapping, path: Path) -> None:
    """Write atomically: a crash or Ctrl-C never leaves half a mapping."""
    write_atomic(path, mapping_to_toml(mapping))
