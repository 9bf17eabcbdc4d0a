"""A real SMTP server and a real HTTP receiver on loopback for the notification tests.

The SMTP server is aiosmtpd (aio-libs' asyncio SMTP server, maintained; the standard library's
smtpd left Python in 3.12): it speaks SMTP and AUTH as a mail relay would, and keeps every
message it receives, as bytes, for the test to parse with the email module.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session

SMTP_USER = "alegra-sync@firma.co"
SMTP_PASSWORD = "smtp-S3CRET-pass-4455"  # in secrets_scan.TOKENS: must never leak


@dataclass
class Mailbox:
    host: str
    port: int
    raw: list[bytes] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    def messages(self) -> list[EmailMessage]:
        found = []
        for data in self.raw:
            parsed = message_from_bytes(data, policy=policy.default)
            assert isinstance(parsed, EmailMessage)
            found.append(parsed)
        return found


class _Handler:
    def __init__(self, box: Mailbox) -> None:
        self.box = box

    async def handle_DATA(self, server: Any, session: Session,  # noqa: N802 (aiosmtpd's)
                          envelope: Envelope) -> str:
        content = envelope.original_content or envelope.content
        assert isinstance(content, bytes)
        self.box.raw.append(content)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _authenticator(box: Mailbox, accept: bool) -> Any:
    def check(server: Any, session: Session, envelope: Envelope, mechanism: str,
              data: Any) -> AuthResult:
        if isinstance(data, LoginPassword):
            box.logins.append(data.login.decode())
            good = accept and data.login.decode() == SMTP_USER and \
                data.password.decode() == SMTP_PASSWORD
            return AuthResult(success=good, handled=False)
        return AuthResult(success=False, handled=False)

    return check


def start_controller(box: Mailbox, **options: Any) -> Controller:
    """A started aiosmtpd Controller on a free port (another one if that port was taken
    between finding it and binding it)."""
    for attempt in range(5):
        controller = Controller(_Handler(box), hostname=box.host, port=box.port, **options)
        try:
            controller.start()
            return controller
        except (OSError, RuntimeError):
            if attempt == 4:
                raise
            box.port = free_port()
    raise AssertionError("unreachable")


def _serve(accept_login: bool) -> Iterator[Mailbox]:
    box = Mailbox("127.0.0.1", free_port())
    controller = start_controller(box, authenticator=_authenticator(box, accept_login),
                                  auth_require_tls=False, auth_exclude_mechanism=["CRAM-MD5"])
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture
def smtp() -> Iterator[Mailbox]:
    """An SMTP server on 127.0.0.1 that takes SMTP_USER / SMTP_PASSWORD."""
    yield from _serve(accept_login=True)


@pytest.fixture
def smtp_refusing() -> Iterator[Mailbox]:
    """An SMTP server that refuses every login (535)."""
    yield from _serve(accept_login=False)


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never says a word: a server that hangs."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield int(listener.getsockname()[1])


@dataclass
class Receiver:
    url: str
    bodies: list[Any] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)
    status: int = 200


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A webhook receiver: http.server on 127.0.0.1 in a thread, keeping each POST's body."""
    got = Receiver("")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's)
            length = int(self.headers.get("Content-Length") or 0)
            data = self.rfile.read(length)
            got.raw.append(data)
            got.bodies.append(json.loads(data))
            self.send_response(got.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    got.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/alegra"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield got
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def notify_config(box_host: str, port: int, **extra: object) -> str:
    """A [notify] section for config.toml sending to the loopback SMTP server."""
    lines = ["[notify]", 'email_to = ["contabilidad@firma.co", "gerencia@firma.co"]',
             'email_from = "alegra-sync@firma.co"', f'smtp_host = "{box_host}"',
             f"smtp_port = {port}", 'smtp_security = "none"', f'smtp_user = "{SMTP_USER}"',
             "timeout = 2.0"]
    for key, value in extra.items():
        lines.append(f"{key} = {json.dumps(value)}")
    return "\n".join(lines) + "\n"
