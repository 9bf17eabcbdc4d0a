"""A command over every company of the firm, in parallel (operations.md: `sync
--all-companies`, also `verify` and `report`).

Each company runs as its own process — ``alegra-sync --company SLUG sync --json …`` — so each
has its own lock, state, settings, language, Alegra client and rate limit, and nothing one
company does (a bad export, Alegra down for its account, a wrong token, its lock held, even a
crash) can stop or delay another: the firm only waits for at most ``parallel`` of them at a
time and reads each one's JSON document when it ends.

The companies' processes are forked from a fork server (cli/forker.py) that imported
alegra-sync once, so they start in milliseconds. Ctrl-C: the companies run in their own
sessions, so the terminal's SIGINT reaches only this process, which hands one SIGINT to every
company still running and waits for each to stop as a single run stops (its state consistent,
the run recorded), then exits 130. On Linux the fork server and the companies die with the
firm's process (PR_SET_PDEATHSIG): a SIGKILLed firm run leaves no company running on its own,
as a machine that lost power would.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alegra_sync import env
from alegra_sync.config import company_home, firm_slugs
from alegra_sync.errors import ConfigError, ExitCode
from alegra_sync.i18n import _
from alegra_sync.sync.snapshot import read_snapshot

JSON_VERSION = 1
STOP_SECONDS = 120.0  # how long an interrupted company may take to stop before it is killed
_PR_SET_PDEATHSIG = 1


@dataclass
class CompanyRun:
    """One company's part of a firm run: its exit code and its own --json document."""

    company: str
    exit_code: int
    result: dict[str, Any]
    name: str | None = None
    nit: str | None = None
    seconds: float = 0.0
    stderr: str = ""

    @property
    def failed(self) -> bool:
        return self.exit_code != ExitCode.OK

    def to_json(self) -> dict[str, Any]:
        return {"company": self.company, "name": self.name, "nit": self.nit,
                "exit_code": self.exit_code, "result": self.result}


@dataclass
class FirmRun:
    command: str  # sync | verify | report
    companies: list[CompanyRun] = field(default_factory=list)
    seconds: float = 0.0
    firm: Path | None = None

    @property
    def status(self) -> str:
        failed = [run for run in self.companies if run.failed]
        if failed:
            return "partial" if len(failed) < len(self.companies) else "error"
        if all(run.result.get("status") == "nothing-to-do" for run in self.companies):
            return "nothing-to-do"
        return "success"

    @property
    def exit_code(self) -> int:
        """The first failing company's, in slug order (operations.md)."""
        return next((run.exit_code for run in self.companies if run.failed), int(ExitCode.OK))

    def to_json(self) -> dict[str, Any]:
        return {"version": JSON_VERSION, "command": self.command, "status": self.status,
                "companies": [run.to_json() for run in self.companies]}


def refuse_shared_credentials() -> None:
    """ALEGRA_SYNC_USER/TOKEN beat each company's credentials.toml: over every company they
    would connect them all to one Alegra account."""
    shared = [name for name in (env.USER, env.TOKEN) if os.environ.get(name)]
    if shared:
        raise ConfigError(
            _("{names} set: a run over every company would connect each of them to that one "
              "Alegra account").format(names=", ".join(shared)),
            hint=_("unset them; each company keeps its own in its credentials.toml "
                   "(`alegra-sync --company SLUG connect`)"))


def run_all_companies(
    firm: Path, arguments: Sequence[str], *, parallel: int, language: str,
    on_done: Callable[[CompanyRun], None] = lambda _run: None,
    python: str = sys.executable,
) -> FirmRun:
    """``alegra-sync --company SLUG <arguments>`` for every company, at most ``parallel`` at
    a time; ``arguments`` (the command first) must make it print its --json document."""
    refuse_shared_credentials()
    slugs = firm_slugs(firm) or []
    began = time.monotonic()
    done: dict[str, CompanyRun] = {}
    child_env = _child_environment(firm, language)
    pending = list(slugs)
    running: dict[int, _Started] = {}
    if not slugs:
        return FirmRun(command=arguments[0], firm=firm)
    with tempfile.TemporaryDirectory(prefix="alegra-sync-firm-") as folder, \
            _Forker(python) as forker:
        try:
            while pending or running:
                while pending and len(running) < max(1, parallel):
                    slug = pending.pop(0)
                    started = _Started(slug, Path(folder) / f"{slug}.out",
                                       Path(folder) / f"{slug}.err", time.monotonic(),
                                       arguments[0])
                    pid = forker.start(["--company", slug, *arguments], child_env, started)
                    running[pid] = started
                pid, code = forker.wait_any()
                if pid in running:
                    run = _finish(firm, running.pop(pid), code)
                    done[run.company] = run
                    on_done(run)
        except BaseException:
            forker.stop(running)
            raise
    return FirmRun(command=arguments[0], companies=[done[slug] for slug in slugs],
                   seconds=time.monotonic() - began, firm=firm)


@dataclass
class _Started:
    slug: str
    stdout: Path
    stderr: Path
    at: float
    command: str = "sync"


def _child_environment(firm: Path, language: str) -> dict[str, str]:
    child = {k: v for k, v in os.environ.items() if k not in (env.COMPANY, env.CONFIG)}
    child.update({env.HOME: str(firm), env.LANG: language, env.FIRM_RUN: "1"})
    return child


