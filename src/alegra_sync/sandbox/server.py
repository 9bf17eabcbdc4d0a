"""The sandbox's HTTP layer: auth, rate limit, faults and the admin endpoints on loopback.

API requests go through, in order: added latency, the rate limit (429), Basic auth (401), the
route (403 for anything Alegra would not answer), the armed fault, then the store. The admin
endpoints under ``/_sandbox/`` skip all of that but answer loopback clients only.

A sandbox may serve several companies (``companies=3``): each has its own user and token, its
own company record and books (a ``Store``), its own faults, latency and rate limit, as each
Alegra account has. A request belongs to the company whose user its Basic auth names (an
unknown user is refused by the first company's auth, after its rate limit); an admin call names
its company with ``?company=N`` (default 1; ``/reset`` without it resets them all).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hmac
import ipaddress
import math
import socket
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Literal, cast
from urllib.parse import parse_qsl, urlsplit

from alegra_sync.i18n import T
from alegra_sync.sandbox.documents import JSON, ApiError, dumps, loads
from alegra_sync.sandbox.faults import BEFORE_MODES, Fault, Faults
from alegra_sync.sandbox.routes import API_BASE, match
from alegra_sync.sandbox.seed import FIRST_TOKEN, FIRST_USER, CompanyIdentity
from alegra_sync.sandbox.store import PaymentListing, Store

ADMIN_BASE = "/_sandbox"
MAX_COMPANIES = 100
POLL_SECONDS = 0.05  # how soon stop() is noticed; the default 0.5 s slows every test down
WINDOW_SECONDS = 60.0


class RateLimiter:
    """At most ``limit`` API requests in any rolling minute, like Alegra's per-user limit."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._lock = threading.Lock()
        self._times: deque[float] = deque()

    def hit(self) -> tuple[bool, dict[str, str]]:
        """Count one request if allowed; the headers to send either way."""
        with self._lock:
            now = time.monotonic()
            while self._times and self._times[0] <= now - WINDOW_SECONDS:
                self._times.popleft()
            allowed = len(self._times) < self.limit
            if allowed:
                self._times.append(now)
            oldest = self._times[0] if self._times else now
            reset = max(1, math.ceil(oldest + WINDOW_SECONDS - now))
            headers = {
                "X-Rate-Limit-Limit": str(self.limit),
                "X-Rate-Limit-Remaining": str(max(0, self.limit - len(self._times))),
                "X-Rate-Limit-Reset": str(reset),
            }
            return allowed, headers

    def clear(self) -> None:
        with self._lock:
            self._times.clear()


class SandboxCompany:
    """One Alegra account of the sandbox: credentials, books, faults and rate limit."""

    def __init__(self, number: int, store: Store, rate_limit: int) -> None:
        self.number = number
        self.store = store
        self.faults = Faults()
        self.rate_limiter = RateLimiter(rate_limit)
        self.identity = _identity_of(store)

    @property
    def user(self) -> str:
        return self.identity.user

    @property
    def token(self) -> str:
        return self.identity.token

    @property
    def name(self) -> str:
        return str(self.store.company()["name"])

    @property
    def nit(self) -> str:
        return str(self.store.company().get("identification") or "")

    def reset(self) -> None:
        self.store.reset()
        self.faults.clear()
        self.rate_limiter.clear()


def _identity_of(store: Store) -> CompanyIdentity:
    """The store's company as seed.company_identity named it (its record is renamed already)."""
    company = store.company()
    number = store.company_number
    user, token = (FIRST_USER, FIRST_TOKEN) if number == 1 else \
        (f"demo{number}@example.com", f"{FIRST_TOKEN}-{number}")
    return CompanyIdentity(user, token, str(company["name"]),
                           str(company.get("identification") or ""))


def _basic_user(header: str) -> tuple[str, str] | None:
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, _, token = decoded.partition(":")
    return user, token


