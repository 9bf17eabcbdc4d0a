"""Sending a notice through the configured channels (the reports it attaches: reports.py).

``deliver`` never raises for a channel that fails: it returns the failures, each one line,
and the caller turns them into warnings and run-log lines. What was posted and the run's exit
code never depend on a notification.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alegra_sync.config import NotifySettings, load_smtp_password
from alegra_sync.errors import AlegraSyncError
from alegra_sync.i18n import _
from alegra_sync.notify.email import NotifyConfigError, send_email
from alegra_sync.notify.message import Notice, compose
from alegra_sync.notify.webhook import post_webhook


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
