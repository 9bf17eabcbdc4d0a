"""AlegraClient's retries: what is repeated, after how long, and what is never repeated;
transport failures also on real loopback sockets."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import requests

from alegra.helpers import BASE, TOKEN, USER, MakeClient, Mock, dropped, refused
from alegra_sync.alegra.client import AlegraClient
from alegra_sync.alegra.transport import Retried
from alegra_sync.errors import ExitCode, UnavailableError, UncertainWriteError

# --- retries ----------------------------------------------------------------------------------


def test_get_retries_5xx_with_exponential_backoff(
    client: AlegraClient, mocked: Mock, clock: Any
) -> None:
    for _ in range(5):
        mocked.add("GET", BASE + "/company", status=503, body="<html>down</html>",
                   content_type="text/html")
    with pytest.raises(UnavailableError) as caught:
        client.company()
    assert clock.sleeps == [0.5, 1.0, 2.0, 4.0]
    assert client.requests_sent == {"GET": 5}
    assert caught.value.message == (
        "Alegra answered 503 to GET /company: Service Unavailable (5 attempts)"
    )
    assert (caught.value.status, caught.value.exit_code) == (503, ExitCode.UNAVAILABLE)


def test_get_recovers_after_a_5xx(client: AlegraClient, mocked: Mock, clock: Any) -> None:
    mocked.add("GET", BASE + "/company", status=502)
    mocked.add("GET", BASE + "/company", status=500, json={"code": 500, "message": "Error"})
    mocked.add("GET", BASE + "/company", json={"name": "ACME"})
    assert client.company().name == "ACME"
    assert clock.sleeps == [0.5, 1.0]
    assert client.requests_sent == {"GET": 3}
    # each send that repeated one, for the run log: what the one before met, the wait
    assert client.retries == [Retried("GET", "/company", "502", 0.5),
                              Retried("GET", "/company", "500", 1.0)]


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_put_and_delete_retry_5xx(
    make_client: MakeClient, mocked: Mock, clock: Any, method: str
) -> None:
    client = make_client(max_retries=2, backoff=0.25)
    mocked.add(method, BASE + "/journals/5", status=502)
    mocked.add(method, BASE + "/journals/5", status=504)
    mocked.add(method, BASE + "/journals/5", json={"id": "5"})
    if method == "PUT":
        assert client.put("/journals/5", {"entries": []}) == {"id": "5"}
    else:
        assert client.delete("/journals/5") == {"id": "5"}
    assert clock.sleeps == [0.25, 0.5]
    assert client.requests_sent == {method: 3}


def test_post_5xx_is_uncertain_at_once(client: AlegraClient, mocked: Mock, clock: Any) -> None:
    mocked.add("POST", BASE + "/journals", status=502)
    with pytest.raises(UncertainWriteError) as caught:
        client.create_journal({"date": "2026-11-15"})
    assert caught.value.message == (
        "POST /journals: Alegra answered 502: Bad Gateway; Alegra may or may not have "
        "created the document"
    )
    assert (caught.value.status, caught.value.exit_code) == (502, ExitCode.TEMPFAIL)
    assert clock.sleeps == []
    assert client.requests_sent == {"POST": 1}
    assert client.retries == []  # never repeated: the caller looks it up


@pytest.mark.parametrize(
    ("failure", "what"),
    [
        (requests.exceptions.ReadTimeout("read timed out"), "no answer within 30 s"),
        (dropped(), "the connection dropped before Alegra answered"),
        (requests.exceptions.ChunkedEncodingError("cut"), "the answer was cut off"),
    ],
)
def test_post_that_may_have_arrived_is_uncertain(
    client: AlegraClient, mocked: Mock, clock: Any, failure: Exception, what: str
) -> None:
    mocked.add("POST", BASE + "/journals", body=failure)
    with pytest.raises(UncertainWriteError) as caught:
        client.create_journal({"date": "2026-11-15"})
    assert caught.value.message == (
        f"POST /journals: {what}; Alegra may or may not have created the document"
    )
    assert caught.value.status is None
    assert caught.value.exit_code == ExitCode.TEMPFAIL
    assert clock.sleeps == []
    assert client.requests_sent == {"POST": 1}


@pytest.mark.parametrize(
    "failure", [requests.exceptions.ConnectTimeout("connect timed out"), refused()]
)
def test_post_is_retried_when_nothing_was_sent(
    client: AlegraClient, mocked: Mock, clock: Any, failure: Exception
) -> None:
    mocked.add("POST", BASE + "/journals", body=failure)
    mocked.add("POST", BASE + "/journals", body=failure)
    mocked.add("POST", BASE + "/journals", json={"id": "3352", "date": "2026-11-15"}, status=201)
    assert client.create_journal({"date": "2026-11-15"}).id == "3352"
    assert clock.sleeps == [0.5, 1.0]
    assert client.requests_sent == {"POST": 3}


@pytest.mark.parametrize(
    ("failure", "what"),
    [
        (requests.exceptions.ReadTimeout("x"), "no answer within 30 s"),
        (requests.exceptions.ConnectTimeout("x"), "timed out connecting after 5 s"),
        (refused(), "connection refused"),
        (dropped(), "the connection dropped before Alegra answered"),
    ],
)
def test_get_retries_transport_failures_then_gives_up(
    client: AlegraClient, mocked: Mock, clock: Any, failure: Exception, what: str
) -> None:
    for _ in range(5):
        mocked.add("GET", BASE + "/categories", body=failure)
    with pytest.raises(UnavailableError) as caught:
        client.categories()
    assert caught.value.message == (
        f"could not reach Alegra at 127.0.0.1:9 for GET /categories: {what} (5 attempts)"
    )
    assert caught.value.status is None
    assert caught.value.exit_code == ExitCode.UNAVAILABLE
    assert clock.sleeps == [0.5, 1.0, 2.0, 4.0]
    assert client.requests_sent == {"GET": 5}


def test_non_json_success_body(client: AlegraClient, mocked: Mock) -> None:
    mocked.add("GET", BASE + "/company", body="<html>login</html>", content_type="text/html")
    mocked.add("POST", BASE + "/journals", body="<html>ok</html>", status=201)
    with pytest.raises(UnavailableError, match="with a body that is not JSON"):
        client.company()
    with pytest.raises(UncertainWriteError, match="may or may not have been created"):
        client.create_journal({})


def test_post_answer_that_does_not_parse_is_uncertain(client: AlegraClient, mocked: Mock) -> None:
    mocked.add("POST", BASE + "/journals", json={"ok": True}, status=201)
    with pytest.raises(UncertainWriteError) as caught:
        client.create_journal({})
    assert caught.value.message.startswith(
        "Alegra's answer to POST /journals is not a Journal as expected (id: Field required)"
    )


# --- the cap and the jitter -------------------------------------------------------------------


def test_the_backoff_stops_doubling_at_8_s(
    make_client: MakeClient, mocked: Mock, clock: Any
) -> None:
    client = make_client(max_retries=7)
    for _ in range(8):
        mocked.add("GET", BASE + "/company", status=503)
    with pytest.raises(UnavailableError) as caught:
        client.company()
    assert clock.sleeps == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    assert caught.value.message == (
        "Alegra answered 503 to GET /company: Service Unavailable (8 attempts)"
    )
    assert client.requests_sent == {"GET": 8}


def test_by_default_the_backoff_is_jittered_as_the_seed_says(mocked: Mock, clock: Any) -> None:
    client = AlegraClient(BASE, USER, TOKEN, retry_seed=7, sleep=clock.sleep, clock=clock)
    for _ in range(5):
        mocked.add("GET", BASE + "/company", status=502)
    with client, pytest.raises(UnavailableError):
        client.company()
    # RetryPolicy(seed=7) in test_retry_policy.py: each wait at most a quarter shorter.
    assert clock.sleeps == [0.392, 0.925, 1.967, 3.333]
    assert client.requests_sent == {"GET": 5}


def test_clients_failing_together_come_back_apart(mocked: Mock) -> None:
    schedules: list[list[float]] = []
    for _ in range(2):
        waits: list[float] = []
        for _ in range(5):
            mocked.add("GET", BASE + "/company", status=500)
        with AlegraClient(BASE, USER, TOKEN, sleep=waits.append) as client, pytest.raises(
            UnavailableError
        ):
            client.company()
        for wait, plain in zip(waits, [0.5, 1.0, 2.0, 4.0], strict=True):
            assert 0.75 * plain <= wait <= plain
        schedules.append(waits)
    assert schedules[0] != schedules[1]  # each client drew its own seed


# --- real sockets on loopback -----------------------------------------------------------------


@contextmanager
def raw_server(drop: bool) -> Iterator[str]:
    """A loopback server that reads a request and then drops it, or never answers."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    port = listener.getsockname()[1]
    stop = threading.Event()
    held: list[socket.socket] = []

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            conn.recv(65536)
            if drop:
                conn.close()
            else:
                held.append(conn)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/api/v1"
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        listener.close()


