"""The yes/no question (`approve`, map's offers): "s" is yes as "y" is, in both languages."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from alegra_sync import i18n
from alegra_sync.cli.confirm import confirm


def answered(text: str, *, default: bool = False) -> tuple[bool, str]:
    app = typer.Typer()
    seen: list[bool] = []

    @app.command()
    def ask() -> None:
        seen.append(confirm("¿Contabilizar?", default=default))

    result = CliRunner().invoke(app, [], input=text)
    assert result.exit_code == 0, result.output
    return seen[0], result.output


@pytest.mark.parametrize(("text", "expected"), [
    ("s\n", True), ("sí\n", True), ("Si\n", True), ("y\n", True), ("yes\n", True),
    ("n\n", False), ("NO\n", False), ("\n", False)])
def test_yes_and_no_in_both_languages(text: str, expected: bool) -> None:
    assert answered(text)[0] is expected


def test_enter_takes_the_default_and_anything_else_asks_again() -> None:
    assert answered("\n", default=True)[0] is True
    result, output = answered("tal vez\ns\n")
    assert result is True and output.count("¿Contabilizar? [y/N]") == 2
    assert "type y or n" in output


def test_the_question_in_spanish_shows_s_for_yes() -> None:
    i18n.configure("es")
    try:
        _, output = answered("s\n")
    finally:
        i18n.configure("en")
    assert "¿Contabilizar? [s/N]" in output
