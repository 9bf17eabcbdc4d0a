"""The parts of talking to Alegra that need no network: when to try again, and how fast to send.

``RetryPolicy`` decides, for one failed attempt, whether to send the request again and after how
long, or which error to raise. It is a pure function of what it is told, so a table of cases
tests it whole. ``Pacer`` keeps one client under Alegra's per-minute limit. The client
(client.py) only sends, says what happened, and does what these two decide.

The policy (alegra-api.md; accounting.md, "Posting exactly once", "Retries"):

- GET/PUT/DELETE are safe to repeat: connection failures, timeouts and 5xx are retried with
  exponential backoff, then become ``UnavailableError``.
- A POST that may have reached Alegra (read timeout, dropped connection, 5xx) is never repeated:
  Alegra has no idempotency key, so it becomes ``UncertainWriteError`` at once and the caller
  looks the document up. A POST whose connection was never established (connect timeout,
  refused, unknown host) is retried, because nothing was sent.
- A 429 (or a 400 carrying ``"code": 429``) is retried by every method after
  ``X-Rate-Limit-Reset`` seconds clamped to 1–60: Alegra turned it away without doing it.
- 401/402/403 are ``AuthError`` and any other 4xx is ``AlegraError``: sending again cannot help.

The backoff is ``backoff · 2ⁿ`` capped at ``cap`` (8 s): with ``alegra.retries`` up to 10 an
uncapped wait would reach 256 s, a cron run asleep for minutes on an Alegra that is down. Jitter
then shortens each wait by up to ``jitter`` of itself (never lengthens it, so the cap stays a
ceiling), so that runs which failed together — a firm's companies synced in parallel under one
Alegra user — do not all knock again in the same instant. The 429 wait has no jitter: Alegra
names the moment its window reopens.
"""

from __future__ import annotations

import collections
import enum
import hashlib
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TypeAlias

from alegra_sync.errors import (
    AlegraError,
    AuthError,
    RateLimitError,
    UnavailableError,
    UncertainWriteError,
)

log = logging.getLogger("alegra_sync.http")

BACKOFF_CAP_SECONDS = 8.0
DEFAULT_JITTER = 0.25
MAX_WAIT_SECONDS = 60.0  # the longest wait for Alegra's rate-limit window (it is a minute)
WINDOW_SECONDS = 60.0
LOW_REMAINING = 2  # pause for the window reset at or below this many requests left
_AUTH_STATUSES = frozenset({401, 402, 403})


class Failure(enum.Enum):
    """A request that got no HTTP answer, told apart by whether it may have reached Alegra."""

    CONNECT_FAILED = "connect failed"  # connect timeout, refused, unknown host: nothing sent
    READ_TIMEOUT = "read timeout"  # sent; no answer in time
    CONNECTION_LOST = "connection lost"  # dropped or cut off once the request may have gone out

    @property
    def may_have_arrived(self) -> bool:
        return self is not Failure.CONNECT_FAILED


@dataclass(frozen=True)
class Answer:
    """An HTTP answer of 400 or more: its status and the Alegra ``code`` in its body, if any."""

    status: int
    code: int | None = None

    @property
    def rate_limited(self) -> bool:
        # Alegra sometimes reports its rate limit as a 400 whose body says 429.
        return self.status == 429 or (self.status == 400 and self.code == 429)


Outcome: TypeAlias = Answer | Failure


@dataclass(frozen=True)
class Attempts:
    """What went wrong so far with one request. The two budgets are counted apart: waiting out
    the rate limit does not use up the retries a failing Alegra gets, nor the other way round."""

    failures: int = 0  # transport failures and 5xx, each followed by a backoff
    rate_waits: int = 0  # rate-limit answers, each followed by a wait for the reset


@dataclass(frozen=True)
class Retry:
    """Sleep ``delay`` seconds, then send again and report the next outcome with ``attempts``."""

    delay: float
    attempts: Attempts
    # The delay waited out Alegra's window, so the pacer must not wait for it again.
    rate_limited: bool = False


@dataclass(frozen=True)
class Fail:
    """Give up: the client raises ``error`` with its message for the request."""

    error: type[AlegraError]


Decision: TypeAlias = Retry | Fail


@dataclass(frozen=True)
class Retried:
    """A request the client sent again, for the run log: what the attempt before met
    (``"500"``, ``"429"``, ``"read timeout"``…) and the seconds it waited first."""

    method: str
    path: str
    after: str
    wait: float


def outcome_text(outcome: Outcome) -> str:
    return str(outcome.status) if isinstance(outcome, Answer) else outcome.value


