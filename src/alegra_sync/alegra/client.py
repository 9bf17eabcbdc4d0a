"""The HTTP client for Alegra's API: auth, timeouts, paging, error decoding, and typed calls.

What to do when a request fails — retry after how long, or raise which error — is decided by
``RetryPolicy`` and the pace of requests by ``Pacer`` (transport.py, whose docstring states the
policy: a POST that may have reached Alegra is never repeated). ``_request`` sends, tells them
what happened and does as they say.

The token lives only inside the session's auth object; messages, logs and ``repr`` never show it.
"""

from __future__ import annotations

import collections
import logging
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
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
from alegra_sync.alegra.transport import (
    DEFAULT_JITTER,
    Answer,
    Attempts,
    Fail,
    Outcome,
    Pacer,
    Retried,
    RetryPolicy,
    outcome_text,
)
from alegra_sync.alegra.wire import (
    decode,
    describe_failure,
    encode,
    error_fields,
    number,
    reset_seconds,
    segment,
)
from alegra_sync.errors import (
    AlegraError,
    AuthError,
    ConfigError,
    IncompleteListingError,
    RateLimitError,
    UnavailableError,
    UncertainWriteError,
)
from alegra_sync.i18n import T, Text, Tn

log = logging.getLogger("alegra_sync.http")
_LOOKED_UP = T("it will be looked up in Alegra before anything is posted again")

MAX_PAGE_SIZE = 30  # Alegra's ceiling for ``limit``
# Readings of an egreso window whose order changes between pages (a server ignoring the order
# asked for): each finds most of what the others missed; a stable server needs one.
WINDOW_PASSES = 10
_DETAIL_LIMIT = 300

_M = TypeVar("_M", bound=BaseModel)