def test_real_refused_connection_post_is_retried_then_unavailable(clock: Any) -> None:
    client = AlegraClient(BASE, USER, TOKEN, max_retries=2, connect_timeout=2, jitter=0.0,
                          sleep=clock.sleep, clock=clock)
    with client, pytest.raises(UnavailableError) as caught:
        client.create_journal({"date": "2026-11-15"})
    assert caught.value.message == (
        "could not reach Alegra at 127.0.0.1:9 for POST /journals: connection refused "
        "(3 attempts)"
    )
    assert clock.sleeps == [0.5, 1.0]
    assert client.requests_sent == {"POST": 3}


def test_real_dropped_connection_post_is_uncertain_get_is_retried(clock: Any) -> None:
    with raw_server(drop=True) as base, AlegraClient(
        base, USER, TOKEN, max_retries=1, jitter=0.0, sleep=clock.sleep, clock=clock
    ) as client:
        with pytest.raises(UncertainWriteError) as uncertain:
            client.create_journal({"date": "2026-11-15"})
        with pytest.raises(UnavailableError) as unavailable:
            client.get("/company")
    assert uncertain.value.status is None
    assert "may or may not have created the document" in uncertain.value.message
    assert "for GET /company:" in unavailable.value.message
    assert clock.sleeps == [0.5]
    assert client.requests_sent == {"POST": 1, "GET": 2}


def test_real_read_timeout_post_is_uncertain(clock: Any) -> None:
    with raw_server(drop=False) as base, AlegraClient(
        base, USER, TOKEN, read_timeout=0.2, sleep=clock.sleep, clock=clock
    ) as client, pytest.raises(UncertainWriteError) as caught:
        client.create_journal({"date": "2026-11-15"})
    assert caught.value.message == (
        "POST /journals: no answer within 0.2 s; Alegra may or may not have created the document"
    )
    assert client.requests_sent == {"POST": 1}
