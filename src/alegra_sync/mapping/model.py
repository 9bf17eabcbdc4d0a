"""The concept -> account mapping (``mapping.toml``): model, load and save.

Checking a mapping against an export and against Alegra's chart lives in
``mapping_check.py``; this module only knows the file.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from alegra_sync._files import write_atomic
from alegra_sync.errors import ConfigError

PAYABLE = "payable"


def _integer_as_text(value: Any) -> Any:
    return str(value) if isinstance(value, int) else value


# Ids and NITs are text; a TOML file may write them as bare numbers (bank_account = 4).
Text = Annotated[str, BeforeValidator(_integer_as_text)]


class AccountRef(BaseModel):
    """An Alegra account by id; ``name`` is kept for people and checked, the id decides."""

    model_config = ConfigDict(extra="forbid")

    id: Text
    name: str | None = None


class NitTercero(BaseModel):
    model_config = ConfigDict(extra="forbid")

    nit: Text


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
    cost_centers: dict[str, Text] = Field(default_factory=dict)
    cost_center_accounts: dict[str, dict[str, SideOverride]] = Field(default_factory=dict)
    entities: dict[str, Text] = Field(default_factory=dict)
    payment: PaymentSettings = Field(default_factory=PaymentSettings)

    @property
    def payable(self) -> AccountRef | None:
        return self.accounts.get(PAYABLE)

    def resolve(self, side: AccountSide) -> AccountRef:
        """The account a side names; a string is a key of ``[accounts]``."""
        if isinstance(side, AccountRef):
            return side
        try:
            return self.accounts[side]
        except KeyError:
            raise ConfigError(
                f"the mapping names account {side!r}, which [accounts] does not define",
                hint="add it under [accounts] or run `alegra-sync map`",
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
        self, concept: str, side: Literal["debit", "credit"], cost_center: str | None
    ) -> Tercero:
        """The side's tercero. Unless the concept says otherwise, a side that lands on the
        payable account for this cost center (named "payable", by id, or by an override)
        carries the employee, so that the payable nets per employee to their net pay."""
        tercero: Tercero = getattr(self.concepts[concept], f"{side}_tercero")
        if tercero is None and self.is_payable(self.account_for(concept, side, cost_center)):
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
        raise ConfigError(
            f"{path}: no mapping file", hint="run `alegra-sync map` to create one"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}", hint="fix the file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the mapping: {exc.strerror}") from None
    try:
        return Mapping.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ConfigError(
            f"{path}: invalid mapping at {where}: {first['msg']}",
            hint="fix the file or run `alegra-sync map`",
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
