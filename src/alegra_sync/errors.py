"""The exit codes of product.md and the exceptions that carry them.

Every error a user can cause or meet is one of these; the CLI turns them into a one-line
message and the exit code, in one place (``cli/app.py``). Messages never contain secrets.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from alegra_sync.i18n import T, Text, joined, local, reason_of, verbatim


class ExitCode(IntEnum):
    OK = 0
    USAGE = 2
    DATA = 65  # bad export / mapping does not cover the export / unbalanced / changed export
    NO_INPUT = 66  # no export found for the period
    UNAVAILABLE = 69  # Alegra unreachable or failing after retries
    TEMPFAIL = 75  # lock held, rate limit not recovering, outcome still uncertain
    NOPERM = 77  # Alegra refused credentials or permission (401/402/403)
    CONFIG = 78  # no credentials, invalid config/mapping, something Alegra lacks
    INTERNAL = 70  # EX_SOFTWARE: a bug of ours, not the user's
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report it)


class AlegraSyncError(Exception):
    """Base of every expected error. ``hint`` says what to do about it.

    Message and hint are ``i18n.Text`` (or plain English): ``message``/``hint``/``str()`` are
    the English a ``--json`` document, the run log and the state keep; ``localized()`` is what
    a person reads, in the chosen language.
    """

    exit_code: ExitCode = ExitCode.DATA

    def __init__(self, message: str | Text, hint: str | Text | None = None) -> None:
        self.text = message
        self.hint_text = hint
        self.message = str(message)
        self.hint = str(hint) if hint is not None else None
        super().__init__(self.message)

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message

    def with_hint(self, hint: str | Text) -> None:
        """What to do, said better by the caller, who knows the context."""
        self.hint_text, self.hint = hint, str(hint)

    def localized(self) -> tuple[str, str | None]:
        """The message and the hint in the chosen language."""
        hint = local(self.hint_text) if self.hint_text is not None else None
        return local(self.text), hint

    def localized_line(self) -> str:
        """``str()`` in the chosen language: the message, its hint in parentheses."""
        return self.sentence().local()

    def sentence(self) -> Text:
        """``str()`` as a Text, for a message that quotes this error: the message and its hint
        in parentheses, in the language the quoting text is drawn in."""
        if not self.hint_text:
            return self.text if isinstance(self.text, Text) else verbatim(self.text)
        return Text("{message} ({hint})", translated=False,
                    params={"message": self.text, "hint": self.hint_text})


def validation_reason(error: Any) -> str | Text:
    """What one of pydantic's ``errors()`` says: the Text of a rule of ours (a validator that
    raised ``ValueError(T(…))``), else pydantic's own words, which are English only."""
    raised = (error.get("ctx") or {}).get("error")
    if isinstance(raised, ValueError):
        reason = reason_of(raised)
        if isinstance(reason, Text):
            return reason
    return str(error["msg"]).removeprefix("Value error, ")


class UsageError(AlegraSyncError):
    """Flags that cannot work together or with the data they name (exit 2, as Typer's own)."""

    exit_code = ExitCode.USAGE


class DataError(AlegraSyncError):
    """The export (or what it names) is unreadable or inconsistent."""

    exit_code = ExitCode.DATA


class ExportRowError(DataError):
    """A rejection that points at one place in an export file."""

    def __init__(
        self,
        file: str,
        reason: str | Text,
        *,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
        hint: str | Text | None = None,
    ) -> None:
        where: list[str | Text] = [file]
        if row is not None:
            where.append(T("row {row}", row=row))
        if column is not None:
            where.append(T("column {column}", column=repr(column)))
        if value is not None:
            where.append(T("value {value}", value=repr(value)))
        super().__init__(T("{where}: {reason}", where=joined(", ", where), reason=reason), hint)
        self.file, self.row, self.column, self.value = file, row, column, value
        self.reason = str(reason)


class NoExportError(AlegraSyncError):
    exit_code = ExitCode.NO_INPUT


class ConfigError(AlegraSyncError):
    """Invalid settings, mapping or credentials, or something Alegra lacks."""

    exit_code = ExitCode.CONFIG


class TryLaterError(AlegraSyncError):
    exit_code = ExitCode.TEMPFAIL


class AlegraError(AlegraSyncError):
    """Alegra answered with an error. ``status`` is the HTTP status, ``code`` Alegra's own."""

    exit_code = ExitCode.DATA

    def __init__(
        self, message: str | Text, *, status: int | None = None, code: int | None = None,
        hint: str | Text | None = None,
    ) -> None:
        super().__init__(message, hint)
        self.status = status
        self.code = code


class AuthError(AlegraError):
    """401/402/403: credentials, plan or permission."""

    exit_code = ExitCode.NOPERM


class UnavailableError(AlegraError):
    """Alegra unreachable, or 5xx after the retries."""

    exit_code = ExitCode.UNAVAILABLE


class RateLimitError(AlegraError):
    """429 that did not recover within the retries."""

    exit_code = ExitCode.TEMPFAIL


class IncompleteListingError(AlegraError):
    """A listing that could not be read whole (its order changes between pages): what it does
    not show is not known to be absent."""

    exit_code = ExitCode.TEMPFAIL


class UncertainWriteError(AlegraError):
    """A POST whose outcome is unknown: timed out, connection dropped, or 5xx.

    The document may or may not exist in Alegra; the caller must look it up before posting
    again (accounting.md, "Posting exactly once").
    """

    exit_code = ExitCode.TEMPFAIL