@dataclass(frozen=True)
class RetryPolicy:
    """When to send a failed request again. The same arguments always give the same decision:
    jitter comes from ``seed``, which the client picks at random once per client."""

    max_retries: int = 4
    backoff: float = 0.5
    cap: float = BACKOFF_CAP_SECONDS
    jitter: float = DEFAULT_JITTER
    seed: int = 0

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError(f"max_retries must be 0 or more, not {self.max_retries}")
        if self.backoff < 0 or self.cap < 0:
            raise ValueError(f"backoff and cap must be 0 or more, not {self.backoff}, {self.cap}")
        if not 0 <= self.jitter <= 1:
            raise ValueError(f"jitter must be a fraction from 0 to 1, not {self.jitter}")

    def decide(
        self, method: str, outcome: Outcome, attempts: Attempts, reset: float | None = None
    ) -> Decision:
        """What to do after ``outcome``, given what went wrong before (``attempts``).

        ``reset`` is the answer's ``X-Rate-Limit-Reset`` in seconds (``None`` when absent or not
        a number); only a rate-limited answer uses it.
        """
        if isinstance(outcome, Answer):
            if outcome.status < 400:
                raise ValueError(f"an answer of {outcome.status} is not a failure")
            if outcome.rate_limited:
                if attempts.rate_waits >= self.max_retries:
                    return Fail(RateLimitError)
                return Retry(
                    rate_limit_wait(reset),
                    replace(attempts, rate_waits=attempts.rate_waits + 1),
                    rate_limited=True,
                )
            if outcome.status < 500:
                return Fail(AuthError if outcome.status in _AUTH_STATUSES else AlegraError)
        # A transport failure or a 5xx from here on; a 5xx may have done the work before failing.
        may_have_arrived = outcome.may_have_arrived if isinstance(outcome, Failure) else True
        if may_have_arrived and method.upper() == "POST":
            return Fail(UncertainWriteError)
        if attempts.failures >= self.max_retries:
            return Fail(UnavailableError)
        return Retry(
            self.backoff_delay(attempts.failures),
            replace(attempts, failures=attempts.failures + 1),
        )

    def backoff_delay(self, failures: int) -> float:
        """The wait after the request failed ``failures + 1`` times: ``backoff · 2^failures``,
        at most ``cap``, shortened by up to ``jitter`` of itself (to the millisecond)."""
        # Past 2^64 every delay is the cap anyway; the bound keeps the float from overflowing.
        delay = min(self.backoff * 2.0 ** min(failures, 64), self.cap)
        if not self.jitter:
            return delay
        return round(delay * (1 - self.jitter * self._draw(failures)), 3)

    def _draw(self, failures: int) -> float:
        """A number in [0, 1) fixed by the seed and the attempt: jitter without hidden state."""
        digest = hashlib.blake2b(f"{self.seed}:{failures}".encode(), digest_size=8).digest()
        return int.from_bytes(digest, "big") / 2**64


def rate_limit_wait(reset: float | None) -> float:
    """Seconds to wait after a 429: Alegra's reset, at least 1 s (it can be 0 or negative when
    the window is idle) and at most a minute (its window); 1 s when Alegra did not say."""
    if reset is None or not math.isfinite(reset):
        return 1.0
    return min(max(reset, 1.0), MAX_WAIT_SECONDS)


class Pacer:
    """Keeps one client under Alegra's per-minute limit, so that it is rarely answered 429.

    Two brakes: never more than ``requests_per_minute`` sends in any 60 s (a sliding window of
    send times), and a pause until the window resets once Alegra's ``X-Rate-Limit-Remaining``
    says at most ``LOW_REMAINING`` are left (another program may be spending the same user's
    150 a minute).

    ``requests_per_minute`` must be at least 1. Validating it is the settings' job; a smaller
    value raises ``ValueError`` here rather than quietly pacing to one request a minute.
    """

    def __init__(
        self,
        requests_per_minute: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if requests_per_minute < 1:
            raise ValueError(f"requests_per_minute must be at least 1, not {requests_per_minute}")
        self.requests_per_minute = requests_per_minute
        self._clock = clock
        self._sleep = sleep
        self._sent_at: collections.deque[float] = collections.deque()
        self._remaining: int | None = None
        self._reset_at: float | None = None

    def wait_turn(self) -> None:
        """Wait, if needed, so the next request stays inside Alegra's per-minute limit."""
        now = self._clock()
        if (
            self._remaining is not None
            and self._remaining <= LOW_REMAINING
            and self._reset_at is not None
        ):
            wait = min(self._reset_at - now, MAX_WAIT_SECONDS)
            if wait > 0:
                log.debug("rate limit nearly spent; waiting %.1f s for the reset", wait)
                self._sleep(wait)
                now = self._clock()
            self._remaining = None
        self._forget_before(now - WINDOW_SECONDS)
        if len(self._sent_at) >= self.requests_per_minute:
            wait = self._sent_at[0] + WINDOW_SECONDS - now
            if wait > 0:
                log.debug("%d requests in a minute; waiting %.1f s", len(self._sent_at), wait)
                self._sleep(wait)
                now = self._clock()
            self._forget_before(now - WINDOW_SECONDS)

    def note_sent(self) -> None:
        self._sent_at.append(self._clock())

    def note_limits(self, remaining: float | None, reset: float | None) -> None:
        """Alegra's ``X-Rate-Limit-Remaining`` and ``-Reset`` (seconds) of the latest answer;
        ``None`` for a header that is absent or not a number."""
        if remaining is None:
            # Without the count the reset says nothing; keep what the last answer said.
            return
        self._remaining = int(remaining)
        self._reset_at = self._clock() + reset if reset is not None else None

    def window_waited(self) -> None:
        """A rate-limit wait already covered Alegra's window; the next turn must not wait again."""
        self._remaining = None

    def _forget_before(self, cutoff: float) -> None:
        while self._sent_at and self._sent_at[0] <= cutoff:
            self._sent_at.popleft()
