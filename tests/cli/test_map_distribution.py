"""The cost-center question of interactive `map` (cli/map/distribution.py): one number, or
shares of the listed cost centers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from alegra_sync.alegra.models import CostCenter
from alegra_sync.cli.map import distribution
from alegra_sync.cli.map.distribution import ask_cost_center, parse_answer

CENTERS = [CostCenter(id="1", code="ADM", name="Administración"),
           CostCenter(id="2", code="VEN", name="Ventas"),
           CostCenter(id="7", code="PRD", name="Producción")]


@pytest.mark.parametrize(("answer", "target"), [
    ("2", "2"),
    ("2=100", "2"),
    ("1=60 2=40", {"1": Decimal(60), "2": Decimal(40)}),
    ("1=33,33 2=33,33 3=33,34", {"1": Decimal("33.33"), "2": Decimal("33.33"),
                                 "7": Decimal("33.34")}),
    ("1=60%; 3=40%", {"1": Decimal(60), "7": Decimal(40)}),
])
def test_an_answer_gives_a_cost_center_or_a_distribution(answer: str, target: Any) -> None:
    assert parse_answer(answer, CENTERS) == (target, None)


@pytest.mark.parametrize(("answer", "problem"), [
    ("", "type a number, or shares such as 1=60 2=40"),
    ("4", "'4' is not a number from 1 to 3"),
    ("1=60 2=30", "the shares: the percentages add up to 90 %, not 100 %"),
    ("1=sesenta 2=40", "'sesenta' is not a percentage"),
])
def test_a_wrong_answer_says_why(answer: str, problem: str) -> None:
    assert parse_answer(answer, CENTERS) == (None, problem)


class FakeApp:
    def __init__(self) -> None:
        self.printed: list[str] = []
        self.err = self

    def print(self, text: str) -> None:
        self.printed.append(text)


def test_it_asks_again_until_the_shares_add_up(monkeypatch: pytest.MonkeyPatch) -> None:
    answers = iter(["1=60 2=30", "1=60 2=40"])
    asked: list[tuple[str, str]] = []

    def prompt(question: str, default: str = "", **_options: object) -> str:
        asked.append((question, default))
        return next(answers)

    monkeypatch.setattr(distribution.typer, "prompt", prompt)
    app = FakeApp()
    target = ask_cost_center(app, "Compartido", CENTERS, 1)  # type: ignore[arg-type]
    assert target == {"1": Decimal(60), "2": Decimal(40)}
    assert app.printed == ["  the shares: the percentages add up to 90 %, not 100 %"]
    assert asked[0] == ("  export's 'Compartido' is Alegra's number (or shares: 1=60 2=40)",
                        "2")
