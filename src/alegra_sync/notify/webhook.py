"""The webhook: the run's --json document POSTed as JSON; https, or http to loopback only."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from alegra_sync.config import NotifySettings
from alegra_sync.i18n import _
from alegra_sync.notify.email import NotifyConfigError, NotifyError, is_loopback


def check_webhook_url(url: str) -> None:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme == "https" and host:
        return
    if parts.scheme == "http" and host and is_loopback(host):
        return
    raise NotifyConfigError(
        _("webhook: {url} is neither https nor http to a loopback host").format(
            url=public_url(url)), hint=_("use an https:// URL"))


def post_webhook(document: dict[str, Any], settings: NotifySettings) -> None:
    import requests

    url = settings.webhook_url
    check_webhook_url(url)
    body = json.dumps(document, ensure_ascii=False).encode("utf-8")
    try:
        answer = requests.post(url, data=body, timeout=settings.timeout,
                               headers={"Content-Type": "application/json; charset=utf-8",
                                        "User-Agent": "alegra-sync"})
    except requests.exceptions.Timeout:
        raise NotifyError(_("webhook {url}: no answer within {seconds} s").format(
            url=public_url(url), seconds=f"{settings.timeout:g}")) from None
    except requests.exceptions.RequestException as exc:
        raise NotifyError(_("webhook {url}: {error}").format(url=public_url(url),
                                                           error=type(exc).__name__),
                          hint=_("check [notify] webhook_url and that the receiver runs")
                          ) from None
    if not 200 <= answer.status_code < 300:
        raise NotifyError(_("webhook {url}: answered {status}").format(
            url=public_url(url), status=answer.status_code))


def public_url(url: str) -> str:
    """The URL without user:password or query (a webhook URL often carries a key)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"
