"""The help of every command, and Typer's usage errors, in both languages.

Every command and subcommand is enumerated from the Typer app (typer.main.get_command), so a
new command is checked without touching this file.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from babel.messages.pofile import read_po
from typer.testing import CliRunner

from alegra_sync import i18n
from alegra_sync.cli.app import ErrorHandlingGroup, app
from alegra_sync.cli.help import Examples, TranslatedCommand, TranslatedGroup, translate_command

PO_FILE = (Path(__file__).resolve().parents[2] / "src" / "alegra_sync" / "locale" / "es"
           / "LC_MESSAGES" / "alegra_sync.po")

# What Spanish help must not hold: Typer's words and common English words.
ENGLISH = ["Usage", "Options", "Arguments", "Commands", "Examples", "Show this message",
           "Try", "for help", "default", "required", "env var", "No such", "Missing",
           "Invalid", "the", "and", "of", "with", "for", "to", "is", "not", "or", "from",
           "this", "every", "each", "post", "posted", "mapping", "export", "period"]
# What English help must not hold (the product's Spanish nouns, comprobante, egreso, tercero,
# quincena, are used in English too).
SPANISH = ["Uso", "Opciones", "Argumentos", "Comandos", "Ejemplos", "Muestra esta ayuda",
           "Para ver la ayuda", "por defecto", "obligatorio", "variable de entorno", "el", "la",
           "los", "las", "del", "que", "una", "contabiliza", "parametrización", "archivo",
           "periodo", "cuenta"]


def command_paths() -> list[list[str]]:
    """The path of the root and of every command and subcommand under it."""
    paths: list[list[str]] = []

    def walk(command: Any, path: list[str]) -> None:
        paths.append(path)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return paths


PATHS = command_paths()
IDS = [" ".join(path) or "(root)" for path in PATHS]


def run(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(app, list(args), env=env)


def prose(help_text: str) -> str:
    """The help without what is never translated: option names, example command lines,
    environment variables, paths, file names and values in quotes."""
    lines = [line for line in help_text.splitlines()
             if not line.strip().startswith(("alegra-sync ", "echo "))]
    text = "\n".join(lines)
    for pattern in (r"[^\s(]*/[^\s)]*", r"(?<![\w-])--?[\w-]+", r"\bALEGRA_SYNC_\w+",
                    r"\b[\w-]+\.(?:toml|csv)\b", r"'[^']*'",
                    r"\b(?:sync\.start|accounts\.payable)\b"):
        text = re.sub(pattern, " ", text)
    return text


def words_found(text: str, words: list[str]) -> list[str]:
    return [word for word in words if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)]


# --- every command, both languages --------------------------------------------------------


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_spanish_help_has_no_english_left(path: list[str]) -> None:
    result = run("--lang", "es", *path, "--help")
    assert result.exit_code == 0, result.output
    assert "Uso:" in result.output and "Ejemplos:" in result.output
    assert words_found(prose(result.output), ENGLISH) == []


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_english_help_has_no_spanish(path: list[str]) -> None:
    result = run(*path, "--help")
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output and "Examples:" in result.output
    assert words_found(prose(result.output), SPANISH) == []


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_no_type_words_for_flags_and_real_examples(path: list[str]) -> None:
    """Item 13 of issue 13: no <bool>/<int>/<str>; two or three examples that run."""
    output = run(*path, "--help").output
    assert re.findall(r"<(?:bool|int|str|text|path|file|list\[\w+\])>", output) == []
    command = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    examples = command.epilog
    assert isinstance(examples, Examples) and 2 <= len(examples.items) <= 3
    for line, _description in examples.items:
        words = shlex.split(line.split("|")[-1].split(">")[0])
        assert words[0] == "alegra-sync"
        parsed = run(*words[1:], "--help")  # every option of the example exists
        assert parsed.exit_code == 0, f"{line}: {parsed.output}"


def test_every_command_draws_in_the_chosen_language() -> None:
    def walk(command: Any) -> Iterator[Any]:
        yield command
        for sub in getattr(command, "commands", {}).values():
            yield from walk(sub)

    root = typer.main.get_command(app)
    assert isinstance(root, ErrorHandlingGroup)
    for command in walk(root):
        assert isinstance(command, TranslatedCommand | TranslatedGroup), command.name


def test_every_text_drawn_in_help_is_in_the_catalogue() -> None:
    """What Typer holds (after cleandoc) is exactly a msgid: help, metavars, examples."""
    with PO_FILE.open("rb") as handle:
        msgids = {m.id for m in read_po(handle) if m.id}
    missing = []
    root = typer.main.get_command(app)
    i18n.configure(flag="en")

    def walk(command: Any, ctx: Any) -> None:
        translate_command(command, ctx)
        english = command.__dict__["_alegra_sync_english"]
        texts = [english["help"], *(d for _, d in english["epilog"].items)]
        for param in command.get_params(ctx):
            param_english = param.__dict__["_alegra_sync_english"]
            texts.append(param_english["help"])
            choices = param.type_descriptor.is_choice
            if param_english["metavar"] is None and not (param.is_flag or param.count
                                                        or choices):
                missing.append(f"{command.name} {param.name}: no metavar")
            elif param_english["metavar"] is not None:
                texts.append(param_english["metavar"])
        missing.extend(f"{command.name}: {text!r}" for text in texts if text not in msgids)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, typer.Context(sub, info_name=name, parent=ctx))

    walk(root, typer.Context(root, info_name="alegra-sync"))
    assert missing == []


# --- how the language is chosen, for help -----------------------------------------------------


@pytest.mark.parametrize(("args", "env"), [
    (["--lang", "es", "sync", "--help"], {}),
    (["--lang=es", "sync", "--help"], {}),
    (["sync", "--help", "--lang", "es"], {}),  # wherever it is on the line
    (["--help", "--lang", "es"], {}),
    (["sync", "--help"], {"ALEGRA_SYNC_LANG": "es"}),
    (["map", "set", "--help"], {"LANG": "es_CO.UTF-8"}),
    (["map", "show", "--help"], {"LANGUAGE": "es", "LANG": "C"}),
    (["--lang", "es", "sync", "--help"], {"LANG": "en_US.UTF-8"}),
], ids=["flag", "flag=", "flag after", "root flag after", "variable", "LANG", "LANGUAGE",
        "flag beats LANG"])
def test_spanish_from_each_source(args: list[str], env: dict[str, str]) -> None:
    result = run(*args, env=env)
    assert result.exit_code == 0, result.output
    assert "Uso: alegra-sync" in result.output and "Usage" not in result.output


def test_spanish_from_config_toml(isolated_home: Path, tmp_path: Path) -> None:
    (isolated_home / "config.toml").write_text('lang = "es"\n', encoding="utf-8")
    assert "Uso: alegra-sync sync" in run("sync", "--help").output
    other = tmp_path / "other.toml"
    other.write_text('lang = "en"\n', encoding="utf-8")
    assert "Usage: alegra-sync sync" in run("--config", str(other), "sync", "--help").output
    assert "Usage:" in run("sync", "--help", env={"ALEGRA_SYNC_LANG": "en"}).output


@pytest.mark.parametrize("content", ['lang = "fr"\n', "lang = [\n", "lang = 1\n"])
def test_a_bad_lang_in_config_leaves_help_to_the_locale(isolated_home: Path,
                                                        content: str) -> None:
    (isolated_home / "config.toml").write_text(content, encoding="utf-8")
    assert "Uso:" in run("sync", "--help", env={"LANG": "es_CO.UTF-8"}).output
    assert "Usage:" in run("sync", "--help").output


@pytest.mark.parametrize(("args", "env"), [
    (["--lang", "en", "map", "set", "--help"], {"LANG": "es_CO.UTF-8"}),
    (["--lang", "en", "--help"], {"ALEGRA_SYNC_LANG": "es"}),
    (["map", "--help", "--lang", "en"], {"LANG": "es_CO.UTF-8"}),
])
def test_lang_en_beats_a_spanish_locale(args: list[str], env: dict[str, str]) -> None:
    result = run(*args, env=env)
    assert result.exit_code == 0 and "Usage: alegra-sync" in result.output, result.output


def test_the_variable_alone_gives_spanish(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LANG")  # cron: no locale at all
    monkeypatch.setenv("ALEGRA_SYNC_LANG", "es")
    assert "Uso: alegra-sync" in run("--help").output


def test_a_wrong_lang_is_a_usage_error() -> None:
    result = run("--lang", "fr", "status")
    assert result.exit_code == 2
    assert "Invalid value for '--lang'" in result.output and "'fr'" in result.output


def test_one_process_draws_both_languages_one_after_the_other() -> None:
    outputs = [run(*lang, "sync", "--help").output for lang in
               (["--lang", "es"], ["--lang", "en"], ["--lang", "es"], [])]
    assert [("Uso:" in o, "Usage:" in o) for o in outputs] == [
        (True, False), (False, True), (True, False), (False, True)]
    assert outputs[0] == outputs[2] and outputs[1] == outputs[3]


# --- what the help says -------------------------------------------------------------------


def test_the_root_help_says_where_the_home_is(isolated_home: Path) -> None:
    for lang in ("en", "es"):
        text = " ".join(run("--lang", lang, "--help").output.split())
        assert str(isolated_home) in text.replace("│ ", "").replace(" │", "")


def test_flags_say_v_and_vv_and_dates_say_their_format() -> None:
    root = run("--help").output
    assert "-vv" in root and "<int>" not in root
    assert "YYYY-MM-DD" in run("sync", "--help").output
    assert "AAAA-MM-DD" in run("--lang", "es", "sync", "--help").output


def test_shell_completion_in_both_languages() -> None:
    assert "--install-completion" in run("--help").output
    # From a bash, as a person types it: Typer detects the shell from the parent process.
    command = Path(sys.executable).parent / "alegra-sync"
    script = subprocess.run(["bash", "-c", f"'{command}' --show-completion; exit $?"],
                            capture_output=True, text=True, timeout=60, check=False)
    assert script.returncode == 0 and "_ALEGRA_SYNC_COMPLETE=complete_bash" in script.stdout
    for lang, summary in (("C.UTF-8", '"sync":"Post the comprobante'),
                          ("es_CO.UTF-8", '"sync":"Contabiliza el comprobante')):
        completed = run(env={"_ALEGRA_SYNC_COMPLETE": "complete_zsh", "LANG": lang,
                             "_TYPER_COMPLETE_ARGS": "alegra-sync sy"})
        assert summary in completed.output, completed.output


# --- Typer's usage errors -----------------------------------------------------------------


@pytest.mark.parametrize(("args", "english", "spanish"), [
    (["sync", "--bogus"], "No such option: --bogus", "No existe la opción --bogus"),
    (["sync", "--dry"], "No such option: --dry (Possible options: --dry-run)",
     "No existe la opción --dry. ¿Quiso decir --dry-run?"),
    (["sncy"], "No such command 'sncy'. Did you mean 'sync'?",
     "No existe el comando 'sncy'. ¿Quiso decir 'sync'?"),
    (["map", "set"], "Missing argument 'CONCEPT'.", "Falta el argumento 'CONCEPTO'."),
    (["sync", "--period"], "Option '--period' requires an argument.",
     "La opción '--period' necesita un valor."),
    (["sync", "--dry-run=1"], "Option '--dry-run' does not take a value.",
     "La opción '--dry-run' no lleva valor."),
    (["status", "extra"], "Got unexpected extra argument(s) (extra)",
     "Sobran argumentos: extra"),
    (["sandbox", "--port", "x"], "Invalid value for '--port': Input should be a valid integer",
     "Valor no válido para '--port': debe ser un número entero"),
    (["sandbox", "--seed", "x"], "'x' is not one of 'demo', 'recorded'.",
     "'x' no es válido; use uno de 'demo', 'recorded'."),
])
def test_usage_errors_in_both_languages(args: list[str], english: str, spanish: str) -> None:
    results = {lang: run("--lang", lang, *args) for lang in ("en", "es")}
    assert [r.exit_code for r in results.values()] == [2, 2]
    en = " ".join(results["en"].output.replace("│", " ").split())
    es = " ".join(results["es"].output.replace("│", " ").split())
    assert english in en and spanish in es
    # the usage line and the hint come with the errors that know their command
    assert ("Usage: alegra-sync" in en) == ("Uso: alegra-sync" in es)
    assert ("for help" in en) == ("Para ver la ayuda" in es)
    assert words_found(es, ["Usage", "Try", "Error:", "No such", "Missing", "Invalid"]) == []


def test_the_english_words_are_typers_own() -> None:
    """An upgrade of Typer that rewords one of them fails here, not in front of a user."""
    import subprocess
    import sys

    from alegra_sync.cli import typer_words

    names = sorted(typer_words.RICH_WORDS)
    probe = ("import sys, typer.rich_utils as r; "
             f"sys.stdout.write(chr(0).join(getattr(r, n) for n in {names!r}))")
    fresh = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                           check=True).stdout.split("\0")
    assert fresh == [typer_words.RICH_WORDS[name] for name in names]
