"""What alegra-sync reads of a company's setup: the chart of accounts (fetched once, cached on
disk, searched, shown as a tree), cost centers, bank accounts, the company itself.

The chart changes rarely and ``accounts``/``map`` read it often, so it is cached as JSON with
its fetch time. ``Catalog`` reads each of these at most once per command. The search and tree
helpers are pure so the CLI and the interactive mapper share them.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from alegra_sync._files import write_atomic
from alegra_sync.alegra.models import Account, BankAccount, Company, Contact, CostCenter

if TYPE_CHECKING:
    from alegra_sync.alegra.client import AlegraClient

CHART_CACHE_FILE = "alegra-chart.json"
CACHE_VERSION = 1
# A clock a little ahead of the one that wrote the cache is not a reason to distrust it.
_CLOCK_SKEW = timedelta(minutes=5)

class Catalog:
    """What one command reads of the company's setup, each at most once and only when needed.

    The client is made on first use (a fresh chart cache needs no credentials) and closed by
    ``close`` or the ``with`` block.
    """

    def __init__(self, client_factory: Callable[[], AlegraClient], cache_dir: Path | None = None,
                 *, refresh: bool = False) -> None:
        self._factory = client_factory
        self._cache_dir = cache_dir
        self._refresh = refresh
        self._client: AlegraClient | None = None

    @property
    def client(self) -> AlegraClient:
        if self._client is None:
            self._client = self._factory()
        return self._client

    @property
    def opened(self) -> AlegraClient | None:
        """The client, if this catalog made one (to count its requests)."""
        return self._client

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    @cached_property
    def company(self) -> Company:
        return self.client.company()

    @cached_property
    def chart_and_time(self) -> tuple[list[Account], datetime]:
        if self._cache_dir is None:  # a sync reads the chart as it is now
            return self.client.categories(), datetime.now(UTC)
        return load_chart(lambda: self.client, self._cache_dir, refresh=self._refresh,
                          owned=False)

    @property
    def chart(self) -> list[Account]:
        return self.chart_and_time[0]

    @cached_property
    def cost_centers(self) -> list[CostCenter]:
        return self.client.cost_centers()

    @cached_property
    def bank_accounts(self) -> list[BankAccount]:
        return self.client.bank_accounts()

    @cached_property
    def contacts(self) -> list[Contact]:
        return list(self.client.contacts())


def load_chart(
    client_factory: Callable[[], AlegraClient] | AlegraClient,
    cache_dir: Path,
    refresh: bool = False,
    max_age: timedelta = timedelta(hours=12),
    *,
    owned: bool = True,
) -> tuple[list[Account], datetime]:
    """The chart and when it was fetched (UTC): from the cache unless asked or too old.

    ``client_factory`` is called only when Alegra must be asked, so a fresh cache works without
    credentials. Given a client directly, a cache written for another base URL or user is
    ignored.
    """
    path = cache_dir / CHART_CACHE_FILE
    # A client in hand tells whose chart it reads; a factory is not called just to find out.
    source = None if callable(client_factory) else _source_of(client_factory)
    if not refresh:
        cached = _read_cache(path)
        if cached is not None:
            accounts, fetched_at, cached_source = cached
            now = datetime.now(UTC)
            fresh = now - max_age <= fetched_at <= now + _CLOCK_SKEW
            if fresh and (source is None or cached_source == source):
                return accounts, fetched_at
    if callable(client_factory) and owned:
        with client_factory() as client:
            accounts = client.categories()
    elif callable(client_factory):  # a Catalog lends its client: it closes it
        client = client_factory()
        accounts = client.categories()
    else:
        client = client_factory
        accounts = client.categories()
    fetched_at = datetime.now(UTC)
    _write_cache(path, accounts, fetched_at, _source_of(client))
    return accounts, fetched_at


def clear_chart_cache(cache_dir: Path) -> None:
    """Forget the cached chart (e.g. after ``connect`` switched company)."""
    (cache_dir / CHART_CACHE_FILE).unlink(missing_ok=True)


def _source_of(client: Any) -> dict[str, str] | None:
    base_url, user = getattr(client, "base_url", None), getattr(client, "user", None)
    if isinstance(base_url, str) and isinstance(user, str):
        return {"base_url": base_url, "user": user}
    return None


def _read_cache(path: Path) -> tuple[list[Account], datetime, dict[str, str] | None] | None:
    """The cached chart, or None if missing, unreadable or of another format."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("version") != CACHE_VERSION:
            return None
        fetched_at = datetime.fromisoformat(document["fetched_at"])
        if fetched_at.tzinfo is None:
            fetched_at = fetched_at.replace(tzinfo=UTC)
        accounts = [Account.model_validate(item) for item in document["accounts"]]
        source = document.get("source")
    except (OSError, ValueError, KeyError, TypeError, AttributeError, ValidationError):
        return None
    return accounts, fetched_at, source if isinstance(source, dict) else None


def _write_cache(
    path: Path, accounts: list[Account], fetched_at: datetime, source: dict[str, str] | None
) -> None:
    document = {
        "version": CACHE_VERSION,
        "fetched_at": fetched_at.isoformat(),
        "source": source,
        "accounts": [account.model_dump(mode="json", by_alias=True) for account in accounts],
    }
    write_atomic(path, json.dumps(document, ensure_ascii=False, indent=1) + "\n")


# --- pure helpers ------------------------------------------------------------------------------


