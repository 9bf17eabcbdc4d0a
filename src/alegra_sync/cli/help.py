"""Help, usage lines and usage errors in the chosen language: the classes of every command.

Typer 0.29 vendors click without gettext, so there is no domain to bind to a catalogue. What
this module does instead, and all it changes of Typer and click:

1. A command's texts stay English msgids on the click objects Typer builds (help, epilog,
   short help, the options' help and metavars). ``translate_command`` puts their translation
   in place each time a help or a usage line is drawn, keeping the English aside, so that one
   process can draw both languages one after the other (the tests do).
2. Typer's rich help reads the module constants of ``typer.rich_utils`` ("Options",
   "[default: {}]", "Try … for help.") at each draw: ``use_typer_words`` sets them first.
3. "Usage:" is a literal of click's formatter: ``format_usage`` passes the translated prefix.
   Shell completion (zsh and fish show each command's summary) is translated the same way.
4. Usage errors are f-strings: ``translated_error`` matches the message against Typer's own
   templates (``typer_words.USAGE_ERRORS``) and formats the translated template.

On the way, flags lose their metavar (no ``<bool>``; ``-v`` counts, it takes no ``<int>``).
Without rich (``TYPER_USE_RICH=0``) Typer's plain formatter keeps a few English words.
"""

from __future__ import annotations

import os
import re
import shutil
import textwrap
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from typing import Any

from typer import _click
from typer._click.exceptions import NoArgsIsHelpError, UsageError
from typer._click.shell_completion import CompletionItem
from typer.core import TyperArgument, TyperCommand, TyperGroup

from alegra_sync.cli import typer_words
from alegra_sync.i18n import N_, _

EXAMPLES_HEADING = N_("Examples:")
_ENGLISH = "_alegra_sync_english"  # where a click object keeps its English texts


class Examples(str):
    """A command's epilog: real command lines, each with what it does. Its value is the
    English text (what Typer alone would draw); ``translate_command`` draws it again with the
    descriptions translated. Command lines are never translated, so never in the catalogue."""

    items: tuple[tuple[str, str], ...]

    def __new__(cls, *items: tuple[str, str]) -> Examples:
        made = super().__new__(cls, _render(items, lambda text: text))
        made.items = items
        return made

    def render(self) -> str:
        return _render(self.items, _, _help_width())


def _render(items: Iterable[tuple[str, str]], translate: Callable[[str], str],
            width: int | None = None) -> str:
    # The first line is empty so that inspect.cleandoc (rich's) keeps the indentation, and
    # descriptions are wrapped here because rich would wrap them back to the margin.
    lines = ["", translate(EXAMPLES_HEADING)]
    for command, description in items:
        lines.append(f"  {_escape(command)}")
        text = _escape(translate(description))
        if width is None:
            lines.append(f"      {text}")
        else:
            lines += textwrap.wrap(text, width, initial_indent=" " * 6,
                                   subsequent_indent=" " * 6, break_on_hyphens=False)
    return "\n".join(lines)


def _help_width() -> int:
    """The width rich draws Typer's help at (less its padding): TERMINAL_WIDTH, else COLUMNS
    or the terminal's, else 80."""
    fixed = os.environ.get("TERMINAL_WIDTH")
    columns = int(fixed) if fixed and fixed.isdigit() else shutil.get_terminal_size().columns
    return max(columns - 2, 40)


def _escape(text: str) -> str:
    """Rich markup: a "[" in an example is text."""
    return text.replace("[", r"\[")


def _translate(obj: object, attribute: str, values: Mapping[str, str] | None = None) -> None:
    english: dict[str, Any] = obj.__dict__.setdefault(_ENGLISH, {})
    if attribute not in english:
        english[attribute] = getattr(obj, attribute)
    text = english[attribute]
    if isinstance(text, Examples):
        text = text.render()
    elif isinstance(text, str) and text:
        text = _(text)
        if values:
            text = text.format_map(values)
    setattr(obj, attribute, text)


def translate_command(command: _click.Command, ctx: _click.Context) -> None:
    """The chosen language's texts on ``command``, its parameters and its subcommands'
    summaries (what its help and usage line show)."""
    values = command.help_values(ctx) if isinstance(command, _InLanguage) else None
    _translate(command, "help", values)
    for attribute in ("epilog", "short_help", "options_metavar"):
        _translate(command, attribute)
    if isinstance(command, TyperGroup):
        _translate(command, "subcommand_metavar")
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None:
                _translate(sub, "help")
                _translate(sub, "short_help")
    for param in command.get_params(ctx):
        _translate(param, "help")
        _translate(param, "metavar")
        if getattr(param, "is_flag", False) or getattr(param, "count", False):
            param.metavar = ""  # a flag takes no value: no <bool>, and -v, -vv no <int>
        elif isinstance(param, TyperArgument) and param.metavar:
            # its metavar names it already; Typer would add its type word (<str>) beside it
            setattr(param, "display_type_rich", _no_type)  # noqa: B010 (a method, per object)


def _no_type(ctx: _click.Context) -> None:
    return None


def use_typer_words() -> None:
    """typer.rich_utils's words in the chosen language (it reads them at each draw)."""
    from typer import rich_utils

    for name, english in typer_words.RICH_WORDS.items():
        setattr(rich_utils, name, _(english))


@cache
def _error_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    patterns = []
    for template in typer_words.USAGE_ERRORS:
        parts = re.split(r"\{(\w+)\}", template)
        regex = "".join(re.escape(part) if index % 2 == 0 else f"(?P<{part}>.+?)"
                        for index, part in enumerate(parts))
        patterns.append((re.compile(regex, re.DOTALL), template))
    return tuple(patterns)


def translate_message(message: str) -> str:
    """A usage error's message in the chosen language: Typer's templates, else the message
    itself if it is one of the catalogue's (ours), else as it is."""
    for pattern, template in _error_patterns():
        found = pattern.fullmatch(message)
        if found:
            values = found.groupdict()
            if "reason" in values:
                values["reason"] = translate_message(values["reason"])
            return _(template).format(**values)
    return _(message)


def translated_error(error: UsageError) -> UsageError:
    """The same usage error (exit code, context) in the chosen language."""
    if isinstance(error, NoArgsIsHelpError):  # its message is the help, drawn already
        return error
    if error.ctx is not None:  # the metavars in the message and in the usage line above it
        translate_command(error.ctx.command, error.ctx)
    use_typer_words()
    translated = UsageError(translate_message(error.format_message()), error.ctx)
    translated.exit_code = error.exit_code
    return translated


class _InLanguage(_click.Command):
    """What every command of alegra-sync draws in the chosen language."""

    def help_values(self, ctx: _click.Context) -> Mapping[str, str] | None:
        """Values for the ``{placeholders}`` of this command's help, filled when drawn."""
        return None

    def format_help(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        translate_command(self, ctx)
        use_typer_words()
        super().format_help(ctx, formatter)

    def shell_complete(self, ctx: _click.Context, incomplete: str) -> list[CompletionItem]:
        translate_command(self, ctx)  # the descriptions zsh and fish show beside each name
        return super().shell_complete(ctx, incomplete)

    def format_usage(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        translate_command(self, ctx)
        pieces = self.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces),
                              prefix=_(typer_words.USAGE) + " ")


class TranslatedCommand(_InLanguage, TyperCommand):
    """``cls=`` of every command (``app.command(…, cls=TranslatedCommand)``)."""


class TranslatedGroup(_InLanguage, TyperGroup):
    """``cls=`` of every group (``typer.Typer(cls=TranslatedGroup)``)."""
