"""The tokens the tests use, and the check that none of them leaked."""

from __future__ import annotations

from pathlib import Path

# Every token a test hands to alegra-sync (the sandbox's, and those of the client and CLI tests;
# the sandbox's other companies' tokens, sandbox-demo-token-<n>, contain the first), and the
# SMTP password of the notification tests.
TOKENS = ("sandbox-demo-token", "tok3n-S3CRET-abcdef12", "tok3n-CLI-secret-998877",
          "smtp-S3CRET-pass-4455")
# The one file whose job is to hold the token.
CREDENTIALS = "credentials.toml"


def leaks_in_text(text: str) -> list[str]:
    return [token for token in TOKENS if token in text]


def assert_no_secret(text: str, where: str) -> None:
    leaked = leaks_in_text(text)
    assert not leaked, f"the token leaked into {where}"


def leaks_in_tree(root: Path) -> list[str]:
    """Files under ``root`` (logs, state database, caches) that hold a token."""
    found = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.name == CREDENTIALS:
            continue
        data = path.read_bytes()
        if any(token.encode() in data for token in TOKENS):
            found.append(str(path.relative_to(root)))
    return found
