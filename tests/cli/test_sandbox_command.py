"""`alegra-sync sandbox` as a person runs it: a subprocess that prints how to use it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import requests
from typer.testing import CliRunner

from alegra_sync.cli.app import app


def test_the_sandbox_command_serves_the_demo_company_until_interrupted(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "alegra-sync"
    process = subprocess.Popen([str(script), "sandbox", "--port", "0", "--data",
                                str(tmp_path / "data")], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=os.environ.copy())
    try:
        assert process.stdout is not None
        printed = dict(process.stdout.readline().strip().split("=", 1) for _ in range(3))
        assert printed["ALEGRA_SYNC_USER"] == "demo@example.com"
        assert printed["ALEGRA_SYNC_TOKEN"] == "sandbox-demo-token"
        url = printed["ALEGRA_SYNC_BASE_URL"]
        assert url.startswith("http://127.0.0.1:") and url.endswith("/api/v1")
        company = requests.get(f"{url}/company", auth=("demo@example.com", "sandbox-demo-token"),
                               timeout=5).json()
        assert company["name"] == "Demo Nómina S.A.S."
        refused = requests.get(f"{url}/company", auth=("demo@example.com", "wrong"), timeout=5)
        assert refused.status_code == 401
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=10)
    assert process.returncode == 0
    assert "sandbox stopped" in stderr


def test_the_sandbox_refuses_a_non_loopback_host() -> None:
    result = CliRunner().invoke(app, ["sandbox", "--host", "0.0.0.0", "--port", "0"])
    assert result.exit_code == 2
    assert "loopback" in result.output
