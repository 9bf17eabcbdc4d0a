"""What cron sees: the real console script in a subprocess, quiet on success, one line on error,
and the run log (one JSON line per run and per document, no secret)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from alegra_sync.sandbox import SandboxServer
from e2e.helpers import write_export
from e2e.test_sync import ANA, BRUNO, NOV1, NOV15
from secrets_scan import assert_no_secret


def cron(home: Path, sandbox: SandboxServer, *args: str,
         today: str = "2026-11-16") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALEGRA_SYNC_")}
    env.update({"ALEGRA_SYNC_HOME": str(home), "ALEGRA_SYNC_BASE_URL": sandbox.url,
                "ALEGRA_SYNC_USER": sandbox.USER, "ALEGRA_SYNC_TOKEN": sandbox.TOKEN,
                "ALEGRA_SYNC_TODAY": today, "ALEGRA_SYNC_SYNC__START": "2026-11-01"})
    script = Path(sys.executable).parent / "alegra-sync"
    done = subprocess.run([str(script), "-q", *args], env=env, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=120)
    assert_no_secret(done.stdout + done.stderr, f"cron's mail for {args}")
    return done


def test_cron_on_the_16th_posts_the_first_quincena_silently(home: Path,
                                                           sandbox: SandboxServer) -> None:
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    assert cron(home, sandbox, "map", "--check").stdout == ""
    done = cron(home, sandbox, "sync", "--catch-up")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert [j["reference"].split()[1] for j in sandbox.store.dump()["journals"]] == [
        "2026-11-01/J1"]
    again = cron(home, sandbox, "sync")
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")

    log = [json.loads(line) for line in
           (home / "alegra-sync.log").read_text(encoding="utf-8").splitlines()]
    runs = [entry for entry in log if entry["event"] == "run"]
    documents = [entry for entry in log if entry["event"] == "document"]
    assert len(runs) == 2
    assert runs[0]["status"] == "success" and runs[0]["exit_code"] == 0
    assert runs[0]["periods"][0]["outcome"] == "posted"
    assert runs[1]["periods"][0]["outcome"] == "already-posted"
    assert sorted({d["key"] for d in documents}) == ["2026-11-01/J1", "2026-11-01/P1"]
    assert all(d["status"] == "posted" and d["alegra_id"] for d in documents)


def test_cron_failure_is_one_line_and_the_exit_code(home: Path, sandbox: SandboxServer) -> None:
    done = cron(home, sandbox, "sync")  # no export for 2026-11-01 yet
    assert done.returncode == 66
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: 2026-11-01: no export for 2026-11-01")
    assert "Traceback" not in done.stderr


def test_a_missed_period_is_caught_up_in_order(home: Path, sandbox: SandboxServer) -> None:
    from datetime import date

    from e2e.helpers import employee

    write_export(home, NOV1, NOV15, [ANA])
    write_export(home, date(2026, 11, 16), date(2026, 11, 30),
                 [employee("1001", "Ana Gómez", "Administración", "EPS Sura",
                           "Protección AFP", "2026-11-30", Salario=2000000)])
    # the server was down on the 16th; cron runs on December 1st
    done = cron(home, sandbox, "sync", "--catch-up", today="2026-12-01")
    assert (done.returncode, done.stderr) == (0, "")
    keys = [j["reference"].split()[1]
            for j in sorted(sandbox.store.dump()["journals"], key=lambda j: int(j["id"]))]
    assert keys == ["2026-11-01/J1", "2026-11-16/J1"]