@dataclass(frozen=True)
class _Sent:
    """One attempt as the loop needs it: what went wrong (``None``: a usable answer, then its
    body is ``payload``), the words for an error message, and the rate-limit reset in seconds."""

    outcome: Outcome | None
    payload: Any = None
    detail: str | Text = ""  # Alegra's words (a str, scrubbed) or ours (a Text)
    reset: float | None = None


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
        jitter: float = DEFAULT_JITTER,
        retry_seed: int | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """``requests_per_minute`` must be at least 1 (``Pacer`` refuses less). ``retry_seed``
        fixes the backoff's jitter for tests; by default each client draws its own, so that
        clients failing at the same moment do not come back at the same moment."""
        self.base_url = base_url.rstrip("/")
        self.user = user
        self.requests_sent: collections.Counter[str] = collections.Counter()  # retries too
        self.retries: list[Retried] = []  # the sends among those that repeated one
        self._timeout = (connect_timeout, read_timeout)
        self._policy = RetryPolicy(
            max_retries=max(0, max_retries),
            backoff=backoff,
            jitter=jitter,
            seed=secrets.randbits(64) if retry_seed is None else retry_seed,
        )
        self._pacer = Pacer(requests_per_minute, clock=clock, sleep=sleep)
        self._sleep = sleep
        self._clock = clock
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

    def _pages(self, path: str, params: dict[str, Any]) -> Iterator[tuple[Any, int | None]]:
        """Each item of every page with the total the page's metadata gives (None without)."""
        start = 0
        while True:
            page = self.get(path, {**params, "start": start, "limit": MAX_PAGE_SIZE})
            metadata = page.get("metadata") if isinstance(page, dict) else None
            listed = metadata.get("total") if isinstance(metadata, dict) else None
            total = int(str(listed)) if str(listed).isdigit() else None
            items = self._as_list(page, path)
            for item in items:
                yield item, total
            if len(items) != MAX_PAGE_SIZE:
                return
            start += MAX_PAGE_SIZE

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

    def payments_out_between(self, first: date, last: date) -> list[Payment]:
        """Every egreso (``type=out``, voided ones too) dated ``first``..``last``: every page of
        the window, de-duplicated by id, whatever the listing's order.

        A listing whose order is not stable across pages (ties on the date) can show one
        egreso on two pages and another on none, so the window is read again, up to
        ``WINDOW_PASSES`` times, until it holds as many egresos as Alegra says it has
        (``metadata=true``). Still short of that: ``IncompleteListingError``, for the caller
        cannot tell an egreso absent.
        """
        # by id: a unique order is stable across pages, where one by date may not be
        params = {"type": "out", "from": first.isoformat(), "to": last.isoformat(),
                  "order_field": "id", "order_direction": "ASC", "metadata": "true"}
        found: dict[str, Payment] = {}
        total: int | None = None
        for _ in range(WINDOW_PASSES):
            total = None
            for item, listed in self._pages("/payments", params):
                total = listed if listed is not None else total
                payment = self._parse(Payment, item, "GET", "/payments")
                found.setdefault(payment.id, payment)
            if total is None or len(found) >= total:
                return list(found.values())
        raise IncompleteListingError(
            T("Alegra listed {found} of the {total} egresos dated {first}–{last} after "
              "{passes} readings (its order changes between pages)", found=len(found),
              total=total, first=first.isoformat(), last=last.isoformat(),
              passes=WINDOW_PASSES),
            hint=T("run sync again later; it looks the egresos up again before posting"),
        )

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
        """Send until Alegra answers, or the retry policy says which error to raise."""
        if not path.startswith("/"):
            path = "/" + path
        data = None if body is None else encode(body)
        attempts = Attempts()
        while True:
            self._pacer.wait_turn()
            self._note_sent(method)
            sent = self._send(method, path, params, data)
            if sent.outcome is None:
                return sent.payload
            decision = self._policy.decide(method, sent.outcome, attempts, sent.reset)
            if isinstance(decision, Fail):
                # Raised out here, not where requests failed: its exception (which can hold the
                # URL and the prepared request) must not ride along as __context__.
                raise self._failure(decision.error, method, path, sent, attempts)
            self.retries.append(Retried(method, path, outcome_text(sent.outcome),
                                        decision.delay))
            self._sleep(decision.delay)
            if decision.rate_limited:
                self._pacer.window_waited()
            attempts = decision.attempts

    def _send(
        self, method: str, path: str, params: dict[str, Any] | None, data: bytes | None
    ) -> _Sent:
        """One attempt: Alegra's answer, or what kept it from coming."""
        headers = {"Content-Type": "application/json"} if data is not None else None
        started = self._clock()
        try:
            response = self._session.request(
                method, self.base_url + path, params=params, data=data, headers=headers,
                timeout=self._timeout,
            )
        except (
            requests.exceptions.InvalidURL,
            requests.exceptions.MissingSchema,
            requests.exceptions.InvalidSchema,
        ):
            raise ConfigError(
                T("invalid Alegra base URL {url}", url=repr(self._public_base_url())),
                hint=T("set alegra.base_url to e.g. https://api.alegra.com/api/v1"),
            ) from None
        except requests.exceptions.RequestException as exc:
            what, failure = describe_failure(exc, self._timeout)
            log.debug("%s %s -> %s after %.0f ms", method, path, what, self._ms(started))
            return _Sent(failure, detail=what)

        self._pacer.note_limits(
            number(response.headers.get("X-Rate-Limit-Remaining")),
            number(response.headers.get("X-Rate-Limit-Reset")),
        )
        status = response.status_code
        log.debug("%s %s -> %s in %.0f ms", method, path, status, self._ms(started))
        payload, is_json = decode(response)
        if status >= 400:
            answer = Answer(status, error_fields(payload)[1])
            detail = self._detail(payload, response)
            return _Sent(answer, detail=detail, reset=reset_seconds(response))
        if not is_json:
            raise self._not_json(method, path, status)
        return _Sent(None, payload)

    def _failure(
        self,
        error: type[AlegraError],
        method: str,
        path: str,
        sent: _Sent,
        attempts: Attempts,
    ) -> AlegraError:
        """The error the policy chose, with its message, for this request."""
        answer = sent.outcome if isinstance(sent.outcome, Answer) else None
        status = answer.status if answer else None
        code = answer.code if answer else None
        where = f"{method} {path}"
        detail = sent.detail  # Alegra's words were scrubbed when they came
        if error is UncertainWriteError:
            message = (T("{where}: Alegra answered {status}: {detail}; Alegra may or may not "
                         "have created the document", where=where, status=status,
                         detail=detail) if status else
                       T("{where}: {detail}; Alegra may or may not have created the document",
                         where=where, detail=detail))
            return UncertainWriteError(message, status=status, code=code, hint=_LOOKED_UP)
        if error is UnavailableError:
            tries = Tn("{n} attempt", "{n} attempts", attempts.failures + 1)
            if status is None:
                return UnavailableError(
                    T("could not reach Alegra at {host} for {where}: {detail} ({tries})",
                      host=self._host(), where=where, detail=detail, tries=tries),
                    status=status, code=code,
                    hint=T("check the network and alegra.base_url, or try again later"))
            return UnavailableError(
                T("Alegra answered {status} to {where}: {detail} ({tries})", status=status,
                  where=where, detail=detail, tries=tries),
                status=status, code=code, hint=T("Alegra is failing; try again later"))
        if error is RateLimitError:
            return RateLimitError(
                T("Alegra kept answering 429 (too many requests) to {where} after {waits} "
                  "waits", where=where, waits=attempts.rate_waits),
                status=status,
                code=429,
                hint=T("another program may be using this user's 150 requests a minute; "
                       "try again later"),
            )
        if error is AuthError:
            return self._auth_error(where, status, code, detail)
        return AlegraError(
            T("Alegra answered {status} to {where}: {detail}", status=status, where=where,
              detail=detail),
            status=status, code=code,
        )

    def _auth_error(
        self, where: str, status: int | None, code: int | None, detail: str | Text
    ) -> AuthError:
        if status == 401:
            return AuthError(
                T("Alegra refused the user or token (401 to {where})", where=where),
                status=status, code=code,
                hint=T("run `alegra-sync connect`, or fix ALEGRA_SYNC_USER and "
                       "ALEGRA_SYNC_TOKEN if set: they override credentials.toml"),
            )
        if status == 402:
            return AuthError(
                T("Alegra's plan for this company lacks API access (402 to {where})",
                  where=where),
                status=status, code=code,
                hint=T("the API needs an Alegra plan that includes it; check the "
                       "subscription"),
            )
        return AuthError(
            T("the Alegra user lacks permission for {where} ({status}: {detail})",
              where=where, status=status, detail=detail),
            status=status, code=code,
            hint=T("ask the company's Alegra admin for the permission, or check the base URL"),
        )

    def _not_json(self, method: str, path: str, status: int) -> AlegraError:
        if method == "POST":
            return UncertainWriteError(
                T("Alegra answered {status} to {method} {path} with a body that is not JSON; "
                  "the document may or may not have been created", status=status,
                  method=method, path=path),
                status=status, hint=_LOOKED_UP,
            )
        return UnavailableError(
            T("Alegra answered {status} to {method} {path} with a body that is not JSON",
              status=status, method=method, path=path),
            status=status, hint=T("check alegra.base_url"))

    def _note_sent(self, method: str) -> None:
        self.requests_sent[method] += 1
        self._pacer.note_sent()

    # --- small helpers ---------------------------------------------------------------------

    def _parse(self, model: type[_M], payload: Any, method: str, path: str) -> _M:
        try:
            return model.model_validate(payload)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "body"
            values = {"method": method, "path": path, "model": model.__name__,
                      "where": where, "problem": str(first["msg"])}  # pydantic's English
            if method == "POST":
                raise UncertainWriteError(
                    T("Alegra's answer to {method} {path} is not a {model} as expected "
                      "({where}: {problem}); the document may have been created", **values),
                    hint=_LOOKED_UP,
                ) from None
            raise AlegraError(
                T("Alegra's answer to {method} {path} is not a {model} as expected "
                  "({where}: {problem})", **values), hint=T("check alegra.base_url")) from None

    def _as_list(self, payload: Any, path: str) -> list[Any]:
        """A bare list, or the ``{"metadata": ..., "data": [...]}`` wrapping."""
        if isinstance(payload, list):
            return payload
        if isinstance(payload, dict) and isinstance(payload.get("data"), list):
            return list(payload["data"])
        raise AlegraError(T("Alegra's answer to GET {path} is not a list", path=path),
                          hint=T("check alegra.base_url"))

    def _detail(self, payload: Any, response: requests.Response) -> str | Text:
        """Alegra's words about an error (its message, else the HTTP reason) as it wrote
        them, not ours to translate; scrubbed of the token."""
        message, code = error_fields(payload)
        text = " ".join(str(message or response.reason or "").split())
        if len(text) > _DETAIL_LIMIT:
            text = text[: _DETAIL_LIMIT - 1] + "…"
        text = self._scrub(text)
        if code is None:
            return text or T("no details")
        if not text:
            return T("no details (code {code})", code=code)
        return T("{message} (code {code})", message=text, code=code)

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
