"""What goes over the wire to Alegra: JSON in and out, Alegra's error shapes, its rate-limit
headers, and how a failed request is told apart (may it have reached Alegra or not)."""

from __future__ import annotations

import http.client
import json as jsonlib
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import requests
from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    NameResolutionError,
    ProtocolError,
)

from alegra_sync.alegra.transport import Failure
from alegra_sync.i18n import T, Text

# Errors that mean the request may have reached Alegra before the connection broke.
_AFTER_SEND = (
    http.client.RemoteDisconnected,
    ProtocolError,
    ConnectionResetError,
    ConnectionAbortedError,
    BrokenPipeError,
)


def describe_failure(
    exc: requests.exceptions.RequestException, timeout: tuple[float, float]
) -> tuple[Text, Failure]:
    """What went wrong in words, and the kind of failure: may the request have reached Alegra."""
    connect, read = timeout
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return (T("timed out connecting after {seconds} s", seconds=format(connect, "g")),
                Failure.CONNECT_FAILED)
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return T("no answer within {seconds} s", seconds=format(read, "g")), Failure.READ_TIMEOUT
    if isinstance(exc, requests.exceptions.Timeout):
        # Neither phase named: assume the worse one, that the request went out.
        return T("timed out"), Failure.READ_TIMEOUT
    if isinstance(exc, requests.exceptions.ConnectionError):
        chain = _exception_chain(exc)
        if any(isinstance(item, _AFTER_SEND) for item in chain):
            return T("the connection dropped before Alegra answered"), Failure.CONNECTION_LOST
        if any(isinstance(item, ConnectionRefusedError) for item in chain):
            return T("connection refused"), Failure.CONNECT_FAILED
        if any(isinstance(item, NameResolutionError) for item in chain):
            return T("host name not found"), Failure.CONNECT_FAILED
        # NewConnectionError subclasses ConnectTimeoutError: the socket never opened.
        if any(isinstance(item, ConnectTimeoutError) for item in chain):
            return T("could not connect"), Failure.CONNECT_FAILED
        return T("the connection failed"), Failure.CONNECTION_LOST
    if isinstance(
        exc, requests.exceptions.ChunkedEncodingError | requests.exceptions.ContentDecodingError
    ):
        return T("the answer was cut off"), Failure.CONNECTION_LOST
    return T("the request failed ({error})", error=type(exc).__name__), Failure.CONNECTION_LOST


def segment(value: str) -> str:
    return quote(str(value), safe="")


def encode(body: Any) -> bytes:
    return jsonlib.dumps(body, default=_json_default, ensure_ascii=False).encode("utf-8")


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        # Alegra wants JSON numbers; integral amounts go as ints, others as the float whose
        # shortest text is the same digits (true up to 15 significant digits: checked).
        if value == value.to_integral_value():
            return int(value)
        number = float(value)
        if Decimal(repr(number)) != value:
            raise ValueError(f"{value} cannot be sent to Alegra as an exact JSON number")
        return number
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot send {type(value).__name__} to Alegra as JSON")


def decode(response: requests.Response) -> tuple[Any, bool]:
    """The body as JSON whatever the Content-Type says; an empty body is ``None``."""
    content = response.content
    if not content or not content.strip():
        return None, True
    try:
        return jsonlib.loads(content), True
    except ValueError:
        return None, False


def error_fields(payload: Any) -> tuple[str | None, int | None]:
    """Alegra's ``message`` and ``code`` from either error shape."""
    if not isinstance(payload, dict):
        return None, None
    inner = payload.get("error")
    source = inner if isinstance(inner, dict) else payload
    message = source.get("message")
    if message is None and isinstance(inner, str):
        message = inner
    code = number(source.get("code"))
    return (str(message) if message is not None else None), (
        int(code) if code is not None else None
    )


def number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and abs(number) != float("inf") else None


def reset_seconds(response: requests.Response) -> float | None:
    """Seconds until Alegra's rate-limit window reopens, as the answer says; RetryPolicy clamps."""
    reset = number(response.headers.get("X-Rate-Limit-Reset"))
    if reset is None:
        reset = number(response.headers.get("Retry-After"))
    return reset


def _exception_chain(exc: BaseException) -> list[BaseException]:
    """The exception, its causes and contexts, and what requests/urllib3 wrapped inside."""
    found: list[BaseException] = []
    pending: list[BaseException] = [exc]
    while pending:
        item = pending.pop()
        if any(item is seen for seen in found):
            continue
        found.append(item)
        inner: list[object] = [item.__cause__, item.__context__, *item.args]
        if isinstance(item, MaxRetryError):
            inner.append(item.reason)
        pending.extend(e for e in inner if isinstance(e, BaseException))
    return found
