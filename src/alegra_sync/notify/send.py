"""Sending a notice through the configured channels, and the reports attached to it.

``deliver`` never raises for a channel that fails: it returns the failures, each one line,
and the caller turns them into warnings and run-log lines. What was posted and the run's exit
code never depend on a notification.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from alegra_sync.config import NotifySettings, load_smtp_password
from alegra_sync.errors import AlegraSyncError
from alegra_sync.i18n import _
from alegra_sync.notify.email import NotifyConfigError, send_email
from alegra_sync.notify.message import Notice, compose
from alegra_sync.notify.webhook import post_webhook

# The reports attached to a message: (company home, periods posted or staged) -> the files.
# The period report (report/ package) is built on another branch; until it lands nothing is
# attached. Its hook: a function of this shape, set as REPORT_FILES (or passed to reports_for).
# It is called after each sync or approve with the periods posted or staged, before the
# message is sent, so it may write the report then (operations.md: "writes the period report"
# when staging) and return the files under <home>/reports/.
ReportFiles = Callable[[Path, Sequence[str]], list[Path]]


def no_reports(_home: Path, _periods: Sequence[str]) -> list[Path]:
    return []


REPORT_FILES: ReportFiles = no_reports


@dataclass(frozen=True)
class Failure:
    channel: str  # email | webhook
    error: AlegraSyncError

    def line(self) -> str:
        return str(self.error)


def deliver(notice: Notice, settings: NotifySettings, password_files: list[Path]) -> list[Failure]:
    """The notice by e-mail and webhook, as configured; the failures (nothing raised)."""
    if not notice.wanted(settings.on):
        return []
    failures: list[Failure] = []
    if settings.email_to:
        try:
            password = load_smtp_password(password_files) if settings.smtp_user else None
            send_email(compose(notice), settings, password)
        except AlegraSyncError as exc:
            failures.append(Failure("email", exc))
        except Exception as exc:  # noqa: BLE001 (a bug in a notification never stops a run)
            failures.append(Failure("email", NotifyConfigError(
                _("e-mail: {error}").format(error=f"{type(exc).__name__}: {exc}"))))
    if settings.webhook_url:
        try:
            post_webhook(notice.document, settings)
        except AlegraSyncError as exc:
            failures.append(Failure("webhook", exc))
        except Exception as exc:  # noqa: BLE001
            failures.append(Failure("webhook", NotifyConfigError(
                _("webhook: {error}").format(error=f"{type(exc).__name__}: {exc}"))))
    return failures


def reports_for(home: Path, periods: Sequence[str], settings: NotifySettings,
                report_files: ReportFiles | None = None) -> list[Path]:
    """The files to attach for ``periods`` (none until the period report lands)."""
    if not settings.attach_report or not periods:
        return []
    found = (report_files or REPORT_FILES)(home, periods)
    return [path for path in found if path.is_file()]
