"""AlegraClient under Alegra's rate limit: 429 waits, pacing, and counting requests."""

from __future__ import annotations

from typing import Any

import pytest

from alegra.helpers import BASE, TOKEN, USER, MakeClient, Mock
from alegra_sync.alegra.client import AlegraClient
from alegra_sync.errors import ExitCode, RateLimitError

# --- rate limit -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "wait"),
    [({"X-Rate-Limit-Reset": "7"}, 7.0), ({"X-Rate-Limit-Reset": "-5"}, 1.0),
     ({"X-Rate-Limit-Reset": "600"}, 60.0), ({"X-Rate-Limit-Reset": "soon"}, 1.0), ({}, 1.0)],
)
def test_429_waits_for_the_reset_clamped(
    client: AlegraClient, mocked: Mock, clock: Any, headers: dict[str, str], wait: float
) -> None:
    mocked.add("GET", BASE + "/company", status=429, headers=headers,
               json={"code": 429, "message": "Too many requests"})
    mocked.add("GET", BASE + "/company", json={"name": "ACME"})
    assert client.company().name == "ACME"
    assert clock.sleeps == [wait]
    assert client.requests_sent == {"GET": 2}


def test_post_retries_a_400_that_means_429(client: AlegraClient, mocked: Mock, clock: Any) -> None:
    mocked.add("POST", BASE + "/journals", status=400,
               headers={"X-Rate-Limit-Remaining": "0", "X-Rate-Limit-Reset": "12"},
               json={"code": 429, "message": "Has superado el límite de peticiones"})
    mocked.add("POST", BASE + "/journals", status=201, json={"id": "9", "date": "2026-11-15"})
    assert client.create_journal({}).id == "9"
    # One wait only: the pacing must not wait for the same reset again.
    assert clock.sleeps == [12.0]
    assert client.requests_sent == {"POST": 2}


def test_rate_limit_that_does_not_recover(client: AlegraClient, mocked: Mock, clock: Any) -> None:
    for _ in range(5):
        mocked.add("GET", BASE + "/company", status=429, headers={"X-Rate-Limit-Reset": "3"})
    with pytest.raises(RateLimitError) as caught:
        client.company()
    assert caught.value.message == (
        "Alegra kept answering 429 (too many requests) to GET /company after 4 waits"
    )
    assert caught.value.exit_code == ExitCode.TEMPFAIL
    assert clock.sleeps == [3.0, 3.0, 3.0, 3.0]
    assert client.requests_sent == {"GET": 5}


def test_the_rate_limit_wait_has_no_jitter(mocked: Mock, clock: Any) -> None:
    client = AlegraClient(BASE, USER, TOKEN, retry_seed=7, sleep=clock.sleep, clock=clock)
    mocked.add("GET", BASE + "/company", status=429, headers={"X-Rate-Limit-Reset": "7"})
    mocked.add("GET", BASE + "/company", json={"name": "ACME"})
    with client:
        assert client.company().name == "ACME"
    assert clock.sleeps == [7.0]  # Alegra names the moment its window reopens


@pytest.mark.parametrize(
    ("remaining", "reset", "sleeps"),
    [("1", "7", [7.0]), ("2", "20", [20.0]), ("0", "90", [60.0]), ("3", "7", []),
     ("1", "-4", []), ("1", "x", [])],
)
def test_pacing_waits_when_the_remaining_budget_is_low(
    client: AlegraClient, mocked: Mock, clock: Any, remaining: str, reset: str,
    sleeps: list[float],
) -> None:
    headers = {"X-Rate-Limit-Remaining": remaining, "X-Rate-Limit-Reset": reset}
    mocked.add("GET", BASE + "/company", json={"name": "A"}, headers=headers)
    mocked.add("GET", BASE + "/company", json={"name": "A"}, headers=headers)
    client.company()
    assert clock.sleeps == []
    client.company()
    assert clock.sleeps == sleeps


def test_pacing_never_exceeds_requests_per_minute(
    make_client: MakeClient, mocked: Mock, clock: Any
) -> None:
    client = make_client(requests_per_minute=3)
    mocked.add("GET", BASE + "/company", json={"name": "A"})
    for _ in range(3):
        client.company()
        clock.now += 10
    assert clock.sleeps == []
    client.company()  # the first of the three was 30 s ago
    assert clock.sleeps == [30.0]
    client.company()  # the second was sent at 10 s, now is 60 s
    assert clock.sleeps == [30.0, 10.0]
    assert client.requests_sent == {"GET": 5}


def test_requests_sent_counts_retries_by_method(
    client: AlegraClient, mocked: Mock, clock: Any
) -> None:
    mocked.add("GET", BASE + "/company", status=500)
    mocked.add("GET", BASE + "/company", json={"name": "A"})
    mocked.add("POST", BASE + "/journals", status=429)
    mocked.add("POST", BASE + "/journals", status=201, json={"id": "1", "date": "2026-01-01"})
    mocked.add("DELETE", BASE + "/journals/1", json={"code": 200, "message": "ok"})
    client.company()
    client.create_journal({})
    client.delete_journal("1")
    assert client.requests_sent == {"GET": 2, "POST": 2, "DELETE": 1}
    assert clock.sleeps == [0.5, 1.0]


@pytest.mark.parametrize("requests_per_minute", [0, -1])
def test_less_than_one_request_a_minute_is_refused(requests_per_minute: int) -> None:
    # Not quietly one a minute: a sync would then take hours. The settings should refuse it.
    with pytest.raises(ValueError, match="requests_per_minute must be at least 1"):
        AlegraClient(BASE, USER, TOKEN, requests_per_minute=requests_per_minute)
