"""`alegra-sync demo`, the README's first command, as a newcomer runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_the_demo_posts_two_quincenas_once_and_shows_it(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALEGRA_SYNC_")}
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env["TMPDIR"] = str(temporary)
    script = Path(sys.executable).parent / "alegra-sync"
    done = subprocess.run([str(script), "demo"], env=env, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=120)
    assert done.returncode == 0, done.stderr
    out = done.stdout + done.stderr
    assert "mapping OK: 18 concepts, 2 cost centers, bank account 2 (Bancolombia nómina)" in out
    assert "Summary by account and cost center — comprobante 2026-11-01/J1" in out
    assert "What sync would do in Alegra:\n  post 2026-11-01/J1\n  post 2026-11-01/P1\n" in out
    assert "2026-11-01: posted (debits 19.269.687 = credits 19.269.687, net pay 10.722.755)" \
        in out
    assert "2026-11-16: posted (debits 19.250.106 = credits 19.250.106, net pay 10.709.332)" \
        in out
    assert "2026-11-16: already posted" in out
    assert "2 comprobantes and 2 egresos for two quincenas" in out
    assert "sandbox-demo-token" not in out
    assert list(temporary.iterdir()) == []  # the temporary home is gone


def test_the_firm_demo_syncs_three_companies_in_one_run(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALEGRA_SYNC_")}
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env["TMPDIR"] = str(temporary)
    script = Path(sys.executable).parent / "alegra-sync"
    done = subprocess.run([str(script), "demo", "--firm"], env=env, capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=300)
    assert done.returncode == 0, done.stderr
    out = done.stdout + done.stderr
    rows = [line for line in done.stdout.splitlines() if line.startswith("│")]
    wanted = "2026-11-01, 2026-11-16 │ posted (0) │ 1001, 1002, 2001, 2002"
    posted = [r for r in rows if wanted in r]
    assert len(posted) == 3
    assert "3 companies in" in out and ": 3 without errors, 0 failed" in out
    portfolio = [r for r in rows if "success (0)" in r and "2026-11-16" in r]
    assert [r.split("│")[1].strip() for r in portfolio] == [
        "acme", "ferreteria-norte", "panaderia-la-9"]
    assert sum("nothing to do (0)" in r for r in rows) == 3  # the second run posts nothing
    assert "sandbox-demo-token" not in out
    assert list(temporary.iterdir()) == []
