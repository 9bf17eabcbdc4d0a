"""The sandbox's starting states: the demo company, or the company recorded from real Alegra.

A state is a plain JSON-able dict (see ``new_state``); the store owns it from then on.

The ``recorded`` seed is package data under ``recorded/``, copied from the response bodies in
``shared/alegra-recorded``: company, self_user, categories (the 93-account chart), cost_centers,
bank_accounts, and contacts — ``list_of_contacts.json`` plus contact 416 taken from
``create_simple_journal.json`` (the journal's client), so recorded journal requests replay as
they are.
"""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Literal, NamedTuple

from alegra_sync.sandbox import demo_company
from alegra_sync.sandbox.contacts import contact_document
from alegra_sync.sandbox.documents import JSON

SeedName = Literal["demo", "recorded"]
SEEDS: tuple[str, ...] = ("demo", "recorded")

FIRST_IDS = {"journal": 1001, "payment": 2001, "contact": 3001}
FIRST_USER = "demo@example.com"  # the demo credentials, printed by `alegra-sync sandbox`
FIRST_TOKEN = "sandbox-demo-token"

# The demo user is an admin; the API only checks the few permissions alegra-sync needs.
_ALLOW_ALL = {"add": "allow", "edit": "allow", "delete": "allow", "index": "allow", "view": "allow"}
DEMO_PERMISSIONS: dict[str, JSON] = {
    "journals": dict(_ALLOW_ALL),
    "contacts": dict(_ALLOW_ALL),
    "categories": dict(_ALLOW_ALL),
    "cost-centers": dict(_ALLOW_ALL),
    "bank-accounts": dict(_ALLOW_ALL),
    "payments": {**_ALLOW_ALL, "out": "allow", "void": "allow"},
    "company": {"edit": "allow", "retrieve-info": "allow"},
}

# Contacts created in the recorded company come back with these default accounts.
_RECORDED_ACCOUNTING = {"accountReceivable": "5039", "debtToPay": "5047"}


def new_state(seed: str, decimal_precision: int | None = None,
              company: int = 1) -> dict[str, JSON]:
    """A fresh state for ``seed``; ``decimal_precision`` overrides the company's own.

    ``company`` numbers the companies of a sandbox that serves several: the first is the seed
    as it is; each other one is the same books under its own name, NIT and user.
    """
    if seed == "demo":
        state = _demo_state()
    elif seed == "recorded":
        state = _recorded_state()
    else:
        raise ValueError(f"unknown sandbox seed {seed!r}: use one of {', '.join(SEEDS)}")
    apply_precision(state, decimal_precision)
    if company != 1:
        identity = company_identity(state, company)
        state["company"].update(name=identity.name, identification=identity.nit)
        state["user"].update(email=identity.user)
    return state


class CompanyIdentity(NamedTuple):
    """Who a numbered sandbox company is: its Alegra user, API token, name and NIT."""

    user: str
    token: str
    name: str
    nit: str


def company_identity(state: dict[str, JSON], company: int) -> CompanyIdentity:
    """Company 1 is the seed's own (demo@example.com, sandbox-demo-token); company n gets
    demo<n>@example.com, sandbox-demo-token-<n>, "<name> <n>" and the seed's NIT plus n - 1."""
    name = str(state["company"]["name"])
    nit = str(state["company"].get("identification") or "900000000")
    if company == 1:
        return CompanyIdentity(FIRST_USER, FIRST_TOKEN, name, nit)
    base, dot, suffix = name.partition(" S.A.S")
    numbered = f"{base} {company}{dot}{suffix}" if dot else f"{name} {company}"
    digits = "".join(c for c in nit if c.isdigit()) or "900000000"
    return CompanyIdentity(f"demo{company}@example.com", f"{FIRST_TOKEN}-{company}", numbered,
                           str(int(digits) + company - 1))


def apply_precision(state: dict[str, JSON], decimal_precision: int | None) -> None:
    if decimal_precision is None:
        return
    if not 0 <= decimal_precision <= 6:
        raise ValueError(f"decimal_precision must be between 0 and 6, got {decimal_precision}")
    state["company"]["decimalPrecision"] = str(decimal_precision)


def _empty_state(seed: str) -> dict[str, JSON]:
    return {
        "seed": seed,
        "journals": [],
        "deleted_journals": [],
        "payments": [],
        "next_ids": dict(FIRST_IDS),
    }


def demo_category(row: tuple[str, str | None, str, str, str, str, str, str]) -> dict[str, JSON]:
    account_id, parent_id, code, name, kind, nature, use, status = row
    return {
        "id": account_id,
        "idParent": parent_id,
        "name": name,
        "text": name,
        "code": code,
        "description": "",
        "type": kind,
        "readOnly": False,
        "nature": nature,
        "blocked": "no",
        "status": status,
        "categoryRule": None,
        "use": use,
        "showThirdPartyBalance": True,
    }


def _demo_state() -> dict[str, JSON]:
    state = _empty_state("demo")
    state["company"] = copy.deepcopy(demo_company.COMPANY)
    state["user"] = {**copy.deepcopy(demo_company.USER), "permissions": DEMO_PERMISSIONS}
    state["categories"] = [demo_category(row) for row in demo_company.ACCOUNTS]
    state["cost_centers"] = copy.deepcopy(demo_company.COST_CENTERS)
    accounts: list[dict[str, JSON]] = copy.deepcopy(demo_company.BANK_ACCOUNTS)  # type: ignore[arg-type]
    state["bank_accounts"] = [
        {
            **account,
            "initialBalance": 0,
            "initialBalanceDate": "2024-01-01",
            "decimalPrecision": None,
            "calculationScale": None,
        }
        for account in accounts
    ]
    state["contacts"] = [
        contact_document(
            str(number),
            name,
            "NIT",
            nit,
            kind_of_person="LEGAL_ENTITY",
            types=["provider"],
        )
        for number, (nit, name) in enumerate(demo_company.ENTITIES, start=1)
    ]
    state["contact_accounting"] = None
    return state


def _load_recorded(name: str) -> JSON:
    text = (
        resources.files("alegra_sync.sandbox")
        .joinpath("recorded", f"{name}.json")
        .read_text(encoding="utf-8")
    )
    return json.loads(text)


def _recorded_state() -> dict[str, JSON]:
    state = _empty_state("recorded")
    state["company"] = _load_recorded("company")
    state["user"] = _load_recorded("self_user")
    state["categories"] = _load_recorded("categories")
    state["cost_centers"] = _load_recorded("cost_centers")
    state["bank_accounts"] = _load_recorded("bank_accounts")
    state["contacts"] = _load_recorded("contacts")
    by_id = {category["id"]: category for category in state["categories"]}
    state["contact_accounting"] = {
        key: copy.deepcopy(by_id[account_id]) for key, account_id in _RECORDED_ACCOUNTING.items()
    }
    return state
