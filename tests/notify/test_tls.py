"""E-mail over STARTTLS and over SSL, against the real SMTP server on loopback with a
certificate made for the test (openssl), trusted through SSL_CERT_FILE: the same default TLS
context, hostname check included, as a real mail server gets."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from e2e.helpers import cli
from notify.conftest import SMTP_PASSWORD, Mailbox, _authenticator, free_port, start_controller


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                    str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True, timeout=60)
    return cert, key


def serve(security: str, cert: Path, key: Path) -> Iterator[Mailbox]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    box = Mailbox("127.0.0.1", free_port())
    options: dict[str, object] = (
        {"tls_context": context, "require_starttls": True, "auth_require_tls": True}
        if security == "starttls" else {"ssl_context": context, "auth_require_tls": False})
    controller = start_controller(box, authenticator=_authenticator(box, True), **options)
    try:
        yield box
    finally:
        controller.stop()


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_the_message_goes_over_tls(isolated_home: Path, certificate: tuple[Path, Path],
                                   monkeypatch: pytest.MonkeyPatch, security: str) -> None:
    cert, key = certificate
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    monkeypatch.setenv("ALEGRA_SYNC_SMTP_PASSWORD", SMTP_PASSWORD)
    for box in serve(security, cert, key):
        (isolated_home / "config.toml").write_text(
            '[notify]\nemail_to = ["contabilidad@firma.co"]\nsmtp_host = "127.0.0.1"\n'
            f'smtp_port = {box.port}\nsmtp_security = "{security}"\n'
            'smtp_user = "alegra-sync@firma.co"\ntimeout = 5.0\n', encoding="utf-8")
        done = cli("notify", "--test")
        assert done.exit_code == 0, done.output
        assert [m["Subject"] for m in box.messages()] == ["alegra-sync: test notification"]
        assert box.logins == ["alegra-sync@firma.co"]


def test_an_untrusted_certificate_is_one_line(isolated_home: Path,
                                              certificate: tuple[Path, Path],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    cert, key = certificate
    monkeypatch.setenv("ALEGRA_SYNC_SMTP_PASSWORD", SMTP_PASSWORD)
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    for box in serve("starttls", cert, key):
        (isolated_home / "config.toml").write_text(
            '[notify]\nemail_to = ["contabilidad@firma.co"]\nsmtp_host = "127.0.0.1"\n'
            f'smtp_port = {box.port}\nsmtp_user = "alegra-sync@firma.co"\ntimeout = 5.0\n',
            encoding="utf-8")
        done = cli("notify", "--test")
        assert done.exit_code == 69
        errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 1 and "TLS failed" in errors[0], done.stderr
        assert box.raw == []
