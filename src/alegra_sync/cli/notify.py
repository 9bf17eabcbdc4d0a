"""`alegra-sync notify`: the notification channels ([notify]) and `notify --test`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from alegra_sync.cli.help import Examples
from alegra_sync.i18n import N_

if TYPE_CHECKING:
    from pathlib import Path

    from alegra_sync.cli.context import AppContext
    from alegra_sync.config import Home, Paths, Settings

HELP = N_(
    "Show where notifications go (the notify settings: e-mail, webhook); --test sends a test "
    "message through each.\n\n"
    "In a firm home without --company: the firm's notify settings, which send the digest of "
    "`sync --all-companies`. Each failure is one line; the exit code is the first one's."
)
EXAMPLES = Examples(
    ("alegra-sync notify", N_("Shows where notifications go.")),
    ("alegra-sync notify --test", N_("Sends a test e-mail and a test webhook POST.")),
    ("alegra-sync --company acme notify --test", N_("The same with acme's settings.")),
)


def notify_command(
    ctx: typer.Context,
    test: Annotated[
        bool, typer.Option("--test", help=N_("Send a test message through each channel."))
    ] = False,
) -> None:
    app: AppContext = ctx.obj
    from alegra_sync.i18n import T, _

    settings, home, paths = _level(app)
    notify = settings.notify
    if not notify.configured:
        from alegra_sync.errors import ConfigError

        raise ConfigError(T("no notification channel: [notify] has no email_to and no "
                            "webhook_url"), hint=T("set them in config.toml"))
    if notify.email_to:
        port = notify.smtp_port or {"starttls": 587, "ssl": 465, "none": 25}[notify.smtp_security]
        app.info(_("e-mail to {to} via {host}:{port} ({security}{login})").format(
            to=", ".join(notify.email_to), host=notify.smtp_host or "?", port=port,
            security=notify.smtp_security,
            login=_(", login {user}").format(user=notify.smtp_user) if notify.smtp_user
            else ""))
    if notify.webhook_url:
        from alegra_sync.notify.webhook import public_url

        app.info(_("webhook: POST {url}").format(url=public_url(notify.webhook_url)))
    app.info(_("sent on: {events}").format(events=", ".join(notify.on)))
    if not test:
        return
    from alegra_sync.notify.notices import test_notice
    from alegra_sync.notify.send import deliver

    failures = deliver(test_notice(paths, home, settings), notify, _password_files(app))
    for failure in failures:
        app.error(failure.line(), failure.error.hint)
    if failures:
        raise typer.Exit(int(failures[0].error.exit_code))
    app.info(_("[green]✓[/] test notification sent"))


def _level(app: AppContext) -> tuple[Settings, Home | None, Paths]:
    """The settings whose [notify] is tested: the company's, or the firm's without one."""
    from alegra_sync.config import Home, paths_for

    if app.company is None and app.in_firm:
        firm = app.firm
        home = Home(firm, firm)
        return app.firm_settings, None, paths_for(app.firm_settings, home)
    return app.settings, app.home, app.paths


def _password_files(app: AppContext) -> list[Path]:
    from alegra_sync.notify.notices import password_files

    if app.company is None and app.in_firm:
        return [app.firm / "credentials.toml"]
    return password_files(app.paths, app.home)
