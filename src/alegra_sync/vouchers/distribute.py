"""Cost-center shares: an amount split by percentages at the company's precision. Pure.

accounting.md, "Cost-center distribution": the **largest-remainder** method. Each share gets
its floor (in units of the precision: pesos at 0, centavos at 2), then the units left go one
each to the largest remainders; ties go to the larger percentage, then to the smaller
cost-center id. So the shares add up to the amount exactly, and the same amount and
distribution always give the same shares.

A negative amount (a reversal) splits as its absolute value does, every share negated, so a
reversal takes back exactly what the original posted on each cost center.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

Share = tuple[str, Decimal]  # (Alegra cost-center id, percentage)


def center_order(center_id: str) -> tuple[int, int, str]:
    """Numeric ids by their value ("9" before "10"), others after them as text."""
    text = center_id.strip()
    return (0, int(text), "") if text.isdigit() else (1, 0, text)


def split(amount: Decimal, shares: Sequence[Share], precision: int) -> list[Decimal]:
    """The amount of each share, in the order of ``shares``; they add up to ``amount``.

    ``amount`` is a multiple of the precision's unit (vouchers round every amount first);
    percentages are positive (mapping validation: they add up to 100). A share may get 0.
    """
    if len(shares) == 1:
        return [amount]
    unit = Decimal(1).scaleb(-precision)
    units = int((abs(amount) / unit).to_integral_value())
    total = sum((percentage for _center, percentage in shares), Decimal(0))
    quotas = [units * percentage / total for _center, percentage in shares]
    given = [int(quota) for quota in quotas]  # the floor: quotas are never negative
    left = units - sum(given)
    if left:
        ranked = sorted(
            range(len(shares)),
            key=lambda i: (given[i] - quotas[i], -shares[i][1], center_order(shares[i][0])),
        )
        for index in ranked[:left]:
            given[index] += 1
    sign = -1 if amount < 0 else 1
    return [(sign * count) * unit for count in given]
