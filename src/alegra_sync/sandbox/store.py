"""The sandbox's documents: one lock around everything, optionally persisted to a JSON file.

Reads hand out deep copies, so the HTTP layer can serialise outside the lock. Every mutation
validates first (``documents.py``), changes the state only when the document is good, then
rewrites the data file atomically — so a refused document leaves no trace and a restart
sees every accepted one. The request counters and log are per process and not persisted.
"""

from __future__ import annotations

import copy
import hashlib
import json
import random
import threading
from collections import Counter
from pathlib import Path
from typing import Literal

from alegra_sync._files import write_atomic
from alegra_sync.i18n import T
from alegra_sync.sandbox.contacts import build_contact
from alegra_sync.sandbox.documents import (
    JSON,
    ApiError,
    Catalog,
    bad_request,
    build_journal,
    build_payment,
    dumps,
)
from alegra_sync.sandbox.seed import apply_precision, new_state

STATE_FILE = "sandbox-state.json"
LOG_LIMIT = 10_000  # a long-running sandbox must not grow without bound
METHODS = ("GET", "POST", "PUT", "DELETE")
PaymentListing = Literal["ordered", "unordered", "shuffled-ties"]


def _id_key(document: dict[str, JSON]) -> tuple[int, str]:
    """Numeric ids sort as numbers; anything else after them, as text."""
    text = str(document["id"])
    return (int(text), "") if text.isdigit() else (1 << 62, text)


def _contains(haystack: JSON, needle: str) -> bool:
    return isinstance(haystack, str) and needle.casefold() in haystack.casefold()