def _data_dir(data_dir: Path | None, number: int) -> Path | None:
    """The first company keeps its documents in the folder itself (as a one-company sandbox
    always has); company n in ``company-<n>/`` under it."""
    if data_dir is None or number == 1:
        return data_dir
    return Path(data_dir) / f"company-{number}"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], sandbox: SandboxServer, family: int) -> None:
        self.address_family = family
        self.sandbox = sandbox
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: avoid 40 ms stalls
    timeout = 120  # idle keep-alive connections must not pin a thread forever
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        with self.server.connections_lock:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            with self.server.connections_lock:
                self.server.connections.discard(self.connection)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # the dump's request log replaces the access log

    def do_GET(self) -> None:
        self._handle()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_GET

    # -- plumbing ------------------------------------------------------------------------------

    def _read_body(self) -> bytes:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        return self.rfile.read(length) if length > 0 else b""

    def _send(self, status: int, body: JSON, headers: dict[str, str] | None = None) -> None:
        payload = dumps(body).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (read timeout); nothing to do

    def _handle(self) -> None:
        url = urlsplit(self.path)
        raw_body = self._read_body()
        if url.path == ADMIN_BASE or url.path.startswith(ADMIN_BASE + "/"):
            self._admin(url.path, url.query, raw_body)
        else:
            self._api(url.path, url.query, raw_body)

    # -- the API -------------------------------------------------------------------------------

    def _company(self) -> SandboxCompany:
        """The company whose user the Basic auth names; the first one for anyone else."""
        given = _basic_user(self.headers.get("Authorization", ""))
        return self.server.sandbox.company_of(given[0] if given else None)

    def _authorized(self, company: SandboxCompany) -> bool:
        given = _basic_user(self.headers.get("Authorization", ""))
        if given is None:
            return False
        user, token = given
        expected = f"{company.user}:{company.token}"
        return hmac.compare_digest(f"{user}:{token}".encode(), expected.encode())

    def _api(self, path: str, query_text: str, raw_body: bytes) -> None:
        company = self._company()
        latency = company.faults.latency
        if latency > 0:
            time.sleep(latency)
        status, body, headers, fault = self._answer(company, path, query_text, raw_body)
        if fault is not None and fault.mode == "drop-after":
            status = 0  # logged as 0: no response was sent
        company.store.record_request(
            self.command, path, query_text, status, fault.mode if fault else None
        )
        if fault is not None and fault.mode == "drop-after":
            self.close_connection = True
            return
        if fault is not None and fault.mode == "delay-after":
            time.sleep(fault.seconds)
        self._send(status, body, headers)

    def _answer(
        self, company: SandboxCompany, path: str, query_text: str, raw_body: bytes
    ) -> tuple[int, JSON, dict[str, str], Fault | None]:
        allowed, headers = company.rate_limiter.hit()
        if not allowed:
            message = "Ha excedido el límite de peticiones por minuto; espere y reintente."
            return 429, {"code": 429, "message": message}, headers, None
        if not self._authorized(company):
            message = "Las credenciales de autenticación no son válidas (usuario y token)."
            return 401, {"code": 401, "message": message}, headers, None
        route = match(self.command, path)
        if route is None:
            message = f"No tiene permiso para acceder a {self.command} {path}."
            return 403, {"code": 403, "message": message}, headers, None
        fault = company.faults.take(route.name)
        if fault is not None and fault.mode in BEFORE_MODES:
            if fault.mode == "429":
                busy = {**headers, "X-Rate-Limit-Remaining": "0", "X-Rate-Limit-Reset": "1"}
                message = "Ha excedido el límite de peticiones por minuto (falla simulada)."
                return 429, {"code": 429, "message": message}, busy, fault
            return 500, {"code": 500, "message": "Error interno (falla simulada)."}, headers, fault
        query = dict(parse_qsl(query_text, keep_blank_values=True))
        try:
            body = loads(raw_body) if raw_body.strip() else None
        except ValueError:
            error = ApiError(400, "El cuerpo de la petición no es JSON válido.")
            return error.status, error.body(), headers, fault
        try:
            status, answer = route.run(company.store, query, body)
        except ApiError as error:
            status, answer = error.status, error.body()
        if fault is not None and fault.mode == "500-after":
            return 500, {"code": 500, "message": "Error interno (falla simulada)."}, headers, fault
        return status, answer, headers, fault

    # -- the admin endpoints -------------------------------------------------------------------

    def _admin(self, path: str, query_text: str, raw_body: bytes) -> None:
        if not is_loopback(str(self.client_address[0])):
            self._send(403, {"code": 403, "message": "Solo disponible desde loopback."})
            return
        sandbox = self.server.sandbox
        action = (self.command, path[len(ADMIN_BASE) :].rstrip("/"))
        query = dict(parse_qsl(query_text))
        try:
            body = loads(raw_body) if raw_body.strip() else {}
            company = sandbox.company(int(query.get("company", "1")))
            if action == ("POST", "/reset"):
                if "company" in query:
                    company.reset()
                else:
                    sandbox.reset()
                self._send(200, {"code": 200, "message": "sandbox reset"})
            elif action == ("GET", "/companies"):
                self._send(200, [{"company": c.number, "user": c.user, "token": c.token,
                                  "name": c.name, "nit": c.nit} for c in sandbox.companies])
            elif action == ("GET", "/dump"):
                self._send(200, {**company.store.dump(), "faults": company.faults.pending()})
            elif action == ("POST", "/faults"):
                company.faults.add(
                    str(body.get("route")),
                    str(body.get("mode")),
                    int(body.get("count", 1)),
                    float(body.get("seconds", 0.0)),
                    int(body.get("after", 0)),
                )
                self._send(200, {"code": 200, "message": "fault armed"})
            elif action == ("DELETE", "/faults"):
                company.faults.clear()
                self._send(200, {"code": 200, "message": "faults cleared"})
            elif action == ("POST", "/payment-listing"):
                listing = str(body.get("listing"))
                if listing not in ("ordered", "unordered", "shuffled-ties"):
                    raise ValueError(f"listing must be ordered, unordered or shuffled-ties: "
                                     f"{listing!r}")
                company.store.payment_listing = cast(PaymentListing, listing)
                self._send(200, {"code": 200, "message": "payment listing set"})
            elif action == ("POST", "/latency"):
                company.faults.set_latency(float(body.get("seconds", 0.0)))
                self._send(200, {"code": 200, "message": "latency set"})
            else:
                self._send(404, {"code": 404, "message": f"unknown admin call {action}"})
        except (ValueError, TypeError, AttributeError) as exc:
            self._send(400, {"code": 400, "message": f"bad admin request: {exc}"})


