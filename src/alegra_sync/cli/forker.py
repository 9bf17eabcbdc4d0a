"""The firm run's fork server: one clean process that imports alegra-sync once and forks each
company's run from there, so that a company's run starts in milliseconds instead of paying
Python's and the libraries' start-up (about 0.6 s of CPU each on a small machine, which four
companies starting at once on two cores would wait for).

    python -m alegra_sync.cli.forker

It reads one JSON request a line on stdin — ``{"argv": [...], "env": {...}, "stdout": path,
"stderr": path}`` — forks a child that runs ``alegra-sync ARGV`` with that environment and
those files, and answers ``{"started": pid}``; when a child ends it writes ``{"ended": pid,
"code": n}`` (n negative for a signal). At EOF on stdin (the firm's process ended, however it
ended) it exits, and on Linux its children die with it (PR_SET_PDEATHSIG), as with the machine.
Each child runs in its own session: a terminal's Ctrl-C reaches only the firm's process, which
hands each company one SIGINT.

The fork server is single-threaded, so forking it is safe; the firm's own process (which may
have threads, a test's sandbox for one) never forks. It lives in cli/ because what it forks is
the command line; firm/parallel.py starts it by module name and talks to it through a pipe.
"""

from __future__ import annotations

import json
import os
import select
import signal
import sys
from typing import Any

_PR_SET_PDEATHSIG = 1
POLL_SECONDS = 0.02  # how soon a child's end is noticed and told


def _die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(130)


def _child(request: dict[str, Any], parent: int) -> None:
    """In the forked child: become the company's run. Never returns."""
    code = 70
    try:
        os.setsid()
        _die_with_parent(parent)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        for fd, path in ((1, request["stdout"]), (2, request["stderr"])):
            target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(target, fd)
            os.close(target)
        import io

        sys.stdout = io.TextIOWrapper(open(1, "wb", closefd=False), encoding="utf-8",  # noqa: SIM115
                                      line_buffering=True)
        sys.stderr = io.TextIOWrapper(open(2, "wb", closefd=False), encoding="utf-8",  # noqa: SIM115
                                      line_buffering=True)
        os.environ.clear()
        os.environ.update(request["env"])
        from alegra_sync.cli.app import app

        try:
            app(prog_name="alegra-sync", args=list(request["argv"]))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except KeyboardInterrupt:
            code = 130
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _tell(message: dict[str, Any]) -> None:
    sys.__stdout__.write(json.dumps(message) + "\n")  # type: ignore[union-attr]
    sys.__stdout__.flush()  # type: ignore[union-attr]


def _reap() -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        _tell({"ended": pid, "code": os.waitstatus_to_exitcode(status)})


def main() -> None:
    parent = os.getppid()
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the firm's process decides about Ctrl-C
    # what every company's run needs, imported once (the reason this process exists)
    import alegra_sync.cli.app  # noqa: F401
    import alegra_sync.notify.notices  # noqa: F401
    import alegra_sync.sync.run  # noqa: F401

    stdin = sys.stdin.buffer
    pending = b""
    _tell({"ready": True})
    while True:
        readable = select.select([stdin], [], [], POLL_SECONDS)[0]
        _reap()
        if not readable:
            continue
        chunk = os.read(stdin.fileno(), 65536)
        if not chunk:  # the firm's process is gone: so are we (and, on Linux, the children)
            os._exit(0)
        pending += chunk
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            request = json.loads(line)
            sys.stdout.flush()
            pid = os.fork()
            if pid == 0:
                _child(request, parent=os.getppid())
            _tell({"started": pid})


if __name__ == "__main__":
    main()