def normalise(text: str) -> str:
    """Case-, accent- and spacing-insensitive form: ``"  Nómina  Básica"`` → ``"nomina basica"``."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


_WORD_SPLIT = re.compile(r"[^\w]+")


def _match_rank(account: Account, query: str) -> int | None:
    """0 exact code, 1 code prefix, 2 name starts with, 3 a word starts with, 4 substring."""
    code = normalise(account.code) if account.code else ""
    if code and code == query:
        return 0
    if code and code.startswith(query):
        return 1
    name = normalise(account.name)
    if name.startswith(query):
        return 2
    if any(word.startswith(query) for word in _WORD_SPLIT.split(name) if word):
        return 3
    if query in name:
        return 4
    return None


def search_accounts(accounts: Iterable[Account], text: str) -> list[Account]:
    """Accounts whose code starts with, or whose name contains, ``text``; best first.

    Postable accounts come before grouping ones (only they can take postings), then by how well
    they match, then in chart order (code, name). An empty ``text`` matches everything.
    """
    query = normalise(text)
    ranked: list[tuple[tuple[bool, int, tuple[bool, str, str, str]], Account]] = []
    for account in accounts:
        rank = _match_rank(account, query) if query else 4
        if rank is not None:
            ranked.append(((not account.postable, rank, _chart_order(account)), account))
    ranked.sort(key=lambda pair: pair[0])
    return [account for _, account in ranked]


def _chart_order(account: Account) -> tuple[bool, str, str, str]:
    # Coded accounts first in code order; PUC codes sort correctly as text ("11" < "1105").
    return (account.code is None, account.code or "", normalise(account.name), account.id)


# Alegra's account types (`type` in its chart) and the names its Spanish screens give them;
# `accounts --type` takes either (accents, case and spaces ignored).
ACCOUNT_TYPES: dict[str, tuple[str, ...]] = {
    "asset": ("activo", "activos"),
    "liability": ("pasivo", "pasivos"),
    "equity": ("patrimonio",),
    "income": ("ingreso", "ingresos"),
    "expense": ("gasto", "gastos"),
    "cost": ("costo", "costos", "costo de venta", "costos de venta", "costos de ventas"),
    "productionCost": ("costo de produccion", "costos de produccion"),
    "other": ("otro", "otros"),
}


def _type_key(text: str) -> str:
    return "".join(char for char in normalise(text) if char.isalnum())


def account_type(text: str, chart: Iterable[Account] = ()) -> str | None:
    """The Alegra type ``text`` names — ``expense``, ``Expense``, ``gasto``, ``Gastos`` — or
    None; a type of ``chart`` missing from ACCOUNT_TYPES is taken by its own name."""
    wanted = _type_key(text)
    known: dict[str, tuple[str, ...]] = dict(ACCOUNT_TYPES)
    known.update((a.type, ()) for a in chart if a.type not in ACCOUNT_TYPES)
    for name, spanish in known.items():
        if wanted == _type_key(name) or wanted in {_type_key(word) for word in spanish}:
            return name
    return None


def type_names(chart: Iterable[Account]) -> list[str]:
    """The chart's types as ``expense (gasto)``, in ACCOUNT_TYPES' order, for a message."""
    present = {account.type for account in chart}
    ordered = [name for name in ACCOUNT_TYPES if name in present]
    ordered += sorted(present - ACCOUNT_TYPES.keys())
    return [f"{name} ({ACCOUNT_TYPES[name][0]})" if name in ACCOUNT_TYPES else name
            for name in ordered]


@dataclass
class TreeNode:
    account: Account
    children: list[TreeNode] = field(default_factory=list)

    def walk(self, depth: int = 0) -> Iterable[tuple[int, Account]]:
        """This node and its descendants, depth-first, with their depth."""
        yield depth, self.account
        for child in self.children:
            yield from child.walk(depth + 1)


def build_tree(accounts: Iterable[Account]) -> list[TreeNode]:
    """The chart as a forest rebuilt from ``id_parent``, each level in chart order.

    Roots are accounts without a parent or whose parent is not in the list. An account caught
    in a parent cycle (never seen, but cheap to survive) becomes a root rather than vanishing.
    """
    nodes = {account.id: TreeNode(account) for account in accounts}
    roots: list[TreeNode] = []
    for node in nodes.values():
        parent_id = node.account.id_parent
        if parent_id is None or parent_id not in nodes or parent_id == node.account.id:
            roots.append(node)
        else:
            nodes[parent_id].children.append(node)
    reached = {account.id for root in roots for _, account in root.walk()}
    for node in nodes.values():
        if node.account.id not in reached:
            parent = nodes.get(node.account.id_parent or "")
            if parent is not None:
                parent.children.remove(node)
            roots.append(node)
            reached.update(account.id for _, account in node.walk())
    _sort(roots)
    return roots


def _sort(level: list[TreeNode]) -> None:
    level.sort(key=lambda node: _chart_order(node.account))
    for node in level:
        _sort(node.children)


def accounts_to_json(accounts: Iterable[Account]) -> list[dict[str, Any]]:
    """Accounts keyed as Alegra keys them, for ``accounts --json``."""
    return [
        {
            "id": account.id,
            "idParent": account.id_parent,
            "code": account.code,
            "name": account.name,
            "type": account.type,
            "nature": account.nature,
            "use": account.use,
            "status": account.status,
        }
        for account in accounts
    ]
