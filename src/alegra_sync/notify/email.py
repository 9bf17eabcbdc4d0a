"""E-mail over SMTP (smtplib): STARTTLS, SSL, or plain only to a loopback host; a login when
``smtp_user`` is set, with the password from ALEGRA_SYNC_SMTP_PASSWORD or ``[smtp] password``
in credentials.toml. The message has a plain-text and an HTML part, UTF-8 headers and the
attachments.

Every failure is a ``NotifyError``: one line saying what and where, never the password.
"""

from __future__ import annotations

import ipaddress
import mimetypes
import smtplib
import socket
import ssl
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from alegra_sync.config import NotifySettings
from alegra_sync.errors import AlegraSyncError, ConfigError, ExitCode
from alegra_sync.i18n import _
from alegra_sync.notify.message import Message

DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
# the reports' types, whatever the machine's mime.types says
MIME_TYPES = {".html": "text/html",
              ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


class NotifyError(AlegraSyncError):
    """A notification that could not be sent (69 unreachable, 77 login refused, 78 config)."""

    exit_code = ExitCode.UNAVAILABLE


class NotifyAuthError(NotifyError):
    exit_code = ExitCode.NOPERM


class NotifyConfigError(NotifyError):
    exit_code = ExitCode.CONFIG


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def build_email(message: Message, settings: NotifySettings) -> EmailMessage:
    mail = EmailMessage()
    mail["Subject"] = message.subject  # non-ASCII: encoded as RFC 2047 UTF-8 by the policy
    mail["From"] = _sender(settings)
    mail["To"] = ", ".join(settings.email_to)
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = make_msgid(domain=_domain(settings))
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(message.text, charset="utf-8")
    mail.add_alternative(message.html, subtype="html", charset="utf-8")
    for item in message.attachments:
        data = item.path.read_bytes()
        kind = MIME_TYPES.get(item.path.suffix.lower()) or \
            mimetypes.guess_type(item.path.name)[0] or "application/octet-stream"
        maintype, _, subtype = kind.partition("/")
        # base64, so the file arrives byte for byte (a text part's lines would become CRLF);
        # a non-ASCII file name goes as RFC 2231 (filename*=utf-8''…)
        mail.add_attachment(data, maintype=maintype, subtype=subtype, filename=item.filename,
                            params={"charset": "utf-8"} if maintype == "text" else None)
    return mail


def _sender(settings: NotifySettings) -> str:
    sender = settings.email_from or settings.smtp_user or f"alegra-sync@{_domain(settings)}"
    return str(Address(display_name="alegra-sync", addr_spec=sender))


def _domain(settings: NotifySettings) -> str:
    return (settings.smtp_host or socket.gethostname() or "localhost").strip("[]")


def check_email_settings(settings: NotifySettings, password: str | None) -> None:
    """What makes sending impossible before trying (78)."""
    host = settings.smtp_host
    if not settings.email_to:
        raise NotifyConfigError(_("e-mail: [notify] email_to names no recipient"))
    if not host:
        raise NotifyConfigError(_("e-mail: [notify] smtp_host is not set"),
                                hint=_("set smtp_host (and smtp_port, smtp_security)"))
    if settings.smtp_security == "none" and not is_loopback(host):
        raise NotifyConfigError(
            _("e-mail: smtp_security = \"none\" sends in clear, allowed only to a loopback "
              "host, not {host}").format(host=host), hint=_("use \"starttls\" or \"ssl\""))
    if settings.smtp_user and not password:
        raise NotifyConfigError(
            _("e-mail: no password for the SMTP user {user}").format(user=settings.smtp_user),
            hint=_("set ALEGRA_SYNC_SMTP_PASSWORD, or [smtp] password in credentials.toml "
                   "(mode 0600)"))


def send_email(message: Message, settings: NotifySettings, password: str | None) -> None:
    check_email_settings(settings, password)
    host = str(settings.smtp_host)
    port = settings.smtp_port or DEFAULT_PORTS[settings.smtp_security]
    where = f"{host}:{port}"
    mail = build_email(message, settings)
    try:
        client: smtplib.SMTP
        if settings.smtp_security == "ssl":
            client = smtplib.SMTP_SSL(host, port, timeout=settings.timeout,
                                      context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(host, port, timeout=settings.timeout)
        with client:
            client.ehlo()
            if settings.smtp_security == "starttls":
                client.starttls(context=ssl.create_default_context())
                client.ehlo()
            if settings.smtp_user:
                client.login(settings.smtp_user, password or "")
            refused = client.send_message(mail)
    except smtplib.SMTPAuthenticationError as exc:
        raise NotifyAuthError(
            _("e-mail via {server}: the SMTP server refused the login of {user} ({code})")
            .format(server=where, user=settings.smtp_user, code=exc.smtp_code),
            hint=_("check smtp_user and the SMTP password")) from None
    except smtplib.SMTPRecipientsRefused as exc:
        raise NotifyConfigError(
            _("e-mail via {server}: every recipient was refused ({recipients})").format(
                server=where, recipients=", ".join(exc.recipients)),
            hint=_("check [notify] email_to")) from None
    except smtplib.SMTPNotSupportedError as exc:
        raise NotifyConfigError(_("e-mail via {server}: {error}").format(
            server=where, error=_one_line(exc)),
            hint=_("check smtp_security and smtp_user")) from None
    except (TimeoutError, smtplib.SMTPServerDisconnected) as exc:
        if not isinstance(exc, TimeoutError) and not isinstance(exc.__context__, TimeoutError):
            raise NotifyError(_("e-mail via {server}: {error}").format(
                server=where, error=_one_line(exc)),
                hint=_("check smtp_host and smtp_port, and that the server runs")) from None
        raise NotifyError(
            _("e-mail via {server}: no answer within {seconds} s").format(
                server=where, seconds=f"{settings.timeout:g}"),
            hint=_("check the SMTP server; [notify] timeout waits longer")) from None
    except ssl.SSLError as exc:
        raise NotifyError(_("e-mail via {server}: TLS failed ({error})").format(
            server=where, error=_one_line(exc)),
            hint=_("check smtp_security and smtp_port")) from None
    except (smtplib.SMTPException, OSError) as exc:
        raise NotifyError(_("e-mail via {server}: {error}").format(
            server=where, error=_one_line(exc)),
            hint=_("check smtp_host and smtp_port, and that the server runs")) from None
    if refused:
        raise NotifyError(_("e-mail via {server}: refused for {recipients}").format(
            server=where, recipients=", ".join(sorted(refused))),
            hint=_("check [notify] email_to"))


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:160]


__all__ = ["ConfigError", "NotifyAuthError", "NotifyConfigError", "NotifyError",
           "build_email", "check_email_settings", "is_loopback", "send_email"]
