"""AlegraClient never shows the token: not in errors, reprs, tracebacks or logs."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable

import pytest
import requests

from alegra.helpers import BASE, TOKEN, USER, MakeClient, Mock, refused
from alegra_sync.alegra.client import AlegraClient
from alegra_sync.errors import (
    AlegraError,
    AuthError,
    RateLimitError,
    UnavailableError,
    UncertainWriteError,
)

# --- secrecy and logging ----------------------------------------------------------------------


def _scenarios() -> list[tuple[str, Callable[[Mock], object], str, type[Exception]]]:
    echo = {"code": 1, "message": f"token {TOKEN} inválido"}
    return [
        ("401", lambda m: m.add("GET", BASE + "/x", status=401, json=echo), "GET", AuthError),
        ("402", lambda m: m.add("GET", BASE + "/x", status=402, json=echo), "GET", AuthError),
        ("403", lambda m: m.add("GET", BASE + "/x", status=403, json=echo), "GET", AuthError),
        ("400", lambda m: m.add("POST", BASE + "/x", status=400, json=echo), "POST", AlegraError),
        ("404", lambda m: m.add("GET", BASE + "/x", status=404, json=echo), "GET", AlegraError),
        ("5xx-get", lambda m: [m.add("GET", BASE + "/x", status=500, json=echo)
                               for _ in range(2)], "GET", UnavailableError),
        ("5xx-post", lambda m: m.add("POST", BASE + "/x", status=500, json=echo), "POST",
         UncertainWriteError),
        ("timeout", lambda m: m.add("POST", BASE + "/x", body=requests.exceptions.ReadTimeout(
            f"http://{USER}:{TOKEN}@127.0.0.1:9 timed out")), "POST", UncertainWriteError),
        ("refused", lambda m: [m.add("GET", BASE + "/x", body=refused())
                               for _ in range(2)], "GET", UnavailableError),
        ("429", lambda m: [m.add("GET", BASE + "/x", status=429, json=echo)
                           for _ in range(2)], "GET", RateLimitError),
    ]


@pytest.mark.parametrize(("name", "setup", "method", "kind"), _scenarios(),
                         ids=[s[0] for s in _scenarios()])
def test_the_token_never_appears(
    make_client: MakeClient, mocked: Mock, caplog: pytest.LogCaptureFixture, name: str,
    setup: Callable[[Mock], object], method: str, kind: type[Exception],
) -> None:
    caplog.set_level(logging.DEBUG, logger="alegra_sync.http")
    client = make_client(max_retries=1)
    setup(mocked)
    with pytest.raises(kind) as caught:
        client.get("/x") if method == "GET" else client.post("/x", {"a": 1})
    exc = caught.value
    assert type(exc) is kind
    rendered = [str(exc), repr(exc), repr(client), caplog.text,
                "".join(traceback.format_exception(exc)), str(getattr(exc, "hint", ""))]
    for text in rendered:
        assert TOKEN not in text
    assert repr(client) == f"AlegraClient(base_url='{BASE}', user='{USER}')"


def test_each_request_is_logged_without_secrets(
    client: AlegraClient, mocked: Mock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="alegra_sync.http")
    mocked.add("GET", BASE + "/company", json={"name": "A"})
    mocked.add("POST", BASE + "/journals", body=requests.exceptions.ReadTimeout("x"))
    client.company()
    with pytest.raises(UncertainWriteError):
        client.create_journal({"observations": "secret-free body"})
    messages = [r.getMessage() for r in caplog.records if r.name == "alegra_sync.http"]
    assert messages == [
        "GET /company -> 200 in 0 ms",
        "POST /journals -> no answer within 30 s after 0 ms",
    ]
    assert all(r.levelno == logging.DEBUG for r in caplog.records)
    assert "secret-free body" not in caplog.text
