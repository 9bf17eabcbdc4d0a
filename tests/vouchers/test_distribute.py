"""Cost-center shares by the largest remainder (vouchers/distribute.py), cases worked by hand.

Each share gets its floor in units of the precision; the units left go one each to the largest
remainders; ties go to the larger percentage, then to the smaller cost-center id.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alegra_sync.vouchers.distribute import center_order, split

D = Decimal
THIRDS = [("1", D("33.33")), ("2", D("33.33")), ("3", D("33.34"))]


def test_three_ways_of_an_odd_amount_at_precision_0() -> None:
    # 1.000.001 × 33,33 % = 333.300,3333 (twice) and × 33,34 % = 333.400,3334: the floors add
    # up to 1.000.000; the peso left goes to the largest remainder, 0,3334 (cost center 3).
    assert split(D(1_000_001), THIRDS, 0) == [D(333_300), D(333_300), D(333_401)]


def test_three_ways_of_an_odd_amount_at_precision_2() -> None:
    # 100,01 is 10.001 centavos: 3.333,3333 / 3.333,3333 / 3.334,3334 centavos; floors
    # 3.333 + 3.333 + 3.334 = 10.000; the centavo left to the largest remainder (cost center 3).
    assert split(D("100.01"), THIRDS, 2) == [D("33.33"), D("33.33"), D("33.35")]


def test_sixty_forty_of_one_peso() -> None:
    # 0,6 and 0,4: both floors are 0; the peso goes to the larger remainder, the 60 % share.
    assert split(D(1), [("2", D(60)), ("3", D(40))], 0) == [D(1), D(0)]
    assert split(D(1), [("3", D(40)), ("2", D(60))], 0) == [D(0), D(1)]  # order of shares kept


def test_sixty_forty_of_one_centavo_at_precision_2() -> None:
    assert split(D("0.01"), [("2", D(60)), ("3", D(40))], 2) == [D("0.01"), D("0.00")]


def test_a_tie_of_remainders_goes_to_the_larger_percentage() -> None:
    # 2 pesos at 25/75: quotas 0,5 and 1,5; floors 0 and 1; remainders tie at 0,5: the peso
    # left goes to the 75 % share.
    assert split(D(2), [("1", D(25)), ("2", D(75))], 0) == [D(0), D(2)]


def test_a_tie_of_remainder_and_percentage_goes_to_the_smaller_cost_center_id() -> None:
    # 1 peso at 50/50: 0,5 each; same percentage: the smaller id, compared as a number.
    assert split(D(1), [("10", D(50)), ("3", D(50))], 0) == [D(0), D(1)]
    assert split(D(1), [("3", D(50)), ("10", D(50))], 0) == [D(1), D(0)]
    assert sorted(["10", "9", "ADM", "2"], key=center_order) == ["2", "9", "10", "ADM"]


def test_a_reversal_splits_as_the_amount_does_negated() -> None:
    assert split(D(-1), [("2", D(60)), ("3", D(40))], 0) == [D(-1), D(0)]
    assert split(D(-1_000_001), THIRDS, 0) == [D(-333_300), D(-333_300), D(-333_401)]


def test_an_exact_split_needs_no_remainder() -> None:
    # 1.000.000 at 60/40 is 600.000 and 400.000 exactly
    assert split(D(1_000_000), [("2", D(60)), ("3", D(40))], 0) == [D(600_000), D(400_000)]


def test_one_share_is_the_whole_amount() -> None:
    assert split(D("91666.67"), [("1", D(100))], 2) == [D("91666.67")]


percentages = st.lists(st.integers(min_value=1, max_value=9_999), min_size=1, max_size=6)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(units=st.integers(min_value=-10**12, max_value=10**12), raw=percentages,
       precision=st.sampled_from([0, 2]))
def test_shares_add_up_to_the_amount_and_stay_within_a_unit(units: int, raw: list[int],
                                                             precision: int) -> None:
    unit = D(1).scaleb(-precision)
    amount = units * unit
    # percentages with two decimals adding up to exactly 100: scale the raw weights
    total = sum(raw)
    hundredths = [weight * 10_000 // total for weight in raw]
    hundredths[-1] += 10_000 - sum(hundredths)
    if hundredths[-1] <= 0:
        return
    shares = [(str(index + 1), D(h) / 100) for index, h in enumerate(hundredths)]
    pieces = split(amount, shares, precision)
    assert sum(pieces, D(0)) == amount
    for piece, (_center, percentage) in zip(pieces, shares, strict=True):
        exact = amount * percentage / 100
        assert abs(piece - exact) < unit
        assert piece == piece.quantize(unit)


@pytest.mark.parametrize("precision", [0, 2])
def test_the_same_amount_and_distribution_always_split_the_same(precision: int) -> None:
    amount = D("123456.78") if precision else D(123_457)
    assert split(amount, THIRDS, precision) == split(amount, THIRDS, precision)
