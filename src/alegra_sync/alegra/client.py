"""The HTTP client for Alegra's API: auth, timeouts, retries, pacing, paging, error decoding.

Retry policy in one place (alegra-api.md, accounting.md "Posting exactly once"):

- GET/PUT/DELETE are safe to repeat: connection failures, timeouts and 5xx are retried with
  exponential backoff, then become ``UnavailableError``.
- A POST that may have reached Alegra (read timeout, dropped connection, 5xx) is never repeated:
  it becomes ``UncertainWriteError`` at once and the caller looks the document up. A POST whose
  connection was never established (connect timeout, refused, unknown host) is retried, because
  nothing was sent.
- A 429 (or a 400 carrying ``"code": 429``) is retried by every method after the reset time.

The token lives only inside the session's auth object; messages, logs and ``repr`` never show it.
"""

from __future__ import annotations

import collections
import logging
import time
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests
from pydantic import BaseModel, ValidationError
from requests.auth import HTTPBasicAuth

from alegra_sync.alegra.models import (
    Account,
    BankAccount,
    Company,
    Contact,
    CostCenter,
    Journal,
    Payment,
    User,
)
from alegra_sync.alegra.wire import (
    MAX_WAIT_SECONDS,
    decode,
    describe_failure,
    encode,
    error_fields,
    number,
    reset_wait,
    segment,
)
from alegra_sync.errors import (
    AlegraError,
    AuthError,
    ConfigError,
    RateLimitError,
    UnavailableError,
    UncertainWriteError,
)

log = logging.getLogger("alegra_sync.http")

MAX_PAGE_SIZE = 30  # Alegra's ceiling for ``limit``
LOW_REMAINING = 2  # pause for the window reset at or below this many requests left
WINDOW_SECONDS = 60.0
_DETAIL_LIMIT = 300

_M = TypeVar("_M", bound=BaseModel)

