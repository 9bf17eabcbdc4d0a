"""Typed views of the bodies Alegra sends, read as they come (unknown keys are ignored).

Alegra's shapes drift: ids were numbers until 2025 and are strings now, money comes as JSON
numbers, ``client`` may be an id or a whole contact. The validators here absorb that so the rest
of the program sees one shape: ids as ``str``, money as ``Decimal``, dates as ``date``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

PROFIT_AND_LOSS_TYPES = frozenset({"income", "expense", "cost", "productionCost"})


def _as_text(value: Any) -> Any:
    # bool is an int subclass; a boolean id is a bug upstream, let pydantic reject it.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value


def _as_decimal(value: Any) -> Any:
    # str() first: Decimal(0.1) would carry the binary float's artefacts into the books.
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return Decimal(str(value))
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            return value
    return value


def _ref_id(value: Any) -> Any:
    """``client``/``costCenter``/``bankAccount`` come as null, a bare id or an object."""
    if isinstance(value, dict):
        value = value.get("id")
    if value == "":
        return None
    return _as_text(value)


Id = Annotated[str, BeforeValidator(_as_text)]
Text = Annotated[str, BeforeValidator(_as_text)]
Money = Annotated[Decimal, BeforeValidator(_as_decimal)]
RefId = Annotated[str | None, BeforeValidator(_ref_id)]


def _named(alegra_name: str, default: Any = ...) -> Any:
    """A field Alegra spells differently; Python code (and mypy) use the snake_case name."""
    # Not ``alias=``: type checkers would then demand the camelCase name in constructors.
    return Field(default, validation_alias=alegra_name, serialization_alias=alegra_name)


class AlegraModel(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="ignore")


class User(AlegraModel):
    id: Id
    email: str
    role: str | None = None
    status: str | None = None


class Company(AlegraModel):
    name: str
    identification: Text | None = None
    country: str | None = _named("applicationVersion", None)
    currency: str | None = None
    decimal_precision: int = _named("decimalPrecision", 0)
    timezone: str | None = None

    @field_validator("currency", mode="before")
    @classmethod
    def _currency_code(cls, value: Any) -> Any:
        return value.get("code") if isinstance(value, dict) else value

    @field_validator("decimal_precision", mode="before")
    @classmethod
    def _precision(cls, value: Any) -> Any:
        return 0 if value is None or value == "" else value


class Account(AlegraModel):
    """One category of Alegra's chart of accounts."""

    id: Id
    id_parent: Id | None = _named("idParent", None)
    code: Text | None = None
    name: str
    type: str
    nature: str | None = None
    use: str | None = None
    status: str = "active"
    read_only: bool = _named("readOnly", False)

    @field_validator("code", "id_parent", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        # Older charts send "" for a missing code; treat it like null.
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def postable(self) -> bool:
        """Takes postings: a leaf (``use: movement``) that is active."""
        return self.use == "movement" and self.status == "active"

    @property
    def is_profit_and_loss(self) -> bool:
        return self.type in PROFIT_AND_LOSS_TYPES


class CostCenter(AlegraModel):
    id: Id
    code: Text | None = None
    name: str
    status: str = "active"


class BankAccount(AlegraModel):
    id: Id
    name: str
    number: Text | None = None
    type: str | None = None
    status: str = "active"


class Contact(AlegraModel):
    id: Id
    name: str
    identification: Text = ""
    id_type: str | None = None
    status: str = "active"

    @model_validator(mode="before")
    @classmethod
    def _flatten_identification(cls, data: Any) -> Any:
        # Reading, Alegra sends ``identification`` as text plus ``identificationObject``;
        # writing it wants ``{"type", "number"}``, and a sandbox may echo that form back.
        if not isinstance(data, dict):
            return data
        data = dict(data)
        raw = data.get("identification")
        obj = data.get("identificationObject")
        obj = obj if isinstance(obj, dict) else {}
        if isinstance(raw, dict):
            obj = {**obj, **{k: v for k, v in raw.items() if v is not None}}
            raw = raw.get("number")
        if raw is None or raw == "":
            raw = obj.get("number")
        data["identification"] = "" if raw is None else raw
        if data.get("id_type") is None:
            data["id_type"] = obj.get("type")
        return data


class JournalEntry(AlegraModel):
    account_id: Id = _named("id")
    name: str | None = None
    debit: Money = Decimal(0)
    credit: Money = Decimal(0)
    client_id: RefId = _named("client", None)
    cost_center_id: RefId = _named("costCenter", None)
    description: str | None = None

    @field_validator("debit", "credit", mode="before")
    @classmethod
    def _null_is_zero(cls, value: Any) -> Any:
        return 0 if value is None else value


class Journal(AlegraModel):
    id: Id
    date: date
    reference: str | None = None
    observations: str | None = None
    entries: list[JournalEntry] = Field(default_factory=list)
    total: Money | None = None
    status: str | None = None
    client_id: RefId = _named("client", None)


class PaymentCategory(AlegraModel):
    id: Id
    price: Money
    quantity: Money = Decimal(1)
    observations: str | None = None


class Payment(AlegraModel):
    id: Id
    date: date
    type: str | None = None
    bank_account_id: RefId = _named("bankAccount", None)
    observations: str | None = None
    status: str | None = None
    amount: Money | None = None
    client_id: RefId = _named("client", None)
    categories: list[PaymentCategory] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _amount_or_total(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("amount") is None and "total" in data:
            data = {**data, "amount": data["total"]}
        return data

    @field_validator("categories", mode="before")
    @classmethod
    def _null_is_empty(cls, value: Any) -> Any:
        return [] if value is None else value
