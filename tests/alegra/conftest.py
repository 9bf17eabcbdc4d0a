"""Fixtures for the Alegra client tests: recorded bodies, a fake clock, a mocked transport."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import responses

from alegra.helpers import BASE, TOKEN, USER
from alegra_sync.alegra.client import AlegraClient

RECORDED = Path(__file__).resolve().parent.parent / "fixtures" / "recorded"


class FakeClock:
    """A monotonic clock that only moves when the client sleeps; records every sleep."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_client(clock: FakeClock) -> Iterator[Callable[..., AlegraClient]]:
    made: list[AlegraClient] = []

    def make(**overrides: Any) -> AlegraClient:
        # Without jitter the tests can assert the backoff schedule itself (0.5 s, 1 s, 2 s…);
        # the jitter has its own tests (test_retry_policy.py, test_client_retries.py).
        options: dict[str, Any] = {"sleep": clock.sleep, "clock": clock, "jitter": 0.0}
        options.update(overrides)
        client = AlegraClient(BASE, USER, TOKEN, **options)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def client(make_client: Callable[..., AlegraClient]) -> AlegraClient:
    return make_client()


@pytest.fixture
def mocked() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        yield rsps


@pytest.fixture
def recorded() -> Callable[[str], dict[str, Any]]:
    """The whole recorded exchange (``request`` and ``response``) of a fixture file."""

    def load(name: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((RECORDED / f"{name}.json").read_text("utf-8"))
        return data

    return load


@pytest.fixture
def body(recorded: Callable[[str], dict[str, Any]]) -> Callable[[str], Any]:
    """The recorded response body of a fixture file, unchanged."""
    return lambda name: recorded(name)["response"]["json"]


@pytest.fixture
def replay(
    mocked: responses.RequestsMock, recorded: Callable[[str], dict[str, Any]]
) -> Callable[[str], dict[str, Any]]:
    """Serve a recorded response at the same path under BASE; returns the exchange."""

    def add(name: str) -> dict[str, Any]:
        exchange = recorded(name)
        request, response = exchange["request"], exchange["response"]
        path = urlsplit(request["url"]).path.removeprefix("/api/v1")
        headers = {k: v for k, v in response["headers"].items() if k != "Content-Type"}
        mocked.add(
            request["method"],
            BASE + path,
            json=response["json"],
            status=response["status"],
            headers=headers,
        )
        return exchange

    return add
