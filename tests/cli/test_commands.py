"""Every command and subcommand of the Typer app has help and a place in the README.

The commands are enumerated from the app itself, so a new command without help or without a
line in README.md (and README.es.md, once it exists) fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
from typer.core import TyperGroup
from typer.testing import CliRunner

from alegra_sync.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
READMES = [ROOT / "README.md", ROOT / "README.es.md"]


def command_paths() -> list[tuple[tuple[str, ...], typer.core.TyperCommand | TyperGroup]]:
    """(path, command) of every visible command and subcommand, walking the click groups."""
    found: list[tuple[tuple[str, ...], typer.core.TyperCommand | TyperGroup]] = []

    def walk(group: TyperGroup, path: tuple[str, ...]) -> None:
        for name, command in group.commands.items():
            if command.hidden:
                continue
            found.append(((*path, name), command))  # type: ignore[arg-type]
            if isinstance(command, TyperGroup):
                walk(command, (*path, name))

    root = typer.main.get_command(app)
    assert isinstance(root, TyperGroup)
    walk(root, ())
    return found


COMMANDS = command_paths()
IDS = [" ".join(path) for path, _ in COMMANDS]


def mentioned(readme: str, path: tuple[str, ...]) -> bool:
    """`alegra-sync map set` anywhere, or for a subcommand `map set` in backticks; never
    `map set` found inside `map set-payable`."""
    words = re.escape(" ".join(path))
    prefix = r"(?:\balegra-sync |`)" if len(path) > 1 else r"\balegra-sync "
    return re.search(prefix + words + r"(?![\w-])", readme) is not None


def test_the_walk_finds_commands_and_subcommands() -> None:
    assert len(IDS) == len(set(IDS))
    assert any(len(path) == 1 for path, _ in COMMANDS)
    assert any(len(path) > 1 for path, _ in COMMANDS)  # it descends into the groups


def test_the_app_has_help_and_a_version() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0, result.output
    assert "Usage: alegra-sync" in result.output
    for path, _ in COMMANDS:
        if len(path) == 1:
            assert path[0] in result.output  # listed in the root help
    assert CliRunner().invoke(app, ["--version"]).stdout.startswith("alegra-sync ")


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_every_command_has_help(path: tuple[str, ...], command: typer.core.TyperCommand) -> None:
    summary = (command.help or "").strip().splitlines()
    assert summary and summary[0].strip(), f"`alegra-sync {' '.join(path)}` has no help text"
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert f"Usage: alegra-sync {' '.join(path)} " in result.output
    assert " ".join(summary[0].split()) in " ".join(result.output.split())


@pytest.mark.parametrize("readme", READMES, ids=[path.name for path in READMES])
@pytest.mark.parametrize("path", [path for path, _ in COMMANDS], ids=IDS)
def test_every_command_is_in_the_readme(readme: Path, path: tuple[str, ...]) -> None:
    if not readme.exists():
        assert readme.name != "README.md", "README.md is missing"
        pytest.skip(f"{readme.name} does not exist yet")
    text = readme.read_text(encoding="utf-8")
    assert mentioned(text, path), (
        f"`alegra-sync {' '.join(path)}` is not mentioned in {readme.name}: add it to Commands"
    )


@pytest.mark.parametrize(("text", "path", "found"), [
    ("run `alegra-sync sync --dry-run`", ("sync",), True),
    ("`sync` alone", ("sync",), False),  # a top-level command needs `alegra-sync NAME`
    ("`alegra-sync syncing`", ("sync",), False),
    ("`map set`, and more", ("map", "set"), True),
    ("$ alegra-sync map set \"ARL\"", ("map", "set"), True),
    ("`map set-payable`", ("map", "set"), False),
    ("map set for scripts", ("map", "set"), False),
])
def test_what_counts_as_a_mention(text: str, path: tuple[str, ...], found: bool) -> None:
    assert mentioned(text, path) is found
