"""Pacer on a fake clock: the per-minute window and Alegra's remaining-requests header."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from alegra_sync.alegra.transport import Pacer


def send(pacer: Pacer) -> None:
    """What the client does around each request: wait for its turn, then note the send."""
    pacer.wait_turn()
    pacer.note_sent()


def test_sends_freely_under_the_limit(clock: Any) -> None:
    pacer = Pacer(150, clock=clock, sleep=clock.sleep)
    for _ in range(150):
        send(pacer)
    assert clock.sleeps == []


def test_the_window_slides_over_the_last_minute(clock: Any) -> None:
    pacer = Pacer(3, clock=clock, sleep=clock.sleep)
    for _ in range(3):
        send(pacer)
        clock.now += 10
    assert clock.sleeps == []
    send(pacer)  # the first of the three was sent 30 s ago
    assert clock.sleeps == [30.0]
    send(pacer)  # the second was sent at 10 s, now is 60 s
    assert clock.sleeps == [30.0, 10.0]
    clock.now += 120  # a quiet two minutes empty the window
    for _ in range(3):
        send(pacer)
    assert clock.sleeps == [30.0, 10.0]


def test_one_a_minute_is_allowed(clock: Any) -> None:
    pacer = Pacer(1, clock=clock, sleep=clock.sleep)
    send(pacer)
    send(pacer)
    send(pacer)
    assert clock.sleeps == [60.0, 60.0]


@pytest.mark.parametrize("requests_per_minute", [0, -5])
def test_below_one_a_minute_is_refused_not_rounded_up(requests_per_minute: int) -> None:
    with pytest.raises(ValueError) as caught:
        Pacer(requests_per_minute)
    assert str(caught.value) == f"requests_per_minute must be at least 1, not {requests_per_minute}"


@pytest.mark.parametrize(
    ("remaining", "reset", "sleeps"),
    [(1, 7.0, [7.0]), (2, 20.0, [20.0]), (0, 90.0, [60.0]), (3, 7.0, []), (1, -4.0, []),
     (1, None, []), (0, 0.0, [])],
)
def test_waits_for_the_reset_when_the_remaining_budget_is_low(
    clock: Any, remaining: int, reset: float | None, sleeps: list[float]
) -> None:
    pacer = Pacer(150, clock=clock, sleep=clock.sleep)
    send(pacer)
    pacer.note_limits(remaining, reset)
    send(pacer)
    assert clock.sleeps == sleeps
    send(pacer)  # the wait (or its absence) used up what the header said
    assert clock.sleeps == sleeps


def test_the_reset_counts_from_when_the_answer_came(clock: Any) -> None:
    pacer = Pacer(150, clock=clock, sleep=clock.sleep)
    send(pacer)
    pacer.note_limits(1, 10.0)
    clock.now += 4  # the caller took 4 s before the next request
    send(pacer)
    assert clock.sleeps == [6.0]


def test_an_answer_without_the_count_keeps_the_last_one(clock: Any) -> None:
    pacer = Pacer(150, clock=clock, sleep=clock.sleep)
    send(pacer)
    pacer.note_limits(1, 7.0)
    pacer.note_limits(None, 30.0)
    send(pacer)
    assert clock.sleeps == [7.0]


def test_a_newer_count_replaces_the_low_one(clock: Any) -> None:
    pacer = Pacer(150, clock=clock, sleep=clock.sleep)
    send(pacer)
    pacer.note_limits(1, 7.0)
    pacer.note_limits(140, 50.0)
    send(pacer)
    assert clock.sleeps == []


def test_a_rate_limit_wait_already_covered_the_window(clock: Any) -> None:
    pacer = Pacer(150, clock=clock, sleep=clock.sleep)
    send(pacer)
    pacer.note_limits(0, 12.0)
    clock.sleep(12.0)  # the client waited out a 429
    pacer.window_waited()
    send(pacer)
    assert clock.sleeps == [12.0]


def test_both_brakes_in_one_turn(clock: Any) -> None:
    pacer = Pacer(2, clock=clock, sleep=clock.sleep)
    send(pacer)
    send(pacer)
    pacer.note_limits(1, 5.0)
    send(pacer)  # 5 s for Alegra's reset, then the rest of the minute for our own window
    assert clock.sleeps == [5.0, 55.0]


def test_waits_are_logged(clock: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="alegra_sync.http")
    pacer = Pacer(3, clock=clock, sleep=clock.sleep)
    for _ in range(3):
        send(pacer)
    pacer.note_limits(2, 7.0)
    send(pacer)
    assert [r.getMessage() for r in caplog.records if r.name == "alegra_sync.http"] == [
        "rate limit nearly spent; waiting 7.0 s for the reset",
        "3 requests in a minute; waiting 53.0 s",
    ]