class SandboxServer:
    """A local, Alegra-compatible HTTP server for tests, demos and reliability runs.

    ``store``, ``faults`` and ``rate_limiter`` are the first company's; ``companies`` has them
    all (``company(n)`` the n-th, from 1).
    """

    USER = FIRST_USER
    TOKEN = FIRST_TOKEN

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        data_dir: Path | None = None,
        seed: Literal["demo", "recorded"] = "demo",
        rate_limit: int = 150,
        decimal_precision: int | None = None,
        companies: int = 1,
    ) -> None:
        if not is_loopback(host):
            raise ValueError(T("the sandbox only listens on loopback addresses, not {host}: "
                               "use 127.0.0.1", host=repr(host)))
        if rate_limit < 1:
            raise ValueError(f"rate_limit must be at least 1, got {rate_limit}")
        if not 1 <= companies <= MAX_COMPANIES:
            raise ValueError(f"companies must be between 1 and {MAX_COMPANIES}, got {companies}")
        self.host = "127.0.0.1" if host == "localhost" else host
        self.port = port
        self.companies = [
            SandboxCompany(number, Store(seed=seed, data_dir=_data_dir(data_dir, number),
                                         decimal_precision=decimal_precision, company=number),
                           rate_limit)
            for number in range(1, companies + 1)
        ]
        self._by_user = {company.user: company for company in self.companies}
        first = self.companies[0]
        self.store = first.store
        self.faults = first.faults
        self.rate_limiter = first.rate_limiter
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._bound = False

    @property
    def _base(self) -> str:
        if not self._bound:
            raise RuntimeError("the sandbox is not started: call start() first")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def url(self) -> str:
        return self._base + API_BASE

    @property
    def admin_url(self) -> str:
        return self._base + ADMIN_BASE

    def company(self, number: int) -> SandboxCompany:
        """The n-th company (from 1)."""
        if not 1 <= number <= len(self.companies):
            raise ValueError(f"no company {number}: this sandbox serves {len(self.companies)}")
        return self.companies[number - 1]

    def company_of(self, user: str | None) -> SandboxCompany:
        return self._by_user.get(user or "", self.companies[0])

    def reset(self) -> None:
        """Back to the seed, with no faults, no latency and a fresh rate-limit window (every
        company)."""
        for company in self.companies:
            company.reset()

    def _bind(self) -> _HTTPServer:
        if self._httpd is None:
            family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
            self._httpd = _HTTPServer((self.host, self.port), self, family)
            self.port = int(self._httpd.server_address[1])
            self._bound = True
        return self._httpd

    def start(self) -> SandboxServer:
        """Serve in a daemon thread; returns self."""
        httpd = self._bind()
        if self._thread is None:
            self._thread = threading.Thread(
                target=httpd.serve_forever,
                args=(POLL_SECONDS,),
                name="alegra-sandbox",
                daemon=True,
            )
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until KeyboardInterrupt or stop()."""
        httpd = self._bind()
        try:
            httpd.serve_forever(POLL_SECONDS)
        except KeyboardInterrupt:
            pass
        finally:
            self._close()

    def stop(self) -> None:
        """Stop serving, drop open connections and free the port."""
        if self._httpd is None:
            return
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        else:
            # serve_forever() runs in another thread; it closes the socket on its way out.
            threading.Thread(target=self._httpd.shutdown, daemon=True).start()
            return
        self._close()

    def _close(self) -> None:
        httpd = self._httpd
        if httpd is None:
            return
        with httpd.connections_lock:
            connections = list(httpd.connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        httpd.server_close()
        self._httpd = None

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
