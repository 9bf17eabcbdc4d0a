"""The Alegra API surface: which path is which route, and what each route answers.

``match`` turns ``METHOD /api/v1/...`` into a ``Match`` named like the fault routes of
``faults.py``; ``Match.run`` asks the store and returns the status and the JSON body.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from alegra_sync.sandbox.documents import JSON, ApiError, bad_request
from alegra_sync.sandbox.store import Store

API_BASE = "/api/v1"
MAX_LIMIT = 30
DELETED_MESSAGE = "El comprobante contable fue eliminado correctamente"

Query = dict[str, str]
Action = Callable[[Store, str | None, Query, JSON], tuple[int, JSON]]


@dataclass
class Match:
    name: str  # the fault route, e.g. "POST /payments/void"
    action: Action
    item_id: str | None

    def run(self, store: Store, query: Query, body: JSON) -> tuple[int, JSON]:
        return self.action(store, self.item_id, query, body)


def _int_param(query: Query, key: str, default: int) -> int:
    raw = query.get(key)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise bad_request(f"El parámetro {key} debe ser un número entero: {raw!r}.") from None
    if value < 0:
        raise bad_request(f"El parámetro {key} no puede ser negativo: {value}.")
    return value


def page(items: list[dict[str, JSON]], query: Query) -> JSON:
    """Apply ``start``/``limit`` (at most 30) and the ``metadata=true`` wrapper."""
    start = _int_param(query, "start", 0)
    limit = _int_param(query, "limit", MAX_LIMIT)
    if limit > MAX_LIMIT:
        raise bad_request(f"El parámetro limit no puede ser mayor que {MAX_LIMIT}: {limit}.")
    window = items[start : start + limit]
    if query.get("metadata", "").lower() == "true":
        return {"metadata": {"total": len(items)}, "data": window}
    return window


def _tree(categories: list[dict[str, JSON]]) -> list[dict[str, JSON]]:
    nodes = {str(c["id"]): {**c, "children": []} for c in categories}
    roots: list[dict[str, JSON]] = []
    for node in nodes.values():
        parent = nodes.get(str(node["idParent"])) if node["idParent"] is not None else None
        (parent["children"] if parent is not None else roots).append(node)
    return roots


def _categories(store: Store, _id: str | None, query: Query, _body: JSON) -> tuple[int, JSON]:
    categories = store.categories()
    if query.get("format") != "plain":
        return 200, _tree(categories)
    kind, status, name = query.get("type"), query.get("status"), query.get("name")
    return 200, [
        c
        for c in categories
        if (kind is None or c.get("type") == kind)
        and (status is None or c.get("status") == status)
        and (name is None or name.casefold() in str(c.get("name", "")).casefold())
    ]


def _contacts(store: Store, _id: str | None, query: Query, _body: JSON) -> tuple[int, JSON]:
    found = store.contacts(identification=query.get("identification"), query=query.get("query"))
    return 200, page(found, query)


def _journals(store: Store, _id: str | None, query: Query, _body: JSON) -> tuple[int, JSON]:
    found = store.journals(
        reference=query.get("reference"),
        on_date=query.get("date"),
        client_id=query.get("client_id"),
    )
    return 200, page(found, query)


def _payments(store: Store, _id: str | None, query: Query, _body: JSON) -> tuple[int, JSON]:
    field = query.get("order_field", "id")
    if field not in ("id", "date"):
        raise bad_request(f"El parámetro order_field debe ser id o date: {field!r}.")
    direction = query.get("order_direction", "ASC").upper()
    if direction not in ("ASC", "DESC"):
        raise bad_request(f"El parámetro order_direction debe ser ASC o DESC: {direction!r}.")
    dates = {}
    for name in ("from", "to"):  # Alegra's date filters, YYYY-MM-DD
        value = query.get(name)
        if value is not None and not _is_iso_date(value):
            raise bad_request(f"El parámetro {name} debe ser una fecha AAAA-MM-DD: {value!r}.")
        dates[name] = value
    found = store.payments(query.get("type"), order_field=field, descending=direction == "DESC",
                           date_from=dates["from"], date_to=dates["to"])
    return 200, page(found, query)


def _is_iso_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _delete_journal(store: Store, item: str | None, _q: Query, _body: JSON) -> tuple[int, JSON]:
    store.delete_journal(str(item))
    return 200, {"code": 200, "message": DELETED_MESSAGE}


def _listing(read: Callable[[Store], list[dict[str, JSON]]]) -> Action:
    return lambda store, _id, query, _body: (200, page(read(store), query))


def _single(read: Callable[[Store, str], dict[str, JSON]]) -> Action:
    return lambda store, item, _query, _body: (200, read(store, str(item)))


def _fixed(read: Callable[[Store], dict[str, JSON]]) -> Action:
    return lambda store, _id, _query, _body: (200, read(store))


def _write(status: int, write: Callable[[Store, JSON], dict[str, JSON]]) -> Action:
    return lambda store, _id, _query, body: (status, write(store, body))


def _write_item(write: Callable[[Store, str, JSON], dict[str, JSON]]) -> Action:
    return lambda store, item, _query, body: (200, write(store, str(item), body))


# (method, collection) -> (list or singleton action, item action)
_ROUTES: dict[tuple[str, str], tuple[Action | None, Action | None]] = {
    ("GET", "users/self"): (_fixed(Store.user), None),
    ("GET", "company"): (_fixed(Store.company), None),
    ("GET", "categories"): (_categories, _single(Store.category)),
    ("GET", "cost-centers"): (_listing(Store.cost_centers), _single(Store.cost_center)),
    ("GET", "bank-accounts"): (_listing(Store.bank_accounts), _single(Store.bank_account)),
    ("GET", "contacts"): (_contacts, _single(Store.contact)),
    ("POST", "contacts"): (_write(201, Store.create_contact), None),
    ("GET", "journals"): (_journals, _single(Store.journal)),
    ("POST", "journals"): (_write(201, Store.create_journal), None),
    ("PUT", "journals"): (None, _write_item(Store.replace_journal)),
    ("DELETE", "journals"): (None, _delete_journal),
    ("GET", "payments"): (_payments, _single(Store.payment)),
    ("POST", "payments"): (_write(201, Store.create_payment), None),
}


def _void(store: Store, item: str | None, _query: Query, _body: JSON) -> tuple[int, JSON]:
    return 200, store.void_payment(str(item))


def match(method: str, path: str) -> Match | None:
    """The route for ``method path`` (path with the /api/v1 base), or None (Alegra says 403)."""
    if not path.startswith(API_BASE + "/"):
        return None
    parts = [p for p in path[len(API_BASE) + 1 :].split("/") if p]
    if parts[:2] == ["users", "self"] and len(parts) == 2:
        parts = ["users/self"]
    if method == "POST" and len(parts) == 3 and parts[0] == "payments" and parts[2] == "void":
        return Match("POST /payments/void", _void, parts[1])
    if not parts or len(parts) > 2:
        return None
    actions = _ROUTES.get((method, parts[0]))
    if actions is None:
        return None
    action = actions[0] if len(parts) == 1 else actions[1]
    if action is None:
        return None
    return Match(f"{method} /{parts[0]}", action, parts[1] if len(parts) == 2 else None)


__all__ = ["API_BASE", "ApiError", "Match", "match", "page"]
