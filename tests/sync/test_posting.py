"""The egreso look-up: newest first when Alegra orders them, everything when it does not."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any, cast

from alegra_sync.alegra.models import Payment
from alegra_sync.sync.posting import PaymentIndex

TAGGED = "alegra-sync 2026-11-01/P1 #3fa2c1d0 Nómina"


def payment(day: date, number: int, observations: str | None = None) -> Payment:
    return Payment(id=str(number), date=day, type="out", observations=observations,
                   status="open")


class FakeClient:
    def __init__(self, payments: list[Payment]) -> None:
        self.payments = payments
        self.read = 0

    def payments_out_newest_first(self) -> Iterator[Payment]:
        for item in self.payments:
            self.read += 1
            yield item


def history(days: int) -> list[Payment]:
    """One egreso a day back from 2027-03-01, the period's own dated 2026-11-13."""
    start = date(2027, 3, 1)
    items = [payment(start - timedelta(days=n), n) for n in range(days)]
    items.append(payment(date(2026, 11, 13), 9999, TAGGED))
    items.sort(key=lambda p: p.date or date.min, reverse=True)
    return items


def test_newest_first_stops_once_older_than_the_period() -> None:
    client = FakeClient(history(400))
    found = PaymentIndex(cast(Any, client)).for_period("2026-11-01", date(2026, 11, 1))
    assert [p.id for p in found] == ["9999"]
    assert client.read < 140  # stopped about 15 days before the period, not at the end


def test_a_server_that_ignores_the_order_is_read_to_the_end() -> None:
    items = list(reversed(history(400)))  # oldest first
    client = FakeClient(items)
    found = PaymentIndex(cast(Any, client)).for_period("2026-11-01", date(2026, 11, 1))
    assert [p.id for p in found] == ["9999"]
    assert client.read == len(items)


def test_void_egresos_are_not_found() -> None:
    void = Payment(id="1", date=date(2026, 11, 13), type="out", observations=TAGGED,
                   status="void")
    client = FakeClient([void])
    assert PaymentIndex(cast(Any, client)).for_period("2026-11-01", date(2026, 11, 1)) == []
