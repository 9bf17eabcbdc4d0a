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