class _Forker:
    """The fork server (cli/forker.py: it runs the command line), started once per firm run."""

    def __init__(self, python: str) -> None:
        self._python = python
        self._ended: dict[int, int] = {}
        self._process: subprocess.Popen[bytes] | None = None
        self._buffer = b""  # what was read of its answers past the last whole line

    def __enter__(self) -> _Forker:
        self._process = subprocess.Popen(
            [self._python, "-m", "alegra_sync.cli.forker"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, start_new_session=True, preexec_fn=_die_with_parent())
        self._next()  # {"ready": true}: imported, forking from now on
        return self

    def __exit__(self, *exc: object) -> None:
        process = self._process
        if process is None:
            return
        with contextlib.suppress(OSError):
            if process.stdin is not None:
                process.stdin.close()  # EOF: it exits
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()

    def _read(self, timeout: float | None = None) -> dict[str, Any] | None:
        """Its next answer; None when ``timeout`` passed first. Read from the pipe itself,
        unbuffered, so that waiting with a timeout never misses an answer already read."""
        assert self._process is not None and self._process.stdout is not None
        fd = self._process.stdout.fileno()
        while b"\n" not in self._buffer:
            readable = select.select([fd], [], [], timeout)[0]
            if not readable:
                return None
            chunk = os.read(fd, 65536)
            if not chunk:
                raise ConfigError(_("the firm's run could not start its companies (the fork "
                                    "server stopped)"), hint=_("run it again with -v"))
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        message: dict[str, Any] = json.loads(line)
        return message

    def _next(self) -> dict[str, Any]:
        message = self._read()
        assert message is not None
        return message

    def start(self, argv: list[str], child_env: dict[str, str], started: _Started) -> int:
        assert self._process is not None and self._process.stdin is not None
        request = {"argv": argv, "env": child_env, "stdout": str(started.stdout),
                   "stderr": str(started.stderr)}
        self._process.stdin.write(json.dumps(request).encode() + b"\n")
        self._process.stdin.flush()
        while True:
            message = self._next()
            if "started" in message:
                return int(message["started"])
            self._note(message)

    def _note(self, message: dict[str, Any]) -> None:
        if "ended" in message:
            self._ended[int(message["ended"])] = int(message["code"])

    def wait_any(self) -> tuple[int, int]:
        """The next company to end: (pid, its exit code, negative for a signal)."""
        while not self._ended:
            self._note(self._next())
        pid = next(iter(self._ended))
        return pid, self._ended.pop(pid)

    def stop(self, running: dict[int, _Started]) -> None:
        """Ctrl-C (or any way out): one SIGINT to each company still running, as a terminal
        would give it, and wait for each to stop by itself; kill only one that will not."""
        for pid in running:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGINT)
        deadline = time.monotonic() + STOP_SECONDS
        left = set(running) - set(self._ended)
        while left and self._process is not None:
            try:
                message = self._read(max(0.0, deadline - time.monotonic()))
            except ConfigError:
                return
            if message is None:  # one would not stop: kill what is left
                for pid in left:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                return
            self._note(message)
            left -= set(self._ended)


def _die_with_parent() -> Callable[[], None] | None:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    parent = os.getpid()

    def arm() -> None:  # in the child, between fork and exec
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the firm died before the line above
            os._exit(int(ExitCode.INTERRUPTED))

    return arm


def _finish(firm: Path, started: _Started, returncode: int) -> CompanyRun:
    seconds = time.monotonic() - started.at
    output, errors = (_read(started.stdout), _read(started.stderr))
    for path in (started.stdout, started.stderr):
        path.unlink(missing_ok=True)
    code = _exit_code(returncode)
    try:
        result = json.loads(output)
        if not isinstance(result, dict):
            raise ValueError("not a JSON object")
    except ValueError:
        result = _error_document(started.command, code, _last_error(errors, returncode))
    company = read_snapshot(company_home(firm, started.slug).state / "state.sqlite3").company
    return CompanyRun(started.slug, code, result,
                      name=company.name if company else None,
                      nit=company.identification if company else None,
                      seconds=seconds, stderr=errors)


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return ""


def _exit_code(returncode: int) -> int:
    if returncode >= 0:
        return returncode
    return int(ExitCode.INTERRUPTED if -returncode == signal.SIGINT else ExitCode.INTERNAL)


def _last_error(stderr: str, returncode: int) -> str:
    if returncode < 0:
        return _("the company's run was stopped by signal {number}").format(number=-returncode)
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error:")]
    found = (errors or lines or [_("exited {code} without a result").format(
        code=returncode)])[-1]
    return found.removeprefix("error:").strip()


def _error_document(command: str, code: int, message: str) -> dict[str, Any]:
    """The single-company document of a run that printed none (it stopped before it could),
    with the keys of that command's document."""
    document: dict[str, Any] = {"version": JSON_VERSION, "command": command, "status": "error",
                                "periods": []}
    if command == "report":
        document.update({"out": None, "index": None})
    else:
        document["requests"] = {"GET": 0, "POST": 0, "PUT": 0, "DELETE": 0}
    document.update({"warnings": [], "error": {"code": code, "message": message}})
    return document
