"""Values and builders the Alegra client tests share.

They live here, not in conftest.py, because ``pytest.mark.parametrize`` needs them at import
time and a test module that imports conftest.py gets a second copy of it (another FakeClock
class, other fixtures' objects): conftest.py keeps the fixtures and imports these.
"""

from __future__ import annotations

import http.client
from collections.abc import Callable
from typing import Any

import requests
import responses
from urllib3.exceptions import MaxRetryError, NewConnectionError, ProtocolError

from alegra_sync.alegra.client import AlegraClient

BASE = "http://127.0.0.1:9/api/v1"
USER = "payroll@example.com"
# Recognisable, so the secrecy tests can search every message for it.
TOKEN = "tok3n-S3CRET-abcdef12"

MakeClient = Callable[..., AlegraClient]
Replay = Callable[[str], dict[str, Any]]
Mock = responses.RequestsMock


def refused() -> requests.exceptions.ConnectionError:
    """What requests raises when nothing listens on the port (built like requests builds it)."""
    reason = NewConnectionError(None, "Failed to establish a new connection: refused")  # type: ignore[arg-type]
    reason.__cause__ = ConnectionRefusedError(111, "Connection refused")
    return requests.exceptions.ConnectionError(MaxRetryError(None, "/x", reason))  # type: ignore[arg-type]


def dropped() -> requests.exceptions.ConnectionError:
    """What requests raises when the server closes the connection after the request was sent."""
    cause = http.client.RemoteDisconnected("Remote end closed connection without response")
    return requests.exceptions.ConnectionError(ProtocolError("Connection aborted.", cause))
