"""`alegra-sync sandbox` as a person runs it: a subprocess that prints how to use it."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tomllib
from pathlib import Path

import requests
from typer.testing import CliRunner

from alegra_sync.cli.app import app

SEARCH = "Sueldos"


def bare_env(home: Path) -> dict[str, str]:
    """A new terminal: none of the sandbox's variables, only a PATH and the test's home."""
    return {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": str(home.parent),
            "ALEGRA_SYNC_HOME": str(home), "LANG": "C.UTF-8", "NO_COLOR": "1"}


def test_the_banner_is_what_a_shell_runs_and_connect_keeps_the_url(
        tmp_path: Path, isolated_home: Path) -> None:
    script = Path(sys.executable).parent / "alegra-sync"
    process = subprocess.Popen([str(script), "sandbox", "--port", "0", "--data",
                                str(tmp_path / "data")], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=os.environ.copy())
    try:
        assert process.stdout is not None
        banner = [process.stdout.readline().rstrip("\n") for _ in range(3)]
        url = banner[0].removeprefix("export ALEGRA_SYNC_BASE_URL=")
        assert url.startswith("http://127.0.0.1:") and url.endswith("/api/v1")
        assert banner == [f"export ALEGRA_SYNC_BASE_URL={url}",
                          "export ALEGRA_SYNC_USER=demo@example.com",
                          "export ALEGRA_SYNC_TOKEN=sandbox-demo-token"]
        company = requests.get(f"{url}/company", auth=("demo@example.com", "sandbox-demo-token"),
                               timeout=5).json()
        assert company["name"] == "Demo Nómina S.A.S."

        # pasted (here: eval'd) into another terminal, the lines are all alegra-sync needs
        lines = "\n".join(banner)
        shell = subprocess.run(
            ["bash", "-c", f'eval "$BANNER" && alegra-sync accounts --search "{SEARCH}" --json'
             " && alegra-sync connect"],
            env={**bare_env(isolated_home), "BANNER": lines}, capture_output=True, text=True,
            stdin=subprocess.DEVNULL, timeout=120)
        assert shell.returncode == 0, shell.stderr
        assert [a["code"] for a in json.loads(shell.stdout.split("\n]", 1)[0] + "\n]")] == [
            "510506", "520506"]
        stored = tomllib.loads((isolated_home / "credentials.toml").read_text(encoding="utf-8"))
        assert stored == {"user": "demo@example.com", "token": "sandbox-demo-token",
                          "base_url": url}

        # a new terminal, without the variables: the stored URL, never api.alegra.com
        check = subprocess.run([str(script), "connect", "--check"], env=bare_env(isolated_home),
                               capture_output=True, text=True, stdin=subprocess.DEVNULL,
                               timeout=120)
        assert check.returncode == 0, check.stderr
        assert f"│ Alegra URL        │ {url} │" in check.stdout
        assert check.stderr == f"✓ the credentials of demo@example.com work at {url}\n"
        quiet = subprocess.run([str(script), "-q", "connect", "--check"],
                               env=bare_env(isolated_home), capture_output=True, text=True,
                               stdin=subprocess.DEVNULL, timeout=120)
        assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")  # cron: no mail
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=10)
    assert process.returncode == 0
    assert stderr.splitlines()[0] == f"sandbox serving the demo company at {url} — Ctrl-C to stop"
    assert "sandbox stopped" in stderr


def test_a_busy_port_is_one_line_and_78() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(app, ["sandbox", "--port", str(port)])
    assert result.exit_code == 78
    assert result.stdout == ""
    assert result.stderr == (f"error: port {port} of 127.0.0.1 is already in use (another "
                             "sandbox?) — use --port with another number, or --port 0 for any "
                             "free one\n")


def test_the_sandbox_refuses_a_non_loopback_host() -> None:
    result = CliRunner().invoke(app, ["sandbox", "--host", "0.0.0.0", "--port", "0"])
    assert result.exit_code == 2
    assert "loopback" in result.output
