"""RetryPolicy as a table: method × what happened × what went wrong before → the decision."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from alegra_sync.alegra.transport import (
    Answer,
    Attempts,
    Decision,
    Fail,
    Failure,
    Outcome,
    Retry,
    RetryPolicy,
)
from alegra_sync.errors import (
    AlegraError,
    AuthError,
    RateLimitError,
    UnavailableError,
    UncertainWriteError,
)

CONNECT = Failure.CONNECT_FAILED
READ = Failure.READ_TIMEOUT
LOST = Failure.CONNECTION_LOST
# The client's defaults without jitter, so the table's delays are the plain schedule.
POLICY = RetryPolicy(max_retries=4, backoff=0.5, cap=8.0, jitter=0.0)


def backoff(delay: float, failures: int, rate_waits: int = 0) -> Retry:
    return Retry(delay, Attempts(failures, rate_waits))


def rate_wait(delay: float, rate_waits: int, failures: int = 0) -> Retry:
    return Retry(delay, Attempts(failures, rate_waits), rate_limited=True)


UNAVAILABLE = Fail(UnavailableError)
UNCERTAIN = Fail(UncertainWriteError)

# (method, outcome, failures so far, rate waits so far, X-Rate-Limit-Reset, decision)
TABLE: list[tuple[str, Outcome, int, int, float | None, Decision]] = [
    # GET/PUT/DELETE: transport failures and 5xx back off 0.5·2ⁿ, then give up as unavailable
    ("GET", CONNECT, 0, 0, None, backoff(0.5, 1)),
    ("GET", READ, 1, 0, None, backoff(1.0, 2)),
    ("GET", LOST, 2, 0, None, backoff(2.0, 3)),
    ("GET", Answer(500), 3, 0, None, backoff(4.0, 4)),
    ("GET", Answer(503), 4, 0, None, UNAVAILABLE),
    ("GET", READ, 4, 0, None, UNAVAILABLE),
    ("PUT", READ, 0, 0, None, backoff(0.5, 1)),
    ("PUT", Answer(500, 500), 1, 0, None, backoff(1.0, 2)),
    ("PUT", Answer(502), 4, 0, None, UNAVAILABLE),
    ("DELETE", LOST, 0, 0, None, backoff(0.5, 1)),
    ("DELETE", Answer(504), 2, 0, None, backoff(2.0, 3)),
    ("DELETE", CONNECT, 4, 0, None, UNAVAILABLE),
    # the failure budget is not spent by earlier rate-limit waits
    ("GET", Answer(500), 0, 3, None, backoff(0.5, 1, rate_waits=3)),
    ("GET", LOST, 3, 4, 9.0, backoff(4.0, 4, rate_waits=4)),
    # a POST that may have reached Alegra is never repeated, whatever budget is left
    ("POST", READ, 0, 0, None, UNCERTAIN),
    ("POST", LOST, 0, 0, None, UNCERTAIN),
    ("POST", Answer(500), 0, 0, None, UNCERTAIN),
    ("POST", Answer(502, 502), 2, 0, None, UNCERTAIN),
    ("POST", READ, 4, 0, None, UNCERTAIN),
    ("POST", Answer(503), 0, 4, 7.0, UNCERTAIN),
    # a POST that never connected sent nothing: retried like a GET
    ("POST", CONNECT, 0, 0, None, backoff(0.5, 1)),
    ("POST", CONNECT, 3, 0, None, backoff(4.0, 4)),
    ("POST", CONNECT, 4, 0, None, UNAVAILABLE),
    # 429, and a 400 whose body says 429, wait for the reset (1–60 s) with every method
    ("GET", Answer(429), 0, 0, 7.0, rate_wait(7.0, 1)),
    ("POST", Answer(429), 0, 0, 12.0, rate_wait(12.0, 1)),
    ("POST", Answer(400, 429), 0, 0, 12.0, rate_wait(12.0, 1)),
    ("PUT", Answer(400, 429), 1, 0, 3.0, rate_wait(3.0, 1, failures=1)),
    ("DELETE", Answer(429, 429), 0, 3, None, rate_wait(1.0, 4)),
    ("GET", Answer(429), 0, 0, 1.5, rate_wait(1.5, 1)),
    ("GET", Answer(429), 0, 0, 0.0, rate_wait(1.0, 1)),
    ("GET", Answer(429), 0, 0, -5.0, rate_wait(1.0, 1)),
    ("GET", Answer(429), 0, 0, 600.0, rate_wait(60.0, 1)),
    ("GET", Answer(429), 0, 0, float("nan"), rate_wait(1.0, 1)),
    ("GET", Answer(429), 0, 0, float("inf"), rate_wait(1.0, 1)),
    # ... spent failures do not stop them; spent rate waits do
    ("GET", Answer(429), 4, 0, 7.0, rate_wait(7.0, 1, failures=4)),
    ("GET", Answer(429), 0, 4, 7.0, Fail(RateLimitError)),
    ("POST", Answer(400, 429), 0, 4, 7.0, Fail(RateLimitError)),
    # other 4xx: sending again cannot help
    ("GET", Answer(401), 0, 0, None, Fail(AuthError)),
    ("POST", Answer(402, 402), 0, 0, None, Fail(AuthError)),
    ("PUT", Answer(403, 403), 2, 0, None, Fail(AuthError)),
    ("GET", Answer(400), 0, 0, None, Fail(AlegraError)),
    ("GET", Answer(400, 1008), 0, 0, None, Fail(AlegraError)),
    ("POST", Answer(400, 3051), 0, 0, None, Fail(AlegraError)),
    ("POST", Answer(404, 429), 0, 0, 7.0, Fail(AlegraError)),  # only a 400 means a 429
    ("GET", Answer(404, 404), 0, 0, None, Fail(AlegraError)),
    ("DELETE", Answer(409), 0, 0, None, Fail(AlegraError)),
    ("POST", Answer(422), 0, 0, None, Fail(AlegraError)),
]


@pytest.mark.parametrize(
    ("method", "outcome", "failures", "rate_waits", "reset", "decision"), TABLE,
    ids=[f"{m}-{o.status if isinstance(o, Answer) else o.name}-{f}-{r}-{s}"
         for m, o, f, r, s, _ in TABLE],
)
def test_decision_table(
    method: str, outcome: Outcome, failures: int, rate_waits: int, reset: float | None,
    decision: Decision,
) -> None:
    assert POLICY.decide(method, outcome, Attempts(failures, rate_waits), reset) == decision


SAFE_OUTCOMES: list[Outcome] = [CONNECT, READ, LOST, Answer(500), Answer(503, 503)]


@pytest.mark.parametrize(
    ("method", "outcome", "failures"),
    list(itertools.product(["PUT", "DELETE"], SAFE_OUTCOMES, range(6))),
)
def test_put_and_delete_decide_like_get(method: str, outcome: Outcome, failures: int) -> None:
    attempts = Attempts(failures, 0)
    assert POLICY.decide(method, outcome, attempts) == POLICY.decide("GET", outcome, attempts)


def test_the_method_is_read_without_regard_to_case() -> None:
    assert POLICY.decide("post", READ, Attempts()) == UNCERTAIN
    assert POLICY.decide("get", READ, Attempts()) == backoff(0.5, 1)


def test_no_retries_gives_up_at_once() -> None:
    policy = RetryPolicy(max_retries=0, jitter=0.0)
    assert policy.decide("GET", Answer(503), Attempts()) == UNAVAILABLE
    assert policy.decide("POST", CONNECT, Attempts()) == UNAVAILABLE
    assert policy.decide("GET", Answer(429), Attempts(), 5.0) == Fail(RateLimitError)


def test_a_success_is_not_a_decision() -> None:
    with pytest.raises(ValueError, match="an answer of 200 is not a failure"):
        POLICY.decide("GET", Answer(200), Attempts())


# --- the cap and the jitter -------------------------------------------------------------------


def test_defaults_cap_at_8_s_with_a_quarter_of_jitter() -> None:
    policy = RetryPolicy()
    assert (policy.max_retries, policy.backoff, policy.cap, policy.jitter) == (4, 0.5, 8.0, 0.25)


def test_backoff_doubles_up_to_the_cap() -> None:
    policy = RetryPolicy(max_retries=10, jitter=0.0)
    assert [policy.backoff_delay(n) for n in range(10)] == [
        0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0,
    ]
    assert policy.backoff_delay(5000) == 8.0  # no float overflow
    assert [RetryPolicy(backoff=0.25, cap=3.0, jitter=0.0).backoff_delay(n) for n in range(5)] == [
        0.25, 0.5, 1.0, 2.0, 3.0,
    ]


def test_ten_retries_wait_under_a_minute_in_all() -> None:
    policy = RetryPolicy(max_retries=10, jitter=0.0)
    assert sum(policy.backoff_delay(n) for n in range(10)) == 55.5  # uncapped: 511.5 s


@pytest.mark.parametrize(
    ("seed", "delays"),
    [
        (7, [0.392, 0.925, 1.967, 3.333, 7.445, 7.715, 7.31, 6.274]),
        (8, [0.453, 0.857, 1.813, 3.284, 6.987, 6.164, 7.721, 6.442]),
    ],
)
def test_jitter_is_fixed_by_the_seed(seed: int, delays: list[float]) -> None:
    policy = RetryPolicy(max_retries=10, seed=seed)
    assert [policy.backoff_delay(n) for n in range(8)] == delays
    # A second policy with the same seed (a re-run of the test) draws the same.
    assert [RetryPolicy(max_retries=10, seed=seed).backoff_delay(n) for n in range(8)] == delays


def test_jitter_only_shortens_by_at_most_its_fraction() -> None:
    plain = RetryPolicy(max_retries=10, jitter=0.0)
    for seed, n in itertools.product(range(50), range(8)):
        delay = RetryPolicy(max_retries=10, seed=seed).backoff_delay(n)
        assert 0.75 * plain.backoff_delay(n) <= delay <= plain.backoff_delay(n)
    # Clients that failed together (different seeds) come back at different moments.
    assert len({RetryPolicy(seed=seed).backoff_delay(0) for seed in range(10)}) == 10


def test_decide_uses_the_jittered_backoff_but_not_for_the_rate_limit() -> None:
    policy = RetryPolicy(seed=7, jitter=1.0)
    assert policy.decide("GET", Answer(503), Attempts(2, 0)) == backoff(
        policy.backoff_delay(2), 3
    )
    assert policy.backoff_delay(2) != 2.0
    assert policy.decide("GET", Answer(429), Attempts(), 7.0) == rate_wait(7.0, 1)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"jitter": 1.5}, "jitter must be a fraction from 0 to 1, not 1.5"),
        ({"jitter": -0.1}, "jitter must be a fraction from 0 to 1, not -0.1"),
        ({"max_retries": -1}, "max_retries must be 0 or more, not -1"),
        ({"backoff": -0.5}, "backoff and cap must be 0 or more, not -0.5, 8.0"),
        ({"cap": -1.0}, "backoff and cap must be 0 or more, not 0.5, -1.0"),
    ],
)
def test_nonsense_settings_are_refused(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError) as caught:
        RetryPolicy(**options)
    assert str(caught.value) == message
