"""Typer's and click's own English words, marked here for the catalogue.

Typer 0.29 vendors click without gettext: its words are English literals and f-strings. They
are listed here (``N_``) so that Babel extracts them and the catalogue translates them;
``cli/help.py`` puts them in place when help or an error is drawn. The tests hold these to what
the installed Typer really says, so an upgrade that rewords one fails there, not in front of an
accountant.
"""

from __future__ import annotations

from alegra_sync.i18n import N_

# typer.rich_utils's module constants: its functions read them at every draw.
RICH_WORDS = {
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "ERRORS_PANEL_TITLE": N_("Error"),
    # TRANSLATORS: after an option's help; {} is the default value, never translated.
    "DEFAULT_STRING": N_("[default: {}]"),
    "ENVVAR_STRING": N_("[env var: {}]"),
    "REQUIRED_LONG_STRING": N_("[required]"),
    "ABORTED_TEXT": N_("Aborted."),
    # TRANSLATORS: rich markup: keep [blue], [/] and the quotes around the command.
    "RICH_HELP": N_("Try [blue]'{command_path} {help_option}'[/] for help."),
}

# The usage line's prefix (click's formatter), and the metavars Typer draws in it.
USAGE = N_("Usage:")
OPTIONS_METAVAR = N_("[OPTIONS]")
SUBCOMMAND_METAVAR = N_("COMMAND [ARGS]...")

# The help of the options Typer adds to every command or to the root.
OPTION_HELP = (
    N_("Show this message and exit."),
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
)

# Usage errors as click and Typer write them, most specific first: cli/help.py matches the
# whole message against each and formats the translated one with what it matched. The
# placeholders are option names, values and command lines: never translated.
USAGE_ERRORS = (
    N_("No such option: {name} (Possible options: {options})"),
    N_("No such option: {name}"),
    N_("No such command {name}. Did you mean {suggestions}?"),
    N_("No such command {name}."),
    N_("Missing command."),
    N_("Missing option {name}."),
    N_("Missing argument {name}."),
    N_("Missing parameter: {name}"),
    N_("Option {name} requires an argument."),
    N_("Option {name} requires {count} arguments."),
    N_("Option {name} does not take a value."),
    N_("Argument {name} takes {count} values."),
    N_("Got unexpected extra argument(s) ({arguments})"),
    N_("Invalid value for {name} (env var: {variable}): {reason}"),
    N_("Invalid value for {name}: {reason}"),
    N_("Invalid value: {reason}"),
    # the reasons Typer's type checks give (pydantic's words)
    N_("Value error, {value} is not one of {choices}."),
    N_("{value} is not one of {choices}."),
    N_("Input should be a valid integer, unable to parse string as an integer"),
    N_("Input should be a valid number, unable to parse string as a number"),
)