class AlegraClient:
    """One authenticated session with Alegra. Use as a context manager or call ``close``."""

    def __init__(
        self,
        base_url: str,
        user: str,
        token: str,
        *,
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
        requests_per_minute: int = 150,
        max_retries: int = 4,
        backoff: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.user = user
        self.requests_sent: collections.Counter[str] = collections.Counter()
        self._timeout = (connect_timeout, read_timeout)
        self._requests_per_minute = max(1, requests_per_minute)
        self._max_retries = max(0, max_retries)
        self._backoff = backoff
        self._sleep = sleep
        self._clock = clock
        self._sent_at: collections.deque[float] = collections.deque()
        self._remaining: int | None = None
        self._reset_at: float | None = None
        self._session = requests.Session()
        self._session.auth = HTTPBasicAuth(user, token)
        self._session.headers.update({"Accept": "application/json", "User-Agent": "alegra-sync"})

    def __repr__(self) -> str:
        return f"AlegraClient(base_url={self.base_url!r}, user={self.user!r})"

    def __enter__(self) -> AlegraClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._session.close()

    # --- raw verbs -------------------------------------------------------------------------

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self._request("GET", path, params=params)

    def post(self, path: str, json: Any) -> Any:
        return self._request("POST", path, body=json)

    def put(self, path: str, json: Any) -> Any:
        return self._request("PUT", path, body=json)

    def delete(self, path: str) -> Any:
        return self._request("DELETE", path)

    def paginate(
        self, path: str, params: dict[str, Any] | None = None, limit: int = MAX_PAGE_SIZE
    ) -> Iterator[dict[str, Any]]:
        """Every item of a list, page by page (``start``/``limit``), lazily."""
        limit = min(max(1, limit), MAX_PAGE_SIZE)
        start = 0
        seen: set[str] = set()
        while True:
            page = self.get(path, {**(params or {}), "start": start, "limit": limit})
            items = self._as_list(page, path)
            ids = {str(item["id"]) for item in items if isinstance(item, dict) and "id" in item}
            # A server that ignores start/limit would otherwise return the same page forever.
            if items and len(ids) == len(items) and ids <= seen:
                return
            seen |= ids
            yield from items
            if len(items) != limit:
                return
            start += limit

    # --- typed helpers ---------------------------------------------------------------------

    def self_user(self) -> User:
        return self._parse(User, self.get("/users/self"), "GET", "/users/self")

    def company(self) -> Company:
        return self._parse(Company, self.get("/company"), "GET", "/company")

    def categories(self) -> list[Account]:
        """The whole chart in one request (``format=plain`` is flat and unpaged)."""
        items = self._as_list(self.get("/categories", {"format": "plain"}), "/categories")
        return [self._parse(Account, item, "GET", "/categories") for item in items]

    def cost_centers(self) -> list[CostCenter]:
        return [
            self._parse(CostCenter, item, "GET", "/cost-centers")
            for item in self.paginate("/cost-centers")
        ]

    def bank_accounts(self) -> list[BankAccount]:
        return [
            self._parse(BankAccount, item, "GET", "/bank-accounts")
            for item in self.paginate("/bank-accounts")
        ]

    def contacts(self, identification: str | None = None) -> Iterator[Contact]:
        params = {"identification": identification} if identification else None
        for item in self.paginate("/contacts", params):
            yield self._parse(Contact, item, "GET", "/contacts")

    def create_contact(self, payload: dict[str, Any]) -> Contact:
        return self._parse(Contact, self.post("/contacts", payload), "POST", "/contacts")

    def create_journal(self, payload: dict[str, Any]) -> Journal:
        return self._parse(Journal, self.post("/journals", payload), "POST", "/journals")

    def journals(self, reference: str | None = None) -> Iterator[Journal]:
        """Journals whose reference contains ``reference`` (Alegra filters by substring)."""
        params = {"reference": reference} if reference else None
        for item in self.paginate("/journals", params):
            yield self._parse(Journal, item, "GET", "/journals")

    def get_journal(self, journal_id: str) -> Journal:
        path = f"/journals/{segment(journal_id)}"
        return self._parse(Journal, self.get(path), "GET", path)

    def delete_journal(self, journal_id: str) -> None:
        self.delete(f"/journals/{segment(journal_id)}")

    def create_payment(self, payload: dict[str, Any]) -> Payment:
        return self._parse(Payment, self.post("/payments", payload), "POST", "/payments")

    def payments_out_newest_first(self) -> Iterator[Payment]:
        params = {"type": "out", "order_direction": "DESC", "order_field": "date"}
        for item in self.paginate("/payments", params):
            yield self._parse(Payment, item, "GET", "/payments")

    def get_payment(self, payment_id: str) -> Payment:
        path = f"/payments/{segment(payment_id)}"
        return self._parse(Payment, self.get(path), "GET", path)

    def void_payment(self, payment_id: str) -> Payment | None:
        """Void an egreso; the answer's payment if Alegra sends one back."""
        body = self.post(f"/payments/{segment(payment_id)}/void", None)
        if not isinstance(body, dict):
            return None
        try:
            return Payment.model_validate(body)
        except ValidationError:
            # The void went through; an unexpected echo is no reason to report a failure.
            return None

    # --- the request loop ------------------------------------------------------------------

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        body: Any = None,
    ) -> Any:
        if not path.startswith("/"):
            path = "/" + path
        url = self.base_url + path
        data = None if body is None else encode(body)
        headers = {"Content-Type": "application/json"} if data is not None else None
        failures = 0
        rate_waits = 0
        while True:
            self._pace()
            self._note_sent(method)
            started = self._clock()
            response: requests.Response | None = None
            what, maybe_sent = "", True
            try:
                response = self._session.request(
                    method, url, params=params, data=data, headers=headers, timeout=self._timeout
                )
            except (
                requests.exceptions.InvalidURL,
                requests.exceptions.MissingSchema,
                requests.exceptions.InvalidSchema,
            ):
                raise ConfigError(
                    f"invalid Alegra base URL {self._public_base_url()!r}",
                    hint="set alegra.base_url to e.g. https://api.alegra.com/api/v1",
                ) from None
            except requests.exceptions.RequestException as exc:
                what, maybe_sent = describe_failure(exc, self._timeout)
            if response is None:
                # Raised out here, not in the except block: the requests exception (which can
                # hold the URL and the prepared request) must not ride along as __context__.
                log.debug("%s %s -> %s after %.0f ms", method, path, what, self._ms(started))
                self._fail_or_back_off(method, path, what, None, maybe_sent, failures, None)
                failures += 1
                continue

            self._track_rate_headers(response)
            status = response.status_code
            log.debug("%s %s -> %s in %.0f ms", method, path, status, self._ms(started))
            payload, is_json = decode(response)
            if status == 429 or (status == 400 and error_fields(payload)[1] == 429):
                self._wait_for_rate_limit(method, path, response, rate_waits)
                rate_waits += 1
                continue
            if status >= 500:
                detail = self._detail(payload, response)
                code = error_fields(payload)[1]
                self._fail_or_back_off(method, path, detail, status, True, failures, code)
                failures += 1
                continue
            if status >= 400:
                raise self._error(method, path, status, payload, response)
            if not is_json:
                self._fail_not_json(method, path, status)
            return payload

    def _fail_or_back_off(
        self,
        method: str,
        path: str,
        what: str,
        status: int | None,
        maybe_sent: bool,
        failures: int,
        code: int | None,
    ) -> None:
        """After a transport failure or a 5xx: raise, or sleep before the next attempt."""
        if maybe_sent and method == "POST":
            happened = f"Alegra answered {status}: {what}" if status else what
            raise UncertainWriteError(
                self._scrub(f"POST {path}: {happened}; Alegra may or may not have created the "
                            "document"),
                status=status,
                code=code,
                hint="it will be looked up in Alegra before anything is posted again",
            )
        if failures >= self._max_retries:
            attempts = f"{failures + 1} attempts"
            if status is None:
                message = (f"could not reach Alegra at {self._host()} for {method} {path}: "
                           f"{what} ({attempts})")
                hint = "check the network and alegra.base_url, or try again later"
            else:
                message = f"Alegra answered {status} to {method} {path}: {what} ({attempts})"
                hint = "Alegra is failing; try again later"
            raise UnavailableError(self._scrub(message), status=status, code=code, hint=hint)
        self._sleep(self._backoff * 2**failures)

    def _wait_for_rate_limit(
        self, method: str, path: str, response: requests.Response, rate_waits: int
    ) -> None:
        if rate_waits >= self._max_retries:
            raise RateLimitError(
                f"Alegra kept answering 429 (too many requests) to {method} {path} "
                f"after {rate_waits} waits",
                status=response.status_code,
                code=429,
                hint="another program may be using this user's 150 requests a minute; "
                "try again later",
            )
        self._sleep(reset_wait(response))
        # That wait already covered the window; the pacing must not wait for it again.
        self._remaining = None

    def _fail_not_json(self, method: str, path: str, status: int) -> None:
        message = f"Alegra answered {status} to {method} {path} with a body that is not JSON"
        if method == "POST":
            raise UncertainWriteError(
                message + "; the document may or may not have been created",
                status=status,
                hint="it will be looked up in Alegra before anything is posted again",
            )
        raise UnavailableError(message, status=status, hint="check alegra.base_url")

    def _error(
        self, method: str, path: str, status: int, payload: Any, response: requests.Response
    ) -> AlegraError:
        message, code = error_fields(payload)
        detail = self._detail(payload, response)
        where = f"{method} {path}"
        if status == 401:
            return AuthError(
                f"Alegra refused the user or token (401 to {where})",
                status=status, code=code, hint="run `alegra-sync connect`, or fix "
                "ALEGRA_SYNC_USER and ALEGRA_SYNC_TOKEN if set: they override credentials.toml",
            )
        if status == 402:
            return AuthError(
                f"Alegra's plan for this company lacks API access (402 to {where})",
                status=status, code=code,
                hint="the API needs an Alegra plan that includes it; check the subscription",
            )
        if status == 403:
            return AuthError(
                self._scrub(f"the Alegra user lacks permission for {where} (403: {detail})"),
                status=status, code=code,
                hint="ask the company's Alegra admin for the permission, or check the base URL",
            )
        return AlegraError(
            self._scrub(f"Alegra answered {status} to {where}: {detail}"),
            status=status, code=code,
        )

    # --- pacing ----------------------------------------------------------------------------

    def _pace(self) -> None:
        """Wait, if needed, so the next request stays inside Alegra's per-minute limit."""
        now = self._clock()
        if (
            self._remaining is not None
            and self._remaining <= LOW_REMAINING
            and self._reset_at is not None
        ):
            wait = min(self._reset_at - now, MAX_WAIT_SECONDS)
            if wait > 0:
                log.debug("rate limit nearly spent; waiting %.1f s for the reset", wait)
                self._sleep(wait)
                now = self._clock()
            self._remaining = None
        self._forget_before(now - WINDOW_SECONDS)
        if len(self._sent_at) >= self._requests_per_minute:
            wait = self._sent_at[0] + WINDOW_SECONDS - now
            if wait > 0:
                log.debug("%d requests in a minute; waiting %.1f s", len(self._sent_at), wait)
                self._sleep(wait)
                now = self._clock()
            self._forget_before(now - WINDOW_SECONDS)

    def _forget_before(self, cutoff: float) -> None:
        while self._sent_at and self._sent_at[0] <= cutoff:
            self._sent_at.popleft()

    def _note_sent(self, method: str) -> None:
        self.requests_sent[method] += 1
        self._sent_at.append(self._clock())

    def _track_rate_headers(self, response: requests.Response) -> None:
        remaining = number(response.headers.get("X-Rate-Limit-Remaining"))
        reset = number(response.headers.get("X-Rate-Limit-Reset"))
        if remaining is None:
            return
        self._remaining = int(remaining)
        self._reset_at = self._clock() + reset if reset is not None else None

    # --- small helpers ---------------------------------------------------------------------

    def _parse(self, model: type[_M], payload: Any, method: str, path: str) -> _M:
        try:
            return model.model_validate(payload)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "body"
            message = (f"Alegra's answer to {method} {path} is not a {model.__name__} as "
                       f"expected ({where}: {first['msg']})")
            if method == "POST":
                raise UncertainWriteError(
                    message + "; the document may have been created",
                    hint="it will be looked up in Alegra before anything is posted again",
                ) from None
            raise AlegraError(message, hint="check alegra.base_url") from None

    def _as_list(self, payload: Any, path: str) -> list[Any]:
        """A bare list, or the ``{"metadata": ..., "data": [...]}`` wrapping."""
        if isinstance(payload, list):
            return payload
        if isinstance(payload, dict) and isinstance(payload.get("data"), list):
            return list(payload["data"])
        raise AlegraError(
            f"Alegra's answer to GET {path} is not a list", hint="check alegra.base_url"
        )

    def _detail(self, payload: Any, response: requests.Response) -> str:
        message, code = error_fields(payload)
        text = message or response.reason or "no details"
        text = " ".join(str(text).split())
        if len(text) > _DETAIL_LIMIT:
            text = text[: _DETAIL_LIMIT - 1] + "…"
        return f"{text} (code {code})" if code is not None else text

    def _scrub(self, text: str) -> str:
        # Defence in depth: an error body that echoes the token must not carry it further.
        auth = self._session.auth
        token = auth.password if isinstance(auth, HTTPBasicAuth) else None
        if isinstance(token, bytes):
            token = token.decode("utf-8", "replace")
        return text.replace(token, "***") if token else text

    def _host(self) -> str:
        parts = urlsplit(self.base_url)
        return parts.hostname + (f":{parts.port}" if parts.port else "") if parts.hostname else "?"

    def _public_base_url(self) -> str:
        parts = urlsplit(self.base_url)
        return parts._replace(netloc=self._host()).geturl() if parts.hostname else self.base_url

    def _ms(self, started: float) -> float:
        return (self._clock() - started) * 1000