class Store:
    """The state of one sandbox company. Thread-safe."""

    def __init__(
        self,
        seed: str = "demo",
        data_dir: Path | None = None,
        decimal_precision: int | None = None,
        company: int = 1,
    ) -> None:
        self.seed = seed
        self.company_number = company  # which of the sandbox's companies (seed.new_state)
        self._precision_override = decimal_precision
        self._path = Path(data_dir) / STATE_FILE if data_dir is not None else None
        self._lock = threading.RLock()
        self._requests: Counter[str] = Counter()
        self._log: list[dict[str, JSON]] = []
        # how GET /payments lists: "ordered" (as asked), "unordered", "shuffled-ties"
        self.payment_listing: PaymentListing = "ordered"
        self._listings = 0
        self._state = self._load() if self._path and self._path.exists() else self._fresh()
        self._save()

    # -- state and persistence -------------------------------------------------------------

    def _fresh(self) -> dict[str, JSON]:
        return new_state(self.seed, self._precision_override, self.company_number)

    def _load(self) -> dict[str, JSON]:
        assert self._path is not None
        try:
            state = json.loads(self._path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValueError(T("cannot read sandbox state {path}: {error}; delete it to start "
                               "afresh", path=self._path, error=str(exc))) from exc
        if not isinstance(state, dict) or state.get("seed") != self.seed:
            found = state.get("seed") if isinstance(state, dict) else None
            raise ValueError(T("{path} holds a {found} sandbox, not {seed}: use seed {found} "
                               "or another data directory", path=self._path,
                               found=repr(found), seed=repr(self.seed)))
        apply_precision(state, self._precision_override)
        return state

    def _save(self) -> None:
        if self._path is not None:
            write_atomic(self._path, dumps(self._state, indent=1))

    def _next_id(self, kind: str) -> str:
        value = int(self._state["next_ids"][kind])
        self._state["next_ids"][kind] = value + 1
        return str(value)

    def _catalog(self) -> Catalog:
        def index(key: str) -> dict[str, dict[str, JSON]]:
            return {str(item["id"]): item for item in self._state[key]}

        return Catalog(
            accounts=index("categories"),
            cost_centers=index("cost_centers"),
            bank_accounts=index("bank_accounts"),
            contacts=index("contacts"),
            precision=self.precision,
        )

    @property
    def precision(self) -> int:
        return int(self._state["company"].get("decimalPrecision") or 0)

    def reset(self) -> None:
        """Back to the seed: documents, counters and log."""
        with self._lock:
            self._state = self._fresh()
            self._requests.clear()
            self._log.clear()
            self.payment_listing = "ordered"
            self._save()

    def dump(self) -> dict[str, JSON]:
        """Everything a test wants to assert on, as JSON-able data."""
        with self._lock:
            return copy.deepcopy(
                {
                    "company": self._state["company"],
                    "journals": self._state["journals"],
                    "deleted_journals": self._state["deleted_journals"],
                    "payments": self._state["payments"],
                    "contacts": self._state["contacts"],
                    "requests": {method: self._requests[method] for method in METHODS},
                    "log": self._log,
                }
            )

    def record_request(
        self, method: str, path: str, query: str, status: int, fault: str | None
    ) -> None:
        with self._lock:
            self._requests[method] += 1
            self._log.append(
                {"method": method, "path": path, "query": query, "status": status, "fault": fault}
            )
            del self._log[:-LOG_LIMIT]

    # -- reads ---------------------------------------------------------------------------------

    def _read(self, key: str) -> JSON:
        with self._lock:
            return copy.deepcopy(self._state[key])

    def _read_record(self, key: str) -> dict[str, JSON]:
        record: dict[str, JSON] = self._read(key)
        return record

    def _read_list(self, key: str) -> list[dict[str, JSON]]:
        records: list[dict[str, JSON]] = self._read(key)
        return records

    def _one(self, key: str, item_id: str, what: str) -> dict[str, JSON]:
        with self._lock:
            for item in self._state[key]:
                if str(item["id"]) == item_id:
                    return copy.deepcopy(item)
        raise ApiError(404, f"No se encontró {what} con id {item_id}.")

    def company(self) -> dict[str, JSON]:
        return self._read_record("company")

    def user(self) -> dict[str, JSON]:
        return self._read_record("user")

    def categories(self) -> list[dict[str, JSON]]:
        return self._read_list("categories")

    def category(self, category_id: str) -> dict[str, JSON]:
        return self._one("categories", category_id, "la cuenta contable")

    def cost_centers(self) -> list[dict[str, JSON]]:
        return self._read_list("cost_centers")

    def cost_center(self, center_id: str) -> dict[str, JSON]:
        return self._one("cost_centers", center_id, "el centro de costo")

    def bank_accounts(self) -> list[dict[str, JSON]]:
        return self._read_list("bank_accounts")

    def bank_account(self, account_id: str) -> dict[str, JSON]:
        return self._one("bank_accounts", account_id, "la cuenta bancaria")

    def contacts(
        self, identification: str | None = None, query: str | None = None
    ) -> list[dict[str, JSON]]:
        found = [
            contact
            for contact in self._read("contacts")
            if (identification is None or contact.get("identification") == identification)
            and (
                query is None
                or _contains(contact.get("name"), query)
                or _contains(contact.get("identification"), query)
            )
        ]
        return sorted(found, key=_id_key)

    def contact(self, contact_id: str) -> dict[str, JSON]:
        return self._one("contacts", contact_id, "el contacto")

    def journals(
        self,
        reference: str | None = None,
        on_date: str | None = None,
        client_id: str | None = None,
    ) -> list[dict[str, JSON]]:
        """Live journals, newest first as Alegra lists them; ``reference`` is a contains-match."""
        found = [
            journal
            for journal in self._read("journals")
            if (reference is None or _contains(journal.get("reference"), reference))
            and (on_date is None or journal.get("date") == on_date)
            and (client_id is None or (journal.get("client") or {}).get("id") == client_id)
        ]
        return sorted(found, key=_id_key, reverse=True)

    def journal(self, journal_id: str) -> dict[str, JSON]:
        return self._one("journals", journal_id, "el comprobante contable")

    def payments(
        self, kind: str | None = None, order_field: str = "id", descending: bool = False,
        date_from: str | None = None, date_to: str | None = None,
    ) -> list[dict[str, JSON]]:
        """Payments including voided ones, dated within ``date_from``..``date_to`` (ISO dates,
        inclusive, as Alegra's ``from``/``to``); ties on date are broken by id in the same
        direction — unless ``payment_listing`` says to list them as a careless server would."""
        found = [p for p in self._read("payments") if (kind is None or p.get("type") == kind)
                 and (date_from is None or str(p["date"]) >= date_from)
                 and (date_to is None or str(p["date"]) <= date_to)]
        if self.payment_listing == "unordered":
            # stable from page to page, but no relation to the dates or the order asked for
            return sorted(found, key=lambda p: hashlib.sha256(str(p["id"]).encode()).digest())

        def key(payment: dict[str, JSON]) -> tuple[str, int, str]:
            by_date = str(payment["date"]) if order_field == "date" else ""
            return (by_date, *_id_key(payment))

        ordered = sorted(found, key=key, reverse=descending)
        if self.payment_listing == "shuffled-ties":
            # sorted by date whatever was asked, and ties come in a new order on every
            # request, so one payment can appear on two pages and another on none
            with self._lock:
                self._listings += 1
                shuffle = random.Random(self._listings)
            ordered = sorted(shuffle.sample(found, len(found)), key=lambda p: str(p["date"]),
                             reverse=descending)
        return ordered

    def payment(self, payment_id: str) -> dict[str, JSON]:
        return self._one("payments", payment_id, "el pago")

    # -- writes --------------------------------------------------------------------------------

    def create_contact(self, body: JSON) -> dict[str, JSON]:
        with self._lock:
            contact = build_contact(
                body, "pending", self._state["contacts"], self._state.get("contact_accounting")
            )
            contact["id"] = self._next_id("contact")
            self._state["contacts"].append(contact)
            self._save()
            return copy.deepcopy(contact)

    def create_journal(self, body: JSON) -> dict[str, JSON]:
        with self._lock:
            journal = build_journal(body, self._catalog(), "pending")
            journal["id"] = self._next_id("journal")
            self._state["journals"].append(journal)
            self._save()
            return copy.deepcopy(journal)

    def replace_journal(self, journal_id: str, body: JSON) -> dict[str, JSON]:
        """PUT: the body replaces the journal; only the date is kept when none is sent."""
        with self._lock:
            old = self.journal(journal_id)
            journal = build_journal(body, self._catalog(), old["id"], keep_date=old["date"])
            journals = self._state["journals"]
            journals[:] = [journal if j["id"] == old["id"] else j for j in journals]
            self._save()
            return copy.deepcopy(journal)

    def delete_journal(self, journal_id: str) -> None:
        with self._lock:
            old = self.journal(journal_id)
            journals = self._state["journals"]
            journals[:] = [j for j in journals if j["id"] != old["id"]]
            self._state["deleted_journals"].append(old)
            self._save()

    def create_payment(self, body: JSON) -> dict[str, JSON]:
        with self._lock:
            payment = build_payment(body, self._catalog(), "pending")
            payment["id"] = self._next_id("payment")
            self._state["payments"].append(payment)
            self._save()
            return copy.deepcopy(payment)

    def void_payment(self, payment_id: str) -> dict[str, JSON]:
        with self._lock:
            payment = self.payment(payment_id)
            if payment.get("status") == "void":
                raise bad_request(f"El pago con id {payment_id} ya está anulado.")
            payment["status"] = "void"
            payments = self._state["payments"]
            payments[:] = [payment if p["id"] == payment["id"] else p for p in payments]
            self._save()
            return copy.deepcopy(payment)
