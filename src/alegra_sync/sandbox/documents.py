"""Validate journal, egreso and contact requests and shape them like Alegra's answers.

Pure functions over plain JSON values: the store looks things up and keeps the results. Every
refusal is an ``ApiError`` with a one-line Spanish message naming the problem, so a bad document
never reaches the store.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

JSON = Any

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ApiError(Exception):
    """An error answer: HTTP status and the ``{"code", "message"}`` body."""

    def __init__(self, status: int, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = status if code is None else code
        self.message = message

    def body(self) -> dict[str, JSON]:
        return {"code": self.code, "message": self.message}


def bad_request(message: str) -> ApiError:
    return ApiError(400, message)


@dataclass
class Catalog:
    """What documents may point at, by id."""

    accounts: dict[str, dict[str, JSON]]
    cost_centers: dict[str, dict[str, JSON]]
    bank_accounts: dict[str, dict[str, JSON]]
    contacts: dict[str, dict[str, JSON]]
    precision: int


def as_id(value: JSON) -> str | None:
    """An id sent as a string, a number or ``{"id": ...}``; None when it is none of those."""
    if isinstance(value, dict):
        value = value.get("id")
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def to_json_number(amount: Decimal) -> int | float:
    """Alegra answers amounts as JSON numbers: integers when whole."""
    if amount == amount.to_integral_value():
        return int(amount)
    return float(amount)


def parse_amount(value: JSON, what: str, precision: int) -> Decimal:
    """A non-negative amount with no more decimals than the company's precision."""
    label = what[:1].upper() + what[1:]
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float | str):
        raise bad_request(f"{label}: el valor debe ser un número, no {value!r}.")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise bad_request(f"{label}: el valor {value!r} no es un número válido.") from None
    if not amount.is_finite():
        raise bad_request(f"{label}: el valor {value!r} no es un número válido.")
    if amount < 0:
        raise bad_request(f"{label}: el valor {amount} no puede ser negativo.")
    if amount != amount.quantize(Decimal(1).scaleb(-precision), rounding="ROUND_DOWN"):
        raise bad_request(
            f"{label}: el valor {amount} tiene más decimales que la precisión decimal de la "
            f"compañía ({precision})."
        )
    return amount


def parse_date(value: JSON, what: str) -> str:
    if not isinstance(value, str) or not _DATE.match(value):
        raise bad_request(f"La fecha {what} no es válida: {value!r}. Use el formato AAAA-MM-DD.")
    try:
        date.fromisoformat(value)
    except ValueError:
        raise bad_request(f"La fecha {what} no es válida: {value!r}.") from None
    return value


def optional_text(body: dict[str, JSON], key: str) -> str | None:
    value = body.get(key)
    if value is None or isinstance(value, str):
        return value
    raise bad_request(f"El campo {key} debe ser un texto.")


def postable_account(catalog: Catalog, raw: JSON, where: str) -> dict[str, JSON]:
    """An existing, active account that takes postings (use "movement")."""
    account_id = as_id(raw)
    if account_id is None:
        raise bad_request(f"Falta el id de la cuenta contable en {where}.")
    account = catalog.accounts.get(account_id)
    if account is None:
        raise bad_request(f"La cuenta contable con id {account_id} no existe ({where}).")
    if account.get("status") != "active":
        raise bad_request(
            f"La cuenta contable '{account['name']}' (id {account_id}) está inactiva ({where})."
        )
    if account.get("use") != "movement":
        raise bad_request(
            f"La cuenta contable '{account['name']}' (id {account_id}) no es de movimiento y "
            f"no recibe registros ({where})."
        )
    return account


def find_contact(catalog: Catalog, raw: JSON, where: str) -> dict[str, JSON] | None:
    if raw is None or raw == "" or raw == {}:
        return None
    contact_id = as_id(raw)
    if contact_id is None:
        raise bad_request(f"El contacto de {where} no es válido: {raw!r}.")
    contact = catalog.contacts.get(contact_id)
    if contact is None:
        raise bad_request(f"El contacto con id {contact_id} no existe ({where}).")
    return contact


def find_cost_center(catalog: Catalog, raw: JSON, where: str) -> dict[str, JSON] | None:
    if raw is None or raw == {}:
        return None
    center_id = as_id(raw)
    if center_id is None:
        raise bad_request(f"El centro de costo de {where} no es válido: {raw!r}.")
    center = catalog.cost_centers.get(center_id)
    if center is None:
        raise bad_request(f"El centro de costo con id {center_id} no existe ({where}).")
    if center.get("status") != "active":
        raise bad_request(f"El centro de costo con id {center_id} está inactivo ({where}).")
    return {"id": center["id"], "name": center["name"]}


def require_object(body: JSON) -> dict[str, JSON]:
    if not isinstance(body, dict):
        raise bad_request("El cuerpo de la petición debe ser un objeto JSON.")
    return body


def _entry_side(entry: dict[str, JSON], where: str, precision: int) -> tuple[Decimal, Decimal]:
    # The other side may be absent or zero (a fetched journal echoes "credit": 0), never both.
    debit = Decimal(0)
    credit = Decimal(0)
    if entry.get("debit") is not None:
        debit = parse_amount(entry["debit"], f"débito del {where}", precision)
    if entry.get("credit") is not None:
        credit = parse_amount(entry["credit"], f"crédito del {where}", precision)
    if debit > 0 and credit > 0:
        raise bad_request(f"El {where} tiene débito y crédito a la vez; use solo uno.")
    if debit == 0 and credit == 0:
        raise bad_request(f"El {where} debe tener un débito o un crédito mayor que cero.")
    return debit, credit


