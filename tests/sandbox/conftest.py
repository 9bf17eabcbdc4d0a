"""Sandbox fixtures: servers on free loopback ports, an authenticated client, demo documents.

The tests run with ``--import-mode=importlib``, so test modules cannot import helpers from here:
everything is a fixture. ``Api`` is imported under ``TYPE_CHECKING`` for annotations only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from alegra_sync.sandbox import SandboxServer

Builder = Callable[..., dict[str, Any]]


class Api:
    """A thin authenticated client for the sandbox under test."""

    def __init__(self, server: SandboxServer) -> None:
        self.server = server
        self.session = requests.Session()
        self.session.auth = (SandboxServer.USER, SandboxServer.TOKEN)

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 10)
        return self.session.request(method, self.server.url + path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, json=json, **kwargs)

    def put(self, path: str, json: Any = None, **kwargs: Any) -> requests.Response:
        return self.request("PUT", path, json=json, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("DELETE", path, **kwargs)

    def documents(self) -> dict[str, Any]:
        """The dump without the request counters and log: what a refused request must not change."""
        dump = self.server.store.dump()
        return {key: value for key, value in dump.items() if key not in ("requests", "log")}


def journal(*entries: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """A demo-company journal: by default a balanced 1000 salary against salaries payable."""
    body: dict[str, Any] = {"date": "2026-01-31", "reference": "alegra-sync 2026-01-01/J1 #abc"}
    body["entries"] = list(entries) or [
        {"id": "5053", "debit": 1000},
        {"id": "5023", "credit": 1000},
    ]
    body.update(fields)
    return body


def egreso(*categories: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """A demo-company egreso paying salaries payable from the payroll bank account."""
    body: dict[str, Any] = {
        "type": "out",
        "date": "2026-01-31",
        "bankAccount": {"id": "2"},
        "paymentMethod": "transfer",
        "observations": "alegra-sync 2026-01-01/P1 #abc",
    }
    body["categories"] = list(categories) or [{"id": "5023", "price": 1000, "quantity": 1}]
    body.update(fields)
    return body


@pytest.fixture
def make_sandbox() -> Iterator[Callable[..., SandboxServer]]:
    started: list[SandboxServer] = []

    def make(**options: Any) -> SandboxServer:
        server = SandboxServer(**options).start()
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()


@pytest.fixture
def sandbox(make_sandbox: Callable[..., SandboxServer]) -> SandboxServer:
    return make_sandbox()


@pytest.fixture
def api(sandbox: SandboxServer) -> Iterator[Api]:
    client = Api(sandbox)
    yield client
    client.session.close()


@pytest.fixture
def recorded_api(make_api: Callable[..., Api]) -> Api:
    return make_api(seed="recorded")


@pytest.fixture
def make_api(make_sandbox: Callable[..., SandboxServer]) -> Iterator[Callable[..., Api]]:
    made: list[Api] = []

    def make(**options: Any) -> Api:
        client = Api(make_sandbox(**options))
        made.append(client)
        return client

    yield make
    for client in made:
        client.session.close()


@pytest.fixture
def make_journal() -> Builder:
    return journal


@pytest.fixture
def make_egreso() -> Builder:
    return egreso
