"""Fault switches: make the sandbox fail the way the real network and Alegra do.

A fault is armed for a *route*, written ``"METHOD /collection"`` — the path pattern without ids
and without the ``/api/v1`` base. The route names are:

    GET /users/self       GET /company
    GET /categories       (list and /categories/{id})
    GET /cost-centers     (list and /cost-centers/{id})
    GET /bank-accounts    (list and /bank-accounts/{id})
    GET /contacts         POST /contacts
    GET /journals         (list and /journals/{id})
    POST /journals        PUT /journals        DELETE /journals
    GET /payments         (list and /payments/{id})
    POST /payments        POST /payments/void  (POST /payments/{id}/void)

Modes (each applies to the next ``count`` matching requests, then switches itself off; with
``after`` = N, only once N matching requests have been served normally — "the look-ups fail once
the POST has gone through" is ``GET /journals``, ``500-before``, ``after=1``):

- ``500-before``: answer 500 without touching the store.
- ``500-after``: do the request (store the document), then answer 500.
- ``drop-after``: do the request, then close the socket without any response.
- ``delay-after``: do the request, then sleep ``seconds`` before answering (client timeouts).
- ``429``: answer 429 with ``X-Rate-Limit-Reset: 1`` without touching the store.

``set_latency`` adds a delay before every API request, faults or not.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

ROUTES: frozenset[str] = frozenset(
    {
        "GET /users/self",
        "GET /company",
        "GET /categories",
        "GET /cost-centers",
        "GET /bank-accounts",
        "GET /contacts",
        "POST /contacts",
        "GET /journals",
        "POST /journals",
        "PUT /journals",
        "DELETE /journals",
        "GET /payments",
        "POST /payments",
        "POST /payments/void",
    }
)

MODES: frozenset[str] = frozenset({"500-before", "500-after", "drop-after", "delay-after", "429"})

# Modes that answer without doing the request at all.
BEFORE_MODES: frozenset[str] = frozenset({"500-before", "429"})


@dataclass
class Fault:
    route: str
    mode: str
    remaining: int
    seconds: float = 0.0
    after: int = 0  # matching requests still to serve normally before the fault applies


class Faults:
    """The armed faults and the added latency; safe to use from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._latency = 0.0

    def add(
        self, route: str, mode: str, count: int = 1, seconds: float = 0.0, after: int = 0
    ) -> None:
        """Arm ``mode`` for ``count`` requests on ``route``, once ``after`` have passed."""
        if route not in ROUTES:
            raise ValueError(
                f"unknown fault route {route!r}: use one of {', '.join(sorted(ROUTES))}"
            )
        if mode not in MODES:
            raise ValueError(f"unknown fault mode {mode!r}: use one of {', '.join(sorted(MODES))}")
        if count < 1:
            raise ValueError(f"fault count must be at least 1, got {count}")
        if seconds < 0:
            raise ValueError(f"fault seconds must not be negative, got {seconds}")
        if after < 0:
            raise ValueError(f"fault after must not be negative, got {after}")
        with self._lock:
            self._faults.append(Fault(route, mode, count, float(seconds), after))

    def set_latency(self, seconds: float) -> None:
        """Delay every API request by ``seconds`` (0 switches it off)."""
        if seconds < 0:
            raise ValueError(f"latency must not be negative, got {seconds}")
        with self._lock:
            self._latency = float(seconds)

    @property
    def latency(self) -> float:
        with self._lock:
            return self._latency

    def clear(self) -> None:
        """Disarm every fault and remove the latency."""
        with self._lock:
            self._faults.clear()
            self._latency = 0.0

    def take(self, route: str) -> Fault | None:
        """The fault that applies to this request on ``route``, consuming one use of it."""
        with self._lock:
            for fault in self._faults:
                if fault.route == route:
                    if fault.after > 0:
                        fault.after -= 1
                        return None
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                    return Fault(fault.route, fault.mode, 1, fault.seconds)
        return None

    def pending(self) -> list[dict[str, object]]:
        """The armed faults, for the admin dump."""
        with self._lock:
            return [
                {"route": f.route, "mode": f.mode, "count": f.remaining, "seconds": f.seconds,
                 "after": f.after}
                for f in self._faults
            ]
