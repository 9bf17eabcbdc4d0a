"""Every command and subcommand of the Typer app has help and a place in the README.

The commands are enumerated from the app itself, so a new command without help or without a
line in README.md (and README.es.md, once it exists) fails here.
"""

from __future__ import annotations

import re
import shlex
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


# --- README.md and README.es.md: one README in two languages --------------------------------

FENCE = re.compile(r"^ *```(\w*)$")
HEADING = re.compile(r"^(#{1,6}) (.*)$")


def blocks(text: str) -> list[tuple[str, list[str]]]:
    """(language, lines) of every fenced block, in order; indented fences (in lists) too."""
    found: list[tuple[str, list[str]]] = []
    language: str | None = None
    body: list[str] = []
    for line in text.splitlines():
        fence = FENCE.match(line)
        if fence and language is None:
            language, body = fence.group(1), []
        elif fence:
            found.append((language, body))
            language = None
        elif language is not None:
            body.append(line.strip())
    assert language is None, "a fenced block is not closed"
    return found


def headings(text: str) -> list[tuple[int, str]]:
    """(level, the code in backticks) of every heading outside the fenced blocks: the prose of
    a heading is translated, its level and its `code` are not."""
    found: list[tuple[int, str]] = []
    fenced = False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced and (heading := HEADING.match(line)):
            found.append((len(heading.group(1)), " ".join(re.findall(r"`([^`]*)`",
                                                                    heading.group(2)))))
    return found


def shell_commands(text: str) -> list[tuple[str, ...]]:
    """The `alegra-sync …` lines of the sh and console blocks, as shell words, comments (which
    a translation may translate) dropped; in a console block only the `$ ` lines."""
    commands: list[tuple[str, ...]] = []
    for language, body in blocks(text):
        if language not in ("sh", "console"):
            continue
        for line in body:
            if language == "console":
                if not line.startswith("$ "):
                    continue
                line = line[2:]
            words = tuple(shlex.split(line, comments=True))
            if any("alegra-sync" in word for word in words):
                commands.append(words)
    return commands


def readme(name: str) -> str:
    path = ROOT / name
    assert path.exists(), f"{name} is missing (product.md, Language: the README in Spanish)"
    return path.read_text(encoding="utf-8")


def test_the_two_readmes_link_each_other_in_their_first_lines() -> None:
    assert "(README.es.md)" in "\n".join(readme("README.md").splitlines()[:5])
    assert "(README.md)" in "\n".join(readme("README.es.md").splitlines()[:5])


def test_the_spanish_readme_has_the_same_sections() -> None:
    english, spanish = headings(readme("README.md")), headings(readme("README.es.md"))
    assert len(english) > 20
    assert spanish == english


def test_the_spanish_readme_has_the_same_commands() -> None:
    english, spanish = shell_commands(readme("README.md")), shell_commands(readme("README.es.md"))
    assert len(english) > 20
    assert spanish == english


def test_the_quick_start_is_the_same_two_commands() -> None:
    def quick_start(text: str) -> list[str]:
        language, body = blocks(text)[0]
        assert language == "sh"
        return body

    english = quick_start(readme("README.md"))
    assert len(english) == 2 and english[0].endswith(".venv/bin/alegra-sync demo")
    assert quick_start(readme("README.es.md")) == english


@pytest.mark.parametrize(("text", "commands"), [
    ("```sh\nalegra-sync sync   # posts it\n```", [("alegra-sync", "sync")]),
    ("```sh\nalegra-sync sync   # lo contabiliza\n```", [("alegra-sync", "sync")]),
    ("```console\n$ alegra-sync status\nalegra-sync status\n```", [("alegra-sync", "status")]),
    ("  ```sh\n  alegra-sync map\n  ```\n```toml\nx = 1\n```", [("alegra-sync", "map")]),
    ("`alegra-sync sync` in prose\n```sh\nls\n```", []),
])
def test_what_counts_as_a_readme_command(text: str, commands: list[tuple[str, ...]]) -> None:
    assert shell_commands(text) == commands