def build_journal(
    body: JSON, catalog: Catalog, journal_id: str, keep_date: str | None = None
) -> dict[str, JSON]:
    """The stored journal for a POST (or a PUT, which keeps the old date when none is sent)."""
    body = require_object(body)
    raw_date = body.get("date", keep_date) if keep_date else body.get("date")
    journal_date = parse_date(raw_date, "del comprobante")
    reference = optional_text(body, "reference")
    observations = optional_text(body, "observations")
    journal_client = find_contact(catalog, body.get("client"), "el comprobante")
    raw_entries = body.get("entries")
    if not isinstance(raw_entries, list) or len(raw_entries) < 2:
        raise bad_request("El comprobante contable debe tener al menos dos movimientos (entries).")
    entries: list[dict[str, JSON]] = []
    total_debit = Decimal(0)
    total_credit = Decimal(0)
    for number, raw in enumerate(raw_entries, start=1):
        where = f"movimiento {number}"
        if not isinstance(raw, dict):
            raise bad_request(f"El {where} debe ser un objeto.")
        account = postable_account(catalog, raw.get("id"), where)
        debit, credit = _entry_side(raw, where, catalog.precision)
        client = find_contact(catalog, raw.get("client"), where)
        if client is None:
            client = journal_client
        description = optional_text(raw, "description")
        cost_center = find_cost_center(catalog, raw.get("costCenter"), where)
        total_debit += debit
        total_credit += credit
        entries.append(
            {
                "id": account["id"],
                "client": client,
                "name": account["name"],
                "description": description,
                "debit": to_json_number(debit),
                "credit": to_json_number(credit),
                "type": "category",
                "line": None,
                "lineParent": None,
                "costCenter": cost_center,
                "associatedDocument": {"idResource": None, "resourceType": None, "resource": None},
            }
        )
    if total_debit != total_credit:
        raise bad_request(
            f"El comprobante no está balanceado: los débitos suman {total_debit} y los créditos "
            f"{total_credit}."
        )
    return {
        "id": journal_id,
        "entries": entries,
        "client": journal_client,
        "date": journal_date,
        "observations": observations,
        "reference": reference,
        "status": "open",
        "total": to_json_number(total_debit),
    }


def build_payment(body: JSON, catalog: Catalog, payment_id: str) -> dict[str, JSON]:
    """The stored egreso for a ``POST /payments`` of type "out" paying account lines."""
    body = require_object(body)
    if body.get("type") != "out":
        raise bad_request(
            f'El tipo de pago {body.get("type")!r} no está soportado: use type "out" (egreso).'
        )
    payment_date = parse_date(body.get("date"), "del pago")
    bank_id = as_id(body.get("bankAccount"))
    if bank_id is None:
        raise bad_request("Falta la cuenta bancaria del pago (bankAccount: {id}).")
    bank = catalog.bank_accounts.get(bank_id)
    if bank is None:
        raise bad_request(f"La cuenta bancaria con id {bank_id} no existe.")
    if bank.get("status") != "active":
        raise bad_request(f"La cuenta bancaria '{bank['name']}' (id {bank_id}) está inactiva.")
    if body.get("bills") or body.get("documentLines"):
        raise bad_request("El sandbox solo acepta egresos por categorías (categories).")
    raw_lines = body.get("categories")
    if not isinstance(raw_lines, list) or not raw_lines:
        raise bad_request("El pago debe tener al menos una categoría (categories).")
    lines: list[dict[str, JSON]] = []
    amount = Decimal(0)
    for number, raw in enumerate(raw_lines, start=1):
        where = f"categoría {number}"
        if not isinstance(raw, dict):
            raise bad_request(f"La {where} debe ser un objeto.")
        account = postable_account(catalog, raw.get("id"), where)
        price = parse_amount(raw.get("price"), f"precio de la {where}", catalog.precision)
        if price <= 0:
            raise bad_request(f"El precio de la {where} debe ser mayor que cero.")
        quantity = parse_amount(raw.get("quantity", 1), f"cantidad de la {where}", 6)
        if quantity <= 0:
            raise bad_request(f"La cantidad de la {where} debe ser mayor que cero.")
        amount += price * quantity
        lines.append(
            {
                "id": account["id"],
                "name": account["name"],
                "price": to_json_number(price),
                "quantity": to_json_number(quantity),
                "observations": optional_text(raw, "observations"),
            }
        )
    parse_amount(amount, "total del pago", catalog.precision)
    template_id = as_id(body.get("numberTemplate"))
    payment_method = optional_text(body, "paymentMethod")
    return {
        "id": payment_id,
        "date": payment_date,
        "type": "out",
        "bankAccount": {"id": bank["id"], "name": bank["name"]},
        "categories": lines,
        "client": find_contact(catalog, body.get("client"), "el pago"),
        "costCenter": find_cost_center(catalog, body.get("costCenter"), "el pago"),
        "paymentMethod": payment_method or "cash",
        "numberTemplate": {"id": template_id} if template_id else None,
        "observations": optional_text(body, "observations"),
        "amount": to_json_number(amount),
        "status": "open",
    }


def _json_default(value: object) -> JSON:
    # Request bodies are parsed with Decimal floats; anything echoed back must stay a number.
    if isinstance(value, Decimal):
        return to_json_number(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(value: JSON, indent: int | None = None) -> str:
    return json.dumps(value, ensure_ascii=False, indent=indent, default=_json_default)


def loads(text: str | bytes) -> JSON:
    """Parse a request body keeping decimal amounts exact."""
    return json.loads(text, parse_float=Decimal)
